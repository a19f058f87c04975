"""Each kind of target projected to year end (全年预计).

Pure functions. The unit's own 全年预计 wins when it can be read; otherwise the projection is
computed from the value so far (1–N月实际完成值) by the target's *accrual*:

- ``cumulative`` (counts of 次/人次/场/篇…, amounts of money, progress rates such as 预算执行率):
  linear in time, value so far ÷ time progress;
- ``level`` (percentages, 满意度, durations, rates per day, areas…): the value so far;
- ``deadline``: the completion date (done, or planned), or "not yet done";
- ``directional``: the change against last year so far;
- ``qualitative``: the verdict so far, or "under way".

Which accrual a quantitative target has is decided by ``rules/language/monitor.yaml``, and every
such decision is written into the projection's assumptions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from scoring.actuals.values import Reading, read_actual
from scoring.language import units
from scoring.language.comparator import Comparator
from scoring.language.lexicon import Lexicon
from scoring.language.numerals import fmt_number
from scoring.monitor.progress import TimeProgress
from scoring.monitor.words import MonitorWords, in_progress, monitor_words
from scoring.vocab import NUMERIC, WORDED, TargetKind, Verdict

_AS_KIND = (TargetKind.DEADLINE, TargetKind.DIRECTIONAL, TargetKind.QUALITATIVE, TargetKind.INVALID)
ACCRUAL_NAME = {"cumulative": "累计", "level": "水平", **{str(k): k.label for k in _AS_KIND}}  # a kind accrues as itself
ACCRUALS = tuple(ACCRUAL_NAME)
SOURCES = ("单位预计", "线性推算", "当前值", "无")


def _is_cumulative_unit(unit: str, words: MonitorWords) -> bool:
    if not unit or "/" in unit:
        return False
    dims = units.dimensions(unit)
    if len(dims) == 1 and dims[0].startswith("[count_"):
        return True
    return any(units.compatible(unit, u) for u in words.cumulative_units)


def accrual(c: Comparator, indicator: str | None = None, words: MonitorWords | None = None) -> tuple[str, str]:
    """How the target accrues over the year, and why (a Chinese sentence; ``""`` for the kinds that
    need no decision)."""
    if c.kind not in NUMERIC:
        return c.kind, ""
    w = words or monitor_words()
    name = indicator or c.indicator or ""
    unit = c.unit
    if hit := next((x for x in w.progress_words if x in name), None):
        return "cumulative", f"指标名称含“{hit}”，是进度类指标，按时间进度线性推算"
    if units.is_percent(unit):
        return "level", "百分比指标是水平值，以截至目前的数值作为全年预计"
    if "/" in unit:
        return "level", f"速率（{unit}）是水平值，以截至目前的数值作为全年预计"
    if hit := next((x for x in w.level_words if x in name), None):
        return "level", f"指标名称含“{hit}”，是水平值，以截至目前的数值作为全年预计"
    if _is_cumulative_unit(unit, w):
        return "cumulative", f"以“{unit}”计的量按年累计，按时间进度线性推算"
    return "level", f"以“{unit or '无单位'}”计的量按水平值，以截至目前的数值作为全年预计"


def read_value(raw: object, c: Comparator, is_percent: bool = False, year: int | None = None,
               lexicon: Lexicon | None = None, words: MonitorWords | None = None, workday: float = 8.0) -> Reading:
    """One monitoring cell (1–N月实际完成值 or 全年预计完成值) read against its target. Deadlines and
    qualitative targets may say the work is under way (``推进中``): kind ``progress``. Everything
    else is :func:`scoring.actuals.values.read_actual`."""
    if c.kind in (TargetKind.DEADLINE, TargetKind.QUALITATIVE) and isinstance(raw, str):
        word = in_progress(raw, words)
        if word is not None:
            return Reading("progress", text="尚未完成（推进中）",
                           assumptions=(f"“{raw.strip()}”含“{word}”，按尚未完成、仍在推进理解",))
    return read_actual(raw, c, is_percent, year, lexicon, workday=workday)


@dataclass(frozen=True)
class Projection:
    """The year-end value a target is heading for.

    ``number``: in the target's unit (quantitative, range) or the growth rate in % (directional);
    ``date``: a deadline's completion date (``done``: already completed by the monitoring date, or
    planned); ``verdict``: 达成/部分达成/未达成, or None with ``pending`` for work under way;
    ``sign``: the direction of a change; ``text``: how it was obtained, for the report.
    """

    accrual: str
    source: str
    number: float | None = None
    date: str | None = None
    done: bool = False
    verdict: str | None = None
    pending: bool = False
    sign: int = 0
    text: str = ""
    assumptions: tuple[str, ...] = ()
    reason: str | None = None  # when there is no projection (source 无)

    @property
    def usable(self) -> bool:
        return self.source != "无"


def _usable(r: Reading | None) -> bool:
    return r is not None and r.kind not in ("missing", "unreadable")


def project(c: Comparator, current: Reading, expected: Reading | None, tp: TimeProgress,
            accrual_kind: str, why: str = "") -> Projection:
    """The projection of one indicator (see the module docstring). ``current``: the reading of the
    1–N月实际完成值; ``expected``: of the unit's 全年预计完成值 (None or missing: not given)."""
    if c.kind == TargetKind.INVALID:
        return Projection("invalid", "无", reason=f"指标值无效：{c.reason}")
    if _usable(expected):
        return _from_expected(c, expected, current, accrual_kind, tp)
    if not _usable(current):
        return Projection(accrual_kind, "无", reason=current.reason or "未填写实际完成值")
    return _from_current(c, current, tp, accrual_kind, why)


