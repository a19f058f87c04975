"""Faults injected into a run (issue 29, issue 28 item 1): a signal or an error at a chosen point of
writing or publishing the reports, a parent killed while its second process writes, code planted in
the current folder. Used by tests/test_hostile_publish.py; every point is a hook or a patch, never a
timing."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

# a script for ``python -P -c``: the run as the ``score`` command runs it (no current folder on the
# import path), with PATCH applied first; prints PEAK_KB like tests/test_hostile.py's CHILD
CHILD = """
import os, resource, signal, sys, time
sys.path.insert(0, {root!r}); sys.path.insert(0, {tests!r})
{patch}
import cli
code = cli.main(sys.argv[1:])
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.stderr.write(f"\\nPEAK_KB={{peak}}\\n")
sys.exit(code)
"""

# the audit workbook (this process) says WRITING and waits: a signal arrives while it is written
SLOW_AUDIT = """
import scoring.reports.year_report as _w
_real = _w.write_audit
def _slow(*a, **k):
    print("WRITING", flush=True)
    time.sleep(60)
    return _real(*a, **k)
_w.write_audit = _slow
"""

# the report workbook (xlsxwriter, after the audit) says WRITING and waits
SLOW_REPORT = """
import xlsxwriter.workbook as _x
_real = _x.Workbook.close
def _slow(self):
    print("WRITING", flush=True)
    time.sleep(60)
    return _real(self)
_x.Workbook.close = _slow
"""

# between the first file renamed into place and the second: a signal, or death
SIGNAL_BETWEEN = """
import scoring.publish as _p
def _between(target):
    print("BETWEEN " + str(target), flush=True)
    os.kill(os.getpid(), signal.{sig})
    time.sleep(0.5)
_p.between_renames = _between
"""

# the second process writes the report while this one writes the audit workbook slowly; this one
# says the second's pid and waits (to be killed)
PARALLEL_SLOW_AUDIT = """
import multiprocessing
import scoring.reports.year_report as _w
_real_reports = _w.write_reports
_w.write_reports = lambda result, out_dir, **k: _real_reports(result, out_dir, **{**k, "parallel": True})
def _slow(result, out_dir, *a, **k):
    from scoring.files import current_stage
    report = current_stage().staged(_w.report_path(out_dir, result.year))
    deadline = time.monotonic() + 60
    while not report.exists() and time.monotonic() < deadline:  # the second process has written the report
        time.sleep(0.05)
    print("CHILDREN " + " ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
    time.sleep(60)
_w.write_audit = _slow
"""


def planted_folder(folder: Path, marker: Path) -> None:
    """Modules that would run as the tool if the current folder were on an import path: each writes
    ``marker`` when imported (and the fake guard says the workbook is safe)."""
    say = f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\n"
    (folder / "scoring").mkdir(parents=True, exist_ok=True)
    (folder / "scoring" / "__init__.py").write_text(say, encoding="utf-8")
    (folder / "scoring" / "precheck.py").write_text(
        say + "import sys\nsys.stdout.write('ok')\nsys.exit(0)\n", encoding="utf-8")
    (folder / "multiprocessing").mkdir(exist_ok=True)
    (folder / "multiprocessing" / "__init__.py").write_text(say, encoding="utf-8")
    for name in ("pandas", "calamine", "python_calamine", "xlsxwriter", "json", "cli"):
        (folder / f"{name}.py").write_text(say, encoding="utf-8")


WRITE_AFTER = 2.0  # seconds slow_write waits before it writes (its parent is killed meanwhile)


def slow_write(out_dir: str, started: str) -> str:
    """A second process's job: say it started (its pid), wait :data:`WRITE_AFTER` seconds, then write a
    file the way a report is written (into the open publication, if any)."""
    from scoring.files import atomic_path

    Path(started).write_text(str(os.getpid()))
    time.sleep(WRITE_AFTER)
    with atomic_path(Path(out_dir) / "绩效自评报告_2023.xlsx") as tmp:
        tmp.write_text("new")
    return "written"


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (dead, not yet reaped by its new parent) is gone for our purpose
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return True


def wait_gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.05)
    return False


def kill_quietly(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def unit_workbooks(example: Path, folder: Path, names: tuple[str, ...] = ("甲部门", "乙部门")) -> list[Path]:
    """The example workbook as several departments fill it: each copy keeps the 实际完成值 and
    全年执行数 of its own share of the projects and leaves the others' rows blank (a folder run
    refuses two workbooks that fill one project)."""
    import openpyxl

    from scoring.actuals.workbook import SHEET_BUDGET, SHEET_INDICATORS

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for k, name in enumerate(names):
        wb = openpyxl.load_workbook(example)
        for sheet, value_header in ((SHEET_INDICATORS, "实际完成值"), (SHEET_BUDGET, "全年执行数")):
            ws = wb[sheet]
            head = next(r for r in ws.iter_rows(min_row=1, max_row=10) if any(c.value == "项目名称" for c in r))
            col = {str(c.value or "").split("（")[0]: c.column for c in head}
            projects = sorted({ws.cell(r, col["项目名称"]).value for r in range(head[0].row + 1, ws.max_row + 1)} - {None})
            mine = set(projects[k::len(names)])
            for r in range(head[0].row + 1, ws.max_row + 1):
                if ws.cell(r, col["项目名称"]).value not in mine:
                    ws.cell(r, col[value_header]).value = None
        path = folder / f"{name}.xlsx"
        wb.save(path)
        out.append(path)
    return out
