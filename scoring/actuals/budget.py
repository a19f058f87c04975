"""The 预算执行 sheet: 年初预算数, 全年预算数 (A), 全年执行数 (B) per project (scoring-rules.md §3).

Every cell that cannot be used says why at ``文件 › 预算执行 › D5``: text that is not an amount
(``见附件3`` is not 3 元), a date typed into a money cell, a formula without a saved result, a
negative amount. A blank 全年预算数 falls back to 年初预算数, recorded; 0/0 and an execution
rate over 100 % are reported with their own messages.
"""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd

from scoring.actuals.cleaning import clean, precheck, stray_character
from scoring.actuals.vocabulary import answer_words
from scoring.findings import ERROR, WARNING, Finding, place
from scoring.language.comparator import cell_text
from scoring.language.expressions import find_quantities
from scoring.language.numerals import fmt_number
from scoring.xlsx import cell_ref
from scoring.xlsx_cells import inspect_cells

SHEET_BUDGET = "预算执行"
AMOUNTS = (("initial_budget", "年初预算数"), ("full_budget", "全年预算数"), ("spent", "全年执行数"))
MONEY_HINT = "请填写以元为单位的数字，例如 85500"
BLANK_AMOUNT = "budget-blank"  # an amount cell left blank (a folder run drops those of other departments' rows)
COLUMNS = ["project", "initial_budget", "full_budget", "spent", "reason_text", "cell", "note"]


def money(raw: object) -> tuple[float | None, str | None]:
    """An amount in 元 from a cell, or (None, why it is not one); (None, None) for a blank cell.

    >>> money("85.5万元")
    (855000.0, None)
    >>> money("见附件3")[1]
    '“见附件3”不是金额'
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if isinstance(raw, bool):
        return None, f"“{cell_text(raw)}”不是金额"
    if isinstance(raw, datetime | date):
        return None, f"单元格是日期 {cell_text(raw)}，不是金额（可能是 Excel 把数字自动转成了日期）"
    if isinstance(raw, int | float):
        if not math.isfinite(raw) or abs(raw) >= 1e15:
            return None, f"“{cell_text(raw)}”不是合理的金额"
        return float(raw), None
    text = str(raw).strip()
    if precheck(text):
        return None, precheck(text)
    cleaned = clean(text, answer_words())
    qs = find_quantities(cleaned.text)
    if cleaned.had_reference or len(qs) != 1 or qs[0].unit not in ("", "元") or stray_character(cleaned.text, qs):
        return None, f"“{text}”不是金额"
    return qs[0].value, None


def read_budget_rows(rows: list[list], header_row: int, cols: dict[str, int], label: str,
                     problems: list[Finding]) -> tuple[pd.DataFrame, dict[str, tuple[int, str]]]:
    """The budget rows under the header, and the blank amount cells (cell ref → (row index, key))
    whose formulas the caller looks up before blanks are judged (:func:`settle_blanks`)."""
    out, blanks = [], {}
    for r in range(header_row + 1, len(rows)):
        row = list(rows[r]) + [""] * (max(cols.values()) + 1 - len(rows[r]))
        name = cell_text(row[cols["项目名称"]]).strip()
        if not name:
            continue
        rec = {"project": name, "cell": place(label, SHEET_BUDGET, f"第{r + 1}行"), "note": "",
               "reason_text": cell_text(row[cols["偏差原因"]]).strip() if "偏差原因" in cols else ""}
        for key, col in AMOUNTS:
            c = cols.get(col)
            value, problem = money(row[c]) if c is not None else (None, None)
            if problem:
                problems.append(Finding(place(label, SHEET_BUDGET, cell_ref(r, c)), problem, ERROR, MONEY_HINT))
            elif value is not None and value < 0:
                problems.append(Finding(place(label, SHEET_BUDGET, cell_ref(r, c)),
                                        f"{col}不能是负数（{cell_text(row[c])}）", ERROR, "请填写以元为单位的非负数"))
                value = None
            elif value is None and c is not None:
                blanks[cell_ref(r, c)] = (len(out), key)
            rec[key] = math.nan if value is None else value
        out.append(rec)
    return pd.DataFrame(out, columns=COLUMNS), blanks


def settle_blanks(path, df: pd.DataFrame, blanks: dict[str, tuple[int, str]], label: str,
                  problems: list[Finding]) -> None:
    """Blank amount cells: a formula without a saved result or an error value says so; a blank
    全年预算数 falls back to 年初预算数 (recorded); a blank 全年执行数 is an error."""
    info = inspect_cells(path, SHEET_BUDGET, set(blanks)) if blanks and path is not None else {}
    names = dict(AMOUNTS)
    for ref, (i, key) in blanks.items():
        where = place(label, SHEET_BUDGET, ref)
        ci = info.get(ref)
        if ci is not None and ci.error:
            problems.append(Finding(where, f"{names[key]}是 Excel 错误值“{ci.error}”（公式出错）", ERROR,
                                    "请修正公式，或直接填写金额"))
        elif ci is not None and ci.formula and not ci.cached:
            problems.append(Finding(where, f"{names[key]}是公式，但文件里没有保存计算结果", ERROR,
                                    "请在 Excel 中打开并保存一次（让公式算出结果），或直接填写金额"))
        elif key == "full_budget" and not math.isnan(df.at[i, "initial_budget"]):
            initial = df.at[i, "initial_budget"]
            df.at[i, "full_budget"] = initial
            df.at[i, "note"] = f"全年预算数未填写，按年初预算数 {fmt_number(initial)} 元计算执行率"
            problems.append(Finding(where, df.at[i, "note"], WARNING, "如年内有预算调整，请填写调整后的全年预算数",
                                    code=BLANK_AMOUNT))
        elif key != "initial_budget":
            problems.append(Finding(where, f"{names[key]}未填写", ERROR,
                                    "预算执行率无法计算，该项得 0 分；请填写以元为单位的数字", code=BLANK_AMOUNT))


def check_rates(df: pd.DataFrame, problems: list[Finding]) -> None:
    """0/0, a zero budget with spending, and an execution rate over 100 %, each with its message."""
    for a, b, where in zip(df["full_budget"], df["spent"], df["cell"], strict=True):
        if a == 0 and b == 0:
            problems.append(Finding(where, "全年预算数和全年执行数都是 0：执行率 0/0 无法计算，预算执行率得 0 分", ERROR,
                                    "项目当年没有预算的，请在“偏差原因”中说明；否则请填写金额"))
        elif a == 0 and b > 0:
            problems.append(Finding(where, f"全年预算数是 0，全年执行数却是 {fmt_number(b)}：执行率无法计算", ERROR,
                                    "请填写全年预算数（含调整和上年结转）"))
        elif a > 0 and b > a * (1 + 1e-9):
            problems.append(Finding(where, f"全年执行数 {fmt_number(b)} 大于全年预算数 {fmt_number(a)}：执行率 "
                                           f"{fmt_number(round(b / a * 100, 2))}%，超过 100%（按 100% 计分）", WARNING,
                                    "请核对执行数和预算数：超预算支出须说明原因"))
