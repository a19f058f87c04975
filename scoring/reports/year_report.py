"""The report of a run: two workbooks, each written by the writer that suits it.

- ``绩效自评报告_<year>.xlsx`` (xlsxwriter): ``汇总`` (one row per project, coloured by grade and
  execution rate, a legend and three native charts), one official ``自评表`` per project (A4, one
  page, signature block), and ``图表数据`` (what the charts plot). Small sheets with a fine layout
  (merged cells, per-row heights, combined charts) that only xlsxwriter expresses.
- ``指标明细_<year>.xlsx`` (rust_xlsxwriter, :mod:`scoring.reports.audit`): ``指标明细`` (one row
  per indicator) and ``问题清单``: the large sheets, written column by column.

One writer per file: the two libraries cannot write into the same workbook. The two files are
published together or not at all (:func:`scoring.publish.publishing`): each is written complete into
a private folder beside them, and both are renamed into place only when both are written; in folder
mode every unit's pair and the summary make one publication. A large run writes the two at the same
time, the report in a second process given only what the report shows (:func:`report_part`,
:func:`scoring.processes.side_by_side`), so writing takes about as long as the audit workbook alone.
"""

from __future__ import annotations

import dataclasses
import re
from functools import partial
from pathlib import Path

import pandas as pd
import xlsxwriter

from scoring import workspace
from scoring.files import atomic_path, in_stage
from scoring.processes import BesideDied, map_in_processes, side_by_side
from scoring.publish import publishing
from scoring.reports.audit import audit_path, write_audit
from scoring.reports.csv_report import write_csv
from scoring.reports.forms import write_forms
from scoring.reports.sheets import WORKBOOK_OPTIONS, Formats, print_setup, put_text
from scoring.reports.summary import write_chart_data, write_summary_sheet
from scoring.results import RunResult
from scoring.rubric.engine import Scored

MAX_PROJECT_SHEETS = 500  # past this no 自评表 are written (one workbook per department has them)
SIDE_BY_SIDE_ROWS = 50_000  # from this many indicators the two workbooks are written at the same time
SUMMARY_COLUMNS = ("project", "level1", "score", "weight", "verdict")  # what 汇总 and 图表数据 count

__all__ = ["audit_path", "left_from_before", "refuse_shared_folders", "report_folder", "report_path", "write_folder_reports", "write_report", "write_reports", "write_summary"]


def report_path(out_dir: str | Path, year: int) -> Path:
    return Path(out_dir) / workspace.report_name(year)


def _workbook(tmp: Path, title: str, year: int) -> xlsxwriter.Workbook:
    wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
    wb.set_properties({"title": title, "author": "score", "company": "",
                       "created": pd.Timestamp(f"{year + 1}-01-01").to_pydatetime()})
    return wb


def write_reports(result: RunResult, out_dir: str | Path, *, project_sheets: bool | None = None,
                  progress=None, parallel: bool | None = None) -> list[Path]:
    """Both workbooks of a run: the report and the audit workbook. Returns their paths.

    ``parallel`` (default: from :data:`SIDE_BY_SIDE_ROWS` indicators on) writes the report in a second
    process while this one writes the audit workbook (a second interpreter starts in about a second,
    so a small run is quicker in one)."""
    if project_sheets is None:
        project_sheets = len(result.projects) <= MAX_PROJECT_SHEETS
    if parallel is None:
        parallel = len(result.indicators) >= SIDE_BY_SIDE_ROWS
    if progress and parallel:
        progress(f"写出{report_path(out_dir, result.year).name}（xlsxwriter，另一个进程）")
    job = partial(write_report, project_sheets=project_sheets, progress=None if parallel else progress)
    with publishing(out_dir, (report_path(out_dir, result.year).name, audit_path(out_dir, result.year).name)):
        # both files, or neither
        try:
            audit, report = side_by_side(lambda: write_audit(result, out_dir, progress), in_stage(job),
                                         (report_part(result, project_sheets) if parallel else result, out_dir), parallel)
        except BesideDied:  # the second process could not start or was killed: write the report here
            audit, report = audit_path(out_dir, result.year), job(result, out_dir)
    return [report, audit]


def report_part(result: RunResult, project_sheets: bool) -> RunResult:
    """What ``绩效自评报告`` reads of a run, to hand to the process that writes it: the projects, the
    problems and the settings, and of the indicators every column when it has the 自评表 forms
    (at most :data:`MAX_PROJECT_SHEETS` projects), else only :data:`SUMMARY_COLUMNS`, the texts as
    categories (a million rows hold a few thousand names: quick to hand over)."""
    ind = result.indicators if project_sheets else result.indicators[list(SUMMARY_COLUMNS)].astype(
        {"project": "category", "level1": "category", "verdict": "category"})
    return dataclasses.replace(
        result, targets=dataclasses.replace(result.targets, indicators=result.targets.indicators.iloc[0:0]),
        scored=Scored(ind, result.projects, result.scored.profile, result.scored.year))


