"""The clerk's first steps (issue 28): `score template` on the repository's own blank template, the
填报说明's words, the hints of change targets and their 基数, hint examples that fit their target."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest

from helpers import run_cli
from scoring.answers.workbook import SHEET_BUDGET, SHEET_GUIDE, SHEET_INDICATORS
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
