"""Time the main job stage by stage at 10,000, 100,000 and 1,000,000 indicators (issues 6 and 14).

    python bench/run.py [--sizes 10000 100000 1000000] [--keep DIR] [--seed 1] [--year 2023]
                        [--no-cli] [--profile]

For each size it generates a workspace with ``bench/generate.py`` unless one is already kept
(default cache: ``bench/out/``, git-ignored), then, each in a FRESH subprocess so that peak
memory is per size:

1. the stages, by calling the library the way :func:`scoring.pipeline.run_year` does:
   load targets, parse (``percent_ids`` with the parse cache cleared), read actuals, score
   (join + score_indicators + apply_input_problems + collect_problems), write report;
2. the command line end to end: ``score YEAR --out X``, ``score YEAR --json > /dev/null`` and
   ``score YEAR --format csv`` (wall time and the child's own peak RSS via ``os.wait4``);
3. the I/O floor (issue 14, ``bench/floor.py``): reading the same actuals sheet with
   python-calamine plus writing the report's own 指标明细 sheet (its rows, taken from an untimed run
   of the tool, with its column formats, row heights, frozen header, filter, verdict colours) with
   the fastest maintained writer, rust_xlsxwriter through ``rustpy-xlsxwriter``.
   ``--xlsxwriter-floor`` also measures the old floor (a synthetic sheet of as many short rows
   through xlsxwriter's per-cell path), which hid the writer's cost.

It prints one table per size with the targets of issue 14 marked 达到/未达到. The figures are
printed, never asserted. ``--profile`` adds the top cProfile entries of the stage run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DEFAULT_CACHE = BENCH / "out"
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
REPORT_COLUMNS = 17
MIB = 1024 * 1024
# issue 14: size → (max e2e/floor ratio or None, max e2e seconds or None, max peak MiB)
TARGETS = {100_000: (2.0, None, 1024), 1_000_000: (None, 90.0, 3072)}


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def _rss_kib() -> int:
    """Resident memory now (Linux), to see what each stage leaves behind."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return 0


# ---------------------------------------------------------------------------------------------
# children (each runs in its own process)
# ---------------------------------------------------------------------------------------------

def child_stages(ws: Path, year: int, out_dir: Path, profile: bool) -> dict:
    """Time each stage of the main job on workspace ``ws``, mirroring ``run_year``."""
    t0 = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    import scoring.language.expressions as expressions
    from scoring import pipeline
    from scoring.actuals.workbook import read_actuals
    from scoring.files import sha256_of
    from scoring.reports.year_report import write_reports as write_report  # both workbooks of the report
    from scoring.results import RunResult
    from scoring.rubric.engine import score_indicators
    from scoring.rubric.profile_file import load_profile
    from scoring.targets.store import load_targets

    times: dict[str, float] = {"import": time.perf_counter() - t0}
    memory: dict[str, tuple[int, int]] = {}  # stage → (RSS after it, peak so far), KiB
    targets_dir = ws / "targets" / str(year)
    actuals_path = ws / "actuals" / f"{year}.xlsx"
    label = f"actuals/{year}.xlsx"
    prof = None
    if profile:
        import cProfile
        prof = cProfile.Profile()
        prof.enable()

    def lap(name: str, start: float) -> float:
        now = time.perf_counter()
        times[name] = now - start
        memory[name] = (_rss_kib(), _peak_kib())
        return now

    from scoring.targets.cache import CACHE_FILE
    (targets_dir / CACHE_FILE).unlink(missing_ok=True)
    t = time.perf_counter()
    targets = load_targets(targets_dir)  # cold: parses projects.yaml (and caches it when large)
    t = lap("load_targets.cold", t)
    del targets
    t = time.perf_counter()
    targets = load_targets(targets_dir)
    rules = load_profile(None)
    t = lap("load_targets", t)
    expressions._parse.cache_clear()
    t = time.perf_counter()
    pct = pipeline.percent_ids(targets, year)
    t = lap("parse", t)
    actuals = read_actuals(actuals_path, label=label, percent_ids=pct)
    t = lap("read_actuals", t)
    df, budgets, join_problems = pipeline.join(targets, actuals)
    read_problems = actuals.problems
    del actuals, pct  # as run_year does: the rows live on in df
    t = lap("score.join", t)
    scored = score_indicators(df, budgets, rules, year)
    del df
    t = lap("score.engine", t)
    pipeline.apply_input_problems(scored)
    problems = pipeline.collect_problems(scored, join_problems, read_problems, budgets)
    t = lap("score.problems", t)
    inputs = [{"path": label, "sha256": sha256_of(actuals_path)}]
    for f in sorted(targets_dir.glob("*")):
        if f.is_file() and f.suffix in (".yaml", ".csv"):
            inputs.append({"path": str(targets_dir / f.name), "sha256": sha256_of(f)})
    t = lap("score.hash", t)
    del budgets, join_problems  # run_year's locals are gone by the time the report is written
    result = RunResult(year=year, rules=pipeline.profile_name(rules, None), profile=rules, inputs=inputs,
                       targets=targets, scored=scored, problems=problems, actuals_label=label)
    write_report(result, out_dir)
    lap("write_report", t)
    top = ""
    if prof is not None:
        import io
        import pstats
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(25)
        top = buf.getvalue()
    times["score"] = sum(v for k, v in times.items() if k.startswith("score."))
    return {"times": times, "memory": memory, "peak_kib": _peak_kib(), "indicators": len(targets.indicators),
            "projects": len(targets.projects), "problems": len(problems), "profile": top}


