"""Readings a knowledgeable person agrees with (issue 25): zero targets written in words, actuals that keep
their sign, month answers against deadlines, periods, strict boundaries, change targets and their
baselines, units from the indicator's name, per-N units, hours against days of work, and one reading of a
target in every part of the tool."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from helpers import fill_actuals, run_cli, targets_with_first
from scoring.actuals.values import read_actual
from scoring.actuals.workbook import BASELINE_HEADER, SHEET_INDICATORS
from scoring.language.expressions import parse
from scoring.pipeline import run_year
from scoring.reports.template import write_template
from scoring.rubric.engine import score_indicators
from scoring.rubric.profile_file import load_profile
from scoring.targets.store import load_targets

ROOT = Path(__file__).resolve().parents[1]
NATIONAL = load_profile()


def _profile(tmp_path: Path, body: str, name: str = "local"):
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"extends: national\nname: {name}\n{body}", encoding="utf-8")
    return load_profile(path)


def rate(target, actual, indicator="指标", profile=NATIONAL, year=2023, baseline=None, is_percent=False):
    df = pd.DataFrame({"project": ["P"], "level1": ["产出指标"], "level3": [indicator], "annual_value": [target],
                       "weight": [10.0], "actual_is_percent": [is_percent], "baseline": [baseline]})
    df["actual"] = pd.Series([actual], dtype=object)
    return score_indicators(df, None, profile, year).indicators.iloc[0]


# ---------------------------------------------------------------------------------------------
# zero targets in words
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("indicator, text", [
    ("重大安全事故", "无重大安全事故"), ("有效投诉", "无有效投诉"), ("安全事故次数", "零事故"), ("安全生产", "杜绝重大安全事故发生"),
    ("保密管理", "确保不发生泄密事件"), ("投诉情况", "零投诉"), ("违规违纪", "无违规违纪行为"), (None, "零差错"),
    ("重大安全事故发生次数（次）", "无重大安全事故"), ("产品质量", "全年无质量问题"), ("舆情管理", "无重大负面舆情"),
])
def test_the_negation_of_a_bad_event_is_a_zero_target_not_a_copied_name(indicator, text):
    c = parse(text, indicator, 2023)
    assert (c.kind, c.op, c.value) == ("quantitative", "<=", 0), c
    assert any("零目标" in a for a in c.assumptions)


@pytest.mark.parametrize("indicator, text", [
    ("节能情况", "提升无纸化办公"), ("无障碍设施", "无障碍设施全覆盖"), ("服务方式", "零距离服务"), ("差异化服务", "无差异化服务"),
    ("重大安全事故", "重大安全事故"),
])
def test_other_texts_that_start_with_a_negation_are_not_zero_targets(indicator, text):
    assert parse(text, indicator, 2023).kind in ("qualitative", "invalid")


@pytest.mark.parametrize("indicator, target, actual, verdict, score", [
    ("重大安全事故", "无重大安全事故", "无", "达成", 10),
    ("有效投诉", "无有效投诉", "未发生", "达成", 10),
    ("安全事故次数", "零事故", "0起", "达成", 10),
    ("安全事故次数", "零事故", 0, "达成", 10),
    ("安全生产", "杜绝重大安全事故发生", "全年未发生重大安全事故", "达成", 10),
    ("重大安全事故", "无重大安全事故", "达成", "达成", 10),
    ("重大安全事故发生次数（次）", "无重大安全事故", "0起", "达成", 10),
    ("有效投诉", "无有效投诉", "接到有效投诉2起", "未达成", 0),
    ("安全事故次数", "零事故", "发生一般安全事故", "未达成", 0),
    ("重大安全事故", "无重大安全事故", "未达成", "未达成", 0),
])
def test_answers_to_a_zero_target(indicator, target, actual, verdict, score):
    row = rate(target, actual, indicator)
    assert (row["verdict"], row["score"]) == (verdict, score), row["explanation"]


def test_an_answer_that_does_not_say_whether_it_happened_asks_for_the_count():
    row = rate("无重大安全事故", "基本无事故", "重大安全事故")
    assert row["verdict"] == "无法判定" and "次数" in row["hint"]


# ---------------------------------------------------------------------------------------------
# actuals keep their sign
# ---------------------------------------------------------------------------------------------

def test_a_negative_growth_rate_is_below_the_target_as_written():
    row = rate("增长率低于20%", "-5%", "增长率")
    assert row["verdict"] == "达成" and row["explanation"].startswith("-5 < 20"), row["explanation"]
    assert not any("按 0 计" in f for f in row["flags"])


@pytest.mark.parametrize("indicator, target, actual, number", [
    ("营业收入增长率", "≤20%", "下降5%", -5), ("收入增速", "≥3%", "负增长3%", -3), ("游客增长率", "≥0%", "减少了2%", -2),
    ("能耗降幅", "≥5%", "增长2%", -2), ("能耗降幅", "≥5%", "下降6%", 6), ("营业收入增长率", "≤20%", "增长5%", 5),
])
def test_a_rate_with_a_direction_takes_its_sign_from_the_words(indicator, target, actual, number):
    r = read_actual(actual, parse(target, indicator))
    assert r.number == number, r
    assert (number >= 0) or any("按" in a for a in r.assumptions)


def test_a_negative_percent_cell_and_a_floor_at_zero():
    row = rate("≥3%", -0.05, "营业收入增长率", is_percent=True)
    assert row["score"] == 0 and "-5" in row["explanation"] and "不低于 0" in row["explanation"], row["explanation"]
    assert rate("≤0%", "-2%", "成本增长率")["verdict"] == "达成"  # below a bound of 0 is under it, not 0
    assert rate("±3%以内", "-2%", "预算偏差率")["verdict"] == "达成"


# ---------------------------------------------------------------------------------------------
# month answers and periods
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("actual", ["7月", "7月份", "2023年7月", "七月", "2023.07", "2023-7", "已于7月完成", "2023年07月"])
def test_a_month_answers_a_deadline_as_that_month(actual):
    row = rate("9月前", actual, "完成时间")
    assert (row["verdict"], row["score"]) == ("达成", 10), row["explanation"]
    assert "2023-07-31" in row["actual_normalised"]
    assert any("2023-07-31" in a for a in row["assumptions"])


def test_a_month_after_the_deadline_is_late():
    row = rate("6月底前", "8月份", "完成时间")
    assert row["verdict"] == "部分达成" and "逾期" in row["explanation"]


def test_without_an_evaluation_year_a_month_is_read_in_the_deadlines_year():
    row = rate("2023年9月前", "7月", "完成时间", year=None)
    assert row["verdict"] == "达成" and any("时限的年份" in a for a in row["assumptions"])
    neither = rate("9月前", "7月", "完成时间", year=None)
    assert neither["verdict"] == "无法判定" and "没有写年份" in neither["explanation"] and "年月" in neither["hint"]


def test_a_quarter_answers_a_deadline_as_its_last_day():
    assert rate("12月31日前", "三季度", "完成时间")["verdict"] == "达成"


@pytest.mark.parametrize("text, year, date", [
    ("1-12月", 2023, "2023-12-31"), ("3-6月", 2023, "2023-06-30"), ("2023年3月-6月", None, "2023-06-30"),
    ("1月至10月", 2024, "2024-10-31"),
])
def test_a_period_inside_the_year_ends_on_its_last_day(text, year, date):
    assert parse(text, "实施期限", year).date == date


def test_a_period_without_a_year_is_never_shown_as_an_iso_fragment(capsys):
    c = parse("1-12月", "实施期限", None)
    assert "--" not in c.reading() and c.reading() == "不晚于 评价年度的12月31日"
    assert parse("每年12月31日前", None, None).reading() == "不晚于 每年12月31日"
    code, out, _ = run_cli(["parse", "1-12月"], capsys)
    assert code == 0 and "--12-31" not in out and "评价年度的12月31日" in out


# ---------------------------------------------------------------------------------------------
# strict boundaries (the engine's tests hold the formulas; here the range and the settings)
# ---------------------------------------------------------------------------------------------

def test_a_range_open_bound_follows_the_setting(tmp_path):
    lenient = rate("大于90%且小于等于100%", "90%", "合格率")
    assert lenient["verdict"] == "达成" and lenient["score"] == 10
    strict = rate("大于90%且小于等于100%", "90%", "合格率", profile=_profile(tmp_path, "quantitative: {strict_boundary: strict}\n"))
    assert strict["verdict"] == "未达成" and strict["score"] == 10 and "9.99" not in strict["explanation"]


def test_a_bad_strict_boundary_setting_names_the_key(tmp_path):
    from scoring.findings import ScoreError

    with pytest.raises(ScoreError, match="strict_boundary"):
        _profile(tmp_path, "quantitative: {strict_boundary: sometimes}\n", "bad")


# ---------------------------------------------------------------------------------------------
# change targets
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("target, actual, baseline", [
    ("同比下降4%", 105, 100), ("较上年减少10%", "120万元", 100e4), ("比上年提高2个百分点", "88%", 90),
])
def test_a_change_the_wrong_way_scores_nothing_under_a_proportional_rule(target, actual, baseline):
    row = rate(target, actual, "能耗", baseline=baseline)
    assert (row["verdict"], row["score"]) == ("未达成", 0), row["explanation"]
    assert "按比例" in row["explanation"]


def test_a_profile_may_keep_the_band_for_a_change_the_wrong_way(tmp_path):
    band = _profile(tmp_path, "quantitative: {change_wrong_way: band}\n")
    assert rate("同比下降4%", 105, "能耗", profile=band, baseline=100)["score"] == 3
    assert rate("在5万元基础上稳定增加", "4万元", "收入")["score"] == 3  # no amount: a direction, by band


def test_a_level_answering_percentage_points_is_shown_as_the_level():
    row = rate("比上年提高2个百分点", "93%", "合格率", baseline=90)
    assert row["actual_normalised"] == "93 %" and row["verdict"] == "达成"
    unscored = rate("比上年提高2个百分点", "93%", "合格率")
    assert "个百分点" not in unscored["actual_normalised"]
    assert rate("比上年提高2个百分点", 0.93, "合格率", baseline=90, is_percent=True)["verdict"] == "达成"


@pytest.mark.parametrize("indicator, target, actual, verdict, score", [
    ("能耗", "同比下降4%", "同比下降5%", "达成", 10), ("能耗", "同比下降4%", "下降3%", "部分达成", 7.5),
    ("能耗", "同比下降4%", "同比增长2%", "未达成", 0), ("合格率", "比上年提高2个百分点", "提高了3个百分点", "达成", 10),
    ("服务企业数", "较上年增加20家", "增加15家", "部分达成", 7.5),
])
def test_an_actual_written_as_the_change_itself_needs_no_baseline(indicator, target, actual, verdict, score):
    row = rate(target, actual, indicator)
    assert (row["verdict"], row["score"]) == (verdict, score), row["explanation"]
    assert "变化幅度" in row["explanation"] and any("无须基数" in a for a in row["assumptions"])
    assert row["hint"] == ""


def test_rate_accepts_a_baseline_written_as_a_percentage(capsys):
    code, out, _ = run_cli(["rate", "--target", "比上年提高2个百分点", "--actual", "93%", "--baseline", "90%"], capsys)
    assert code == 0 and "基数 90 → 实际 93" in out and "判定：达成" in out


@pytest.fixture(scope="module")
def points_targets(tmp_path_factory):
    return targets_with_first(tmp_path_factory.mktemp("targets"), "比上年提高2个百分点")


@pytest.mark.parametrize("actual, base, percent_format", [("93%", "90%", False), (0.93, 0.9, True), (93, "90％", False)])
def test_a_baseline_cell_typed_or_formatted_as_a_percentage(tmp_path, points_targets, actual, base, percent_format):
    tpl = write_template(points_targets, tmp_path / "t.xlsx", 2023)
    fill_actuals(tpl, tmp_path / "a.xlsx", (actual, base), "0%" if percent_format else None)
    res = run_year(2023, targets_dir=points_targets.directory, actuals_path=tmp_path / "a.xlsx")
    row = res.scored.indicators.iloc[0]
    assert (row.baseline, row.change, row.verdict) == (90.0, 3.0, "达成"), row.explanation
    assert not any("基数" in p.message for p in res.problems)


def test_the_template_prefills_a_baseline_shown_as_a_percentage(tmp_path, points_targets, capsys):
    tpl = write_template(points_targets, tmp_path / "t.xlsx", 2023)
    last = fill_actuals(tpl, tmp_path / "2022.xlsx", (0.93, None), "0%")
    code, _, err = run_cli(["template", "2023", "--targets", str(points_targets.directory), "--baseline", str(last),
                            "--out", str(tmp_path / "new.xlsx")], capsys)
    assert code == 0, err
    ws = openpyxl.load_workbook(tmp_path / "new.xlsx")[SHEET_INDICATORS]
    assert ws.cell(2, [c.value for c in ws[1]].index(BASELINE_HEADER) + 1).value == 93


# ---------------------------------------------------------------------------------------------
# units from the indicator's name, per-N units
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("indicator, text, op, value, unit", [
    ("苗木成活率(≥**%)", "85", ">=", 85, "%"), ("补助成本(≤**元/株)", "28.40", "<=", 28.4, "元/棵"),
    ("项目总投入(≥**万元)", "6070", ">=", 60_700_000, "元"), ("出差人次(=XX人次)", "24", "==", 24, "人次"),
    ("培训人数（≥**人）", "200", ">=", 200, "人"), ("项目总投入（万元）", "6070", ">=", 60_700_000, "元"),
])
def test_a_bare_value_takes_its_unit_and_operator_from_the_names_template(indicator, text, op, value, unit):
    c = parse(text, indicator, 2023)
    assert (c.op, c.value, c.unit) == (op, pytest.approx(value), unit), c
    assert any("指标名称" in a for a in c.assumptions)


def test_a_bare_actual_under_a_name_in_ten_thousands_is_read_in_them():
    row = rate("6000", "6070", "项目总投入（万元）")
    assert row["verdict"] == "达成" and any("万元" in a for a in row["assumptions"])


@pytest.mark.parametrize("indicator, text, unit, value", [
    ("每羽补贴", "每羽不超过0.6元", "元/羽", 0.6), ("补贴标准", "每亩补贴150元", "元/亩", 150),
    ("差旅标准", "每人每天不超过400元", "元/人·天", 400), ("巡查次数", "每月≥4次", "次", 4),
    ("运营成本", "≤620万/月", "元/月", 6_200_000), ("物业费（万元）", "≤30万/年", "元/年", 300_000),
])
def test_per_n_units(indicator, text, unit, value):
    c = parse(text, indicator, 2023)
    assert (c.unit, c.value) == (unit, pytest.approx(value)), c


def test_answers_to_per_n_units():
    assert rate("每羽不超过0.6元", "0.55元", "每羽补贴")["verdict"] == "达成"
    assert rate("每羽不超过0.6元", "每羽0.55元", "每羽补贴")["verdict"] == "达成"
    assert rate("≤620万/月", "580万元/月", "运营成本")["verdict"] == "达成"


# ---------------------------------------------------------------------------------------------
# hours against days of work
# ---------------------------------------------------------------------------------------------

def test_hours_of_training_against_days_use_the_profiles_workday(tmp_path):
    row = rate("不少于3天", "36小时", "培训时长")
    assert (row["verdict"], row["score"]) == ("达成", 10) and "4.5 天" in row["actual_normalised"]
    assert any("8 小时" in a for a in row["assumptions"]) and any("8 小时" in f for f in row["flags"])
    assert rate("不少于3天", "20小时", "培训时长")["verdict"] == "部分达成"
    assert rate("≥40小时", "5天", "授课时长")["verdict"] == "达成"
    six = _profile(tmp_path, "quantitative: {workday_hours: 6}\n")
    assert rate("不少于3天", "18小时", "培训时长", profile=six)["verdict"] == "达成"


def test_a_time_limit_or_a_calendar_duration_keeps_24_hours_a_day():
    assert rate("≤3天", "48小时", "响应时间")["actual_normalised"].startswith("2 天")
    assert rate("不少于3天", "36小时", "设备运行天数")["actual_normalised"].startswith("1.5 天")


# ---------------------------------------------------------------------------------------------
# one reading everywhere: every caller parses with the profile in force
# ---------------------------------------------------------------------------------------------

def test_every_caller_reads_a_target_with_the_profiles_words(tmp_path):
    from scoring.checks.lint import check_targets
    from scoring.pipeline import negative_counts, percent_ids
    from scoring.reports.template_hints import hint_groups
    from scoring.targets.model import indicator_kinds

    t = load_targets(ROOT / "targets" / "2023")
    ind = t.indicators.copy()
    ind.loc[0, ["level3", "annual_value"]] = ["工作高效", "工作高效"]  # a name copied, or a state the words know
    ind.loc[1, ["level3", "annual_value"]] = ["年度考评", "90"]  # a bare value: direction and unit from the words
    targets = replace(t, indicators=ind)
    words = _profile(tmp_path, "words:\n  qualitative:\n    positive: [高效]\n").lexicon
    assert indicator_kinds(targets, 2023)["kind"].iat[0] == "invalid"
    assert indicator_kinds(targets, 2023, words)["kind"].iat[0] == "qualitative"
    assert hint_groups(targets, 2023, words)[0][0] == "qualitative"
    first = ind["id"].iat[0]
    assert any(f.message and first in f.message for f in check_targets(targets, 2023) if f.code == "annual_invalid") or \
        [f for f in check_targets(targets, 2023) if f.code == "annual_invalid"]
    assert not [f for f in check_targets(targets, 2023, words) if f.code == "annual_invalid"]
    assert isinstance(percent_ids(targets, 2023, words), set)
    df = pd.DataFrame({"annual_value": ["≥2次"], "level3": ["次数"], "actual": [-1]})
    assert negative_counts(df, 2023, words).tolist() == [True]


def test_score_parse_and_check_take_the_rules(tmp_path, capsys):
    path = tmp_path / "local.yaml"
    path.write_text("extends: national\nwords:\n  qualitative:\n    positive: [高效]\n", encoding="utf-8")
    _, plain, _ = run_cli(["parse", "工作高效", "--indicator", "工作高效", "--json"], capsys)
    _, local, _ = run_cli(["parse", "工作高效", "--indicator", "工作高效", "--json", "--rules", str(path)], capsys)
    assert '"kind": "invalid"' in plain and '"kind": "qualitative"' in local
