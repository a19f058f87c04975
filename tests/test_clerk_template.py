"""The clerk's first steps (issue 28): `score template` on the repository's own blank template, the
填报说明's words, the hints of change targets and their 基数, hint examples that fit their target."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest

from helpers import run_cli
from scoring.actuals.workbook import SHEET_BUDGET, SHEET_GUIDE, SHEET_INDICATORS
from scoring.reports.template import write_template
from scoring.targets.store import load_targets

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ROOT / "targets" / "2023"


@pytest.fixture(scope="module")
def targets():
    return load_targets(TARGETS)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------------------------ item 8

def test_the_repositorys_blank_template_is_not_said_to_hold_answers(tmp_path, capsys):
    blank = tmp_path / "actuals_template.xlsx"
    shutil.copy(ROOT / "actuals_template.xlsx", blank)
    before = sha(blank)
    code, _, err = run_cli(["template", "2023", "--targets", str(TARGETS), "--out", str(blank)], capsys)
    assert code == 2 and "已存在" in err and "--force" in err
    assert "已经填写" not in err and "实际值" not in err.split("处理建议")[0]
    assert sha(blank) == before


def test_a_template_with_one_answer_says_what_is_filled(tmp_path, targets, capsys):
    out = write_template(targets, tmp_path / "t.xlsx", 2023)
    wb = openpyxl.load_workbook(out)
    wb[SHEET_INDICATORS].cell(2, 7).value = 3
    wb[SHEET_BUDGET].cell(2, 4).value = 95000
    wb.save(out)
    code, _, err = run_cli(["template", "2023", "--targets", str(TARGETS), "--out", str(out)], capsys)
    assert code == 2 and "已经填写" in err
    assert "实际完成值 1 个" in err and "全年执行数 1 个" in err


# ------------------------------------------------------------------------------------ the 填报说明's words

def guide_text(path: Path) -> str:
    ws = openpyxl.load_workbook(path)[SHEET_GUIDE]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)


def test_the_guide_says_to_score_this_file_not_the_example(tmp_path, targets):
    out = write_template(targets, tmp_path / "实际值.xlsx", 2023)
    text = guide_text(out)
    assert "score 2023 --actuals" in text
    assert "score 2023（" not in text  # the bare command scores actuals/2023.xlsx, the bundled example


def test_the_guides_column_letters_are_the_sheets_own(tmp_path, targets):
    import re

    out = write_template(targets, tmp_path / "t.xlsx", 2023)
    wb = openpyxl.load_workbook(out)
    text = guide_text(out)
    named = re.findall(r"([^\s“”（）。，；、：]+)”?（([A-Z]) 列）", text)
    assert len(named) >= 4  # 全年预算数, 全年执行数, 执行率, 实际完成值 at least
    headers = {c.column_letter: str(c.value) for name in (SHEET_BUDGET, SHEET_INDICATORS) for c in wb[name][1]
               if c.value}
    by_sheet = {name: {c.column_letter: str(c.value) for c in wb[name][1] if c.value}
                for name in (SHEET_BUDGET, SHEET_INDICATORS)}
    for word, letter in named:
        assert any(h.startswith(word) for sheet in by_sheet.values() for col, h in sheet.items() if col == letter), \
            (word, letter, headers)
    assert "全年预算数（A）" not in text and "全年执行数（B）" not in text


# ------------------------------------------------------------------------------------ hints that fit their target

@pytest.mark.parametrize(("name", "target"), [
    ("考核得分", "≥90分"), ("建设面积", "≥31000m²"), ("开展活动数量", "≥2次"), ("故障次数", "≤1次"),
    ("满意度", ">96%"), ("覆盖率", "≥99%"), ("响应时长", "≤1小时"), ("差错率", "<1%"), ("达标率", "80%-90%"),
])
def test_every_hint_example_meets_its_own_target(name, target):
    import re

    from scoring.actuals.advice import hint_for, input_message, meets
    from scoring.language.expressions import parse

    c = parse(target, name, 2023)
    examples = [(text, re.search(r"如 ([\d.]+)", text)) for text in (hint_for(c), input_message(c, 2023)[1])]
    assert examples[0][1], examples[0][0]  # the advice for a cell that could not be judged always has one
    for text, example in examples:
        assert example is None or meets(c, float(example.group(1))), (target, text)


# ------------------------------------------------------------------------------------ item 4: change targets

@pytest.mark.parametrize("target", ["同比下降4%", "比上年提高2个百分点", "较上年增长10%"])
def test_a_change_target_is_told_to_fill_its_baseline_not_that_it_cannot_be_read(target):
    from scoring.actuals.advice import input_message
    from scoring.language.expressions import parse

    title, message = input_message(parse(target, "单位成本", 2023), 2023)
    assert "无法解读" not in title + message and "无法判定" not in message
    assert "基数（上年实际值）" in message and "本年" in message


def test_a_change_target_with_its_baseline_written_in_the_target_needs_no_baseline_column():
    from scoring.actuals.advice import input_message
    from scoring.language.expressions import parse

    _, message = input_message(parse("在5万元基础上稳定增加", "投资额", 2023), 2023)
    assert "无法解读" not in message and "5万元" in message and "不用填写" in message


def change_workbook(tmp_path, targets, baseline: object) -> tuple[Path, Path, str]:
    """The 2023 targets with one indicator made a change target (同比下降4%), its 实际 95 and 基数 ``baseline``."""
    import pandas as pd

    from scoring.targets.store import save_targets

    ind = targets.indicators.copy()
    ident = ind["id"].iat[0]
    ind.loc[ind["id"] == ident, "annual_value"] = "同比下降4%"
    ind.loc[ind["id"] == ident, "level3"] = "单位成本"
    changed = type(targets)(projects=targets.projects, indicators=pd.DataFrame(ind), year=2023,
                            directory=tmp_path / "t")
    save_targets(changed, tmp_path / "t")
    t = load_targets(tmp_path / "t")
    out = write_template(t, tmp_path / "a.xlsx", 2023)
    wb = openpyxl.load_workbook(out)
    ws = wb[SHEET_INDICATORS]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == ident:
            ws.cell(r, 7).value, ws.cell(r, 10).value = 95, baseline
    b = wb[SHEET_BUDGET]
    for r in range(2, b.max_row + 1):
        b.cell(r, 3).value, b.cell(r, 4).value = 100000, 95000
    wb.save(out)
    return tmp_path / "t", out, ident


def test_an_unreadable_baseline_that_costs_the_points_is_an_error(tmp_path, targets):
    from scoring.pipeline import run_year

    tdir, wb, ident = change_workbook(tmp_path, targets, "上年约一百")
    result = run_year(2023, targets_dir=tdir, actuals_path=wb)
    row = result.indicators.set_index("id").loc[ident]
    assert row["verdict"] == "无法判定" and row["score"] == 0
    about = [p for p in result.problems if p.id == ident]
    assert about and all(p.severity == "错误" for p in about)
    assert any("基数" in p.message and "0 分" in p.message for p in about)


def test_a_readable_baseline_scores_the_change(tmp_path, targets):
    from scoring.pipeline import run_year

    tdir, wb, ident = change_workbook(tmp_path, targets, 100)
    result = run_year(2023, targets_dir=tdir, actuals_path=wb)
    row = result.indicators.set_index("id").loc[ident]
    assert row["verdict"] == "达成" and not [p for p in result.problems if p.id == ident and p.severity == "错误"]
