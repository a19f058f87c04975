"""Reading 实际完成值 against the target they answer (target-expressions.md, "Actual values")."""

from __future__ import annotations

import math
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import examples
from scoring.actuals.judge import judge
from scoring.actuals.values import judge_text, read_actual
from scoring.language.comparator import Comparator
from scoring.language.expressions import parse

GE2 = Comparator(text="≥2次", kind="quantitative", op=">=", value=2, unit="次")
GE90 = Comparator(text="≥90%", kind="quantitative", op=">=", value=90, unit="%")
LE24H = Comparator(text="≤24小时", kind="quantitative", op="<=", value=24, unit="小时")
PEOPLE = Comparator(text="≥160000人次", kind="quantitative", op=">=", value=160000, unit="人次")
ZERO = Comparator(text="0次", kind="quantitative", op="<=", value=0, unit="次")
NOUNIT = Comparator(text="≥90", kind="quantitative", op=">=", value=90, unit="")
DEADLINE = Comparator(text="每年12月31日前", kind="deadline", op="by_date", date="--12-31")
UP = Comparator(text="增长", kind="directional", op="increase")
DOWN = Comparator(text="下降", kind="directional", op="decrease")
QUAL = Comparator(text="及时", kind="qualitative")
INVALID = Comparator(text="", kind="invalid", reason="指标值为空")


@pytest.mark.parametrize("raw, comp, is_pct, number, assumed", [
    (3, GE2, False, 3, False),
    ("3次", GE2, False, 3, False),
    ("三次", GE2, False, 3, False),
    ("１,000", GE2, False, 1000, False),
    ("3.2万人次", PEOPLE, False, 32000, False),
    ("31.2万", PEOPLE, False, 312000, False),
    ("96%", GE90, False, 96, False),
    (0.96, GE90, True, 96, False),        # a percent-formatted cell: no ambiguity
    (0.96, GE90, False, 96, True),        # a plain 0.96: 96 % with a recorded assumption
    ("0.96", GE90, False, 96, True),
    (96, GE90, False, 96, True),
    ("1天", LE24H, False, 24, False),     # converted by pint
    ("30分钟", LE24H, False, 0.5, False),
    ("无", ZERO, False, 0, True),
    ("未发生", ZERO, False, 0, True),
    ("95%", NOUNIT, False, 95, True),      # a target without a unit takes the actual's
    ("100%（已完成）", GE90, False, 100, False),
])
def test_numbers_in_the_target_unit(raw, comp, is_pct, number, assumed):
    r = read_actual(raw, comp, is_pct)
    assert r.kind == "number", r
    assert math.isclose(r.number, number)
    assert bool(r.assumptions) == assumed, r.assumptions


@pytest.mark.parametrize("raw, comp, words", [
    ("3篇", GE2, "单位"),
    ("5%", GE2, "单位"),
    ("见附件", GE2, "没有写出完成值"),
    ("2023年3月5日", GE2, "日期"),
    (datetime(2023, 3, 5), GE2, "日期"),
    (True, GE2, "是/否"),
    (float("inf"), GE2, "有限"),
    (5, QUAL, "定性指标"),
    (3, DEADLINE, "日期"),
    ("1", INVALID, "指标值无效"),
])
def test_unreadable_actuals_say_why(raw, comp, words):
    r = read_actual(raw, comp)
    assert r.kind == "unreadable"
    assert words in r.reason, r.reason


@pytest.mark.parametrize("raw", [None, float("nan"), "", "  ", "-", "/", "—"])
def test_missing_actuals(raw):
    r = read_actual(raw, GE2)
    assert r.kind == "missing" and r.reason == "未填写实际完成值"


@pytest.mark.parametrize("raw, iso, assumed", [
    ("2023-11-30", "2023-11-30", False),
    ("2023年11月30日", "2023-11-30", False),
    ("2023.11.30", "2023-11-30", False),
    (date(2023, 11, 30), "2023-11-30", False),
    (datetime(2023, 11, 30, 9, 0), "2023-11-30", False),
    ("11月30日", "2023-11-30", True),
    ("12月底", "2023-12-31", True),
    ("年底", "2023-12-31", True),
])
def test_completion_dates(raw, iso, assumed):
    r = read_actual(raw, DEADLINE, year=2023)
    assert (r.kind, r.date) == ("date", iso)
    assert bool(r.assumptions) == assumed


