"""The workbook guard started in a second process (scoring.precheck): the same answer as checking here."""

from __future__ import annotations

import sys

import pytest
from test_main_job import EXAMPLE

from scoring.findings import ScoreError
from scoring.precheck import Precheck
from scoring.xlsx import check_xlsx

pytestmark = pytest.mark.processes  # the second processes themselves: no in-process stand-in (conftest)


def _error(call) -> ScoreError:
    with pytest.raises(ScoreError) as info:
        call()
    return info.value


def test_a_safe_workbook_passes():
    Precheck(EXAMPLE, "实际值.xlsx")()


@pytest.mark.parametrize("content", [b"", b"a,b,c\n1,2,3\n", b"PK\x03\x04 damaged"])
def test_a_bad_workbook_gives_the_error_checking_here_gives(tmp_path, content):
    bad = tmp_path / "坏的 工作簿.xlsx"
    bad.write_bytes(content)
    there = _error(Precheck(bad, "actuals/坏的 工作簿.xlsx"))
    here = _error(lambda: check_xlsx(bad, label="actuals/坏的 工作簿.xlsx"))
    assert (there.message, there.where, there.hint) == (here.message, here.where, here.hint)


def test_when_the_second_process_cannot_start_the_check_is_made_here(tmp_path, monkeypatch):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"not a workbook")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    assert "不是 Excel 工作簿" in _error(Precheck(bad, "x.xlsx")).message


def test_when_the_second_process_says_nothing_the_check_is_made_here(tmp_path, monkeypatch):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"not a workbook")
    monkeypatch.setattr(sys, "executable", "/bin/true" if sys.platform != "win32" else sys.executable)
    assert "不是 Excel 工作簿" in _error(Precheck(bad, "x.xlsx")).message


def test_close_stops_a_check_nobody_waited_for():
    check = Precheck(EXAMPLE, "实际值.xlsx")
    check.close()
    check()  # asked after all: checked here


def test_opening_gives_the_workbook_open_actuals_gives():
    from scoring.actuals.opening import SHEET_INDICATORS, open_actuals
    from scoring.precheck import Opening

    opening = Opening(EXAMPLE, "实际值.xlsx")
    try:
        there = opening()
    finally:
        opening.close()
    here = open_actuals(EXAMPLE, "实际值.xlsx")
    assert there.names == here.names and set(there.sheets) == set(here.sheets)
    assert there.special == here.special
    assert there.sheets[SHEET_INDICATORS].to_python() == here.sheets[SHEET_INDICATORS].to_python()
    with pytest.raises(RuntimeError):  # handed over once: the parsed sheets are not kept twice
        opening()


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 damaged"])
def test_opening_a_bad_workbook_raises_the_check_error_when_asked(tmp_path, content):
    from scoring.precheck import Opening

    bad = tmp_path / "坏的.xlsx"
    bad.write_bytes(content)
    opening = Opening(bad, "actuals/坏的.xlsx")
    there = _error(opening)
    opening.close()
    here = _error(lambda: check_xlsx(bad, label="actuals/坏的.xlsx"))
    assert (there.message, there.where, there.hint) == (here.message, here.where, here.hint)


def test_a_run_given_the_opening_scores_as_one_that_opens_the_workbook_itself():
    from test_main_job import TARGETS

    from scoring.pipeline import run_year
    from scoring.precheck import Opening

    opening = Opening(EXAMPLE, "实际值.xlsx")
    try:
        a = run_year(2023, targets_dir=TARGETS, actuals_path=EXAMPLE, actuals_label="实际值.xlsx", opening=opening)
    finally:
        opening.close()
    b = run_year(2023, targets_dir=TARGETS, actuals_path=EXAMPLE, actuals_label="实际值.xlsx")
    cols = ["id", "verdict", "score", "explanation", "actual_display", "cell"]
    assert a.indicators[cols].equals(b.indicators[cols])
    assert [p.to_json() for p in a.problems] == [p.to_json() for p in b.problems]
