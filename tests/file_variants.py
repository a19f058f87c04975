"""One real table written the ways real units' files differ from the files our maker writes.

The real tables (``../shared/realtables``, ``evaluation/realtables``, ``evaluation/realtables_blind``) are all
written by one script (``evaluation/realtables/make.py``): openpyxl for .xlsx, LibreOffice for the rest. Real
downloads are made by other hands and programs. Each writer here takes a table's grid (:func:`load_grid`: its
``grid.yaml``, or for a folder without one its ``source.xlsx`` read back into the same grid) and writes it as
one such file: merges left undone or filled, numbers stored as text, WPS number formats, a header over two
rows, an empty first row and column, hidden rows and columns, a 说明 sheet before the table, tables stacked on
one sheet; an .xls that is an HTML page or SpreadsheetML 2003; PDF with no ruling, over several pages with and
without the header repeated, landscape, narrow columns; Word tables split at a page break, nested in a cell,
with cells of several paragraphs and vertical merges. LibreOffice writes .xls/.ods/.pdf from the .xlsx ones.

Shared by ``bench/variants.py`` (the figures) and the tests of the classes it found (tests/test_file_variants.py).
"""

from __future__ import annotations

import copy
import csv
import importlib.util
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import yaml
from openpyxl.styles import Border, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.pagebreak import Break

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("realtables_make", ROOT / "evaluation" / "realtables" / "make.py")
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)
LEFT, UP = make.LEFT, make.UP


@dataclass
class Grid:
    """A table as make.py writes it: rows of cells with ``<<``/``^^`` merge tokens, and how it is laid out."""

    name: str
    year: int
    rows: list[list[str]]
    spec: dict
    gold: list[dict] = field(default_factory=list)
    copies: int = 1   # how many times the table is in the file (the gold is counted that many times)

    @property
    def ruled(self) -> list[int]:
        return sorted(make.ruled_rows(self.spec, len(self.rows)))

    @property
    def header(self) -> int:
        """The row of the indicator header: the first ruled row naming a 三级 or a 指标名称 column."""
        for r in self.ruled:
            if any(re.sub(r"\s", "", c) in ("三级指标", "指标名称", "三级指标名称") or "三级" in c for c in self.rows[r]):
                return r
        return next(r for r in self.ruled if any("指标" in c for c in self.rows[r]))


def realtables() -> Path | None:
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "realtables").is_dir():
            return base / "shared" / "realtables"
    return None


def load_grid(folder: Path) -> Grid:
    year = int((folder / "year.txt").read_text(encoding="utf-8").strip())
    with open(folder / "gold.csv", encoding="utf-8", newline="") as f:
        gold = list(csv.DictReader(f))
    if (folder / "grid.yaml").exists():
        spec = yaml.safe_load((folder / "grid.yaml").read_text(encoding="utf-8"))
        return Grid(folder.name, year, make.parse_rows(spec["rows"]), spec, gold)
    return Grid(folder.name, year, *_from_xlsx(folder / "source.xlsx"), gold)


def shown_number(value: float | int, code: str) -> str:
    """The text a number of make.py's shapes shows (the inverse of ``make.typed``).

    >>> shown_number(1.0259, "0.00%"), shown_number(6475.0, "#,##0"), shown_number(10.0, "0.00"), shown_number(329.77, "General")
    ('102.59%', '6,475', '10.00', '329.77')
    """
    places = len(code.split(".")[1].rstrip("%")) if "." in code else 0
    if code.endswith("%"):
        return f"{value * 100:.{places}f}%"
    if code.startswith("#,##0"):
        return f"{value:,.{places}f}"
    if code.startswith("0"):
        return f"{value:.{places}f}"
    return str(int(value)) if float(value).is_integer() else f"{value:.15g}"


