"""Column operations on Python objects that pandas does slowly at a province's size.

pandas' ``isin`` on a column of a million Python strings (object or Python-backed ``str``) hashes
through its own object table and takes seconds; a Python set and one pass take a fraction of that.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd


def member(values: pd.Series | pd.Index | np.ndarray | list, pool: Iterable) -> np.ndarray:
    """``values ∈ pool`` as a boolean array (what ``Series.isin(pool)`` gives, for hashable values).

    >>> member(pd.Series(["a", "b", "c"]), {"a", "c"}).tolist()
    [True, False, True]
    """
    pool = pool if isinstance(pool, set | frozenset) else set(pool)
    if isinstance(values, pd.Series | pd.Index):
        values = values.to_numpy(dtype=object)
    return np.fromiter((v in pool for v in values), dtype=bool, count=len(values))


def distinct(*columns: pd.Series | pd.Index | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, first)``: one code per row for each distinct combination of the columns' values,
    numbered in order of first appearance, and the row where each code first appears.

    Two rows share a code only when each column holds the same value in both: in an object column
    the same type and equal (``1``, ``1.0`` and ``True`` are three values; as for a dict key, NaN is
    one value and 0.0 is -0.0; a column of nothing but text is compared as text, so a ``numpy.str_``
    is its ``str``), in a float column the same bits (-0.0 is not 0.0), elsewhere equal.
    So a function of the values, called on the first row of each code, gives every row its answer
    (:func:`per_distinct`).

    >>> codes, first = distinct(np.array([1, 1.0, True, 1, "1"], dtype=object))
    >>> codes.tolist(), first.tolist()
    ([0, 1, 2, 0, 3], [0, 1, 2, 4])
    >>> distinct(np.array([0.0, -0.0, 0.0]), np.array(["a", "a", "b"], dtype=object))[0].tolist()
    [0, 1, 2]
    """
    n = len(columns[0])
    key = np.zeros(n, dtype=np.int64)
    for col in columns:
        codes, size = _codes(col)
        key = key * size + codes
        key = pd.factorize(key)[0].astype(np.int64)
    # codes are numbered in order of first appearance: a code first appears where the running maximum rises
    first = np.flatnonzero(np.diff(np.maximum.accumulate(key), prepend=-1) > 0) if n else np.zeros(0, np.int64)
    return key, first


def _codes(col: pd.Series | pd.Index | np.ndarray) -> tuple[np.ndarray, int]:
    """One code per value of one column (see :func:`distinct`) and the number of codes."""
    a = col.to_numpy() if isinstance(col, pd.Series | pd.Index) else np.asarray(col)
    if a.dtype.kind == "f":
        a = np.ascontiguousarray(a, dtype=np.float64).view(np.int64)
    codes, uniques = pd.factorize(a, use_na_sentinel=False)
    size = len(uniques)
    # equal values of different types (1, 1.0, True) are different values; a column of text has one type
    if a.dtype == object and len(a) > 1 and pd.api.types.infer_dtype(a, skipna=False) != "string":
        types, kinds = pd.factorize(np.fromiter(map(type, a), dtype=object, count=len(a)))
        if len(kinds) > 1:
            codes, uniques = pd.factorize(codes.astype(np.int64) * len(kinds) + types)
            size = len(uniques)
    return codes.astype(np.int64), max(size, 1)


def per_distinct(func, *columns: pd.Series | pd.Index | np.ndarray) -> np.ndarray:
    """``[func(*row) for row in zip(*columns)]`` as an object array, calling ``func`` once per distinct
    row (:func:`distinct`); rows with the same values share the one result object.

    >>> per_distinct(lambda x, y: f"{x}{y}", np.array(["a", "b", "a"], dtype=object), np.array([1, 2, 1])).tolist()
    ['a1', 'b2', 'a1']
    """
    n = len(columns[0])
    if not n:
        return np.zeros(0, dtype=object)
    codes, first = distinct(*columns)
    values = [c.to_numpy() if isinstance(c, pd.Series | pd.Index) else np.asarray(c) for c in columns]
    results = np.empty(len(first), dtype=object)
    for k, row in enumerate(zip(*(v[first].tolist() for v in values), strict=True)):
        results[k] = func(*row)  # element by element: tuples stay tuples
    return results[codes]
