"""Measure each hostile-input class of issue 13 against a source tree: exit code, peak memory, and
whether the inputs survived. Prints one line per class (no assertions: tests/test_hostile.py asserts).

    python evaluation/hostile_measure.py [--tree /work/main] [--limit-gb 4]

Each run is a subprocess with an address-space limit (so "before" cannot take the machine down: a
run that hits it ends in MemoryError or an abort) and a timeout (a hang shows as "timeout").
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE / "tests"))

from hostile_inputs import (  # noqa: E402
    actuals_sheets,
    alias_bomb,
    binary_bytes,
    gbk_projects_bytes,
    patch_cells,
    projects_alias_bomb,
    write_bomb_xlsx,
    write_xlsx,
)

CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
sys.path.insert(0, {root!r})
{patch}
import cli
code = cli.main(sys.argv[1:])
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.stderr.write(f"\\nPEAK_KB={{peak}}\\n")
sys.exit(code)
"""
SLOW_CLOSE = """
import time, xlsxwriter.workbook as w
real = w.Workbook.close
def slow(self):
    print("WRITING", flush=True)
    time.sleep(60)
    return real(self)
w.Workbook.close = slow
"""


def run(tree: Path, limit: int, argv: list[str], cwd: Path, timeout: float = 180, env=None):
    script = CHILD.format(limit=limit, root=str(tree), patch="")
    try:
        p = subprocess.run([sys.executable, "-c", script, *argv], cwd=cwd, capture_output=True, text=True,
                           timeout=timeout, env={**os.environ, "COLUMNS": "200", "PYTHONPATH": str(tree), **(env or {})})
    except subprocess.TimeoutExpired:
        return "timeout", 0, "", ""
    err, _, peak = p.stderr.rpartition("PEAK_KB=")
    if not peak.strip().isdigit():
        err, peak = p.stderr, "0"
    return p.returncode, int(peak) // 1024, p.stdout, err


def workspace(root: Path) -> Path:
    ws = Path(tempfile.mkdtemp(dir=root))
    shutil.copytree(HERE / "targets" / "2023", ws / "targets" / "2023")
    (ws / "actuals").mkdir()
    shutil.copy(HERE / "actuals" / "2023.xlsx", ws / "actuals" / "2023.xlsx")
    return ws


def args(ws: Path, **over) -> list[str]:
    a = {"--targets": str(ws / "targets/2023"), "--actuals": str(ws / "actuals/2023.xlsx"), "--out": str(ws / "reports")}
    a.update(over)
    return ["2023", *(x for kv in a.items() for x in kv)]


def snapshot(p: Path) -> dict:
    return {str(f): f.read_bytes() for f in sorted(p.rglob("*")) if f.is_file() and "reports" not in f.parts} \
        if p.is_dir() else {str(p): p.read_bytes()}


