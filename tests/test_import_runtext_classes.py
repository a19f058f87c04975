"""score import on extracted text, by the classes real pages showed (issue 23): rows one a line run together,
units and 指标性质 in columns of their own, levels told by indentation alone, names wrapped below their row,
level names and header words broken over a line, several tables in one text, trailer lines.

Own fixtures (tests/fixtures/runtext, sources in its README) and short texts for each class; then the
development set's workbooks (../shared/realtables) written out as extracted text in six layouts
(tests/text_layouts.py), each read at least as right as the workbook itself.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from text_layouts import render, workbook_grid

from scoring.findings import INFO, WARNING
from scoring.importer import import_sources, text_rows
from scoring.importer.headers import label

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "runtext"
REAL = next((p for p in (ROOT.parent / "shared" / "realtables", ROOT.parent.parent / "shared" / "realtables")
             if p.is_dir()), None)
needs_real = pytest.mark.skipif(REAL is None, reason="../shared/realtables is not on this machine")


def _norm(text) -> str:
    return "".join(str(text or "").split())


def _indicators(path: Path, year: int = 2023) -> list[tuple[str, str, str, str]]:
    ind = import_sources([path], year).targets.indicators
    return list(zip(ind["level1"], ind["level2"], ind["level3"], ind["annual_value"], strict=True))


def _text_indicators(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    p = tmp_path / "t.txt"
    p.write_text(text, encoding="utf-8")
    return [(_norm(n), _norm(v)) for _l1, _l2, n, v in _indicators(p)]


def _grid(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """The first indicator header of a text's rows, and the rows below it as {header: cell}."""
    from scoring.importer.headers import fields_of

    rows, _notes = text_rows(text.encode("utf-8"), "t.txt")
    for k, row in enumerate(rows):
        fields = {f for c in row.cells if c for f, _p in fields_of(c)[:1]}
        if fields & {"level1", "level2", "level3"} and fields & {"annual_value", "period_value", "actual"}:
            head = [label(c) for c in row.cells]
            return head, [{h: c for h, c in zip(head, r.cells, strict=False) if c.strip()} for r in rows[k + 1:]]
    raise AssertionError("no indicator header")


# --------------------------------------------------------------------------------------------------
# own fixtures
# --------------------------------------------------------------------------------------------------

def test_rows_one_a_line_with_unit_and_nature_columns():
    """Rows run together, one a line, 计量单位 and 指标性质 between the name and the value; the line with
    (盖章) after the table is no indicator."""
    got = _indicators(FIXTURES / "rowlines_units.txt")
    assert [(n, v) for _l1, _l2, n, v in got] == [
        ("养护农村公路里程", "≥186公里"), ("维修桥梁", "=4座"), ("养护路段优良路率", "≥85%"), ("养护资金拨付及时率", "=100%"),
        ("每公里养护补助标准", "≤6500元/公里"), ("群众出行条件改善程度", "逐步改善"), ("沿线群众满意度", "≥90%")]
    assert got[-1][:2] == ("满意度指标", "服务对象满意度指标")


def test_levels_told_by_indentation_only():
    """A 批复表 whose one column holds unit, project, 一级, 二级 and 三级, told apart by indentation; a form's
    note in brackets after a level name (必填硬性指标) is no part of the name (levels.yaml ``bracket_notes``)."""
    result = import_sources([FIXTURES / "indented_tree.txt"], 2021)
    ind = result.targets.indicators
    assert list(zip(ind["level1"], ind["level2"], ind["level3"], ind["annual_value"], strict=True)) == [
        ("产出指标", "数量指标", "年接待读者人次", "≥12万人次"),
        ("产出指标", "数量指标", "举办阅读推广活动场次", "≥40场"),
        ("产出指标", "时效指标", "免费开放天数", "≥300天"),
        ("满意度指标", "服务对象满意度指标", "读者满意度", "≥90%"),
        ("效益指标", "社会效益指标", "全民阅读氛围", "逐步提升")]
    assert set(result.targets.projects["project"]) == {"公共图书馆免费开放补助"}
    notes = [f for f in result.general if f.code == "separator"]
    assert any(f.where == "indented_tree.txt › 第13行" and "500000" in f.message and "没有导入" in f.message for f in notes)
    assert any(f.where == "indented_tree.txt › 第19行" and "按缩进读出" in f.message and "年接待读者人次" in f.message
               for f in notes)


