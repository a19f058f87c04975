"""The 汇总 sheet: one row per project, coloured, with a legend and three native Excel charts.

- 自评等级 is coloured per grade and 执行率 below the profile's ``budget.reason_below`` or over 100 %
  is coloured, as conditional formats (they follow a sort or a filter); a legend under the table
  says what each colour means.
- The charts are Excel's own (they open in Excel and WPS with nothing else installed): the grade
  distribution, each project's total against the grade thresholds, and the score rate per 一级指标.
  Their data is on the sheet ``图表数据`` (written by :func:`write_chart_data`).
- Grade names and thresholds come from the profile; nothing here knows 优/良/中/差 or 90.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_range_abs

from scoring.language.comparator import cell_text
from scoring.reports.cells import join_notes
from scoring.reports.sheets import VERDICT_COLORS, print_setup, put_number, put_text, row_height
from scoring.results import RunResult
from scoring.vocab import ALL

LOW_RATE_COLOR, HIGH_RATE_COLOR = "#FFC7CE", "#F8CBAD"
MAX_CHART_PROJECTS = 60  # past this a bar per project is unreadable: the chart of totals is left out
CHART_DATA = "图表数据"


def grade_colors(result: RunResult) -> dict[str, str]:
    """A colour per grade of the profile, best first: green, then blue, yellow…, the worst red."""
    names = result.profile.grade_names()
    middle = ("#DDEBF7", "#FFEB9C", "#FCE4D6")
    return {g: "#C6EFCE" if i == 0 else "#FFC7CE" if i == len(names) - 1 else middle[min(i - 1, len(middle) - 1)]
            for i, g in enumerate(names)}


def amount_scale(result: RunResult) -> tuple[str, float]:
    """The unit of the report's amounts (the profile's ``report.amount_unit``) and the divisor from 元."""
    unit = result.profile.amount_unit
    return unit, 10_000.0 if unit == "万元" else 1.0


def level1_rates(result: RunResult) -> pd.DataFrame:
    """Points scored and points available per part of the score (预算执行, then each 一级指标)."""
    ind, proj, w = result.indicators, result.projects, result.profile.weights
    level1 = ind["level1"].map(lambda x: w.canonical_level1(str(x)) or w.unknown_level1)
    by = pd.DataFrame({"level1": level1, "score": ind["score"], "weight": ind["weight"]}).groupby("level1", sort=False)
    sums = by[["score", "weight"]].sum()
    order = [name for name, _ in w.level1 if name in sums.index] + [n for n in sums.index if n not in dict(w.level1)]
    rows = [("预算执行", float(proj["budget_score"].sum()), float(proj["budget_weight"].sum()))]
    rows += [(n, float(sums.at[n, "score"]), float(sums.at[n, "weight"])) for n in order]
    out = pd.DataFrame(rows, columns=["part", "score", "weight"])
    out["rate"] = out["score"] / out["weight"].where(out["weight"] > 0)
    return out


def _blocks(result: RunResult) -> tuple[int, int, pd.DataFrame]:
    """Where the 图表数据 blocks start: (rates header row, lines header row, the rates)."""
    rates = level1_rates(result)
    r0 = 3 + len(result.profile.grades)
    return r0, r0 + len(rates) + 2, rates


def chart_ranges(result: RunResult) -> dict[str, str]:
    """The ranges of 图表数据 the charts plot, by name (where :func:`write_chart_data` writes them)."""
    r0, r1, rates = _blocks(result)
    g, n, sheet = len(result.profile.grades), len(result.projects), f"'{CHART_DATA}'!"
    ranges = {"grade_names": sheet + xl_range_abs(2, 0, 1 + g, 0), "grade_counts": sheet + xl_range_abs(2, 1, 1 + g, 1),
              "parts": sheet + xl_range_abs(r0 + 1, 0, r0 + len(rates), 0),
              "rates": sheet + xl_range_abs(r0 + 1, 3, r0 + len(rates), 3)}
    if 0 < n <= MAX_CHART_PROJECTS:
        for k, band in enumerate(b for b in result.profile.grades if b.min > 0):
            ranges[f"line:{band.name}"] = sheet + xl_range_abs(r1 + 1, 1 + k, r1 + n, 1 + k)
            ranges[f"line_name:{band.name}"] = sheet + xl_range_abs(r1, 1 + k, r1, 1 + k)
    return {k: "=" + v for k, v in ranges.items()}


def write_chart_data(wb, f, result: RunResult) -> None:
    """The charts' data on its own sheet, at the places :func:`chart_ranges` names."""
    ws = wb.add_worksheet(CHART_DATA)
    ws.set_column(0, 0, 34)
    ws.set_column(1, 8, 12)
    grades = result.projects["grade"].value_counts()
    ws.write_string(0, 0, "本表是“汇总”中图表的数据，由程序生成。", f.note)
    ws.write_row(1, 0, ["等级", "项目数"], f.header)
    for i, g in enumerate(result.profile.grade_names()):
        ws.write_string(2 + i, 0, g, f.center)
        ws.write_number(2 + i, 1, int(grades.get(g, 0)), f.center)
    r0, r1, rates = _blocks(result)
    ws.write_row(r0, 0, ["得分项", "得分", "满分", "得分率"], f.header)
    for i, row in enumerate(rates.itertuples(index=False)):
        ws.write_string(r0 + 1 + i, 0, row.part, f.text)
        ws.write_number(r0 + 1 + i, 1, round(row.score, 2), f.num)
        ws.write_number(r0 + 1 + i, 2, round(row.weight, 2), f.num)
        put_number(ws, r0 + 1 + i, 3, row.rate, f.pct)
    n = len(result.projects)
    if 0 < n <= MAX_CHART_PROJECTS:
        lines = [b for b in result.profile.grades if b.min > 0]
        ws.write_row(r1, 0, ["项目名称", *[f"{b.name}（{b.min:g} 分）" for b in lines]], f.header)
        for i, name in enumerate(result.projects["project"]):
            ws.write_string(r1 + 1 + i, 0, str(name), f.text)
            for k, b in enumerate(lines):
                ws.write_number(r1 + 1 + i, 1 + k, b.min, f.num)
    print_setup(ws, landscape=False, repeat=None)


