"""The monitoring job: a year's targets + the monitoring workbook + a profile → per indicator the
projection, the computed and the chosen 完成目标可能性 and the warning; per project the 双监控
budget check and the warning. The projections are also scored by the rubric engine, so the
result has the shape of ``score YEAR`` (a projected year-end score) plus the monitoring fields.
"""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.files import sha256_of
from scoring.findings import ERROR, WARNING, Finding, place
from scoring.language.expressions import parse
from scoring.language.numerals import fmt_number
from scoring.monitor.form_reader import SHEET_INDICATORS, MonitorInput, read_monitor_workbook
from scoring.monitor.likelihood import Warning, assess, indicator_warning, project_warning
from scoring.monitor.progress import budget_check, time_progress
from scoring.monitor.projection import (
    ACCRUAL_NAME,
    Projection,
    accrual,
    completion_progress,
    project,
    read_value,
)
from scoring.monitor.words import read_choice
from scoring.pipeline import display_actual, percent_ids, profile_name
from scoring.results import MonitorResult, TimeProgress
from scoring.rubric.engine import Scored, score_indicators
from scoring.rubric.inputs import engine_input
from scoring.rubric.profile import Profile
from scoring.rubric.profile_file import load_profile
from scoring.targets.model import Targets
from scoring.targets.names import CODE as SAME_NAME
from scoring.targets.store import load_targets
from scoring.vocab import NUMERIC, UNFILLED, Likelihood, TargetKind, Verdict, WarningLevel

UNFILLED_CODE = "monitor-unfilled"  # an indicator with nothing filled in (the terminal counts them on one line)
PENDING_MET = "尚未完成、仍在推进：预计得分按如期完成计算"
PENDING_LATE = "尚未完成且时限已过：预计得分按未达成计算"


def _engine_value(c, p: Projection, level: str | None) -> tuple[object, tuple[str, ...]]:
    """A projection written as an actual value the rubric engine reads (None: nothing to score),
    with the assumption that writing made."""
    if not p.usable:
        return None, ()
    if p.pending:
        return (Verdict.NOT_MET, (PENDING_LATE,)) if level == Likelihood.IMPOSSIBLE else (Verdict.MET, (PENDING_MET,))
    return _engine_text(c, p), ()


def _engine_text(c, p: Projection) -> object:
    if p.number is not None and c.kind in NUMERIC:
        return f"{fmt_number(round(p.number, 6))}{c.unit}" if c.unit else float(p.number)
    if p.date is not None:
        return date.fromisoformat(p.date)
    if p.number is not None and c.kind == TargetKind.DIRECTIONAL:
        return "与上年持平" if p.number == 0 else f"{'增长' if p.number > 0 else '下降'}{fmt_number(abs(round(p.number, 6)))}%"
    if p.verdict is not None:
        return p.verdict
    if c.kind == TargetKind.DIRECTIONAL and p.sign:
        return "增长" if p.sign > 0 else "下降"
    return None


@lru_cache(maxsize=65536)
def _accrual(c, indicator: str) -> tuple[str, str]:
    return accrual(c, indicator)


def _indicator_rows(targets: Targets, inp: MonitorInput, profile: Profile, tp: TimeProgress,
                    problems: list[Finding]) -> pd.DataFrame:
    s, year, lex = profile.monitor, tp.year, profile.lexicon
    vals = {r["id"]: r for r in inp.values.to_dict("records")}  # plain dicts: pandas row access is slow
    rows = []
    for t in targets.indicators.itertuples(index=False):
        c = parse(t.annual_value, t.level3, year, lex)
        acc, why = _accrual(c, t.level3)
        v = vals.get(t.id)
        if v is None:
            problems.append(Finding(place(inp.label, SHEET_INDICATORS, f"（缺少指标编号 {t.id} 的行）"),
                                    "工作簿中没有这个指标的行，无法监控", ERROR, "请按模板补上这一行", t.id))
        raw_cur = None if v is None else v["current"]
        raw_exp = None if v is None else v["expected"]
        cur = read_value(raw_cur, c, False if v is None else bool(v["current_is_percent"]), year, lex,
                         workday=profile.workday_hours)
        exp = read_value(raw_exp, c, False if v is None else bool(v["expected_is_percent"]), year, lex,
                         workday=profile.workday_hours)
        if v is not None and cur.kind == "unreadable":
            problems.append(Finding(v["cell"], f"{t.level3}：{cur.reason}", ERROR, "请按“填报说明”改写", t.id))
        if v is not None and exp.kind == "unreadable":
            problems.append(Finding(v["cell_expected"], f"{t.level3}：全年预计完成值读不出（{exp.reason}），改用测算",
                                    WARNING, "请按“填报说明”改写，或留空由程序推算", t.id))
        choice = read_choice(None if v is None else v["choice"])
        if choice is None:
            problems.append(Finding(v["cell_choice"], f"读不出完成目标可能性“{v['choice']}”", ERROR,
                                    f"请从下拉中选择 {'、'.join(Likelihood)}", t.id))
        proj = project(c, cur, exp, tp, acc, why)
        lk = assess(c, proj, cur, tp, s)
        progress = completion_progress(c, cur, acc)
        warn = indicator_warning(lk, choice, tp.percent - progress, tp, s)
        if v is not None and cur.kind == exp.kind == "missing" and not choice:  # nothing filled in: no warning
            warn = Warning(UNFILLED, (f"{tp.label}实际完成值、全年预计完成值和完成目标可能性都未填写",))
            problems.append(Finding(v["cell"], f"{t.level3}：{tp.label}实际完成值未填写，无法监控", ERROR,
                                    "请填写截至监控日期的实际完成值（还没有进展的填 0），或填写全年预计完成值和完成目标可能性",
                                    t.id, UNFILLED_CODE))
        value, value_note = _engine_value(c, proj, lk.level)
        rows.append({
            "id": t.id, "accrual": ACCRUAL_NAME[acc], "current_display": display_actual(raw_cur, cur.kind == "number"
                                                                                        and v is not None and bool(v["current_is_percent"])),
            "expected_display": display_actual(raw_exp, v is not None and bool(v["expected_is_percent"])),
            "projection": proj.text if proj.usable else f"无法预计：{proj.reason}", "projection_source": proj.source,
            "progress": progress, "likelihood": choice or None, "computed_likelihood": lk.level,
            "likelihood_reason": lk.reason, "degree": lk.degree, "warning": warn.level, "warning_reasons": warn.reasons,
            "monitor_assumptions": tuple(a for a in proj.assumptions if a) + value_note,
            "actual": value, "reason_text": "" if v is None else v["reason_text"],
            "measures": "" if v is None else v["measures"], "cell": "" if v is None else v["cell"],
            "no_projection": not proj.usable,
        })
    return pd.DataFrame(rows)


