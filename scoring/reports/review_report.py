"""``复核意见_YEAR.xlsx``: what ``score review`` found, as a reviewer hands it over.

- ``复核汇总``: the projects ranked by P0, P1, |偏离度|, with 自评得分, 复核得分 and 偏离度, the counts by
  level coloured (conditional formats: they follow a sort or a filter), a legend and two native Excel
  charts (findings by level per project, stacked; 自评 against 复核 when there was a 复核).
- ``单位排名`` (a folder's batch only): the units ranked the same way.
- ``问题清单``: every finding, grouped by project in the ranking's order, its row coloured by level:
  级别, 项目, 指标, 问题, 复核意见 (the message), 依据 (the data it rests on), 整改建议, 位置.
- ``规则说明``: each rule — what it checks, why a reviewer cares, how to fix it, its threshold.

Written with xlsxwriter like the other reports (:mod:`scoring.reports.sheets`: text never becomes a
formula), atomically (:func:`scoring.files.atomic_path`).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_range_abs

from scoring import workspace
from scoring.files import atomic_path
from scoring.language.numerals import fmt_number
from scoring.reports.audit import EXCEL_MAX_ROWS
from scoring.reports.sheets import WORKBOOK_OPTIONS, Formats, print_setup, put_number, put_text, row_height
from scoring.review.registry import LEVELS
from scoring.review.run import Review

LEVEL_COLORS = {"P0": "#FFC7CE", "P1": "#FFEB9C", "P2": "#DDEBF7"}
LEVEL_FONTS = {"P0": "#9C0006", "P1": "#9C5700", "P2": "#1F4E78"}
DEVIATION_COLOR = "#F8CBAD"
MAX_CHART_ROWS = 30  # the charts show the first 30 of the ranking


def report_path(out_dir: str | Path, year: int) -> Path:
    return Path(out_dir) / workspace.review_name(year)


def write_review_workbook(review: Review, out_dir: str | Path) -> Path:
    path = report_path(out_dir, review.year)
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        wb.set_properties({"title": f"{review.year}年度项目支出绩效自评复核意见", "author": "score"})
        f = Formats(wb)
        _summary(wb, f, review)
        if review.units is not None:
            _units(wb, f, review)
        _findings(wb, f, review)
        _rules(wb, f, review)
        wb.close()
    return path


def _level_formats(wb) -> dict[str, object]:
    return {k: wb.add_format({"bg_color": c, "font_color": LEVEL_FONTS[k]}) for k, c in LEVEL_COLORS.items()}


def _deviation_text(review: Review) -> str:
    return fmt_number(review.run.profile.review.deviation)


def _summary(wb, f, review: Review) -> None:
    ws = wb.add_worksheet("复核汇总")
    ws.activate()
    proj = review.projects
    batch = review.units is not None
    headers = ["排名", "项目名称", *(["单位（工作簿）"] if batch else []), "自评得分", "自评等级", "执行率", "复核得分",
               "偏离度", *LEVELS, "主要问题"]
    widths = [6, 34, *([24] if batch else []), 9, 8, 9, 9, 9, 6, 6, 6, 60]
    ws.merge_range(0, 0, 0, len(headers) - 1, f"{review.year}年度项目支出绩效自评复核意见汇总", f.title)
    ws.set_row(0, 28)
    counts = review.counts()
    ws.write_string(1, 0, (f"评分规则：{review.run.rules}；实际值：{review.run.actuals_label}；共 {len(proj)} 个项目，"
                           f"复核 {int(proj['reviewed'].sum())} 个；问题 {len(review.findings)} 条（"
                           + "，".join(f"{k} {v}" for k, v in counts.items()) + "），见“问题清单”。"
                           f"排序：P0 多者在前，其次 P1，再次偏离度。{''.join(review.notes)}"), f.note)
    for j, (h, w) in enumerate(zip(headers, widths, strict=True)):
        ws.set_column(j, j, w)
        ws.write_string(2, j, h, f.header)
    titles = _titles_by_project(review)
    c0 = 3 if batch else 2
    for i, p in enumerate(proj.itertuples(index=False)):
        r = 3 + i
        text = titles.get(p.project, "")
        ws.set_row(r, row_height(((p.project, widths[1]), (text, widths[-1]))))
        ws.write_number(r, 0, int(p.rank), f.center)
        put_text(ws, r, 1, p.project, f.text)
        if batch:
            put_text(ws, r, 2, Path(p.unit).name if p.unit else "", f.text)
        put_number(ws, r, c0, p.total, f.num)
        put_text(ws, r, c0 + 1, p.grade, f.center)
        put_number(ws, r, c0 + 2, p.execution_rate, f.pct)
        put_number(ws, r, c0 + 3, p.review_total, f.num)
        put_number(ws, r, c0 + 4, p.deviation, f.pct)
        for k, level in enumerate(LEVELS):
            ws.write_number(r, c0 + 5 + k, int(getattr(p, level)), f.center)
        put_text(ws, r, c0 + 8, text, f.text)
    last = 2 + len(proj)
    if len(proj):
        _colour_counts(wb, ws, 3, last, c0 + 5)
        _colour_deviation(wb, ws, review, 3, last, c0 + 4)
    end = _legend(wb, ws, f, review, last + 2)
    if len(proj):
        end = _charts(wb, ws, review, end + 1, c0)
    ws.freeze_panes(3, 2)
    ws.autofilter(2, 0, max(last, 3), len(headers) - 1)
    print_setup(ws, repeat=2)
    ws.print_area(0, 0, end, len(headers) - 1)


def _titles_by_project(review: Review) -> dict[str, str]:
    """Per project, its problems by name with their numbers: ``佐证材料缺失 3；文字雷同 2``."""
    out: dict[str, dict[str, int]] = {}
    for x in review.findings:
        key = f"{x.level} {x.title}"
        out.setdefault(x.project, {}).setdefault(key, 0)
        out[x.project][key] += 1
    return {p: "；".join(f"{k} {n}" if n > 1 else k for k, n in titles.items()) for p, titles in out.items()}


def _colour_counts(wb, ws, first: int, last: int, c: int) -> None:
    fmts = _level_formats(wb)
    for k, level in enumerate(LEVELS):
        ws.conditional_format(first, c + k, last, c + k, {"type": "cell", "criteria": ">", "value": 0,
                                                          "format": fmts[level]})


def _colour_deviation(wb, ws, review: Review, first: int, last: int, c: int) -> None:
    line = review.run.profile.review.deviation / 100
    fmt = wb.add_format({"bg_color": DEVIATION_COLOR, "bold": True})
    ws.conditional_format(first, c, last, c, {"type": "cell", "criteria": "not between", "minimum": -line,
                                              "maximum": line, "format": fmt})


def _legend(wb, ws, f, review: Review, row: int) -> int:
    ws.write_string(row, 1, "图例（颜色的含义）", f.bold)
    items = [(f"{k}：{v}", LEVEL_COLORS[k]) for k, v in LEVELS.items()]
    items.append((f"偏离度 =（自评得分 − 复核得分）÷ 自评得分，绝对值超过 {_deviation_text(review)}%", DEVIATION_COLOR))
    for k, (text, color) in enumerate(items):
        ws.write_blank(row + 1 + k, 0, None, wb.add_format({"bg_color": color, "border": 1}))
        ws.write_string(row + 1 + k, 1, text, f.plain)
    return row + 2 + len(items)


def _charts(wb, ws, review: Review, row: int, c0: int) -> int:
    n = min(len(review.projects), MAX_CHART_ROWS)
    names = "='复核汇总'!" + xl_range_abs(3, 1, 2 + n, 1)
    chart = wb.add_chart({"type": "bar", "subtype": "stacked"})
    for k, level in enumerate(LEVELS):
        chart.add_series({"name": level, "categories": names,
                          "values": "='复核汇总'!" + xl_range_abs(3, c0 + 5 + k, 2 + n, c0 + 5 + k),
                          "fill": {"color": LEVEL_FONTS[level] if level == "P0" else LEVEL_COLORS[level]},
                          "border": {"color": LEVEL_FONTS[level]}})
    more = f"（排名前 {n} 个）" if len(review.projects) > n else ""
    chart.set_title({"name": f"各项目问题数{more}"})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 720, "height": max(300, 22 * n + 90)})
    ws.set_h_pagebreaks([row])  # the charts start a printed page of their own
    ws.insert_chart(row, 0, chart, {"x_offset": 5, "y_offset": 5})
    last = row + max(16, (22 * n + 90) // 20 + 1)
    if review.reviewed:
        scores = wb.add_chart({"type": "column"})
        for label, col in (("自评得分", c0), ("复核得分", c0 + 3)):
            scores.add_series({"name": label, "categories": names,
                               "values": "='复核汇总'!" + xl_range_abs(3, col, 2 + n, col)})
        scores.set_title({"name": "自评得分与复核得分"})
        scores.set_y_axis({"min": 0, "max": 100})
        scores.set_legend({"position": "bottom"})
        scores.set_size({"width": 720, "height": 320})
        ws.insert_chart(last + 1, 0, scores, {"x_offset": 5, "y_offset": 5})
        last += 18
    return last


def _units(wb, f, review: Review) -> None:
    ws = wb.add_worksheet("单位排名")
    units: pd.DataFrame = review.units
    headers = ["排名", "单位（工作簿）", "项目数", "自评平均分", "复核项目数", "复核项目自评平均分", "复核平均分", "偏离度", *LEVELS]
    widths = [6, 36, 8, 11, 10, 14, 11, 9, 6, 6, 6]
    ws.merge_range(0, 0, 0, len(headers) - 1, f"{review.year}年度绩效自评复核：各单位排名", f.title)
    ws.write_string(1, 0, "排序：P0 多者在前，其次 P1，再次偏离度（复核项目的自评得分合计与复核得分合计之差 ÷ 自评得分合计）。",
                    f.note)
    for j, (h, w) in enumerate(zip(headers, widths, strict=True)):
        ws.set_column(j, j, w)
        ws.write_string(2, j, h, f.header)
    for i, u in enumerate(units.itertuples(index=False)):
        r = 3 + i
        ws.write_number(r, 0, int(u.rank), f.center)
        put_text(ws, r, 1, Path(u.unit).name if u.unit else "", f.text)
        ws.write_number(r, 2, int(u.projects), f.center)
        put_number(ws, r, 3, u.total, f.num)
        ws.write_number(r, 4, int(u.reviewed), f.center)
        put_number(ws, r, 5, u.reviewed_total, f.num)
        put_number(ws, r, 6, u.review_total, f.num)
        put_number(ws, r, 7, u.deviation, f.pct)
        for k, level in enumerate(LEVELS):
            ws.write_number(r, 8 + k, int(getattr(u, level)), f.center)
    last = 2 + len(units)
    if len(units):
        _colour_counts(wb, ws, 3, last, 8)
        _colour_deviation(wb, ws, review, 3, last, 7)
    ws.freeze_panes(3, 2)
    print_setup(ws, repeat=2)


FINDING_HEADERS = ("序号", "级别", "项目名称", "指标编号", "三级指标", "问题", "复核意见", "依据", "整改建议", "位置")
FINDING_WIDTHS = (6, 6, 28, 14, 20, 16, 48, 48, 40, 30)


def _findings(wb, f, review: Review) -> None:
    """问题清单, continued on 问题清单2, 3 … past Excel's rows (a province's batch)."""
    per_sheet = EXCEL_MAX_ROWS - 3
    chunks = range(0, max(len(review.findings), 1), per_sheet)
    for k, start in enumerate(chunks):
        _finding_sheet(wb, f, review, "问题清单" + (str(k + 1) if k else ""), start, start + per_sheet)


def _finding_sheet(wb, f, review: Review, name: str, start: int, stop: int) -> None:
    ws = wb.add_worksheet(name)
    batch = review.units is not None
    headers = [*FINDING_HEADERS[:3], *(["单位（工作簿）"] if batch else []), *FINDING_HEADERS[3:]]
    widths = [*FINDING_WIDTHS[:3], *([22] if batch else []), *FINDING_WIDTHS[3:]]
    ws.merge_range(0, 0, 0, len(headers) - 1, f"{review.year}年度绩效自评复核问题清单", f.title)
    ws.write_string(1, 0, "按项目排列（项目顺序同“复核汇总”的排名），同一项目内 P0 在前。", f.note)
    for j, (h, w) in enumerate(zip(headers, widths, strict=True)):
        ws.set_column(j, j, w)
        ws.write_string(2, j, h, f.header)
    level_cell = {k: wb.add_format({"font_name": "宋体", "font_size": 10, "border": 1, "align": "center",
                                    "valign": "vcenter", "bold": True, "bg_color": c, "font_color": LEVEL_FONTS[k]})
                  for k, c in LEVEL_COLORS.items()}
    shown = review.findings[start:stop]
    for i, x in enumerate(shown, start):
        r = 3 + i - start
        cells = [x.project, *([Path(x.unit).name if x.unit else ""] if batch else []), x.indicator_id, x.indicator,
                 x.title, x.message, x.basis, x.hint, x.where]
        ws.set_row(r, _height(cells, widths[2:]))
        ws.write_number(r, 0, i + 1, f.center)
        ws.write_string(r, 1, x.level, level_cell[x.level])
        for j, v in enumerate(cells, 2):
            put_text(ws, r, j, v, f.text)
    last = 2 + len(shown)
    if shown:
        fmts = _level_formats(wb)
        for level in LEVELS:  # the whole row in its level's colour (follows a sort or a filter)
            ws.conditional_format(3, 2, last, len(headers) - 1, {"type": "formula", "criteria": f'=$B4="{level}"',
                                                                 "format": fmts[level]})
    ws.freeze_panes(3, 3)
    ws.autofilter(2, 0, max(last, 3), len(headers) - 1)
    print_setup(ws, repeat=2)


def _height(cells: list, widths: list[float], line: float = 14.5) -> float:
    """The height that shows a row's wrapped texts, as :func:`scoring.reports.sheets.row_height` reckons it but
    with a character's width taken from its UTF-8 length (CJK 3 bytes → 2 columns, ASCII → 1): a province's
    list has tens of thousands of rows, and counting character by character in Python took half the sheet's time."""
    lines = 1
    for text, width in zip(cells, widths, strict=True):
        if text:
            per_line = max(width - 2.5, 1)
            lines = max(lines, sum(math.ceil(max((len(part.encode()) + len(part)) / 2, 1) / per_line)
                                   for part in str(text).split("\n")))
    return line * lines + 3


