"""How `score import` reads the real tables when their files are written the ways real units' files differ.

Every table folder of ``../shared/realtables``, ``evaluation/realtables`` and ``evaluation/realtables_blind`` is
written as each variant of ``tests/file_variants.py`` (merges undone or filled, numbers as text, WPS number
formats, a two-row header, hidden rows and columns, a 说明 sheet first, two tables on a sheet, an .xls that is
HTML or XML 2003, LibreOffice .xls/.ods, PDF without ruling, over two pages, landscape, narrow; Word tables split,
nested, with several paragraphs a cell), imported, and compared with the table's gold.csv as
``../shared/realtables/measure.py`` compares (its ``compare``: right pairs / (gold + extra)). A table held twice
in a file is compared with its gold twice. Prints one line per variant; asserts nothing.

    python bench/variants.py [-v] [--only NAME,...] [--sets shared,realtables,blind] [--keep DIR [--reuse]] [--cli]

``--cli`` runs ``score import`` / ``score targets`` as processes (``measure.import_one``), as measure.py does;
by default the import runs in this process (the same reading, a second faster per file).
"""

from __future__ import annotations

import argparse
import importlib.util
import shlex
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import file_variants as fv  # noqa: E402

from scoring.findings import ScoreError  # noqa: E402
from scoring.importer import import_sources  # noqa: E402

SETS = {"shared": fv.realtables(), "realtables": ROOT / "evaluation" / "realtables",
        "blind": ROOT / "evaluation" / "realtables_blind"}


def _measure():
    real = fv.realtables()
    if real is None:
        sys.exit("../shared/realtables is absent: measure.py is read from there")
    spec = importlib.util.spec_from_file_location("measure", real / "measure.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def imported(path: Path, year: int, measure, score: list[str] | None, tmp: Path) -> tuple[list[dict], str]:
    if score:
        return measure.import_one(score, path, year, tmp)
    try:
        ind = import_sources([path], year).targets.indicators
    except ScoreError as exc:
        return [], f"ERROR: {exc.message[:140]}"
    except Exception as exc:
        return [], f"CRASH: {type(exc).__name__}: {str(exc)[:120]}"
    return [{"level3": a, "annual_value": b} for a, b in zip(ind["level3"], ind["annual_value"], strict=True)], ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-v", "--verbose", action="store_true", help="list every table that is not read fully right")
    ap.add_argument("--only", default="", help="variant names (or parts of them), comma-separated")
    ap.add_argument("--sets", default="shared,realtables,blind")
    ap.add_argument("--tables", default="", help="table folder names, comma-separated")
    ap.add_argument("--keep", default="", help="write the variant files into this folder and keep them")
    ap.add_argument("--reuse", action="store_true", help="with --keep: take the files already written there")
    ap.add_argument("--cli", nargs="?", const="score", default="", help="run score as a process (measure.py's way)")
    a = ap.parse_args()
    measure = _measure()
    folders = [p.parent for s in a.sets.split(",") if SETS.get(s) for p in sorted(SETS[s].glob("*/gold.csv"))]
    if a.tables:
        folders = [f for f in folders if f.name in a.tables.split(",")]
    variants = [v for v in fv.VARIANTS if not a.only or any(o in v.name for o in a.only.split(","))]
    grids = [fv.load_grid(f) for f in folders]
    with tempfile.TemporaryDirectory() as td:
        work = Path(a.keep) if a.keep else Path(td)
        t0 = time.perf_counter()
        files = fv.write_variants(grids, variants, work / "files", reuse=a.reuse)
        print(f"{len(files)} files written in {time.perf_counter() - t0:.0f} s ({len(grids)} tables)\n")
        score = shlex.split(a.cli) if a.cli else None
        total = Counter()
        for v in variants:
            t = Counter()
            t0 = time.perf_counter()
            bad = []
            for g in grids:
                if (g.name, v.name) not in files:
                    continue
                path, gv = files[(g.name, v.name)]
                got, status = imported(path, g.year, measure, score, work)
                c = measure.compare(g.gold * gv.copies, got)
                clean = c["right"] == c["gold"] and not c["extra"]
                t.update(gold=c["gold"], right=c["right"], extra=len(c["extra"]), inputs=1, clean=int(clean))
                if not clean:
                    bad.append((g.name, status or f"{len(c['missing'])} missing, {len(c['extra'])} extra", c))
            den = t["gold"] + t["extra"]
            share = t["right"] / den if den else 0.0
            print(f"{v.name:24}\t{t['inputs']:3} 份，全对 {t['clean']:3}，{t['right']:4}/{den:<4} = {share:6.1%}"
                  f"  ({time.perf_counter() - t0:.0f} s)", flush=True)
            if a.verbose:
                for name, status, c in bad:
                    print(f"{'':8}{name:32} {status}")
                    for k in c["missing"][:4]:
                        print(f"{'':12}- {k[0]} | {k[1]}")
                    for k in c["extra"][:4]:
                        print(f"{'':12}+ {k[0]} | {k[1]}")
            total += t
        den = total["gold"] + total["extra"]
        print(f"\n全部变体：{total['inputs']} 份，全对 {total['clean']}，{total['right']}/{den} = "
              f"{total['right'] / den if den else 0:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
