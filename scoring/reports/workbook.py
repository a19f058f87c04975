"""Report writers: the audit workbook, the JSON document and the CSV detail.

The workbook (``reports/<year>/绩效自评报告_<year>.xlsx``) has:

- ``汇总``: one row per project (budget, execution rate, budget score, 产出/效益/满意度 subtotals,
  total, grade, verdict counts) and a totals row;
- one ``自评表`` sheet per project in the official layout (scoring-rules.md §7), A4;
- ``指标明细`` for auditors: one row per indicator — target as written, how it was read, actual as
  entered and as read, verdict, weight, score, the arithmetic, assumptions, flags, source cell —
  coloured by verdict, with autofilter and frozen panes; split into ``指标明细2``… past Excel's
  row limit;
- ``问题清单``: every problem with its place.

It is written with xlsxwriter in constant-memory mode (rows stream to disk in order), into a
temporary file that replaces the report only when complete. Every text goes through
``write_string``, so ``=SUM(...)`` typed by a user stays text and never becomes a formula.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from scoring.files import atomic_path, map_in_processes
from scoring.language.comparator import cell_text as _text
from scoring.language.comparator import fmt_number
from scoring.pipeline import RunResult
from scoring.reports.cells import join_notes
from scoring.reports.csv_report import write_csv
from scoring.verdicts import ALL

EXCEL_MAX_ROWS = 1_048_576
VERDICT_COLORS = {str(v): c for v, c in zip(ALL, ("#C6EFCE", "#FFEB9C", "#FFC7CE", "#D9D9D9"), strict=True)}
WORKBOOK_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                    "strings_to_numbers": False}
PROGRESS_EVERY = 100_000
MAX_PROJECT_SHEETS = 500  # past this the 自评表 go one workbook per batch (see write_report)
DETAIL_COLUMNS = (
    ("指标编号", 14), ("项目名称", 24), ("一级指标", 10), ("二级指标", 13), ("三级指标", 24),
    ("年度指标值（原文）", 24), ("理解为", 18), ("实际完成值（填报）", 18), ("实际完成值（换算后）", 18),
    ("判定", 9), ("分值", 7), ("得分", 7), ("计算过程", 40), ("假设", 40), ("提示", 36),
    ("偏差原因分析及改进措施", 30), ("来源单元格", 30),
)


def report_path(out_dir: str | Path, year: int) -> Path:
    return Path(out_dir) / f"绩效自评报告_{year}.xlsx"


def _sheet_name(base: str, taken: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "", base)[:31].strip("'") or "表"
    candidate, k = name, 2
    while candidate in taken:
        suffix = f"({k})"
        candidate = name[: 31 - len(suffix)] + suffix
        k += 1
    taken.add(candidate)
    return candidate


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook):
        base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "vcenter", "text_wrap": True}
        self.title = wb.add_format({"font_name": "黑体", "font_size": 16, "bold": True, "align": "center", "valign": "vcenter"})
        self.header = wb.add_format({**base, "bold": True, "bg_color": "#BDD7EE", "align": "center"})
        self.text = wb.add_format(base)
        self.center = wb.add_format({**base, "align": "center"})
        # the detail sheet: one line per indicator (a grid to filter; the full text shows in the cell)
        self.line = wb.add_format({**base, "text_wrap": False})
        self.num = wb.add_format({**base, "num_format": "0.00"})
        self.money = wb.add_format({**base, "num_format": "#,##0.00"})
        self.pct = wb.add_format({**base, "num_format": "0.00%"})
        self.bold = wb.add_format({**base, "bold": True})
        self.bold_num = wb.add_format({**base, "bold": True, "num_format": "0.00"})
        self.bold_money = wb.add_format({**base, "bold": True, "num_format": "#,##0.00"})
        self.bold_pct = wb.add_format({**base, "bold": True, "num_format": "0.00%"})
        self.note = wb.add_format({"font_name": "宋体", "font_size": 9, "italic": True, "font_color": "#595959"})
        self.verdict = {v: wb.add_format({**base, "bg_color": c, "align": "center"}) for v, c in VERDICT_COLORS.items()}
        self.verdict_text = {v: wb.add_format({**base, "bg_color": c}) for v, c in VERDICT_COLORS.items()}
        self.verdict_num = {v: wb.add_format({**base, "bg_color": c, "num_format": "0.00"}) for v, c in VERDICT_COLORS.items()}


def _num(ws, r: int, c: int, v: object, fmt) -> None:
    if v is None or (isinstance(v, float) and not math.isfinite(v)) or pd.isna(v):
        ws.write_blank(r, c, None, fmt)
    else:
        ws.write_number(r, c, float(v), fmt)


def _str(ws, r: int, c: int, v: object, fmt) -> None:
    s = _text(v)
    if s:
        ws.write_string(r, c, s, fmt)
    else:
        ws.write_blank(r, c, None, fmt)


def _display_width(text: str) -> int:
    """Columns a text takes in Excel's units: a Chinese character counts two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _row_height(cells: Iterable[tuple[str, float]], line: float = 14.5) -> float:
    """The height that shows every wrapped text of a row: (text, column width) pairs."""
    lines = 1
    for text, width in cells:
        if text:
            lines = max(lines, sum(math.ceil(max(_display_width(part), 1) / max(width - 2.5, 1))
                                   for part in str(text).split("\n")))
    return line * lines + 3


