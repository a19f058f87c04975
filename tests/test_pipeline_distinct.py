"""join and collect_problems read each distinct cell value once (issue 14): on random workbooks they
give exactly what the row-wise code gave (tests/pipeline_reference.py)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pipeline_reference as reference
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import examples
from scoring import pipeline
from scoring.actuals.workbook import Actuals
from scoring.rubric.engine import score_indicators
from scoring.rubric.profile_file import load_profile
from scoring.targets.model import Targets
from scoring.targets.store import load_targets

ROOT = Path(__file__).resolve().parent.parent
TARGETS = load_targets(ROOT / "targets" / "2023")
PROFILE = load_profile(None)
CELLS = [None, "", 0, 0.0, -0.0, 1, 2.5, 3, 95, 0.95, 100, -2, -0.5, "-3", "负3次", "−1", "－2", float("nan"), float("inf"),
         float("-inf"), "#DIV/0!", " #n/a ", "#REF", "见附件", "3次", "96%", "达成", "部分达成 70%", "已按时完成", True, False,
         date(2023, 12, 20), datetime(2024, 1, 5, 10, 30), "=SUM(A1)", "1e308", "2023年12月"]


@st.composite
def workbooks(draw):
    ind = TARGETS.indicators
    chosen = draw(st.lists(st.integers(0, len(ind) - 1), min_size=0, max_size=30, unique=True))
    sub = ind.iloc[sorted(chosen)].reset_index(drop=True)
    names = set(sub["project"])
    targets = Targets(projects=TARGETS.projects[TARGETS.projects["project"].isin(names)].reset_index(drop=True),
                      indicators=sub, year=2023, directory=TARGETS.directory)
    ids = [*sub["id"], "UNKNOWN-1", "UNKNOWN-2"]
    rows = draw(st.lists(st.tuples(st.sampled_from(ids) if ids else st.just("UNKNOWN-1"), st.sampled_from(CELLS),
                                   st.booleans(), st.sampled_from(["", "", "单元格是公式"]),
                                   st.sampled_from([np.nan, 100.0, "120", "abc"])), max_size=40))
    actual = np.empty(len(rows), dtype=object)
    actual[:] = [r[1] for r in rows]
    values = pd.DataFrame({"id": pd.Series([r[0] for r in rows], dtype=object), "actual": actual,
                           "actual_is_percent": np.array([r[2] for r in rows], dtype=bool),
                           "reason_text": pd.Series(["" for _ in rows], dtype=object),
                           "evidence": pd.Series(["台账" for _ in rows], dtype=object),
                           "cell": pd.Series([f"实际值.xlsx › 指标实际值 › G{k + 2}" for k in range(len(rows))], dtype=object),
                           "problem": pd.Series([r[3] for r in rows], dtype="str")})
    if draw(st.booleans()):
        values["baseline"] = pd.Series([r[4] for r in rows], dtype=object)
    projects = [*sorted(names), "别的项目"]
    budgets = pd.DataFrame({"project": pd.Series(draw(st.lists(st.sampled_from(projects), unique=True)), dtype="str")})
    budgets["initial_budget"] = np.nan
    budgets["full_budget"] = 100.0
    budgets["spent"] = 80.0
    budgets["reason_text"] = ""
    budgets["cell"] = "实际值.xlsx › 预算执行 › 第2行"
    return targets, Actuals("实际值.xlsx", "实际值.xlsx", values, budgets)


def _same_frame(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    for col in a.columns:
        if a[col].dtype == object:
            assert [type(x) for x in a[col]] == [type(x) for x in b[col]], col


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=workbooks())
def test_join_and_problems_give_what_the_row_wise_code_gave(case):
    targets, actuals = case
    df, budgets, problems = pipeline.join(targets, actuals)
    df0, budgets0, problems0 = reference.join(targets, actuals)
    # the targets' 评分标准 (issue 26, after the reference): carried, and here empty
    assert (df.pop("criteria") == "").all()
    _same_frame(df, df0)
    _same_frame(budgets, budgets0)
    assert problems == problems0
    # the engine's input is the same (above, to the type of every cell): it is scored once, and each side
    # applies its input problems and collects its problems on its own copy
    scored = score_indicators(df, budgets, PROFILE, 2023)
    scored0 = dataclasses.replace(scored, indicators=scored.indicators.copy(), projects=scored.projects.copy())
    pipeline.apply_input_problems(scored)
    reference.apply_input_problems(scored0)
    _same_frame(scored.indicators, scored0.indicators)
    assert (pipeline.collect_problems(scored, problems, [], budgets)
            == reference.collect_problems(scored0, problems0, [], budgets0))


def test_negative_counts_per_distinct_value_is_the_row_wise_one():
    actual = np.empty(len(CELLS) * 2, dtype=object)
    actual[:] = CELLS + CELLS[::-1]
    df = pd.DataFrame({"actual": actual, "annual_value": ["≥2次", "≤90%"] * len(CELLS), "level3": ["次数", "比率"] * len(CELLS)})
    assert pipeline.negative_counts(df, 2023).tolist() == reference.negative_counts(df, 2023).tolist()
    assert pipeline.negative_counts(df.iloc[:0], 2023).tolist() == []
