"""The target-expression parser: a big table of what real tables write, and properties."""

from __future__ import annotations

import csv
import functools
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import examples
from scoring.language.expressions import (
    _parse_uncached,
    format_target,
    parse,
    read_date,
    read_quantity,
)
from scoring.language.lexicon import default_lexicon
from scoring.language.normalize import normalize
from scoring.language.numerals import fmt_number
from seed_values import seed_values

DATA = Path(__file__).resolve().parent.parent / "evaluation"


def _num(s: str) -> float | None:
    return float(s) if s else None


def _seed_table() -> list[dict[str, str]]:
    with (DATA / "seed_readings.tsv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


SEED_TABLE = _seed_table()


@pytest.mark.parametrize("row", SEED_TABLE, ids=[f"{r['indicator']}:{r['text']}" for r in SEED_TABLE])
def test_every_seed_value_reads_as_a_careful_person_reads_it(row):
    c = parse(row["text"], row["indicator"], 2023)
    assert c.kind == row["kind"], c
    assert (c.op or "") == row["op"]
    assert c.value == _num(row["value"])
    assert c.high == _num(row["high"])
    assert c.unit == row["unit"]
    assert (c.date or "") == row["date"]
    if c.kind == "invalid":
        assert c.reason
    if c.kind == "quantitative" and c.inferred_op:
        assert c.assumptions, "a bare value's direction must be recorded as an assumption"


def test_the_seed_table_covers_every_distinct_value_of_the_seed():
    covered = {(r["indicator"], r["text"]) for r in SEED_TABLE}
    missing = [pair for pair in seed_values() if pair not in covered]
    assert not missing


# (text, indicator, kind, op, value, high, unit)
GENERAL = [
    ("≥90%", None, "quantitative", ">=", 90, None, "%"),
    ("＞＝９５％", None, "quantitative", ">=", 95, None, "%"),
    (">=95%", None, "quantitative", ">=", 95, None, "%"),
    ("≧95%", None, "quantitative", ">=", 95, None, "%"),
    ("≦3次", None, "quantitative", "<=", 3, None, "次"),
    ("＜5%", None, "quantitative", "<", 5, None, "%"),
    ("＞100人", None, "quantitative", ">", 100, None, "人"),
    ("不少于2次", None, "quantitative", ">=", 2, None, "次"),
    ("不低于95%", None, "quantitative", ">=", 95, None, "%"),
    ("不小于10家", None, "quantitative", ">=", 10, None, "家"),
    ("至少3次", None, "quantitative", ">=", 3, None, "次"),
    ("大于等于90分", None, "quantitative", ">=", 90, None, "分"),
    ("达到98%", None, "quantitative", ">=", 98, None, "%"),
    ("3次以上", None, "quantitative", ">=", 3, None, "次"),
    ("90%及以上", None, "quantitative", ">=", 90, None, "%"),
    ("大于90%", None, "quantitative", ">", 90, None, "%"),
    ("高于80%", None, "quantitative", ">", 80, None, "%"),
    ("超过100人", None, "quantitative", ">", 100, None, "人"),
    ("多于5场", None, "quantitative", ">", 5, None, "场"),
    ("不超过3个工作日", None, "quantitative", "<=", 3, None, "工作日"),
    ("不高于5%", None, "quantitative", "<=", 5, None, "%"),
    ("最多2次", None, "quantitative", "<=", 2, None, "次"),
    ("10%以下", None, "quantitative", "<=", 10, None, "%"),
    ("控制在5%以内", None, "quantitative", "<=", 5, None, "%"),
    ("24小时内", None, "quantitative", "<=", 24, None, "小时"),
    ("5天内完成", None, "quantitative", "<=", 5, None, "天"),
    ("进场后1.5个小时内完成", None, "quantitative", "<=", 1.5, None, "小时"),
    ("一个半小时内", None, "quantitative", "<=", 1.5, None, "小时"),
    ("少于10%", None, "quantitative", "<", 10, None, "%"),
    ("低于20%", None, "quantitative", "<", 20, None, "%"),
    ("不足5%", None, "quantitative", "<", 5, None, "%"),
    ("不满3年", None, "quantitative", "<", 3, None, "年"),
    ("=5人", None, "quantitative", "==", 5, None, "人"),
    ("等于100%", None, "quantitative", "==", 100, None, "%"),
    ("不少于30万人次", None, "quantitative", ">=", 300000, None, "人次"),
    ("点击量不少于100万人次", None, "quantitative", ">=", 1000000, None, "人次"),
    ("不少于16次专项活动", None, "quantitative", ">=", 16, None, "次"),
    ("实际完成时间与计划完成时间的差异少于10%", None, "quantitative", "<", 10, None, "%"),
    ("≥1.2亿元", None, "quantitative", ">=", 120000000, None, "元"),
    ("≥500万元", None, "quantitative", ">=", 5000000, None, "元"),
    ("不少于1,000人", None, "quantitative", ">=", 1000, None, "人"),
    ("不少于两场", None, "quantitative", ">=", 2, None, "场"),
    ("不少于三次", None, "quantitative", ">=", 3, None, "次"),
    ("十二次以上", None, "quantitative", ">=", 12, None, "次"),
    ("不低于百分之九十", None, "quantitative", ">=", 90, None, "%"),
    ("≥半个版面", None, "quantitative", ">=", 0.5, None, "版面"),
    ("$\\geq$ 半个版面", None, "quantitative", ">=", 0.5, None, "版面"),
    ("$\\geq 31000\\text{m}^2$", None, "quantitative", ">=", 31000, None, "m²"),
    ("≥31000㎡", None, "quantitative", ">=", 31000, None, "m²"),
    ("不少于31000平方米", None, "quantitative", ">=", 31000, None, "m²"),
    ("≥2条/天", None, "quantitative", ">=", 2, None, "条/天"),
    ("不少于2次/年", None, "quantitative", ">=", 2, None, "次/年"),
    ("≥5亿立方米", None, "quantitative", ">=", 500000000, None, "m³"),
    ("≥98.5％", None, "quantitative", ">=", 98.5, None, "%"),
    ("≥100百分比", None, "quantitative", ">=", 100, None, "%"),
    ("90%-100%", None, "range", "between", 90, 100, "%"),
    ("90-100%", None, "range", "between", 90, 100, "%"),
    ("90%~110%", None, "range", "between", 90, 110, "%"),
    ("在85%至95%之间", None, "range", "between", 85, 95, "%"),
    ("≥95%且≤100%", None, "range", "between", 95, 100, "%"),
    ("不低于90%，不高于110%", None, "range", "between", 90, 110, "%"),
    # bare values: direction from the indicator's name
    ("100%", "工作质量达标率", "quantitative", ">=", 100, None, "%"),
    ("3家", "聘请法律顾问单位数量", "quantitative", ">=", 3, None, "家"),
    ("0次", "泄密次数", "quantitative", "<=", 0, None, "次"),
    ("0", "重大安全事故发生次数", "quantitative", "<=", 0, None, ""),
    ("24小时", "系统维护平均响应时间", "quantitative", "<=", 24, None, "小时"),
    ("5次", "设备故障次数", "quantitative", "<=", 5, None, "次"),
    ("2次", "投诉次数", "quantitative", "<=", 2, None, "次"),
    ("100%", "故障解决率", "quantitative", ">=", 100, None, "%"),
    ("100%", "故障降低率", "quantitative", ">=", 100, None, "%"),
    ("100%", "故障处理及时率", "quantitative", ">=", 100, None, "%"),
    ("40小时", "培训时长", "quantitative", ">=", 40, None, "小时"),
    ("2小时", None, "quantitative", "<=", 2, None, "小时"),
    ("95", "服务对象满意度（%）", "quantitative", ">=", 95, None, "%"),
    ("3", "用水总量（亿立方米）", "quantitative", ">=", 300000000, None, "m³"),
]


@pytest.mark.parametrize(("text", "indicator", "kind", "op", "value", "high", "unit"), GENERAL)
def test_general_forms(text, indicator, kind, op, value, high, unit):
    c = parse(text, indicator, 2023)
    assert (c.kind, c.op, c.unit) == (kind, op, unit), c
    assert c.value == pytest.approx(value)
    assert c.high == (None if high is None else pytest.approx(high))


@pytest.mark.parametrize(("text", "indicator", "year", "date"), [
    ("每年12月31日前", None, 2023, "2023-12-31"),
    ("每年12月31日前", None, None, "--12-31"),
    ("2023年6月30日前", None, 2024, "2023-06-30"),
    ("年底前", None, 2023, "2023-12-31"),
    ("2024年底前完成", None, 2023, "2024-12-31"),
    ("6月底前完成", None, 2023, "2023-06-30"),
    ("2月底前", None, 2024, "2024-02-29"),
    ("上半年完成", None, 2023, "2023-06-30"),
    ("第三季度末前", None, 2023, "2023-09-30"),
    ("十二月三十一日前", None, 2023, "2023-12-31"),
    ("2023-11-30前", None, 2023, "2023-11-30"),
    ("年内完成", None, 2023, "2023-12-31"),
])
def test_deadlines(text, indicator, year, date):
    c = parse(text, indicator, year)
    assert (c.kind, c.op, c.date) == ("deadline", "by_date", date), c


def test_a_deadline_without_a_year_records_the_scored_year_as_an_assumption():
    c = parse("6月30日前", None, 2023)
    assert c.date == "2023-06-30"
    assert any("2023" in a for a in c.assumptions)


@pytest.mark.parametrize(("text", "op"), [("增长", "increase"), ("逐步提高", "increase"), ("稳步增长", "increase"),
                                          ("下降", "decrease"), ("逐年减少", "decrease"), ("同比下降", "decrease")])
def test_directional(text, op):
    c = parse(text)
    assert (c.kind, c.op) == ("directional", op)


def test_growth_with_a_number_is_a_change_against_last_year_not_a_level():
    c = parse("同比增长10%")
    assert (c.kind, c.op, c.value, c.unit, c.baseline.ref) == ("change", "increase", 10, "%", "上年")
    assert any("基数" in a for a in c.assumptions)


@pytest.mark.parametrize("text", ["及时", "按时完成", "达标", "满意", "良好", "有效提升", "安全稳定", "正面报道和市政府认可",
                                  "控制在预算范围内", "推动两岸融合发展", "一次性补助发放到位", "2022年台港澳工作"])
def test_qualitative(text):
    assert parse(text).kind == "qualitative"


@pytest.mark.parametrize(("text", "indicator", "reason_has"), [
    ("", None, "空"),
    ("   ", None, "空"),
    ("-", None, "空"),
    ("业务平台设备故障次数", "设备故障次数", "名称"),
    ("业务平台稳定性", "业务平台稳定性", "名称"),
    ("预算执行率", "预算执行", "名称"),
    ("实际完成时间与计划完成时间的差异少于", None, "截断"),
    ("不少于", None, "截断"),
    ("≥", None, "截断"),
    ("≥？", None, "数值"),
    ("2月30日前", None, "日期不存在"),
    ("x" * 600, None, "过长"),
])
def test_invalid(text, indicator, reason_has):
    c = parse(text, indicator, 2023)
    assert c.kind == "invalid"
    assert reason_has in c.reason


def test_a_name_that_is_itself_a_statement_is_read_as_qualitative_with_an_assumption():
    c = parse("成本控制在预算范围内", "成本控制在预算范围内")
    assert c.kind == "qualitative"
    assert c.assumptions


def test_boundary_words_follow_the_civil_code():
    # 以上、以下、以内 include the number; 超过、不满、以外 exclude it (民法典 第1259条).
    assert parse("3次以上").op == ">="
    assert parse("3次以下").op == "<="
    assert parse("3天以内").op == "<="
    assert parse("超过3次").op == ">"
    assert parse("不满3年").op == "<"
    assert parse("5年以外").op == ">"


def test_a_reading_is_immutable():
    a = parse("≥90%", "满意度", 2023)
    with pytest.raises(AttributeError):
        a.value = 1  # type: ignore[misc]


def test_normalize_removes_extraction_noise():
    assert normalize("<b>≥ 90 %</b>") == "≥90%"
    assert normalize("$\\geq 90\\%$") == "≥90%"
    assert normalize("９５％") == "95%"


def test_read_quantity_and_read_date():
    assert read_quantity("3.2万人次") == (32000, "人次")
    assert read_quantity("96%") == (96, "%")
    assert read_quantity("三次") == (3, "次")
    assert read_quantity(0.96) == (0.96, "")
    assert read_quantity("已完成") is None
    assert str(read_date("2023年12月20日")) == "2023-12-20"
    assert str(read_date("12月20日", 2023)) == "2023-12-20"
    assert read_date("全部完成", 2023) is None


# ------------------------------------------------------------------ properties

@settings(max_examples=examples(400), deadline=None)
@given(st.text(), st.none() | st.text(max_size=30), st.none() | st.integers(1900, 2100))
def test_parse_never_raises_and_is_deterministic(text, indicator, year):
    a = parse(text, indicator, year)
    # whatever the text, the reading is well formed for its kind
    if a.kind == "invalid":
        assert a.reason
    elif a.kind == "quantitative":
        assert a.op in (">=", ">", "<=", "<", "==") and math.isfinite(a.value)
    elif a.kind == "range":
        assert math.isfinite(a.value) and math.isfinite(a.high) and a.value <= a.high
    elif a.kind == "deadline":
        assert a.date is not None or a.assumptions
    b = _parse_uncached(text, indicator or None, year, default_lexicon())
    assert (a.kind, a.op, a.value, a.high, a.unit, a.date) == (b.kind, b.op, b.value, b.high, b.unit, b.date)


@settings(max_examples=examples(50), deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=50).map(lambda s: s * 20000))
def test_huge_strings_are_invalid_not_slow_or_crashing(text):
    c = parse(text)
    assert c.kind == "invalid" and c.reason


