"""score import on extracted text: classes of the blind set's text inputs (``evaluation/realtables_blind``, its
``source.txt``) that the text reader did not read, each tested on the real text where it was found and on a
short text of the same class written differently.
"""

from __future__ import annotations

import re
from pathlib import Path

from scoring.importer import import_sources

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "evaluation" / "realtables_blind"


def real(folder: str):
    path = BLIND / folder
    return import_sources([path / "source.txt"], int((path / "year.txt").read_text(encoding="utf-8").strip()))


def text_import(tmp_path: Path, text: str, year: int = 2023):
    p = tmp_path / "t.txt"
    p.write_text(text, encoding="utf-8")
    return import_sources([p], year)


def pairs(result) -> list[tuple[str, str]]:
    ind = result.targets.indicators
    return [(re.sub(r"\s+", "", n), re.sub(r"\s+", "", v)) for n, v in zip(ind["level3"], ind["annual_value"], strict=True)]


# -- rows run together one a line, level names wrapped over two lines ----------------------------------------
def test_rows_run_together_under_wrapped_level_names_keep_their_inferred_cuts():
    """阆中 自评表: each row run together on its line (``按期完成投资1010``), the level names wrapped (``社会效益`` /
    ``指标``) so that the stretches between line breaks are short; they are still run together, not cells apart
    at single spaces, and the number written twice is the target and the actual."""
    got = pairs(real("sc_langzhong_chegoushui_2021"))
    for pair in [("建设符合验收要求", "20"), ("按期完成投资", "10"), ("基本公共服务水平", "10"),
                 ("交通建设符合环评审批要求", "10"), ("改善通行服务水平群众满意度", "20")]:
        assert pair in got


def test_rows_run_together_under_wrapped_level_names_in_another_table(tmp_path):
    text = ("项目名称 某乡道路养护\n绩效指标一级\n指标\n二级指标三级指标年度指标值实际完成值偏差原因\n\n"
            "产出\n指标\n数量\n指标\n养护道路里程8公里8公里\n\n\n效益\n指标\n社会效益\n指标\n群众出行改善程度1515\n\n\n"
            "满意度\n指标\n服务对象\n满意度指标\n沿线群众满意度≥90%95%\n\n")
    assert pairs(text_import(tmp_path, text)) == [("养护道路里程", "8公里"), ("群众出行改善程度", "15"),
                                                  ("沿线群众满意度", "≥90%")]


# -- counters of events and cases: 0起, 14例 -----------------------------------------------------------------
def test_events_and_cases_are_counted_in_their_units():
    """衡山 自评表: ``…安全事件发生数0起0起市民满意度调查…``: 起 is the unit of the target, not the start of the next
    name."""
    got = pairs(real("hun_hengshan_chubeiliang_2020"))
    assert ("因粮食市场波动引起的粮食安全事件发生数", "0起") in got
    assert ("市民满意度调查", "290%") in got
    assert not [n for n, _v in got if n.startswith("起")]


def test_events_and_cases_in_another_table(tmp_path):
    text = ("一级指标二级指标三级指标年度指标值实际完成值\n产出指标数量指标重大安全事故发生数0起0起传染病报告数≥10例14例"
            "质量指标病例随访率≥95%97%\n")
    assert pairs(text_import(tmp_path, text)) == [("重大安全事故发生数", "0起"), ("传染病报告数", "≥10例"),
                                                  ("病例随访率", "≥95%")]


# -- a name holding a list of quantities -----------------------------------------------------------------------
def test_a_name_listing_quantities_is_not_cut_after_its_list_mark():
    """衡山 自评表: ``5000吨稻谷、500吨成品粮储备到位率100%100%``: a cell never ends with the mark between the items
    of a list, so 500吨 is no target but part of the name."""
    got = pairs(real("hun_hengshan_chubeiliang_2020"))
    assert ("5000吨稻谷、500吨成品粮储备到位率", "100%") in got
    assert "5000吨稻谷、" not in [n for n, _v in got]


def test_a_name_listing_quantities_in_another_table(tmp_path):
    text = ("一级指标二级指标三级指标年度指标值实际完成值\n产出指标数量指标2000支疫苗、5000支注射器到货及时率≥95%98%"
            "质量指标设备完好率≥90%95%\n")
    assert pairs(text_import(tmp_path, text)) == [("2000支疫苗、5000支注射器到货及时率", "≥95%"), ("设备完好率", "≥90%")]


# -- a row of points only among rows of quantities -------------------------------------------------------------
def _weights(result) -> dict[str, str]:
    ind = result.targets.indicators
    return {re.sub(r"\s+", "", n): str(w) for n, w in zip(ind["level3"], ind["weight"], strict=True)}


