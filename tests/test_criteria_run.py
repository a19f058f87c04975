"""Criteria end to end: the targets' ``criteria`` column, the engine's hook, the year's run and its reports
(--json, 指标明细, 自评表, the template's grey column), ``score check`` and ``score rate --criteria`` / the sixth
stdin column (and issue 28 item 2: the 分值 column counts when a 基数 follows)."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from helpers import run_cli
from scoring.pipeline import run_year
from scoring.reports.audit import write_audit
from scoring.reports.json_report import iter_json
from scoring.reports.template import write_template
from scoring.rubric.engine import score_indicators
from scoring.targets.store import dump_indicators, load_targets, save_targets

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ROOT / "targets" / "2023"
EXAMPLE = ROOT / "actuals" / "2023.xlsx"
CRITERIA = {0: "每少1次扣1分，扣完为止", 1: "未达指标值酌情扣分", 3: "≥90%计5分；80%（含）-90%计4分；低于80%不得分"}


def frame(criteria: list[str] | None = None) -> pd.DataFrame:
    df = pd.DataFrame({"project": "p", "level1": "产出指标", "level3": ["活动次数", "控制率", "满意度", "交流人数"],
                       "annual_value": ["≥10次", "≤100%", "≥90%", "≥150人次"], "weight": [5.0, 10, 5, 10],
                       "actual": pd.Series([7, "104%", "85%", 128], dtype=object)})
    if criteria is not None:
        df["criteria"] = criteria
    return df


def test_only_the_rows_with_criteria_take_the_rule_path():
    plain = score_indicators(frame()).indicators
    ruled = score_indicators(frame(["每少1次扣1分，扣完为止", "", "未达指标值酌情扣分", None])).indicators
    assert ruled["score"].tolist() == [2.0, plain["score"][1], plain["score"][2], plain["score"][3]]
    assert ruled["explanation"][0] == "评分标准：每少1次扣1分，扣完为止；少 3 次 → 5 − 3 × 1 = 2.00"
    for col in ("score", "verdict", "explanation", "flags", "assumptions", "ratio"):  # no criteria: untouched
        assert ruled[col][1] == plain[col][1] or (col == "ratio" and math.isclose(ruled[col][1], plain[col][1]))
    assert ruled["criteria_basis"].tolist() == ["评分标准", "口径", "口径（评分标准无法解读）", "口径"]
    # unreadable: the profile's score, said with the text
    assert ruled["score"][2] == plain["score"][2]
    assert ruled["explanation"][2].startswith("评分标准无法解读，按口径计分；")
    assert any("评分标准无法解读，按口径计分：“未达指标值酌情扣分”" in f for f in ruled["flags"][2])
    assert plain["criteria_basis"].tolist() == ["口径"] * 4 and plain["criteria_rule"].isna().all()


def test_the_project_total_and_the_reason_columns_follow_the_criteria_score():
    s = score_indicators(frame(["每少1次扣1分，扣完为止", "", "", ""]))
    ind = s.indicators
    assert s.projects["subtotal_产出指标"][0] == pytest.approx(ind["score"].sum())
    assert ind["needs_reason"][0] and ind["reason_missing"][0]


def test_an_answer_the_profile_cannot_judge_is_scored_when_the_rule_can():
    df = pd.DataFrame({"project": "p", "level1": "产出指标", "level3": ["资金使用合规性"], "annual_value": ["合规"],
                       "weight": [3.0], "actual": pd.Series([1], dtype=object), "criteria": ["每出现一例不符合要求的扣1分，扣完为止"]})
    ind = score_indicators(df).indicators
    assert (ind["score"][0], ind["verdict"][0]) == (2.0, "部分达成")
    assert not any(f.startswith("无法判定") for f in ind["flags"][0]) and ind["hint"][0] == ""


def test_a_late_deadline_and_a_change_target_by_their_criteria():
    df = pd.DataFrame({"project": "p", "level1": "产出指标", "level3": ["完工时间", "单位成本"],
                       "annual_value": ["2023年6月30日前", "同比下降4%"], "weight": [5.0, 5.0],
                       "actual": pd.Series(["2023年8月15日", 98], dtype=object), "baseline": [np.nan, 100.0],
                       "criteria": ["逾期1个月以内扣1分，逾期1-3个月扣2分，逾期3个月以上不得分", "每少1个百分点扣1分"]})
    ind = score_indicators(df, year=2023).indicators
    assert ind["score"].tolist() == [3.0, 3.0]  # 46 days late; a fall of 2 % against 4 %: 2 points short
    assert "逾期 46 天" in ind["explanation"][0]


@pytest.fixture(scope="module")
def with_criteria(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("targets") / "2023"
    shutil.copytree(TARGETS, d)
    t = load_targets(d)
    for row, text in CRITERIA.items():
        t.indicators.loc[row, "criteria"] = text
    save_targets(t, d, report="")
    return d


def test_targets_round_trip_the_criteria_column(with_criteria, capsys, monkeypatch):
    t = load_targets(with_criteria)
    assert [t.indicators["criteria"][k] for k in CRITERIA] == list(CRITERIA.values())
    assert t.indicators["criteria"][2] == ""
    assert dump_indicators(t.indicators).splitlines()[0].split(",")[9] == "criteria"
    assert "criteria" not in dump_indicators(load_targets(TARGETS).indicators).splitlines()[0]  # none: not written
    code, out, _ = run_cli(["targets", "2023", "--dir", str(with_criteria), "--format", "json"], capsys)
    first = json.loads(out)["projects"][0]["indicators"]
    assert code == 0 and first[0]["criteria"] == CRITERIA[0] and first[2]["criteria"] == ""
    monkeypatch.setenv("COLUMNS", "400")
    code, out, _ = run_cli(["targets", "2023", "--dir", str(with_criteria)], capsys)
    assert code == 0 and "评分标准" in out and CRITERIA[0] in out


@pytest.fixture(scope="module")
def result(with_criteria):
    return run_year(2023, targets_dir=with_criteria, actuals_path=EXAMPLE)


def test_the_year_run_scores_by_the_targets_criteria(result):
    ind = result.indicators
    assert ind["criteria_basis"][0] == "评分标准" and ind["explanation"][0].startswith("评分标准：每少1次扣1分")
    assert ind["criteria_basis"][1] == "口径（评分标准无法解读）"
    assert any("满分是 5 分" in f for f in ind["flags"][3])  # 计5分 on a 10-point indicator: flagged, scaled


def test_json_carries_the_criteria_and_its_reading(result):
    doc = json.loads("".join(iter_json(result)))
    rows = doc["projects"][0]["indicators"]
    assert rows[0]["criteria"] == CRITERIA[0] and rows[0]["scored_by"] == "评分标准"
    assert rows[0]["criteria_reading"]["kind"] == "deduct" and rows[0]["criteria_reading"]["step"]["unit"] == "次"
    assert rows[1]["criteria_reading"] == {"kind": "unreadable", "reason": "含“酌情”，要人工判断"}
    assert "criteria" not in rows[2]  # no criteria: no keys


def test_the_detail_sheet_and_the_form_show_what_scored_each_indicator(result, tmp_path):
    ws = openpyxl.load_workbook(write_audit(result, tmp_path))["指标明细"]
    head = [c.value for c in ws[1]]
    basis, text = head.index("计分依据") + 1, head.index("评分标准（原文）") + 1
    assert (ws.cell(2, basis).value, ws.cell(2, text).value) == ("评分标准", CRITERIA[0])
    assert ws.cell(3, basis).value == "口径（评分标准无法解读）" and ws.cell(4, basis).value == "口径"
    from scoring.reports.year_report import write_reports

    written = write_reports(result, tmp_path / "r")
    form = openpyxl.load_workbook(written[0]).worksheets[1]
    cells = [c for row in form.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "开展活动数量 ※" in cells and "交流活动人数" in cells
    assert any("标“※”的指标按该指标自己的评分标准计分" in c for c in cells)


def test_the_template_shows_the_criteria_in_a_grey_column_only_when_there_are_any(with_criteria, tmp_path):
    ws = openpyxl.load_workbook(write_template(load_targets(with_criteria), tmp_path / "a.xlsx", 2023))["指标实际值"]
    assert ws.cell(1, 11).value == "评分标准" and ws.cell(2, 11).value == CRITERIA[0]
    assert ws.cell(2, 11).protection.locked and ws.cell(2, 11).fill.fgColor.rgb.endswith("E7E6E6")
    plain = openpyxl.load_workbook(write_template(load_targets(TARGETS), tmp_path / "b.xlsx", 2023))["指标实际值"]
    assert plain.cell(1, 11).value is None


def test_check_lists_criteria_it_cannot_read(with_criteria, capsys):
    _, out, _ = run_cli(["check", "2023", "--dir", str(with_criteria)], capsys)
    lines = [x for x in out.splitlines() if "评分标准" in x]
    assert len(lines) == 1 and "“未达指标值酌情扣分”无法解读" in lines[0] and "第3行" in lines[0]


def test_rate_with_criteria(capsys):
    code, out, _ = run_cli(["rate", "--target", "≥10次", "--actual", "7", "--weight", "5", "--criteria",
                            "每少1次扣1分，扣完为止"], capsys)
    assert code == 0
    assert "评分标准：每少1次扣1分，扣完为止  →  读作 每少1次扣1分，扣完为止" in out
    assert "算式：评分标准：每少1次扣1分，扣完为止；少 3 次 → 5 − 3 × 1 = 2.00" in out
    code, out, _ = run_cli(["rate", "--target", "≥10次", "--actual", "7", "--criteria", "酌情扣分", "--json"], capsys)
    d = json.loads(out)
    assert (d["criteria"], d["criteria_reading"]["kind"], d["scored_by"]) == ("酌情扣分", "unreadable", "口径（评分标准无法解读）")


def test_rate_stdin_sixth_column_and_the_weight_before_a_baseline(capsys, monkeypatch):
    lines = ("单位成本\t同比下降4%\t96\t5\t100\n"  # issue 28 item 2: out of 5, not the default 10
             "活动次数\t≥10次\t7\t5\t\t每少1次扣1分，扣完为止\n"
             "活动次数\t≥10次\t7\t\t\t每少1次扣2分\n"
             "太多列\t≥1次\t1\t1\t\t\t多余\n")
    code, out, _ = run_cli(["rate", "--json"], capsys, monkeypatch, lines)
    got = [json.loads(x) for x in out.splitlines()]
    assert code == 2
    assert (got[0]["weight"], got[0]["score"]) == (5.0, 5.0)
    assert (got[1]["score"], got[1]["criteria"]) == (2.0, "每少1次扣1分，扣完为止")
    assert (got[2]["weight"], got[2]["score"]) == (10.0, 4.0)
    assert "第 4 行" in got[3]["error"] and "评分标准" in got[3]["error"]
