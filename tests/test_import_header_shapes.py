"""score import reads header words the vocabulary does not have by how they are built (headers.yaml ``column_shapes``).

Real tables write their headers in many ways (三级绩效指标, 一级指标类型, 计划完成值, 本年目标, 标准分); a header
row none of whose words were in the vocabulary used to lose the whole table ("没有找到指标表头"). Tested on the
real tables of ``../shared/realtables`` with their header words replaced, two ways: each must import the same
(三级指标, 指标值) pairs as its gold. ``python evaluation/header_words.py`` measures the same on every real set with
random replacements.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from test_import_realtables import REAL, norm, year_of

from scoring.importer import import_sources
from scoring.importer.headers import header_of, shaped_fields

RENAMES = {
    "a": {"一级指标": "一级绩效指标", "二级指标": "二级指标类型", "三级指标": "三级绩效指标", "指标值": "计划完成值",
          "年度指标值": "计划完成值", "分值": "标准分"},
    "b": {"一级指标": "一级指标类别", "二级指标": "二级绩效指标", "三级指标": "考核指标", "指标值": "本年目标",
          "年度指标值": "本年目标", "目标值": "预期值", "分值": "分数", "权重": "指标分数"},
}


def _key(text: object) -> str:
    return "".join(str(text or "").split())


def renamed(src: Path, dst: Path, renames: dict[str, str]) -> int:
    """``src`` with every header cell in ``renames`` rewritten, saved as ``dst``; how many cells were."""
    wb = openpyxl.load_workbook(src)
    count = 0
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and _key(c.value) in renames:
                    c.value, count = renames[_key(c.value)], count + 1
    wb.save(dst)
    return count


TABLES = sorted(p.parent.name for p in REAL.glob("*/source.xlsx")) if REAL else []


@pytest.mark.skipif(REAL is None, reason="../shared/realtables is absent")
@pytest.mark.parametrize("way", sorted(RENAMES))
@pytest.mark.parametrize("name", TABLES)
def test_a_real_table_with_other_header_words_imports_the_same(tmp_path, name, way):
    dst = tmp_path / "source.xlsx"
    if renamed(REAL / name / "source.xlsx", dst, RENAMES[way]) < 2:
        pytest.skip("the table writes too few of these header words")
    gold = sorted((norm(r["level3"]), norm(r["annual_value"]))
                  for r in csv.DictReader(open(REAL / name / "gold.csv", encoding="utf-8", newline="")))
    ind = import_sources([dst], year_of(name)).targets.indicators
    assert sorted(zip(map(norm, ind["level3"]), map(norm, ind["annual_value"]), strict=True)) == gold


def test_the_report_says_which_columns_were_read_by_their_shape(tmp_path):
    book = openpyxl.Workbook()
    for row in (["项目名称", "培训项目"], ["一级绩效指标", "二级指标", "三级绩效指标", "计划完成值"],
                ["产出指标", "数量指标", "培训人数", "≥100人"]):
        book.active.append(row)
    book.save(tmp_path / "t.xlsx")
    found = [f for f in import_sources([tmp_path / "t.xlsx"], 2023).findings if "按构词认定" in f.message]
    assert len(found) == 1 and found[0].severity == "警告"
    assert "第1列“一级绩效指标”→一级指标" in found[0].message and "第4列“计划完成值”→当年度指标值" in found[0].message
    assert "二级指标”" not in found[0].message   # a vocabulary word is no shape


def test_a_header_row_of_shaped_words_is_found():
    hdr = header_of(["一级绩效指标", "二级指标类型", "三级绩效指标", "计划完成值", "标准分"])
    assert hdr is not None and (hdr.l1, hdr.l2, hdr.l3) == (0, 1, 2)
    assert hdr.slots == {"annual_value": 3, "weight": 4}


def test_a_vocabulary_word_wins_over_a_shape():
    """指标名称 is a vocabulary word for the 三级 column; 考核指标 only fits a shape: the word wins."""
    hdr = header_of(["一级指标", "二级指标", "考核指标", "指标名称", "指标值"])
    assert hdr is not None and hdr.l3 == 3


def test_values_stand_right_of_the_names():
    """自评权重 left of the names is the 一级's points; 标准分 right of them is the indicator's weight."""
    hdr = header_of(["一级指标", "自评权重", "二级指标", "三级指标", "指标值", "标准分"])
    assert hdr is not None and hdr.slots["weight"] == 5


@pytest.mark.parametrize("text", ["分解目标", "项目名称", "年度绩效目标", "通过采购服务，完成年度目标", "绩效指标(90分)",
                                  "实施单位", "备注说明"])
def test_what_is_no_column_shape(text):
    assert shaped_fields(text) == () or shaped_fields(text)[0][0] not in ("level3", "annual_value")
