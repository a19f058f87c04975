"""HTML tables in extracted text (PDF-to-Markdown converters write a 绩效目标表 as ``<table>…</table>``).

Each ``<tr>`` is a row of cells; ``colspan`` writes a cell's text once, in its first column, and
``rowspan`` repeats it down its rows, as :func:`scoring.importer.sources.xlsx_rows` does for merged
Excel cells. Lines outside the tables are rows of their own (titles, 单位 lines, trailers).
Rows are numbered by table and row: ``file › 表格1 › 第3行``; lines outside tables by their line.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from scoring.importer.sources import Row

_TABLE = re.compile(r"<table\b.*?</table\s*>", re.S | re.I)


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[tuple[str, int, int]]] = []   # (text, colspan, rowspan)
        self.cell: list[str] | None = None
        self.span = (1, 1)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self.cell = []
            self.span = (_int(a.get("colspan")), _int(a.get("rowspan")))
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(("".join(self.cell).strip(), *self.span))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def _int(v: str | None) -> int:
    try:
        return max(1, min(int(v or 1), 1000))
    except ValueError:
        return 1


def _grid(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    out: list[list[str]] = []
    down: dict[int, tuple[int, str]] = {}   # column → (rows still covered, text)
    for cells in rows:
        line: list[str] = []
        queue = list(cells)
        col = 0
        while queue or any(c >= col for c in down):
            if col in down:
                left, text = down[col]
                line.append(text)
                down[col] = (left - 1, text) if left > 1 else None
                if down[col] is None:
                    del down[col]
                col += 1
                continue
            if not queue:
                line.append("")
                col += 1
                continue
            text, cspan, rspan = queue.pop(0)
            line.extend([text] + [""] * (cspan - 1))
            if rspan > 1:
                down[col] = (rspan - 1, text)
                for k in range(col + 1, col + cspan):
                    down[k] = (rspan - 1, "")
            col += cspan
        out.append(line)
    return out


def html_rows(text: str, name: str) -> list[Row]:
    """Rows of a text with HTML tables: table rows as cells, other lines as one row each."""
    rows: list[Row] = []
    pos = 0
    for n, m in enumerate(_TABLE.finditer(text), 1):
        _plain(text, pos, m.start(), name, rows)
        parser = _Cells()
        parser.feed(m.group(0))
        for i, cells in enumerate(_grid(parser.rows), 1):
            rows.append(Row(name, i, tuple(cells), sheet=f"表格{n}", grid=True))
        pos = m.end()
    _plain(text, pos, len(text), name, rows)
    return rows


def _plain(text: str, start: int, end: int, name: str, rows: list[Row]) -> None:
    first = text.count("\n", 0, start) + 1
    for i, line in enumerate(text[start:end].split("\n")):
        plain = re.sub(r"<[^>]+>", "", line)
        if plain.strip():
            rows.append(Row(name, first + i, tuple(plain.split("\t"))))
