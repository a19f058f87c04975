"""Open a user's .xlsx safely: the guard every reader of a workbook goes through first.

No xlsx reader limits what it allocates: a 1 KB file can make calamine abort the process (a Rust
allocation failure, exit 134) or openpyxl raise MemoryError. :func:`check_xlsx` reads the zip's
central directory (declared sizes, never decompressing) and streams the XML before any reader opens
the file, and refuses, with a Chinese message naming the file, anything that is not a sane workbook:

- not a file, empty, not a zip (a CSV or an old .xls renamed), an encrypted workbook (an OLE
  container with a password), a damaged zip;
- a zip bomb: more declared content than :data:`MAX_TOTAL_BYTES`, a part over :data:`MAX_PART_BYTES`,
  or a part that expands more than :data:`MAX_RATIO` times beyond :data:`RATIO_FLOOR_BYTES`;
- an XML bomb: a DOCTYPE or entity declaration before any part's root element (:func:`scoring.ooxml.check_prolog`);
- a used range too large to allocate: readers allocate the rectangle from A1 to the farthest cell
  (calamine) and a cell object for every cell of a merged range (openpyxl). Every part any reader
  may read as a sheet (the workbook's relationships, as :func:`scoring.ooxml.read_package` finds
  them, and every part under ``xl/worksheets/``) is scanned, and the sum over the workbook of those
  rectangles may not exceed :data:`MAX_CELLS`;
- a shared-strings table declaring more strings than it could hold (calamine reserves them all).

The sheets are scanned the way a parser sees them, at three levels (:func:`_sheet_extent`): a sheet
as Excel and the common writers write it (every ``<c>`` and ``<row>`` tag ``<c r="G12" s="3">``,
double quotes, one space, no character reference, columns A–Z, rows under a million) is proved
small by three regex searches per 16 MB; one with wider references but the same spelling has its
references read by regex; any other spelling (either quote, other white space, a prefix, a
character reference, a repeated attribute, cells without references, lower case, UTF-16) is
parsed by expat, exactly as a reader would place each cell.
"""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from scoring import ooxml
from scoring.findings import ScoreError, place

MAX_TOTAL_BYTES = 2 * 1024**3  # declared, uncompressed: a million-row workbook is about 650 MB
MAX_PART_BYTES = 1024**3  # one part (a sheet's XML); a million-row sheet is about 620 MB
MAX_RATIO = 100  # real sheet XML compresses 8–20 times
RATIO_FLOOR_BYTES = 32 * 1024**2  # a part smaller than this may compress as much as it likes
MAX_ROWS = 1_048_576  # Excel's own limits
MAX_COLUMNS = 16_384
MAX_CELLS = 2**25  # the used ranges (A1 to the farthest cell) of all sheets together: 1,048,576 rows × 32 columns
# for a reader that makes a Python object of every cell of the used range (openpyxl's iter_rows
# outside read-only mode: about 240 bytes a cell, 8 GB at MAX_CELLS): under 2 GB
OBJECT_READER_CELLS = 2**22
SCAN_BYTES = 1 << 24
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_SHEET_FOLDERS = ("xl/worksheets/", "xl/chartsheets/", "xl/dialogsheets/", "xl/macrosheets/")


@dataclass(frozen=True)
class Checked:
    """What the guard found: the cells of the used ranges (0 for sheets proved small without
    counting), and the sheet parts whose every cell tag is in the common spelling (a scan of their
    cells need not check the spelling again: :func:`scoring.xlsx_cells.special_cells`)."""

    cells: int = 0
    plain: frozenset[str] = frozenset()


