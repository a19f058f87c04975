"""Text sources: text extracted from a PDF or Word document, Markdown tables, CSV, TSV.

Cells are separated by tabs, by ``|`` in a Markdown table, by commas in a ``.csv``, or, when a
file has none of these (``pdftotext -layout``, OCR, copied from a Word table), by runs of two or
more spaces; then each cell keeps its display column (:func:`scoring.importer.rows.spaced_row`).
Text holding ``<table>`` is read by :mod:`.htmltables`. Every path is linear in the text, and a
text larger than :data:`MAX_TEXT_BYTES` or with a line over :data:`~scoring.importer.rows.MAX_LINE_CHARS`
characters is refused at its line.
"""

from __future__ import annotations

import csv
import re

from scoring.findings import ScoreError, place
from scoring.importer.htmltables import html_rows
from scoring.importer.rows import MAX_CELLS, MAX_LINE_CHARS, Row, spaced_row

MAX_TEXT_BYTES = 20 * 1024**2   # a 绩效目标表's text is a few KB; a whole year's tables under 1 MB


def decode(data: bytes, name: str, notes: list[str]) -> str:
    """Text in UTF-8 (with or without BOM), else GB18030; a note says which."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            line = data[: exc.start].count(b"\n") + 1
            raise ScoreError("文件编码无法识别（既不是 UTF-8 也不是 GBK）", where=place(name, f"第{line}行"),
                             hint="用文本编辑器另存为 UTF-8 编码") from None
        notes.append("文件不是 UTF-8 编码，按 GB18030（GBK）读取")
        return text


def text_rows(data: bytes, name: str) -> tuple[list[Row], list[str]]:
    """Rows of a text file: tab-separated cells, or cells split at runs of spaces when there is no tab."""
    notes: list[str] = []
    if len(data) > MAX_TEXT_BYTES:
        raise ScoreError(f"文本文件有 {len(data) / 1024**2:,.0f} MB，超过上限 {MAX_TEXT_BYTES // 1024**2} MB，"
                         "不像是绩效目标表", where=place(name, "第1行"), hint="只导入绩效目标表所在的文本；确认选对了文件")
    if b"\x00" in data[:65536] or binary(data[:65536]):
        raise ScoreError("不是文本文件（像是二进制文件），无法读取", where=place(name, "第1行"),
                         hint="导入 PDF 提取出的文本（.txt）或 Excel 工作簿（.xlsx）")
    text = decode(data, name, notes).replace("\r\n", "\n").replace("\r", "\n")
    if re.search(r"<table\b", text, re.I):
        notes.append("HTML 表格：按 <tr>/<td> 读取单元格，合并单元格（rowspan/colspan）按 Excel 的方式展开")
        return html_rows(text, name), notes
    lines = text.split("\n")
    found = _run_together(text, lines, name)  # cells run together or laid out column by column
    if found is not None:
        return found[0], [*notes, *found[1]]
    _check_lines(lines, name, comma=name.lower().endswith(".csv"))
    if sum(_PIPE_ROW.match(line) is not None for line in lines) >= 3:
        notes.append("Markdown 表格：按“|”分隔单元格，分隔线（|---|）不是数据")
        return [_pipe_row(name, i, line) for i, line in enumerate(lines, 1)], notes
    if name.lower().endswith(".csv") and "\t" not in text:
        notes.append("CSV 文件：按逗号分隔单元格")
        return [Row(name, i, tuple(cells), grid=True) for i, cells in enumerate(csv.reader(lines), 1)], notes
    if "\t" in text:
        return [Row(name, i, tuple(line.split("\t"))) for i, line in enumerate(lines, 1)], notes
    notes.append("文件中没有制表符，按连续两个以上的空格分隔单元格（PDF/Word 提取的文本）")
    return [spaced_row(name, i, line) for i, line in enumerate(lines, 1)], notes


def _run_together(text: str, lines: list[str], name: str) -> tuple[list[Row], list] | None:
    """The rows of a text whose table the tab, pipe, comma and space splitters cannot read (:mod:`.runtext`),
    or None. Tried before the line limits: a table run together is often one long line; runtext refuses
    a text past its own limit (:data:`scoring.importer.runtext.MAX_TEXT`) before it splits anything."""
    import scoring.importer.runtext as runtext

    if ("\t" in text or len(text) > runtext.MAX_TEXT or name.lower().endswith(".csv")
            or sum(_PIPE_ROW.match(line) is not None for line in lines) >= 3):
        return None
    return runtext.read(text, name, [spaced_row(name, i, line) for i, line in enumerate(lines, 1)])


def _check_lines(lines: list[str], name: str, comma: bool) -> None:
    """Refuse, at its line, a line no table row has: longer than MAX_LINE_CHARS, or more than MAX_CELLS cells."""
    for i, line in enumerate(lines, 1):
        if len(line) > MAX_LINE_CHARS and line.strip():
            raise ScoreError(f"第{i}行有 {len(line):,} 个字符，超过一行的上限 {MAX_LINE_CHARS:,}，不像是表格的一行",
                             where=place(name, f"第{i}行"),
                             hint="确认选对了文件；表格文本每行是一行表格（单元格用制表符或空格分隔）")
        cells = max(line.count("\t"), line.count("|"), line.count(",") if comma else 0) + 1
        if cells > MAX_CELLS and line.strip():
            raise ScoreError(f"第{i}行约有 {cells:,} 个单元格，超过一行的上限 {MAX_CELLS:,}，不像是绩效目标表",
                             where=place(name, f"第{i}行"), hint="确认选对了文件")


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


def binary(chunk: bytes) -> bool:
    """Many control characters: a binary file, not text."""
    if not chunk:
        return False
    controls = sum(1 for b in chunk if b < 32 and b not in (9, 10, 13, 12))
    return controls > max(8, len(chunk) // 100)
