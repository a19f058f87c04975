"""Open the actuals workbook: check it, open it with calamine and parse the sheets the run reads.

Kept apart from :mod:`scoring.actuals.workbook` (which reads the rows, with pandas) so that a run can
start opening the workbook before it imports pandas (:class:`scoring.precheck.Opening`): calamine
parses without holding the GIL, so the parse and the imports take the same time (issue 14).
"""

from __future__ import annotations

import stat
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




SAVE_AS_XLSX = ("用 Excel 打开它，点“文件 › 另存为”，“保存类型”选“Excel 工作簿(*.xlsx)”；WPS 表格：“文件 › 另存为”，"
                "“文件类型”选“Microsoft Excel 文件(*.xlsx)”；LibreOffice：“文件 › 另存为”，“文件类型”选“Excel 2007-365 (.xlsx)”。"
                "保存后用 --actuals 指向新的 .xlsx 文件再运行")
OTHER_SPREADSHEETS = (".xls", ".xlsb", ".xlsm", ".ods", ".et", ".ett", ".csv", ".numbers")  # not read in a folder
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SNIFF_BYTES = 1 << 16


def _ole_names(f, head: bytes) -> set[str]:
    """The stream names in an OLE2 compound file's first directory sector (where Workbook,
    EncryptedPackage or WordDocument stand)."""
    import struct

    shift = struct.unpack("<H", head[0x1E:0x20])[0]
    size = 1 << shift if 7 <= shift <= 16 else 512
    first = struct.unpack("<I", head[0x30:0x34])[0]
    f.seek((first + 1) * size)
    block = f.read(max(size, 512) * 4)
    names = set()
    for k in range(0, len(block) - 127, 128):
        length = struct.unpack("<H", block[k + 64:k + 66])[0]
        if 2 <= length <= 64:
            names.add(block[k:k + length - 2].decode("utf-16-le", "replace"))
    return names


def other_format(path: str | Path) -> tuple[str, str] | None:
    """(what the file is, what to do) when ``path`` is plainly not an .xlsx workbook: an Excel 97-2003
    or WPS workbook, a workbook with an opening password, an .ods or .xlsb, a web page, Excel 2003 XML
    or a CSV saved under a workbook's name, a PDF or a Word document. None for a zip that holds a
    workbook, or anything else (the guard, :func:`scoring.xlsx.check_xlsx`, says what is wrong then).
    Reads at most the first 64 KB and one directory sector; never raises."""
    p = Path(path)
    try:
        if not stat.S_ISREG(p.stat().st_mode):  # a pipe would block the read: the guard refuses it
            return None
        with p.open("rb") as f:
            head = f.read(_SNIFF_BYTES)
            if head.startswith(_OLE):
                names = _ole_names(f, head)
                if {"EncryptedPackage", "EncryptionInfo"} & names:
                    return ("设置了打开密码的 Excel 工作簿（已加密）",
                            "用 Excel 输入密码打开，在“文件 › 信息 › 保护工作簿 › 用密码进行加密”中清空密码并保存，再运行")
                if {"Workbook", "Book"} & names:
                    what = "WPS 表格文件（.et）" if p.suffix.lower() in (".et", ".ett") else "旧版 Excel 97-2003 工作簿（.xls）"
                    return what, SAVE_AS_XLSX
                if "WordDocument" in names:
                    return "Word 97-2003 文档（.doc）", "请给出实际值工作簿（score template 生成的 .xlsx）"
                return None  # a container whose directory says nothing: the guard names both possibilities
    except OSError:
        return None
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(p) as z:
                names = set(z.namelist())
                mime = z.read("mimetype")[:100] if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, zlib.error):
            return None
        if b"opendocument.spreadsheet" in mime:
            return "OpenDocument 电子表格（.ods，LibreOffice / WPS 等保存）", SAVE_AS_XLSX
        if mime:
            return "OpenDocument 文件（不是电子表格）", "请给出实际值工作簿（score template 生成的 .xlsx）"
        if "xl/workbook.bin" in names:
            return "Excel 二进制工作簿（.xlsb）", SAVE_AS_XLSX
        if any(n.startswith("word/") for n in names):
            return "Word 文档（.docx）", "请给出实际值工作簿（score template 生成的 .xlsx）"
        if any(n.startswith("ppt/") for n in names):
            return "PowerPoint 演示文稿", "请给出实际值工作簿（score template 生成的 .xlsx）"
        return None
    if head.startswith(b"%PDF"):
        return "PDF 文件", "请给出实际值工作簿（score template 生成的 .xlsx）；PDF 中的目标表用 score import 导入"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in text:
        return "Excel 2003 XML 表格（扩展名像工作簿，内容是 XML）", SAVE_AS_XLSX
    if text.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")) or (text.startswith(b"<") and b"<table" in text):
        return "网页（HTML）格式的表格（常见于系统导出的“.xls”）", SAVE_AS_XLSX
    if head and b"\x00" not in head[:4096] and (b"," in head or b"\t" in head):
        return ("CSV 或文本文件（没有工作表）",
                "请用 score template 生成实际值模板，把数据粘贴到模板的“指标实际值”等表中，保存为 .xlsx 后再运行")
    return None


def refuse_other_format(path: str | Path, label: str) -> None:
    """Raise :class:`ScoreError` naming the format and exactly what to do, when ``path`` is another kind
    of file (:func:`other_format`); else nothing (the guard speaks for damaged or hostile workbooks)."""
    said = other_format(path)
    if said is not None:
        raise ScoreError(f"这不是 Excel 工作簿（.xlsx），而是{said[0]}", where=label, hint=said[1])


def open_workbook(path: str | Path, label: str, sheets: tuple[str, ...], *, checked: bool = False):
    """Check the package (:func:`scoring.xlsx.check_xlsx`, unless the caller has: ``checked``) and
    open it with calamine; every sheet in ``sheets`` must be there. Bad files → :class:`ScoreError`
    naming ``label`` (another kind of file named for what it is: :func:`refuse_other_format`)."""
    if not checked:
        refuse_other_format(path, label)
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
