"""Open a user's .xlsx safely, and look inside it where the value reader cannot.

No xlsx reader limits decompression: a 400 KB file can expand past 1 GB in openpyxl and
calamine alike. :func:`check_xlsx` therefore reads the zip's central directory (declared sizes,
never decompressing) and the first bytes of each XML part before any reader opens the file, and
refuses, with a Chinese message naming the file, anything that is not a sane workbook:

- not a file, empty, not a zip (a CSV or an old .xls renamed), an encrypted workbook (an OLE
  container with a password), a damaged zip;
- a zip bomb: more declared content than :data:`MAX_TOTAL_BYTES`, a part over :data:`MAX_PART_BYTES`,
  or a part that expands more than :data:`MAX_RATIO` times beyond :data:`RATIO_FLOOR_BYTES`;
- a used range too large to allocate: a sheet whose farthest cell (``XFD1048576`` in a 1 KB file)
  makes A1 to it more than :data:`MAX_CELLS` cells. Readers allocate the whole rectangle (calamine
  aborts the process, openpyxl raises MemoryError), so each sheet's XML is scanned first, streamed,
  in bounded memory;
- an XML bomb: any XML part declaring a DOCTYPE (entities are how billion-laughs works; Excel
  never writes one).

:func:`inspect_cells` reads the style and formula of a few cells straight from the sheet XML:
a percent number format (0.92 in a percent cell is 92 %) and a formula with no cached value
are invisible to calamine, which gives values only.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scoring.findings import ScoreError, place

MAX_TOTAL_BYTES = 2 * 1024**3  # declared, uncompressed: a million-row workbook is about 650 MB
MAX_PART_BYTES = 1024**3  # one part (a sheet's XML); a million-row sheet is about 620 MB
MAX_RATIO = 100  # real sheet XML compresses 8–20 times
RATIO_FLOOR_BYTES = 32 * 1024**2  # a part smaller than this may compress as much as it likes
MAX_ROWS = 1_048_576  # Excel's own limits
MAX_COLUMNS = 16_384
MAX_CELLS = 2**25  # the used range (A1 to the farthest cell) a reader allocates: 1,048,576 rows × 32 columns
SCAN_BYTES = 1 << 24
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


def check_xlsx(path: str | Path, *, label: str | None = None) -> None:
    """Raise :class:`ScoreError` (exit 2) unless ``path`` is a workbook that is safe to open.

    Nothing is inflated past the limits: sizes and ratios come from the zip's central directory,
    and the sheets' used ranges from a streamed scan of their XML (bounded memory)."""
    p = Path(path)
    where = label or str(path)
    _check_file(p, where)
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
        _check_sizes(infos, where)
        for info in infos:
            if info.filename.endswith((".xml", ".rels", ".vml")):
                _check_xml_head(zf, info, where)
        sheet_names = _sheet_names(zf)
        for info in infos:
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                _check_used_range(zf, info, place(where, sheet_names.get(info.filename, info.filename)))


def _check_file(p: Path, where: str) -> None:
    try:
        st = p.stat()
    except FileNotFoundError:
        raise ScoreError("文件不存在", where=where, hint="请检查路径，或用 --actuals 指定实际值工作簿") from None
    except OSError as exc:
        raise ScoreError(f"无法读取文件：{exc.strerror or exc}", where=where) from None
    if stat.S_ISDIR(st.st_mode):
        raise ScoreError("这是一个文件夹，不是 Excel 工作簿", where=where)
    if not stat.S_ISREG(st.st_mode):  # opening a FIFO would wait forever for a writer
        raise ScoreError("这不是普通文件（是管道、设备或套接字），不能作为 Excel 工作簿读取", where=where,
                         hint="请给出磁盘上的 Excel 工作簿（*.xlsx）")
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


def _check_sizes(infos: list[zipfile.ZipInfo], where: str) -> None:
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ScoreError("工作簿中有加密的部分，无法读取", where=where, hint="请在 Excel 中取消密码后重新保存")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART_BYTES or (info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO):
            raise ScoreError(
                f"工作簿中的“{info.filename}”解压后有 {info.file_size / 1024**2:,.0f} MB，压缩比 {ratio:,.0f} 倍，"
                f"超出安全限度（单个部分不超过 {MAX_PART_BYTES / 1024**2:,.0f} MB；"
                f"超过 {RATIO_FLOOR_BYTES / 1024**2:,.0f} MB 的部分压缩比不超过 {MAX_RATIO} 倍），疑似“压缩炸弹”，未解压",
                where=where, hint="请确认文件来源；正常的工作簿不会这样，请重新导出或从模板重新填写")
    if total > MAX_TOTAL_BYTES:
        raise ScoreError(f"工作簿解压后共 {total / 1024**3:,.1f} GB，超出安全限度 {MAX_TOTAL_BYTES / 1024**3:.0f} GB",
                         where=where, hint="请把数据拆分到多个工作簿，或确认文件来源")


