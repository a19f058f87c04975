"""The entry point: route ``score YEAR`` to the main job, run a command, turn failures into exit codes.

Exit codes: 0 success; 1 findings (``score check`` errors, ``--strict`` problems);
2 bad input or usage (a Chinese message, never a traceback); 3 internal error.
"""

from __future__ import annotations

import atexit
import codecs
import contextlib
import gc
import os
import re
import sys
import threading
import unicodedata
from pathlib import Path

# the commands register themselves with the parser as they are imported, in the order of `score --help`
from scoring.cli import parse, rate, targets, run, template, monitor, review  # noqa: F401  isort: skip
from scoring.cli.parser import COMMANDS, PROG, build_parser
from scoring.findings import ScoreError
from scoring.printable import clean


def unknown_command(word: str) -> str:
    """What to say for a first word that is neither a year nor a command: the command or year meant."""
    import difflib

    from scoring import workspace
    from scoring.reports.terminal import suggest_year

    visible = [name for name in COMMANDS if name != "run"]
    year = suggest_year(word, Path(workspace.TARGETS))
    if year:
        return f"“{word}”不是四位数的年度。您是不是要运行：{PROG} {year}"
    close = difflib.get_close_matches(word, visible, n=1, cutoff=0.5)
    if close:
        return f"没有“{word}”这个命令。您是不是要运行：{PROG} {close[0]}"
    return (f"没有“{word}”这个命令。可用的命令：{PROG} YEAR（例如 {PROG} 2023）、"
            + "、".join(f"{PROG} {n}" for n in visible) + f"；详细用法：{PROG} --help")


# what a console that cannot show a character (a GBK console: ›) shows instead
_CONSOLE_FALLBACK = {"›": ">", "‹": "<", "–": "-", "−": "-", "✓": "v", "✗": "x", "⇥": "->", "→": "->", "≈": "~",
                     "≯": "不超过", "≮": "不少于", "㎡": "m2", "²": "2", "³": "3", "\u00a0": " "}


def _console_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return "".join(_CONSOLE_FALLBACK.get(ch, "?") for ch in exc.object[exc.start:exc.end]), exc.end


codecs.register_error("score-console", _console_fallback)


class ClosedInput:
    """Standard input that was closed (``<&-``): reading it is a usage error, said in Chinese."""

    def _closed(self, *_args):
        raise ScoreError("标准输入已关闭（例如 <&-），没有可以读取的内容",
                         hint=f"请在命令行给出参数，或从文件输入，如：{PROG} parse < 指标值.txt、{PROG} rate < 指标.txt")

    __iter__ = read = readline = _closed