def write_report(result: RunResult, out_dir: str | Path, *, project_sheets: bool | None = None,
                 progress=None) -> Path:
    """Write ``绩效自评报告_<year>.xlsx`` (汇总, 自评表, 图表数据) atomically and return its path."""
    path = report_path(out_dir, result.year)
    audit_name = audit_path(out_dir, result.year).name
    if project_sheets is None:
        project_sheets = len(result.projects) <= MAX_PROJECT_SHEETS
    note = "" if project_sheets else (
        f"项目超过 {MAX_PROJECT_SHEETS} 个，没有逐个生成自评表；按部门分别填报（score {result.year} --actuals 文件夹）"
        "可得到每个部门的报告及其中每个项目的自评表。")
    if progress:
        progress(f"写出{path.name}（汇总、自评表，xlsxwriter）")
    with atomic_path(path) as tmp:
        wb = _workbook(tmp, f"{result.year}年度项目支出绩效自评报告", result.year)
        f = Formats(wb)
        write_summary_sheet(wb, f, result, note=note, problems_where=f"“{audit_name}”的“问题清单”")
        if project_sheets:
            write_forms(wb, f, result, audit_name)
        write_chart_data(wb, f, result)
        wb.close()
    return path


def write_summary(result: RunResult, out_dir: str | Path) -> Path:
    """The combined workbook of a folder run: every project's line (with the workbook it came
    from), the charts, and every problem."""
    path = Path(out_dir) / workspace.summary_name(result.year)
    with atomic_path(path) as tmp:
        wb = _workbook(tmp, f"{result.year}年度项目支出绩效自评汇总", result.year)
        f = Formats(wb)
        write_summary_sheet(wb, f, result, with_sources=True)
        _problems(wb, f, result)
        write_chart_data(wb, f, result)
        wb.close()
    return path


def _problems(wb, f: Formats, result: RunResult) -> None:
    ws = wb.add_worksheet("问题清单")
    for j, (h, w) in enumerate((("序号", 6), ("级别", 6), ("位置", 36), ("问题", 50), ("处理建议", 36))):
        ws.set_column(j, j, w)
        ws.write_string(0, j, h, f.header)
    for i, p in enumerate(result.problems, 1):
        ws.write_number(i, 0, i, f.center)
        ws.write_string(i, 1, str(p.severity), f.center)
        ws.write_string(i, 2, p.where, f.text)
        ws.write_string(i, 3, p.message, f.text)
        put_text(ws, i, 4, p.hint, f.text)
    if not result.problems:
        ws.write_string(1, 3, "没有发现问题", f.text)
    ws.freeze_panes(1, 0)
    print_setup(ws)


def report_folder(source: str) -> str:
    """The folder a workbook's report is written to in a folder run: its name without the extension,
    the characters a folder name cannot hold (``\\ / : * ? " < > |``) as ``_``."""
    return re.sub(r'[\\/:*?"<>|]', "_", Path(source).stem) or "工作簿"


def refuse_shared_folders(workbooks: list[Path], where: str) -> None:
    """Refuse (exit 2, naming both) two workbooks whose reports would go to one folder: ``a.xlsx`` and
    ``a.XLSX``, ``a:b.xlsx`` and ``a_b.xlsx``, or names differing only in case (one folder on Windows
    and macOS): one report would be written over the other."""
    from scoring.findings import ScoreError

    seen: dict[str, Path] = {}
    for f in workbooks:
        key = report_folder(f.name).casefold()
        if key in seen:
            raise ScoreError(f"工作簿“{seen[key].name}”和“{f.name}”的报告会写到同一个文件夹“{report_folder(f.name)}”"
                             "（文件夹按工作簿名称命名，不区分大小写，\\ / : * ? \" < > | 换成 _），一份会覆盖另一份",
                             where=where, hint="请把其中一个工作簿改名（或移出文件夹）后重新运行")
        seen[key] = f


def _write_one(job: tuple[RunResult, str, str]) -> list[Path]:
    sub, out_dir, fmt = job
    if fmt == "csv":
        return [write_csv(sub, Path(out_dir) / workspace.detail_csv_name(sub.year))]
    return write_reports(sub, out_dir)


def left_from_before(out_dir: str | Path, year: int, fmt: str, sources: list[str] | tuple[str, ...] = ()) -> list[Path]:
    """Report files of the other format (``fmt`` is the one just written) that an earlier run left in the
    run's folders (``out_dir``, or each workbook's folder of a folder run): this run did not update them."""
    out_dir = Path(out_dir)
    dirs = [out_dir / report_folder(s) for s in sources] if sources else [out_dir]
    names = ([workspace.detail_csv_name(year)] if fmt == "xlsx" else [workspace.report_name(year), workspace.audit_name(year)])
    return [d / n for d in dirs for n in names if (d / n).is_file()]


def write_folder_reports(result: RunResult, out_dir: str | Path, fmt: str = "xlsx",
                         workers: int | None = None) -> list[Path]:
    """The reports of each workbook of a folder run (in ``out_dir/<workbook name>/``), written in
    parallel worker processes, then the combined summary (last). Returns the paths written."""
    out_dir = Path(out_dir)
    jobs = [(result.subset(src), str(out_dir / report_folder(src)), fmt) for src in result.sources]
    with publishing(out_dir, (workspace.summary_name(result.year),)):  # every unit's files and the summary, or none
        paths = [p for written in map_in_processes(in_stage(_write_one), jobs, workers) for p in written]
        paths.append(write_summary(result, out_dir))
    return paths
