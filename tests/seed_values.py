"""The distinct 指标值 of the seed document, with the indicator name each stands beside."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_CANDIDATES = (
    ROOT / "targets" / "2023" / "source" / "2023_targets_dongguan_tgao.txt",
    ROOT.parent / "shared" / "seed" / "2023_targets_dongguan_tgao.txt",
)


def seed_path() -> Path:
    for p in SEED_CANDIDATES:
        if p.exists():
            return p
    raise FileNotFoundError("找不到种子文件 2023_targets_dongguan_tgao.txt")


def seed_values() -> list[tuple[str, str]]:
    """(indicator, value) for both value columns of every indicator row, in order, without repeats."""
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    in_indicators = False
    for line in seed_path().read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if line.startswith("#"):
            in_indicators = False
            continue
        if cells[0] == "绩效指标":
            in_indicators = True
            continue
        if not in_indicators:
            continue
        nonempty = [c.strip() for c in cells if c.strip()]
        if len(nonempty) < 3:
            continue
        indicator = nonempty[-3]
        for value in nonempty[-2:]:
            if (indicator, value) not in seen:
                seen.add((indicator, value))
                out.append((indicator, value))
    return out
