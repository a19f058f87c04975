"""Work in other processes: a pool of workers (:func:`map_in_processes`), a second writer beside
this process (:func:`side_by_side`), and how every such process is started and ended.

- **No code from the current folder.** A fresh interpreter started with ``-c`` puts the current
  folder first on its import path, so a folder ``multiprocessing/`` or ``scoring/`` beside the user's
  files (an unpacked submission) would run as the tool. Every interpreter started here gets
  ``PYTHONSAFEPATH=1`` (:func:`safe_path`): the current folder is never on its path; what it imports
  comes from where this process imports it (the precheck runs with ``-I``, :mod:`scoring.precheck`).
- **Dies with its parent.** A worker or second process asks the kernel to kill it when its parent
  dies (Linux ``PR_SET_PDEATHSIG``) and watches its parent besides (any system): it never outlives a
  parent killed with SIGKILL, and it never publishes (it writes into its parent's publication,
  :mod:`scoring.publish`; only the parent renames files into place).
- **Quiet.** A worker ignores Ctrl-C (its parent handles it and stops it) and ends without a
  traceback when stopped or orphaned.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")
U = TypeVar("U")
PR_SET_PDEATHSIG = 1
_ENV_LOCK = threading.Lock()


@contextlib.contextmanager
def safe_path() -> Iterator[None]:
    """While open, interpreters started from this process do not put the current folder on their
    import path (``PYTHONSAFEPATH``, Python 3.11+; ``-I`` implies it)."""
    with _ENV_LOCK:
        saved = os.environ.get("PYTHONSAFEPATH")
        os.environ["PYTHONSAFEPATH"] = "1"
        try:
            yield
        finally:
            if saved is None:
                os.environ.pop("PYTHONSAFEPATH", None)
            else:
                os.environ["PYTHONSAFEPATH"] = saved


def die_with_parent(parent: int | None = None) -> None:
    """End this process when its parent ends: the kernel's parent-death signal where there is one,
    and a watcher thread everywhere (it notices a new parent: the old one is gone)."""
    parent = parent or os.getppid()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before we asked
        os._exit(1)

    def watch() -> None:
        import time

        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _worker_start(parent: int, unwind: bool = False) -> None:
    """A worker's start: Ctrl-C is its parent's business; it dies with its parent. SIGTERM ends a pool
    worker at once (it writes only into its parent's private folder); ``unwind``: it interrupts like
    Ctrl-C, so the ``finally`` blocks remove what it was writing."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if unwind:
        from scoring.files import install_signal_handlers

        install_signal_handlers()
    else:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if hasattr(signal, "SIGHUP"):
            signal.signal(signal.SIGHUP, signal.SIG_DFL)
    die_with_parent(parent)


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_worker_start, initargs=(os.getpid(),))


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers now (an interruption must not wait for their jobs)."""
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            proc.terminate()


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
    with safe_path():
        pool = _pool(max(1, min(workers, len(jobs))))
        try:
            futures = [pool.submit(fn, j) for j in jobs]
            for i, fut in enumerate(futures):
                try:
                    results[i] = fut.result()
                except BrokenProcessPool:
                    if on_crash is None:
                        raise
                    failed.append(i)
        except BaseException:
            _stop(pool)
            raise
        pool.shutdown(wait=True)
        for i in failed:
            pool = _pool(1)
            try:
                results[i] = pool.submit(fn, jobs[i]).result()
            except BrokenProcessPool:
                results[i] = on_crash(jobs[i])
            except BaseException:
                _stop(pool)
                raise
            pool.shutdown(wait=True)
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
    stopped. A process that dies without a word (killed) is a :class:`BesideDied`."""
    if not (parallel and can_run_beside()):
        return here(), there(*args)
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    receive, results = ctx.Pipe(duplex=False)
    jobs, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_beside, args=(jobs, results, os.getpid()), daemon=True)
    with safe_path():
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
            sender.join()
            if unsent and not isinstance(unsent[0], OSError):
                raise unsent[0] from None  # the job could not be sent (not picklable): the other process had nothing to do
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


def _beside(jobs, results, parent: int) -> None:
    """The second process of :func:`side_by_side`: take the job, run it, send back the result or the
    exception. Stopped (SIGTERM) or orphaned, it ends at once and says nothing: what it wrote is in
    its parent's private folder, removed with it."""
    _worker_start(parent, unwind=True)
    try:
        there, args = jobs.recv()
        out = ("ok", there(*args))
    except (EOFError, OSError) as exc:
        if isinstance(exc, EOFError) or os.getppid() != parent:
            os._exit(1)  # the parent is gone before the job came
        out = ("error", exc)
    except KeyboardInterrupt:  # stopped by its parent (SIGTERM): what it wrote is removed; nothing to say
        os._exit(130)
    except BaseException as exc:  # sent back and raised in the parent
        out = ("error", exc)
    try:
        results.send(out)
    except (OSError, EOFError):  # the parent is gone: nobody to tell
        os._exit(1)
    except Exception as exc:  # a result or exception that cannot be pickled
        with contextlib.suppress(Exception):
            results.send(("error", RuntimeError(f"{type(out[1]).__name__}: {out[1]}"[:2000] + f"（{exc}）")))
