"""The monitoring report (``score monitor``): ``监控汇总`` (every project's 双监控 and warning in
colour, a native chart of execution against time progress, then the projects whose spending lags
and the indicators that cannot be met, with reasons), one official ``项目支出绩效目标执行监控表``
per project, ``指标明细`` for the auditor and ``问题清单``. Written atomically with xlsxwriter; the
cell helpers and formats are those of the year-end report (:mod:`scoring.reports.year_report`).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import xlsxwriter

from scoring import workspace
from scoring.files import atomic_path
from scoring.reports.cells import join_notes
from scoring.reports.sheets import (
    WORKBOOK_OPTIONS,
    Formats,
    print_setup,
    put_number,
    put_text,
    sheet_name,
    spans,
)
from scoring.reports.year_report import MAX_PROJECT_SHEETS
from scoring.results import MonitorResult
from scoring.vocab import NOT_ASSESSED, UNFILLED, Likelihood, WarningLevel

WARNING_COLORS = {**dict(zip(map(str, WarningLevel), ("#C6EFCE", "#FFEB9C", "#FFC7CE"), strict=True)), UNFILLED: "#D9D9D9"}
COUNTED = tuple(map(str, (*Likelihood, NOT_ASSESSED, UNFILLED)))  # the per-project counts of the summary, in order
SUMMARY = "监控汇总"
DETAIL = "指标明细"
PROBLEMS = "问题清单"


def report_path(out_dir: str | Path, result: MonitorResult) -> Path:
    return Path(out_dir) / workspace.monitor_report_name(result.year, result.time.label)


class _MFormats(Formats):
    def __init__(self, wb: xlsxwriter.Workbook):
        super().__init__(wb)
        base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "vcenter", "text_wrap": True}
        self.warn = {w: wb.add_format({**base, "bg_color": c, "align": "center", "bold": True})
                     for w, c in WARNING_COLORS.items()}
        self.left = wb.add_format({"font_name": "宋体", "font_size": 10, "text_wrap": True, "valign": "top"})
        self.h2 = wb.add_format({"font_name": "黑体", "font_size": 12, "bold": True})
        self.line = wb.add_format({**base, "text_wrap": False})  # the detail sheet: one line per indicator


def write_monitor_report(result: MonitorResult, out_dir: str | Path) -> Path:
    path = report_path(out_dir, result)
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {**WORKBOOK_OPTIONS, "constant_memory": False})
        wb.set_properties({"title": f"{result.year}年度项目支出绩效运行监控报告（{result.time.label}）", "author": "score"})
        f = _MFormats(wb)
        taken = {SUMMARY, DETAIL, PROBLEMS}
        _summary(wb, f, result)
        if len(result.projects) <= MAX_PROJECT_SHEETS:
            rows = {p.project: p for p in result.projects.itertuples(index=False)}
            info = result.targets.projects.drop_duplicates("project").set_index("project").to_dict("index")
            for name, g in result.indicators.groupby("project", sort=False):
                _form(wb.add_worksheet(sheet_name(str(name), taken)), f, result, rows[name], g, info.get(name, {}))
        _detail(wb, f, result)
        _problems(wb, f, result)
        wb.close()
    return path


def _warn(ws, f: _MFormats, r: int, c: int, level: str) -> None:
    ws.write_string(r, c, level, f.warn.get(level, f.center))


def counts(result: MonitorResult) -> pd.DataFrame:
    """Per project: how many indicators are 确定能 / 有可能 / 不可能 / 无法测算 (computed) / 未填报 (nothing filled)."""
    ind = result.indicators
    lk = ind["computed_likelihood"].fillna(NOT_ASSESSED).where(ind["warning"] != UNFILLED, UNFILLED)
    return pd.crosstab(ind["project"], lk).reindex(columns=list(COUNTED), fill_value=0)


SUMMARY_COLUMNS = (("项目名称", 34), ("全年预算数（元）", 15), ("{p}执行数（元）", 15), ("执行进度", 10), ("时间进度", 10),
                   ("落后（百分点）", 10), ("全年预计执行率", 11), ("预算监控", 9), *((k, 7) for k in COUNTED),
                   ("预计得分", 9), ("监控结论", 9), ("说明", 60))


def _summary(wb, f: _MFormats, result: MonitorResult) -> None:
    ws = wb.add_worksheet(SUMMARY)
    tp = result.time
    ws.merge_range(0, 0, 0, len(SUMMARY_COLUMNS) - 1,
                   f"{result.year}年度项目支出绩效运行监控汇总（{tp.label}，截至 {tp.through.isoformat()}）", f.title)
    ws.set_row(0, 30)
    assumed = "".join(f"{a}。" for a in result.assumptions)
    ws.write_string(1, 0, f"时间进度：{tp.explanation()}。{assumed}规则：{result.profile.describe()}；"
                    f"{result.profile.monitor.describe()}。", f.note)
    for j, (name, width) in enumerate(SUMMARY_COLUMNS):
        ws.write_string(3, j, name.format(p=tp.label), f.header)
        ws.set_column(j, j, width)
    cnt = counts(result)
    proj = result.projects
    for i, p in enumerate(proj.itertuples(index=False)):
        r = 4 + i
        c = cnt.loc[p.project] if p.project in cnt.index else None
        put_text(ws, r, 0, p.project, f.text)
        put_number(ws, r, 1, p.full_budget, f.money)
        put_number(ws, r, 2, p.spent_so_far, f.money)
        put_number(ws, r, 3, p.budget_rate, f.pct)
        put_number(ws, r, 4, tp.fraction, f.pct)
        put_number(ws, r, 5, p.budget_gap, f.num)
        put_number(ws, r, 6, p.budget_projected_rate, f.pct)
        _warn(ws, f, r, 7, p.budget_warning)
        for j, key in enumerate(COUNTED, 8):
            put_number(ws, r, j, 0 if c is None else c[key], f.center)
        put_number(ws, r, 13, p.total, f.num)
        _warn(ws, f, r, 14, p.warning)
        put_text(ws, r, 15, join_notes((*p.warning_reasons, *p.budget_notes)), f.text)
    last = 4 + len(proj) - 1
    ws.freeze_panes(4, 1)
    if len(proj) > MAX_PROJECT_SHEETS:
        ws.write_string(last + 3, 0, f"项目超过 {MAX_PROJECT_SHEETS} 个，未逐个生成执行监控表；请按部门分别监控，或查看“指标明细”。", f.note)
    ws.write_string(last + 2, 0, "预计得分：把各指标的全年预计按评分规则计算的自评得分，仅供参考；尚未完成的工作按如期完成计算（见“指标明细”的假设）。",
                    f.note)
    if len(proj):
        _chart(wb, ws, result, last)
    row = _lagging(ws, f, result, last + 4 + 22)
    _cannot(ws, f, result, row + 1)
    print_setup(ws, repeat=3)


def _chart(wb, ws, result: MonitorResult, last: int) -> None:
    """Execution progress per project (columns) against time progress (a line)."""
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": "执行进度", "categories": [SUMMARY, 4, 0, last, 0], "values": [SUMMARY, 4, 3, last, 3],
                      "fill": {"color": "#5B9BD5"}})
    line = wb.add_chart({"type": "line"})
    line.add_series({"name": "时间进度", "categories": [SUMMARY, 4, 0, last, 0], "values": [SUMMARY, 4, 4, last, 4],
                     "line": {"color": "#C00000", "width": 2, "dash_type": "dash"}})
    chart.combine(line)
    chart.set_title({"name": f"预算执行进度与时间进度（{result.time.label}）"})
    chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 1100, "height": 420})
    ws.insert_chart(last + 4, 0, chart)


def _lagging(ws, f: _MFormats, result: MonitorResult, row: int) -> int:
    proj = result.projects
    lag = proj[proj["budget_warning"].isin((WarningLevel.ATTENTION, WarningLevel.ALERT))]  # not 未填报: a blank 执行数 is not a lag
    ws.write_string(row, 0, f"预算执行进度落后的项目（{len(lag)} 个）", f.h2)
    row += 1
    for p in lag.itertuples(index=False):
        _warn(ws, f, row, 0, p.budget_warning)
        why = join_notes(p.budget_reasons)
        unit = join_notes(x for x in (p.budget_reason_text and f"单位说明：{p.budget_reason_text}",
                                      p.measures and f"拟采取的措施：{p.measures}") if x)
        ws.merge_range(row, 1, row, 14, f"{p.project}：{why}" + (f"。{unit}" if unit else "（单位未说明原因）"), f.left)
        ws.set_row(row, 30)
        row += 1
    return row


def _cannot(ws, f: _MFormats, result: MonitorResult, row: int) -> int:
    ind = result.indicators
    bad = ind[(ind["computed_likelihood"] == Likelihood.IMPOSSIBLE) | (ind["likelihood"] == Likelihood.IMPOSSIBLE)]
    ws.write_string(row, 0, f"不可能完成年度目标的指标（{len(bad)} 个）", f.h2)
    row += 1
    for r in bad.itertuples(index=False):
        _warn(ws, f, row, 0, r.warning)
        choice = f"单位判断：{r.likelihood or '未填'}；" if r.likelihood != r.computed_likelihood else ""
        unit = join_notes(x for x in (r.reason_text and f"单位说明：{r.reason_text}",
                                      r.measures and f"拟采取的措施：{r.measures}") if x)
        ws.merge_range(row, 1, row, 14, f"{r.project} › {r.level3}（{r.annual_value}）：{choice}测算：{r.likelihood_reason}"
                       + (f"。{unit}" if unit else ""), f.left)
        ws.set_row(row, 44)
        row += 1
    return row


def _form(ws, f: _MFormats, result: MonitorResult, p, g: pd.DataFrame, info: dict) -> None:
    """项目支出绩效目标执行监控表 of one project (``info``: its row of the targets' projects)."""
    tp, year = result.time, result.year
    for j, w in enumerate((10, 12, 22, 16, 16, 16, 11, 11, 8, 26, 26)):
        ws.set_column(j, j, w)
    ws.merge_range(0, 0, 0, 10, f"项目支出绩效目标执行监控表（{year}年度，{tp.label}）", f.title)
    ws.set_row(0, 30)
    ws.write_string(1, 0, "项目名称", f.bold)
    ws.merge_range(1, 1, 1, 5, p.project, f.text)
    ws.write_string(1, 6, "主管部门及代码", f.bold)
    ws.merge_range(1, 7, 1, 10, str(info.get("department", "") or ""), f.text)
    ws.write_string(2, 0, "实施单位", f.bold)
    ws.merge_range(2, 1, 2, 5, str(info.get("unit", "") or ""), f.text)
    ws.write_string(2, 6, "监控结论", f.bold)
    ws.merge_range(2, 7, 2, 10, p.warning, f.warn.get(p.warning, f.center))
    heads = ("项目资金（元）", "", "年初预算数", "全年预算数", f"{tp.label}执行数", "全年预计执行数", f"{tp.label}执行率", "时间进度",
             "预算监控", "偏差原因分析", "拟采取的措施")
    for j, h in enumerate(heads):
        ws.write_string(3, j, h, f.header)
    ws.merge_range(3, 0, 3, 1, heads[0], f.header)
    ws.merge_range(4, 0, 4, 1, "年度资金总额", f.bold)
    put_number(ws, 4, 2, p.initial_budget, f.money)
    put_number(ws, 4, 3, p.full_budget, f.money)
    put_number(ws, 4, 4, p.spent_so_far, f.money)
    put_number(ws, 4, 5, p.expected_spending, f.money)
    put_number(ws, 4, 6, p.budget_rate, f.pct)
    put_number(ws, 4, 7, tp.fraction, f.pct)
    _warn(ws, f, 4, 8, p.budget_warning)
    put_text(ws, 4, 9, p.budget_reason_text, f.text)
    put_text(ws, 4, 10, p.measures, f.text)
    ws.set_row(4, 44)
    ws.merge_range(5, 0, 5, 1, "年度总体目标", f.bold)
    ws.merge_range(5, 2, 5, 10, str(info.get("annual_goal", "") or ""), f.text)
    ws.set_row(5, 44)
    row = _form_indicators(ws, f, tp.label, g, 6)
    ws.merge_range(row, 0, row, 1, "监控结论", f.bold)
    ws.merge_range(row, 2, row, 10, f"{p.warning}：{join_notes(p.warning_reasons) or '预算执行和各项指标均正常'}", f.text)
    ws.set_row(row, 44)
    print_setup(ws, repeat=None)


FORM_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "{p}实际完成值", "全年预计完成值", "完成目标可能性（单位）",
               "完成目标可能性（测算）", "预警", "偏差原因分析", "拟采取的措施")