def _from_xlsx(path: Path) -> tuple[list[list[str]], dict]:
    """A make.py workbook read back into its grid: values as shown, merges as tokens, ruled rows, widths."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    n_rows, n_cols = ws.max_row, ws.max_column
    rows = [[""] * n_cols for _ in range(n_rows)]
    text: list[str] = []
    for r in range(1, n_rows + 1):
        for c in range(1, n_cols + 1):
            v = ws.cell(r, c).value
            if v is None:
                continue
            if isinstance(v, str):
                rows[r - 1][c - 1] = v
                if make.typed(v)[1] != "@":
                    text.append(f"{get_column_letter(c)}{r}")
            else:
                rows[r - 1][c - 1] = shown_number(v, ws.cell(r, c).number_format)
    for m in ws.merged_cells.ranges:
        for r in range(m.min_row - 1, m.max_row):
            for c in range(m.min_col - 1, m.max_col):
                if (r, c) != (m.min_row - 1, m.min_col - 1):
                    rows[r][c] = LEFT if r == m.min_row - 1 else UP
    ruled = [r for r in range(1, n_rows + 1) if any(ws.cell(r, c).border.left.style for c in range(1, n_cols + 1))]
    widths = [ws.column_dimensions[get_column_letter(c)].width or 10 for c in range(1, n_cols + 1)]
    spec = {"sheet": ws.title, "ruled": [[ruled[0], ruled[-1]]] if ruled else None, "widths": widths, "text": text}
    return rows, spec


# ---------------------------------------------------------------- grid transformations
def _shifted(spec: dict, rows_before: int, cols_before: int) -> dict:
    spec = dict(spec)
    if spec.get("ruled"):
        spec["ruled"] = [[a + rows_before, b + rows_before] for a, b in spec["ruled"]]
    spec["widths"] = [4] * cols_before + list(spec.get("widths") or [])
    spec["text"] = [_move(ref, rows_before, cols_before) for ref in spec.get("text") or []]
    return spec


def _move(ref: str, dr: int, dc: int) -> str:
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    col = openpyxl.utils.column_index_from_string(m.group(1))
    return f"{get_column_letter(col + dc)}{int(m.group(2)) + dr}"


def offset(g: Grid) -> Grid:
    """An empty first row and an empty first column before the table."""
    rows = [[""] * (len(g.rows[0]) + 1)] + [["", *r] for r in g.rows]
    return replace(g, rows=rows, spec=_shifted(g.spec, 1, 1))


def header_two_rows(g: Grid) -> Grid:
    """The header over two rows: ``绩效指标`` above the level columns, every other header cell merged down."""
    h = g.header
    head = g.rows[h]
    levels = [c for c, t in enumerate(head) if "级指标" in t or t in ("指标名称",)]
    if not levels or levels != list(range(levels[0], levels[-1] + 1)):
        raise ValueError("no run of level columns in the header")
    top = ["绩效指标" if c == levels[0] else LEFT if c in levels else t for c, t in enumerate(head)]
    below = [t if c in levels else UP for c, t in enumerate(head)]
    rows = [*g.rows[:h], top, below, *g.rows[h + 1:]]
    spec = dict(g.spec)
    if spec.get("ruled"):
        spec["ruled"] = [[a, b + 1] if a - 1 <= h <= b - 1 else ([a + 1, b + 1] if a - 1 > h else [a, b])
                         for a, b in spec["ruled"]]
    spec["text"] = [_move(ref, 1, 0) if int(re.sub(r"\D", "", ref)) > h + 1 else ref for ref in spec.get("text") or []]
    _check(rows)
    return replace(g, rows=rows, spec=spec)


def _check(rows: list[list[str]]) -> None:
    make.merges(rows)   # raises when a merge is no rectangle


def stacked(g: Grid) -> Grid:
    """The table twice on one sheet, two empty rows between (two projects' tables one below the other)."""
    blank = [[""] * len(g.rows[0]) for _ in range(2)]
    n = len(g.rows) + 2
    spec = dict(g.spec)
    ruled = g.spec.get("ruled") or [[1, len(g.rows)]]
    spec["ruled"] = [*ruled, *[[a + n, b + n] for a, b in ruled]]
    spec["text"] = [*(spec.get("text") or []), *[_move(ref, n, 0) for ref in spec.get("text") or []]]
    return replace(g, rows=[*g.rows, *blank, *copy.deepcopy(g.rows)], spec=spec, copies=2)


def indicator_rows(g: Grid) -> list[int]:
    """Rows below the header up to the end of its ruled block."""
    h = g.header
    end = max(r for r in g.ruled if r >= h)
    return list(range(h + 1, end + 1))


# ---------------------------------------------------------------- .xlsx
XlsxEdit = Callable[[openpyxl.Workbook, Grid], None]


def write_xlsx(g: Grid, path: Path, edit: XlsxEdit | None = None) -> Path:
    make.write_xlsx(g.spec, g.rows, path)
    if edit is not None:
        wb = openpyxl.load_workbook(path)
        edit(wb, g)
        wb.save(path)
    return path


def _unmerge(ws, fill_down: bool, fill_across: bool, keep_merged: bool = False) -> None:
    for m in list(ws.merged_cells.ranges):
        ref, top = m.coord, ws.cell(m.min_row, m.min_col).value
        ws.unmerge_cells(ref)
        for r in range(m.min_row, m.max_row + 1):
            for c in range(m.min_col, m.max_col + 1):
                if (r == m.min_row or fill_down) and (c == m.min_col or fill_across):
                    ws.cell(r, c).value = top
        if keep_merged:
            ws.merged_cells.add(CellRange(ref))


def merged_repeated(wb, g) -> None:
    """Merged, and the value written in every cell of the range (not only the top left)."""
    _unmerge(wb.active, True, True, keep_merged=True)


def unmerged_blank(wb, g) -> None:
    """No merge at all: the value in the first cell, the cells below and beside it empty."""
    _unmerge(wb.active, False, False)


def unmerged_filled(wb, g) -> None:
    """No merge: the value in every cell the merge covered (WPS 取消合并并填充)."""
    _unmerge(wb.active, True, True)


def unmerged_down(wb, g) -> None:
    """No merge: the value repeated down the rows (a level name on every row), across left empty."""
    _unmerge(wb.active, True, False)


def numbers_as_text(wb, g) -> None:
    """Every number stored as the text it shows (the green-triangle cells)."""
    from openpyxl.styles.numbers import FORMAT_TEXT
    for row in wb.active.iter_rows():
        for cell in row:
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.value = shown_number(cell.value, cell.number_format)
                cell.number_format = FORMAT_TEXT


_WPS = {"General": "0_ ", "0.00": "0.00_ ", "0.0": "0.0_ ", "#,##0": '#,##0_ ;[Red]\\-#,##0\\ ',
        "#,##0.00": "#,##0.00_ ;[Red]\\-#,##0.00\\ ", "0%": "0%", "0.00%": "0.00%;[Red]\\-0.00%"}


def wps_formats(wb, g) -> None:
    """Number formats as WPS writes them: padding ``_ `` and a red negative section."""
    for row in wb.active.iter_rows():
        for cell in row:
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                code = cell.number_format
                if code == "General" and not float(cell.value).is_integer():
                    places = len(f"{cell.value:.15g}".split(".")[1])
                    code = "0." + "0" * places
                cell.number_format = _WPS.get(code, code)


def with_hidden(g: Grid) -> Grid:
    """A column of codes after the first and a template row left in after the header, both to be hidden
    (:func:`hide`): what a person sees and prints has neither."""
    h = g.header
    rows = [[r[0], "", *r[1:]] for r in g.rows]
    for r, row in enumerate(rows):
        if row[2] == LEFT:   # a merge across the first columns covers the new one too
            row[1] = LEFT
        elif row[0] == UP and row[2] == UP and rows[r - 1][1] in (LEFT, UP):
            row[1] = UP
        elif r == h:
            row[1] = "编码"
        elif r > h:
            row[1] = f"{r - h:03d}"
    leaf = max(c for c, t in enumerate(rows[h]) if "指标" in t and "值" not in t)
    template = [UP if t == UP else "" for t in rows[h + 1]]
    template[leaf] = "（已删除的指标）"
    rows.insert(h + 1, template)
    spec = _shifted(g.spec, 0, 0)
    spec["widths"] = [*spec["widths"][:1], 6, *spec["widths"][1:]]
    if spec.get("ruled"):
        spec["ruled"] = [[a, b + 1] if a - 1 <= h + 1 <= b else ([a + 1, b + 1] if a - 1 > h else [a, b])
                         for a, b in spec["ruled"]]
    spec["text"] = [_move(ref, 1 if int(re.sub(r"\D", "", ref)) > h + 1 else 0,
                          1 if openpyxl.utils.column_index_from_string(re.sub(r"\d", "", ref)) > 1 else 0)
                    for ref in spec.get("text") or []]
    spec["hidden_rows"], spec["hidden_cols"] = [h + 2], [2]
    _check(rows)
    return replace(g, rows=rows, spec=spec)


def hide(wb, g) -> None:
    ws = wb.active
    for r in g.spec.get("hidden_rows", []):
        ws.row_dimensions[r].hidden = True
    for c in g.spec.get("hidden_cols", []):
        ws.column_dimensions[get_column_letter(c)].hidden = True


NOTES = ["填表说明", "1、本表由项目实施单位填写，“三级指标”“年度指标值”按批复的绩效目标填写。",
         "2、金额单位：万元；指标值为区间的，填写上下限。", "3、请勿修改表格格式。"]


def notes_sheet_first(wb, g) -> None:
    """A 说明 sheet before the sheet with the table."""
    ws = wb.create_sheet("填表说明", 0)
    for i, line in enumerate(NOTES, 1):
        ws.cell(i, 1).value = line
    wb.active = 0


def no_borders(wb, g) -> None:
    """No ruling lines (printed from Excel without borders): the PDF has words by position only."""
    for row in wb.active.iter_rows():
        for cell in row:
            cell.border = Border()


def _break_at(g: Grid) -> int:
    rows = indicator_rows(g)
    return rows[len(rows) // 2] if len(rows) > 1 else rows[0]


def pages_repeat(wb, g) -> None:
    """A page break in the middle of the indicators; the header printed again on the next page."""
    pages_plain(wb, g)
    wb.active.print_title_rows = f"{g.header + 1}:{g.header + 1}"


def pages_plain(wb, g) -> None:
    """A page break in the middle of the indicators, the header not repeated."""
    wb.active.row_breaks.append(Break(id=_break_at(g)))   # break after this 1-based row = before row index + 1
    wb.active.page_setup.fitToHeight = 0


def landscape(wb, g) -> None:
    ws = wb.active
    ws.page_setup.orientation = "portrait" if ws.page_setup.orientation == "landscape" else "landscape"


def narrow(wb, g) -> None:
    """Narrow columns and a small font: every long cell wraps over several lines."""
    ws = wb.active
    widths = [max(4.0, 0.55 * (ws.column_dimensions[get_column_letter(c)].width or 10)) for c in range(1, ws.max_column + 1)]
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    for row in ws.iter_rows():
        for cell in row:
            cell.font = Font(name="宋体", size=8)
    spans = make.merges(g.rows)
    for r, h in enumerate(make.row_heights(g.rows, spans, [w * 1.25 for w in widths])):
        ws.row_dimensions[r + 1].height = h * 0.8


# ---------------------------------------------------------------- .xls that is not BIFF
def write_html_xls(g: Grid, path: Path, encoding: str = "gb18030") -> Path:
    """A web page saved as .xls (government systems export these): Excel's namespaces, a GB charset."""
    tmp = path.with_suffix(".html.tmp")
    make.write_html(g.spec, g.rows, tmp)
    body = tmp.read_text(encoding="utf-8")
    tmp.unlink()
    body = body.replace('<!DOCTYPE html><html><head><meta charset="utf-8"/>',
                        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
                        'xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">\r\n'
                        f'<head><meta http-equiv="Content-Type" content="text/html; charset={encoding}">\r\n'
                        '<!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet>'
                        '<x:Name>Sheet1</x:Name></x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook></xml>'
                        '<![endif]-->\r\n')
    body = body.replace("<tr>", "\r\n<tr>")
    path.write_bytes(body.encode(encoding))
    return path


def write_xml2003(g: Grid, path: Path) -> Path:
    """Excel XML Spreadsheet 2003: cells after a merge placed by ss:Index, numbers typed with a style."""
    spans = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in make.merges(g.rows)}
    covered = {(r, c) for (r0, c0), (r1, c1) in spans.items() for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    covered -= set(spans)
    force = set(g.spec.get("text") or [])
    styles = {"0.00%": "s1", "0%": "s2", "0.00": "s3", "#,##0": "s4", "#,##0.00": "s5", "0.0": "s6", "0.000": "s7"}
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<?mso-application progid="Excel.Sheet"?>',
           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" '
           'xmlns:html="http://www.w3.org/TR/REC-html40">', "<Styles>",
           '<Style ss:ID="Default" ss:Name="Normal"><Alignment ss:Vertical="Center" ss:WrapText="1"/></Style>',
           *[f'<Style ss:ID="{sid}"><NumberFormat ss:Format="{escape(code)}"/></Style>' for code, sid in styles.items()],
           "</Styles>", f'<Worksheet ss:Name="{escape(g.spec.get("sheet", "Sheet1"))}"><Table>']
    for r, row in enumerate(g.rows):
        out.append("<Row>")
        skipped = False
        for c, val in enumerate(row):
            if (r, c) in covered:
                skipped = True
                continue
            r1, c1 = spans.get((r, c), (r, c))
            attrs = f' ss:Index="{c + 1}"' if skipped else ""
            skipped = False
            attrs += (f' ss:MergeAcross="{c1 - c}"' if c1 > c else "") + (f' ss:MergeDown="{r1 - r}"' if r1 > r else "")
            if not val:
                out.append(f"<Cell{attrs}/>")
                continue
            value, code = (val, "@") if f"{get_column_letter(c + 1)}{r + 1}" in force else make.typed(val)
            if code == "@":
                data = f'<Data ss:Type="String">{escape(val).replace(chr(10), "&#10;")}</Data>'
            else:
                sid = styles.get(code)
                attrs += f' ss:StyleID="{sid}"' if sid else ""
                data = f'<Data ss:Type="Number">{value!r}</Data>'
            out.append(f"<Cell{attrs}>{data}</Cell>")
        out.append("</Row>")
    out += ["</Table></Worksheet></Workbook>"]
    path.write_text("\n".join(out), encoding="utf-8")
    return path


# ---------------------------------------------------------------- .docx written by hand
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/'
       '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
       '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/'
         'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
         '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')


