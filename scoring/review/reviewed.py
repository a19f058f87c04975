"""复核: a reviewer's 复核完成值 scored by the same engine, and what differs from the unit's own.

The actuals workbook may carry 复核完成值 and 复核意见 columns (``score template --review``; read by
:mod:`scoring.actuals.workbook` into ``review_*`` columns). :func:`reviewed_answers` gives the answers
the second run scores: the reviewer's value where one was written, the unit's own elsewhere (a blank
复核完成值 means the reviewer let the unit's value stand — said in the report, never silently). A
project counts as reviewed when any of its rows has a 复核完成值 or a 复核意见; its 复核得分 is the
second run's total and its 偏离度 = (自评得分 − 复核得分) ÷ 自评得分.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pandas as pd

from scoring.actuals.workbook import Actuals, is_blank
from scoring.review.data import ReviewData, score_text
from scoring.review.examples import COUNT, EFFECT, SURVEY, clean_project, edited, one, with_row
from scoring.review.registry import Hit, rule

NOTE_COLUMNS = ("id", "review_actual", "review_note", "review_cell")
BLANK_STANDS = "复核完成值留空的指标，按单位填报的实际完成值计入复核得分"


def review_notes(actuals: Actuals) -> pd.DataFrame | None:
    """The reviewer's cells of a workbook (or a folder's workbooks), or None when no cell of them is filled."""
    v = actuals.values
    if "review_actual" not in v.columns:
        return None
    notes = v[list(NOTE_COLUMNS)].copy()
    notes["review_note"] = notes["review_note"].fillna("").astype(str)
    notes["filled"] = ~notes["review_actual"].map(is_blank).to_numpy(dtype=bool)
    if not (notes["filled"].any() or notes["review_note"].str.strip().ne("").any()):
        return None
    return notes.drop_duplicates("id").reset_index(drop=True)


def reviewed_answers(actuals: Actuals) -> Actuals:
    """The answers with each filled 复核完成值 in place of the unit's 实际完成值 (its cell, format and problem too)."""
    v = actuals.values
    if "review_actual" not in v.columns:
        return actuals
    filled = ~v["review_actual"].map(is_blank).to_numpy(dtype=bool)
    out = v.copy()
    for own, theirs in (("actual", "review_actual"), ("actual_is_percent", "review_is_percent"),
                        ("cell", "review_cell"), ("problem", "review_problem")):
        out[own] = np.where(filled, v[theirs].to_numpy(dtype=object), v[own].to_numpy(dtype=object))
    out["actual_is_percent"] = out["actual_is_percent"].fillna(False).astype(bool)
    out["problem"] = out["problem"].fillna("").astype(str)
    return replace(actuals, values=out)


