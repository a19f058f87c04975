"""Open the actuals workbook: check it, open it with calamine and parse the sheets the run reads.

Kept apart from :mod:`scoring.answers.workbook` (which reads the rows, with pandas) so that a run can
start opening the workbook before it imports pandas (:class:`scoring.precheck.Opening`): calamine
parses without holding the GIL, so the parse and the imports take the same time (issue 14).
"""

from __future__ import annotations

import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import python_calamine

from scoring.findings import ScoreError
from scoring.xlsx import Checked, check_xlsx
from scoring.xlsx_cells import CellInfo, special_cells

SHEET_GUIDE = "填报说明"
SHEET_BUDGET = "预算执行"
SHEET_INDICATORS = "指标实际值"
SHEET_NARRATIVE = "年度总体目标"  # optional: workbooks made before it existed are still read


@dataclass
class Opened:
    """A workbook checked (:func:`scoring.xlsx.check_xlsx`) and opened, its sheets parsed.

    calamine parses without holding the GIL, so :func:`open_actuals` can run in a thread while the
    targets load (:func:`scoring.pipeline.run_year`)."""

    path: str
    label: str
    sheets: dict[str, object]  # sheet name → calamine's parsed sheet
    names: list[str]  # every sheet of the workbook
    special: dict[str, CellInfo]  # the 指标实际值 cells that are not plain values (scoring.xlsx_cells.special_cells)


def open_actuals(path: str | Path, label: str | None = None, *, checked: bool | Checked = False) -> Opened:
    """Check the workbook (unless the caller has: ``checked``, True or what the guard found), open it
    and parse the sheets :func:`read_actuals` reads; meanwhile, in a thread, find the 指标实际值 cells
    calamine cannot tell from plain values (percent formats, formulas, errors). Bad files →
    :class:`ScoreError` naming ``label``."""
    label = label or str(path)
    if checked is False:
        checked = check_xlsx(path, label=label)
    plain = checked.plain if isinstance(checked, Checked) else frozenset()
    wb = open_workbook(path, label, (SHEET_INDICATORS, SHEET_BUDGET), checked=True)
    names = list(wb.sheet_names)
    wanted = [SHEET_INDICATORS, SHEET_BUDGET] + ([SHEET_NARRATIVE] if SHEET_NARRATIVE in names else [])
    with ThreadPoolExecutor(max_workers=1) as pool:
        scanning = pool.submit(special_cells, path, SHEET_INDICATORS, plain)
        try:
            sheets = {name: wb.get_sheet_by_name(name) for name in wanted}
        except Exception as exc:
            raise _damaged(exc, label) from exc
        try:
            special = scanning.result()
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, zlib.error, ValueError) as exc:
            raise _damaged(exc, label) from exc
    return Opened(str(path), label, sheets, names, special)


def _damaged(exc: Exception, label: str) -> ScoreError:
    return ScoreError(f"工作表内容已损坏，无法读取（{type(exc).__name__}：{str(exc)[:200]}）", where=label,
                      hint="请用 Excel 打开并重新保存")




def open_workbook(path: str | Path, label: str, sheets: tuple[str, ...], *, checked: bool = False):
    """Check the package (:func:`scoring.xlsx.check_xlsx`, unless the caller has: ``checked``) and
    open it with calamine; every sheet in ``sheets`` must be there. Bad files → :class:`ScoreError`
    naming ``label``."""
    if not checked:
        check_xlsx(path, label=label)
    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError as exc:
        raise ScoreError("工作簿已加密，无法读取", where=label, hint="请在 Excel 中取消密码后重新保存") from exc
    except Exception as exc:  # calamine's own errors: damaged XML, unsupported parts
        raise ScoreError(f"工作簿已损坏，无法读取（{type(exc).__name__}：{str(exc)[:200]}）", where=label,
                         hint="请用 Excel 打开并重新保存，或从模板重新填写") from exc
    names = list(wb.sheet_names)
    for sheet in sheets:
        if sheet not in names:
            raise ScoreError(f"缺少工作表“{sheet}”（现有：{'、'.join(names) or '无'}）", where=label,
                             hint="请使用 score template 生成的模板填写，不要删除或改名工作表")
    return wb
