"""Open a user's .xlsx safely, and look inside it where the value reader cannot.

No xlsx reader limits decompression: a 400 KB file can expand past 1 GB in openpyxl and
calamine alike. :func:`check_xlsx` therefore reads the zip's central directory (declared sizes,
never decompressing) and the first bytes of each XML part before any reader opens the file, and
refuses, with a Chinese message naming the file, anything that is not a sane workbook:

- not a file, empty, not a zip (a CSV or an old .xls renamed), an encrypted workbook (an OLE
  container with a password), a damaged zip;
- a zip bomb: more declared content than :data:`MAX_TOTAL_BYTES`, or a part that expands more
  than :data:`MAX_RATIO` times beyond :data:`RATIO_FLOOR_BYTES`;
- an XML bomb: any XML part declaring a DOCTYPE (entities are how billion-laughs works; Excel
  never writes one).

:func:`inspect_cells` reads the style and formula of a few cells straight from the sheet XML:
a percent number format (0.92 in a percent cell is 92 %) and a formula with no cached value
are invisible to calamine, which gives values only.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import unescape

from scoring.findings import ScoreError

MAX_TOTAL_BYTES = 4 * 1024**3  # declared, uncompressed: a million-row workbook is a few hundred MB
MAX_PART_BYTES = 2 * 1024**3
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 64 * 1024**2
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


def check_xlsx(path: str | Path, *, label: str | None = None) -> None:
    """Raise :class:`ScoreError` (exit 2) unless ``path`` is a workbook that is safe to open."""
    p = Path(path)
    where = label or str(path)
    if not p.exists():
        raise ScoreError("文件不存在", where=where, hint="请检查路径，或用 --actuals 指定实际值工作簿")
    if p.is_dir():
        raise ScoreError("这是一个文件夹，不是 Excel 工作簿", where=where)
    try:
        with p.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise ScoreError(f"无法读取文件：{exc.strerror or exc}", where=where) from exc
    if not head:
        raise ScoreError("文件是空的（0 字节）", where=where, hint="请重新保存工作簿后再试")
    if head.startswith(OLE_MAGIC):
        raise ScoreError("工作簿已加密（设置了打开密码），或是旧版 .xls 格式", where=where,
                         hint="请在 Excel 中取消打开密码，并“另存为” Excel 工作簿（*.xlsx）")
    if not head.startswith(ZIP_MAGIC):
        raise ScoreError("不是 Excel 工作簿（.xlsx）", where=where,
                         hint="请用 Excel 打开后“另存为” Excel 工作簿（*.xlsx）；CSV、WPS 或旧版 .xls 文件需要先转换")
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ScoreError("工作簿已损坏（压缩包结构不完整），无法打开", where=where,
                         hint="请用 Excel 打开并重新保存；如果 Excel 也打不开，请从备份恢复") from exc
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/workbook") for n in names):
            raise ScoreError("压缩包里没有 Excel 工作簿的内容（缺少 xl/workbook.xml）", where=where,
                             hint="请确认选择的是 Excel 工作簿（*.xlsx）")
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise ScoreError("工作簿中有加密的部分，无法读取", where=where, hint="请在 Excel 中取消密码后重新保存")
            total += info.file_size
            if info.file_size > MAX_PART_BYTES or (
                info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1)
            ):
                raise ScoreError(
                    f"工作簿中的“{info.filename}”解压后有 {info.file_size / 1024**2:,.0f} MB，"
                    f"压缩比 {info.file_size / max(info.compress_size, 1):,.0f} 倍，超出安全限度（疑似“压缩炸弹”）",
                    where=where, hint="请确认文件来源；正常的工作簿不会这样，请重新导出或从模板重新填写")
        if total > MAX_TOTAL_BYTES:
            raise ScoreError(f"工作簿解压后共 {total / 1024**3:,.1f} GB，超出安全限度 {MAX_TOTAL_BYTES / 1024**3:.0f} GB",
                             where=where, hint="请把数据拆分到多个工作簿，或确认文件来源")
        for info in infos:
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with zf.open(info) as part:
                    start = part.read(4096)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
                raise ScoreError(f"工作簿已损坏：“{info.filename}”无法解压", where=where,
                                 hint="请用 Excel 打开并重新保存") from exc
            if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                raise ScoreError(f"工作簿中的“{info.filename}”含有 DOCTYPE/ENTITY 声明（疑似“XML 炸弹”），拒绝打开",
                                 where=where, hint="Excel 保存的文件不会有这种内容；请确认文件来源，或从模板重新填写")


@dataclass(frozen=True, slots=True)
class CellInfo:
    percent: bool  # the cell's number format shows a percentage
    formula: bool  # the cell holds a formula
    cached: bool  # the formula has a cached value
    error: str | None = None  # an Excel error value (#DIV/0!, #N/A …), which calamine reads as empty


_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"|'
                  rb'<Relationship\b[^>]*?\bTarget="([^"]+)"[^>]*?\bId="([^"]+)"')
_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]+)"|<sheet\b[^>]*?\br:id="([^"]+)"[^>]*?\bname="([^"]*)"')
_NUMFMT = re.compile(rb'<numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"')
_CELLXFS = re.compile(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", re.S)
_XF = re.compile(rb"<xf\b([^>]*)")
_NUMFMTID = re.compile(rb'numFmtId="(\d+)"')
_REF = re.compile(rb'\br="([A-Z]+\d+)"')
_STYLE = re.compile(rb'\bs="(\d+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_ERROR_TYPE = re.compile(rb'\bt="e"')
BUILTIN_PERCENT = {9, 10}


def _sheet_part(zf: zipfile.ZipFile, sheet_name: str) -> str | None:
    wb = zf.read("xl/workbook.xml")
    rels = zf.read("xl/_rels/workbook.xml.rels")
    targets = {}
    for m in _REL.finditer(rels):
        rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        targets[rid.decode()] = target.decode()
    for m in _SHEET.finditer(wb):
        name, rid = (m.group(1), m.group(2)) if m.group(1) is not None else (m.group(4), m.group(3))
        if unescape(name.decode(), {"&quot;": '"', "&apos;": "'"}) == sheet_name:
            target = targets.get(rid.decode())
            if target is None:
                return None
            target = target.lstrip("/")
            return target if target.startswith("xl/") else "xl/" + target
    return None


def _percent_styles(zf: zipfile.ZipFile) -> set[int]:
    try:
        styles = zf.read("xl/styles.xml")
    except KeyError:
        return set()
    percent_fmts = set(BUILTIN_PERCENT)
    for m in _NUMFMT.finditer(styles):
        code = unescape(m.group(2).decode(), {"&quot;": '"', "&apos;": "'"})
        # a % outside quotes and escapes is a percent format (0.00"%" shows 96 as 96%: not a percent)
        bare = re.sub(r'"[^"]*"|\\.', "", code)
        if "%" in bare:
            percent_fmts.add(int(m.group(1)))
    out = set()
    block = _CELLXFS.search(styles)
    if block:
        for i, xf in enumerate(_XF.finditer(block.group(1))):
            fm = _NUMFMTID.search(xf.group(1))
            if fm and int(fm.group(1)) in percent_fmts:
                out.add(i)
    return out


def inspect_cells(path: str | Path, sheet_name: str, refs: set[str]) -> dict[str, CellInfo]:
    """Format and formula facts for the cells ``refs`` (``G12``…) of one sheet; cells not found are absent."""
    if not refs:
        return {}
    by_column: dict[str, set[bytes]] = {}
    for r in refs:
        letter = r.rstrip("0123456789")
        if letter.isalpha() and letter.isupper() and letter.isascii() and len(letter) < len(r):
            by_column.setdefault(letter, set()).add(r[len(letter):].encode())
    out: dict[str, CellInfo] = {}
    with zipfile.ZipFile(path) as zf:
        part = _sheet_part(zf, sheet_name)
        if part is None:
            return {}
        percent = _percent_styles(zf)
        with zf.open(part) as stream:
            for chunk in _whole_rows(stream):
                for letter, rows in by_column.items():
                    _scan(chunk, letter, rows, percent, out)
    return out


def _whole_rows(stream, size: int = 1 << 24):
    """The sheet XML in pieces that end at a row boundary, so no cell is cut in two (streamed:
    a million-row sheet is hundreds of MB)."""
    tail = b""
    while True:
        block = stream.read(size)
        if not block:
            if tail:
                yield tail
            return
        data = tail + block
        cut = data.rfind(b"</row>")
        if cut < 0:
            tail = data
            continue
        yield data[: cut + 6]
        tail = data[cut + 6:]


_ODD_CELL = re.compile(rb'<c\s(?!r=")')  # a cell whose first attribute is not r="…"


def _scan(xml: bytes, letter: str, rows: set[bytes], percent: set[int], out: dict[str, CellInfo]) -> None:
    """The cells of column ``letter`` whose row number (as bytes) is in ``rows``, into ``out``.

    One ``findall`` per piece, anchored on the literal ``<c r="G`` (the regex engine skips to it);
    a piece where some cell does not start with ``r="`` (another writer's attribute order) takes the
    general path. Per cell only a set lookup, and the facts of the cells asked for."""
    if _ODD_CELL.search(xml):
        _scan_general(xml, letter, rows, percent, out)
        return
    is_pct: dict[bytes, bool] = {}
    plain = {True: CellInfo(True, False, True), False: CellInfo(False, False, True)}  # the usual cell, shared
    for row, style, attrs, body in _column_pattern(letter).findall(xml):
        if row not in rows:
            continue
        if not style and b's="' in attrs:
            m = _STYLE.search(attrs)
            style = m.group(1) if m else b""
        p = is_pct.get(style)
        if p is None:
            p = is_pct[style] = bool(style) and int(style) in percent
        if (b"<is>" in body or _plain_value(body)) and b"<f" not in body and b't="e"' not in attrs:
            info = plain[p]  # an inline string, or a value without formula: cached, no error
        else:
            info = _cell_info(style, attrs, body, percent)
        out[letter + row.decode()] = info


def _plain_value(body: bytes) -> bool:
    """``<v>0.96</v>`` and nothing else."""
    return body.startswith(b"<v>") and body.endswith(b"</v>") and len(body) > 7 and b"<" not in body[3:-4]


def _column_pattern(letter: str) -> re.Pattern:
    return re.compile(rb'<c r="' + letter.encode() + rb'(\d+)"(?: s="(\d+)")?([^>]*?)(?:/>|>(.*?)</c>)', re.S)


def _cell_info(style: bytes, attrs: bytes, body: bytes, percent: set[int]) -> CellInfo:
    value = _VALUE.search(body) if body else None
    return CellInfo(
        percent=bool(style) and int(style) in percent,
        formula=b"<f" in body,
        cached=bool(value and value.group(1)) or b"<is" in body,
        error=value.group(1).decode() if value and _ERROR_TYPE.search(attrs) else None,
    )


def _scan_general(xml: bytes, letter: str, rows: set[bytes], percent: set[int], out: dict[str, CellInfo]) -> None:
    """Any attribute order: each cell of the column found by a lookahead on its ``r``."""
    pattern = re.compile(rb'<c\b(?=[^>]*?\br="' + letter.encode() + rb'\d+")([^>]*?)(?:/>|>(.*?)</c>)', re.S)
    for attrs, body in pattern.findall(xml):
        ref = _REF.search(attrs)
        row = ref.group(1)[len(letter):] if ref else b""
        if row not in rows:
            continue
        style = _STYLE.search(attrs)
        out[f"{letter}{row.decode()}"] = _cell_info(style.group(1) if style else b"", attrs, body, percent)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    s = ""
    index += 1
    while index:
        index, r = divmod(index - 1, 26)
        s = chr(65 + r) + s
    return s


def cell_ref(row: int, col: int) -> str:
    """0-based row and column → ``G12``."""
    return f"{column_letter(col)}{row + 1}"