def test_a_name_that_wraps_below_its_row_goes_on_with_it():
    """PDF text of a narrow table: the end of a long name stands on the line below its row."""
    got = _indicators(FIXTURES / "wrapped_names.txt")
    assert [(n, v) for _l1, _l2, n, v in got] == [
        ("农村困难群众临时救助对象人次", "≥1200人次"), ("城乡低保对象动态管理覆盖率", "≥98%"), ("救助资金发放准确率", "100%"),
        ("临时救助审批办结时限", "≤10个工作日"), ("困难群众基本生活保障水平", "有效提升")]
    _rows, notes = text_rows((FIXTURES / "wrapped_names.txt").read_bytes(), "w.txt")
    assert any(n.where == "w.txt › 第2行" and "名称在下一行接续：“象人次”" in n.message for n in notes)


def test_units_one_space_after_their_numbers():
    """A page's text of a Word table (m.wenke99.com): 2000 次, 200 人次; the header 指标 指标内容 指标值 after a
    sentence and run into the first row."""
    head, body = _grid((FIXTURES / "wenke_spaced_units.txt").read_text(encoding="utf-8"))
    assert head == ["指标", "指标内容", "指标值"]
    got = {_norm(r.get("指标内容")): _norm(r.get("指标值")) for r in body if r.get("指标内容")}
    assert got["汇总突发事件季度报告次数"] == "4次"
    assert got["趋势会商会次数"] == "1次"
    assert got["测报员培训人次"] == "200人次"
    assert got["测报准确率"] == "85%"
    assert got["当地主要林业有害生物预报发布率"] == "85%"


def test_two_self_evaluation_tables_in_one_traditional_text():
    """黄冈 自评表 (traditional characters, run together): two tables, each under its own side label
    (年度绩效目标1(40分), 年度绩效目标2(40分)); 得分 19.6 stays in the first; 总分 is no indicator."""
    rows, _notes = text_rows((FIXTURES / "huanggang_traditional_selfeval.txt").read_bytes(), "h.txt")
    headers = [k for k, r in enumerate(rows) if r.cells[:3] == ("一级指标", "二级指标", "三级指标")]
    assert len(headers) == 2
    first = rows[headers[0] + 1:headers[1]]
    assert ("整编资料审核", "98%", "98%", "19.6") in [r.cells[2:6] for r in first]
    assert first[-1].cells == ("年度绩效目标", "2(40分)")          # the second table's side label, alone
    got = _indicators(FIXTURES / "huanggang_traditional_selfeval.txt", 2020)
    assert ("監測數據資料整編", "100%") in [(n, v) for _l1, _l2, n, v in got]    # imported as written
    assert "總分" not in [n for _l1, _l2, n, _v in got]
    assert "总分" not in [n for _l1, _l2, n, _v in got]


# --------------------------------------------------------------------------------------------------
# short texts, one class each
# --------------------------------------------------------------------------------------------------

def test_level_names_broken_over_a_line_and_the_side_label_again(tmp_path):
    text = ("绩效指标 一级指标 二级指标 三级指标 指标值\n绩效指标 项目完成\n指标\n数量指标 发放补助人数 63人\n"
            "质量指标 补助对象认定准确率 100%\n项目效益\n指标\n社会效益\n指标\n受益群众生活改善情况 明显改善\n")
    head, body = _grid(text)
    assert head == ["一级指标", "二级指标", "三级指标", "指标值"]
    assert [r for r in body if r.get("一级指标")] == [{"一级指标": "项目完成指标"}, {"一级指标": "项目效益指标"}]
    assert {"二级指标": "社会效益指标"} in body
    assert _text_indicators(tmp_path, text) == [("发放补助人数", "63人"), ("补助对象认定准确率", "100%"),
                                                ("受益群众生活改善情况", "明显改善")]


