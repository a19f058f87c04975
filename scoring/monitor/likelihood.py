"""完成目标可能性 computed from a projection, set against the unit's own choice, and the warning
levels (正常 / 关注 / 预警) of an indicator and of a project.

Pure functions; every result carries its reason in Chinese so that the report can say *why*.

- A projection that meets the target → 确定能; one that reaches at least ``possible_from`` % of
  it → 有可能; below → 不可能. Facts override projections: a cumulative count already at its
  target is 确定能, one already past an upper bound is 不可能 (counts do not fall); a deadline
  already passed with the work unfinished is 不可能.
- An indicator's warning is the worse of the computed likelihood and the unit's own choice
  (确定能 → 正常, 有可能 → 关注, 不可能 → 预警) — except that work merely under way (a deadline not yet
  due, a qualitative target 按计划推进) takes the unit's choice when there is one; a cumulative indicator lagging time progress by
  more than ``lag_attention`` points is at least 关注; one that cannot be assessed is 关注.
- A project's warning is the worse of its 双监控 budget check and its indicators' warnings,
  counted against ``alert_from`` / ``attention_from``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from scoring.actuals.values import Reading
from scoring.language.comparator import Comparator
from scoring.language.numerals import fmt_number
from scoring.language.units import close
from scoring.monitor.progress import BudgetCheck, TimeProgress, worst
from scoring.monitor.projection import Projection, quantity_text
from scoring.rubric.sections.monitor import MonitorSettings
from scoring.vocab import NUMERIC, UNFILLED, Likelihood, TargetKind, WarningLevel


@dataclass(frozen=True)
class Assessment:
    level: Likelihood | None  # None: cannot be assessed
    reason: str
    degree: float = math.nan  # projected degree of completion, % of the target (quantitative, range)
    firm: bool = True  # False: 有可能 only because the work is under way (no figure says otherwise)


def completion(c: Comparator, p: float) -> tuple[bool, float]:
    """Whether ``p`` meets the target, and the degree of completion in %, as the rubric's default
    formulas: p/A for 正向 targets (not capped, so over-achievement shows), A/p above an upper bound,
    p/L and H/p outside a range, 100 when an upper bound or a range is met."""
    a, h = c.value, c.high
    if c.kind == TargetKind.RANGE:
        lo_ok = p > a if c.strict_low else p >= a or close(p, a)
        hi_ok = p < h if c.strict_high else p <= h or close(p, h)
        if lo_ok and hi_ok:
            return True, 100.0
        if not lo_ok:
            return False, 100.0 if close(p, a) else (p / a * 100 if a > 0 else 0.0)
        return False, 100.0 if close(p, h) else (h / p * 100 if p > 0 else 0.0)
    op = c.op
    if op in (">=", ">", "=="):
        met = (p > a and not close(p, a)) if op == ">" else (p >= a or close(p, a))
        return met, (p / a * 100 if a > 0 else 100.0) if not (op == "==" and p > a) else 100.0
    # <=, <
    met = (p < a and not close(p, a)) if op == "<" else (p <= a or close(p, a))
    if met or close(p, a):
        return met, 100.0
    return False, a / p * 100 if a > 0 else 0.0


def assess(c: Comparator, proj: Projection, current: Reading, tp: TimeProgress, s: MonitorSettings) -> Assessment:
    """The computed 完成目标可能性 of one indicator, with its reason."""
    if not proj.usable:
        return Assessment(None, f"无法测算：{proj.reason}")
    if c.kind in NUMERIC:
        return _quantitative(c, proj, current, tp, s)
    if c.kind == TargetKind.DEADLINE:
        return _deadline(c, proj, tp)
    if proj.verdict is not None:
        level = Likelihood.of_verdict(proj.verdict)
        return Assessment(level, f"{proj.text}：{proj.verdict} → {level}")
    if proj.pending:
        return Assessment(Likelihood.POSSIBLE, f"{proj.text}：尚未完成，仍在推进 → 有可能", firm=False)
    if c.kind == TargetKind.DIRECTIONAL:
        want = 1 if c.op == "increase" else -1
        word = "增长" if want > 0 else "下降"
        if proj.sign == want:
            return Assessment(Likelihood.CERTAIN, f"{proj.text}：方向符合目标（{word}）→ 确定能")
        if proj.sign == 0:
            return Assessment(Likelihood.POSSIBLE, f"{proj.text}：与上年持平，目标要求{word} → 有可能")
        return Assessment(Likelihood.IMPOSSIBLE, f"{proj.text}：方向与目标（{word}）相反 → 不可能")
    return Assessment(None, "无法测算：读不出预计结果")


def _quantitative(c: Comparator, proj: Projection, current: Reading, tp: TimeProgress,
                  s: MonitorSettings) -> Assessment:
    cum = proj.accrual == "cumulative" and current.kind == "number" and c.kind == TargetKind.QUANTITATIVE
    target = c.reading()
    if cum and c.op in (">=", ">") and completion(c, current.number)[0]:
        return Assessment(Likelihood.CERTAIN, f"{tp.label}已完成 {quantity_text(current.number, c)}，已达到目标 {target} → 确定能", 100.0)
    if cum and c.op in ("<=", "<", "==") and not completion(c, current.number)[0] and current.number > c.value:
        return Assessment(Likelihood.IMPOSSIBLE, f"{tp.label}已达 {quantity_text(current.number, c)}，超过目标 {target}（累计数不会减少）→ 不可能",
                          c.value / current.number * 100 if c.value > 0 else 0.0)
    met, degree = completion(c, proj.number)
    said = f"预计全年 {quantity_text(proj.number, c)}（{proj.source}）"
    if met:
        return Assessment(Likelihood.CERTAIN, f"{said}，达到目标 {target} → 确定能", degree)
    edge = "，恰好等于目标值而目标不含本数" if degree == 100.0 else ""
    if degree >= s.possible_from:
        return Assessment(Likelihood.POSSIBLE, f"{said}，为目标 {target} 的 {degree:.2f}%{edge}（不低于 "
                          f"{fmt_number(s.possible_from)}%）→ 有可能", degree)
    pace = _pace(c, current, tp) if cum else ""
    return Assessment(Likelihood.IMPOSSIBLE, f"{said}，仅为目标 {target} 的 {degree:.2f}%（低于 {fmt_number(s.possible_from)}%）"
                      f"{pace} → 不可能", degree)


def _pace(c: Comparator, current: Reading, tp: TimeProgress) -> str:
    """What the rest of the year would need per month, against the pace so far (正向 cumulative)."""
    if c.op not in (">=", ">", "==") or not 0 < tp.fraction < 1:
        return ""
    left = c.value - current.number
    months_left, months_done = (1 - tp.fraction) * 12, tp.fraction * 12
    return (f"；余下约 {fmt_number(round(months_left, 1))} 个月需完成 {quantity_text(left, c)}（每月约 "
            f"{quantity_text(left / months_left, c)}，此前每月约 {quantity_text(current.number / months_done, c)}）")


def _deadline(c: Comparator, proj: Projection, tp: TimeProgress) -> Assessment:
    due = _due(c, tp.year)
    if due is None:
        return Assessment(None, f"无法测算：时限“{c.text}”没有具体日期")
    if proj.date is not None:
        d = date.fromisoformat(proj.date)
        if d <= due:
            return Assessment(Likelihood.CERTAIN, f"{proj.text}，不晚于时限 {due.isoformat()} → 确定能")
        return Assessment(Likelihood.IMPOSSIBLE, f"{proj.text}，晚于时限 {due.isoformat()} → 不可能")
    if proj.done:
        return Assessment(Likelihood.CERTAIN, f"{proj.text} → 确定能")
    if due < tp.through:
        return Assessment(Likelihood.IMPOSSIBLE, f"{proj.text}，时限 {due.isoformat()} 已过 → 不可能")
    left = (due - tp.through).days
    return Assessment(Likelihood.POSSIBLE, f"{proj.text}，距时限 {due.isoformat()} 还有 {left} 天 → 有可能", firm=not proj.pending)


def _due(c: Comparator, year: int) -> date | None:
    if not c.date:
        return None
    text = f"{year}{c.date[1:]}" if c.date.startswith("--") else c.date
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Warning:
    level: str  # a WarningLevel, or UNFILLED
    reasons: tuple[str, ...]


def indicator_warning(computed: Assessment, choice: str | None, lag: float, tp: TimeProgress,
                      s: MonitorSettings) -> Warning:
    """The warning of one indicator. ``choice``: the unit's 完成目标可能性 (None or ``""``: not
    given); ``lag``: time progress minus completion progress in points (NaN when not cumulative)."""
    levels, reasons = [], []
    if computed.level is None:
        levels.append(WarningLevel.ATTENTION)
        reasons.append(computed.reason)
    elif not computed.firm and choice:
        pass  # work under way and nothing against it: the unit's own judgement decides
    else:
        levels.append(computed.level.warning)
        if computed.level != Likelihood.CERTAIN:
            reasons.append(f"测算：{computed.reason}")
    if choice:
        levels.append(Likelihood(choice).warning)
        if computed.level is not None and choice != computed.level:
            reasons.append(f"单位判断“{choice}”，测算为“{computed.level}”")
        elif choice != Likelihood.CERTAIN and computed.level is None:
            reasons.append(f"单位判断“{choice}”")
    if math.isfinite(lag) and lag > s.lag_attention:
        levels.append(WarningLevel.ATTENTION)
        reasons.append(f"完成进度 {tp.percent - lag:.2f}% 落后时间进度 {tp.percent:.2f}% {lag:.2f} 个百分点"
                       f"（超过 {fmt_number(s.lag_attention)} 个百分点）")
    return Warning(worst(levels), tuple(reasons))


def project_warning(budget: BudgetCheck, indicator_levels: list[str], s: MonitorSettings) -> Warning:
    """The warning of one project: its budget check and how many of its indicators are 预警 / 关注;
    :data:`UNFILLED` when nothing of it was filled in (its budget and every indicator)."""
    alerts = sum(1 for x in indicator_levels if x == WarningLevel.ALERT)
    attention = sum(1 for x in indicator_levels if x in (WarningLevel.ATTENTION, WarningLevel.ALERT))
    unfilled = sum(1 for x in indicator_levels if x == UNFILLED)
    if budget.warning == UNFILLED and unfilled == len(indicator_levels):
        return Warning(UNFILLED, (*budget.reasons, f"{unfilled} 个指标未填报"))
    levels, reasons = [budget.warning], list(budget.reasons)
    if unfilled:
        reasons.append(f"{unfilled} 个指标未填报")
    if alerts >= s.project_alert_from:
        levels.append(WarningLevel.ALERT)
        reasons.append(f"{alerts} 个指标预警")
    elif attention >= s.project_attention_from:
        levels.append(WarningLevel.ATTENTION)
        reasons.append(f"{attention} 个指标需关注")
    return Warning(worst(levels), tuple(reasons))
