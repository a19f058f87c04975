"""Look inside a sheet where the value reader cannot: a cell's percent number format, its formula,
its Excel error. calamine gives values only, so 0.92 in a ``0.00%`` cell (92 %), a formula with no
cached value and ``#DIV/0!`` (read as empty) are found here, straight from the sheet XML.

The sheet, its styles and the styles' percent formats are found through the package's
relationships and read with an XML parser (:mod:`scoring.ooxml`): another writer's attribute order,
quotes, namespace prefixes or character references give the same answer. The sheet itself is
scanned two ways, with one answer:

- a sheet whose every cell tag is spelt as the common writers spell it (``<c r="G12" s="3" t="e">``:
  reference first, double quotes, one space, no character reference, no prefix) by regex, piece by
  piece, touching only the cells asked for (a million-row sheet in a fraction of a second);
- any other by expat, cell by cell, placing a cell without a reference after the one before it,
  as calamine places it.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scoring import ooxml
from scoring.xlsx import column_letter, column_number


@dataclass(frozen=True, slots=True)
class CellInfo:
    percent: bool  # the cell's number format shows a percentage
    formula: bool  # the cell holds a formula
    cached: bool  # the formula has a cached value
    error: str | None = None  # an Excel error value (#DIV/0!, #N/A …), which calamine reads as empty


_PLAIN_CELL = CellInfo(False, False, True)


def _open_sheet(zf: zipfile.ZipFile, sheet_name: str) -> tuple[str | None, frozenset[int]]:
    """The sheet's part (as calamine finds it) and the percent cell styles; (None, …) when absent."""
    try:
        pkg = ooxml.read_package(zf)
    except (ValueError, KeyError, ooxml.Doctype, ooxml.expat.ExpatError, *ooxml.READ_ERRORS):
        return None, frozenset()
    part = next((p for name, p in pkg.sheets if name == sheet_name), None)
    return part, frozenset(ooxml.percent_styles(zf, pkg.styles))


def special_cells(path: str | Path, sheet_name: str, plain: frozenset[str] = frozenset()) -> dict[str, CellInfo]:
    """Every cell of a sheet that is not a plain value: a percent number format, a formula, or an
    Excel error. A cell absent from the answer is a plain value (no percent, no formula, no error).

    One streamed pass: per piece one ``findall`` for the percent-styled cells and a look at each
    formula or error where it stands, so a sheet of plain values costs the decompression and a few
    searches. ``plain``: the parts the guard found in the common spelling (:class:`scoring.xlsx.Checked`),
    whose cell tags are not checked again."""
    with zipfile.ZipFile(path) as zf:
        part, percent = _open_sheet(zf, sheet_name)
        if part is None:
            return {}
        out: dict[str, CellInfo] = {}
        if _fast(zf, part, lambda chunk: _special(chunk, percent, out), trusted=part in plain):
            return out
        return _parsed(zf, part, percent, None)


def inspect_cells(path: str | Path, sheet_name: str, refs: set[str]) -> dict[str, CellInfo]:
    """Format and formula facts for the cells ``refs`` (``G12``…) of one sheet; cells not found are absent."""
    if not refs:
        return {}
    by_column: dict[str, set[bytes]] = {}
    for r in refs:
        letter = r.rstrip("0123456789")
        if letter.isalpha() and letter.isupper() and letter.isascii() and len(letter) < len(r):
            by_column.setdefault(letter, set()).add(r[len(letter):].encode())
    with zipfile.ZipFile(path) as zf:
        part, percent = _open_sheet(zf, sheet_name)
        if part is None:
            return {}
        out: dict[str, CellInfo] = {}

        def scan(chunk: bytes) -> None:
            for letter, rows in by_column.items():
                _scan(chunk, letter, rows, percent, out)

        if _fast(zf, part, scan):
            return out
        wanted = {f"{letter}{row.decode()}" for letter, rows in by_column.items() for row in rows}
        return _parsed(zf, part, percent, wanted)


# ---------------------------------------------------------------------------------------------
# the common spelling, by regex
# ---------------------------------------------------------------------------------------------

