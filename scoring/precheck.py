"""The workbook guard (:func:`scoring.xlsx.check_xlsx`) in a second process, started before this one
imports pandas: the check (half a second for 100,000 rows) and the imports then take the same time
instead of one after the other (issue 14).

    python -m scoring.precheck PATH LABEL    "ok" and exit 0 when safe; exit 2 with the error as JSON

The answer is the same as checking here: an error is raised when asked for (:meth:`Precheck.__call__`),
and if the second process cannot start or cannot say (no ``python -m`` in a frozen program, killed),
the check is simply made here then.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from scoring.findings import ScoreError
from scoring.xlsx import check_xlsx


class Precheck:
    """``check_xlsx(path, label=label)`` started now in another process; calling it waits for the answer."""

    def __init__(self, path: str | Path, label: str):
        self.path, self.label = str(path), label
        try:
            self._proc: subprocess.Popen | None = subprocess.Popen(
                [sys.executable, "-m", "scoring.precheck", self.path, label],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError:
            self._proc = None

    def __call__(self) -> None:
        """Raise the check's :class:`ScoreError`, if any."""
        proc, self._proc = self._proc, None
        if proc is not None:
            out, _ = proc.communicate()
            if proc.returncode == 0 and out.strip() == b"ok":
                return
            if proc.returncode == 2:
                try:
                    said = json.loads(out)
                    error = ScoreError(said["message"], where=said["where"], hint=said["hint"])
                except (ValueError, KeyError, TypeError):
                    error = None
                if error is not None:
                    raise error
        check_xlsx(self.path, label=self.label)  # the other process could not tell: check here

    def close(self) -> None:
        """Stop the other process if nobody asked for its answer (the run ended first)."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._proc = None


def main(argv: list[str]) -> int:
    path, label = argv
    try:
        check_xlsx(path, label=label)
    except ScoreError as exc:
        sys.stdout.write(json.dumps({"message": exc.message, "where": exc.where, "hint": exc.hint}))
        return 2
    sys.stdout.write("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
