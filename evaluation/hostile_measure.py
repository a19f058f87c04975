"""Measure each hostile-input class of issues 13 and 29 against a source tree: exit code, peak memory,
and whether the inputs survived. Prints one line per class (no assertions: tests/test_hostile*.py assert).

    python evaluation/hostile_measure.py [--tree /work/main] [--limit-gb 4] [--only TEXT]

Each run is a subprocess with an address-space limit (so "before" cannot take the machine down: a
run that hits it ends in MemoryError or an abort) and a timeout (a hang shows as "timeout"). It runs
as the ``score`` command runs (``-P``: the current folder is not on the import path), so code planted
in the current folder runs only if the tool itself puts it there. Issue 29's classes (round 3) follow
issue 13's; the faults (signals, a killed parent, a pipe closed) are measured by :func:`faults3`.
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

from hostile_faults import PARALLEL_SLOW_AUDIT, SIGNAL_BETWEEN, SLOW_REPORT, planted_folder  # noqa: E402
from hostile_inputs import (  # noqa: E402
    actuals_sheets,
    alias_bomb,
    binary_bytes,
    gbk_projects_bytes,
    patch_cells,
    projects_alias_bomb,
    rows_xml,
    sheet_xml,
    write_bomb_xlsx,
    write_xlsx,
)
from hostile_xml import SPELLINGS, far_cell, move_sheet, respell, rewrite  # noqa: E402

CHILD = """
import os, resource, signal, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
sys.path.insert(0, {root!r})
{patch}
import cli
code = cli.main(sys.argv[1:])
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.stderr.write(f"\\nPEAK_KB={{peak}}\\n")
sys.exit(code)
"""


def run(tree: Path, limit: int, argv: list[str], cwd: Path, timeout: float = 180, env=None, stdin=None):
    script = CHILD.format(limit=limit, root=str(tree), patch="")
    try:
        p = subprocess.run([sys.executable, "-P", "-c", script, *argv], cwd=cwd, capture_output=True, text=True,
                           timeout=timeout, input=stdin,
                           env={**os.environ, "COLUMNS": "200", "PYTHONPATH": str(tree), **(env or {})})
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


def far_book(path: Path, spelling: str, ref: str = "XFD1048576") -> Path:
    from scoring.actuals.workbook import BUDGET_HEADER, INDICATOR_HEADER

    head = rows_xml([INDICATOR_HEADER, ("P1",)])
    return write_xlsx(path, {"指标实际值": sheet_xml(head + far_cell(spelling, ref)),
                             "预算执行": sheet_xml(rows_xml([BUDGET_HEADER]))})


def classes3(root: Path):
    """Issue 29: (name, workspace, argv)."""
    for spelling, ref in (("single quotes", "XFD1048576"), ("new line", "XFD1048576"), ("spaces around =", "XFD1048576"),
                          ("lower case", "XFD1048576"), ("common", "ZZZZZZ1"), ("reference last", "XFD1048576"),
                          ("repeated attribute", "XFD1048576")):
        ws = workspace(root)
        yield f"far cell: {spelling} {ref}", ws, args(ws, **{"--actuals": str(far_book(ws / "远处.xlsx", spelling, ref))})
    ws = workspace(root)
    moved = move_sheet(far_book(ws / "p.xlsx", "common"), ws / "别处.xlsx", 1, "xl/data/part.xml")
    yield "far cell in a part outside xl/worksheets", ws, args(ws, **{"--actuals": str(moved)})
    ws = workspace(root)
    sheet = sheet_xml(rows_xml([("x",)]) + far_cell("common", "AF400000"))
    three = write_xlsx(ws / "三表.xlsx", {"指标实际值": sheet, "预算执行": sheet, "其他": sheet})
    yield "three sheets of 12.8 M cells each", ws, args(ws, **{"--actuals": str(three)})
    ws = workspace(root)
    merged = sheet_xml("").replace(b"</worksheet>", b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>')
    merge = write_xlsx(ws / "合并.xlsx", {"Sheet1": merged})
    yield "merged A1:XFD1048576 (score import)", ws, ["import", str(merge), "--year", "2023", "--out", str(ws / "t2")]
    ws = workspace(root)
    sst = rewrite(write_xlsx(ws / "p.xlsx", actuals_sheets([("P1",)])), ws / "字符串.xlsx", lambda n, d: d)
    import zipfile

    with zipfile.ZipFile(sst, "a") as zf:
        zf.writestr("xl/sharedStrings.xml", b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                                            b'uniqueCount="4000000000"><si><t>x</t></si></sst>')
    yield "shared strings count 4e9", ws, args(ws, **{"--actuals": str(sst)})
    ws = workspace(root)
    yield "far cell: template --baseline", ws, ["template", "2023", "--targets", str(ws / "targets/2023"), "--out",
                                                 str(ws / "模板.xlsx"), "--baseline", str(far_book(ws / "远.xlsx", "lower case"))]
    ws = workspace(root)
    yield "far cell: score monitor", ws, ["monitor", "2023", "--through", "2023-07-31", "--targets",
                                          str(ws / "targets/2023"), "--actuals", str(far_book(ws / "远.xlsx", "single quotes"))]
    ws = workspace(root)
    yield "far cell: score import", ws, ["import", str(far_book(ws / "远.xlsx", "single quotes")), "--year", "2023",
                                         "--out", str(ws / "t2")]
    for name, spelling in SPELLINGS.items():
        ws = workspace(root)
        respell(ws / "actuals/2023.xlsx", ws / "respelt.xlsx", spelling)
        yield f"another writer's XML: {name}", ws, args(ws, **{"--actuals": str(ws / "respelt.xlsx"), "--json": ""})[:-1]
    ws = workspace(root)
    planted_folder(ws, ws / "planted-ran.txt")
    yield "code planted in the current folder", ws, args(ws, **{"--actuals": str(far_book(ws / "远.xlsx", "common"))})
    ws = workspace(root)
    src = shutil.copy(ws / "targets/2023/source/2023_targets_dongguan_tgao.txt", ws / "src.txt")
    yield "import --out the source file", ws, ["import", str(src), "--year", "2023", "--out", str(src)]
    ws = workspace(root)
    shutil.copy(ws / "targets/2023/source/2023_targets_dongguan_tgao.txt", ws / "targets/2023/import_report.txt")
    yield "import a source named import_report.txt", ws, ["import", str(ws / "targets/2023/import_report.txt"), "--year",
                                                          "2023", "--out", str(ws / "targets/2023")]
    ws = workspace(root)
    (ws / "a").mkdir()
    yield "import --out .. (a parent of the cwd)", ws / "a", ["import", str(ws / "targets/2023/source"), "--year", "2023",
                                                              "--out", ".."]
    ws = workspace(root)
    (ws / "t3").mkdir()
    os.mkfifo(ws / "t3" / "fifo")
    yield "import with a FIFO in --out", ws, ["import", str(ws / "targets/2023/source"), "--year", "2023", "--out",
                                              str(ws / "t3")]
    ws = workspace(root)
    _edit_indicators(ws, "annual_value", '=HYPERLINK("http://x")')
    yield "formula text: score targets --format csv", ws, ["targets", "2023", "--dir", str(ws / "targets/2023"),
                                                           "--format", "csv"]
    ws = workspace(root)
    _edit_indicators(ws, "weight", "1e308")
    yield "weights of 1e308", ws, args(ws)


def _live_formula(text: str) -> bool:
    import csv
    import io

    return any(c.startswith(("=", "+", "-", "@")) for row in csv.reader(io.StringIO(text)) for c in row)


def _edit_indicators(ws: Path, column: str, value: str) -> None:
    import pandas as pd

    p = ws / "targets/2023/indicators.csv"
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    df.loc[0, column] = value
    df.to_csv(p, index=False, lineterminator="\n")


def faults3(tree: Path, root: Path, limit: int):
    """Issue 29's faults: (name, what was seen)."""
    for name, patch, sig in (("SIGTERM while the report is written", SLOW_REPORT, signal.SIGTERM),
                             ("Ctrl-C while the report is written", SLOW_REPORT, signal.SIGINT)):
        ws = workspace(root)
        (ws / "reports").mkdir()
        for n in ("绩效自评报告_2023.xlsx", "指标明细_2023.xlsx"):
            (ws / "reports" / n).write_bytes(b"old")
        p = subprocess.Popen([sys.executable, "-P", "-c", CHILD.format(limit=limit, root=str(tree), patch=patch), *args(ws)],
                             cwd=ws, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(tree)})
        p.stdout.readline()
        p.send_signal(sig)
        _, err = p.communicate(timeout=120)
        old = [n for n in ("绩效自评报告_2023.xlsx", "指标明细_2023.xlsx") if (ws / "reports" / n).read_bytes() == b"old"]
        yield name, f"exit {p.returncode}; old files kept: {len(old)} of 2; said: {err.strip().splitlines()[:1]}"
    ws = workspace(root)
    p = subprocess.run([sys.executable, "-P", "-c", CHILD.format(limit=limit, root=str(tree),
                                                                 patch=SIGNAL_BETWEEN.format(sig="SIGINT")), *args(ws)],
                       cwd=ws, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(tree)}, timeout=180)
    yield "Ctrl-C between the two renames", f"exit {p.returncode}; said: {p.stderr.strip().splitlines()[:1]}"
    ws = workspace(root)
    (ws / "reports").mkdir()
    for n in ("绩效自评报告_2023.xlsx", "指标明细_2023.xlsx"):
        (ws / "reports" / n).write_bytes(b"old")
    p = subprocess.Popen([sys.executable, "-P", "-c", CHILD.format(limit=limit, root=str(tree), patch=PARALLEL_SLOW_AUDIT),
                          *args(ws)], cwd=ws, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env={**os.environ, "PYTHONPATH": str(tree)})
    line = p.stdout.readline().split()
    p.send_signal(signal.SIGKILL)
    p.wait()
    import time

    time.sleep(5)
    alive = [pid for pid in line[1:] if Path(f"/proc/{pid}").exists()]
    replaced = [n for n in ("绩效自评报告_2023.xlsx", "指标明细_2023.xlsx") if (ws / "reports" / n).read_bytes() != b"old"]
    yield "SIGKILL of the parent while its helper writes", f"helpers alive after 5 s: {alive}; files replaced: {replaced}"
    ws = workspace(root)
    for what, command, env in (("stdout closed", "2023 --json >&-", {}), ("GBK console", "2023", {"PYTHONIOENCODING": "gbk"}),
                               ("stdin closed (parse)", "parse <&-", {}), ("stdin closed (rate)", "rate <&-", {})):
        script = CHILD.format(limit=limit, root=str(tree), patch="")
        p = subprocess.run(["sh", "-c", f"'{sys.executable}' -P -c \"$S\" {command}"], cwd=ws, capture_output=True,
                           env={**os.environ, "S": script, "PYTHONPATH": str(tree), **env}, timeout=180)
        said = p.stderr.decode("gbk" if env else "utf-8", "replace").strip().splitlines()[:1]
        yield what, f"exit {p.returncode}; {said}"


