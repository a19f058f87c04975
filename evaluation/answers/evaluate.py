"""How many 实际完成值 the engine judges as a knowledgeable person would.

    python evaluation/answers/evaluate.py              # the development set (cases.txt)
    python evaluation/answers/evaluate.py --heldout    # the held-out fifth (heldout.txt): measure at the end only
    python evaluation/answers/evaluate.py --fresh fresh2.txt  # a probe written after the implementation
    python evaluation/answers/evaluate.py --show       # also list every case judged wrongly
    python evaluation/answers/evaluate.py --all        # the total of every set: cases, heldout, fresh, fresh2,
                                                       # readings (issue 25's classes), published (real self-scores),
                                                       # published2 (every scored row of our real 自评表; harvest.py)

A case is right when the verdict is one of those expected and every expectation holds:
``A`` an assumption was recorded while reading the actual (beyond the target's own), ``F`` a flag
was raised, ``H`` a hint specific to the indicator was given (not the generic one), ``=text`` the
reading of the actual contains ``text``. The file format is described at the top of cases.txt.
It prints the share right, per section and overall.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from scoring.language.expressions import parse  # noqa: E402
from scoring.rubric.engine import score_indicators  # noqa: E402
from scoring.rubric.profile_file import load_profile  # noqa: E402

YEAR = 2023
SETS = ("cases.txt", "heldout.txt", "fresh.txt", "fresh2.txt", "readings.txt", "published.txt", "published2.txt")
GENERIC_HINTS = ("", "请按“填报说明”改写实际完成值")


@dataclass
class Case:
    section: str
    indicator: str
    target: str
    actual: str
    cell: str
    verdicts: tuple[str, ...]
    expect: tuple[str, ...]
    note: str
    line: int


def load(path: Path) -> list[Case]:
    cases, section = [], ""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("# ---"):
            section = line[5:].strip()
            continue
        if line.startswith("#") or not line.strip():
            continue
        parts = [p.strip() for p in line.split(" | ")]
        parts += [""] * (7 - len(parts))
        ind, target, actual, cell, verdict, expect, note = parts[:7]
        cases.append(Case(section, ind, target, actual, cell or "t", tuple(verdict.split("/")),
                          tuple(expect.split()), note, n))
    return cases


def raw_value(c: Case) -> tuple[object, bool]:
    """The cell as calamine would hand it over, and whether it has a percent number format."""
    if c.cell == "n":
        return float(c.actual), False
    if c.cell == "p":
        return float(c.actual), True
    if c.cell == "d":
        return date.fromisoformat(c.actual), False
    if c.cell == "b":
        return c.actual in ("是", "TRUE", "True", "1"), False
    return (c.actual if c.actual else None), False


def frame(cases: list[Case]) -> pd.DataFrame:
    rows = []
    for i, c in enumerate(cases):
        actual, pct = raw_value(c)
        rows.append({"id": f"C{i}", "project": f"案例{i}", "level1": "满意度指标" if "满意" in c.indicator else "产出指标",
                     "level2": "", "level3": c.indicator, "annual_value": c.target, "weight": 10.0,
                     "actual": actual, "actual_is_percent": pct, "reason_text": "", "cell": f"G{i + 2}"})
    df = pd.DataFrame(rows)
    df["actual"] = df["actual"].astype(object)
    return df


def judge(c: Case, row: pd.Series) -> list[str]:
    """What is wrong with the engine's answer to this case (empty: right)."""
    wrong = []
    if row["verdict"] not in c.verdicts:
        wrong.append(f"判定 {row['verdict']}（期望 {'/'.join(c.verdicts)}）")
    own = set(parse(c.target, c.indicator, YEAR).assumptions)
    reading_assumptions = [a for a in row["assumptions"] if a not in own]
    hint = row["hint"] if "hint" in row.index and isinstance(row["hint"], str) else ""
    for e in c.expect:
        if e == "A" and not reading_assumptions and row["verdict"] != "无法判定":
            wrong.append("没有记录假设")
        elif e == "F" and not row["flags"]:
            wrong.append("没有提示")
        elif e == "H" and row["verdict"] == "无法判定" and hint in GENERIC_HINTS:
            wrong.append("没有针对该指标的处理建议")
        elif e.startswith("=") and e[1:] not in str(row["actual_normalised"]) and row["verdict"] != "无法判定":
            wrong.append(f"读作“{row['actual_normalised']}”（期望含 {e[1:]}）")
    w, s = row["weight"], row["score"]
    written_share = str(row["actual_normalised"]).startswith(("达成（", "部分达成（", "未达成（"))  # inside its band
    if row["verdict"] == "达成" and not math.isclose(s, w) and "扣" not in row["explanation"] and not written_share:
        wrong.append(f"达成却得 {s}")
    if row["verdict"] != "达成" and math.isclose(s, w) and row["verdict"] != "无法判定":
        wrong.append(f"{row['verdict']}却得满分 {s}")
    return wrong


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--heldout", action="store_true", help="measure on the held-out fifth")
    ap.add_argument("--fresh", metavar="FILE", help="measure on a probe written after the implementation (fresh.txt, fresh2.txt)")
    ap.add_argument("--show", action="store_true", help="list the cases judged wrongly")
    ap.add_argument("--all", action="store_true", help="the total of every set, one line each")
    args = ap.parse_args(argv)
    if args.all:
        for name in SETS:
            cases = load(HERE / name)
            scored = score_indicators(frame(cases), None, load_profile(), YEAR).indicators
            right = sum(not judge(c, row) for c, (_, row) in zip(cases, scored.iterrows(), strict=True))
            print(f"{right:4d}/{len(cases):<4d} {right / len(cases):6.1%}  {name}")
        return 0
    name = "heldout.txt" if args.heldout else args.fresh or "cases.txt"
    cases = load(HERE / name)
    scored = score_indicators(frame(cases), None, load_profile(), YEAR).indicators
    by_section: dict[str, list[int]] = {}
    failures = []
    for c, (_, row) in zip(cases, scored.iterrows(), strict=True):
        wrong = judge(c, row)
        by_section.setdefault(c.section, [0, 0])
        by_section[c.section][0] += not wrong
        by_section[c.section][1] += 1
        if wrong:
            failures.append((c, row, wrong))
    for section, (right, total) in by_section.items():
        print(f"{right:4d}/{total:<4d} {right / total:6.1%}  {section}")
    right = sum(r for r, _ in by_section.values())
    print(f"{right:4d}/{len(cases):<4d} {right / len(cases):6.1%}  合计（{name}）")
    if args.show:
        for c, row, wrong in failures:
            print(f"\n第{c.line}行 {c.indicator} | {c.target} | {c.actual!r} [{c.cell}] → {row['verdict']} "
                  f"{row['score']:.2f}，读作“{row['actual_normalised']}”\n    " + "；".join(wrong))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
