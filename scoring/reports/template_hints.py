"""What the actuals template tells users as they type: per-row hints derived from each parsed
target (a number in its unit, a percentage, a date, a 档次) and the validations of the budget sheet.

Hints are shown by Excel and WPS as the input message of a data validation. Rows with the same
hint share one validation (many ranges): a province's sheet has 100,000s of rows but only a few
dozen distinct hints.
"""

from __future__ import annotations

from scoring.answers.reading import example_number
from scoring.language.comparator import Comparator
from scoring.language.expressions import parse
from scoring.language.lexicon import Lexicon
from scoring.language.numerals import fmt_number
from scoring.language.units import is_percent
from scoring.targets.model import Targets
from scoring.vocab import BANDED, NUMERIC, TargetKind

TITLE_MAX, MESSAGE_MAX = 32, 255  # Excel's limits on an input message
COUNTED = ("次", "起", "件", "例", "个")  # units of events, of which "none" is 0


def hint(c: Comparator, year: int | None) -> tuple[str, str]:
    """(title, message) of the input message for an actual answering target ``c``.

    >>> hint(parse("≥95%", "满意度", 2023), 2023)[0]
    '百分比'
    >>> hint(parse("不少于30万人次", "参与人次", 2023), 2023)
    ('数量（人次）', '填写实际完成的数量，单位：人次（也可写“万人次”，会自动换算）；只写数字时按“人次”理解。')
    >>> hint(parse("每年12月31日前", "完成时间", 2023), 2023)[1]
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


def hint_groups(targets: Targets, year: int | None, lexicon: Lexicon | None = None
                ) -> tuple[list[str], list[bool], list[bool], dict[tuple, list[int]]]:
    """Per indicator row (0-based, in order): its kind, whether its target is a percentage, whether it
    is a deadline; and the rows grouped by hint ``(title, message)``. Targets are read with ``lexicon``
    (the profile's word lists), as the engine will read them."""
    ind = targets.indicators
    seen: dict[tuple[str, str], Comparator] = {}
    kinds, pct, dates = [], [], []
    groups: dict[tuple, list[int]] = {}
    for i, (level3, value) in enumerate(zip(ind["level3"], ind["annual_value"], strict=True)):
        c = seen.get((level3, value))
        if c is None:
            c = seen[(level3, value)] = parse(value, level3, year, lexicon)
        kinds.append(c.kind)
        pct.append(c.kind in NUMERIC and is_percent(c.unit))
        dates.append(c.kind == TargetKind.DEADLINE)
        groups.setdefault(hint(c, year), []).append(i)
    return kinds, pct, dates, groups


def runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive rows as (first, last) ranges.

    >>> runs([1, 2, 3, 7, 9, 10])
    [(1, 3), (7, 7), (9, 10)]
    """
    out: list[list[int]] = []
    for r in rows:
        if out and out[-1][1] == r - 1:
            out[-1][1] = r
        else:
            out.append([r, r])
    return [(a, b) for a, b in out]


def budget_validation() -> dict:
    """Amounts in 元, not negative: a stop, since a negative budget is a typing error."""
    return {"validate": "decimal", "criteria": ">=", "value": 0, "error_type": "stop",
            "input_title": "金额（元）", "input_message": "以元为单位填写，不能是负数，如 85500。",
            "error_title": "金额无效", "error_message": "请填写以元为单位的非负数字，如 85500。"}


def narrative_prompt() -> dict:
    """The input message of a 年度总体目标完成情况 cell."""
    return {"validate": "any", "input_title": "年度总体目标完成情况",
            "input_message": "对照左侧的年度目标，写明实际完成情况：做了什么、完成多少、效果如何；"
                             "有差距的说明原因。这段文字原样进入自评表。"}
