"""Helpers the test modules share."""

from __future__ import annotations

import ast
import functools
import io
import sys
from pathlib import Path

import cli


def run_cli(argv: list[str], capsys, monkeypatch=None, stdin: str = "") -> tuple[int, str, str]:
    """Run ``score`` in-process: the exit code, standard output and standard error.
    With ``monkeypatch``, ``stdin`` is what the command reads from standard input."""
    if monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def targets_with_first(directory, annual_value: str):
    """The bundled 2023 targets with the first indicator's 当年度指标值 rewritten, saved under ``directory``."""
    from dataclasses import replace
    from pathlib import Path

    from scoring.targets.store import load_targets, save_targets

    t = load_targets(Path(__file__).resolve().parents[1] / "targets" / "2023")
    ind = t.indicators.copy()
    ind.loc[0, "annual_value"] = annual_value
    d = Path(directory) / "2023"
    save_targets(replace(t, indicators=ind), d)
    return load_targets(d)


def fill_actuals(template, out, first: tuple[object, object] | None, number_format: str | None = None):
    """A filled copy of an actuals template: every actual 达成, the budgets filled, and the first indicator's
    (实际完成值, 基数) as given (``number_format`` on both cells); ``first=None`` deletes the 基数 column (a
    workbook made before it existed)."""
    import openpyxl

    from scoring.actuals.workbook import BASELINE_HEADER, SHEET_BUDGET, SHEET_INDICATORS

    wb = openpyxl.load_workbook(template)
    ws = wb[SHEET_INDICATORS]
    header = [c.value for c in ws[1]]
    c_actual, c_base = header.index("实际完成值") + 1, header.index(BASELINE_HEADER) + 1
    for r in range(2, ws.max_row + 1):
        ws.cell(r, c_actual).value = "达成"
    if first is not None:
        ws.cell(2, c_actual).value, ws.cell(2, c_base).value = first
        if number_format:
            ws.cell(2, c_actual).number_format = ws.cell(2, c_base).number_format = number_format
    else:
        ws.delete_cols(c_base)
    for r in range(2, wb[SHEET_BUDGET].max_row + 1):
        wb[SHEET_BUDGET].cell(r, 3).value, wb[SHEET_BUDGET].cell(r, 4).value = 100000, 95000
    wb.save(out)
    return out


def examples(full: int) -> int:
    """How many examples a property test runs: ``full`` under ``HYPOTHESIS_PROFILE=thorough``, a fifth of
    it (at least 10) in the default profile, which every ``pytest`` runs (tests/conftest.py)."""
    import os

    return full if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else max(10, full // 5)


@functools.cache
def parsed(path: Path) -> ast.Module:
    """The syntax tree of a source file, parsed once for every test that reads the code (read it, never
    change it)."""
    return ast.parse(path.read_text(encoding="utf-8"))
