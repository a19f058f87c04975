"""Time progress (时间进度) and budget execution progress (预算执行进度): the 双监控 check.

Pure functions. ``time_progress(through, basis)`` measures how much of the year lies behind the
monitoring date: ``days`` counts calendar days (1 January to ``through`` inclusive, over 365 or
366), ``months`` counts complete months over 12 (a month counts once its last day is reached, so
``2024-02-29`` is two months and ``2023-07-15`` is six). ``budget_check`` compares a project's
execution progress (1–N月执行数 ÷ 全年预算数) with it.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date

from scoring.findings import ScoreError
from scoring.language.expressions import read_date
from scoring.language.numerals import fmt_number
from scoring.results import TimeProgress, is_month_end, month_end
from scoring.rubric.sections.monitor import MonitorSettings
from scoring.vocab import UNFILLED, WarningLevel

_YEAR_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def parse_through(text: object, year: int, where: str = "--through") -> tuple[date, tuple[str, ...]]:
    """The monitoring date as the user wrote it (``2023-07-31``, ``2023年7月31日``, ``2023-07`` = that
    month's last day, recorded as an assumption). It must lie in ``year``."""
    if isinstance(text, date):
        d, assumptions = text, ()
    else:
        s = str(text or "").strip()
        d, assumptions = read_date(s), ()
        if d is None and (m := _YEAR_MONTH.match(s)) and 1 <= int(m.group(2)) <= 12:
            d = month_end(date(int(m.group(1)), int(m.group(2)), 1))
            assumptions = (f"监控截止日期“{s}”按该月最后一天 {d.isoformat()} 理解",)
        if d is None:
            raise ScoreError(f"“{s}”不是日期", where=where, hint=f"请写成 {year}-07-31 这样的日期（年-月-日）")
    if d.year != year:
        raise ScoreError(f"监控截止日期 {d.isoformat()} 不在 {year} 年内", where=where,
                         hint=f"监控的是 {year} 年的绩效目标，请给出 {year} 年内的日期，例如 {year}-07-31")
    return d, assumptions


def time_progress(through: date, basis: str = "days") -> TimeProgress:
    if basis == "days":
        elapsed = (through - date(through.year, 1, 1)).days + 1
        return TimeProgress(through, basis, float(elapsed), float(days_in_year(through.year)))
    if basis == "months":
        months = through.month if is_month_end(through) else through.month - 1
        return TimeProgress(through, basis, float(months), 12.0)
    raise ValueError(f"unknown time basis {basis!r}")


_SEVERITY = {w: i for i, w in enumerate(WarningLevel)}  # in rising order


def worst(levels: list[str] | tuple[str, ...]) -> str:
    """The most severe of some warning levels (正常 when there are none; :data:`UNFILLED` is no level)."""
    return max((x for x in levels if x != UNFILLED), key=_SEVERITY.__getitem__, default=WarningLevel.NORMAL)


@dataclass(frozen=True)
class BudgetCheck:
    """One project's 双监控: execution progress against time progress, and the warning it gives."""

    rate: float  # 1–N月执行数 ÷ 全年预算数, a fraction; NaN when not computable
    gap: float  # time progress − execution progress, in percentage points (positive: behind); NaN
    projected_rate: float  # 全年预计执行数 ÷ 全年预算数, NaN when not given
    warning: str
    reasons: tuple[str, ...]


def budget_check(spent: float, budget: float, expected: float, tp: TimeProgress, s: MonitorSettings,
                 reason_below: float = 90) -> BudgetCheck:
    """The 双监控 of one project. ``spent``: 1–N月执行数; ``budget``: 全年预算数 (A); ``expected``:
    全年预计执行数 (NaN when the unit gave none); ``reason_below``: the profile's 执行率 below which a
    year-end 偏差原因 is required (a projection below it is 关注)."""
    if not (budget > 0 and math.isfinite(budget)):
        return BudgetCheck(math.nan, math.nan, math.nan, WarningLevel.ATTENTION, ("预算执行进度无法计算：全年预算数缺失或为 0",))
    if not math.isfinite(spent):
        return BudgetCheck(math.nan, math.nan, math.nan, UNFILLED, (f"{tp.label}执行数未填写，预算执行进度无法计算",))
    rate = spent / budget
    gap = tp.percent - rate * 100
    reasons: list[str] = []
    level = WarningLevel.NORMAL
    said = (f"执行进度 {rate:.2%}（{fmt_number(round(spent, 2))} ÷ {fmt_number(round(budget, 2))}），"
            f"时间进度 {tp.percent:.2f}%")
    if gap > s.budget_alert_gap:
        level = WarningLevel.ALERT
        reasons.append(f"{said}，落后 {gap:.2f} 个百分点（超过 {fmt_number(s.budget_alert_gap)} 个百分点：预警）")
    elif gap > s.budget_attention_gap:
        level = WarningLevel.ATTENTION
        reasons.append(f"{said}，落后 {gap:.2f} 个百分点（超过 {fmt_number(s.budget_attention_gap)} 个百分点：关注）")
    projected = expected / budget if math.isfinite(expected) else math.nan
    if math.isfinite(projected) and projected * 100 < reason_below:
        level = worst([level, WarningLevel.ATTENTION])
        reasons.append(f"全年预计执行率 {projected:.2%} 低于 {fmt_number(reason_below)}%")
    return BudgetCheck(rate, gap, projected, level, tuple(reasons))
