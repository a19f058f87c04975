"""Replacing a targets directory without losing or clobbering anything (``score import``'s write path).

:func:`check_destination` refuses, before anything is read or written, a destination whose
replacement would clobber an input or cannot be done; :func:`carry_over` brings the files the tool
does not manage into the new directory (hard links: the same files, not copies); :func:`replace_dir`
swaps the new directory in with two renames, Ctrl-C and SIGTERM held back between them;
:func:`restore_swap` puts back a directory whose swap was killed halfway.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from scoring.files import check_output
from scoring.findings import ScoreError


def check_destination(directory: str | os.PathLike, outputs: Iterable[str] = ()) -> None:
    """Refuse, before anything is read or written, a targets directory whose replacement would
    clobber an input or cannot be done: an existing file (the source itself, say) instead of a
    folder; the current folder or one above it (replacing it would move the folder the command runs
    in); an output file (``outputs``: the names it will write) that is an input of this command
    (:func:`scoring.files.protected_inputs`); a pipe, device or socket inside (it cannot be carried over)."""
    directory = Path(directory)
    if os.path.lexists(directory) and not directory.is_dir():
        raise ScoreError("输出位置是一个已有的文件，不是文件夹；导入会把它换成一个文件夹，已停止（没有改动任何文件）",
                         where=str(directory), hint="请用 --out 指定目标目录（文件夹，不存在时会新建），例如 --out targets/2023")
    here = Path.cwd().resolve()
    target = directory.resolve()
    if target == here or target in here.parents:
        raise ScoreError("输出目录是当前文件夹或它的上级：导入会整体替换这个目录（连同当前文件夹），已停止（没有改动任何文件）",
                         where=str(directory), hint="请用 --out 指定一个专门的目标目录，例如 --out targets/2023")
    for name in outputs:
        check_output(directory / name)
    if directory.is_dir():
        for root, dirs, names in os.walk(directory):
            for name in (*dirs, *names):
                path = Path(root) / name
                mode = os.lstat(path).st_mode
                if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode)):
                    raise ScoreError("目标目录里有管道、设备或套接字文件，导入时无法把它带到新目录，已停止（没有改动任何文件）",
                                     where=str(path), hint="请把它移出目标目录，或用 --out 指定另一个目录")


def carry_over(entry: Path, dest: Path) -> None:
    """An unmanaged entry of the old directory into the new one: a file hard-linked (the same
    file, not a copy; copied where links are not possible), a link as a link, a folder entry by entry."""
    if entry.is_symlink():
        os.symlink(os.readlink(entry), dest)
    elif entry.is_dir():
        dest.mkdir()
        for child in entry.iterdir():
            carry_over(child, dest / child.name)
    else:
        try:
            os.link(entry, dest)
        except OSError:
            shutil.copy2(entry, dest)


def replace_dir(new: Path, directory: Path) -> None:
    """``new`` in the place of ``directory``: two renames, with Ctrl-C and SIGTERM held back between them."""
    from scoring.publish import deferred_signals

    if not directory.exists():
        os.replace(new, directory)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{directory.name}.old-", dir=directory.parent))
    old.rmdir()
    with deferred_signals():
        os.replace(directory, old)
        try:
            os.replace(new, directory)
        except BaseException:
            os.replace(old, directory)
            raise
    shutil.rmtree(old, ignore_errors=True)


def restore_swap(directory: Path) -> None:
    """A directory missing while its old copy waits beside it (a run killed between the two renames
    of :func:`replace_dir`): put the old copy back."""
    if os.path.lexists(directory):
        return
    olds = sorted(directory.parent.glob(f".{directory.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if olds:
        with contextlib.suppress(OSError):
            os.replace(olds[-1], directory)
