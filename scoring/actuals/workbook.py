"""Read the actuals workbook users fill at year end (generated from ``actuals_template.xlsx``).

python-calamine reads the values (about 12× faster than openpyxl); the few facts calamine cannot
see — a percent number format, a formula without a cached value — come from
:func:`scoring.xlsx_cells.inspect_cells`, and only for the cells that need them.

Two kinds of problem, as the users' guide says:

- the workbook itself (not an xlsx, damaged, a zip or XML bomb, encrypted, a missing sheet or
  column) → :class:`~scoring.findings.ScoreError`, exit 2, no report;
- one cell (a duplicated or unknown 指标编号, NaN, a formula with no value, ...) → a
  :class:`Finding` with ``文件 › 工作表 › 单元格``; that indicator is 无法判定 and everything
  else is still scored.

Rows are matched by 指标编号, never by position, and each header row is found by its names
wherever it stands.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.actuals import budget
from scoring.actuals.numbers import percent_cell
from scoring.actuals.opening import (  # noqa: F401 (SHEET_GUIDE, open_actuals, open_workbook: read from here too)
    SHEET_BUDGET,
    SHEET_GUIDE,
    SHEET_INDICATORS,
    SHEET_NARRATIVE,
    Opened,
    _damaged,
    open_actuals,
    open_workbook,
)
from scoring.findings import ERROR, WARNING, Finding, ScoreError, place
from scoring.frames import member
from scoring.language.comparator import cell_text
from scoring.xlsx import cell_ref, column_letter
from scoring.xlsx_cells import CellInfo, inspect_cells

INDICATOR_HEADER = ("指标编号", "项目名称", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
                    "偏差原因分析及改进措施", "佐证材料", "基数（上年实际值）")
BASELINE_HEADER = INDICATOR_HEADER[-1]  # optional: workbooks made before it existed are still read
# optional, filled by a 财政 reviewer (score template --review; score review scores them): without them
# the workbook reads as before, and values gets no review_* columns
REVIEW_HEADER = ("复核完成值", "复核意见")
BASELINE_UNREAD = "baseline-unreadable"  # a 基数 that is not a number: its severity is settled once scored
INDICATOR_REQUIRED = ("指标编号", "实际完成值")
BUDGET_HEADER = ("项目名称", "年初预算数", "全年预算数", "全年执行数", "偏差原因")
BUDGET_REQUIRED = ("项目名称", "全年预算数", "全年执行数")
# a cell's Excel error value as text (a formula that failed)
EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA", "#SPILL!", "#CALC!")
NARRATIVE_HEADER = ("项目名称", "年度目标", "年度总体目标完成情况")
NARRATIVE_REQUIRED = ("项目名称", "年度总体目标完成情况")
HEADER_SEARCH_ROWS = 30


@dataclass
class Actuals:
    """What the workbook says. ``values``: one row per indicator row found (columns ``id``,
    ``actual``, ``actual_is_percent``, ``reason_text``, ``evidence``, ``cell``, ``problem``);
    ``budgets``: one row per project (``project``, ``initial_budget``, ``full_budget``, ``spent``,
    ``reason_text``, ``cell``)."""

    path: str
    label: str
    values: pd.DataFrame
    budgets: pd.DataFrame
    problems: list[Finding] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # the workbooks read, for a folder
    # one row per project that has a 年度总体目标完成情况 (``project``, ``narrative``, ``cell``); empty when
    # the workbook has no 年度总体目标 sheet (the narrative is optional)
    narratives: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["project", "narrative", "cell"]))
    # project → its 年度总体目标完成情况 cell, for every project row of that sheet (written or blank);
    # None when no workbook read has the sheet (an older template)
    narrative_cells: dict[str, str] | None = None


def _norm_header(v: object) -> str:
    """A header as compared: no spaces, half-width, without a bracketed unit (``全年预算数（元）``)."""
    if not isinstance(v, str):
        return ""
    return re.sub(r"\([^()]*\)", "", "".join(unicodedata.normalize("NFKC", v).split()))


def _find_header(rows: list[list], names: tuple[str, ...], required: tuple[str, ...]) -> tuple[int, dict[str, int]] | None:
    wanted = {_norm_header(n): n for n in names}
    for r, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cols: dict[str, int] = {}
        for c, v in enumerate(row):
            key = _norm_header(v)
            if key in wanted and wanted[key] not in cols:
                cols[wanted[key]] = c
        if all(n in cols for n in required):
            return r, cols
    return None


def _text(v: object) -> str:
    return cell_text(v).strip()


def is_blank(v: object) -> bool:
    """An empty answer: nothing, white space only, or NaN."""
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and math.isnan(v))


def read_actuals(path: str | Path, *, label: str | None = None, percent_ids: set[str] | None = None,
                 opened: Opened | None = None) -> Actuals:
    """Read an actuals workbook. ``percent_ids``: indicators whose target is a percentage, whose
    numeric cells need their number format looked at. ``opened``: the workbook already opened by
    :func:`open_actuals` (else it is opened here)."""
    label = label or str(path)
    opened = opened or open_actuals(path, label)
    problems: list[Finding] = []
    try:
        # rows are streamed: a province's sheet has a million of them
        values = _read_indicator_rows(_sheet_rows(opened.sheets[SHEET_INDICATORS]), label, problems)
        budgets = _read_budget_rows(list(_sheet_rows(opened.sheets[SHEET_BUDGET])), label, problems, path)
        cells: dict[str, str] = {}
        narratives = (_read_narrative_rows(list(_sheet_rows(opened.sheets[SHEET_NARRATIVE])), label, problems, cells)
                      if SHEET_NARRATIVE in opened.sheets else None)
    except ScoreError:
        raise
    except Exception as exc:
        raise _damaged(exc, label) from exc
    _inspect(path, values, percent_ids or set(), label, problems, opened.special)
    if "review_col" in values.columns and len(values) and int(values["review_col"].iat[0]) >= 0:
        # the reviewer's cells are looked at as the unit's are; their problems stay with the 复核 (score review)
        _inspect(path, values, percent_ids or set(), label, [], opened.special, REVIEW_COLUMNS)
    actuals = Actuals(path=str(path), label=label, values=values, budgets=budgets, problems=problems)
    if narratives is not None:
        actuals.narratives = narratives
        actuals.narrative_cells = cells
    return actuals


def _rows(wb, sheet: str) -> Iterator[list]:
    """The sheet's rows from A1 (the sheet parsed at the first row asked for)."""
    yield from _sheet_rows(wb.get_sheet_by_name(sheet))


