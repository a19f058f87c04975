"""The previous writer of the audit sheets (xlsxwriter, one call per cell), kept as the reference the
columnar writer is compared with (tests/test_report_detail.py): same rows, same values and types,
same number formats, fonts, borders, widths, frozen panes, filter and verdict colours.

It is the 指标明细/问题清单 code of scoring/reports/year_report.py as it was before issue 14, trimmed to
those two sheets. It is test code: nothing in scoring/ imports it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import xlsxwriter

from scoring.language.comparator import cell_text
from scoring.results import RunResult
from scoring.vocab import ALL

VERDICT_COLORS = {str(v): c for v, c in zip(ALL, ("#C6EFCE", "#FFEB9C", "#FFC7CE", "#D9D9D9"), strict=True)}
DETAIL_COLUMNS = (
    ("指标编号", 14), ("项目名称", 24), ("一级指标", 10), ("二级指标", 13), ("三级指标", 24),
    ("年度指标值（原文）", 24), ("理解为", 18), ("实际完成值（填报）", 18), ("实际完成值（换算后）", 18),
    ("判定", 9), ("分值", 7), ("得分", 7), ("计算过程", 40), ("假设", 40), ("提示", 36),
    ("偏差原因分析及改进措施", 30), ("来源单元格", 30),
)


def _texts(values) -> list[str]:
    return [v if isinstance(v, str) else cell_text(v) for v in values]


def _joined(values) -> list[str]:
    return ["；".join(v) if v else "" for v in values]


def write_reference(result: RunResult, path: Path) -> Path:
    """指标明细 and 问题清单 as the previous writer wrote them."""
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False, "strings_to_numbers": False})
    base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "vcenter", "text_wrap": True}
    header = wb.add_format({**base, "bold": True, "bg_color": "#BDD7EE", "align": "center"})
    text = wb.add_format(base)
    center = wb.add_format({**base, "align": "center"})
    line = wb.add_format({**base, "text_wrap": False})
    num = wb.add_format({**base, "num_format": "0.00"})
    verdict = {v: wb.add_format({**base, "bg_color": c, "align": "center"}) for v, c in VERDICT_COLORS.items()}
    verdict_num = {v: wb.add_format({**base, "bg_color": c, "num_format": "0.00"}) for v, c in VERDICT_COLORS.items()}
    ind = result.indicators
    cols = [_texts(ind[c].to_numpy(dtype=object)) for c in
            ("id", "project", "level1", "level2", "level3", "annual_value", "reading", "actual_display",
             "actual_normalised")]
    tail = [_texts(ind["explanation"].to_numpy(dtype=object)), _joined(ind["assumptions"].to_numpy(dtype=object)),
            _joined(ind["flags"].to_numpy(dtype=object)), _texts(ind["reason_text"].to_numpy(dtype=object)),
            _texts(ind["cell"].to_numpy(dtype=object))]
    ws = wb.add_worksheet("指标明细")
    for j, (h, w) in enumerate(DETAIL_COLUMNS):
        ws.set_column(j, j, w, num if j in (10, 11) else line)
        ws.write_string(0, j, h, header)
    for i in range(len(ind)):
        r = i + 1
        for j in range(9):
            if cols[j][i]:
                ws.write_string(r, j, cols[j][i], line)
        v = ind["verdict"].iat[i]
        ws.write_string(r, 9, v, verdict.get(v, center))
        w, sc = ind["weight"].iat[i], ind["score"].iat[i]
        if not pd.isna(w):
            ws.write_number(r, 10, float(w), num)
        if not pd.isna(sc):
            ws.write_number(r, 11, float(sc), verdict_num.get(v, num))
        for k in range(5):
            if tail[k][i]:
                ws.write_string(r, 12 + k, tail[k][i], line)
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(len(ind), 1), len(DETAIL_COLUMNS) - 1)
    ws = wb.add_worksheet("问题清单")
    for j, (h, w) in enumerate((("序号", 6), ("级别", 6), ("位置", 44), ("问题", 60), ("处理建议", 44))):
        ws.set_column(j, j, w)
        ws.write_string(0, j, h, header)
    for i, p in enumerate(result.problems, 1):
        ws.write_number(i, 0, i, center)
        ws.write_string(i, 1, str(p.severity), center)
        ws.write_string(i, 2, p.where, text)
        ws.write_string(i, 3, p.message, text)
        if p.hint:
            ws.write_string(i, 4, p.hint, text)
        else:
            ws.write_blank(i, 4, None, text)
    ws.freeze_panes(1, 0)
    wb.close()
    return path