def _form_indicators(ws, f: _MFormats, label: str, g: pd.DataFrame, row: int) -> int:
    for j, h in enumerate(FORM_HEADER):
        ws.write_string(row, j, h.format(p=label), f.header)
    ws.set_row(row, 30)
    row += 1
    g = g.reset_index(drop=True)
    l1 = g["level1"].to_numpy(dtype=object)
    l2 = (g["level1"] + "\x00" + g["level2"]).to_numpy(dtype=object)
    for start, n in spans(l1).items():
        (ws.merge_range(row + start, 0, row + start + n - 1, 0, l1[start], f.center) if n > 1
         else ws.write_string(row + start, 0, l1[start], f.center))
    for start, n in spans(l2).items():
        text = str(g["level2"].iat[start])
        (ws.merge_range(row + start, 1, row + start + n - 1, 1, text, f.center) if n > 1
         else put_text(ws, row + start, 1, text, f.center))
    for i, r in enumerate(g.itertuples(index=False)):
        expected = r.expected_display or (r.projection if r.projection_source != "无" else "")
        cells = (r.level3, r.annual_value, r.current_display, expected, r.likelihood or "",
                 r.computed_likelihood or NOT_ASSESSED)
        for j, v in enumerate(cells, 2):
            put_text(ws, row + i, j, v, f.text)
        _warn(ws, f, row + i, 8, r.warning)
        put_text(ws, row + i, 9, r.reason_text, f.text)
        put_text(ws, row + i, 10, r.measures, f.text)
        ws.set_row(row + i, 30)
    return row + len(g)


