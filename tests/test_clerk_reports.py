"""What the reports say on the clerk's and the auditor's path (issue 28): the budget's 偏差原因 carried
to every output, the 自评表 showing values as read and keeping the tool's words in the tool's columns,
the CSV with the detail sheet's columns, the 汇总's rule title and 合计, a bare 满意 without a survey."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from helpers import run_cli
from scoring.answers.workbook import SHEET_BUDGET, SHEET_INDICATORS, SHEET_NARRATIVE
from scoring.reports.template import write_template
from scoring.targets.store import load_targets

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ROOT / "targets" / "2023"
BUDGET_REASON = "因疫情原因部分活动取消，节余资金已按规定收回"


@pytest.fixture(scope="module")
def targets():
    return load_targets(TARGETS)


def example_answers(targets) -> dict[str, object]:
    """A plausible year's answers (the bundled example's generator): 指标编号 → actual."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from example_actuals import example_values

    return {i: a for i, (a, _, _) in example_values(targets, 2023)["values"].items()}


def fill(template: Path, out: Path, answers: dict[str, object], *, budgets: dict[str, tuple] | None = None,
         narratives: dict[str, str] | None = None, reasons: bool = True) -> Path:
    """A unit's workbook as typed in Excel: ``answers`` by 指标编号 (numbers land in the template's cells,
    percent-formatted under percent targets), a 偏差原因 on every row when ``reasons``, every budget
    100000/95000 unless ``budgets[project] = (full, spent, reason)``."""
    wb = openpyxl.load_workbook(template)
    ws = wb[SHEET_INDICATORS]
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 7).value = answers.get(ws.cell(r, 1).value)
        ws.cell(r, 8).value = "说明" if reasons else None
    b = wb[SHEET_BUDGET]
    for r in range(2, b.max_row + 1):
        full, spent, reason = (budgets or {}).get(b.cell(r, 1).value, (100000, 95000, None))
        b.cell(r, 3).value, b.cell(r, 4).value, b.cell(r, 6).value = full, spent, reason
    n = wb[SHEET_NARRATIVE]
    for r in range(2, n.max_row + 1):
        n.cell(r, 3).value = (narratives or {}).get(n.cell(r, 1).value, "按计划完成")
    wb.save(out)
    return out


def run(capsys, actuals: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli(["2023", "--targets", str(TARGETS), "--actuals", str(actuals), "--out", str(out), *extra], capsys)


def sheet_rows(path: Path, name: str) -> list[list]:
    return [list(r) for r in openpyxl.load_workbook(path)[name].iter_rows(values_only=True)]


def form_of(report: Path, project: str) -> list[list]:
    wb = openpyxl.load_workbook(report)
    for ws in wb.worksheets:
        if ws.title.startswith("自评表") and ws.cell(2, 2).value == project:
            return [list(r) for r in ws.iter_rows(values_only=True)]
    raise AssertionError(f"no 自评表 for {project}")


def texts(rows: list[list]) -> str:
    return "\n".join(str(v) for row in rows for v in row if v is not None)


# ------------------------------------------------------------------------------------ item 3: the budget's 偏差原因

@pytest.fixture(scope="module")
def budget_run(tmp_path_factory, targets):
    tmp = tmp_path_factory.mktemp("budget")
    first, second = list(targets.projects["project"])[:2]
    wb = fill(write_template(targets, tmp / "t.xlsx", 2023), tmp / "a.xlsx", example_answers(targets),
              budgets={first: (100000, 60000, BUDGET_REASON), second: (100000, 60000, None)})
    return tmp, wb, first, second


def test_the_budget_reason_reaches_the_json(budget_run, capsys):
    tmp, wb, first, second = budget_run
    code, out, err = run(capsys, wb, tmp / "json", "--json")
    assert code == 0, err
    doc = {p["project"]: p for p in json.loads(out)["projects"]}
    assert doc[first]["budget"]["reason"] == BUDGET_REASON
    assert doc[second]["budget"]["reason"] is None
    assert not any("须说明" in f for f in doc[first]["flags"]) and any("须说明" in f for f in doc[second]["flags"])


def test_the_budget_reason_reaches_the_summary_and_the_form_and_is_no_longer_asked_for(budget_run, capsys):
    tmp, wb, first, second = budget_run
    code, out, err = run(capsys, wb, tmp / "r")
    assert code == 0, err
    report = tmp / "r" / "绩效自评报告_2023.xlsx"
    rows = sheet_rows(report, "汇总")
    header = rows[2]
    by_name = {r[1]: dict(zip(header, r, strict=True)) for r in rows[3:] if r[1] in (first, second)}
    assert by_name[first]["预算执行偏差原因"] == BUDGET_REASON
    assert "须说明" not in (by_name[first]["提示"] or "") and "须说明" in by_name[second]["提示"]
    assert BUDGET_REASON in texts(form_of(report, first))
    # the terminal asks only for the missing one
    asks = [line for line in out.splitlines() if "没有填写偏差原因" in line and "预算执行率" in line]
    assert len(asks) == 1 and second in out.split(asks[0])[0].rsplit("【", 1)[-1]


# ------------------------------------------------------------------------------------ the 汇总's words and 合计

def test_the_summary_names_the_rules_by_title_and_its_total_rate_counts_only_budgets_with_spending(
        tmp_path, targets, capsys):
    first, second = list(targets.projects["project"])[:2]
    wb = fill(write_template(targets, tmp_path / "t.xlsx", 2023), tmp_path / "a.xlsx", example_answers(targets),
              budgets={first: (300000, None, None), second: (100000, 50000, "说明")})
    code, _, err = run(capsys, wb, tmp_path / "r")
    assert code == 0, err
    rows = sheet_rows(tmp_path / "r" / "绩效自评报告_2023.xlsx", "汇总")
    note = rows[1][0]
    assert "国家口径（财预〔2020〕10号）" in note and "评分规则：national；" not in note
    header = rows[2]
    total = next(dict(zip(header, r, strict=True)) for r in rows if str(r[1] or "").startswith("合计"))
    n = len(targets.projects)
    spent = (n - 2) * 95000 + 50000  # the first project has no 执行数: its budget is not divided by
    full = (n - 2) * 100000 + 100000
    assert total["执行率"] == pytest.approx(spent / full)
    assert "有执行数" in total["项目名称"] and f"{n - 1} 个" in total["项目名称"]
