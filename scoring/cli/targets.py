"""``score import``, ``score targets``, ``score check``: targets as data (``targets/<year>/``)."""

from __future__ import annotations

import argparse
import json
import sys

from scoring import workspace
from scoring.cli.output import cell, console, write_out
from scoring.cli.parser import PROG, command, year_arg
from scoring.findings import ScoreError


def _targets_dir(args: argparse.Namespace) -> str:
    return args.dir or str(workspace.targets_dir(args.year))


def _configure_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("sources", nargs="+", metavar="SOURCE",
                   help="绩效目标表：Excel（.xlsx/.xls/.ods）、Word 文档（.docx）、PDF、提取出的文本（.txt），"
                        "或包含它们的文件夹；可以给多个（按内容识别格式）")
    p.add_argument("--year", type=year_arg, required=True, help="目标所属年度，例如 2023")
    p.add_argument("--out", metavar="DIR", help=f"输出目录（默认 {workspace.targets_dir('<年度>').as_posix()}）；全部成功才写入，原有编号和人工修正会保留")


@command("import", "导入绩效目标表（Excel、Word、PDF 或提取的文本，可多个文件或文件夹），写入 targets/<年度>/ 并出具导入报告",
         _configure_import)
def cmd_import(args: argparse.Namespace) -> int:
    from scoring.files import protected_inputs
    from scoring.importer import import_into
    from scoring.importer.report import check_command, terminal_summary

    default = str(workspace.targets_dir(args.year))
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
    p.add_argument("--targets", "--dir", dest="dir", metavar="DIR", help=f"绩效目标目录（默认 {workspace.targets_dir('<年度>').as_posix()}）")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help="输出格式：table 表格（默认）、csv（每个指标一行，带表头，供程序读取：指标值原样输出，只有 Excel 会当作公式执行的文字（如 =HYPERLINK(…)）加撇号；要在 Excel 中打开，请用目标目录里的 indicators.csv，其中以 = + - @ 开头的文字都已加撇号）、json")


@command("targets", "显示某年度已导入的绩效目标（项目与三级指标）", _configure_targets)
def cmd_targets(args: argparse.Namespace) -> int:
    from scoring.targets.model import fmt_weight, targets_json
    from scoring.targets.store import dump_indicators, load_targets

    t = load_targets(_targets_dir(args), args.year)
    if args.format == "csv":
        sys.stdout.write(dump_indicators(t.indicators, listing=True))
        return 0
    if args.format == "json":
        write_out(json.dumps(targets_json(t), ensure_ascii=False, indent=2), raw=True)
        return 0
    from rich.table import Table

    con = console()
    con.print(f"{args.year}年度绩效目标：{len(t.projects)} 个项目，{len(t.indicators)} 个指标")
    groups = dict(tuple(t.indicators.groupby("project_id", sort=False)))
    with_criteria = bool((t.indicators["criteria"].str.strip() != "").any())  # the column only when some are written
    for p in t.projects.itertuples(index=False):
        table = Table(header_style="bold", title=cell(f"{p.project}（{p.project_id}）"), title_justify="left")
        table.add_column("编号", no_wrap=True)
        for col in ("一级指标", "二级指标", "三级指标", "实施周期指标值", "当年度指标值", "分值",
                    *(("评分标准",) if with_criteria else ()), "备注"):
            table.add_column(col, overflow="fold")
        rows = groups.get(p.project_id)
        for r in ([] if rows is None else rows.itertuples(index=False)):
            table.add_row(*map(cell, (r.id, r.level1, r.level2, r.level3, r.period_value, r.annual_value,
                                       fmt_weight(r.weight), *((r.criteria,) if with_criteria else ()), r.note)))
        con.print(table)
    return 0


def _configure_check(p: argparse.ArgumentParser) -> None:
    p.add_argument("year", type=year_arg, metavar="YEAR", nargs="?", help="年度，例如 2023")
    p.add_argument("--targets", "--dir", dest="dir", metavar="DIR", help=f"绩效目标目录（默认 {workspace.targets_dir('<年度>').as_posix()}）")
    p.add_argument("--list", action="store_true", help="列出全部检查规则及其正例、反例")
    p.add_argument("--rules", help="评分规则：名称或 YAML 文件路径（默认 national）；按其词表读指标值，与评分时一致")


@command("check", "检查某年度的绩效目标：格式、无效或截断的指标值、周期与年度值是否一致、满意度指标、重复、分值合计",
         _configure_check)
def cmd_check(args: argparse.Namespace) -> int:
    from scoring.checks.lint import check_dir, describe_rules, summary

    if args.list:
        write_out(describe_rules())
        return 0
    if args.year is None:
        raise ScoreError("缺少年度", hint=f"例如：{PROG} check 2023；列出检查规则：{PROG} check --list")
    from scoring.rubric.profile_file import load_profile

    t, findings = check_dir(_targets_dir(args), args.year, load_profile(args.rules).lexicon)
    for f in findings:
        write_out(f.render_line())
    errors, warnings = summary(findings)
    write_out(f"检查完毕：{len(t.projects)} 个项目，{len(t.indicators)} 个指标；{errors} 个错误，{warnings} 个警告。")
    return 1 if errors else 0
