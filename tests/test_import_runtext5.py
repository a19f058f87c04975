"""score import on extracted text: classes of the third blind set's text inputs (``evaluation/realtables_blind3``,
now developed on) that the text reader did not read, each tested on the real text where it was found and on a
short text of the same class written differently.
"""

from __future__ import annotations

from pathlib import Path

from test_import_runtext3 import pairs, text_import

from scoring.importer import import_sources

ROOT = Path(__file__).resolve().parent.parent
BLIND3 = ROOT / "evaluation" / "realtables_blind3"


def real(folder: str):
    path = BLIND3 / folder
    return import_sources([path / "source.txt"], int((path / "year.txt").read_text(encoding="utf-8").strip()))


# -- traditional characters in run-together text: names and values kept as written ----------------------------
def test_run_together_traditional_text_keeps_names_as_written():
    """宁德 自评报告's 定量目标 table in traditional characters, run together on one line: read in simplified
    characters, imported as written (人才驛站, not 人才驿站), as the grid formats of the same table are."""
    got = pairs(real("fj_ningde_rencai_2023"))
    for pair in [("當年人才驛站組織活動數量", ">=28次"), ("每年人才驛站服務人次", ">=500人"),
                 ("各類人才對我市人才政策的知曉率", ">=95%"), ("人才驛站補助資金到位率", ">=100%")]:
        assert pair in got
    assert not [n for n, _v in got if "驿" in n or "类" in n]


def test_traditional_text_with_a_header_line_keeps_names_as_written(tmp_path):
    text = ("項目名稱 社區圖書館運營\n一級指標二級指標三級指標年度指標值\n產出指標數量指標開放天數≥300天\n"
            "質量指標圖書借閱滿意度≥90%\n效益指標社會效益指標惠及讀者人數≥5000人\n")
    result = text_import(tmp_path, text)
    assert pairs(result) == [("開放天數", "≥300天"), ("圖書借閱滿意度", "≥90%"), ("惠及讀者人數", "≥5000人")]
    ind = result.targets.indicators
    assert list(ind["level2"]) == ["数量指标", "质量指标", "社会效益指标"]     # levels: the national names
    assert list(result.targets.projects["project"]) == ["社區圖書館運營"]


# -- one header word over the 一级 and 二级 columns --------------------------------------------------------------
def test_header_word_over_both_level_columns_leaves_the_level_out_of_the_name():
    """宁德: ``評價內容`` stands over the 一级 and 二级 columns, so the text has one header word where the rows
    begin with two level names (``產出目標數量目標當年獲得…``): the 二级 is no part of the first name."""
    result = real("fj_ningde_rencai_2023")
    assert ("當年獲得寧德市級以上確認的人才驛站數量", ">=2個") in pairs(result)
    ind = result.targets.indicators
    assert list(ind["level2"]) == ["数量指标"] * 3 + ["质量指标"] * 2


def test_header_word_over_both_level_columns_in_another_table(tmp_path):
    text = ("附表1 项目年度绩效目标\n评价内容绩效内容绩效目标值实际完成值\n效益目标社会效益目标受益农户数≥120户130户"
            "带动就业人数≥30人32人满意度目标服务对象满意度目标农户满意度≥90%93%\n")
    result = text_import(tmp_path, text)
    assert pairs(result) == [("受益农户数", "≥120户"), ("带动就业人数", "≥30人"), ("农户满意度", "≥90%")]
    assert list(result.targets.indicators["level2"]) == ["社会效益指标", "社会效益指标", "服务对象满意度指标"]


# -- one value column per place, the digits of the places run together -----------------------------------------
def _by_project(result) -> dict[str, list[tuple[str, str]]]:
    ind = result.targets.indicators
    out: dict[str, list[tuple[str, str]]] = {}
    for p, n, v in zip(ind["project"], ind["level3"], ind["annual_value"], strict=True):
        out.setdefault(p, []).append((n, v))
    return out


def test_place_columns_run_together_are_one_project_each():
    """龙岩 专项转移支付绩效目标表: ``区域目标值`` over seven counties, names and digits run together
    (``…数量情况2312222质量指标…>=95%>=95%…``): one project per county, one digit each, as the grid formats read it."""
    got = _by_project(real("fj_longyan_minzong_2023"))
    assert len(got) == 7
    counts = [dict(v)["宗教管理经费补助县(市、区)数量"] for v in got.values()]
    assert counts == ["2", "3", "1", "2", "2", "2", "2"]
    assert all(dict(v)["项目资金使用合规性"] == ">=95%" for v in got.values())
    assert [p[-5:] for p in got] == ["（新罗区）", "（永定区）", "（上杭县）", "（武平县）", "（长汀县）", "（连城县）", "（漳平市）"]