@pytest.mark.parametrize("raw, comp, verdict, pct, explicit", [
    ("达成", QUAL, "达成", None, True),
    ("部分达成 75%", QUAL, "部分达成", 75, True),
    ("部分达成（75%）", QUAL, "部分达成", 75, True),
    ("部分达成年度指标并具有一定效果", QUAL, "部分达成", None, True),
    ("未达成年度指标且效果较差", QUAL, "未达成", None, True),
    ("及时", QUAL, "达成", None, False),           # the target's own words
    ("已按时完成", QUAL, "达成", None, False),
    ("不及时", QUAL, "未达成", None, False),
    ("基本完成", QUAL, "部分达成", None, False),
    ("滞后", QUAL, "未达成", None, False),
    ("已按时完成", DEADLINE, "达成", None, False),
    ("满意", GE90, "达成", None, False),            # the engine decides whether that may count
    (True, QUAL, "达成", None, False),
    (False, QUAL, "未达成", None, False),
])
def test_verdicts_and_free_text(raw, comp, verdict, pct, explicit):
    r = read_actual(raw, comp, year=2023)
    assert (r.kind, r.verdict, r.percent, r.explicit) == ("verdict", verdict, pct, explicit)
    # a verdict read from free text is always a recorded assumption
    assert explicit or r.assumptions


@pytest.mark.parametrize("raw, comp, sign, rate", [
    ("增长5%", UP, 1, 5),
    ("下降2%", UP, -1, -2),
    ("-3%", UP, -1, -3),
    ("本年120，上年100", UP, 1, 20),
    ("增长", UP, 1, None),
    ("未增长", UP, 0, None),
    ("持平", UP, 0, 0),
    ("下降2%", DOWN, -1, -2),
    ("减少", DOWN, -1, None),
])
def test_growth(raw, comp, sign, rate):
    r = read_actual(raw, comp)
    assert r.kind == "growth" and r.sign == sign
    assert (r.number is None and rate is None) or math.isclose(r.number, rate)


def test_word_list_longest_match_and_negators():
    assert judge_text("未发生安全事故")[0] == "达成"        # the negator denies the bad thing
    assert judge("未发生").bare_negators == ("未发生",)     # alone, its meaning depends on the target
    assert judge_text("未能完成")[0] == "未达成"
    assert judge_text("部分完成，未达标")[0] == "未达成"
    assert judge_text("见附件") == (None, ())


def test_reading_is_pure_and_cached():
    c = parse("≥2次")
    assert read_actual("3次", c) is read_actual("3次", c)
    # True and 1 are different cells
    assert read_actual(True, c).kind == "unreadable" and read_actual(1, c).kind == "number"


def test_the_percent_assumption_quotes_what_was_written():
    from scoring.actuals.values import read_actual
    from scoring.language.expressions import parse

    r = read_actual(0.96, parse("≥95%"))
    assert any("0.96" in a and "96%" in a for a in r.assumptions), r.assumptions


# ---------------------------------------------------------------------------------------------
# answers as clerks write them (issue 12)
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, verdict", [
    ("未超出", "达成"), ("没有超支", "达成"), ("未发生安全事故", "达成"), ("未发生安全问题", "达成"),
    ("开支合理，无违规", "达成"), ("运行正常，未发生宕机", "达成"), ("未发现违规违纪问题", "达成"),
    ("超支3万元", "未达成"), ("发生一般安全事故", "未达成"), ("未能有效保障", "未达成"), ("响应不及时", "未达成"),
    ("未正常运行", "未达成"), ("效率未提升", "未达成"), ("基本完成", "部分达成"),
])
def test_a_negator_negates_what_follows_it(text, verdict):
    assert judge_text(text)[0] == verdict