@given(st.sampled_from(["\x00", "\x07", "\u202e", "\ufeff", "\x1b[31m"]), st.sampled_from(["≥90%", "及时", "不少于2次"]))
def test_control_characters_do_not_break_parsing(ctrl, text):
    c = parse(ctrl + text + ctrl)
    assert c.kind != "invalid" or c.reason


UNITS = ["次", "人次", "%", "小时", "天", "m²", "条/天", "分", "版面", "家", "篇", "元", "工作日", "m³", ""]
OPS = [">=", ">", "<=", "<", "=="]


@settings(max_examples=examples(300), deadline=None)
@given(st.sampled_from(OPS), st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False),
       st.sampled_from(UNITS))
def test_format_then_parse_gives_the_same_comparator(op, value, unit):
    value = float(value)
    symbol = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}[op]
    first = parse(format_target(parse(f"{symbol}{fmt_number(value)}{unit}")))
    again = parse(format_target(first))
    assert (first.kind, first.op, first.unit) == ("quantitative", op, unit)
    assert math.isclose(first.value, value, rel_tol=1e-12, abs_tol=1e-12)
    assert (again.kind, again.op, again.value, again.unit) == (first.kind, first.op, first.value, first.unit)


CN_DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """A simple writer of Chinese numerals for 0..99999999."""
    if n == 0:
        return "零"
    units = ["", "十", "百", "千"]

    def four(x: int) -> str:
        s, zero = "", False
        for i in range(3, -1, -1):
            d = x // 10**i % 10
            if d == 0:
                zero = bool(s)
                continue
            if zero:
                s += "零"
                zero = False
            s += CN_DIGITS[d] + units[i]
        return s

    high, low = divmod(n, 10000)
    if not high:
        out = four(low)
    else:
        out = four(high) + "万" + (("零" if low and low < 1000 else "") + four(low) if low else "")
    return out[1:] if out.startswith("一十") else out


