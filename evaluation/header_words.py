#!/usr/bin/env python3
"""Measure `score import` on real tables whose header words are replaced by other real-world wordings.

Tables are judged on headers nobody put in ``rules/language/headers.yaml``. This takes every real table with a
``source.xlsx`` (``../shared/realtables``, ``evaluation/realtables``, ``evaluation/realtables_blind``; never the
blind sets 2 and 3), replaces each standard header word (一级指标, 三级指标, 指标值, 分值 …) by a wording picked at
random from the lists below (one wording per original word in a table), imports it in-process and compares the
(三级指标, 指标值) pairs with the table's gold.csv as ``measure.py`` does. Prints the tables read wrong and the total.

    python evaluation/header_words.py [--seed N] [--roles level1,level3,...]
"""
from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import tempfile
import warnings
from collections import Counter
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
SHARED = next((p / "shared" / "realtables" for p in HERE.parents if (p / "shared" / "realtables").is_dir()), None)
if SHARED is None:
    sys.exit("../shared/realtables is not beside the repository")
ROOTS = [SHARED, HERE / "realtables", HERE / "realtables_blind"]
sys.path.insert(0, str(ROOTS[0]))
from measure import compare  # noqa: E402

from scoring.importer import import_sources  # noqa: E402

CANON = {"level1": ["一级指标"], "level2": ["二级指标"], "level3": ["三级指标", "指标名称"],
         "annual_value": ["指标值", "年度指标值", "目标值", "当年度指标值", "年度目标值"], "weight": ["分值", "权重", "指标分值"]}
OTHER = {
    "level1": ["一级绩效指标", "指标类别", "一级指标类型", "绩效指标类别"],
    "level2": ["二级绩效指标", "指标子类", "二级指标类型", "绩效指标分类"],
    "level3": ["三级绩效指标", "考核指标", "具体绩效指标", "指标", "三级指标内容"],
    "annual_value": ["年度绩效指标值", "本年目标", "预期值", "计划完成值", "年度计划数"],
    "weight": ["分数", "标准分", "满分值", "指标分数"],
}


def key(text: object) -> str:
    return re.sub(r"[\s:：]", "", str(text or ""))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--roles", default=",".join(CANON))
    a = ap.parse_args()
    warnings.filterwarnings("ignore")
    roles = a.roles.split(",")
    role_of = {key(w): r for r in roles for w in CANON[r]}
    rng = random.Random(a.seed)
    total = Counter()
    with tempfile.TemporaryDirectory() as td:
        for root in ROOTS:
            for folder in sorted(p.parent for p in root.glob("*/gold.csv")):
                if not (folder / "source.xlsx").exists():
                    continue
                wb = openpyxl.load_workbook(folder / "source.xlsx")
                picked: dict[str, str] = {}
                for ws in wb:
                    for row in ws.iter_rows():
                        for c in row:
                            r = role_of.get(key(c.value)) if isinstance(c.value, str) else None
                            if r and key(c.value) not in picked:
                                picked[key(c.value)] = rng.choice([w for w in OTHER[r] if w not in picked.values()])
                            if r:
                                c.value = picked[key(c.value)]
                dst = Path(td) / f"{folder.name}.xlsx"
                wb.save(dst)
                gold = list(csv.DictReader(open(folder / "gold.csv", encoding="utf-8", newline="")))
                year = int((folder / "year.txt").read_text().strip())
                try:
                    got, err = import_sources([dst], year).targets.indicators.to_dict("records"), ""
                except Exception as exc:  # a table that cannot be read counts as all missing
                    got, err = [], str(exc).splitlines()[0][:80]
                c = compare(gold, got)
                total.update(gold=c["gold"], right=c["right"], extra=len(c["extra"]))
                if c["right"] != c["gold"] or c["extra"]:
                    renamed = "; ".join(f"{k}→{v}" for k, v in picked.items())
                    print(f"{folder.name:34} {c['right']}/{c['gold']} +{len(c['extra'])} {err} | {renamed}")
    den = total["gold"] + total["extra"]
    print(f"real tables with other header words imported right: {total['right']}/{den} = {total['right'] / den:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
