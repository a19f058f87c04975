"""The actuals template: the narrative sheet, per-row hints, budget validation and the 执行率
formula; the narrative read back into the run result; `score template` never overwrites a file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from helpers import run_cli
from scoring.actuals.folder import read_folder
from scoring.actuals.workbook import SHEET_BUDGET, SHEET_INDICATORS, SHEET_NARRATIVE, read_actuals
from scoring.pipeline import run_year
from scoring.reports.template import write_template
from scoring.targets.store import load_targets

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ROOT / "targets" / "2023"
EXAMPLE = ROOT / "actuals" / "2023.xlsx"


@pytest.fixture(scope="module")
def targets():
    return load_targets(TARGETS)


@pytest.fixture
def template(tmp_path, targets) -> Path:
    return write_template(targets, tmp_path / "template.xlsx", 2023)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill_new_layout(template: Path, out: Path, narratives: dict[str, str], *, actual: object = "达成",
                    budget: tuple[float, float] = (100000, 95000)) -> Path:
    """A workbook a unit filled in the new layout, as in Excel: every 实际完成值, every budget row and
    the 年度总体目标完成情况 of the projects in ``narratives`` (text typed as text, even after ``=``)."""
    wb = openpyxl.load_workbook(template)
    ws = wb[SHEET_INDICATORS]
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 7).value = actual
    b = wb[SHEET_BUDGET]
    for r in range(2, b.max_row + 1):
        b.cell(r, 3).value, b.cell(r, 4).value = budget
    n = wb[SHEET_NARRATIVE]
    header = [c.value for c in n[1]]
    c_name, c_text = header.index("项目名称") + 1, header.index("年度总体目标完成情况") + 1
    for r in range(2, n.max_row + 1):
        text = narratives.get(n.cell(r, c_name).value)
        if text is not None:
            cell = n.cell(r, c_text)
            cell.value = text
            cell.data_type = "s"  # typed text (Excel stores '=… typed with an apostrophe as a string)
    wb.save(out)
    return out


def rows_by_id(ws) -> dict[str, int]:
    return {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}


def validations_at(ws, ref: str) -> list:
    return [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]


# ------------------------------------------------------------------------------------ what the template holds

def test_narrative_sheet_shows_each_annual_goal_beside_an_open_cell(template, targets):
    ws = openpyxl.load_workbook(template)[SHEET_NARRATIVE]
    assert [c.value for c in ws[1]] == ["项目名称", "年度目标", "年度总体目标完成情况"]
    assert [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)] == list(targets.projects["project"])
    assert ws.cell(2, 2).value == targets.projects["annual_goal"].iat[0]
    assert ws.protection.sheet and ws.cell(2, 2).protection.locked and not ws.cell(2, 3).protection.locked
    assert validations_at(ws, "C2")[0].promptTitle == "年度总体目标完成情况"


@pytest.mark.parametrize(("annual_value", "title", "words"), [
    ("≥95%", "百分比", "96%"),
    ("≥2次", "数量（次）", "单位：次"),
    ("及时", "定性指标（档次）", "部分达成"),
])
def test_every_input_cell_says_what_to_write_for_its_target(template, targets, annual_value, title, words):
    ws = openpyxl.load_workbook(template)[SHEET_INDICATORS]
    ind = targets.indicators
    ident = ind["id"][ind["annual_value"] == annual_value].iat[0]
    [dv] = validations_at(ws, f"G{rows_by_id(ws)[ident]}")
    assert dv.promptTitle == title and words in dv.prompt
    assert dv.showInputMessage


def test_a_deadline_row_asks_for_a_date_of_the_year(template, targets):
    ws = openpyxl.load_workbook(template)[SHEET_INDICATORS]
    dated = [dv for dv in ws.data_validations.dataValidation if dv.promptTitle == "时限"]
    assert dated and "2023-12-20" in dated[0].prompt
    first = str(dated[0].sqref).split()[0].split(":")[0]
    assert "yy" in ws[first].number_format


def test_every_indicator_row_has_exactly_one_hint(template, targets):
    ws = openpyxl.load_workbook(template)[SHEET_INDICATORS]
    covered: list[str] = []
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            covered += [f"G{r}" for r in range(rng.min_row, rng.max_row + 1)]
    assert sorted(covered) == sorted(f"G{r}" for r in range(2, len(targets.indicators) + 2))
    assert len(ws.data_validations.dataValidation) < 40  # grouped by hint, not one per row


def test_budget_amounts_are_validated_and_the_rate_is_a_locked_formula(template, targets):
    ws = openpyxl.load_workbook(template)[SHEET_BUDGET]
    header = [c.value for c in ws[1]]
    assert header[4] == "执行率"
    n = len(targets.projects)
    [dv] = ws.data_validations.dataValidation
    assert dv.type == "decimal" and dv.operator == "greaterThanOrEqual" and dv.formula1 == "0"
    assert str(dv.sqref) == f"B2:D{n + 1}" and dv.errorStyle in (None, "stop") and dv.showErrorMessage
    for r in (2, n + 1):
        cell = ws.cell(r, 5)
        assert cell.value == f'=IF(AND(N(C{r})>0,ISNUMBER(D{r})),D{r}/C{r},"")'
        assert cell.protection.locked and "%" in cell.number_format
    assert ws.protection.sheet


def test_the_example_template_caches_the_rate_it_computes(tmp_path, targets):
    name = targets.projects["project"].iat[0]
    path = write_template(targets, tmp_path / "ex.xlsx", 2023,
                          example={"budgets": {name: (80000, 80000, 60000, "")}, "narratives": {name: "已完成"}})
    ws = openpyxl.load_workbook(path, data_only=True)[SHEET_BUDGET]
    assert ws.cell(2, 5).value == pytest.approx(0.75)
    assert openpyxl.load_workbook(path)[SHEET_NARRATIVE].cell(2, 3).value == "已完成"


def test_guide_explains_the_narrative_and_the_computed_rate(template):
    text = " ".join(str(c.value) for row in openpyxl.load_workbook(template)["填报说明"].iter_rows() for c in row)
    assert "年度总体目标" in text and "自动计算" in text


# ------------------------------------------------------------------------------------ the narrative read back

def test_narrative_flows_into_the_run_result(tmp_path, targets, template):
    names = list(targets.projects["project"])
    written = {names[0]: "全年举办活动 5 场，\n服务青年 1,200 人次。", names[3]: "  已按计划完成。  "}
    filled = fill_new_layout(template, tmp_path / "filled.xlsx", written)
    result = run_year(2023, targets_dir=TARGETS, actuals_path=filled)
    got = dict(zip(result.projects["project"], result.projects["narrative"], strict=True))
    assert got[names[0]] == written[names[0]]
    assert got[names[3]] == "已按计划完成。"
    assert got[names[1]] == "" and all(isinstance(v, str) for v in got.values())


@pytest.mark.parametrize("typed", ["=SUM(A1:A3)", "+86 已完成", "-3% 低于目标，原因见附件", "@领导 已审阅"])
def test_narrative_that_looks_like_a_formula_stays_text(tmp_path, targets, template, typed):
    name = targets.projects["project"].iat[0]
    filled = fill_new_layout(template, tmp_path / "f.xlsx", {name: typed})
    assert read_actuals(filled).narratives.set_index("project").at[name, "narrative"] == typed


def test_old_layout_without_the_narrative_sheet_is_still_read(tmp_path, template):
    filled = fill_new_layout(template, tmp_path / "new.xlsx", {})
    wb = openpyxl.load_workbook(filled)
    del wb[SHEET_NARRATIVE]
    wb.save(tmp_path / "old.xlsx")
    result = run_year(2023, targets_dir=TARGETS, actuals_path=tmp_path / "old.xlsx")
    assert set(result.projects["narrative"]) == {""}
    # read all the same; one warning says the forms' 实际完成情况 will be blank (issue 28 item 7)
    said = [p for p in result.problems if "总体目标" in p.message]
    assert len(said) == 1 and said[0].severity == "警告" and "实际完成情况" in said[0].message


def test_bundled_example_is_still_read(tmp_path):
    result = run_year(2023, targets_dir=TARGETS, actuals_path=EXAMPLE)
    assert "narrative" in result.projects.columns and len(result.projects) == 16


def test_a_damaged_narrative_header_is_a_warning_not_a_failure(tmp_path, targets, template):
    filled = fill_new_layout(template, tmp_path / "f.xlsx", {targets.projects["project"].iat[0]: "完成"})
    wb = openpyxl.load_workbook(filled)
    wb[SHEET_NARRATIVE].cell(1, 3).value = "说明"
    wb.save(filled)
    a = read_actuals(filled)
    assert a.narratives.empty
    assert any(p.where.endswith(SHEET_NARRATIVE) and p.severity == "警告" for p in a.problems)


def test_a_folder_of_workbooks_keeps_each_projects_narrative(tmp_path, targets, template):
    names = list(targets.projects["project"])
    folder = tmp_path / "dept"
    folder.mkdir()
    project_of = dict(zip(targets.indicators["id"], targets.indicators["project"], strict=True))
    for fname, own, text in (("a.xlsx", names[0], "甲单位的说明"), ("b.xlsx", names[1], "乙单位的说明")):
        path = fill_new_layout(template, folder / fname, {own: text})
        wb = openpyxl.load_workbook(path)  # each unit answers for its own project only (issue 28: no duplicates)
        ws = wb[SHEET_INDICATORS]
        for r in range(2, ws.max_row + 1):
            if project_of.get(ws.cell(r, 1).value) != own:
                ws.cell(r, 7).value = None
        b = wb[SHEET_BUDGET]
        for r in range(2, b.max_row + 1):
            if b.cell(r, 1).value != own:
                b.cell(r, 3).value = b.cell(r, 4).value = None
        wb.save(path)
    a = read_folder(folder, str(folder), set(), workers=1, project_of=project_of)
    assert dict(zip(a.narratives["project"], a.narratives["narrative"], strict=True)) == {
        names[0]: "甲单位的说明", names[1]: "乙单位的说明"}


# ------------------------------------------------------------------------------------ score template never overwrites

def test_template_refuses_an_existing_workbook_with_answers(tmp_path, targets, template, capsys):
    filled = fill_new_layout(template, tmp_path / "filled.xlsx", {targets.projects["project"].iat[0]: "完成"})
    before = sha(filled)
    code, _, err = run_cli(["template", "2023", "--targets", str(TARGETS), "--out", str(filled)], capsys)
    assert code == 2 and "已经填写了内容（实际完成值" in err and "--force" in err and "Traceback" not in err
    assert sha(filled) == before


def test_template_refuses_any_existing_file_and_force_overwrites(tmp_path, capsys):
    other = tmp_path / "notes.xlsx"
    other.write_bytes(b"not a workbook")
    code, _, err = run_cli(["template", "2023", "--targets", str(TARGETS), "--out", str(other)], capsys)
    assert code == 2 and "已存在" in err and other.read_bytes() == b"not a workbook"
    code, out, _ = run_cli(["template", "2023", "--targets", str(TARGETS), "--out", str(other), "--force"], capsys)
    assert code == 0 and "已生成填报模板" in out
    assert SHEET_NARRATIVE in openpyxl.load_workbook(other).sheetnames


def test_template_never_writes_over_its_own_input_even_with_force(tmp_path, capsys):
    import shutil

    shutil.copytree(TARGETS, tmp_path / "t")
    victim = tmp_path / "t" / "indicators.csv"
    before = sha(victim)
    code, _, err = run_cli(["template", "2023", "--targets", str(tmp_path / "t"), "--out", str(victim), "--force"],
                           capsys)
    assert code == 2 and "输入文件" in err and sha(victim) == before


def test_template_to_a_new_path_writes_it(tmp_path, capsys):
    out = tmp_path / "new" / "t.xlsx"
    out.parent.mkdir()
    code, stdout, _ = run_cli(["template", "2023", "--targets", str(TARGETS), "--out", str(out)], capsys)
    assert code == 0 and out.exists() and "155 个指标" in stdout


def test_narrative_reaches_the_json_and_the_self_evaluation_form(tmp_path, targets, template, capsys):
    import json

    name = targets.projects["project"].iat[2]
    filled = fill_new_layout(template, tmp_path / "f.xlsx", {name: "全年完成既定目标，服务对象满意。"})
    code, out, err = run_cli(["2023", "--targets", str(TARGETS), "--actuals", str(filled),
                              "--out", str(tmp_path / "r"), "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert {p["project"]: p.get("narrative") for p in doc["projects"]}[name] == "全年完成既定目标，服务对象满意。"
    reports = list((tmp_path / "r").glob("绩效自评报告_*.xlsx"))
    cells = [c.value for ws in openpyxl.load_workbook(reports[0]).worksheets for row in ws.iter_rows() for c in row]
    assert "全年完成既定目标，服务对象满意。" in cells


def test_the_monitoring_template_is_guarded_too(tmp_path, template, capsys):
    before = sha(template)
    code, _, err = run_cli(["template", "2023", "--monitor", "--through", "2023-06-30", "--targets", str(TARGETS),
                            "--out", str(template)], capsys)
    assert code == 2 and "--force" in err and sha(template) == before
