"""``score monitor``: mid-year monitoring (time and budget progress, projections, likelihood, warnings)."""

from __future__ import annotations

import argparse
import sys

from scoring import workspace
from scoring.cli.output import console, write_out
from scoring.cli.parser import command, year_arg
from scoring.findings import ScoreError


def _through(args: argparse.Namespace):
    from scoring.monitor.progress import parse_through

    if not args.through:
        raise ScoreError("缺少监控截止日期", where="--through", hint=f"例如：--through {args.year}-07-31")
    return parse_through(args.through, args.year)


def monitor_template(args: argparse.Namespace) -> int:
    from pathlib import Path

    from scoring.monitor.progress import time_progress
    from scoring.reports.monitor_template import write_monitor_template
    from scoring.rubric.profile_file import load_profile
    from scoring.targets.model import for_department
    from scoring.targets.store import load_targets

    if not args.monitor:
        raise ScoreError("--through 只用于监控填报表", where="--through", hint="请同时给 --monitor，或去掉 --through")
    through, _ = _through(args)
    targets = load_targets(Path(args.targets) if args.targets else workspace.targets_dir(args.year))
    if args.department:
        targets = for_department(targets, args.department)
    profile = load_profile(getattr(args, "rules", None))
    tp = time_progress(through, profile.monitor.time_basis)
    out = write_monitor_template(targets, Path(args.out or workspace.MONITOR_TEMPLATE), tp, lexicon=profile.lexicon)
    write_out(f"已生成监控填报表：{out}（{tp.label}，{len(targets.projects)} 个项目、{len(targets.indicators)} 个指标）")
    return 0


def _configure_monitor(p: argparse.ArgumentParser) -> None:
    p.add_argument("year", type=year_arg, metavar="YEAR", help="监控年度，例如 2023")
    p.add_argument("--through", required=True, help="监控截止日期，例如 2023-07-31（1–7 月）")
    p.add_argument("--actuals", help=f"监控填报表（默认 {workspace.monitor_workbook('YEAR').as_posix()}）")
    p.add_argument("--targets", help=f"绩效目标目录（默认 {workspace.targets_dir('YEAR').as_posix()}）")
    p.add_argument("--rules", help="评分规则：规则名或 YAML 文件路径（默认 national；监控阈值在其 monitor: 一节）")
    p.add_argument("--out", help=f"报告输出目录（默认 {workspace.reports_dir('YEAR').as_posix()}）")
    p.add_argument("--json", action="store_true", help="把全部结果以一个 JSON 文档输出到标准输出")


@command("monitor", "年中绩效运行监控：时间进度与预算执行进度（双监控）、全年预计、完成目标可能性和预警", _configure_monitor)
def cmd_monitor(args: argparse.Namespace) -> int:
    from pathlib import Path

    from scoring.monitor.run import run_monitor
    from scoring.reports.monitor_json import iter_monitor_json
    from scoring.reports.monitor_report import report_path, write_monitor_report

    through, assumptions = _through(args)
    actuals = Path(args.actuals) if args.actuals else workspace.monitor_workbook(args.year)
    targets_dir = Path(args.targets) if args.targets else workspace.targets_dir(args.year)
    result = run_monitor(args.year, through, targets_dir=targets_dir,
                         actuals_path=actuals, rules=args.rules, actuals_label=str(actuals),
                         through_assumptions=assumptions)
    out_dir = Path(args.out) if args.out else workspace.reports_dir(args.year)
    if report_path(out_dir, result).resolve() == actuals.resolve():
        raise ScoreError("报告会覆盖输入的监控填报表", where=str(actuals), hint="请用 --out 指定另一个输出目录")
    written = write_monitor_report(result, out_dir)
    if args.json:
        for chunk in iter_monitor_json(result):
            sys.stdout.write(chunk)
    else:
        _print_header(result, targets_dir, actuals, args.actuals is None)
        _print_monitor(result, written)
    return 0


def _print_header(result, targets_dir, actuals, default_actuals: bool) -> None:
    """Which files were read, under which rules, up to which date; a loud notice for example data."""
    from rich.markup import escape

    from scoring.cli.render import example_notice

    out = console()
    tp = result.time
    say = lambda text: out.print(text, soft_wrap=True)  # noqa: E731
    say(f"[bold]{result.year}年度项目支出绩效运行监控[/bold]")
    say(f"  绩效目标：{escape(str(targets_dir))}（{len(result.targets.projects):,} 个项目，"
        f"{len(result.targets.indicators):,} 个指标）")
    say(f"  监控填报表：{escape(str(actuals))}")
    say(f"  评分规则：{escape(result.profile.describe())}")
    say(f"  监控截止：{tp.through.isoformat()}（{tp.label}，时间进度 {tp.percent:.2f}%）")
    through = tp.through.isoformat()
    for line in example_notice(actuals, default_actuals,
                               f"score template {result.year} --monitor --through {through} --out {workspace.FILLED_MONITOR}",
                               f"score monitor {result.year} --through {through} --actuals {workspace.FILLED_MONITOR}"):
        say(line)
    say("")


