"""The columns of a PDF table printed without ruling lines, from the blank strips between them.

A cell's text may stand at the left of its column, at its right (numbers) or in its middle (a centred header),
so its left edge alone does not tell the column: ``20`` right-aligned under ``指标值`` starts nearer to the next
column's header. The columns are what the table's lines leave blank between them: across the lines of three
or more cells, the strips no line (or hardly any: a cell merged over two columns) has text in. Each cell that
lies within one column is placed at that column's left edge, so the cells of a column line up under its header.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from scoring.importer.rows import Row, display_width

Line = tuple[float, Row]


def columns(lines: list[Line]) -> list[tuple[int, int]]:
    """The columns (left, right, in offsets) of the lines of three or more cells, or none when under three.

    >>> def ln(*cells): return 0.0, Row("t", 0, tuple(t for _, t in cells), offsets=tuple(o for o, _ in cells))
    >>> columns([ln((0, "一级"), (10, "指标值"), (20, "完成值")), ln((0, "产出"), (14, "20"), (24, "20"))] * 2)
    [(0, 4), (10, 16), (20, 26)]
    >>> columns([ln((0, "一级"), (10, "二级"), (20, "三级")), ln((0, "其中:本年拨款"), (20, "20"), (26, "5"))] * 2)
    [(20, 24), (26, 27)]
    """
    full = [row for _, row in lines if row.offsets and len(row.cells) >= 3]
    if len(full) < 3:
        return []
    spans = [(o, o + max(display_width(t), 1)) for row in full for o, t in zip(row.offsets, row.cells, strict=True)]
    cover = [0] * (max(b for _, b in spans) + 1)
    for a, b in spans:
        for x in range(a, b):
            cover[x] += 1
    limit = len(full) // 10
    out: list[tuple[int, int]] = []
    for x, n in enumerate(cover):
        if n > limit:
            if out and out[-1][1] == x:
                out[-1] = (out[-1][0], x + 1)
            else:
                out.append((x, x + 1))
    starts = Counter(o for row in full for o, t in zip(row.offsets, row.cells, strict=True)
                     if any(c.isalpha() and not c.isascii() for c in t))   # words stand at the left, numbers not
    return [(a, b) for a, b in out if not _two_edges(sorted(o for o, n in starts.items() if a <= o < b and n > 1))]


def _two_edges(starts: list[int]) -> bool:
    """Cells of several lines start at two places far apart: two columns that a merged cell joins."""
    return bool(starts) and starts[-1] - starts[0] > 2


def snap(lines: list[Line]) -> list[Line]:
    """Each cell of a line moved to the left edge of the column it lies in (a line whose two cells would share
    a column, or a cell across a blank strip, keeps its place)."""
    cols = columns(lines)
    if not cols:
        return lines
    out: list[Line] = []
    for top, row in lines:
        if not row.offsets:
            out.append((top, row))
            continue
        new = []
        for o, t in zip(row.offsets, row.cells, strict=True):
            end = o + max(display_width(t), 1)
            col = next((a for a, b in cols if a <= o and end <= b), None)
            new.append(o if col is None else col)
        if len(set(new)) < len(new) or new == list(row.offsets):
            out.append((top, row))
            continue
        out.append((top, replace(row, offsets=tuple(new), chars=tuple(round(o / 2) for o in new))))
    return out
