"""Source documents as rows of cells: the only part of the importer that touches files.

A source is sniffed by its bytes, not its name: an Excel workbook (.xlsx, opened only after the
size guard :func:`scoring.xlsx.check_xlsx`), or text extracted from a PDF or Word document. Text
cells are separated by tabs, or, when a file has no tabs (``pdftotext -layout``, OCR, copied
from a Word table), by runs of two or more spaces; then each cell keeps its display column
(:attr:`Row.offsets`) so that the table reader can line it up under the header.
Every row knows where it came from: file › sheet › row.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from scoring.findings import ScoreError, place
from scoring.targets.model import fmt_weight
from scoring.xlsx import check_xlsx


@dataclass(frozen=True)
class Row:
    """One line of a source document: its cells as written, and where it is."""

    file: str
    line: int
    cells: tuple[str, ...]
    sheet: str | None = None
    offsets: tuple[int, ...] | None = None  # display column of each cell (text split at runs of spaces)
    chars: tuple[int, ...] | None = None    # the same in characters (extraction that counts a CJK character as one)
    grid: bool = False                       # cells stand in their true columns (Excel, Word tables)

    @property
    def where(self) -> str:
        return place(self.file, self.sheet, f"第{self.line}行")

    @property
    def ref(self) -> str:
        """The ``source`` stored with each record: ``file:line`` or ``file:sheet:line``."""
        return f"{self.file}:{self.sheet}:{self.line}" if self.sheet else f"{self.file}:{self.line}"

    @property
    def text(self) -> str:
        return " ⇥ ".join(c.strip() for c in self.cells).rstrip(" ⇥")


def read_rows(path: str | Path) -> tuple[list[Row], list[str]]:
    """The rows of a source document, and notes on how it was read (encoding, separators)."""
    path = Path(path)
    if not path.is_file():
        raise ScoreError("找不到文件", where=str(path))
    with path.open("rb") as f:
        head = f.read(8)
    if head[:4] == b"PK\x03\x04":
        if path.suffix.lower() in (".docx", ".docm") or _is_docx(path):
            from scoring.importer.docx import docx_rows

            return docx_rows(path), ["Word 文件：按段落和表格行依次编号（第n行）"]
        return xlsx_rows(path), []
    if head[:5] == b"%PDF-":
        raise ScoreError("这是 PDF 原件，不能直接导入", where=str(path),
                         hint="先把 PDF 中的表格提取为文本（如 pdftotext -layout，单元格以制表符或空格分隔），再导入提取出的文本")
    if head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ScoreError("这是旧版 Excel/Word（.xls/.doc）文件", where=str(path), hint="在 Excel 中另存为 .xlsx 后再导入")
    return text_rows(path.read_bytes(), path.name)


def _is_docx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return "word/document.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def text_rows(data: bytes, name: str) -> tuple[list[Row], list]:
    """Rows of a text file: tab-separated cells, or cells split at runs of spaces when there is no tab."""
    notes: list[str] = []
    if b"\x00" in data[:65536] or _binary(data[:65536]):
        raise ScoreError("不是文本文件（像是二进制文件），无法读取", where=place(name, "第1行"),
                         hint="导入 PDF 提取出的文本（.txt）或 Excel 工作簿（.xlsx）")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("gb18030")
            notes.append("文件不是 UTF-8 编码，按 GB18030（GBK）读取")
        except UnicodeDecodeError:
            line = data[: exc.start].count(b"\n") + 1
            raise ScoreError("文件编码无法识别（既不是 UTF-8 也不是 GBK）", where=place(name, f"第{line}行"),
                             hint="用文本编辑器另存为 UTF-8 编码") from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if "<table" in text.lower():
        from scoring.importer.htmltables import html_rows

        notes.append("HTML 表格：按 <tr>/<td> 读取单元格，合并单元格（rowspan/colspan）按 Excel 的方式展开")
        return html_rows(text.replace("\r\n", "\n"), name), notes
    if sum(_PIPE_ROW.match(line) is not None for line in lines) >= 3:
        notes.append("Markdown 表格：按“|”分隔单元格，分隔线（|---|）不是数据")
        return [_pipe_row(name, i, line) for i, line in enumerate(lines, 1)], notes
    if name.lower().endswith(".csv") and "\t" not in text:
        notes.append("CSV 文件：按逗号分隔单元格")
        return [Row(name, i, tuple(cells), grid=True) for i, cells in enumerate(csv.reader(lines), 1)], notes
    if "\t" in text:
        return [Row(name, i, tuple(line.split("\t"))) for i, line in enumerate(lines, 1)], notes
    spaced = [_spaced_row(name, i, line) for i, line in enumerate(lines, 1)]
    from scoring.importer import runtext

    found = runtext.read(text, name, spaced)   # cells run together or laid out column by column
    if found is not None:
        return found[0], [*notes, *found[1]]
    notes.append("文件中没有制表符，按连续两个以上的空格分隔单元格（PDF/Word 提取的文本）")
    return spaced, notes


_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?(\s*:?-{2,}:?\s*\|)+\s*(:?-{2,}:?\s*)?\|?\s*$")


def _pipe_row(name: str, number: int, line: str) -> Row:
    """A Markdown table row ``| a | b |`` as cells; a rule ``|---|---|`` or any other line as one cell or none."""
    if _PIPE_RULE.match(line):
        return Row(name, number, ())
    if not _PIPE_ROW.match(line):
        return Row(name, number, (line,) if line.strip() else ())
    cells = re.split(r"(?<!\\)\|", line.strip()[1:-1])
    return Row(name, number, tuple(c.strip().replace("\\|", "|").replace("<br>", "\n").replace("<br/>", "\n")
                                   for c in cells), grid=True)


_RUN = re.compile(r"[ \u3000\u00a0]{2,}|\u3000")


def _spaced_row(name: str, number: int, line: str) -> Row:
    """A line whose cells are separated by runs of spaces; each cell keeps its display column."""
    cells: list[str] = []
    offsets: list[int] = []
    chars: list[int] = []
    pos = 0
    for part in [*_RUN.finditer(line), None]:
        end = part.start() if part else len(line)
        chunk = line[pos:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            cells.append(chunk.strip())
            offsets.append(display_width(line[:pos + lead]))
            chars.append(pos + lead)
        if part:
            pos = part.end()
    return Row(name, number, tuple(cells), offsets=tuple(offsets), chars=tuple(chars))


def measure(header: Row, rows: Sequence[Row]) -> str:
    """``offsets`` (CJK counts two columns) or ``chars`` (one): whichever lines the rows up under the header."""
    def hits(attr: str) -> int:
        starts = set(getattr(header, attr) or ())
        return sum(o in starts for r in rows if getattr(r, attr) for o in getattr(r, attr))
    return "chars" if hits("chars") > hits("offsets") else "offsets"


def align(row: Row, offsets: tuple[int, ...] | None, attr: str = "offsets") -> Row:
    """A row of text split at spaces, its cells moved under the header cells nearest to them."""
    own = getattr(row, attr)
    if own is None or offsets is None:
        return row
    cells = [""] * len(offsets)
    for text, off in zip(row.cells, own, strict=True):
        j = min(range(len(offsets)), key=lambda k: abs(offsets[k] - off))
        while j < len(cells) and cells[j]:
            j += 1
        if j >= len(cells):
            cells.append(text)
        else:
            cells[j] = text
    return replace(row, cells=tuple(cells))


def display_width(text: str) -> int:
    """Columns the text takes in a monospaced view: CJK characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _binary(chunk: bytes) -> bool:
    if not chunk:
        return False
    controls = sum(1 for b in chunk if b < 32 and b not in (9, 10, 13, 12))
    return controls > max(8, len(chunk) // 100)


def xlsx_rows(path: Path) -> list[Row]:
    """Rows of every sheet; a merged cell's value is filled from its top-left cell down its rows.

    Across the columns of a merged range the value is written once (in its first column), as
    PDF extraction does: a 二级 name merged over the 三级 column is not repeated as a 三级 name.
    """
    import openpyxl

    check_xlsx(path)
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:
        raise ScoreError(f"无法打开 Excel 工作簿：{type(exc).__name__}", where=str(path),
                         hint="确认文件是 .xlsx 格式且没有损坏、没有加密") from None
    rows: list[Row] = []
    for ws in wb.worksheets:
        grid = [[_cell_text(c) for c in r] for r in ws.iter_rows()]
        for rng in ws.merged_cells.ranges:
            top = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_row - 1 < len(grid) else ""
            for r in range(rng.min_row, rng.max_row + 1):
                if r - 1 >= len(grid):
                    continue
                row = grid[r - 1]
                for c in range(rng.min_col, rng.max_col + 1):
                    if c - 1 < len(row):
                        row[c - 1] = top if c == rng.min_col else ""
        for i, cells in enumerate(grid, 1):
            rows.append(Row(path.name, i, tuple(cells), sheet=ws.title, grid=True))
    return rows


def _cell_text(cell) -> str:
    """An Excel cell as the text a person sees: 0.95 formatted as a percent reads ``95%``."""
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, dt.datetime | dt.date):
        return f"{v.year}年{v.month}月{v.day}日"
    if isinstance(v, int | float):
        fmt = cell.number_format or ""
        if "%" in fmt:
            return fmt_weight(round(v * 100, 10)) + "%"
        return fmt_weight(float(v))
    return str(v)
