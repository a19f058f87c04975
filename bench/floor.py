"""The I/O floor of the main job (issue 14): what reading the actuals and writing the report's
largest sheet cost with the fastest maintained tools, and nothing else.

- read: python-calamine, the 指标实际值 sheet as Python rows;
- write: rustpy-xlsxwriter (rust_xlsxwriter) from a pandas frame: the report's own 指标明细 rows
  (the tool is run once, untimed, to get them) with its formats — bordered wrapped 宋体 10 per
  column, 0.00 on 分值/得分, the header's fill, frozen header and first column, a filter, the
  verdict colours as conditional formats, row heights for the wrapped text, A3 landscape.

:func:`detail_options` and :func:`detail_rows` describe a synthetic 17-column sheet of the same
shape (short texts): ``bench/rustpy_eval.py`` checks the writer's features on it, and the old
xlsxwriter floor (``--xlsxwriter-floor``) writes it. Not a test: figures are printed by ``bench/run.py``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

VERDICT_COLORS = {"达成": "#C6EFCE", "部分达成": "#FFEB9C", "未达成": "#FFC7CE", "无法判定": "#D9D9D9"}
DETAIL_COLUMNS = (
    ("指标编号", 14), ("项目名称", 24), ("一级指标", 10), ("二级指标", 13), ("三级指标", 24),
    ("年度指标值（原文）", 24), ("理解为", 18), ("实际完成值（填报）", 18), ("实际完成值（换算后）", 18),
    ("判定", 9), ("分值", 7), ("得分", 7), ("计算过程", 40), ("假设", 40), ("提示", 36),
    ("偏差原因分析及改进措施", 30), ("来源单元格", 30),
)
NUMBER_COLUMNS = (10, 11)


def detail_options(rx) -> dict:
    """Keyword arguments of ``rustpy_xlsxwriter.write_worksheet`` for the 指标明细 sheet."""
    def base():
        return rx.Format().set_font_name("宋体").set_font_size(10).set_border("thin").set_align("vcenter")

    header = base().set_bold().set_background_color("#BDD7EE").set_align("center").set_text_wrap()
    text, num = base(), base().set_num_format("0.00")
    # A "cell" rule compares numbers only (a text value raises); "begins_with" is written as
    # LEFT(J2, <UTF-8 bytes of the value>)="value", which for Chinese text is exact equality.
    verdicts = [{"type": "text", "criteria": "begins_with", "value": v, "format": rx.Format().set_background_color(c)}
                for v, c in VERDICT_COLORS.items()]
    return {
        "sheet_name": "指标明细", "freeze_row": 1, "freeze_col": 1, "autofilter": True,
        "column_widths": [w for _, w in DETAIL_COLUMNS],
        "column_formats": [num if j in NUMBER_COLUMNS else text for j in range(len(DETAIL_COLUMNS))],
        "header_format": header,
        "conditional_formats": {"判定": verdicts},
        "page_setup": {"landscape": True, "paper_size": 9, "fit_to_pages": (1, 0), "repeat_rows": 0,
                       "margins": {"left": 0.3, "right": 0.3, "top": 0.5, "bottom": 0.5}},
    }


def detail_rows(rows: list[list], year: int) -> pd.DataFrame:
    """The report's 指标明细 rows built from the actuals sheet's rows (header first): the targets'
    columns from the sheet, the reading, verdict, weight, score and arithmetic as short constants
    of the report's usual length, the source cell as the report writes it."""
    body = rows[1:]
    n = len(body)

    def col(c: int) -> list[str]:
        return [r[c] if isinstance(r[c], str) else str(r[c]) for r in body]

    return pd.DataFrame({
        "指标编号": col(0), "项目名称": col(1), "一级指标": col(2), "二级指标": col(3), "三级指标": col(4),
        "年度指标值（原文）": col(5), "理解为": "不低于 90 %", "实际完成值（填报）": col(6), "实际完成值（换算后）": "96 %",
        "判定": "达成", "分值": 5.0, "得分": 4.8, "计算过程": "B/A = 96/100 → 5 × 0.96 = 4.8", "假设": "", "提示": "",
        "偏差原因分析及改进措施": col(7), "来源单元格": [f"actuals/{year}.xlsx › 指标实际值 › G{r + 2}" for r in range(n)],
    })