def conditional_colours(wb, ws, result: RunResult, first: int, last: int, c_rate: int, c_grade: int) -> None:
    """Grade colours on 自评等级 and the execution-rate colours on 执行率, rows ``first``..``last``."""
    for g, color in grade_colors(result).items():
        ws.conditional_format(first, c_grade, last, c_grade, {
            "type": "cell", "criteria": "==", "value": f'"{g}"', "format": wb.add_format({"bg_color": color})})
    low = result.profile.reason_below / 100
    ws.conditional_format(first, c_rate, last, c_rate, {
        "type": "cell", "criteria": "<", "value": low, "format": wb.add_format({"bg_color": LOW_RATE_COLOR})})
    ws.conditional_format(first, c_rate, last, c_rate, {
        "type": "cell", "criteria": ">", "value": 1, "format": wb.add_format({"bg_color": HIGH_RATE_COLOR})})


def legend(wb, ws, f, result: RunResult, row: int) -> int:
    """The colours' meaning, one coloured cell each, from ``row``; returns the next free row."""
    ws.write_string(row, 1, "图例（颜色的含义）", f.bold)
    items = [(f"自评等级：{g}", c) for g, c in grade_colors(result).items()]
    low = f"{result.profile.reason_below:g}%"
    items += [(f"执行率低于 {low}（须说明偏差原因）", LOW_RATE_COLOR), ("执行率超过 100%（支出超过预算）", HIGH_RATE_COLOR)]
    items += [(f"指标判定：{v}（见“自评表”和指标明细）", c) for v, c in VERDICT_COLORS.items()]
    for k, (text, color) in enumerate(items):
        ws.write_blank(row + 1 + k, 0, None, wb.add_format({"bg_color": color, "border": 1}))
        ws.write_string(row + 1 + k, 1, text, f.plain)
    return row + 2 + len(items)


