"""The audit workbook (指标明细_<year>.xlsx, rust_xlsxwriter) against the previous writer's output
(xlsxwriter per cell, tests/report_reference.py): same cells, same formats; text never a formula.

Changed on purpose, and so not compared: the 佐证材料 column (new), wrapped text and narrower columns
(printable on A3), and the 得分 cell no longer tinted with its verdict's colour (a conditional format
can only test the cell's own column in that writer; the 判定 cell beside it carries the colour).
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_reference import write_reference

from helpers import examples
from scoring.pipeline import run_year
from scoring.reports.audit import DETAIL_COLUMNS, write_audit
from scoring.results import RunResult
from scoring.rubric.engine import Scored

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ROOT / "targets" / "2023"
EXAMPLE = ROOT / "actuals" / "2023.xlsx"
# what the new writer changes on purpose (issues 14 and 15)
NEW_COLUMNS = {"佐证材料",  # the indicators' evidence, read from the template and no longer dropped
               "评分标准（原文）", "计分依据"}  # the indicator's own 评分标准 and whether it scored the indicator (issue 26)


@pytest.fixture(scope="module")
def result() -> RunResult:
    return run_year(2023, targets_dir=TARGETS, actuals_path=EXAMPLE)


@pytest.fixture(scope="module")
def both(result, tmp_path_factory) -> tuple[openpyxl.Workbook, openpyxl.Workbook]:
    out = tmp_path_factory.mktemp("audit")
    old = openpyxl.load_workbook(write_reference(result, out / "old.xlsx"))
    new = openpyxl.load_workbook(write_audit(result, out))
    return old, new


def _rgb(color) -> str | None:
    return color.rgb[-6:] if color is not None and isinstance(color.rgb, str) else None


def _conditional_fill(ws, cell) -> str | None:
    """The fill the sheet's conditional formats give ``cell`` (text rules on its column)."""
    for cf in ws.conditional_formatting:
        if cell.coordinate not in cf.sqref:
            continue
        for rule in cf.rules:
            if rule.type == "beginsWith" and str(cell.value or "").startswith(rule.text):
                return _rgb(rule.dxf.fill.bgColor) or _rgb(rule.dxf.fill.fgColor)
    return None


def _style(cell) -> tuple:
    """How a cell looks; an unwritten cell looks as its column's default format says."""
    if not cell.has_style:
        cell = next(d for d in cell.parent.column_dimensions.values() if d.min and d.min <= cell.column <= d.max)
    return (cell.number_format, cell.font.name, cell.font.sz, bool(cell.font.b), cell.border.left.style,
            cell.border.top.style, cell.alignment.vertical, cell.alignment.horizontal)


def test_same_rows_values_and_types_as_the_previous_writer(both):
    old, new = both
    for sheet in ("指标明细", "问题清单"):
        a, b = old[sheet], new[sheet]
        head_a = [c.value for c in a[1]]
        head_b = [c.value for c in b[1]]
        assert [h for h in head_b if h not in NEW_COLUMNS] == head_a, sheet
        assert a.max_row == b.max_row, sheet
        for ra, rb in zip(a.iter_rows(min_row=2), b.iter_rows(min_row=2), strict=True):
            cells_b = {h: c for h, c in zip(head_b, rb, strict=True)}
            for h, ca in zip(head_a, ra, strict=True):
                cb = cells_b[h]
                assert (ca.value, ca.data_type) == (cb.value, cb.data_type) or (
                    isinstance(ca.value, int | float) and ca.value == cb.value), (sheet, h, ca.row)


def test_same_formats_as_the_previous_writer(both):
    old, new = both
    for sheet in ("指标明细", "问题清单"):
        a, b = old[sheet], new[sheet]
        head_b = [c.value for c in b[1]]
        for ra, rb in zip(a.iter_rows(), b.iter_rows(), strict=True):
            cells_b = dict(zip(head_b, rb, strict=True))
            for ca in ra:
                cb = cells_b[a.cell(1, ca.column).value]
                assert _style(ca) == _style(cb), (sheet, ca.coordinate, cb.coordinate)
        assert _rgb(a["A1"].fill.fgColor) == _rgb(b["A1"].fill.fgColor)  # the header colour
        assert a.freeze_panes == b.freeze_panes


def test_verdict_colours_are_conditional_formats_with_the_previous_colours(both):
    old, new = both
    a, b = old["指标明细"], new["指标明细"]
    col_a = [c.value for c in a[1]].index("判定") + 1
    col_b = [c.value for c in b[1]].index("判定") + 1
    seen = set()
    for r in range(2, a.max_row + 1):
        ca, cb = a.cell(r, col_a), b.cell(r, col_b)
        assert _rgb(ca.fill.fgColor) == _conditional_fill(b, cb), (r, ca.value)
        assert cb.fill.fill_type is None, "the colour is a conditional format, not a fixed fill"
        seen.add(ca.value)
    assert len(seen) >= 3
    assert b.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(DETAIL_COLUMNS))}{b.max_row}"


