"""``score review`` over a scored year (:func:`scoring.pipeline.review_year` scores it as ``score YEAR`` does,
and the reviewer's 复核完成值 the same way when there are any): run the review rules over the results,
rank the projects (and units).

Ranking: most P0 first, then most P1, then the largest |偏离度|, then most P2; ties keep the targets'
order. A folder of units' workbooks is one batch: the projects carry their unit (the workbook), and
the units are ranked the same way on their projects' counts and on their own 偏离度 (the sum of their
reviewed projects' 自评 against the sum of their 复核).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.results import RunResult
from scoring.review.catalog import run_rules, selected
from scoring.review.data import ReviewData
from scoring.review.registry import LEVELS, ReviewFinding, ReviewRule
from scoring.review.reviewed import BLANK_STANDS, review_frames

COUNT_COLUMNS = tuple(LEVELS)  # P0, P1, P2


@dataclass
class Review:
    """What ``score review`` found: the data the rules read, their findings, the ranked projects and units."""

    run: RunResult
    data: ReviewData
    rules: list[ReviewRule]
    findings: list[ReviewFinding]
    projects: pd.DataFrame  # ranked: project, unit, total, review_total, deviation, reviewed, P0, P1, P2, rank
    units: pd.DataFrame | None = None  # ranked, a folder's batch only
    notes: list[str] = field(default_factory=list)  # what the reader must know (how blank 复核 cells count)

    @property
    def year(self) -> int:
        return self.run.year

    @property
    def reviewed(self) -> bool:
        return bool(self.projects["reviewed"].any())

    def counts(self) -> dict[str, int]:
        return {level: sum(f.level == level for f in self.findings) for level in LEVELS}


def review_of(run: RunResult, notes: pd.DataFrame | None = None, second: RunResult | None = None,
              codes: Iterable[str] | None = None) -> Review:
    """The review of a scored run (and of its second run over the reviewer's values, when there is one)."""
    ind, proj = review_frames(run.indicators, run.projects, notes, second.indicators if second else None,
                              second.projects if second else None)
    data = ReviewData(run.year, run.profile, run.actuals_label, ind, proj, dict(run.project_source))
    chosen = selected(codes)
    findings = run_rules(data, chosen)
    ranked = rank_projects(data, findings)
    order = {name: k for k, name in enumerate(ranked["project"])}
    level_order = {level: k for k, level in enumerate(LEVELS)}
    rule_order = {r.code: k for k, r in enumerate(chosen)}
    findings.sort(key=lambda f: (order.get(f.project, len(order)), level_order[f.level], rule_order[f.code]))
    notes_text = []
    if second is not None:
        notes_text.append(BLANK_STANDS)
    return Review(run, data, chosen, findings, ranked, rank_units(ranked) if run.project_source else None, notes_text)


def _level_counts(findings: list[ReviewFinding], key: str) -> pd.DataFrame:
    rows = [(getattr(f, key), f.level) for f in findings]
    frame = pd.DataFrame(rows, columns=[key, "level"]) if rows else pd.DataFrame(columns=[key, "level"])
    counts = frame.groupby([key, "level"]).size().unstack(fill_value=0) if rows else pd.DataFrame()
    return counts.reindex(columns=list(COUNT_COLUMNS), fill_value=0)


def _ranked(frame: pd.DataFrame) -> pd.DataFrame:
    dev = frame["deviation"].abs().fillna(-1.0)
    frame = frame.assign(_dev=dev, _order=np.arange(len(frame)))
    frame = frame.sort_values(["P0", "P1", "_dev", "P2", "_order"], ascending=[False, False, False, False, True],
                              kind="stable")
    frame = frame.drop(columns=["_dev", "_order"]).reset_index(drop=True)
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    return frame


def rank_projects(data: ReviewData, findings: list[ReviewFinding]) -> pd.DataFrame:
    proj = data.projects
    counts = _level_counts(findings, "project").reindex(proj["project"], fill_value=0)
    frame = pd.DataFrame({
        "project": proj["project"].to_numpy(dtype=object),
        "unit": [data.unit_of(p) for p in proj["project"]],
        "total": proj["total"].to_numpy(dtype=float),
        "review_total": proj["review_total"].to_numpy(dtype=float),
        "deviation": proj["deviation"].to_numpy(dtype=float),
        "reviewed": proj["reviewed"].to_numpy(dtype=bool),
        "grade": proj["grade"].to_numpy(dtype=object),
        "execution_rate": proj["execution_rate"].to_numpy(dtype=float),
        **{level: counts[level].to_numpy(dtype=int) for level in COUNT_COLUMNS},
    })
    return _ranked(frame)


def rank_units(projects: pd.DataFrame) -> pd.DataFrame:
    """The units (workbooks) of a batch: projects, findings by level, mean scores, 偏离度 over the reviewed ones."""
    p = projects.assign(_self=np.where(projects["reviewed"], projects["total"], 0.0),
                        _review=np.where(projects["reviewed"], projects["review_total"], 0.0))
    by = p.groupby("unit", sort=False)
    frame = by.agg(projects=("project", "size"), total=("total", "mean"), reviewed=("reviewed", "sum"),
                   P0=("P0", "sum"), P1=("P1", "sum"), P2=("P2", "sum"), _self=("_self", "sum"),
                   _review=("_review", "sum")).reset_index()
    has = frame["reviewed"] > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        # the reviewed projects' own mean 自评 beside their mean 复核: the 偏离度 compares these two
        frame["reviewed_total"] = np.where(has, frame["_self"] / frame["reviewed"].where(has, 1), np.nan)
        frame["review_total"] = np.where(has, frame["_review"] / frame["reviewed"].where(has, 1), np.nan)
        frame["deviation"] = np.where(has & (frame["_self"] > 0), (frame["_self"] - frame["_review"]) / frame["_self"],
                                      np.nan)
    frame["reviewed"] = frame["reviewed"].astype(int)
    return _ranked(frame.drop(columns=["_self", "_review"]))
