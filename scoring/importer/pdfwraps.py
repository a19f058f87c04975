"""Cells wrapped over several lines in a PDF table printed without ruling lines, put back into their row.

A spreadsheet printed without borders has no lines to tell its rows. Each row's cells are centred on the row:
a one-line cell lies on the row's middle line, a cell wrapped over two lines lies half a line above and half a
line below it (``年度`` / ``指标值`` around the header line ``一级指标 二级指标 …``), over three lines one line above,
on it and one below, and so on. So a pair of shorter lines, one above and one below a line, as far from it on
either side, that share a column and use none of its columns, are the two halves of wrapped cells of that
line's row: their texts are joined into the row's cells, top half first. A level name centred between two
rows (a merged cell over an even number of rows) is a line of its own and stays one: the lines around it use
more columns than it does.
"""

from __future__ import annotations

from dataclasses import replace

from scoring.importer.rows import Row

Line = tuple[float, Row]   # top, and the line's cells with their offsets
NEAR = 2   # offsets (half-width columns) within this are one column


def _near(a: int, offsets) -> bool:
    return any(abs(a - b) <= NEAR for b in offsets)


def _join(top: str, bottom: str) -> str:
    """Two lines of one cell: words of Latin letters or digits keep a space between them."""
    if top[-1:].isascii() and top[-1:].isalnum() and bottom[:1].isascii() and bottom[:1].isalnum():
        return f"{top} {bottom}"
    return top + bottom


def _halves(lines: list[Line], k: int, size: float, used: set[int]) -> tuple[int, int] | None:
    """The nearest lines above and below line ``k`` that are the halves of its wrapped cells, if any."""
    top, row = lines[k]
    own = row.offsets or ()
    for a in range(k - 1, max(k - 4, -1), -1):
        if a in used:
            continue
        for b in range(k + 1, min(k + 4, len(lines))):
            if b in used:
                continue
            (ta, ra), (tb, rb) = lines[a], lines[b]
            if abs((ta + tb) / 2 - top) > 0.25 * size or top - ta > size:   # half a line off, not more
                continue
            oa, ob = ra.offsets or (), rb.offsets or ()
            if (len(ra.cells) >= len(row.cells) or len(rb.cells) >= len(row.cells)
                    or any(_near(o, own) for o in (*oa, *ob)) or not any(_near(o, ob) for o in oa)):
                continue
            return a, b
    return None


def unwrap(lines: list[Line], size: float) -> tuple[list[Line], int]:
    """The lines with the halves of each row's wrapped cells joined into it; and how many rows took some."""
    used: set[int] = set()
    merged: dict[int, Row] = {}
    for k in sorted(range(len(lines)), key=lambda i: -len(lines[i][1].cells)):   # fullest lines first
        if k in used:
            continue
        pair = _halves(lines, k, size, used)
        if pair is None:
            continue
        a, b = pair
        used.update((a, b, k))
        row = lines[k][1]
        cells = dict(zip(row.offsets or (), row.cells, strict=True))
        upper = dict(zip(lines[a][1].offsets or (), lines[a][1].cells, strict=True))
        lower = dict(zip(lines[b][1].offsets or (), lines[b][1].cells, strict=True))
        for o, text in upper.items():
            below = next((t for ob, t in lower.items() if abs(ob - o) <= NEAR), "")
            cells[o] = _join(text, below) if below else text
        for o, text in lower.items():
            if not _near(o, upper):
                cells[o] = text
        ordered = sorted(cells.items())
        merged[k] = replace(row, cells=tuple(t for _, t in ordered), offsets=tuple(o for o, _ in ordered),
                            chars=tuple(round(o / 2) for o, _ in ordered))
    out = [(top, merged.get(k, row)) for k, (top, row) in enumerate(lines) if k in merged or k not in used]
    return out, len(merged)
