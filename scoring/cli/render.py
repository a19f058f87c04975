"""What ``score YEAR`` prints on the terminal: which inputs, each project's total, the problems by project."""

from __future__ import annotations

from pathlib import Path

from scoring import workspace
from scoring.cli.output import console
from scoring.cli.parser import PROG

SUMMARY_ROWS = 50
PROBLEM_GROUPS = 8      # projects whose problems are listed in the terminal (the report has them all)
PROBLEMS_PER_GROUP = 6


def _sayer(out):
    """Print a line that the terminal wraps itself (rich would break it at 80 columns mid-phrase)."""
    return lambda text: out.print(text, soft_wrap=True)


def print_header(result, targets_dir: Path, actuals: Path, default_actuals: bool, title: str = "项目支出绩效自评") -> None:
    """Which files were scored, under which rules; a loud notice when the actuals are example data."""
    from rich.markup import escape

    from scoring.reports.terminal import safe

    say = _sayer(console())
    say(f"[bold]{result.year}年度{title}[/bold]")
    scored = len(result.targets.projects)
    if result.uncovered:
        say(f"  绩效目标：{escape(str(targets_dir))}（{scored + len(result.uncovered):,} 个项目：{scored:,} 个有工作簿填写、"
            f"计分（{len(result.targets.indicators):,} 个指标），{len(result.uncovered):,} 个没有工作簿填写、未计分）")
    else:
        say(f"  绩效目标：{escape(str(targets_dir))}（{scored:,} 个项目，{len(result.targets.indicators):,} 个指标）")
    if result.workbooks:
        say(f"  实际值：{escape(str(actuals))}（文件夹，{len(result.workbooks):,} 个工作簿："
            + escape(safe("、".join(Path(name).name + (f"（{why}）" if why else "")
                                   for name, why in result.workbooks.items()))) + "）")
    else:
        say(f"  实际值：{escape(str(actuals))}")
    say(f"  评分规则：{escape(result.profile.describe())}")
    if not result.project_source:
        for line in example_notice(actuals, default_actuals, f"{PROG} template {result.year} --out {workspace.FILLED_ACTUALS}",
                                   f"{PROG} {result.year} --actuals {workspace.FILLED_ACTUALS}"):
            say(line)
    say("")


def example_notice(actuals: Path, default_actuals: bool, make: str, run: str) -> list[str]:
    """The loud lines for a workbook that says it holds invented data (示例数据), with the commands that
    make a blank one (``make``) and use it (``run``); none for a real workbook."""
    from rich.markup import escape

    from scoring.reports.terminal import is_example_workbook

    if not is_example_workbook(actuals):
        return []
    bundled = default_actuals and actuals.resolve() == Path(__file__).resolve().parents[2] / workspace.ACTUALS / actuals.name
    where = "随程序附带的" if bundled else ""
    return [f"[bold yellow]注意：{escape(str(actuals))} 是{where}示例数据（实际值为演示而编造），下面的结果不是真实情况。[/]",
            f"[yellow]  请运行 {escape(make)} 生成空白的填报表，填写后用 {escape(run)}。[/]"]


def print_summary(result, written, notice: str = "", problems_file: Path | None = None) -> None:
    """Each project's total, the counts, the problems (``problems_file``: the workbook holding their
    full list, None when this run wrote none), what was written."""
    from rich.markup import escape
    from rich.table import Table

    from scoring.reports.terminal import safe
    from scoring.vocab import ALL

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
    _print_problems(out, result, problems_file)
    say(f"\n报告已写出：{escape(str(written))}")
    if notice:
        say(f"[yellow]{escape(notice)}[/]")


def _print_problems(out, result, problems_file: Path | None = None) -> None:
    """Problems grouped by project, those that lose points (错误) first and every one of them listed;
    warnings after them, up to :data:`PROBLEMS_PER_GROUP` a project; advice said once for the rows that
    share it. The warnings that cost no points (a missing 偏差原因) are counted at the end, not listed."""
    from rich.markup import escape

    from scoring.problems import COSTLESS
    from scoring.reports.terminal import OTHER_GROUP, costless_summary, group_problems, safe, short_where
    from scoring.vocab import Severity

    say = _sayer(out)
    problems = result.problems
    if not problems:
        say("\n没有发现问题。")
        return
    errors = sum(1 for p in problems if p.severity == Severity.ERROR)
    listed = [p for p in problems if p.code not in COSTLESS]
    costless = [p for p in problems if p.code in COSTLESS]
    groups = group_problems(result, listed)
    full = (f"完整列表见 {escape(str(problems_file))} 的“问题清单”" if problems_file is not None
            else "本次只写出 CSV，不含问题清单：完整列表请用 --json 或 xlsx 格式（默认）查看")
    say(f"\n发现 {len(problems):,} 个问题（错误 {errors:,}，警告 {len(problems) - errors:,}）"
        + ("，按项目列出如下，失分的错误在前" if listed else "") + f"；{full}：")
    label = result.actuals_label
    for g in groups[:PROBLEM_GROUPS]:
        say(f"[bold]【{escape(safe(g.name))}】[/bold]{len(g.findings)} 个问题"
            + (f"（错误 {g.errors}）" if g.errors and g.errors < len(g.findings) else ""))
        shown = mentioned = 0
        for hint, findings in g.runs():
            is_error = findings[0].severity == Severity.ERROR
            if not is_error and shown >= PROBLEMS_PER_GROUP:
                break
            listed_here = findings if is_error else findings[:max(PROBLEMS_PER_GROUP - shown, 0)]
            for f in listed_here:
                colour = "red" if f.severity == Severity.ERROR else "yellow"
                say(f"  [{colour}]{f.severity}[/] {escape(safe(short_where(f.where, label)))}："
                    f"{escape(safe(f.message))}")
            shown += len(listed_here)
            mentioned += len(findings)
            if len(findings) > len(listed_here):
                say(f"  ……同类另有 {len(findings) - len(listed_here):,} 个")
            if hint:
                scope = f"（以上 {len(findings)} 个）" if len(findings) > 1 else ""
                say(f"    [dim]处理建议{scope}：{escape(safe(hint))}[/dim]")
        if mentioned < len(g.findings):
            whose = "本项目" if g.name != OTHER_GROUP else "这一组"
            say(f"  ……{whose}另有 {len(g.findings) - mentioned:,} 个警告，见上述完整列表")
    if len(groups) > PROBLEM_GROUPS:
        hidden = groups[PROBLEM_GROUPS:]
        hidden_errors = sum(g.errors for g in hidden)
        say(f"……另有 {len(hidden):,} 个项目的 {sum(len(g.findings) for g in hidden):,} 个问题"
            + (f"（其中失分的错误 {hidden_errors:,} 个）" if hidden_errors else "") + "，见上述完整列表")
    if costless:
        say(escape(costless_summary(costless, label, bool(listed))))