def _sheet_rows(ws) -> Iterator[list]:
    """A parsed sheet's rows from A1. calamine's ``iter_rows`` counts rows from 1 but columns from the
    first used one, so the columns are padded back."""
    start_col = ws.start[1] if ws.start else 0
    pad = [""] * start_col
    for row in ws.iter_rows():
        yield pad + row if start_col else row


def _read_indicator_rows(row_iter: Iterable[list], label: str, problems: list[Finding]) -> pd.DataFrame:
    row_iter = iter(row_iter)
    head = list(itertools.islice(row_iter, HEADER_SEARCH_ROWS))
    found = _find_header(head, INDICATOR_HEADER + REVIEW_HEADER, INDICATOR_REQUIRED)
    if found is None:
        raise ScoreError(f"找不到表头（需要“{'”“'.join(INDICATOR_REQUIRED)}”等列）",
                         where=place(label, SHEET_INDICATORS),
                         hint=f"表头应为：{'、'.join(INDICATOR_HEADER)}；请使用模板，不要删除或改名列")
    header_row, cols = found
    c_id, c_actual = cols["指标编号"], cols["实际完成值"]
    optional = {name: cols.get(name) for name in ("偏差原因分析及改进措施", "佐证材料", BASELINE_HEADER, *REVIEW_HEADER)}
    wanted = [c_id, c_actual, *(c for c in optional.values() if c is not None)]
    width = max(cols.values()) + 1
    pick = operator.itemgetter(*wanted)
    picked: list[tuple] = []
    rownums: list[int] = []
    found_later: list[tuple[int, Finding]] = []  # (row, problem), put in row order with the 基数 ones
    keep, keep_row = picked.append, rownums.append
    # one light step per row (a province's sheet has a million): the cells are taken as they are
    # and cleaned column by column below
    for r, row in enumerate(itertools.chain(head[header_row + 1:], row_iter), header_row + 1):
        if len(row) < width:
            row = list(row) + [""] * (width - len(row))
        raw = row[c_id]
        if (raw and not raw.isspace()) if raw.__class__ is str else _text(raw):
            keep(pick(row))
            keep_row(r)
        elif not all(is_blank(v) for v in row):
            found_later.append((r, Finding(place(label, SHEET_INDICATORS, cell_ref(r, c_id)),
                                           "这一行有内容但没有指标编号，未计分", WARNING,
                                           "指标编号来自模板，请不要删除或修改；新增的行不会被计分")))
    n = len(picked)
    columns = dict(zip(wanted, zip(*picked, strict=True), strict=True)) if n else {c: () for c in wanted}
    del picked
    ids = _stripped(columns[c_id])
    rownums_arr = np.asarray(rownums, dtype=np.int64)
    prefix = place(label, SHEET_INDICATORS, column_letter(c_actual))
    cells = pd.Series(rownums_arr + 1, dtype="int64").astype(str).radd(prefix).to_numpy(dtype=object) if n \
        else np.zeros(0, dtype=object)
    c_reason, c_evidence, c_base, c_review, c_note = optional.values()
    base = np.full(n, np.nan)
    base_cells: list[int] = []  # rows whose 基数 is a number cell: its percent format matters (0.9 shown as 90%)
    if c_base is not None:
        for i, v in enumerate(columns[c_base]):
            if v.__class__ is str and not v:
                continue  # blank: the usual
            number = _baseline(v)
            if isinstance(v, int | float) and not isinstance(v, bool):
                base_cells.append(i)
            if number is None:
                found_later.append((rownums[i], Finding(
                    place(label, SHEET_INDICATORS, cell_ref(rownums[i], c_base)), f"基数“{_text(v)}”不是数值，未采用",
                    WARNING, "请只填写上年实际完成值的数字（单位与年度指标值一致）", ids[i], BASELINE_UNREAD)))
            else:
                base[i] = number
    problems.extend(f for _, f in sorted(found_later, key=lambda x: x[0]))
    df = pd.DataFrame({
        "id": pd.Series(ids, dtype=object),
        "actual": pd.Series(columns[c_actual], dtype=object),
        "actual_is_percent": False,
        "reason_text": pd.Series(_stripped(columns[c_reason]) if c_reason is not None else [""] * n, dtype=object),
        "evidence": pd.Series(_stripped(columns[c_evidence]) if c_evidence is not None else [""] * n, dtype=object),
        "cell": pd.Series(cells, dtype=object),
        "baseline": pd.Series(base, dtype=float),
        "row": pd.Series(rownums_arr, dtype="int64"),
        "col": c_actual,
        "problem": "",
    })
    if c_review is not None or c_note is not None:
        _review_columns(df, columns, c_review, c_note, label)
    df.attrs["baseline_cells"] = {cell_ref(rownums[i], c_base): i for i in base_cells} if c_base is not None else {}
    dup = df["id"].duplicated(keep=False)
    if dup.any():
        for i in df.index[dup]:
            df.at[i, "problem"] = f"指标编号“{df.at[i, 'id']}”在工作簿中出现了不止一次，无法确定用哪一行"
            if "review_problem" in df.columns:
                df.at[i, "review_problem"] = df.at[i, "problem"]
            problems.append(Finding(place(label, SHEET_INDICATORS, cell_ref(df.at[i, "row"], c_id)),
                                    df.at[i, "problem"], ERROR, "请删除重复的行，每个指标只保留一行", df.at[i, "id"]))
    return df