def check_xlsx(path: str | Path, *, label: str | None = None, max_cells: int = MAX_CELLS) -> Checked:
    """Raise :class:`ScoreError` (exit 2) unless ``path`` is a workbook that is safe to open; say
    what was found (:class:`Checked`).

    Nothing is inflated past the limits: sizes and ratios come from the zip's central directory,
    and the sheets' used ranges from a streamed scan of their XML (bounded memory). ``max_cells``:
    the workbook's limit (:data:`OBJECT_READER_CELLS` for a reader that makes an object of every cell)."""
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
        names = {i.filename.replace("\\", "/").lower() for i in infos}
        if "[content_types].xml" not in names or not any(n.startswith("xl/workbook") for n in names):
            raise ScoreError("压缩包里没有 Excel 工作簿的内容（缺少 xl/workbook.xml）", where=where,
                             hint="请确认选择的是 Excel 工作簿（*.xlsx）")
        _check_sizes(infos, where)
        for info in infos:
            if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                _check_xml_head(zf, info, where)
        pkg = _package(zf, where)
        sheets = []  # every member a reader may read as a sheet (a zip may hold two of one name)
        for info in infos:
            key = info.filename.replace("\\", "/").lower()
            if info.filename in pkg.sheet_parts or (key.startswith(_SHEET_FOLDERS) and key.endswith(".xml")):
                sheets.append((info, pkg.sheet_parts.get(info.filename, info.filename)))
        total = 0
        spelt: dict[str, bool] = {}
        for info, sheet in sheets:
            sheet_where = place(where, sheet)
            rows, cols, merged, plain = _sheet_extent(zf, info, sheet_where, max_cells)
            spelt[info.filename] = spelt.get(info.filename, True) and plain
            if rows > MAX_ROWS or cols > MAX_COLUMNS or rows * cols > max_cells:
                _too_large(sheet_where, rows, cols, max_cells)
            if merged > max_cells:
                _too_large(sheet_where, 0, 0, max_cells, merged=merged)
            total += rows * cols + merged
            if total > max_cells:
                _too_large(sheet_where, rows, cols, max_cells, workbook=total)
        for info in infos:
            if info.filename == pkg.strings:
                _check_strings(zf, info, where)
    return Checked(total, frozenset(name for name, plain in spelt.items() if plain))


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


_EXPAT_REASONS = {
    "duplicate attribute": "同一个属性写了两次", "not well-formed (invalid token)": "有不合 XML 规则的字符或写法",
    "mismatched tag": "开始标签与结束标签不一致", "unclosed token": "在一个标记中间结束", "no element found": "没有内容",
    "junk after document element": "根元素之后还有内容", "undefined entity": "用了未定义的实体",
    "unknown encoding": "声明的编码无法识别", "syntax error": "语法错误",
}


def _damaged(where: str, part: str, exc: BaseException | None = None) -> ScoreError:
    if isinstance(exc, ooxml.expat.ExpatError):
        english = ooxml.expat.ErrorString(exc.code)
        detail = f"（第 {exc.lineno} 行第 {exc.offset + 1} 列{_EXPAT_REASONS.get(english, '格式错误')}）"
        what = "不是正确的 XML"
    else:
        detail = "" if exc is None else "（解压失败）"
        what = "无法解压"
    return ScoreError(f"工作簿已损坏：“{part}”{what}{detail}", where=where,
                      hint="请用 Excel 打开并重新保存；如果 Excel 也打不开，请从备份恢复")


def _doctype(where: str, part: str) -> ScoreError:
    return ScoreError(f"工作簿中的“{part}”含有 DOCTYPE/ENTITY 声明（疑似“XML 炸弹”），拒绝打开", where=where,
                      hint="Excel 保存的文件不会有这种内容；请确认文件来源，或从模板重新填写")


