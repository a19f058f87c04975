"""Classes of 实际完成值 found in the published 自评表 (evaluation/answers/published2.txt, harvested by
evaluation/answers/harvest.py): each class is tested on a row written differently from the real one, and on the
real row itself."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from scoring.language.expressions import parse
from scoring.rubric.engine import score_indicators
from scoring.rubric.profile_file import load_profile

ROOT = Path(__file__).resolve().parents[1]
NATIONAL = load_profile()


def rate(target, actual, indicator="指标", year=2023):
    df = pd.DataFrame({"project": ["P"], "level1": ["产出指标"], "level3": [indicator], "annual_value": [target],
                       "weight": [10.0], "actual_is_percent": [False]})
    df["actual"] = pd.Series([actual], dtype=object)
    return score_indicators(df, None, NATIONAL, year).indicators.iloc[0]


def test_a_rate_of_a_bad_thing_is_lower_is_better_by_its_name():
    # written differently: another bad-thing rate with a bare target
    row = rate("5", "3", "农作物病虫害成灾率")
    assert row["verdict"] == "达成"
    assert any("不超过" in a for a in row["assumptions"])
    assert rate("5", "8", "农作物病虫害成灾率")["verdict"] != "达成"
    # the real rows (cq_liangping_linye_2022)
    assert rate("0.9", "0", "森林火灾受害率")["verdict"] == "达成"
    assert rate("0.4", "0.1", "主要林业有害生物成灾率")["verdict"] == "达成"


@pytest.mark.parametrize("indicator, target, actual", [
    ("资金使用合规率", "100%", "按要求执行"),        # written differently
    ("完成率、控制率", "100%", "按规定执行"),        # jx_nanchang_weishengyuan_2021
])
def test_done_as_required_against_a_full_rate_is_100_percent(indicator, target, actual):
    row = rate(target, actual, indicator)
    assert row["verdict"] == "达成"
    assert any("100%" in a for a in row["assumptions"])


@pytest.mark.parametrize("target, actual", [
    ("群众获得感明显增强", "获得感很高"),           # written differently
    ("加大文物保护,展示文物价值", "程度较高"),      # ah_yuan_wenwu_2022
])
def test_a_degree_word_answers_a_target_in_words(target, actual):
    row = rate(target, actual)
    assert row["verdict"] == "达成"
    assert row["assumptions"]


@pytest.mark.parametrize("target, actual", [
    ("按要求及时归档", "已经归档"),                 # written differently
    ("各类资金均按时拨付", "均已拨付。"),
    ("按规定公开", "已公开"),                       # jx_nanchang_weishengyuan_2021
])
def test_done_with_the_targets_own_action_is_met(target, actual):
    row = rate(target, actual, "信息公开完善")
    assert row["verdict"] == "达成"
    assert any("已经做到" in a for a in row["assumptions"])


def test_done_with_another_action_is_not_read():
    row = rate("按规定公开", "已上报", "信息公开完善")
    assert row["verdict"] == "无法判定"


@pytest.mark.parametrize("target, actual", [
    ("专款专用", "100%"),                           # written differently
    ("本着节约的原则,控制在预算中。", "100%"),      # ah_yuan_wenwu_2022
])
def test_one_hundred_percent_against_a_target_in_words_is_all_done(target, actual):
    row = rate(target, actual, "项目成本控制在预算内")
    assert row["verdict"] == "达成"
    assert any("全部做到" in a for a in row["assumptions"])


def test_another_percentage_against_a_target_in_words_says_why_it_cannot_be_read():
    row = rate("专款专用", "95%", "资金使用")
    assert row["verdict"] == "无法判定"
    assert "门槛" in row["explanation"]


@pytest.mark.parametrize("target, actual", [
    ("办公用纸消耗有所降低", "用纸降低了两成"),      # written differently
    ("绿化良好、水电费开支有下降", "水电支出减少01万元"),  # jx_nanchang_weishengyuan_2021
])
def test_a_fall_answering_a_target_that_asks_for_a_fall_is_met(target, actual):
    row = rate(target, actual, "绿化、节能")
    assert row["verdict"] == "达成"
    assert any("要求下降" in a for a in row["assumptions"])


def test_a_fall_answering_a_target_that_asks_for_something_else_stays_unmet():
    assert rate("办学条件明显改善", "经费减少", "办学条件")["verdict"] == "未达成"
    assert rate("办公用纸消耗有所降低", "未降低", "节能")["verdict"] == "未达成"


@pytest.mark.parametrize("target, actual", [
    ("稳步增加", "同比增12户"),                     # written differently
    ("增加", "增372人次"),                          # jx_nanchang_weishengyuan_2021
])
def test_zeng_and_a_figure_answers_a_rise(target, actual):
    row = rate(target, actual, "任务1:门诊住院人次")
    assert row["verdict"] == "达成"
    assert "增长" in row["actual_normalised"]


@pytest.mark.parametrize("target, actual", [
    ("培训2次、考核1次", "培训2次、考核0次"),       # written differently
    ("签约率提高1%X体检率提高2%", "签约率提高1%体检率下降1%"),  # jx_nanchang_weishengyuan_2021
])
def test_several_figures_against_several_figures_are_not_scored_on_the_first(target, actual):
    row = rate(target, actual, "公卫均等化签约完成率、特殊人群体检率")
    assert row["verdict"] == "无法判定"
    # a change target gives its own reason first (no 基数); a level target gives the actual's
    assert "几个数" in row["explanation"] or parse(target, None, 2023).kind == "change"


def test_one_figure_or_a_range_against_several_is_still_read():
    assert rate("培训2次、考核1次", "3次", "培训")["verdict"] == "达成"
    assert rate("90%-100%", "95%", "合格率")["verdict"] == "达成"


@pytest.mark.parametrize("target, iso", [
    ("完工时间：2023年6月30日", "2023-06-30"),      # written differently
    ("完成时限为2023年9月1日", "2023-09-01"),
    ("完成时间为2022年12月30日", "2022-12-30"),     # ah_yuan_wenwu_2022
])
def test_a_date_after_a_label_is_a_deadline(target, iso):
    c = parse(target, "项目设计、招标、施工", 2023)
    assert (c.kind, c.date) == ("deadline", iso)


def test_the_real_labelled_date_answered_by_itself_is_met():
    row = rate("完成时间为2022年12月30日", "完成时间为2022年12月30日", "项目设计、招标、施工", 2022)
    assert row["verdict"] == "达成"


@pytest.mark.parametrize("target", ["K.5万元", "M.8万元"])   # M.8万元: nx_yinchuan_gongyong_2021 (14.8 read by OCR)
def test_a_letter_before_a_decimal_point_is_no_number(target):
    c = parse(target, "绿化、水电费等成本", 2023)
    assert c.kind == "invalid"
    assert "小数点前是字母" in c.reason
    assert rate(target, "14.8万元", "绿化、水电费等成本")["verdict"] == "无法判定"


def test_published2_is_hooked_into_the_measure():
    text = (ROOT / "evaluation" / "answers" / "evaluate.py").read_text(encoding="utf-8")
    assert '"published2.txt"' in text
    rows = [x for x in (ROOT / "evaluation" / "answers" / "published2.txt").read_text(encoding="utf-8").splitlines()
            if x.strip() and not x.startswith("#")]
    assert len(rows) >= 100


@pytest.mark.parametrize("target, actual", [
    ("高于上年", "同比增加5%"),                     # written differently
    ("超上年度", "增收27万元"),                     # jx_nanchang_weishengyuan_2021
])
def test_above_last_year_is_a_rise(target, actual):
    assert parse(target, "业务收入", 2023).kind == "directional"
    assert rate(target, actual, "业务收入")["verdict"] == "达成"


def test_above_last_year_with_a_figure_is_a_change_and_a_negated_one_is_its_cap():
    c = parse("超上年2%", "特殊人群健康管理率", 2023)
    assert (c.kind, c.op, c.value, c.high, c.baseline.ref) == ("change", "increase", 2.0, None, "上年")
    capped = parse("不超过上年5%", "支出", 2023)   # a rise of at most 5 %, never a rise of at least 5 %
    assert (capped.kind, capped.op, capped.high) == ("change", "increase", 5.0)


@pytest.mark.parametrize("target", [
    "1、开展培训；2、完成验收；3、上报总结",        # written differently
    "(1)成立管理组织;(2)季度督导、半年度考核、年度考核;(3)季度通报",  # js_yixing_gongwei_2016
])
def test_item_numbers_of_a_listed_target_are_not_values(target):
    c = parse(target, "3.项目管理情况", 2016)
    assert c.kind == "qualitative", c
    assert rate(target, "3项", "3.项目管理情况", 2016)["verdict"] != "达成"


def test_half_yearly_is_no_duration():
    assert parse("开展半年度考核", "考核情况", 2023).kind == "qualitative"
    c = parse("培训时长不少于半年", "培训时长", 2023)
    assert (c.kind, c.value, c.unit) == ("quantitative", 0.5, "年")


@pytest.mark.parametrize("target, actual, shown", [
    ("≥3.3万元", "1.1万元", "11000 元"),             # written differently
    ("2.6亿元", "2.45亿元", "245000000 元"),          # hun_lingling_linye_2021 (read 245000000.0000000298 before)
])
def test_a_decimal_with_a_multiplier_is_shown_as_written(target, actual, shown):
    row = rate(target, actual, "林产品收入")
    assert row["actual_normalised"] == shown
    assert re.search(r"\.\d{6,}", row["explanation"]) is None, row["explanation"]   # no binary noise (….0000000298)
