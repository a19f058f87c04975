"""The blank actuals workbook users fill at year end, generated from a year's targets.

Four sheets: ``填报说明`` (how to fill it, with a valid example for each kind of target),
``预算执行`` (one row per project, amounts in 元, numbers ≥ 0 validated, 执行率 a locked formula),
``年度总体目标`` (each project's 年度目标 beside the unit's own account of how it was met: the
自评表's 实际完成情况) and ``指标实际值`` (one row per indicator, header exactly as
:data:`scoring.actuals.workbook.INDICATOR_HEADER`). Fixed columns are grey and locked; the input
columns are open; every input cell says, when selected, what to write for its target (a number in
its unit, a percentage, a date, a 档次); qualitative rows offer 达成/部分达成/未达成; percent targets
get a percent format and deadlines a date format. Text typed by users is written as text, never as
a formula. Content is deterministic (fixed document properties), so the committed
``actuals_template.xlsx`` can be checked against a fresh build.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from scoring.actuals.workbook import (
    INDICATOR_HEADER,
    NARRATIVE_HEADER,
    REVIEW_HEADER,
    SHEET_BUDGET,
    SHEET_GUIDE,
    SHEET_INDICATORS,
    SHEET_NARRATIVE,
)
from scoring.files import atomic_path
from scoring.language.lexicon import Lexicon
from scoring.reports.template_hints import budget_validation, hint_groups, narrative_prompt, runs
from scoring.targets.model import INDICATOR_LABELS, Targets
from scoring.vocab import BANDED, TargetKind

FIXED_PROPERTIES = {"title": "绩效自评 实际完成值填报模板", "author": "score", "company": "",
                    "created": dt.datetime(2024, 1, 1)}
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                    "constant_memory": True}

def _letter(labels: tuple[str, ...], name: str) -> str:
    """The Excel column letter of the column whose header starts with ``name``."""
    from scoring.xlsx import column_letter

    return column_letter(next(j for j, label in enumerate(labels) if label.startswith(name)))


def guide_lines(year: int | None) -> list[str]:
    """The 填报说明's paragraphs; the column letters are the sheets' own, the command scores this file."""
    b = {n: _letter(BUDGET_LABELS, n) for n in ("全年预算数", "全年执行数", "执行率", "偏差原因")}
    i = {n: _letter(INDICATOR_HEADER, n) for n in ("实际完成值", "偏差原因分析及改进措施", "佐证材料", "基数")}
    y = year or "YEAR"
    return [
        "绩效自评 实际完成值填报说明",
        "",
        "1. 本工作簿由 score template 根据绩效目标表生成。灰色列是目标表里的内容，已锁定，请不要修改；"
        "白色列请填写。指标编号用来对应目标，请不要修改或删除。",
        f"2. “预算执行”表：每个项目一行，金额以元为单位，不能是负数。全年预算数（{b['全年预算数']} 列）为调整后的全年预算（含结转），"
        f"全年执行数（{b['全年执行数']} 列）为实际支出；执行率（{b['执行率']} 列）= {b['全年执行数']} ÷ {b['全年预算数']}，"
        f"由公式自动计算，不用填写；低于 90% 时请在“偏差原因”（{b['偏差原因']} 列）中说明。",
        "3. “年度总体目标”表：对照每个项目的年度目标，用一两段话写明实际完成情况（做了什么、完成多少、效果如何，"
        "有差距的说明原因），这段文字会原样填入自评表的“实际完成情况”。",
        f"4. “指标实际值”表：在“实际完成值”（{i['实际完成值']} 列）填写，选中单元格会提示该指标的写法，也可参见下表。"
        f"未达到目标、超额较多（≥130%）的指标，请填写“偏差原因分析及改进措施”（{i['偏差原因分析及改进措施']} 列）；"
        f"“佐证材料”（{i['佐证材料']} 列）填写材料名称或存放位置。“同比下降4%”这类变化类指标还须填写"
        f"“基数（上年实际值）”（{i['基数']} 列），填了才能计分。",
        f"5. 填好后保存，运行：score {y} --actuals 本文件（写本文件的路径，例如 score {y} --actuals 实际值.xlsx）。"
        "无法判断的内容不会被猜测，会在报告中列为“无法判定”并指出单元格。",
        "",
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
CRITERIA_HEADER = INDICATOR_LABELS["criteria"]  # grey, after the template's own columns, when the targets have criteria


def input_formats(wb: xlsxwriter.Workbook) -> dict[str, xlsxwriter.format.Format]:
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
        "fixed_pct": wb.add_format({**base, "bg_color": GREY, "locked": True, "num_format": "0.00%"}),
        "mark": wb.add_format({"bold": True, "font_color": "#C00000", "font_size": 12}),
    }


def template_page(ws, repeat_rows: int | None = 0) -> None:
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    if repeat_rows is not None:
        ws.repeat_rows(repeat_rows)


def write_template(targets: Targets, path: str | Path, year: int | None = None, *,
                   example: dict | None = None, baselines: dict | None = None, review: bool = False,
                   lexicon: Lexicon | None = None) -> Path:
    """Write the template for ``targets`` to ``path`` atomically. ``example`` fills the input
    columns (``{"budgets": {project: (initial, full, spent, reason)}, "values": {id: (actual, reason, evidence)},
    "narratives": {project: text}, "review": {id: (复核完成值, 复核意见)}}``, every key optional)
    and marks the workbook 示例数据 — used for the bundled demo workbook. ``baselines``: ``{id: (value, source)}``
    prefills 基数 of change targets, the source written as a comment on the cell. ``review``: the 指标实际值
    sheet also gets the reviewer's columns 复核完成值 and 复核意见 (``score template --review``)."""
    year = year or targets.year
    path = Path(path)
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        wb.set_properties({**FIXED_PROPERTIES, "title": FIXED_PROPERTIES["title"] + (f"（{year}年度）" if year else "")})
        fm = input_formats(wb)
        _guide(wb, fm, year, example is not None)
        _budget_sheet(wb, fm, targets, example)
        _narrative_sheet(wb, fm, targets, example)
        _indicator_sheet(wb, fm, targets, year, example, baselines, review, lexicon)
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
    for text in guide_lines(year):
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
    template_page(ws, None)


