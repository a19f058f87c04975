"""The 预算执行 sheet as clerks fill it: blanks, 0/0, formulas without results, dates and text in
money cells, an execution rate over 100 % (issue 12)."""

from __future__ import annotations

import math
from datetime import datetime

import openpyxl
import pytest

from scoring.actuals.budget import money
from scoring.actuals.workbook import read_actuals


def workbook(tmp_path, rows: list[tuple]) -> str:
    wb = openpyxl.Workbook()
    wb.active.title = "填报说明"
    b = wb.create_sheet("预算执行")
    b.append(["项目名称", "年初预算数", "全年预算数", "全年执行数", "偏差原因"])
    for r in rows:
        b.append(list(r))
    s = wb.create_sheet("指标实际值")
    s.append(["指标编号", "项目名称", "三级指标", "年度指标值", "实际完成值"])
    s.append(["A-1", "甲项目", "开展活动数量", "≥2次", 3])
    path = tmp_path / "实际值.xlsx"
    wb.save(path)
    return str(path)


def read(tmp_path, *rows):
    a = read_actuals(workbook(tmp_path, list(rows)), label="实际值.xlsx")
    return a.budgets.set_index("project"), [(p.where, p.message, str(p.severity)) for p in a.problems]


def test_blank_full_year_budget_falls_back_to_the_initial_one_recorded(tmp_path):
    b, problems = read(tmp_path, ("甲项目", 100000, None, 95000, ""))
    assert b.at["甲项目", "full_budget"] == 100000
    assert "按年初预算数 100000 元" in b.at["甲项目", "note"]
    assert any("全年预算数未填写" in m and sev == "警告" and w.endswith("C2") for w, m, sev in problems)


def test_blank_spending_is_an_error(tmp_path):
    b, problems = read(tmp_path, ("甲项目", 100000, 100000, None, ""))
    assert math.isnan(b.at["甲项目", "spent"])
    assert any("全年执行数未填写" in m and sev == "错误" for _, m, sev in problems)


def test_zero_over_zero_has_its_own_message(tmp_path):
    _, problems = read(tmp_path, ("甲项目", 0, 0, 0, ""))
    assert any("0/0" in m for _, m, _ in problems)


def test_a_formula_without_a_saved_result_says_so(tmp_path):
    _, problems = read(tmp_path, ("甲项目", 100000, "=B2*1", 90000, ""))  # openpyxl saves no cached value
    assert any("公式" in m and "没有保存计算结果" in m and w.endswith("C2") for w, m, _ in problems), problems
    assert not any("未填写" in m for _, m, _ in problems)


def test_an_execution_rate_over_100_percent_is_flagged(tmp_path):
    _, problems = read(tmp_path, ("甲项目", 100000, 100000, 150000, ""))
    assert any("超过 100%" in m and "150%" in m for _, m, _ in problems)


def test_a_date_in_a_money_cell_is_not_2023_yuan(tmp_path):
    b, problems = read(tmp_path, ("甲项目", 100000, 100000, datetime(2023, 12, 1), ""))
    assert math.isnan(b.at["甲项目", "spent"])
    assert any("日期" in m and w.endswith("D2") for w, m, _ in problems)


@pytest.mark.parametrize("raw, value, bad", [
    (85500, 85500, False), ("85500", 85500, False), ("85.5万元", 855000, False), ("1,200元", 1200, False),
    ("见附件3", None, True), ("=SUM(B2:B3)", None, True), ("3次", None, True), ("½", None, True),
    ("abc", None, True), (1e308, None, True), (True, None, True), ("", None, False), (None, None, False),
])
def test_money(raw, value, bad):
    got, problem = money(raw)
    assert got == value and bool(problem) == bad


def test_the_budget_note_reaches_the_explanation(tmp_path):
    import pandas as pd

    from scoring.rubric.engine import score_indicators

    budgets = pd.DataFrame({"project": ["P"], "initial_budget": [100.0], "full_budget": [100.0], "spent": [120.0],
                            "note": ["全年预算数未填写，按年初预算数 100 元计算执行率"]})
    ind = pd.DataFrame({"project": ["P"], "level1": ["产出指标"], "level3": ["x"], "annual_value": ["≥1次"], "actual": [1]})
    p = score_indicators(ind, budgets).projects.iloc[0]
    assert p["budget_explanation"].startswith("全年预算数未填写")
    assert any("超过 100%" in f for f in p["flags"])
