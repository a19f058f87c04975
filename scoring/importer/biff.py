"""The number format of each number cell in an old Excel workbook (.xls, BIFF8), which calamine does not give.

calamine reads an .xls's values and merged ranges; to show a number as the person who made the
table saw it (1 as ``100%``, 7548150 as ``7,548,150``) the cell's format code is needed. This
module reads just that, with the standard library: the OLE compound file's ``Workbook`` stream
(:func:`ole_stream`), then its FORMAT and XF records and the XF index of each NUMBER, RK, MULRK
and FORMULA cell, and each sheet's used range (:func:`scan`). Every read is bounded by the file's size; a damaged
or unusual file gives no formats (its numbers are then read as in a cell of format General).
"""

from __future__ import annotations

import struct

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
END = 0xFFFFFFFE
FREE = 0xFFFFFFFF

BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
    37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)",
    48: "##0.0E+0", 49: "@",
}


class OleError(ValueError):
    """Not a readable OLE compound file."""


def _header(data: bytes) -> tuple[int, int, int]:
    if len(data) < 512 or not data.startswith(OLE_MAGIC):
        raise OleError("not an OLE compound file")
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if shift not in (9, 12) or mini_shift != 6:
        raise OleError("unusual sector size")
    cutoff, = struct.unpack_from("<I", data, 0x38)
    mini_fat, = struct.unpack_from("<I", data, 0x3C)
    return 1 << shift, cutoff, mini_fat


def _fat(data: bytes, size: int) -> list[int]:
    n_fat, = struct.unpack_from("<I", data, 0x2C)
    difat = list(struct.unpack_from("<109I", data, 0x4C))
    nxt, = struct.unpack_from("<I", data, 0x44)
    seen = set()
    while nxt not in (END, FREE) and nxt not in seen and len(difat) < n_fat + 109:
        seen.add(nxt)
        off = (nxt + 1) * size
        if off + size > len(data):
            raise OleError("DIFAT sector outside the file")
        entries = struct.unpack_from(f"<{size // 4}I", data, off)
        difat.extend(entries[:-1])
        nxt = entries[-1]
    fat: list[int] = []
    for sector in difat[:n_fat]:
        off = (sector + 1) * size
        if sector in (END, FREE) or off + size > len(data):
            raise OleError("FAT sector outside the file")
        fat.extend(struct.unpack_from(f"<{size // 4}I", data, off))
    return fat


def _chain(fat: list[int], start: int, limit: int) -> list[int]:
    out: list[int] = []
    seen: set[int] = set()
    s = start
    while s not in (END, FREE):
        if s in seen or s >= len(fat) or len(out) > limit:
            raise OleError("broken sector chain")
        seen.add(s)
        out.append(s)
        s = fat[s]
    return out


