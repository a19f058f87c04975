"""Projects: the budget execution score (scoring-rules.md §3), the subtotals per 一级, the total
(with any cap the profile sets by execution rate), the grade and the project's flags."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.language.numerals import fmt_number
from scoring.rounding import round_half_up_array
from scoring.rubric.profile import Profile
from scoring.rubric.weights import subtotal_name
from scoring.vocab import Verdict

FULL_MARKS = 100.0  # a project's total can never be more

STANDARD_LEVEL1 = ("产出指标", "效益指标", "满意度指标")


def budget_frame(order: list, budgets: pd.DataFrame | None) -> pd.DataFrame:
    """One row per project (indicators' order, then those only in ``budgets``), with its budget."""
    if budgets is not None and len(budgets):
        b = budgets.copy()
        b["project"] = b["project"].astype(object).where(b["project"].notna(), "").astype(str)
        for col in ("initial_budget", "full_budget", "spent"):
            b[col] = pd.to_numeric(b[col], errors="coerce").astype(float) if col in b.columns else np.nan
        for col in ("reason_text", "note"):  # note: how a blank 全年预算数 was filled in
            if col not in b.columns:
                b[col] = ""
        b = b.drop_duplicates("project", keep="first")
        seen = set(order)
        order = order + [x for x in b["project"] if x not in seen]
    else:
        b = pd.DataFrame({"project": pd.Series([], dtype=object), "initial_budget": [], "full_budget": [], "spent": [],
                          "reason_text": [], "note": []})
    proj = pd.DataFrame({"project": pd.Series(order, dtype=object)})
    proj = proj.merge(b[["project", "initial_budget", "full_budget", "spent", "reason_text", "note"]], on="project",
                      how="left")
    proj["_has_budget_row"] = proj["project"].isin(set(b["project"])).to_numpy()
    return proj


def budget_scores(proj: pd.DataFrame, p: Profile) -> tuple[np.ndarray, np.ndarray]:
    """执行率 = B / A and its score; adds the budget columns. Returns (rate, computable)."""
    A = proj["full_budget"].to_numpy(dtype=float)
    B = proj["spent"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where((A > 0) & ~np.isnan(B), np.maximum(B, 0) / A, np.nan)
    bw = float(p.weights.budget)
    computable = ~np.isnan(rate)
    bscore = np.where(computable, round_half_up_array(np.minimum(rate, 1.0) * bw, p.decimals), 0.0)
    proj["execution_rate"] = rate
    proj["budget_weight"] = bw
    proj["budget_score"] = bscore
    rate_pct = np.round(rate * 100, 2)
    notes = proj["note"].astype(object).where(proj["note"].notna(), "").astype(str).to_numpy(dtype=object)
    proj["budget_explanation"] = [
        ((n + "；" if n else "") + f"执行率 = {fmt_number(b_)} ÷ {fmt_number(a_)} = {fmt_number(rp)}% → min(执行率, 1) × {fmt_number(bw)} = {s:.{p.decimals}f}" if ok
         else f"执行率无法计算（全年预算数 {'缺失' if a_ != a_ else fmt_number(a_)}、全年执行数 {'缺失' if b_ != b_ else fmt_number(b_)}）→ 0 分")
        for a_, b_, rp, s, ok, n in zip(A.tolist(), B.tolist(), rate_pct.tolist(), bscore.tolist(), computable.tolist(),
                                        notes.tolist(), strict=True)]
    proj["budget_needs_reason"] = computable & (rate * 100 < p.reason_below - 1e-9)
    reason = proj["reason_text"].astype(object).where(proj["reason_text"].notna(), "").astype(str).str.strip()
    proj["budget_reason"] = reason.to_numpy(dtype=object)  # the 预算执行 sheet's 偏差原因, "" when none
    proj["budget_reason_missing"] = proj["budget_needs_reason"] & reason.eq("")
    return rate, computable


def _indicator_sums(ind: pd.DataFrame, p: Profile, n_proj: int, proj_codes: np.ndarray, n_named: int):
    """Per project, in the order of the project table (the projects of ``ind`` first, in order of
    appearance; those only in the budgets get zeros): the 一级 names (first appearance) and each one's
    cents of score (one row per project), the cents of score and of weight, and the numbers of
    indicators and of 无法判定. Integer sums per project code (what a groupby by name gave)."""
    scale = 10 ** p.decimals
    if not len(ind):
        zero = np.zeros(n_proj, np.int64)
        return [], np.zeros((n_proj, 0), np.int64), zero, zero, zero, zero
    l1_codes, l1_uniques = pd.factorize(ind["level1"])
    sub_codes, sub_names = pd.factorize(np.array([subtotal_name(u) for u in l1_uniques], dtype=object)[l1_codes])
    cents = np.round(ind["score"].to_numpy(dtype=float) * scale).astype(np.int64)
    wcents = np.round(ind["weight"].to_numpy(dtype=float) * scale).astype(np.int64)

    def total(values: np.ndarray, groups: np.ndarray, size: int) -> np.ndarray:
        out = np.zeros(size, dtype=np.int64)
        np.add.at(out, groups, values)  # in int64, as the groupby summed: no float rounding
        return out

    n_sub = len(sub_names)
    sub = np.zeros((n_proj, n_sub), dtype=np.int64)
    sub[:n_named] = total(cents, proj_codes * n_sub + sub_codes, n_named * n_sub).reshape(-1, n_sub)
    unknown = (ind["verdict"] == Verdict.UNKNOWN).to_numpy(dtype=np.int64)
    per_project = [total(x, proj_codes, n_proj) for x in (cents, wcents, np.ones(len(ind), np.int64), unknown)]
    if n_proj > n_named:  # reindexed by name, the sums went through float when a project had no indicators
        per_project[:2] = [x.astype(float).astype(np.int64) for x in per_project[:2]]
    return list(sub_names), sub, *per_project


def project_table(ind: pd.DataFrame, budgets: pd.DataFrame | None, p: Profile) -> pd.DataFrame:
    """The ``Scored.projects`` frame (see :mod:`scoring.rubric.engine`)."""
    scale = 10 ** p.decimals
    proj_codes, proj_names = pd.factorize(ind["project"], use_na_sentinel=False) if len(ind) else (np.zeros(0, np.intp), [])
    order = np.asarray(proj_names, dtype=object).tolist()  # in order of appearance
    proj = budget_frame(order, budgets)
    rate, computable = budget_scores(proj, p)
    sub_names, sub, ind_cents, w_cents, n_ind, n_unknown = _indicator_sums(ind, p, len(proj), proj_codes, len(order))
    for c in list(STANDARD_LEVEL1) + [c for c in sub_names if c not in STANDARD_LEVEL1]:
        proj[f"subtotal_{c}"] = (sub[:, sub_names.index(c)] if c in sub_names else np.zeros(len(proj))) / scale
    bw = float(p.weights.budget)
    proj["indicator_total"] = ind_cents / scale
    proj["weight_total"] = (w_cents + round(bw * scale)) / scale
    total = (ind_cents + np.round(proj["budget_score"].to_numpy() * scale).astype(np.int64)) / scale

    flags: list[list[str]] = [[] for _ in range(len(proj))]
    cap_total = capped_totals(total, rate, computable, p, flags)
    proj["uncapped_total"] = total
    proj["total"] = cap_total
    names = [g.name for g in p.grades]  # highest first
    conds = [cap_total >= g.min - 1e-9 for g in p.grades]
    proj["grade"] = np.select(conds, names, default=names[-1]).astype(object)
    project_flags(proj, rate, computable, n_ind, n_unknown, p, flags)
    proj["flags"] = [tuple(f) for f in flags]
    return proj.drop(columns=["reason_text", "note", "_has_budget_row"])


def capped_totals(total: np.ndarray, rate: np.ndarray, computable: np.ndarray, p: Profile, flags: list[list[str]]) -> np.ndarray:
    """The total after the profile's caps by execution rate; each cap that applies is flagged."""
    cap_total = total.copy()
    rate_pct = np.round(rate * 100, 2)
    for cap in p.caps:
        inside = computable & (rate * 100 >= cap.rate_min - 1e-9) & (rate * 100 < cap.rate_below - 1e-9)
        capped = inside & (total > cap.max_total)
        cap_total = np.where(capped, np.minimum(cap_total, cap.max_total), cap_total)
        for i in np.flatnonzero(inside):
            msg = (f"执行率 {fmt_number(rate_pct[i])}% 在 {fmt_number(cap.rate_min)}%–{fmt_number(cap.rate_below)}% 之间，总分最高 {fmt_number(cap.max_total)} 分"
                   + (f"：{total[i]:.{p.decimals}f} → {cap.max_total:.{p.decimals}f}" if capped[i] else ""))
            flags[i].append(msg)
    # a total never exceeds full marks, whatever the weights add up to (hostile input, issue 13);
    # weights that do not add up to 100 are also a problem of the run (pipeline.weight_problems)
    for i in np.flatnonzero(cap_total > FULL_MARKS + 1e-9):
        flags[i].append(f"总分 {cap_total[i]:.{p.decimals}f} 超过满分 {fmt_number(FULL_MARKS)}（分值合计超过 100），按 {fmt_number(FULL_MARKS)} 分计")
    return np.minimum(cap_total, FULL_MARKS)


def project_flags(proj: pd.DataFrame, rate, computable, n_ind, n_unknown, p: Profile, flags: list[list[str]]) -> None:
    """Adds to ``flags`` what an auditor must look at per project (weights, budget, 无法判定 indicators)."""
    wt = proj["weight_total"].to_numpy()
    bw = float(p.weights.budget)
    has_budget_row = proj["_has_budget_row"].to_numpy(dtype=bool)
    needs_reason = proj["budget_needs_reason"].to_numpy(dtype=bool)
    rate_pct = np.round(rate * 100, 2)
    over = computable & (rate > 1 + 1e-9)
    explained = proj["budget_reason"].to_numpy(dtype=object) != ""
    for i in np.flatnonzero(~has_budget_row | ~computable | (n_ind == 0) | (np.abs(wt - 100) > 1e-6)
                            | (n_unknown > 0) | needs_reason | over):
        if not has_budget_row[i]:
            flags[i].append("预算表中没有该项目：预算执行率无法计算，记 0 分")
        elif not computable[i]:
            flags[i].append("全年预算数为 0 或缺失（或执行数缺失）：预算执行率无法计算，记 0 分")
        if n_ind[i] == 0:
            flags[i].append("该项目没有绩效指标")
        elif abs(wt[i] - 100) > 1e-6:
            flags[i].append(f"分值合计为 {fmt_number(wt[i])}，不是 100（含预算执行率 {fmt_number(bw)} 分）")
        if n_unknown[i]:
            flags[i].append(f"{int(n_unknown[i])} 个指标无法判定，记 0 分")
        if needs_reason[i]:
            said = "已说明偏差原因" if explained[i] else "须说明偏差原因"
            flags[i].append(f"执行率 {fmt_number(rate_pct[i])}% 低于 {fmt_number(p.reason_below)}%，{said}")
        if over[i]:
            flags[i].append(f"执行率 {fmt_number(rate_pct[i])}% 超过 100%：执行数大于预算数（按 100% 计分），请核对")
