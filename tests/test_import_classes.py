"""score import: the failure classes found on real tables from other units (``evaluation/realtables``), each
fixed as a class and tested twice — on the real table where it was found, and on a table of the same shape
written differently (``tests/fixtures/classes``: every format, built by its ``make_classes.py``), where every field
of every indicator is compared, not only the (三级指标, 指标值) pairs the measuring script counts.

The classes: a side label merged down the indicator rows (recognised by its shape, not its words); several
projects under one header (项目名称 / 预算数 / 年度目标 columns read per row); levels given only by indentation
(an Excel or Word indent, leading spaces; by position, flagged, where the format keeps none); a goal sentence
above the header is no header row; 长期/中长期 and 年度 columns side by side; operators as printed (≧, ═);
placeholders kept in the name with the target as written; trailer rows such as 其他需要说明事项.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

import cli
from scoring.findings import WARNING
from scoring.importer import import_sources
from scoring.importer.headers import is_subheader
from scoring.importer.report import render_report
from scoring.language.expressions import parse
from scoring.targets.store import load_targets

ROOT = Path(__file__).resolve().parent.parent
CLASSES = ROOT / "tests" / "fixtures" / "classes"
HELD = ROOT / "evaluation" / "realtables"
FIXTURES = sorted(p.parent.name for p in CLASSES.glob("*/gold.csv"))
FORMATS = ("xlsx", "xls", "docx", "pdf")
_WS = re.compile(r"[\s\u3000\u00a0]+")


def norm(text) -> str:
    return _WS.sub("", "" if text is None or text != text else str(text))


def weight(value) -> str:
    return "" if value is None or value != value or value == "" else f"{float(value):g}"


def gold(folder: Path) -> list[tuple]:
    with open(folder / "gold.csv", encoding="utf-8", newline="") as f:
        return [(norm(g["project"]), g["level1"], norm(g["level2"]), norm(g["level3"]), norm(g["annual_value"]),
                 weight(g["weight"]), norm(g["period_value"])) for g in csv.DictReader(f)]


def imported(folder: Path, fmt: str = "xlsx"):
    year = int((folder / "year.txt").read_text(encoding="utf-8").strip())
    return import_sources([folder / f"source.{fmt}"], year)


def fields(result) -> list[tuple]:
    return [(norm(r["project"]), r["level1"], norm(r["level2"]), norm(r["level3"]), norm(r["annual_value"]),
             weight(r["weight"]), norm(r["period_value"])) for r in result.targets.indicators.to_dict("records")]


def messages(result) -> str:
    return "\n".join(f"{f.where}：{f.message}" for f in result.findings)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", FIXTURES)
def test_class_fixture_reads_every_field_in_every_format(name, fmt):
    assert FIXTURES, "tests/fixtures/classes has no tables"
    assert fields(imported(CLASSES / name, fmt)) == gold(CLASSES / name)


# -- a side label merged down the indicator rows ---------------------------------------------------------
def test_a_label_merged_down_every_indicator_row_is_set_aside_by_its_shape():
    r = imported(HELD / "he_ningjin_zhuxuejin_2019")   # 评价指标 over 项目年度绩效目标(定量指标), no word of the list
    assert [x["level3"] for x in r.targets.indicators.to_dict("records")] == [
        "规章制度", "享受资助人数", "资金支出率", "建档立卡学生", "资助对象满意度", "及时发放率", "资助标准达标率"]
    report = render_report(r, 2019)
    assert "第1列“评价指标”（栏目名“项目年度绩效目标(定量指标)”" in report
    r = imported(CLASSES / "side_label_shape")
    assert set(r.targets.indicators["level1"]) == {"产出指标", "效益指标", "满意度指标"}
    assert "按栏目名对待，不作一级指标" in messages(r)


def test_a_single_level1_down_every_row_is_no_side_label(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    for row in (["项目名称", "单一项目"], ["一级指标", "二级指标", "三级指标", "指标值"],
                ["产出指标", "数量指标", "培训人数", "≥100人"], ["产出指标", "质量指标", "合格率", "≥95%"],
                ["产出指标", "时效指标", "完成时间", "2024年底前"]):
        wb.active.append(row)
    wb.save(tmp_path / "one.xlsx")
    r = import_sources([tmp_path / "one.xlsx"], 2024)
    assert list(r.targets.indicators["level1"]) == ["产出指标"] * 3


def test_a_goal_sentence_above_the_header_is_no_header_row():
    # 本年度绩效目标 | 通过…服务周期2023.07-2024.01…: 周期 inside a sentence names no 中期 group
    assert not is_subheader(["本年度绩效目标", "通过采购服务,服务周期2023.07-2024.01,全市空气质量达到优良"])
    assert is_subheader(["中期目标", "年度目标"])
    r = imported(HELD / "hun_xiangtan_wupaoche_2023")
    assert len(r.targets.indicators) == 7
    project = r.targets.projects.iloc[0]
    assert project["budget"] == 2_500_000 and project["annual_goal"].startswith("通过采购雾炮车")


# -- several projects under one header ---------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_projects_listed_in_columns_left_of_the_levels_are_read_per_row(fmt):
    r = imported(HELD / "sc_jingyan_mata_2023", fmt)
    projects = r.targets.projects.set_index("project")
    assert list(projects.index) == ["村组干部报酬", "基层组织活动经费"]
    assert list(projects["budget"]) == [3_309_840, 660_000]
    assert projects.loc["村组干部报酬", "department"] == "820001-井研县马踏镇人民政府"
    counts = r.targets.indicators.groupby("project", sort=False).size().to_dict()
    assert counts == {"村组干部报酬": 8, "基层组织活动经费": 4}
    report = render_report(r, 2023)
    assert report.count("第4行") == 1 and "只在未作指标的列" in report   # the unit's subtotal row: said once
    assert "每行的项目信息：第1列“单位名称”→主管部门，第2列“项目名称”→项目名称" in report


def test_project_columns_take_the_money_unit_of_their_header_or_the_line_above():
    r = imported(CLASSES / "projects_in_columns")
    projects = r.targets.projects.set_index("project")
    assert list(projects["budget"]) == [8_500_000, 3_000_000, 1_200_000]
    assert projects.loc["农机购置补贴", "annual_goal"] == "补贴农机具600台"


# -- levels by indentation ---------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["xlsx", "xls", "docx"])
def test_levels_given_only_by_indentation_are_read_from_the_indent(fmt):
    r = imported(HELD / "nx_shizuishan_jikong_2020", fmt)   # leading spaces in the cells
    ind = r.targets.indicators
    assert list(r.targets.projects["project"]) == ["狂犬、乙肝、流感等疫苗及美沙酮药物"]
    assert r.targets.projects.iloc[0]["unit"] == "石嘴山市疾病预防控制中心"
    assert len(ind) == 13 and ind.iloc[0][["level1", "level2"]].tolist() == ["产出指标", "成本指标"]
    assert "名称列用缩进区分层级" in messages(r)


def test_an_excel_or_word_indent_reads_like_leading_spaces():
    for fmt in ("xlsx", "xls", "docx"):   # an alignment indent, an XF indent, a paragraph indent
        r = imported(CLASSES / "indent_tree", fmt)
        assert list(r.targets.projects["project"]) == ["困难群众救助补助", "困难残疾人生活补贴"], fmt
        assert r.targets.projects.iloc[0]["unit"] == "某市民政局", fmt


def test_without_indentation_the_headings_are_placed_by_position_and_flagged():
    r = imported(HELD / "nx_shizuishan_jikong_2020", "pdf")
    assert list(r.targets.projects["project"]) == ["狂犬、乙肝、流感等疫苗及美沙酮药物"]
    assert len(r.targets.indicators) == 13
    flagged = [f for f in r.findings if "看不出缩进" in f.message]
    assert flagged and flagged[0].severity == WARNING


# -- values and trailers -----------------------------------------------------------------------------------
def test_operators_are_kept_as_printed_and_read_later():
    r = imported(HELD / "yn_yongde_yingyang_2022")
    values = dict(zip(r.targets.indicators["level3"], r.targets.indicators["annual_value"], strict=True))
    assert values["学生受资助人数"] == "≧735人次" and values["政策知晓率"] == "═100%"
    assert parse("═100%", "政策知晓率").reading() == "= 100 %"
    assert "其他需要说明事项" not in values   # a trailer row, not an indicator


def test_a_placeholder_stays_in_the_name_and_the_target_as_written():
    r = imported(HELD / "nx_yuanzhou_linye_2022")
    rec = next(x for x in r.targets.indicators.to_dict("records") if x["level3"].startswith("苗木成活率"))
    assert (rec["level3"], rec["annual_value"]) == ("苗木成活率(≥**%)", "85")
    assert parse(rec["annual_value"], rec["level3"]).reading() == "≥ 85 %"
    assert "“≥85%”" in messages(r)


def test_period_and_annual_columns_side_by_side_in_one_header_row():
    r = imported(HELD / "hub_qingshan_jiaoyu_2020")
    assert r.targets.indicators.iloc[0]["annual_value"] == "2"   # 指标值(年度): 年度 is no unit
    assert not [f for f in r.findings if "实施周期指标值缺失" in f.message]   # an empty 长期 column: said once
    assert "实施周期（中期）指标值一栏每行都是空的" in render_report(r, 2020)


def test_what_import_writes_from_each_class_every_command_reads(tmp_path, capsys):
    for name in FIXTURES:
        folder, out = CLASSES / name, tmp_path / name
        year = (folder / "year.txt").read_text(encoding="utf-8").strip()
        assert cli.main(["import", str(folder / "source.xlsx"), "--year", year, "--out", str(out)]) == 0
        assert cli.main(["targets", year, "--dir", str(out), "--format", "csv"]) == 0
        assert cli.main(["check", year, "--dir", str(out)]) in (0, 1)
        assert len(load_targets(out).indicators) == len(gold(folder))
    capsys.readouterr()