@settings(max_examples=examples(300), deadline=None)
@given(st.integers(min_value=1, max_value=99_999_999), st.sampled_from(["次", "人次", "场", "家", "个版面"]))
def test_arabic_fullwidth_and_chinese_numerals_parse_to_the_same_value(n, unit):
    arabic = parse(f"不少于{n}{unit}")
    fullwidth = parse("不少于" + str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")) + unit)
    chinese = parse(f"不少于{to_chinese(n)}{unit}")
    assert arabic.value == fullwidth.value == chinese.value == n
    assert arabic.unit == fullwidth.unit == chinese.unit


# ------------------------------------------------------------------ other regions (issue 11)

def _regions_table() -> list[dict[str, str]]:
    with (DATA / "regions.tsv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


REGIONS_TABLE = _regions_table()


@pytest.mark.parametrize("row", REGIONS_TABLE, ids=[f"{r['region']}:{r['indicator']}:{r['text']}" for r in REGIONS_TABLE])
def test_every_region_value_reads_as_a_careful_person_reads_it(row):
    c = parse(row["text"], row["indicator"], 2023)
    assert (c.kind, c.op or "", c.unit, c.date or "") == (row["kind"], row["op"], row["unit"], row["date"]), c
    assert c.value == (None if not row["value"] else pytest.approx(float(row["value"])))
    assert c.high == (None if not row["high"] else pytest.approx(float(row["high"])))
    assert (c.baseline.describe() if c.baseline else "") == row["baseline"]


@pytest.mark.parametrize(("text", "date"), [
    ("2025年12月", "2025-12-31"), ("2021年12月31日", "2021-12-31"), ("2023年12月前", "2023-12-31"),
    ("2021年7月", "2021-07-31"), ("2020年", "2020-12-31"), ("2021年全年", "2021-12-31"), ("1-12月", "2023-12-31"),
    ("2021年1月-12月", "2021-12-31"), ("2023.07-2024.01", "2024-01-31"), ("2020年1月--2020年11月", "2020-11-30"),
    ("2019年12月(计划标准)", "2019-12-31"), ("2024年2月", "2024-02-29"), ("二〇二三年十二月", "2023-12-31"),
])
def test_dates_and_periods_are_deadlines_never_a_quantity_or_a_range(text, date):
    c = parse(text, "项目完成时间", 2023)
    assert (c.kind, c.op, c.date, c.value, c.high) == ("deadline", "by_date", date, None, None), c


def test_a_period_records_how_it_was_read():
    c = parse("1-12月", None, 2023)
    assert any("期末" in a for a in c.assumptions) and any("2023" in a for a in c.assumptions)
    assert parse("1-12月", None, None).date == "--12-31"  # no year to place it: like 每年12月31日前
    assert parse("90-100", None, 2023).kind == "range"  # numbers alone are not months


@pytest.mark.parametrize(("text", "unit"), [("28万粒", "粒"), ("5种", "种"), ("120例", "例"), ("50万尾", "尾"),
                                            ("60岁以上", "岁"), ("2000羽", "羽"), ("1200户次", "户次"), ("300台次", "台次"),
                                            ("≥8000剂次", "剂次"), ("≥20眼", "眼")])
def test_an_unknown_counter_is_its_own_unit_and_flagged_as_new(text, unit):
    c = parse(text, "发放数量", 2023)
    assert c.unit == unit
    from scoring.language.units import IncompatibleUnits, factor, is_known
    if not is_known(unit):
        assert any(f"“{unit}”不在单位表中" in a for a in c.assumptions)
        assert factor(unit, unit) == 1.0
        with pytest.raises(IncompatibleUnits):
            factor(unit, "个")  # a new counter compares only with itself


@pytest.mark.parametrize(("text", "value", "unit", "to", "factor_"), [
    ("≥20厘米", 20, "厘米", "m", 0.01), ("≥12毫米", 12, "毫米", "厘米", 0.1), ("≥12千米", 12, "公里", "m", 1000),
    ("≤35微克/立方米", 35, "微克/m³", "微克/m³", 1), ("≥100TB", 100, "TB", "GB", 1000), ("≥100M", 100, "Mbps", "Mbps", 1),
    ("≥300kg", 300, "千克", "吨", 0.001), ("≥500km", 500, "公里", "m", 1000), ("≥16GB", 16, "GB", "TB", 0.001),
])
def test_metric_units_in_chinese_and_latin_are_real_units(text, value, unit, to, factor_):
    from scoring.language.units import factor
    c = parse(text)
    assert (c.value, c.unit) == (pytest.approx(value), unit)
    assert factor(unit, to) == pytest.approx(factor_)


@pytest.mark.parametrize(("text", "op", "value", "unit"), [
    ("100元/人·天", ">=", 100, "元/人·天"), ("400元/人、天", ">=", 400, "元/人·天"),
    ("≤7吨/月·平方公里", "<=", 7, "吨/月·平方公里"), ("≤10/10万", "<=", 10, "/10万"), ("小于1/100万", "<", 1, "/100万"),
])
def test_compound_and_per_n_units(text, op, value, unit):
    c = parse(text, "补助标准", 2023)
    assert (c.op, c.value, c.unit) == (op, pytest.approx(value), unit)


def test_a_rate_per_hundred_thousand_converts_to_percent():
    from scoring.language.units import factor
    assert factor("/10万", "%") == pytest.approx(0.001)
    assert factor("元/人·天", "元/人·天") == 1.0


@pytest.mark.parametrize(("text", "direction", "value", "unit", "baseline"), [
    ("同比下降4%", "decrease", 4, "%", "上年"), ("较上年增长10%", "increase", 10, "%", "上年"),
    ("同比減少6%", "decrease", 6, "%", "上年"), ("减少30%以上", "decrease", 30, "%", "上年"),
    ("在5万元基础上稳定增加", "increase", None, "元", "50000元"), ("比上年提高2个百分点", "increase", 2, "个百分点", "上年"),
    ("较基期下降18%", "decrease", 18, "%", "基期"), ("比2022年增长12%", "increase", 12, "%", "2022年"),
    ("比上年增加20家", "increase", 20, "家", "上年"),
])
def test_changes_against_a_baseline_are_their_own_kind(text, direction, value, unit, baseline):
    c = parse(text, "营业收入", 2023)
    assert (c.kind, c.op, c.unit, c.baseline.describe()) == ("change", direction, unit, baseline), c
    assert c.value == (None if value is None else pytest.approx(value))
    assert c.to_json()["baseline"] is not None
    assert "baseline" not in parse("≥90%").to_json()


def test_a_rate_named_growth_is_a_level_not_a_change():
    assert parse("增长率≥10%").kind == "quantitative"
    assert parse("增长").kind == "directional"


@pytest.mark.parametrize(("text", "low", "high"), [("±3%以内", -3, 3), ("偏差不超过5%", -5, 5), ("误差率±2%", -2, 2),
                                                  ("控制在±5%以内", -5, 5), ("100±5", 95, 105), ("+/-2%", -2, 2)])
def test_bands_are_a_range_around_the_target(text, low, high):
    c = parse(text, "预算执行偏差", 2023)
    assert (c.kind, c.op, c.value, c.high) == ("range", "between", low, high), c
    assert c.assumptions


def test_breakthrough_none_and_keep_below():
    assert parse("突破1000万元").op == ">"
    c = parse("无", "安全事故", 2023)
    assert (c.kind, c.op, c.value) == ("quantitative", "<=", 0) and c.assumptions
    assert parse("无", "重大安全事故发生次数（次）", 2023).unit == "次"
    assert parse("无", "宣传效果", 2023).kind == "invalid"  # 无 for a good thing is not a target
    assert (parse("控制在10万元以下").op, parse("控制在10万元以下").value) == ("<=", 100000)


def test_the_engine_marks_a_change_unknown_until_a_baseline_is_given():
    import pandas as pd

    from scoring.rubric.engine import score_indicators
    rows = pd.DataFrame([{"project": "P", "level1": "效益指标", "level3": "投诉量", "annual_value": "同比下降4%",
                          "actual": "5%", "weight": 10.0}])
    scored = score_indicators(rows, year=2023).indicators
    assert scored["verdict"].iloc[0] == "无法判定"
    assert any("需要基数" in f for f in scored["flags"].iloc[0])


# ------------------------------------------------------------------ properties of issue 11

UNIT_SPELLINGS = ["次", "人次", "%", "个小时", "天", "㎡", "平方米", "条/天", "元/人·天", "元/人、天", "吨", "厘米", "TB",
                  "km", "kg", "/10万", "个百分点", "家次", "粒", "羽", "尾", "例", "种", "盏", "瓶", "株", "头", "台次"]


@settings(max_examples=examples(300), deadline=None)
@given(st.sampled_from(["", "≥", "不少于", "不超过", "达到", "突破", "控制在"]),
       st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["", "万"]), st.sampled_from(UNIT_SPELLINGS), st.sampled_from(["", "以上", "以内", "以下"]),
       st.sampled_from([None, "发放数量", "投诉次数", "覆盖率"]))
def test_a_unit_never_disappears_between_text_and_reading(op, number, multiplier, unit, suffix, indicator):
    from scoring.language.units import canonical_unit
    text = f"{op}{fmt_number(float(number))}{multiplier}{unit}{suffix}"
    c = parse(text, indicator, 2023)
    assert c.unit, c
    assert c.unit == (canonical_unit(unit) or unit.replace("、", "·"))


@functools.cache
def _to_traditional():
    import opencc
    return opencc.OpenCC("s2t")  # built once: building it costs about 0.1 s, and this test asks 600 times


def _traditional(text: str) -> str:
    return _to_traditional().convert(text)


SIMPLIFIED = [r["text"] for r in REGIONS_TABLE] + [r["text"] for r in SEED_TABLE]


@settings(max_examples=examples(300), deadline=None)
@given(st.sampled_from(SIMPLIFIED), st.sampled_from([None, "安全事故发生次数", "群众满意度（%）", "培训人数"]))
def test_simplified_and_traditional_spellings_read_the_same(text, indicator):
    a = parse(text, indicator, 2023)
    b = parse(_traditional(text), indicator and _traditional(indicator), 2023)
    assert (a.kind, a.op, a.value, a.high, a.unit, a.date, a.baseline) == \
           (b.kind, b.op, b.value, b.high, b.unit, b.date, b.baseline)


def test_the_language_data_files_are_well_formed():
    from scoring.language import vocabulary as vocab
    from scoring.language.comparator import Operator
    for section in ("prefix", "suffix"):
        assert all(Operator(op) in (">=", ">", "<=", "<", "==") for op in vocab.table("operators", section).values())
    for key in ("directions", "with_baseline_only"):
        assert set(vocab.table("changes", key).values()) <= {"increase", "decrease"}
    assert all(len(c) == 1 for c in vocab.words("counters", "not_counters"))
    for name in ("operators", "dates", "changes", "bands", "counters", "names"):
        data = vocab.load(name)
        words = [w for v in data.values() if isinstance(v, list) for w in v]
        assert words and all(isinstance(w, str) and w for w in words), name


def _may_be_a_counter(c: str) -> bool:
    from scoring.language.normalize import to_simplified
    from scoring.language.numerals import CHINESE_NUMERAL_CHARS
    from scoring.language.quantities import NOT_COUNTERS
    s = to_simplified(c)
    return s not in NOT_COUNTERS and s not in CHINESE_NUMERAL_CHARS


@settings(max_examples=examples(500), deadline=None)
@given(st.integers(0, 1899), st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5).filter(_may_be_a_counter),
       st.sampled_from(["", "≥", "不少于", "不超过"]), st.sampled_from(["", "以上", "以内"]))
def test_any_character_after_a_number_is_kept_as_its_unit(number, counter, op, suffix):
    c = parse(f"{op}{number}{counter}{suffix}", "数量", 2023)
    assert c.unit, c


def test_a_date_inside_a_quantity_target_is_not_read_as_a_number():
    c = parse("2023年12月31日前完成80%", "完成率", 2023)
    assert (c.kind, c.op, c.value, c.unit) == ("quantitative", ">=", 80, "%")
    assert any("时限" in a for a in c.assumptions)


@pytest.mark.parametrize("text", ["0000年12月31日前", "0000年6月底前", "9999年12月", "0年12月31日前完成80%"])
def test_impossible_years_are_read_without_a_crash(text):
    c = _parse_uncached(text, None, 2023, default_lexicon())
    assert c.kind in ("invalid", "deadline", "quantitative") and "程序未能处理" not in (c.reason or "")