def child_floor(ws: Path, year: int, out_dir: Path, kind: str = "floor", repeat: int = 1) -> dict:
    """The I/O floor (see ``bench/floor.py``): calamine read + the fastest writer of the detail rows,
    ``repeat`` times (the median run); ``kind == "xlsxwriter-floor"``: the same rows through
    xlsxwriter's per-cell path."""
    sys.path.insert(0, str(BENCH))
    sys.path.insert(0, str(ROOT))
    import floor

    out = (floor.measure_xlsxwriter_floor(ws / "actuals" / f"{year}.xlsx", year, out_dir / f"{kind}.xlsx")
           if kind == "xlsxwriter-floor" else floor.measure_floor(ws, year, out_dir / f"{kind}.xlsx", repeat))
    out["peak_kib"] = _peak_kib()
    return out


def _child_main(argv: list[str]) -> None:
    kind, ws, year, out_dir, profile = argv[0], Path(argv[1]), int(argv[2]), Path(argv[3]), argv[4] == "1"
    repeat = int(argv[5]) if len(argv) > 5 else 1
    out = child_stages(ws, year, out_dir, profile) if kind == "stages" else child_floor(ws, year, out_dir, kind, repeat)
    print("BENCH-RESULT " + json.dumps(out, ensure_ascii=False))


# ---------------------------------------------------------------------------------------------
# the parent
# ---------------------------------------------------------------------------------------------

def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            continue
    return out


def _tree_rss_kib(pid: int) -> int:
    """Memory of ``pid`` and its descendants together: its resident set alone, or with a forked
    writer running beside it the sum of their proportional sets (Pss: a page they share counted once)."""
    procs = _tree(pid)
    key, name = ("VmRSS:", "status") if len(procs) == 1 else ("Pss:", "smaps_rollup")
    total = 0
    for p in procs:
        try:
            with open(f"/proc/{p}/{name}") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith(key)), 0)
        except OSError:
            continue
    return total