@dataclass(frozen=True)
class DocxStyle:
    split: bool = False          # the table split in two at a page break
    repeat_header: bool = False  # the second part starts with the header row again
    nested: bool = False         # the indicator rows in a table inside a cell of the outer table
    paragraphs: bool = False     # long cells written as several paragraphs, short ones with a line break
    text_in_continue: bool = False   # a vMerge continue cell holds the text again


def _run(text: str, style: DocxStyle) -> str:
    lines = text.split("\n")
    if style.paragraphs and len(lines) == 1 and len(text) >= 4 and not re.fullmatch(r"[\d.,%]+", text):
        half = len(text) // 2
        if len(text) >= 12:   # a long text: two paragraphs
            return "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(t)}</w:t></w:r></w:p>'
                           for t in (text[:half], text[half:]))
        lines = [text[:half], text[half:]]   # a short one: a line break inside the paragraph
    runs = '<w:r><w:br/></w:r>'.join(f'<w:r><w:t xml:space="preserve">{escape(t)}</w:t></w:r>' for t in lines)
    return f"<w:p>{runs}</w:p>"


def _tr(g: Grid, r: int, style: DocxStyle, first_of_part: bool) -> str:
    row = g.rows[r]
    cells = []
    c = 0
    while c < len(row):
        span = 1
        while c + span < len(row) and row[c + span] == LEFT:
            span += 1
        val = row[c]
        pr = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        if val == UP:
            top = r
            while g.rows[top][c] == UP:
                top -= 1
            if first_of_part:   # a page split through a merge: Word starts a new merge, empty
                pr += '<w:vMerge w:val="restart"/>'
                text = ""
            else:
                pr += "<w:vMerge/>"
                text = g.rows[top][c] if style.text_in_continue else ""
        else:
            text = val
            below = r + 1
            if below < len(g.rows) and below in g.ruled and g.rows[below][c] == UP:
                pr += '<w:vMerge w:val="restart"/>'
        cells.append(f"<w:tc><w:tcPr>{pr}</w:tcPr>{_run(text, style) if text else '<w:p/>'}</w:tc>")
        c += span
    return f"<w:tr>{''.join(cells)}</w:tr>"