def test_spaces_inside_a_placeholder_bracket_are_no_border(tmp_path):
    text = ("一级指标 二级指标 三级指标 指标值 备注\n产出指标 数量指标 景点开发数量( ≥**个 ) >=4个  \n"
            "流转土地面积 >=60亩  \n质量指标 工程验收合格率(≥**%) >=95%  \n")
    _head, body = _grid(text)
    assert [(r["三级指标"], r["指标值"]) for r in body] == [
        ("景点开发数量( ≥**个 )", ">=4个"), ("流转土地面积", ">=60亩"), ("工程验收合格率(≥**%)", ">=95%")]


def test_header_words_broken_over_spaces_and_lines(tmp_path):
    broken = "一级\n指标\n二级指标 三级指标 指标值\n产出指标 数量指标 签约人数 ≥1800人\n涉及乡镇数量 =22个\n"
    assert _grid(broken)[0] == ["一级指标", "二级指标", "三级指标", "指标值"]
    tiled = "绩效 指标一级 指标二级指标三级指标指标值产出 指标数量指标接种率≧90%7岁以下儿童健康管理率≧85%"
    assert _grid(tiled)[0] == ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"][1:]
    assert _text_indicators(tmp_path, tiled) == [("接种率", "≧90%"), ("7岁以下儿童健康管理率", "≧85%")]


def test_a_content_column_that_restates_the_name(tmp_path):
    """三级指标 | 指标内容 | 指标值 | 绩效标准, run together one row a line: the cut between the name and its
    content falls where the content takes the name up again."""
    text = ("一级指标二级指标三级指标指标内容指标值绩效标准\n产出指标数量指标补助人数实际发放补助的人数250人计划标准\n"
            "质量指标发放准确率补助资金发放准确率100%历史标准\n成本指标补助标准每人每月补助标准300元/月/人计划标准\n")
    _head, body = _grid(text)
    assert [(r["三级指标"], r.get("指标内容"), r["指标值"], r["绩效标准"]) for r in body] == [
        ("补助人数", "实际发放补助的人数", "250人", "计划标准"), ("发放准确率", "补助资金发放准确率", "100%", "历史标准"),
        ("补助标准", "每人每月补助标准", "300元/月/人", "计划标准")]


def test_a_level_header_run_together_before_the_known_ones():
    head, _body = _grid("评价指标评价内容指标名称指标说明目标值分值\n项目绩效目标产出指标资助人数达到预计值2100人10\n")
    assert head[:3] == ["评价指标", "评价内容", "指标名称"]


def test_the_title_of_another_table_ends_a_body(tmp_path):
    """OCR text of two tables one after the other: the second table's title and labels are no row of the
    first; a level name written twice is the 二级 and the name."""
    text = ("一级指标二级指标三级指标指标目标值产出指标数量指标免费开放天数=300天满意度指标服务对象满意度服务对象满意度%=99"
            "百分比省级部门预算项目支出绩效目标表2023年度一级项目名称公共文化服务专项资金项目开始日期2023-01-01")
    assert _text_indicators(tmp_path, text) == [("免费开放天数", "=300天"), ("服务对象满意度%", "=99百分比")]


def test_a_line_with_a_seal_after_the_table_is_no_row(tmp_path):
    text = ("一级指标 二级指标 三级指标 指标值\n产出指标 数量指标 培训人次 >=300人次\n质量指标 培训合格率 >=95%\n"
            "财政部门初审意见 (盖章)\n区扶贫办审核意见 (盖章)\n")
    assert _text_indicators(tmp_path, text) == [("培训人次", ">=300人次"), ("培训合格率", ">=95%")]
    _rows, notes = text_rows(text.encode("utf-8"), "t.txt")
    assert not any("初审意见" in n.message for n in notes if n.severity == INFO and "切分为" in n.message)


