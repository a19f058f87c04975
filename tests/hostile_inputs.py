"""Generators of hostile and careless inputs for tests/test_hostile.py. Nothing large is committed:
every file is made in the test's temporary folder, small on disk.

- :func:`write_xlsx`: a minimal workbook written part by part (inline strings), so a test can put a
  cell anywhere (``XFD1048576``) or declare any ``<dimension>``;
- :func:`write_bomb_xlsx`: a workbook whose sheet XML inflates to gigabytes at a chosen ratio,
  written as raw deflate blocks repeated (one block compressed once, copied N times: seconds, not
  minutes, and a few MB on disk);
- YAML alias bombs, GBK and binary YAML.
"""

from __future__ import annotations

import random
import struct
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from scoring.actuals.workbook import BUDGET_HEADER, INDICATOR_HEADER
from scoring.xlsx import column_letter

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
def cell_xml(ref: str, value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def rows_xml(rows: Sequence[Sequence[object]], extra: dict[str, object] | None = None) -> str:
    """``rows`` from A1, then ``extra`` cells (``{"XFD1048576": "x"}``) each in its own row."""
    out = []
    for r, row in enumerate(rows, 1):
        cells = "".join(cell_xml(f"{column_letter(c)}{r}", v) for c, v in enumerate(row) if v not in (None, ""))
        out.append(f'<row r="{r}">{cells}</row>')
    for ref, v in (extra or {}).items():
        r = int("".join(ch for ch in ref if ch.isdigit()))
        out.append(f'<row r="{r}">{cell_xml(ref, v)}</row>')
    return "".join(out)


def sheet_xml(body: str, dimension: str | None = None) -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS} {NS_R}>{dim}<sheetData>{body}</sheetData></worksheet>'.encode()


def _package_parts(names: Sequence[str]) -> list[tuple[str, bytes]]:
    ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                    for i in range(1, len(names) + 1)) + "</Types>")
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>')
    wb = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {NS} {NS_R}><sheets>'
          + "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
          + "</sheets></workbook>")
    wbrels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                        for i in range(1, len(names) + 1)) + "</Relationships>")
    return [("[Content_Types].xml", ct.encode()), ("_rels/.rels", rels.encode()), ("xl/workbook.xml", wb.encode()),
            ("xl/_rels/workbook.xml.rels", wbrels.encode())]


class _Entry:
    """One deflated zip member: raw deflate pieces, CRC and sizes."""

    def __init__(self, name: str, pieces: Iterable[bytes], crc: int, size: int):
        self.name, self.pieces, self.crc, self.size = name.encode(), pieces, crc, size


def _deflated(name: str, data: bytes) -> _Entry:
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    return _Entry(name, [co.compress(data) + co.flush()], zlib.crc32(data), len(data))


def _repeated(name: str, head: bytes, chunk: bytes, times: int, tail: bytes) -> _Entry:
    """``head + chunk * times + tail`` as raw deflate: ``chunk`` is compressed once after a full flush
    (no reference reaches back past it), and that block is copied ``times`` times."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = co.compress(head) + co.flush(zlib.Z_FULL_FLUSH)
    block = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    last = co.compress(tail) + co.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    pieces = _chain([first], _times(block, times), [last])
    return _Entry(name, pieces, crc, len(head) + len(chunk) * times + len(tail))


def _times(block: bytes, n: int) -> Iterable[bytes]:
    for _ in range(n):
        yield block


def _chain(*parts: Iterable[bytes]) -> Iterable[bytes]:
    for p in parts:
        yield from p


def _write_zip(path: Path, entries: Sequence[_Entry]) -> None:
    """A plain zip (no zip64: every member under 4 GB), written by hand so a member can be raw deflate."""
    central = []
    with open(path, "wb") as f:
        for e in entries:
            offset = f.tell()
            f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, e.crc, 0, e.size, len(e.name), 0))
            f.write(e.name)
            start = f.tell()
            for piece in e.pieces:
                f.write(piece)
            csize = f.tell() - start
            f.seek(offset + 18)
            f.write(struct.pack("<I", csize))
            f.seek(0, 2)
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, e.crc, csize, e.size,
                                       len(e.name), 0, 0, 0, 0, 0, offset) + e.name)
        cd_start = f.tell()
        for c in central:
            f.write(c)
        cd_size = f.tell() - cd_start
        f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), cd_size, cd_start, 0))


def write_xlsx(path: Path, sheets: dict[str, bytes]) -> Path:
    """A workbook of the given sheets (name → sheet XML from :func:`sheet_xml`)."""
    names = list(sheets)
    entries = [_deflated(n, d) for n, d in _package_parts(names)]
    entries += [_deflated(f"xl/worksheets/sheet{i}.xml", sheets[n]) for i, n in enumerate(names, 1)]
    _write_zip(path, entries)
    return path


def actuals_sheets(indicator_rows: Sequence[Sequence[object]] = (), budget_rows: Sequence[Sequence[object]] = (),
                   *, extra: dict[str, object] | None = None, dimension: str | None = None) -> dict[str, bytes]:
    """The two sheets the reader needs, with the template's headers; ``extra`` cells go on 指标实际值."""
    return {
        "指标实际值": sheet_xml(rows_xml([INDICATOR_HEADER, *indicator_rows], extra), dimension),
        "预算执行": sheet_xml(rows_xml([BUDGET_HEADER, *budget_rows])),
    }


