"""A real table's workbook written out as the text that extraction makes of it, in the layouts real pages
have (issue 23): the tests read these texts and compare what they import with what the workbook imports.

- ``together``: every cell run together, the whole table one line (a web page's text of a Word table);
- ``rowlines``: one row a line, its cells run together;
- ``spaced``: one row a line, its cells apart at single spaces;
- ``onespace``: the whole table one line, cells apart at single spaces;
- ``cellines``: one cell a line between blank lines, a line of one space for an empty cell;
- ``wrapped``: one row a line, a long cell going on in the line(s) below its row (PDF text of a narrow table).

A merged cell's text is written once, in its first cell; an empty cell leaves no trace except in
``cellines``. The text shown for a number is what the cell's format shows (1 shown as 100% is "100%").
"""

from __future__ import annotations

from pathlib import Path

LAYOUTS = ("together", "rowlines", "spaced", "onespace", "cellines", "wrapped")
WRAP = 12          # characters of a cell on its row's line in ``wrapped``


def workbook_grid(path: Path) -> list[list[str | None]]:
    """The first sheet's cells as shown; None for a cell merged into the one before or above it."""
    import openpyxl

    ws = openpyxl.load_workbook(path).worksheets[0]
    hidden = {(row, col) for r in ws.merged_cells.ranges for row in range(r.min_row, r.max_row + 1)
              for col in range(r.min_col, r.max_col + 1) if (row, col) != (r.min_row, r.min_col)}
    return [[None if (c.row, c.column) in hidden else _shown(c) for c in row] for row in ws.iter_rows()]


def _shown(cell) -> str:
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, int | float) and not isinstance(v, bool) and "%" in (cell.number_format or ""):
        places = cell.number_format.split(".")[1].count("0") if "." in cell.number_format else 0
        return f"{v * 100:.{places}f}%"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _written(row: list[str | None]) -> list[str]:
    return [c for c in row if c is not None and c.strip()]


def render(grid: list[list[str | None]], layout: str) -> str:
    return _render(grid, layout) + "\n"


def _render(grid: list[list[str | None]], layout: str) -> str:
    """The grid as text in one of :data:`LAYOUTS`, ending with a line break as a saved file does.

    >>> g = [["一级指标", "三级指标", "指标值"], ["产出指标", "培训人次", "300人次"], [None, "合格率", ""]]
    >>> render(g, "rowlines")
    '一级指标三级指标指标值\\n产出指标培训人次300人次\\n合格率\\n'
    >>> render(g, "cellines").split("\\n\\n")[-2:]
    ['合格率', ' \\n']
    """
    flat = [[c.replace("\n", "") for c in _written(r)] for r in grid]
    if layout == "together":
        return "".join("".join(r) for r in flat)
    if layout == "rowlines":
        return "\n".join("".join(r) for r in flat)
    if layout == "spaced":
        return "\n".join(" ".join(r) for r in flat)
    if layout == "onespace":
        return " ".join(" ".join(r) for r in flat)
    if layout == "cellines":
        return "\n\n".join(c if c.strip() else " " for r in grid for c in r if c is not None)
    if layout == "wrapped":
        lines = []
        for r in flat:
            parts = [[c[i:i + WRAP] for i in range(0, len(c), WRAP)] for c in r]
            for k in range(max((len(p) for p in parts), default=0)):
                lines.append(" ".join(p[k] for p in parts if k < len(p)))
        return "\n".join(lines)
    raise ValueError(layout)