def test_a_row_of_points_only_leaves_the_quantity_columns_empty():
    """萧县 衔接资金 自评表: ``★补助各类粮食作物种植面积 10 10`` under 分值 | 年度指标值 | 全年实际值 | 得分, among rows
    whose targets are quantities with units (红薯种植面积 5.5亩 5.5亩): the two numbers are 分值 and 得分, and the
    row is an indicator without a target."""
    result = real("ah_xiaoxian_yanglou_2023")
    got = pairs(result)
    for name in ("★补助各类粮食作物种植面积", "★补助各类瓜果蔬菜种植面积", "★补助家畜家禽养殖数量"):
        assert (name, "") in got
        assert _weights(result)[name] in ("10", "10.0")
    assert ("红薯种植面积", "5.5亩") in got


def test_a_row_of_points_only_in_another_table(tmp_path):
    text = ("一级指标 二级指标 三级指标 分值 年度指标值 全年实际值 得分\n"
            "产出指标 数量指标 ★改造农村道路总里程 20 18\n 东村道路改造长度 3公里 3公里\n 西村道路改造长度 2.5公里 2公里\n"
            " 南村道路改造长度 4公里 4公里\n 北村道路改造长度 1公里 1公里\n质量指标 ★道路验收合格率 10 ≥95% 100% 10\n")
    result = text_import(tmp_path, text)
    assert pairs(result) == [("★改造农村道路总里程", ""), ("东村道路改造长度", "3公里"), ("西村道路改造长度", "2.5公里"),
                             ("南村道路改造长度", "4公里"), ("北村道路改造长度", "1公里"), ("★道路验收合格率", "≥95%")]
    assert _weights(result)["★改造农村道路总里程"] in ("20", "20.0")


# -- numbers of several columns run together ---------------------------------------------------------------------
def test_numbers_of_target_weight_result_and_score_run_together_are_split_by_the_table():
    """梁平 部门整体自评表: ``天然林和公益林管护当期任务完成率%901010010`` under 计量单位 | 指标性质 | 指标值 | 指标权重 |
    全年完成值 | 指标得分: 90 | 10 | 100 | 10, the weights alike down the table; the unit column's 万亩 keeps its
    multiplier (28万亩), and ``2110110天保工程区…`` is 21 | 10 | 1 | 10 before the next name, not 2110110天."""
    result = real("cq_liangping_linye_2022")
    assert pairs(result) == [("天然林和公益林管护当期任务完成率", "90%"), ("国家级公益林管护面积", "28万亩"),
                             ("森林抚育(营林)面积", "21万亩"), ("天保工程区森林资源管护面积", "250万亩"),
                             ("森林火灾受害率", "0.9%"), ("主要林业有害生物成灾率", "0.4%")]
    assert set(_weights(result).values()) <= {"10", "10.0"}


def test_numbers_run_together_in_another_table(tmp_path):
    text = ("部门整体绩效自评表\n绩效指标指标名称计量单位指标值指标权重(分)全年完成值指标得分(分)\n"
            "办理案件数量件1201512015办案质量合格率%98159715群众满意度%90159213.5公开信息条数条60156015\n")
    result = text_import(tmp_path, text)
    assert pairs(result) == [("办理案件数量", "120件"), ("办案质量合格率", "98%"), ("群众满意度", "90%"),
                             ("公开信息条数", "60条")]
    assert _weights(result)["群众满意度"] in ("15", "15.0")


# -- a row a line, its value cells wrapped onto the lines below ----------------------------------------------------
def test_value_cells_wrapped_below_their_row_go_on_with_it():
    """扎赉特旗 项目绩效目标表: one row a line, but ``…标准化规范化配置 定性`` / ``长期`` / ``15``: the target and the
    points of a 定性 row stand each on a line of its own below it; they go on with the row, the target is not
    part of the name, and the 5 of one row does not start the next row's name."""
    got = pairs(real("nmg_zhalaite_jianchayuan_2025"))
    assert ("推动人民检察院业务装备建设的标准化规范化配置", "长期") in got
    assert ("采购计划完成时间", "11月底之前") in got
    assert ("设备验收及时率", "大于等于98%") in got


def test_value_cells_wrapped_below_their_row_in_another_table(tmp_path):
    text = ("一级指标 二级指标 三级指标 指标性质 目标值 计量单位 分值\n"
            "产出指标 数量指标 培训人次 定量 200 人次 10\n质量指标 培训合格率 定量 95 % 10\n"
            "时效指标 培训完成时间 定性\n年底前完成\n10\n"
            "效益指标 社会效益 群众法治意识 定性\n明显提高\n20\n满意度指标 服务对象满意度 参训人员满意度 定量 90 % 10\n")
    assert pairs(text_import(tmp_path, text)) == [("培训人次", "200人次"), ("培训合格率", "95%"),
                                                  ("培训完成时间", "年底前完成"), ("群众法治意识", "明显提高"),
                                                  ("参训人员满意度", "90%")]
