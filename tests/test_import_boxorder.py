"""score import on extracted text, round four: text in the order of a PDF's text boxes (``boxorder.py``: the
names of a block before or after its values, one value column running ahead of the next), OCR'd run-together
text (a header read out of order, points glued to a target, “=” read as 二), several projects in one flat table
(``projectcols.py``), a number target run into its points. Each class is tested on the real text where it was
found and on another real table of ``/work/shared/realtables`` (or a short text) written in that shape.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from test_import_runtext3 import ROOT, pairs, real, text_import

from scoring.findings import ScoreError
from scoring.importer import import_sources
from scoring.importer.boxorder import boxorder
from scoring.importer.textheader import Source

DEV = Path("/work/shared/realtables")


def gold(folder: str) -> list[dict]:
    path = DEV / folder / "gold.csv"
    if not path.exists():
        pytest.skip(f"{path} is not on this machine")
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


HEAD = "项目名称 {project} 绩 效 指 标 一级指标 二级指标 三级指标 年度 实际 指标值 完成值 分值 得分"


def values_then_names(rows: list[dict]) -> str:
    """The shape of a PDF whose value boxes come out before the name boxes: every row's target, actual, 分值 and
    得分, the 总分, then the level names in a lump, then the names (the first one wrapped before its last
    character, that character coming after the values)."""
    groups = " ".join(f"{r['annual_value']} {r['annual_value']} {r['weight']} {r['weight']}" for r in rows)
    total = sum(float(r["weight"]) for r in rows)
    levels = " ".join(dict.fromkeys(x for r in rows for x in (r["level1"], r["level2"])))
    first = rows[0]["level3"]
    names = " ".join(r["level3"] for r in rows[1:])
    return (HEAD.format(project=rows[0]["project"] or "某项目") + f" {first[:-1]} {groups} {total:g} {total:g} "
            f"{first[-1]} {levels} {names} 总分 -1-")


def numbered_in_boxes(rows: list[dict], missing: int) -> str:
    """The shape of a sheet printed box by box: a numbered name with its values on the row, except the first
    rows, whose targets come out alone after their names and whose actual, 分值 and 得分 follow in a run; the
    name of row ``missing`` is absent."""
    head = rows[:3]
    names = [r["level3"] if k != missing else "" for k, r in enumerate(rows)]
    out = [HEAD.format(project="某项目")]
    out += [f"{names[0]} {head[0]['annual_value']} {names[1]}", *(r["annual_value"] for r in head[1:]), names[2],
            *(f"{r['annual_value']} {r['weight']} {r['weight']}" for r in head)]
    out += [f"{names[k]} {r['annual_value']} {r['annual_value']} {r['weight']} {r['weight']}"
            for k, r in enumerate(rows) if k >= 3]
    return " ".join(x for x in out if x)


# -- values before names --------------------------------------------------------------------------------------
def test_values_before_names_real():
    """普陀 自评表: ``=100% 100% 10 10 =100% 100% 20 20 … 100 98.62 率 产出指标 … 合同结算条款完成率 …``."""
    got = pairs(real("sh_putuo_tiyu_2022"))
    assert got == [("与委托运营方结算完成率", "=100%"), ("合同结算条款完成率", "=100%"), ("费用结算及时性", "及时"),
                   ("与委托运营方合同完成率", "=100%"), ("场馆开放满意度", ">=90%")]


def test_values_before_names_in_another_table(tmp_path):
    rows = gold("sc_zhongjiang_shuili_2022")
    got = pairs(text_import(tmp_path, values_then_names(rows)))
    assert got == [(r["level3"], r["annual_value"]) for r in rows]


def test_values_before_names_of_a_targets_table(tmp_path):
    """A 目标表 (指标值 | 分值, no results) in the same shape: every target with its points, then the names."""
    rows = gold("sc_zhongjiang_shuili_2022")
    groups = " ".join(f"{r['annual_value']} {r['weight']}" for r in rows)
    levels = " ".join(dict.fromkeys(x for r in rows for x in (r["level1"], r["level2"])))
    text = (f"项目名称 {rows[0]['project']} 一级指标 二级指标 三级指标 指标值 分值 {groups} {levels} "
            + " ".join(r["level3"] for r in rows))
    ind = text_import(tmp_path, text).targets.indicators
    assert list(zip(ind["level3"], ind["annual_value"], map(float, ind["weight"]), strict=True)) == \
        [(r["level3"], r["annual_value"], float(r["weight"])) for r in rows]


def test_targets_only_in_box_order_and_row_by_row(tmp_path):
    """指标值 alone: all the targets, then all the names, are lined up; the same table row by row (each name with
    its target) is left to the row reader, and reads the same."""
    rows = gold("sc_zhongjiang_shuili_2022")
    head = f"项目名称 {rows[0]['project']} 一级指标 二级指标 三级指标 指标值 "
    boxed = head + " ".join(r["annual_value"] for r in rows) + " " + " ".join(r["level3"] for r in rows)
    by_row = head + " ".join(f"{r['level3']} {r['annual_value']}" for r in rows)
    want = [(r["level3"], r["annual_value"]) for r in rows]
    assert pairs(text_import(tmp_path, boxed)) == want
    assert boxorder(Source(by_row, "t.txt"), strict=False) is None


def test_more_names_than_value_groups_is_not_paired(tmp_path):
    """One name too many and no numbers on the names: which row it belongs to cannot be told, so nothing is
    lined up by guess."""
    rows = gold("sc_zhongjiang_shuili_2022")
    text = values_then_names(rows).replace(" 总分", " 项目管理制度健全性 总分")
    try:
        got = pairs(text_import(tmp_path, text))
    except ScoreError as exc:
        assert "第1行" in str(exc)
        return
    assert not {(r["level3"], r["annual_value"]) for r in rows[1:]} <= set(got)


# -- numbered names, targets running ahead of their actuals -------------------------------------------------------
def test_numbered_names_with_targets_ahead_real():
    """稷山 自评表: ``指标1:… 38508人 指标2:… 不少于12 种 不少于6 种 116次 6次 … 指标5:… 37442人 3 3 14种 1 1 …``;
    指标3 and 指标4 have no name in the text: their rows are reported, and 指标5 keeps its own values."""
    result = real("sx_jishan_gongwei_2021")
    got = pairs(result)
    assert got[:3] == [("指标1:居民健康档案", "38508人"), ("指标2:发放健康教育资料", "不少于12种"),
                       ("指标5:举办健康教育知识讲座", "6次")]
    assert ("指标24:传染病及突发公共卫生事件报告数", "14例") in got and len(got) == 23
    unread = [f.message for f in result.findings if "没有它的名称" in f.message]
    assert len(unread) == 2 and "116次" in unread[1]


def test_numbered_names_with_targets_ahead_in_another_table(tmp_path):
    """金寨 目标表: names numbered again in each 二级 block (指标1…指标4, 指标1, 指标2…); the name of the second row
    is absent: that row is reported, every other row keeps its own values."""
    rows = [r for r in gold("ah_jinzhai_chagu_2023")]
    result = text_import(tmp_path, numbered_in_boxes(rows, missing=1))
    assert pairs(result) == [(r["level3"], r["annual_value"]) for k, r in enumerate(rows) if k != 1]
    assert any("没有它的名称" in f.message and rows[1]["annual_value"] in f.message for f in result.findings)


def test_a_block_whose_last_name_is_missing_is_not_shifted(tmp_path):
    """The last name of the first block absent: the blocks after it cannot be placed by their numbers."""
    rows = gold("ah_jinzhai_chagu_2023")
    try:
        got = pairs(text_import(tmp_path, numbered_in_boxes(rows, missing=3)))
    except ScoreError as exc:        # nothing read at all is said at its line, never a shifted row
        assert "第1行" in str(exc)
        return
    wrong = {(r["level3"], rows[k - 1]["annual_value"]) for k, r in enumerate(rows) if k > 3
             and r["annual_value"] != rows[k - 1]["annual_value"]}
    assert not wrong & set(got)


# -- a header's note wrapped onto the next header word (OCR'd and run together) ---------------------------------
def test_header_notes_wrapped_before_the_next_header_real():
    """襄阳 自评表: ``二级指标三级指标年初目标值 (A)实际完成值 (B)得分产出 指标…``: (A) and (B) are the notes of the
    headers before them, and the last header runs on into the first row's level name wrapped at a space."""
    got = pairs(real("hub_xiangyang_yiyuan_2021"))
    assert ("成本控制", "不超过预算") in got
    assert ("不超过预算", "10") not in got        # the 得分 column is read: 10 is no target of a row of its own


