"""Reading a 评分标准 text into a rule (scoring/criteria/reading.py): every class of issue 26, the ends of
bands, what cannot be read and why, and the two real tables that carry such a column."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from scoring.criteria.conditions import read_condition
from scoring.criteria.reading import read_criteria
from scoring.criteria.rule import Points, Rule, Unreadable

REALTABLES = Path("/work/shared/realtables")


@pytest.mark.parametrize(("text", "kind", "reading"), [
    # per-unit deductions with their floors
    ("每少1次扣1分，扣完为止", "deduct", "每少1次扣1分，扣完为止"),
    ("每降低1个百分点扣0.5分", "deduct", "每降低1个百分点扣0.5分"),
    ("每超出1%扣1分", "deduct", "每超出1%扣1分"),
    ("每出现一例扣1分", "deduct", "每出现1例扣1分"),
    ("每出现一例扣1分，最多扣3分", "deduct", "每出现1例扣1分，扣完为止，最多扣3分"),
    ("每少1次扣1分，不得为负", "deduct", "每少1次扣1分，扣完为止"),
    ("在职人员控制率≦100%，计5分；每超过一个百分点扣0.5分，扣完为止。", "deduct",
     "≤100%计5分；每超过1个百分点扣0.5分，扣完为止"),
    ("计划建设内容完成100%的得20分，每减少1个百分点扣1分，扣完20分为止。", "deduct",
     "≥100%计20分；每减少1个百分点扣1分，扣完为止"),
    # incidents and lateness
    ("发生一起扣2分", "deduct", "每发生1起扣2分"),
    ("每滞后一年扣2分，扣完为止", "deduct", "每滞后1年扣2分，扣完为止"),
    ("逾期1个月以内扣1分，逾期1-3个月扣2分，逾期3个月以上不得分", "bands",
     "逾期≤1个月扣1分；逾期1个月（不含）–3个月（不含）扣2分；逾期≥3个月不得分"),
    # step bands with （含）
    ("90%（含）-95%得3分", "bands", "90%（含）–95%（含）计3分"),
    ("≥90%计5分；80%（含）-90%计4分；低于60%不得分", "bands", "≥90%计5分；80%（含）–90%（不含）计4分；<60%不得分"),
    ("预算调整率=0，计3分；0-10%（含），计2分；大于30%不得分。", "bands", "=0%计3分；0%（不含）–10%（含）计2分；>30%不得分"),
    ("考核得分90分以上计5分，80-90分计3分", "bands", "≥90分计5分；80分（含）–90分（不含）计3分"),
    # all or nothing, tiers, shares
    ("未完成不得分", "all_or_nothing", "完成得满分，未完成不得分"),
    ("达到得满分否则不得分", "all_or_nothing", "完成得满分，其他情况不得分"),
    ("完成得4分，基本完成得2分，未完成不得分", "tiers", "完成计4分，部分完成计2分，未完成不得分"),
    ("完成得4分基本完成得2分未完成不得分", "tiers", "完成计4分，部分完成计2分，未完成不得分"),
    ("完成得满分，部分完成得一半分值，未完成不得分", "tiers", "完成得满分，部分完成得分值的50%，未完成不得分"),
    ("满意度≥90%得满分，80%-90%得80%分值，低于80%不得分", "bands", "≥90%得满分；80%（含）–90%（不含）得分值的80%；<80%不得分"),
    # proportional written out
    ("按完成比例得分", "proportional", "按完成比例得分"),
    ("得分=实际完成值/目标值×分值", "proportional", "按完成比例得分"),
    ("评价指标得分=资金到位率*该项指标分值", "proportional", "按完成比例得分"),
    # a checklist with a deduction per item
    ("①明确招待标准，1分；②车辆定点维护，1分；③制定管理办法，1分，每少一项扣1分，扣完为止。", "deduct",
     "3项计3分；每少1项扣1分，扣完为止"),
])
def test_each_class_is_read(text, kind, reading):
    rule = read_criteria(text)
    assert isinstance(rule, Rule), rule
    assert (rule.kind, rule.describe()) == (kind, reading)


@pytest.mark.parametrize(("text", "reason"), [
    ("未达指标值酌情扣分", "酌情"),
    ("编制符合要求的得7分，不符合要求的视具体情况扣分", "视具体情况"),
    ("无结余，3分；有结余，但不超过上年结转，2分", "列了几项|看不懂"),
    ("标识不醒目，发现一次扣1分；标识标牌不宜识别，发现一次扣0.5分", "几种不同的扣分"),
    ("设有数字城管组织，得1分；能通过月报反映具有相应职能，得1分", "列了几项"),
    ("设有目标(1分)目标明确(1分)目标细化(1分)", "列了几项"),
    ("计5分", "只写了分值"),
    ("该指标主要考察业务工作支出安排情况", "没有找到"),
])
def test_what_needs_a_person_or_is_not_understood_is_unreadable_with_its_reason(text, reason):
    rule = read_criteria(text)
    assert isinstance(rule, Unreadable) and any(r in rule.reason for r in reason.split("|"))
    assert rule.text == text


def test_no_text_is_no_rule():
    assert read_criteria("") is None and read_criteria("   ") is None and read_criteria(None) is None
    assert read_criteria(float("nan")) is None


def test_traditional_characters_and_full_width_forms_are_read():
    assert read_criteria("每減少１個百分點扣０.５分，扣完為止").describe() == "每减少1个百分点扣0.5分，扣完为止"


def test_full_points_stated_and_the_level_a_step_counts_from():
    rule = read_criteria("以100%为标准。三公经费控制率≦100%，计6分；每超过一个百分点扣1分，扣完为止。")
    assert (rule.full, rule.reference, rule.step.way, rule.step.points, rule.floor) == (6, 100, "over", 1, True)
    assert read_criteria("“三公经费”变动率≦0，计5分；“三公经费”>0，每超过一个百分点扣0.5分").reference == 0
    assert read_criteria("每少1次扣1分").stated_full is None  # then the 分值 is the full points


def test_band_ends_marked_or_settled_against_the_neighbours():
    b = read_criteria("≥90%计5分；80%（含）-90%计4分；70%-80%计3分").bands
    assert [(x.low, x.low_in, x.high, x.high_in) for x in b] == [
        (90, True, None, False), (80, True, 90, False), (70, True, 80, False)]
    shared = read_criteria("60-80分计3分；80-90分计4分")
    assert shared.bands[0].high_in is False and shared.bands[1].low_in is True
    assert any("归入较高一档" in n for n in shared.notes)  # a value two bands share, neither end marked: said


def test_tiers_keep_their_points_as_written():
    rule = read_criteria("财务会计制度健全的得10分，基本健全的得6分，不健全的扣10分。")
    assert dict(rule.tiers) == {"met": Points(10), "partial": Points(6), "not_met": Points(10, "minus")}
    assert dict(read_criteria("完成得满分，部分完成得一半分值").tiers)["partial"] == Points(0.5, "share")


def test_what_the_reading_assumed_is_noted():
    assert "完成得满分" in read_criteria("未完成不得分").notes[0]
    assert "按不得分计" in read_criteria("年度经费满足需要，得1分").notes[0]


@pytest.mark.parametrize(("text", "kind"), [
    ("", "empty"), ("完成", "met"), ("基本完成的", "partial"), ("未完成", "not_met"), ("资料不齐全的", "not_met"),
    ("否则", "otherwise"), ("逾期1个月以内", "late"), ("按时完成", "on_time"), ("逾期完成", "late_tier"),
    ("≥90%", "number"), ("发生安全事故", "not_met"), ("未发生安全事故", "met"), ("调整较大的", "unknown"),
])
def test_conditions(text, kind):
    assert read_condition(text).kind == kind


def _criteria_cells(path: Path) -> list[str]:
    """The cells under a 评分标准 / 评(扣)分标准 / 评分规则 / 计分方法 header of a workbook."""
    ws = openpyxl.load_workbook(path, read_only=True).active
    found, column, out = False, None, []
    for row in ws.iter_rows(values_only=True):
        if column is None:
            for k, v in enumerate(row):
                if isinstance(v, str) and any(h in v for h in ("评分标准", "评(扣)分标准", "评分规则", "计分方法")):
                    column, found = k, True
            continue
        if column < len(row) and isinstance(row[column], str) and row[column].strip():
            out.append(row[column])
    return out if found else []


@pytest.mark.skipif(not REALTABLES.is_dir(), reason="the shared real tables are not on this machine")
def test_the_real_tables_with_such_a_column():
    yueyang = _criteria_cells(REALTABLES / "hun_yueyanglou_jiage_2023" / "source.xlsx")
    assert len(yueyang) >= 5  # every indicator row of 岳阳楼区 says 未达指标值酌情扣分: a person's judgement
    assert all(isinstance(read_criteria(t), Unreadable) and "酌情" in read_criteria(t).reason for t in yueyang)
    assert _criteria_cells(REALTABLES / "cq_fengjie_yunwu_2023" / "source.xlsx") == []  # 指标解释 only: no criteria
