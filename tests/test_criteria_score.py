"""Scoring one indicator by its own 评分标准 (scoring/criteria/score.py): the arithmetic of every class, the
points scaled to the 分值 and flagged, a fraction of a step (criteria.steps), and two properties: a score
stays within [0, 分值], and a deduction never falls as the actual improves."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import examples
from scoring.criteria.reading import read_criteria
from scoring.criteria.score import Case, Outcome, Settings, score
from scoring.findings import ScoreError
from scoring.rubric.sections.criteria import criteria_settings

NAN = math.nan


def case(weight=5.0, actual=NAN, target=NAN, op=">=", unit="", late_days=NAN, verdict="未达成", high=NAN,
         percent=NAN, late=False) -> Case:
    return Case(weight, actual, target, high, op, unit, late_days, verdict, late, percent)


def outcome(text: str, c: Case, s: Settings | None = None) -> Outcome:
    got = score(read_criteria(text), c, s or Settings())
    assert isinstance(got, Outcome), got
    return got


def test_the_issue_example_names_the_rule_and_shows_the_arithmetic():
    o = outcome("每少1次扣1分，扣完为止", case(5, 7, 10, ">=", "次"))
    assert o.explanation == "评分标准：每少1次扣1分，扣完为止；少 3 次 → 5 − 3 × 1 = 2.00"
    assert (o.score, o.verdict) == (2.0, "未达成")


@pytest.mark.parametrize(("text", "c", "want"), [
    # deductions: per point, per percent of a percentage, per percent of a count, per incident, with a cap
    ("每降低1个百分点扣0.5分", case(5, 92, 95, ">=", "%"), 3.5),
    ("每超出1%扣1分", case(5, 7, 5, "<=", "%"), 3),
    ("每少1%扣0.5分", case(5, 900, 1000, ">=", "平方米"), 0),  # 10 % short of 1000 m² → 5 points off
    ("每出现一例扣1分", case(5, 2, 0, "<=", "例"), 3),
    ("每出现一例扣1分，最多扣3分", case(5, 5, 0, "<=", "例"), 2),
    ("发生一起扣2分，扣完为止", case(10, 2, 0, "<=", "起"), 6),
    ("每少1次扣1分，扣完为止", case(5, 0, 10, ">=", "次"), 0),
    ("以100%为标准。在职人员控制率≦100%，计5分；每超过一个百分点扣0.5分，扣完为止。", case(5, 104, 100, "<=", "%"), 3),
    ("以100%为标准。在职人员控制率≦100%，计5分；每超过一个百分点扣0.5分，扣完为止。", case(5, 96, 100, "<=", "%"), 5),
    ("≥90%得5分，每降低1个百分点扣0.5分，低于60%不得分", case(5, 59, 90, ">=", "%"), 0),
    ("≥90%得5分，每降低1个百分点扣0.5分，低于60%不得分", case(5, 88, 90, ">=", "%"), 4),
    # bands with （含） ends
    ("≥90%计5分；80%（含）-90%计4分；70%（含）-80%计3分；低于70%不得分", case(5, 80, 90, ">=", "%"), 4),
    ("≥90%计5分；80%（含）-90%计4分；70%（含）-80%计3分；低于70%不得分", case(5, 79.99, 90, ">=", "%"), 3),
    ("≥90%计5分；80%（含）-90%计4分；70%（含）-80%计3分；低于70%不得分", case(5, 90, 90, ">=", "%"), 5),
    ("预算调整率=0，计3分；0-10%（含），计2分；大于10%不得分。", case(3, 0, 10, "<=", "%"), 3),
    ("预算调整率=0，计3分；0-10%（含），计2分；大于10%不得分。", case(3, 10, 10, "<=", "%"), 2),
    ("90%（含）-95%得3分", case(3, 80, 95, ">=", "%"), 0),  # outside every band: said, and 0
    ("≥90%计5分；低于90%不得分", case(5, 45, 50, ">=", "人次"), 5),  # % bands on a count: the completion rate
    # all or nothing, tiers, shares of the weight
    ("未完成不得分", case(4, verdict="部分达成"), 0),
    ("未完成不得分", case(4, verdict="达成"), 4),
    ("完成得4分，基本完成得2分，未完成不得分", case(4, verdict="部分达成"), 2),
    ("完成得满分，部分完成得一半分值，未完成不得分", case(6, verdict="部分达成"), 3),
    ("财务会计制度健全的得10分，基本健全的得6分，不健全的扣10分。", case(10, verdict="未达成"), 0),
    # proportional written out
    ("按完成比例得分", case(10, 150, 200, ">=", "人次"), 7.5),
    ("按完成比例得分", case(10, 12, 9, "<=", "%"), 7.5),
    ("按完成比例得分", case(10, percent=70, verdict="部分达成"), 7),
    # lateness: bands of months, a deduction per day, on time is full marks
    ("逾期1个月以内扣1分，逾期1-3个月扣2分，逾期3个月以上不得分", case(5, late_days=46), 3),
    ("逾期1个月以内扣1分，逾期1-3个月扣2分，逾期3个月以上不得分", case(5, late_days=20), 4),
    ("逾期1个月以内扣1分，逾期1-3个月扣2分，逾期3个月以上不得分", case(5, late_days=0), 5),
    ("按时完成得满分，每延期1天扣0.5分", case(5, late_days=3), 3.5),
])
def test_each_class_scores(text, c, want):
    assert outcome(text, c).score == pytest.approx(want)


def test_other_full_points_are_scaled_to_the_weight_and_flagged():
    o = outcome("≥90%计5分；80%（含）-90%计4分；低于80%不得分", case(10, 85, 90, ">=", "%"))
    assert o.score == 8.0 and "按分值折算 4 × 10 ÷ 5 = 8.00" in o.explanation
    assert any("满分是 5 分" in f and "分值是 10 分" in f for f in o.flags)
    assert not outcome("≥90%计5分；低于80%不得分", case(5, 95, 90, ">=", "%")).flags  # the same full points: no flag


def test_a_fraction_of_a_step_counts_in_proportion_or_whole_and_is_said():
    c = case(5, 7.5, 10, ">=", "次")
    proportional = outcome("每少1次扣1分", c)
    whole = outcome("每少1次扣1分", c, Settings(steps="whole"))
    assert (proportional.score, whole.score) == (2.5, 2.0)
    assert any("按比例扣分" in a for a in proportional.assumptions)
    assert any("按一个单位扣分" in a for a in whole.assumptions)
    assert not outcome("每少1次扣1分", case(5, 7, 10, ">=", "次")).assumptions  # a whole number of steps: nothing to say


def test_a_rule_that_does_not_fit_the_indicator_says_why():
    assert "不是数值" in score(read_criteria("每少1次扣1分"), case(5, verdict="达成"))
    assert "完成日期" in score(read_criteria("每延期1天扣0.5分"), case(5, 3, 5))
    assert "单位" in score(read_criteria("≥450人次计5分；低于300人次不得分"), case(5, 90, 100, ">=", "%"))
    assert "无法判定" in score(read_criteria("未完成不得分"), case(5, verdict="无法判定"))


def test_the_verdict_follows_the_share_and_the_profile():
    assert outcome("每少1次扣1分", case(5, 9, 10, ">=", "次")).verdict == "部分达成"  # 4/5 ≥ 60 %
    assert outcome("每少1次扣1分", case(5, 9, 10, ">=", "次"), Settings(partial_from=None)).verdict == "未达成"
    assert outcome("每少1次扣1分", case(5, 10, 10, ">=", "次")).verdict == "达成"


def test_the_profile_section():
    assert criteria_settings({"steps": "whole"}, "x.yaml").steps == "whole"
    with pytest.raises(ScoreError, match=r"criteria\.steps"):
        criteria_settings({"steps": "ceil"}, "x.yaml")
    with pytest.raises(ScoreError, match=r"criteria\.round"):
        criteria_settings({"round": 1}, "x.yaml")


# -- properties ------------------------------------------------------------------------------------

_num = st.integers(min_value=1, max_value=20).map(lambda k: k / 2)  # 0.5 … 10
_unit = st.sampled_from([("次", ""), ("个百分点", "%"), ("%", "%"), ("%", "人次"), ("例", "")])


@st.composite
def deductions(draw):
    word = draw(st.sampled_from(["少", "降低", "超过", "超出", "出现", "相差"]))
    unit, target_unit = draw(_unit)
    floor = draw(st.sampled_from(["", "，扣完为止", "，不得为负"]))
    cap = draw(st.sampled_from(["", f"，最多扣{draw(_num):g}分"]))
    full = draw(st.sampled_from(["", f"满分{draw(_num):g}分；", f"≥90%计{draw(_num):g}分；"]))
    return f"{full}每{word}{draw(_num):g}{unit}扣{draw(_num):g}分{floor}{cap}", target_unit


@st.composite
def other_rules(draw):
    a, b = sorted(draw(st.lists(st.integers(0, 100), min_size=2, max_size=2, unique=True)))
    return draw(st.sampled_from([
        f"≥{b}%计{draw(_num):g}分；{a}%（含）-{b}%计{draw(_num):g}分；低于{a}%不得分",
        f"完成得{draw(_num):g}分，基本完成得{draw(_num):g}分，未完成不得分",
        "完成得满分，部分完成得一半分值，未完成不得分", "未完成不得分", "按完成比例得分",
        f"逾期{a}天以内扣{draw(_num):g}分，逾期{a}-{b}天扣{draw(_num):g}分，逾期{b}天以上不得分",
        f"每延期1天扣{draw(_num):g}分，扣完为止",
    ]))


_cases = st.builds(case, weight=st.sampled_from([1.0, 2.5, 5.0, 10.0, 20.0]),
                   actual=st.floats(-50, 500, allow_nan=False), target=st.floats(0, 300, allow_nan=False),
                   op=st.sampled_from([">=", "<=", ">", "<", "=="]), late_days=st.floats(-30, 400, allow_nan=False),
                   verdict=st.sampled_from(["达成", "部分达成", "未达成"]), percent=st.sampled_from([NAN, 30.0, 70.0]))


@settings(max_examples=examples(300), deadline=None)
@given(rule=st.one_of(deductions().map(lambda x: x[0]), other_rules()), c=_cases,
       steps=st.sampled_from(["proportional", "whole"]))
def test_a_criteria_score_stays_within_zero_and_the_weight(rule, c, steps):
    got = score(read_criteria(rule), c, Settings(steps=steps))
    assert isinstance(got, Outcome | str) and got  # an outcome, or why the rule does not apply
    if isinstance(got, Outcome):
        assert 0 <= got.score <= c.weight
        assert 0 <= got.share <= 1


@settings(max_examples=examples(300), deadline=None)
@given(rule=deductions(), target=st.floats(1, 300, allow_nan=False), b1=st.floats(0, 600, allow_nan=False),
       b2=st.floats(0, 600, allow_nan=False), weight=st.sampled_from([2.0, 5.0, 10.0]),
       steps=st.sampled_from(["proportional", "whole"]))
def test_a_deduction_never_falls_as_the_actual_improves(rule, target, b1, b2, weight, steps):
    text, unit = rule
    r = read_criteria(text)
    worse, better = sorted((b1, b2)) if r.step.way == "short" else sorted((b1, b2), reverse=True)
    if r.step.way == "either":  # 相差: closer to the target is better
        worse, better = sorted((b1, b2), key=lambda b: -abs(b - (r.reference if r.reference is not None else target)))
    s = Settings(steps=steps)
    op = ">=" if r.step.way == "short" else "<="
    low = score(r, case(weight, worse, target, op, unit), s)
    high = score(r, case(weight, better, target, op, unit), s)
    assert isinstance(low, Outcome) and isinstance(high, Outcome), (low, high)  # a number against a number: it applies
    assert high.score >= low.score, (low.explanation, high.explanation)


@settings(max_examples=examples(200), deadline=None)
@given(points=_num, d1=st.floats(-30, 400, allow_nan=False), d2=st.floats(-30, 400, allow_nan=False))
def test_a_lateness_deduction_never_falls_as_the_work_is_done_sooner(points, d1, d2):
    r = read_criteria(f"每逾期1天扣{points:g}分，扣完为止")
    sooner, later = sorted((d1, d2))
    assert score(r, case(5, late_days=sooner)).score >= score(r, case(5, late_days=later)).score
