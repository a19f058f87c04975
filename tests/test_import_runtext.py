"""score import on text whose table cells are not separated by tabs or aligned spaces (issue 23).

PDF/Word extraction runs a table's cells together (``数量指标办公大楼日常维修维护次数反映……2280次…``),
sets them apart by single spaces, writes one cell a line, or reads the table one column at a time.
The three real extracted texts of ``../shared/realtables`` go through ``score import``; the grid read
from each is compared with the table as transcribed by hand (its source.xlsx). Own fixtures
(tests/fixtures/runtext, URLs in its README) and the stored page texts of other real tables keep the
rules general. Text that the tab and space splitters already read keeps its path.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from helpers import run_cli
from scoring.findings import INFO, WARNING
from scoring.importer import import_sources, read_rows, text_rows
from scoring.importer.headers import label
from scoring.importer.piecekinds import level_name

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "runtext"
REAL = next((p for p in (ROOT.parent / "shared" / "realtables", ROOT.parent.parent / "shared" / "realtables")
             if p.is_dir()), None)
REAL_TXT = ["gd_jiaoyuting_gaoxiao_2021", "hub_ezhou_jiguan_2022", "sc_zhongjiang_shuili_2022"]
needs_real = pytest.mark.skipif(REAL is None, reason="../shared/realtables is not on this machine")


def _norm(text: str | None) -> str:
    return "".join((text or "").split())


def _gold(folder: Path) -> Counter:
    rows = csv.DictReader(open(folder / "gold.csv", encoding="utf-8", newline=""))
    return Counter((_norm(r["level3"]), _norm(r["annual_value"])) for r in rows)


def _imported(source: Path, year: int, out: Path, capsys) -> Counter:
    code, _out, _err = run_cli(["import", str(source), "--year", str(year), "--out", str(out)], capsys)
    if code != 0:
        return Counter()
    code, text, _err = run_cli(["targets", str(year), "--dir", str(out), "--format", "csv"], capsys)
    assert code == 0, text
    return Counter((_norm(r["level3"]), _norm(r["annual_value"])) for r in csv.DictReader(io.StringIO(text)))


def _score(gold: Counter, got: Counter) -> tuple[int, int]:
    return sum((gold & got).values()), sum((got - gold).values())


@needs_real
@pytest.mark.parametrize("name", REAL_TXT)
def test_real_text_reads_as_well_as_its_workbook(name, tmp_path, capsys):
    """The extracted text reads at least as right as the same table typed into Excel: whatever the table
    reader makes of the grid, the text gives it the same grid."""
    folder = REAL / name
    year = int((folder / "year.txt").read_text())
    gold = _gold(folder)
    right_txt, extra_txt = _score(gold, _imported(folder / "source.txt", year, tmp_path / "t", capsys))
    right_xlsx, extra_xlsx = _score(gold, _imported(folder / "source.xlsx", year, tmp_path / "x", capsys))
    assert right_txt >= right_xlsx
    assert extra_txt <= extra_xlsx


@needs_real
def test_real_run_together_self_evaluation_reads_every_indicator(tmp_path, capsys):
    """中江县 自评表: one line, cells run together, 分值 before 年度指标值; ``20100%100%20`` is 20 | 100% | 100% | 20."""
    folder = REAL / "sc_zhongjiang_shuili_2022"
    got = _imported(folder / "source.txt", 2022, tmp_path / "t", capsys)
    assert got == _gold(folder)


def _table(rows) -> tuple[list[str], list[dict[str, str]]]:
    """The first indicator header of a document's rows and the rows below it, as {header: cell}."""
    from scoring.importer.headers import fields_of

    for k, row in enumerate(rows):
        cells = [c.strip() for c in row.cells]
        fields = {f for c in cells if c for f, _p in fields_of(c)[:1]}
        if fields & {"level1", "level2", "level3"} and fields & {"annual_value", "period_value"}:
            header = cells
            body = [{label(h): c.strip() for h, c in zip(header, r.cells, strict=False) if h and c.strip()}
                    for r in rows[k + 1:]]
            return [label(h) for h in header if h], body
    raise AssertionError("no indicator header")


@needs_real
@pytest.mark.parametrize("name", REAL_TXT)
def test_real_text_grid_is_the_transcribed_table(name):
    """Every indicator's row read from the text holds, under each header, what the hand transcription
    (source.xlsx) holds there; only a level name that a merged cell carries down is written once."""
    folder = REAL / name
    head_t, body_t = _table(text_rows((folder / "source.txt").read_bytes(), "source.txt")[0])
    head_x, body_x = _table(read_rows(folder / "source.xlsx")[0])
    assert set(head_t) <= set(head_x)
    for (level3, _value) in _gold(folder):
        row_t = next(r for r in body_t if level3 in map(_norm, r.values()))
        row_x = next(r for r in body_x if level3 in map(_norm, r.values()))
        for h in head_t:
            if not row_t.get(h) and level_name(row_x.get(h, "")):
                continue
            assert _norm(row_t.get(h)) == _norm(row_x.get(h)), (level3, h)


