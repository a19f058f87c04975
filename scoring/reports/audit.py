"""The audit workbook ``指标明细_<year>.xlsx``: one row per indicator and the list of problems.

These are the large sheets (a province has a million indicators), so they are written column by
column with rust_xlsxwriter (the ``rustpy-xlsxwriter`` package), about seven times faster than
xlsxwriter's one call per cell (bench/README.md). That writer takes whole tables (a header and rows)
and their column formats, filter, frozen panes, conditional formats and print setup; it cannot share a
file with xlsxwriter, so the report's small, finely laid-out sheets (汇总 with its charts and the
自评表 forms) are in ``绩效自评报告_<year>.xlsx`` (:mod:`scoring.reports.year_report`).

- Every text is written as a text cell: ``=SUM(A1)`` typed by a user stays text, never a formula.
- The verdict colours are conditional formats on the 判定 column (one rule per verdict), so they
  follow a sort or a filter and cost nothing per row.
- Printable: A3 landscape, one page wide, wrapped text, the header row repeated on every page.
- Past :data:`WRAPPED_ROWS` indicators the detail is one line per row (a table to filter and
  search, not to print): each row's height would have to be set, and rust_xlsxwriter then holds the
  whole sheet in memory (≈ 650 bytes a row: 650 MB at a million) instead of streaming it.
"""

from __future__ import annotations

import math
from itertools import repeat
from pathlib import Path

import numpy as np
import pandas as pd
from rustpy_xlsxwriter import Format, write_worksheets

from scoring import workspace
from scoring.files import atomic_path
from scoring.language.comparator import cell_text
from scoring.reports.cells import EXCEL_CELL_CHARS, fit_cell
from scoring.reports.sheets import HEADER_COLOR, VERDICT_COLORS
from scoring.results import RunResult

EXCEL_MAX_ROWS = 1_048_576
# (header, source column, width): widths fit A3 landscape one page wide at about 80 %
DETAIL_COLUMNS = (
    ("指标编号", "id", 13), ("项目名称", "project", 18), ("一级指标", "level1", 9), ("二级指标", "level2", 10),
    ("三级指标", "level3", 16), ("年度指标值（原文）", "annual_value", 15), ("理解为", "reading", 14),
    ("评分标准（原文）", "criteria", 16),
    ("实际完成值（填报）", "actual_display", 13), ("实际完成值（换算后）", "actual_normalised", 13),
    ("判定", "verdict", 7), ("分值", "weight", 6), ("得分", "score", 6), ("计分依据", "criteria_basis", 8),
    ("计算过程", "explanation", 28),
    ("假设", "assumptions", 20), ("提示", "flags", 20), ("偏差原因分析及改进措施", "reason_text", 18),
    ("佐证材料", "evidence", 14), ("来源单元格", "cell", 18),
)
ROW_COLUMNS = ("id", "cell")  # one distinct text per row: not worth looking up
NUMBER_COLUMNS = ("分值", "得分")
CENTER_COLUMNS = ("判定",)
PROBLEM_COLUMNS = (("序号", 6), ("级别", 6), ("位置", 36), ("问题", 50), ("处理建议", 36))
LINE_POINTS = 13.0  # one line of 10-point 宋体
WRAPPED_ROWS = 200_000  # up to this many indicators the detail wraps its text and sizes its rows
_KEYS = {str, tuple, type(None)}  # values that can be told apart as keys, as they are


def audit_path(out_dir: str | Path, year: int) -> Path:
    return Path(out_dir) / workspace.audit_name(year)


def _base(wrap: bool = True) -> Format:
    f = Format().set_font_name("宋体").set_font_size(10).set_border("thin").set_align("vcenter")
    return f.set_text_wrap() if wrap else f


def _text(v: object) -> str:
    """A value as its cell shows it: lists of notes joined with "；", others as :func:`cell_text`."""
    if isinstance(v, str):
        return v
    if isinstance(v, tuple | list):
        return "；".join(str(x) for x in v if x)
    return cell_text(v)


