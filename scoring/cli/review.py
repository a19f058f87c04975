"""``score review``: score the year as ``score YEAR`` does, then look at it as a 财政 reviewer would
(自评质量检查), and score the reviewer's 复核完成值 when the workbook has them (复核得分, 偏离度)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scoring import workspace
from scoring.cli.output import console, write_out
from scoring.cli.parser import PROG, command, year_arg
from scoring.findings import ScoreError

TABLE_ROWS = 30  # projects in the terminal's table (the workbook has them all)
LISTED = 12  # P0/P1 findings printed (the workbook has them all)


def _configure_review(p: argparse.ArgumentParser) -> None:
    p.add_argument("year", type=year_arg, metavar="YEAR", nargs="?", help="评价年度，例如 2023")
    p.add_argument("--actuals", help=f"实际值工作簿（默认 {workspace.actuals_workbook('YEAR').as_posix()}）；也可以是各单位工作簿所在的文件夹（作为一批复核，按单位排名）")
    p.add_argument("--targets", help=f"绩效目标目录（默认 {workspace.targets_dir('YEAR').as_posix()}）")
    p.add_argument("--rules", help="评分规则：规则名或 YAML 文件路径（默认 national；复核阈值在其 review: 一节）")
    p.add_argument("--only", metavar="CODE,…", help="只运行这些复核规则（逗号分隔的代码，见 --list）")
    p.add_argument("--out", help=f"输出目录（默认 {workspace.reports_dir('YEAR').as_posix()}），写出 {workspace.review_name('YEAR')}")
    p.add_argument("--json", action="store_true", help="把复核结果作为一个 JSON 文档输出到标准输出")
    p.add_argument("--strict", action="store_true", help="发现任何 P0 或 P1 问题时以退出码 1 结束")
    p.add_argument("--list", action="store_true", help="列出全部复核规则：检查什么、为什么、怎样整改、示例")


@command("review", "自评复核：按财政复核人员的眼光检查自评（佐证材料、满意度调查、全部满分、执行与产出不匹配、雷同……），"
                   "计算复核得分与偏离度", _configure_review)
def cmd_review(args: argparse.Namespace) -> int:
    from scoring.pipeline import review_year
    from scoring.review.catalog import describe_rules

    if args.list:
        write_out(describe_rules())
        return 0
    if args.year is None:
        raise ScoreError("缺少年度", hint=f"例如：{PROG} review 2023；列出复核规则：{PROG} review --list")
    codes = _codes(args.only)
    from scoring.files import check_output, protected_inputs
    from scoring.reports.review_report import report_path, write_review_workbook
    from scoring.rubric.profile import profile_path

    year = args.year
    actuals = Path(args.actuals) if args.actuals else workspace.actuals_workbook(year)
    targets_dir = Path(args.targets) if args.targets else workspace.targets_dir(year)
    out_dir = Path(args.out) if args.out else workspace.reports_dir(year)
    rules = [profile_path(args.rules)] if args.rules else []
    with protected_inputs(actuals, targets_dir, *rules):
        check_output(report_path(out_dir, year))
        review = review_year(year, targets_dir=targets_dir, actuals_path=actuals, rules=args.rules,
                             actuals_label=str(actuals), codes=codes)
        written = write_review_workbook(review, out_dir)
    if args.json:
        from scoring.review.json_doc import review_json

        sys.stdout.write(review_json(review))
    else:
        _print(review, targets_dir, actuals, args.actuals is None, written)
    counts = review.counts()
    if args.strict and (counts["P0"] or counts["P1"]):
        sys.stderr.write(f"发现 P0 问题 {counts['P0']} 个、P1 问题 {counts['P1']} 个（--strict），退出码 1。\n")
        return 1
    return 0


def _codes(text: str | None) -> list[str] | None:
    from scoring.review.catalog import selected
    from scoring.review.registry import RULES

    if not text:
        return None
    codes = [c.strip() for c in text.replace("，", ",").split(",") if c.strip()]
    try:
        selected(codes)
    except ValueError as exc:
        raise ScoreError(f"没有这些复核规则：{exc}", where="--only",
                         hint=f"可用的规则：{'、'.join(RULES)}；详细说明：{PROG} review --list") from None
    return codes


def _print(review, targets_dir: Path, actuals: Path, default_actuals: bool, written: Path) -> None:
    from rich.markup import escape

    from scoring.cli.render import print_header
    from scoring.reports.terminal import safe
    from scoring.review.registry import LEVELS

    out = console()
    say = lambda text: out.print(text, soft_wrap=True)  # noqa: E731
    print_header(review.run, targets_dir, actuals, default_actuals, "项目支出绩效自评复核（自评质量检查）")
    s = review.run.profile.review
    if review.reviewed:
        say(f"复核：{int(review.projects['reviewed'].sum())} 个项目有复核完成值或复核意见；"
            f"{'；'.join(review.notes) or '按复核完成值重新评分'}。偏离度超过 {s.deviation:g}% 的列为 P0。")
    else:
        say(f"复核：工作簿中没有复核完成值，只做自评质量检查（复核人员用 {PROG} template {review.year} --review "
            "生成带“复核完成值”“复核意见”两列的模板，填写后再运行本命令，可算出复核得分和偏离度）。")
    _table(out, review)
    if review.units is not None:
        _units_table(out, review)
    counts = review.counts()
    say(f"\n发现 {len(review.findings):,} 个问题：" + "，".join(
        f"[{_colour(k)}]{k}[/] {counts[k]:,} 个（{v}）" for k, v in LEVELS.items()))
    by_rule: dict[str, int] = {}
    for f in review.findings:
        by_rule[f.code] = by_rule.get(f.code, 0) + 1
    for r in review.rules:
        if by_rule.get(r.code):
            say(f"  [{_colour(r.level)}]{r.level}[/] {r.title}（{r.code}）：{by_rule[r.code]:,}")
    serious = [f for f in review.findings if f.level in ("P0", "P1")]
    if serious:
        say(f"\nP0、P1 问题（按项目排名{'，前 ' + str(LISTED) + ' 条' if len(serious) > LISTED else ''}；"
            f"全部问题和整改建议见 {written.name} 的“问题清单”）：")
        shown_project = None
        for f in serious[:LISTED]:
            if f.project != shown_project:
                say(f"[bold]【{escape(safe(f.project))}】[/bold]")
                shown_project = f.project
            say(f"  [{_colour(f.level)}]{f.level}[/] {escape(safe(_short(f.where, review.run.actuals_label)))}："
                f"{escape(safe(f.message))}")
        if len(serious) > LISTED:
            say(f"  ……另有 {len(serious) - LISTED:,} 条 P0、P1 问题")
    say(f"\n复核意见已写出：{escape(str(written))}")


def _short(where: str, label: str) -> str:
    from scoring.reports.terminal import short_where

    return short_where(where, label)


def _colour(level: str) -> str:
    return {"P0": "bold red", "P1": "yellow", "P2": "cyan"}[level]


def _table(out, review) -> None:
    from rich.markup import escape
    from rich.table import Table

    from scoring.reports.terminal import safe

    proj = review.projects
    title = "各项目复核结果（按 P0、P1 问题数和偏离度排序）"
    if len(proj) > TABLE_ROWS:
        title += f"：共 {len(proj):,} 个项目，下表为排名前 {TABLE_ROWS} 个"
    table = Table(title=escape(title), header_style="bold")
    for col, justify in (("排名", "right"), ("项目", "left"), ("自评得分", "right"), ("复核得分", "right"),
                         ("偏离度", "right"), ("P0", "right"), ("P1", "right"), ("P2", "right")):
        table.add_column(col, justify=justify, overflow="fold")
    line = review.run.profile.review.deviation / 100
    for p in proj.head(TABLE_ROWS).itertuples(index=False):
        dev = "—" if p.deviation != p.deviation else f"{p.deviation:.2%}"
        if p.deviation == p.deviation and abs(p.deviation) > line:
            dev = f"[bold red]{dev}[/]"
        table.add_row(str(p.rank), escape(safe(p.project)), f"{p.total:.2f}",
                      "—" if p.review_total != p.review_total else f"{p.review_total:.2f}", dev,
                      *(f"[{_colour(k)}]{getattr(p, k)}[/]" if getattr(p, k) else "0" for k in ("P0", "P1", "P2")))
    out.print(table)


def _units_table(out, review) -> None:
    from rich.markup import escape
    from rich.table import Table

    from scoring.reports.terminal import safe

    table = Table(title="各单位排名", header_style="bold")
    for col, justify in (("排名", "right"), ("单位（工作簿）", "left"), ("项目数", "right"), ("自评平均分", "right"),
                         ("偏离度", "right"), ("P0", "right"), ("P1", "right"), ("P2", "right")):
        table.add_column(col, justify=justify, overflow="fold")
    for u in review.units.head(TABLE_ROWS).itertuples(index=False):
        table.add_row(str(u.rank), escape(safe(Path(u.unit).name if u.unit else "")), str(u.projects),
                      f"{u.total:.2f}", "—" if u.deviation != u.deviation else f"{u.deviation:.2%}",
                      str(u.P0), str(u.P1), str(u.P2))
    out.print(table)