def _review_columns(df: pd.DataFrame, columns: dict, c_review: int | None, c_note: int | None, label: str) -> None:
    """A reviewer's 复核完成值 (raw, as the 实际完成值 is kept) and 复核意见 (text), with the 复核完成值's cell;
    ``review_col`` is its column (-1 when the sheet has only 复核意见)."""
    n = len(df)
    df["review_actual"] = pd.Series(columns[c_review] if c_review is not None else [None] * n, dtype=object)
    df["review_note"] = pd.Series(_stripped(columns[c_note]) if c_note is not None else [""] * n, dtype=object)
    df["review_is_percent"] = False
    prefix = place(label, SHEET_INDICATORS, column_letter(c_review if c_review is not None else c_note))
    df["review_cell"] = (df["row"] + 1).astype(str).radd(prefix).to_numpy(dtype=object) if n else []
    df["review_col"] = -1 if c_review is None else c_review
    df["review_problem"] = ""


def _stripped(values) -> list[str]:
    """Cell values as text without surrounding white space (a column at a time)."""
    if set(map(type, values)) <= {str}:
        return list(map(str.strip, values))
    return [v.strip() if v.__class__ is str else _text(v) for v in values]


def _baseline(v: object) -> float | None:
    """A 基数 cell: a number (``90%`` typed as text is the level 90), or NaN when blank; None for text that is
    not a number (reported, left out)."""
    if is_blank(v):
        return np.nan
    if isinstance(v, int | float) and not isinstance(v, bool):
        return float(v)
    try:
        return float(str(v).strip().replace(",", "").replace("，", "").removesuffix("%").removesuffix("％"))
    except ValueError:
        return None


