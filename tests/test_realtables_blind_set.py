"""The blind real tables in ``evaluation/realtables_blind`` are well-formed and new.

Same checks as ``test_realtables_set.py`` (every file present, gold.csv with the measured columns, a year, a grid
that parses and names every gold indicator, a README naming its page), run on the blind folders, plus: no page of
the blind set is a page of the held-out set or of the development set. How well ``score import`` reads the set is
measured, never asserted: ``python ../shared/realtables/measure.py --root evaluation/realtables_blind``.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import test_realtables_set as held_out
import yaml

SET = held_out.SET.parent / "realtables_blind"
FOLDERS = sorted(p.parent for p in SET.glob("*/grid.yaml"))
DEVELOPMENT = held_out.SET.parents[2] / "shared" / "realtables"
_URL = re.compile(r"^- URL: (\S+)", re.M)

CHECKS = (
    held_out.test_folder_has_every_file,
    held_out.test_gold_parses_with_the_measured_columns,
    held_out.test_year_is_a_budget_year_and_named_in_the_folder,
    held_out.test_grid_parses_and_names_every_gold_indicator,
    held_out.test_readme_names_the_source_page,
)


def _url(folder: Path) -> str:
    return yaml.safe_load((folder / "grid.yaml").read_text(encoding="utf-8"))["url"]


def _page(url: str) -> str:
    """The page a URL names, without scheme and www (the sets spell the same host both ways)."""
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def test_the_blind_set_has_twenty_to_thirty_tables():
    assert 20 <= len(FOLDERS) <= 30, [f.name for f in FOLDERS]


def test_blind_folders_are_named_region_unit_year():
    assert [f.name for f in FOLDERS if not re.fullmatch(r"[a-z]+_[a-z]+_[a-z]+_20\d\d", f.name)] == []


@pytest.mark.parametrize("check", CHECKS, ids=lambda check: check.__name__.removeprefix("test_"))
@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_blind_table_is_well_formed(folder, check):
    check(folder)


def test_no_blind_page_is_in_the_other_sets():
    other = {_page(_url(f)) for f in held_out.FOLDERS}
    if DEVELOPMENT.is_dir():
        other |= {_page(u) for f in DEVELOPMENT.glob("*/README.md") for u in _URL.findall(f.read_text(encoding="utf-8"))}
    blind = [_page(_url(f)) for f in FOLDERS]
    assert len(set(blind)) == len(blind)
    assert sorted(set(blind) & other) == []


def test_make_wrapper_builds_into_the_blind_folder():
    spec = importlib.util.spec_from_file_location("realtables_blind_make", SET / "make.py")
    wrapper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(wrapper)
    assert wrapper.make.HERE == SET
    assert Path(wrapper.make.__file__).parent == held_out.SET
