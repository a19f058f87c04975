"""Reading 实际完成值 against the target they answer (target-expressions.md, "Actual values")."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from scoring.answers.judge import judge
from scoring.answers.values import judge_text, read_actual
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
    from scoring.answers.values import read_actual
    from scoring.language.expressions import parse

    r = read_actual(0.96, parse("≥95%"))
    assert any("0.96" in a and "96%" in a for a in r.assumptions), r.assumptions