def _rules(wb, f, review: Review) -> None:
    ws = wb.add_worksheet("规则说明")
    headers = ("代码", "级别", "问题", "检查内容", "复核人员为什么关注", "怎样整改", "本次发现")
    widths = (22, 6, 16, 48, 48, 48, 9)
    ws.merge_range(0, 0, 0, len(headers) - 1, "复核规则说明", f.title)
    s = review.run.profile.review
    ws.write_string(1, 0, f"阈值（规则文件的 review: 一节）：{s.describe()}", f.note)
    for j, (h, w) in enumerate(zip(headers, widths, strict=True)):
        ws.set_column(j, j, w)
        ws.write_string(2, j, h, f.header)
    found: dict[str, int] = {}
    for x in review.findings:
        found[x.code] = found.get(x.code, 0) + 1
    fmts = _level_formats(wb)
    for i, rule in enumerate(review.rules):
        r = 3 + i
        ws.set_row(r, row_height(((rule.checks, 48), (rule.why, 48), (rule.fix, 48))))
        cells = (rule.code, rule.level, rule.title, rule.checks, rule.why, rule.fix)
        for j, v in enumerate(cells):
            put_text(ws, r, j, v, f.text)
        ws.write_number(r, 6, found.get(rule.code, 0), f.center)
    if review.rules:
        for level in LEVELS:
            ws.conditional_format(3, 1, 2 + len(review.rules), 1, {"type": "cell", "criteria": "==",
                                                                   "value": f'"{level}"', "format": fmts[level]})
    print_setup(ws, repeat=2)
