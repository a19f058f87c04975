"""Excel workbooks as rows of cells: .xlsx (openpyxl) and the old binary .xls (python-calamine).

Both give the same cells for the same table: a merged cell's value in its first column, repeated
down its rows (:func:`scoring.importer.rows.fill_merges`); a number as the cell shows it, its
number format applied (:func:`scoring.importer.numformat.display`: 1 formatted as a percent is
``100%``); a date as ``2023年12月31日``. openpyxl gives an .xlsx's merged ranges and format codes;
calamine gives an .xls's values and merged ranges, and :mod:`.biff` its format codes.
Every workbook is checked before a reader opens it: :func:`scoring.xlsx.check_xlsx` for an .xlsx;
the file size and the sheets' used ranges (from the BIFF records, before calamine allocates them)
for an .xls.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from scoring.findings import ScoreError, place
from scoring.importer.biff import read_biff
from scoring.importer.numformat import date_text, display
from scoring.importer.rows import Row, fill_merges, hidden_note, holding, visible
from scoring.xlsx import check_xlsx

MAX_XLS_BYTES = 64 * 1024**2        # an .xls holds at most 65,536 rows; a 绩效目标表 is under 1 MB
MAX_SHEET_CELLS = 4_000_000         # the used range of one sheet (rows × columns) a reader may allocate


def value_text(v: object, code: str | None = None) -> str:
    """A spreadsheet value as the text a person sees: ``code`` is the cell's number format.

    >>> value_text(0.95, "0%"), value_text(True), value_text(dt.date(2023, 12, 31)), value_text(None)
    ('95%', '是', '2023年12月31日', '')
    """
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return date_text(v)
    if isinstance(v, dt.timedelta):
        return str(v)
    if isinstance(v, int | float):
        return display(v, code)
    return str(v)


def indented(v: object, code: str | None, indent: float) -> str:
    """A cell's text with its alignment indent written as one full-width space per level (as it is seen).

    >>> indented("数量指标", None, 2), indented(0.95, "0%", 0)
    ('\u3000\u3000数量指标', '95%')
    """
    text = value_text(v, code)
    return "\u3000" * min(int(indent), 15) + text if indent and text else text


def xlsx_rows(path: Path, notes: list[str] | None = None) -> list[Row]:
    """Rows of every sheet of an .xlsx, merged cells and number formats as Excel shows them; hidden rows and
    columns left out (:func:`~scoring.importer.rows.visible`), each said in ``notes``."""
    import openpyxl

    check_xlsx(path)
    try:
        with path.open("rb") as f:   # a file object: openpyxl would refuse a workbook named .xls by its name
            wb = openpyxl.load_workbook(f, data_only=True)
    except Exception as exc:
        raise ScoreError(f"无法打开 Excel 工作簿：{type(exc).__name__}", where=str(path),
                         hint="确认文件是 .xlsx 格式且没有损坏、没有加密") from None
    rows: list[Row] = []
    for ws in wb.worksheets:
        grid = [[indented(c.value, c.number_format, c.alignment.indent if c.has_style and type(c.value) is str else 0)
                 for c in r] for r in ws.iter_rows()]
        merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
        hidden_rows, hidden_cols = holding(grid, *_xlsx_hidden(ws, len(grid)))
        if (hidden_rows or hidden_cols) and notes is not None:
            notes.append(hidden_note(ws.title, hidden_rows, hidden_cols))
        for i, cells in visible(fill_merges(grid, merges), merges, hidden_rows, hidden_cols):
            rows.append(Row(path.name, i, tuple(cells), sheet=ws.title, grid=True))
    return rows


def _xlsx_hidden(ws, height: int) -> tuple[set[int], set[int]]:
    """The 0-based rows and columns of a sheet hidden with content in them; rows hidden by a filter
    (the sheet has an 自动筛选) are rows of the table all the same and are kept."""
    cols = {c - 1 for dim in ws.column_dimensions.values() if dim.hidden and dim.min
            for c in range(dim.min, min(dim.max or dim.min, ws.max_column) + 1)}
    rows = set() if ws.auto_filter.ref else {r - 1 for r, dim in ws.row_dimensions.items() if dim.hidden and r <= height}
    return rows, cols


def xls_rows(path: Path, data: bytes) -> tuple[list[Row], list[str]]:
    """Rows of every sheet of an old binary .xls (BIFF8, Excel 97–2003), read with python-calamine."""
    import python_calamine as pc

    where = str(path)
    if len(data) > MAX_XLS_BYTES:
        raise ScoreError(f"工作簿有 {len(data) / 1024**2:,.0f} MB，超过 .xls 的上限 {MAX_XLS_BYTES // 1024**2} MB",
                         where=where, hint="确认选对了文件；绩效目标表另存为 .xlsx 后再导入")
    formats, extents, indents, hidden = read_biff(data)
    for sheet, (height, width) in extents.items():
        if height * width > MAX_SHEET_CELLS:
            raise ScoreError(f"工作表的使用范围有 {height:,} 行 × {width:,} 列，超出安全限度 {MAX_SHEET_CELLS:,} 个单元格",
                             where=place(where, sheet), hint="删去表格以外的空行空列，另存为 .xlsx 后再导入")
    notes = [] if extents else ["读不到 .xls 的数字格式：数字按“常规”格式读取（百分比显示为小数）"]
    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [(m.name, wb.get_sheet_by_name(m.name)) for m in wb.sheets_metadata
                  if m.typ == pc.SheetTypeEnum.WorkSheet]
    except pc.PasswordError:
        raise ScoreError("工作簿已加密（设置了打开密码），无法读取", where=where,
                         hint="请在 Excel 中取消打开密码后重新保存") from None
    except Exception as exc:   # calamine's errors: damaged or unsupported .xls
        raise ScoreError(f"无法读取 .xls 工作簿：{_reason(exc)}", where=where,
                         hint="请用 Excel 或 WPS 打开，另存为 Excel 工作簿（*.xlsx）后再导入") from None
    rows: list[Row] = []
    for name, ws in sheets:
        codes = formats.get(name, {})
        try:
            values = ws.to_python(skip_empty_area=False)
        except Exception as exc:
            raise ScoreError(f"工作表无法读取：{_reason(exc)}", where=place(where, name),
                             hint="请用 Excel 或 WPS 打开，另存为 .xlsx 后再导入") from None
        steps = indents.get(name, {})
        grid = [[indented(v, codes.get((r, c)), steps.get((r, c), 0)) if v != "" else "" for c, v in enumerate(line)]
                for r, line in enumerate(values)]
        merges = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ws.merged_cell_ranges or ()]
        hidden_rows, hidden_cols = holding(grid, *hidden.get(name, (set(), set())))
        if hidden_rows or hidden_cols:
            notes.append(hidden_note(name, hidden_rows, hidden_cols))
        for i, cells in visible(fill_merges(grid, merges), merges, hidden_rows, hidden_cols):
            rows.append(Row(path.name, i, tuple(cells), sheet=name, grid=True))
    return rows, notes


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}（{text[:80]}）" if text else type(exc).__name__