@pytest.mark.parametrize("raw, target, indicator, number, assumption", [
    ("约30万", "≥160000人次", "博览会组织参加人次", 300000, "约数"),
    ("200余人次", "≥150人次", "交流活动人数", 200, "约数"),
    ("30万左右", "≥160000人次", "博览会组织参加人次", 300000, "约数"),
    ("95%以上", ">90%", "满意度", 95, "下限"),
    ("三场", "≥2次", "开展活动数量", 3, "同为计数"),
    ("200人", "≥150人次", "交流活动人数", 200, "同为计数"),
    ("2次/年", "≥2次", "开展活动数量", 2, "年度数"),
    ("96.3分", "≥90%", "服务对象满意度（%）", 96.3, "百分制"),
    ("按时完成", "100%", "任务按时完成率", 100, "100%"),
    ("开展3次（详见附件2）", "≥2次", "开展活动数量", 3, None),
])
def test_readings_that_are_recorded(raw, target, indicator, number, assumption):
    r = read_actual(raw, parse(target, indicator))
    assert r.kind == "number" and math.isclose(r.number, number), r
    if assumption:
        assert any(assumption in a for a in r.assumptions), r.assumptions


def test_a_number_answering_a_level_target_is_compared_with_the_level():
    r = read_actual("满意度55%", parse("满意", "服务对象满意度（%）"))
    assert (r.kind, r.number, r.level) == ("number", 55, 90)
    r = read_actual("4人全部考核合格", parse("合格", "人员考核合格率"))
    assert (r.kind, r.verdict) == ("verdict", "达成")  # 4人 is not a percentage


def test_late_completion_is_read_as_late():
    r = read_actual("逾期完成", parse("按时完成", "设备采购完成及时性"))
    assert r.kind == "verdict" and r.late
    assert read_actual("未完成", parse("每年12月31日前"), year=2023).verdict == "未达成"


@pytest.mark.parametrize("raw, target, indicator, words", [
    ("=HYPERLINK(\"a\",\"1\")", "≥2次", "开展活动数量", "公式"),
    ("+1+1", "≥2次", "开展活动数量", "看不懂的字符"),
    ("½", "≥2次", "开展活动数量", "看不懂的字符"),
    ("①", "≥150人次", "交流活动人数", "看不懂的字符"),
    ("1e308", "≥2次", "开展活动数量", "看不懂的字符"),
    ("见附件3", "≥2次", "开展活动数量", "没有写出完成值"),
    ("表3", "≥150人次", "交流活动人数", "编号"),
    ("−5", "≥2次", "开展活动数量", "负数"),
    ("满意度120%", "满意", "单位人员满意度", "100%"),
    ("150%", "≥30%", "参展企业回头率", "超过 100%"),
    ("未开展调查", "≥90%", "服务对象满意度（%）", "没有调查"),
    ("待统计", "≥2次", "开展活动数量", "没有写出完成值"),
])
def test_garbage_is_unreadable_with_a_reason_and_a_hint(raw, target, indicator, words):
    r = read_actual(raw, parse(target, indicator))
    assert r.kind == "unreadable", r
    assert words in r.reason, r.reason
    assert r.hint and "请" in r.hint


STRAY = "xqZaJ#?*^~@$&|=+/\\"
DIGITS_AND_WORDS = "0123456789.%次万约人"


@settings(max_examples=examples(300), deadline=None)
@given(st.text(alphabet=STRAY + DIGITS_AND_WORDS, min_size=1, max_size=12).filter(lambda s: any(c in STRAY for c in s)),
       st.sampled_from(["≥2次", "≥90%", "≤24小时", "不少于30万人次", "满意"]))
def test_text_with_letters_or_stray_symbols_is_never_a_number_silently(raw, target):
    """No answer containing letters or stray symbols is read as a number without an assumption or a flag."""
    r = read_actual(raw, parse(target, "服务对象满意度（%）" if "%" in target or target == "满意" else "开展活动数量"))
    assert r.kind != "number" or r.assumptions or r.notes, (raw, r)


sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "evaluation" / "answers"))


def test_the_evaluation_set_is_read_as_a_knowledgeable_person_would():
    """evaluation/answers/cases.txt: the development set (the held-out fifth is measured by hand)."""
    import evaluate  # evaluation/answers/evaluate.py, put on the path below

    cases = evaluate.load(evaluate.HERE / "cases.txt")
    scored = evaluate.score_indicators(evaluate.frame(cases), None, evaluate.load_profile(), evaluate.YEAR).indicators
    wrong = [(c.line, c.actual) for c, (_, row) in zip(cases, scored.iterrows(), strict=True) if evaluate.judge(c, row)]
    assert len(wrong) / len(cases) <= 0.05, wrong