DETAIL_COLUMNS = (
    ("id", "指标编号", 13), ("project", "项目名称", 24), ("level1", "一级指标", 9), ("level2", "二级指标", 11),
    ("level3", "三级指标", 22), ("annual_value", "年度指标值", 18), ("reading", "理解为", 14), ("accrual", "推算方式", 8),
    ("current_display", "{p}实际完成值", 14), ("progress", "完成进度（%）", 9), ("expected_display", "全年预计（单位填报）", 14),
    ("projection", "全年预计（采用）", 30), ("projection_source", "预计来源", 9), ("likelihood", "完成目标可能性（单位）", 10),
    ("computed_likelihood", "完成目标可能性（测算）", 10), ("likelihood_reason", "测算理由", 50), ("warning", "预警", 7),
    ("warning_reasons", "预警原因", 40), ("verdict", "预计判定", 9), ("score", "预计得分", 8), ("assumptions", "假设", 40),
    ("reason_text", "偏差原因分析", 30), ("measures", "拟采取的措施", 30), ("cell", "来源单元格", 30),
)


def _detail(wb, f: _MFormats, result: MonitorResult) -> None:
    ws = wb.add_worksheet(DETAIL)
    for j, (_, name, width) in enumerate(DETAIL_COLUMNS):
        ws.write_string(0, j, name.format(p=result.time.label), f.header)
        ws.set_column(j, j, width)
    ind = result.indicators
    for i, r in enumerate(ind.itertuples(index=False), 1):
        for j, (col, _, _) in enumerate(DETAIL_COLUMNS):
            v = getattr(r, col)
            if col == "warning":
                _warn(ws, f, i, j, v)
            elif col in ("progress", "score"):
                put_number(ws, i, j, v if not (isinstance(v, float) and math.isnan(v)) else None, f.num)
            elif isinstance(v, tuple):
                put_text(ws, i, j, join_notes(v), f.line)
            else:
                put_text(ws, i, j, "" if v is None else v, f.line)
    ws.freeze_panes(1, 3)
    if len(ind):
        ws.autofilter(0, 0, len(ind), len(DETAIL_COLUMNS) - 1)
    print_setup(ws)


def _problems(wb, f: _MFormats, result: MonitorResult) -> None:
    ws = wb.add_worksheet(PROBLEMS)
    for j, (name, width) in enumerate((("位置", 50), ("级别", 7), ("问题", 60), ("处理建议", 50))):
        ws.write_string(0, j, name, f.header)
        ws.set_column(j, j, width)
    for i, pr in enumerate(result.problems, 1):
        for j, v in enumerate((pr.where, str(pr.severity), pr.message, pr.hint or "")):
            put_text(ws, i, j, v, f.line)
    if not result.problems:
        ws.write_string(1, 0, "没有发现问题。", f.note)
    print_setup(ws)