BUDGET_LABELS = ("项目名称", "年初预算数（元）", "全年预算数（元）", "全年执行数（元）", "执行率",
                 "偏差原因（执行率低于90%时填写）")


def _budget_sheet(wb, fm, targets: Targets, example: dict | None) -> None:
    """One row per project; B–D amounts (≥ 0, validated), E the 执行率 as a locked formula."""
    ws = wb.add_worksheet(SHEET_BUDGET)
    ws.protect("", {"format_columns": True, "format_rows": True, "autofilter": True})
    for j, w in enumerate((40, 16, 16, 16, 10, 44)):
        ws.set_column(j, j, w)
    for j, name in enumerate(BUDGET_LABELS):
        ws.write_string(0, j, name, fm["header"])
    ws.freeze_panes(1, 1)
    budgets = (example or {}).get("budgets", {})
    names = targets.projects["project"]
    for i, (name, budget) in enumerate(zip(names, targets.projects["budget"], strict=True), 1):
        ws.write_string(i, 0, name, fm["fixed"])
        initial, full, spent, reason = budgets.get(name, (budget, None, None, ""))
        for j, v in ((1, initial), (2, full), (3, spent)):
            if v is None or v != v:
                ws.write_blank(i, j, None, fm["input_money"])
            else:
                ws.write_number(i, j, float(v), fm["input_money"])
        rate = float(spent) / float(full) if full and spent is not None and full == full and spent == spent else ""
        ws.write_formula(i, 4, f'=IF(AND(N(C{i + 1})>0,ISNUMBER(D{i + 1})),D{i + 1}/C{i + 1},"")', fm["fixed_pct"], rate)
        if reason:
            ws.write_string(i, 5, reason, fm["input"])
        else:
            ws.write_blank(i, 5, None, fm["input"])
    if len(names):
        ws.data_validation(1, 1, len(names), 3, budget_validation())
    template_page(ws)


