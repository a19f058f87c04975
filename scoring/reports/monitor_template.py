"""The monitoring workbook units fill mid-year (``score template YEAR --monitor --through DATE``).

Sheets: ``填报说明``, ``预算执行`` (one row per project: 年初预算数, 全年预算数, 1–N月执行数, 全年预计执行数,
偏差原因分析, 拟采取的措施) and ``指标执行情况`` (one row per indicator: the target, 1–N月实际完成值,
全年预计完成值, 完成目标可能性 with a dropdown 确定能/有可能/不可能, 偏差原因分析, 拟采取的措施). Fixed
columns are grey and locked; formats and dropdowns follow the kind of each target, as in the
year-end template (:mod:`scoring.reports.template`, whose formats this module reuses).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from scoring.actuals.monitor_form import SHEET_BUDGET, SHEET_INDICATORS, budget_header, indicator_header
from scoring.files import atomic_path
from scoring.language.lexicon import Lexicon
from scoring.reports.template import FIXED_PROPERTIES, WORKBOOK_OPTIONS, input_formats, template_page
from scoring.results import TimeProgress
from scoring.targets.model import Targets, indicator_kinds
from scoring.vocab import BANDED, Likelihood, TargetKind

SHEET_GUIDE = "填报说明"


def _guide_lines(tp: TimeProgress) -> list[str]:
    p = tp.label
    return [
        f"{tp.year}年度 项目支出绩效运行监控 填报表（{p}，截至 {tp.through.isoformat()}）",
        "1. 本工作簿由 score template --monitor 根据绩效目标表生成。灰色列是目标表里的内容，已锁定；白色列请填写。"
        "指标编号用来对应目标，请不要修改或删除。",
        f"2. “预算执行”表：金额以元为单位。{p}执行数为截至 {tp.through.isoformat()} 的实际支出；全年预计执行数为预计全年支出。"
        f"时间进度 {tp.percent:.2f}%（{tp.explanation()}）；执行进度明显落后时请填写偏差原因分析和拟采取的措施。",
        f"3. “指标执行情况”表：{p}实际完成值填截至目前的完成情况，写法与年底自评相同（次数填累计数，比率填当前值，"
        "时限填完成日期或“推进中”，定性指标选 达成/部分达成/未达成 或写“按计划推进”）。全年预计完成值可不填：不填时程序按进度推算"
        "（次数等累计量按时间进度线性推算，比率、满意度等取当前值），并在报告中注明。",
        "4. 完成目标可能性：从下拉中选择 确定能 / 有可能 / 不可能。程序也会自己测算一个，两者不同时在报告中并列显示。"
        "“有可能”“不可能”的指标请填写偏差原因分析（经费、制度、人员、硬件条件等）和拟采取的措施。",
        f"5. 填好后运行：score monitor {tp.year} --through {tp.through.isoformat()} --actuals 本文件。",
    ]


def write_monitor_template(targets: Targets, path: str | Path, tp: TimeProgress, *, example: dict | None = None,
                           lexicon: Lexicon | None = None) -> Path:
    """Write the monitoring workbook for ``targets`` to ``path`` atomically. ``example`` fills the
    input columns (``{"budgets": {project: (initial, full, spent, expected, reason, measures)},
    "values": {id: (current, expected, choice, reason, measures)}}``) and marks it 示例数据."""
    path = Path(path)
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        wb.set_properties({**FIXED_PROPERTIES, "title": f"绩效运行监控填报表（{tp.year}年{tp.label}）"})
        fm = input_formats(wb)
        _guide(wb, fm, tp, example is not None)
        _budget_sheet(wb, fm, targets, tp, (example or {}).get("budgets", {}))
        _indicator_sheet(wb, fm, targets, tp, (example or {}).get("values", {}), lexicon)
        wb.close()
    return path


def _guide(wb, fm, tp: TimeProgress, is_example: bool) -> None:
    ws = wb.add_worksheet(SHEET_GUIDE)
    ws.set_column(0, 0, 110)
    row = 0
    if is_example:
        ws.write_string(row, 0, "示例数据：本工作簿中的数值是为演示而编造的，不是真实数据。", fm["mark"])
        row += 1
    for i, text in enumerate(_guide_lines(tp)):
        ws.write_string(row, 0, text, fm["title"] if i == 0 else fm["text"])
        if i:
            ws.set_row(row, 44)
        row += 1
    template_page(ws, None)


def _write(ws, r: int, c: int, v: object, f) -> None:
    if v is None or (isinstance(v, float) and v != v) or v == "":
        ws.write_blank(r, c, None, f)
    elif isinstance(v, dt.date):
        ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), f)
    elif isinstance(v, int | float) and not isinstance(v, bool):
        ws.write_number(r, c, float(v), f)
    else:
        ws.write_string(r, c, str(v), f)


def _budget_sheet(wb, fm, targets: Targets, tp: TimeProgress, budgets: dict) -> None:
    ws = wb.add_worksheet(SHEET_BUDGET)
    ws.protect("", {"format_columns": True, "format_rows": True, "autofilter": True})
    for j, w in enumerate((40, 16, 16, 16, 16, 36, 36)):
        ws.set_column(j, j, w)
    for j, name in enumerate(budget_header(tp.label)):
        ws.write_string(0, j, f"{name}（元）" if name.endswith("数") and j else name, fm["header"])
    ws.set_row(0, 30)
    ws.freeze_panes(1, 1)
    for i, (name, budget) in enumerate(zip(targets.projects["project"], targets.projects["budget"], strict=True), 1):
        ws.write_string(i, 0, name, fm["fixed"])
        values = budgets.get(name, (budget, None, None, None, "", ""))
        for j, v in enumerate(values, 1):
            _write(ws, i, j, v, fm["input_money"] if j <= 4 else fm["input"])
    template_page(ws)


def _indicator_sheet(wb, fm, targets: Targets, tp: TimeProgress, values: dict, lexicon: Lexicon | None = None) -> None:
    ws = wb.add_worksheet(SHEET_INDICATORS)
    ws.protect("", {"format_columns": True, "format_rows": True, "autofilter": True, "sort": False})
    header = indicator_header(tp.label)
    for j, w in enumerate((14, 26, 11, 14, 26, 24, 18, 18, 14, 32, 32)):
        ws.set_column(j, j, w)
    for j, name in enumerate(header):
        ws.write_string(0, j, name, fm["header"])
    ws.set_row(0, 30)
    ws.freeze_panes(1, 2)
    ind = targets.indicators
    kinds = indicator_kinds(targets, tp.year, lexicon)
    cols = [ind[c].to_numpy() for c in ("id", "project", "level1", "level2", "level3", "annual_value")]
    kind_col, pct_col = kinds["kind"].to_numpy(), kinds["percent"].to_numpy()
    verdict_rows: list[int] = []
    for i in range(len(ind)):
        r = i + 1
        for j in range(6):
            ws.write_string(r, j, str(cols[j][i]), fm["fixed"])
        f_value = fm["input_pct"] if pct_col[i] else fm["input_date"] if kind_col[i] == TargetKind.DEADLINE else fm["input"]
        current, expected, choice, reason, measures = values.get(cols[0][i], (None, None, None, "", ""))
        for j, v, f in ((6, current, f_value), (7, expected, f_value), (8, choice, fm["input"]),
                        (9, reason, fm["input"]), (10, measures, fm["input"])):
            _write(ws, r, j, v, f)
        if kind_col[i] == TargetKind.QUALITATIVE:
            verdict_rows.append(r)
    n = len(ind)
    if n:
        ws.data_validation(1, 8, n, 8, {
            "validate": "list", "source": list(map(str, Likelihood)), "error_type": "stop",
            "input_title": "完成目标可能性", "input_message": " / ".join(Likelihood),
            "error_title": "请从下拉中选择", "error_message": f"完成目标可能性只能是 {'、'.join(Likelihood)} 之一。",
        })
        ws.autofilter(0, 0, n, len(header) - 1)
    if verdict_rows:
        first, *rest = verdict_rows
        ws.data_validation(first, 6, first, 7, {
            "validate": "list", "source": [*map(str, BANDED), "按计划推进"], "error_type": "information",
            "input_title": "定性指标", "input_message": "选择 达成/部分达成/未达成/按计划推进，也可写文字说明",
            "error_title": "提示", "error_message": "不在下拉选项中：程序会按词表理解这段文字，并在报告中记为假设。",
            "other_cells": [[r, 6, r, 7] for r in rest],
        })
    template_page(ws)
