"""Issue 29 (signals and faults) and issue 28 item 1: the two report files (and in folder mode every
unit's pair and the summary) are published together or not at all, whatever stops the run and
wherever; the message says what happened; a second process dies with its parent and never
publishes; code from the current folder never runs. Faults are injected at chosen points
(tests/hostile_faults.py), never by timing."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from hostile_faults import (
    CHILD,
    PARALLEL_SLOW_AUDIT,
    SIGNAL_BETWEEN,
    SLOW_AUDIT,
    SLOW_REPORT,
    WRITE_AFTER,
    kill_quietly,
    pid_alive,
    planted_folder,
    slow_write,
    unit_workbooks,
    wait_gone,
)
from test_hostile import score_args, snapshot
from test_hostile_xml import far_workbook

from helpers import run_cli
from scoring import files, publish
from scoring.processes import can_run_beside, side_by_side

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
PAIR = ("绩效自评报告_2023.xlsx", "指标明细_2023.xlsx")
pytestmark = pytest.mark.processes  # the second processes themselves: no in-process stand-in (conftest)
beside = pytest.mark.skipif(not can_run_beside(), reason="needs two cores")


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """The 2023 targets and example actuals, and last run's two reports (old bytes) in reports/."""
    shutil.copytree(ROOT / "targets" / "2023", tmp_path / "targets" / "2023")
    (tmp_path / "actuals").mkdir()
    shutil.copy(ROOT / "actuals" / "2023.xlsx", tmp_path / "actuals" / "2023.xlsx")
    (tmp_path / "reports").mkdir()
    for name in PAIR:
        (tmp_path / "reports" / name).write_bytes(f"old {name}".encode())
    return tmp_path


def old_pair(ws: Path) -> bool:
    return all((ws / "reports" / n).read_bytes() == f"old {n}".encode() for n in PAIR)


def new_pair(ws: Path) -> bool:
    return all(zipfile.is_zipfile(ws / "reports" / n) for n in PAIR)


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.name.endswith(".tmp")]


def script(patch: str = "") -> str:
    return CHILD.format(root=str(ROOT), tests=str(TESTS), patch=patch)


