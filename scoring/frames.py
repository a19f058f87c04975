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
