"""`score` leaves at once when its work is done (cli.exit_now): the exit handlers run, the output is
flushed whole, the exit code is kept; only the freeing of the run's objects is skipped."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import cli

ROOT = Path(__file__).resolve().parent.parent
ENTRY = "import cli, sys; sys.exit(cli.entry())"


def _finished(proc: subprocess.Popen) -> subprocess.CompletedProcess:
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_the_exit_code_and_the_whole_output_survive_leaving_at_once(tmp_path):
    # the two runs side by side (each waits for its own process)
    runs = [subprocess.Popen([sys.executable, "-c", entry, "2023", "--strict", "--out", str(out)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for entry, out in ((ENTRY, tmp_path), ("import cli, sys; sys.exit(cli.main())", tmp_path / "b"))]
    done, in_process = map(_finished, runs)
    assert done.returncode == 1, done.stderr  # the example has problems: --strict says so by its code
    assert "（--strict），退出码 1" in done.stderr
    assert done.stdout.replace(str(tmp_path), "") == in_process.stdout.replace(str(tmp_path / "b"), "")
    assert (tmp_path / "绩效自评报告_2023.xlsx").is_file() and (tmp_path / "指标明细_2023.xlsx").is_file()


def test_an_exit_handler_still_runs_and_saw_the_batch_collector(tmp_path):
    mark = tmp_path / "ran"
    script = (f"import atexit, gc, pathlib, sys, cli; "
              f"atexit.register(lambda: pathlib.Path({str(mark)!r}).write_text(repr(gc.get_threshold()))); "
              "sys.exit(cli.entry())")
    done = subprocess.run([sys.executable, "-c", script, "parse", "≥90%"], cwd=ROOT, capture_output=True, check=False)
    assert done.returncode == 0 and mark.read_text() == repr(cli.GC_THRESHOLDS)


def test_a_reader_that_stops_early_ends_the_run_without_a_traceback(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", ENTRY, "2023", "--json", "--out", str(tmp_path)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    head = proc.stdout.read(100)  # `score 2023 --json | head -c 100`
    proc.stdout.close()
    _, err = proc.communicate(timeout=300)
    assert head.startswith(b"{") and b"Traceback" not in err, err.decode("utf-8", "replace")


def test_while_another_thread_works_the_usual_exit_is_kept():
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        assert cli.exit_now(0) is None  # returned: the process is still here
    finally:
        release.set()
        worker.join()
