"""Change targets scored against a baseline (issue 16): %, 个百分点, absolute, sign flips, zero and
negative baselines, stated baselines, missing baselines."""

from __future__ import annotations

import json
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import examples, fill_actuals, run_cli, targets_with_first
from scoring.actuals.workbook import BASELINE_HEADER, SHEET_INDICATORS
from scoring.pipeline import run_year
from scoring.reports.template import write_template
from scoring.rubric.changes import BASELINE_HINT, ZERO_BASELINE
from scoring.rubric.engine import score_indicators


def _score(target: str, actual, baseline=None, level3: str = "成本", weight: float = 10.0):
    df = pd.DataFrame({"project": ["P"], "level1": ["产出指标"], "level3": [level3], "annual_value": [target],
                       "weight": [weight], "actual": [actual], "baseline": [baseline]})
    return score_indicators(df).indicators.iloc[0]


def test_relative_decrease_met():
    r = _score("同比下降4%", 90, 100)
    assert (r.verdict, r.score) == ("达成", 10.0)
    assert r.change == -10.0 and r.baseline == 100.0
    assert "基数 100 → 实际 90：下降 10%，目标下降 ≥4% → 达成" in r.explanation


def test_relative_decrease_short_scores_the_share():
    r = _score("同比下降4%", 98, 100)
    assert r.verdict != "达成" and r.score == 5.0
    assert "10 × 2 ÷ 4 = 5.00" in r.explanation


def test_relative_growth_met_and_short():
    assert _score("较上年增长10%", 111, 100).verdict == "达成"
    r = _score("较上年增长10%", 105, 100)
    assert r.score == 5.0 and r.verdict != "达成"


def test_planned_decrease_achieved_as_increase_is_the_wrong_way():
    r = _score("同比下降4%", 110, 100)
    assert r.verdict != "达成" and r.score < 10.0
    assert "方向相反" in r.explanation and "增长 10%" in r.explanation


def test_planned_increase_achieved_as_decrease_is_the_wrong_way():
    r = _score("较上年增长10%", 95, 100)
    assert "方向相反" in r.explanation


def test_percentage_points():
    r = _score("比上年提高2个百分点", 53, 51, level3="覆盖率")
    assert r.verdict == "达成" and r.change == 2.0
    r = _score("比上年提高2个百分点", 52, 51, level3="覆盖率")
    assert r.score == 5.0 and "增长 1个百分点" in r.explanation


def test_absolute_change_uses_the_targets_unit():
    r = _score("较上年减少30万元", 1_700_000, 2_000_000)  # 元, as the target is read
    assert r.verdict == "达成" and r.change == -300_000.0
    assert _score("较上年减少30万元", 1_850_000, 2_000_000).score == 5.0


def test_zero_baseline_with_a_relative_target_cannot_be_judged():
    r = _score("较上年增长10%", 50, 0)
    assert r.verdict == "无法判定" and r.score == 0.0
    assert ZERO_BASELINE in r.explanation


def test_negative_baseline_uses_its_absolute_value():
    r = _score("较上年增长10%", -90, -100)  # −100 → −90: up 10 on a base of |−100|
    assert r.verdict == "达成" and math.isclose(r.change, 10.0)
    assert "绝对值" in r.explanation


def test_stated_baseline_in_the_target_is_used_without_a_column_value():
    r = _score("在5万元基础上稳定增加", 60000, None)
    assert r.verdict == "达成" and r.baseline == 50000.0


def test_missing_baseline_stays_unknown_with_the_hint():
    r = _score("同比下降4%", 90, None)
    assert r.verdict == "无法判定" and "需要基数" in r.explanation
    assert r.hint == BASELINE_HINT


def test_frame_without_a_baseline_column_still_scores_levels():
    df = pd.DataFrame({"project": ["P"], "level1": ["产出指标"], "level3": ["人数"], "annual_value": ["≥10人"],
                       "actual": [10]})
    assert score_indicators(df).indicators.iloc[0].verdict == "达成"


@settings(max_examples=examples(40), deadline=None)
@given(b0=st.floats(1, 1e6), growth=st.floats(-50, 50), k=st.floats(0.01, 100))
def test_scaling_baseline_and_actual_leaves_a_relative_score_unchanged(b0, growth, k):
    b1 = b0 * (1 + growth / 100)
    one = _score("较上年增长10%", b1, b0)
    scaled = _score("较上年增长10%", b1 * k, b0 * k)
    assert (one.verdict, one.score) == (scaled.verdict, scaled.score)


# ---- the 基数 column: template, workbook, pipeline ----

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def change_targets(tmp_path_factory):
    """The 2023 targets with one indicator's target rewritten as a change (同比下降4%)."""
    return targets_with_first(tmp_path_factory.mktemp("targets"), "同比下降4%")


def _fill(template: Path, out: Path, first: tuple[object, object] | None) -> Path:
    return fill_actuals(template, out, first)


def test_template_has_a_white_baseline_cell_for_change_targets_only(tmp_path, change_targets):
    path = write_template(change_targets, tmp_path / "t.xlsx", 2023)
    ws = openpyxl.load_workbook(path)[SHEET_INDICATORS]
    header = [c.value for c in ws[1]]
    col = header.index(BASELINE_HEADER) + 1
    fills = [ws.cell(r, col).fill.fgColor.rgb for r in (2, 3)]
    assert fills[0] != fills[1] and fills[1].endswith("E7E6E6")
    assert ws.cell(2, col).protection.locked is False


