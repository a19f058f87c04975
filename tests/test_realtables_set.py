"""The held-out real tables in ``evaluation/realtables`` are well-formed.

This checks the set, not the importer: every folder has its files, gold.csv has the columns
``../shared/realtables/measure.py`` reads and a leaf name in every row, year.txt is a year, the
grid a folder was generated from parses (merges are rectangles, ruled rows inside the grid) and
names every gold indicator. How well ``score import`` reads the set is measured, never asserted:
``python ../shared/realtables/measure.py --root evaluation/realtables``.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from pathlib import Path

import pytest
import yaml

SET = Path(__file__).resolve().parent.parent / "evaluation" / "realtables"
FOLDERS = sorted(p.parent for p in SET.glob("*/grid.yaml"))
FILES = ("README.md", "gold.csv", "year.txt", "stored_excerpt.txt", "grid.yaml",
         "source.xlsx", "source.xls", "source.docx", "source.pdf")
COLUMNS = ["project", "level1", "level2", "level3", "annual_value", "weight", "period_value"]
_WS = re.compile(r"\s+")


def _make():
    spec = importlib.util.spec_from_file_location("realtables_make", SET / "make.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _gold(folder: Path) -> tuple[list[str], list[dict]]:
    with open(folder / "gold.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def test_the_set_has_twenty_to_thirty_tables():
    assert 20 <= len(FOLDERS) <= 30, [f.name for f in FOLDERS]


def test_folders_are_named_region_unit_year():
    bad = [f.name for f in FOLDERS if not re.fullmatch(r"[a-z]+_[a-z]+_[a-z]+_20\d\d", f.name)]
    assert bad == []


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_folder_has_every_file(folder):
    missing = [name for name in FILES if not (folder / name).is_file() or (folder / name).stat().st_size == 0]
    assert missing == []


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_gold_parses_with_the_measured_columns(folder):
    columns, rows = _gold(folder)
    assert columns == COLUMNS
    assert rows, "gold.csv has no indicator"
    assert [r for r in rows if not r["level3"].strip()] == []
    assert [r for r in rows if None in r or any(v is None for v in r.values())] == []


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_year_is_a_budget_year_and_named_in_the_folder(folder):
    text = (folder / "year.txt").read_text(encoding="utf-8").strip()
    assert re.fullmatch(r"20\d\d", text)
    assert 2010 <= int(text) <= 2030
    assert folder.name.endswith(text)


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_grid_parses_and_names_every_gold_indicator(folder):
    make = _make()
    spec = yaml.safe_load((folder / "grid.yaml").read_text(encoding="utf-8"))
    for key in ("url", "region", "unit", "kind", "year", "cut", "rows"):
        assert spec.get(key), key
    assert str(spec["year"]) == (folder / "year.txt").read_text(encoding="utf-8").strip()
    rows = make.parse_rows(spec["rows"])
    make.merges(rows)  # raises when a merge is not a rectangle
    make.ruled_rows(spec, len(rows))  # raises when a ruled range leaves the grid
    cells = {_WS.sub("", c) for row in rows for c in row}
    _, gold = _gold(folder)
    assert [r["level3"] for r in gold if _WS.sub("", r["level3"]) not in cells] == []
    assert (folder / "source.txt").is_file() == bool(spec.get("txt"))


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_readme_names_the_source_page(folder):
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^- URL: https?://\S+", readme, flags=re.M)
    assert "## Transcription decisions" in readme


def test_typed_cells_keep_the_published_text():
    make = _make()
    assert make.typed("10.00") == (10.0, "0.00")
    assert make.typed("6,475") == (6475.0, "#,##0")
    assert make.typed("102.59%") == (1.0259, "0.00%")
    assert make.typed("100%") == (1.0, "0%")
    assert make.typed("=22个") == ("=22个", "@")
    assert make.typed("2021.01.01") == ("2021.01.01", "@")
    assert make.typed("0562") == ("0562", "@")
