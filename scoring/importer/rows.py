"""A source document's rows of cells, whatever the format: the one type every reader returns.

Every reader (:mod:`.spreadsheets`, :mod:`.docx`, :mod:`.pdf`, :mod:`.htmltables`, :mod:`.text`)
writes the same cells for the same table: a merged cell's text in its first column, repeated
down its rows (:func:`fill_merges`); a number as the text a person sees. Text split at runs of
spaces keeps each cell's display column (:attr:`Row.offsets`) so that the table reader can line
it up under the header (:func:`align`). Every row knows where it came from: file › sheet › row.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from scoring.findings import place

MAX_LINE_CHARS = 20_000   # a text line longer than this is no table row (a 100 MB line is refused, not split)
MAX_CELLS = 2_000         # cells in one row of any format (a real 绩效目标表 has under 40)


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
    written: tuple[str, ...] | None = None   # the cells as written, when ``cells`` were folded to simplified
    cut: bool = False                        # cells cut from run-together text: an empty cell is a reading, no evidence

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


Merge = tuple[int, int, int, int]   # first row, first column, last row, last column (0-based, inclusive)


def fill_merges(grid: list[list[str]], merges: Sequence[Merge]) -> list[list[str]]:
    """Write each merged range the way every reader does: its text in its first column, down its rows.

    Across the columns of a merged range the text is written once (a 二级 name merged over the
    三级 column is not a 三级 name); down its rows it is repeated (each indicator row keeps its 一级).

    >>> fill_merges([["a", "", "x"], ["", "", "y"]], [(0, 0, 1, 1)])
    [['a', '', 'x'], ['a', '', 'y']]
    >>> fill_merges([["p", "q"], ["r"]], [(0, 1, 1, 1)])
    [['p', 'q'], ['r', 'q']]
    """
    for r0, c0, r1, c1 in merges:
        if r0 >= len(grid):
            continue
        top = grid[r0][c0] if c0 < len(grid[r0]) else ""
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            if top and len(row) <= c0:   # a row that ends before the merged cell (its covered cells not written)
                row.extend([""] * (c0 + 1 - len(row)))
            for c in range(c0, min(c1, len(row) - 1) + 1):
                row[c] = top if c == c0 else ""
    return grid


def visible(grid: list[list[str]], merges: Sequence[Merge], hidden_rows: set[int],
            hidden_cols: set[int]) -> list[tuple[int, list[str]]]:
    """(row number from 1, cells) of the rows a person sees, after :func:`fill_merges`: hidden rows and columns
    (a template's code column, a template row left in) are left out, as they are neither seen nor printed. A
    merged cell that starts in a hidden column keeps its text in its first column that is seen.

    >>> visible([["a", "x", "b"], ["c", "y", "d"]], [], {1}, {1})
    [(1, ['a', 'b'])]
    >>> visible([["t", "", ""]], [(0, 0, 0, 2)], set(), {0})
    [(1, ['t', ''])]
    """
    if not hidden_rows and not hidden_cols:
        return list(enumerate(grid, 1))
    for r0, c0, r1, c1 in merges:
        if c0 in hidden_cols:
            shown = next((c for c in range(c0 + 1, c1 + 1) if c not in hidden_cols), None)
            for r in range(r0, min(r1, len(grid) - 1) + 1):
                if shown is not None and c0 < len(grid[r]) and shown < len(grid[r]):
                    grid[r][shown] = grid[r][c0]
    return [(i, [v for c, v in enumerate(cells) if c not in hidden_cols])
            for i, cells in enumerate(grid, 1) if i - 1 not in hidden_rows]


def holding(grid: list[list[str]], rows: set[int], cols: set[int]) -> tuple[set[int], set[int]]:
    """The hidden rows and columns that hold something (a template hides its empty columns to the right).

    >>> holding([["a", ""], ["", ""]], {0, 1}, {0, 1})
    ({0}, {0})
    """
    return ({r for r in rows if r < len(grid) and any(grid[r])},
            {c for c in cols if any(c < len(row) and row[c] for row in grid)})


def hidden_note(sheet: str, rows: set[int], cols: set[int], shown: int = 8) -> str:
    """What a reader left out as hidden, by Excel's row numbers and column letters.

    >>> hidden_note("Sheet1", {3, 4}, {1})
    '工作表“Sheet1”中隐藏的第4、5行，隐藏的B列未读取（打印和查看时都看不到它们）'
    """
    from openpyxl.utils import get_column_letter

    parts = []
    if rows:
        listed = "、".join(str(r + 1) for r in sorted(rows)[:shown]) + ("等" if len(rows) > shown else "")
        parts.append(f"隐藏的第{listed}行")
    if cols:
        listed = "、".join(get_column_letter(c + 1) for c in sorted(cols)[:shown]) + ("等" if len(cols) > shown else "")
        parts.append(f"隐藏的{listed}列")
    return f"工作表“{sheet}”中{'，'.join(parts)}未读取（打印和查看时都看不到它们）"


_RUN = re.compile(r"[ \u3000\u00a0]{2,}|\u3000")


def spaced_row(name: str, number: int, line: str, sheet: str | None = None) -> Row:
    """A line whose cells are separated by runs of spaces; each cell keeps its display column.

    >>> r = spaced_row("t.txt", 1, "产出指标  数量指标    ≥95%")
    >>> r.cells, r.offsets, r.chars
    (('产出指标', '数量指标', '≥95%'), (0, 10, 22), (0, 6, 14))
    """
    cells: list[str] = []
    offsets: list[int] = []
    chars: list[int] = []
    pos = 0
    width = 0
    for part in [*_RUN.finditer(line), None]:
        end = part.start() if part else len(line)
        chunk = line[pos:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            cells.append(chunk.strip())
            offsets.append(width + display_width(chunk[:lead]))
            chars.append(pos + lead)
        if part:
            width += display_width(line[pos:part.end()])
            pos = part.end()
    return Row(name, number, tuple(cells), sheet=sheet, offsets=tuple(offsets), chars=tuple(chars))


def measure(header: Row, rows: Sequence[Row]) -> str:
    """``offsets`` (CJK counts two columns) or ``chars`` (one): whichever lines the rows up under the header."""
    def hits(attr: str) -> int:
        starts = set(getattr(header, attr) or ())
        return sum(o in starts for r in rows if getattr(r, attr) for o in getattr(r, attr))
    return "chars" if hits("chars") > hits("offsets") else "offsets"


def align(row: Row, offsets: tuple[int, ...] | None, attr: str = "offsets") -> Row:
    """A row of text split at spaces, its cells moved under the header cells nearest to them.

    A cell goes under the nearest header cell, or the first free one after it; past the last, it
    is appended. Linear in the cells (a line of 40,000 cells is no reason to wait).

    >>> align(spaced_row("t", 2, "a      c  d"), (0, 4, 7)).cells
    ('a', '', 'c', 'd')
    """
    own = getattr(row, attr)
    if own is None or offsets is None:
        return row
    n = len(offsets)
    cells = [""] * n
    after: dict[int, int] = {}   # a filled column → the next column to try (path-compressed)

    def free(j: int) -> int:
        seen = []
        while j < n and cells[j]:
            seen.append(j)
            j = after.get(j, j + 1)
        for s in seen:
            after[s] = j
        return j

    ordered = all(a <= b for a, b in itertools.pairwise(offsets))
    for text, off in zip(row.cells, own, strict=True):
        if ordered:
            i = bisect.bisect_left(offsets, off)
            j = i - 1 if i == n or (i > 0 and off - offsets[i - 1] <= offsets[i] - off) else i
        else:
            j = min(range(n), key=lambda k: abs(offsets[k] - off))
        k = free(max(j, 0))
        if k >= n:
            cells.append(text)
        else:
            cells[k] = text
    return replace(row, cells=tuple(cells))


def display_width(text: str) -> int:
    """Columns the text takes in a monospaced view: CJK characters count two.

    >>> display_width("指标a")
    5
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