def start(patch: str, argv: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-P", "-c", script(patch), *argv], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "COLUMNS": "1000"})


def finish(proc: subprocess.Popen, timeout: float = 120) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        proc.kill()
    return proc.returncode, out, err


# ---------------------------------------------------------------------------------------------
# between the two renames
# ---------------------------------------------------------------------------------------------

def test_an_error_between_the_two_renames_puts_the_first_back(ws: Path, capsys, monkeypatch) -> None:
    def full(target: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(publish, "between_renames", full)
    before = snapshot(ws)
    code, _out, err = run_cli(score_args(ws), capsys)
    assert code == 2, err
    assert "磁盘空间不足" in err and "原有文件没有被改动" in err and "Traceback" not in err
    assert snapshot(ws) == before and old_pair(ws)
    assert not leftovers(ws / "reports")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_between_the_two_renames_waits_for_the_second_and_says_so(ws: Path, capsys, monkeypatch,
                                                                           sig: int) -> None:
    seen = []

    def interrupt(target: Path) -> None:
        seen.append(target.name)
        os.kill(os.getpid(), sig)

    monkeypatch.setattr(publish, "between_renames", interrupt)
    code, _out, err = run_cli(score_args(ws), capsys)
    assert len(seen) == 2 and code == 130, err
    assert new_pair(ws)
    assert "中断时报告已经全部写出" in err and all(n in err for n in PAIR) and "未写出" not in err
    assert not leftovers(ws / "reports")


def test_folder_mode_publishes_every_unit_and_the_summary_or_none(ws: Path, capsys, monkeypatch) -> None:
    folder = ws / "各部门"
    unit_workbooks(ws / "actuals" / "2023.xlsx", folder)
    calls = []

    def fail_late(target: Path) -> None:
        calls.append(target)
        if len(calls) == 2:
            raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(publish, "between_renames", fail_late)
    before = snapshot(ws / "reports")
    code, _, err = run_cli(score_args(ws, **{"--actuals": str(folder)}), capsys)
    assert code == 2 and "Traceback" not in err, err
    assert len(calls) == 2
    assert snapshot(ws / "reports") == before and not leftovers(ws / "reports")
    monkeypatch.setattr(publish, "between_renames", lambda target: None)
    code, _out, err = run_cli(score_args(ws, **{"--actuals": str(folder)}), capsys)
    assert code == 0, err
    assert (ws / "reports" / "绩效自评汇总_2023.xlsx").is_file()
    units = [p for p in (ws / "reports").iterdir() if p.is_dir()]
    assert units and all(new_pair_in(unit) for unit in units)


def new_pair_in(folder: Path) -> bool:
    return all(zipfile.is_zipfile(folder / n) for n in PAIR)


def test_sigkill_between_the_renames_is_rolled_back_by_the_next_write(ws: Path) -> None:
    proc = start(SIGNAL_BETWEEN.format(sig="SIGKILL"), score_args(ws), ws)
    code, out, _err = finish(proc)
    assert code == -signal.SIGKILL and "BETWEEN" in out
    torn = [n for n in PAIR if not (ws / "reports" / n).read_bytes().startswith(b"old")]
    assert len(torn) == 1  # killed with one file replaced: what the journal is for
    files.sweep_stale(ws / "reports")
    assert old_pair(ws) and not leftovers(ws / "reports")


# ---------------------------------------------------------------------------------------------
# a signal while writing; a full disk
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("patch", [SLOW_AUDIT, SLOW_REPORT], ids=["detail", "report"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_writing_leaves_the_old_pair(ws: Path, patch: str, sig: int) -> None:
    before = snapshot(ws)
    proc = start(patch, score_args(ws), ws)
    try:
        assert proc.stdout.readline().strip() == "WRITING"
        proc.send_signal(sig)
        code, _out, err = finish(proc)
    finally:
        kill_quietly(proc.pid)
    assert code == 130, err
    assert "未写出任何报告" in err and "原有的报告文件没有改动" in err and "Traceback" not in err
    assert snapshot(ws) == before and old_pair(ws) and not leftovers(ws)


def test_a_full_disk_while_writing_the_report_leaves_the_old_detail(ws: Path, capsys, monkeypatch) -> None:
    def full(self, *a, **k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(zipfile.ZipFile, "write", full)  # xlsxwriter's zip writer: the report, after the detail
    before = snapshot(ws)
    code, _, err = run_cli(score_args(ws), capsys)
    assert code == 2 and "磁盘空间不足" in err and "原有文件没有被改动" in err, err
    assert snapshot(ws) == before and old_pair(ws) and not leftovers(ws)


# ---------------------------------------------------------------------------------------------
# the second process: dies with its parent, never publishes
# ---------------------------------------------------------------------------------------------

@beside
def test_an_orphaned_second_process_dies_and_publishes_nothing(ws: Path) -> None:
    proc = start(PARALLEL_SLOW_AUDIT, score_args(ws), ws)
    children: list[int] = []
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("CHILDREN"), (line, proc.stderr.read() if proc.poll() is not None else "")
        children = [int(x) for x in line.split()[1:]]  # none when it has already written and gone
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert all(wait_gone(pid) for pid in children)  # the kernel (or its watcher) ended it with its parent
        time.sleep(1)
        assert old_pair(ws)  # the report it wrote waits in the dead parent's private folder: never published
        err = proc.stderr.read()
        assert "Traceback" not in err
    finally:
        kill_quietly(proc.pid)
        for pid in children:
            kill_quietly(pid)
    code, _, err = finish(start("", score_args(ws), ws))  # the next run sweeps the private folder
    assert code == 0, err
    assert new_pair(ws) and not leftovers(ws / "reports")


@beside
def test_side_by_side_child_dies_with_a_killed_parent_before_writing(tmp_path: Path) -> None:
    started = tmp_path / "started"
    out = tmp_path / "out"
    patch = (f"from scoring.processes import side_by_side\nfrom scoring.publish import publishing\n"
             f"from hostile_faults import slow_write\n"
             f"with publishing({str(out)!r}):\n"
             f"    side_by_side(lambda: time.sleep(60), slow_write, ({str(out)!r}, {str(started)!r}))\n")
    proc = subprocess.Popen([sys.executable, "-P", "-c", script(patch)], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not started.exists() or not started.read_text():
            assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read() if proc.poll() else ""
            time.sleep(0.05)
        child = int(started.read_text())
        seen = time.monotonic()
        proc.kill()
        proc.wait()
        assert wait_gone(child)
        # past the child's own sleep: had it lived, it would have written by now
        time.sleep(max(0.0, seen + WRITE_AFTER + 1 - time.monotonic()))
        assert not (out / "绩效自评报告_2023.xlsx").exists()
    finally:
        kill_quietly(proc.pid)
    assert slow_write  # the job the child ran (imported there from tests/hostile_faults.py)


# ---------------------------------------------------------------------------------------------
# code from the current folder
# ---------------------------------------------------------------------------------------------

def test_code_planted_in_the_current_folder_never_runs(ws: Path) -> None:
    marker = ws / "planted-code-ran.txt"
    planted_folder(ws, marker)
    bad = far_workbook(ws / "远处.xlsx", "single quotes")
    unit_workbooks(ws / "actuals" / "2023.xlsx", ws / "各部门")
    runs = [(score_args(ws, **{"--actuals": str(bad)}), 2), (score_args(ws), 0),
            (score_args(ws, **{"--actuals": str(ws / "各部门"), "--out": str(ws / "r2")}), 0)]
    started = [(start(PARALLEL_FORCED, argv, ws), expected) for argv, expected in runs]  # independent: side by side
    plain = start("", runs[0][0], ws)
    for proc, expected in started:
        code, _out, err = finish(proc)
        assert code == expected, err
    assert not marker.exists(), marker.read_text()
    assert "使用范围" in finish(plain)[2]


PARALLEL_FORCED = """
import scoring.reports.year_report as _w
_real_reports = _w.write_reports
_w.write_reports = lambda result, out_dir, **k: _real_reports(result, out_dir, **{**k, "parallel": True})
"""


@beside
def test_a_spawned_process_does_not_import_from_the_current_folder(tmp_path: Path, monkeypatch) -> None:
    marker = tmp_path / "planted-code-ran.txt"
    planted_folder(tmp_path, marker)
    monkeypatch.chdir(tmp_path)
    mine, theirs = side_by_side(os.getpid, pid_of_child, (), True)
    assert theirs != mine
    assert not marker.exists(), marker.read_text()


def pid_of_child() -> int:
    return os.getpid()


def test_pid_alive_sees_the_living_and_the_dead() -> None:
    assert pid_alive(os.getpid())
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    assert not pid_alive(proc.pid)


# ---------------------------------------------------------------------------------------------
# Ctrl-C at any moment (issue 28 item 1): both files or neither, and the message says which
# ---------------------------------------------------------------------------------------------

def _interrupt_at(monkeypatch, module, name: str) -> None:
    real = getattr(module, name)

    def interrupted(*a, **k):
        os.kill(os.getpid(), signal.SIGINT)  # delivered at the next instruction, as a Ctrl-C is
        return real(*a, **k)

    monkeypatch.setattr(module, name, interrupted)


POINTS = [("scoring.reports.year_report", "write_audit"), ("scoring.reports.year_report", "write_report"),
          ("scoring.reports.year_report", "atomic_path"), ("scoring.publish", "publish"),
          ("scoring.publish", "between_renames"), ("scoring.publish", "check_output"),
          ("scoring.cli.run", "print_summary"), ("scoring.cli.run", "print_header")]


@pytest.mark.parametrize(("module", "name"), POINTS, ids=[n for _, n in POINTS])
def test_ctrl_c_at_any_point_leaves_both_files_or_neither(ws: Path, capsys, monkeypatch, module: str,
                                                          name: str) -> None:
    import importlib

    _interrupt_at(monkeypatch, importlib.import_module(module), name)
    code, _out, err = run_cli(score_args(ws), capsys)
    assert code == 130 and "Traceback" not in err, err
    if old_pair(ws):
        assert "未写出任何报告" in err and "原有的报告文件没有改动" in err, err
    else:
        assert new_pair(ws), "a new file beside an old one"
        assert "中断时报告已经全部写出" in err, err
    assert not leftovers(ws / "reports")
