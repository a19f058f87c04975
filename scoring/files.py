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
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import signal
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TypeVar

from scoring.findings import ScoreError

T = TypeVar("T")
U = TypeVar("U")

_INPUTS: dict[tuple[int, int], str] = {}
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


def _os_error_in(exc: BaseException) -> OSError | None:
    """The OSError behind ``exc`` (xlsxwriter wraps it in FileCreateError), if any."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OSError):
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one rename.

    On any failure or interruption the temporary folder is removed and ``path`` is untouched.
    """
    path = Path(path)
    check_output(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(exc, path.parent, "无法创建输出文件夹") from None
    sweep_stale(path.parent)
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent))
    except OSError as exc:
        raise write_error(exc, path) from None
    saved = tempfile.tempdir
    tempfile.tempdir = str(work)  # xlsxwriter's constant-memory row files go here, not to /tmp
    try:
        tmp = work / path.name
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # an output has ordinary permissions
        check_output(path)
        os.replace(tmp, path)
    except Exception as exc:
        cause = _os_error_in(exc)
        if cause is not None and not isinstance(exc, ScoreError):
            raise write_error(cause, path) from exc
        raise
    finally:
        tempfile.tempdir = saved
        shutil.rmtree(work, ignore_errors=True)


def sweep_stale(folder: Path) -> None:
    """Remove the private folders :func:`atomic_path` left in ``folder`` when its process was killed."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for e in entries:
        m = _TMP_DIR.match(e.name)
        if m and e.is_dir(follow_symlinks=False) and not _alive(int(m.group(1))):
            shutil.rmtree(e.path, ignore_errors=True)


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


def map_in_processes(fn: Callable, jobs: Sequence, workers: int | None = None,
                     on_crash: Callable | None = None) -> list:
    """``[fn(j) for j in jobs]``, in worker processes when there is more than one job and one core.

    ``on_crash(job)``: what a job whose worker process died (killed, aborted) gives instead. Then
    every job runs in a worker, even alone; when the pool breaks, the jobs it took down are run
    again one by one, each in its own worker, so only the job that kills its worker is lost.
    Without ``on_crash`` a dead worker is an error, as before."""
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    if not (workers > 1 and len(jobs) > 1) and on_crash is None:
        return [fn(j) for j in jobs]
    results: list = [None] * len(jobs)
    failed = []
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(jobs)))) as pool:
        futures = [pool.submit(fn, j) for j in jobs]
        for i, fut in enumerate(futures):
            try:
                results[i] = fut.result()
            except BrokenProcessPool:
                if on_crash is None:
                    raise
                failed.append(i)
    for i in failed:
        try:
            with ProcessPoolExecutor(max_workers=1) as pool:
                results[i] = pool.submit(fn, jobs[i]).result()
        except BrokenProcessPool:
            results[i] = on_crash(jobs[i])
    return results


def can_run_beside() -> bool:
    """Whether a second process may run beside this one: more than one core, and this process is not
    itself a worker of another."""
    import multiprocessing

    return (os.cpu_count() or 1) > 1 and multiprocessing.parent_process() is None


def side_by_side(here: Callable[[], T], there: Callable[..., U], args: tuple = (), parallel: bool = True
                 ) -> tuple[T, U]:
    """``(here(), there(*args))``, with ``there`` in a second process while ``here`` runs in this one,
    when ``parallel`` and :func:`can_run_beside`; else one after the other.

    The second process is a fresh interpreter (spawned, on every platform): ``there`` must be a
    module-level function and ``args`` picklable, so give it only what it needs; a forked copy would
    share the whole heap and copy every page this process touches meanwhile. An exception in either
    is raised here, ``here``'s first; when ``here`` fails or is interrupted the other process is
    stopped (SIGTERM interrupts it like Ctrl-C, so its ``finally`` blocks remove its temporary
    files). A process that dies without a word (killed) is a :class:`BesideDied`."""
    if not (parallel and can_run_beside()):
        return here(), there(*args)
    import multiprocessing
    import threading

    ctx = multiprocessing.get_context("spawn")
    receive, results = ctx.Pipe(duplex=False)
    jobs, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_beside, args=(jobs, results), daemon=True)
    proc.start()  # the job goes through its own pipe, from a thread: this one goes on with ``here`` meanwhile
    results.close()
    jobs.close()
    unsent: list[BaseException] = []
    sender = threading.Thread(target=_send, args=(send, (there, args), unsent), daemon=True)
    sender.start()
    done = False
    try:
        mine = here()
        try:
            status, theirs = receive.recv()
        except EOFError:
            proc.join()
            raise BesideDied(f"并行写出的子进程意外退出（退出码 {proc.exitcode}）") from None
        done = True
    finally:
        if not done and proc.is_alive():
            proc.terminate()
        proc.join()
        sender.join()
        receive.close()
    if unsent and not isinstance(unsent[0], OSError):
        raise unsent[0]  # the job could not be sent (not picklable): the other process had nothing to do
    if status == "error":
        raise theirs
    return mine, theirs


class BesideDied(RuntimeError):
    """The second process of :func:`side_by_side` ended without a word (killed, crashed at start)."""


def _send(conn, job, unsent: list[BaseException]) -> None:
    """Hand ``job`` to the other process (a pipe holds 64 KiB: this waits until it has read it)."""
    try:
        conn.send(job)
    except BaseException as exc:  # it died first (OSError), or the job does not pickle: side_by_side tells
        unsent.append(exc)
    finally:
        conn.close()


def _beside(jobs, results) -> None:
    """The second process of :func:`side_by_side`: take the job, run it, send back the result or the exception."""
    install_signal_handlers()
    try:
        there, args = jobs.recv()
        out = ("ok", there(*args))
    except BaseException as exc:  # sent back and raised in the parent
        out = ("error", exc)
    try:
        results.send(out)
    except Exception as exc:  # a result or exception that cannot be pickled
        results.send(("error", RuntimeError(f"{type(out[1]).__name__}: {out[1]}"[:2000] + f"（{exc}）")))