def _read_budget_rows(rows: list[list], label: str, problems: list[Finding], path: str | Path | None = None
                      ) -> pd.DataFrame:
    found = _find_header(rows, BUDGET_HEADER, BUDGET_REQUIRED)
    if found is None:
        raise ScoreError(f"找不到表头（需要“{'”“'.join(BUDGET_REQUIRED)}”等列）", where=place(label, SHEET_BUDGET),
                         hint=f"表头应为：{'、'.join(BUDGET_HEADER)}；请使用模板，不要删除或改名列")
    header_row, cols = found
    df, blanks = budget.read_budget_rows(rows, header_row, cols, label, problems)
    budget.settle_blanks(path, df, blanks, label, problems)
    dup = df["project"].duplicated(keep="first")
    for i in df.index[dup]:
        problems.append(Finding(df.at[i, "cell"], f"项目“{df.at[i, 'project']}”重复出现，只采用第一行", WARNING))
    df = df.loc[~dup].reset_index(drop=True)
    budget.check_rates(df, problems)
    return df


def _read_narrative_rows(rows: list[list], label: str, problems: list[Finding],
                         cells: dict[str, str] | None = None) -> pd.DataFrame:
    """The 年度总体目标 sheet: each project's own words on how its overall goal was met. Text as typed
    (calamine gives a typed ``=…`` as a string; it is never evaluated). ``cells`` gets each project
    row's 完成情况 cell, written or blank (the first row of a project)."""
    out = pd.DataFrame(columns=["project", "narrative", "cell"])
    found = _find_header(rows, NARRATIVE_HEADER, NARRATIVE_REQUIRED)
    if found is None:
        problems.append(Finding(place(label, SHEET_NARRATIVE), "找不到表头，未读取年度总体目标完成情况", WARNING,
                                f"表头应为：{'、'.join(NARRATIVE_HEADER)}；请使用模板，不要删除或改名列"))
        return out
    header_row, cols = found
    c_name, c_text = cols["项目名称"], cols["年度总体目标完成情况"]
    recs = []
    for r in range(header_row + 1, len(rows)):
        row = list(rows[r]) + [""] * (max(c_name, c_text) + 1 - len(rows[r]))
        name, text = _text(row[c_name]), row[c_text]
        text = text.strip() if isinstance(text, str) else _text(text)
        if name and cells is not None:
            cells.setdefault(name, place(label, SHEET_NARRATIVE, cell_ref(r, c_text)))
        if name and text:
            recs.append({"project": name, "narrative": text, "cell": place(label, SHEET_NARRATIVE, cell_ref(r, c_text))})
    if recs:
        out = pd.DataFrame(recs, columns=["project", "narrative", "cell"])
    dup = out["project"].duplicated(keep="first")
    for i in out.index[dup]:
        problems.append(Finding(out.at[i, "cell"], f"项目“{out.at[i, 'project']}”的年度总体目标完成情况重复填写，只采用第一行",
                                WARNING))
    return out.loc[~dup].reset_index(drop=True)


