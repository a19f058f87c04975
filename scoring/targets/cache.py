"""A derived, columnar copy of ``projects.yaml`` kept beside it, so that a province's targets load fast.

``projects.yaml`` is what people read, review and correct; parsing it is the slow part of loading
targets (a YAML mapping per project: ≈ 3 s at 6,700 projects, ≈ 21 s at 67,000, even with the C
parser). ``indicators.csv`` needs no cache: pandas' C reader is already columnar.

The cache ``.projects.cache.npz`` (hidden, git-ignored) holds the parsed projects table column by
column, the line of each project and the findings of the parse. It is

- keyed by the SHA-256 of the ``projects.yaml`` bytes and a format version: any edit, a copy from
  elsewhere, a restored backup makes it stale, and a stale cache is rebuilt, never used;
- signed: an HMAC-SHA256 over everything it holds, with a secret key kept in the user's cache folder
  (``$XDG_CACHE_HOME/score/cache-key`` or ``~/.cache/score/cache-key``, made on first use, readable
  by its owner only). A cache edited by hand, or brought along with a targets folder from another
  machine, fails the check and is rebuilt from the YAML: text the reviewed ``projects.yaml`` does not
  say can never reach a report through it. Without a usable key folder there is no cache;
- read with ``allow_pickle=False`` and checked (version, key, lengths); anything unreadable or
  inconsistent is ignored as if absent, and the YAML is parsed;
- written atomically (:func:`scoring.files.atomic_path`: a temporary file beside it, then a
  rename); a directory that cannot be written to simply gets no cache.

It never changes results: a load with the cache equals a load without it (tests/test_targets_cache.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import zipfile
from functools import cache as once
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.files import atomic_path
from scoring.findings import Finding, ScoreError
from scoring.targets.model import PROJECT_COLUMNS, PROJECT_TEXT
from scoring.vocab import Severity

CACHE_FILE = ".projects.cache.npz"
CACHE_VERSION = 2  # 2: signed
CACHE_MIN_BYTES = 256 * 1024  # a smaller projects.yaml parses in a few milliseconds: no cache
SEP = "\x00"  # between the values of one text column; a value holding it is not cached
YEARS = ("start_year", "end_year")


KEY_BYTES = 32


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@once
def _key() -> bytes | None:
    """This user's secret for signing caches (made on first use); None when there is nowhere to keep it."""
    try:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "score"
        path = folder / "cache-key"
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # made meanwhile by another run
                data = path.read_bytes()
            else:
                data = os.urandom(KEY_BYTES)
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
    except (OSError, RuntimeError):  # no home, read-only: no cache
        return None
    return data if len(data) == KEY_BYTES else None


def _signature(key: bytes, arrays: dict[str, np.ndarray]) -> bytes:
    """HMAC-SHA256 of the arrays a cache holds, by name in a fixed order (each with its length)."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    for name in sorted(arrays):
        data = np.ascontiguousarray(arrays[name]).tobytes()
        mac.update(f"{name}:{arrays[name].dtype.str}:{len(data)}:".encode())
        mac.update(data)
    return mac.digest()


_SIGNED = (*PROJECT_TEXT, *YEARS, *(f"{c}_known" for c in YEARS), "budget", "lines", "meta")


def cache_path(pfile: Path) -> Path:
    return pfile.parent / CACHE_FILE


def wanted(size: int, cache: bool | None) -> bool:
    """Use a cache for a projects file of ``size`` bytes? ``cache``: True always, False never, None by size."""
    return size >= CACHE_MIN_BYTES if cache is None else cache


def load(pfile: Path, key: str) -> tuple[pd.DataFrame, list[int], list[Finding]] | None:
    """The cached projects of ``pfile`` if the cache is there, intact and made from bytes with ``key``."""
    path = cache_path(pfile)
    key_bytes = _key()
    if key_bytes is None or not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            arrays = {name: z[name] for name in _SIGNED}
            if not hmac.compare_digest(z["signature"].tobytes(), _signature(key_bytes, arrays)):
                return None  # not written by this user's tool from these bytes: rebuilt from the YAML
            meta = json.loads(z["meta"].tobytes().decode("utf-8"))
            if meta.get("version") != CACHE_VERSION or meta.get("sha256") != key:
                return None
            n = int(meta["n"])
            data: dict[str, object] = {}
            for col in PROJECT_TEXT:
                values = arrays[col].tobytes().decode("utf-8").split(SEP) if n else []
                if len(values) != n:
                    return None
                data[col] = pd.array(values, dtype="str")
            for col in YEARS:
                values, known = arrays[col], arrays[f"{col}_known"]
                if len(values) != n or len(known) != n:
                    return None
                data[col] = pd.arrays.IntegerArray(values.astype("int64"), ~known.astype(bool))
            budget, lines = arrays["budget"].astype("float64"), arrays["lines"].astype("int64")
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
    key_bytes = _key()
    if key_bytes is None:
        return False
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
    arrays["signature"] = np.frombuffer(_signature(key_bytes, arrays), dtype=np.uint8)
    try:
        with atomic_path(cache_path(pfile)) as tmp, tmp.open("wb") as f:
            np.savez(f, **arrays)
    except (OSError, ScoreError):
        return False
    return True
