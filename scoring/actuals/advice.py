"""What to write in a 实际完成值 cell: the one home of that advice.

- :func:`hint_for`: for a value that could not be read or judged, what to write instead, in the words of
  the indicator's own kind of target (a number in its unit, a percentage, a date, a 档次);
  :func:`survey_hint` for a 满意度 indicator; :func:`unreadable` makes such a reading with its advice.
- :func:`input_message`: the template's input message for a target (what Excel shows while typing).
- :func:`unknown_advice`: the advice an indicator judged 无法判定 carries on its result row, as a code
  (:class:`Advice`, column ``hint_code``) and a text (column ``hint``); a change target without a usable
  基数 carries :data:`BASELINE_HINT` or :data:`ZERO_HINT` (:mod:`scoring.rubric.changes`). Whoever reports
  a 无法判定 reads these columns (and ``unknown_reason``, why), never the explanation's words.
"""

from __future__ import annotations

from enum import StrEnum

from scoring.actuals.reading import Reading
from scoring.language.comparator import Comparator
from scoring.language.numerals import fmt_number
from scoring.language.units import is_duration, is_percent
from scoring.vocab import BANDED, NUMERIC, TargetKind

MONEY_UNITS = ("元", "万元", "亿元", "千元")
TITLE_MAX, MESSAGE_MAX = 32, 255  # Excel's limits on an input message
COUNTED = ("次", "起", "件", "例", "个")  # units of events, of which "none" is 0
BASELINE_HINT = "请在“基数（上年实际值）”一列填写上年的实际完成值"
ZERO_HINT = "基数为 0 时增长率没有意义：请在偏差原因中说明实际变化，或将指标值改写为绝对量"


class Advice(StrEnum):
    """Which advice a 无法判定 indicator carries (``hint_code``; "" for an indicator that was judged)."""

    NONE = ""
    READING = "reading"  # the reader's own advice for this value (:attr:`Reading.hint`)
    KIND = "kind"  # what to write for this kind of target (:func:`hint_for`)
    SURVEY = "survey"  # a 满意度 answered with a bare verdict: the survey's figure (:func:`survey_hint`)
    BASELINE = "baseline"  # a change target without its 基数 (:data:`BASELINE_HINT`)
    ZERO_BASELINE = "zero-baseline"  # a change against a 基数 of 0 (:data:`ZERO_HINT`)


def unknown_advice(c: Comparator, reading: Reading | None = None, survey: bool = False) -> tuple[Advice, str]:
    """The advice for an indicator judged 无法判定: a 满意度 answered without a survey figure is told to
    give the figure; else the reader's own advice for the value, when it gave one; else what to write
    for the target's kind.

    >>> from scoring.language.expressions import parse
    >>> unknown_advice(parse("≥2次", "开展活动数量"))
    (<Advice.KIND: 'kind'>, '请填写以“次”计的数值，如 3次')
    >>> unknown_advice(parse("≥90%", "群众满意度"), survey=True)
    (<Advice.SURVEY: 'survey'>, '请填写满意度调查结果（百分比），如 96%')
    """
    if survey:
        return Advice.SURVEY, survey_hint(c)
    if reading is not None and reading.hint:
        return Advice.READING, reading.hint
    return Advice.KIND, hint_for(c)


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


def input_message(c: Comparator, year: int | None) -> tuple[str, str]:
    """(title, message) of the input message for an actual answering target ``c``.

    >>> from scoring.language.expressions import parse
    >>> input_message(parse("≥95%", "满意度", 2023), 2023)[0]
    '百分比'
    >>> input_message(parse("不少于30万人次", "参与人次", 2023), 2023)
    ('数量（人次）', '填写实际完成的数量，单位：人次（也可写“万人次”，会自动换算）；只写数字时按“人次”理解。')
    >>> input_message(parse("每年12月31日前", "完成时间", 2023), 2023)[1]
    '填写实际完成日期，如 2023-12-20。'
    """
    if c.kind in NUMERIC and is_percent(c.unit):
        v = example_number(c, 96)
        return "百分比", (f"填写百分数，如 {fmt_number(v)}%（单元格已是百分比格式，直接输入 {fmt_number(v)}% 即可）；"
                        f"不要写成 {fmt_number(round(v / 100, 6))}。")
    if c.kind in NUMERIC:
        fewer = ""
        if c.op in ("<=", "<"):
            fewer = "越少越好，没有发生填 0；" if c.value == 0 or c.unit.endswith(COUNTED) else "越少越好；"
        if not c.unit:
            return "数量", f"{fewer}填写实际完成的数字，可带单位。"
        wan = f"（也可写“万{c.unit}”，会自动换算）" if (c.value or 0) >= 10000 else ""
        return (f"数量（{c.unit}）"[:TITLE_MAX],
                f"{fewer}填写实际完成的数量，单位：{c.unit}{wan}；只写数字时按“{c.unit}”理解。")
    if c.kind == TargetKind.DEADLINE:
        return "时限", f"填写实际完成日期，如 {year or 2023}-12-20。"
    if c.kind == TargetKind.DIRECTIONAL:
        word = "增长" if c.op == "increase" else "下降"
        return "较上年变化", f"填写较上年的变化，如“{word} 8%”（目标是{word}）。"
    if c.kind == TargetKind.CHANGE:
        return change_hint(c)
    if c.kind == TargetKind.QUALITATIVE:
        return "定性指标（档次）", (f"选择 {'/'.join(str(v) for v in BANDED)}，也可写“部分达成 70%”"
                                  "（百分比须在该档范围内）或文字说明（按词表判断并记为假设）。")
    return "指标值无法解读", "目标表中的指标值无法解读，该指标将记为无法判定；请如实填写实际情况，并在偏差原因中说明。"


def change_hint(c: Comparator) -> tuple[str, str]:
    """A change target (同比下降4%, 在5万元基础上增加): write this year's level; it is scored against the 基数
    — last year's value in the 基数（上年实际值） column, or the one the target states.

    >>> from scoring.language.expressions import parse
    >>> change_hint(parse("同比下降4%", "单位成本"))
    ('较上年变化（须填基数）', '填写本年的实际数值（与上年同一口径），并在“基数（上年实际值）”一列填写上年的实际数值；按较上年的变化计分（目标是下降4%）；只填本年数值、基数空着时无法计分。')
    """
    word = "增长" if c.op == "increase" else "下降"
    aim = f"{word}{fmt_number(c.value)}{c.unit}" if c.value is not None else word
    stated = c.baseline is not None and c.baseline.value is not None
    if stated:
        base = f"{fmt_number(c.baseline.value)}{c.baseline.unit}"
        if c.baseline.unit == "元" and c.baseline.value >= 10000:
            base = f"{fmt_number(c.baseline.value / 10000)}万元"
        return "较基数变化", (f"填写本年的实际数值（单位与目标一致）；基数已写在目标中（{base}），“基数（上年实际值）”一列"
                         f"不用填写。按实际值较基数的变化计分（目标是{aim}）。")[:MESSAGE_MAX]
    return "较上年变化（须填基数）", (f"填写本年的实际数值（与上年同一口径），并在“基数（上年实际值）”一列填写上年的实际数值；"
                              f"按较上年的变化计分（目标是{aim}）；只填本年数值、基数空着时无法计分。")[:MESSAGE_MAX]