def _print_monitor(result, written) -> None:
    from rich.markup import escape
    from rich.table import Table

    from scoring.monitor.run import UNFILLED_CODE
    from scoring.reports.monitor_report import COUNTED, counts
    from scoring.vocab import NOT_ASSESSED, UNFILLED, Likelihood, Severity, WarningLevel

    out = console()
    tp = result.time
    colour = {**dict(zip(WarningLevel, ("green", "yellow", "red"), strict=True)), UNFILLED: "dim"}
    table = Table(title=escape(f"{result.year}年度项目支出绩效运行监控（{tp.label}，时间进度 {tp.percent:.2f}%）"),
                  header_style="bold")
    cnt = counts(result)
    # 无法测算 and 未填报 only when some indicator is (a narrow terminal keeps the project names readable)
    kinds = tuple(k for k in COUNTED if k not in (NOT_ASSESSED, UNFILLED) or cnt[k].any())
    for col, justify in (("项目", "left"), ("执行进度", "right"), ("落后", "right"),
                         *((k, "right") for k in kinds), ("结论", "center")):
        table.add_column(col, justify=justify, overflow="fold")
    for p in result.projects.itertuples(index=False):
        c = cnt.loc[p.project] if p.project in cnt.index else dict.fromkeys(kinds, 0)
        rate = "—" if p.budget_rate != p.budget_rate else f"{p.budget_rate:.2%}"
        gap = "—" if p.budget_gap != p.budget_gap else f"{round(p.budget_gap, 2) + 0.0:+.2f}"
        table.add_row(escape(str(p.project)), rate, gap, *(str(int(c[k])) for k in kinds),
                      f"[{colour[p.warning]}]{p.warning}[/]")
    out.print(table)
    lag = result.projects[result.projects["budget_warning"].isin((WarningLevel.ATTENTION, WarningLevel.ALERT))]
    out.print(f"\n预算执行进度落后的项目（{len(lag)} 个）：")
    for p in lag.itertuples(index=False):
        out.print(f"  [{colour[p.budget_warning]}]{p.budget_warning}[/] {escape(p.project)}：{escape('；'.join(p.budget_reasons))}")
    ind = result.indicators
    bad = ind[(ind["computed_likelihood"] == Likelihood.IMPOSSIBLE) | (ind["likelihood"] == Likelihood.IMPOSSIBLE)]
    out.print(f"\n不可能完成年度目标的指标（{len(bad)} 个）：")
    for r in bad.itertuples(index=False):
        own = f"（单位判断：{r.likelihood or '未填'}）" if r.likelihood != r.computed_likelihood else ""
        out.print(f"  [red]{escape(r.project)} › {escape(r.level3)}[/]{escape(own)}：{escape(r.likelihood_reason)}")
    if result.problems:
        errors = sum(1 for pr in result.problems if pr.severity == Severity.ERROR)
        blank = [pr for pr in result.problems if pr.code == UNFILLED_CODE]
        listed = [pr for pr in result.problems if pr.code != UNFILLED_CODE]
        out.print(f"\n发现 {len(result.problems):,} 个问题（错误 {errors:,}，警告 {len(result.problems) - errors:,}；"
                  f"报告 {escape(str(written))} 的“问题清单”中有完整列表）：", soft_wrap=True)
        if blank:
            out.print(f"  [red]错误[/] {len(blank):,} 个指标{result.time.label}实际完成值未填写（{UNFILLED}，无法监控）："
                      + escape("、".join(pr.where.rsplit(" › ", 1)[-1] for pr in blank[:5]))
                      + ("等" if len(blank) > 5 else ""), soft_wrap=True)
        for pr in listed[:10]:
            out.print(f"  [{'red' if pr.severity == Severity.ERROR else 'yellow'}]{pr.severity}[/] {escape(pr.render())}")
        if len(listed) > 10:
            out.print(f"  ……另有 {len(listed) - 10:,} 个")
    out.print(f"\n报告已写出：{escape(str(written))}")