@needs_real
def test_every_cut_is_noted_and_a_cut_off_row_is_reported_not_guessed():
    """鄂州: each row read says how it was cut; the last one (``水电气消耗下降率…>``, the page stops at
    the operator) is a warning at its line, and no indicator."""
    result = import_sources([REAL / "hub_ezhou_jiguan_2022" / "source.txt"], 2022)
    notes = [f for f in result.general if f.where != "source.txt"]
    cut = [f for f in notes if f.severity == INFO and f.code == "separator"]
    assert len(cut) == 6 and all(f.where == "source.txt › 第1行" and "切分为" in f.message for f in cut)
    assert any("“反映办公大楼全年维修维护情况”" in f.message and "2280次" in f.message for f in cut)
    lost = [f for f in notes if f.severity == WARNING]
    assert len(lost) == 1 and "水电气消耗下降率" in lost[0].message and "没有作为指标导入" in lost[0].message
    assert lost[0].where == "source.txt › 第1行" and lost[0].code == "unplaced"
    assert "水电气消耗下降率" not in set(result.targets.indicators["level3"])
    assert any("没有制表符或对齐的空格" in f.message for f in result.general if f.code == "separator")


@needs_real
def test_column_by_column_text_lines_cells_up_by_position_and_reports_the_rest():
    """广东 (PDF read a column at a time): names, 年度 and 实施周期 values lined up from the top; the
    实施周期 cells whose names the page cut off are reported, not imported."""
    rows, notes = text_rows((REAL / "gd_jiaoyuting_gaoxiao_2021" / "source.txt").read_bytes(), "source.txt")
    head, body = _table(rows)
    assert head == ["三级指标", "年度目标值", "实施周期目标值"]
    assert [(r["三级指标"], r["年度目标值"], r["实施周期目标值"]) for r in body] == [
        ("新建高校(校区)", "7", "7"), ("工程质量达标率(%)", "100%", "100%"), ("开工率(%)", "100%", "100%")]
    extra = [n for n in notes if n.severity == WARNING]
    assert len(extra) == 1 and "“不断提升”" in extra[0].message and "未导入" in extra[0].message


# ---------------------------------------------------------------------------------------------------
# own fixtures: other units' texts of the same shapes
# ---------------------------------------------------------------------------------------------------

FIXTURE_PAIRS = {
    "qingshan_2021_rowlines.txt": ("指标内容", "指标值", [
        ("农村义务教育学校改造覆盖率", "100%"), ("校舍维修改造质量合格率", "100%"), ("购置设施设备质量合格率", "100%"),
        ("预算资金当年下达率", "100%"), ("项目按计划完成率", "100%"), ("建设项目成本控制率", "100%"),
        ("义务教育优质均衡发展情况", "稳步提高"), ("学生家长满意度", "≥90%"), ("学校满意度", "≥90%")]),
    "qingshan_2020_cellines.txt": ("三级指标(年度)", "指标值(年度)", [
        ("重点建设工程安排数量", "2"), ("重点建设工程验收合格率", "100%"), ("建设项目成本", "参照政府采购成本控制"),
        ("重点建设工程按期完成率", "100%"), ("基础教育巩固提高情况", "巩固提高"), ("基础教育学校办学条件", "持续改善"),
        ("学生、家长、社会满意度", "≥90%")]),
    "chizhou_tangxi_2022_spaced.txt": ("三级指标", "年度指标值", [
        ("基建工程委托业务项目数量", "≥50个"), ("委托业务报告合格率", "≥100百分比"), ("经费支出合规性", "严格执行相关制度规定"),
        ("提交报告及时性", "在项目计划完成时间内完成"), ("项目总成本", "≤90万元"), ("单项业务成本", "符合相关规定"),
        ("对维护基建市场公平的影响程度", "效果明显"), ("对控制基建项目成本影响程度", "效果明显"),
        ("对推动基建项目“四项制度”健全和落实的持续性影响", "效果明显")]),
}


@pytest.mark.parametrize("name", sorted(FIXTURE_PAIRS))
def test_fixture_reads_every_indicator_and_nothing_else(name):
    name_header, value_header, expected = FIXTURE_PAIRS[name]
    rows, notes = text_rows((FIXTURES / name).read_bytes(), name)
    _head, body = _table(rows)
    got = [(r[label(name_header)], r.get(label(value_header), "")) for r in body if r.get(label(name_header))]
    assert got == expected
    assert notes[0].code == "separator"


