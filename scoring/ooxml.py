"""An .xlsx package as its readers find it, read with an XML parser: which part is the workbook,
which parts are its sheets, its styles and its shared strings, and which cell styles show a percentage.

Two readers open users' workbooks, and a part is found the way each finds it:

- openpyxl follows the relationships: ``_rels/.rels`` names the workbook, the workbook's own
  ``.rels`` names each sheet (relative to the workbook's folder, ``..`` resolved);
- calamine takes only the workbook's *folder* from ``_rels/.rels`` and appends each sheet's target
  to it, and looks every part up without regard to case (``\\`` read as ``/``).

Every XML part here is read by expat (the standard library's C parser) with namespace processing
off: an element is known by its local name whatever its prefix (``<x:sheet>``), an attribute's value
as the parser decodes it (either quote, white space around ``=``, character references such as
``&#25351;``). A workbook written by another program, with another spelling of the same XML, is read
the same. The parts read whole here are small (workbook, relationships, styles: kilobytes); sheets
are scanned by :mod:`scoring.xlsx` and :mod:`scoring.xlsx_cells`.

:func:`check_prolog` reads what comes before a part's root element: a DOCTYPE (how entity bombs
and external entities work; Excel never writes one) is refused wherever it stands, not only in the
first kilobytes.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.parsers import expat

BUILTIN_PERCENT = {9, 10}  # Excel's built-in 0% and 0.00%
MAX_PARSED_BYTES = 64 * 1024**2  # a workbook, relationships or styles part larger than this is not read whole
MAX_PROLOG_BYTES = 1024**2  # what may stand before the root element (declaration, comments)
MAX_SHEETS = 10_000
READ_ERRORS = (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error)
_OFFICE_DOCUMENT = "/officeDocument"


class Stop(Exception):
    """Raised by a handler to end a parse early (what it wanted has been seen)."""


class Doctype(Exception):
    """A part declares a DOCTYPE or an entity."""


def local(name: str) -> str:
    """An element or attribute name without its prefix: ``x:sheet`` → ``sheet``."""
    return name.rpartition(":")[2]


def parser(start: Callable[[str, list[str]], None] | None = None,
           end: Callable[[str], None] | None = None, text: Callable[[str], None] | None = None):
    """An expat parser (no namespace processing, attributes as an ordered ``[name, value, …]`` list)
    that refuses a DOCTYPE or an entity declaration, with the given handlers."""
    p = expat.ParserCreate()
    p.ordered_attributes = True
    p.buffer_text = True
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args):
        raise Doctype

    p.StartDoctypeDeclHandler = refuse
    p.EntityDeclHandler = refuse
    if start is not None:
        p.StartElementHandler = start
    if end is not None:
        p.EndElementHandler = end
    if text is not None:
        p.CharacterDataHandler = text
    return p


def feed(p, stream, block: int = 1 << 20) -> None:
    """Feed a part to ``p`` block by block (bounded memory). A :class:`Stop` from a handler ends it."""
    try:
        while data := stream.read(block):
            p.Parse(data, False)
        p.Parse(b"", True)
    except Stop:
        pass


def attr(attrs: list[str], name: str) -> str | None:
    """The value of attribute ``name`` (exact name; the last one when repeated) in an ordered list."""
    found = None
    for i in range(0, len(attrs) - 1, 2):
        if attrs[i] == name:
            found = attrs[i + 1]
    return found


# ---------------------------------------------------------------------------------------------
# the prolog
# ---------------------------------------------------------------------------------------------

def check_prolog(head: bytes) -> bool | None:
    """What stands before the root element of a part whose first bytes are ``head``.

    Raises :class:`Doctype` for a ``<!DOCTYPE`` (or any ``<!`` declaration) before the root; returns
    True when the root element was reached, None when ``head`` ends first (give more bytes), False
    when the part does not start like XML (a reader will say it is damaged)."""
    text = _decoded(head)
    i, n = (1 if text.startswith("\ufeff") else 0), len(text)
    while True:
        while i < n and text[i] in " \t\r\n":
            i += 1
        if i >= n:
            return None
        if text.startswith("<?", i):
            j = text.find("?>", i + 2)
            if j < 0:
                return None
            i = j + 2
        elif text.startswith("<!--", i):
            j = text.find("-->", i + 4)
            if j < 0:
                return None
            i = j + 3
        elif text.startswith("<!", i):
            raise Doctype
        else:
            return text.startswith("<", i)


def _decoded(head: bytes) -> str:
    """The first bytes of a part as text: UTF-16 when it says so (BOM, or NUL bytes around ``<``),
    else byte by byte (every ASCII-compatible encoding spells markup the same)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\x00", b"\x00<"):
        codec = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else (
            "utf-16-le" if head.startswith(b"<\x00") else "utf-16-be")
        return head[: len(head) // 2 * 2].decode(codec, errors="replace")
    return head.decode("latin-1")


_DECLARED = re.compile(rb'^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*["\']([^"\']*)["\']')


def utf8(head: bytes) -> bool:
    """Whether a part is UTF-8 (or ASCII): no UTF-16 mark, no other declared encoding. Only such a
    part's bytes can be searched for markup as they stand."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:64]:
        return False
    m = _DECLARED.match(head)
    return m is None or m.group(1).strip().lower() in (b"utf-8", b"utf8", b"us-ascii", b"ascii")


# ---------------------------------------------------------------------------------------------
# parts
# ---------------------------------------------------------------------------------------------

@dataclass
class Package:
    """Where the parts are. ``sheets``: (sheet name, part) as calamine finds them, which is what the
    values are read with; ``sheet_parts``: every part any reader may read as a sheet, with its name."""

    workbook: str | None = None
    sheets: list[tuple[str, str | None]] = field(default_factory=list)
    sheet_parts: dict[str, str] = field(default_factory=dict)
    styles: str | None = None
    strings: str | None = None


class Parts:
    """Part names of a zip, looked up as calamine looks them up (case, ``\\``)."""

    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self.by_key = {}
        for name in zf.namelist():
            self.by_key.setdefault(name.replace("\\", "/").lower(), name)

    def find(self, path: str | None) -> str | None:
        return None if path is None else self.by_key.get(path.replace("\\", "/").lstrip("/").lower())


def _read_small(zf: zipfile.ZipFile, name: str, start=None, end=None) -> None:
    info = zf.getinfo(name)
    if info.file_size > MAX_PARSED_BYTES:
        raise ValueError(f"{name}: {info.file_size} bytes")
    with zf.open(info) as stream:
        feed(parser(start, end), stream)


def relationships(zf: zipfile.ZipFile, name: str | None) -> list[tuple[str, str, str]]:
    """(Id, Type, Target) of every relationship in a ``.rels`` part ([] when absent)."""
    if name is None:
        return []
    out: list[tuple[str, str, str]] = []

    def start(tag: str, attrs: list[str]) -> None:
        if local(tag) == "Relationship":
            out.append((attr(attrs, "Id") or "", attr(attrs, "Type") or "", attr(attrs, "Target") or ""))
            if len(out) > MAX_SHEETS * 4:
                raise ValueError("too many relationships")

    _read_small(zf, name, start)
    return out


def _rels_of(part: str) -> str:
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def _joined(folder: str, target: str) -> str:
    """A relationship target resolved as openpyxl resolves it (relative to the source's folder)."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target)).lstrip("/")


def _sheet_entries(zf: zipfile.ZipFile, name: str) -> list[tuple[str, str]]:
    """(sheet name, relationship id) of each ``<sheet>`` of a workbook part, in order. The id is the
    last attribute named ``id`` whatever its prefix (``r:id``), as calamine takes it."""
    out: list[tuple[str, str]] = []

    def start(tag: str, attrs: list[str]) -> None:
        if local(tag) == "sheet":
            rid = ""
            for i in range(0, len(attrs) - 1, 2):
                if local(attrs[i]) == "id":
                    rid = attrs[i + 1]
            out.append((attr(attrs, "name") or "", rid))
            if len(out) > MAX_SHEETS:
                raise ValueError("too many sheets")

    _read_small(zf, name, start)
    return out


def read_package(zf: zipfile.ZipFile) -> Package:
    """Where the workbook's parts are (see the module docstring). Raises ValueError, :class:`Doctype`,
    ``expat.ExpatError`` or a zip error when the structure cannot be read."""
    parts = Parts(zf)
    pkg = Package()
    office = next((t for _, typ, t in relationships(zf, parts.find("_rels/.rels")) if typ.endswith(_OFFICE_DOCUMENT)),
                  None)
    folder = (office.rpartition("/")[0] + "/").lstrip("/") if office and "/" in office else ("" if office else "xl/")
    # calamine: the folder of the office document, then "workbook.xml" in it; openpyxl: the target itself
    workbooks = [w for w in dict.fromkeys((parts.find(folder + "workbook.xml"), parts.find(office))) if w]
    pkg.workbook = workbooks[0] if workbooks else None
    for wb in workbooks:
        wb_folder = wb.rpartition("/")[0]
        rels = {rid: (typ, target) for rid, typ, target in
                relationships(zf, parts.find(_rels_of(wb)) or parts.find(folder + "_rels/workbook.xml.rels"))}
        calamine_view = wb == pkg.workbook
        for sheet, rid in _sheet_entries(zf, wb):
            _, target = rels.get(rid, ("", None))
            found = None
            if target is not None:
                as_calamine = parts.find(target.lstrip("/") if target.startswith("/") else folder + target)
                as_openpyxl = parts.find(_joined(wb_folder, target))
                for p in (as_calamine, as_openpyxl):
                    if p:
                        pkg.sheet_parts.setdefault(p, sheet)
                found = as_calamine or as_openpyxl
            if calamine_view:
                pkg.sheets.append((sheet, found))
        for typ, target in rels.values():
            if typ.endswith("/styles") and pkg.styles is None:
                pkg.styles = parts.find(_joined(wb_folder, target))
    pkg.styles = parts.find(folder + "styles.xml") or pkg.styles
    pkg.strings = parts.find(folder + "sharedStrings.xml")
    return pkg


def sheet_part(zf: zipfile.ZipFile, sheet_name: str) -> str | None:
    """The part holding ``sheet_name`` as calamine reads it; None when there is none."""
    try:
        pkg = read_package(zf)
    except (ValueError, Doctype, expat.ExpatError, KeyError, *READ_ERRORS):
        return None
    return next((part for name, part in pkg.sheets if name == sheet_name), None)


# ---------------------------------------------------------------------------------------------
# styles
# ---------------------------------------------------------------------------------------------

_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def is_percent_format(code: str) -> bool:
    """Whether a number format shows a percentage: a ``%`` outside quotes, escapes and brackets
    (``0.00"%"`` shows 96 as 96%: not one).

    >>> is_percent_format("0.00%"), is_percent_format('0.00"%"'), is_percent_format("0\\\\%"), is_percent_format("#,##0")
    (True, False, False, False)
    """
    return "%" in _QUOTED.sub("", code)


def percent_styles(zf: zipfile.ZipFile, styles: str | None) -> set[int]:
    """The indices of the cell styles (``cellXfs``) whose number format shows a percentage."""
    if styles is None:
        return set()
    percent_fmts = set(BUILTIN_PERCENT)
    xfs: list[int | None] = []
    where = {"cellXfs": 0, "numFmts": 0}

    def start(tag: str, attrs: list[str]) -> None:
        name = local(tag)
        if name in where:
            where[name] += 1
        elif name == "numFmt" and where["numFmts"]:
            fid, code = attr(attrs, "numFmtId"), attr(attrs, "formatCode")
            if fid is not None and code is not None and is_percent_format(code):
                percent_fmts.add(int_or_none(fid))
        elif name == "xf" and where["cellXfs"]:
            xfs.append(int_or_none(attr(attrs, "numFmtId")))

    def end(tag: str) -> None:
        name = local(tag)
        if name in where:
            where[name] -= 1

    try:
        _read_small(zf, styles, start, end)
    except (ValueError, Doctype, expat.ExpatError, KeyError, *READ_ERRORS):
        return set()
    return {i for i, fid in enumerate(xfs) if fid in percent_fmts}


def int_or_none(text: str | None) -> int | None:
    try:
        return int(text.strip()) if text is not None else None
    except ValueError:
        return None
