"""Two projects of one name (two units' 办公经费) are scored apart, never as one project.

The workbook's 预算执行 and 年度总体目标 sheets name a project by its 项目名称, so two projects of one name used to
share one budget row and one weight sum, silently. Now each is called by its name and unit (or 项目编号) in the
template, the scoring and the reports, and ``score check`` says so.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl

from helpers import run_cli
from scoring.actuals.workbook import SHEET_BUDGET, SHEET_INDICATORS
from scoring.targets.store import load_targets, read_targets, save_targets

BUNDLED = Path(__file__).resolve().parents[1] / "targets" / "2023"


def same_name_targets(tmp_path: Path, second_unit: str) -> tuple[Path, str, str, str]:
    """The bundled targets with the second project renamed as the first (unit ``second_unit``)."""
    t = load_targets(BUNDLED, distinct=False)
    projects, indicators = t.projects.copy(), t.indicators.copy()
    first, second = projects["project_id"].iat[0], projects["project_id"].iat[1]
    name = projects["project"].iat[0]
    projects.loc[1, "project"], projects.loc[1, "unit"] = name, second_unit
    indicators.loc[indicators["project_id"] == second, "project"] = name
    out = tmp_path / "targets" / "2023"
    save_targets(replace(t, projects=projects, indicators=indicators), out)
    return out, name, first, second


def test_two_projects_of_one_name_are_told_apart_by_their_units(tmp_path):
    directory, name, first, second = same_name_targets(tmp_path, "另一个单位")
    t = read_targets(directory)
    names = dict(zip(t.projects["project_id"], t.projects["project"], strict=True))
    assert names[second] == f"{name}（另一个单位）"
    assert names[first].startswith(f"{name}（") and names[first] != names[second]
    assert set(t.indicators.loc[t.indicators["project_id"] == second, "project"]) == {names[second]}
    said = [p for p in t.problems if "同名" in p.message]
    assert len(said) == 2 and all(p.severity == "警告" and "projects.yaml" in p.where for p in said)
    assert read_targets(directory, distinct=False).projects["project"].iat[1] == name  # the files keep it as written


def test_one_unit_with_two_projects_of_one_name_tells_them_apart_by_number(tmp_path):
    directory, name, first, second = same_name_targets(tmp_path, "")
    t = read_targets(directory)
    assert sorted(t.projects["project"][t.projects["project_id"].isin([first, second])]) == sorted(
        [f"{name}（{first}）", f"{name}（{second}）"])


def test_the_two_projects_get_their_own_budgets_and_scores(tmp_path, capsys, monkeypatch):
    directory, name, _, _ = same_name_targets(tmp_path, "另一个单位")
    monkeypatch.chdir(tmp_path)
    _, out, err = run_cli(["check", "2023"], capsys)
    assert "同名" in out + err
    template = tmp_path / "template.xlsx"
    assert run_cli(["template", "2023", "--out", str(template)], capsys)[0] == 0
    wb = openpyxl.load_workbook(template)
    budget = wb[SHEET_BUDGET]
    rows = {budget.cell(r, 1).value: r for r in range(2, budget.max_row + 1)}
    ours = [n for n in rows if str(n).startswith(name)]
    assert len(ours) == 2  # one budget row each, not two rows of one name
    spent = {}
    for k, label in enumerate(ours):  # 95% executed for one, 50% for the other
        budget.cell(rows[label], 3).value, budget.cell(rows[label], 4).value = 100000, (95000, 50000)[k]
        spent[label] = (0.95, 0.5)[k]
    for label, r in rows.items():
        if label not in spent:
            budget.cell(r, 3).value, budget.cell(r, 4).value = 100000, 95000
    ws = wb[SHEET_INDICATORS]
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 7).value = "达成"
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)

    from scoring.pipeline import run_year

    result = run_year(2023, targets_dir=directory, actuals_path=filled)
    projects = result.projects.set_index("project")
    assert all(label in projects.index for label in ours)
    assert sorted(projects.loc[ours, "execution_rate"].round(2)) == [0.5, 0.95]
    weights = result.indicators.groupby("project")["weight"].sum()
    assert all(weights[label] > 0 for label in ours)
    assert not [p for p in result.problems if p.severity == "错误" and name in p.message]
    assert len([p for p in result.problems if "同名" in p.message]) == 2  # the report says why the names changed
