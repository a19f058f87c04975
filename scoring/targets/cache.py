"""A derived, columnar copy of ``projects.yaml`` kept beside it, so that a province's targets load fast.

``projects.yaml`` is what people read, review and correct; parsing it is the slow part of loading
targets (a YAML mapping per project: ≈ 3 s at 6,700 projects, ≈ 21 s at 67,000, even with the C
parser). ``indicators.csv`` needs no cache: pandas' C reader is already columnar.

The cache ``.projects.cache.npz`` (hidden, git-ignored) holds the parsed projects table column by
column, the line of each project and the findings of the parse. It is

- keyed by the SHA-256 of the ``projects.yaml`` bytes and a format version: any edit, a copy from
  elsewhere, a restored backup makes it stale, and a stale cache is rebuilt, never used;
- read with ``allow_pickle=False`` and checked (version, key, lengths); anything unreadable or
  inconsistent is ignored as if absent, and the YAML is parsed;
- written atomically (:func:`scoring.files.atomic_path`: a temporary file beside it, then a
  rename); a directory that cannot be written to simply gets no cache.

It never changes results: a load with the cache equals a load without it (tests/test_targets_cache.py).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.files import atomic_path
from scoring.findings import Finding, ScoreError, Severity
from scoring.targets.model import PROJECT_COLUMNS, PROJECT_TEXT

CACHE_FILE = ".projects.cache.npz"
CACHE_VERSION = 1
CACHE_MIN_BYTES = 256 * 1024  # a smaller projects.yaml parses in a few milliseconds: no cache
SEP = "\x00"  # between the values of one text column; a value holding it is not cached
YEARS = ("start_year", "end_year")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cache_path(pfile: Path) -> Path:
    return pfile.parent / CACHE_FILE


def wanted(size: int, cache: bool | None) -> bool:
    """Use a cache for a projects file of ``size`` bytes? ``cache``: True always, False never, None by size."""
    return size >= CACHE_MIN_BYTES if cache is None else cache


def load(pfile: Path, key: str) -> tuple[pd.DataFrame, list[int], list[Finding]] | None:
    """The cached projects of ``pfile`` if the cache is there, intact and made from bytes with ``key``."""
    path = cache_path(pfile)
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(z["meta"].tobytes().decode("utf-8"))
            if meta.get("version") != CACHE_VERSION or meta.get("sha256") != key:
                return None
            n = int(meta["n"])
            data: dict[str, object] = {}
            for col in PROJECT_TEXT:
                values = z[col].tobytes().decode("utf-8").split(SEP) if n else []
                if len(values) != n:
                    return None
                data[col] = pd.array(values, dtype="str")
            for col in YEARS:
                values, known = z[col], z[f"{col}_known"]
                if len(values) != n or len(known) != n:
                    return None
                data[col] = pd.arrays.IntegerArray(values.astype("int64"), ~known.astype(bool))
            budget, lines = z["budget"].astype("float64"), z["lines"].astype("int64")
            if len(budget) != n or len(lines) != n:
                return None
            data["budget"] = budget
            findings = [Finding(f"{pfile}{f['where']}", f["message"], Severity(f["severity"]), f["hint"], f["id"],
                                f["code"]) for f in meta["findings"]]
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile, UnicodeDecodeError):
        return None
    return pd.DataFrame({c: data[c] for c in PROJECT_COLUMNS}), lines.tolist(), findings


def save(pfile: Path, key: str, projects: pd.DataFrame, lines: list[int], findings: list[Finding]) -> bool:
    """Write the cache of ``pfile`` atomically; False (and no file) when it cannot or should not be."""
    prefix = str(pfile)
    if any(not f.where.startswith(prefix) for f in findings):
        return False
    arrays: dict[str, np.ndarray] = {}
    for col in PROJECT_TEXT:
        values = projects[col].tolist()
        if any(SEP in v for v in values):
            return False
        arrays[col] = np.frombuffer(SEP.join(values).encode("utf-8"), dtype=np.uint8)
    for col in YEARS:
        years = projects[col]
        arrays[col] = years.fillna(0).to_numpy(dtype="int64")
        arrays[f"{col}_known"] = years.notna().to_numpy(dtype=bool)
    arrays["budget"] = projects["budget"].to_numpy(dtype="float64")
    arrays["lines"] = np.asarray(lines, dtype="int64")
    meta = {"version": CACHE_VERSION, "sha256": key, "n": len(projects),
            "findings": [{"where": f.where[len(prefix):], "message": f.message, "severity": str(f.severity),
                          "hint": f.hint, "id": f.id, "code": f.code} for f in findings]}
    arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    try:
        with atomic_path(cache_path(pfile)) as tmp, tmp.open("wb") as f:
            np.savez(f, **arrays)
    except (OSError, ScoreError):
        return False
    return True
