"""``score import``: 绩效目标表 from any unit (Excel, PDF/Word-extracted text) → ``targets/<year>/``.

The stages, one module each: :mod:`.sources` (files → rows of cells, each with file › sheet ›
row: :class:`~.rows.Row`; one reader per format: :mod:`.spreadsheets`, :mod:`.xmlsheets`,
:mod:`.docx`, :mod:`.pdf`, :mod:`.htmltables`, :mod:`.text`), :mod:`.headers` (the header and label vocabulary,
``rules/language/headers.yaml``), :mod:`.roles` (each column's role by what its cells hold, after
the header words; :mod:`.bycontent` when no header word is known), :mod:`.tables` (rows → tables:
title, header, trailer; :mod:`.meta` the project information above the header), :mod:`.placement`
(which cell is which field; :mod:`.sections` section rows and a 一级 outside the national four),
:mod:`.cells` (a cell's text as a target), :mod:`.ids` (ids kept across re-imports, hand fixes
kept), :mod:`.report` (the import report and the terminal summary).
Nothing is refused for one row: what cannot be placed is a finding (``scoring.findings.Finding``)
at its row; certain repairs have severity 说明, what a person must check 警告.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from scoring.findings import INFO, WARNING, Finding, ScoreError
from scoring.importer.ids import assign_ids
from scoring.importer.places import by_place, place_table
from scoring.importer.sources import Row, read_rows, text_rows
from scoring.importer.stacked import split_projects
from scoring.importer.tables import Table, nonempty, split_tables
from scoring.language.normalize import unfold, unfolding
from scoring.targets.model import Targets, indicators_frame, projects_frame
from scoring.workspace import IMPORTED_ACTUALS_FILE

ACTUAL_COLUMNS = ("id", "project", "level3", "annual_value", "actual", "score", "reason", "source")

__all__ = ["ImportResult", "Row", "import_into", "import_rows", "import_sources", "read_rows", "text_rows"]


@dataclass
class ImportResult:
    targets: Targets
    tables: list[Table] = field(default_factory=list)
    general: list[Finding] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)
    actuals: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ACTUAL_COLUMNS))
    actuals_file: str = ""

    @property
    def findings(self) -> list[Finding]:
        return [*self.general, *(f for t in self.tables for f in t.findings)]

    @property
    def review_count(self) -> int:
        return sum(f.severity == WARNING for f in self.findings)


LOOKED_FOR = "一行中有“一级指标”“二级指标”“三级指标”“指标名称”等名称列，以及“指标值”“年度指标值”“目标值”等指标值列"


def _nothing_read(rows: Sequence[Row], tables: list[Table], name: str) -> ScoreError:
    first = next((r for r in rows if nonempty(r)), None)
    headers = [t.header_row for t in tables if t.header_row is not None]
    if headers:
        return ScoreError("表头下没有读到任何指标行", where=headers[0].where,
                          hint="检查表头下面的行：每个指标一行，写有三级指标名称和指标值")
    return ScoreError(f"没有读到任何指标：没有找到指标表头（{LOOKED_FOR}），各行的内容也看不出名称列和指标值列",
                      where=first.where if first else (name or "输入"),
                      hint="导入 Excel 工作簿（.xlsx）或 PDF/Word 提取出的表格文本；表头的其他写法可加到 "
                           "rules/language/headers.yaml")


def import_rows(rows: Sequence[Row], year: int, previous: Targets | None = None, name: str = "") -> ImportResult:
    """Rows of one or more documents → targets and findings. Pure: no file access."""
    def parsed(t_rows: list[Row], shared: int = 0) -> Table:
        table = Table(t_rows, year, shared)
        table.parse()
        return table

    tables = []
    for t_rows in split_tables(rows):
        parts, why = by_place(t_rows)
        for part in parts:
            tables.extend(split_projects(parsed(part), parsed))
            if why:
                place_table(tables[-1], why)
    tables_with = [t for t in tables if t.indicators]
    if not tables_with:
        raise _nothing_read(rows, tables, name)
    projects: list[dict] = []
    indicators: list[dict] = []
    for n, table in enumerate(tables_with):
        projects.append(table.project)
        for rec in table.indicators:
            rec["_table"] = n
        indicators.extend(table.indicators)
    notes: list[tuple[str, Finding]] = []
    assign_ids(projects, indicators, previous, notes)
    for project, f in notes:
        next(t for t in tables_with if t.project.get("project") == project).findings.append(f)
    actuals = [{"id": r["id"], "project": r["project"], "level3": r["level3"], "annual_value": r["annual_value"],
                **r.pop("_actual"), "source": r["source"]} for r in indicators if "_actual" in r]
    general = [Finding(t.where, "这张表没有读到指标（见下方各项），未生成项目", WARNING, code="unplaced")
               for t in tables if not t.indicators] + [f for t in tables if not t.indicators for f in t.findings]
    targets = Targets(projects=projects_frame(projects), indicators=indicators_frame(indicators), year=year)
    return ImportResult(targets, tables_with, general,
                        actuals=pd.DataFrame(actuals, columns=ACTUAL_COLUMNS) if actuals else
                        pd.DataFrame(columns=ACTUAL_COLUMNS))


def import_sources(paths: Iterable[str | Path], year: int, previous: Targets | None = None) -> ImportResult:
    """Read and import documents (text or .xlsx, files or folders); ``previous`` keeps its ids and hand fixes."""
    paths = expand(paths)
    rows: list[Row] = []
    notes: list[Finding] = []
    names = [p.name for p in paths]
    if len(set(names)) != len(names):
        raise ScoreError("有两个来源文件同名", where="、".join(map(str, paths)), hint="来源文件名必须不同（它们记在原文位置里）")
    read: list[Path] = []
    for p in paths:
        try:
            r, enc = read_rows(p)
        except ScoreError as exc:
            if len(paths) == 1:
                raise
            notes.append(Finding(exc.where or p.name, f"这个文件无法读取，已跳过：{exc.message}", WARNING, exc.hint,
                                 code="file"))
            continue
        read.append(p)
        rows.extend(r)
        notes.extend(n if isinstance(n, Finding) else Finding(p.name, n, INFO, code="separator" if "分隔" in n
                                                              else "encoding") for n in enc)
    if not read:
        raise ScoreError("没有一个文件能够读取", where="、".join(map(str, paths)),
                         hint="；".join(f.where + "：" + f.message for f in notes if f.code == "file"))
    result = import_rows(rows, year, previous, name=", ".join(names))
    as_written(result.targets, rows)
    result.general[:0] = notes
    result.sources = read
    return result


# What a table in traditional characters keeps as written (the rest are the national names the tool reads by).
WRITTEN_INDICATOR = ("project", "level3", "period_value", "annual_value", "criteria", "level1_original")
WRITTEN_PROJECT = ("project", "department", "unit", "period_goal", "annual_goal")


def as_written(targets: Targets, rows: Sequence[Row]) -> None:
    """Names and values of a table read in simplified characters (:func:`scoring.importer.sources.read_rows`)
    put back in the traditional characters the table wrote them in, file by file; the 一级 and 二级 stay the
    national names the rest of the tool reads."""
    files: dict[str, list[tuple[str, str]]] = {}
    for r in rows:
        if r.written is not None:
            files.setdefault(r.file, []).extend(zip(r.written, r.cells, strict=True))
    for file, pairs in files.items():
        table = unfolding(pairs)
        for frame, columns in ((targets.indicators, WRITTEN_INDICATOR), (targets.projects, WRITTEN_PROJECT)):
            mine = frame["source"].astype(str).str.startswith(f"{file}:").to_numpy(dtype=bool)
            for col in (c for c in columns if c in frame.columns):
                frame.loc[mine, col] = [unfold(v, table) if isinstance(v, str) else v for v in frame.loc[mine, col]]


SOURCE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods", ".fods", ".docx", ".pdf", ".txt", ".text", ".tsv",
                   ".csv", ".md", ".htm", ".html", ".mht", ".mhtml", ".xml",
                   ".doc", ".wps", ".rtf", ".odt")   # the last ones cannot be read: listed so that they are named


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; a folder stands for its tables and documents (not hidden ones, not Office lock files)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SOURCE_SUFFIXES
                           and not f.name.startswith((".", "~$")))
            if not found:
                raise ScoreError("文件夹里没有可导入的文件（.xlsx、.xls、.ods、.docx、.pdf、.txt 等）", where=str(p))
            out.extend(found)
        else:
            out.append(p)
    return out


def import_into(sources: Iterable[str | Path], year: int, out: str | Path) -> tuple[ImportResult, str, str | None]:
    """Import ``sources`` into the targets directory ``out`` (atomically), keeping its ids and hand fixes.

    Returns the result, the report text (also saved as ``import_report.txt``), and a notice
    when an existing directory could not be read (its ids and hand fixes are then not kept).
    A published 自评表's actuals are written beside the targets as :data:`scoring.workspace.IMPORTED_ACTUALS_FILE`, in the same
    replacement of the directory. A destination that would clobber an input is refused first
    (:func:`scoring.targets.swap.check_destination`).
    """
    from scoring.csvcells import defuse_frame
    from scoring.importer.report import render_report
    from scoring.targets.store import MANAGED, load_targets, save_targets
    from scoring.targets.swap import check_destination
    from scoring.workspace import INDICATORS_FILE, PROJECTS_FILE

    out = Path(out)
    check_destination(out, (*MANAGED, IMPORTED_ACTUALS_FILE))
    previous = None
    notice = None
    if any((out / name).exists() for name in (PROJECTS_FILE, INDICATORS_FILE)):
        try:
            previous = load_targets(out, distinct=False)
        except ScoreError as exc:
            notice = (f"现有目录 {out} 无法读取，原有编号和人工修正不能沿用：{exc.message}"
                      + (f"（{exc.where}）" if exc.where else ""))
    result = import_sources(sources, year, previous)
    result.targets.year = year
    if len(result.actuals):
        result.actuals_file = str(out / IMPORTED_ACTUALS_FILE)
    report = render_report(result, year)
    extra = {IMPORTED_ACTUALS_FILE: defuse_frame(result.actuals).to_csv(index=False)} if len(result.actuals) else {}
    save_targets(result.targets, out, report=report, sources=result.sources, extra=extra)
    result.targets.directory = out
    return result, report, notice
