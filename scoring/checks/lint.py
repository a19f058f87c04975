"""``score check``: lint a year's targets before anything is scored against them.

Each finding names its place (file and line), says what is wrong in Chinese and has a
severity: 错误 (the targets cannot be scored as they are) or 警告 (scorable, but a person
should look). Every 当年度指标值 is read with the parser (:func:`scoring.language.expressions.parse`),
the same reading the engine uses.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.findings import ERROR, WARNING, Finding, place
from scoring.language import levels
from scoring.language.comparator import KIND_NAME, Comparator
from scoring.language.normalize import squeeze
from scoring.targets.model import Targets, fmt_weight
from scoring.targets.store import INDICATORS_FILE, project_location, read_targets

# Indicator points of a project when the budget execution rate takes 10 (national default);
# tables that list 预算执行率 among their weighted indicators add up to 100.
INDICATOR_TOTALS = (90.0, 100.0)

_LOOSER = {">=": 1, ">": 1, "<=": -1, "<": -1}


def check_dir(directory: str | os.PathLike, year: int | None = None) -> tuple[Targets, list[Finding]]:
    """Read a targets directory and lint it. Unreadable files raise :class:`ScoreError`."""
    targets = read_targets(directory, year)
    return targets, check_targets(targets, targets.year)


def check_targets(targets: Targets, year: int | None = None) -> list[Finding]:
    from scoring.language.expressions import parse

    findings = [Finding(p.where, p.message, p.severity, p.hint, code="schema") for p in targets.problems]
    ind, proj = targets.indicators, targets.projects
    ifile = (targets.directory / INDICATORS_FILE) if targets.directory else Path(INDICATORS_FILE)

    def where(i: int) -> str:
        return place(ifile, f"第{i + 2}行")

    level3 = ind["level3"].to_numpy(dtype=object)
    annual = ind["annual_value"].to_numpy(dtype=object)
    period = ind["period_value"].to_numpy(dtype=object)
    ids = ind["id"].to_numpy(dtype=object)
    pids = ind["project_id"].to_numpy(dtype=object)
    names = dict(zip(proj["project_id"], proj["project"], strict=False))
    for i in range(len(ind)):
        label = f"“{names.get(pids[i], pids[i])}”的指标“{level3[i]}”（{ids[i]}）"
        a = parse(annual[i], level3[i] or None, year)
        if a.kind == "invalid":
            findings.append(Finding(where(i), f"{label}：当年度指标值“{annual[i]}”无效：{a.reason}", ERROR, "对照绩效目标表原件改正 annual_value，并在 note 中写明“人工修正：…”", code="annual_invalid"))
        findings.extend(_period_vs_annual(where(i), label, period[i], annual[i], a, level3[i], year))
        if not ind["level2"].iat[i]:
            findings.append(Finding(where(i), f"{label}：没有二级指标", WARNING, code="level2_empty"))
    findings.extend(_projects(targets, year, where))
    return findings


def _period_vs_annual(where: str, label: str, period: str, annual: str, a: Comparator, name: str,
                      year: int | None) -> list[Finding]:
    from scoring.language.expressions import parse

    out: list[Finding] = []
    p_text, a_text = (period or "").strip(), (annual or "").strip()
    if not p_text:
        out.append(Finding(where, f"{label}：实施周期指标值为空", WARNING, code="period_empty"))
        return out
    if len(p_text) >= 2 and a_text != p_text and a_text.startswith(p_text):
        out.append(Finding(where, f"{label}：实施周期指标值“{p_text}”像是被截断的“{a_text}”", WARNING, "PDF 提取可能截掉了结尾；对照原件补全", code="period_cut"))
        return out
    p = parse(p_text, name or None, year)
    if p.kind == "invalid":
        out.append(Finding(where, f"{label}：实施周期指标值“{p_text}”无效：{p.reason}", WARNING, code="period_invalid"))
        return out
    if a.kind == "invalid":
        return out
    if p.kind != a.kind:
        out.append(Finding(where, f"{label}：实施周期指标值“{p_text}”（{KIND_NAME[p.kind]}）与当年度指标值"
                                           f"“{a_text}”（{KIND_NAME[a.kind]}）的类型不同", WARNING, code="period_kind"))
        return out
    if p.kind in ("quantitative", "range") and p.unit != a.unit and p.unit and a.unit:
        out.append(Finding(where, f"{label}：实施周期指标值的单位“{p.unit}”与当年度指标值的单位“{a.unit}”不同", WARNING, code="period_unit"))
        return out
    if p.kind == "quantitative" and p.unit == a.unit and p.value is not None and a.value is not None:
        dp, da = _LOOSER.get(p.op or ""), _LOOSER.get(a.op or "")
        if dp and da and dp != da:
            out.append(Finding(where, f"{label}：实施周期指标值“{p_text}”与当年度指标值“{a_text}”的方向相反", WARNING, code="period_direction"))
        elif dp and _cumulative(a.unit):
            # A count over the period adds up the years: one year cannot need (or allow) more.
            if a.value > p.value:
                out.append(Finding(where, f"{label}：当年度指标值“{a_text}”超过整个实施周期的“{p_text}”", WARNING, "数量按实施周期累计，一年的目标一般不超过整个周期；确认是否填反或笔误", code="annual_stricter"))
        elif dp:
            stricter = (a.value - p.value) * dp > 0 or (a.value == p.value and a.op in (">", "<")
                                                        and p.op in (">=", "<="))
            if stricter:
                out.append(Finding(where, f"{label}：当年度指标值“{a_text}”比整个实施周期的“{p_text}”还严", WARNING, "比率、时长类目标一年不应严于整个实施周期；确认是否填反或笔误", code="annual_stricter"))
    return out


_NOT_CUMULATIVE = ("%", "‰", "分", "秒", "分钟", "小时", "天", "日", "工作日", "周", "月", "个月", "季度", "年")


def _cumulative(unit: str) -> bool:
    """Counts, money, areas add up over the years of a period; rates, scores and durations do not."""
    return bool(unit) and unit not in _NOT_CUMULATIVE and "/" not in unit


def _projects(t: Targets, year: int | None, where) -> list[Finding]:
    out: list[Finding] = []
    ind, proj = t.indicators, t.projects
    rows_of: dict[str, list[int]] = defaultdict(list)
    for i, pid in enumerate(ind["project_id"].to_numpy(dtype=object)):
        rows_of[pid].append(i)
    level1 = ind["level1"].to_numpy(dtype=object)
    level3 = ind["level3"].to_numpy(dtype=object)
    weight = ind["weight"].to_numpy(dtype="float64")
    for r, row in enumerate(proj.itertuples(index=False)):
        pw = project_location(t, r)
        name = f"项目“{row.project}”（{row.project_id}）"
        rows = rows_of.get(row.project_id, [])
        if not rows:
            out.append(Finding(pw, f"{name}没有任何指标", ERROR, code="no_indicators"))
            continue
        if levels.SATISFACTION not in {level1[i] for i in rows}:
            out.append(Finding(pw, f"{name}没有满意度指标：按评分规则，满意度指标的分值将分给产出和效益指标", WARNING, code="no_satisfaction"))
        seen: dict[str, list[int]] = defaultdict(list)
        for i in rows:
            seen[squeeze(level3[i])].append(i)
        for n, hits in seen.items():
            if n and len(hits) > 1:
                lines = "、".join(str(i + 2) for i in hits)
                out.append(Finding(where(hits[0]), f"{name}中三级指标“{level3[hits[0]]}”重复出现（第{lines}行）", WARNING, "确认是否重复录入；重复的指标会各自计分", code="duplicate"))
        w = weight[rows]
        given = ~np.isnan(w)
        if given.any():
            total = float(w[given].sum())
            if given.all() and not any(abs(total - x) < 1e-6 for x in INDICATOR_TOTALS):
                out.append(Finding(pw, f"{name}的指标分值合计 {fmt_weight(total)}，应为 "
                                              f"{' 或 '.join(fmt_weight(x) for x in INDICATOR_TOTALS)}", ERROR, "预算执行率另占 10 分时指标合计 90；表中含预算执行率指标时合计 100", code="weights_total"))
            elif not given.all() and total >= min(INDICATOR_TOTALS) - 1e-9:
                out.append(Finding(pw, f"{name}已给出的指标分值合计 {fmt_weight(total)}，其余 {int((~given).sum())} "
                                              "个指标已无分可分", ERROR, code="weights_total"))
            elif not given.all():
                out.append(Finding(pw, f"{name}只有部分指标给出了分值（{int(given.sum())}/{len(rows)}），"
                                                "其余指标按默认规则分配剩余分值", WARNING, code="weights_partial"))
        if year is not None and not (pd.isna(row.start_year) or pd.isna(row.end_year)):
            s, e = int(row.start_year), int(row.end_year)
            if not s <= year <= e:
                out.append(Finding(pw, f"{name}的实施周期是 {s}–{e} 年，不包含评价年度 {year}", WARNING, "核对实施周期是否填错", code="period_years"))
        if pd.isna(row.budget):
            out.append(Finding(pw, f"{name}没有当年预算金额", WARNING, code="budget_missing"))
        elif row.budget <= 0:
            out.append(Finding(pw, f"{name}的当年预算金额是 {fmt_weight(row.budget)} 元", WARNING, code="budget_zero"))
        if not (row.annual_goal or "").strip():
            out.append(Finding(pw, f"{name}没有年度绩效目标", WARNING, code="goal_missing"))
    return out


def summary(findings: list[Finding]) -> tuple[int, int]:
    errors = sum(f.severity == ERROR for f in findings)
    return errors, len(findings) - errors
