"""The workbook guard (:func:`scoring.xlsx.check_xlsx`) in a second process, started before this one
imports pandas: the check (half a second for 100,000 rows) and the imports then take the same time
instead of one after the other (issue 14). :class:`Opening` goes on, once the check passes, to open
the workbook and parse its sheets in a thread (calamine parses without the GIL), still during the imports.

    python -I -c BOOT ROOT PATH LABEL    exit 0 and "ok" (then, on a second line, the parts found in the
                                         common spelling as JSON) when safe; exit 2 with the error as JSON

The second interpreter is isolated (``-I``: no current folder, no ``PYTHON*`` variables, no user
site) and imports this package from the folder this process imported it from (``ROOT``), never from
the current folder: a folder ``scoring/precheck.py`` beside the user's files cannot stand in for the
guard. The answer is the same as checking here: an error is raised when asked for
(:meth:`Precheck.__call__`), and if the second process cannot start or cannot say (a frozen
program, killed), the check is simply made here then.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import scoring
from scoring.actuals.opening import Opened, open_actuals
from scoring.findings import ScoreError
from scoring.xlsx import Checked, check_xlsx

ROOT = str(Path(scoring.__file__).resolve().parent.parent)  # where this process imports scoring from
BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from scoring.precheck import main; sys.exit(main(sys.argv[2:]))"


class Precheck:
    """``check_xlsx(path, label=label)`` started now in another process; calling it waits for the answer."""

    def __init__(self, path: str | Path, label: str):
        self.path, self.label = str(path), label
        try:
            self._proc: subprocess.Popen | None = subprocess.Popen(
                [sys.executable, "-I", "-c", BOOT, ROOT, self.path, label],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError:
            self._proc = None

    def __call__(self) -> Checked:
        """What the check found (:class:`~scoring.xlsx.Checked`); raise its :class:`ScoreError`, if any."""
        proc = self._proc
        if proc is not None:
            out, _ = proc.communicate()  # close() may kill it meanwhile (from another thread)
            self._proc = None
            said, _, plain = out.partition(b"\n")
            if proc.returncode == 0 and said.strip() == b"ok":
                try:
                    return Checked(plain=frozenset(json.loads(plain or b"[]")))
                except (ValueError, TypeError):
                    return Checked()
            if proc.returncode == 2:
                try:
                    said = json.loads(out)
                    error = ScoreError(said["message"], where=said["where"], hint=said["hint"])
                except (ValueError, KeyError, TypeError):
                    error = None
                if error is not None:
                    raise error
        return check_xlsx(self.path, label=self.label)  # the other process could not tell: check here

    def close(self) -> None:
        """Stop the other process if nobody asked for its answer (the run ended first)."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        self._proc = None


class Opening:
    """``open_actuals(path, label)`` started now: checked by :class:`Precheck`, then opened and parsed
    in a thread. Calling it waits and returns the :class:`~scoring.actuals.opening.Opened` workbook,
    or raises the check's or the opening's :class:`ScoreError`, as :func:`open_actuals` would here.

    The thread is a daemon: a run that ends first (a broken targets folder) does not wait for it."""

    def __init__(self, path: str | Path, label: str):
        self._check = Precheck(path, label)
        self._done = threading.Event()
        self._result: Opened | None = None
        self._error: BaseException | None = None
        self._closed = False
        threading.Thread(target=self._open, args=(str(path), label), name="opening", daemon=True).start()

    def _open(self, path: str, label: str) -> None:
        try:
            found = self._check()
            if not self._closed:
                self._result = open_actuals(path, label, checked=found)
        except BaseException as exc:  # handed to the caller, raised there
            self._error = exc
        finally:
            self._done.set()

    def __call__(self) -> Opened:
        self._done.wait()
        if self._error is not None:
            raise self._error
        result, self._result = self._result, None  # handed over: a province's parsed sheet is large
        if result is None:
            raise RuntimeError("Opening: the workbook was asked for twice, or after close()")
        return result

    def close(self) -> None:
        """Stop the check if it is still running; the thread then ends without opening."""
        self._closed = True
        self._check.close()


def main(argv: list[str]) -> int:
    path, label = argv
    try:
        found = check_xlsx(path, label=label)
    except ScoreError as exc:
        sys.stdout.write(json.dumps({"message": exc.message, "where": exc.where, "hint": exc.hint}))
        return 2
    sys.stdout.write("ok\n" + json.dumps(sorted(found.plain), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