def _streams() -> bool:
    """Standard streams the way the commands need them: a closed standard input reads as a Chinese
    usage error, a console that cannot encode a character shows a stand-in instead of failing.
    False when standard output is closed (``>&-``): nothing could be said there."""
    if sys.stdin is None:
        sys.stdin = ClosedInput()
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
        if not encoding.startswith("utf") and hasattr(stream, "reconfigure"):
            with contextlib.suppress(Exception):
                stream.reconfigure(errors="score-console")
    return sys.stdout is not None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not _streams():
        if sys.stderr is not None:
            sys.stderr.write("错误：标准输出已关闭（例如 >&-），无法输出结果，已停止（没有读写任何文件）\n"
                             "  处理建议：请把输出重定向到文件或 /dev/null，如：> 结果.txt\n")
        return 2
    parser = build_parser()
    if not argv:
        parser.print_help()
        return 0
    first = unicodedata.normalize("NFKC", argv[0]).strip()
    # `score 2023 ...` is the main job: route a leading year to the internal `run` command.
    if re.fullmatch(r"\d{4}", first):
        argv = ["run", first, *argv[1:]]
    elif not first.startswith("-") and first not in COMMANDS:
        sys.stderr.write(f"{PROG}：错误：{unknown_command(first)}\n")
        return 2
    try:  # argparse exits on --help and on usage errors: return its code (in-process callers keep running)
        args, extra = parser.parse_known_args(argv)
        if extra:
            command_parser = parser.commands.get(getattr(args, "command", None) or "", parser)
            command_parser.error(f"无法识别的参数: {' '.join(extra)}")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    from scoring.files import install_signal_handlers, write_error
    from scoring.publish import reset

    install_signal_handlers()  # SIGTERM/SIGHUP clean up like Ctrl-C: no temporary file stays behind
    reset()
    try:
        return int(args.handler(args) or 0)
    except ScoreError as exc:
        sys.stderr.write(f"错误：{clean(exc.render())}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(interrupted(reset()))
        return 130
    except MemoryError:
        sys.stderr.write("错误：内存不足，输入过大，已停止（没有写出任何文件）\n"
                         "  处理建议：请把数据拆分到多个工作簿（按部门填报：score YEAR --actuals 文件夹），或在内存更大的机器上运行\n")
        return 2
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the environment (permissions, a full disk, a vanished file), not a bug
        if exc.errno is None or os.environ.get("SCORE_DEBUG"):
            return _internal_error(exc)
        err = write_error(exc, exc.filename or "", "无法读写文件")
        sys.stderr.write(f"错误：{clean(err.render())}\n")
        return 2
    except Exception as exc:  # a bug, not bad input: say so plainly, traceback only on request
        return _internal_error(exc)


def interrupted(published: list[Path]) -> str:
    """What an interruption says: the reports it came too late to stop, or that nothing changed."""
    if published:
        return (f"已中断；中断时报告已经全部写出：{'、'.join(clean(str(p)) for p in published)}"
                "（各文件是同一次运行的完整结果）。\n")
    return "已中断，未写出任何报告（原有的报告文件没有改动，临时文件已删除）。\n"


def _internal_error(exc: Exception) -> int:
    if os.environ.get("SCORE_DEBUG"):
        raise exc
    sys.stderr.write(f"内部错误（程序缺陷，不是您的数据问题）：{type(exc).__name__}: {clean(exc)}\n"
                     "请把这条信息和所用的文件一起反馈给维护人员；设置环境变量 SCORE_DEBUG=1 可看到详细信息。\n")
    return 3


GC_THRESHOLDS = (10_000, 10, 10)


def entry() -> int:
    """The ``score`` command: :func:`main` with the collector tuned for a batch run, then out at once
    (:func:`exit_now`).

    A run allocates millions of objects that live to its end (rows, readings, texts). With Python's
    default thresholds (700, 10, 10) the cyclic collector ran about 650 times and took 0.33 s of a
    6.5 s run at 100,000 indicators, to find almost nothing; a young generation of 10,000 objects
    takes it to about 0.1 s. Cycles are still collected. (:func:`main` itself, which tests call in
    their own process, leaves the collector as it is.)"""
    gc.set_threshold(*GC_THRESHOLDS)
    code = main()
    _settled()
    exit_now(code)
    return code  # reached only when leaving at once was not safe


def _settled() -> None:
    """The run is over and has said so: a Ctrl-C or SIGTERM from now on changes nothing (it would
    only print a traceback on the way out)."""
    import signal

    for sig in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is not None:
            with contextlib.suppress(ValueError, OSError):
                signal.signal(sig, signal.SIG_IGN)


def exit_now(code: int) -> None:
    """End the process with ``code`` without freeing its objects one by one.

    A run holds millions of small objects (a province's rows, the parse caches); the interpreter
    freeing them at shutdown took 0.3 s of a 7 s run at 100,000 indicators (issue 14), for nothing:
    every file is written, renamed and closed by then. The exit handlers still run and the output is
    flushed; only the freeing is skipped. Returns (the usual exit follows) while another thread works."""
    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if others or run_exit_handlers is None:
        return
    run_exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe (score … | head): nothing more can be said there
            pass
    os._exit(code)