def _read(data: bytes, fat: list[int], start: int, size: int, sector: int) -> bytes:
    chunks = [data[(s + 1) * sector:(s + 2) * sector] for s in _chain(fat, start, len(data) // sector + 1)]
    return b"".join(chunks)


def _directory(data: bytes) -> dict[str, tuple[int, int, int]]:
    sector, _cutoff, _ = _header(data)
    fat = _fat(data, sector)
    first_dir, = struct.unpack_from("<I", data, 0x30)
    raw = _read(data, fat, first_dir, 0, sector)
    out: dict[str, tuple[int, int, int]] = {}
    for off in range(0, len(raw) - 127, 128):
        n, kind = struct.unpack_from("<HB", raw, off + 64)
        if kind not in (1, 2, 5) or not 2 <= n <= 64:
            continue
        name = raw[off:off + n - 2].decode("utf-16-le", "replace")
        start, size = struct.unpack_from("<II", raw, off + 116)
        out.setdefault("\0root" if kind == 5 else name, (kind, start, size))
    return out


def ole_directory(data: bytes) -> set[str]:
    """The names of the streams in an OLE compound file (``Workbook``, ``WordDocument``, ``EncryptedPackage``…)."""
    return {name for name, (kind, _, _) in _directory(data).items() if kind == 2}


def ole_stream(data: bytes, names: tuple[str, ...] = ("Workbook", "Book")) -> bytes:
    """The first stream of ``names`` in an OLE compound file (mini stream included)."""
    sector, cutoff, mini_fat_start = _header(data)
    fat = _fat(data, sector)
    entries = _directory(data)
    for name in names:
        if name in entries and entries[name][0] == 2:
            _, start, size = entries[name]
            break
    else:
        raise OleError("no workbook stream")
    if size >= cutoff:
        return _read(data, fat, start, size, sector)[:size]
    root = entries.get("\0root")
    if root is None:
        raise OleError("no root entry")
    mini = _read(data, fat, root[1], root[2], sector)
    mini_fat_raw = _read(data, fat, mini_fat_start, 0, sector) if mini_fat_start not in (END, FREE) else b""
    mini_fat = list(struct.unpack_from(f"<{len(mini_fat_raw) // 4}I", mini_fat_raw))
    return b"".join(mini[s * 64:(s + 1) * 64] for s in _chain(mini_fat, start, len(mini) // 64 + 1))[:size]


def _records(stream: bytes):
    pos = 0
    end = len(stream)
    while pos + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, pos)
        yield pos, kind, stream[pos + 4:pos + 4 + length]
        pos += 4 + length


def _unicode(body: bytes, off: int, wide_count: bool) -> str:
    if wide_count:
        n, = struct.unpack_from("<H", body, off)
        off += 2
    else:
        n = body[off]
        off += 1
    flags = body[off]
    off += 1
    if flags & 0x8:
        off += 2
    if flags & 0x4:
        off += 4
    if flags & 0x1:
        return body[off:off + 2 * n].decode("utf-16-le", "replace")
    return body[off:off + n].decode("latin-1")


CELL_RECORDS = {0x00FD, 0x0204, 0x0201, 0x0205, 0x00D6, 0x0203, 0x027E, 0x0006}   # one cell: row, column first
MULTI_RECORDS = {0x00BD, 0x00BE}   # MULRK, MULBLANK: row, first column, …, last column


Cells = dict[str, dict[tuple[int, int], str]]


Hidden = dict[str, tuple[set[int], set[int]]]


def scan(stream: bytes) -> tuple[Cells, dict[str, tuple[int, int]], dict[str, dict[tuple[int, int], int]], Hidden]:
    """The Workbook stream's number formats, used ranges, text indents and hidden rows and columns.

    Returns sheet name → {(row, column): format code} for every number cell whose format is not
    General, sheet name → (rows, columns) from A1 to its farthest cell, sheet name →
    {(row, column): indent level} for every text cell indented by its alignment, and sheet name →
    (hidden rows, hidden columns), 0-based (ROW and COLINFO records; rows hidden by a filter not counted).
    """
    formats = dict(BUILTIN_FORMATS)
    xf_formats: list[int] = []
    xf_indents: list[int] = []
    sheets: dict[int, str] = {}
    out: Cells = {}
    extents: dict[str, tuple[int, int]] = {}
    indents: dict[str, dict[tuple[int, int], int]] = {}
    current: dict[tuple[int, int], str] | None = None
    steps: dict[tuple[int, int], int] | None = None
    name: str | None = None
    hidden: Hidden = {}
    filtered: set[str] = set()

    def put(row: int, col: int, xf: int) -> None:
        if current is not None and xf < len(xf_formats):
            code = formats.get(xf_formats[xf], "General")
            if code != "General":
                current[(row, col)] = code

    def indent(row: int, col: int, xf: int) -> None:
        if steps is not None and xf < len(xf_indents) and xf_indents[xf]:
            steps[(row, col)] = xf_indents[xf]

    def reach(row: int, col: int) -> None:
        if name is not None:
            h, w = extents.get(name, (0, 0))
            extents[name] = (max(h, row + 1), max(w, col + 1))

    for pos, kind, body in _records(stream):
        if kind == 0x0809:   # BOF: a sheet's substream starts where its BOUNDSHEET said
            name = sheets.get(pos)
            current = out.setdefault(name, {}) if name is not None else None
            steps = indents.setdefault(name, {}) if name is not None else None
        elif kind == 0x0208 and len(body) >= 14 and name is not None:   # ROW: bit 5 of its flags is fDyZero (hidden)
            if struct.unpack_from("<H", body, 12)[0] & 0x20:
                hidden.setdefault(name, (set(), set()))[0].add(struct.unpack_from("<H", body, 0)[0])
        elif kind == 0x007D and len(body) >= 10 and name is not None:   # COLINFO: bit 0 of its flags is fHidden
            first, last = struct.unpack_from("<HH", body, 0)
            if struct.unpack_from("<H", body, 8)[0] & 0x1:
                hidden.setdefault(name, (set(), set()))[1].update(range(first, min(last, first + 255) + 1))
        elif kind in (0x009B, 0x009D) and name is not None:   # FILTERMODE, AUTOFILTERINFO: rows hidden by a filter
            filtered.add(name)
        elif kind == 0x0085 and len(body) > 8:   # BOUNDSHEET
            sheets[struct.unpack_from("<I", body, 0)[0]] = _unicode(body, 6, False)
        elif kind == 0x041E and len(body) > 4:   # FORMAT
            formats[struct.unpack_from("<H", body, 0)[0]] = _unicode(body, 2, True)
        elif kind == 0x00E0 and len(body) >= 4:   # XF
            xf_formats.append(struct.unpack_from("<H", body, 2)[0])
            xf_indents.append(body[8] & 0x0F if len(body) > 8 else 0)   # BIFF8: indent level, bits 0-3 of byte 8
        elif kind in CELL_RECORDS and len(body) >= 6:
            row, col, xf = struct.unpack_from("<HHH", body, 0)
            reach(row, col)
            if kind in (0x0203, 0x027E) or (kind == 0x0006 and body[12:14] != b"\xff\xff"):
                put(row, col, xf)   # NUMBER, RK, or a FORMULA whose result is a number
            elif kind in (0x00FD, 0x0204):
                indent(row, col, xf)   # LABELSST, LABEL: text
        elif kind in MULTI_RECORDS and len(body) >= 6:
            row, col = struct.unpack_from("<HH", body, 0)
            last, = struct.unpack_from("<H", body, len(body) - 2)
            reach(row, max(col, last))
            if kind == 0x00BD:   # MULRK: (xf, rk) for each column
                for i in range((len(body) - 6) // 6):
                    put(row, col + i, struct.unpack_from("<H", body, 4 + 6 * i)[0])
    for sheet in filtered & hidden.keys():
        hidden[sheet][0].clear()
    return out, extents, indents, hidden


def read_biff(data: bytes) -> tuple[Cells, dict[str, tuple[int, int]], dict[str, dict[tuple[int, int], int]], Hidden]:
    """:func:`scan` of an .xls file's bytes; nothing when the file cannot be read this way."""
    try:
        return scan(ole_stream(data))
    except (OleError, struct.error, IndexError, UnicodeDecodeError):
        return {}, {}, {}, {}