def _check_xml_head(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> None:
    """No DOCTYPE or entity declaration before the root element, however long the comments before it."""
    head = b""
    try:
        with zf.open(info) as part:
            while len(head) < ooxml.MAX_PROLOG_BYTES:
                block = part.read(16384)
                head += block
                if ooxml.check_prolog(head) is not None or not block:
                    return
    except ooxml.Doctype:
        raise _doctype(where, info.filename) from None
    except ooxml.READ_ERRORS as exc:
        raise _damaged(where, info.filename, exc) from exc
    raise ScoreError(f"工作簿中的“{info.filename}”开头有超过 {ooxml.MAX_PROLOG_BYTES // 1024:,} KB 的注释或声明，不像 Excel 保存的文件",
                     where=where, hint="请用 Excel 打开并重新保存，或从模板重新填写")


def _package(zf: zipfile.ZipFile, where: str) -> ooxml.Package:
    try:
        return ooxml.read_package(zf)
    except ooxml.Doctype:
        raise _doctype(where, "xl/workbook.xml") from None
    except (ValueError, KeyError, ooxml.expat.ExpatError, *ooxml.READ_ERRORS) as exc:
        raise _damaged(where, "xl/workbook.xml", exc) from exc


def _check_strings(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> None:
    """A shared-strings table's declared count (``<sst uniqueCount=…>``, which calamine reserves at
    once) within what its bytes could hold: a string takes at least ``<si><t/></si>``."""
    counts: dict[str, str | None] = {}

    def start(tag: str, attrs: list[str]) -> None:
        counts.update(count=ooxml.attr(attrs, "count"), unique=ooxml.attr(attrs, "uniqueCount"))
        raise ooxml.Stop

    try:
        with zf.open(info) as stream:
            ooxml.feed(ooxml.parser(start), stream, 1 << 16)
    except ooxml.Doctype:
        raise _doctype(where, info.filename) from None
    except (ooxml.expat.ExpatError, *ooxml.READ_ERRORS) as exc:
        raise _damaged(where, info.filename, exc) from exc
    bound = min(MAX_CELLS, max(1024, info.file_size // 8))
    for key in ("unique", "count"):
        text = (counts.get(key) or "").strip()
        if text.isdigit() and int(text) > bound:
            raise ScoreError(f"工作簿的共享字符串表声明有 {int(text):,} 个字符串，而它只有 {info.file_size:,} 字节，"
                             f"不可能装下（读取时会预先分配全部空间）", where=place(where, info.filename),
                             hint="请用 Excel 打开并重新保存，或从模板重新填写；正常保存的文件不会这样")


# ---------------------------------------------------------------------------------------------
# the used range
# ---------------------------------------------------------------------------------------------

# A cell tag not spelt as the common writers spell it (<c r="G12" s="3">: reference first, double
# quotes, one space, no character reference), in references small enough to need no count (columns
# A–Z, rows under a million), or a merged range outside them: absent from every 16 MB piece, the
# sheet is small. When every cell has its reference, no row's r= places anything (a reader places
# such a cell by its own r=): rows need no look.
_ATTRS = rb'(?: [a-qs-zA-Z][a-zA-Z0-9:]{0,31}+="[^"<&]*+")*+/?>'
_SMALL = (re.compile(rb'<c(?! r="[A-Z][0-9]{1,6}+"' + _ATTRS + rb')[\s/>]'),
          re.compile(rb':(?:c|mergeCell)[\s/>]'),  # a prefixed element: calamine reads <x:c> as a cell
          re.compile(rb'<mergeCell(?! ref="[A-Z][0-9]{1,6}+(?::[A-Z][0-9]{1,6}+)?+"/?>)[\s/>]'))
# the same spelling with references of any size: those are then read by regex
_PLAIN = (re.compile(rb'<c(?! r="[A-Z]++[0-9]++"' + _ATTRS + rb')[\s/>]'),
          _SMALL[1],
          re.compile(rb'<mergeCell(?! ref="[A-Z]++[0-9]++(?::[A-Z]++[0-9]++)?+"/?>)[\s/>]'))
_CELL_REFS = re.compile(rb'<c r="([A-Z]+)([0-9]+)"')
_MERGES = re.compile(rb'<mergeCell ref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo):
    """The part's XML in pieces that end at a ``>`` (streamed, :data:`SCAN_BYTES` at a time)."""
    tail = b""
    with zf.open(info) as stream:
        while block := stream.read(SCAN_BYTES):
            data = tail + block
            cut = data.rfind(b">") + 1
            yield data[:cut]
            tail = data[cut:]
    if tail:
        yield tail


def _sheet_extent(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, limit: int = MAX_CELLS
                  ) -> tuple[int, int, int, bool]:
    """(rows, columns) from A1 to the farthest cell a reader places, the cells of its merged ranges,
    and whether every cell tag is in the common spelling, of one sheet part (see the module
    docstring for the three levels)."""
    try:
        with zf.open(info) as stream:
            plain = ooxml.utf8(stream.read(256))
        if plain:
            if limit >= MAX_CELLS and not any(rx.search(chunk) for chunk in _chunks(zf, info) for rx in _SMALL):
                return 0, 0, 0, True  # within A1:Z999999 and no merge outside it: below the limit
            if not any(rx.search(chunk) for chunk in _chunks(zf, info) for rx in _PLAIN):
                return (*_plain_extent(zf, info, limit), True)
        return (*_parsed_extent(zf, info, limit), False)
    except ooxml.Doctype:
        raise _doctype(where, info.filename) from None
    except (ooxml.expat.ExpatError, *ooxml.READ_ERRORS) as exc:
        raise _damaged(where, info.filename, exc) from exc


def _plain_extent(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> tuple[int, int, int]:
    """The extent of a sheet whose every cell tag has its reference first (regex)."""
    rows = cols = merged = 0
    for chunk in _chunks(zf, info):
        letters: set[bytes] = set()
        for c, r in _CELL_REFS.findall(chunk):
            letters.add(c)
            rows = max(rows, int(r))
        cols = max([cols, *(column_number(c) for c in letters)])
        for m in _MERGES.findall(chunk):
            merged += _merge_cells(*m)
        if rows > MAX_ROWS or cols > MAX_COLUMNS or rows * cols > limit or merged > limit:
            break
    return rows, cols, merged


class _Placed:
    """Cells placed as calamine places them: a cell without ``r`` follows the cell before it, a row
    without ``r`` the row before it. References are read case-blind (calamine reads ``xfd1``)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.row = self.col = self.rows = self.cols = self.merged = 0

    def start(self, tag: str, attrs: list[str]) -> None:
        name = ooxml.local(tag)
        if name == "c":
            ref = _split_ref(ooxml.attr(attrs, "r"))
            if ref is not None and ref[0]:
                self.col, self.row = ref[0], ref[1] or self.row
            else:
                self.col += 1
            self.rows, self.cols = max(self.rows, self.row), max(self.cols, self.col)
        elif name == "row":
            ref = _split_ref(ooxml.attr(attrs, "r"))
            self.row, self.col = (ref[1] if ref is not None and ref[1] else self.row + 1), 0
            self.rows = max(self.rows, self.row)
        elif name == "mergeCell":
            refs = [_split_ref(p) for p in (ooxml.attr(attrs, "ref") or "").split(":")[:2]]
            if all(r is not None for r in refs):
                (c1, r1), (c2, r2) = refs[0], refs[-1]
                # a whole row or column (A:A, 3:3) spans all of Excel's columns or rows
                rows = abs(r2 - r1) + 1 if r1 and r2 else MAX_ROWS
                cols = abs(c2 - c1) + 1 if c1 and c2 else MAX_COLUMNS
                self.merged += rows * cols
        else:
            return
        if self.rows > MAX_ROWS or self.cols > MAX_COLUMNS or self.rows * self.cols > self.limit or \
                self.merged > self.limit:
            raise ooxml.Stop


def _parsed_extent(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> tuple[int, int, int]:
    placed = _Placed(limit)
    with zf.open(info) as stream:
        ooxml.feed(ooxml.parser(placed.start), stream)
    return placed.rows, placed.cols, placed.merged


_REF = re.compile(r"\s*\$?([A-Za-z]*)\$?([0-9]*)\s*")


def _split_ref(text: str | None) -> tuple[int, int] | None:
    """(column number, row number) of ``G12`` (0 where absent), any case; None when not a reference."""
    if text is None:
        return None
    m = _REF.fullmatch(text)
    if m is None:
        return None
    return column_number(m.group(1).upper().encode()), int(m.group(2) or 0)


def _merge_cells(c1: bytes, r1: bytes, c2: bytes, r2: bytes) -> int:
    if not c2:
        return 1
    return (abs(int(r2) - int(r1)) + 1) * (abs(column_number(c2) - column_number(c1)) + 1)


def column_number(letters: bytes) -> int:
    """``b"A"`` → 1, ``b"AA"`` → 27 (any number of letters: the guard must see ``ZZZZZZ`` too)."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _too_large(where: str, rows: int, cols: int, limit: int, *, merged: int = 0, workbook: int = 0) -> None:
    if merged:
        raise ScoreError(f"工作表中合并单元格的范围共有 {merged:,} 个单元格，超出安全限度（本工具最多读取 {limit:,} 个单元格的范围），未读取",
                         where=where, hint="请在 Excel 中取消远处多余的合并单元格后保存再试")
    far = f"{column_letter(cols - 1)}{rows}" if cols and rows else (f"第 {rows:,} 行" if rows else f"第 {cols:,} 列")
    size = f"{rows:,} 行 × {cols:,} 列"
    if workbook:
        raise ScoreError(f"工作簿各工作表的使用范围合计 {workbook:,} 个单元格（到本表为止），超出安全限度（本工具最多读取 "
                         f"{limit:,} 个单元格的范围），未读取", where=where,
                         hint="请删除不需要的工作表，或在 Excel 中删除多余的行和列后保存再试")
    raise ScoreError(f"工作表的使用范围从 A1 到 {far}（{size}），超出安全限度（Excel 最多 {MAX_ROWS:,} 行、{MAX_COLUMNS:,} 列；"
                     f"本工具最多读取 {limit:,} 个单元格的范围），未读取", where=place(where, far),
                     hint=f"远处单元格 {far} 中可能有误填的内容或格式：请在 Excel 中删除多余的行和列后保存再试")


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
