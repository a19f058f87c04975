"""The official 项目支出绩效自评表, one sheet per project (scoring-rules.md §7), each on one A4 page.

Written strictly in row order (the workbook streams rows to disk): a merge that spans rows is made
without a format and its cells are then written one by one with theirs.

- amounts in the profile's unit (``report.amount_unit``: 元 or 万元);
- "—" in the 当年财政拨款 / 上年结转资金 / 其他资金 rows, which the actuals do not split;
- 实际完成情况: the unit's narrative (the projects' ``narrative`` column) when there is one;
- 实际完成值 as read (:func:`shown_actual`); 偏差原因分析及改进措施 is the unit's own words only: why an
  indicator could not be judged is the tool's, said in the note under the table (:func:`unjudged_note`);
- a 佐证材料 column, a legend of the score colours, the signature block, page numbers.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from scoring.criteria.rule import BY_CRITERIA
from scoring.language.comparator import cell_text
from scoring.reports.cells import fit_cell
from scoring.reports.sheets import VERDICT_COLORS, put_number, put_text, row_height, sheet_name, spans
from scoring.reports.summary import amount_scale
from scoring.results import RunResult
from scoring.vocab import Verdict

WIDTHS = (9, 9, 10, 18, 14, 14, 6, 7, 20, 12)
LAST = len(WIDTHS) - 1
DASH = "—"
CRITERIA_MARK = " ※"  # after the 三级指标 of an indicator scored by its own 评分标准
SIGNATURE = (("填报单位（盖章）：", 0, 2), ("填报人：", 3, 4), ("联系电话：", 5, 7), ("填报日期：      年    月    日", 8, 9))


def narratives(result: RunResult) -> dict[str, str]:
    """Project → the unit's narrative of the year (年度总体目标完成情况), where the run carries one."""
    for frame in (result.projects, result.targets.projects):
        if "narrative" in frame.columns:
            return {p: cell_text(t) for p, t in zip(frame["project"], frame["narrative"], strict=True) if cell_text(t)}
    return {}


def shown_actual(row: pd.Series) -> str:
    """实际完成值 as read: a number the unit typed is shown as the tool read it, in the target's unit
    (95 typed into a percent cell shows 95%, not Excel's 9500%; 0.95 under a percent target shows 95%),
    text as the unit wrote it (their own words: 已按时完成)."""
    raw = row.get("actual")
    read = cell_text(row.get("actual_normalised"))
    number = (isinstance(raw, int | float) and not isinstance(raw, bool)) or (
        isinstance(raw, str) and _NUMBER.fullmatch(raw.strip()) is not None)
    if number and row["verdict"] != Verdict.UNKNOWN and _READ_NUMBER.match(read):
        return _READ_NUMBER.sub(r"\1", read, count=1)
    return cell_text(row["actual_display"])


_NUMBER = re.compile(r"[-+]?\d[\d,]*(\.\d+)?")  # a bare number typed as text
_READ_NUMBER = re.compile(r"^(-?\d[\d,]*(?:\.\d+)?) (?=\S)")  # a reading "95 %": the number, a space, a unit


def unjudged_note(g: pd.DataFrame) -> str:
    """The tool's words on the indicators it could not judge, for the form's note (never in the unit's
    偏差原因 column): ``无法判定：交流活动人数（未填写实际完成值）``."""
    rows = g[g["verdict"] == Verdict.UNKNOWN]
    if rows.empty:
        return ""
    items = [f"{cell_text(name)}（{cell_text(why)}）" for name, why in zip(rows["level3"], rows["unknown_reason"], strict=True)]
    return f"无法判定、记 0 分的指标：{'、'.join(items)}"


def write_forms(wb, f, result: RunResult, audit_name: str) -> None:
    ind, proj = result.indicators, result.projects
    meta = result.targets.projects.set_index("project")
    texts = narratives(result)
    taken = {"汇总", "图表数据"}
    groups = {name: g for name, g in ind.groupby("project", sort=False)}
    for i in range(len(proj)):
        p = proj.iloc[i]
        name = p["project"]
        ws = wb.add_worksheet(sheet_name(f"自评表{i + 1:02d}-{name}", taken))
        m = meta.loc[name] if name in meta.index else None
        if isinstance(m, pd.DataFrame):
            m = m.iloc[0]
        form = _Form(ws, f, result, p)
        form.head(m, texts.get(name, ""))
        g = groups.get(name, ind.iloc[0:0])
        end = form.indicators(g)
        form.foot(end, audit_name, unjudged_note(g))