def _print(ws, landscape: bool = True, repeat: int | None = 0) -> None:
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.3, right=0.3, top=0.5, bottom=0.5)
    if repeat is not None:
        ws.repeat_rows(repeat)


# ------------------------------------------------------------------------------------------------
# the workbook
# ------------------------------------------------------------------------------------------------

def write_report(result: RunResult, out_dir: str | Path, *, project_sheets: bool | None = None,
                 progress=None) -> Path:
    """Write the report workbook atomically and return its path."""
    path = report_path(out_dir, result.year)
    ind = result.indicators
    proj = result.projects
    if project_sheets is None:
        project_sheets = len(proj) <= MAX_PROJECT_SHEETS
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        wb.set_properties({"title": f"{result.year}年度项目支出绩效自评报告", "author": "score", "company": "",
                           "created": pd.Timestamp(f"{result.year + 1}-01-01").to_pydatetime()})
        f = _Formats(wb)
        _summary(wb, f, result, note="" if project_sheets else
                 f"项目超过 {MAX_PROJECT_SHEETS} 个，没有逐个生成自评表；按部门分别填报（score {result.year} --actuals 文件夹）"
                 "可得到每个部门的报告及其中每个项目的自评表。")
        if project_sheets:
            _project_sheets(wb, f, result)
        _detail(wb, f, ind, progress)
        _problems(wb, f, result)
        if progress:
            progress("压缩并保存工作簿")
        wb.close()
    return path


def write_summary(result: RunResult, out_dir: str | Path) -> Path:
    """The combined workbook of a folder run: every project's line (with the workbook it came
    from) and every problem."""
    path = Path(out_dir) / f"绩效自评汇总_{result.year}.xlsx"
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        wb.set_properties({"title": f"{result.year}年度项目支出绩效自评汇总", "author": "score", "company": "",
                           "created": pd.Timestamp(f"{result.year + 1}-01-01").to_pydatetime()})
        f = _Formats(wb)
        _summary(wb, f, result, with_sources=True)
        _problems(wb, f, result)
        wb.close()
    return path


def _folder_name(source: str) -> str:
    return re.sub(r'[\\/:*?"<>|]', "_", Path(source).stem) or "工作簿"


def _write_one(job: tuple[RunResult, str, str]) -> Path:
    sub, out_dir, fmt = job
    if fmt == "csv":
        return write_csv(sub, Path(out_dir) / f"指标明细_{sub.year}.csv")
    return write_report(sub, out_dir)