def _tbl(g: Grid, rows: list[int], style: DocxStyle, header: int | None = None) -> str:
    n = len(g.rows[0])
    grid = "".join('<w:gridCol w:w="1000"/>' for _ in range(n))
    border = "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                     for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    body = []
    if header is not None:
        body.append(_tr(g, header, style, first_of_part=False).replace("<w:tr>", "<w:tr><w:trPr><w:tblHeader/></w:trPr>"))
    for i, r in enumerate(rows):
        body.append(_tr(g, r, style, first_of_part=(i == 0)))
    return (f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{border}</w:tblBorders></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>")


def write_docx(g: Grid, path: Path, style: DocxStyle = DocxStyle()) -> Path:
    """The grid as a Word document written directly: title lines as paragraphs, ruled rows as a table with
    ``gridSpan`` across and ``vMerge`` restart/continue down."""
    import zipfile
    ruled = set(g.ruled)
    parts: list[str] = []
    r = 0
    n = len(g.rows)
    while r < n:
        if r not in ruled:
            line = "  ".join(v for v in g.rows[r] if v not in ("", LEFT, UP))
            parts.append(f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>')
            r += 1
            continue
        block = [r]
        while block[-1] + 1 < n and block[-1] + 1 in ruled:
            block.append(block[-1] + 1)
        r = block[-1] + 1
        h = g.header if g.header in block else None
        if style.split and h is not None:
            cut = _break_at(g)
            first, second = [b for b in block if b <= cut], [b for b in block if b > cut]
            parts.append(_tbl(g, first, style))
            parts.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
            if style.repeat_header:
                parts.append(_tbl(g, second, style, header=h))
            else:
                parts.append(_tbl(g, second, style))
        elif style.nested and h is not None:
            outer = [b for b in block if b < h]
            inner = [b for b in block if b >= h]
            table = _tbl(g, outer, style)
            nested = _tbl(g, inner, style)
            span = len(g.rows[0])
            cell = (f'<w:tr><w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>{nested}<w:p/></w:tc></w:tr>')
            parts.append(table.replace("</w:tbl>", cell + "</w:tbl>"))
        else:
            parts.append(_tbl(g, block, style))
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>'
           f"{''.join(parts)}<w:sectPr/></w:body></w:document>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/document.xml", doc)
    return path


# ---------------------------------------------------------------- LibreOffice
def soffice(paths: list[Path], target: str, outdir: Path) -> dict[Path, Path]:
    """Convert files with LibreOffice (``xls:MS Excel 97``, ``pdf:calc_pdf_Export``, ``ods``); source → result."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is needed")
    outdir.mkdir(parents=True, exist_ok=True)
    ext = target.split(":")[0]
    with tempfile.TemporaryDirectory() as profile:
        for i in range(0, len(paths), 200):
            subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                            "--convert-to", target, "--outdir", str(outdir), *map(str, paths[i:i + 200])],
                           capture_output=True, timeout=1800, check=False)
    return {p: outdir / f"{p.stem}.{ext}" for p in paths if (outdir / f"{p.stem}.{ext}").exists()}


# ---------------------------------------------------------------- the variants
@dataclass(frozen=True)
class Variant:
    name: str
    ext: str
    grid: Callable[[Grid], Grid] | None = None   # a change to the grid before writing
    xlsx: XlsxEdit | None = None                 # a change to the workbook make.py writes
    convert: str | None = None                   # LibreOffice target for the .xlsx written
    write: Callable[[Grid, Path], Path] | None = None   # a writer of its own


VARIANTS = [
    Variant("xlsx 生成器原样", "xlsx"),
    Variant("xlsx 合并区每格都有值", "xlsx", xlsx=merged_repeated),
    Variant("xlsx 不合并、下方空白", "xlsx", xlsx=unmerged_blank),
    Variant("xlsx 不合并、向下重复", "xlsx", xlsx=unmerged_down),
    Variant("xlsx 不合并、每格填充", "xlsx", xlsx=unmerged_filled),
    Variant("xlsx 数字存为文本", "xlsx", xlsx=numbers_as_text),
    Variant("xlsx WPS 数字格式", "xlsx", xlsx=wps_formats),
    Variant("xlsx 表头两行", "xlsx", grid=header_two_rows),
    Variant("xlsx 空首行首列", "xlsx", grid=offset),
    Variant("xlsx 隐藏行列", "xlsx", grid=with_hidden, xlsx=hide),
    Variant("xlsx 说明页在前", "xlsx", xlsx=notes_sheet_first),
    Variant("xlsx 一页两张表", "xlsx", grid=stacked),
    Variant("xls LibreOffice 原样", "xls", convert="xls:MS Excel 97"),
    Variant("xls 不合并、下方空白", "xls", xlsx=unmerged_blank, convert="xls:MS Excel 97"),
    Variant("xls 合并区每格都有值", "xls", xlsx=merged_repeated, convert="xls:MS Excel 97"),
    Variant("xls 数字存为文本", "xls", xlsx=numbers_as_text, convert="xls:MS Excel 97"),
    Variant("xls WPS 数字格式", "xls", xlsx=wps_formats, convert="xls:MS Excel 97"),
    Variant("xls 隐藏行列", "xls", grid=with_hidden, xlsx=hide, convert="xls:MS Excel 97"),
    Variant("xls 说明页在前", "xls", xlsx=notes_sheet_first, convert="xls:MS Excel 97"),
    Variant("xls 表头两行", "xls", grid=header_two_rows, convert="xls:MS Excel 97"),
    Variant("xls 网页（HTML）", "xls", write=write_html_xls),
    Variant("xls XML 2003", "xls", write=write_xml2003),
    Variant("ods LibreOffice", "ods", convert="ods"),
    Variant("ods 隐藏行列", "ods", grid=with_hidden, xlsx=hide, convert="ods"),
    Variant("pdf 无表格线", "pdf", xlsx=no_borders, convert="pdf:calc_pdf_Export"),
    Variant("pdf 跨页、重复表头", "pdf", xlsx=pages_repeat, convert="pdf:calc_pdf_Export"),
    Variant("pdf 跨页、不重复表头", "pdf", xlsx=pages_plain, convert="pdf:calc_pdf_Export"),
    Variant("pdf 横向", "pdf", xlsx=landscape, convert="pdf:calc_pdf_Export"),
    Variant("pdf 窄列小字", "pdf", xlsx=narrow, convert="pdf:calc_pdf_Export"),
    Variant("pdf 隐藏行列", "pdf", grid=with_hidden, xlsx=hide, convert="pdf:calc_pdf_Export"),
    Variant("docx 直接写（vMerge）", "docx", write=write_docx),
    Variant("docx 续行格里也有字", "docx", write=lambda g, p: write_docx(g, p, DocxStyle(text_in_continue=True))),
    Variant("docx 分页拆表、重复表头", "docx", write=lambda g, p: write_docx(g, p, DocxStyle(split=True, repeat_header=True))),
    Variant("docx 分页拆表、不重复表头", "docx", write=lambda g, p: write_docx(g, p, DocxStyle(split=True))),
    Variant("docx 表格套在单元格里", "docx", write=lambda g, p: write_docx(g, p, DocxStyle(nested=True))),
    Variant("docx 单元格多段、换行", "docx", write=lambda g, p: write_docx(g, p, DocxStyle(paragraphs=True))),
]
BY_NAME = {v.name: v for v in VARIANTS}


def write_variants(grids: list[Grid], variants: list[Variant], outdir: Path,
                   reuse: bool = False) -> dict[tuple[str, str], tuple[Path, Grid]]:
    """Every (table, variant) written under ``outdir``: (table name, variant name) → (file, the grid it holds).
    With ``reuse``, a file already there is taken as it is."""
    out: dict[tuple[str, str], tuple[Path, Grid]] = {}
    pending: dict[str, list[tuple[Path, str, str, Grid]]] = {}
    for v in variants:
        folder = outdir / f"v{VARIANTS.index(v):02d}"   # the same folder for a variant whichever are written
        folder.mkdir(parents=True, exist_ok=True)
        for g in grids:
            try:
                gv = v.grid(g) if v.grid else g
            except (ValueError, StopIteration):
                continue
            stem = folder / g.name
            if reuse and stem.with_suffix("." + v.ext).exists():
                out[(g.name, v.name)] = (stem.with_suffix("." + v.ext), gv)
                continue
            if v.write is not None:
                out[(g.name, v.name)] = (v.write(gv, stem.with_suffix("." + v.ext)), gv)
                continue
            if v.convert:
                (folder / "x").mkdir(exist_ok=True)
                stem = folder / "x" / g.name
            xlsx = write_xlsx(gv, stem.with_suffix(".xlsx"), v.xlsx)
            if v.convert:
                pending.setdefault(v.convert, []).append((xlsx, g.name, v.name, gv))
            else:
                out[(g.name, v.name)] = (xlsx, gv)
    for target, items in pending.items():
        done = {}
        by_folder: dict[Path, list[Path]] = {}
        for xlsx, *_ in items:
            by_folder.setdefault(xlsx.parent, []).append(xlsx)
        for folder, paths in by_folder.items():
            done.update(soffice(paths, target, folder.parent))
        for xlsx, name, vname, gv in items:
            if xlsx in done:
                out[(name, vname)] = (done[xlsx], gv)
    return out