def _unit(c: Comparator) -> str:
    return f" {c.unit}" if c.unit and not units.is_percent(c.unit) else c.unit


def quantity_text(x: float, c: Comparator) -> str:
    """A number in the target's unit as the report writes it: ``93%``, ``4.33 次``."""
    return f"{fmt_number(round(x, 2))}{_unit(c)}"


def _from_expected(c: Comparator, e: Reading, current: Reading, acc: str, tp: TimeProgress) -> Projection:
    base = dict(accrual=acc, source="单位预计", assumptions=e.assumptions)
    text = f"单位填报的全年预计：{e.text}"
    if e.kind == "number" and c.kind in NUMERIC:
        notes = ()
        if acc == "cumulative" and current.kind == "number" and current.number > e.number + 1e-9:
            notes = (f"全年预计 {fmt_number(e.number)}{_unit(c)} 小于{tp.label}已完成的 "
                     f"{fmt_number(current.number)}{_unit(c)}（累计数不会减少），请核对",)
        return Projection(**base | {"assumptions": e.assumptions + notes}, number=e.number, text=text)
    if e.kind == "date" and c.kind == TargetKind.DEADLINE:
        done = date.fromisoformat(e.date) <= tp.through
        return Projection(**base, date=e.date, done=done, text=text)
    if e.kind == "growth" and c.kind == TargetKind.DIRECTIONAL:
        return Projection(**base, number=e.number, sign=e.sign, text=text)
    if e.kind == "verdict" and c.kind in WORDED:
        return Projection(**base, verdict=e.verdict, done=e.verdict == Verdict.MET and c.kind == TargetKind.DEADLINE, text=text)
    if e.kind == "progress":
        return Projection(**base, pending=True, text=text)
    return Projection(acc, "无", reason=f"全年预计“{e.text}”与指标值的类型不符")


def _from_current(c: Comparator, r: Reading, tp: TimeProgress, acc: str, why: str) -> Projection:
    so_far = f"{tp.label}：{r.text}"
    if c.kind in NUMERIC:
        if r.kind != "number":
            return Projection(acc, "无", reason=f"{tp.label}实际完成值“{r.text}”不是数值，无法推算")
        if acc == "cumulative":
            if tp.fraction <= 0:
                return Projection(acc, "无", reason="时间进度为 0，无法按进度推算")
            p = r.number / tp.fraction
            text = (f"按时间进度线性推算：{fmt_number(r.number)} ÷ {tp.percent:.2f}% ≈ "
                    f"{fmt_number(round(p, 2))}{_unit(c)}")
            return Projection(acc, "线性推算", number=p, text=text, assumptions=(*r.assumptions, why, text))
        text = f"以{tp.label}的 {quantity_text(r.number, c)} 作为全年预计"
        return Projection(acc, "当前值", number=r.number, text=text, assumptions=(*r.assumptions, why))
    if c.kind == TargetKind.DEADLINE:
        if r.kind == "date":
            done = date.fromisoformat(r.date) <= tp.through
            text = f"已于 {r.date} 完成" if done else f"计划于 {r.date} 完成"
            return Projection(acc, "当前值", date=r.date, done=done, text=text, assumptions=r.assumptions)
        if r.kind == "verdict" and r.verdict == Verdict.MET:
            return Projection(acc, "当前值", verdict=Verdict.MET, done=True, text=f"{so_far}（已完成，未写日期）",
                              assumptions=r.assumptions)
        text = so_far if r.kind == "progress" else f"{so_far}（尚未完成）"
        return Projection(acc, "当前值", pending=True, text=text, assumptions=r.assumptions)
    if r.kind == "progress":
        return Projection(acc, "当前值", pending=True, text=so_far, assumptions=r.assumptions)
    if c.kind == TargetKind.DIRECTIONAL and r.kind == "growth":
        return Projection(acc, "当前值", number=r.number, sign=r.sign, text=so_far, assumptions=r.assumptions)
    if r.kind == "verdict":
        return Projection(acc, "当前值", verdict=r.verdict, text=so_far, assumptions=r.assumptions)
    what = "较上年的变化" if c.kind == TargetKind.DIRECTIONAL else "是否达成"
    return Projection(acc, "无", reason=f"{tp.label}实际完成值“{r.text}”读不出{what}")


def completion_progress(c: Comparator, current: Reading, accrual_kind: str) -> float:
    """How far a cumulative 正向 target is done so far, in % of the annual value (NaN otherwise):
    the figure compared with time progress."""
    if (accrual_kind != "cumulative" or current.kind != "number" or c.kind != TargetKind.QUANTITATIVE
            or c.op not in (">=", ">", "==") or not c.value or c.value <= 0):
        return math.nan
    return current.number / c.value * 100
