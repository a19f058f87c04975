"""The rules about an indicator's own 评分标准 (:mod:`scoring.criteria`): caught before the year-end run."""

from __future__ import annotations

from collections.abc import Iterator

from scoring.checks.rules import SATISFACTION_ROW as SAT
from scoring.checks.rules import Breach, Example, IndicatorCase, rule
from scoring.criteria.reading import read_criteria
from scoring.criteria.rule import Rule, Unreadable
from scoring.findings import WARNING
from scoring.language.numerals import fmt_number

_COUNT = ("产出指标", "数量指标", "活动次数", "", "≥10次")


def _with(criteria: str, weight: float | None = None) -> Example:
    return Example((_COUNT, SAT), weights=None if weight is None else (weight, 10), criteria=(criteria, ""))


@rule("criteria_unreadable", "indicator", WARNING,
      "评分标准无法解读（要人工判断，或写法程序不认识）：年底将按评分规则（口径）计分",
      bad=_with("未达指标值酌情扣分"), good=_with("每少1次扣1分，扣完为止"))
def criteria_unreadable(c: IndicatorCase) -> Iterator[Breach]:
    r = read_criteria(c.criteria)
    if isinstance(r, Unreadable):
        yield (f"{c.label}：评分标准“{r.text}”无法解读（{r.reason}），年底将按评分规则计分",
               "改写为程序能读的写法（如“每少1次扣1分，扣完为止”“≥90%计5分；80%（含）-90%计4分；低于80%不得分”"
               "“完成得满分，未完成不得分”），或接受按评分规则计分")


@rule("criteria_points", "indicator", WARNING, "评分标准写的满分与指标的分值不同（计分时按分值折算并提示）",
      bad=_with("≥10次计5分；低于10次不得分", 10), good=_with("≥10次计10分；低于10次不得分", 10))
def criteria_points(c: IndicatorCase) -> Iterator[Breach]:
    r = read_criteria(c.criteria)
    if isinstance(r, Rule) and r.stated_full is not None and c.weight == c.weight and abs(r.stated_full - c.weight) > 1e-9:
        yield (f"{c.label}：评分标准的满分是 {fmt_number(r.stated_full)} 分，分值是 {fmt_number(c.weight)} 分",
               "核对分值（indicators.csv 的 weight 列）或评分标准；不改时计分按分值折算")
