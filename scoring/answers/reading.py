"""What one 实际完成值 was read as (:class:`Reading`), and what to write instead when it could not
be read (:func:`hint_for`: advice that names the indicator's own kind of value)."""

from __future__ import annotations

from dataclasses import dataclass

from scoring.language.comparator import Comparator
from scoring.language.numerals import fmt_number
from scoring.language.units import is_duration, is_percent
from scoring.vocab import NUMERIC, TargetKind

MONEY_UNITS = ("元", "万元", "亿元", "千元")


@dataclass(frozen=True, slots=True)
class Reading:
    """An actual value as the engine uses it; ``text`` is how it was read, for the report.

    ``kind``: number, date, growth, verdict, unreadable, missing. ``level``: for a number read
    against a level target (``满意``), the percentage that level is taken to mean (the engine
    compares the number with it). ``late``: the answer says the work was finished late, without a
    date. ``notes``: things an auditor must look at although the value is scored (flags).
    ``hint``: for unreadable and missing values, what to write instead.
    """

    kind: str
    number: float | None = None
    date: str | None = None
    verdict: str | None = None
    percent: float | None = None
    sign: int = 0
    text: str = ""
    assumptions: tuple[str, ...] = ()
    reason: str | None = None
    explicit: bool = False  # a verdict written out (达成 …), not read from free text
    level: float | None = None
    late: bool = False
    notes: tuple[str, ...] = ()
    hint: str | None = None


def unreadable(shown: str, reason: str, c: Comparator | None, hint: str | None = None) -> Reading:
    """An unreadable value with its reason and the advice for this target."""
    return Reading("unreadable", text=shown, reason=reason, hint=hint or (hint_for(c) if c is not None else None))


def meets(c: Comparator, v: float) -> bool:
    """Whether ``v`` (in the target's unit) meets a quantitative or range target.

    >>> from scoring.language.expressions import parse
    >>> meets(parse("≥90分"), 3), meets(parse("≥90分"), 90), meets(parse("<5次"), 5), meets(parse("80%-90%"), 85)
    (False, True, False, True)
    """
    a, h = c.value, c.high
    if a is None:
        return False
    if c.kind == TargetKind.RANGE:
        return h is not None and (v > a if c.strict_low else v >= a) and (v < h if c.strict_high else v <= h)
    return {">=": v >= a, ">": v > a, "==": v == a, "<=": v <= a, "<": v < a}.get(c.op, False)


def example_number(c: Comparator, usual: float) -> float:
    """A number to show as an example answer to target ``c``: ``usual`` when it meets the target (a
    familiar figure), else one that does, taken from the target itself (``≥90分`` → 90, ``>95%`` →
    96, ``≤1次`` → 1, ``80%-90%`` → 85). Never an example that would miss its own target.

    >>> from scoring.language.expressions import parse
    >>> example_number(parse("≥2次"), 3), example_number(parse("≥90分"), 3), example_number(parse("≥31000m²"), 3)
    (3, 90, 31000)
    >>> example_number(parse(">95%"), 96), example_number(parse(">96%"), 96), example_number(parse("≤1次"), 3)
    (96, 97, 1)
    """
    a, h = c.value, c.high
    if a is None or meets(c, usual):
        return usual
    if c.kind == TargetKind.RANGE and h is not None:
        v = (a + h) / 2
    elif c.op == ">":
        v = a + 1 if a >= 1 else a * 1.1
    elif c.op == "<":
        v = a - 1 if a >= 2 else a / 2
    else:
        v = a
    if is_percent(c.unit) and c.op in (">=", ">") and v > 100 >= a:
        v = 100
    v = round(v, 2)
    return int(v) if float(v).is_integer() else v


def hint_for(c: Comparator) -> str:
    """What to write as the actual value of an indicator with this target.

    >>> from scoring.language.expressions import parse
    >>> hint_for(parse("≥90%", "满意度"))
    '请填写满意度调查结果（百分比），如 96%'
    >>> hint_for(parse("≥2次", "开展活动数量"))
    '请填写以“次”计的数值，如 3次'
    """
    kind = c.kind
    name = c.indicator or ""
    if kind in NUMERIC:
        unit = c.unit
        if is_percent(unit):
            if "满意" in name:
                return survey_hint(c)
            return f"请填写百分比，如 {fmt_number(example_number(c, 98))}%"
        if is_duration(unit):
            return f"请填写所用时长，如 {fmt_number(example_number(c, 2))}{unit}"
        if unit in MONEY_UNITS:
            return f"请填写金额（{unit}），如 {fmt_number(example_number(c, 85))}{unit}"
        if unit:
            return f"请填写以“{unit}”计的数值，如 {fmt_number(example_number(c, 3))}{unit}"
        return f"请填写数值，如 {fmt_number(example_number(c, 95))}"
    if kind == TargetKind.DEADLINE:
        return "请填写完成日期，如 2023年12月20日；也可写“按时完成”或“逾期完成”"
    if kind == TargetKind.DIRECTIONAL:
        return "请填写较上年的变化，如“增长5%”，或写本年与上年的数值，如“本年120，上年100”"
    if kind == TargetKind.QUALITATIVE:
        if "满意" in (c.text or "") or "满意" in name:
            return f"{survey_hint(c)}；没有调查数据时填写“满意”“基本满意”或“不满意”"
        return "请填写“达成”“部分达成”或“未达成”（可附百分比，如“部分达成 75%”），或用一句话写明完成情况，如“已按时完成”"
    if kind == TargetKind.INVALID:
        return "指标值无效：请先改正绩效目标（score check 可列出问题），再填写实际完成值"
    return "请按“填报说明”改写实际完成值"


def survey_hint(c: Comparator) -> str:
    """What to write as the actual value of a 满意度 indicator: the survey's percentage.

    >>> from scoring.language.expressions import parse
    >>> survey_hint(parse("满意", "群众满意度")), survey_hint(parse("≥98%", "群众满意度"))
    ('请填写满意度调查结果（百分比），如 96%', '请填写满意度调查结果（百分比），如 98%')
    """
    return f"请填写满意度调查结果（百分比），如 {fmt_number(example_number(c, 96))}%"
