"""The 指标实际值 rows as the reader takes them, one light step per row (issue 14): the problems it
finds on the way keep their cells and their row order."""

from __future__ import annotations

import openpyxl
import pytest
from test_main_job import TARGETS, fill, targets, template  # noqa: F401  (fixtures)

from scoring.actuals.workbook import BASELINE_HEADER, SHEET_INDICATORS, open_actuals, read_actuals
from scoring.findings import ScoreError
from scoring.pipeline import run_year


def _edit(path, edits) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_INDICATORS]
    header = [c.value for c in ws[1]]
    for (r, name), value in edits.items():
        ws.cell(r, header.index(name) + 1).value = value
    wb.save(path)


def test_rows_without_id_and_baselines_that_are_not_numbers_are_reported_in_row_order(tmp_path, template):  # noqa: F811
    path = fill(template, tmp_path / "a.xlsx", {})
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_INDICATORS]
    header = [c.value for c in ws[1]]
    c_id = header.index("指标编号") + 1
    id5, id9 = ws.cell(5, c_id).value, ws.cell(9, c_id).value
    _edit(path, {(4, BASELINE_HEADER): "约100", (5, "指标编号"): None, (7, "指标编号"): "   ",
                 (9, "指标编号"): f"  {id9} ", (9, BASELINE_HEADER): "1,200", (12, BASELINE_HEADER): 3})
    a = read_actuals(path, label="实际值.xlsx")
    messages = [(p.where, p.message) for p in a.problems]
    base_col = openpyxl.utils.get_column_letter(header.index(BASELINE_HEADER) + 1)
    id_col = openpyxl.utils.get_column_letter(c_id)
    assert messages[:3] == [
        (f"实际值.xlsx › 指标实际值 › {base_col}4", "基数“约100”不是数值，未采用"),
        (f"实际值.xlsx › 指标实际值 › {id_col}5", "这一行有内容但没有指标编号，未计分"),
        (f"实际值.xlsx › 指标实际值 › {id_col}7", "这一行有内容但没有指标编号，未计分"),
    ]
    values = a.values.set_index("id")
    assert id5 not in values.index and id9 in values.index  # an id is read without its spaces
    assert values.at[id9, "baseline"] == 1200 and values.at[id9, "cell"].endswith("9")
    assert values["baseline"].notna().sum() == 2


def test_an_opened_workbook_reads_the_same(tmp_path, template):  # noqa: F811
    path = fill(template, tmp_path / "a.xlsx", {})
    a = read_actuals(path, label="x.xlsx")
    b = read_actuals(path, label="x.xlsx", opened=open_actuals(path, "x.xlsx"))
    assert a.values.equals(b.values) and a.budgets.equals(b.budgets)
    assert [p.to_json() for p in a.problems] == [p.to_json() for p in b.problems]


def test_with_the_workbook_opened_beside_the_targets_a_targets_error_still_comes_first(tmp_path):
    bad = tmp_path / "坏的.xlsx"
    bad.write_bytes(b"not a workbook at all")
    with pytest.raises(ScoreError) as info:
        run_year(2023, targets_dir=tmp_path / "没有这个目录", actuals_path=bad)
    assert "没有这个目录" in str(info.value) and "坏的" not in str(info.value)
    with pytest.raises(ScoreError) as info:  # good targets: the workbook's own error, raised here
        run_year(2023, targets_dir=TARGETS, actuals_path=bad, actuals_label="坏的.xlsx")
    assert info.value.where == "坏的.xlsx" and "不是 Excel 工作簿" in info.value.message
