"""Time progress (days / months, month ends, leap years), the monitoring date, the 双监控 budget check
and the profile's monitor: settings."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.findings import ScoreError
from scoring.monitor.progress import (
    budget_check,
    is_month_end,
    month_end,
    parse_through,
    time_progress,
    worst,
)
from scoring.rubric.sections.monitor import MonitorSettings, monitor_settings

S = MonitorSettings()


# --- time progress ------------------------------------------------------------------------

def test_days_through_end_of_july():
    tp = time_progress(date(2023, 7, 31))
    assert (tp.elapsed, tp.total) == (212, 365)
    assert tp.percent == pytest.approx(58.0822, abs=1e-4)
    assert tp.label == "1–7月"
    assert "212 ÷ 365 = 58.08%" in tp.explanation()


def test_days_in_a_leap_year_count_29_february():
    tp = time_progress(date(2024, 7, 31))
    assert (tp.elapsed, tp.total) == (213, 366)
    assert time_progress(date(2024, 2, 29)).elapsed == 60
    assert time_progress(date(2023, 2, 28)).elapsed == 59
    assert time_progress(date(2024, 12, 31)).fraction == 1.0
    assert time_progress(date(2023, 12, 31)).fraction == 1.0


def test_first_day_counts_as_one_day():
    tp = time_progress(date(2023, 1, 1))
    assert tp.elapsed == 1
    assert tp.label == "1月1日–1月1日"


def test_months_count_only_complete_months():
    assert time_progress(date(2023, 7, 31), "months").elapsed == 7
    assert time_progress(date(2023, 7, 30), "months").elapsed == 6
    assert time_progress(date(2023, 7, 15), "months").percent == pytest.approx(50.0)
    assert "7月未过完" in time_progress(date(2023, 7, 15), "months").explanation()


def test_months_on_february_month_ends():
    assert time_progress(date(2024, 2, 29), "months").elapsed == 2  # leap year: the 29th ends February
    assert time_progress(date(2024, 2, 28), "months").elapsed == 1  # … so the 28th does not
    assert time_progress(date(2023, 2, 28), "months").elapsed == 2  # common year: the 28th does
    assert time_progress(date(2023, 1, 31), "months").label == "1月"


def test_month_end_helpers():
    assert month_end(date(2024, 2, 3)) == date(2024, 2, 29)
    assert month_end(date(2100, 2, 3)) == date(2100, 2, 28)  # not a leap year (century rule)
    assert is_month_end(date(2023, 4, 30)) and not is_month_end(date(2023, 4, 29))


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2099, 12, 30)))
def test_time_progress_grows_day_by_day_and_stays_in_range(d):
    nxt = d + timedelta(days=1)
    for basis in ("days", "months"):
        a = time_progress(d, basis)
        assert 0 <= a.fraction <= 1
        if nxt.year == d.year:
            assert time_progress(nxt, basis).fraction >= a.fraction
    # at each month end both bases agree within a month's share of the year
    if is_month_end(d):
        assert abs(time_progress(d).fraction - time_progress(d, "months").fraction) < 1 / 12


# --- the monitoring date ------------------------------------------------------------------

@pytest.mark.parametrize("text", ["2023-07-31", "2023/7/31", "2023年7月31日", "2023.07.31"])
def test_through_written_as_a_date(text):
    assert parse_through(text, 2023) == (date(2023, 7, 31), ())


def test_through_written_as_a_month_is_its_last_day_with_an_assumption():
    d, assumptions = parse_through("2024-02", 2024)
    assert d == date(2024, 2, 29)
    assert "最后一天" in assumptions[0]


@pytest.mark.parametrize("text,words", [("2022-07-31", "不在 2023 年内"), ("七月底", "不是日期"),
                                         ("2023-02-30", "不是日期"), ("", "不是日期")])
def test_bad_through_is_a_located_error(text, words):
    with pytest.raises(ScoreError) as e:
        parse_through(text, 2023)
    assert words in e.value.message
    assert e.value.where == "--through"
    assert e.value.hint


# --- the 双监控 budget check --------------------------------------------------------------

TP = time_progress(date(2023, 6, 30), "months")  # exactly 50 %


@pytest.mark.parametrize("spent,level", [
    (45_000, "正常"),      # 5 points behind: not more than 5
    (44_999, "关注"),      # just over 5
    (40_000, "关注"),      # exactly 10 behind: still 关注
    (39_999, "预警"),      # more than 10
    (80_000, "正常"),      # ahead of time
])
def test_budget_gap_at_its_thresholds(spent, level):
    b = budget_check(spent, 100_000, math.nan, TP, S)
    assert b.warning == level
    assert b.rate == pytest.approx(spent / 100_000)
    assert b.gap == pytest.approx(50 - spent / 1000)
    if level != "正常":
        assert "落后" in b.reasons[0] and "时间进度 50.00%" in b.reasons[0]


def test_budget_projection_below_90_percent_is_attention():
    b = budget_check(50_000, 100_000, 85_000, TP, S)
    assert b.warning == "关注"
    assert b.projected_rate == pytest.approx(0.85)
    assert "全年预计执行率 85.00% 低于 90%" in b.reasons[0]
    assert budget_check(50_000, 100_000, 95_000, TP, S).warning == "正常"


def test_budget_not_computable():
    b = budget_check(10, 0, math.nan, TP, S)
    assert b.warning == "关注" and math.isnan(b.rate) and "全年预算数" in b.reasons[0]
    b = budget_check(math.nan, 100, math.nan, TP, S)
    assert "1–6月执行数未填写" in b.reasons[0]


def test_budget_thresholds_come_from_the_settings():
    strict = MonitorSettings(budget_attention_gap=0, budget_alert_gap=2)
    assert budget_check(47_000, 100_000, math.nan, TP, strict).warning == "预警"
    assert budget_check(49_000, 100_000, math.nan, TP, strict).warning == "关注"


def test_worst():
    assert worst(["正常", "预警", "关注"]) == "预警"
    assert worst([]) == "正常"


# --- settings -----------------------------------------------------------------------------

def test_settings_defaults_and_overrides():
    assert monitor_settings(None) == MonitorSettings()
    s = monitor_settings({"time_basis": "months", "budget": {"alert_gap": 15}, "projects": {"alert_from": 2}})
    assert (s.time_basis, s.budget_alert_gap, s.budget_attention_gap, s.project_alert_from) == ("months", 15, 5, 2)
    assert "按整月数" in s.describe()


@pytest.mark.parametrize("raw,key", [
    ({"time_basis": "weeks"}, "monitor.time_basis"),
    ({"budget": {"alert_gap": "ten"}}, "monitor.budget.alert_gap"),
    ({"budget": {"alert_gap": 3}}, "monitor.budget.alert_gap"),  # below attention_gap 5
    ({"budget": {"gap": 3}}, "monitor.budget.gap"),
    ({"colour": 1}, "monitor.colour"),
    ({"likelihood": {"possible_from": 120}}, "monitor.likelihood.possible_from"),
    ({"projects": {"alert_from": 1.5}}, "monitor.projects.alert_from"),
    ({"projects": 3}, "monitor.projects"),
    ([1, 2], "monitor"),
])
def test_bad_settings_name_file_and_key(raw, key):
    with pytest.raises(ScoreError) as e:
        monitor_settings(raw, "rules/x.yaml")
    assert e.value.where == f"rules/x.yaml › {key}"


def test_profile_carries_its_monitor_section(tmp_path):
    from scoring.rubric.profile_file import load_profile

    assert load_profile("national").monitor == MonitorSettings()  # rules/national.yaml says the defaults
    p = tmp_path / "monthly.yaml"
    p.write_text("extends: national\nname: monthly\nmonitor:\n  time_basis: months\n  budget: {alert_gap: 15}\n",
                 encoding="utf-8")
    s = load_profile(p).monitor
    assert (s.time_basis, s.budget_alert_gap, s.budget_attention_gap) == ("months", 15, 5)  # merged key by key
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: national\nmonitor:\n  budget: {gap: 3}\n", encoding="utf-8")
    with pytest.raises(ScoreError) as e:
        load_profile(bad)
    assert e.value.where.endswith("bad.yaml › monitor.budget.gap")