def _narrative_sheet(wb, fm, targets: Targets, example: dict | None) -> None:
    """Each project's 年度目标 (from the targets) beside the unit's account of how it was met."""
    ws = wb.add_worksheet(SHEET_NARRATIVE)
    ws.protect("", {"format_columns": True, "format_rows": True})
    for j, w in enumerate((36, 48, 70)):
        ws.set_column(j, j, w)
    for j, name in enumerate(NARRATIVE_HEADER):
        ws.write_string(0, j, name, fm["header"])
    ws.freeze_panes(1, 1)
    texts = (example or {}).get("narratives", {})
    names = targets.projects["project"]
    goals = targets.projects["annual_goal"].fillna("").astype(str)
    for i, (name, goal) in enumerate(zip(names, goals, strict=True), 1):
        ws.set_row(i, 90)
        ws.write_string(i, 0, name, fm["fixed"])
        ws.write_string(i, 1, goal, fm["fixed"])
        if texts.get(name):
            ws.write_string(i, 2, str(texts[name]), fm["input"])
        else:
            ws.write_blank(i, 2, None, fm["input"])
    if len(names):
        ws.data_validation(1, 2, len(names), 2, narrative_prompt())
    template_page(ws)


def _indicator_sheet(wb, fm, targets: Targets, year: int | None, example: dict | None,
                     baselines: dict | None = None, review: bool = False, lexicon: Lexicon | None = None) -> None:
    baselines = baselines or {}
    ws = wb.add_worksheet(SHEET_INDICATORS)
    ws.protect("", {"format_columns": True, "format_rows": True, "autofilter": True, "sort": False})
    # after the unit's columns: the indicators' own 评分标准 (grey: the unit sees how each will be scored),
    # when any is written, then the reviewer's two columns (score template --review)
    criteria = _criteria_column(targets)
    header = INDICATOR_HEADER + ((CRITERIA_HEADER,) if criteria is not None else ()) + (REVIEW_HEADER if review else ())
    widths = (14, 26, 11, 14, 26, 26, 18, 36, 24, 18) + ((36,) if criteria is not None else ()) + ((18, 36) if review else ())
    review_col = len(INDICATOR_HEADER) + (criteria is not None)
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    for j, name in enumerate(header):
        ws.write_string(0, j, name, fm["header"])
    ws.set_row(0, 24)
    ws.freeze_panes(1, 2)
    ind = targets.indicators
    kind_col, pct_col, _, groups = hint_groups(targets, year, lexicon)
    values = (example or {}).get("values", {})
    n = len(ind)
    cols = [ind[c].to_numpy() for c in ("id", "project", "level1", "level2", "level3", "annual_value")]
    for i in range(n):
        r = i + 1
        for j in range(6):
            ws.write_string(r, j, str(cols[j][i]), fm["fixed"])
        kind, pct = kind_col[i], pct_col[i]
        actual, reason, evidence = values.get(cols[0][i], (None, "", ""))
        f_actual = fm["input_pct"] if pct else fm["input_date"] if kind == TargetKind.DEADLINE else fm["input"]
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
        _baseline_cell(ws, fm, r, kind == TargetKind.CHANGE, baselines.get(cols[0][i]))
        if criteria is not None:
            ws.write_string(r, len(INDICATOR_HEADER), criteria[i], fm["fixed"]) if criteria[i] else \
                ws.write_blank(r, len(INDICATOR_HEADER), None, fm["fixed"])
        if review:
            _review_cells(ws, fm, r, review_col, f_actual, (example or {}).get("review", {}).get(cols[0][i]))
    _hints(ws, kind_col, groups)
    if n:
        if review:
            ws.data_validation(1, review_col, n, review_col, REVIEW_PROMPT)
        ws.autofilter(0, 0, n, len(header) - 1)
    template_page(ws)


REVIEW_PROMPT = {"validate": "any", "input_title": "复核完成值（复核人员填写）",
                 "input_message": "核实后的实际完成值，写法与“实际完成值”相同；认可单位填报的值可留空（按单位填报值计）。"
                                  "理由写在“复核意见”一列。"}


def _review_cells(ws, fm, r: int, col: int, f_actual, given: tuple | None) -> None:
    """复核完成值 (formatted as the row's 实际完成值) and 复核意见 at ``col``, blank or as ``given``."""
    value, note = given if given is not None else (None, "")
    if value is None:
        ws.write_blank(r, col, None, f_actual)
    elif isinstance(value, int | float):
        ws.write_number(r, col, float(value), f_actual)
    else:
        ws.write_string(r, col, str(value), f_actual)
    ws.write_string(r, col + 1, note, fm["input"]) if note else ws.write_blank(r, col + 1, None, fm["input"])


