"""How values become report cells: lists of notes joined, text kept from being run as a formula."""

from __future__ import annotations

from collections.abc import Iterable


def join_notes(items: Iterable[str]) -> str:
    """Assumptions or flags in one cell.

    >>> join_notes(["裸值按“不低于”理解", "", "边界值"])
    '裸值按“不低于”理解；边界值'
    """
    return "；".join(str(x) for x in items if x)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")



def defuse(v: object) -> object:
    """A text cell Excel would read as a formula (``=1+1``, ``@SUM``) gets a leading apostrophe in CSV."""
    return "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v
