"""Source documents as rows of cells: the only part of the importer that touches files.

A source is sniffed by its bytes, not its name, and read by the module for its format:
:mod:`.spreadsheets` (.xlsx, after :func:`scoring.xlsx.check_xlsx`; .xls), :mod:`.xmlsheets`
(.ods; an ``.xls`` that is XML), :mod:`.docx`, :mod:`.pdf`, :mod:`.htmltables` (an ``.xls`` or
``.mht`` that is a web page) and :mod:`.text` (text extracted from a PDF or Word document, CSV,
Markdown). Each returns :class:`~scoring.importer.rows.Row` s with the same cells for the same table.
A format none of them reads (.doc, .et, .wps, .rtf, an image, an archive) is refused with a message
that names the format found and what to save it as.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import replace
from pathlib import Path

from scoring.findings import ScoreError
from scoring.importer.rows import Row, align, display_width, measure, spaced_row
from scoring.importer.spreadsheets import xlsx_rows
from scoring.importer.text import text_rows
from scoring.language.normalize import in_traditional, to_simplified

__all__ = ["Row", "align", "display_width", "measure", "read_rows", "spaced_row", "text_rows", "xlsx_rows"]

MAX_SOURCE_BYTES = 200 * 1024**2   # no reader is given more (each has its own, smaller limit)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAVE_XLSX = "请用 Excel 或 WPS 打开，“另存为” Excel 工作簿（*.xlsx）后再导入"
SAVE_DOCX = "请用 Word 或 WPS 打开，“另存为” Word 文档（*.docx）后再导入"
_IMAGES = ((b"\x89PNG", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"), (b"BM", "BMP"),
           (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"))
_ARCHIVES = ((b"Rar!", "RAR"), (b"7z\xbc\xaf\x27\x1c", "7z"), (b"\x1f\x8b", "gzip"))


def read_rows(path: str | Path) -> tuple[list[Row], list[str]]:
    """The rows of a source document, and notes on how it was read (format, encoding, separators); a table
    in traditional characters (a 自评表 from a mirror site, 績效指標 / 指標值) is read in simplified ones, as
    the word lists are written (each row keeps its cells as written in ``written``: the importer puts the
    names and values back as written), and says so."""
    rows, notes = _document_rows(Path(path))
    rows = [spanned(r) for r in rows]
    cells = "\n".join(c for r in rows[:2000] for c in r.cells if c)
    if in_traditional(cells):
        rows = [replace(r, cells=tuple(to_simplified(c) for c in r.cells), written=r.cells) for r in rows]
        notes.append(TRADITIONAL_NOTE)
    return rows, notes


def spanned(row: Row) -> Row:
    """A grid row whose every filled cell holds the same text (a title or a unit line merged across the table, then
    unmerged with the text copied into every cell, as some systems export it) as that text once, in its first cell.

    >>> spanned(Row("a.xlsx", 1, ("某局项目支出绩效目标表",) * 4, grid=True)).cells
    ('某局项目支出绩效目标表', '', '', '')
    >>> spanned(Row("a.xlsx", 2, ("按时完成", "按时完成"), grid=True)).cells    # two cells: a name may equal its target
    ('按时完成', '按时完成')
    """
    filled = [t for t in row.cells if t and t.strip()]
    if not row.grid or len(filled) < 3 or len({t.strip() for t in filled}) != 1:
        return row
    first = next(c for c, t in enumerate(row.cells) if t and t.strip())
    return replace(row, cells=tuple(t if c == first else "" for c, t in enumerate(row.cells)),
                   written=None if row.written is None else tuple(t if c == first else "" for c, t in enumerate(row.written)))


TRADITIONAL_NOTE = "文件是繁体字：表头和层级按简体字识别（OpenCC 繁简转换），导入的名称和指标值保持原文的繁体字"


def _document_rows(path: Path) -> tuple[list[Row], list[str]]:
    data = _read(path)
    head = data[:8]
    where = str(path)
    if head.startswith(b"PK\x03\x04"):
        return _zip(path)
    if b"%PDF-" in data[:1024]:
        from scoring.importer.pdf import pdf_rows

        return pdf_rows(path, data)
    if head == OLE_MAGIC:
        return _ole(path, data)
    if data.startswith(b"{\\rtf"):
        raise ScoreError("这是 RTF 文档（富文本），不能直接导入", where=where, hint=SAVE_DOCX)
    for magic, kind in _IMAGES:
        if data.startswith(magic):
            raise ScoreError(f"这是图片（{kind}），没有文字层，无法读取表格", where=where,
                             hint="请用 OCR 软件识别成 Word/Excel 或文本后再导入，或向发布单位要电子版")
    if data[8:12] == b"WEBP" and data.startswith(b"RIFF"):
        raise ScoreError("这是图片（WebP），没有文字层，无法读取表格", where=where,
                         hint="请用 OCR 软件识别成 Word/Excel 或文本后再导入，或向发布单位要电子版")
    for magic, kind in _ARCHIVES:
        if data.startswith(magic):
            raise ScoreError(f"这是压缩包（{kind}），不能直接导入", where=where, hint="请先解压，再导入其中的表格文件")
    start = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"mime-version:") or b"\nmime-version:" in start[:1024]:
        return _mht(path, data)
    if start.startswith(b"<?xml") or start.startswith(b"<workbook") or start.startswith(b"<office:document"):
        return _xml(path, data)
    rows, notes = text_rows(data, path.name)
    if start.startswith((b"<html", b"<!doctype html", b"<table")) and path.suffix.lower() in (".xls", ".et"):
        notes.insert(0, f"这个 {path.suffix} 文件实际是网页（HTML），按网页中的表格读取")
    return rows, notes


def _read(path: Path) -> bytes:
    where = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ScoreError("找不到文件", where=where) from None
    except OSError as exc:
        raise ScoreError(f"无法读取文件：{exc.strerror or exc}", where=where) from None
    if not stat.S_ISREG(st.st_mode):
        raise ScoreError("不是普通文件（是文件夹、管道或设备），无法导入", where=where)
    if st.st_size == 0:
        raise ScoreError("文件是空的（0 字节）", where=where, hint="请重新保存后再导入")
    if st.st_size > MAX_SOURCE_BYTES:
        raise ScoreError(f"文件有 {st.st_size / 1024**2:,.0f} MB，超过导入的上限 {MAX_SOURCE_BYTES // 1024**2} MB",
                         where=where, hint="只导入绩效目标表本身（一个表通常不到 1 MB）")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ScoreError(f"无法读取文件：{exc.strerror or exc}", where=where) from None


def _zip(path: Path) -> tuple[list[Row], list[str]]:
    """A zip package: Word, Excel, OpenDocument, or an archive of other files (named, not opened)."""
    where = str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            mimetype = zf.read("mimetype")[:100].decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as exc:
        raise ScoreError("文件已损坏（压缩包结构不完整），无法打开", where=where,
                         hint="请用 Excel/Word/WPS 打开并重新保存") from exc
    if "word/document.xml" in names:
        from scoring.importer.docx import docx_rows

        return docx_rows(path), ["Word 文件：按段落和表格行依次编号（第n行）"]
    if any(n.startswith("xl/workbook") for n in names):
        notes: list[str] = []
        return xlsx_rows(path, notes), notes
    if mimetype.startswith("application/vnd.oasis.opendocument.spreadsheet"):
        from scoring.importer.xmlsheets import ods_rows

        notes = ["OpenDocument 表格（.ods）：合并单元格按 Excel 的方式展开，数字按表格中显示的文字读取"]
        return ods_rows(path, notes=notes), notes
    if mimetype.startswith("application/vnd.oasis.opendocument.text"):
        raise ScoreError("这是 OpenDocument 文字文档（.odt），不能直接导入", where=where, hint=SAVE_DOCX)
    if any(n.startswith("ppt/") for n in names):
        raise ScoreError("这是 PowerPoint 演示文稿（.pptx），不能导入", where=where,
                         hint="把其中的绩效目标表复制到 Excel 中，保存为 .xlsx 后再导入")
    shown = "、".join(n for n in names[:5]) + ("等" if len(names) > 5 else "")
    raise ScoreError(f"这是压缩包（.zip），不是 Excel 或 Word 文件；里面有：{shown or '（空）'}", where=where,
                     hint="请先解压，再导入其中的表格文件（.xlsx、.xls、.docx、.pdf 等）")


def _ole(path: Path, data: bytes) -> tuple[list[Row], list[str]]:
    """An OLE compound file: an old .xls is read; .doc, .wps, an encrypted file are named."""
    from scoring.importer.biff import OleError, ole_directory

    where = str(path)
    try:
        streams = ole_directory(data)
    except OleError:
        streams = set()
    suffix = path.suffix.lower()
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        raise ScoreError("文件已加密（设置了打开密码），无法读取", where=where,
                         hint="请在 Excel/Word/WPS 中取消打开密码后重新保存")
    if "WordDocument" in streams:
        kind = "WPS 文字文档（.wps）" if suffix == ".wps" else "旧版 Word 文档（.doc）"
        raise ScoreError(f"这是{kind}，不能直接导入", where=where, hint=SAVE_DOCX)
    if "Workbook" in streams or "Book" in streams or not streams:
        from scoring.importer.spreadsheets import xls_rows

        try:
            rows, notes = xls_rows(path, data)
        except ScoreError as exc:
            if suffix == ".et" or not streams:
                kind = "WPS 表格（.et）" if suffix == ".et" else "OLE 复合文档"
                raise ScoreError(f"这是{kind}文件，读取失败：{exc.message}", where=where, hint=SAVE_XLSX) from None
            raise
        kind = "WPS 表格（.et，按 .xls 读取）" if suffix == ".et" else "旧版 Excel 工作簿（.xls）"
        return rows, [f"{kind}：合并单元格按 Excel 的方式展开，数字按单元格的数字格式显示", *notes]
    if "PowerPoint Document" in streams:
        raise ScoreError("这是旧版 PowerPoint 演示文稿（.ppt），不能导入", where=where,
                         hint="把其中的绩效目标表复制到 Excel 中，保存为 .xlsx 后再导入")
    raise ScoreError("这是 OLE 复合文档，但不是 Excel 或 Word 文件，无法读取", where=where,
                     hint="请用制作它的软件打开，另存为 .xlsx 或 .docx 后再导入")


def _xml(path: Path, data: bytes) -> tuple[list[Row], list[str]]:
    """An XML file: Excel XML Spreadsheet 2003, a flat OpenDocument spreadsheet, or (named) a Word XML file."""
    from scoring.importer.xmlsheets import is_spreadsheet_xml, xml2003_rows

    head = data[:8192]
    where = str(path)
    if is_spreadsheet_xml(head):
        notes = ["Excel XML 表格（XML Spreadsheet 2003）：按工作表读取，合并单元格按 Excel 的方式展开"]
        return xml2003_rows(path, data, notes), notes
    if b"urn:schemas-microsoft-com:office:word" in head or b"<w:wordDocument" in head:
        raise ScoreError("这是 Word XML 文档（Word 2003 XML），不能直接导入", where=where, hint=SAVE_DOCX)
    if b"opendocument" in head and b"<office:spreadsheet" in data[:1 << 20]:
        from scoring.importer.xmlsheets import ods_rows

        notes = ["单文件 OpenDocument 表格（.fods）：合并单元格按 Excel 的方式展开"]
        return ods_rows(path, data, notes), notes
    if b"<table" in data.lower():
        return text_rows(data, path.name)
    raise ScoreError("这是 XML 文件，但不是 Excel 表格", where=where, hint=SAVE_XLSX)


def _mht(path: Path, data: bytes) -> tuple[list[Row], list[str]]:
    """A single-file web page (.mht, Excel's 单个文件网页): its HTML part read as a web page."""
    import email
    from email import policy

    from scoring.importer.htmltables import html_rows

    msg = email.message_from_bytes(data, policy=policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            body = part.get_payload(decode=True) or b""
            charset = part.get_content_charset() or "utf-8"
            try:
                text = body.decode(charset)
            except (LookupError, UnicodeDecodeError):
                text = body.decode("gb18030", "replace")
            return html_rows(text.replace("\r\n", "\n"), path.name), ["单个文件网页（.mht）：按网页中的表格读取"]
    raise ScoreError("这是单个文件网页（.mht），但里面没有网页正文", where=str(path), hint=SAVE_XLSX)