def test_header_notes_wrapped_before_the_next_header_in_another_table(tmp_path):
    rows = gold("sc_zhongjiang_shuili_2022")[:4]
    body = "".join(f"{r['level2'] if k == 0 or r['level2'] != rows[k - 1]['level2'] else ''}{r['level3']}"
                   f"{r['annual_value']}{r['annual_value']}{r['weight']}" for k, r in enumerate(rows))
    text = (f"项目名称{rows[0]['project']}一级指标二级指标三级指标年度指标值 (A)实际完成值 (B)得分产出 指标{body}")
    assert pairs(text_import(tmp_path, text)) == [(r["level3"], r["annual_value"]) for r in rows]


# -- OCR'd run-together text: a header read out of order, points glued to a target written twice ----------------
def test_ocr_scrambled_header_and_points_glued_to_the_target_real():
    """银川 自评表: the 参考分值 header OCR'd as ``考值参分``; ``保障人数102370人2370人IO`` is 10 | 2370人 | 2370人."""
    ind = real("nx_yinchuan_gongyong_2021").targets.indicators
    got = {n: (v, float(w)) for n, v, w in zip(ind["level3"], ind["annual_value"], ind["weight"], strict=True)}
    assert got["保障人数"] == ("2370人", 10)
    assert got["办公所需成本"] == ("15万元", 4) and got["维修(维护)所需成本"] == ("35万元", 3)