def write_bomb_xlsx(path: Path, inflated_bytes: int = 1_900 * 1024**2, *, ratio_hint: int = 150) -> Path:
    """A workbook whose 指标实际值 sheet inflates to about ``inflated_bytes`` (rows of the template's
    form repeated). ``ratio_hint`` picks how repetitive a block is: 150 gives about 1:150 on disk."""
    rng = random.Random(ratio_hint)
    same = f'<row r="2">{cell_xml("A2", "P0001-001")}{cell_xml("G2", "已按时完成全部工作任务")}</row>'.encode()
    chunk = same * (256 * 1024 // len(same))
    # random digits in one cell make the block as incompressible as the ratio asks
    digits = int(len(chunk) / ratio_hint / 1.4)
    noise = f'<row r="3">{cell_xml("H3", "".join(rng.choice("0123456789") for _ in range(digits)))}</row>'.encode()
    chunk += noise
    head_sheet = sheet_xml(rows_xml([INDICATOR_HEADER]) + "\x00").split(b"\x00")
    times = max(1, (inflated_bytes - len(head_sheet[0]) - len(head_sheet[1])) // len(chunk))
    names = ["指标实际值", "预算执行"]
    entries = [_deflated(n, d) for n, d in _package_parts(names)]
    entries.append(_repeated("xl/worksheets/sheet1.xml", head_sheet[0], chunk, times, head_sheet[1]))
    entries.append(_deflated("xl/worksheets/sheet2.xml", sheet_xml(rows_xml([BUDGET_HEADER]))))
    _write_zip(path, entries)
    return path


# ---------------------------------------------------------------------------------------------
# YAML
# ---------------------------------------------------------------------------------------------

def alias_bomb(key: str = "title", levels: int = 9) -> str:
    """Billion laughs in one YAML line: ``key: [&a0 [..], &a1 [*a0 ×9], …]``, 9**levels leaves in a
    few hundred bytes. Under a key whose value is a string, so whatever formats or checks it walks it."""
    parts = ['&a0 ["哈哈哈哈哈哈哈哈", "哈哈哈哈哈哈哈哈", "哈哈哈哈哈哈哈哈"]']
    parts += [f"&a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return f"{key}: [{', '.join(parts)}]\n"


def projects_alias_bomb(original: str, levels: int = 9) -> str:
    """``projects.yaml`` with the first project's name replaced by an alias bomb."""
    lines = original.split("\n")
    i = next(n for n, line in enumerate(lines) if line.startswith("  project:"))
    lines[i] = "  " + alias_bomb("project", levels).rstrip("\n")
    return "\n".join(lines)


GBK_PROJECTS = "- project_id: P001\n  project: 台港澳宣传经费\n  department: 东莞市委台港澳办\n"


def gbk_projects_bytes() -> bytes:
    return GBK_PROJECTS.encode("gbk")


def binary_bytes(n: int = 4096) -> bytes:
    """Bytes that look like a picture or an executable (NUL bytes early)."""
    return (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * (n // 256 + 1))[:n]


def ooxml_text(text: str) -> str:
    """Text as a cell stores it: XML-escaped, control characters as ``_x001B_`` (how Excel keeps them)."""
    return "".join(f"_x{ord(ch):04X}_" if ord(ch) < 32 and ch not in "\t\n" else ch for ch in escape(text))


def patch_cells(path: Path, sheet: str, cells: dict[str, str]) -> Path:
    """Rewrite cells of one sheet of an existing workbook in place as inline strings (any length,
    control characters included: openpyxl refuses both)."""
    import re
    import zipfile

    from scoring.ooxml import sheet_part as _sheet_part

    with zipfile.ZipFile(path) as zf:
        part = _sheet_part(zf, sheet)
        parts = [(i, zf.read(i)) for i in zf.infolist()]
    out = []
    for info, data in parts:
        if info.filename == part:
            for ref, text in cells.items():
                new = f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{ooxml_text(text)}</t></is></c>'.encode()
                data, n = re.subn(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', lambda m, new=new: new, data,
                                  count=1, flags=re.S)
                assert n == 1, ref
        out.append((info, data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in out:
            zf.writestr(info.filename, data)
    return path