def test_numbered_rows_whose_value_is_a_unit_alone(tmp_path):
    """A template whose numbers were never filled in: the unit alone is the row's value, 指标2: begins a row."""
    text = ("一级指标 二级指标 三级指标 指标值\n产出指标 数量指标 指标1:新建堤防长度 公里\n指标2:灌区节水改造面积 万亩\n"
            "指标3:饮水工程覆盖人口数 万人\n")
    _head, body = _grid(text)
    assert [(r["三级指标"], r["指标值"]) for r in body] == [
        ("指标1:新建堤防长度", "公里"), ("指标2:灌区节水改造面积", "万亩"), ("指标3:饮水工程覆盖人口数", "万人")]


def test_a_row_that_cannot_be_cut_is_reported_not_guessed():
    """A text that stops inside a name's continuation: the fragment is reported at its line."""
    text = "一级指标 二级指标 三级指标 指标值\n产出指标 数量指标 临时救助对 ≥1200人次\n城乡低保对象动态管理 ≥98%\n覆盖"
    _rows, notes = text_rows(text.encode("utf-8"), "c.txt")
    lost = [n for n in notes if n.severity == WARNING]
    assert any("“覆盖”" in n.message and n.where == "c.txt › 第3行" for n in lost)


# --------------------------------------------------------------------------------------------------
# the development set's workbooks written out as extracted text
# --------------------------------------------------------------------------------------------------

LAYOUT_CASES = [   # (table, layouts) read at least as right as the workbook, with no more invented rows
    ("ah_jinzhai_chagu_2023", ("spaced", "onespace", "cellines")),
    ("cq_fengjie_yunwu_2023", ("together", "rowlines", "spaced", "onespace", "cellines", "wrapped")),
    ("cq_wuxi_weifang_2025", ("together", "rowlines", "spaced", "onespace", "cellines")),
    ("gd_jiaoyuting_gaoxiao_2021", ("spaced", "onespace", "cellines", "wrapped")),
    ("gd_lechang_zhongzhi_2018", ("together", "rowlines", "spaced", "onespace", "cellines")),
    ("hub_ezhou_jiguan_2022", ("together", "rowlines", "spaced", "onespace", "cellines")),
    ("hun_yueyanglou_jiage_2023", ("cellines",)),
    ("js_yixing_gongwei_2016", ("cellines",)),
    ("sc_anju_shipin_2021", ("together", "rowlines", "spaced", "onespace", "cellines")),
    ("sc_zhongjiang_shuili_2022", ("together", "rowlines", "spaced", "onespace", "cellines")),
    ("sn_chencang_shuili_2020", ("spaced", "onespace")),
]


def _pairs(paths: list[Path], year: int) -> Counter:
    from scoring.findings import ScoreError

    try:
        ind = import_sources(paths, year).targets.indicators
    except ScoreError:
        return Counter()
    return Counter((_norm(a), _norm(b)) for a, b in zip(ind["level3"], ind["annual_value"], strict=True))


@needs_real
@pytest.mark.parametrize(("name", "layout"), [(n, lay) for n, lays in LAYOUT_CASES for lay in lays])
def test_a_real_table_written_out_as_text_reads_as_its_workbook(name, layout, tmp_path):
    folder = REAL / name
    year = int((folder / "year.txt").read_text())
    gold = Counter((_norm(r["level3"]), _norm(r["annual_value"]))
                   for r in csv.DictReader(open(folder / "gold.csv", encoding="utf-8", newline="")))
    book = _pairs([folder / "source.xlsx"], year)
    text = tmp_path / "source.txt"
    text.write_text(render(workbook_grid(folder / "source.xlsx"), layout), encoding="utf-8")
    got = _pairs([text], year)
    assert sum((gold & got).values()) >= sum((gold & book).values())
    assert sum((got - gold).values()) <= sum((book - gold).values())
