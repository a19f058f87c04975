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
from html.parser import HTMLParser

from scoring.findings import ScoreError, place
from scoring.importer.rows import MAX_CELLS, Row

_OPEN = re.compile(r"<table\b", re.I)
_CLOSE = re.compile(r"</table\s*>", re.I)
_TAG = re.compile(r"<[^<>]*>")
MAX_SPAN = 1000   # a colspan/rowspan larger than this is read as this


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[tuple[str, int, int]]] = []   # (text, colspan, rowspan)
        self.cell: list[str] | None = None
        self.span = (1, 1)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr":
            self._close()
            self.rows.append([])
        elif tag in ("td", "th"):
            self._close()
            if not self.rows:
                self.rows.append([])
            self.cell = []
            self.span = (_int(a.get("colspan")), _int(a.get("rowspan")))
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")
        elif tag in ("p", "div") and self.cell:
            self.cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th", "tr", "table"):
            self._close()

    def _close(self):
        if self.cell is not None:
            self.rows[-1].append(("".join(self.cell).strip(), *self.span))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


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
        parser = _Cells()
        parser.feed(text[start:end])
        parser.close()
        parser._close()
        for i, cells in enumerate(grid(parser.rows, name, f"表格{n}"), 1):
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
