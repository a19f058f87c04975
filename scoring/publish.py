"""Several outputs published together or not at all: the two report files of ``score YEAR``, and in
folder mode every unit's pair and the summary.

Each output is written as before (:func:`scoring.files.atomic_path`), but while a publication is
open its finished files go into the publication's private folder (``.score-publish.<pid>.<random>.tmp``
inside the output folder), under their path relative to it; nothing is renamed into place yet. Worker
processes write into the same folder (:func:`scoring.files.in_stage`). When every output is written,
:func:`publishing` renames them into place one after the other:

1. a journal naming every target is written into the private folder;
2. with Ctrl-C, SIGTERM and SIGHUP held back (:func:`deferred_signals`), each old file is moved into
   the private folder (kept) and the new one renamed over its place;
3. if a rename fails, every file already replaced is rolled back from its kept copy, and the error
   says nothing changed; a signal that arrived meanwhile is raised after the last rename, and the
   interruption's message then says the reports were written (:data:`PUBLISHED`);
4. the journal is removed; the private folder with the old files goes.

A process killed between two renames (SIGKILL: nothing runs) leaves the journal: the next write into
that folder (:func:`scoring.files.recover`, from :func:`scoring.files.sweep_stale`) puts the old files back and
removes the new ones, so a torn pair never stays. An error or interruption before step 2 removes the
private folder: the old files are untouched.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from scoring import files
from scoring.files import JOURNAL, Stage, check_output, write_error

PUBLISHED: list[Path] = []  # the files this process has published (what an interruption's message says)
_SIGNALS = tuple(s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None)


def between_renames(target: Path) -> None:
    """Called after each file is renamed into place and before the next (fault-injection point for tests)."""


@contextlib.contextmanager
def publishing(root: str | os.PathLike, names: tuple[str, ...] = ()) -> Iterator[Stage]:
    """While open, every output written under ``root`` is held back; on a normal exit all are
    published together (see the module docstring). Nested: the outer publication holds them.
    ``names``: the files it is for, named in an error before any is written."""
    root = Path(root)
    outer = files.current_stage()
    if outer is not None and outer.covers(root):
        yield outer
        return
    where = "、".join(str(root / n) for n in names) or root
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(exc, where, "无法创建输出文件夹") from None
    files.sweep_stale(root)
    try:
        folder = Path(tempfile.mkdtemp(prefix=f".score-publish.{os.getpid()}.", suffix=".tmp", dir=root))
    except OSError as exc:
        raise write_error(exc, where) from None
    stage = Stage(root, folder)
    files.set_stage(stage)
    try:
        yield stage
        files.set_stage(outer)
        publish(stage)
    finally:
        files.set_stage(outer)
        shutil.rmtree(folder, ignore_errors=True)


def publish(stage: Stage) -> list[Path]:
    """Rename every finished file of ``stage`` into place, all or none (see the module docstring)."""
    new = stage.folder / "new"
    entries = [(f, stage.root / f.relative_to(new)) for f in sorted(new.rglob("*")) if f.is_file()] \
        if new.is_dir() else []
    for _, target in entries:
        check_output(target)
    journal = stage.folder / JOURNAL
    try:
        journal.write_text(json.dumps([str(t.relative_to(stage.root)) for _, t in entries], ensure_ascii=False),
                           encoding="utf-8")
    except OSError as exc:
        raise write_error(exc, journal) from None
    done: list[tuple[Path, Path, Path | None]] = []  # (staged, target, kept old file)
    with deferred_signals():
        try:
            for staged, target in entries:
                kept = None
                if os.path.lexists(target):
                    kept = stage.folder / "old" / target.relative_to(stage.root)
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(target, kept)
                done.append((staged, target, kept))
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, target)
                between_renames(target)
        except BaseException as exc:
            _roll_back(done)
            cause = files.os_error_in(exc)
            if cause is not None and not isinstance(exc, files.ScoreError):
                raise write_error(cause, done[-1][1] if done else stage.root, "无法写出报告") from exc
            raise
        with contextlib.suppress(OSError):
            journal.unlink()
        published = [t for _, t, _ in done]
        PUBLISHED.extend(published)
    return published


def _roll_back(done: list[tuple[Path, Path, Path | None]]) -> None:
    """Put back the old files of the targets already replaced (newest first)."""
    for staged, target, kept in reversed(done):
        with contextlib.suppress(OSError):
            if not staged.exists() and os.path.lexists(target):
                os.replace(target, staged)  # the new file back into the private folder (removed with it)
            if kept is not None and os.path.lexists(kept):
                os.replace(kept, target)



@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold back Ctrl-C, SIGTERM and SIGHUP while open (in the main thread); one that arrived is
    delivered on leaving, as it would have been."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    saved = {}
    for sig in _SIGNALS:
        with contextlib.suppress(ValueError, OSError):
            saved[sig] = signal.signal(sig, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
        if caught:
            handler = saved.get(caught[0])
            if callable(handler):
                handler(caught[0], None)
            elif handler == signal.SIG_DFL:
                os.kill(os.getpid(), caught[0])


def reset() -> list[Path]:
    """What was published so far (and forget it: a new run in the same process starts empty)."""
    out = list(PUBLISHED)
    PUBLISHED.clear()
    return out
