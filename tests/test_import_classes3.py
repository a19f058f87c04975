"""score import: the failure classes found on the third set of real tables (``evaluation/realtables_blind``, now a
development set), each fixed as a class and tested twice — on the real table where it was found, and on a table
of the same class written differently (``tests/fixtures/classes``, every format, every field compared by
``tests/test_import_classes.py``; short texts for the text classes).

The classes: a 评价 table with 分值 and 评分标准 but no target column; a level cell holding only its points
(``(50分)``); level cells left blank above the first level name; empty template slots (``指标2:``, OCR'd
``指标L``); points under a header the vocabulary does not know, told by their sum; a unit-code line with the
money unit beside it; a level name whose points lost their opening bracket (``效益指标30分)``); in extracted
text, header cells wrapped onto the next line (``年度`` / ``指标值``) and line breaks inside cells left as
single spaces (``绩 效 指 标``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring.findings import WARNING
from scoring.importer import import_sources
from scoring.importer.headers import find_header
from scoring.importer.linekinds import is_info_line
from scoring.language import levels

ROOT = Path(__file__).resolve().parent.parent
CLASSES = ROOT / "tests" / "fixtures" / "classes"
BLIND = ROOT / "evaluation" / "realtables_blind"
GRID = ("xlsx", "xls", "docx", "pdf")


def imported(folder: Path, fmt: str = "xlsx"):
    year = int((folder / "year.txt").read_text(encoding="utf-8").strip())
    return import_sources([folder / f"source.{fmt}"], year)


def pairs(result) -> list[tuple[str, str]]:
    ind = result.targets.indicators
    return [(re.sub(r"\s+", "", n), re.sub(r"\s+", "", v)) for n, v in zip(ind["level3"], ind["annual_value"], strict=True)]


def messages(result) -> str:
    return "\n".join(f"{f.where}：{f.message}" for f in result.findings)


def text_import(tmp_path: Path, text: str, year: int = 2023):
    p = tmp_path / "t.txt"
    p.write_text(text, encoding="utf-8")
    return import_sources([p], year)


# -- a 评价 table: 分值 and 评分标准, no target column ----------------------------------------------------
@pytest.mark.parametrize("fmt", GRID)
def test_a_rating_table_without_a_target_column_is_read_with_empty_targets(fmt):
    r = imported(BLIND / "ah_shouxian_zhengti_2023", fmt)   # 指标分值 | 指标解释 | 指标说明及评分标准 | 自评得分
    ind = r.targets.indicators
    assert list(ind["level3"].str.replace("\n", "")) == ["基础信息完整性", "年度工作计划完整性", "年度工作计划明确性",
                                                          "年度绩效目标合理性", "年度绩效目标明确性"]
    assert list(ind["weight"]) == [3, 3, 3, 4, 2] and set(ind["annual_value"]) == {""}
    assert ind["criteria"].iloc[0].startswith("1、基础数据信息是否真实")
    assert messages(r).count("这张表没有指标值（目标值）列") == 1


def test_a_rating_table_keeps_its_criteria_and_its_level1_as_written():
    r = imported(CLASSES / "rating_only")   # 分值 | 评分标准 | 得分 under a 单位: line
    ind = r.targets.indicators
    assert list(ind["criteria"])[1] == "指标细化、量化的得6分,否则酌情扣分"
    assert list(ind["level1_original"]) == ["决策(20分)"] * 3 + ["过程(30分)"] * 2
    assert "当年度指标值一栏" not in messages(r)          # said once for the table, not once a row


def test_a_name_header_with_no_value_or_points_column_is_still_no_header():
    assert find_header(["一级指标", "二级指标", "三级指标", "备注"], None) is None
    assert find_header(["三级指标", "分值"], None) is None           # a 分值 list with no level: no table
    assert find_header(["一级指标", "二级指标", "三级指标", "分值"], None) is not None


# -- level cells that hold only points, or nothing ------------------------------------------------------
@pytest.mark.parametrize("fmt", GRID)
def test_a_level1_cell_holding_only_its_points_names_no_level(fmt):
    r = imported(BLIND / "ah_xiaoxian_yanglou_2023", fmt)   # (50分) | 数量指标 | ★… / indented names
    ind = r.targets.indicators
    assert len(ind) == 12 and set(ind["level1"]) == {"产出指标"} and set(ind["level2"]) == {"数量指标"}
    assert list(ind["weight"].fillna(0))[:2] == [10, 0] and list(ind["annual_value"])[:2] == ["", "5.5亩"]
    assert "一级指标列只写了分值“(50分)”" in messages(r)


@pytest.mark.parametrize("folder, first, count", [("nmg_wuchuan_minwei_2021", "贫困地区新增特色产业数量", 11),
                                                  ("sx_jishan_gongwei_2021", "指标1:居民健康档案", 23)])
def test_rows_whose_level_cells_are_blank_are_read_with_no_level_and_flagged(folder, first, count):
    r = imported(BLIND / folder)
    ind = r.targets.indicators
    assert len(ind) == count and ind.iloc[0]["level3"] == first and ind.iloc[0]["level1"] == ""
    found = [f for f in r.findings if "一级、二级指标列是空的" in f.message]
    assert len(found) == 1 and found[0].severity == WARNING
    assert "没有三级指标名称" in messages(r) if folder.startswith("sx") else True   # the two nameless rows: listed


def test_blank_levels_points_only_cells_slots_and_unknown_points_header_together():
    r = imported(CLASSES / "levels_unwritten")
    ind = r.targets.indicators
    assert list(ind["level1"]) == ["", "", "产出指标", "效益指标", "满意度指标"]
    assert list(ind["weight"]) == [15, 15, 10, 30, 30]       # 参考分: numbers adding up to 100
    assert "第4列“参考分”各行是数字且合计为满分" in messages(r)
    assert messages(r).count("模板中没有填写的指标空位") == 3     # 目标3: 目标2: 指标L


def test_blank_level_cells_in_text_cut_into_cells_are_no_evidence(tmp_path):
    text = ("项目名称 某项目\n一级指标二级指标三级指标指标值\n某单位办案经费776001-某县人民检察院\n"
            "产出指标数量指标办结案件数量≥70件\n")
    r = text_import(tmp_path, text)
    assert pairs(r) == [("办结案件数量", "≥70件")]


# -- empty template slots; points told by their sum ---------------------------------------------------------
@pytest.mark.parametrize("fmt", GRID)
def test_empty_template_slots_are_no_indicators(fmt):
    r = imported(BLIND / "nx_yinchuan_gongyong_2021", fmt)   # 指标2: / 指标1: / 指标L with nothing after them
    ind = r.targets.indicators
    assert len(ind) == 16 and not ind["level3"].str.match(r"^指标.{0,2}[:：]?$").any()
    assert ind["weight"].sum() == 90                            # 考值参分 (参考分值 OCR'd): by the sum
    assert ind.iloc[0]["weight"] == 4


def test_a_slot_with_a_value_is_an_indicator(tmp_path):
    text = "项目名称\t某项目\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t指标1:\t≥3次\n"
    assert pairs(text_import(tmp_path, text)) == [("指标1:", "≥3次")]


# -- a unit-code line with the money unit beside it -----------------------------------------------------
@pytest.mark.parametrize("fmt", GRID)
def test_a_unit_code_line_with_the_money_unit_heads_a_table_and_is_no_indicator(fmt):
    r = imported(BLIND / "tj_hebei_fayuan_2023", fmt)
    assert len(r.targets.indicators) == 11
    assert not r.targets.indicators["level3"].str.contains("207101").any()


def test_unit_code_lines_with_a_money_unit_split_the_projects():
    assert is_info_line(["302015某区教育局", "金额单位:元"]) and not is_info_line(["302015某区教育局", "≥90%"])
    r = imported(CLASSES / "unit_code_lines")
    counts = r.targets.indicators.groupby("project", sort=False).size().to_dict()
    assert counts == {"学生营养餐补助": 3, "校舍维修": 3}


# -- points whose opening bracket was lost --------------------------------------------------------------------
@pytest.mark.parametrize("fmt", GRID)
def test_a_level_name_with_damaged_points_is_still_a_level_name(fmt):
    r = imported(BLIND / "hun_lingling_linye_2021", fmt)    # 效益指标\n30分)
    ind = r.targets.indicators
    assert len(ind) == 10 and list(ind["level1"])[-3:] == ["效益指标"] * 3
    assert list(ind["level3"])[-3:] == ["木材销售收入", "林产品收入", "提高就业率"]


def test_damaged_points_in_other_writings():
    assert levels.canonical("产出指标50分）") == "产出指标" and levels.points("满意度指标10分)") == 10
    assert levels.canonical("效益指标30分") == "效益指标"


# -- extracted text: header cells wrapped onto the next line ----------------------------------------------------
def test_header_cells_wrapped_onto_the_next_line_are_joined():
    r = imported(BLIND / "ah_yuan_wenwu_2022", "txt")     # 年度 实际 … / 指标值 完成值
    got = pairs(r)
    assert ("指标2:修缮建筑面积", "6000平方米") in got and ("指标3:文明施工", "≥95%") in got and len(got) >= 9


def test_header_cells_wrapped_in_another_table(tmp_path):
    text = ("项目名称 社区养老服务补助\n一级指标 二级指标 三级指标 本年度 全年 分值\n指标值 实际值\n"
            "产出指标 数量指标 服务老人人数 ≥500人 520人 20\n质量指标 服务合格率 ≥95% 97% 20\n"
            "效益指标 社会效益指标 养老服务水平 明显提升 明显提升 30\n满意度指标 服务对象满意度指标 老人满意度 ≥90% 93% 30\n")
    r = text_import(tmp_path, text)
    assert pairs(r) == [("服务老人人数", "≥500人"), ("服务合格率", "≥95%"), ("养老服务水平", "明显提升"),
                        ("老人满意度", "≥90%")]
    assert list(r.targets.indicators["weight"]) == [20, 20, 30, 30]


# -- extracted text: line breaks inside cells left as single spaces -------------------------------------------
def test_single_spaces_left_by_wraps_inside_cells_are_taken_out():
    r = imported(BLIND / "hun_hengshan_chubeiliang_2020", "txt")   # 绩 效 指 标 / 一级 指标二级 指标…
    got = pairs(r)
    assert ("库存数量真实率", "100%") in got and ("食品安全指标达标率", "100%") in got and len(got) >= 14
    assert "去掉这些单个空格后按连写的单元格读取" in messages(r)


def test_single_spaces_left_by_wraps_in_another_table(tmp_path):
    text = ("项目名称城区绿化养护主管部门某区园林局绩 效 指 标一级 指标二级 指标三级指标年度指标 值产 出 指 标数量 指标"
            "养护绿地面 积≥120万平方米质量 指标苗木成活 率≥95%效 益 指 标生态 效益 指标城区绿化覆盖 率≥40%满意 度指 标"
            "服务 对象 满意 度指 标市民满意 度≥90%\n")
    r = text_import(tmp_path, text)
    assert pairs(r) == [("养护绿地面积", "≥120万平方米"), ("苗木成活率", "≥95%"), ("城区绿化覆盖率", "≥40%"),
                        ("市民满意度", "≥90%")]


# -- extracted text: the same number twice (target and actual), chunk numbers of a stored text -------------------
def test_the_same_number_written_twice_is_the_target_and_the_actual(tmp_path):
    text = ("项目名称 某项目\n绩效指标一级指标二级指标三级指标指标值全年实际完成值未完成原因和改进措施\n"
            "产出指标数量指标按期完成投资1010\n\n\n质量指标建设符合验收要求2020\n\n\n")
    assert pairs(text_import(tmp_path, text)) == [("按期完成投资", "10"), ("建设符合验收要求", "20")]


def test_chunk_numbers_of_a_stored_text_are_taken_out():
    r = imported(BLIND / "hun_hengshan_chubeiliang_2020", "txt")     # …库存数量真实率100%\n2、100%质量…
    assert "第2段起每段开头另起一行写着段号" in messages(r)
    assert not any(v.startswith(("2、", "3、")) for _n, v in pairs(r))


def test_chunk_numbers_in_another_text_and_a_real_enumeration_kept(tmp_path):
    text = ("项目名称某项目一级指标二级指标三级指标指标值产出指标数量指标培训人数≥100人质量指标培训合格\n"
            "2、率≥95%满意度指标服务对象满意度指标学员满意度≥90%\n")
    r = text_import(tmp_path, text)
    assert pairs(r) == [("培训人数", "≥100人"), ("培训合格率", "≥95%"), ("学员满意度", "≥90%")]
    listed = ("项目名称某项目一级指标二级指标三级指标指标值产出指标数量指标培训人数≥100人\n"
              "说明:1、按年度填报\n2、按季度汇总\n")
    assert "段号" not in messages(text_import(tmp_path, listed))     # 1、 before 2、: an enumeration, kept