def _column(values: np.ndarray, width: float, repeated: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Cell texts (None for an empty cell; lists of notes joined with "；") and the lines each takes
    wrapped in a column ``width`` wide. A Chinese character is two units wide: (UTF-8 bytes +
    characters) / 2 counts 1 for ASCII and 2 for CJK.

    Worked out once per distinct text and taken back to the rows (a province's million rows have a
    few thousand distinct texts in most columns). Values that are not text are made text first, one
    by one (``True`` and ``1`` are the same key but show as 是 and 1). ``repeated=False``: a column
    whose every row differs (the 指标编号, the source cell) is worked out row by row, not looked up.

    >>> texts, lines = _column(np.array(["达成", None, ("甲", "", "乙"), 1.5, "长" * 30, "达成"], dtype=object), 20)
    >>> texts.tolist(), lines.tolist()
    (['达成', None, '甲；乙', '1.5', '长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长', '达成'], [1.0, 1.0, 1.0, 1.0, 4.0, 1.0])
    """
    if not set(map(type, values)) <= _KEYS:  # True and 1 would be one key, but show as 是 and 1
        values = np.array([_text(v) for v in values], dtype=object)
    codes, uniques = pd.factorize(values) if repeated else (np.arange(len(values)), values)
    texts = np.empty(len(uniques) + 1, dtype=object)  # the last one (code -1) is for empty cells
    texts[:-1] = uniques if set(map(type, uniques)) <= {str} else [_text(v) for v in uniques]
    chars = np.fromiter(map(len, texts[:-1]), np.int64, len(uniques))
    for k in np.flatnonzero(chars > EXCEL_CELL_CHARS):
        texts[k] = fit_cell(texts[k])
        chars[k] = len(texts[k])
    room = max(width - 2.5, 1.0)
    lines = np.ones(len(uniques) + 1)
    # one line when even all-Chinese text fits; else (UTF-8 bytes + characters) / 2 units per line
    wide = np.flatnonzero((2 * chars > room) | np.fromiter(map(str.__contains__, texts[:-1], repeat("\n")), bool,
                                                           len(uniques)))
    if len(wide):
        sub = texts[wide]
        nbytes = np.fromiter(map(len, map(str.encode, sub)), np.int64, len(sub))
        breaks = np.fromiter(map(str.count, sub, repeat("\n")), np.int64, len(sub))
        lines[wide] = np.ceil((nbytes + chars[wide]) / 2 / room) + breaks
    texts[np.flatnonzero(chars == 0)] = None
    texts[-1] = None
    return texts[codes], lines[codes]


def detail_table(ind: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The 指标明细 rows as the sheet shows them (texts, None where empty, and the two numbers) and
    the lines each row's wrapped text takes."""
    cols: dict[str, object] = {}
    lines = np.ones(len(ind))
    for header, col, width in DETAIL_COLUMNS:
        if header in NUMBER_COLUMNS:
            cols[header] = ind[col].to_numpy(dtype=float)
        elif col in ind.columns:
            cols[header], n = _column(ind[col].to_numpy(dtype=object), width, col not in ROW_COLUMNS)
            np.maximum(lines, n, out=lines)
        else:
            cols[header] = [None] * len(ind)
    return pd.DataFrame(cols), lines


def problems_table(result: RunResult) -> tuple[pd.DataFrame, np.ndarray]:
    ps = result.problems
    if not ps:
        return pd.DataFrame({"序号": [None], "级别": [None], "位置": [None], "问题": ["没有发现问题"],
                             "处理建议": [None]}), np.ones(1)
    cols: dict[str, object] = {"序号": np.arange(1, len(ps) + 1), "级别": [str(p.severity) for p in ps]}
    lines = np.ones(len(ps))
    for (header, width), values in zip(PROBLEM_COLUMNS[2:], ([p.where for p in ps], [p.message for p in ps],
                                                              [p.hint for p in ps]), strict=True):
        cols[header], n = _column(np.array(values, dtype=object), width)
        np.maximum(lines, n, out=lines)
    return pd.DataFrame(cols), lines


def row_heights(lines: np.ndarray, first_row: int = 1) -> dict[int, float]:
    """Heights (points) of the rows whose wrapped text needs more than one line, so that Excel and
    LibreOffice both show every line (LibreOffice does not size rows on opening: they would overlap)."""
    tall = np.flatnonzero(lines > 1)
    heights = np.minimum(lines[tall] * LINE_POINTS + 3, 409.0)
    return dict(zip((tall + first_row).tolist(), heights.tolist(), strict=True))


def _page(paper: int, repeat: bool = True) -> dict:
    """Landscape, one page wide, as many pages down as it takes; page numbers in the footer."""
    out = {"landscape": True, "paper_size": paper, "fit_to_pages": (1, 0),
           "margins": {"left": 0.3, "right": 0.3, "top": 0.5, "bottom": 0.6, "footer": 0.3},
           "footer": "&C第 &P 页，共 &N 页"}
    if repeat:
        out["repeat_rows"] = 0
    return out


def _verdict_rules() -> list[dict]:
    # begins_with on the whole verdict: no verdict is the start of another, so each rule matches one
    return [{"type": "text", "criteria": "begins_with", "value": v,
             "format": Format().set_background_color(c)} for v, c in VERDICT_COLORS.items()]


def write_audit(result: RunResult, out_dir: str | Path, progress=None) -> Path:
    """Write ``指标明细_<year>.xlsx`` atomically (split into 指标明细2… past Excel's row limit)."""
    path = audit_path(out_dir, result.year)
    table, lines = detail_table(result.indicators)
    per_sheet = EXCEL_MAX_ROWS - 1
    parts = max(1, math.ceil(len(table) / per_sheet))
    names = ["指标明细" if s == 0 else f"指标明细{s + 1}" for s in range(parts)]
    sheets = [(name, table.iloc[s * per_sheet:(s + 1) * per_sheet]) for s, name in enumerate(names)]
    wrap = len(table) <= WRAPPED_ROWS
    heights = {name: row_heights(lines[s * per_sheet:(s + 1) * per_sheet]) for s, name in enumerate(names) if wrap}
    problems, problem_lines = problems_table(result)
    sheets.append(("问题清单", problems))
    heights["问题清单"] = row_heights(problem_lines)
    del table, lines
    if progress:
        progress(f"写出{path.name}（{len(result.indicators):,} 行，rust_xlsxwriter）")
    with atomic_path(path) as tmp:
        write_worksheets(sheets, str(tmp), row_heights=heights, **sheet_options(names, wrap))
    return path


def sheet_options(names: list[str], wrap: bool = True) -> dict[str, dict]:
    """Per-sheet layout: widths, formats, header, filter, frozen panes, verdict colours, print setup.
    ``wrap``: whether the detail sheets wrap their text (问题清单 always does)."""
    header = _base().set_bold().set_background_color(HEADER_COLOR).set_align("center")
    text, center = _base(), _base().set_align("center")
    detail_formats = [
        _base(wrap).set_num_format("0.00") if h in NUMBER_COLUMNS else _base(wrap).set_align("center")
        if h in CENTER_COLUMNS else _base(wrap) for h, _, _ in DETAIL_COLUMNS]
    opts: dict[str, dict] = {k: {} for k in ("freeze_panes", "column_widths", "column_formats", "header_format",
                                             "autofilter", "conditional_formats", "page_setup")}
    for name in names:
        opts["freeze_panes"][name] = {"row": 1, "col": 1}
        opts["column_widths"][name] = [w for _, _, w in DETAIL_COLUMNS]
        opts["column_formats"][name] = detail_formats
        opts["header_format"][name] = header
        opts["autofilter"][name] = True
        opts["conditional_formats"][name] = {"判定": _verdict_rules()}
        opts["page_setup"][name] = _page(8)  # A3
    opts["freeze_panes"]["问题清单"] = {"row": 1, "col": 0}
    opts["column_widths"]["问题清单"] = [w for _, w in PROBLEM_COLUMNS]
    opts["column_formats"]["问题清单"] = [center, center, text, text, text]
    opts["header_format"]["问题清单"] = header
    opts["page_setup"]["问题清单"] = _page(9)  # A4
    return opts
