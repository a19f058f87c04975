"""How fast `parse` reads target expressions: uncached and cached, on one core.

    python bench/parse_bench.py [--n 200000]

Goal (issue 2): at least 20,000 uncached parses per second. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from scoring.language.expressions import _parse, _parse_uncached, parse
from scoring.language.lexicon import default_lexicon
from seed_values import seed_values


def corpus(n: int, seed: int = 7) -> list[tuple[str, str]]:
    """Seed values with their numbers varied, so that every text is new to the cache."""
    rng = random.Random(seed)
    base = seed_values()
    out = []
    for i in range(n):
        indicator, text = base[i % len(base)]
        if any(c.isdigit() for c in text):
            text = "".join(str(rng.randint(0, 9)) if c.isdigit() else c for c in text)
        out.append((indicator, text))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=200_000)
    args = ap.parse_args()
    items = corpus(args.n)
    lex = default_lexicon()

    t0 = time.perf_counter()
    for indicator, text in items:
        _parse_uncached(text, indicator, 2023, lex)
    uncached = len(items) / (time.perf_counter() - t0)

    _parse.cache_clear()
    for indicator, text in items:
        parse(text, indicator, 2023)
    t0 = time.perf_counter()
    for indicator, text in items:
        parse(text, indicator, 2023)
    cached = len(items) / (time.perf_counter() - t0)

    print(f"表达式数量            {len(items):>12,}")
    print(f"不同的表达式          {len({t for _, t in items}):>12,}")
    print(f"未缓存（次/秒）       {uncached:>12,.0f}   目标 ≥ 20,000")
    print(f"已缓存（次/秒）       {cached:>12,.0f}")


if __name__ == "__main__":
    main()