def run_together_scored(rows: list[dict], weight_header: str) -> str:
    """A 自评表 run together as OCR gives it: the 分值 column before the target, each row's points, target, actual
    (the target again) and score with nothing between them."""
    body = "".join(f"{r['level2'] if k == 0 or r['level2'] != rows[k - 1]['level2'] else ''}{r['level3']}"
                   f"{r['weight']}{r['annual_value']}{r['annual_value']}{r['weight']}" for k, r in enumerate(rows))
    return f"项目名称{rows[0]['project']}一级指标二级指标三级指标{weight_header}指标值全年实际值得分产出指标{body}"


def test_ocr_scrambled_header_and_points_glued_to_the_target_in_another_table(tmp_path):
    rows = [r for r in gold("sc_zhongjiang_shuili_2022") if r["level1"].startswith("产出")]
    result = text_import(tmp_path, run_together_scored(rows, "考值参分"))
    assert pairs(result) == [(r["level3"], r["annual_value"]) for r in rows]
    assert [float(w) for w in result.targets.indicators["weight"]] == [float(r["weight"]) for r in rows]


# -- several projects in one flat table, cells apart at single spaces ---------------------------------------
def test_projects_in_one_flat_table_real():
    """扎赉特旗 绩效目标表: ``项目名称 项目单位 项目类别 预算数 年度绩效目标 一级指标 …``; the first row of each project
    starts with its name, unit, category, budget and goal: two projects, no project cell read as an indicator."""
    result = real("nmg_zhalaite_jianchayuan_2025")
    ind = result.targets.indicators
    assert sorted(set(ind["project"])) == ["业务装备经费", "办案(业务)经费"]
    assert not [n for n in ind["level3"] if "专项资金项目" in n or n in ("业务装备经费", "办案(业务)经费")]


