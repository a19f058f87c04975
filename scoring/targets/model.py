"""The targets model: one year's projects and indicators as two DataFrames, their columns and labels.

A project's metadata and goals, one row per project; an indicator per 三级指标 in document order.
Storage (``targets/<year>/`` files) is :mod:`scoring.targets.store`; ids are :mod:`scoring.targets.ids`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.findings import Finding, ScoreError
from scoring.language.expressions import parse
from scoring.language.lexicon import Lexicon
from scoring.language.numerals import fmt_number
from scoring.language.units import is_percent
from scoring.vocab import NUMERIC, TargetKind

PROJECT_COLUMNS = ("project_id", "project", "type", "level", "department", "unit", "start_year", "end_year",
                   "budget", "period_goal", "annual_goal", "note", "source")



PROJECT_TEXT = ("project_id", "project", "type", "level", "department", "unit", "period_goal", "annual_goal",
                "note", "source")



PROJECT_LABELS = {
    "project_id": "项目编号", "project": "项目名称", "type": "项目类型", "level": "项目等级",
    "department": "主管部门", "unit": "用款单位", "start_year": "实施周期起始年度",
    "end_year": "实施周期到期年度", "budget": "当年预算金额（元）", "period_goal": "实施周期总目标",
    "annual_goal": "年度目标", "note": "备注（人工修正写在这里）", "source": "原文位置",
}



INDICATOR_COLUMNS = ("id", "project_id", "project", "level1", "level2", "level3", "period_value",
                     "annual_value", "weight", "criteria", "note", "source", "level1_original")
"""``criteria``: the indicator's own 评分标准 as the table writes it; ``level1_original``: the 一级 as the
table writes it when it is not the national name kept in ``level1`` (项目完成指标 → 产出指标). Both are
"" when absent and optional in indicators.csv."""



INDICATOR_TEXT = tuple(c for c in INDICATOR_COLUMNS if c != "weight")



INDICATOR_REQUIRED = ("id", "project_id", "level1", "level2", "level3", "annual_value")



INDICATOR_LABELS = {
    "id": "指标编号", "project_id": "项目编号", "project": "项目名称", "level1": "一级指标", "level2": "二级指标",
    "level3": "三级指标", "period_value": "实施周期指标值", "annual_value": "当年度指标值", "weight": "分值",
    "criteria": "评分标准", "note": "备注", "source": "原文位置", "level1_original": "一级指标（原表写法）",
}



HAND_FIX = "人工修正"



REVIEWED = "人工核对"   # checked by a person, value kept as written: re-import keeps the note



@dataclass
class Targets:
    """One year's targets. ``projects`` and ``indicators`` are DataFrames with the columns above."""

    projects: pd.DataFrame
    indicators: pd.DataFrame
    year: int | None = None
    directory: Path | None = None
    problems: list[Finding] = field(default_factory=list)
    project_lines: list[int] = field(default_factory=list, repr=False)

    def indicators_of(self, project_id: str) -> pd.DataFrame:
        return self.indicators[self.indicators["project_id"] == project_id]



def projects_frame(records: Iterable[dict]) -> pd.DataFrame:
    """A projects DataFrame with the canonical columns and dtypes from plain records."""
    rows = list(records)
    data: dict[str, object] = {}
    for col in PROJECT_TEXT:
        data[col] = pd.array([_text(r.get(col)) for r in rows], dtype="str")
    for col in ("start_year", "end_year"):
        data[col] = pd.array([_int_or_none(r.get(col)) for r in rows], dtype="Int64")
    data["budget"] = np.array([_float_or_nan(r.get("budget")) for r in rows], dtype="float64")
    return pd.DataFrame({c: data[c] for c in PROJECT_COLUMNS})



def indicators_frame(records: Iterable[dict]) -> pd.DataFrame:
    rows = list(records)
    data: dict[str, object] = {c: pd.array([_text(r.get(c)) for r in rows], dtype="str") for c in INDICATOR_TEXT}
    data["weight"] = np.array([_float_or_nan(r.get("weight")) for r in rows], dtype="float64")
    return pd.DataFrame({c: data[c] for c in INDICATOR_COLUMNS})



def _text(v: object) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)



def _int_or_none(v: object) -> int | None:
    if v is None or v == "" or (isinstance(v, float) and v != v):
        return None
    return int(v)



def _float_or_nan(v: object) -> float:
    if v is None or v == "" or (isinstance(v, float) and v != v):
        return float("nan")
    return float(v)



def fmt_weight(x: float) -> str:
    """A weight as stored in the CSV: empty when absent, at most 6 decimals."""
    return fmt_number(x, places=6)



def targets_json(targets: Targets) -> dict:
    """The targets as one JSON object: projects, each with its indicators in document order."""
    by_project: dict[str, list[dict]] = {}
    for rec in targets.indicators.to_dict("records"):
        w = rec["weight"]
        rec["weight"] = None if w != w else (int(w) if float(w).is_integer() else w)
        by_project.setdefault(rec["project_id"], []).append(rec)
    projects = []
    for rec in targets.projects.to_dict("records"):
        for col in ("start_year", "end_year"):
            rec[col] = None if pd.isna(rec[col]) else int(rec[col])
        b = rec["budget"]
        rec["budget"] = None if b != b else (int(b) if float(b).is_integer() else b)
        rec["indicators"] = by_project.get(rec["project_id"], [])
        projects.append(rec)
    return {"year": targets.year, "projects": projects}



def for_department(targets: Targets, name: str) -> Targets:
    """The projects of one 主管部门 (or 用款单位), for a department's own actuals template."""
    p = targets.projects
    keep = (p["department"] == name) | (p["unit"] == name)
    if not keep.any():
        known = "、".join(sorted(set(p["department"]) | set(p["unit"]))[:10])
        raise ScoreError(f"没有主管部门或用款单位叫“{name}”的项目", where=str(targets.directory or ""),
                         hint=f"现有：{known}")
    ids = set(p["project_id"][keep])
    return Targets(projects=p[keep].reset_index(drop=True),
                   indicators=targets.indicators[targets.indicators["project_id"].isin(ids)].reset_index(drop=True),
                   year=targets.year, directory=targets.directory)



def indicator_kinds(targets: Targets, year: int | None, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """Per indicator: the kind of its 当年度指标值 and whether it is a percentage (the template's
    formats and dropdowns, and which actual cells' number formats matter). Each distinct
    (三级指标, 指标值) pair is parsed once; the rows take their pair's answer by index (a province
    has a million rows and a few thousand pairs). ``lexicon``: the word lists of the profile in force."""
    ind = targets.indicators
    c3, u3 = pd.factorize(ind["level3"].to_numpy(dtype=object))
    cv, uv = pd.factorize(ind["annual_value"].to_numpy(dtype=object))
    pair, firsts = pd.factorize(c3.astype(np.int64) * (len(uv) + 1) + cv)
    comps = [parse(uv[k % (len(uv) + 1)], u3[k // (len(uv) + 1)], year, lexicon) for k in firsts]
    kind = np.array([c.kind for c in comps], dtype=object)
    # a level in percent: also that of a change in 个百分点 (提高2个百分点 is answered with 93%)
    percent = np.array([(c.kind in NUMERIC and is_percent(c.unit)) or
                        (c.kind == TargetKind.CHANGE and c.unit == "个百分点") for c in comps], dtype=bool)
    return pd.DataFrame({
        "id": ind["id"].to_numpy(),
        "kind": kind[pair] if len(ind) else np.zeros(0, dtype=object),
        "percent": percent[pair] if len(ind) else np.zeros(0, dtype=bool),
    })