def run_measured(cmd: list[str], cwd: Path, stdout=subprocess.DEVNULL) -> tuple[float, int, int, str]:
    """Run ``cmd``; return wall seconds, its peak RSS in KiB (the larger of its own peak and the peak of
    it and its child processes together, sampled every 50 ms), the exit code and stderr."""
    import threading

    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=stdout, stderr=err)
        tree_peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.05):
                tree_peak[0] = max(tree_peak[0], _tree_rss_kib(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return wall, max(usage.ru_maxrss, tree_peak[0]), proc.returncode, err.read().decode("utf-8", "replace")


def run_child(kind: str, ws: Path, year: int, out_dir: Path, profile: bool = False, repeat: int = 1) -> dict:
    with tempfile.TemporaryFile() as out:
        wall, peak, code, err = run_measured(
            [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(ws), str(year), str(out_dir),
             "1" if profile else "0", str(repeat)], ws, stdout=out)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    line = next((x for x in text.splitlines() if x.startswith("BENCH-RESULT ")), None)
    if code != 0 or line is None:
        raise RuntimeError(f"{kind} child failed (exit {code}):\n{err[-3000:]}")
    res = json.loads(line[len("BENCH-RESULT "):])
    res["wall"] = wall
    res["peak_kib"] = max(res["peak_kib"], peak)
    return res


def score_command() -> list[str]:
    """The ``score`` console script of this interpreter (not a pyenv shim), else ``python cli.py``."""
    exe = Path(sys.executable).parent / "score"
    if exe.is_file():
        return [str(exe)]
    found = shutil.which("score")
    return [found] if found else [sys.executable, str(ROOT / "cli.py")]


def workspace(cache: Path, n: int, year: int, seed: int) -> Path:
    """The kept workspace for these arguments and this version of generate.py; generated if missing."""
    stamp = hashlib.sha256((BENCH / "generate.py").read_bytes()).hexdigest()[:8]
    ws = cache / f"ws{n}-seed{seed}-{year}-{stamp}"
    if not (ws / "actuals" / f"{year}.xlsx").is_file() or not (ws / "targets" / str(year) / "indicators.csv").is_file():
        print(f"生成工作区 generating workspace: {n:,} 个指标 → {ws}", flush=True)
        subprocess.run([sys.executable, str(BENCH / "generate.py"), "--indicators", str(n), "--out", str(ws),
                        "--year", str(year), "--seed", str(seed)], check=True)
    return ws


def mib(kib: int) -> float:
    return kib / 1024


def startup_seconds(repeat: int = 3) -> float:
    """Wall seconds (median of ``repeat``) for a fresh Python to start and import what the floor uses
    (pandas, python-calamine, rustpy-xlsxwriter): the part of any end-to-end run that the floor's
    in-process timing leaves out."""
    walls = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import pandas, python_calamine, rustpy_xlsxwriter"], check=True)
        walls.append(time.perf_counter() - t0)
    return sorted(walls)[len(walls) // 2]


def measure(n: int, ws: Path, year: int, cli: bool, profile: bool, old_floor: bool = False,
            formats: tuple[str, ...] = ("xlsx", "json", "csv"), repeat: int = 1) -> dict:
    out = {"n": n, "year": year, "repeat": repeat}
    with tempfile.TemporaryDirectory(prefix="bench-", dir=ws) as tmp:
        tmp = Path(tmp)
        print("  测量各阶段 stages …", flush=True)
        out["stages"] = run_child("stages", ws, year, tmp / "stages", profile)
        print(f"  测量 I/O 下限 I/O floor ({repeat} 次 times) …", flush=True)
        out["floor"] = run_child("floor", ws, year, tmp, repeat=repeat)
        out["floor"]["startup"] = startup_seconds()
        if old_floor:
            print("  测量旧的 I/O 下限 old floor (xlsxwriter) …", flush=True)
            out["old_floor"] = run_child("xlsxwriter-floor", ws, year, tmp)
        if cli:
            cmd = [*score_command(), str(year)]
            for key, extra in (("xlsx", ["--out", str(tmp / "cli")]), ("json", ["--json", "--out", str(tmp / "json")]),
                               ("csv", ["--format", "csv", "--out", str(tmp / "csv")])):
                if key not in formats:
                    continue
                times = repeat if key == "xlsx" else 1  # the ratio's run is taken `repeat` times, the median kept
                print(f"  测量命令行 score {year} {' '.join(extra)}" + (f" ({times} 次 times)" if times > 1 else "") + " …",
                      flush=True)
                runs = [run_measured(cmd + extra, ws) for _ in range(times)]
                wall, _, code, err = sorted(runs, key=lambda r: r[0])[len(runs) // 2]
                out[key] = {"wall": wall, "walls": [r[0] for r in runs], "peak_kib": max(r[1] for r in runs),
                            "code": max(r[2] for r in runs), "err": err[-2000:] if code > 1 else ""}
    return out


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    cols = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - cols)


def _spread(values: list[float]) -> str:
    """``; median of 3: 6.9–7.4 s`` when a figure is the median of several runs."""
    if len(values) < 2:
        return ""
    return f"; median of {len(values)}: {min(values):.2f}–{max(values):.2f} s"


def _mark(ok: bool) -> str:
    return "达到 met" if ok else "未达到 NOT met"


def print_table(m: dict) -> None:
    n, st, fl = m["n"], m["stages"], m["floor"]
    t = st["times"]
    mem = st.get("memory", {})
    rows = [("导入程序库 import scoring", t["import"], None),
            ("读取目标（首次）load targets, cold", t["load_targets.cold"], "load_targets.cold"),
            ("读取目标 load targets", t["load_targets"], "load_targets"),
            ("解析指标值 parse", t["parse"], "parse"),
            ("读取实际值 read actuals", t["read_actuals"], "read_actuals"),
            ("评分 score", t["score"], None),
            ("    对齐 join", t["score.join"], "score.join"),
            ("    引擎 score_indicators", t["score.engine"], "score.engine"),
            ("    问题清单 problems", t["score.problems"], "score.problems"),
            ("    校验和 sha256 inputs", t["score.hash"], "score.hash"),
            ("写报告 write report", t["write_report"], "write_report")]
    total = sum(t[k] for k in ("import", "load_targets", "parse", "read_actuals", "score", "write_report"))
    floor = fl["read"] + fl["write"]
    w = 38
    print()
    print(f"=== {n:,} 个指标 indicators，{st['projects']:,} 个项目 projects，{st['problems']:,} 个问题 problems ===")
    print(f"{_pad('阶段 stage', w)}{'':>6}秒 s   之后 RSS after MiB   峰值 peak so far MiB")
    for name, sec, key in rows:
        rss, peak = mem.get(key, (None, None)) if key else (None, None)
        tail = f"   {mib(rss):>10,.0f}   {mib(peak):>10,.0f}" if rss is not None else ""
        print(f"{_pad(name, w)}{sec:>10.2f}{tail}")
    print(f"{_pad('各阶段合计 sum of stages', w)}{total:>10.2f}   峰值内存 peak {mib(st['peak_kib']):,.0f} MiB"
          f"   (子进程 child wall {st['wall']:.2f} s)")
    e2e = m.get("xlsx")
    if e2e:
        print(f"{_pad('端到端 end-to-end score ' + str(m['year']), w)}{e2e['wall']:>10.2f}   峰值内存 peak "
              f"{mib(e2e['peak_kib']):,.0f} MiB" + ("" if e2e["code"] in (0, 1) else f"   退出码 exit {e2e['code']}")
              + _spread(e2e.get("walls", [])))
        for key, label in (("json", "  --json > /dev/null"), ("csv", "  --format csv")):
            r = m.get(key)
            if r is None:
                continue
            print(f"{_pad(label, w)}{r['wall']:>10.2f}   峰值内存 peak {mib(r['peak_kib']):,.0f} MiB"
                  + ("" if r["code"] in (0, 1) else f"   退出码 exit {r['code']}"))
    print(f"{_pad('I/O 下限 I/O floor', w)}{floor:>10.2f}   (calamine read {fl['read']:.2f} + {fl['writer']} write "
          f"{fl['write']:.2f}; peak {mib(fl['peak_kib']):,.0f} MiB)" + _spread(fl.get("totals", [])))
    old = m.get("old_floor")
    if old:
        print(f"{_pad('  旧下限 old floor (xlsxwriter)', w)}{old['read'] + old['write']:>10.2f}   (write "
              f"{old['write']:.2f}; the tool's own writer, so its ratio hid the writer's cost)")
    wall = e2e["wall"] if e2e else total
    peak = max(st["peak_kib"], e2e["peak_kib"]) if e2e else st["peak_kib"]
    ratio = wall / floor if floor else float("nan")
    print(f"{_pad('比值 ratio e2e/floor', w)}{ratio:>10.2f}" + ("" if e2e else "   (e2e = sum of stages; --no-cli)"))
    startup = fl.get("startup")
    process_floor = floor + startup if startup is not None else None
    if process_floor:
        print(f"{_pad('  下限（含启动）floor as a process', w)}{process_floor:>10.2f}   (+ Python start and import of "
              f"pandas, calamine, rustpy {startup:.2f}, which the e2e wall time includes; ratio "
              f"{wall / process_floor:.2f})")
    print(f"{_pad('峰值内存 peak memory MiB', w)}{mib(peak):>10,.0f}")
    goal = TARGETS.get(n)
    if goal:
        max_ratio, max_seconds, max_mib = goal
        if max_ratio is not None:
            print(f"目标 target: 端到端 ≤ {max_ratio:g} × I/O 下限 (ratio {ratio:.2f}) …… {_mark(ratio <= max_ratio)}")
            if process_floor:
                r = wall / process_floor
                print(f"             against the floor as a process (ratio {r:.2f}) …… {_mark(r <= max_ratio)}")
        if max_seconds is not None:
            print(f"目标 target: 端到端 < {max_seconds:g} s ({wall:.1f} s) …… {_mark(wall < max_seconds)}")
        print(f"目标 target: 峰值内存 < {max_mib:,} MiB ({mib(peak):,.0f} MiB) …… {_mark(mib(peak) < max_mib)}")
    for key in ("xlsx", "json", "csv"):
        if m.get(key, {}).get("err"):
            print(f"score ({key}) stderr:\n{m[key]['err']}")
    if st.get("profile"):
        print("\ncProfile（按自身耗时 by tottime，前 25 项）:")
        print(st["profile"])


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        _child_main(argv[1:])
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="numbers of indicators")
    ap.add_argument("--keep", type=Path, default=DEFAULT_CACHE,
                    help="directory where generated workspaces are kept and reused (default bench/out/)")
    ap.add_argument("--year", type=int, default=2023)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-cli", action="store_true", help="skip the end-to-end command-line runs")
    ap.add_argument("--cli-formats", default="xlsx,json,csv",
                    help="which end-to-end runs: xlsx (score YEAR), json (--json), csv (--format csv); comma-separated")
    ap.add_argument("--profile", action="store_true", help="print the top cProfile entries of the stage run")
    ap.add_argument("--xlsxwriter-floor", action="store_true",
                    help="also measure the old floor (xlsxwriter per cell), for comparison")
    ap.add_argument("--repeat", type=int, default=None,
                    help="runs of the floor and of `score YEAR` whose medians make the ratio (default 3, "
                         "1 from 1,000,000 indicators): the machine's noise is ±1 s run to run")
    args = ap.parse_args(argv)
    args.keep.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}，{os.cpu_count()} 个 CPU；score 命令：{' '.join(score_command())}")
    try:
        import rustpy_xlsxwriter  # noqa: F401  (the floor's writer)
    except ImportError:
        sys.exit("bench/run.py 需要 rustpy-xlsxwriter（I/O 下限的写入器）：pip install -e .")
    for n in args.sizes:
        ws = workspace(args.keep.resolve(), n, args.year, args.seed)
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"[{n:,}] 工作区 workspace {ws}；负载 load average {load}", flush=True)
        repeat = args.repeat or (1 if n >= 1_000_000 else 3)
        print_table(measure(n, ws, args.year, not args.no_cli, args.profile, args.xlsxwriter_floor,
                            tuple(args.cli_formats.split(",")), repeat))


if __name__ == "__main__":
    main()
