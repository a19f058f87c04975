"""`score`: the command line of 绩效自评. Arguments, terminal output and exit codes only;
all scoring logic lives in the ``scoring`` package.

Exit codes: 0 success; 1 findings (``score check`` errors, ``--strict`` problems);
2 bad input or usage (a Chinese message, never a traceback); 3 internal error.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import json
import math
import os
import re
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from scoring.findings import ScoreError
from scoring.printable import clean

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


def write_out(text: str = "", *, raw: bool = False) -> None:
    """One line on standard output; text from users' files is cleaned of control characters
    (``raw`` for JSON, which escapes its own)."""
    sys.stdout.write((text if raw else clean(text)) + "\n")


def console(stderr: bool = False, live: bool = False):
    """A rich console. ``live``: for the progress bar, drawn as on a terminal when SCORE_PROGRESS=1 asks."""
    from rich.console import Console

    force = True if live and os.environ.get("SCORE_PROGRESS") else None
    return Console(stderr=stderr, highlight=False, soft_wrap=False, force_terminal=force)


def _cell(text: object) -> str:
    """A table cell from users' files: control characters shown, not obeyed; rich markup escaped."""
    from rich.markup import escape

    return escape(clean("" if text is None else text))


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
    from scoring.language.expressions import parse

    items = _parse_items(args)
    if args.json:
        for indicator, text in items:
            write_out(json.dumps(parse(text, indicator, args.year).to_json(), ensure_ascii=False), raw=True)
        return 0
    from rich.table import Table

    from scoring.language.comparator import KIND_NAME, OP_SYMBOL
    from scoring.language.numerals import fmt_number

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
        compare = OP_SYMBOL.get(c.op or "", "区间" if c.op == "between" else "")
        if c.baseline is not None:  # a change: 较上年下降, 较50000元增长
            compare = f"较{c.baseline.describe()}{compare}"
        table.add_row(*map(_cell, (text, KIND_NAME[c.kind], compare, number, c.unit, note)))
    console().print(table)
    return 0


# ---------------------------------------------------------------------------------------------
# score rate
# ---------------------------------------------------------------------------------------------

RATE_DEFAULT_WEIGHT = 10.0


def _configure_rate(p: argparse.ArgumentParser) -> None:
    p.add_argument("--target", help="年度指标值原文（如“≥2次”）；不给时从标准输入逐行读取"
                                     "“指标名<TAB>指标值<TAB>实际完成值<TAB>分值<TAB>基数”（分值、基数可省）")
    p.add_argument("--actual", help="实际完成值（如“3”“96%%”“2023年11月30日”“部分达成 70%%”）")
    p.add_argument("--weight", type=float, help=f"分值，不给时按 {RATE_DEFAULT_WEIGHT:g} 分计")
    p.add_argument("--baseline", help="基数（上年实际值），用于“同比下降4%%”“比上年提高2个百分点”这类变化目标")
    p.add_argument("--indicator", help="三级指标名称，用于判断裸值的方向和满意度指标")
    p.add_argument("--rules", default="national", help="评分规则：名称（national、sichuan、integrated）或 YAML 文件路径")
    p.add_argument("--year", type=year_arg, help="评价年度，用于“每年12月31日前”这类时限（不给时按完成日期所在年度）")
    p.add_argument("--json", action="store_true", help="每个指标输出一行 JSON")


def _rate_baseline(text: str | None) -> float | None:
    """A 基数 given to ``score rate``: a number, None when blank; ValueError otherwise."""
    if text is None or not text.strip():
        return None
    value = float(text.strip().replace(",", ""))
    if value != value:
        raise ValueError
    return value


