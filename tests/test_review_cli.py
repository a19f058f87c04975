"""``score review``'s edges: the 复核 columns in the template and the reader (old workbooks still read),
the profile's ``review:`` section validated, usage errors in Chinese with exit 2."""

from __future__ import annotations

import openpyxl
import pytest
from review_fixtures import write_example

from helpers import run_cli
from scoring.actuals.workbook import INDICATOR_HEADER, REVIEW_HEADER, read_actuals
from scoring.findings import ScoreError
from scoring.review.catalog import load_rules
from scoring.review.examples import CLEAN
from scoring.rubric.profile_file import load_profile
from scoring.rubric.sections.review import ReviewSettings, review_settings

RULES = load_rules()


def test_template_review_adds_the_reviewers_columns(tmp_path, capsys):
    out = tmp_path / "复核模板.xlsx"
    code, stdout, err = run_cli(["template", "2023", "--review", "--out", str(out)], capsys)
    assert code == 0, err
    assert "复核完成值" in stdout
    ws = openpyxl.load_workbook(out)["指标实际值"]
    assert [c.value for c in ws[1]] == [*INDICATOR_HEADER, *REVIEW_HEADER]
    code, _, err = run_cli(["template", "2023", "--out", str(tmp_path / "plain.xlsx")], capsys)
    assert [c.value for c in openpyxl.load_workbook(tmp_path / "plain.xlsx")["指标实际值"][1]] == list(INDICATOR_HEADER)


def test_review_with_monitor_is_a_usage_error(tmp_path, capsys):
    code, _, err = run_cli(["template", "2023", "--review", "--monitor", "--through", "2023-07-31",
                            "--out", str(tmp_path / "m.xlsx")], capsys)
    assert code == 2 and "--review" in err


def test_a_workbook_without_review_columns_reads_as_before():
    a = read_actuals("actuals/2023.xlsx")
    assert not any(c.startswith("review") for c in a.values.columns)


def test_the_reviewers_cells_are_read_with_their_place(tmp_path):
    _, book = write_example(RULES["review_changed"].fires, tmp_path)
    v = read_actuals(book).values.set_index("id")
    assert v.at["PR0001-0000", "review_actual"] == 3
    assert v.at["PR0001-0000", "review_note"] == "签到表只能核实3场"
    assert v.at["PR0001-0000", "review_cell"].endswith("指标实际值 › K2")
    assert v.at["PR0001-0001", "review_note"] == ""


def test_a_reviewers_percent_cell_is_a_percentage(tmp_path):
    from scoring.review.registry import Example, Project, Row

    row = Row("产出指标", "质量指标", "合格率", "≥90%", 0.95, "", "成绩单", review=0.8, note="抽查合格率80%")
    _, book = write_example(Example((Project("项目", (row,)),)), tmp_path)
    v = read_actuals(book, percent_ids={"PR0001-0000"}).values
    assert bool(v["review_is_percent"].iat[0]) and bool(v["actual_is_percent"].iat[0])


def test_review_settings_are_validated():
    assert load_profile().review == ReviewSettings()
    with pytest.raises(ScoreError, match=r"review\.gaps"):
        review_settings({"gaps": 3}, "x.yaml")
    with pytest.raises(ScoreError, match="0–100"):
        review_settings({"deviation": 120}, "x.yaml")
    with pytest.raises(ScoreError, match="正整数"):
        review_settings({"copied_min_chars": 2.5}, "x.yaml")


def test_a_bad_review_section_stops_with_exit_2(tmp_path, capsys):
    rules = tmp_path / "bad.yaml"
    rules.write_text("extends: national\nreview:\n  deviation: abc\n", encoding="utf-8")
    code, _, err = run_cli(["review", "2023", "--rules", str(rules), "--out", str(tmp_path)], capsys)
    assert code == 2 and "review.deviation" in err and "Traceback" not in err


def test_usage_errors(capsys, tmp_path):
    code, _, err = run_cli(["review"], capsys)
    assert code == 2 and "缺少年度" in err
    code, _, err = run_cli(["review", "2023", "--only", "no_such_rule", "--out", str(tmp_path)], capsys)
    assert code == 2 and "no_such_rule" in err
    code, out, _ = run_cli(["review", "--list"], capsys)
    assert code == 0 and all(c in out for c in RULES)


def test_the_review_never_writes_over_its_input(tmp_path, capsys):
    targets, book = write_example(CLEAN, tmp_path)
    fake = tmp_path / "复核意见_2023.xlsx"
    fake.write_bytes(book.read_bytes())
    code, _, err = run_cli(["review", "2023", "--targets", str(targets), "--actuals", str(fake), "--out",
                            str(tmp_path)], capsys)
    assert code == 2 and "覆盖" in err


def test_a_reviewer_adds_the_two_columns_to_a_units_workbook(tmp_path, capsys):
    """The 复核 of a workbook filled from the old template: the reviewer types the two headers beside it."""
    import json
    import shutil

    book = tmp_path / "单位报送.xlsx"
    shutil.copy("actuals/2023.xlsx", book)
    wb = openpyxl.load_workbook(book)
    ws = wb["指标实际值"]
    col = ws.max_column + 1
    ws.cell(1, col, "复核完成值")
    ws.cell(1, col + 1, "复核意见")
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 5).value == "开展活动数量")
    ws.cell(row, col, 1)
    ws.cell(row, col + 1, "台账只能核实1次活动")
    wb.save(book)
    code, out, err = run_cli(["review", "2023", "--actuals", str(book), "--out", str(tmp_path / "out"), "--json"],
                             capsys)
    assert code == 0, err
    doc = json.loads(out)
    changed = [f for f in doc["findings"] if f["code"] == "review_changed"]
    assert len(changed) == 1 and "台账只能核实1次活动" in changed[0]["message"]
    reviewed = [p for p in doc["projects"] if p["review_total"] is not None]
    assert [p["project"] for p in reviewed] == [changed[0]["project"]]
    assert reviewed[0]["review_total"] < reviewed[0]["total"] and reviewed[0]["deviation"] > 0
