"""Issue 29: the workbook guard cannot be sidestepped by spelling, and another writer's XML gives the
same scores. Every workbook is generated here (tests/hostile_xml.py, tests/hostile_inputs.py)."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from hostile_inputs import actuals_sheets, rows_xml, sheet_xml, write_xlsx
from hostile_xml import FAR, SPELLINGS, far_cell, move_sheet, prefixed_sheet, respell, rewrite
from test_hostile import assert_clean_error, finish_child, run_child, score_args, snapshot, start_child

from helpers import run_cli
from scoring.actuals.workbook import BUDGET_HEADER, INDICATOR_HEADER
from scoring.findings import ScoreError
from scoring.xlsx import MAX_CELLS, check_xlsx
from scoring.xlsx_cells import special_cells

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "actuals" / "2023.xlsx"
MEMORY_BOUND_MB = 2048


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "targets" / "2023", tmp_path / "targets" / "2023")
    (tmp_path / "actuals").mkdir()
    shutil.copy(EXAMPLE, tmp_path / "actuals" / "2023.xlsx")
    return tmp_path


def far_workbook(path: Path, spelling: str, ref: str = "XFD1048576") -> Path:
    head = rows_xml([INDICATOR_HEADER, ("P1",)])
    return write_xlsx(path, {"指标实际值": sheet_xml(head + far_cell(spelling, ref)),
                             "预算执行": sheet_xml(rows_xml([BUDGET_HEADER]))})


def refused(path: Path, *needles: str) -> ScoreError:
    with pytest.raises(ScoreError) as info:
        check_xlsx(path, label=path.name)
    text = info.value.render()
    for n in needles:
        assert n in text, text
    return info.value


# ---------------------------------------------------------------------------------------------
# the used range, however it is spelt
# ---------------------------------------------------------------------------------------------

SPELT = ["common", "single quotes", "new line", "spaces around =", "lower case", "character reference",
         "reference last"]


@pytest.mark.parametrize("ref", FAR)
@pytest.mark.parametrize("spelling", SPELT)
def test_a_far_cell_is_refused_however_it_is_spelt(tmp_path: Path, spelling: str, ref: str) -> None:
    bad = far_workbook(tmp_path / "远处.xlsx", spelling, ref)
    assert bad.stat().st_size < 4096
    refused(bad, "远处.xlsx › 指标实际值", "使用范围", "未读取")


@pytest.mark.parametrize(("spelling", "reason"), [("repeated attribute", "同一个属性写了两次"),
                                                  ("no separator", "不合 XML 规则")])
def test_malformed_references_calamine_would_accept_are_refused(tmp_path: Path, spelling: str, reason: str) -> None:
    bad = far_workbook(tmp_path / "重复.xlsx", spelling)  # calamine takes the r= that comes last: none may see it
    refused(bad, "重复.xlsx › 指标实际值", "不是正确的 XML", reason)


def test_prefixed_elements_and_utf16_and_a_part_outside_worksheets(tmp_path: Path) -> None:
    body = rows_xml([INDICATOR_HEADER, ("P1",)]) + far_cell("common")
    prefixed = write_xlsx(tmp_path / "前缀.xlsx", {"指标实际值": prefixed_sheet(body), "预算执行": sheet_xml("")})
    refused(prefixed, "前缀.xlsx › 指标实际值", "XFD1048576")
    utf16 = sheet_xml(body).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    refused(write_xlsx(tmp_path / "utf16.xlsx", {"指标实际值": utf16, "预算执行": sheet_xml("")}), "XFD1048576")
    plain = far_workbook(tmp_path / "plain.xlsx", "common")
    moved = move_sheet(plain, tmp_path / "别处.xlsx", 1, "xl/data/part.xml")
    with zipfile.ZipFile(moved) as zf:
        assert not any(n.startswith("xl/worksheets/sheet1") for n in zf.namelist())
    refused(moved, "别处.xlsx › 指标实际值", "XFD1048576")


def test_the_workbook_as_a_whole_has_one_limit(tmp_path: Path) -> None:
    rows = 400_000  # A1 to AF400000: 12.8 M cells a sheet, under the limit; three are over it
    assert 32 * rows < MAX_CELLS < 3 * 32 * rows
    sheet = sheet_xml(rows_xml([("x",)]) + far_cell("common", f"AF{rows}"))
    bad = write_xlsx(tmp_path / "三表.xlsx", {"指标实际值": sheet, "预算执行": sheet, "其他": sheet})
    refused(bad, "三表.xlsx", "合计", "未读取")
    check_xlsx(write_xlsx(tmp_path / "一表.xlsx", {"指标实际值": sheet, "预算执行": sheet_xml("")}))


def test_a_merged_range_and_a_shared_strings_count(tmp_path: Path) -> None:
    merged = sheet_xml(rows_xml([INDICATOR_HEADER])).replace(
        b"</worksheet>", b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>')
    refused(write_xlsx(tmp_path / "合并.xlsx", {"指标实际值": merged, "预算执行": sheet_xml("")}), "合并单元格")
    plain = write_xlsx(tmp_path / "p.xlsx", actuals_sheets([("P1",)]))
    sst = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           b"count='1' uniqueCount = '4000000000'><si><t>x</t></si></sst>")
    strings = rewrite(plain, tmp_path / "字符串.xlsx", lambda n, d: d)
    with zipfile.ZipFile(strings, "a") as zf:
        zf.writestr("xl/sharedStrings.xml", sst)
    refused(strings, "共享字符串表", "4,000,000,000")


def test_a_doctype_after_a_long_comment(tmp_path: Path) -> None:
    plain = write_xlsx(tmp_path / "p.xlsx", actuals_sheets([("P1",)]))
    bomb = rewrite(plain, tmp_path / "注释.xlsx", lambda n, d: d.replace(
        b"?>\n", b'?>\n<!--' + b"x" * 20_000 + b'--><!DOCTYPE lol [<!ENTITY a "aaaa">]>', 1)
        if n == "xl/worksheets/sheet1.xml" else d)
    refused(bomb, "DOCTYPE")


def test_a_workbook_of_the_common_spelling_is_not_refused(tmp_path: Path) -> None:
    check_xlsx(EXAMPLE)
    wide = write_xlsx(tmp_path / "宽.xlsx", actuals_sheets([("P1", "x")], extra={"AB30": "x", "Z999999": "y"}))
    check_xlsx(wide)
    for name, spelling in SPELLINGS.items():
        check_xlsx(respell(EXAMPLE, tmp_path / f"{name}.xlsx", spelling))


@pytest.mark.parametrize("spelling", ["single quotes", "lower case", "reference last"])
def test_score_refuses_a_hidden_far_cell_without_aborting(ws: Path, spelling: str) -> None:
    bad = far_workbook(ws / "actuals" / "远处.xlsx", spelling)
    before = snapshot(ws)
    code, _, err, peak = run_child(score_args(ws, **{"--actuals": str(bad)}), ws)
    assert_clean_error(code, err, "远处.xlsx › 指标实际值", "使用范围")
    assert peak < MEMORY_BOUND_MB
    assert snapshot(ws) == before


# ---------------------------------------------------------------------------------------------
# every reading path behind the same guard
# ---------------------------------------------------------------------------------------------

def test_every_reading_path_is_guarded(ws: Path) -> None:
    tdir = str(ws / "targets" / "2023")
    bad = far_workbook(ws / "远处.xlsx", "single quotes")
    last_year = far_workbook(ws / "actuals" / "2022.xlsx", "lower case")
    (ws / "folder").mkdir()
    far_workbook(ws / "folder" / "乙.xlsx", "reference last")
    shutil.copy(EXAMPLE, ws / "folder" / "甲.xlsx")
    before = snapshot(ws)
    runs = {
        "baseline": (["template", "2023", "--targets", tdir, "--out", str(ws / "模板.xlsx"), "--baseline", str(bad)], 2),
        "last year": (["template", "2023", "--targets", tdir, "--out", str(ws / "模板2.xlsx")], 2),
        "monitor": (["monitor", "2023", "--through", "2023-07-31", "--targets", tdir, "--actuals", str(bad),
                     "--out", str(ws / "m")], 2),
        "import": (["import", str(bad), "--year", "2023", "--out", str(ws / "t2")], 2),
        "folder": (score_args(ws, **{"--actuals": str(ws / "folder")}), 0),
    }
    started = {what: start_child(argv, ws) for what, (argv, _) in runs.items()}  # independent: side by side
    for what, (_, expected) in runs.items():
        code, out, err, peak = finish_child(started[what])
        assert code == expected, (what, err)
        assert "Traceback" not in err and "内部错误" not in err, (what, err)
        text = out + err
        assert "使用范围" in text and ("远处.xlsx" in text or "2022.xlsx" in text or "乙.xlsx" in text), (what, text)
        assert peak < MEMORY_BOUND_MB, what
    assert last_year.is_file()
    after = snapshot(ws)
    assert {k: after[k] for k in before} == before


# ---------------------------------------------------------------------------------------------
# the same workbook from another writer: the same formats, values and scores
# ---------------------------------------------------------------------------------------------

def _scores(ws: Path, actuals: Path, capsys) -> list:
    code, out, err = run_cli([*score_args(ws, **{"--actuals": str(actuals)}), "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    return [(p["project"], p["total"], [(i["id"], i["verdict"], i["score"], i.get("actual_normalised"))
                                        for i in p["indicators"]]) for p in data["projects"]]


def test_another_writers_spelling_gives_the_same_scores(ws: Path, tmp_path: Path, capsys) -> None:
    original = special_cells(EXAMPLE, "指标实际值")
    assert special_cells(EXAMPLE, "指标实际值", check_xlsx(EXAMPLE).plain) == original
    assert sum(info.percent for info in original.values()) >= 10  # the example's 0.00% cells are what is at stake
    expected = _scores(ws, EXAMPLE, capsys)
    for name, spelling in SPELLINGS.items():
        variant = respell(EXAMPLE, tmp_path / f"{name}.xlsx", spelling)
        assert special_cells(variant, "指标实际值") == original, name
        assert special_cells(variant, "指标实际值", check_xlsx(variant).plain) == original, name  # the guard's word
        assert _scores(ws, variant, capsys) == expected, name


def test_a_percent_cell_scores_as_a_percentage_in_every_spelling(tmp_path: Path) -> None:
    """1.02 in a 0.00% cell is 102%: from the styles however they are written."""
    import openpyxl

    path = tmp_path / "百分比.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "指标实际值"
    ws["G2"] = 1.02
    ws["G2"].number_format = "0.00%"
    ws["G3"] = 1.02
    wb.save(path)
    for name, spelling in SPELLINGS.items():
        got = special_cells(respell(path, tmp_path / f"{name}.xlsx", spelling), "指标实际值")
        assert got.get("G2") is not None and got["G2"].percent, name
        assert "G3" not in got, name


def test_a_reader_that_makes_an_object_of_every_cell_gets_a_smaller_limit(tmp_path: Path) -> None:
    """openpyxl outside read-only mode makes a cell object for every cell of the used range: 8 GB at
    the limit calamine's reader takes. Such a reader asks for :data:`OBJECT_READER_CELLS`."""
    from scoring.xlsx import OBJECT_READER_CELLS

    near = write_xlsx(tmp_path / "近.xlsx", {"Sheet1": sheet_xml(rows_xml([("项目名称",)]) + far_cell("common", "AF1048576"))})
    assert check_xlsx(near).cells == 32 * 1_048_576 <= MAX_CELLS  # calamine: about 1.3 GB
    refused_here = pytest.raises(ScoreError, match="4,194,304")
    with refused_here:
        check_xlsx(near, max_cells=OBJECT_READER_CELLS)
    small = write_xlsx(tmp_path / "小.xlsx", actuals_sheets([("P1", "x")], extra={"AB30": "x"}))
    assert check_xlsx(small, max_cells=OBJECT_READER_CELLS).cells == 28 * 30 + len(BUDGET_HEADER)  # AB30; the budget header row
