"""Stable ids for projects and indicators: short codes derived from their names, unique within a year.

An indicator id (``PQEBAM-5W8K``) is its project's code and a code of its (一级, 二级, 三级) names, so
re-importing a corrected table keeps the ids of the rows that did not change.
"""

from __future__ import annotations

import hashlib

from scoring.language.normalize import squeeze

_B32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U, easy to read and type


def _code(text: str, n: int) -> str:
    h = int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:8], "big")
    out = []
    for _ in range(n):
        out.append(_B32[h & 31])
        h >>= 5
    return "".join(out)



def project_key(name: str, unit: str = "") -> str:
    return f"{squeeze(unit)}|{squeeze(name)}"



def indicator_key(level1: str, level2: str, level3: str) -> str:
    return f"{squeeze(level1)}|{squeeze(level2)}|{squeeze(level3)}"



def new_project_id(key: str, taken: set[str]) -> str:
    """``P`` + 5 characters from the project's unit and name; rehashed on a collision."""
    salt = 0
    while True:
        pid = "P" + _code(key if not salt else f"{key}#{salt}", 5)
        if pid not in taken:
            return pid
        salt += 1



def new_indicator_id(project_id: str, key: str, taken: set[str], seen_keys: dict[str, int]) -> str:
    """``<project_id>-`` + 4 characters from 一级|二级|三级; a repeated name gets ``-2``, ``-3``."""
    n = seen_keys.get(key, 0) + 1
    seen_keys[key] = n
    base = f"{project_id}-{_code(key, 4)}"
    salt = 0
    while True:
        iid = base if n == 1 else f"{base}-{n}"
        if iid not in taken:
            return iid
        salt += 1
        base = f"{project_id}-{_code(f'{key}#{salt}', 4)}"