def _rate_items(args: argparse.Namespace) -> list[tuple[int, str, str, str, float | None, str | None, float | None]]:
    """(line number, indicator, target, actual, weight or None, error or None, baseline or None) per indicator."""
    if args.target is not None:
        try:
            base = _rate_baseline(args.baseline)
        except ValueError:
            raise ScoreError(f"--baseline 应当是数值，现在是“{args.baseline}”", hint="例如：--baseline 100") from None
        if args.actual is None:
            raise ScoreError("给了 --target 但没有 --actual", hint="例如：score rate --target '≥2次' --actual 3")
        if args.weight is not None and not (args.weight > 0 and math.isfinite(args.weight)):
            raise ScoreError(f"--weight 应当是正数，现在是 {args.weight:g}")
        return [(1, args.indicator or "", args.target, args.actual, args.weight, None, base)]
    if args.actual is not None:
        raise ScoreError("给了 --actual 但没有 --target", hint="两者一起给，或都不给而从标准输入逐行读取")
    items = []
    for number, line in enumerate(sys.stdin, start=1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < 3 or len(fields) > 5:
            items.append((number, "", "", "", None, f"第 {number} 行应为“指标名<TAB>指标值<TAB>实际完成值<TAB>分值<TAB>基数”"
                                                   f"（分值、基数可省），现在有 {len(fields)} 列", None))
            continue
        indicator, target, actual = fields[0].strip() or (args.indicator or ""), fields[1], fields[2]
        weight, error = args.weight, None
        if len(fields) == 4 and fields[3].strip():
            try:
                weight = float(fields[3].strip())
                if not (weight > 0 and math.isfinite(weight)):
                    raise ValueError
            except ValueError:
                error = f"第 {number} 行的分值“{fields[3].strip()}”不是正数"
        base = None
        try:
            base = _rate_baseline(fields[4] if len(fields) == 5 else None)
        except ValueError:
            error = error or f"第 {number} 行的基数“{fields[4].strip()}”不是数值"
        items.append((number, indicator, target, actual, weight, error, base))
    return items


@command("rate", "给一个指标打分并显示算式（如 --target ≥2次 --actual 3）；不给 --target 时逐行读标准输入", _configure_rate)
def cmd_rate(args: argparse.Namespace) -> int:
    import pandas as pd

    from scoring.language.numerals import json_number
    from scoring.rubric.engine import score_indicators
    from scoring.rubric.profile import load_profile

    profile = load_profile(args.rules)
    items = _rate_items(args)
    good = [it for it in items if it[5] is None]
    frame = pd.DataFrame({
        "id": [it[0] for it in good], "project": "score rate", "level1": "", "level2": "",
        "level3": [it[1] for it in good], "annual_value": [it[2] for it in good],
        "weight": [RATE_DEFAULT_WEIGHT if it[4] is None else it[4] for it in good],
        "actual": pd.Series([it[3] for it in good], dtype=object), "actual_is_percent": False,
        "reason_text": "", "cell": [f"第 {it[0]} 行" if args.target is None else "" for it in good],
        "baseline": [math.nan if it[6] is None else it[6] for it in good],
    })
    rows = score_indicators(frame, None, profile, args.year).indicators if good else None
    by_line = {} if rows is None else {int(r["id"]): r for r in rows.to_dict("records")}
    failed = False
    if not args.json and args.target is not None and good:
        _print_rate(by_line[1], args.weight is None, profile)
        return 0
    for number, indicator, _target, _actual, weight, error, _base in items:
        if error:
            failed = True
            write_out(json.dumps({"line": number, "error": error}, ensure_ascii=False) if args.json else f"错误：{error}",
                      raw=args.json)
            continue
        r = by_line[number]
        if args.json:
            ratio = r["ratio"]
            write_out(json.dumps({
                "indicator": indicator or None, "verdict": r["verdict"], "score": r["score"], "weight": r["weight"],
                "ratio": None if ratio is None or math.isnan(ratio) else round(float(ratio), 6),
                "explanation": r["explanation"], "assumptions": list(r["assumptions"]), "flags": list(r["flags"]),
                "actual": r["actual_normalised"], "target": r["comparator"].to_json(),
                "default_weight": weight is None, "needs_reason": bool(r["needs_reason"]), "rules": profile.name,
                "hint": r["hint"] or None, "baseline": json_number(r["baseline"]), "change": json_number(r["change"]),
            }, ensure_ascii=False), raw=True)
        else:
            notes = "；".join(r["assumptions"] + r["flags"] + ((f"处理建议：{r['hint']}",) if r["hint"] else ()))
            write_out("\t".join([indicator, r["reading"], r["actual_normalised"], r["verdict"],
                                 f"{r['score']:.{profile.decimals}f}/{r['weight']:g}", r["explanation"], notes]))
    return 2 if failed else 0


def _print_rate(r: dict, default_weight: bool, profile) -> None:
    from scoring.language.comparator import KIND_NAME

    c = r["comparator"]
    lines = []
    if r["level3"]:
        lines.append(f"指标：{r['level3']}")
    lines.append(f"指标值：{c.text}  →  读作 {c.reading()}（{KIND_NAME.get(c.kind, c.kind)}）")
    shown = r["actual_normalised"] or "（空）"
    lines.append(f"实际完成值：{r['actual']}  →  读作 {shown}")
    lines.append(f"判定：{r['verdict']}")
    weight_note = f"（未给 --weight，按 {RATE_DEFAULT_WEIGHT:g} 分计）" if default_weight else ""
    lines.append(f"得分：{r['score']:.{profile.decimals}f} / {r['weight']:g}{weight_note}")
    lines.append(f"算式：{r['explanation']}")
    if r["assumptions"]:
        lines.append("假设：")
        lines += [f"  - {a}" for a in r["assumptions"]]
    if r["flags"]:
        lines.append("提示：")
        lines += [f"  - {f}" for f in r["flags"]]
    if r["hint"]:
        lines.append(f"处理建议：{r['hint']}")
    if r["needs_reason"]:
        lines.append("须填写偏差原因分析及改进措施。")
    lines.append(f"评分规则：{profile.describe()}")
    for line in lines:
        write_out(line)


# ---------------------------------------------------------------------------------------------
# score import / score targets / score check  (targets as data: targets/<year>/)
# ---------------------------------------------------------------------------------------------

def _targets_dir(args: argparse.Namespace) -> str:
    return args.dir or os.path.join("targets", str(args.year))


def _configure_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="绩效目标表：Excel 工作簿（.xlsx）、Word 文档（.docx）、PDF 提取出的文本（.txt，制表符或空格分隔），"
                        "或包含它们的文件夹；可以给多个")
    p.add_argument("--year", type=year_arg, required=True, help="目标所属年度，例如 2023")
    p.add_argument("--out", metavar="DIR", help="输出目录（默认 targets/<年度>）；全部成功才写入，原有编号和人工修正会保留")


