"""Text in the CSV files the tool writes (and users open in Excel): never a live formula.

CSV has no cell types: Excel runs a field that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one) as a formula (``=HYPERLINK(…)``, ``=cmd|'/c calc'!A1``). Every CSV the
tool writes — ``score YEAR --format csv``, ``score targets --format csv``, ``indicators.csv`` and the
importer's ``自评表实际完成值.csv`` — goes through :func:`defuse_frame`: such a text gets a leading
apostrophe, which Excel shows as text. The tool reads its own ``indicators.csv`` back through
:func:`restore_frame`, so a target's text is kept exactly (``'=`` read as ``=``).

>>> defuse("=HYPERLINK(\\"http://x\\")"), defuse("@SUM(A1)"), defuse("≥95%"), defuse(3)
('\\'=HYPERLINK("http://x")', "'@SUM(A1)", '≥95%', 3)
>>> restore(defuse("-1+2")), restore("'不是公式")
('-1+2', "'不是公式")
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CODE_MARKS = ("(", "（", "|", "!")  # a function call, a DDE link, a reference into another sheet or file
_RESTORE = tuple("'" + c for c in FORMULA_STARTS)


def defuse(v: object) -> object:
    """A text Excel would read as a formula, with a leading apostrophe; anything else as it is."""
    return "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v


def defuse_code(v: object) -> object:
    """A text Excel could *run* (a formula start and a function call, a DDE link ``|`` or a reference ``!``),
    with a leading apostrophe; a target such as ``=116人`` or ``=100%``, which Excel can at worst show
    wrongly, as written. For the listing programs read (``score targets --format csv``).

    >>> defuse_code("=116人"), defuse_code("=100%"), defuse_code("=HYPERLINK(1)"), defuse_code("=cmd|'/c calc'!A1")
    ('=116人', '=100%', "'=HYPERLINK(1)", "'=cmd|'/c calc'!A1")
    """
    return defuse(v) if isinstance(v, str) and any(m in v for m in CODE_MARKS) else v


def restore(v: object) -> object:
    """What :func:`defuse` made of a text, back to the text."""
    return v[1:] if isinstance(v, str) and v.startswith(_RESTORE) else v


def _text_columns(df: pd.DataFrame, skip: tuple[str, ...]) -> list[str]:
    return [c for c in df.columns if c not in skip and not pd.api.types.is_numeric_dtype(df[c])
            and not pd.api.types.is_bool_dtype(df[c])]


def defuse_frame(df: pd.DataFrame, skip: tuple[str, ...] = (), *, code_only: bool = False) -> pd.DataFrame:
    """A copy of ``df`` whose text columns (object, string or category; ``skip`` left as they are)
    are defused (``code_only``: by :func:`defuse_code`). A category column is mapped category by category."""
    out = df.copy()
    for col in _text_columns(df, skip):
        out[col] = out[col].map(defuse_code if code_only else defuse)
    return out


def restore_frame(df: pd.DataFrame) -> None:
    """Undo :func:`defuse_frame` in place on a frame of texts read back from a CSV the tool wrote."""
    for col in df.columns:
        values = df[col]
        mask = values.map(lambda v: isinstance(v, str) and v.startswith(_RESTORE)).to_numpy(dtype=bool)
        if mask.any():
            fixed = values.astype(object).copy()
            fixed[mask] = [v[1:] for v in fixed[mask]]
            df[col] = fixed.astype(values.dtype)


def may_need_restore(data: bytes) -> bool:
    """Whether a CSV's bytes hold an apostrophe at all (most do not: then nothing is restored)."""
    return b"'" in data
