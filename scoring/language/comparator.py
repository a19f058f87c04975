"""The reading of one target expression: an immutable comparator.

``scoring.language.expressions.parse`` produces it; the engine scores actual values against it; the
reports show ``reading()`` next to the text as written so an auditor sees how it was read.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from scoring.language.numerals import fmt_number, json_number

KINDS = ("quantitative", "range", "deadline", "directional", "qualitative", "invalid")
OPS = (">=", ">", "<=", "<", "==", "between", "by_date", "increase", "decrease")

OP_SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "by_date": "不晚于",
             "increase": "增长", "decrease": "下降"}
KIND_NAME = {"quantitative": "定量", "range": "区间", "deadline": "时限", "directional": "方向",
             "qualitative": "定性", "invalid": "无效"}


@dataclass(frozen=True, slots=True)
class Comparator:
    """What a 指标值 asks for.

    - ``kind``: one of :data:`KINDS`.
    - ``op``: one of :data:`OPS` or None (qualitative, invalid).
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
    """

    text: str
    kind: str
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

    @property
    def is_scorable(self) -> bool:
        return self.kind != "invalid"

    def reading(self) -> str:
        """How the target was read, in words an auditor checks: ``≥ 2 次``, ``90–100 %``."""
        unit = f" {self.unit}" if self.unit else ""
        if self.kind == "quantitative":
            return f"{OP_SYMBOL[self.op]} {fmt_number(self.value)}{unit}"
        if self.kind == "range":
            lo = "＞" if self.strict_low else ""
            hi = "＜" if self.strict_high else ""
            return f"{lo}{fmt_number(self.value)}–{hi}{fmt_number(self.high)}{unit}"
        if self.kind == "deadline":
            return f"不晚于 {self.date}" if not (self.date or "").startswith("--") else f"不晚于 每年{self.date[2:]}"
        if self.kind == "directional":
            return "较上年增长" if self.op == "increase" else "较上年下降"
        if self.kind == "qualitative":
            return f"定性：{self.text.strip()}"
        return f"无效：{self.reason}"

    def to_json(self) -> dict:
        """The ``score parse --json`` object."""
        d = asdict(self)
        return {
            "text": self.text,
            "indicator": self.indicator,
            "kind": self.kind,
            "op": self.op,
            "value": json_number(self.value),
            "high": json_number(self.high),
            "unit": self.unit,
            "date": self.date,
            "assumptions": list(self.assumptions),
            "reason": self.reason,
            "strict_low": d["strict_low"] if self.kind == "range" else None,
            "strict_high": d["strict_high"] if self.kind == "range" else None,
        }


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
