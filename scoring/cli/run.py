"""``score YEAR``: the main job — score the year and write the reports (progress bar on a terminal)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from scoring import workspace
from scoring.cli.output import console
from scoring.cli.parser import command, year_arg
from scoring.cli.render import print_header, print_summary


def _configure_run(p: argparse.ArgumentParser) -> None:
    p.add_argument("year", type=year_arg, metavar="YEAR", help="评价年度，例如 2023")
    p.add_argument("--actuals", help=f"实际值工作簿（默认 {workspace.actuals_workbook('YEAR').as_posix()}）；也可以是一个文件夹，其中每个部门一个工作簿")
    p.add_argument("--targets", help=f"绩效目标目录（默认 {workspace.targets_dir('YEAR').as_posix()}）")
    p.add_argument("--rules", help="评分规则：规则名（如 national、sichuan）或 YAML 文件路径（默认 national）")
    p.add_argument("--out", help=f"报告输出目录（默认 {workspace.reports_dir('YEAR').as_posix()}）")
    p.add_argument("--json", action="store_true", help="把全部结果以一个 JSON 文档输出到标准输出")
    p.add_argument("--format", choices=("xlsx", "csv"), default="xlsx", help="报告格式：xlsx（默认）或 csv（指标明细）")
    p.add_argument("--strict", action="store_true", help="发现任何问题时以退出码 1 结束")


def stale_notice(paths, fmt: str) -> str:
    """What to say of report files an earlier run left beside this run's (the other format's)."""
    shown = "、".join(str(p) for p in paths[:4]) + (f" 等 {len(paths)} 个文件" if len(paths) > 4 else "")
    now = "CSV" if fmt == "csv" else "xlsx"
    return f"注意：{shown} 是之前的运行写出的，本次（只写 {now}）没有更新它们，内容可能与本次结果不同。"


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
    from scoring.actuals.opening import refuse_other_format
    from scoring.precheck import Opening

    actuals = Path(args.actuals) if args.actuals else workspace.actuals_workbook(args.year)
    if actuals.is_file():
        refuse_other_format(actuals, str(actuals))  # an .xls, an .ods…: named for what it is, with what to do
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
    from scoring.reports.year_report import audit_path, report_path
    from scoring.rubric.profile import profile_path

    year = args.year
    targets_dir = Path(args.targets) if args.targets else workspace.targets_dir(year)
    out_dir = Path(args.out) if args.out else workspace.reports_dir(year)
    rules = [profile_path(args.rules)] if args.rules else []
    # no report may be written over an input (--out pointing at the actuals' folder, a department
    # workbook named like the summary): refused before any work, and again by each write
    with protected_inputs(actuals, targets_dir, *rules):
        if actuals.is_dir():
            from scoring.actuals.folder import workbooks_in
            from scoring.reports.year_report import refuse_shared_folders

            refuse_shared_folders(workbooks_in(actuals), str(actuals))
            check_output(out_dir / workspace.summary_name(year))
        else:
            for path in ([out_dir / workspace.detail_csv_name(year)] if args.format == "csv"
                         else [report_path(out_dir, year), audit_path(out_dir, year)]):
                check_output(path)
        return _run(args, year, targets_dir, actuals, out_dir, opening)


def _run(args: argparse.Namespace, year: int, targets_dir, actuals, out_dir, opening=None) -> int:
    from scoring.pipeline import run_year
    from scoring.reports.csv_report import write_csv
    from scoring.reports.json_report import iter_json
    from scoring.reports.year_report import audit_path, left_from_before, write_folder_reports, write_reports

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
            written = write_csv(result, out_dir / workspace.detail_csv_name(year))
        else:
            written = "、".join(map(str, write_reports(result, out_dir, progress=tell)))
        if tell:
            tell("完成")
    finally:
        if tell:
            tell.close()
    stale = left_from_before(out_dir, year, args.format, result.sources if result.project_source else ())
    if args.json:
        for chunk in iter_json(result):
            sys.stdout.write(chunk)
        if stale:
            sys.stderr.write(stale_notice(stale, args.format) + "\n")
    else:
        print_header(result, targets_dir, actuals, args.actuals is None)
        problems_file = (out_dir / workspace.summary_name(year) if result.project_source
                         else None if args.format == "csv" else audit_path(out_dir, year))
        print_summary(result, written, stale_notice(stale, args.format) if stale else "", problems_file)
    if args.strict and result.problems:
        sys.stderr.write(f"发现 {len(result.problems)} 个问题（--strict），退出码 1。\n")
        return 1
    return 0