def _budget_rows(targets: Targets, inp: MonitorInput, profile: Profile, tp: TimeProgress,
                 problems: list[Finding]) -> pd.DataFrame:
    b = {r["project"]: r for r in inp.budgets.to_dict("records")}
    out = []
    for name, fallback in zip(targets.projects["project"], targets.projects["budget"], strict=True):
        row = b.get(name)
        if row is None:
            problems.append(Finding(place(inp.label, "预算执行"), f"没有项目“{name}”的预算执行数据", ERROR,
                                    "请在“预算执行”表中补上这个项目的一行"))
        initial, full, spent, expected = (math.nan if row is None else float(row[k])
                                          for k in ("initial_budget", "full_budget", "spent", "expected"))
        if row is not None and row["spent_blank"]:
            problems.append(Finding(row["cell_spent"], f"{tp.label}执行数未填写，无法计算预算执行进度", ERROR,
                                    "请填写截至监控日期的实际支出（元），没有支出请填 0"))
        notes = []
        if math.isnan(initial):
            initial = float(fallback)
        if math.isnan(full) and not math.isnan(initial):
            full = initial
            notes.append(f"全年预算数未填写，按年初预算数 {fmt_number(initial)} 元计算")
        check = budget_check(spent, full, expected, tp, profile.monitor, profile.reason_below)
        if math.isnan(expected) and not math.isnan(spent) and tp.fraction > 0:
            projected = spent / tp.fraction
            notes.append(f"全年预计执行数未填写，按时间进度线性推算：{fmt_number(round(spent, 2))} ÷ {tp.percent:.2f}% ≈ "
                         f"{fmt_number(round(projected, 2))} 元")
        else:
            projected = expected
        out.append({"project": name, "initial_budget": initial, "full_budget": full, "spent_so_far": spent,
                    "expected_spending": expected, "spent": projected, "budget_rate": check.rate,
                    "budget_gap": check.gap, "budget_projected_rate": check.projected_rate,
                    "budget_warning": check.warning, "budget_reasons": check.reasons, "budget_notes": tuple(notes),
                    "budget_check": check,
                    "reason_text": "" if row is None else row["reason_text"],
                    "measures": "" if row is None else row["measures"], "budget_cell": "" if row is None else row["cell"]})
    return pd.DataFrame(out)


