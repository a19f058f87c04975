"""`score review 2023 --json` on the bundled example data, byte for byte (as tests/test_golden.py pins
`score 2023 --json`). A change meant to alter the review regenerates it with
``python tests/test_review_golden.py --update`` and the diff is reviewed in the commit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden_review_2023.json"


def current(out_dir: Path) -> bytes:
    cmd = [sys.executable, "-c", "import cli, sys; sys.exit(cli.entry())", "review", "2023", "--json", "--out",
           str(out_dir)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return done.stdout


def test_score_review_2023_json_is_byte_identical_to_the_golden_file(tmp_path):
    got = current(tmp_path)
    want = GOLDEN.read_bytes()
    if got != want:  # show the first differing line
        for n, (a, b) in enumerate(zip(got.splitlines(), want.splitlines(), strict=False), 1):
            assert a == b, f"line {n} differs:\n got  {a[:400]!r}\n want {b[:400]!r}"
    assert got == want
    doc = json.loads(got)
    assert doc["year"] == 2023 and len(doc["projects"]) == 16 and doc["findings"]
    assert (tmp_path / "复核意见_2023.xlsx").is_file()



def test_the_readmes_figures_are_the_example_reviews():
    """The README's ``score review 2023`` line says what the example's review finds: kept true."""
    import re

    doc = json.loads(GOLDEN.read_bytes())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"score review 2023 +# 随附的示例数据：发现 (\d+) 个问题（P0 (\d+)，P1 (\d+)，P2 (\d+)）", readme)
    assert m, "README: the score review 2023 line"
    levels = [f["severity"] for f in doc["findings"]]
    assert [int(x) for x in m.groups()] == [len(levels), levels.count("P0"), levels.count("P1"), levels.count("P2")]


if __name__ == "__main__" and sys.argv[1:] == ["--update"]:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        GOLDEN.write_bytes(current(Path(d)))
    print(f"updated {GOLDEN}")
