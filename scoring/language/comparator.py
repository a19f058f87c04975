"""The reading of one target expression: an immutable comparator.

``scoring.language.expressions.parse`` produces it; the engine scores actual values against it; the
reports show ``reading()`` next to the text as written so an auditor sees how it was read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from scoring.language.numerals import fmt_number, json_number
from scoring.vocab import TargetKind


class Operator(StrEnum):
    """How the actual value is compared. The values are the strings ``score parse --json`` prints."""

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "=="
    BETWEEN = "between"
    BY_DATE = "by_date"
    INCREASE = "increase"
    DECREASE = "decrease"


_OPERATOR = {o.value: o for o in Operator}
OPS = tuple(o.value for o in Operator)

OP_SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "by_date": "不晚于",
             "increase": "增长", "decrease": "下降"}


@dataclass(frozen=True, slots=True)
class Baseline:
    """What a change is measured against: ``上年``, ``基期``, ``2022年``, or a stated value (``在5万元基础上``).

    >>> Baseline("上年").describe(), Baseline("stated", 50000.0, "元").describe()
    ('上年', '50000元')
    """

    ref: str
    value: float | None = None
    unit: str = ""

    def describe(self) -> str:
        return self.ref if self.value is None else f"{fmt_number(self.value)}{self.unit}"

    def to_json(self) -> dict:
        return {"ref": self.ref, "value": json_number(self.value), "unit": self.unit}


@dataclass(frozen=True, slots=True)
class Comparator:
    """What a 指标值 asks for.

    - ``kind``: a :class:`~scoring.vocab.TargetKind` (a string: ``"quantitative"``…).
    - ``op``: an :class:`Operator` or None (qualitative, invalid); for a change its direction.
    - ``value``: the number in the written unit after multipliers (``不少于30万人次`` → 300000);
      for ranges the lower bound.
    - ``high``: the upper bound of a range, else None.
    - ``unit``: canonical unit (``次``, ``人次``, ``%``, ``小时``, ``m²``, ``条/天``…) or ``""``.
    - ``date``: for deadlines, ISO ``YYYY-MM-DD``; ``--MM-DD`` when the year was not known.
    - ``assumptions``: Chinese sentences, each a reading that was not written out
      (a bare number read as ``≥``, a unit taken from the indicator's name).
    - ``reason``: why an ``invalid`` target is not a target.
    - ``inferred_op``: the operator was not written but inferred (bare value).
    - ``strict_low``/``strict_high`` for ranges: whether a bound excludes its number.
    - ``baseline``: for a change, what it is measured against (:class:`Baseline`).

    >>> Comparator("≥90%", "quantitative", ">=", 90.0, unit="%").reading()
    '≥ 90 %'
    >>> Comparator("90%-100%", "range", "between", 90.0, 100.0, "%").reading()
    '90–100 %'
    >>> Comparator("同比下降4%", "change", "decrease", 4.0, unit="%", baseline=Baseline("上年")).reading()
    '较上年下降 4 %'
    >>> Comparator("≥90%", "quantitative", ">=").kind is TargetKind.QUANTITATIVE
    True
    """

    text: str
    kind: TargetKind
    op: str | None = None
    value: float | None = None
    high: float | None = None
    unit: str = ""
    date: str | None = None
    assumptions: tuple[str, ...] = ()
    reason: str | None = None
    indicator: str | None = None
    inferred_op: bool = False
    strict_low: bool = False
    strict_high: bool = False
    phrase: str = field(default="", compare=False)
    baseline: Baseline | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", TargetKind(self.kind))
        if self.op is not None:
            object.__setattr__(self, "op", _OPERATOR[self.op])

    @property
    def is_scorable(self) -> bool:
        return self.kind != TargetKind.INVALID

    def reading(self) -> str:
        """How the target was read, in words an auditor checks: ``≥ 2 次``, ``90–100 %``."""
        unit = f" {self.unit}" if self.unit else ""
        if self.kind == TargetKind.QUANTITATIVE:
            return f"{OP_SYMBOL[self.op]} {fmt_number(self.value)}{unit}"
        if self.kind == TargetKind.RANGE:
            lo = "＞" if self.strict_low else ""
            hi = "＜" if self.strict_high else ""
            return f"{lo}{fmt_number(self.value)}–{hi}{fmt_number(self.high)}{unit}"
        if self.kind == TargetKind.DEADLINE:
            return f"不晚于 {self.deadline_text()}"
        if self.kind == TargetKind.DIRECTIONAL:
            return "较上年增长" if self.op == "increase" else "较上年下降"
        if self.kind == TargetKind.CHANGE:
            word = "增长" if self.op == "increase" else "下降"
            base = self.baseline.describe() if self.baseline else "上年"
            amount = f" {fmt_number(self.value)}{unit}" if self.value is not None else ""
            if self.high is not None:   # 增长不超过5%: at most
                amount = f" {'<' if self.strict_high else '≤'}{fmt_number(self.high)}{unit}"
            return f"较{base}{word}{amount}"
        if self.kind == TargetKind.QUALITATIVE:
            return f"定性：{self.text.strip()}"
        return f"无效：{self.reason}"

    def deadline_text(self) -> str:
        """A deadline's date as shown: ISO when its year is known, else in words, never ``--12-31``.

        >>> Comparator("每年12月31日前", "deadline", "by_date", date="--12-31").deadline_text()
        '每年12月31日'
        >>> Comparator("1-12月", "deadline", "by_date", date="--12-31").deadline_text()
        '评价年度的12月31日'
        >>> Comparator("2023年9月前", "deadline", "by_date", date="2023-09-30").deadline_text()
        '2023-09-30'
        """
        d = self.date or ""
        if not d.startswith("--"):
            return d
        month, day = (int(x) for x in d[2:].split("-"))
        every = "每年" in self.text or "每年" in self.phrase
        return f"{'每年' if every else '评价年度的'}{month}月{day}日"

    def to_json(self) -> dict:
        """The ``score parse --json`` object (``baseline`` only for a change)."""
        out = {
            "text": self.text,
            "indicator": self.indicator,
            "kind": self.kind.value,
            "op": None if self.op is None else self.op.value,
            "value": json_number(self.value),
            "high": json_number(self.high),
            "unit": self.unit,
            "date": self.date,
            "assumptions": list(self.assumptions),
            "reason": self.reason,
            "strict_low": self.strict_low if self.kind == TargetKind.RANGE else None,
            "strict_high": self.strict_high if self.kind == TargetKind.RANGE else None,
        }
        if self.kind == TargetKind.CHANGE:
            out["baseline"] = self.baseline.to_json() if self.baseline else None
        return out


def cell_text(v: object) -> str:
    """A cell value as people read it: ``""`` for empty or NaN, numbers without trailing zeros,
    dates as ``YYYY-MM-DD`` (with the time only when there is one), 是/否 for booleans."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        return "" if math.isnan(v) else fmt_number(v) if math.isfinite(v) else str(v)
    if isinstance(v, int):
        return str(v)
    if hasattr(v, "isoformat") and not isinstance(v, str):
        text = v.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(v)