def kill9(tree: Path, root: Path, limit: int) -> str:
    ws = workspace(root)
    tmp = ws / "tmp"
    tmp.mkdir()
    script = CHILD.format(limit=limit, root=str(tree), patch=SLOW_REPORT)
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
        for name, ws, argv in (*classes(root, bomb), *classes3(root)):
            if a.only not in name:
                continue
            before = snapshot(ws)
            code, peak, out, err = run(tree, limit, argv, ws, timeout=60 if "FIFO" in name else 180)
            kept = "inputs intact" if snapshot(ws) == before else "INPUT CHANGED"
            widest = max((len(x) for x in out.splitlines()), default=0)
            esc = "raw ESC on terminal" if "\x1b]0;pwned" in out + err else ""
            last = (err.strip().splitlines() or [""])[0][:110] if code != 0 else f"terminal output {len(out + err):,} chars, widest line {widest:,}"
            if code == 0 and "--json" in argv:  # the same workbook in another writer's XML: the same scores?
                import json

                last = f"sum of project totals {sum(p['total'] for p in json.loads(out)['projects']):.2f}"
            planted = " PLANTED CODE RAN" if (ws / "planted-ran.txt").exists() else ""
            live = " LIVE FORMULA" if "--format" in argv and _live_formula(out) else ""
            print(f"{name:42} exit {code!s:8} peak {peak:6,} MB  {kept:14} {esc}{planted}{live} {last}")
        if a.only in "kill -9 while writing":
            print(f"{'kill -9 while writing':42} {kill9(tree, root, limit)}")
        for name, seen in faults3(tree, root, limit):
            if a.only in name:
                print(f"{name:42} {seen}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