class _Form:
    def __init__(self, ws, f, result: RunResult, p: pd.Series):
        self.ws, self.f, self.result, self.p = ws, f, result, p
        self.unit, self.scale = amount_scale(result)
        self.marked = False
        for j, w in enumerate(WIDTHS):
            ws.set_column(j, j, w)

    def head(self, m, narrative: str) -> None:
        ws, f, p = self.ws, self.f, self.p
        ws.merge_range(0, 0, 0, LAST, f"项目支出绩效自评表（{self.result.year}年度）", f.title)
        ws.set_row(0, 30)
        ws.write_string(1, 0, "项目名称", f.bold)
        ws.merge_range(1, 1, 1, LAST, str(p["project"]), f.text)
        ws.write_string(2, 0, "主管部门", f.bold)
        ws.merge_range(2, 1, 2, 4, cell_text(m["department"]) if m is not None else "", f.text)
        ws.write_string(2, 5, "实施单位", f.bold)
        ws.merge_range(2, 6, 2, LAST, cell_text(m["unit"]) if m is not None else "", f.text)
        ws.merge_range(3, 0, 7, 0, "", None)  # rows merged without a format: cells follow in row order
        ws.write_string(3, 0, f"项目资金（{self.unit}）", f.bold)
        ws.merge_range(3, 1, 3, 2, "", f.header)
        for c, h in zip(range(3, 8), ("年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）"), strict=True):
            ws.write_string(3, c, h, f.header)
        ws.merge_range(3, 8, 3, LAST, "得分", f.header)
        for k, label in enumerate(("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金")):
            r = 4 + k
            ws.write_blank(r, 0, None, f.bold)
            ws.merge_range(r, 1, r, 2, label, f.text)
            if k == 0:
                for c, col in zip((3, 4, 5), ("initial_budget", "full_budget", "spent"), strict=True):
                    put_number(ws, r, c, p[col] / self.scale, f.money)
                put_number(ws, r, 6, p["budget_weight"], f.num)
                put_number(ws, r, 7, p["execution_rate"], f.pct)
                ws.merge_range(r, 8, r, LAST, "", f.num)
                put_number(ws, r, 8, p["budget_score"], f.num)
            else:
                for c in range(3, 8):
                    ws.write_string(r, c, DASH, f.center)
                ws.merge_range(r, 8, r, LAST, DASH, f.center)
        ws.merge_range(8, 0, 9, 0, "", None)
        ws.write_string(8, 0, "年度总体目标", f.bold)
        ws.merge_range(8, 1, 8, 4, "预期目标", f.header)
        ws.merge_range(8, 5, 8, LAST, "实际完成情况", f.header)
        goal = cell_text(m["annual_goal"]) if m is not None else ""
        ws.write_blank(9, 0, None, f.bold)
        ws.merge_range(9, 1, 9, 4, goal, f.text)
        ws.merge_range(9, 5, 9, LAST, fit_cell(narrative), f.text)
        ws.set_row(9, min(300, max(30, row_height(((goal, sum(WIDTHS[1:5])), (narrative, sum(WIDTHS[5:])))))))

    def indicators(self, g: pd.DataFrame) -> int:
        """The indicator table from row 10; returns the row after it."""
        ws, f, r, n = self.ws, self.f, 10, len(g)
        ws.merge_range(r, 0, r + max(n, 1), 0, "", None)
        ws.write_string(r, 0, "绩效指标", f.bold)
        for c, h in enumerate(("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                               "偏差原因分析及改进措施", "佐证材料"), 1):
            ws.write_string(r, c, h, f.header)
        level1 = g["level1"].to_numpy(dtype=object)
        level2 = g["level2"].to_numpy(dtype=object)
        spans1 = spans(level1)
        spans2 = spans(np.array([f"{a}\x00{b}" for a, b in zip(level1, level2, strict=True)], dtype=object))
        for k in range(n):
            row = g.iloc[k]
            rr = r + 1 + k
            reason = cell_text(row["reason_text"])  # the unit's own words only
            actual = shown_actual(row)
            ws.set_row(rr, row_height(((row["level3"], WIDTHS[3]), (row["annual_value"], WIDTHS[4]),
                                       (actual, WIDTHS[5]), (reason, WIDTHS[8]),
                                       (row.get("evidence"), WIDTHS[9]))))
            ws.write_blank(rr, 0, None, f.bold)
            for col, runs, values in ((1, spans1, level1), (2, spans2, level2)):
                span = runs.get(k)
                if span is not None:
                    if span > 1:
                        ws.merge_range(rr, col, rr + span - 1, col, "", None)
                    ws.write_string(rr, col, str(values[k]), f.center)
                else:
                    ws.write_blank(rr, col, None, f.center)
            own = row.get("criteria_basis") == BY_CRITERIA  # scored by its own 评分标准: marked, and said below
            self.marked |= own
            put_text(ws, rr, 3, f"{row['level3']}{CRITERIA_MARK if own else ''}", f.text)
            put_text(ws, rr, 4, row["annual_value"], f.text)
            put_text(ws, rr, 5, actual, f.text)
            put_number(ws, rr, 6, row["weight"], f.num)
            put_number(ws, rr, 7, row["score"], f.verdict_num.get(row["verdict"], f.num))
            put_text(ws, rr, 8, reason, f.text)
            put_text(ws, rr, 9, row.get("evidence"), f.text)
        if n == 0:
            ws.write_blank(r + 1, 0, None, f.bold)
            ws.merge_range(r + 1, 1, r + 1, LAST, "（无指标）", f.text)
        return r + 1 + max(n, 1)

    def foot(self, r: int, audit_name: str, unjudged: str = "") -> None:
        ws, f, p = self.ws, self.f, self.p
        ws.write_string(r, 0, "总分", f.bold)
        ws.write_number(r, 1, 100, f.bold_center)
        ws.merge_range(r, 2, r, 5, "", f.bold_num)
        put_number(ws, r, 2, p["total"], f.bold_num)
        ws.merge_range(r, 6, r, 7, "自评等级", f.bold)
        ws.merge_range(r, 8, r, LAST, str(p["grade"]), f.bold_center)
        r += 1
        reason = cell_text(p.get("budget_reason"))
        if reason:  # the 预算执行 sheet's 偏差原因: the unit's own words on its execution rate
            ws.merge_range(r, 0, r, 1, "预算执行偏差原因", f.bold)
            ws.merge_range(r, 2, r, LAST, fit_cell(reason), f.text)
            ws.set_row(r, min(300, max(20, row_height(((reason, sum(WIDTHS[2:])),)))))
            r += 1
        ws.write_string(r, 0, "得分底色", f.note)
        for c, verdict in enumerate(VERDICT_COLORS, 1):
            ws.write_string(r, c, verdict, f.verdict_legend[verdict])
        r += 1
        flags = "；".join(str(x) for x in p["flags"] if x)
        note = (f"注：金额单位为{self.unit}；得分按四舍五入保留两位小数；各指标的计算过程见“{audit_name}”。"
                + (f"标“{CRITERIA_MARK.strip()}”的指标按该指标自己的评分标准计分。" if self.marked else "")
                + (f"提示：{flags}。" if flags else "") + (f"{unjudged}。" if unjudged else ""))
        note = fit_cell(note)
        ws.merge_range(r, 0, r, LAST, note, self.f.note)
        ws.set_row(r, row_height(((note, sum(WIDTHS)),), line=13))
        r += 2
        ws.set_row(r, 24)
        for text, c1, c2 in SIGNATURE:
            ws.merge_range(r, c1, r, c2, text, f.sign)
        ws.set_paper(9)
        ws.set_portrait()
        ws.fit_to_pages(1, 1)
        ws.center_horizontally()
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.set_footer("&C第 &P 页，共 &N 页")
        ws.print_area(0, 0, r, LAST)