def test_the_detail_prints_on_a3_landscape_with_the_header_on_every_page(both):
    _, new = both
    ws = new["指标明细"]
    assert ws.page_setup.paperSize == 8 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"
    assert "&P" in ws.oddFooter.center.text
    used = [c for c in range(1, len(DETAIL_COLUMNS) + 1)  # a column with no text at all (评分标准 in the seed) has no cells
            if any(ws.cell(r, c).value is not None for r in range(2, ws.max_row + 1))]
    assert len(used) == len(DETAIL_COLUMNS) - 1
    assert all(ws.cell(2, c).alignment.wrap_text for c in used)
    problems = new["问题清单"]
    assert problems.page_setup.paperSize == 9 and problems.print_title_rows == "$1:$1"
    assert problems["D2"].alignment.wrap_text


def test_rows_are_as_tall_as_their_wrapped_text(both, result):
    """LibreOffice does not size rows on opening: without heights, wrapped rows overlap."""
    _, new = both
    ws = new["指标明细"]
    head = [c.value for c in ws[1]]
    col = head.index("计算过程") + 1
    width = ws.column_dimensions[ws.cell(1, col).column_letter].width
    checked = 0
    for r in range(2, ws.max_row + 1):
        text = ws.cell(r, col).value or ""
        wide = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
        if wide > width:  # two lines at least
            assert (ws.row_dimensions[r].height or 15) >= 2 * 13, (r, text)
            checked += 1
    assert checked > 5
    problems = new["问题清单"]
    assert any((problems.row_dimensions[r].height or 0) > 15 for r in range(2, problems.max_row + 1))


def test_past_the_wrapping_limit_the_detail_is_one_line_a_row(result, tmp_path, monkeypatch):
    """A province's million rows: no wrapping and no row heights (which would make the writer hold
    the whole sheet in memory); the same cells otherwise, and 问题清单 still wraps."""
    from scoring.reports import audit

    wrapped = openpyxl.load_workbook(write_audit(result, tmp_path / "wrapped"))
    monkeypatch.setattr(audit, "WRAPPED_ROWS", len(result.indicators) - 1)
    flat = openpyxl.load_workbook(write_audit(result, tmp_path / "flat"))
    a, b = wrapped["指标明细"], flat["指标明细"]
    assert [[c.value for c in row] for row in a.iter_rows()] == [[c.value for c in row] for row in b.iter_rows()]
    assert not any(b.cell(2, c).alignment.wrap_text for c in range(1, len(DETAIL_COLUMNS) + 1))
    assert all(b.row_dimensions[r].height is None for r in range(2, b.max_row + 1))
    assert any(a.row_dimensions[r].height for r in range(2, a.max_row + 1))
    assert b.cell(2, 1).font.name == "宋体" and b.freeze_panes == "B2" and b.auto_filter.ref
    assert flat["问题清单"]["D2"].alignment.wrap_text


FORMULA_LIKE = st.builds(lambda lead, rest: lead + rest, st.sampled_from(["=", "+", "-", "@"]),
                         st.text(alphabet="SUM(A1:B2)+-*/ 0123456789!'\"|cmd计算", max_size=20))


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actual=FORMULA_LIKE, reason=FORMULA_LIKE)
def test_text_that_looks_like_a_formula_stays_text(result, tmp_path, actual, reason):
    ind = result.indicators.copy()
    ind.loc[0, "actual_display"] = actual
    ind.loc[0, "reason_text"] = reason
    ind.loc[1, "evidence"] = reason
    changed = replace(result, scored=Scored(ind, result.projects, result.profile, result.year))
    path = write_audit(changed, tmp_path)
    ws = openpyxl.load_workbook(path)["指标明细"]
    head = [c.value for c in ws[1]]
    got = {h: ws.cell(2, head.index(h) + 1) for h in ("实际完成值（填报）", "偏差原因分析及改进措施")}
    assert got["实际完成值（填报）"].value == actual and got["实际完成值（填报）"].data_type == "s"
    assert got["偏差原因分析及改进措施"].value == reason and got["偏差原因分析及改进措施"].data_type == "s"
    assert ws.cell(3, head.index("佐证材料") + 1).value == reason
    with zipfile.ZipFile(path) as zf:
        assert not any(b"<f>" in zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))


_CELL_VALUES = st.one_of(st.none(), st.text(max_size=60), st.floats(allow_nan=False), st.booleans(),
                         st.tuples(st.text(max_size=10), st.text(max_size=10)))


@given(st.lists(_CELL_VALUES, max_size=30), st.integers(min_value=4, max_value=40))
def test_a_column_worked_out_row_by_row_is_the_column_looked_up(values, width):
    import numpy as np

    from scoring.reports.audit import _column

    column = np.empty(len(values), dtype=object)
    column[:] = values
    looked_up, by_row = _column(column, width), _column(column, width, repeated=False)
    assert looked_up[0].tolist() == by_row[0].tolist() and looked_up[1].tolist() == by_row[1].tolist()
