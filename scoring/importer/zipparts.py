"""One part of a zip package (a .docx's ``word/document.xml``, an .ods's ``content.xml``), read safely.

Checked the way :func:`scoring.xlsx.check_xlsx` checks a workbook, before anything is inflated:
declared size and compression ratio (zip bombs), encryption; and after: no DOCTYPE/ENTITY
declaration (XML bombs). Every refusal names the file and says what to do.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from scoring.findings import ScoreError

MAX_PART_BYTES = 256 * 1024**2
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 16 * 1024**2


def read_part(path: Path, part: str, kind: str, resave: str, encrypted: bytes | None = None) -> bytes:
    """The bytes of ``part``; ``kind`` names the file for people (Word 文件), ``resave`` says how to mend it.

    ``encrypted`` is a marker whose presence in ``META-INF/manifest.xml`` means the part is encrypted.
    """
    where = str(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ScoreError(f"{kind}已损坏（压缩包结构不完整），无法打开", where=where, hint=resave) from exc
    with zf:
        try:
            info = zf.getinfo(part)
        except KeyError:
            raise ScoreError(f"压缩包里没有{kind}的内容（缺少 {part}）", where=where,
                             hint="请确认选择的是 Word 文档（*.docx）或 Excel 工作簿（*.xlsx）") from None
        manifest = b""
        if encrypted and "META-INF/manifest.xml" in zf.namelist():
            manifest = zf.read("META-INF/manifest.xml")[:1 << 20]
        if info.flag_bits & 0x1 or (encrypted and encrypted in manifest):
            raise ScoreError(f"{kind}已加密（设置了打开密码），无法读取", where=where, hint="请取消密码后重新保存")
        if info.file_size > MAX_PART_BYTES or (
                info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
            raise ScoreError(f"{kind}解压后有 {info.file_size / 1024**2:,.0f} MB，超出安全限度（疑似“压缩炸弹”）",
                             where=where, hint="请确认文件来源，或把绩效目标表另存为 .xlsx 后导入")
        try:
            data = zf.read(info)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            raise ScoreError(f"{kind}已损坏：内容无法解压", where=where, hint=resave) from exc
    refuse_doctype(data[:65536], where, kind)
    return data


def refuse_doctype(head: bytes, where: str, kind: str) -> None:
    """Refuse XML that declares a DOCTYPE or ENTITY (entity expansion is how an XML bomb works)."""
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise ScoreError(f"{kind}含有 DOCTYPE/ENTITY 声明（疑似“XML 炸弹”），拒绝打开", where=where,
                         hint="办公软件保存的文件不会有这种内容；请确认文件来源")