def flat_projects(tables: list[list[dict]]) -> str:
    """Several projects in one table: the project's cells on its first row only, every cell apart at a space."""
    lines = ["项目名称 项目单位 预算数 年度绩效目标 一级指标 二级指标 三级指标 指标值 分值"]
    for rows in tables:
        for k, r in enumerate(rows):
            head = f"{r['project']} 某某单位 1,000.00 完成{r['project']}的年度任务。 " if k == 0 else ""
            level1 = f"{r['level1']} " if k == 0 or r["level1"] != rows[k - 1]["level1"] else ""
            lines.append(f"{head}{level1}{r['level2']} {r['level3']} {r['annual_value']} {r['weight']}")
    return "\n".join(lines) + "\n"


def test_projects_in_one_flat_table_in_another_shape(tmp_path):
    tables = [gold("sc_zhongjiang_shuili_2022")[:5], gold("nmg_wuhai_gongxiaoshe_2021")[:4]]
    ind = text_import(tmp_path, flat_projects(tables)).targets.indicators
    assert list(zip(ind["project"], ind["level3"], ind["annual_value"], strict=True)) == \
        [(r["project"], r["level3"], r["annual_value"]) for rows in tables for r in rows]


# -- a number target run into the one points column after it -----------------------------------------------
HELD_OUT = ROOT / "evaluation" / "realtables"


def test_number_target_run_into_the_points_real():
    """宁晋 评价指标表: ``享受资助人数达到预计值210010`` under 目标值 | 分值, the other rows ending ``95%10``, ``100%20``."""
    path = HELD_OUT / "he_ningjin_zhuxuejin_2019"
    ind = import_sources([path / "source.txt"], 2019).targets.indicators
    got = {n: (v, float(w)) for n, v, w in zip(ind["level3"], ind["annual_value"], ind["weight"], strict=True)}
    assert got["享受资助人数"] == ("2100", 10)


def test_number_target_run_into_the_points_in_another_table(tmp_path):
    text = ("项目名称 职业技能培训\n一级指标二级指标三级指标指标值分值\n"
            "产出指标数量指标培训人数120010\n质量指标培训合格率95%10\n时效指标按时开班率100%10\n"
            "效益指标社会效益指标就业人数35020\n可持续影响指标持续开班年限≥3年20\n"
            "满意度指标服务对象满意度指标学员满意度90%20\n")
    ind = text_import(tmp_path, text).targets.indicators
    got = [(n, v, float(w)) for n, v, w in zip(ind["level3"], ind["annual_value"], ind["weight"], strict=True)]
    assert ("培训人数", "1200", 10) in got and ("就业人数", "350", 20) in got
    assert len(got) == 6


# -- “=” read by OCR as 二 ----------------------------------------------------------------------------------
def test_equals_read_as_er_by_ocr_real():
    """嘉峪关 绩效目标表: ``…资金使用效率二100百分比社会成本指标…``: 二 is the “=” the other rows have (=300天)."""
    path = HELD_OUT / "gs_jiayuguan_bowuguan_2023"
    assert ("资金使用效率", "二100百分比") in pairs(import_sources([path / "source.txt"], 2023))


def test_equals_read_as_er_by_ocr_in_another_table(tmp_path):
    rows = gold("sc_zhongjiang_shuili_2022")[:6]      # the last row, 20万元, as written: the text ends on no 二
    body = "".join(f"{r['level2'] if k == 0 or r['level2'] != rows[k - 1]['level2'] else ''}{r['level3']}"
                   f"{r['annual_value'].replace('≥', '二')}" for k, r in enumerate(rows))
    text = f"项目名称{rows[0]['project']}一级指标二级指标三级指标指标值产出指标{body}"
    assert pairs(text_import(tmp_path, text)) == [(r["level3"], r["annual_value"].replace("≥", "二")) for r in rows]
