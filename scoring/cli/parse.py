"""``score parse``: read target texts and show the comparator, value, unit and assumptions."""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Iterable

from scoring.cli.output import cell, console, write_out
from scoring.cli.parser import command, year_arg
from scoring.vocab import TargetKind


def _configure_parse(p: argparse.ArgumentParser) -> None:
    p.add_argument("exprs", nargs="*", metavar="EXPR", help="指标值原文；不给时从标准输入逐行读取（“指标名<TAB>指标值”或“指标值”）")
    p.add_argument("--indicator", help="三级指标名称，用于判断裸值的方向（如“故障次数”按“不超过”理解）")
    p.add_argument("--year", type=year_arg, help="评价年度，用于“每年12月31日前”这类时限")
    p.add_argument("--rules", help="评分规则：名称或 YAML 文件路径（默认 national）；按其词表（words:）读指标值")
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


TABLE_ROWS = 200  # more lines than this are written as they are read, one tab-separated line each
COLUMNS = ("原文", "类型", "比较", "数值", "单位", "假设")


def _row(text: str, c) -> tuple[str, ...]:
    """One reading as the table's cells."""
    from scoring.language.comparator import OP_SYMBOL
    from scoring.language.numerals import fmt_number

    if c.kind == TargetKind.RANGE:
        number = f"{fmt_number(c.value)}–{fmt_number(c.high)}"
    elif c.kind == TargetKind.DEADLINE:
        number = c.deadline_text()
    else:
        number = fmt_number(c.value)
    note = "；".join(c.assumptions + ((c.reason,) if c.reason else ()))
    compare = OP_SYMBOL.get(c.op or "", "区间" if c.op == "between" else "")
    if c.baseline is not None:  # a change: 较上年下降, 较50000元增长
        compare = f"较{c.baseline.describe()}{compare}"
    return text, c.kind.label, compare, number, c.unit, note


@command("parse", "解析指标值（如“不少于30万人次”），显示读出的比较方式、数值、单位和假设", _configure_parse)
def cmd_parse(args: argparse.Namespace) -> int:
    """A table for a few texts; for more than :data:`TABLE_ROWS` (a file on standard input) one
    tab-separated line per text, written as it is read (a table of a million rows would be laid out
    only at the end, in minutes and gigabytes)."""
    from scoring.language.expressions import parse
    from scoring.rubric.profile_file import load_profile

    lexicon = load_profile(args.rules).lexicon
    items = _parse_items(args)
    if args.json:
        for indicator, text in items:
            write_out(json.dumps(parse(text, indicator, args.year, lexicon).to_json(), ensure_ascii=False), raw=True)
        return 0
    first = list(itertools.islice(items, TABLE_ROWS + 1))
    if len(first) > TABLE_ROWS:
        sys.stderr.write(f"（超过 {TABLE_ROWS} 行：逐行输出，各列以制表符分隔）\n")
        write_out("\t".join(COLUMNS))
        for indicator, text in itertools.chain(first, items):
            write_out("\t".join(v.replace("\t", " ").replace("\n", " ") for v in _row(text, parse(text, indicator, args.year, lexicon))))
        return 0
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    for col in COLUMNS:
        table.add_column(col, overflow="fold")
    for indicator, text in first:
        table.add_row(*map(cell, _row(text, parse(text, indicator, args.year, lexicon))))
    console().print(table)
    return 0
