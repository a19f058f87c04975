"""How fast `parse` reads target expressions: uncached and cached, on one core.

    python bench/parse_bench.py [--n 200000]

Goal (issues 2 and 11): at least 20,000 uncached parses per second. Two corpora: the seed's values, and
the other regions' set (evaluation/regions.tsv: periods, new counters, compound units, traditional
characters, changes, bands), each with its numbers varied so that every text is new to the cache.
Throughput is printed per wall-clock second and per CPU second of this process (the CPU figure moves
less when other programs share the machine). Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from scoring.language.expressions import _parse, _parse_uncached, parse
from scoring.language.lexicon import default_lexicon
from seed_values import seed_values

REGIONS = Path(__file__).resolve().parent.parent / "evaluation" / "regions.tsv"


def region_values() -> list[tuple[str, str]]:
    with REGIONS.open(encoding="utf-8") as f:
        return [(r["indicator"], r["text"]) for r in csv.DictReader(f, delimiter="\t")]


def corpus(n: int, seed: int = 7, base: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """Values with their numbers varied, so that every text is new to the cache."""
    rng = random.Random(seed)
    base = base or seed_values()
    out = []
    for i in range(n):
        indicator, text = base[i % len(base)]
        if any(c.isdigit() for c in text):
            text = "".join(str(rng.randint(0, 9)) if c.isdigit() else c for c in text)
        out.append((indicator, text))
    return out


def uncached_rate(items: list[tuple[str, str]]) -> tuple[float, float]:
    """Parses per wall-clock second and per CPU second, without the cache."""
    lex = default_lexicon()
    wall, cpu = time.perf_counter(), time.process_time()
    for indicator, text in items:
        _parse_uncached(text, indicator, 2023, lex)
    return len(items) / (time.perf_counter() - wall), len(items) / (time.process_time() - cpu)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=200_000)
    args = ap.parse_args()
    items = corpus(args.n)
    regions = corpus(args.n, base=region_values())
    parse("不少於3萬人次")  # load the word lists and OpenCC once, outside the timing

    seed_wall, seed_cpu = uncached_rate(items)
    region_wall, region_cpu = uncached_rate(regions)

    _parse.cache_clear()
    for indicator, text in items:
        parse(text, indicator, 2023)
    t0 = time.perf_counter()
    for indicator, text in items:
        parse(text, indicator, 2023)
    cached = len(items) / (time.perf_counter() - t0)

    print(f"表达式数量                  {len(items):>12,}")
    print(f"不同的表达式（种子）        {len({t for _, t in items}):>12,}")
    print(f"未缓存，种子（次/秒）       {seed_wall:>12,.0f}   每 CPU 秒 {seed_cpu:>10,.0f}   目标 ≥ 20,000")
    print(f"未缓存，其他地区（次/秒）   {region_wall:>12,.0f}   每 CPU 秒 {region_cpu:>10,.0f}")
    print(f"已缓存（次/秒）             {cached:>12,.0f}")


if __name__ == "__main__":
    main()