def test_place_columns_run_together_in_another_table(tmp_path):
    text = ("专项资金绩效目标表\n项目名称 农村道路养护补助\n一级指标二级指标三级指标目标值城关镇东坝乡西河镇"
            "产出指标数量指标养护道路条数453质量指标养护合格率≥90%≥90%≥95%\n")
    got = _by_project(text_import(tmp_path, text))
    assert got == {"农村道路养护补助（城关镇）": [("养护道路条数", "4"), ("养护合格率", "≥90%")],
                   "农村道路养护补助（东坝乡）": [("养护道路条数", "5"), ("养护合格率", "≥90%")],
                   "农村道路养护补助（西河镇）": [("养护道路条数", "3"), ("养护合格率", "≥95%")]}


def test_place_digits_split_only_one_way():
    """A string of digits under the places is split only where one split alone fits (no leading zero)."""
    from scoring.importer.textplaces import place_names, place_splits

    assert place_splits("甲453乙", 3) == {(1, 4): ("4", "5", "3")}
    assert place_splits("甲4531乙", 3) == {}           # 45|3|1, 4|53|1, 4|5|31: not one way
    assert place_splits("甲1000乙", 3) == {}           # 10|0|0, or 1000 under one place and the others empty
    assert place_names("城关镇东坝乡") == ["城关镇", "东坝乡"]


# -- a target sentence that compares with a baseline, its actual repeating the sentence's end -------------------
def test_target_sentence_against_a_baseline_is_not_part_of_the_name():
    """宁夏 福彩 自评表 (image-recognition text): ``提升彩票销量,筹集更多彩票公益金同比2022年销量显著提高显著提高``
    is name | target | actual: 同比 opens the target (a change against 2022), 2022年 is its baseline, not a value."""
    got = pairs(real("nx_fucai_caipiao_2023"))
    assert ("拓展彩票销售渠道,捉升彩票销售量", "同比2022年销量显著提高") in got
    assert ("提升彩票销量,筹集更多彩票公益金", "同比2022年销量显著提高") in got
    assert ("项目建设成本", "≤50万元") in got


def test_target_sentence_against_a_baseline_year_in_another_table(tmp_path):
    text = ("项目名称 全民健身活动补助\n一级指标二级指标三级指标年度指标值实际完成值\n产出指标数量指标举办赛事场次≥12场14场\n"
            "效益指标社会效益指标扩大群众参与健身人群较2022年参与人数明显增加明显增加\n"
            "满意度指标服务对象满意度指标参赛群众满意度≥90%95%\n")
    assert pairs(text_import(tmp_path, text)) == [("举办赛事场次", "≥12场"), ("扩大群众参与健身人群", "较2022年参与人数明显增加"),
                                                  ("参赛群众满意度", "≥90%")]


def test_a_name_that_holds_a_baseline_word_stays_whole(tmp_path):
    """同比 inside a name that ends as a name (销售额同比增长率) opens no target."""
    text = ("项目名称 农产品展销补助\n一级指标二级指标三级指标年度指标值实际完成值\n产出指标数量指标举办展销会场次≥4场5场\n"
            "效益指标经济效益指标农产品销售额同比增长率≥5%6%\n")
    assert pairs(text_import(tmp_path, text)) == [("举办展销会场次", "≥4场"), ("农产品销售额同比增长率", "≥5%")]


# -- a 二级 name written twice: the second begins the 三级 name -----------------------------------------------------
def test_a_second_level_name_written_twice_begins_the_name():
    """福彩: ``产出指标数量指标数量指标福彩APP系统改版升级100%100%``: the 三级 cell itself begins with 数量指标 (a 二级 is
    never under itself), so the name keeps it, as the grid formats of the table read it."""
    got = pairs(real("nx_fucai_caipiao_2023"))
    assert ("数量指标福彩APP系统改版升级", "100%") in got
    assert ("福彩APP系统改版升级", "100%") not in got


def test_a_second_level_name_written_twice_in_another_table(tmp_path):
    """The same with 时效指标; 满意度指标 twice is a 一级 and its 二级 of that name (a 一级 may be), not a name."""
    text = ("项目名称 乡村道路维护\n一级指标二级指标三级指标年度指标值实际完成值\n产出指标时效指标时效指标完成时限12月底前12月底前\n"
            "满意度指标满意度指标群众满意度≥90%95%\n")
    assert pairs(text_import(tmp_path, text)) == [("时效指标完成时限", "12月底前"), ("群众满意度", "≥90%")]
