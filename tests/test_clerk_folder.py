"""A 财政局 collecting departments' workbooks in a folder (issue 28 item 10, issue 29's collisions): the
header counts the target projects no workbook covers and lists every workbook; two workbooks filling the
same projects, or two whose reports would share a folder, are refused with both names; every file the
terminal points at exists."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import openpyxl
import pytest

from helpers import run_cli
from scoring.actuals.workbook import SHEET_BUDGET, SHEET_INDICATORS
from scoring.reports.template import write_template
from scoring.targets.store import load_targets

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ROOT / "targets" / "2023"


@pytest.fixture(scope="module")
def targets():
    return load_targets(TARGETS)


@pytest.fixture(scope="module")
def blank(tmp_path_factory, targets) -> Path:
    return write_template(targets, tmp_path_factory.mktemp("t") / "t.xlsx", 2023)


@pytest.fixture(scope="module")
def answers(targets) -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "bench"))
    from example_actuals import example_values

    return {i: a for i, (a, _, _) in example_values(targets, 2023)["values"].items()}


def department(blank: Path, out: Path, targets, answers, projects: list[str]) -> Path:
    """The city's whole template with only ``projects`` filled (answers, reasons, budgets), as a department does."""
    wb = openpyxl.load_workbook(blank)
    ws = wb[SHEET_INDICATORS]
    mine = set(targets.indicators["id"][targets.indicators["project"].isin(projects)])
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value in mine:
            ws.cell(r, 7).value, ws.cell(r, 8).value = answers.get(ws.cell(r, 1).value), "说明"
    b = wb[SHEET_BUDGET]
    for r in range(2, b.max_row + 1):
        if b.cell(r, 1).value in projects:
            b.cell(r, 3).value, b.cell(r, 4).value = 100000, 95000
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def run(capsys, folder: Path, out: Path, *extra: str):
    return run_cli(["2023", "--targets", str(TARGETS), "--actuals", str(folder), "--out", str(out), *extra], capsys)


def names(targets, a: int, b: int) -> list[str]:
    return list(targets.projects["project"])[a:b]


def test_the_header_says_how_many_target_projects_have_no_workbook_and_lists_every_workbook(
        tmp_path, capsys, targets, blank, answers):
    folder = tmp_path / "dept"
    department(blank, folder / "甲.xlsx", targets, answers, names(targets, 0, 5))
    department(blank, folder / "乙.xlsx", targets, answers, names(targets, 5, 10))
    (folder / "丙.xlsx").write_bytes(b"not a workbook")
    code, out, err = run(capsys, folder, tmp_path / "r")
    assert code == 0, err
    head = out.split("各项目得分")[0]
    assert "16 个项目" in head and "6 个" in head and "没有" in head
    assert all(n in head for n in ("甲.xlsx", "乙.xlsx", "丙.xlsx"))
    assert "3 个工作簿" in head
    # the blank rows of the city's template each department was given are not its errors
    assert "全年执行数未填写" not in out and "（错误 1，" in out  # the one error: 丙.xlsx cannot be read


def test_every_file_the_terminal_points_at_exists(tmp_path, capsys, targets, blank, answers):
    folder = tmp_path / "dept"
    department(blank, folder / "甲.xlsx", targets, answers, names(targets, 0, 8))
    department(blank, folder / "乙.xlsx", targets, answers, names(targets, 8, 16))
    out_dir = tmp_path / "r"
    code, out, err = run(capsys, folder, out_dir)
    assert code == 0, err
    pointed = re.findall(r"见 ?“?([^\s“”，；、：（）]+\.(?:xlsx|csv))", out)
    assert pointed
    for name in pointed:
        assert (out_dir / name).is_file() or Path(name).is_file(), name


def test_two_workbooks_filling_the_same_projects_are_refused_with_both_names(
        tmp_path, capsys, targets, blank, answers):
    folder = tmp_path / "dept"
    department(blank, folder / "甲.xlsx", targets, answers, names(targets, 0, 8))
    department(blank, folder / "甲 (1).xlsx", targets, answers, names(targets, 0, 8))
    department(blank, folder / "乙.xlsx", targets, answers, names(targets, 8, 16))
    code, _, err = run(capsys, folder, tmp_path / "r")
    assert code == 2 and "甲.xlsx" in err and "甲 (1).xlsx" in err and "Traceback" not in err
    assert names(targets, 0, 1)[0] in err
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize(("first", "second"), [("a.xlsx", "a.XLSX"), ("a:b.xlsx", "a_b.xlsx"), ("Ab.xlsx", "aB.xlsx")])
def test_two_workbooks_whose_reports_would_share_a_folder_are_refused(
        tmp_path, capsys, targets, blank, answers, first, second):
    folder = tmp_path / "dept"
    department(blank, folder / first, targets, answers, names(targets, 0, 8))
    department(blank, folder / second, targets, answers, names(targets, 8, 16))
    code, _, err = run(capsys, folder, tmp_path / "r")
    assert code == 2 and first in err and second in err and "Traceback" not in err
    assert not (tmp_path / "r").exists()
