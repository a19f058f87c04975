"""Two writers at the same time (issue 14): scoring.files.side_by_side and the report written that way."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from test_main_job import EXAMPLE, TARGETS, sheet_values

from scoring.findings import ScoreError
from scoring.pipeline import run_year
from scoring.processes import BesideDied, can_run_beside, side_by_side

pytestmark = pytest.mark.processes  # the second processes themselves: no in-process stand-in (conftest)

beside = pytest.mark.skipif(not can_run_beside(), reason="needs two cores")


# the second process runs a fresh interpreter: what it runs is a module-level function

def pid() -> int:
    return os.getpid()


def fail() -> None:
    raise ScoreError("磁盘空间不足", where="reports/2023/绩效自评报告_2023.xlsx", hint="请清理磁盘")


def touch_then_sleep(started: str, finished: str) -> None:
    Path(started).write_text("x")
    time.sleep(30)
    Path(finished).write_text("x")


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def unpicklable():
    return lambda: 2


def wait_for(path: Path) -> None:
    deadline = time.monotonic() + 60
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.01)


@pytest.mark.parametrize("parallel", [True, False])
def test_both_results_come_back(parallel):
    mine, theirs = side_by_side(lambda: os.getpid(), pid, (), parallel)
    assert mine == os.getpid()
    assert (theirs != os.getpid()) == (parallel and can_run_beside())


@beside
def test_the_second_runs_at_the_same_time(tmp_path):
    started, finished = tmp_path / "started", tmp_path / "finished"

    def here():
        wait_for(started)  # returns only once the other one is running
        raise ValueError("here failed")

    t0 = time.monotonic()
    with pytest.raises(ValueError, match="here failed"):
        side_by_side(here, touch_then_sleep, (str(started), str(finished)))
    assert time.monotonic() - t0 < 60, "the second process was waited for instead of stopped"
    assert not finished.exists(), "a failure here stops the second process"


@pytest.mark.parametrize("parallel", [True, False])
def test_an_error_in_the_second_is_raised_here_whole(parallel):
    with pytest.raises(ScoreError) as info:
        side_by_side(lambda: 1, fail, (), parallel)
    assert (info.value.message, info.value.where, info.value.hint) == (
        "磁盘空间不足", "reports/2023/绩效自评报告_2023.xlsx", "请清理磁盘")
    assert info.value.exit_code == 2


@beside
def test_a_second_process_that_dies_is_an_error():
    with pytest.raises(BesideDied, match="子进程意外退出"):
        side_by_side(lambda: 1, die)


@beside
def test_a_job_that_cannot_be_sent_is_its_own_error_not_a_hang():
    import pickle

    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        side_by_side(lambda: 1, pid, (lambda: 2,))


@beside
def test_when_the_second_process_dies_the_report_is_written_here(tmp_path, monkeypatch):
    from scoring.reports import year_report as workbook

    def killed(here, there, args=(), parallel=True):
        here()
        raise BesideDied("并行写出的子进程意外退出（退出码 -9）")

    monkeypatch.setattr(workbook, "side_by_side", killed)
    result = run_year(2023, targets_dir=TARGETS, actuals_path=EXAMPLE)
    written = workbook.write_reports(result, tmp_path, parallel=True)
    assert [p.name for p in written] == ["绩效自评报告_2023.xlsx", "指标明细_2023.xlsx"]
    assert all(p.is_file() for p in written)


@beside
def test_a_result_that_cannot_be_sent_back_is_an_error():
    with pytest.raises(RuntimeError, match=r"lambda|pickle|Can.t"):
        side_by_side(lambda: 1, unpicklable)


@pytest.mark.parametrize("project_sheets", [True, False])
def test_the_report_written_beside_is_the_report_written_alone(tmp_path, project_sheets):
    from scoring.reports.year_report import write_reports

    result = run_year(2023, targets_dir=TARGETS, actuals_path=EXAMPLE)
    together = write_reports(result, tmp_path / "a", parallel=True, project_sheets=project_sheets)
    alone = write_reports(result, tmp_path / "b", parallel=False, project_sheets=project_sheets)
    assert [p.name for p in together] == [p.name for p in alone]
    for x, y in zip(together, alone, strict=True):
        assert sheet_values(x) == sheet_values(y)
    assert sorted(p.name for p in Path(tmp_path / "a").iterdir()) == sorted(p.name for p in together)