@command("import", "导入绩效目标表（Excel、Word 或 PDF 提取文本，可多个文件或文件夹），写入 targets/<年度>/ 并出具导入报告",
         _configure_import)
def cmd_import(args: argparse.Namespace) -> int:
    from scoring.files import protected_inputs
    from scoring.importer import import_into
    from scoring.importer.report import check_command, terminal_summary

    default = os.path.join("targets", str(args.year))
    out = args.out or default
    with protected_inputs(*args.sources):
        result, _report, notice = import_into(args.sources, args.year, out)
    if notice:
        sys.stderr.write(f"注意：{notice}\n")
    write_out(terminal_summary(result, args.year, out, default))
    if result.actuals_file:
        write_out(f"公开的自评表中的实际完成值和得分已写到 {result.actuals_file}（{len(result.actuals)} 个指标）")
    if result.review_count:
        sys.stderr.write(f"警告：有 {result.review_count} 处需要人工核对（报告中标为“需核对”）；"
                         f"改正后运行 {check_command(args.year, out, default)}\n")
    return 0


def _configure_targets(p: argparse.ArgumentParser) -> None:
    p.add_argument("year", type=year_arg, metavar="YEAR", help="年度，例如 2023")
    p.add_argument("--dir", metavar="DIR", help="目标目录（默认 targets/<年度>）")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help="输出格式：table 表格（默认）、csv（每个指标一行，带表头）、json")


@command("targets", "显示某年度已导入的绩效目标（项目与三级指标）", _configure_targets)
def cmd_targets(args: argparse.Namespace) -> int:
    from scoring.targets.model import fmt_weight, targets_json
    from scoring.targets.store import dump_indicators, load_targets

    t = load_targets(_targets_dir(args), args.year)
    if args.format == "csv":
        sys.stdout.write(dump_indicators(t.indicators))
        return 0
    if args.format == "json":
        write_out(json.dumps(targets_json(t), ensure_ascii=False, indent=2), raw=True)
        return 0
    from rich.table import Table

    con = console()
    con.print(f"{args.year}年度绩效目标：{len(t.projects)} 个项目，{len(t.indicators)} 个指标")
    groups = dict(tuple(t.indicators.groupby("project_id", sort=False)))
    for p in t.projects.itertuples(index=False):
        table = Table(header_style="bold", title=_cell(f"{p.project}（{p.project_id}）"), title_justify="left")
        table.add_column("编号", no_wrap=True)
        for col in ("一级指标", "二级指标", "三级指标", "实施周期指标值", "当年度指标值", "分值", "备注"):
            table.add_column(col, overflow="fold")
        rows = groups.get(p.project_id)
        for r in ([] if rows is None else rows.itertuples(index=False)):
            table.add_row(*map(_cell, (r.id, r.level1, r.level2, r.level3, r.period_value, r.annual_value,
                                       fmt_weight(r.weight), r.note)))
        con.print(table)
    return 0