def _check_xml_head(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> None:
    try:
        with zf.open(info) as part:
            start = part.read(4096)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error) as exc:
        raise ScoreError(f"工作簿已损坏：“{info.filename}”无法解压", where=where,
                         hint="请用 Excel 打开并重新保存") from exc
    if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
        raise ScoreError(f"工作簿中的“{info.filename}”含有 DOCTYPE/ENTITY 声明（疑似“XML 炸弹”），拒绝打开",
                         where=where, hint="Excel 保存的文件不会有这种内容；请确认文件来源，或从模板重新填写")


# the used range. A sheet as Excel writes it (columns A–Z, rows under 1,000,000, every cell and row
# with its r=) has no match of _SUSPECT and costs one search per 16 MB; any other is counted exactly.
_SUSPECT = (re.compile(rb'r="(?:[A-Z]{2}|[A-Z]?\d{7})'), re.compile(rb'<c(?:>|/>| (?!r="))'),
            re.compile(rb'<row(?:>|/>| (?!r="))'))  # three literal-prefixed searches: one alternation is 4× slower
_NO_REF = re.compile(rb'<(?:c|row)(?:>|/>|\s+(?!r=")[a-qs-z])')
_REFS = re.compile(rb' r="([A-Z]{0,4})(\d+)"')
_TAG = re.compile(rb'<(row|c)\b([^>]*)>')
_R_ATTR = re.compile(rb'\br="([A-Z]{0,4})(\d*)"')


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo):
    """The part's XML in pieces that end at a tag's end (streamed, :data:`SCAN_BYTES` at a time)."""
    tail = b""
    with zf.open(info) as stream:
        while block := stream.read(SCAN_BYTES):
            data = tail + block
            cut = data.rfind(b">") + 1
            yield data[:cut]
            tail = data[cut:]
    if tail:
        yield tail


def _check_used_range(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> None:
    """Refuse a sheet whose A1-to-farthest-cell rectangle exceeds :data:`MAX_CELLS` (or Excel's limits).

    The common sheet (columns A–Z, every cell and row with its r=) costs two regex searches per
    16 MB; only a sheet with wider columns or cells without r= gets the exact count."""
    try:
        if not any(rx.search(chunk) for chunk in _chunks(zf, info) for rx in _SUSPECT):
            return
        rows, cols = _extent(zf, info, tagged=False)
        if rows < 0:
            rows, cols = _extent(zf, info, tagged=True)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, zlib.error) as exc:
        raise ScoreError("工作表已损坏，无法解压", where=where, hint="请用 Excel 打开并重新保存") from exc
    if rows > MAX_ROWS or cols > MAX_COLUMNS or rows * cols > MAX_CELLS:
        _too_large(where, rows, cols)


