"""汇总 in 绩效自评报告_<year>.xlsx: conditional colours, a legend, native charts on the right ranges,
print setup; grade names and thresholds from the profile only."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from scoring.pipeline import run_year
from scoring.reports.summary import CHART_DATA
from scoring.reports.year_report import write_report
from scoring.vocab import Verdict

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ROOT / "targets" / "2023"
EXAMPLE = ROOT / "actuals" / "2023.xlsx"


@pytest.fixture(scope="module", params=["national", "sichuan"])
def report(request, tmp_path_factory):
    result = run_year(2023, targets_dir=TARGETS, actuals_path=EXAMPLE, rules=request.param)
    path = write_report(result, tmp_path_factory.mktemp(request.param))
    return result, openpyxl.load_workbook(path)


def _title(chart) -> str:
    return "".join(r.t for p in chart.title.tx.rich.p for r in (p.r or []))


def _cat(series) -> str:
    ref = series.cat.strRef or series.cat.numRef
    return ref.f


def _columns(ws) -> dict[str, str]:
    return {c.value: c.column_letter for c in ws[3] if c.value}


def test_grade_and_execution_rate_colours_are_conditional_formats(report):
    result, wb = report
    ws = wb["汇总"]
    col = _columns(ws)
    n = len(result.projects)
    rules = {(str(cf.sqref), r.operator, r.formula[0]) for cf in ws.conditional_formatting for r in cf.rules}
    rows = f"4:{col['自评等级']}{3 + n}"
    for g in result.profile.grade_names():
        assert (f"{col['自评等级']}{rows}", "equal", f'"{g}"') in rules
    low = f"{result.profile.reason_below / 100:g}"
    assert (f"{col['执行率']}4:{col['执行率']}{3 + n}", "lessThan", low) in rules
    assert (f"{col['执行率']}4:{col['执行率']}{3 + n}", "greaterThan", "1") in rules
    legend = [c.value for row in ws.iter_rows(min_row=4 + n) for c in row if isinstance(c.value, str)]
    assert any(f"低于 {result.profile.reason_below:g}%" in t for t in legend) and any("超过 100%" in t for t in legend)
    assert all(any(t.endswith(f"：{g}") for t in legend) for g in result.profile.grade_names())


def test_no_average_in_the_grade_column_and_grade_counts_from_the_profile(report):
    result, wb = report
    ws = wb["汇总"]
    col = _columns(ws)
    n = len(result.projects)
    grades = [ws[f"{col['自评等级']}{r}"].value for r in range(4, 4 + n)]
    assert grades == list(result.projects["grade"])
    assert ws[f"{col['自评等级']}{4 + n}"].value is None
    assert not any(c.value == "平均分" for row in ws.iter_rows() for c in row)
    counts = ws[f"{col['提示']}{4 + n}"].value
    assert all(f"{g} " in counts for g in result.profile.grade_names())
    ind = result.indicators
    for r, name in enumerate(result.projects["project"], 4):
        mine = ind[ind["project"] == name]["verdict"].value_counts()
        assert [ws[f"{col[str(v)]}{r}"].value for v in Verdict] == [mine.get(v, 0) for v in Verdict], name
    assert [ws[f"{col[str(v)]}{4 + n}"].value for v in Verdict] == [int((ind["verdict"] == v).sum()) for v in Verdict]


def test_three_native_charts_on_the_right_ranges(report):
    result, wb = report
    ws, data = wb["汇总"], wb[CHART_DATA]
    charts = {_title(c): c for c in ws._charts}
    assert set(charts) == {"等级分布", "各一级指标得分率", "各项目总分与等级分数线"}
    names = result.profile.grade_names()
    grade = charts["等级分布"].series[0]
    assert _cat(grade) == f"'{CHART_DATA}'!$A$3:$A${2 + len(names)}"
    assert grade.val.numRef.f == f"'{CHART_DATA}'!$B$3:$B${2 + len(names)}"
    assert [data[f"A{3 + i}"].value for i in range(len(names))] == list(names)
    counts = result.projects["grade"].value_counts()
    assert [data[f"B{3 + i}"].value for i in range(len(names))] == [counts.get(g, 0) for g in names]
    rate = charts["各一级指标得分率"].series[0]
    first, last = (int(x) for x in rate.val.numRef.f.replace("$", "").split("!")[1].replace("D", "").split(":"))
    parts = [data[f"A{r}"].value for r in range(first, last + 1)]
    assert parts[0] == "预算执行" and set(parts[1:]) >= {"产出指标", "效益指标"}
    rates = [data[f"D{r}"].value for r in range(first, last + 1)]
    assert all(0 <= x <= 1 for x in rates)
    totals = charts["各项目总分与等级分数线"]
    n = len(result.projects)
    col = _columns(ws)
    assert totals.series[0].val.numRef.f == f"'汇总'!${col['总分']}$4:${col['总分']}${3 + n}"
    assert _cat(totals.series[0]) == f"'汇总'!$B$4:$B${3 + n}"
    lines = next(c for c in totals._charts if type(c).__name__ == "LineChart").series
    thresholds = [b.min for b in result.profile.grades if b.min > 0]
    assert len(lines) == len(thresholds)
    for s, t in zip(lines, thresholds, strict=True):
        letter, rows = s.val.numRef.f.split("!")[1].replace("$", "")[0], s.val.numRef.f.count(":")
        assert rows == 1 and {data[f"{letter}{r}"].value for r in range(data.max_row - n + 1, data.max_row + 1)} == {t}


def test_summary_prints_landscape_with_its_charts(report):
    result, wb = report
    ws = wb["汇总"]
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"
    assert ws.print_area.startswith("'汇总'!$A$1:")
    last_row = int(ws.print_area.split("$")[-1])
    assert last_row > 4 + len(result.projects) + 20, "the print area reaches below the charts"
    assert "&P" in ws.oddFooter.center.text
