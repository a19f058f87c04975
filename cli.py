"""`score`: the command line of 绩效自评. Arguments, terminal output and exit codes only;
all scoring logic lives in the ``scoring`` package.

Exit codes: 0 success; 1 findings (``score check`` errors, ``--strict`` problems);
2 bad input or usage (a Chinese message, never a traceback); 3 internal error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Iterable

from scoring.errors import ScoreError

PROG = "score"

COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {}


def command(name: str, help_text: str, configure: Callable[[argparse.ArgumentParser], None]):
    """Register a subcommand: its one-line Chinese help, its arguments and its handler."""

    def wrap(handler: Callable[[argparse.Namespace], int]):
        COMMANDS[name] = (help_text, configure, handler)
        return handler

    return wrap


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its fixed phrases in Chinese and usage errors as exit 2 without traceback."""

    def error(self, message: str):  # pragma: no cover - exercised through the CLI tests
        message = (message.replace("the following arguments are required", "缺少必需的参数")
                   .replace("unrecognized arguments", "无法识别的参数")
                   .replace("invalid choice", "无效的选项")
                   .replace("expected one argument", "需要一个参数")
                   .replace("argument ", "参数 ")
                   .replace("invalid int value", "不是整数")
                   .replace("invalid float value", "不是数字")
                   .replace("choose from", "可选"))
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}：错误：{message}\n")
        sys.exit(2)

    def format_help(self) -> str:
        text = super().format_help()
        return (text.replace("usage:", "用法：").replace("positional arguments:", "位置参数：")
                .replace("options:", "选项：").replace("show this help message and exit", "显示本帮助并退出"))

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "用法：")


def year_arg(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text.strip()):
        raise argparse.ArgumentTypeError(f"“{text}”不是四位数的年度，例如 2023")
    return int(text)


def build_parser() -> ChineseArgumentParser:
    lines = [f"  {PROG} YEAR{' ' * 7}按年度给全部项目打分并生成审计报告（例如：{PROG} 2023）"]
    lines += [f"  {PROG} {name:<10} {help_text}" for name, (help_text, _, _) in COMMANDS.items() if name != "run"]
    parser = ChineseArgumentParser(
        prog=PROG,
        description="绩效自评：按官方评分规则给项目支出绩效目标表打分，并出具可逐项复核的报告。",
        epilog="命令：\n" + "\n".join(lines) + f"\n\n每个命令的详细用法：{PROG} 命令 --help",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)
    for name, (help_text, configure, handler) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        configure(p)
        p.set_defaults(handler=handler)
    return parser


def write_out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


# ---------------------------------------------------------------------------------------------
# score parse
# ---------------------------------------------------------------------------------------------

def _configure_parse(p: argparse.ArgumentParser) -> None:
    p.add_argument("exprs", nargs="*", metavar="EXPR", help="指标值原文；不给时从标准输入逐行读取（“指标名<TAB>指标值”或“指标值”）")
    p.add_argument("--indicator", help="三级指标名称，用于判断裸值的方向（如“故障次数”按“不超过”理解）")
    p.add_argument("--year", type=year_arg, help="评价年度，用于“每年12月31日前”这类时限")
    p.add_argument("--json", action="store_true", help="每行输出一个 JSON 对象")


def _parse_items(args: argparse.Namespace) -> Iterable[tuple[str | None, str]]:
    if args.exprs:
        for e in args.exprs:
            yield args.indicator, e
        return
    for line in sys.stdin:
        line = line.rstrip("\r\n")
        if "\t" in line:
            indicator, text = line.split("\t", 1)
            yield (indicator or args.indicator), text
        else:
            yield args.indicator, line


@command("parse", "解析指标值（如“不少于30万人次”），显示读出的比较方式、数值、单位和假设", _configure_parse)
def cmd_parse(args: argparse.Namespace) -> int:
    from scoring.expressions import parse

    items = _parse_items(args)
    if args.json:
        for indicator, text in items:
            write_out(json.dumps(parse(text, indicator, args.year).to_json(), ensure_ascii=False))
        return 0
    from rich.table import Table

    from scoring.comparator import KIND_NAME, OP_SYMBOL, fmt_number

    table = Table(show_lines=False, header_style="bold")
    for col in ("原文", "类型", "比较", "数值", "单位", "假设"):
        table.add_column(col, overflow="fold")
    for indicator, text in items:
        c = parse(text, indicator, args.year)
        if c.kind == "range":
            number = f"{fmt_number(c.value)}–{fmt_number(c.high)}"
        elif c.kind == "deadline":
            number = c.date or ""
        else:
            number = fmt_number(c.value)
        note = "；".join(c.assumptions + ((c.reason,) if c.reason else ()))
        table.add_row(text, KIND_NAME[c.kind], OP_SYMBOL.get(c.op or "", "区间" if c.op == "between" else ""),
                      number, c.unit, note)
    console().print(table)
    return 0


# ---------------------------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # `score 2023 ...` is the main job: route a leading year to the `run` command.
    if argv and re.fullmatch(r"\d{4}", argv[0]) and "run" in COMMANDS:
        argv = ["run", *argv]
    parser = build_parser()
    if not argv:
        parser.print_help()
        return 0
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except ScoreError as exc:
        sys.stderr.write(f"错误：{exc.render()}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("已中断，未写出任何报告。\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not bad input: say so plainly, traceback only on request
        if os.environ.get("SCORE_DEBUG"):
            raise
        sys.stderr.write(f"内部错误（程序缺陷，不是您的数据问题）：{type(exc).__name__}: {exc}\n"
                         "请把这条信息和所用的文件一起反馈给维护人员；设置环境变量 SCORE_DEBUG=1 可看到详细信息。\n")
        return 3


if __name__ == "__main__":
    sys.exit(main())