# a cell tag not spelt <c r="G12" a="…" …>, or a prefixed cell, row, formula or value element
_ODD = (re.compile(rb'<c(?! r="[A-Z]++[0-9]++"(?: [a-qs-zA-Z][a-zA-Z0-9:]{0,31}+="[^"<&]*+")*+/?>)[\s/>]'),
        re.compile(rb':(?:c|row|f|v|is)[\s/>]'))
MAX_ROW_PIECE = 1 << 26  # a piece with no </row> in 64 MB is not a sheet as the common writers write it


def _fast(zf: zipfile.ZipFile, part: str, use, trusted: bool = False) -> bool:
    """Give ``use`` the sheet in whole rows, while every piece is in the common spelling. False
    (and the caller starts over with the parser) at the first piece that is not. ``trusted``: the
    guard has checked the cell tags' spelling (only the prefixes of the cells' children are looked at)."""
    with zf.open(part) as stream:
        if not ooxml.utf8(stream.read(256)):
            return False
    checks = _ODD[1:] if trusted else _ODD
    with zf.open(part) as stream:
        for chunk in _whole_rows(stream):
            if chunk is None or any(rx.search(chunk) for rx in checks):
                return False
            use(chunk)
    return True


def _whole_rows(stream, size: int = 1 << 24):
    """The sheet XML in pieces that end at a row boundary, so no cell is cut in two (streamed:
    a million-row sheet is hundreds of MB). None when no row ends within :data:`MAX_ROW_PIECE`."""
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
            if len(data) > MAX_ROW_PIECE:
                yield None
                return
            tail = data
            continue
        yield data[: cut + 6]
        tail = data[cut + 6:]


