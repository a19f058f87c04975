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


def _between(lines: list[Line], k: int) -> bool:
    """Line ``k`` is names of merged cells lying between two rows: the lines on either side have more cells,
    none in its columns, and each has a cell to the right of all of its cells."""
    if not 0 < k < len(lines) - 1:
        return False
    own = lines[k][1].offsets or ()
    for j in (k - 1, k + 1):
        other = lines[j][1].offsets or ()
        if len(other) <= len(own) or any(_near(o, other) for o in own) or max(other) <= max(own) + NEAR:
            return False
    return True


def _first_is_name(lines: list[Line], rows: list[int], k: int) -> bool:
    """Row ``k``'s first cell may be a merged cell's name on its middle row: the rows next to it have nothing
    in its column or to its left and start where its second cell is."""
    own = lines[k][1].offsets or ()
    at = rows.index(k)
    near = [rows[j] for j in (at - 1, at + 1) if 0 <= j < len(rows)]
    return len(own) > 1 and len(near) == 2 and all(
        (lines[j][1].offsets or (own[0],))[0] > own[0] + NEAR and abs(lines[j][1].offsets[0] - own[1]) <= NEAR
        for j in near)


def place_labels(lines: list[Line], size: float) -> tuple[list[Line], int]:
    """Names of merged cells put into the first row of their cell, as every reader writes a merged cell.

    Without ruling a merged cell's name is centred on the rows it covers: over an even number of rows it lies
    between two rows, on a line of its own; over an odd number, on its middle row as that row's first cell.
    Read there, the rows above it would take the name before it (or none). The cell covers as many rows below
    the name as above it, up to the line above that has a cell in its column or to its left (the header, the
    next name out) or a row the last name in the column took (below it, a row may have the name of the cell
    around it, on that cell's middle row). A name with fewer rows below it than above stays where it is, and
    so does the last line of a cell wrapped over lines (a line's height below the text above it in its column,
    or one character: 绩/效/指/标). Returns the lines and how many names moved.
    """
    labels = {k for k in range(len(lines)) if _between(lines, k)}
    rows = [k for k in range(len(lines)) if k not in labels]
    names = [(k, o, t) for k in labels for o, t in zip(lines[k][1].offsets or (), lines[k][1].cells, strict=True)]
    names += [(k, row.offsets[0], row.cells[0]) for k, (_, row) in enumerate(lines)   # on its cell's middle row
              if k not in labels and _first_is_name(lines, rows, k)]
    taken: dict[int, set[int]] = {}   # a column (offset) → the rows of the names placed in it
    cells = {k: dict(zip(row.offsets or (), row.cells, strict=True)) for k, (_, row) in enumerate(lines)}
    moved = 0

    def stops(j: int, o: int, down: bool = False) -> bool:
        own = lines[j][1].offsets or ()
        return (_near(o, own) if down else any(x <= o + NEAR for x in own)) or any(
            j in rs for c, rs in taken.items() if abs(c - o) <= NEAR)

    for k, o, text in sorted(names):
        if len(text) < 2 or any(_near(o, lines[j][1].offsets or ()) and lines[k][0] - lines[j][0] < 1.5 * size
                                for j in range(k)):
            continue   # the last line of a cell's text wrapped in its column
        above = []
        for j in reversed([j for j in rows if j < k]):
            if stops(j, o):
                break
            above.append(j)
        below = []
        for j in [j for j in rows if j > k][:len(above)]:
            if stops(j, o, down=True):
                break
            below.append(j)
        if not above or len(below) < len(above):
            continue
        taken.setdefault(o, set()).update(above, below, [k])
        del cells[k][o]
        cells[above[-1]][o] = text
        moved += 1
    out: list[Line] = []
    for k, (top, row) in enumerate(lines):
        if cells[k] == dict(zip(row.offsets or (), row.cells, strict=True)):
            out.append((top, row))
        elif cells[k]:
            ordered = sorted(cells[k].items())
            out.append((top, replace(row, cells=tuple(t for _, t in ordered), offsets=tuple(o for o, _ in ordered),
                                     chars=tuple(round(o / 2) for o, _ in ordered))))
    return out, moved
