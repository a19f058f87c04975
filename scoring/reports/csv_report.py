"""``--format csv``: the indicator detail as CSV that Excel opens in Chinese and never runs as formulas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scoring.csvcells import defuse_frame
from scoring.files import atomic_path
from scoring.pipeline import RunResult
from scoring.reports.cells import join_notes
from scoring.reports.forms import narratives

CSV_COLUMNS = (("id", "指标编号"), ("project", "项目名称"), ("level1", "一级指标"), ("level2", "二级指标"),
               ("level3", "三级指标"), ("annual_value", "年度指标值"), ("reading", "理解为"), ("actual_display", "实际完成值"),
               ("actual_normalised", "实际完成值（换算后）"), ("verdict", "判定"), ("weight", "分值"), ("score", "得分"),
               ("explanation", "计算过程"), ("assumptions", "假设"), ("flags", "提示"), ("evidence", "佐证材料"),
               ("cell", "来源单元格"))
NARRATIVE = "年度总体目标完成情况"



def detail_frame(result: RunResult) -> pd.DataFrame:
    ind = result.indicators
    out = pd.DataFrame({label: ind[col] if col in ind.columns else "" for col, label in CSV_COLUMNS})
    out["假设"] = [join_notes(a) for a in ind["assumptions"].to_numpy(dtype=object)]
    out["提示"] = [join_notes(a) for a in ind["flags"].to_numpy(dtype=object)]
    texts = narratives(result)
    out[NARRATIVE] = [texts.get(p, "") for p in ind["project"].to_numpy(dtype=object)]
    return out



def write_csv(result: RunResult, path: str | Path) -> Path:
    """The detail as CSV (UTF-8 with BOM, so Excel opens it in Chinese), written atomically.

    CSV has no cell types, so text that starts with ``=``, ``+``, ``-`` or ``@`` is prefixed with an
    apostrophe (:func:`scoring.csvcells.defuse_frame`, every text column whatever its dtype): Excel then
    shows it as text instead of running it as a formula."""
    df = defuse_frame(detail_frame(result))
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, encoding="utf-8-sig")
    return Path(path)
