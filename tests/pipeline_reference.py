"""The main job's row-wise code as it was before issue 14 made it per distinct value: the reference the
faster code must agree with (tests/test_pipeline_distinct.py runs both on random workbooks).

Copied from the previous revision and left as it was, except for imports; the helpers it shared with the
pipeline are copied at the end (it imports public names only, so renaming a private name never breaks it).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from scoring.actuals.advice import input_message
from scoring.actuals.workbook import SHEET_INDICATORS, Actuals
from scoring.findings import ERROR, WARNING, Finding, place
from scoring.frames import member
from scoring.language.expressions import parse, read_quantity
from scoring.language.numerals import fmt_number
from scoring.language.units import is_percent
from scoring.pipeline import EXCEL_ERRORS, display_actual
from scoring.problems import (
    BUDGET_REASON_MISSING,
    NO_SURVEY,
    OVER_REASON_MISSING,
    REASON_MISSING,
    settle_baselines,
    weight_problems,
)
from scoring.rubric.engine import Scored
from scoring.targets.model import Targets


def negative_counts(df: pd.DataFrame, year: int | None) -> np.ndarray:
    """Rows whose actual is negative where the target counts or measures something (次, 人, 小时, m²…):
    such a value is a typing error, not a result. A negative percentage (a fall) is left to the rules."""
    actual = df["actual"].to_numpy(dtype=object)
    neg = np.fromiter((_negative(v) for v in actual), dtype=bool, count=len(actual))
    out = np.zeros(len(actual), dtype=bool)
    for i in np.flatnonzero(neg):
        c = parse(df["annual_value"].iat[i], df["level3"].iat[i], year)
        out[i] = c.kind in ("quantitative", "range") and bool(c.unit) and not is_percent(c.unit)
    return out


def join(targets: Targets, actuals: Actuals) -> tuple[pd.DataFrame, pd.DataFrame, list[Finding]]:
    """The engine's input: every target indicator with its actual (matched by 指标编号), the budgets,
    and the problems the matching found (rows missing from the workbook, unknown 指标编号)."""
    ind = targets.indicators
    vals = actuals.values.drop_duplicates("id", keep="first").set_index("id")
    problems: list[Finding] = []
    ids = ind["id"].to_numpy(dtype=object)
    present = member(ids, vals.index)
    sub = vals.reindex(ids)
    actual = sub["actual"].to_numpy(dtype=object).copy()
    problem = sub["problem"].fillna("").to_numpy(dtype=object).copy()
    cells = sub["cell"].to_numpy(dtype=object).copy()
    label = actuals.label
    for i in np.flatnonzero(~present):
        cells[i] = place(label, SHEET_INDICATORS, f"（缺少指标编号 {ids[i]} 的行）")
        problem[i] = "工作簿中没有这个指标的行，无法判定"
        actual[i] = None
    checked = np.full(len(actual), "", dtype=object)
    for i in np.flatnonzero(_maybe_cell_problem(actual)):
        checked[i] = _cell_problem(actual[i])
    fresh = (checked != "") & (problem == "")
    problem[fresh] = checked[fresh]
    for i in np.flatnonzero(problem != ""):
        if not present[i] or fresh[i]:
            hint = ("请按模板补上这一行" if not present[i] else
                    "请修正这个单元格的公式，或直接填写实际完成值" if "Excel 错误值" in problem[i] else "请改为数值或文字")
            problems.append(Finding(cells[i], problem[i], ERROR, hint, ids[i]))
    actual[problem != ""] = None
    unknown = ~member(vals.index, ids)
    for ident in vals.index[unknown]:
        problems.append(Finding(vals.at[ident, "cell"], f"未知的指标编号“{ident}”：目标表中没有这个指标，未计分", WARNING,
                                "请确认是否用了其他年度或其他单位的模板", ident))
    df = pd.DataFrame({
        "id": ids,
        "project_id": ind["project_id"].to_numpy(),
        "project": ind["project"].to_numpy(),
        "level1": ind["level1"].to_numpy(),
        "level2": ind["level2"].to_numpy(),
        "level3": ind["level3"].to_numpy(),
        "annual_value": ind["annual_value"].to_numpy(),
        "weight": ind["weight"].to_numpy(dtype=float),
        "actual": actual,
        "actual_is_percent": sub["actual_is_percent"].fillna(False).to_numpy(dtype=bool),
        "reason_text": sub["reason_text"].fillna("").to_numpy(dtype=object),
        "evidence": sub["evidence"].fillna("").to_numpy(dtype=object),
        "baseline": (pd.to_numeric(sub["baseline"], errors="coerce").to_numpy(dtype=float) if "baseline" in sub.columns
                     else np.full(len(ids), np.nan)),
        "cell": cells,
        "input_problem": problem,
    })
    negative = negative_counts(df, targets.year)
    for i in np.flatnonzero(negative & (df["input_problem"].to_numpy(dtype=object) == "")):
        reason = f"实际完成值“{display_actual(df['actual'].iat[i], False)}”是负数，而这个指标计的是数量或时长"
        df.at[i, "input_problem"] = reason
        df.at[i, "actual"] = None
        problems.append(Finding(df.at[i, "cell"], reason, ERROR, "请填写非负的数值", df.at[i, "id"]))
    df["actual_display"] = [v if type(v) is str else display_actual(v, pct) for v, pct in  # text shows as typed
                            zip(sub["actual"].to_numpy(dtype=object), df["actual_is_percent"].to_numpy(), strict=True)]
    budgets = _budgets(targets, actuals, problems)
    return df, budgets, problems


def apply_input_problems(scored: Scored) -> None:
    """Indicators whose cell could not be used say why, in place of a generic 'missing'."""
    ind = scored.indicators
    bad = ind["input_problem"].to_numpy(dtype=object) != ""
    if not bad.any():
        return
    expl = ind["explanation"].to_numpy(dtype=object).copy()
    flags = ind["flags"].to_numpy(dtype=object).copy()
    why = ind["unknown_reason"].to_numpy(dtype=object).copy()  # issue 24: the reason as data, beside the text
    for i in np.flatnonzero(bad):
        reason = why[i] = ind["input_problem"].iat[i]
        expl[i] = f"无法判定：{reason} → 0 分"
        flags[i] = (reason, *[f for f in flags[i] if "未填写" not in f])
    ind["explanation"] = expl
    ind["flags"] = flags
    ind["unknown_reason"] = why


def collect_problems(scored: Scored, join_problems: list[Finding], read_problems: list[Finding],
                     budgets: pd.DataFrame | None = None) -> list[Finding]:
    """Everything an auditor must look at, each with its place: input problems first, then every
    indicator that could not be judged, then missing 偏差原因 (which do not change scores)."""
    ind = scored.indicators
    out = settle_baselines(read_problems, ind, scored.profile.decimals) + list(join_problems)  # issue 28 item 4
    listed = {p.id for p in out if p.id}
    unknown = ind["verdict"].to_numpy(dtype=object) == "无法判定"
    for i in np.flatnonzero(unknown):
        ident = ind["id"].iat[i]
        if ident in listed:
            continue
        where = ind["cell"].iat[i] or ident
        hint = ind["hint"].iat[i] if "hint" in ind.columns else ""
        out.append(Finding(where, f"{ind['level3'].iat[i]}：{ind['explanation'].iat[i]}", ERROR,
                           hint or _unknown_hint(ind["comparator"].iat[i], scored.year), ident))
    missing_reason = ind["reason_missing"].to_numpy(dtype=bool)
    for i in np.flatnonzero(missing_reason & ~unknown):
        where = ind["cell"].iat[i] or ind["id"].iat[i]
        message, hint = _missing_reason(ind.iloc[i], scored.profile.decimals)
        code = REASON_MISSING if "失分" in message else OVER_REASON_MISSING  # issue 28 item 6
        out.append(Finding(where, f"{ind['level3'].iat[i]}：{message}", WARNING, hint, ind["id"].iat[i], code))
    for i in np.flatnonzero(ind["no_survey"].to_numpy(dtype=bool) & ~unknown) if "no_survey" in ind.columns else []:
        p, row = scored.profile, ind.iloc[i]  # issue 28 item 11
        out.append(Finding(row["cell"] or row["id"], f"{row['level3']}：满意度只填了“{row['actual_display']}”，没有调查数据（满意度百分比）；"
                           f"按评分规则（satisfaction_without_survey: {p.satisfaction_without_survey}）得 "
                           f"{float(row['score']):.{p.decimals}f}/{fmt_number(float(row['weight']))} 分", WARNING,
                           "请填写满意度调查结果（百分比），如 96%；确实没有调查的，请在佐证材料中说明了解满意度的方式",
                           row["id"], NO_SURVEY))
    proj = scored.projects
    out.extend(weight_problems(proj))
    explained: set[str] = set()
    if budgets is not None and "reason_text" in budgets.columns:
        explained = set(budgets["project"][budgets["reason_text"].fillna("").astype(str).str.strip() != ""])
    if "budget_needs_reason" in proj.columns:
        need = proj[proj["budget_needs_reason"].astype(bool).to_numpy() & ~member(proj["project"], explained)]
        for name, rate in zip(need["project"], need["execution_rate"], strict=True):
            below = fmt_number(scored.profile.reason_below)
            out.append(Finding(f"{name} › 预算执行", f"预算执行率 {rate:.2%} 低于 {below}%，但没有填写偏差原因", WARNING,
                               "请在“预算执行”表的“偏差原因”一列说明（不影响得分）", code=BUDGET_REASON_MISSING))
    return out


def _missing_reason(row: pd.Series, decimals: int) -> tuple[str, str]:
    """A missing 偏差原因 says which it is: points lost (and how many) or a target over-achieved."""
    score, weight, ratio = float(row["score"]), float(row["weight"]), row["ratio"]
    if score < weight - 1e-9:
        return (f"失分（{row['verdict']}，得 {score:.{decimals}f}/{fmt_number(weight)} 分），但没有填写偏差原因分析及改进措施",
                "请在“偏差原因分析及改进措施”一列说明未完成的原因和改进措施（不影响得分）")
    share = f"，达到目标的 {ratio:.0%}" if isinstance(ratio, float) and math.isfinite(ratio) else ""
    return (f"超额完成{share}，但没有填写偏差原因分析及改进措施",
            "请在“偏差原因分析及改进措施”一列说明超额的原因（目标是否定得过低），下年度据实调整目标（不影响得分）")


# ---- the pipeline's helpers as they were (private there) ----

def _negative(v: object) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, int | float):
        return v < 0
    if isinstance(v, str) and v.strip()[:1] in ("-", "－", "负", "−"):
        q = read_quantity(v.replace("负", "-").replace("−", "-"))
        return q is not None and q[0] < 0
    return False


def _cell_problem(v: object) -> str:
    if isinstance(v, float) and not math.isfinite(v):
        return "单元格的数值无效（NaN 或无穷大）"
    if isinstance(v, str) and v.strip().upper() in EXCEL_ERRORS:
        return f"单元格是 Excel 错误值“{v.strip()}”（公式出错）"
    return ""


def _maybe_cell_problem(actual: np.ndarray) -> np.ndarray:
    """Where :func:`_cell_problem` can find something: a float (NaN, infinity) or a text with ``#``."""
    return np.fromiter(((isinstance(v, float) and not math.isfinite(v)) or (isinstance(v, str) and "#" in v)
                        for v in actual), dtype=bool, count=len(actual))