def _numbers_and_blanks(actual: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which cells hold a number (not a boolean), and which are blank (:func:`is_blank`), by type.

    >>> _numbers_and_blanks(np.array([1, 2.5, True, "", " ", "3", None, float("nan")], dtype=object))
    (array([ True,  True, False, False, False, False, False,  True]), array([False, False, False,  True,  True, False,  True,  True]))
    """
    kinds = np.fromiter(map(_KINDS.get, map(type, actual), itertools.repeat(0)), np.int8, len(actual))
    is_num = (kinds == 1) | (kinds == 2)
    blank = kinds == 4
    at = np.flatnonzero(kinds == 3)
    blank[at] = np.array(list(map(str.strip, actual[at])), dtype=object) == ""
    at = np.flatnonzero(kinds == 1)
    blank[at] = np.isnan(actual[at].astype(float))
    return is_num, blank


_KINDS = {float: 1, np.float64: 1, int: 2, str: 3, type(None): 4}  # any other type (bool, a date): 0


ACTUAL_COLUMNS = ("actual", "col", "actual_is_percent", "problem", "cell")
REVIEW_COLUMNS = ("review_actual", "review_col", "review_is_percent", "review_problem", "review_cell")


def _inspect(path: str | Path, values: pd.DataFrame, percent_ids: set[str], label: str,
             problems: list[Finding], special: dict[str, CellInfo] | None = None,
             names: tuple[str, str, str, str, str] = ACTUAL_COLUMNS) -> None:
    """Percent formats of numeric cells under percent targets, and formulas or error values behind
    cells calamine reads as empty: from ``special`` (:func:`scoring.xlsx_cells.special_cells`, where a cell
    not in it is a plain value), else looked up for those cells only, in one pass over the sheet XML.
    ``names``: the value, column, percent, problem and cell columns of ``values`` (the 实际完成值's, or
    the 复核完成值's: :data:`REVIEW_COLUMNS`)."""
    c_value, c_col, c_pct, c_problem, c_cell = names
    if values.empty:
        return
    actual = values[c_value].to_numpy(dtype=object)
    is_num, blank = _numbers_and_blanks(actual)
    need_pct = is_num & member(values["id"], percent_ids)
    need = need_pct | blank
    # the 基数 cells once, with the unit's own column (not again with the reviewer's)
    base_cells = (values.attrs.get("baseline_cells") or {}) if names == ACTUAL_COLUMNS else {}
    if not need.any() and not base_cells:
        return
    col = int(values[c_col].iat[0])
    rows = values["row"].to_numpy()
    info = special if special is not None else inspect_cells(path, SHEET_INDICATORS,
                                                             {cell_ref(r, col) for r in rows[need]} | set(base_cells))
    if not info:
        return
    _percent_baselines(values, base_cells, info)
    letter = column_letter(col)
    pct = np.zeros(len(actual), dtype=bool)
    at = np.flatnonzero(need_pct)
    pct[at] = [(ci := info.get(f"{letter}{r + 1}")) is not None and ci.percent for r in rows[at].tolist()]
    values[c_pct] = pct
    problem = values[c_problem].to_numpy(dtype=object).copy()
    for i in np.flatnonzero(blank):
        ci = info.get(f"{letter}{rows[i] + 1}")
        if ci is None:
            continue
        if ci.error:
            problem[i] = f"单元格是 Excel 错误值“{ci.error}”（公式出错）"
            hint = "请修正公式，或直接填写数值"
        elif ci.formula and not ci.cached:
            problem[i] = "单元格是公式，但文件里没有保存计算结果"
            hint = "请在 Excel 中打开并保存一次（让公式算出结果），或直接填写数值"
        else:
            continue
        problems.append(Finding(values[c_cell].iat[i], problem[i], ERROR, hint, values["id"].iat[i]))
    values[c_problem] = problem


def _percent_baselines(values: pd.DataFrame, cells: dict[str, int], info: dict[str, CellInfo]) -> None:
    """A 基数 in a percent-formatted cell holds 0.9 for the 90 % it shows: the level is 90."""
    hits = [i for ref, i in cells.items() if (ci := info.get(ref)) is not None and ci.percent]
    if not hits:
        return
    base = values["baseline"].to_numpy(dtype=float).copy()
    for i in hits:
        base[i] = percent_cell(base[i], True)[0]
    values["baseline"] = base


# ---------------------------------------------------------------------------------------------
# public names for other workbook readers (the monitoring workbook of ``score monitor``)
# ---------------------------------------------------------------------------------------------

sheet_rows = _rows  # a sheet's rows from A1
find_header = _find_header  # (row index, {name: column}) of the first row holding the required names


def read_amount(v: object) -> float | None:
    """An amount of money in 元 from a cell, or None (blank, or not an amount: ``见附件3`` is not 3 元,
    a date is not an amount; :func:`scoring.actuals.budget.money` says why)."""
    return budget.money(v)[0]
