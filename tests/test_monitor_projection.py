"""Each kind of target projected to year end: the unit's 全年预计 when given, else linear for
cumulative counts, the current value for rates and levels, the date for deadlines."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.language.expressions import parse
from scoring.monitor.progress import time_progress
from scoring.monitor.projection import accrual, completion_progress, project, read_value
from scoring.monitor.words import read_choice

TP = time_progress(date(2023, 6, 30), "months")  # 50 %: projections are easy to check by hand
JULY = time_progress(date(2023, 7, 31))


def run(indicator, target, current, expected=None, tp=TP, pct=False):
    c = parse(target, indicator, 2023)
    acc, why = accrual(c, indicator)
    cur = read_value(current, c, pct, 2023)
    exp = read_value(expected, c, False, 2023) if expected is not None else None
    return project(c, cur, exp, tp, acc, why)


# --- accrual: which targets grow over the year -------------------------------------------

@pytest.mark.parametrize("indicator,target,kind", [
    ("开展活动数量", "≥2次", "cumulative"),
    ("交流活动人数", "≥150人次", "cumulative"),
    ("媒体报道篇数", "6篇", "cumulative"),
    ("官方网站及公众号信息点击率", "不少于10万人次", "cumulative"),  # a “率” counted in 人次 still accrues
    ("成本", "≤90万元", "cumulative"),
    ("预算执行率", "≥90%", "cumulative"),  # a progress rate
    ("服务对象满意度（%）", "≥95%", "level"),
    ("工作质量达标率", "100%", "level"),
    ("网络日均更新条数（条/天）", "2条/天", "level"),
    ("展览面积", "≥31000m²", "level"),
    ("响应时间", "进场后1.5个小时内完成", "level"),
    ("派遣人员在岗人数", "5人", "level"),  # a level word wins over the counter
    ("完成时间", "每年12月31日前", "deadline"),
    ("活动效果", "良好", "qualitative"),
    ("收入", "增长", "directional"),
])
def test_accrual(indicator, target, kind):
    acc, why = accrual(parse(target, indicator, 2023), indicator)
    assert acc == kind
    if kind in ("cumulative", "level"):
        assert why  # the decision is always explained


# --- quantitative ---------------------------------------------------------------------------

def test_cumulative_count_is_projected_linearly():
    p = run("开展活动数量", "≥6次", 2)
    assert (p.source, p.number) == ("线性推算", 4.0)
    assert "2 ÷ 50.00% ≈ 4 次" in p.text
    assert any("按年累计" in a for a in p.assumptions)  # the accrual decision is recorded
    assert any("线性推算" in a for a in p.assumptions)


def test_cumulative_with_a_multiplier_and_unit_conversion():
    p = run("点击量", "不少于10万人次", "3.5万人次")
    assert p.number == pytest.approx(70_000)


def test_level_keeps_the_current_value():
    p = run("服务对象满意度（%）", "≥95%", "93%")
    assert (p.source, p.number) == ("当前值", 93.0)
    assert "1–6月的 93%" in p.text


def test_percent_cell_is_read_as_a_percentage():
    p = run("服务对象满意度（%）", "≥95%", 0.93, pct=True)
    assert p.number == pytest.approx(93.0)


def test_progress_rate_is_projected_linearly():
    p = run("预算执行率", "≥90%", "45%")
    assert p.number == pytest.approx(90.0)


def test_range_level():
    p = run("覆盖率", "90%-100%", "95%")
    assert (p.accrual, p.number) == ("level", 95.0)


def test_units_own_expectation_wins():
    p = run("开展活动数量", "≥6次", 2, "6次")
    assert (p.source, p.number) == ("单位预计", 6.0)
    assert p.text == "单位填报的全年预计：6 次"


def test_expectation_below_what_is_already_done_is_noted():
    p = run("开展活动数量", "≥6次", 5, "4次")
    assert p.number == 4.0
    assert any("累计数不会减少" in a for a in p.assumptions)


def test_unreadable_expectation_falls_back_to_the_computed_projection():
    p = run("开展活动数量", "≥6次", 2, "待定")  # 待定 = nothing entered
    assert p.source == "线性推算"


def test_missing_current_value_gives_no_projection():
    p = run("开展活动数量", "≥6次", None)
    assert not p.usable and p.reason == "未填写实际完成值"
    p = run("开展活动数量", "≥6次", "很多")
    assert not p.usable and "很多" in p.reason


def test_invalid_target_gives_no_projection():
    p = run("按时完成率（%）", "实际完成时间与计划完成时间的差异少于", "5%")
    assert p.accrual == "invalid" and not p.usable and p.reason.startswith("指标值无效")


def test_zero_time_progress_cannot_project_a_count():
    p = run("开展活动数量", "≥6次", 1, tp=time_progress(date(2023, 1, 20), "months"))
    assert not p.usable and "时间进度为 0" in p.reason


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False), st.dates(date(2023, 1, 1), date(2023, 12, 31)))
def test_linear_projection_times_time_progress_is_the_value_so_far(done, d):
    tp = time_progress(d)
    c = parse("≥100次", "开展活动数量", 2023)
    p = project(c, read_value(done, c), None, tp, "cumulative", "")
    assert p.number * tp.fraction == pytest.approx(done, rel=1e-9, abs=1e-9)
    assert p.number >= done


# --- deadlines, directions, qualitative -----------------------------------------------------

def test_deadline_done_before_the_monitoring_date():
    p = run("完成时间", "每年12月31日前", date(2023, 5, 20), tp=JULY)
    assert (p.date, p.done) == ("2023-05-20", True)


def test_deadline_with_a_planned_date():
    p = run("完成时间", "每年12月31日前", "2023年10月31日", tp=JULY)
    assert (p.date, p.done) == ("2023-10-31", False)
    assert p.text == "计划于 2023-10-31 完成"


def test_deadline_under_way():
    p = run("完成时间", "每年12月31日前", "按计划推进中", tp=JULY)
    assert p.pending and p.date is None
    assert any("按尚未完成" in a for a in p.assumptions)


def test_deadline_expected_date_from_the_unit():
    p = run("完成时间", "每年12月31日前", "推进中", "2023-11-30", tp=JULY)
    assert (p.source, p.date, p.done) == ("单位预计", "2023-11-30", False)


def test_directional_keeps_the_change_so_far():
    p = run("收入", "增长", "增长5%")
    assert (p.number, p.sign) == (5.0, 1)


def test_qualitative_verdict_and_work_under_way():
    p = run("活动效果", "良好", "部分达成")
    assert p.verdict == "部分达成"
    p = run("活动效果", "良好", "正常推进")  # “正常” alone would read as 达成: under way wins
    assert p.pending and p.verdict is None


def test_completion_progress_only_for_cumulative_at_least_targets():
    c = parse("≥6次", "开展活动数量", 2023)
    assert completion_progress(c, read_value(3, c), "cumulative") == 50.0
    assert math.isnan(completion_progress(c, read_value(3, c), "level"))
    c = parse("≤3次", "故障次数", 2023)
    assert math.isnan(completion_progress(c, read_value(1, c), "cumulative"))


# --- the unit's own choice ------------------------------------------------------------------

@pytest.mark.parametrize("text,choice", [
    ("确定能", "确定能"), ("有可能", "有可能"), ("不可能", "不可能"), ("完全不可能", "不可能"),
    (" 能 ", "确定能"), ("可能", "有可能"), ("不能完成", "不可能"), ("无法完成。", "不可能"),
    ("基本能完成", "有可能"), ("", ""), (None, ""), ("说不好", None), ("能否完成待定", None),
])
def test_read_choice(text, choice):
    assert read_choice(text) == choice
