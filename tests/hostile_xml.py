"""Generators for issue 29's workbooks: the same workbook as another program writes its XML, and
workbooks that hide a huge used range behind a spelling a parser accepts.

:func:`respell` rewrites every XML part of a workbook with one writer's habits: either quote, other
white space, attributes in another order, a namespace prefix on every element (``<x:c>``), another
prefix for the relationships' namespace (``<sheet rel:id=…>``), non-ASCII attribute text as
character references (``name="&#25351;…"``), lower-case cell references. A reader that reads the
XML as a parser does gives the same values, formats and scores for every one of them.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_NS = "http://www.w3.org/XML/1998/namespace"


@dataclass(frozen=True)
class Spelling:
    """One writer's habits (the defaults are the common spelling)."""

    quote: str = '"'
    sep: str = " "  # between the tag name and each attribute
    eq: str = "="
    reverse: bool = False  # attributes in reverse order (r= last)
    prefix: str = ""  # for the spreadsheet and package-relationship namespaces' elements
    rel_prefix: str = "r"  # for the relationships namespace's attributes (r:id)
    charrefs: bool = False  # non-ASCII attribute text as &#N;
    lower_refs: bool = False  # cell references in lower case


SPELLINGS = {
    "single quotes": Spelling(quote="'"),
    "new lines between attributes": Spelling(sep="\n  "),
    "spaces around =": Spelling(eq=" = "),
    "attributes reversed": Spelling(reverse=True),
    "prefixed elements": Spelling(prefix="x"),
    "another relationship prefix": Spelling(rel_prefix="rel"),
    "character references": Spelling(charrefs=True),
    "lower-case references": Spelling(lower_refs=True),
    "all at once": Spelling(quote="'", sep="\n\t", eq=" =", reverse=True, prefix="s", rel_prefix="o", charrefs=True),
}


def _attr_text(value: str, s: Spelling) -> str:
    text = escape(value, {s.quote: "&quot;" if s.quote == '"' else "&apos;", "\n": "&#10;", "\t": "&#9;"})
    if s.charrefs:
        text = "".join(ch if ord(ch) < 128 else f"&#{ord(ch)};" for ch in text)
    return text


def write_element(el: ET.Element, s: Spelling, prefixes: dict[str, str], root: bool = False) -> str:
    def name(qname: str, attribute: bool = False) -> str:
        if not qname.startswith("{"):
            return qname
        ns, local = qname[1:].split("}")
        if ns == XML_NS:
            return f"xml:{local}"
        p = prefixes.get(ns, "")
        if attribute and not p:  # an attribute in a namespace needs a prefix
            p = "ns0"
        return f"{p}:{local}" if p else local

    items = list(el.attrib.items())
    if s.reverse:
        items.reverse()
    attrs = []
    if root:
        attrs += [(f"xmlns:{p}" if p else "xmlns", ns) for ns, p in prefixes.items()]
    for k, v in items:
        if s.lower_refs and k == "r" and el.tag.endswith("}c"):
            v = v.lower()
        attrs.append((name(k, attribute=True), v))
    tag = name(el.tag)
    head = "<" + tag + "".join(f"{s.sep}{k}{s.eq}{s.quote}{_attr_text(v, s)}{s.quote}" for k, v in attrs)
    children = "".join(write_element(c, s, prefixes) + (escape(c.tail) if c.tail else "") for c in el)
    text = escape(el.text) if el.text else ""
    if not children and not text:
        return head + "/>"
    return f"{head}>{text}{children}</{tag}>"


def respell_part(xml: bytes, s: Spelling) -> bytes:
    """One XML part in spelling ``s`` (its namespaces kept, the spreadsheet's and the relationships'
    prefixes chosen by ``s``)."""
    prefixes: dict[str, str] = {}
    for _, (p, ns) in ET.iterparse(__import__("io").BytesIO(xml), events=("start-ns",)):
        prefixes.setdefault(ns, p)
    for ns in (MAIN, PKG_RELS):
        if ns in prefixes:
            prefixes[ns] = s.prefix
    if RELS in prefixes:
        prefixes[RELS] = s.rel_prefix
    root = ET.fromstring(xml)
    body = write_element(root, s, prefixes, root=True)
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body.encode("utf-8")


def rewrite(path: Path, out: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """A copy of the workbook ``path`` with each part passed through ``change(name, data)``
    (None drops the part)."""
    with zipfile.ZipFile(path) as zf:
        parts = [(i.filename, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts:
            new = change(name, data)
            if new is not None:
                zf.writestr(name, new)
    return out


def respell(path: Path, out: Path, s: Spelling) -> Path:
    """The workbook ``path`` with every XML part written in spelling ``s``."""
    return rewrite(path, out, lambda name, data: respell_part(data, s) if name.endswith((".xml", ".rels")) else data)


# ---------------------------------------------------------------------------------------------
# a huge used range, hidden
# ---------------------------------------------------------------------------------------------

FAR = ("XFD1048576", "ZZZZZZ1", "A99999999")


def far_cell(spelling: str, ref: str = "XFD1048576") -> str:
    """One cell at ``ref`` (a row of its own) spelt as ``spelling`` says."""
    row = re.sub(r"[A-Za-z]", "", ref)
    forms = {
        "common": f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>',
        "single quotes": f"<row r='{row}'><c r='{ref}' t='inlineStr'><is><t>x</t></is></c></row>",
        "new line": f'<row\nr="{row}"><c\nr="{ref}"\nt="inlineStr"><is><t>x</t></is></c></row>',
        "spaces around =": f'<row r = "{row}"><c r = "{ref}" t = "inlineStr"><is><t>x</t></is></c></row>',
        "lower case": f'<row r="{row}"><c r="{ref.lower()}" t="inlineStr"><is><t>x</t></is></c></row>',
        "character reference": f'<row r="{row}"><c r="&#{ord(ref[0])};{ref[1:]}" t="inlineStr"><is><t>x</t></is></c></row>',
        "repeated attribute": f'<row r="2"><c r="A2" t="inlineStr" r="{ref}"><is><t>x</t></is></c></row>',
        "reference last": f'<row r="{row}"><c t="inlineStr" r="{ref}"><is><t>x</t></is></c></row>',
        "no separator": f'<row r="2"><c t="inlineStr"r="{ref}"><is><t>x</t></is></c></row>',
    }
    return forms[spelling]


def prefixed_sheet(body_rows: str) -> bytes:
    """A sheet whose elements carry a prefix (``<x:row><x:c …>``), as some writers put them."""
    body = re.sub(r"<(/?)(row|c|is|t|v)\b", r"<\1x:\2", body_rows)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<x:worksheet xmlns:x="{MAIN}"><x:sheetData>{body}'
            "</x:sheetData></x:worksheet>").encode()


def move_sheet(path: Path, out: Path, sheet_index: int, new_part: str) -> Path:
    """The workbook with sheet ``sheet_index``'s part moved to ``new_part`` (outside xl/worksheets/),
    its relationship pointing there."""
    old = f"xl/worksheets/sheet{sheet_index}.xml"

    def change(name: str, data: bytes) -> bytes:
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(f'Target="worksheets/sheet{sheet_index}.xml"'.encode(),
                                f'Target="/{new_part}"'.encode())
        return data

    rewrite(path, out, lambda name, data: None if name == old else change(name, data))
    with zipfile.ZipFile(path) as zf:
        moved = zf.read(old)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(new_part, moved)
    return out
