"""完成目标可能性 computed at its thresholds, the unit's own choice against it, and the warnings of
indicators and projects."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.language.comparator import Comparator
from scoring.language.expressions import parse
from scoring.monitor.likelihood import assess, completion, indicator_warning, project_warning
from scoring.monitor.progress import budget_check, time_progress
from scoring.monitor.projection import accrual, completion_progress, project, read_value
from scoring.rubric.sections.monitor import MonitorSettings

S = MonitorSettings()
HALF = time_progress(date(2023, 6, 30), "months")  # 50 %
JULY = time_progress(date(2023, 7, 31))


def likelihood(indicator, target, current, expected=None, tp=HALF, s=S):
    c = parse(target, indicator, 2023)
    acc, why = accrual(c, indicator)
    cur = read_value(current, c, False, 2023)
    exp = read_value(expected, c, False, 2023) if expected is not None else None
    return assess(c, project(c, cur, exp, tp, acc, why), cur, tp, s)


# --- quantitative: the possible_from threshold ------------------------------------------

@pytest.mark.parametrize("done,level", [
    (3, "确定能"),    # projected 6 of ≥6
    (2.4, "有可能"),  # projected 4.8 = 80 %: the threshold is included
    (2.39, "不可能"),  # projected 4.78 < 80 %
])
def test_cumulative_count_at_the_threshold(done, level):
    lk = likelihood("开展活动数量", "≥6次", done)
    assert lk.level == level
    assert lk.reason.endswith(f"→ {level}")


def test_impossible_says_what_the_rest_of_the_year_needs():
    lk = likelihood("开展活动数量", "≥6次", 1)
    assert lk.level == "不可能"
    assert "预计全年 2 次（线性推算）" in lk.reason and "33.33%" in lk.reason
    assert "余下约 6 个月需完成 5 次（每月约 0.83 次，此前每月约 0.17 次）" in lk.reason


def test_count_already_reached_is_certain_whatever_the_projection():
    lk = likelihood("开展活动数量", "≥6次", 6, "6次")
    assert lk.level == "确定能" and "已达到目标" in lk.reason


def test_upper_bound_already_passed_is_impossible():
    lk = likelihood("泄密次数", "0次", 1)
    assert lk.level == "不可能" and "累计数不会减少" in lk.reason
    lk = likelihood("故障次数", "≤3次", 4, "4次")
    assert lk.level == "不可能"


def test_upper_bound_projected_over():
    lk = likelihood("故障次数", "≤3次", 1.8)  # projected 3.6: 3/3.6 = 83 %
    assert (lk.level, round(lk.degree, 2)) == ("有可能", 83.33)
    assert likelihood("故障次数", "≤3次", 1.5).level == "确定能"


@pytest.mark.parametrize("now,level", [("95%", "确定能"), ("76%", "有可能"), ("75.9%", "不可能")])
def test_rate_level_at_the_threshold(now, level):
    assert likelihood("服务对象满意度（%）", "≥95%", now).level == level  # 76/95 = 80 %


def test_strict_target_met_exactly_is_only_possible():
    lk = likelihood("目标对象满意度（%）", ">90%", "90%")
    assert lk.level == "有可能" and "不含本数" in lk.reason


def test_range():
    assert likelihood("覆盖率", "90%-100%", "95%").level == "确定能"
    assert likelihood("覆盖率", "90%-100%", "80%").level == "有可能"


def test_threshold_is_a_setting():
    strict = MonitorSettings(possible_from=95)
    assert likelihood("服务对象满意度（%）", "≥95%", "90%", s=strict).level == "不可能"
    assert likelihood("服务对象满意度（%）", "≥95%", "90%").level == "有可能"


def test_progress_rate_projected_from_half_year():
    assert likelihood("预算执行率", "≥90%", "45%").level == "确定能"
    assert likelihood("预算执行率", "≥90%", "30%").level == "不可能"  # 60 % → 66.7 % of the target


def test_unit_expectation_decides_when_given():
    assert likelihood("开展活动数量", "≥6次", 1, "6次").level == "确定能"
    assert likelihood("开展活动数量", "≥6次", 3, "4次").level == "不可能"


def test_missing_value_cannot_be_assessed():
    lk = likelihood("开展活动数量", "≥6次", None)
    assert lk.level is None and "未填写" in lk.reason


@given(st.floats(0.01, 1e6), st.floats(0, 1e6))
def test_completion_degree_and_met_agree(a, p):
    at_least = Comparator(f"≥{a}次", "quantitative", ">=", a, unit="次")
    met, degree = completion(at_least, p)
    assert met == (degree >= 100 - 1e-9)  # 正向: p/A, not capped (over-achievement shows)
    at_most = Comparator(f"≤{a}次", "quantitative", "<=", a, unit="次")
    met, degree = completion(at_most, p)
    assert 0 <= degree <= 100 + 1e-9
    assert met == (p <= a or math.isclose(p, a)) and (degree == 100) == (met or math.isclose(p, a))


# --- deadlines, directions, qualitative -------------------------------------------------

@pytest.mark.parametrize("target,current,expected,level", [
    ("每年12月31日前", date(2023, 5, 20), None, "确定能"),   # done in time
    ("每年6月30日前", date(2023, 7, 10), None, "不可能"),    # done, late
    ("每年6月30日前", "推进中", None, "不可能"),             # deadline passed, not done
    ("每年10月31日前", "推进中", None, "有可能"),            # still time
    ("每年10月31日前", "推进中", "2023-10-20", "确定能"),    # planned in time
    ("每年10月31日前", "推进中", "2023-11-30", "不可能"),    # planned late
    ("每年12月31日前", "已完成", None, "确定能"),            # done, no date written
])
def test_deadlines(target, current, expected, level):
    lk = likelihood("完成时间", target, current, expected, tp=JULY)
    assert lk.level == level, lk.reason


def test_deadline_says_how_long_is_left():
    assert "还有 92 天" in likelihood("完成时间", "每年10月31日前", "推进中", tp=JULY).reason


@pytest.mark.parametrize("current,level", [("增长5%", "确定能"), ("与上年持平", "有可能"), ("下降3%", "不可能")])
def test_directional(current, level):
    assert likelihood("收入", "增长", current).level == level


@pytest.mark.parametrize("current,level", [("达成", "确定能"), ("部分达成", "有可能"), ("未达成", "不可能"),
                                           ("按计划推进中", "有可能"), ("已按时完成", "确定能")])
def test_qualitative(current, level):
    assert likelihood("活动效果", "良好", current).level == level


# --- indicator warnings: the unit's choice against the computed one ---------------------

def lk_of(level):
    return likelihood("开展活动数量", "≥6次", {"确定能": 3, "有可能": 2.5, "不可能": 1}[level])


@pytest.mark.parametrize("computed,choice,warning", [
    ("确定能", "", "正常"),
    ("确定能", "确定能", "正常"),
    ("有可能", "", "关注"),
    ("不可能", "", "预警"),
    ("确定能", "不可能", "预警"),    # the unit knows something the figures do not show
    ("不可能", "确定能", "预警"),    # the unit is more optimistic than its figures
    ("有可能", "确定能", "关注"),
])
def test_warning_is_the_worse_of_computed_and_chosen(computed, choice, warning):
    lk = lk_of(computed)
    assert lk.level == computed
    w = indicator_warning(lk, choice, math.nan, HALF, S)
    assert w.level == warning
    differs = bool(choice) and choice != computed
    assert any(f"单位判断“{choice}”，测算为“{computed}”" in r for r in w.reasons) == differs


def test_lag_behind_time_progress_is_attention_even_when_the_unit_is_sure():
    c = parse("≥6次", "开展活动数量", 2023)
    cur = read_value(1, c)
    lk = assess(c, project(c, cur, read_value("6次", c), HALF, "cumulative", ""), cur, HALF, S)
    assert lk.level == "确定能"
    lag = HALF.percent - completion_progress(c, cur, "cumulative")  # 50 − 16.67 = 33.3 points
    w = indicator_warning(lk, "确定能", lag, HALF, S)
    assert w.level == "关注" and "落后时间进度 50.00% 33.33 个百分点" in w.reasons[0]
    assert indicator_warning(lk, "确定能", 20.0, HALF, S).level == "正常"  # exactly the threshold: not more


def test_unassessable_indicator_is_attention():
    w = indicator_warning(likelihood("开展活动数量", "≥6次", None), "", math.nan, HALF, S)
    assert w.level == "关注" and "未填写" in w.reasons[0]


# --- project warnings -------------------------------------------------------------------

def test_project_warning_from_budget_and_indicators():
    ok = budget_check(50_000, 100_000, math.nan, HALF, S)
    lagging = budget_check(30_000, 100_000, math.nan, HALF, S)
    assert project_warning(ok, ["正常", "正常"], S).level == "正常"
    assert project_warning(ok, ["正常", "关注"], S).level == "关注"
    assert project_warning(ok, ["预警", "关注"], S).level == "预警"
    w = project_warning(lagging, ["正常"], S)
    assert w.level == "预警" and "落后 20.00 个百分点" in w.reasons[0]


def test_project_counts_are_settings():
    ok = budget_check(50_000, 100_000, math.nan, HALF, S)
    lenient = MonitorSettings(project_alert_from=2, project_attention_from=3)
    assert project_warning(ok, ["预警", "正常"], lenient).level == "正常"
    assert project_warning(ok, ["预警", "关注", "正常"], lenient).level == "正常"
    assert project_warning(ok, ["预警", "关注", "关注"], lenient).level == "关注"
    assert project_warning(ok, ["预警", "预警"], lenient).level == "预警"


@given(st.floats(0, 100), st.floats(0, 100), st.dates(date(2023, 1, 31), date(2023, 12, 31)))
def test_more_done_is_never_less_likely(a, b, d):
    tp = time_progress(d)
    rank = {"确定能": 0, "有可能": 1, "不可能": 2}
    c = parse("≥60次", "开展活动数量", 2023)
    lo, hi = sorted((a, b))
    got = []
    for done in (lo, hi):
        cur = read_value(done, c)
        got.append(rank[assess(c, project(c, cur, None, tp, "cumulative", ""), cur, tp, S).level])
    assert got[1] <= got[0]
    c = parse("≤6次", "故障次数", 2023)  # an upper bound: more done is never better
    got = []
    for done in (lo, hi):
        cur = read_value(done, c)
        got.append(rank[assess(c, project(c, cur, None, tp, "cumulative", ""), cur, tp, S).level])
    assert got[1] >= got[0]
