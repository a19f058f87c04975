"""Read the monitoring workbook (绩效监控填报表) units fill mid-year (``score template YEAR --monitor``).

Two sheets, their header rows found by name wherever they stand (the period columns are named
after the period, ``1–7月执行数``, and are matched whatever the period):

- ``预算执行``: 项目名称 | 年初预算数 | 全年预算数 | 1–N月执行数 | 全年预计执行数 | 偏差原因分析 | 拟采取的措施
- ``指标执行情况``: 指标编号 | 项目名称 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 1–N月实际完成值 |
  全年预计完成值 | 完成目标可能性 | 偏差原因分析 | 拟采取的措施

The workbook package, the header search and the amounts are read by :mod:`scoring.actuals.workbook`;
a bad workbook is a :class:`ScoreError`, a bad cell a :class:`Finding` at ``文件 › 工作表 › 单元格``.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from scoring.actuals.monitor_form import SHEET_BUDGET, SHEET_INDICATORS, budget_header, indicator_header
from scoring.actuals.workbook import (
    EXCEL_ERRORS,
    find_header,
    is_blank,
    open_workbook,
    read_amount,
    sheet_rows,
)
from scoring.findings import ERROR, WARNING, Finding, ScoreError, place
from scoring.language.comparator import cell_text
from scoring.xlsx import cell_ref
from scoring.xlsx_cells import inspect_cells

SO_FAR = "截至目前"  # the period columns' generic name while the header is searched
HEAD_ROWS = 30


_PERIOD = re.compile(r"^\s*(?!全年)(\S.*?)\s*(执行数|实际完成值)\s*(?:[(（][^()（）]*[)）])?\s*$")


@dataclass
class MonitorInput:
    """What the monitoring workbook says (``values``: one row per indicator row; ``budgets``: one
    row per project), the period its columns are named after, and the cell problems found."""

    path: str
    label: str
    values: pd.DataFrame
    budgets: pd.DataFrame
    periods: set[str] = field(default_factory=set)
    problems: list[Finding] = field(default_factory=list)


def _generic(rows: list[list], periods: set[str]) -> list[list]:
    """The header rows with ``1–7月执行数`` renamed ``截至目前执行数`` (the period is remembered)."""
    out = []
    for row in rows:
        new = list(row)
        for j, v in enumerate(row):
            if isinstance(v, str) and (m := _PERIOD.match(v)):
                periods.add(m.group(1))
                new[j] = SO_FAR + m.group(2)
        out.append(new)
    return out


def _header(wb, sheet: str, names: tuple[str, ...], required: tuple[str, ...], label: str, periods: set[str]):
    rows = iter(sheet_rows(wb, sheet))
    head = list(itertools.islice(rows, HEAD_ROWS))
    found = find_header(_generic(head, periods), names, required)
    if found is None:
        raise ScoreError(f"找不到表头（需要“{'”“'.join(required)}”等列）".replace(SO_FAR, "1–N月"),
                         where=place(label, sheet),
                         hint=f"表头应为：{'、'.join(names)}；请使用 score template --monitor 生成的模板".replace(SO_FAR, "1–N月"))
    r, cols = found
    return r, cols, itertools.chain(enumerate(head[r + 1:], r + 1), enumerate(rows, len(head)))


def _cell(row: list, col: int | None) -> object:
    return row[col] if col is not None and col < len(row) else None


def read_monitor_workbook(path: str | Path, *, label: str | None = None,
                          percent_ids: set[str] | None = None) -> MonitorInput:
    label = label or str(path)
    wb = open_workbook(path, label, (SHEET_INDICATORS, SHEET_BUDGET))
    problems: list[Finding] = []
    periods: set[str] = set()
    try:
        values = _indicators(wb, label, problems, periods)
        budgets = _budgets(wb, label, problems, periods)
    except ScoreError:
        raise
    except Exception as exc:
        raise ScoreError(f"工作表内容已损坏，无法读取（{type(exc).__name__}：{str(exc)[:200]}）", where=label,
                         hint="请用 Excel 打开并重新保存") from exc
    _percent_cells(path, values, percent_ids or set())
    return MonitorInput(str(path), label, values, budgets, periods, problems)


def _indicators(wb, label: str, problems: list[Finding], periods: set[str]) -> pd.DataFrame:
    names = indicator_header(SO_FAR)
    _, cols, rows = _header(wb, SHEET_INDICATORS, names, ("指标编号", f"{SO_FAR}实际完成值"), label, periods)
    c_id, c_cur, c_exp, c_choice = cols["指标编号"], cols[f"{SO_FAR}实际完成值"], cols.get("全年预计完成值"), cols.get("完成目标可能性")
    c_reason, c_measures = cols.get("偏差原因分析"), cols.get("拟采取的措施")
    records, seen = [], set()
    for r, row in rows:
        ident = cell_text(_cell(row, c_id)).strip()
        if not ident:
            if not all(is_blank(v) for v in row):
                problems.append(Finding(place(label, SHEET_INDICATORS, cell_ref(r, c_id)), "这一行有内容但没有指标编号，未计入",
                                        WARNING, "指标编号来自模板，请不要删除或修改"))
            continue
        if ident in seen:
            problems.append(Finding(place(label, SHEET_INDICATORS, cell_ref(r, c_id)),
                                    f"指标编号“{ident}”重复出现，只采用第一行", ERROR, "请删除重复的行", ident))
            continue
        seen.add(ident)
        cur, exp = _cell(row, c_cur), _cell(row, c_exp)
        rec = {"id": ident, "row": r, "current": cur, "expected": exp, "choice": _cell(row, c_choice),
               "reason_text": cell_text(_cell(row, c_reason)).strip(),
               "measures": cell_text(_cell(row, c_measures)).strip(),
               "cell": place(label, SHEET_INDICATORS, cell_ref(r, c_cur)),
               "cell_expected": place(label, SHEET_INDICATORS, cell_ref(r, c_exp)) if c_exp is not None else "",
               "cell_choice": place(label, SHEET_INDICATORS, cell_ref(r, c_choice)) if c_choice is not None else "",
               "col_current": c_cur, "col_expected": c_exp, "current_is_percent": False, "expected_is_percent": False}
        for key, where in (("current", rec["cell"]), ("expected", rec["cell_expected"])):
            v = rec[key]
            if (isinstance(v, str) and v.strip().upper() in EXCEL_ERRORS) or (isinstance(v, float) and not math.isfinite(v)):
                problems.append(Finding(where, f"单元格是 Excel 错误值或无效数值“{cell_text(v)}”", ERROR, "请改为数值或文字", ident))
                rec[key] = None
        records.append(rec)
    return pd.DataFrame(records, columns=["id", "row", "current", "expected", "choice", "reason_text", "measures", "cell",
                                          "cell_expected", "cell_choice", "col_current", "col_expected",
                                          "current_is_percent", "expected_is_percent"])


def _budgets(wb, label: str, problems: list[Finding], periods: set[str]) -> pd.DataFrame:
    names = budget_header(SO_FAR)
    _, cols, rows = _header(wb, SHEET_BUDGET, names, ("项目名称", "全年预算数", f"{SO_FAR}执行数"), label, periods)
    out, seen = [], set()
    for r, row in rows:
        name = cell_text(_cell(row, cols["项目名称"])).strip()
        if not name:
            continue
        where = place(label, SHEET_BUDGET, cell_ref(r, cols["项目名称"]))
        if name in seen:
            problems.append(Finding(where, f"项目“{name}”重复出现，只采用第一行", WARNING))
            continue
        seen.add(name)
        rec = {"project": name, "cell": where, "reason_text": cell_text(_cell(row, cols.get("偏差原因分析"))).strip(),
               "measures": cell_text(_cell(row, cols.get("拟采取的措施"))).strip()}
        for key, col in (("initial_budget", "年初预算数"), ("full_budget", "全年预算数"),
                         ("spent", f"{SO_FAR}执行数"), ("expected", "全年预计执行数")):
            c = cols.get(col)
            raw = _cell(row, c)
            value = read_amount(raw)
            shown = col.replace(SO_FAR, "1–N月")
            if value is None and not is_blank(raw):
                problems.append(Finding(place(label, SHEET_BUDGET, cell_ref(r, c)), f"{shown}“{cell_text(raw)}”不是金额",
                                        ERROR, "请填写以元为单位的数字，例如 85500"))
            elif value is not None and value < 0:
                problems.append(Finding(place(label, SHEET_BUDGET, cell_ref(r, c)), f"{shown}不能是负数（{cell_text(raw)}）",
                                        ERROR, "请填写以元为单位的非负数"))
                value = None
            rec[key] = math.nan if value is None else value
            if key == "spent":
                rec["cell_spent"] = place(label, SHEET_BUDGET, cell_ref(r, c))
                rec["spent_blank"] = is_blank(raw)
        out.append(rec)
    return pd.DataFrame(out, columns=["project", "initial_budget", "full_budget", "spent", "expected", "reason_text",
                                      "measures", "cell", "cell_spent", "spent_blank"])


def _percent_cells(path: str | Path, values: pd.DataFrame, percent_ids: set[str]) -> None:
    """Numeric cells under percent targets: whether Excel shows them as percentages (0.93 → 93%)."""
    if values.empty:
        return
    wanted: dict[str, tuple[int, str]] = {}
    for i, rec in enumerate(values.itertuples(index=False)):
        if rec.id not in percent_ids:
            continue
        for key, col in (("current", rec.col_current), ("expected", rec.col_expected)):
            v = getattr(rec, key)
            if col is not None and isinstance(v, int | float) and not isinstance(v, bool):
                wanted[cell_ref(rec.row, int(col))] = (i, key)
    if not wanted:
        return
    info = inspect_cells(path, SHEET_INDICATORS, set(wanted))
    for ref, (i, key) in wanted.items():
        ci = info.get(ref)
        if ci is not None and ci.percent:
            values.iat[i, values.columns.get_loc(f"{key}_is_percent")] = True