_STYLE = re.compile(rb'(?:^| )s="([0-9]+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_MARKS = (re.compile(rb'<f[\s>/]'), re.compile(rb' t="e"'))  # a formula; an error value
_CELL_AT = re.compile(rb'<c r="([A-Z]{1,3}[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)


def _special(xml: bytes, percent: frozenset[int], out: dict[str, CellInfo]) -> None:
    """The cells of ``xml`` (whole rows, common spelling) that are not plain values, into ``out``."""
    if percent:
        pct = CellInfo(True, False, True)
        for ref, _ in _percent_cell(percent).findall(xml):
            out[ref.decode()] = pct
    for mark in _MARKS:  # each a literal search: one alternation would try every byte
        for m in mark.finditer(xml):
            cell = _CELL_AT.match(xml, xml.rfind(b"<c ", 0, m.start()))
            if cell is not None:
                ref, attrs, body = cell.groups()
                out[ref.decode()] = _cell_info(attrs, body or b"", percent)


@lru_cache(maxsize=8)
def _percent_cell(percent: frozenset[int]) -> re.Pattern:
    """``<c r="G5" … s="9"``: a cell whose style is one of ``percent``, its ``s`` among its other attributes."""
    return re.compile(rb'<c r="([A-Z]{1,3}[0-9]+)"(?: (?!s=)[a-zA-Z][a-zA-Z0-9:]*="[^"]*")* s="0*('
                      + b"|".join(str(n).encode() for n in sorted(percent)) + rb')"')


def _cell_info(attrs: bytes, body: bytes, percent: frozenset[int] | set[int]) -> CellInfo:
    style = _STYLE.search(attrs.strip())
    value = _VALUE.search(body) if body else None
    return CellInfo(
        percent=bool(style) and int(style.group(1)) in percent,
        formula=b"<f" in body,
        cached=bool(value and value.group(1)) or b"<is" in body,
        error=(_text(value.group(1)) or None) if value and b' t="e"' in attrs else None,  # <v></v>: none, as parsed
    )


def _text(raw: bytes) -> str:
    """Element text as the parser reads it (entities and character references decoded)."""
    text = raw.decode("utf-8", errors="replace")
    return _unescape(text) if "&" in text else text


def _scan(xml: bytes, letter: str, rows: set[bytes], percent: frozenset[int], out: dict[str, CellInfo]) -> None:
    """The cells of column ``letter`` whose row number (as bytes) is in ``rows``, into ``out``: one
    ``findall`` per piece, anchored on the literal ``<c r="G``; per cell a set lookup."""
    plain = {True: CellInfo(True, False, True), False: _PLAIN_CELL}  # the usual cell, shared
    for row, attrs, body in _column_pattern(letter).findall(xml):
        if row not in rows:
            continue
        if (b"<is>" in body or _plain_value(body)) and b"<f" not in body and b' t="e"' not in attrs:
            style = _STYLE.search(attrs.strip())
            info = plain[bool(style) and int(style.group(1)) in percent]  # a value without formula or error
        else:
            info = _cell_info(attrs, body, percent)
        out[letter + row.decode()] = info


def _plain_value(body: bytes) -> bool:
    """``<v>0.96</v>`` and nothing else."""
    return body.startswith(b"<v>") and body.endswith(b"</v>") and len(body) > 7 and b"<" not in body[3:-4]


@lru_cache(maxsize=64)
def _column_pattern(letter: str) -> re.Pattern:
    return re.compile(rb'<c r="' + letter.encode() + rb'([0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)


# ---------------------------------------------------------------------------------------------
# any spelling, by the parser
# ---------------------------------------------------------------------------------------------

class _Cells:
    """Cells as expat reads them, placed as calamine places them."""

    def __init__(self, percent: frozenset[int], wanted: set[str] | None):
        self.percent, self.wanted = percent, wanted
        self.out: dict[str, CellInfo] = {}
        self.row = self.col = 0
        self.cell: list | None = None  # [ref, style, type, formula, value, inline]
        self.value: list[str] | None = None

    def start(self, tag: str, attrs: list[str]) -> None:
        name = ooxml.local(tag)
        if name == "row":
            r = (ooxml.attr(attrs, "r") or "").strip()
            self.row, self.col = (int(r) if r.isdigit() else self.row + 1), 0
        elif name == "c":
            m = _REF.fullmatch(ooxml.attr(attrs, "r") or "")
            if m and m.group(1) and m.group(2):
                self.col, self.row = column_number(m.group(1).upper().encode()), int(m.group(2))
            else:
                self.col += 1
            self.cell = [f"{column_letter(self.col - 1)}{self.row}", ooxml.attr(attrs, "s"), ooxml.attr(attrs, "t"),
                         False, "", False]
        elif self.cell is not None:
            if name == "f":
                self.cell[3] = True
            elif name == "v":
                self.value = []
            elif name == "is":
                self.cell[5] = True

    def end(self, tag: str) -> None:
        name = ooxml.local(tag)
        if name == "v" and self.cell is not None and self.value is not None:
            self.cell[4] = "".join(self.value)
            self.value = None
        elif name == "c" and self.cell is not None:
            ref, style, typ, formula, value, inline = self.cell
            self.cell = None
            style_n = ooxml.int_or_none(style)
            info = CellInfo(style_n in self.percent, formula, bool(value) or inline,
                            value if (typ or "").strip() == "e" and value else None)
            if self.wanted is None:
                if info.percent or info.formula or info.error:
                    self.out[ref] = info
            elif ref in self.wanted:
                self.out[ref] = info

    def text(self, data: str) -> None:
        if self.value is not None:
            self.value.append(data)


_REF = re.compile(r"\s*\$?([A-Za-z]+)\$?([0-9]+)\s*")


def _parsed(zf: zipfile.ZipFile, part: str, percent: frozenset[int], wanted: set[str] | None) -> dict[str, CellInfo]:
    with zf.open(part) as stream:
        return parse_cells(stream, percent, wanted)


def parse_cells(stream, percent: frozenset[int] | set[int], wanted: set[str] | None = None) -> dict[str, CellInfo]:
    """The cells of a sheet's XML (a binary stream) by expat: the ``wanted`` refs, or (None) every
    cell that is not a plain value."""
    cells = _Cells(frozenset(percent), wanted)
    ooxml.feed(ooxml.parser(cells.start, cells.end, cells.text), stream)
    return cells.out


_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _unescape(text: str) -> str:
    """XML text with its five named entities and character references decoded.

    >>> print(_unescape("0.00&quot;%&quot; &lt;&amp;lt;&gt; &apos; &#35;N/A &#x25;"))
    0.00"%" <&lt;> ' #N/A %
    """
    def one(m: re.Match) -> str:
        e = m.group(1)
        if e.startswith("#"):
            try:
                return chr(int(e[2:], 16) if e[1] in "xX" else int(e[1:]))
            except (ValueError, OverflowError):
                return m.group(0)
        return _NAMED[e]

    return _ENTITY.sub(one, text)
