"""The command line's parser: the registry of subcommands, argparse in Chinese, the year argument."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable

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

    @property
    def commands(self) -> dict[str, argparse.ArgumentParser]:
        """The subcommands' parsers by name (so an unknown option is reported by its own command)."""
        if not hasattr(self, "_commands"):
            self._commands: dict[str, argparse.ArgumentParser] = {}
        return self._commands


def year_arg(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text.strip()):
        raise argparse.ArgumentTypeError(f"“{text}”不是四位数的年度，例如 2023")
    return int(text)


def build_parser() -> ChineseArgumentParser:
    lines = [f"  {PROG} YEAR{' ' * 7}按年度给全部项目打分并生成审计报告（例如：{PROG} 2023）"]
    lines += [f"  {PROG} {name:<10} {help_text}" for name, (help_text, _, _) in COMMANDS.items() if name != "run"]
    parser = ChineseArgumentParser(
        prog=PROG, usage=f"{PROG} YEAR [选项]\n       {PROG} 命令 [选项]",
        description="绩效自评：按官方评分规则给项目支出绩效目标表打分，并出具可逐项复核的报告。",
        epilog="命令：\n" + "\n".join(lines) + f"\n\n每个命令的详细用法：{PROG} 命令 --help",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # the commands are listed in the epilog; SUPPRESS keeps argparse from printing an empty 位置参数 section
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser,
                                help=argparse.SUPPRESS)
    for name, (help_text, configure, handler) in COMMANDS.items():
        if name == "run":  # internal: users write `score YEAR`; its help and errors say so, never "run"
            p = sub.add_parser(name, prog=PROG, usage=f"{PROG} YEAR [选项]", description=help_text)
        else:
            p = sub.add_parser(name, prog=f"{PROG} {name}", description=help_text)
        configure(p)
        p.set_defaults(handler=handler)
        parser.commands[name] = p
    return parser

