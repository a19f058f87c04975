"""The rules about one project: its indicators as a whole, its weights, its period, budget and goal."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import numpy as np
import pandas as pd

from scoring.checks.rules import SATISFACTION_ROW as SAT
from scoring.checks.rules import Breach, Example, ProjectCase, rule
from scoring.findings import ERROR, WARNING
from scoring.language import levels
from scoring.language.normalize import squeeze
from scoring.targets.model import fmt_weight

# Indicator points of a project when the budget execution rate takes 10 (national default);
# tables that list 预算执行率 among their weighted indicators add up to 100.
INDICATOR_TOTALS = (90.0, 100.0)

COUNT = ("产出指标", "数量指标", "活动次数", "≥6次", "≥2次")
GOOD = Example((COUNT, SAT))


@rule("no_indicators", "project", ERROR, "项目没有任何指标", bad=Example(()), good=GOOD)
def no_indicators(c: ProjectCase) -> Iterator[Breach]:
    if not c.rows:
        yield f"{c.name}没有任何指标", None


@rule("no_satisfaction", "project", WARNING, "项目没有满意度指标（其分值将按规则分给产出和效益指标）",
      bad=Example((COUNT,)), good=GOOD)
def no_satisfaction(c: ProjectCase) -> Iterator[Breach]:
    if c.rows and levels.SATISFACTION not in {c.level1[i] for i in c.rows}:
        yield f"{c.name}没有满意度指标：按评分规则，满意度指标的分值将分给产出和效益指标", None


@rule("duplicate", "project", WARNING, "同一项目中三级指标重复出现",
      bad=Example((COUNT, ("效益指标", "社会效益指标", "活动次数", "≥6次", "≥2次"), SAT)), good=GOOD)
def duplicate(c: ProjectCase) -> Iterator[Breach]:
    seen: dict[str, list[int]] = defaultdict(list)
    for i in c.rows:
        seen[squeeze(c.level3[i])].append(i)
    for name, hits in seen.items():
        if name and len(hits) > 1:
            lines = "、".join(str(i + 2) for i in hits)
            yield (f"{c.name}中三级指标“{c.level3[hits[0]]}”重复出现（第{lines}行）",
                   "确认是否重复录入；重复的指标会各自计分", c.indicator_where(hits[0]))


def _given(c: ProjectCase) -> tuple[np.ndarray, float]:
    w = c.weight[c.rows]
    given = ~np.isnan(w)
    return given, float(w[given].sum())


@rule("weights_total", "project", ERROR, "指标分值合计不是 90（预算执行率另占 10 分）或 100，或已给出的分值已无余分可分",
      bad=Example((COUNT, SAT), weights=(50, 30)), good=Example((COUNT, SAT), weights=(80, 10)))
def weights_total(c: ProjectCase) -> Iterator[Breach]:
    given, total = _given(c)
    if not given.any():
        return
    if given.all() and not any(abs(total - x) < 1e-6 for x in INDICATOR_TOTALS):
        yield (f"{c.name}的指标分值合计 {fmt_weight(total)}，应为 {' 或 '.join(fmt_weight(x) for x in INDICATOR_TOTALS)}",
               "预算执行率另占 10 分时指标合计 90；表中含预算执行率指标时合计 100")
    elif not given.all() and total >= min(INDICATOR_TOTALS) - 1e-9:
        yield f"{c.name}已给出的指标分值合计 {fmt_weight(total)}，其余 {int((~given).sum())} 个指标已无分可分", None


@rule("weights_partial", "project", WARNING, "只有部分指标给出了分值（其余按默认规则分配剩余分值）",
      bad=Example((COUNT, SAT), weights=(40, None)), good=Example((COUNT, SAT), weights=(80, 10)))
def weights_partial(c: ProjectCase) -> Iterator[Breach]:
    given, total = _given(c)
    if given.any() and not given.all() and total < min(INDICATOR_TOTALS) - 1e-9:
        yield (f"{c.name}只有部分指标给出了分值（{int(given.sum())}/{len(c.rows)}），其余指标按默认规则分配剩余分值",
               None)


@rule("period_years", "project", WARNING, "实施周期不包含评价年度",
      bad=Example((COUNT, SAT), project=(("start_year", 2021), ("end_year", 2021))), good=GOOD)
def period_years(c: ProjectCase) -> Iterator[Breach]:
    p = c.project
    if c.rows and c.year is not None and not (pd.isna(p.start_year) or pd.isna(p.end_year)):
        s, e = int(p.start_year), int(p.end_year)
        if not s <= c.year <= e:
            yield f"{c.name}的实施周期是 {s}–{e} 年，不包含评价年度 {c.year}", "核对实施周期是否填错"


@rule("budget_missing", "project", WARNING, "没有当年预算金额",
      bad=Example((COUNT, SAT), project=(("budget", None),)), good=GOOD)
def budget_missing(c: ProjectCase) -> Iterator[Breach]:
    if c.rows and pd.isna(c.project.budget):
        yield f"{c.name}没有当年预算金额", None


@rule("budget_zero", "project", WARNING, "当年预算金额为 0 或负数",
      bad=Example((COUNT, SAT), project=(("budget", 0),)), good=GOOD)
def budget_zero(c: ProjectCase) -> Iterator[Breach]:
    if c.rows and not pd.isna(c.project.budget) and c.project.budget <= 0:
        yield f"{c.name}的当年预算金额是 {fmt_weight(c.project.budget)} 元", None


@rule("goal_missing", "project", WARNING, "没有年度绩效目标",
      bad=Example((COUNT, SAT), project=(("annual_goal", ""),)), good=GOOD)
def goal_missing(c: ProjectCase) -> Iterator[Breach]:
    if c.rows and not (c.project.annual_goal or "").strip():
        yield f"{c.name}没有年度绩效目标", None