def test_baseline_flows_from_the_workbook_to_the_score(tmp_path, change_targets):
    tpl = write_template(change_targets, tmp_path / "t.xlsx", 2023)
    filled = _fill(tpl, tmp_path / "a.xlsx", (90, 100))
    res = run_year(2023, targets_dir=change_targets.directory, actuals_path=filled)
    row = res.scored.indicators.iloc[0]
    assert row.baseline == 100.0 and row.verdict == "达成"


def test_a_workbook_without_the_baseline_column_still_reads(tmp_path, change_targets):
    tpl = write_template(change_targets, tmp_path / "t.xlsx", 2023)
    filled = _fill(tpl, tmp_path / "a.xlsx", None)
    res = run_year(2023, targets_dir=change_targets.directory, actuals_path=filled)
    row = res.scored.indicators.iloc[0]
    assert row.verdict == "无法判定" and row.hint == BASELINE_HINT


# ---- score rate --baseline and the fifth stdin column ----

def test_rate_with_a_baseline_shows_the_change(capsys):
    code, out, _ = run_cli(["rate", "--target", "同比下降4%", "--actual", "90", "--baseline", "100"], capsys)
    assert code == 0 and "基数 100 → 实际 90：下降 10%，目标下降 ≥4% → 达成" in out


def test_rate_with_a_bad_baseline_exits_2_in_chinese(capsys):
    code, _, err = run_cli(["rate", "--target", "同比下降4%", "--actual", "90", "--baseline", "很多"], capsys)
    assert code == 2 and "--baseline 应当是数值" in err and "Traceback" not in err


def test_rate_stdin_fifth_column_is_the_baseline(capsys, monkeypatch):
    lines = "成本\t同比下降4%\t98\t10\t100\n人数\t≥10人\t12\n成本\t同比下降4%\t98\t\t\n"
    code, out, _ = run_cli(["rate", "--json"], capsys, monkeypatch, lines)
    answers = [json.loads(x) for x in out.splitlines()]
    assert code == 0
    assert [a["score"] for a in answers] == [5.0, 10.0, 0.0]
    assert answers[0]["baseline"] == 100.0 and answers[0]["change"] == -2.0
    assert answers[1]["baseline"] is None and answers[2]["hint"] == BASELINE_HINT


def test_json_report_gives_baseline_and_change_for_change_targets_only(tmp_path, change_targets):
    from scoring.reports.json_report import indicator_rows

    tpl = write_template(change_targets, tmp_path / "t.xlsx", 2023)
    res = run_year(2023, targets_dir=change_targets.directory, actuals_path=_fill(tpl, tmp_path / "a.xlsx", (90, 100)))
    rows = [json.loads(x) for x in indicator_rows(res.scored.indicators.assign(
        actual_display=res.scored.indicators["actual"].astype(str)))]
    assert rows[0]["baseline"] == 100 and rows[0]["change"] == -10
    assert "baseline" not in rows[1]


# ---- matching last year's rows ----

def test_match_last_years_rows_by_id_then_by_name():
    from scoring.actuals.baseline import match_baselines

    current = pd.DataFrame({"id": ["A1", "B2", "C3"], "project": ["甲", "乙", "丙"], "level3": ["成本", "人数", "面积"]})
    last = pd.DataFrame({"id": ["A1", "X9", "Y8"], "project": ["甲", "乙", "丁"], "level3": ["成本", "人数", "面积"],
                         "actual": [100, "52", 7]})
    m = match_baselines(current, last)
    assert m["baseline"].tolist()[:2] == [100.0, 52.0] and math.isnan(m["baseline"].iat[2])
    assert "指标编号" in m["source"].iat[0] and "三级指标" in m["source"].iat[1] and m["source"].iat[2] == ""


def test_template_prefills_the_baseline_from_last_years_workbook(tmp_path, change_targets, capsys):
    last = _fill(write_template(change_targets, tmp_path / "t.xlsx", 2023), tmp_path / "2022.xlsx", (120, None))
    out = tmp_path / "new.xlsx"
    code, _, err = run_cli(["template", "2023", "--targets", str(change_targets.directory), "--baseline",
                               str(last), "--out", str(out)], capsys)
    assert code == 0, err
    ws = openpyxl.load_workbook(out)[SHEET_INDICATORS]
    col = [c.value for c in ws[1]].index(BASELINE_HEADER) + 1
    assert ws.cell(2, col).value == 120 and "指标编号" in ws.cell(2, col).comment.text
    assert ws.cell(3, col).value is None


def test_a_scored_change_drops_the_notes_that_needed_the_baseline():
    r = _score("同比下降4%", 90, baseline=100)
    assert r["verdict"] == "达成"
    assert not any("需要基数" in a or "没有百分号" in a for a in r["assumptions"]), r["assumptions"]
    assert r["actual_normalised"] == "90"
    unscored = _score("同比下降4%", 90)
    assert any("需要基数" in a for a in unscored["assumptions"])
