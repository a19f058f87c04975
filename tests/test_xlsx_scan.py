"""The sheet-XML scan behind inspect_cells and special_cells: the fast path (one findall anchored on
``<c r="G``), taken only for pieces in the common spelling, says exactly what the parser (expat, any
spelling) says, on cells of every shape."""

from __future__ import annotations

import io
import zipfile

import openpyxl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from helpers import examples
from scoring.xlsx_cells import _ODD, CellInfo, _scan, _special, inspect_cells, parse_cells, special_cells

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


def _parsed(xml: bytes, wanted: set[str] | None) -> dict[str, CellInfo]:
    return parse_cells(io.BytesIO(b"<worksheet>" + xml + b"</worksheet>"), PERCENT, wanted)


def _common(xml: bytes) -> bool:
    return not any(rx.search(xml) for rx in _ODD)


@settings(max_examples=examples(300), deadline=None)
@example(sheet=(b'<sheetData><row r="7"><c r="G7" t="e"><v></v></c></row></sheetData>', {b'7'}))
@given(sheet=sheets())
def test_fast_scan_agrees_with_the_parser(sheet):
    xml, wanted = sheet
    general = _parsed(xml, {f"G{r.decode()}" for r in wanted})
    assert set(general) <= {f"G{r.decode()}" for r in wanted}
    if not _common(xml):  # another attribute order: the parser's answer is the one used
        assert b'<c s=' in xml or b'<c t=' in xml
        return
    fast: dict[str, CellInfo] = {}
    _scan(xml, "G", wanted, frozenset(PERCENT), fast)
    assert fast == general


def _facts(info: CellInfo) -> tuple:
    """What the reader acts on: a percent format, a formula without its value, an error."""
    return info.percent, info.formula and not info.cached, info.error or None


@settings(max_examples=examples(300), deadline=None)
@given(sheet=sheets())
def test_special_cells_are_the_cells_the_parser_finds_not_plain(sheet):
    xml, _ = sheet
    parsed = _parsed(xml, None)
    assert all(ref[0] in "FGH" for ref in parsed)
    if not _common(xml):
        return
    special: dict[str, CellInfo] = {}
    _special(xml, frozenset(PERCENT), special)
    plain = CellInfo(False, False, True)
    for ref in set(special) | set(parsed):
        assert _facts(special.get(ref, plain)) == _facts(parsed.get(ref, plain)), ref


def test_the_parser_reads_each_fact():
    xml = (b'<row r="2"><c r="G2" s="3"><v>0.96</v></c></row>'
           b'<row r="3"><c r="G3" s="7"><v>0.96</v></c></row>'
           b'<row r="4"><c r="G4"><f>A1</f></c></row>'
           b'<row r="5"><c t="e" r="G5"><f>1/0</f><v>#DIV/0!</v></c></row>'
           b'<row r="6"><c r="G6" t="inlineStr"><is><t>x</t></is></c></row>')
    out = _parsed(xml, {"G2", "G3", "G4", "G5", "G6"})
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