def write_folder_reports(result: RunResult, out_dir: str | Path, fmt: str = "xlsx",
                         workers: int | None = None) -> list[Path]:
    """One report per workbook of a folder run (in ``out_dir/<workbook name>/``), written in
    parallel worker processes, then the combined summary. Returns the paths written."""
    out_dir = Path(out_dir)
    jobs = [(result.subset(src), str(out_dir / _folder_name(src)), fmt) for src in result.sources]
    paths = map_in_processes(_write_one, jobs, workers)
    paths.append(write_summary(result, out_dir))
    return paths


def _verdict_counts(ind: pd.DataFrame) -> pd.DataFrame:
    counts = pd.crosstab(ind["project"], ind["verdict"])
    for v in VERDICT_COLORS:
        if v not in counts.columns:
            counts[v] = 0
    return counts[list(VERDICT_COLORS)]


def _summary(wb, f: _Formats, result: RunResult, with_sources: bool = False, note: str = "") -> None:
    ws = wb.add_worksheet("汇总")
    proj = result.projects
    counts = _verdict_counts(result.indicators).reindex(proj["project"]).fillna(0).astype(int)
    level1 = [c for c in proj.columns if c.startswith("subtotal_")]
    sources = result.project_source if with_sources else {}
    headers = (["序号", "项目名称", "全年预算数（元）", "全年执行数（元）", "执行率", "预算执行得分"]
               + [c.removeprefix("subtotal_") for c in level1]
               + ["总分", "自评等级", *map(str, ALL), "提示"] + (["来源工作簿"] if sources else []))
    widths = [6, 34, 16, 16, 9, 11] + [10] * len(level1) + [8, 8, 6, 8, 7, 8, 40] + ([30] if sources else [])
    ws.merge_range(0, 0, 0, len(headers) - 1, f"{result.year}年度项目支出绩效自评汇总", f.title)
    ws.set_row(0, 28)
    ws.write_string(1, 0, f"评分规则：{result.rules}；实际值：{result.actuals_label}；共 {len(proj)} 个项目、"
                          f"{len(result.indicators)} 个指标；问题 {len(result.problems)} 条（见“问题清单”）{note}", f.note)
    for j, (h, w) in enumerate(zip(headers, widths, strict=True)):
        ws.set_column(j, j, w)
        ws.write_string(2, j, h, f.header)
    r = 3
    c_flags = 6 + len(level1) + 6
    count_values = counts.to_numpy()
    cols = {c: proj[c].to_numpy() for c in ("project", "full_budget", "spent", "execution_rate", "budget_score",
                                            "total", "grade", "flags", *level1)}
    flags_text = [join_notes(x) for x in cols["flags"]]
    for i in range(len(proj)):
        ws.set_row(r, _row_height(((cols["project"][i], widths[1]), (flags_text[i], widths[c_flags]))))
        ws.write_number(r, 0, i + 1, f.center)
        _str(ws, r, 1, cols["project"][i], f.text)
        _num(ws, r, 2, cols["full_budget"][i], f.money)
        _num(ws, r, 3, cols["spent"][i], f.money)
        _num(ws, r, 4, cols["execution_rate"][i], f.pct)
        _num(ws, r, 5, cols["budget_score"][i], f.num)
        for k, col in enumerate(level1):
            _num(ws, r, 6 + k, cols[col][i], f.num)
        c = 6 + len(level1)
        _num(ws, r, c, cols["total"][i], f.bold_num)
        _str(ws, r, c + 1, cols["grade"][i], f.center)
        for k in range(len(VERDICT_COLORS)):
            ws.write_number(r, c + 2 + k, int(count_values[i, k]), f.center)
        _str(ws, r, c + 6, flags_text[i], f.text)
        if sources:
            _str(ws, r, c + 7, sources.get(cols["project"][i], ""), f.text)
        r += 1
    # totals
    ws.write_string(r, 0, "", f.bold)
    ws.write_string(r, 1, f"合计（{len(proj)} 个项目）", f.bold)
    full, spent = proj["full_budget"].sum(min_count=1), proj["spent"].sum(min_count=1)
    _num(ws, r, 2, full, f.bold_money)
    _num(ws, r, 3, spent, f.bold_money)
    _num(ws, r, 4, spent / full if full and not pd.isna(full) and not pd.isna(spent) else None, f.bold_pct)
    ws.write_string(r, 5, "", f.bold)
    for k in range(len(level1)):
        ws.write_string(r, 6 + k, "", f.bold)
    c = 6 + len(level1)
    mean = proj["total"].mean() if len(proj) else None
    _num(ws, r, c, mean, f.bold_num)
    ws.write_string(r, c + 1, "平均分", f.bold)
    for k, v in enumerate(VERDICT_COLORS):
        ws.write_number(r, c + 2 + k, int(counts[v].sum()), f.bold)
    grades = proj["grade"].value_counts()
    _str(ws, r, c + 6, "、".join(f"{g} {int(grades.get(g, 0))} 个" for g in result.profile.grade_names()), f.bold)
    ws.freeze_panes(3, 2)
    ws.autofilter(2, 0, max(r - 1, 3), len(headers) - 1)
    _print(ws, repeat=2)


