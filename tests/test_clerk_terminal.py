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
