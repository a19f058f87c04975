"""Last year's actuals as this year's 基数: match each change target to last year's row, recording how.

``match_baselines(current, last)`` is pure: ``current`` has ``id``, ``project``, ``level3``; ``last`` has
``id``, ``project``, ``level3``, ``actual`` (last year's 实际完成值). Returns ``current``'s ``id`` with
``baseline`` (float, NaN when no match or not a number) and ``source`` (the match, in words; "" when none).
Matched by 指标编号 first, else by (项目名称, 三级指标) when that pair is unique last year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


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
