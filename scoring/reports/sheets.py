"""What the xlsxwriter sheets of the report share: formats, safe cell writes, row heights, print setup.

Every text goes through ``write_string`` (the workbook is opened with ``strings_to_formulas`` off),
so ``=SUM(...)`` typed by a user stays text and never becomes a formula.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from scoring.language.comparator import cell_text
from scoring.reports.cells import fit_cell
from scoring.vocab import ALL

VERDICT_COLORS = {str(v): c for v, c in zip(ALL, ("#C6EFCE", "#FFEB9C", "#FFC7CE", "#D9D9D9"), strict=True)}
HEADER_COLOR = "#BDD7EE"
WORKBOOK_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                    "strings_to_numbers": False}
A4 = 9


class Formats:
    def __init__(self, wb):
        base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "vcenter", "text_wrap": True}
        self.title = wb.add_format({"font_name": "黑体", "font_size": 16, "bold": True, "align": "center",
                                    "valign": "vcenter"})
        self.header = wb.add_format({**base, "bold": True, "bg_color": HEADER_COLOR, "align": "center"})
        self.text = wb.add_format(base)
        self.center = wb.add_format({**base, "align": "center"})
        self.num = wb.add_format({**base, "num_format": "0.00"})
        self.money = wb.add_format({**base, "num_format": "#,##0.00##"})
        self.pct = wb.add_format({**base, "num_format": "0.00%"})
        self.bold = wb.add_format({**base, "bold": True})
        self.bold_center = wb.add_format({**base, "bold": True, "align": "center"})
        self.bold_num = wb.add_format({**base, "bold": True, "num_format": "0.00"})
        self.bold_money = wb.add_format({**base, "bold": True, "num_format": "#,##0.00##"})
        self.bold_pct = wb.add_format({**base, "bold": True, "num_format": "0.00%"})
        self.note = wb.add_format({"font_name": "宋体", "font_size": 9, "italic": True, "font_color": "#595959"})
        self.plain = wb.add_format({"font_name": "宋体", "font_size": 10, "valign": "vcenter"})
        self.sign = wb.add_format({"font_name": "宋体", "font_size": 11, "valign": "bottom"})
        self.verdict_num = {v: wb.add_format({**base, "bg_color": c, "num_format": "0.00"})
                            for v, c in VERDICT_COLORS.items()}
        self.verdict_legend = {v: wb.add_format({"font_name": "宋体", "font_size": 9, "border": 1, "align": "center",
                                                 "valign": "vcenter", "bg_color": c}) for v, c in VERDICT_COLORS.items()}


def put_number(ws, r: int, c: int, v: object, fmt) -> None:
    if v is None or (isinstance(v, float) and not math.isfinite(v)) or pd.isna(v):
        ws.write_blank(r, c, None, fmt)
    else:
        ws.write_number(r, c, float(v), fmt)


def put_text(ws, r: int, c: int, v: object, fmt) -> None:
    s = fit_cell(cell_text(v))
    if s:
        ws.write_string(r, c, s, fmt)
    else:
        ws.write_blank(r, c, None, fmt)


def display_width(text: str) -> int:
    """Columns a text takes in Excel's units: a Chinese character counts two.

    >>> display_width("得分ab")
    6
    """
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def row_height(cells: Iterable[tuple[object, float]], line: float = 14.5) -> float:
    """The height that shows every wrapped text of a row: (text, column width) pairs."""
    lines = 1
    for text, width in cells:
        if text:
            lines = max(lines, sum(math.ceil(max(display_width(part), 1) / max(width - 2.5, 1))
                                   for part in str(text).split("\n")))
    return line * lines + 3


def print_setup(ws, landscape: bool = True, repeat: int | None = 0, paper: int = A4) -> None:
    """One page wide, page numbers in the footer, the header rows repeated."""
    ws.set_paper(paper)
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.3, right=0.3, top=0.5, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")
    if repeat is not None:
        ws.repeat_rows(repeat)


def sheet_name(base: str, taken: set[str]) -> str:
    """A valid, unused sheet name (31 characters, none of []:*?/\\). Excel compares sheet names
    without regard to case: ``ABC`` and ``abc`` are one name.

    >>> taken = set()
    >>> sheet_name("自评表01-a/b", taken), sheet_name("ABC项目", taken), sheet_name("abc项目", taken)
    ('自评表01-ab', 'ABC项目', 'abc项目(2)')
    """
    name = re.sub(r"[\[\]:*?/\\]", "", base)[:31].strip("'") or "表"
    used = {t.casefold() for t in taken}
    candidate, k = name, 2
    while candidate.casefold() in used:
        suffix = f"({k})"
        candidate = name[: 31 - len(suffix)] + suffix
        k += 1
    taken.add(candidate)
    return candidate


def spans(values: np.ndarray) -> dict[int, int]:
    """Start index → length of each run of equal consecutive values.

    >>> spans(np.array(["a", "a", "b"], dtype=object))
    {0: 2, 2: 1}
    """
    out: dict[int, int] = {}
    start = 0
    for k in range(1, len(values) + 1):
        if k == len(values) or values[k] != values[start]:
            out[start] = k - start
            start = k
    return out
