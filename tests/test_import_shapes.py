"""score import: shapes of real 绩效目标表 that ../shared/realtables does not hold (issue 23), as small
workbooks built here: header words not in the old list, a column's role told by its cells, years over
sub-columns, several projects on a sheet, 一级 names outside the national four, placeholders, trailer
and unit-code rows, and one vocabulary for import and the targets.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from test_targets import _broken  # a copy of targets/2023 with indicators.csv edited

import cli
from scoring.findings import ERROR, WARNING, ScoreError
from scoring.importer import import_sources
from scoring.importer.report import render_report
from scoring.language.expressions import parse
from scoring.targets import store
from scoring.targets.store import load_targets, read_targets


def book(tmp_path: Path, rows: list[list], merges: tuple[str, ...] = (), name: str = "t.xlsx") -> Path:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    for m in merges:
        wb.active.merge_cells(m)
    path = tmp_path / name
    wb.save(path)
    return path


def read(path: Path, year: int = 2022):
    r = import_sources([path], year)
    return r, r.targets.indicators.to_dict("records")


def test_value_with_unit_header_beside_a_standard_column_and_a_side_label(tmp_path):
    side = "年度绩效指标(90分)"
    r, ind = read(book(tmp_path, [
        ["项目支出绩效目标表"], ["项目名称", "甲项目"], ["主管部门", "某局"],
        [side, "一级指标", "二级指标", "三级指标", "指标值及单位", "绩效标准"],
        [side, "产出指标", "数量指标", "培训人数", "≥100人", "反映培训人数"],
        [side, "产出指标", "质量指标", "合格率", "≥95%", "反映合格情况"],
        [side, "满意度指标", "服务对象满意度指标", "满意度", "≥90%", "反映满意度"],
        ["财政部门审核意见", "", "", "", "(盖章)", ""],
        ["207101天津市河北区人民法院"]], ("A4:A7",)))
    assert [(x["level3"], x["annual_value"], x["note"]) for x in ind] == [
        ("培训人数", "≥100人", "指标描述：反映培训人数"), ("合格率", "≥95%", "指标描述：反映合格情况"),
        ("满意度", "≥90%", "指标描述：反映满意度")]
    trailers = {f.where.rsplit(" › ", 1)[-1]: f.message for f in r.findings if f.code == "trailer"}
    assert "审核意见" in trailers["第8行"] and "单位编码" in trailers["第9行"]


def test_header_words_of_other_templates(tmp_path):
    _r, ind = read(book(tmp_path, [
        ["项目名称", "乙项目"], ["一级指标", "二级指标", "指标内容", "指标值"],
        ["产出指标", "数量指标", "新建道路长度", "≥10公里"], ["效益指标", "社会效益指标", "通行时间缩短", "明显缩短"]]))
    assert [(x["level3"], x["annual_value"]) for x in ind] == [("新建道路长度", "≥10公里"), ("通行时间缩短", "明显缩短")]
    _r, ind = read(book(tmp_path, [
        ["项目名称", "丙项目"], ["绩效内容", "全年绩效目标"], ["培训人数", "≥100人"]], name="b.xlsx"))
    assert [(x["level1"], x["level3"], x["annual_value"]) for x in ind] == [("", "培训人数", "≥100人")]


def test_a_type_column_holding_level_names_is_the_level2_column(tmp_path):
    r, ind = read(book(tmp_path, [
        ["项目名称", "丙项目"], ["一级指标", "指标类型", "评价内容", "年度数值", "单位"],
        ["产出指标", "数量指标", "培训班次", "12", "期"], ["产出指标", "时效指标", "完成时间", "2022年12月底前", ""],
        ["满意度指标", "服务对象满意度指标", "学员满意度", "≥90", "%"]]))
    assert [(x["level2"], x["level3"], x["annual_value"]) for x in ind] == [
        ("数量指标", "培训班次", "12期"), ("时效指标", "完成时间", "2022年12月底前"),
        ("服务对象满意度指标", "学员满意度", "≥90%")]
    assert "第2列“指标类型”写的是层级名称，按二级指标读取" in render_report(r, 2022)


def test_year_sub_columns_the_target_is_the_imported_years(tmp_path):
    rows = [["项目名称", "丁项目"], ["一级指标", "二级指标", "三级指标", "指标值", ""], ["", "", "", "2021年实际", "预期2022年"],
            ["产出指标", "数量指标", "服务人次", "1200人次", "≥1500人次"],
            ["效益指标", "社会效益指标", "群众知晓率", "85%", "≥90%"]]
    r, ind = read(book(tmp_path, rows, ("D2:E2", "A2:A3", "B2:B3", "C2:C3")))
    assert [(x["annual_value"], x["period_value"], x["note"]) for x in ind] == [
        ("≥1500人次", "", "指标值2021年实际：1200人次"), ("≥90%", "", "指标值2021年实际：85%")]
    assert "2021年的实际数，不是2022年的指标值" in render_report(r, 2022)


def test_several_projects_on_one_sheet_with_level1_names_outside_the_national_four(tmp_path):
    r, ind = read(book(tmp_path, [
        ["2022年项目支出绩效目标表"], ["项目名称", "一号项目"], ["一级指标", "二级指标", "三级指标", "指标值"],
        ["项目完成指标", "数量指标", "采购设备", "≥10台"], ["项目效益指标", "社会效益指标", "服务人数", "≥1000人"],
        ["产出值", "质量指标", "验收合格率", "100%"], ["效果指标", "可持续影响指标", "使用年限", "≥5年"],
        ["2022年项目支出绩效目标表"], ["项目名称", "二号项目"], ["一级指标", "二级指标", "三级指标", "指标值"],
        ["预期产出指标", "数量指标", "培训人数(≥**人)", "100"],
        ["满意度指标", "服务对象满意度指标", "群众满意度(≥**%)", "95"],
        ["合计"], ["注：本表由项目单位填报"]]))
    assert list(r.targets.projects["project"]) == ["一号项目", "二号项目"]
    assert [(x["project"], x["level1"], x["level1_original"]) for x in ind] == [
        ("一号项目", "产出指标", "项目完成指标"), ("一号项目", "效益指标", "项目效益指标"),
        ("一号项目", "产出指标", "产出值"), ("一号项目", "效益指标", "效果指标"),
        ("二号项目", "产出指标", "预期产出指标"), ("二号项目", "满意度指标", "")]
    # name and target as written: the reader of targets takes the operator and unit from the name's placeholder
    assert [(x["level3"], x["annual_value"]) for x in ind[-2:]] == [("培训人数(≥**人)", "100"), ("群众满意度(≥**%)", "95")]
    assert [parse(x["annual_value"], x["level3"]).reading() for x in ind[-2:]] == ["≥ 100 人", "≥ 95 %"]
    assert "“项目完成指标”→“产出指标”" in render_report(r, 2022)
    assert not [f for f in r.findings if f.code == "level1" and f.severity == WARNING]   # synonyms: no review


def test_unheaded_numbers_that_add_up_to_full_marks_are_weights(tmp_path):
    rows = [["项目名称", "戊项目"], ["一级指标", "二级指标", "三级指标", "指标值", ""],
            ["产出指标", "数量指标", "培训人数", "≥100人", 30], ["产出指标", "质量指标", "合格率", "≥95%", 30],
            ["效益指标", "社会效益指标", "受益面", "扩大", 20], ["满意度指标", "服务对象满意度指标", "满意度", "≥90%", 20]]
    _r, ind = read(book(tmp_path, rows))
    assert [x["weight"] for x in ind] == [30, 30, 20, 20]
    rows[2][4] = 31   # 101: no full score, so not weights
    _r, ind = read(book(tmp_path, rows, name="b.xlsx"))
    assert all(x["weight"] != x["weight"] for x in ind)


def test_unknown_header_words_header_found_by_content(tmp_path):
    r, ind = read(book(tmp_path, [
        ["某项目绩效目标"], ["项目名称", "庚项目"], ["层级", "类别", "考核事项", "年度要求"],
        ["产出指标", "数量指标", "培训人数", "≥100人"], ["产出指标", "质量指标", "培训合格率", "≥95%"],
        ["效益指标", "社会效益指标", "群众就业人数", "≥50人"], ["满意度指标", "服务对象满意度指标", "学员满意度", "≥90%"]]))
    assert [(x["level1"], x["level2"], x["level3"], x["annual_value"]) for x in ind] == [
        ("产出指标", "数量指标", "培训人数", "≥100人"), ("产出指标", "质量指标", "培训合格率", "≥95%"),
        ("效益指标", "社会效益指标", "群众就业人数", "≥50人"), ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%")]
    flagged = [f for f in r.findings if f.code == "columns" and f.severity == WARNING]
    assert flagged and "按各列内容认定" in flagged[0].message and "第3行" in flagged[0].where


def test_no_table_at_all_names_what_was_looked_for(tmp_path):
    with pytest.raises(ScoreError) as e:
        read(book(tmp_path, [["年度工作总结"], ["今年完成了各项工作", "很好"]]))
    assert "没有找到指标表头" in e.value.message and "三级指标" in e.value.message and "指标值" in e.value.message


def test_section_rows_in_a_table_that_has_level_columns(tmp_path):
    _r, ind = read(book(tmp_path, [
        ["项目名称", "辛项目"], ["一级指标", "二级指标", "三级指标", "指标值"],
        ["一、产出指标"], ["", "数量指标", "培训人数", "≥100人"], ["二、效益指标"], ["", "社会效益指标", "受益人数", "≥50人"]]))
    assert [(x["level1"], x["level2"], x["level3"]) for x in ind] == [
        ("产出指标", "数量指标", "培训人数"), ("效益指标", "社会效益指标", "受益人数")]


def test_targets_accept_a_level1_synonym_and_an_empty_level1_but_not_an_unknown_one(tmp_path):
    d = _broken(tmp_path, lambda lines: lines.__setitem__(1, lines[1].replace("产出指标", "预期产出指标", 1)))
    assert not [p for p in read_targets(d).problems if p.severity == ERROR]
    d = _broken(tmp_path / "b", lambda lines: lines.__setitem__(1, lines[1].replace("产出指标", "", 1)))
    problems = read_targets(d).problems
    assert not [p for p in problems if p.severity == ERROR]
    assert any("level1（一级指标）为空" in p.message and p.severity == WARNING for p in problems)
    d = _broken(tmp_path / "c", lambda lines: lines.__setitem__(1, lines[1].replace("产出指标", "产出类指标", 1)))
    with pytest.raises(ScoreError, match="未知的一级指标“产出类指标”"):
        load_targets(d)


def test_criteria_and_original_level1_are_written_and_read_back(tmp_path, capsys):
    src = book(tmp_path, [
        ["项目名称", "壬项目"], ["一级指标", "二级指标", "三级指标", "指标值", "评分标准"],
        ["预期产出指标", "数量指标", "培训人数", "≥100人", "每少10人扣1分"]])
    out = tmp_path / "out"
    assert cli.main(["import", str(src), "--year", "2022", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "导入完成：1 张表，1 个项目，1 个指标" in printed and f"score check 2022 --dir {out}" in printed
    assert "[修复·" not in printed                        # the full report is in the file, not on the terminal
    t = load_targets(out)
    row = t.indicators.iloc[0]
    assert (row["level1"], row["level1_original"], row["criteria"]) == ("产出指标", "预期产出指标", "每少10人扣1分")
    assert store.INDICATORS_FILE in {p.name for p in out.iterdir()}


def test_unit_code_lines_head_the_tables_of_several_units_on_one_sheet(tmp_path):
    r, ind = read(book(tmp_path, [
        ["部门整体绩效目标表"], ["207101天津市河北区人民法院"], ["一级指标", "二级指标", "三级指标", "指标值"],
        ["一、产出指标", "数量指标", "审结案件数", "≥3000件"], ["", "质量指标", "结案率", "≥90%"],
        ["207102天津市河北区人民检察院"], ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标50分", "数量指标", "办理案件数", "≥800件"], ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"]]))
    assert list(r.targets.projects["project"]) == ["天津市河北区人民法院", "天津市河北区人民检察院"]
    assert [(x["project"], x["level1"], x["level1_original"], x["level3"]) for x in ind] == [
        ("天津市河北区人民法院", "产出指标", "", "审结案件数"), ("天津市河北区人民法院", "产出指标", "", "结案率"),
        ("天津市河北区人民检察院", "产出指标", "", "办理案件数"),
        ("天津市河北区人民检察院", "满意度指标", "", "群众满意度")]
    assert any(f.code == "points" and "50 分" in f.message for f in r.findings)


@pytest.mark.parametrize("labels", [("中期指标", "年度指标"), ("年度指标", "中期指标")])
def test_blocks_side_by_side_named_by_a_label_row_above_the_header(tmp_path, labels):
    left, right = labels
    rows = [["项目名称", "丑项目"], ["绩效指标", left, "", "", right, "", ""],
            ["一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"],
            ["产出指标", "数量指标", "建设道路", "≥30公里", "数量指标", "建设道路", "≥10公里"],
            ["效益指标", "社会效益指标", "通行时间", "缩短", "社会效益指标", "通行时间", "明显缩短"]]
    r, ind = read(book(tmp_path, rows, ("B2:D2", "E2:G2")))
    got = [(x["level3"], x["period_value"], x["annual_value"]) for x in ind]
    if left == "中期指标":
        assert got == [("建设道路", "≥30公里", "≥10公里"), ("通行时间", "缩短", "明显缩短")]
    else:
        assert got == [("建设道路", "≥10公里", "≥30公里"), ("通行时间", "明显缩短", "缩短")]
    assert not [f for f in r.findings if f.code == "columns" and f.severity == WARNING]


def test_blocks_labelled_by_goal_labels_over_the_level2_column(tmp_path):
    _r, ind = read(book(tmp_path, [
        ["项目名称", "寅项目"], ["总体目标", "实施期目标", "", "", "年度目标", "", ""], ["", "五年建成", "", "", "今年开工", "", ""],
        ["一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "建设道路", "≥30公里", "数量指标", "年度建设道路", "≥10公里"]]))
    assert [(x["level3"], x["period_value"], x["annual_value"], x["note"]) for x in ind] == [
        ("年度建设道路", "≥30公里", "≥10公里", "中期三级指标：建设道路")]


@pytest.mark.parametrize(("cell", "budget"), [("年度资金总额：50万元", 500000), ("资金总额(万元): 1,200", 12000000),
                                              ("年度资金总额:86000", 86000)])
def test_a_funds_label_and_its_amount_in_one_cell(tmp_path, cell, budget):
    rows = [["项目名称", "道路维护"], [cell], ["年度目标", "完成道路维护10公里"],
            ["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "维护里程", "≥10公里"]]
    result, indicators = read(book(tmp_path, rows))
    assert list(result.targets.projects["budget"]) == [budget]
    assert [r["level3"] for r in indicators] == ["维护里程"]


def test_a_table_number_on_its_own_line_ends_the_table_above(tmp_path):
    """表十二 | 2023年…绩效目标表 | 项目名称 … twice on one sheet, a side label merged down each table's rows."""
    rows, merges = [], []
    for name, number in (("甲项目", "表十二"), ("乙项目", "附表2-1")):
        top = len(rows) + 4
        rows += [[number], ["2023年一般性项目绩效目标表"], ["专项资金名称", name], ["绩效指标", "指标", "计量单位", "指标值"],
                 ["绩效指标", f"{name}培训人数", "人", "≥100"], ["绩效指标", f"{name}合格率", "%", "≥95"]]
        merges.append(f"A{top}:A{top + 2}")
    result, indicators = read(book(tmp_path, rows, tuple(merges)), 2023)
    assert [(r["project"], r["level3"]) for r in indicators] == [
        ("甲项目", "甲项目培训人数"), ("甲项目", "甲项目合格率"), ("乙项目", "乙项目培训人数"), ("乙项目", "乙项目合格率")]
    assert not any("层级名称" in f.message for f in result.findings)


