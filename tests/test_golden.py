"""`score 2023 --json` on the bundled example data, byte for byte.

The golden file pins the whole observable result (every reading, verdict, score, explanation and
problem). A refactor must leave it byte-identical. A change that is meant to alter results
regenerates it with ``python tests/test_golden.py --update`` and the diff is reviewed in the commit.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden_2023.json"


def current(out_dir: Path) -> bytes:
    cmd = [sys.executable, "-c", "import cli, sys; sys.exit(cli.entry())", "2023", "--json", "--out", str(out_dir)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return done.stdout


def test_score_2023_json_is_byte_identical_to_the_golden_file(tmp_path):
    got = current(tmp_path)
    want = GOLDEN.read_bytes()
    if got != want:  # show the first differing line, not two megabytes
        for n, (a, b) in enumerate(zip(got.splitlines(), want.splitlines(), strict=False), 1):
            assert a == b, f"line {n} differs:\n got  {a[:400]!r}\n want {b[:400]!r}"
    assert got == want


if __name__ == "__main__" and sys.argv[1:] == ["--update"]:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        GOLDEN.write_bytes(current(Path(d)))
    print(f"updated {GOLDEN}")
