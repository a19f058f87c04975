"""Two writers at the same time (issue 14): scoring.files.side_by_side and the report written that way."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from scoring.files import can_fork, side_by_side
from scoring.findings import ScoreError
from scoring.pipeline import run_year
from tests.test_main_job import EXAMPLE, TARGETS, sheet_values

forks = pytest.mark.skipif(not can_fork(), reason="only where the process can fork (Linux, two cores)")


@pytest.mark.parametrize("parallel", [True, False])
def test_both_results_come_back(parallel):
    assert side_by_side(lambda: os.getpid(), lambda: os.getpid(), parallel)[0] == os.getpid()


@forks
def test_the_second_runs_in_another_process_at_the_same_time(tmp_path):
    flag = tmp_path / "there-started"

    def here():
        deadline = time.monotonic() + 20
        while not flag.exists():  # only returns once the other one is running
            assert time.monotonic() < deadline, "the second function never started"
            time.sleep(0.01)
        return os.getpid()

    def there():
        flag.write_text("x")
        return os.getpid()

    mine, theirs = side_by_side(here, there)
    assert mine == os.getpid() and theirs != os.getpid()


@pytest.mark.parametrize("parallel", [True, False])
def test_an_error_in_the_second_is_raised_here_whole(parallel):
    def there():
        raise ScoreError("磁盘空间不足", where="reports/2023/绩效自评报告_2023.xlsx", hint="请清理磁盘")

    with pytest.raises(ScoreError) as info:
        side_by_side(lambda: 1, there, parallel)
    assert (info.value.message, info.value.where, info.value.hint) == (
        "磁盘空间不足", "reports/2023/绩效自评报告_2023.xlsx", "请清理磁盘")
    assert info.value.exit_code == 2


@forks
def test_an_error_here_stops_the_second(tmp_path):
    started, finished = tmp_path / "started", tmp_path / "finished"

    def there():
        started.write_text("x")
        time.sleep(30)
        finished.write_text("x")

    def here():
        deadline = time.monotonic() + 20
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        raise ValueError("here failed")

    t0 = time.monotonic()
    with pytest.raises(ValueError, match="here failed"):
        side_by_side(here, there)
    assert time.monotonic() - t0 < 20, "the second process was waited for instead of stopped"
    assert not finished.exists()


@forks
def test_a_second_process_that_dies_is_an_error():
    with pytest.raises(RuntimeError, match="子进程意外退出"):
        side_by_side(lambda: 1, lambda: os.kill(os.getpid(), signal.SIGKILL))


@forks
def test_a_result_that_cannot_be_sent_back_is_an_error():
    with pytest.raises(RuntimeError, match=r"lambda|pickle|Can.t"):
        side_by_side(lambda: 1, lambda: (lambda: 2))


def test_the_report_written_side_by_side_is_the_report_written_alone(tmp_path):
    from scoring.reports.workbook import write_reports

    result = run_year(2023, targets_dir=TARGETS, actuals_path=EXAMPLE)
    together = write_reports(result, tmp_path / "a", parallel=True)
    alone = write_reports(result, tmp_path / "b", parallel=False)
    assert [p.name for p in together] == [p.name for p in alone]
    for x, y in zip(together, alone, strict=True):
        assert sheet_values(x) == sheet_values(y)
    assert sorted(p.name for p in Path(tmp_path / "a").iterdir()) == sorted(p.name for p in together)
