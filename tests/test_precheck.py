"""The workbook guard started in a second process (scoring.precheck): the same answer as checking here."""

from __future__ import annotations

import sys

import pytest
from test_main_job import EXAMPLE

from scoring.findings import ScoreError
from scoring.precheck import Precheck
from scoring.xlsx import check_xlsx


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
