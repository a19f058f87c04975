"""``--format csv``: the indicator detail as CSV that Excel opens in Chinese and never runs as formulas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scoring.csvcells import defuse_frame
from scoring.files import atomic_path
from scoring.reports.audit import detail_table
from scoring.reports.forms import narratives
from scoring.results import RunResult

NARRATIVE = "年度总体目标完成情况"


def detail_frame(result: RunResult) -> pd.DataFrame:
    """The 指标明细 sheet's table (:func:`scoring.reports.audit.detail_table`: every column, named and
    ordered as the sheet names them, each value as its cell shows it), then each project's
    年度总体目标完成情况."""
    ind = result.indicators
    out, _ = detail_table(ind)
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
