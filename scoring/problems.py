"""What an auditor must look at besides what the reader found: every indicator that could not be
judged, the missing 偏差原因 and 年度总体目标完成情况, a bare 满意 without a survey, weights that do not
add up, a 基数 that is not a number, said as what it cost. Pure functions over a scored run
(:func:`scoring.pipeline.run_year` calls them); each finding that costs no points carries one of the
:data:`COSTLESS` codes, which the terminal summarises instead of listing."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from scoring.actuals.workbook import BASELINE_UNREAD, SHEET_NARRATIVE
from scoring.findings import ERROR, WARNING, Finding, place
from scoring.frames import member
from scoring.language.numerals import fmt_number
from scoring.rubric.engine import Scored
from scoring.vocab import Verdict

# the codes of the findings that cost no points (the terminal summarises them)
REASON_MISSING = "reason-missing"  # an indicator lost points, with no 偏差原因分析
OVER_REASON_MISSING = "over-reason-missing"  # an indicator far over its target, with no 偏差原因分析
BUDGET_REASON_MISSING = "budget-reason-missing"  # 执行率 below the profile's line, with no 偏差原因
BASELINE_UNUSED = "baseline-unused"  # a 基数 that is not a number, on an indicator whose score does not use it
NO_SURVEY = "no-survey"  # a 满意度 indicator answered 满意 without a survey figure (scored as the profile says)
NARRATIVE_MISSING = "narrative-missing"  # a project's 年度总体目标完成情况 left blank
NO_NARRATIVE_SHEET = "no-narrative-sheet"  # a workbook without the 年度总体目标 sheet (an older template)
COSTLESS = (REASON_MISSING, OVER_REASON_MISSING, BUDGET_REASON_MISSING, BASELINE_UNUSED, NARRATIVE_MISSING,
            NO_NARRATIVE_SHEET)


def collect_problems(scored: Scored, join_problems: list[Finding], read_problems: list[Finding],
                     budgets: pd.DataFrame | None = None) -> list[Finding]:
    """Everything an auditor must look at, each with its place: input problems first, then every
    indicator that could not be judged, then missing 偏差原因 (which do not change scores)."""
    ind = scored.indicators
    out = settle_baselines(read_problems, ind, scored.profile.decimals) + list(join_problems)
    listed = {p.id for p in out if p.id}
    unknown = ind["verdict"].to_numpy(dtype=object) == Verdict.UNKNOWN
    missing_reason = ind["reason_missing"].to_numpy(dtype=bool) & ~unknown

    def column(name: str, rows: np.ndarray) -> list:
        return ind[name].to_numpy(dtype=object)[rows].tolist()

    rows = np.flatnonzero(unknown)
    rows = rows[[ident not in listed for ident in column("id", rows)]]  # their input problem is listed already
    for ident, cell, name, expl, hint in zip(column("id", rows), column("cell", rows), column("level3", rows),
                                             column("explanation", rows), column("hint", rows), strict=True):
        out.append(Finding(cell or ident, f"{name}：{expl}", ERROR, hint, ident))
    rows = np.flatnonzero(missing_reason)
    for ident, cell, name, score, weight, ratio, verdict in zip(
            column("id", rows), column("cell", rows), column("level3", rows), column("score", rows),
            column("weight", rows), column("ratio", rows), column("verdict", rows), strict=True):
        message, hint, code = _missing_reason(score, weight, ratio, verdict, scored.profile.decimals)
        out.append(Finding(cell or ident, f"{name}：{message}", WARNING, hint, ident, code))
    if "no_survey" in ind.columns:
        rows = np.flatnonzero(ind["no_survey"].to_numpy(dtype=bool) & ~unknown)
        for ident, cell, name, shown, score, weight in zip(
                column("id", rows), column("cell", rows), column("level3", rows), column("actual_display", rows)
                if "actual_display" in ind.columns else column("actual", rows), column("score", rows),
                column("weight", rows), strict=True):
            out.append(Finding(cell or ident, f"{name}：满意度只填了“{shown}”，没有调查数据（满意度百分比）；按评分规则"
                               f"（satisfaction_without_survey: {scored.profile.satisfaction_without_survey}）得 "
                               f"{float(score):.{scored.profile.decimals}f}/{fmt_number(float(weight))} 分", WARNING,
                               "请填写满意度调查结果（百分比），如 96%；确实没有调查的，请在佐证材料中说明了解满意度的方式",
                               ident, NO_SURVEY))
    proj = scored.projects
    out.extend(weight_problems(proj))
    explained: set[str] = set()
    if budgets is not None and "reason_text" in budgets.columns:
        explained = set(budgets["project"][budgets["reason_text"].fillna("").astype(str).str.strip() != ""])
    if "budget_needs_reason" in proj.columns:
        need = proj[proj["budget_needs_reason"].astype(bool).to_numpy() & ~member(proj["project"], explained)]
        for name, rate in zip(need["project"], need["execution_rate"], strict=True):
            below = fmt_number(scored.profile.reason_below)
            out.append(Finding(f"{name} › 预算执行", f"预算执行率 {rate:.2%} 低于 {below}%，但没有填写偏差原因", WARNING,
                               "请在“预算执行”表的“偏差原因”一列说明（不影响得分）", code=BUDGET_REASON_MISSING))
    return out


def settle_baselines(problems: list[Finding], ind: pd.DataFrame, decimals: int) -> list[Finding]:
    """A 基数 that is not a number (:data:`BASELINE_UNREAD`), said as what it cost: an error when its
    indicator could not be judged without it (0 points), a warning that says so when the score does
    not depend on it (not a change target, or the target states its own 基数)."""
    tagged = [p for p in problems if p.code == BASELINE_UNREAD]
    if not tagged:
        return list(problems)
    verdict = dict(zip(ind["id"].to_numpy(dtype=object), ind["verdict"].to_numpy(dtype=object), strict=True))
    weight = dict(zip(ind["id"].to_numpy(dtype=object), ind["weight"].to_numpy(dtype=float), strict=True))
    out = []
    for p in problems:
        if p.code != BASELINE_UNREAD:
            out.append(p)
        elif verdict.get(p.id) == Verdict.UNKNOWN:
            lost = f"，失 {weight[p.id]:.{decimals}f} 分" if math.isfinite(weight.get(p.id, math.nan)) else ""
            out.append(dataclasses.replace(p, severity=ERROR, message=f"{p.message}：这个变化类指标没有基数，无法判定，"
                                                                      f"得 0 分{lost}"))
        else:
            out.append(dataclasses.replace(p, message=f"{p.message}（这个指标的得分不用它，不影响得分）",
                                           code=BASELINE_UNUSED))
    return out


def _missing_reason(score: float, weight: float, ratio: object, verdict: str, decimals: int) -> tuple[str, str, str]:
    """A missing 偏差原因 says which it is: points lost (and how many) or a target over-achieved
    (message, advice, code)."""
    score, weight = float(score), float(weight)
    if score < weight - 1e-9:
        return (f"失分（{verdict}，得 {score:.{decimals}f}/{fmt_number(weight)} 分），但没有填写偏差原因分析及改进措施",
                "请在“偏差原因分析及改进措施”一列说明未完成的原因和改进措施（不影响得分）", REASON_MISSING)
    share = f"，达到目标的 {ratio:.0%}" if isinstance(ratio, float) and math.isfinite(ratio) else ""
    return (f"超额完成{share}，但没有填写偏差原因分析及改进措施",
            "请在“偏差原因分析及改进措施”一列说明超额的原因（目标是否定得过低），下年度据实调整目标（不影响得分）",
            OVER_REASON_MISSING)


def weight_problems(proj: pd.DataFrame) -> list[Finding]:
    """Projects whose weights (budget included) do not add up to 100: their totals cannot be trusted
    (a total above 100 is capped by the engine), so each is a problem (``--strict`` fails)."""
    if "weight_total" not in proj.columns:
        return []
    out = []
    for name, wt in zip(proj["project"], proj["weight_total"].to_numpy(dtype=float), strict=True):
        if math.isfinite(wt) and abs(wt - 100) > 1e-6:
            out.append(Finding(f"{name} › 分值", f"分值合计为 {fmt_number(wt)}（含预算执行率），不是 100：总分{'已按 100 分封顶，' if wt > 100 else ''}不可信",
                               ERROR, "请改正绩效目标的分值（indicators.csv 的 weight 列），使每个项目合计 100 分；"
                               "score check 会列出分值合计不对的项目", code="weight-total"))
    return out


def narrative_problems(projects: pd.DataFrame, cells: dict[str, str] | None, label: str,
                       sources: dict[str, str] | None = None) -> list[Finding]:
    """The projects whose 年度总体目标完成情况 is blank (their 自评表's 实际完成情况 will be): one warning
    each at its cell (or its workbook's sheet, where the project has no row); one for the whole workbook
    when it has no 年度总体目标 sheet (an older template)."""
    blank = [p for p, t in zip(projects["project"], projects["narrative"], strict=True) if not t]
    hint = "请在“年度总体目标”表中对照年度目标写明实际完成情况（不影响得分）"
    if not blank:
        return []
    if cells is None:
        return [Finding(place(label), f"工作簿没有“{SHEET_NARRATIVE}”表（旧模板）：{len(blank)} 个项目自评表的“实际完成情况”是空白",
                        WARNING, "用 score template 生成新模板，把各项目的年度总体目标完成情况填在“年度总体目标”表中（不影响得分）",
                        code=NO_NARRATIVE_SHEET)]
    sources = sources or {}
    return [Finding(cells.get(p) or place(sources.get(p, label), SHEET_NARRATIVE), f"项目“{p}”的年度总体目标完成情况没有填写"
                    f"{'' if p in cells else '（表中没有这个项目的行）'}：自评表的“实际完成情况”是空白", WARNING, hint,
                    code=NARRATIVE_MISSING) for p in blank]