def charts(wb, ws, f, result: RunResult, ranges: dict[str, str], row: int, c_total: int, n: int) -> int:
    """Insert the three charts from ``row``; returns the last row they cover."""
    grade = wb.add_chart({"type": "column"})
    grade.add_series({"name": "项目数", "categories": ranges["grade_names"], "values": ranges["grade_counts"],
                      "data_labels": {"value": True}})
    grade.set_title({"name": "等级分布"})
    grade.set_legend({"none": True})
    grade.set_y_axis({"name": "项目数", "min": 0})
    ws.insert_chart(row, 0, grade, {"x_offset": 5, "y_offset": 5, "x_scale": 1.0, "y_scale": 1.0})
    rate = wb.add_chart({"type": "column"})
    rate.add_series({"name": "得分率", "categories": ranges["parts"], "values": ranges["rates"],
                     "data_labels": {"value": True, "num_format": "0%"}})
    rate.set_title({"name": "各一级指标得分率"})
    rate.set_legend({"none": True})
    rate.set_y_axis({"min": 0, "max": 1, "num_format": "0%"})
    ws.insert_chart(row, 3, rate, {"x_offset": 5, "y_offset": 5})
    last = row + 16
    if 0 < n <= MAX_CHART_PROJECTS:
        totals = wb.add_chart({"type": "column"})
        totals.add_series({"name": "总分", "categories": f"='汇总'!{xl_range_abs(3, 1, 2 + n, 1)}",
                           "values": f"='汇总'!{xl_range_abs(3, c_total, 2 + n, c_total)}"})
        line = wb.add_chart({"type": "line"})
        for key, rng in ranges.items():
            if key.startswith("line:"):
                line.add_series({"name": ranges["line_name:" + key[5:]], "values": rng,
                                 "marker": {"type": "none"}, "line": {"width": 1.25, "dash_type": "dash"}})
        totals.combine(line)
        totals.set_title({"name": "各项目总分与等级分数线"})
        totals.set_y_axis({"min": 0, "max": 100, "name": "总分"})
        totals.set_legend({"position": "bottom"})
        totals.set_size({"width": 960, "height": 400})
        ws.insert_chart(last + 1, 0, totals, {"x_offset": 5, "y_offset": 5})
        ws.set_h_pagebreaks([last + 1])  # the wide chart starts a printed page of its own
        last += 22
    elif n > MAX_CHART_PROJECTS:
        last += 1
        ws.write_string(last, 0, f"项目超过 {MAX_CHART_PROJECTS} 个，逐项目的总分图难以阅读，没有绘制；"
                                 "各等级的项目数见“等级分布”。", f.note)
    return last


def verdict_counts(result: RunResult) -> pd.DataFrame:
    """Indicators per project (rows, in the projects' order) and verdict (columns, in report order)."""
    ind, names, verdicts = result.indicators, pd.Index(result.projects["project"]), list(map(str, ALL))
    p = names.get_indexer(ind["project"])
    v = pd.Index(verdicts).get_indexer(ind["verdict"].astype(str))
    ok = (p >= 0) & (v >= 0)
    flat = np.bincount(p[ok] * len(verdicts) + v[ok], minlength=len(names) * len(verdicts))
    return pd.DataFrame(flat.reshape(len(names), len(verdicts)), columns=verdicts)


def summary_note(result: RunResult, problems_where: str, note: str) -> str:
    unit, _ = amount_scale(result)
    return (f"评分规则：{result.profile.describe()}；实际值：{result.actuals_label}；共 {len(result.projects)} 个项目、"
            f"{len(result.indicators)} 个指标；问题 {len(result.problems)} 条（见{problems_where}）；金额单位：{unit}。{note}")


def grade_line(result: RunResult) -> str:
    grades = result.projects["grade"].value_counts()
    return "、".join(f"{g} {int(grades.get(g, 0))} 个" for g in result.profile.grade_names())


def flags_texts(result: RunResult) -> list[str]:
    return [join_notes(x) for x in result.projects["flags"].to_numpy(dtype=object)]


def budget_reasons(result: RunResult) -> list[str]:
    """Each project's 偏差原因 from the 预算执行 sheet ("" where none was written)."""
    proj = result.projects
    if "budget_reason" not in proj.columns:
        return [""] * len(proj)
    return [cell_text(x) for x in proj["budget_reason"].to_numpy(dtype=object)]


