"""HTML tables: in extracted text (PDF-to-Markdown converters write ``<table>…</table>``), and in a
``.xls`` that is really a web page (government sites often serve one; Excel opens it).

Each ``<tr>`` is a row of cells; ``colspan`` writes a cell's text once, in its first column, and
``rowspan`` repeats it down its rows, as every reader does (:func:`scoring.importer.rows.fill_merges`).
Lines outside the tables are rows of their own (titles, 单位 lines, trailers).
Rows are numbered by table and row: ``file › 表格1 › 第3行``; lines outside tables by their line.
Linear in the text: a table that is never closed runs to the end of the text, and a row wider than
:data:`~scoring.importer.rows.MAX_CELLS` columns is refused at its row.
"""

from __future__ import annotations

import re
from html import unescape

from scoring.findings import ScoreError, place
from scoring.importer.rows import MAX_CELLS, Row

_OPEN = re.compile(r"<table\b", re.I)
_CLOSE = re.compile(r"</table\s*>", re.I)
_TAG = re.compile(r"<[^<>]*>")
MAX_SPAN = 1000   # a colspan/rowspan larger than this is read as this
MAX_TABLE_CELLS = 200_000   # cells of one table once its spans are written out (a 绩效目标表 has under 2,000)


_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)([^<>]*)>")
_SPAN = re.compile(r"""\b(colspan|rowspan)\s*=\s*["']?\s*(\d+)""", re.I)


def parse_rows(html: str) -> list[list[tuple[str, int, int]]]:
    """A table's rows as (text, colspan, rowspan) cells, read tag by tag in one pass (no backtracking:
    ``html.parser`` takes quadratic time over tags that are never closed)."""
    rows: list[list[tuple[str, int, int]]] = []
    cell: list[str] | None = None
    span = (1, 1)

    def close() -> None:
        nonlocal cell
        if cell is not None:
            rows[-1].append((unescape("".join(cell)).strip(), *span))
            cell = None

    pos = 0
    for m in _TOKEN.finditer(html):
        if cell is not None and m.start() > pos:
            cell.append(html[pos:m.start()])
        pos = m.end()
        end, tag = m.group(1), m.group(2).lower()
        if tag == "tr" and not end:
            close()
            rows.append([])
        elif tag in ("td", "th") and not end:
            close()
            if not rows:
                rows.append([])
            cell = []
            spans = {k.lower(): v for k, v in _SPAN.findall(m.group(3))}
            span = (_int(spans.get("colspan")), _int(spans.get("rowspan")))
        elif tag in ("td", "th", "tr", "table") and end:
            close()
        elif cell is not None and (tag == "br" or (tag in ("p", "div") and cell)):
            cell.append("\n")
    if cell is not None and rows:
        cell.append(html[pos:])
        close()
    return rows


def _int(v: str | None) -> int:
    try:
        return max(1, min(int(str(v).strip() or 1), MAX_SPAN))
    except ValueError:
        return 1


def grid(rows: list[list[tuple[str, int, int]]], name: str, sheet: str) -> list[list[str]]:
    """Rows of (text, colspan, rowspan) as a grid of cells; linear in the cells written.

    >>> grid([[("a", 2, 2), ("b", 1, 1)], [("c", 1, 1)]], "t", "表格1")
    [['a', '', 'b'], ['a', '', 'c']]
    """
    out: list[list[str]] = []
    down: dict[int, tuple[int, str]] = {}   # column → (rows still covered, text)
    total = 0
    for n, cells in enumerate(rows, 1):
        line: list[str] = []
        cells_left = iter(cells)
        pending = next(cells_left, None)
        last_down = max(down, default=-1)
        while pending is not None or len(line) <= last_down:
            col = len(line)
            if col in down:
                left, text = down[col]
                line.append(text)
                if left > 1:
                    down[col] = (left - 1, text)
                else:
                    del down[col]
                continue
            if pending is None:
                line.append("")
                continue
            text, cspan, rspan = pending
            pending = next(cells_left, None)
            if col + cspan > MAX_CELLS:
                raise ScoreError(f"表格的一行超过 {MAX_CELLS:,} 列（colspan 合计过大），不像是绩效目标表",
                                 where=place(name, sheet, f"第{n}行"), hint="确认选对了文件")
            line.extend([text] + [""] * (cspan - 1))
            if rspan > 1:
                for k in range(col, col + cspan):
                    down[k] = (rspan - 1, text if k == col else "")
        out.append(line)
        total += len(line)
        if total > MAX_TABLE_CELLS:
            raise ScoreError(f"表格超过 {MAX_TABLE_CELLS:,} 个单元格（rowspan/colspan 展开后），不像是绩效目标表",
                             where=place(name, sheet, f"第{n}行"), hint="确认选对了文件")
    return out


def tables(text: str):
    """(start, end) of each ``<table>…</table>``, found in one pass; an unclosed one runs to the end."""
    pos = 0
    while (m := _OPEN.search(text, pos)) is not None:
        close = _CLOSE.search(text, m.end())
        end = close.end() if close else len(text)
        yield m.start(), end
        pos = end


def html_rows(text: str, name: str) -> list[Row]:
    """Rows of a text with HTML tables: table rows as cells, other lines as one row each."""
    text = _blank_blocks(text)
    rows: list[Row] = []
    pos = 0
    for n, (start, end) in enumerate(tables(text), 1):
        _plain(text, pos, start, name, rows)
        for i, cells in enumerate(grid(parse_rows(text[start:end]), name, f"表格{n}"), 1):
            rows.append(Row(name, i, tuple(cells), sheet=f"表格{n}", grid=True))
        pos = end
    _plain(text, pos, len(text), name, rows)
    return rows


_BLOCK = re.compile(r"<(style|script|head|title)\b|<!--", re.I)


def _blank_blocks(text: str) -> str:
    """Style sheets, scripts and comments (a web page saved as .xls has them) blanked, their lines kept."""
    out: list[str] = []
    pos = 0
    while (m := _BLOCK.search(text, pos)) is not None:
        tag = m.group(1)
        close = re.compile(re.escape("-->") if tag is None else rf"</{tag}\s*>", re.I).search(text, m.end())
        end = close.end() if close else len(text)
        out.append(text[pos:m.start()])
        out.append("\n" * text.count("\n", m.start(), end))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _plain(text: str, start: int, end: int, name: str, rows: list[Row]) -> None:
    first = text.count("\n", 0, start) + 1
    for i, line in enumerate(text[start:end].split("\n")):
        plain = _TAG.sub("", line)
        if plain.strip():
            rows.append(Row(name, first + i, tuple(plain.split("\t"))))
