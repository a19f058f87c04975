"""The monitoring workbook (template, reading), the monitoring report's layout (opened with openpyxl),
``score monitor`` end to end on the bundled example, and bad input located at file › sheet › cell."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from helpers import run_cli
from scoring.files import sha256_of
from scoring.monitor.form_reader import indicator_header, read_monitor_workbook
from scoring.monitor.progress import time_progress
from scoring.monitor.run import run_monitor
from scoring.reports.monitor_report import report_path, write_monitor_report
from scoring.reports.monitor_template import write_monitor_template
from scoring.targets.store import load_targets

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ROOT / "targets" / "2023"
EXAMPLE = ROOT / "actuals" / "2023_monitor.xlsx"
JULY = time_progress(date(2023, 7, 31))


@pytest.fixture(scope="module")
def targets():
    return load_targets(TARGETS)


@pytest.fixture(scope="module")
def result():
    return run_monitor(2023, date(2023, 7, 31), targets_dir=TARGETS, actuals_path=EXAMPLE,
                       actuals_label="actuals/2023_monitor.xlsx")


@pytest.fixture(scope="module")
def report(result, tmp_path_factory):
    return write_monitor_report(result, tmp_path_factory.mktemp("report"))


def _fill(targets, path, values=None, budgets=None):
    return write_monitor_template(targets, path, JULY, example={"values": values or {}, "budgets": budgets or {}})


# --- the template ---------------------------------------------------------------------------

def test_template_layout(targets, tmp_path):
    path = write_monitor_template(targets, tmp_path / "m.xlsx", JULY)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["填报说明", "预算执行", "指标执行情况"]
    ws = wb["指标执行情况"]
    assert tuple(c.value for c in ws[1]) == indicator_header("1–7月")
    assert ws.max_row == len(targets.indicators) + 1
    assert ws.protection.sheet and ws["A2"].protection.locked and not ws["G2"].protection.locked
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    choice = next(dv for dv in lists if "I2" in str(dv.sqref))
    assert choice.formula1 == '"确定能,有可能,不可能"'
    pct_rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 6).value in ("100%", "≥90%")]
    assert pct_rows and all(ws.cell(r, 7).number_format == "0.00%" for r in pct_rows)
    budget = wb["预算执行"]
    assert [c.value for c in budget[1]][3:5] == ["1–7月执行数（元）", "全年预计执行数（元）"]
    assert "58.08%" in wb["填报说明"]["A3"].value


def test_template_from_the_command_line(tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    code, text, err = run_cli(["template", "2023", "--monitor", "--through", "2023-06-30", "--targets", str(TARGETS),
                               "--out", str(out)], capsys)
    assert code == 0, err
    assert "1–6月" in text
    assert openpyxl.load_workbook(out)["指标执行情况"]["G1"].value == "1–6月实际完成值"
    code, _, err = run_cli(["template", "2023", "--monitor", "--targets", str(TARGETS), "--out", str(out)], capsys)
    assert code == 2 and "--through" in err and "Traceback" not in err


def test_through_without_monitor_is_a_usage_error(tmp_path, capsys):
    code, _, err = run_cli(["template", "2023", "--through", "2023-07-31", "--targets", str(TARGETS),
                            "--out", str(tmp_path / "x.xlsx")], capsys)
    assert code == 2 and "--monitor" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_bundled_example_is_what_the_generator_makes(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "m.xlsx"
    subprocess.run([sys.executable, str(ROOT / "bench" / "example_monitor.py"), "--out", str(out)], check=True,
                   capture_output=True)

    def cells(path):
        wb = openpyxl.load_workbook(path, read_only=True)  # values only: no merged-cell objects to build
        return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in wb}

    assert cells(out) == cells(EXAMPLE), "actuals/2023_monitor.xlsx is stale: run python bench/example_monitor.py"


# --- reading --------------------------------------------------------------------------------

def test_round_trip_and_percent_cells(targets, tmp_path):
    ind = targets.indicators
    count_id = ind["id"][ind["annual_value"] == "≥2次"].iat[0]
    pct_id = ind["id"][ind["annual_value"] == "≥95%"].iat[0]
    path = _fill(targets, tmp_path / "m.xlsx", {count_id: (1, "2次", "确定能", "原因", "措施"),
                                                 pct_id: (0.93, None, "有可能", "", "")})
    got = read_monitor_workbook(path, percent_ids={pct_id}).values.set_index("id")
    assert got.at[count_id, "current"] == 1 and got.at[count_id, "expected"] == "2次"
    assert (got.at[count_id, "choice"], got.at[count_id, "reason_text"], got.at[count_id, "measures"]) == \
           ("确定能", "原因", "措施")
    assert bool(got.at[pct_id, "current_is_percent"])  # 0.93 in a percent cell is 93 %
    assert got.at[count_id, "cell"].endswith("指标执行情况 › G" + str(int(got.at[count_id, "row"]) + 1))


def test_bad_cells_are_located_and_the_rest_is_monitored(targets, tmp_path):
    ind = targets.indicators
    a, b = ind["id"].iat[0], ind["id"].iat[1]
    project = targets.projects["project"].iat[0]
    path = _fill(targets, tmp_path / "m.xlsx", {a: ("很多", None, "大概吧", "", ""), b: (1, None, "确定能", "", "")},
                 {project: (85500, 85500, "五万", None, "", "")})
    before = sha256_of(path)
    r = run_monitor(2023, date(2023, 7, 31), targets_dir=TARGETS, actuals_path=path)
    msgs = {p.where: p.message for p in r.problems}
    assert any(w.endswith("指标执行情况 › G2") and "很多" in m for w, m in msgs.items())
    assert any(w.endswith("指标执行情况 › I2") and "大概吧" in m for w, m in msgs.items())
    assert any(w.endswith("预算执行 › D2") and "不是金额" in m for w, m in msgs.items())
    assert not any("未知" in m for m in msgs.values())
    row = r.indicators.set_index("id")
    assert row.at[a, "computed_likelihood"] is None and row.at[a, "warning"] == "关注"
    assert row.at[b, "computed_likelihood"] is not None
    assert sha256_of(path) == before  # the input is never modified


def test_wrong_period_is_a_warning(targets, tmp_path):
    path = write_monitor_template(targets, tmp_path / "m.xlsx", time_progress(date(2023, 6, 30)))
    r = run_monitor(2023, date(2023, 7, 31), targets_dir=TARGETS, actuals_path=path)
    assert any("1–6月" in p.message and "1–7月" in p.message for p in r.problems)


@pytest.mark.parametrize("argv,words", [
    (["--through", "2023-13-01"], "不是日期"),
    (["--through", "2022-07-31"], "不在 2023 年内"),
    (["--through", "2023-07-31", "--actuals", "nowhere.xlsx"], "nowhere.xlsx"),
])
def test_bad_input_exits_2_in_chinese(argv, words, capsys, tmp_path):
    code, _, err = run_cli(["monitor", "2023", "--targets", str(TARGETS), "--out", str(tmp_path), *argv], capsys)
    assert code == 2 and words in err and "Traceback" not in err


def test_missing_sheet_is_an_error(tmp_path, capsys):
    code, _, err = run_cli(["monitor", "2023", "--through", "2023-07-31", "--targets", str(TARGETS),
                            "--actuals", str(ROOT / "actuals" / "2023.xlsx"), "--out", str(tmp_path)], capsys)
    assert code == 2 and "缺少工作表“指标执行情况”" in err


# --- the report -----------------------------------------------------------------------------

def test_report_names_lagging_projects_and_impossible_indicators_with_reasons(result, report):
    proj = result.projects.set_index("project")
    assert proj.at["台博会经费", "budget_warning"] == "预警"
    assert proj.at["台港澳宣传经费", "budget_warning"] == "预警"
    ws = openpyxl.load_workbook(report)["监控汇总"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "预算执行进度落后的项目（3 个）" in text
    assert "台博会经费：执行进度 22.00%" in text and "场馆租赁" in text  # the unit's reason
    assert "不可能完成年度目标的指标" in text
    assert "台博会经费 › 参展企业数（≥350家）" in text and "仅为目标" in text and "单位说明" in text


def test_report_layout(result, report):
    wb = openpyxl.load_workbook(report)
    names = wb.sheetnames
    assert names[0] == "监控汇总" and names[-2:] == ["指标明细", "问题清单"]
    assert len(names) == 3 + len(result.projects)
    summary = wb["监控汇总"]
    assert summary["A4"].value == "项目名称" and summary["H4"].value == "预算监控" and summary["M4"].value == "未填报"
    assert summary["O4"].value == "监控结论"
    colours = {summary.cell(r, 15).value: summary.cell(r, 15).fill.fgColor.rgb for r in range(5, 5 + len(result.projects))}
    assert colours["预警"].endswith("FFC7CE") and colours["正常"].endswith("C6EFCE")
    with zipfile.ZipFile(report) as z:  # the native chart: execution against time progress
        chart = z.read("xl/charts/chart1.xml").decode()
    assert "<c:barChart>" in chart and "<c:lineChart>" in chart
    form = wb["台博会经费"]
    assert form["A1"].value == "项目支出绩效目标执行监控表（2023年度，1–7月）"
    assert [form.cell(4, j).value for j in (3, 4, 5, 6)] == ["年初预算数", "全年预算数", "1–7月执行数", "全年预计执行数"]
    assert form["A7"].value == "一级指标" and form["G7"].value == "完成目标可能性（单位）" and form["H7"].value == "完成目标可能性（测算）"
    merged = [str(m) for m in form.merged_cells.ranges]
    assert any(m.startswith("A8:A") for m in merged)  # 产出指标 spans its rows
    detail = wb["指标明细"]
    assert detail.max_row == len(result.indicators) + 1
    assert detail["A1"].value == "指标编号" and detail["I1"].value == "1–7月实际完成值"


def test_report_path_names_the_period(result, tmp_path):
    assert report_path(tmp_path, result).name == "绩效运行监控_2023_1-7月.xlsx"


# --- the command ----------------------------------------------------------------------------

def test_report_never_overwrites_its_input(tmp_path, capsys):
    src = tmp_path / "绩效运行监控_2023_1-7月.xlsx"
    src.write_bytes(EXAMPLE.read_bytes())
    code, _, err = run_cli(["monitor", "2023", "--through", "2023-07-31", "--targets", str(TARGETS),
                            "--actuals", str(src), "--out", str(tmp_path)], capsys)
    assert code == 2 and "覆盖" in err
    assert src.read_bytes() == EXAMPLE.read_bytes()


def test_monitor_command_on_the_bundled_example(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = run_cli(["monitor", "2023", "--through", "2023-07-31", "--out", str(tmp_path)], capsys)
    assert code == 0, err
    assert "时间进度 58.08%" in out
    assert "预算执行进度落后的项目（3 个）" in out and "台博会经费" in out
    assert "不可能完成年度目标的指标" in out and "参展企业数" in out
    assert (tmp_path / "绩效运行监控_2023_1-7月.xlsx").exists()


def test_json_has_the_shape_of_score_year_plus_monitoring_fields(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, _ = run_cli(["monitor", "2023", "--through", "2023-07-31", "--out", str(tmp_path), "--json"], capsys)
    assert code == 0

    def no_nan(name):
        raise AssertionError(f"{name} is not JSON")

    doc = json.loads(out, parse_constant=no_nan)
    code, year_out, _ = run_cli(["2023", "--out", str(tmp_path / "y"), "--json"], capsys)
    year = json.loads(year_out)
    assert set(year) <= set(doc) and {"through", "time_progress"} <= set(doc)
    assert doc["through"] == "2023-07-31" and doc["time_progress"]["elapsed"] == 212
    p, yp = doc["projects"][0], year["projects"][0]
    assert set(yp) <= set(p) and {"budget_progress", "warning"} <= set(p)
    assert {"rate", "gap", "warning"} <= set(p["budget_progress"])
    i, yi = p["indicators"][0], yp["indicators"][0]
    assert set(yi) <= set(i)
    assert {"likelihood", "computed_likelihood", "warning"} <= set(i)
    levels = {x["computed_likelihood"] for q in doc["projects"] for x in q["indicators"]}
    assert levels <= {"确定能", "有可能", "不可能", None} and "不可能" in levels


def test_month_through_and_months_basis_are_recorded(capsys, tmp_path):
    rules = tmp_path / "monthly.yaml"
    rules.write_text("extends: national\nname: monthly\nmonitor: {time_basis: months}\n", encoding="utf-8")
    code, out, err = run_cli(["monitor", "2023", "--through", "2023-07", "--targets", str(TARGETS), "--actuals",
                              str(EXAMPLE), "--rules", str(rules), "--out", str(tmp_path), "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["through"] == "2023-07-31" and "最后一天" in doc["assumptions"][0]
    assert doc["time_progress"]["basis"] == "months" and doc["time_progress"]["percent"] == pytest.approx(58.3333, abs=1e-4)
    assert doc["rules"] == "monthly"


def test_blank_workbook_gives_valid_json_and_every_indicator_is_unfilled(targets, tmp_path, capsys):
    path = write_monitor_template(targets, tmp_path / "blank.xlsx", JULY)
    code, out, err = run_cli(["monitor", "2023", "--through", "2023-07-31", "--targets", str(TARGETS), "--actuals",
                              str(path), "--out", str(tmp_path), "--json"], capsys)
    assert code == 0, err

    def no_nan(name):
        raise AssertionError(f"{name} is not JSON")

    doc = json.loads(out, parse_constant=no_nan)
    inds = [i for p in doc["projects"] for i in p["indicators"]]
    # nothing filled in is 未填报, not 关注, and each such indicator is a problem (issue 28 item 9)
    assert {i["warning"] for i in inds} == {"未填报"} and {i["computed_likelihood"] for i in inds} == {None}
    assert all(p["budget_progress"]["warning"] == "未填报" and p["warning"] == "未填报" for p in doc["projects"])
    assert len([p for p in doc["problems"] if "实际完成值未填写" in p["message"]]) == len(inds)
    where = [p["where"] for p in doc["problems"] if "执行数未填写" in p["message"]]
    assert len(where) == len(doc["projects"]) and where[0].endswith("预算执行 › D2")
    assert not any("没有填写偏差原因分析" in p["message"] and "预算执行" in p["message"] for p in doc["problems"])


def test_unknown_rows_and_duplicates_are_located(targets, tmp_path):
    path = write_monitor_template(targets, tmp_path / "m.xlsx", JULY)
    wb = openpyxl.load_workbook(path)
    ws = wb["指标执行情况"]
    first = [c.value for c in ws[2]]
    ws.append(["X-0000", *first[1:6], 3])
    ws.append([*first[:6], 1])  # the first indicator again
    wb["预算执行"].append(["别的项目", 1, 1, 1])
    wb.save(path)
    r = run_monitor(2023, date(2023, 7, 31), targets_dir=TARGETS, actuals_path=path)
    found = [(p.where.rsplit(" › ", 1)[-1], p.message) for p in r.problems]
    n = len(targets.indicators)
    assert (f"G{n + 2}", "未知的指标编号“X-0000”：目标表中没有这个指标，未计入") in found
    assert any(w == f"A{n + 3}" and "重复出现" in m for w, m in found)
    assert any("未知的项目“别的项目”" in m for _, m in found)