def _project_sheets(wb, f: _Formats, result: RunResult) -> None:
    ind = result.indicators
    proj = result.projects
    meta = result.targets.projects.set_index("project")
    taken = {"汇总", "问题清单", "指标明细"}
    groups = {name: g for name, g in ind.groupby("project", sort=False)}
    for i in range(len(proj)):
        p = proj.iloc[i]
        name = p["project"]
        ws = wb.add_worksheet(_sheet_name(f"自评表{i + 1:02d}-{name}", taken))
        m = meta.loc[name] if name in meta.index else None
        _self_evaluation(ws, f, result.year, p, m, groups.get(name, ind.iloc[0:0]))


def _self_evaluation(ws, f: _Formats, year: int, p: pd.Series, m, g: pd.DataFrame) -> None:
    """The official 项目支出绩效自评表 (scoring-rules.md §7), written strictly in row order."""
    widths = (10, 11, 13, 22, 18, 18, 8, 10, 26)
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    last = len(widths) - 1
    ws.merge_range(0, 0, 0, last, f"项目支出绩效自评表（{year}年度）", f.title)
    ws.set_row(0, 30)
    ws.write_string(1, 0, "项目名称", f.bold)
    ws.merge_range(1, 1, 1, last, str(p["project"]), f.text)
    dept = _text(m["department"]) if m is not None else ""
    unit = _text(m["unit"]) if m is not None else ""
    ws.write_string(2, 0, "主管部门", f.bold)
    ws.merge_range(2, 1, 2, 4, dept, f.text)
    ws.write_string(2, 5, "实施单位", f.bold)
    ws.merge_range(2, 6, 2, last, unit, f.text)
    # 项目资金
    ws.merge_range(3, 0, 7, 0, "", None)
    ws.write_string(3, 0, "项目资金（元）", f.bold)
    heads = ("", "年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分")
    cols = (1, 3, 4, 5, 6, 7, 8)
    ws.merge_range(3, 1, 3, 2, "", None)
    for h, c in zip(heads, cols, strict=True):
        ws.write_string(3, c, h, f.header)
    ws.write_blank(3, 2, None, f.header)
    rows = ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金")
    for k, label in enumerate(rows):
        r = 4 + k
        ws.write_blank(r, 0, None, f.bold)
        ws.merge_range(r, 1, r, 2, "", None)
        ws.write_string(r, 1, label, f.text)
        ws.write_blank(r, 2, None, f.text)
        if k == 0:
            _num(ws, r, 3, p["initial_budget"], f.money)
            _num(ws, r, 4, p["full_budget"], f.money)
            _num(ws, r, 5, p["spent"], f.money)
            _num(ws, r, 6, p["budget_weight"], f.num)
            _num(ws, r, 7, p["execution_rate"], f.pct)
            _num(ws, r, 8, p["budget_score"], f.num)
        else:
            for c in range(3, 9):
                ws.write_blank(r, c, None, f.text)
    # 年度总体目标
    r = 8
    ws.merge_range(r, 0, r + 1, 0, "", None)
    ws.write_string(r, 0, "年度总体目标", f.bold)
    ws.merge_range(r, 1, r, 4, "预期目标", f.header)
    ws.merge_range(r, 5, r, last, "实际完成情况", f.header)
    goal = _text(m["annual_goal"]) if m is not None else ""
    ws.write_blank(r + 1, 0, None, f.bold)
    ws.merge_range(r + 1, 1, r + 1, 4, goal, f.text)
    ws.merge_range(r + 1, 5, r + 1, last, f"得分 {fmt_number(p['total'])}，等级 {p['grade']}（详见下表）", f.text)
    ws.set_row(r + 1, min(400, max(30, _row_height(((goal, sum(widths[1:5])),)))))
    # 绩效指标
    r = 10
    n = len(g)
    ws.merge_range(r, 0, r + max(n, 1), 0, "", None)
    ws.write_string(r, 0, "绩效指标", f.bold)
    for c, h in enumerate(("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                           "偏差原因分析及改进措施"), 1):
        ws.write_string(r, c, h, f.header)
    level1 = g["level1"].to_numpy(dtype=object)
    level2 = g["level2"].to_numpy(dtype=object)
    spans1 = _spans(level1)
    spans2 = _spans(np.array([f"{a}\x00{b}" for a, b in zip(level1, level2, strict=True)], dtype=object))
    for k in range(n):
        row = g.iloc[k]
        rr = r + 1 + k
        ws.set_row(rr, _row_height(((row["level3"], widths[3]), (row["annual_value"], widths[4]),
                                    (row["actual_display"], widths[5]), (row["reason_text"], widths[8]))))
        ws.write_blank(rr, 0, None, f.bold)
        for col, spans, values in ((1, spans1, level1), (2, spans2, level2)):
            span = spans.get(k)
            if span is not None:
                if span > 1:
                    ws.merge_range(rr, col, rr + span - 1, col, "", None)
                ws.write_string(rr, col, str(values[k]), f.center)
            else:
                ws.write_blank(rr, col, None, f.center)
        _str(ws, rr, 3, row["level3"], f.text)
        _str(ws, rr, 4, row["annual_value"], f.text)
        _str(ws, rr, 5, row["actual_display"], f.text)
        _num(ws, rr, 6, row["weight"], f.num)
        _num(ws, rr, 7, row["score"], f.verdict_num.get(row["verdict"], f.num))
        _str(ws, rr, 8, row["reason_text"], f.text)
    if n == 0:
        ws.write_blank(r + 1, 0, None, f.bold)
        ws.merge_range(r + 1, 1, r + 1, last, "（无指标）", f.text)
    r = r + 1 + max(n, 1)
    ws.write_string(r, 0, "总分", f.bold)
    ws.write_number(r, 1, 100, f.bold)
    ws.merge_range(r, 2, r, 5, "", None)
    ws.write_number(r, 2, float(p["total"]), f.bold_num)
    for c in range(3, 6):
        ws.write_blank(r, c, None, f.bold)
    ws.write_string(r, 6, "自评等级", f.bold)
    ws.merge_range(r, 7, r, last, str(p["grade"]), f.bold)
    ws.write_blank(r, 8, None, f.bold)
    ws.write_string(r + 1, 0, f"注：得分按四舍五入保留两位小数；各指标的计算过程见“指标明细”。{join_notes(p['flags'])}", f.note)
    _print(ws, landscape=False, repeat=None)


def _spans(values: np.ndarray) -> dict[int, int]:
    """Start index → length of each run of equal consecutive values."""
    out: dict[int, int] = {}
    start = 0
    for k in range(1, len(values) + 1):
        if k == len(values) or values[k] != values[start]:
            out[start] = k - start
            start = k
    return out


def _texts(values: np.ndarray) -> list[str]:
    return [v if isinstance(v, str) else _text(v) for v in values]


def _joined(values: np.ndarray) -> list[str]:
    return ["；".join(v) if v else "" for v in values]


def _detail(wb, f: _Formats, ind: pd.DataFrame, progress=None) -> None:
    """One row per indicator. Cells are written only where there is something to show: the
    columns carry the bordered format, so empty cells still look like part of the table."""
    per_sheet = EXCEL_MAX_ROWS - 1
    n = len(ind)
    text_cols = [
        _texts(ind["id"].to_numpy(dtype=object)), _texts(ind["project"].to_numpy(dtype=object)),
        _texts(ind["level1"].to_numpy(dtype=object)), _texts(ind["level2"].to_numpy(dtype=object)),
        _texts(ind["level3"].to_numpy(dtype=object)), _texts(ind["annual_value"].to_numpy(dtype=object)),
        _texts(ind["reading"].to_numpy(dtype=object)), _texts(ind["actual_display"].to_numpy(dtype=object)),
        _texts(ind["actual_normalised"].to_numpy(dtype=object)),
    ]
    tail_cols = [  # columns 12..16
        _texts(ind["explanation"].to_numpy(dtype=object)), _joined(ind["assumptions"].to_numpy(dtype=object)),
        _joined(ind["flags"].to_numpy(dtype=object)), _texts(ind["reason_text"].to_numpy(dtype=object)),
        _texts(ind["cell"].to_numpy(dtype=object)),
    ]
    verdicts = ind["verdict"].to_numpy(dtype=object)
    weights = ind["weight"].to_numpy(dtype=float)
    scores = ind["score"].to_numpy(dtype=float)
    text = f.line
    sheets = max(1, math.ceil(n / per_sheet))
    for s in range(sheets):
        ws = wb.add_worksheet("指标明细" if s == 0 else f"指标明细{s + 1}")
        for j, (h, w) in enumerate(DETAIL_COLUMNS):
            ws.set_column(j, j, w, f.num if j in (10, 11) else text)
            ws.write_string(0, j, h, f.header)
        lo, hi = s * per_sheet, min(n, (s + 1) * per_sheet)
        write = ws.write_string
        for i in range(lo, hi):
            r = i - lo + 1
            if progress and i and i % PROGRESS_EVERY == 0:
                progress(f"指标明细：已写 {i:,} / {n:,} 行")
            for j in range(9):
                v = text_cols[j][i]
                if v:
                    write(r, j, v, text)
            v = verdicts[i]
            write(r, 9, v, f.verdict.get(v, f.center))
            w = weights[i]
            if w == w:
                ws.write_number(r, 10, w, f.num)
            sc = scores[i]
            if sc == sc:
                ws.write_number(r, 11, sc, f.verdict_num.get(v, f.num))
            for k in range(5):
                v = tail_cols[k][i]
                if v:
                    write(r, 12 + k, v, text)
        ws.freeze_panes(1, 1)
        ws.autofilter(0, 0, max(hi - lo, 1), len(DETAIL_COLUMNS) - 1)
        _print(ws)


def _problems(wb, f: _Formats, result: RunResult) -> None:
    ws = wb.add_worksheet("问题清单")
    for j, (h, w) in enumerate((("序号", 6), ("级别", 6), ("位置", 44), ("问题", 60), ("处理建议", 44))):
        ws.set_column(j, j, w)
        ws.write_string(0, j, h, f.header)
    for i, p in enumerate(result.problems, 1):
        ws.write_number(i, 0, i, f.center)
        ws.write_string(i, 1, p.severity, f.center)
        ws.write_string(i, 2, p.where, f.text)
        ws.write_string(i, 3, p.message, f.text)
        _str(ws, i, 4, p.hint, f.text)
    if not result.problems:
        ws.write_string(1, 3, "没有发现问题", f.text)
    ws.freeze_panes(1, 0)
    _print(ws)


# ------------------------------------------------------------------------------------------------
# JSON and CSV
# ------------------------------------------------------------------------------------------------


