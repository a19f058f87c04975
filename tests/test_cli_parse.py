"""`score parse` and the CLI's frame: Chinese help, JSON lines, standard input, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cli
from helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent


def test_help_lists_the_commands_in_chinese(capsys):
    try:
        cli.main(["--help"])
    except SystemExit as exc:
        assert exc.code == 0
    out = capsys.readouterr().out
    assert "用法" in out
    assert "parse" in out and "解析指标值" in out
    assert "score YEAR" in out


def test_parse_json_one_object_per_expression(capsys):
    code, out, _ = run_cli(["parse", "--json", "不少于30万人次", "≥95%", "≥半个版面", "每年12月31日前", "--year", "2023"],
                       capsys=capsys)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["value"] for r in rows[:3]] == [300000, 95, 0.5]
    assert [r["unit"] for r in rows[:3]] == ["人次", "%", "版面"]
    assert rows[3]["date"] == "2023-12-31" and rows[3]["op"] == "by_date"
    keys = {"text", "indicator", "kind", "op", "value", "high", "unit", "date", "assumptions", "reason"}
    assert all(keys <= set(r) for r in rows)


def test_parse_reads_standard_input_line_by_line_in_order(capsys, monkeypatch):
    stdin = "泄密次数\t0次\n≥90%\n\n设备故障次数\t业务平台设备故障次数\n"
    code, out, _ = run_cli(["parse", "--json"], stdin=stdin, capsys=capsys, monkeypatch=monkeypatch)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 4
    assert rows[0]["indicator"] == "泄密次数" and rows[0]["op"] == "<=" and rows[0]["assumptions"]
    assert rows[1]["op"] == ">="
    assert rows[2]["kind"] == "invalid"
    assert rows[3]["kind"] == "invalid" and "名称" in rows[3]["reason"]


def test_parse_table_is_chinese(capsys):
    code, out, _ = run_cli(["parse", "≥90%", "及时"], capsys=capsys)
    assert code == 0
    for header in ("原文", "类型", "比较", "数值", "单位", "假设"):
        assert header in out
    assert "定量" in out and "定性" in out


def test_usage_errors_are_chinese_without_traceback():
    proc = subprocess.run([sys.executable, "cli.py", "parse", "--year", "二零二三"], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "错误" in proc.stderr


def test_parse_json_keeps_its_keys_and_adds_baseline_only_for_a_change(capsys):
    code, out, _ = run_cli(["parse", "--json", "同比減少6%", "在5万元基础上稳定增加", "≥90%", "--year", "2023"],
                           capsys=capsys)
    assert code == 0
    change, stated, level = (json.loads(line) for line in out.splitlines())
    keys = {"text", "indicator", "kind", "op", "value", "high", "unit", "date", "assumptions", "reason",
            "strict_low", "strict_high"}
    assert set(level) == keys
    assert set(change) == keys | {"baseline"}
    assert (change["kind"], change["op"], change["value"], change["unit"]) == ("change", "decrease", 6, "%")
    assert change["baseline"] == {"ref": "上年", "value": None, "unit": ""}
    assert stated["baseline"] == {"ref": "stated", "value": 50000, "unit": "元"} and stated["value"] is None


def test_parse_table_shows_a_change_against_its_baseline_and_a_new_counter(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    code, out, _ = run_cli(["parse", "比上年提高2个百分点", "28万粒", "2023.07-2024.01"], capsys=capsys)
    assert code == 0
    assert "变化" in out and "较上年增长" in out
    assert "粒" in out and "不在单位表中" in out
    assert "2024-01-31" in out
