"""The third blind set of real tables in ``evaluation/realtables_blind3`` is well-formed and new.

Same checks as ``test_realtables_blind_set.py`` (every file present, gold.csv with the measured columns, a year, a
grid that parses and names every gold indicator, a README naming its page), plus: no page of this set is a page of
the held-out set, of the first or second blind set or of the development set. How well ``score import`` reads the
set is measured, never asserted: ``python ../shared/realtables/measure.py --root evaluation/realtables_blind3``.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import test_realtables_blind2_set as blind2
import test_realtables_blind_set as blind
import test_realtables_set as held_out

SET = held_out.SET.parent / "realtables_blind3"
FOLDERS = sorted(p.parent for p in SET.glob("*/grid.yaml"))


def test_the_third_blind_set_has_its_tables():
    assert 8 <= len(FOLDERS) <= 30, [f.name for f in FOLDERS]


def test_folders_are_named_region_unit_year():
    assert [f.name for f in FOLDERS if not re.fullmatch(r"[a-z]+_[a-z]+_[a-z]+_20\d\d", f.name)] == []


@pytest.mark.parametrize("check", blind.CHECKS, ids=lambda check: check.__name__.removeprefix("test_"))
@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_table_is_well_formed(folder, check):
    check(folder)


def test_no_page_is_in_the_other_sets():
    other = {blind._page(blind._url(f)) for f in held_out.FOLDERS + blind.FOLDERS + blind2.FOLDERS}
    if blind.DEVELOPMENT.is_dir():
        other |= {blind._page(u) for f in blind.DEVELOPMENT.glob("*/README.md")
                  for u in blind._URL.findall(f.read_text(encoding="utf-8"))}
    pages = [blind._page(blind._url(f)) for f in FOLDERS]
    assert len(set(pages)) == len(pages)
    assert sorted(set(pages) & other) == []


def test_the_other_sets_are_seen_by_the_page_check():
    assert held_out.FOLDERS and blind.FOLDERS and blind2.FOLDERS


def test_make_wrapper_builds_into_this_folder():
    spec = importlib.util.spec_from_file_location("realtables_blind3_make", SET / "make.py")
    wrapper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(wrapper)
    assert (wrapper.make.HERE, Path(wrapper.make.__file__).parent) == (SET, held_out.SET)