def run_monitor(year: int, through: date, *, targets_dir: str | Path, actuals_path: str | Path,
                rules: str | Path | None = None, actuals_label: str | None = None,
                through_assumptions: tuple[str, ...] = ()) -> MonitorResult:
    """Read, project, assess, warn (and score the projections)."""
    targets = load_targets(targets_dir)
    profile = load_profile(rules)
    tp = time_progress(through, profile.monitor.time_basis)
    label = actuals_label or str(actuals_path)
    inp = read_monitor_workbook(actuals_path, label=label, percent_ids=percent_ids(targets, year, profile.lexicon))
    problems = list(inp.problems)
    if inp.periods and tp.label not in inp.periods:
        problems.append(Finding(place(label, SHEET_INDICATORS), f"工作簿的列是“{'、'.join(sorted(inp.periods))}”的数，"
                                f"而监控截止日期 {through.isoformat()} 对应“{tp.label}”", WARNING,
                                "请确认 --through 与工作簿的填报期间一致"))
    known = set(targets.indicators["id"])
    for ident, cell in zip(inp.values["id"], inp.values["cell"], strict=True):
        if ident not in known:
            problems.append(Finding(cell, f"未知的指标编号“{ident}”：目标表中没有这个指标，未计入", WARNING,
                                    "请确认是否用了其他年度或其他单位的模板", ident))
    names = set(targets.projects["project"])
    for name, cell in zip(inp.budgets["project"], inp.budgets["cell"], strict=True):
        if name not in names:
            problems.append(Finding(cell, f"未知的项目“{name}”：目标表中没有这个项目，未计入", WARNING))
    problems += [p for p in targets.problems if p.code == SAME_NAME]  # told apart at loading (scoring.targets.names)
    mon = _indicator_rows(targets, inp, profile, tp, problems)
    budgets = _budget_rows(targets, inp, profile, tp, problems)
    scored = _score(targets, mon, budgets, profile, year)
    _project_warnings(scored, budgets, profile)
    problems += _missing_reasons(scored)
    inputs = [{"path": label, "sha256": sha256_of(actuals_path)}]
    for f in sorted(Path(targets_dir).glob("*")):
        if f.is_file() and f.suffix in (".yaml", ".csv"):
            inputs.append({"path": str(Path(targets_dir) / f.name), "sha256": sha256_of(f)})
    return MonitorResult(year=year, rules=profile_name(profile, rules), profile=profile, inputs=inputs, targets=targets,
                         scored=scored, problems=problems, actuals_label=label, time=tp, assumptions=through_assumptions)


def _score(targets: Targets, mon: pd.DataFrame, budgets: pd.DataFrame, profile: Profile, year: int) -> Scored:
    ind = targets.indicators
    own = {col: mon[col].to_numpy(dtype=object) if len(mon) else [] for col in mon.columns.drop("id")}
    engine = {col: own.pop(col) for col in ("actual", "reason_text", "cell")}
    df = engine_input(id=ind["id"].to_numpy(), project_id=ind["project_id"].to_numpy(), project=ind["project"].to_numpy(),
                      level1=ind["level1"].to_numpy(), level2=ind["level2"].to_numpy(), level3=ind["level3"].to_numpy(),
                      annual_value=ind["annual_value"].to_numpy(), weight=ind["weight"].to_numpy(dtype=float),
                      **engine, carry={**own, "actual_display": own["current_display"]})
    scored = score_indicators(df, budgets, profile, year)
    out = scored.indicators
    none = out["no_projection"].to_numpy(dtype=bool)
    expl = out["explanation"].to_numpy(dtype=object).copy()
    flags = out["flags"].to_numpy(dtype=object).copy()
    proj = out["projection"].to_numpy(dtype=object)
    for i in np.flatnonzero(none):
        expl[i] = f"尚无全年预计结果（{proj[i]}），暂不计分"
        flags[i] = ()
    out["explanation"] = expl
    out["flags"] = flags
    for col in ("likelihood", "computed_likelihood"):  # text or None (pandas may have made NaN of None)
        out[col] = pd.Series([x if isinstance(x, str) else None for x in out[col]], dtype=object, index=out.index)
    out["assumptions"] = [tuple(dict.fromkeys((*a, *m))) for a, m in zip(out["assumptions"], out["monitor_assumptions"],
                                                                        strict=True)]
    return scored


def _project_warnings(scored: Scored, budgets: pd.DataFrame, profile: Profile) -> None:
    """Each project's warning, and the monitoring columns of ``budgets`` joined onto the projects."""
    proj = scored.projects
    b = budgets.drop_duplicates("project").set_index("project").reindex(proj["project"])
    levels = scored.indicators.groupby("project")["warning"].agg(list)
    warnings = [project_warning(check, levels.get(name, []), profile.monitor)
                for name, check in zip(proj["project"], b["budget_check"], strict=True)]
    for col in b.columns.drop(["budget_check", "reason_text"]):
        if col not in proj.columns:
            proj[col] = b[col].to_numpy(dtype=object)
    proj["budget_reason_text"] = b["reason_text"].to_numpy(dtype=object)
    proj["warning"] = [w.level for w in warnings]
    proj["warning_reasons"] = [w.reasons for w in warnings]


def _missing_reasons(scored: Scored) -> list[Finding]:
    out = []
    ind = scored.indicators
    for r in ind[(ind["warning"] == WarningLevel.ALERT) & (ind["reason_text"].astype(str).str.strip() == "")].itertuples():
        out.append(Finding(r.cell or r.id, f"{r.level3}：{r.warning}，但没有填写偏差原因分析", WARNING,
                           "请在“偏差原因分析”和“拟采取的措施”两列说明", r.id))
    proj = scored.projects
    lag = proj[(proj["budget_warning"] != WarningLevel.NORMAL) & (proj["budget_reason_text"].astype(str).str.strip() == "")
               & proj["budget_rate"].astype(float).notna()]  # not computable: its own problem, listed above
    for r in lag.itertuples():
        out.append(Finding(r.budget_cell or f"{r.project} › 预算执行", f"预算执行{r.budget_warning}，但没有填写偏差原因分析",
                           WARNING, "请在“预算执行”表的“偏差原因分析”“拟采取的措施”两列说明"))
    return out
