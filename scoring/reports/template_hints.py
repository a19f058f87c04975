"""What the actuals template tells users as they type: per-row hints derived from each parsed
target (:func:`scoring.actuals.advice.input_message`: a number in its unit, a percentage, a date, a 档次)
and the validations of the budget sheet.

Hints are shown by Excel and WPS as the input message of a data validation. Rows with the same
hint share one validation (many ranges): a province's sheet has 100,000s of rows but only a few
dozen distinct hints.
"""

from __future__ import annotations

from scoring.actuals.advice import input_message
from scoring.language.comparator import Comparator
from scoring.language.expressions import parse
from scoring.language.lexicon import Lexicon
from scoring.language.units import is_percent
from scoring.targets.model import Targets
from scoring.vocab import NUMERIC, TargetKind


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
        groups.setdefault(input_message(c, year), []).append(i)
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
