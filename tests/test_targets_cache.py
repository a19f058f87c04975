"""The columnar cache of projects.yaml (scoring.targets.cache): fresh or ignored, never a different result."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import examples
from scoring.findings import WARNING
from scoring.targets import cache
from scoring.targets.model import Targets, indicators_frame, projects_frame
from scoring.targets.store import PROJECTS_FILE, load_targets, read_targets, save_targets

ROOT = Path(__file__).resolve().parent.parent
TARGETS_2023 = ROOT / "targets" / "2023"


def _copy(tmp_path: Path) -> Path:
    d = tmp_path / "2023"
    shutil.copytree(TARGETS_2023, d, ignore=shutil.ignore_patterns(f"*{cache.CACHE_FILE}*"))
    return d


def _same(a: Targets, b: Targets) -> None:
    pd.testing.assert_frame_equal(a.projects, b.projects)
    pd.testing.assert_frame_equal(a.indicators, b.indicators)
    assert a.problems == b.problems
    assert a.project_lines == b.project_lines


def test_cache_is_written_then_used(tmp_path, monkeypatch):
    d = _copy(tmp_path)
    plain = load_targets(d, cache=False)
    assert not (d / cache.CACHE_FILE).exists()
    first = load_targets(d, cache=True)
    assert (d / cache.CACHE_FILE).is_file()
    _same(plain, first)

    def no_yaml(*args, **kwargs):
        raise AssertionError("the YAML was parsed although the cache is fresh")

    monkeypatch.setattr("scoring.targets.store.yaml.load", no_yaml)
    _same(plain, load_targets(d, cache=True))


def test_small_files_get_no_cache_by_default(tmp_path):
    d = _copy(tmp_path)
    load_targets(d)
    assert (d / PROJECTS_FILE).stat().st_size < cache.CACHE_MIN_BYTES
    assert not (d / cache.CACHE_FILE).exists()


def test_stale_cache_is_rebuilt(tmp_path):
    d = _copy(tmp_path)
    load_targets(d, cache=True)
    old = (d / cache.CACHE_FILE).read_bytes()
    text = (d / PROJECTS_FILE).read_text(encoding="utf-8")
    name = load_targets(d, cache=False).projects["project"].iat[0]
    (d / PROJECTS_FILE).write_text(text.replace(name, name + "（改）", 1), encoding="utf-8")
    got = read_targets(d, cache=True)  # read: the indicators now name the project differently
    assert got.projects["project"].iat[0] == name + "（改）"
    assert (d / cache.CACHE_FILE).read_bytes() != old
    _same(read_targets(d, cache=False), got)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "wrong_key", "short_column"])
def test_damaged_cache_is_ignored(tmp_path, damage):
    d = _copy(tmp_path)
    plain = load_targets(d, cache=False)
    load_targets(d, cache=True)
    path = d / cache.CACHE_FILE
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"PK\x03\x04 not really a zip" * 50)
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        if damage == "wrong_key":
            meta = arrays["meta"].tobytes().replace(b'"sha256": "', b'"sha256": "0')
            arrays["meta"] = np.frombuffer(meta, dtype=np.uint8)
        else:
            arrays["budget"] = arrays["budget"][:-1]
        with path.open("wb") as f:
            np.savez(f, **arrays)
    _same(plain, load_targets(d, cache=True))
    # and it was replaced by a good one
    assert cache.load(d / PROJECTS_FILE, cache.digest((d / PROJECTS_FILE).read_bytes())) is not None


def test_cache_keeps_findings_and_rebases_their_place(tmp_path):
    d = _copy(tmp_path)
    text = (d / PROJECTS_FILE).read_text(encoding="utf-8")
    (d / PROJECTS_FILE).write_text(text.replace("  project: ", "  colour: 红\n  project: ", 1), encoding="utf-8")
    plain = read_targets(d, cache=False)
    assert any(p.severity == WARNING and "未知的字段" in p.message for p in plain.problems)
    read_targets(d, cache=True)
    moved = tmp_path / "elsewhere" / "2023"
    shutil.copytree(d, moved)
    got = read_targets(moved, cache=True)
    assert got.problems == read_targets(moved, cache=False).problems
    assert all(str(moved) in p.where for p in got.problems)


def test_unwritable_directory_loads_without_cache(tmp_path, monkeypatch):
    d = _copy(tmp_path)

    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr("scoring.files.tempfile.mkdtemp", refuse)
    _same(load_targets(d, cache=False), load_targets(d, cache=True))
    assert not any(cache.CACHE_FILE in p.name for p in d.iterdir())


def test_cache_file_has_ordinary_permissions(tmp_path):
    d = _copy(tmp_path)
    load_targets(d, cache=True)
    assert (d / cache.CACHE_FILE).stat().st_mode & 0o044 == (d / PROJECTS_FILE).stat().st_mode & 0o044


def test_save_targets_does_not_carry_the_cache_over(tmp_path):
    d = _copy(tmp_path)
    t = load_targets(d, cache=True)
    assert (d / cache.CACHE_FILE).exists()
    save_targets(t, d)
    assert not (d / cache.CACHE_FILE).exists()


def test_git_ignores_the_cache():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    for rel in (f"targets/2023/{cache.CACHE_FILE}", f"targets/2031/.{cache.CACHE_FILE}.abc123.tmp"):
        done = subprocess.run(["git", "check-ignore", "-q", rel], cwd=ROOT)
        assert done.returncode == 0, rel


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@st.composite
def projects(draw) -> list[dict]:
    n = draw(st.integers(0, 6))
    out = []
    for i in range(n):
        out.append({
            "project_id": f"P{i:05d}", "project": draw(texts), "type": draw(texts), "unit": draw(texts),
            "department": draw(texts), "level": draw(texts), "period_goal": draw(texts),
            "annual_goal": draw(texts), "note": draw(texts), "source": draw(texts),
            "start_year": draw(st.none() | st.integers(1990, 2100)),
            "end_year": draw(st.none() | st.integers(1990, 2100)),
            "budget": draw(st.none() | st.floats(0, 1e12, allow_nan=False) | st.integers(0, 10**9)),
        })
    return out


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=projects())
def test_cache_never_changes_results(tmp_path_factory, records):
    d = tmp_path_factory.mktemp("t") / "2023"
    indicators = indicators_frame([
        {"id": f"{r['project_id']}-0001", "project_id": r["project_id"], "project": r["project"], "level1": "产出指标",
         "level2": "数量指标", "level3": "次数", "annual_value": "≥1次", "weight": 10} for r in records])
    save_targets(Targets(projects_frame(records), indicators, year=2023), d)
    plain = read_targets(d, cache=False)
    built = read_targets(d, cache=True)   # parses and writes the cache (unless a value holds NUL)
    used = read_targets(d, cache=True)    # reads it back
    _same(plain, built)
    _same(plain, used)