def _criteria_column(targets: Targets) -> list[str] | None:
    """The 评分标准 of each indicator, or None when no indicator has one (the column is left out)."""
    if "criteria" not in targets.indicators.columns:
        return None
    texts = [t.strip() for t in targets.indicators["criteria"].fillna("").astype(str)]
    return texts if any(texts) else None


def _baseline_cell(ws, fm, r: int, is_change: bool, prefilled: tuple[float, str] | None) -> None:
    """基数（上年实际值）: white for change targets (prefilled from last year when known, its source noted), grey
    otherwise."""
    if not is_change:
        ws.write_blank(r, 9, None, fm["fixed"])
    elif prefilled is None:
        ws.write_blank(r, 9, None, fm["input"])
    else:
        ws.write_number(r, 9, float(prefilled[0]), fm["input"])
        ws.write_comment(r, 9, prefilled[1])


def _hints(ws, kinds: list[str], groups: dict[tuple, list[int]]) -> None:
    """One data validation per distinct hint, over all its rows' 实际完成值 cells (many ranges, not one
    per row: a province has 100,000s); qualitative rows also get the 档次 dropdown."""
    for (title, message), rows in groups.items():
        (first, last), *rest = runs([i + 1 for i in rows])
        options = {"validate": "any", "input_title": title, "input_message": message}
        if kinds[rows[0]] == TargetKind.QUALITATIVE:
            options = {**options, "validate": "list", "source": [str(v) for v in BANDED], "error_type": "information",
                       "error_title": "提示", "error_message": "不在下拉选项中：程序会按词表理解这段文字，并在报告中记为假设。"}
        ws.data_validation(first, 6, last, 6, {**options, "other_cells": [[a, 6, b, 6] for a, b in rest]})


def filled_in(path: Path) -> str:
    """What a user typed into an existing workbook, in words (``实际完成值 3 个、全年执行数 1 个``); ""
    when nothing: a blank template (its 年初预算数 and 基数 are the generator's, and a 全年预算数 the
    reader takes from 年初预算数 was not typed). A workbook that cannot be read as an actuals workbook
    counts as not ours ("")."""
    from scoring.actuals.workbook import is_blank, read_actuals

    try:
        a = read_actuals(path)
    except Exception:  # unreadable or not a template: the caller refuses anyway
        return ""
    v, b = a.values, a.budgets
    typed_budget = b["note"].fillna("").astype(str) == ""  # not filled from 年初预算数 by the reader
    counts = (("实际完成值", int((~v["actual"].map(is_blank)).sum())),
              ("偏差原因分析及改进措施", int((v["reason_text"].astype(str) != "").sum())),
              ("佐证材料", int((v["evidence"].astype(str) != "").sum())),
              ("全年预算数", int((b["full_budget"].notna() & typed_budget).sum())),
              ("全年执行数", int(b["spent"].notna().sum())),
              ("预算偏差原因", int((b["reason_text"].astype(str) != "").sum())),
              ("年度总体目标完成情况", len(a.narratives)))
    return "、".join(f"{name} {n} 个" for name, n in counts if n)


def guard_output(path: str | Path, inputs: list[Path], force: bool) -> None:
    """Refuse to write the template over an existing file unless ``force``; never over an input."""
    from scoring.findings import ScoreError

    path = Path(path)
    if any(path.resolve() == Path(i).resolve() for i in inputs):
        raise ScoreError("输出路径就是输入文件，不能覆盖", where=str(path), hint="请用 --out 换一个输出路径")
    if path.is_dir():
        raise ScoreError("输出路径是一个文件夹", where=str(path), hint="请用 --out 指定一个 .xlsx 文件路径")
    if not path.exists() or force:
        return
    filled = filled_in(path)
    what = f"已存在，其中已经填写了内容（{filled}）" if filled else "已存在"
    raise ScoreError(f"文件{what}，未覆盖（文件保持原样）", where=str(path),
                     hint="请用 --out 换一个输出路径；确认要用空白模板覆盖时加 --force")
