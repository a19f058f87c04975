"""What the reports say on the clerk's and the auditor's path (issue 28): the budget's 偏差原因 carried
to every output, the 自评表 showing values as read and keeping the tool's words in the tool's columns,
the CSV with the detail sheet's columns, the 汇总's rule title and 合计, a bare 满意 without a survey."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from helpers import run_cli
from scoring.actuals.workbook import SHEET_BUDGET, SHEET_INDICATORS, SHEET_NARRATIVE
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
         narratives: dict[str, str] | None = None, reasons: bool = True, no_reason: frozenset = frozenset()) -> Path:
    """A unit's workbook as typed in Excel: ``answers`` by 指标编号 (numbers land in the template's cells,
    percent-formatted under percent targets), a 偏差原因 on every row when ``reasons``, every budget
    100000/95000 unless ``budgets[project] = (full, spent, reason)``."""
    wb = openpyxl.load_workbook(template)
    ws = wb[SHEET_INDICATORS]
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 7).value = answers.get(ws.cell(r, 1).value)
        ws.cell(r, 8).value = "说明" if reasons and ws.cell(r, 1).value not in no_reason else None
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
    return [list(r) for r in openpyxl.load_workbook(path, read_only=True)[name].iter_rows(values_only=True)]


def form_of(report: Path, project: str) -> list[list]:
    wb = openpyxl.load_workbook(report, read_only=True)  # values only: no merged-cell objects to build
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
    asks = [line for line in out.splitlines() if "预算执行的偏差原因" in line]
    assert len(asks) == 1 and "1 个项目" in asks[0] and second in asks[0] and first not in asks[0]


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


# ------------------------------------------------------------------------------------ item 5: --format csv

@pytest.fixture(scope="module")
def lost_points(tmp_path_factory, targets):
    """A workbook where one indicator lost points and says why (偏差原因分析及改进措施)."""
    tmp = tmp_path_factory.mktemp("csv")
    answers = example_answers(targets)
    ident = targets.indicators["id"][targets.indicators["annual_value"] == "≥300人"].iat[0]
    answers[ident] = 150
    return tmp, fill(write_template(targets, tmp / "t.xlsx", 2023), tmp / "a.xlsx", answers), ident


def test_the_csv_has_every_column_of_the_detail_sheet_named_the_same(lost_points, capsys):
    import pandas as pd

    tmp, wb, ident = lost_points
    assert run(capsys, wb, tmp / "x")[0] == 0
    assert run(capsys, wb, tmp / "c", "--format", "csv")[0] == 0
    sheet = sheet_rows(tmp / "x" / "指标明细_2023.xlsx", "指标明细")
    csv = pd.read_csv(tmp / "c" / "指标明细_2023.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    header = [h for h in sheet[0] if h]
    assert [c for c in csv.columns if c in header] == header  # all of them, in the sheet's order
    row = dict(zip(sheet[0], next(r for r in sheet if r[0] == ident), strict=True))
    line = csv[csv["指标编号"] == ident].iloc[0]
    assert line["偏差原因分析及改进措施"] == row["偏差原因分析及改进措施"] == "说明"
    for h in header:  # each value as the sheet's cell shows it
        if isinstance(row[h], float):
            assert float(line[h]) == pytest.approx(row[h]), h
        else:
            assert line[h] == (row[h] or ""), h


def test_a_csv_run_says_that_the_older_workbooks_beside_it_were_not_updated(lost_points, capsys):
    tmp, wb, _ = lost_points
    out = tmp / "both"
    assert run(capsys, wb, out)[0] == 0
    code, text, _ = run(capsys, wb, out, "--format", "csv")
    assert code == 0
    said = text.split("报告已写出")[1]
    assert "绩效自评报告_2023.xlsx" in said and "指标明细_2023.xlsx" in said and "没有更新" in said
    code, text, _ = run(capsys, wb, tmp / "fresh", "--format", "csv")
    assert code == 0 and "没有更新" not in text


# ------------------------------------------------------------------------------------ item 7: the 自评表

@pytest.fixture(scope="module")
def form_run(tmp_path_factory, targets):
    """95 typed into a percent-formatted cell, 0.95 typed as text under a percent target, one indicator
    left blank; one project's 年度总体目标完成情况 left blank."""
    tmp = tmp_path_factory.mktemp("form")
    ind = targets.indicators
    first = targets.projects["project"].iat[0]
    pct = list(ind["id"][(ind["project"] == first) & (ind["annual_value"].str.contains("%"))])
    blank = ind["id"][(ind["project"] == first) & ~ind["id"].isin(pct)].iat[0]
    answers = example_answers(targets)
    answers[pct[0]], answers[pct[1]], answers[blank] = 95, "0.95", None
    wb = fill(write_template(targets, tmp / "t.xlsx", 2023), tmp / "a.xlsx", answers,
              narratives={first: ""}, no_reason=frozenset({blank}))
    return tmp, wb, first, pct[:2], blank


def test_the_form_shows_the_value_as_read(form_run, targets, capsys):
    tmp, wb, first, (typed_95, text_095), _ = form_run
    assert run(capsys, wb, tmp / "r")[0] == 0
    rows = form_of(tmp / "r" / "绩效自评报告_2023.xlsx", first)
    shown = {r[3]: r[5] for r in rows if r[3]}
    ind = targets.indicators.set_index("id")
    assert shown[ind.at[typed_95, "level3"]] == "95%"  # not 9500%
    assert shown[ind.at[text_095, "level3"]] == "95%"  # not 0.95
    assert "9500%" not in texts(rows)


def test_the_tools_diagnostics_stay_out_of_the_units_reason_column(form_run, targets, capsys):
    tmp, wb, first, _, blank = form_run
    assert run(capsys, wb, tmp / "r2")[0] == 0
    rows = form_of(tmp / "r2" / "绩效自评报告_2023.xlsx", first)
    header = next(k for k, r in enumerate(rows) if r[1] == "一级指标")
    name = targets.indicators.set_index("id").at[blank, "level3"]
    row = next(r for r in rows[header:] if r[3] == name)
    assert row[8] is None  # the unit wrote nothing there: the tool writes nothing there either
    foot = texts(rows[header + 1:])
    assert "无法判定" in foot and name in foot  # said in the tool's note under the table


def test_a_blank_narrative_is_warned_about(form_run, capsys):
    tmp, wb, first, _, _ = form_run
    code, out, _ = run(capsys, wb, tmp / "j", "--json")
    assert code == 0
    about = [p for p in json.loads(out)["problems"] if first in p["message"] and "年度总体目标完成情况" in p["message"]]
    assert len(about) == 1 and about[0]["severity"] == "警告" and SHEET_NARRATIVE in about[0]["where"]


def test_a_workbook_without_the_narrative_sheet_is_warned_once(tmp_path, targets, capsys):
    wb = fill(write_template(targets, tmp_path / "t.xlsx", 2023), tmp_path / "a.xlsx", example_answers(targets))
    book = openpyxl.load_workbook(wb)
    del book[SHEET_NARRATIVE]
    book.save(wb)
    code, out, _ = run(capsys, wb, tmp_path / "j", "--json")
    assert code == 0
    about = [p for p in json.loads(out)["problems"] if "年度总体目标" in p["message"]]
    assert len(about) == 1 and "实际完成情况" in about[0]["message"]