def _extent(zf: zipfile.ZipFile, info: zipfile.ZipInfo, tagged: bool) -> tuple[int, int]:
    """(rows, columns) from A1 to the farthest cell. Untagged, from the r= of cells and rows alone
    (``(-1, -1)`` when some cell or row has none); ``tagged``, placing each cell as a reader does
    (one without r= follows the one before), tag by tag."""
    rows = cols = row = col = 0
    for chunk in _chunks(zf, info):
        if tagged:
            for tag, attrs in _TAG.findall(chunk):
                ref = _R_ATTR.search(attrs)
                if tag == b"row":
                    row, col = (int(ref.group(2)) if ref and ref.group(2) else row + 1), 0
                elif ref and ref.group(1):
                    col, row = _column_number(ref.group(1)), int(ref.group(2) or row)
                else:
                    col += 1
                rows, cols = max(rows, row), max(cols, col)
        elif _NO_REF.search(chunk):
            return -1, -1
        else:
            letters, digits = set(), 0
            for c, r in _REFS.findall(chunk):
                letters.add(c)
                digits = max(digits, int(r))
            rows = max(rows, digits)
            cols = max([cols, *(_column_number(c) for c in letters)])
        if rows > MAX_ROWS or rows * cols > MAX_CELLS:
            break
    return rows, cols


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _too_large(where: str, rows: int, cols: int | None) -> None:
    far = f"{column_letter(cols - 1)}{rows}" if cols else f"第 {rows:,} 行"
    size = f"{rows:,} 行 × {cols:,} 列" if cols else f"{rows:,} 行"
    raise ScoreError(f"工作表的使用范围从 A1 到 {far}（{size}），超出安全限度（Excel 最多 {MAX_ROWS:,} 行、{MAX_COLUMNS:,} 列；"
                     f"本工具最多读取 {MAX_CELLS:,} 个单元格的范围），未读取", where=place(where, far),
                     hint=f"远处单元格 {far} 中可能有误填的内容或格式：请在 Excel 中删除多余的行和列后保存再试")


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Part name (``xl/worksheets/sheet1.xml``) → sheet name, for messages; empty when unreadable."""
    try:
        wb = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError, zlib.error):
        return {}
    targets = {}
    for m in _REL.finditer(rels):
        rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        t = target.decode().lstrip("/")
        targets[rid.decode()] = t if t.startswith("xl/") else "xl/" + t
    out = {}
    for m in _SHEET.finditer(wb):
        name, rid = (m.group(1), m.group(2)) if m.group(1) is not None else (m.group(4), m.group(3))
        if rid.decode() in targets:
            out[targets[rid.decode()]] = _unescape(name.decode())
    return out


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
        if _unescape(name.decode()) == sheet_name:
            target = targets.get(rid.decode())
            if target is None:
                return None
            target = target.lstrip("/")
            return target if target.startswith("xl/") else "xl/" + target
    return None


def _unescape(text: str) -> str:
    """An attribute's text with the five named XML entities replaced (``&amp;`` last, as
    ``xml.sax.saxutils.unescape`` does; that module imports urllib and email: 30 ms, at every start).

    >>> print(_unescape("0.00&quot;%&quot; &lt;&amp;lt;&gt; &apos;"))
    0.00"%" <&lt;> '
    """
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


def _percent_styles(zf: zipfile.ZipFile) -> set[int]:
    try:
        styles = zf.read("xl/styles.xml")
    except KeyError:
        return set()
    percent_fmts = set(BUILTIN_PERCENT)
    for m in _NUMFMT.finditer(styles):
        code = _unescape(m.group(2).decode())
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


def special_cells(path: str | Path, sheet_name: str) -> dict[str, CellInfo]:
    """Every cell of a sheet that is not a plain value: a percent number format, a formula, or an
    Excel error. A cell absent from the answer is a plain value (no percent, no formula, no error).

    The whole sheet in one streamed pass that touches only those cells: one ``findall`` for the
    percent-styled cells (``<c r="G5" s="9"``, as Excel writes them), and a look at each formula or
    error where it stands, so a sheet of plain values costs the decompression and two searches. A
    piece where some cell does not start with ``r="`` (another writer's attribute order) takes the
    general path, cell by cell."""
    out: dict[str, CellInfo] = {}
    with zipfile.ZipFile(path) as zf:
        part = _sheet_part(zf, sheet_name)
        if part is None:
            return {}
        percent = frozenset(_percent_styles(zf))
        with zf.open(part) as stream:
            for chunk in _whole_rows(stream):
                _special(chunk, percent, out)
    return out


def _special(xml: bytes, percent: frozenset[int], out: dict[str, CellInfo]) -> None:
    """The cells of ``xml`` (whole rows) that are not plain values, into ``out``."""
    if _ODD_CELL.search(xml):
        _special_general(xml, percent, out)
        return
    if percent:
        pct = CellInfo(True, False, True)
        for ref, _ in _percent_cell(percent).findall(xml):
            out[ref.decode()] = pct
    for mark in _MARKS:  # each a literal search: one alternation would try every byte
        for m in mark.finditer(xml):
            cell = _CELL_AT.match(xml, xml.rfind(b"<c ", 0, m.start()))
            if cell is not None:
                ref, style, attrs, body = cell.groups()
                if not style and b's="' in attrs:
                    found = _STYLE.search(attrs)
                    style = found.group(1) if found else b""
                out[ref.decode()] = _cell_info(style or b"", attrs, body or b"", percent)


@lru_cache(maxsize=8)
def _percent_cell(percent: frozenset[int]) -> re.Pattern:
    """``<c r="G5" s="9"`` for the percent styles (``r=`` first, as every common writer puts it;
    ``t=`` may come before ``s=``)."""
    return re.compile(rb'<c r="([A-Z]{1,3}\d+)"(?: t="[^"]*")? s="0*(' + b"|".join(str(n).encode() for n in sorted(percent)) + rb')"')


def _special_general(xml: bytes, percent: set[int], out: dict[str, CellInfo]) -> None:
    """:func:`special_cells` for any attribute order: each cell's attributes read one by one."""
    for attrs, body in _ANY_CELL.findall(xml):
        ref = _REF.search(attrs)
        if ref is None:
            continue
        style = _STYLE.search(attrs)
        info = _cell_info(style.group(1) if style else b"", attrs, body, percent)
        if info.percent or info.formula or info.error:
            out[ref.group(1).decode()] = info


_MARKS = (re.compile(rb'<f[\s>/]'), re.compile(rb' t="e"'))  # a formula; an error value
_CELL_AT = re.compile(rb'<c r="([A-Z]{1,3}\d+)"(?: s="(\d+)")?([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_ANY_CELL = re.compile(rb'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.S)


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
