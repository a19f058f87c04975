"""`score monitor` on the clerk's path (issue 28 item 9): it says which files it reads and when they are
the bundled example; an indicator (or a budget row) left blank is 未填报, not 关注, and is counted
among the problems, so that the labels and the counts agree."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "actuals" / "2023_monitor.xlsx"
ARGS = ["monitor", "2023", "--through", "2023-07-31"]


def test_the_monitor_prints_its_inputs_and_says_the_example_is_an_example(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = run_cli([*ARGS, "--out", str(tmp_path / "r")], capsys)
    assert code == 0, err
    head = out.split("┏")[0]
    assert "绩效目标：targets/2023（16 个项目，155 个指标）" in head
    assert "监控填报表：actuals/2023_monitor.xlsx" in head and "评分规则：" in head and "2023-07-31" in head
    assert "示例数据" in head and "score template 2023 --monitor" in head


@pytest.fixture(scope="module")
def partial(tmp_path_factory) -> Path:
    """The example with every indicator after the tenth left blank, and one project's 1–7月执行数 blank."""
    out = tmp_path_factory.mktemp("mon") / "partial.xlsx"
    wb = openpyxl.load_workbook(EXAMPLE)
    ws = wb["指标执行情况"]
    for r in range(12, ws.max_row + 1):
        for c in range(7, 12):
            ws.cell(r, c).value = None
    b = wb["预算执行"]
    header = [c.value for c in b[1]]
    b.cell(2, next(j for j, h in enumerate(header, 1) if "执行数" in str(h) and "全年" not in str(h))).value = None
    wb.save(out)
    return out


def test_blank_indicators_are_unfilled_not_attention_and_are_counted(partial, tmp_path, capsys):
    code, out, err = run_cli([*ARGS, "--actuals", str(partial), "--out", str(tmp_path / "j"), "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    rows = [i for p in doc["projects"] for i in p["indicators"]]
    blank = [i for i in rows if i["current"] is None and i["expected"] is None and i["likelihood"] is None]
    assert len(blank) >= 140
    assert {i["warning"] for i in blank} == {"未填报"}
    assert not [i for i in rows if i["warning"] == "关注" and any("未填写" in r for r in i["warning_reasons"])]
    unfilled = [p for p in doc["problems"] if p["id"] in {i["id"] for i in blank}]
    assert len(unfilled) == len(blank)  # each one is a problem of the run
    first = doc["projects"][0]
    assert first["budget_progress"]["warning"] == "未填报"
    assert not any(i["warning"] == "关注" for p in doc["projects"] for i in p["indicators"]
                   if p["budget_progress"]["warning"] == "未填报" and i in blank)


def test_the_terminal_counts_what_it_labels(partial, tmp_path, capsys):
    code, out, err = run_cli([*ARGS, "--actuals", str(partial), "--out", str(tmp_path / "t")], capsys)
    assert code == 0, err
    code, js, _ = run_cli([*ARGS, "--actuals", str(partial), "--out", str(tmp_path / "t2"), "--json"], capsys)
    total = len(json.loads(js)["problems"])
    assert f"发现 {total:,} 个问题" in out
    assert "未填报" in out
    lagging = out.split("预算执行进度落后的项目")[1].split("\n\n")[0]
    assert "未填写" not in lagging  # a blank 执行数 is not a project that lags