def test_a_qualitative_row_printed_one_column_to_the_left(tmp_path):
    """指标名称 | 计量单位 | 指标性质 | 指标值, a 定性 row written 名称 | 定性 | 目标 | (empty): the text is the target."""
    rows = [["项目名称", "辅警经费"], ["一级指标", "二级指标", "三级指标", "计量单位", "指标性质", "指标值"],
            ["产出指标", "数量指标", "辅警人数", "人", "=", "512"],
            ["效益指标", "可持续影响指标", "长效机制", "定性", "基本建立", ""],
            ["效益指标", "社会效益指标", "治安状况", "", "定性", "明显改善"]]
    _, indicators = read(book(tmp_path, rows), 2022)
    assert [r["annual_value"] for r in indicators] == ["=512人", "基本建立", "明显改善"]


@pytest.mark.parametrize("grouped", [True, False], ids=["under 区域目标值", "places in the header"])
def test_targets_in_one_column_per_place_are_one_project_per_place(tmp_path, grouped):
    places = ["城关镇", "东坝乡", "西河村"]
    header = ["一级指标", "二级指标", "三级指标", "指标解释"]
    rows = [["专项转移支付绩效目标表"], ["项目名称", "农村饮水补助"], ["资金总额(万元)", "30"]]
    rows += [[*header, "区域目标值", "", ""], header + places] if grouped else [header + places]
    rows += [["产出指标", "数量指标", "新建供水工程", "反映工程数量", "2", "1", "3"],
             ["产出指标", "质量指标", "工程验收合格率", "反映验收情况", "≥95%", "≥95%", "100%"], ["合计", "", "", "", "", "", ""]]
    merges = ("E4:G4", "A4:A5", "B4:B5", "C4:C5", "D4:D5") if grouped else ()
    result, indicators = read(book(tmp_path, rows, merges), 2023)
    assert [(r["project"], r["level3"], r["annual_value"]) for r in indicators] == [
        ("农村饮水补助（城关镇）", "新建供水工程", "2"), ("农村饮水补助（城关镇）", "工程验收合格率", "≥95%"),
        ("农村饮水补助（东坝乡）", "新建供水工程", "1"), ("农村饮水补助（东坝乡）", "工程验收合格率", "≥95%"),
        ("农村饮水补助（西河村）", "新建供水工程", "3"), ("农村饮水补助（西河村）", "工程验收合格率", "100%")]
    assert any("按地区分列" in f.message for f in result.findings)
    assert result.targets.projects["budget"].isna().all()   # 30万 is all places' together, not each one's
    assert any("各地区合计" in f.message and f.severity == "警告" for f in result.findings)