def _budgets(targets: Targets, actuals: Actuals, problems: list[Finding]) -> pd.DataFrame:
    b = actuals.budgets.set_index("project")
    names = targets.projects["project"].to_numpy()
    if "note" not in b.columns:
        b = b.assign(note="")
    out = b.reindex(names)[["initial_budget", "full_budget", "spent", "reason_text", "note"]].reset_index(names="project")
    out["reason_text"] = out["reason_text"].fillna("")
    out["note"] = out["note"].fillna("")
    for name in names[~member(names, b.index)]:
        problems.append(Finding(place(actuals.label, "预算执行"), f"没有项目“{name}”的预算执行数据，预算执行率得 0 分", ERROR,
                                "请在“预算执行”表中补上这个项目的一行"))
    for name in b.index[~member(b.index, names)]:
        problems.append(Finding(b.at[name, "cell"], f"未知的项目“{name}”：目标表中没有这个项目，未计分", WARNING))
    # the targets' 年度预算金额 is the budget approved at the start of the year, when the sheet leaves it out
    fallback = targets.projects["budget"].to_numpy(dtype=float)
    out["initial_budget"] = np.where(np.isnan(out["initial_budget"].to_numpy(dtype=float)), fallback,
                                     out["initial_budget"].to_numpy(dtype=float))
    return out


def _unknown_hint(comparator, year: int | None) -> str:
    """The advice for a cell that could not be judged when the engine gave none (as scoring.problems had it)."""
    if comparator is None:
        return "请按“填报说明”改写实际完成值"
    return f"目标为“{comparator.text.strip()}”：{input_message(comparator, year)[1]}"
