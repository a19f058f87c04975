"""Build a year's targets and an actuals workbook from review examples (:mod:`scoring.review.registry`),
as a unit (and a reviewer) would fill them: the rule tests score each example with the real pipeline."""

from __future__ import annotations

from pathlib import Path

from scoring.reports.template import write_template
from scoring.review.registry import Example, Project
from scoring.targets.model import Targets, indicators_frame, projects_frame
from scoring.targets.store import save_targets

YEAR = 2023


def targets_of(projects: tuple[Project, ...], year: int = YEAR) -> Targets:
    recs, inds = [], []
    for k, p in enumerate(projects, 1):
        pid = f"PR{k:04d}"
        recs.append({"project_id": pid, "project": p.name, "unit": "示例单位", "department": "示例部门",
                     "start_year": year, "end_year": year, "budget": p.full_budget or 100_000,
                     "annual_goal": f"完成{p.name}的年度任务"})
        for j, r in enumerate(p.rows):
            inds.append({"id": f"{pid}-{j:04d}", "project_id": pid, "project": p.name, "level1": r.level1,
                         "level2": r.level2, "level3": r.level3, "period_value": "", "annual_value": r.target,
                         "weight": None if p.weights is None else p.weights[j]})
    return Targets(projects_frame(recs), indicators_frame(inds), year=year)


def answers_of(projects: tuple[Project, ...], ids: dict[str, str] | None = None) -> tuple[dict, bool]:
    """The template's ``example`` filling, and whether a reviewer wrote anything. ``ids``: project → 项目编号
    (default: their order in ``projects``, as :func:`targets_of` numbers them)."""
    ids = ids or {p.name: f"PR{k:04d}" for k, p in enumerate(projects, 1)}
    values, review, budgets, narratives = {}, {}, {}, {}
    for p in projects:
        pid = ids[p.name]
        budgets[p.name] = (p.full_budget, p.full_budget, p.spent, p.budget_reason)
        if p.narrative:
            narratives[p.name] = p.narrative
        for j, r in enumerate(p.rows):
            values[f"{pid}-{j:04d}"] = (r.actual, r.reason, r.evidence)
            if r.review is not None or r.note:
                review[f"{pid}-{j:04d}"] = (r.review, r.note)
    return {"values": values, "budgets": budgets, "narratives": narratives, "review": review}, bool(review)


def write_projects(projects: tuple[Project, ...], root: Path, name: str = "actuals.xlsx",
                   year: int = YEAR) -> tuple[Path, Path]:
    """``root/targets`` and ``root/<name>`` for ``projects``."""
    targets = targets_of(projects, year)
    tdir = save_targets(targets, root / "targets")
    filling, reviewed = answers_of(projects)
    book = write_template(targets, root / name, year, example=filling, review=reviewed)
    return tdir, book


def write_units(units: dict[str, tuple[Project, ...]], root: Path, year: int = YEAR) -> tuple[Path, Path]:
    """``root/targets`` for every unit's projects and ``root/units/<unit>.xlsx``, one workbook per unit holding
    its own projects only (as each unit fills its own)."""
    everything = tuple(p for projects in units.values() for p in projects)
    targets = targets_of(everything, year)
    tdir = save_targets(targets, root / "targets")
    ids = dict(zip(targets.projects["project"], targets.projects["project_id"], strict=True))
    for unit, projects in units.items():
        names = {p.name for p in projects}
        mine = Targets(targets.projects[targets.projects["project"].isin(names)].reset_index(drop=True),
                       targets.indicators[targets.indicators["project"].isin(names)].reset_index(drop=True), year=year)
        filling, reviewed = answers_of(projects, ids)
        write_template(mine, root / "units" / f"{unit}.xlsx", year, example=filling, review=reviewed)
    return tdir, root / "units"


def write_example(example: Example, root: Path, year: int = YEAR) -> tuple[Path, Path]:
    return write_projects(example.projects, root, year=year)
