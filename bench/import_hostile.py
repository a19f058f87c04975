"""How long `score import`'s readers take on the inputs that used to hang them (issue 29), and on each format.

Each hostile text is imported in this process (``import_sources``) and must end, in well under a
few seconds, with a Chinese message at its place; the real tables of ``../shared/realtables`` are
read in every format they have. Prints the figures; asserts nothing.

    python bench/import_hostile.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.findings import ScoreError  # noqa: E402
from scoring.importer import import_sources  # noqa: E402
from scoring.importer.sources import read_rows  # noqa: E402

HOSTILE = {
    "未闭合的 <table 重复 70,000 次": "<table" * 70_000,
    "一行 1,000 个 colspan=1000 的单元格": "<table><tr>" + "<td colspan=1000>x</td>" * 1000 + "</tr></table>",
    "1,000 行 rowspan=1000": "<table>" + "<tr><td rowspan=1000>x</td></tr>" * 1000 + "</table>",
    "一行 120,000 个空格": "一级指标  二级指标  三级指标  指标值\n" + " " * 120_000 + "\n",
    "一行 40,000 个单元格": "一级指标\t三级指标\t指标值\n" + "\t".join(["x"] * 40_000),
    "一行 100 MB": "a" * (100 * 1024**2),
}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for label, text in HOSTILE.items():
            path = Path(tmp) / "hostile.txt"
            path.write_text(text, encoding="utf-8")
            start = time.perf_counter()
            try:
                import_sources([path], 2024)
                outcome = "导入了（不应如此）"
            except ScoreError as exc:
                outcome = f"{exc.where}：{exc.message[:60]}"
            print(f"{label:<28} {time.perf_counter() - start:6.2f} s  {outcome}")
    real = ROOT.parent / "shared" / "realtables"
    for fmt in ("xlsx", "xls", "docx", "pdf", "txt"):
        files = sorted(real.glob(f"*/source.{fmt}"))
        if not files:
            continue
        start = time.perf_counter()
        for f in files:
            read_rows(f)
        print(f"realtables .{fmt:<5} {len(files):3d} 个文件  每个 {(time.perf_counter() - start) / len(files) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