def report_table(workspace: Path, year: int):
    """The tool's own 指标明细 of ``workspace`` (rows, row heights and sheet options), as the report
    writes it: what the floor's writer writes. Built by running the tool once, outside the timing."""
    import gc

    from scoring.pipeline import run_year
    from scoring.reports import audit

    result = run_year(year, targets_dir=workspace / "targets" / str(year),
                      actuals_path=workspace / "actuals" / f"{year}.xlsx", actuals_label=f"actuals/{year}.xlsx")
    table, lines = audit.detail_table(result.indicators)
    wrap = len(table) <= audit.WRAPPED_ROWS  # as write_audit decides
    heights = audit.row_heights(lines) if wrap else {}
    options = {k: {"指标明细": v["指标明细"]} for k, v in audit.sheet_options(["指标明细"], wrap).items()
               if "指标明细" in v}
    del result, lines
    gc.collect()
    return table, heights, options


def measure_floor(workspace: Path, year: int, out: Path, repeat: int = 1) -> dict:
    """Seconds to read the workspace's actuals (calamine) and to write the report's own 指标明细
    (its rows, column formats, row heights, filter, frozen panes, verdict colours and print setup)
    with rustpy-xlsxwriter: the same rows and formats as the tool's, by the fastest writer.
    ``repeat`` times (the rows built once): the run of median total is returned, every total in ``totals``."""
    import python_calamine
    import rustpy_xlsxwriter as rx

    table, heights, options = report_table(workspace, year)
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        rows = python_calamine.CalamineWorkbook.from_path(str(workspace / "actuals" / f"{year}.xlsx")) \
            .get_sheet_by_name("指标实际值").to_python()
        t1 = time.perf_counter()
        del rows
        rx.write_worksheets([("指标明细", table)], str(out), row_heights={"指标明细": heights}, **options)
        t2 = time.perf_counter()
        runs.append((t2 - t0, t1 - t0, t2 - t1))
    _, read, write = sorted(runs)[len(runs) // 2]
    return {"read": read, "write": write, "totals": [r[0] for r in runs], "rows": len(table),
            "writer": f"rustpy-xlsxwriter {rx.get_version()}"}


def measure_xlsxwriter_floor(actuals: Path, year: int, out: Path) -> dict:
    """The floor issue 6 used: calamine read + xlsxwriter's constant-memory per-cell write of as many
    rows × 17 short cells (kept for comparison: it is the tool's own writer, so it hid the gap)."""
    import python_calamine
    import xlsxwriter

    t0 = time.perf_counter()
    rows = python_calamine.CalamineWorkbook.from_path(str(actuals)).get_sheet_by_name("指标实际值").to_python()
    t1 = time.perf_counter()
    frame = detail_rows(rows, year)
    del rows
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    ws = wb.add_worksheet("指标明细")
    fmt = wb.add_format({"font_name": "宋体", "font_size": 10, "border": 1})
    cols = [frame[c].to_numpy(dtype=object) for c, _ in DETAIL_COLUMNS]
    for i in range(len(frame)):
        for j, values in enumerate(cols):
            v = values[i]
            if isinstance(v, str):
                ws.write_string(i + 1, j, v, fmt)
            else:
                ws.write_number(i + 1, j, v, fmt)
    wb.close()
    t2 = time.perf_counter()
    return {"read": t1 - t0, "write": t2 - t1, "rows": len(frame), "writer": f"xlsxwriter {xlsxwriter.__version__}"}