def test_a_name_cut_off_at_the_end_is_reported():
    """棠溪镇: the page stops inside the last name (``满意度指标 公众满``): a warning, not an indicator."""
    _rows, notes = text_rows((FIXTURES / "chizhou_tangxi_2022_spaced.txt").read_bytes(), "c.txt")
    lost = [n for n in notes if n.severity == WARNING]
    assert len(lost) == 1 and "公众满" in lost[0].message and "c.txt › 第1行" == lost[0].where


STORED = {   # other real tables whose stored page text has these shapes: (name header, value header)
    "sc_anju_shipin_2021": ("三级指标", "年度指标值"),              # one cell a line, 指标1: prefixes
    "sn_chencang_shuili_2020": ("三级指标", "指标值"),             # one cell a line, units without numbers
    "nmg_wuhai_gongxiaoshe_2021": ("三级指标", "目标值"),          # one row a line, cells apart at single spaces
    "cq_wuxi_weifang_2025": ("三级指标", "指标值"),                # one cell a line, 应改尽改
    "cq_fengjie_yunwu_2023": ("三级指标", "指标值"),               # single spaces, empty rows, cut off
    "ah_jinzhai_chagu_2023": ("三级指标", "年度指标值"),           # cells apart at “|”, 年度 指标值 on two lines
    "hun_yueyanglou_jiage_2023": ("三级指标", "指标值"),           # “|”, traditional characters, pinyin glosses
    "gd_lechang_zhongzhi_2018": ("三级指标", "指标值"),            # the same, no 一级 column
}
NEEDS_WORDS = {   # tables whose header words the vocabulary of the table reader (issue 23) adds
    "fj_taibao_2017": ("绩效内容", "全年绩效目标"),                # 绩效目标 评价指标 as level columns, 目标1 numbers
    "js_yixing_gongwei_2016": ("目标名称", "目标值"),              # one cell a line closed by “|”, section rows
}


@needs_real
@pytest.mark.parametrize("name", sorted(STORED) + sorted(NEEDS_WORDS))
def test_stored_page_text_of_other_tables(name):
    """The stored page text of other real tables: every indicator of the gold is read with its name, and
    its value cell is the gold's target (or the number of it, where the table splits 性质/值/单位)."""
    from scoring.importer.headers import fields_of

    name_header, value_header = {**STORED, **NEEDS_WORDS}[name]
    if name in NEEDS_WORDS and not fields_of(name_header):
        pytest.skip(f"“{name_header}” is not a header word of rules/language/headers.yaml yet")
    folder = REAL / name
    rows, _notes = text_rows((folder / "stored_excerpt.txt").read_bytes(), "stored_excerpt.txt")
    _head, body = _table(rows)
    got = {_norm(r.get(name_header)): _norm(r.get(value_header)) for r in body if r.get(name_header)}
    for level3, value in _gold(folder):
        assert level3 in got, level3
        assert got[level3] and got[level3] in value, (level3, got[level3], value)
    assert len(got) == sum(_gold(folder).values())


# ---------------------------------------------------------------------------------------------------
# which path a text takes
# ---------------------------------------------------------------------------------------------------

def test_text_the_space_splitter_reads_keeps_its_path():
    spaced = (ROOT / "tests" / "fixtures" / "import" / "town_hunan.txt").read_bytes()
    _rows, notes = text_rows(spaced, "t.txt")
    assert notes == ["文件中没有制表符，按连续两个以上的空格分隔单元格（PDF/Word 提取的文本）"]
    tabbed = (ROOT / "tests" / "fixtures" / "import" / "health_shandong.txt").read_bytes()
    assert text_rows(tabbed, "h.txt")[1] == []


def test_text_without_any_indicator_header_keeps_the_old_error():
    rows, notes = text_rows("项目名称 某项目\n说明：没有表格".encode(), "n.txt")
    assert notes == ["文件中没有制表符，按连续两个以上的空格分隔单元格（PDF/Word 提取的文本）"]
    assert all(r.offsets is not None for r in rows)


def test_run_together_text_path_is_named_in_the_notes():
    text = "一级指标二级指标三级指标指标值产出指标数量指标培训人次≥300人次质量指标培训合格率≥95%"
    rows, notes = text_rows(text.encode(), "r.txt")
    assert "单元格连写" in notes[0].message
    _head, body = _table(rows)
    assert [(r["三级指标"], r["指标值"]) for r in body] == [("培训人次", "≥300人次"), ("培训合格率", "≥95%")]
