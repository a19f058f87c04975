"""Spreadsheets stored as XML: OpenDocument (.ods, WPS and LibreOffice) and Excel's XML Spreadsheet 2003
(an ``.xls`` that is really XML, as government sites often serve).

Both hold what a person sees, so they are read from their XML (streamed, with the standard
library) rather than through calamine, which gives an .ods's values but neither its merged cells
nor its number formats: an .ods cell's ``<text:p>`` is the text LibreOffice showed (a percent
``100.00%``, a grouped ``7,548,150``), and its ``number-columns-spanned``/``number-rows-spanned``
are the merges; an XML 2003 cell has its ``MergeAcross``/``MergeDown`` and a style with its number
format. Cells come out as every reader writes them (:func:`scoring.importer.rows.fill_merges`).
Guards (:mod:`.zipparts`): the zip's declared size and ratio, no encryption, no DOCTYPE (XML bombs); and at most
:data:`MAX_ROWS` rows and :data:`~scoring.importer.rows.MAX_CELLS` columns with content.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from xml.etree import ElementTree as ET

from scoring.findings import ScoreError, place
from scoring.importer.numformat import date_text, display
from scoring.importer.rows import MAX_CELLS, Merge, Row, fill_merges, hidden_note, holding, visible
from scoring.importer.zipparts import read_part, refuse_doctype

MAX_ROWS = 1_048_576

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def _safe_xml(head: bytes, where: str) -> None:
    refuse_doctype(head, where, "表格文件")


def _content(path: Path) -> bytes:
    return read_part(path, "content.xml", "OpenDocument 表格", "请用 WPS 或 LibreOffice 打开并重新保存",
                     encrypted=b"encryption-data")


def _ptext(el) -> str:
    """A ``<text:p>``'s text: ``<text:s c=n>`` spaces, tabs and line breaks kept, notes left out."""
    out = [el.text or ""]
    for child in el:
        tag = child.tag
        if tag == f"{TEXT}s":
            out.append(" " * min(int(child.get(f"{TEXT}c", "1") or 1), 1000))
        elif tag == f"{TEXT}tab":
            out.append("\t")
        elif tag == f"{TEXT}line-break":
            out.append("\n")
        elif tag != f"{OFFICE}annotation":
            out.append(_ptext(child))
        out.append(child.tail or "")
    return "".join(out)


def _ods_cell(el) -> str:
    kind = el.get(f"{OFFICE}value-type")
    shown = "\n".join(_ptext(p) for p in el.findall(f"{TEXT}p"))
    if kind == "boolean":
        return "是" if el.get(f"{OFFICE}boolean-value") == "true" else "否"
    if kind == "date":
        value = el.get(f"{OFFICE}date-value") or ""
        try:
            return date_text(dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value))
        except ValueError:
            return shown
    if kind in ("float", "percentage", "currency") and not shown:
        try:
            v = float(el.get(f"{OFFICE}value") or "")
        except ValueError:
            return ""
        return display(v, "0%" if kind == "percentage" else None)
    return shown


