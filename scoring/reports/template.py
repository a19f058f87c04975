"""The blank actuals workbook users fill at year end, generated from a year's targets.

Three sheets: ``填报说明`` (how to fill it, with a valid example for each kind of target),
``预算执行`` (one row per project, amounts in 元) and ``指标实际值`` (one row per indicator,
header exactly as :data:`scoring.answers.workbook.INDICATOR_HEADER`). Fixed columns are grey and locked;
the input columns are open; qualitative rows offer 达成/部分达成/未达成; percent targets get a
percent format and deadlines a date format. Content is deterministic (fixed document
properties), so the committed ``actuals_template.xlsx`` can be checked against a fresh build.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from scoring.answers.workbook import (
    BUDGET_HEADER,
    INDICATOR_HEADER,
    SHEET_BUDGET,
    SHEET_GUIDE,
    SHEET_INDICATORS,
)
from scoring.files import atomic_path
from scoring.targets.model import Targets, indicator_kinds
from scoring.verdicts import BANDED

FIXED_PROPERTIES = {"title": "绩效自评 实际完成值填报模板", "author": "score", "company": "",
                    "created": dt.datetime(2024, 1, 1)}
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                    "constant_memory": True}

GUIDE = [
    ("绩效自评 实际完成值填报说明", None),
    ("", None),
    ("1. 本工作簿由 score template 根据绩效目标表生成。灰色列是目标表里的内容，已锁定，请不要修改；"
     "白色列请填写。指标编号用来对应目标，请不要修改或删除。", None),
    ("2. “预算执行”表：每个项目一行，金额以元为单位。全年预算数（A）为调整后的全年预算（含结转），"
     "全年执行数（B）为实际支出；执行率 = B ÷ A，低于 90% 时请在备注中说明原因。", None),
    ("3. “指标实际值”表：在“实际完成值”一列填写，写法见下表。未达到目标、超额较多（≥130%）的指标，"
     "请填写“偏差原因分析及改进措施”；“佐证材料”填写材料名称或存放位置。", None),
    ("4. 填好后运行：score 2023（把 2023 换成评价年度）。无法判断的内容不会被猜测，会在报告中列为“无法判定”并指出单元格。", None),
    ("", None),
]
EXAMPLES = [
    ("指标类型", "年度指标值示例", "实际完成值的有效写法", "说明"),
    ("数量", "≥2次、不少于2次", "3  或  3次", "只写数字时按目标的单位理解"),
    ("带万/亿的数量", "不少于30万人次", "312000  或  31.2万人次", "单位可以不同，只要是同一类量（会自动换算）"),
    ("百分比", "≥90%、>95%", "96%  或  在百分比格式的单元格中填 96%", "不要写成 0.96（若写成小数，会在报告中记为一项假设）"),
    ("反向（越少越好）", "少于10%、小于5次、0次", "3次、0", "“0次”这类零目标：发生即不得分"),
    ("时长", "进场后1.5个小时内完成、24小时", "1小时、1.2小时、45分钟", "不同的时间单位会自动换算"),
    ("区间", "90%-100%", "95%", ""),
    ("时限", "每年12月31日前", "2023-12-20（日期）", "填写实际完成日期"),
    ("增减方向", "增长、逐步提高", "增长 8%  或  下降 3%", "填写较上年的变化"),
    ("定性", "按时完成、及时、达标、良好", "达成 / 部分达成 / 未达成（下拉选择）", "也可以写“部分达成 70%”（百分比须在该档范围内），"
     "或“已按时完成”这类说明，程序按词表判断并记为假设"),
    ("满意度", "≥90%", "93%（问卷调查结果）", "只写“满意”也可以，但会被标注“没有调查数据”"),
]

GREY = "#E7E6E6"


def _formats(wb: xlsxwriter.Workbook) -> dict[str, xlsxwriter.format.Format]:
    base = {"font_name": "宋体", "font_size": 10, "valign": "top", "text_wrap": True, "border": 1}
    return {
        "title": wb.add_format({"bold": True, "font_size": 14, "font_name": "黑体"}),
        "text": wb.add_format({"font_name": "宋体", "font_size": 10, "text_wrap": True, "valign": "top"}),
        "header": wb.add_format({**base, "bold": True, "bg_color": "#BDD7EE", "align": "center", "valign": "vcenter"}),
        "fixed": wb.add_format({**base, "bg_color": GREY, "locked": True}),
        "input": wb.add_format({**base, "locked": False}),
        "input_pct": wb.add_format({**base, "locked": False, "num_format": "0.00%"}),
        "input_date": wb.add_format({**base, "locked": False, "num_format": "yyyy-mm-dd"}),
        "input_money": wb.add_format({**base, "locked": False, "num_format": "#,##0.00"}),
        "fixed_money": wb.add_format({**base, "bg_color": GREY, "locked": True, "num_format": "#,##0.00"}),
        "mark": wb.add_format({"bold": True, "font_color": "#C00000", "font_size": 12}),
    }


def _print_setup(ws, repeat_rows: int | None = 0) -> None:
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    if repeat_rows is not None:
        ws.repeat_rows(repeat_rows)


def write_template(targets: Targets, path: str | Path, year: int | None = None, *,
                   example: dict | None = None) -> Path:
    """Write the template for ``targets`` to ``path`` atomically. ``example`` fills the input
    columns (``{"budgets": {project: (initial, full, spent)}, "values": {id: (actual, reason, evidence)}}``)
    and marks the workbook 示例数据 — used for the bundled demo workbook."""
    year = year or targets.year
    path = Path(path)
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        wb.set_properties({**FIXED_PROPERTIES, "title": FIXED_PROPERTIES["title"] + (f"（{year}年度）" if year else "")})
        fm = _formats(wb)
        _guide(wb, fm, year, example is not None)
        _budget_sheet(wb, fm, targets, example)
        _indicator_sheet(wb, fm, targets, year, example)
        wb.close()
    return path


def _guide(wb, fm, year, is_example: bool) -> None:
    ws = wb.add_worksheet(SHEET_GUIDE)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 26)
    ws.set_column(2, 2, 34)
    ws.set_column(3, 3, 48)
    row = 0
    if is_example:
        ws.write_string(row, 0, "示例数据：本工作簿中的实际值是为演示而编造的，不是真实数据。", fm["mark"])
        row += 1
    for text, _ in GUIDE:
        if row == (1 if is_example else 0):
            ws.write_string(row, 0, text.replace("绩效自评", f"{year}年度 绩效自评" if year else "绩效自评"), fm["title"])
        elif text:
            ws.merge_range(row, 0, row, 3, text, fm["text"])
            ws.set_row(row, 32)
        row += 1
    for i, values in enumerate(EXAMPLES):
        for j, v in enumerate(values):
            ws.write_string(row, j, v, fm["header"] if i == 0 else fm["fixed"])
        row += 1
    _print_setup(ws, None)


def _budget_sheet(wb, fm, targets: Targets, example: dict | None) -> None:
    ws = wb.add_worksheet(SHEET_BUDGET)
    ws.protect("", {"format_columns": True, "format_rows": True, "autofilter": True})
    widths = (40, 16, 16, 16, 44)
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    labels = {"年初预算数": "年初预算数（元）", "全年预算数": "全年预算数（元）", "全年执行数": "全年执行数（元）",
              "偏差原因": "偏差原因（执行率低于90%时填写）"}
    for j, name in enumerate(BUDGET_HEADER):
        ws.write_string(0, j, labels.get(name, name), fm["header"])
    ws.freeze_panes(1, 1)
    budgets = (example or {}).get("budgets", {})
    for i, (name, budget) in enumerate(zip(targets.projects["project"], targets.projects["budget"], strict=True), 1):
        ws.write_string(i, 0, name, fm["fixed"])
        initial, full, spent, reason = budgets.get(name, (budget, None, None, ""))
        for j, v in ((1, initial), (2, full), (3, spent)):
            if v is None or v != v:
                ws.write_blank(i, j, None, fm["input_money"])
            else:
                ws.write_number(i, j, float(v), fm["input_money"])
        if reason:
            ws.write_string(i, 4, reason, fm["input"])
        else:
            ws.write_blank(i, 4, None, fm["input"])
    _print_setup(ws)


def _indicator_sheet(wb, fm, targets: Targets, year: int | None, example: dict | None) -> None:
    ws = wb.add_worksheet(SHEET_INDICATORS)
    ws.protect("", {"format_columns": True, "format_rows": True, "autofilter": True, "sort": False})
    widths = (14, 26, 11, 14, 26, 26, 18, 36, 24)
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    for j, name in enumerate(INDICATOR_HEADER):
        ws.write_string(0, j, name, fm["header"])
    ws.set_row(0, 24)
    ws.freeze_panes(1, 2)
    ind = targets.indicators
    kinds = indicator_kinds(targets, year)
    values = (example or {}).get("values", {})
    n = len(ind)
    cols = [ind[c].to_numpy() for c in ("id", "project", "level1", "level2", "level3", "annual_value")]
    kind_col, pct_col = kinds["kind"].to_numpy(), kinds["percent"].to_numpy()
    qualitative_runs: list[list[int]] = []
    for i in range(n):
        r = i + 1
        for j in range(6):
            ws.write_string(r, j, str(cols[j][i]), fm["fixed"])
        kind, pct = kind_col[i], pct_col[i]
        actual, reason, evidence = values.get(cols[0][i], (None, "", ""))
        f_actual = fm["input_pct"] if pct else fm["input_date"] if kind == "deadline" else fm["input"]
        if actual is None:
            ws.write_blank(r, 6, None, f_actual)
        elif isinstance(actual, dt.date):
            ws.write_datetime(r, 6, dt.datetime(actual.year, actual.month, actual.day), f_actual)
        elif isinstance(actual, int | float):
            ws.write_number(r, 6, float(actual), f_actual)
        else:
            ws.write_string(r, 6, str(actual), f_actual)
        ws.write_string(r, 7, reason or "", fm["input"]) if reason else ws.write_blank(r, 7, None, fm["input"])
        ws.write_string(r, 8, evidence or "", fm["input"]) if evidence else ws.write_blank(r, 8, None, fm["input"])
        if kind == "qualitative":
            if qualitative_runs and qualitative_runs[-1][1] == r - 1:
                qualitative_runs[-1][1] = r
            else:
                qualitative_runs.append([r, r])
    if qualitative_runs:
        # one validation over all qualitative cells (many ranges), not one per row: a province has 100,000s
        (first, last), *rest = qualitative_runs
        ws.data_validation(first, 6, last, 6, {
            "validate": "list", "source": [str(v) for v in BANDED], "error_type": "information",
            "input_title": "定性指标", "input_message": "选择 达成/部分达成/未达成，也可写“部分达成 70%”或文字说明",
            "error_title": "提示", "error_message": "不在下拉选项中：程序会按词表理解这段文字，并在报告中记为假设。",
            "other_cells": [[a, 6, b, 6] for a, b in rest],
        })
    if n:
        ws.autofilter(0, 0, n, len(INDICATOR_HEADER) - 1)
    _print_setup(ws)
