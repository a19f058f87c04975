"""`score rate`: one indicator with its working in Chinese, or one answer per standard-input line."""

from __future__ import annotations

import json

import pytest

from helpers import run_cli
from scoring.language.expressions import parse


def test_one_indicator_shows_its_working(capsys):
    code, out, err = run_cli(["rate", "--target", "≥2次", "--actual", "3", "--weight", "5", "--indicator", "培训次数"], capsys)
    assert code == 0, err
    assert "指标：培训次数" in out
    assert "读作 ≥ 2 次" in out and "读作 3 次" in out
    assert "判定：达成" in out
    assert "得分：5.00 / 5" in out
    assert "算式：3 ÷ 2 ≥ 1 → 满分 5.00" in out
    assert "超额完成" in out  # 150 % of the target
    assert "国家口径" in out


def test_default_weight_is_said(capsys):
    code, out, _ = run_cli(["rate", "--target", ">90%", "--actual", "90%"], capsys)
    assert code == 0
    assert "按 10 分计" in out
    assert "判定：达成" in out and "得分：10.00 / 10" in out
    assert "边界" in out and "strict_boundary: lenient" in out


def test_rules_by_name_and_by_path(capsys, tmp_path):
    _, out, _ = run_cli(["rate", "--target", "≤24小时", "--actual", "30", "--indicator", "响应时间", "--rules", "sichuan"], capsys)
    assert "得分：7.50 / 10" in out and "四川口径" in out
    path = tmp_path / "mine.yaml"
    path.write_text("extends: national\ntitle: 本地口径\nquantitative: {at_most: linear}\n", encoding="utf-8")
    _, out, _ = run_cli(["rate", "--target", "≤24小时", "--actual", "30", "--indicator", "响应时间", "--rules", str(path)],
                    capsys)
    assert "得分：7.50 / 10" in out and "本地口径" in out


def test_assumptions_are_shown(capsys):
    _, out, _ = run_cli(["rate", "--target", "0次", "--actual", "无", "--indicator", "泄密次数"], capsys)
    assert "假设：" in out and "按 0 理解" in out
    assert "判定：达成" in out


def test_json_gives_the_fields_and_the_parsed_target(capsys):
    code, out, _ = run_cli(["rate", "--target", "≥2次", "--actual", "1", "--weight", "4", "--json"], capsys)
    assert code == 0
    d = json.loads(out)
    assert {"verdict", "score", "weight", "ratio", "explanation", "assumptions", "flags", "target"} <= set(d)
    assert (d["verdict"], d["score"], d["weight"], d["ratio"]) == ("未达成", 2.0, 4.0, 0.5)
    assert d["target"] == parse("≥2次").to_json()


def test_standard_input_one_answer_per_line_in_order(capsys, monkeypatch):
    lines = "培训次数\t≥2次\t1\t5\n故障次数\t0次\t无\t\n\n办理时限\t每年12月31日前\t2023-11-30\t10\n满意度\t≥90%\t95%\t10\n"
    code, out, _ = run_cli(["rate", "--json", "--year", "2023"], capsys, monkeypatch, lines)
    assert code == 0
    answers = [json.loads(x) for x in out.splitlines()]
    assert [a["indicator"] for a in answers] == ["培训次数", "故障次数", "办理时限", "满意度"]
    assert [a["score"] for a in answers] == [2.5, 10, 10, 10]
    assert answers[1]["weight"] == 10 and answers[1]["default_weight"]
    assert answers[2]["target"]["date"] == "2023-12-31"


def test_standard_input_text_lines(capsys, monkeypatch):
    code, out, _ = run_cli(["rate"], capsys, monkeypatch, "培训次数\t≥2次\t1\t5\n响应时间\t24小时\t30小时\t10\n")
    assert code == 0
    rows = [line.split("\t") for line in out.splitlines()]
    assert len(rows) == 2
    assert rows[0][0] == "培训次数" and rows[0][3] == "未达成" and rows[0][4] == "2.50/5"
    assert rows[1][4] == "8.00/10" and "反向" in rows[1][5]


def test_bad_line_is_answered_and_exits_2(capsys, monkeypatch):
    code, out, _ = run_cli(["rate", "--json"], capsys, monkeypatch, "只有一列\n培训次数\t≥2次\t3\t五分\n培训次数\t≥2次\t3\n")
    assert code == 2
    answers = [json.loads(x) for x in out.splitlines()]
    assert "error" in answers[0] and "error" in answers[1] and "五分" in answers[1]["error"]
    assert answers[2]["verdict"] == "达成"


@pytest.mark.parametrize("argv, words", [
    (["rate", "--target", "≥2次"], "--actual"),
    (["rate", "--target", "≥2次", "--actual", "3", "--rules", "nowhere"], "找不到评分规则"),
    (["rate", "--target", "≥2次", "--actual", "3", "--weight", "-1"], "正数"),
])
def test_usage_errors_are_chinese_without_traceback(capsys, argv, words):
    code, _, err = run_cli(argv, capsys)
    assert code == 2
    assert words in err and "Traceback" not in err


def test_not_computable_is_explained(capsys):
    code, out, _ = run_cli(["rate", "--target", "≥2次", "--actual", "3篇"], capsys)
    assert code == 0
    assert "判定：无法判定" in out and "单位" in out


def test_an_unreadable_answer_says_what_to_write(capsys):
    code, out, _ = run_cli(["rate", "--target", "≥2次", "--actual", "见附件3", "--indicator", "开展活动数量"], capsys)
    assert code == 0
    assert "判定：无法判定" in out and "得分：0.00 / 10" in out
    assert "处理建议：请填写以“次”计的数值，如 3次" in out
    _, out, _ = run_cli(["rate", "--target", "≥90%", "--actual", "105%", "--indicator", "满意度", "--json"], capsys)
    assert json.loads(out)["hint"] == "请填写 0 到 100 之间的百分比，如 96%"


def test_standard_input_reads_clerks_answers(capsys, monkeypatch):
    lines = "服务对象满意度（%）\t满意\t满意度55%\n总支出不超出财政预算\t总支出不超出财政预算\t未超出\t5\n"
    code, out, _ = run_cli(["rate"], capsys, monkeypatch, stdin=lines)
    assert code == 0
    first, second = out.splitlines()
    assert "\t部分达成\t6.11/10\t" in first and "不低于 90%" in first
    assert "\t达成\t5.00/5\t" in second