def _configure_check(p: argparse.ArgumentParser) -> None:
    p.add_argument("year", type=year_arg, metavar="YEAR", nargs="?", help="年度，例如 2023")
    p.add_argument("--dir", metavar="DIR", help="目标目录（默认 targets/<年度>）")
    p.add_argument("--list", action="store_true", help="列出全部检查规则及其正例、反例")


@command("check", "检查某年度的绩效目标：格式、无效或截断的指标值、周期与年度值是否一致、满意度指标、重复、分值合计",
         _configure_check)
def cmd_check(args: argparse.Namespace) -> int:
    from scoring.checks.lint import check_dir, describe_rules, summary

    if args.list:
        write_out(describe_rules())
        return 0
    if args.year is None:
        raise ScoreError("缺少年度", hint=f"例如：{PROG} check 2023；列出检查规则：{PROG} check --list")
    t, findings = check_dir(_targets_dir(args), args.year)
    for f in findings:
        write_out(f.render_line())
    errors, warnings = summary(findings)
    write_out(f"检查完毕：{len(t.projects)} 个项目，{len(t.indicators)} 个指标；{errors} 个错误，{warnings} 个警告。")
    return 1 if errors else 0


# ---------------------------------------------------------------------------------------------
# score YEAR (the main job) / score template
# ---------------------------------------------------------------------------------------------

def _configure_run(p: argparse.ArgumentParser) -> None:
    p.add_argument("year", type=year_arg, metavar="YEAR", help="评价年度，例如 2023")
    p.add_argument("--actuals", help="实际值工作簿（默认 actuals/YEAR.xlsx）；也可以是一个文件夹，其中每个部门一个工作簿")
    p.add_argument("--targets", help="绩效目标目录（默认 targets/YEAR）")
    p.add_argument("--rules", help="评分规则：规则名（如 national、sichuan）或 YAML 文件路径（默认 national）")
    p.add_argument("--out", help="报告输出目录（默认 reports/YEAR）")
    p.add_argument("--json", action="store_true", help="把全部结果以一个 JSON 文档输出到标准输出")
    p.add_argument("--format", choices=("xlsx", "csv"), default="xlsx", help="报告格式：xlsx（默认）或 csv（指标明细）")
    p.add_argument("--strict", action="store_true", help="发现任何问题时以退出码 1 结束")


PROGRESS_AFTER = 2.0  # seconds: a quick run shows no bar at all
RUN_STAGES = ("读取绩效目标", "读取实际值工作簿", "评分", "写出报告", "完成")


