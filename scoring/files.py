"""Writing outputs without ever losing a file: a private folder beside the target, then one rename.

- :func:`atomic_path` writes into a private temporary folder next to the target
  (``.<name>.<pid>.<random>.tmp/``) and renames the finished file over the target. While it is
  open, the process's temporary folder is that private one too, so xlsxwriter's row files (hundreds
  of MB for a big report) land beside the target, never in ``/tmp``. The folder is removed on every
  exit: success, an exception, Ctrl-C, SIGTERM/SIGHUP (see :func:`install_signal_handlers`); a
  folder left by ``kill -9`` is removed by the next write into the same place (its process is gone).
- An output may never replace an input: :func:`protected_inputs` names the inputs of a command, and
  :func:`check_output` (called by :func:`atomic_path` and by the CLI before any work) refuses a
  target that is one of them (same file, also through a link).
- A write that fails for the environment's sake (no permission, read-only file system, disk full)
  is a :class:`ScoreError` in Chinese (exit 2), and the target is left as it was.
- Outputs that belong together (the two report files) are held back while a publication is open
  (:mod:`scoring.publish`: :class:`Stage`, set by :func:`scoring.publish.publishing`): each finished
  file waits in the publication's private folder, and all are renamed into place at its end; a
  publication killed between two renames is rolled back by the next write there (:func:`recover`).
- A second process never runs code from the current folder (``-I``, ``PYTHONSAFEPATH``), dies with
  its parent, and never publishes: it writes into its parent's publication.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from scoring.findings import ScoreError

_INPUTS: dict[tuple[int, int], str] = {}
JOURNAL = "journal.json"  # in a publication's private folder: the targets it is renaming (scoring.publish)
_TMP_DIR = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")
_REASONS = {
    errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额", errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限", errno.EROFS: "所在的文件系统是只读的", errno.EISDIR: "这是一个已有的文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹", errno.ENAMETOOLONG: "文件名太长", errno.EEXIST: "已有同名的文件",
}


@contextlib.contextmanager
def protected_inputs(*paths: str | os.PathLike) -> Iterator[None]:
    """While open, no output may be written over any of ``paths`` (files; a folder's files count)."""
    added = []
    for p in paths:
        for f in _files(Path(p)):
            try:
                st = os.stat(f)
            except OSError:
                continue
            key = (st.st_dev, st.st_ino)
            if key not in _INPUTS:
                _INPUTS[key] = str(f)
                added.append(key)
    try:
        yield
    finally:
        for key in added:
            _INPUTS.pop(key, None)


def _files(p: Path) -> Iterable[Path]:
    if p.is_dir():
        with contextlib.suppress(OSError):
            yield from (f for f in p.iterdir() if f.is_file())
    else:
        yield p


def check_output(path: str | os.PathLike) -> None:
    """Raise :class:`ScoreError` when writing ``path`` would replace an input of this command."""
    try:
        st = os.stat(path)
    except OSError:
        return
    source = _INPUTS.get((st.st_dev, st.st_ino))
    if source is not None:
        raise ScoreError(f"输出文件就是输入文件“{source}”，写出报告会覆盖它，已停止（没有写出任何文件）", where=str(path),
                         hint="请用 --out 指定另一个位置，或给输入文件改名；程序从不修改输入文件")
    if stat.S_ISDIR(st.st_mode):
        raise ScoreError("输出路径是一个已有的文件夹，不能写成文件", where=str(path), hint="请换一个文件名或位置")


def write_error(exc: OSError, path: str | os.PathLike, what: str = "无法写出文件") -> ScoreError:
    """A write that failed for the environment's sake, in Chinese."""
    reason = _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
    return ScoreError(f"{what}：{reason}", where=str(path),
                      hint="请检查磁盘空间和写入权限，或用 --out 指定其他位置；原有文件没有被改动")


def os_error_in(exc: BaseException) -> OSError | None:
    """The OSError behind ``exc`` (xlsxwriter wraps it in FileCreateError), if any."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OSError):
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


@dataclass(frozen=True)
class Stage:
    """An open publication (:mod:`scoring.publish`): outputs under ``root`` are held in ``folder``."""

    root: Path
    folder: Path

    def covers(self, path: Path) -> bool:
        return os.path.abspath(path) == os.path.abspath(self.root) or \
            os.path.abspath(path).startswith(os.path.abspath(self.root) + os.sep)

    def staged(self, target: Path) -> Path | None:
        """Where ``target`` waits until the publication ends; None when it is not under ``root``."""
        if not self.covers(target.parent):
            return None
        return self.folder / "new" / os.path.relpath(os.path.abspath(target), os.path.abspath(self.root))


_STAGE: Stage | None = None


def current_stage() -> Stage | None:
    return _STAGE


def set_stage(stage: Stage | None) -> None:
    global _STAGE
    _STAGE = stage


def in_stage(fn: Callable) -> Callable:
    """``fn`` for another process, writing into this process's open publication (if any)."""
    return partial(_call_in_stage, _STAGE, fn)


def _call_in_stage(stage: Stage | None, fn: Callable, *args, **kwargs):
    saved = _STAGE
    set_stage(stage)
    try:
        return fn(*args, **kwargs)
    finally:
        set_stage(saved)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one rename (or,
    while a publication is open, joins it: renamed into place with the others at its end).

    On any failure or interruption the temporary folder is removed and ``path`` is untouched.
    """
    path = Path(path)
    check_output(path)
    staged = _STAGE.staged(path) if _STAGE is not None else None
    final = staged or path
    place = _STAGE.folder / "work" if staged is not None else path.parent
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        place.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(exc, path.parent, "无法创建输出文件夹") from None
    if staged is None:
        sweep_stale(path.parent)
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=place))
    except OSError as exc:
        raise write_error(exc, path) from None
    saved = tempfile.tempdir
    tempfile.tempdir = str(work)  # xlsxwriter's constant-memory row files go here, not to /tmp
    try:
        tmp = work / path.name
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # an output has ordinary permissions
        check_output(path)
        os.replace(tmp, final)
    except Exception as exc:
        cause = os_error_in(exc)
        if cause is not None and not isinstance(exc, ScoreError):
            raise write_error(cause, path) from exc
        raise
    finally:
        tempfile.tempdir = saved
        shutil.rmtree(work, ignore_errors=True)


def sweep_stale(folder: Path) -> None:
    """Remove the private folders :func:`atomic_path` and a publication left in ``folder`` when
    their process was killed (a publication killed between two renames is rolled back first)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for e in entries:
        m = _TMP_DIR.match(e.name)
        if m and e.is_dir(follow_symlinks=False) and not _alive(int(m.group(1))):
            if e.name.startswith(".score-publish."):
                recover(Path(e.path), Path(folder))
            shutil.rmtree(e.path, ignore_errors=True)

def recover(folder: Path, root: Path) -> None:
    """A publication whose process died between two renames: put the old files back, remove the new
    ones (the state before it started). Called on a folder whose process is gone."""
    journal = folder / JOURNAL
    try:
        targets = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    for rel in reversed(targets):
        target, kept, staged = root / rel, folder / "old" / rel, folder / "new" / rel
        with contextlib.suppress(OSError):
            if os.path.lexists(kept):
                os.replace(kept, target)
            elif not os.path.lexists(staged) and os.path.lexists(target):
                os.unlink(target)  # there was no old file: the new one goes
    with contextlib.suppress(OSError):
        journal.unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def install_signal_handlers() -> None:
    """SIGTERM and SIGHUP interrupt like Ctrl-C, so every ``finally`` runs and no temporary file stays."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            with contextlib.suppress(ValueError, OSError):  # not in the main thread
                signal.signal(sig, interrupt)


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def sha256_of(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
