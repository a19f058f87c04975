"""The sheet-XML scan behind inspect_cells: the fast path (one findall anchored on ``<c r="G``) says
exactly what the general path (any attribute order) says, on cells of every shape."""

from __future__ import annotations

import zipfile

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.xlsx import CellInfo, _scan, _scan_general, _special, inspect_cells, special_cells

PERCENT = {3, 12}

bodies = st.sampled_from([
    b"", b"<v>0.96</v>", b"<v></v>", b"<v>12</v>", b"<is><t>96%</t></is>", b"<is><t></t></is>",
    b"<f>A1*2</f>", b"<f>A1*2</f><v>4</v>", b"<f>1/0</f><v>#DIV/0!</v>", b"<v>#N/A</v>", b"<is/>",
])
styles = st.sampled_from([None, "0", "3", "7", "12", "03"])
types = st.sampled_from([None, "n", "e", "inlineStr", "str", "s"])
orders = st.sampled_from(["rst", "rts", "srt", "tsr"])


@st.composite
def cells(draw, row: int, letter: str) -> bytes:
    attrs = {"r": f'r="{letter}{row}"'}
    s, t = draw(styles), draw(types)
    if s is not None:
        attrs["s"] = f's="{s}"'
    if t is not None:
        attrs["t"] = f't="{t}"'
    order = draw(orders) if draw(st.booleans()) else "rst"
    head = " ".join(attrs[k] for k in order if k in attrs)
    body = draw(bodies)
    return f"<c {head}".encode() + (b"/>" if not body and draw(st.booleans()) else b">" + body + b"</c>")


@st.composite
def sheets(draw) -> tuple[bytes, set[bytes]]:
    n = draw(st.integers(1, 12))
    rows = []
    for r in range(1, n + 1):
        cs = [draw(cells(r, letter)) for letter in ("F", "G", "H") if draw(st.integers(0, 4))]
        rows.append(f'<row r="{r}">'.encode() + b"".join(cs) + b"</row>")
    wanted = {str(r).encode() for r in draw(st.sets(st.integers(1, n + 2)))}
    return b"<sheetData>" + b"".join(rows) + b"</sheetData>", wanted


@settings(max_examples=300, deadline=None)
@given(sheet=sheets())
def test_fast_scan_agrees_with_the_general_scan(sheet):
    xml, wanted = sheet
    fast: dict[str, CellInfo] = {}
    general: dict[str, CellInfo] = {}
    _scan(xml, "G", wanted, PERCENT, fast)
    _scan_general(xml, "G", wanted, PERCENT, general)
    assert fast == general
    assert set(fast) <= {f"G{r.decode()}" for r in wanted}


def _facts(info: CellInfo) -> tuple:
    """What the reader acts on: a percent format, a formula without its value, an error."""
    return info.percent, info.formula and not info.cached, info.error or None


@settings(max_examples=300, deadline=None)
@given(sheet=sheets())
def test_special_cells_are_the_cells_the_general_scan_finds_not_plain(sheet):
    xml, _ = sheet
    special: dict[str, CellInfo] = {}
    _special(xml, frozenset(PERCENT), special)
    plain = CellInfo(False, False, True)
    for letter in "FGH":
        general: dict[str, CellInfo] = {}
        _scan_general(xml, letter, {str(r).encode() for r in range(1, 15)}, PERCENT, general)
        for ref, info in general.items():
            assert _facts(special.get(ref, plain)) == _facts(info), ref
    assert all(ref[0] in "FGH" for ref in special)


def test_general_scan_reads_each_fact():
    xml = (b'<row r="2"><c r="G2" s="3"><v>0.96</v></c></row>'
           b'<row r="3"><c r="G3" s="7"><v>0.96</v></c></row>'
           b'<row r="4"><c r="G4"><f>A1</f></c></row>'
           b'<row r="5"><c t="e" r="G5"><f>1/0</f><v>#DIV/0!</v></c></row>'
           b'<row r="6"><c r="G6" t="inlineStr"><is><t>x</t></is></c></row>')
    out: dict[str, CellInfo] = {}
    _scan_general(xml, "G", {b"2", b"3", b"4", b"5", b"6"}, PERCENT, out)
    assert out == {"G2": CellInfo(True, False, True), "G3": CellInfo(False, False, True),
                   "G4": CellInfo(False, True, False), "G5": CellInfo(False, True, True, "#DIV/0!"),
                   "G6": CellInfo(False, False, True)}


def test_inspect_cells_on_a_workbook_with_percent_formats_and_formulas(tmp_path):
    path = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "指标实际值"
    ws["G2"] = 0.96
    ws["G2"].number_format = "0%"
    ws["G3"] = 0.96
    ws["G4"] = "=1/0"
    ws["G5"] = "96%"
    ws["G6"] = 5
    ws["G6"].number_format = '0.00"%"'  # a quoted % is text, not a percent format
    ws["H2"] = 0.5
    ws["H2"].number_format = "0.0%"
    wb.save(path)
    got = inspect_cells(path, "指标实际值", {"G2", "G3", "G4", "G5", "G6", "G9", "H2"})
    assert got["G2"].percent and not got["G3"].percent and not got["G6"].percent
    assert got["G4"].formula and not got["G4"].cached  # openpyxl saves no cached value
    assert got["G5"] == CellInfo(False, False, True)
    assert got["H2"].percent
    assert "G9" not in got
    with zipfile.ZipFile(path) as z:
        assert b'<c r="G2"' in z.read("xl/worksheets/sheet1.xml")
    special = special_cells(path, "指标实际值")
    assert set(special) == {"G2", "G4", "H2"} and special["G2"].percent and special["H2"].percent
    assert special["G4"].formula and not special["G4"].cached