def write_summary_sheet(wb, f, result: RunResult, *, with_sources: bool = False, note: str = "",
                        problems_where: str = "“问题清单”") -> None:
    """汇总: the table, its totals row, the legend and the charts (rows written in order)."""
    ranges = chart_ranges(result) if len(result.projects) else {}
    ws = wb.add_worksheet("汇总")
    ws.activate()
    proj = result.projects
    unit, scale = amount_scale(result)
    counts = verdict_counts(result)
    level1 = [c for c in proj.columns if c.startswith("subtotal_")]
    sources = result.project_source if with_sources else {}
    headers = (["序号", "项目名称", f"全年预算数（{unit}）", f"全年执行数（{unit}）", "执行率", "预算执行得分"]
               + [c.removeprefix("subtotal_") for c in level1]
               + ["总分", "自评等级", *map(str, ALL), "提示", "预算执行偏差原因"] + (["来源工作簿"] if sources else []))
    widths = [6, 34, 14, 14, 9, 11] + [10] * len(level1) + [8, 8, 6, 8, 7, 8, 40, 30] + ([30] if sources else [])
    ws.merge_range(0, 0, 0, len(headers) - 1, f"{result.year}年度项目支出绩效自评汇总", f.title)
    ws.set_row(0, 28)
    ws.write_string(1, 0, summary_note(result, problems_where, note), f.note)
    for j, (h, w) in enumerate(zip(headers, widths, strict=True)):
        ws.set_column(j, j, w)
        ws.write_string(2, j, h, f.header)
    c_total = 6 + len(level1)
    c_flags = c_total + 6
    flags = flags_texts(result)
    reasons = budget_reasons(result)
    values = counts.to_numpy()
    cols = {c: proj[c].to_numpy() for c in ("project", "full_budget", "spent", "execution_rate", "budget_score",
                                            "total", "grade", *level1)}
    for i in range(len(proj)):
        r = 3 + i
        ws.set_row(r, row_height(((cols["project"][i], widths[1]), (flags[i], widths[c_flags]),
                                  (reasons[i], widths[c_flags + 1]))))
        ws.write_number(r, 0, i + 1, f.center)
        put_text(ws, r, 1, cols["project"][i], f.text)
        put_number(ws, r, 2, cols["full_budget"][i] / scale, f.money)
        put_number(ws, r, 3, cols["spent"][i] / scale, f.money)
        put_number(ws, r, 4, cols["execution_rate"][i], f.pct)
        put_number(ws, r, 5, cols["budget_score"][i], f.num)
        for k, col in enumerate(level1):
            put_number(ws, r, 6 + k, cols[col][i], f.num)
        put_number(ws, r, c_total, cols["total"][i], f.bold_num)
        put_text(ws, r, c_total + 1, cols["grade"][i], f.center)
        for k in range(len(ALL)):
            ws.write_number(r, c_total + 2 + k, int(values[i, k]), f.center)
        put_text(ws, r, c_flags, flags[i], f.text)
        put_text(ws, r, c_flags + 1, reasons[i], f.text)
        if sources:
            put_text(ws, r, c_flags + 2, sources.get(cols["project"][i], ""), f.text)
    r = 3 + len(proj)
    _totals_row(ws, f, result, r, c_total, counts, scale)
    if len(proj):
        conditional_colours(wb, ws, result, 3, r - 1, 4, c_total + 1)
    end = legend(wb, ws, f, result, r + 2)
    if ranges:
        end = charts(wb, ws, f, result, ranges, end + 1, c_total, len(proj))
    ws.freeze_panes(3, 2)
    ws.autofilter(2, 0, max(r - 1, 3), len(headers) - 1)
    print_setup(ws, repeat=2)
    ws.print_area(0, 0, end, len(headers) - 1)


def _totals_row(ws, f, result: RunResult, r: int, c_total: int, counts: pd.DataFrame, scale: float) -> None:
    proj = result.projects
    ws.write_blank(r, 0, None, f.bold)
    full, spent = proj["full_budget"].sum(min_count=1), proj["spent"].sum(min_count=1)
    # the rate divides the spending by the budgets of the projects that have both, never by a budget
    # whose 执行数 is missing (that would read as money not spent)
    both = proj["full_budget"].notna() & proj["spent"].notna()
    paired = proj.loc[both, "full_budget"].sum()
    rate = proj.loc[both, "spent"].sum() / paired if both.any() and paired > 0 else None
    only = "" if both.all() else f"；执行率只计有执行数的 {int(both.sum())} 个项目"
    ws.write_string(r, 1, f"合计（{len(proj)} 个项目；总分为平均分{only}）", f.bold)
    put_number(ws, r, 2, full / scale, f.bold_money)
    put_number(ws, r, 3, spent / scale, f.bold_money)
    put_number(ws, r, 4, rate, f.bold_pct)
    for c in range(5, c_total):
        ws.write_blank(r, c, None, f.bold)
    put_number(ws, r, c_total, proj["total"].mean() if len(proj) else None, f.bold_num)
    ws.write_blank(r, c_total + 1, None, f.bold)
    for k, v in enumerate(map(str, ALL)):
        ws.write_number(r, c_total + 2 + k, int(counts[v].sum()), f.bold)
    put_text(ws, r, c_total + 6, grade_line(result), f.bold)
