"""How values become report cells: lists of notes joined, long text cut (CSV text: scoring.csvcells)."""

from __future__ import annotations

from collections.abc import Iterable


def join_notes(items: Iterable[str]) -> str:
    """Assumptions or flags in one cell.

    >>> join_notes(["裸值按“不低于”理解", "", "边界值"])
    '裸值按“不低于”理解；边界值'
    """
    return "；".join(str(x) for x in items if x)


EXCEL_CELL_CHARS = 32_767  # the most characters an Excel cell holds


def fit_cell(text: str, limit: int = EXCEL_CELL_CHARS) -> str:
    """Text that fits one Excel cell: a longer text is cut, and the cell says so (never silently).

    >>> fit_cell("长" * 10)
    '长长长长长长长长长长'
    >>> cut = fit_cell("长" * 100_000)
    >>> len(cut) <= EXCEL_CELL_CHARS and cut.endswith("已截断；全文见输入文件）")
    True
    """
    if len(text) <= limit:
        return text
    note = f"…（原文共 {len(text):,} 字，超过 Excel 单元格上限，已截断；全文见输入文件）"
    return text[:max(limit - len(note), 0)] + note