def test_names_ending_in_a_place_word_are_no_place_columns(tmp_path):
    """Indicator names such as 示范区 in the 三级 column, and places in a 备注 column, leave the table as it is."""
    rows = [["项目名称", "园区建设"], ["一级指标", "二级指标", "三级指标", "指标值", "备注"],
            ["产出指标", "数量指标", "建成示范区", "≥2个", "某县"], ["产出指标", "数量指标", "新建工业园区", "≥1个", "某区"]]
    _, indicators = read(book(tmp_path, rows), 2023)
    assert [(r["project"], r["level3"], r["annual_value"]) for r in indicators] == [
        ("园区建设", "建成示范区", "≥2个"), ("园区建设", "新建工业园区", "≥1个")]


def test_side_by_side_blocks_of_other_indicators_and_a_level1_cut_to_one_character(tmp_path):
    """中期 | 年度 blocks whose rows are different indicators, the 一级 printed as 产 (the column too narrow): each
    row is the 年度 block's indicator, the 中期 block's value is not its period value (it is kept in the note)."""
    rows = [["项目名称", "招商工作"], ["总", "中期目标", "", "", "", "年度目标", "", ""],
            ["一级", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"],
            ["产", "数量指标", "签约落地项目", "≥9项", "数量指标", "开展招商活动", "≥5次"],
            ["产", "数量指标", "开展招商活动", "≥15次", "数量指标", "开展招商活动年度", "≥5次"]]
    result, indicators = read(book(tmp_path, rows), 2023)
    assert [(r["level1"], r["level3"], r["period_value"], r["annual_value"]) for r in indicators] == [
        ("产出指标", "开展招商活动", "", "≥5次"), ("产出指标", "开展招商活动年度", "≥15次", "≥5次")]
    assert "签约落地项目（≥9项）" in indicators[0]["note"]
    assert any("只写了“产”一个字" in f.message for f in result.findings)


def test_a_unit_column_right_of_the_indicators_does_not_hide_the_header(tmp_path):
    """一级 | 二级 | 三级 | 指标值 | 责任单位: the unit column right of the names is a column of the table (its text goes to
    the note), not a sign that the row is project information."""
    rows = [["项目名称", "部门整体支出"], ["一级指标", "二级指标", "三级指标", "指标值", "实施单位"],
            ["产出指标", "数量指标", "培训人次", "≥100人次", "办公室"], ["产出指标", "质量指标", "合格率", "≥95%", "业务科"]]
    _, indicators = read(book(tmp_path, rows), 2023)
    assert [(r["level3"], r["annual_value"]) for r in indicators] == [("培训人次", "≥100人次"), ("合格率", "≥95%")]
    assert "办公室" in indicators[0]["note"]