class _Grid:
    """Rows built as the XML streams by, repeated empty rows and cells counted, not written."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.rows: list[list[str]] = []
        self.merges: list[Merge] = []
        self.row: list[str] = []
        self.blank = 0   # empty cells not yet written in this row
        self.pending = 0   # empty rows not yet written: written when a row with content follows, else dropped
        self.hidden_rows: set[int] = set()
        self.hidden_cols: set[int] = set()
        self.columns = 0   # columns declared so far (an .ods's <table:table-column>)

    @property
    def height(self) -> int:
        """Rows so far, the empty rows not yet written included."""
        return len(self.rows) + self.pending

    def _flush(self) -> None:
        self.rows.extend([] for _ in range(self.pending))
        self.pending = 0

    def cell(self, text: str, repeat: int, across: int = 1, down: int = 1) -> None:
        if not text:
            self.blank += repeat
            return
        col = len(self.row) + self.blank
        if col + repeat > MAX_CELLS:
            raise ScoreError(f"一行有内容的单元格超过 {MAX_CELLS:,} 列，不像是绩效目标表",
                             where=place(self.where, f"第{self.height + 1}行"), hint="确认选对了文件")
        self.row.extend([""] * self.blank + [text] * repeat)
        self.blank = 0
        if across > 1 or down > 1:
            self._flush()
            r = len(self.rows)
            self.merges.append((r, col, r + down - 1, col + across - 1))

    def end_row(self, repeat: int) -> None:
        row, self.row, self.blank = self.row, [], 0
        if self.height + repeat > MAX_ROWS and row:
            raise ScoreError(f"工作表超过 {MAX_ROWS:,} 行", where=self.where, hint="确认选对了文件")
        if row:
            self._flush()
            self.rows.extend(list(row) for _ in range(repeat))
        elif self.height + repeat <= MAX_ROWS:
            self.pending += repeat   # LibreOffice ends a sheet with a million repeated empty rows: only counted

    def hide_row(self, start: int, repeat: int) -> None:
        self.hidden_rows.update(range(start, start + min(repeat, 1000)))

    def column(self, repeat: int, hidden: bool) -> None:
        if hidden:
            self.hidden_cols.update(range(self.columns, min(self.columns + repeat, MAX_CELLS)))
        self.columns += repeat

    def rows_of(self, file: str, sheet: str, notes: list[str] | None = None) -> list[Row]:
        grid = self.finish()
        hidden_rows, hidden_cols = holding(grid, self.hidden_rows, self.hidden_cols)
        if (hidden_rows or hidden_cols) and notes is not None:
            notes.append(hidden_note(sheet, hidden_rows, hidden_cols))
        return [Row(file, i, tuple(cells), sheet=sheet, grid=True)
                for i, cells in visible(grid, self.merges, hidden_rows, hidden_cols)]

    def finish(self) -> list[list[str]]:
        while self.rows and not self.rows[-1]:
            self.rows.pop()
        for r0, _c0, r1, _c1 in self.merges:   # a merge down past the last row with content still has rows
            while len(self.rows) <= min(r1, r0 + 1000) and r0 < len(self.rows):
                self.rows.append([])
        return fill_merges(self.rows, self.merges)


def _int(v: str | None, default: int = 1) -> int:
    try:
        return max(1, int(v)) if v else default
    except ValueError:
        return default


def ods_rows(path: Path, data: bytes | None = None, notes: list[str] | None = None) -> list[Row]:
    """Rows of every sheet of an OpenDocument spreadsheet: an .ods, or the XML of a flat one (.fods); hidden
    rows and columns (``table:visibility="collapse"``; not rows a filter hides) left out, said in ``notes``."""
    if data is None:
        data = _content(path)
    else:
        _safe_xml(data[:65536], str(path))
    rows: list[Row] = []
    grid: _Grid | None = None
    name = ""
    try:
        for event, el in ET.iterparse(io.BytesIO(data), events=("start", "end")):
            tag = el.tag
            if event == "start":
                if tag == f"{TABLE}table":
                    name = el.get(f"{TABLE}name") or f"表{len(rows) + 1}"
                    grid = _Grid(place(str(path), name))
                continue
            if grid is None:
                continue
            if tag in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
                text = _ods_cell(el) if tag == f"{TABLE}table-cell" else ""
                grid.cell(text, _int(el.get(f"{TABLE}number-columns-repeated")),
                          _int(el.get(f"{TABLE}number-columns-spanned")), _int(el.get(f"{TABLE}number-rows-spanned")))
                el.clear()
            elif tag == f"{TABLE}table-row":
                start, repeat = grid.height, _int(el.get(f"{TABLE}number-rows-repeated"))
                grid.end_row(repeat)
                if el.get(f"{TABLE}visibility") == "collapse":
                    grid.hide_row(start, repeat)
                el.clear()
            elif tag == f"{TABLE}table-column":
                grid.column(_int(el.get(f"{TABLE}number-columns-repeated")), el.get(f"{TABLE}visibility") == "collapse")
            elif tag == f"{TABLE}table":
                rows.extend(grid.rows_of(path.name, name, notes))
                grid = None
                el.clear()
    except ET.ParseError as exc:
        raise ScoreError(f"表格文件的内容无法解析：{exc}", where=str(path), hint="请重新保存后再导入") from None
    return rows


_SS_FORMATS = {"Percent": "0.00%", "Fixed": "0.00", "Standard": "#,##0.00", "General Number": "General",
               "Scientific": "0.00E+00", "0": "0"}


def is_spreadsheet_xml(head: bytes) -> bool:
    """An Excel XML Spreadsheet 2003 (``<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">``)."""
    return b"urn:schemas-microsoft-com:office:spreadsheet" in head and b"<Workbook" in head


def xml2003_rows(path: Path, data: bytes, notes: list[str] | None = None) -> list[Row]:
    """Rows of every worksheet of an Excel XML Spreadsheet 2003 (often served as .xls); hidden rows and
    columns (``ss:Hidden="1"``) left out, said in ``notes``."""
    where = str(path)
    _safe_xml(data[:65536], where)
    styles: dict[str, str] = {}
    rows: list[Row] = []
    grid: _Grid | None = None
    name = ""
    covered: dict[int, int] = {}   # column → last row covered by a merge from above
    try:
        for event, el in ET.iterparse(io.BytesIO(data), events=("start", "end")):
            tag = el.tag
            if event == "start":
                if tag == f"{SS}Worksheet":
                    name = el.get(f"{SS}Name") or f"表{len(rows) + 1}"
                    grid, covered = _Grid(place(where, name)), {}
                elif tag == f"{SS}Row" and grid is not None:
                    _skip_to(grid, grid.height, _int(el.get(f"{SS}Index"), 0) - 1)
                    if el.get(f"{SS}Hidden") == "1":
                        grid.hide_row(grid.height, 1)
                elif tag == f"{SS}Column" and grid is not None:
                    at = _int(el.get(f"{SS}Index"), 0) - 1
                    if at > grid.columns:
                        grid.column(at - grid.columns, False)
                    grid.column(_int(el.get(f"{SS}Span"), 0) + 1, el.get(f"{SS}Hidden") == "1")
                continue
            if tag == f"{SS}NumberFormat":
                continue
            if tag == f"{SS}Style":
                fmt = el.find(f"{SS}NumberFormat")
                if fmt is not None and fmt.get(f"{SS}Format"):
                    styles[el.get(f"{SS}ID") or ""] = _SS_FORMATS.get(fmt.get(f"{SS}Format"), fmt.get(f"{SS}Format"))
            elif grid is None:
                continue
            elif tag == f"{SS}Cell":
                r = grid.height
                col = _int(el.get(f"{SS}Index"), 0) - 1
                if col < 0:
                    col = len(grid.row) + grid.blank
                    while covered.get(col, -1) >= r:
                        col += 1
                grid.blank = max(0, col - len(grid.row))
                across, down = _int(el.get(f"{SS}MergeAcross"), 0) + 1, _int(el.get(f"{SS}MergeDown"), 0) + 1
                for k in range(col, min(col + across, MAX_CELLS)):
                    covered[k] = r + down - 1
                grid.cell(_ss_text(el, styles.get(el.get(f"{SS}StyleID") or "")), 1, across, down)
                el.clear()
            elif tag == f"{SS}Row":
                grid.end_row(1)
                el.clear()
            elif tag == f"{SS}Worksheet":
                rows.extend(grid.rows_of(path.name, name, notes))
                grid = None
                el.clear()
    except ET.ParseError as exc:
        raise ScoreError(f"XML 表格无法解析：{exc}", where=where, hint="请用 Excel 打开，另存为 .xlsx 后再导入") from None
    return rows


def _skip_to(grid: _Grid, have: int, want: int) -> None:
    if want > have:
        grid.end_row(want - have)


def _ss_text(cell, code: str) -> str:
    data = cell.find(f"{SS}Data")
    if data is None:
        return ""
    text = "".join(data.itertext())
    kind = data.get(f"{SS}Type")
    if kind == "Number":
        try:
            return display(float(text), code or None)
        except ValueError:
            return text
    if kind == "Boolean":
        return "是" if text.strip() == "1" else "否"
    if kind == "DateTime":
        try:
            return date_text(dt.datetime.fromisoformat(re.sub(r"\.\d+$", "", text.strip())))
        except ValueError:
            return text
    return text
