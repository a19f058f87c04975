"""How long `score import` takes to cut text whose table cells ran together (issue 23), by size.

The indicator rows of each real extracted text of ``../shared/realtables`` (run together on one
line; one cell a line) and of the own fixtures are repeated 1, 4 and 16 times under their header,
and the text is read into rows (``text_rows``); then texts that are not tables at all. Prints
milliseconds per thousand characters: a flat figure across the sizes is linear work. Asserts nothing.

    python bench/runtext_bench.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.findings import ScoreError  # noqa: E402
from scoring.importer.sources import text_rows  # noqa: E402

REAL = next((p for p in (ROOT.parent / "shared" / "realtables", ROOT.parent.parent / "shared" / "realtables")
             if p.is_dir()), None)
FIXTURES = ROOT / "tests" / "fixtures" / "runtext"

# (file, where the indicator rows start, where they end): the rows are repeated in place.
SAMPLES = [
    (REAL and REAL / "hub_ezhou_jiguan_2022" / "source.txt", "数量指标办公", "水电气消耗下降率"),
    (REAL and REAL / "sc_zhongjiang_shuili_2022" / "source.txt", "产出指标(70分)", "……"),
    (FIXTURES / "qingshan_2020_cellines.txt", "产出指标", "附件"),
    (FIXTURES / "chizhou_tangxi_2022_spaced.txt", "产出指标(50分)", "经济效益指标 满意度"),
    (FIXTURES / "rowlines_units.txt", "产出指标", "财政部门"),
    (FIXTURES / "indented_tree.txt", "   产出指标", "\n\n\n"),
]
NOT_TABLES = {
    "100 MB of one letter": "a" * (100 * 1024**2),
    "290,000 characters of level words run together": "一级指标二级指标三级指标指标值" + "产出数量质量指标反映情况" * 24_000,
    "140,000 characters of level words under a header": "一级指标二级指标三级指标指标值" + "产出数量质量指标反映情况" * 11_600,
    "1 MB of rows one a line under a header": "一级指标二级指标三级指标指标值\n" + "产出指标数量指标培训人次≥300人次\n" * 50_000,
}


def timed(text: str) -> float:
    start = time.perf_counter()
    try:
        text_rows(text.encode("utf-8"), "bench.txt")
    except ScoreError:
        pass                    # refused (too large, no table): the time to say so is the figure
    return time.perf_counter() - start


def main() -> None:
    for path, first, last in SAMPLES:
        if path is None or not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        a, b = text.index(first), text.index(last)
        figures = []
        for n in (1, 4, 16):
            big = text[:a] + text[a:b] * n + text[b:]
            seconds = timed(big)
            figures.append(f"×{n}: {len(big):>7,} chars {seconds:6.2f} s ({1000 * seconds / len(big) * 1000:5.1f} ms/k)")
        print(f"{path.parent.name + '/' + path.name:50} " + " | ".join(figures))
    for label, text in NOT_TABLES.items():
        print(f"{label:50} {timed(text):6.2f} s")


if __name__ == "__main__":
    main()