class _ProgressBar:
    """A rich progress bar on stderr over the run's stages, shown only once the run has taken more than
    :data:`PROGRESS_AFTER` seconds, and only where someone watches (a terminal, or SCORE_PROGRESS=1)."""

    def __init__(self) -> None:
        import time

        self._clock = time.perf_counter
        self._start = self._clock()
        self._bar = None
        self._task = None
        self._done = 0

    def __call__(self, text: str) -> None:
        from rich.markup import escape

        if any(text.startswith(stage) for stage in RUN_STAGES):
            self._done += 1
        if self._bar is None and self._clock() - self._start >= PROGRESS_AFTER:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                                 console=console(stderr=True, live=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("", total=len(RUN_STAGES))
        if self._bar is not None:
            self._bar.update(self._task, description=escape(text[:40]), completed=min(self._done, len(RUN_STAGES)))
            self._bar.refresh()  # each stage drawn as it starts, not at the next tick

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


@command("run", "按年度给全部项目打分并生成审计报告（例如：score 2023）", _configure_run)
def cmd_run(args: argparse.Namespace) -> int:
    from scoring.precheck import Opening

    actuals = Path(args.actuals or f"actuals/{args.year}.xlsx")
    # the workbook's guard starts in another process now and the workbook is parsed in a thread
    # once it passes, while this one imports pandas
    opening = Opening(actuals, str(actuals)) if actuals.is_file() else None
    try:
        return _checked_run(args, actuals, opening)
    finally:
        if opening is not None:
            opening.close()


def _checked_run(args: argparse.Namespace, actuals: Path, opening) -> int:
    from scoring.files import check_output, protected_inputs
    from scoring.reports.workbook import audit_path, report_path
    from scoring.rubric.profile import profile_path

    year = args.year
    targets_dir = Path(args.targets or f"targets/{year}")
    out_dir = Path(args.out or f"reports/{year}")
    rules = [profile_path(args.rules)] if args.rules else []
    # no report may be written over an input (--out pointing at the actuals' folder, a department
    # workbook named like the summary): refused before any work, and again by each write
    with protected_inputs(actuals, targets_dir, *rules):
        if actuals.is_dir():
            check_output(out_dir / f"绩效自评汇总_{year}.xlsx")
        else:
            for path in ([out_dir / f"指标明细_{year}.csv"] if args.format == "csv"
                         else [report_path(out_dir, year), audit_path(out_dir, year)]):
                check_output(path)
        return _run(args, year, targets_dir, actuals, out_dir, opening)


def _run(args: argparse.Namespace, year: int, targets_dir, actuals, out_dir, opening=None) -> int:
    from scoring.pipeline import run_year
    from scoring.reports.csv_report import write_csv
    from scoring.reports.json_report import iter_json
    from scoring.reports.workbook import write_folder_reports, write_reports

    show_progress = sys.stderr.isatty() or bool(os.environ.get("SCORE_PROGRESS"))
    tell = _ProgressBar() if show_progress else None
    try:
        result = run_year(year, targets_dir=targets_dir, actuals_path=actuals, rules=args.rules,
                          actuals_label=str(actuals), progress=tell, opening=opening)
        if tell:
            tell("写出报告")
        if result.project_source:
            paths = write_folder_reports(result, out_dir, args.format)
            written = f"{out_dir}（每个工作簿一份报告，共 {len(result.sources)} 份；汇总：{paths[-1].name}）"
        elif args.format == "csv":
            written = write_csv(result, out_dir / f"指标明细_{year}.csv")
        else:
            written = "、".join(map(str, write_reports(result, out_dir, progress=tell)))
        if tell:
            tell("完成")
    finally:
        if tell:
            tell.close()
    if args.json:
        for chunk in iter_json(result):
            sys.stdout.write(chunk)
    else:
        _print_header(result, targets_dir, actuals, args.actuals is None)
        _print_summary(result, written)
    if args.strict and result.problems:
        sys.stderr.write(f"发现 {len(result.problems)} 个问题（--strict），退出码 1。\n")
        return 1
    return 0


SUMMARY_ROWS = 50
PROBLEM_GROUPS = 8      # projects whose problems are listed in the terminal (the report has them all)
PROBLEMS_PER_GROUP = 6


def _sayer(out):
    """Print a line that the terminal wraps itself (rich would break it at 80 columns mid-phrase)."""
    return lambda text: out.print(text, soft_wrap=True)


def _print_header(result, targets_dir: Path, actuals: Path, default_actuals: bool) -> None:
    """Which files were scored, under which rules; a loud notice when the actuals are example data."""
    from rich.markup import escape

    from scoring.reports.terminal import is_example_workbook, safe

    say = _sayer(console())
    say(f"[bold]{result.year}年度项目支出绩效自评[/bold]")
    say(f"  绩效目标：{escape(str(targets_dir))}（{len(result.targets.projects):,} 个项目，"
              f"{len(result.targets.indicators):,} 个指标）")
    if result.project_source:
        say(f"  实际值：{escape(str(actuals))}（文件夹，{len(result.sources)} 个工作簿："
                  f"{escape(safe('、'.join(Path(s).name for s in result.sources[:5])))}"
                  f"{'等' if len(result.sources) > 5 else ''}）")
    else:
        say(f"  实际值：{escape(str(actuals))}")
    say(f"  评分规则：{escape(result.profile.describe())}")
    if not result.project_source and is_example_workbook(actuals):
        bundled = default_actuals and actuals.resolve() == Path(__file__).resolve().parent / "actuals" / actuals.name
        where = "随程序附带的" if bundled else ""
        say(f"[bold yellow]注意：{escape(str(actuals))} 是{where}示例数据（实际值为演示而编造），"
                  f"下面的分数不是真实评价结果。[/]")
        say(f"[yellow]  请运行 {PROG} template {result.year} --out 实际值.xlsx 生成模板，填写后用 "
                  f"{PROG} {result.year} --actuals 实际值.xlsx 评分。[/]")
    say("")


def _print_summary(result, written) -> None:
    from rich.markup import escape
    from rich.table import Table

    from scoring.reports.terminal import safe
    from scoring.verdicts import ALL

    out = console()
    say = _sayer(out)
    proj = result.projects
    ind = result.indicators
    counts = ind.groupby(["project", "verdict"]).size().unstack(fill_value=0)
    shown = proj
    title = "各项目得分"
    if len(proj) > SUMMARY_ROWS:
        shown = proj.nsmallest(20, "total")
        title += f"：共 {len(proj):,} 个项目，下表为得分最低的 20 个"
    table = Table(title=escape(title), header_style="bold")
    for col, justify in (("项目", "left"), ("总分", "right"), ("等级", "center"),
                         *((str(v), "right") for v in ALL)):
        table.add_column(col, justify=justify, overflow="fold")
    for p in shown.itertuples(index=False):
        c = counts.loc[p.project] if p.project in counts.index else {}
        table.add_row(escape(safe(p.project)), f"{p.total:.2f}", escape(str(p.grade)),
                      *(str(int(c.get(v, 0))) for v in ALL))
    out.print(table)
    grades = proj["grade"].value_counts()
    say("等级分布：" + "，".join(f"{g} {int(grades.get(g, 0))}" for g in result.profile.grade_names()))
    totals = ind["verdict"].value_counts()
    say(f"共 {len(proj):,} 个项目、{len(ind):,} 个指标：" + "，".join(
        f"{v} {int(totals.get(v, 0)):,}" for v in ALL))
    _print_problems(out, result)
    say(f"\n报告已写出：{escape(str(written))}")


def _print_problems(out, result) -> None:
    """Problems grouped by project; advice said once for the rows of a project that share it."""
    from rich.markup import escape

    from scoring.reports.terminal import group_problems, safe, short_where

    say = _sayer(out)
    problems = result.problems
    if not problems:
        say("\n没有发现问题。")
        return
    errors = sum(1 for p in problems if p.severity == "错误")
    groups = group_problems(result)
    say(f"\n发现 {len(problems):,} 个问题（错误 {errors:,}，警告 {len(problems) - errors:,}），"
        f"按项目列出如下；完整列表见 指标明细_{result.year}.xlsx 的“问题清单”：")
    label = result.actuals_label
    for g in groups[:PROBLEM_GROUPS]:
        say(f"[bold]【{escape(safe(g.name))}】[/bold]{len(g.findings)} 个问题")
        shown = mentioned = 0
        for hint, findings in g.runs():
            if shown >= PROBLEMS_PER_GROUP:
                break
            listed = findings[:PROBLEMS_PER_GROUP - shown]
            for f in listed:
                colour = "red" if f.severity == "错误" else "yellow"
                say(f"  [{colour}]{f.severity}[/] {escape(safe(short_where(f.where, label)))}："
                    f"{escape(safe(f.message))}")
            shown += len(listed)
            mentioned += len(findings)
            if len(findings) > len(listed):
                say(f"  ……同类另有 {len(findings) - len(listed):,} 个")
            if hint:
                scope = f"（以上 {len(findings)} 个）" if len(findings) > 1 else ""
                say(f"    [dim]处理建议{scope}：{escape(safe(hint))}[/dim]")
        if mentioned < len(g.findings):
            say(f"  ……本项目另有 {len(g.findings) - mentioned:,} 个其他问题，见报告")
    if len(groups) > PROBLEM_GROUPS:
        hidden = sum(len(g.findings) for g in groups[PROBLEM_GROUPS:])
        say(f"……另有 {len(groups) - PROBLEM_GROUPS:,} 个项目的 {hidden:,} 个问题，见报告的“问题清单”")


def _configure_template(p: argparse.ArgumentParser) -> None:
    p.add_argument("year", type=year_arg, metavar="YEAR", help="评价年度，例如 2023")
    p.add_argument("--targets", help="绩效目标目录（默认 targets/YEAR）")
    p.add_argument("--out", help="输出路径（默认 actuals_template.xlsx）")
    p.add_argument("--baseline", help="上年实际值工作簿，用于预填变化类指标的“基数（上年实际值）”（默认 actuals/YEAR-1.xlsx，存在时）")
    p.add_argument("--department", help="只包含这个主管部门（或用款单位）的项目：给各部门分别生成模板")
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖它（默认拒绝，以免覆盖已填写的工作簿）")
    p.add_argument("--monitor", action="store_true", help="生成年中绩效运行监控填报表（须同时给 --through）")
    p.add_argument("--through", help="监控截止日期，例如 2023-07-31（与 --monitor 一起用）")


@command("template", "根据绩效目标生成实际值填报模板（Excel）", _configure_template)
def cmd_template(args: argparse.Namespace) -> int:
    from pathlib import Path

    from scoring.files import protected_inputs
    from scoring.reports.template import guard_output, write_template
    from scoring.targets.model import for_department
    from scoring.targets.store import load_targets

    if (args.monitor or args.through) and not (args.monitor and args.through):
        return _monitor_template(args)  # --monitor and --through go together: its usage error comes first
    targets_dir = Path(args.targets or f"targets/{args.year}")
    out = Path(args.out or ("monitor_template.xlsx" if args.monitor else "actuals_template.xlsx"))
    inputs = [f for f in targets_dir.rglob("*") if f.is_file()] if targets_dir.is_dir() else []
    guard_output(out, inputs, args.force)  # both templates: never over an existing file without --force
    if args.monitor or args.through:
        return _monitor_template(args)
    targets = load_targets(targets_dir)
    if args.department:
        targets = for_department(targets, args.department)
    from scoring.answers.baseline import prefill

    last = Path(args.baseline) if args.baseline else Path(f"actuals/{args.year - 1}.xlsx")
    if args.baseline and not last.is_file():
        raise ScoreError("找不到上年实际值工作簿", where=str(last), hint="请检查 --baseline 的路径")
    bases = prefill(targets, last, args.year) if last.is_file() else {}
    with protected_inputs(targets_dir, last):  # never written over the targets or last year's workbook
        out = write_template(targets, out, args.year, baselines=bases)
    write_out(f"已生成填报模板：{out}（{len(targets.projects)} 个项目、{len(targets.indicators)} 个指标）"
              + (f"；{len(bases)} 个变化类指标的基数取自 {last}" if bases else ""))
    return 0


# ---------------------------------------------------------------------------------------------
# score monitor / score template --monitor (mid-year monitoring, scoring.monitor)
# ---------------------------------------------------------------------------------------------

def _through(args: argparse.Namespace):
    from scoring.monitor.progress import parse_through

    if not args.through:
        raise ScoreError("缺少监控截止日期", where="--through", hint=f"例如：--through {args.year}-07-31")
    return parse_through(args.through, args.year)


def _monitor_template(args: argparse.Namespace) -> int:
    from pathlib import Path

    from scoring.monitor.progress import time_progress
    from scoring.reports.monitor_template import write_monitor_template
    from scoring.rubric.profile import load_profile
    from scoring.targets.model import for_department
    from scoring.targets.store import load_targets

    if not args.monitor:
        raise ScoreError("--through 只用于监控填报表", where="--through", hint="请同时给 --monitor，或去掉 --through")
    through, _ = _through(args)
    targets = load_targets(Path(args.targets or f"targets/{args.year}"))
    if args.department:
        targets = for_department(targets, args.department)
    tp = time_progress(through, load_profile().monitor.time_basis)
    out = write_monitor_template(targets, Path(args.out or "monitor_template.xlsx"), tp)
    write_out(f"已生成监控填报表：{out}（{tp.label}，{len(targets.projects)} 个项目、{len(targets.indicators)} 个指标）")
    return 0


def _configure_monitor(p: argparse.ArgumentParser) -> None:
    p.add_argument("year", type=year_arg, metavar="YEAR", help="监控年度，例如 2023")
    p.add_argument("--through", required=True, help="监控截止日期，例如 2023-07-31（1–7 月）")
    p.add_argument("--actuals", help="监控填报表（默认 actuals/YEAR_monitor.xlsx）")
    p.add_argument("--targets", help="绩效目标目录（默认 targets/YEAR）")
    p.add_argument("--rules", help="评分规则：规则名或 YAML 文件路径（默认 national；监控阈值在其 monitor: 一节）")
    p.add_argument("--out", help="报告输出目录（默认 reports/YEAR）")
    p.add_argument("--json", action="store_true", help="把全部结果以一个 JSON 文档输出到标准输出")


@command("monitor", "年中绩效运行监控：时间进度与预算执行进度（双监控）、全年预计、完成目标可能性和预警", _configure_monitor)
def cmd_monitor(args: argparse.Namespace) -> int:
    from pathlib import Path

    from scoring.monitor.json_doc import iter_monitor_json
    from scoring.monitor.run import run_monitor
    from scoring.reports.monitor_workbook import report_path, write_monitor_report

    through, assumptions = _through(args)
    actuals = Path(args.actuals or f"actuals/{args.year}_monitor.xlsx")
    result = run_monitor(args.year, through, targets_dir=Path(args.targets or f"targets/{args.year}"),
                         actuals_path=actuals, rules=args.rules, actuals_label=str(actuals),
                         through_assumptions=assumptions)
    out_dir = Path(args.out or f"reports/{args.year}")
    if report_path(out_dir, result).resolve() == actuals.resolve():
        raise ScoreError("报告会覆盖输入的监控填报表", where=str(actuals), hint="请用 --out 指定另一个输出目录")
    written = write_monitor_report(result, out_dir)
    if args.json:
        for chunk in iter_monitor_json(result):
            sys.stdout.write(chunk)
    else:
        _print_monitor(result, written)
    return 0


def _print_monitor(result, written) -> None:
    from rich.markup import escape
    from rich.table import Table

    from scoring.reports.monitor_workbook import counts

    out = console()
    tp = result.time
    colour = {"正常": "green", "关注": "yellow", "预警": "red"}
    table = Table(title=escape(f"{result.year}年度项目支出绩效运行监控（{tp.label}，时间进度 {tp.percent:.2f}%）"),
                  header_style="bold")
    for col, justify in (("项目", "left"), ("执行进度", "right"), ("落后", "right"), ("确定能", "right"),
                         ("有可能", "right"), ("不可能", "right"), ("结论", "center")):
        table.add_column(col, justify=justify, overflow="fold")
    cnt = counts(result)
    for p in result.projects.itertuples(index=False):
        c = cnt.loc[p.project] if p.project in cnt.index else {"确定能": 0, "有可能": 0, "不可能": 0}
        rate = "—" if p.budget_rate != p.budget_rate else f"{p.budget_rate:.2%}"
        gap = "—" if p.budget_gap != p.budget_gap else f"{round(p.budget_gap, 2) + 0.0:+.2f}"
        table.add_row(escape(str(p.project)), rate, gap, *(str(int(c[k])) for k in ("确定能", "有可能", "不可能")),
                      f"[{colour[p.warning]}]{p.warning}[/]")
    out.print(table)
    lag = result.projects[result.projects["budget_warning"] != "正常"]
    out.print(f"\n预算执行进度落后的项目（{len(lag)} 个）：")
    for p in lag.itertuples(index=False):
        out.print(f"  [{colour[p.budget_warning]}]{p.budget_warning}[/] {escape(p.project)}：{escape('；'.join(p.budget_reasons))}")
    ind = result.indicators
    bad = ind[(ind["computed_likelihood"] == "不可能") | (ind["likelihood"] == "不可能")]
    out.print(f"\n不可能完成年度目标的指标（{len(bad)} 个）：")
    for r in bad.itertuples(index=False):
        own = f"（单位判断：{r.likelihood or '未填'}）" if r.likelihood != r.computed_likelihood else ""
        out.print(f"  [red]{escape(r.project)} › {escape(r.level3)}[/]{escape(own)}：{escape(r.likelihood_reason)}")
    if result.problems:
        out.print(f"\n发现 {len(result.problems):,} 个问题（报告的“问题清单”中有完整列表）：")
        for pr in result.problems[:10]:
            out.print(f"  [{'red' if pr.severity == '错误' else 'yellow'}]{pr.severity}[/] {escape(pr.render())}")
        if len(result.problems) > 10:
            out.print(f"  ……另有 {len(result.problems) - 10:,} 个")
    out.print(f"\n报告已写出：{escape(str(written))}")


# ---------------------------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------------------------

def unknown_command(word: str) -> str:
    """What to say for a first word that is neither a year nor a command: the command or year meant."""
    import difflib

    from scoring.reports.terminal import suggest_year

    visible = [name for name in COMMANDS if name != "run"]
    year = suggest_year(word, Path("targets"))
    if year:
        return f"“{word}”不是四位数的年度。您是不是要运行：{PROG} {year}"
    close = difflib.get_close_matches(word, visible, n=1, cutoff=0.5)
    if close:
        return f"没有“{word}”这个命令。您是不是要运行：{PROG} {close[0]}"
    return (f"没有“{word}”这个命令。可用的命令：{PROG} YEAR（例如 {PROG} 2023）、"
            + "、".join(f"{PROG} {n}" for n in visible) + f"；详细用法：{PROG} --help")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
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

    install_signal_handlers()  # SIGTERM/SIGHUP clean up like Ctrl-C: no temporary file stays behind
    try:
        return int(args.handler(args) or 0)
    except ScoreError as exc:
        sys.stderr.write(f"错误：{clean(exc.render())}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("已中断，未写出任何报告（临时文件已删除）。\n")
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
    exit_now(code)
    return code  # reached only when leaving at once was not safe


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
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (score … | head): nothing more can be said there
            pass
    os._exit(code)


if __name__ == "__main__":
    sys.exit(entry())
