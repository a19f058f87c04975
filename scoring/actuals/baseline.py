"""Last year's actuals as this year's 基数: match each change target to last year's row, recording how.

``match_baselines(current, last)`` is pure: ``current`` has ``id``, ``project``, ``level3``; ``last`` has
``id``, ``project``, ``level3``, ``actual`` (last year's 实际完成值). Returns ``current``'s ``id`` with
``baseline`` (float, NaN when no match or not a number) and ``source`` (the match, in words; "" when none).
Matched by 指标编号 first, else by (项目名称, 三级指标) when that pair is unique last year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.vocab import TargetKind


def _number(v: object) -> float:
    if isinstance(v, bool):
        return np.nan
    if isinstance(v, int | float):
        return float(v)
    try:
        return float(str(v).strip().replace(",", "").rstrip("%"))
    except (TypeError, ValueError):
        return np.nan


def match_baselines(current: pd.DataFrame, last: pd.DataFrame, label: str = "上年实际值") -> pd.DataFrame:
    values = last["actual"].map(_number)
    by_id = dict(zip(last["id"].astype(str), values, strict=True))
    pairs = last["project"].astype(str) + "\x1f" + last["level3"].astype(str)
    unique = ~pairs.duplicated(keep=False)
    by_name = dict(zip(pairs[unique], values[unique], strict=True))
    base, source = [], []
    for ident, project, level3 in zip(current["id"].astype(str), current["project"].astype(str),
                                      current["level3"].astype(str), strict=True):
        if ident in by_id and by_id[ident] == by_id[ident]:
            base.append(by_id[ident])
            source.append(f"{label}：按指标编号 {ident} 对应")
        elif by_name.get(f"{project}\x1f{level3}", np.nan) == by_name.get(f"{project}\x1f{level3}", np.nan) and \
                f"{project}\x1f{level3}" in by_name:
            base.append(by_name[f"{project}\x1f{level3}"])
            source.append(f"{label}：按项目“{project}”与三级指标“{level3}”对应")
        else:
            base.append(np.nan)
            source.append("")
    return pd.DataFrame({"id": current["id"].to_numpy(), "baseline": np.array(base, dtype=float),
                         "source": np.array(source, dtype=object)})


def prefill(targets, path, year: int | None = None, lexicon=None) -> dict[str, tuple[float, str]]:
    """``{id: (基数, source)}`` for this year's change targets, from last year's actuals workbook ``path``;
    ``lexicon``: the word lists of the profile in force (a target is a change as the engine reads it)."""
    from pathlib import Path

    from scoring.actuals.opening import refuse_other_format
    from scoring.findings import ScoreError
    from scoring.language.expressions import parse
    from scoring.xlsx import check_xlsx

    refuse_other_format(path, str(path))  # an .xls or .ods named for what it is, with how to save it as .xlsx
    check_xlsx(path, label=str(path))  # the guard every workbook reader goes through first
    try:
        last = pd.read_excel(path, sheet_name="指标实际值", dtype=object, engine="openpyxl")
        last = last.rename(columns={"指标编号": "id", "项目名称": "project", "三级指标": "level3", "实际完成值": "actual"})
        last["actual"] = _shown_as_percent(path, last, list(last.columns).index("actual"))
        last = last[["id", "project", "level3", "actual"]].dropna(subset=["id"])
    except Exception as e:  # not last year's actuals workbook
        raise ScoreError(f"无法读取上年实际值工作簿（{type(e).__name__}）", where=str(path),
                         hint="--baseline 应为上年的实际值工作簿，含“指标实际值”表及“指标编号”“项目名称”“三级指标”“实际完成值”列") from None
    ind = targets.indicators
    change = [parse(v, n or None, year, lexicon).kind == TargetKind.CHANGE
              for v, n in zip(ind["annual_value"], ind["level3"], strict=True)]
    current = ind.loc[change, ["id", "project", "level3"]]
    m = match_baselines(current, last, f"上年实际值（{Path(path).name}）")
    m = m[m["baseline"].notna()]
    return {i: (b, s) for i, b, s in zip(m["id"], m["baseline"], m["source"], strict=True)}


def _shown_as_percent(path, last: pd.DataFrame, col: int) -> pd.Series:
    """Last year's 实际完成值 as shown: a percent-formatted cell holding 0.93 shows (and means) 93 %."""
    from scoring.actuals.numbers import percent_cell
    from scoring.xlsx import cell_ref
    from scoring.xlsx_cells import special_cells

    info = special_cells(path, "指标实际值")
    values = last["actual"].tolist()
    for i, v in enumerate(values):
        ci = info.get(cell_ref(i + 1, col))  # row 0 is the header
        if ci is not None and ci.percent and isinstance(v, int | float) and not isinstance(v, bool):
            values[i] = percent_cell(float(v), True)[0]
    return pd.Series(values, index=last.index, dtype=object)