def classes(root: Path, bomb: Path):
    """(name, workspace, argv, what to print from the output)."""
    ws = workspace(root)
    bad = write_xlsx(ws / "远处.xlsx", actuals_sheets([("P1",)], extra={"XFD1048576": "x"}))
    yield "XFD1048576 (1 KB workbook)", ws, args(ws, **{"--actuals": str(bad)})
    ws = workspace(root)
    (ws / "dept").mkdir()
    shutil.copy(ws / "actuals/2023.xlsx", ws / "dept/甲.xlsx")
    write_xlsx(ws / "dept/乙.xlsx", actuals_sheets([("P1",)], extra={"XFD1048576": "x"}))
    yield "XFD1048576 in a folder run", ws, args(ws, **{"--actuals": str(ws / "dept")})
    ws = workspace(root)
    yield "zip bomb 1.9 GB, ratio 134", ws, args(ws, **{"--actuals": str(bomb)})
    ws = workspace(root)
    (ws / "bomb.yaml").write_text("extends: national\n" + alias_bomb("title"), encoding="utf-8")
    yield "rules alias bomb (score rate)", ws, ["rate", "--target", "≥2次", "--actual", "3", "--rules", str(ws / "bomb.yaml")]
    ws = workspace(root)
    pfile = ws / "targets/2023/projects.yaml"
    pfile.write_text(projects_alias_bomb(pfile.read_text(encoding="utf-8")), encoding="utf-8")
    yield "projects.yaml alias bomb (score 2023)", ws, args(ws)
    ws = workspace(root)
    (ws / "targets/2023/projects.yaml").write_bytes(gbk_projects_bytes())
    yield "GBK projects.yaml (score targets)", ws, ["targets", "2023", "--dir", str(ws / "targets/2023")]
    ws = workspace(root)
    (ws / "targets/2023/projects.yaml").write_bytes(binary_bytes())
    yield "binary projects.yaml (score 2023)", ws, args(ws)
    ws = workspace(root)
    (ws / "out").mkdir()
    shutil.copy(ws / "actuals/2023.xlsx", ws / "out/绩效自评报告_2023.xlsx")
    yield "--out: report path = actuals", ws, args(ws, **{"--actuals": str(ws / "out/绩效自评报告_2023.xlsx"),
                                                          "--out": str(ws / "out")})
    ws = workspace(root)
    (ws / "dept").mkdir()
    shutil.copy(ws / "actuals/2023.xlsx", ws / "dept/绩效自评汇总_2023.xlsx")
    yield "department file named like the summary", ws, args(ws, **{"--actuals": str(ws / "dept"),
                                                                    "--out": str(ws / "dept")})
    ws = workspace(root)
    yield "--rules a directory", ws, args(ws, **{"--rules": str(ws)})
    ws = workspace(root)
    os.mkfifo(ws / "fifo.xlsx")
    yield "FIFO as the actuals", ws, args(ws, **{"--actuals": str(ws / "fifo.xlsx")})
    ws = workspace(root)
    yield "--weight inf (score rate)", ws, ["rate", "--target", "≥2次", "--actual", "3", "--weight", "inf"]
    ws = workspace(root)
    patch_cells(ws / "actuals/2023.xlsx", "指标实际值", {"G3": "超长文字" * 262_144})
    patch_cells(ws / "actuals/2023.xlsx", "预算执行", {"D3": "超长文字" * 262_144})
    yield "1 MB cell", ws, args(ws)
    ws = workspace(root)
    patch_cells(ws / "actuals/2023.xlsx", "预算执行", {"A3": "某项目\x1b]0;pwned\x07\x1b[2J"})
    yield "escape sequences in a cell", ws, args(ws)


def kill9(tree: Path, root: Path, limit: int) -> str:
    ws = workspace(root)
    tmp = ws / "tmp"
    tmp.mkdir()
    script = CHILD.format(limit=limit, root=str(tree), patch=SLOW_CLOSE)
    p = subprocess.Popen([sys.executable, "-c", script, *args(ws)], cwd=ws, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True, env={**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(tree)})
    p.stdout.readline()
    p.send_signal(signal.SIGKILL)
    p.wait()
    left = sum(f.stat().st_size for f in tmp.rglob("*") if f.is_file())
    beside = [f.name for f in (ws / "reports").iterdir()] if (ws / "reports").exists() else []
    return f"{len(list(tmp.rglob('*')))} files ({left:,} bytes) left in TMPDIR; beside the target: {beside}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tree", default=str(HERE), help="source tree to measure (default: this one)")
    ap.add_argument("--limit-gb", type=float, default=4.0)
    ap.add_argument("--only", default="", help="run only the classes whose name contains this")
    a = ap.parse_args()
    tree, limit = Path(a.tree), int(a.limit_gb * 1024**3)
    root = Path(tempfile.mkdtemp(prefix="hostile-measure-"))
    try:
        bomb = write_bomb_xlsx(root / "bomb.xlsx")
        print(f"tree {tree}, address-space limit {a.limit_gb:g} GB")
        for name, ws, argv in classes(root, bomb):
            if a.only not in name:
                continue
            before = snapshot(ws)
            code, peak, out, err = run(tree, limit, argv, ws, timeout=60 if "FIFO" in name else 180)
            kept = "inputs intact" if snapshot(ws) == before else "INPUT CHANGED"
            widest = max((len(x) for x in out.splitlines()), default=0)
            esc = "raw ESC on terminal" if "\x1b]0;pwned" in out + err else ""
            last = (err.strip().splitlines() or [""])[0][:110] if code != 0 else f"terminal output {len(out + err):,} chars, widest line {widest:,}"
            print(f"{name:42} exit {code!s:8} peak {peak:6,} MB  {kept:14} {esc} {last}")
        if a.only in "kill -9 while writing":
            print(f"{'kill -9 while writing':42} {kill9(tree, root, limit)}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
