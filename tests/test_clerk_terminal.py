"""What the terminal says on the clerk's path (issue 28): point-losing problems first and never cut
off, the warnings that cost nothing summarised; `check`/`targets` take `--targets` as the other
commands do; `score check` says an empty 实施周期指标值 once per table, not once per indicator."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ROOT / "targets" / "2023"


# ------------------------------------------------------------------------------------ --targets everywhere

@pytest.mark.parametrize("command", ["check", "targets"])
def test_check_and_targets_take_targets_as_well_as_dir(command, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no targets/2023 here: only the option can point at them
    for option in ("--targets", "--dir"):
        code, out, err = run_cli([command, "2023", option, str(TARGETS)], capsys)
        assert code in (0, 1) and "16 个项目" in out, (option, err)


# ------------------------------------------------------------------------------------ 实施周期指标值 once per table

def annual_only(tmp_path: Path, keep_project: str | None = None) -> Path:
    """The 2023 targets with every 实施周期指标值 blank (an annual-only table), except ``keep_project``'s."""
    d = tmp_path / "t"
    shutil.copytree(TARGETS, d)
    ind = pd.read_csv(d / "indicators.csv", dtype=str, keep_default_na=False)
    ind.loc[ind["project"] != keep_project, "period_value"] = ""
    ind.to_csv(d / "indicators.csv", index=False)
    for cache in d.glob(".*cache*"):
        cache.unlink()
    return d


def test_an_annual_only_table_is_told_once_that_it_has_no_period_values(tmp_path, capsys):
    d = annual_only(tmp_path)
    code, out, _ = run_cli(["check", "2023", "--targets", str(d)], capsys)
    assert code == 0  # warnings only
    lines = [line for line in out.splitlines() if "实施周期指标值为空" in line or "没有实施周期指标值" in line]
    assert len(lines) == 1, lines
    assert "155" in lines[0]


def test_a_project_without_period_values_in_a_table_that_has_them_is_told_once(tmp_path, capsys):
    names = list(dict.fromkeys(pd.read_csv(TARGETS / "indicators.csv", dtype=str)["project"]))
    d = annual_only(tmp_path, keep_project=names[0])
    code, out, _ = run_cli(["check", "2023", "--targets", str(d)], capsys)
    assert code == 0  # warnings only
    empty = [line for line in out.splitlines() if "没有实施周期指标值" in line or "实施周期指标值为空" in line]
    assert len(empty) == len(names) - 1, empty  # one per project that has none, none for the one that has them


# ------------------------------------------------------------------------------------ item 6: what loses points first

def test_point_losing_errors_come_first_and_are_never_cut_off(tmp_path, capsys):
    import sys

    import openpyxl

    from scoring.actuals.workbook import SHEET_BUDGET, SHEET_INDICATORS
    from scoring.reports.template import write_template
    from scoring.targets.store import load_targets

    targets = load_targets(TARGETS)
    sys.path.insert(0, str(ROOT / "bench"))
    from example_actuals import example_values

    answers = {i: a for i, (a, _, _) in example_values(targets, 2023)["values"].items()}
    ind = targets.indicators
    big = ind.groupby("project").size().idxmax()
    broken = list(ind["id"][ind["project"] == big])  # every indicator of the largest project: 无法判定
    assert len(broken) > 6
    wb = openpyxl.load_workbook(write_template(targets, tmp_path / "t.xlsx", 2023))
    ws = wb[SHEET_INDICATORS]
    cells = {}
    for r in range(2, ws.max_row + 1):
        ident = ws.cell(r, 1).value
        ws.cell(r, 7).value = "见附件" if ident in broken else answers.get(ident)
        cells[ident] = f"G{r}"
    for r in range(2, wb[SHEET_BUDGET].max_row + 1):
        wb[SHEET_BUDGET].cell(r, 3).value, wb[SHEET_BUDGET].cell(r, 4).value = 100000, 95000
    wb.save(tmp_path / "a.xlsx")  # no 偏差原因 anywhere: every point lost elsewhere is a costless warning
    code, out, _ = run_cli(["2023", "--targets", str(TARGETS), "--actuals", str(tmp_path / "a.xlsx"),
                            "--out", str(tmp_path / "r")], capsys)
    assert code == 0
    section = out.split("发现 ")[1]
    lines = section.splitlines()
    error_lines = [k for k, line in enumerate(lines) if line.lstrip().startswith("错误")]
    assert all(f"指标实际值 › {cells[i]}：" in section for i in broken)  # every one, past the per-project limit
    assert "同类另有" not in section
    warning_lines = [k for k, line in enumerate(lines) if line.lstrip().startswith("警告")]
    assert not warning_lines or max(error_lines) < min(warning_lines)
    summary = [line for line in lines if "不影响得分" in line]
    assert len(summary) == 1 and "没有填写偏差原因分析及改进措施" in summary[0]
    assert not [line for line in lines if line.lstrip().startswith("警告") and "没有填写偏差原因分析" in line]