def review_frames(indicators: pd.DataFrame, projects: pd.DataFrame, notes: pd.DataFrame | None,
                  review: pd.DataFrame | None, review_projects: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The run's frames with the 复核 columns: per indicator ``reviewed``, ``review_note``, ``review_cell``,
    ``review_actual_display``, ``review_score``, ``review_verdict``, ``review_explanation``; per project
    ``reviewed``, ``review_total`` and ``deviation`` (NaN where the project was not reviewed)."""
    ind, proj = indicators.copy(), projects.copy()
    n = len(ind)
    ind["reviewed"] = False
    ind["review_filled"] = False
    ind["review_note"] = ""
    ind["review_cell"] = ""
    for col in ("review_actual_display", "review_verdict", "review_explanation"):
        ind[col] = ""
    ind["review_score"] = ind["score"].to_numpy(dtype=float)
    proj["reviewed"] = False
    proj["review_total"] = np.nan
    proj["deviation"] = np.nan
    if notes is None or not n:
        return ind, proj
    by_id = notes.set_index("id").reindex(ind["id"].to_numpy(dtype=object))
    filled = by_id["filled"].fillna(False).to_numpy(dtype=bool)
    note = by_id["review_note"].fillna("").astype(str).str.strip().to_numpy(dtype=object)
    ind["review_filled"] = filled
    ind["reviewed"] = filled | (note != "")
    ind["review_note"] = note
    ind["review_cell"] = by_id["review_cell"].fillna("").to_numpy(dtype=object)
    if review is not None:
        same = review.set_index("id").reindex(ind["id"].to_numpy(dtype=object))
        ind["review_score"] = same["score"].to_numpy(dtype=float)
        ind["review_verdict"] = same["verdict"].fillna("").astype(str).to_numpy(dtype=object)
        ind["review_explanation"] = same["explanation"].fillna("").astype(str).to_numpy(dtype=object)
        ind["review_actual_display"] = np.where(filled, same["actual_display"].fillna("").astype(str).to_numpy(dtype=object), "")
    touched = set(ind["project"][ind["reviewed"].to_numpy(dtype=bool)])
    proj["reviewed"] = proj["project"].isin(touched).to_numpy()
    totals = (review_projects.set_index("project")["total"] if review_projects is not None
              else proj.set_index("project")["total"])
    review_total = totals[~totals.index.duplicated()].reindex(proj["project"]).to_numpy(dtype=float)
    own = proj["total"].to_numpy(dtype=float)
    reviewed = proj["reviewed"].to_numpy(dtype=bool)
    proj["review_total"] = np.where(reviewed, review_total, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        proj["deviation"] = np.where(reviewed & (own > 0), (own - review_total) / own, np.nan)
    return ind, proj


CHECKED = (with_row(COUNT, review=5), with_row(SURVEY, review="93%"))


@rule("deviation", "P0", "自评结果偏离复核结果",
      checks="复核过的项目，偏离度 =（自评得分 − 复核得分）÷ 自评得分，绝对值超过 review.deviation（默认 10%）",
      why="偏离度大说明自评结果不实（多为打分偏高）；财政部门据此通报，并把复核结果作为预算安排的依据",
      fix="按复核意见逐项更正实际完成值和得分，说明自评与复核不一致的原因；下一年度自评前先对照佐证材料核实",
      fires=one(edited(swap={0: with_row(COUNT, review=2, note="签到表只能核实2场"),
                             3: with_row(EFFECT, review="未达成", note="未提供培训前后的考核成绩")})),
      silent=one(edited(swap={0: CHECKED[0], 4: CHECKED[1]})))
def deviation(d: ReviewData) -> Iterator[Hit]:
    line = d.settings.deviation / 100
    for p in d.projects.itertuples(index=False):
        dev = float(p.deviation)
        if dev == dev and abs(dev) > line + 1e-12:
            higher = "偏高" if dev > 0 else "偏低"
            yield Hit(p.project, "", "", d.project_place(p.project, None),
                      f"自评得分 {float(p.total):.{d.decimals}f}，复核得分 {float(p.review_total):.{d.decimals}f}，"
                      f"偏离度 {dev:.2%}，超过 {line:.0%}：自评打分{higher}，自评结果不实",
                      f"偏离度 =（{float(p.total):.{d.decimals}f} − {float(p.review_total):.{d.decimals}f}）÷ "
                      f"{float(p.total):.{d.decimals}f} = {dev:.2%}")


@rule("review_changed", "P1", "复核核减（核增）得分",
      checks="复核人员填写的复核完成值与单位填报的不同，按复核完成值计分后本指标得分变了",
      why="这是复核认定的结果：自评得分以复核得分为准，差额计入偏离度",
      fix="按复核意见更正实际完成值，补充能证明原填报值的佐证材料；有异议的，在反馈期内提供材料申请复议",
      fires=one(edited(swap={0: with_row(COUNT, review=3, note="签到表只能核实3场")})),
      silent=one(edited(swap={0: CHECKED[0]})))
def review_changed(d: ReviewData) -> Iterator[Hit]:
    ind = d.indicators
    own, theirs = ind["score"].to_numpy(dtype=float), ind["review_score"].to_numpy(dtype=float)
    changed = ind["review_filled"].to_numpy(dtype=bool) & (np.abs(own - theirs) > 1e-9)
    for i in np.flatnonzero(changed).tolist():
        name, note = d.at("level3", i), d.at("review_note", i)
        weight = d.at("weight", i)
        yield Hit(d.at("project", i), d.at("id", i), name, d.at("review_cell", i) or d.at("cell", i),
                  f"“{name}”复核完成值为“{d.at('review_actual_display', i)}”（单位填报“{d.at('actual_display', i)}”），"
                  f"得分由 {score_text(own[i], weight, d.decimals)}{'核减' if theirs[i] < own[i] else '核增'}为 "
                  f"{score_text(theirs[i], weight, d.decimals)}" + (f"。复核意见：{note}" if note else ""),
                  d.basis(i, f"复核：{d.at('review_explanation', i)}"))


@rule("reviewer_note", "P2", "复核意见",
      checks="复核人员在“复核意见”一列写了意见，但没有改动完成值（或改动后得分不变）",
      why="复核人员认可得分，但指出了须改进的地方（材料不规范、表述不准确），整改时一并落实",
      fix="按复核意见补充或规范佐证材料、改正表述",
      fires=one(edited(swap={0: with_row(COUNT, note="签到表未加盖公章，请补充")})),
      silent=one(clean_project()))
def reviewer_note(d: ReviewData) -> Iterator[Hit]:
    ind = d.indicators
    own, theirs = ind["score"].to_numpy(dtype=float), ind["review_score"].to_numpy(dtype=float)
    noted = (ind["review_note"].to_numpy(dtype=object) != "") & ~(
        ind["review_filled"].to_numpy(dtype=bool) & (np.abs(own - theirs) > 1e-9))
    for i in np.flatnonzero(noted).tolist():
        name = d.at("level3", i)
        yield Hit(d.at("project", i), d.at("id", i), name, d.at("review_cell", i) or d.at("cell", i),
                  f"“{name}”复核意见：{d.at('review_note', i)}", d.basis(i))

