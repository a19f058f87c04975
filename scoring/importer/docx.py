"""Word documents (.docx) read directly: paragraphs and table rows, in document order.

Read with the standard library (zipfile + ElementTree), not python-docx: a 绩效目标表 needs only
the text of paragraphs and table cells, and the two merge markers (``gridSpan`` across columns,
``vMerge`` down rows). Before parsing, the package is checked the way :func:`scoring.xlsx.check_xlsx`
checks a workbook: declared size and compression ratio of ``word/document.xml``, no encryption,
no DOCTYPE/ENTITY declaration (XML bombs). A merged cell's text is written in its first column and
repeated down its rows, as every reader does (:func:`scoring.importer.rows.fill_merges`). Rows that
begin or end short of the grid (``gridBefore``/``gridAfter``) keep their cells in their columns;
content controls (``w:sdt``) are looked through; a table inside a cell (a layout table holding the
real one) follows its row, and a text box's paragraphs follow the paragraph that anchors them.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from scoring.findings import ScoreError
from scoring.importer.rows import Row
from scoring.importer.zipparts import read_part

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _document_xml(path: Path) -> bytes:
    return read_part(path, "word/document.xml", "Word 文件", "请用 Word 打开并重新保存")


def _text(el) -> str:
    """A paragraph's text: runs joined, tabs kept (they separate cells in lines like 填表人…\\t电话…).

    A text box anchored in the paragraph is not part of its text (:func:`_boxes` reads it).
    """
    out = []
    stack = [el]
    while stack:
        node = stack.pop()
        tag = node.tag
        if tag == f"{W}t":
            out.append(node.text or "")
        elif tag == f"{W}tab":
            out.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            out.append("\n")
        elif tag != f"{W}txbxContent":
            stack.extend(reversed(node))
    return "".join(out)


def _boxes(el) -> list:
    """The paragraphs and tables inside the text boxes of ``el`` (shapes drawn in the text)."""
    out = []
    stack = list(reversed(el))
    while stack:
        node = stack.pop()
        if node.tag == f"{W}txbxContent":
            out.extend(_blocks(node))
        elif node.tag != FALLBACK:   # Word writes each text box twice: as a shape and as its VML fallback
            stack.extend(reversed(node))
    return out


_WRAPPERS = {f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}smartTag", f"{W}ins"}


def _blocks(parent) -> list:
    """Block children (paragraphs, tables), looking through content controls and tracked insertions."""
    out = []
    for child in parent:
        if child.tag in (f"{W}p", f"{W}tbl", f"{W}tr", f"{W}tc"):
            out.append(child)
        elif child.tag in _WRAPPERS:
            out.extend(_blocks(child))
    return out


def _int_val(el, default: int = 0) -> int:
    try:
        return max(0, min(int(el.get(f"{W}val", default)), 1000)) if el is not None else default
    except ValueError:
        return default


def _indent(p) -> int:
    """A paragraph's left indent in characters (``w:ind`` in hundredths of a character, or in twips over the
    font size), written as that many full-width spaces as every reader writes an indent.

    >>> _indent(ET.fromstring(f'<w:p xmlns:w="{W[1:-1]}"><w:pPr><w:ind w:leftChars="200" w:left="420"/></w:pPr></w:p>'))
    2
    """
    ind = p.find(f"{W}pPr/{W}ind")
    if ind is None:
        return 0

    def num(attr: str) -> float:
        try:
            return float(ind.get(f"{W}{attr}") or 0)
        except ValueError:
            return 0.0

    chars = num("leftChars") or num("startChars")
    if chars:
        return max(0, min(round(chars / 100), 15))
    size = p.find(f".//{W}rPr/{W}sz")
    twips_per_char = 10 * (_int_val(size, 21) or 21)   # w:sz is in half-points; 五号 (10.5 pt) by default
    return max(0, min(round((num("left") or num("start")) / twips_per_char), 15))


def _table_rows(tbl, name: str, start: int, going_on: list[Row] | None = None) -> list[Row]:
    """A table's rows; ``going_on``: the rows of the table this one goes on from (split at a page break)."""
    rows: list[Row] = []
    above: list[str] = []
    for tr in (b for b in _blocks(tbl) if b.tag == f"{W}tr"):
        trpr = tr.find(f"{W}trPr")
        before = _int_val(trpr.find(f"{W}gridBefore") if trpr is not None else None)
        cells: list[str] = [""] * before
        nested: list[Row] = []
        cut = bool(going_on) and _cut(rows, going_on)   # the cells at the left of this row were cut by the break
        for tc in (b for b in _blocks(tr) if b.tag == f"{W}tc"):
            pr = tc.find(f"{W}tcPr")
            span = max(_int_val(pr.find(f"{W}gridSpan") if pr is not None else None, 1), 1)
            merge = pr.find(f"{W}vMerge") if pr is not None else None
            inner = _blocks(tc)
            paras = [p for p in inner if p.tag == f"{W}p"]
            text = "\n".join(_text(p) for p in paras)
            if paras and text.strip():
                text = "\u3000" * _indent(paras[0]) + text
            col = len(cells)
            if merge is not None and merge.get(f"{W}val", "continue") == "continue":
                text = above[col] if col < len(above) else ""
            elif cut and not text.strip() and merge is not None:   # a new merge, empty: the lower part of a cut one
                text = going_on[-1].cells[col] if col < len(going_on[-1].cells) else ""
            else:
                cut = False
            cells.extend([text] + [""] * (span - 1))
            for t in inner:
                if t.tag == f"{W}tbl":
                    nested.append(t)
        rows.append(Row(name, start + len(rows), tuple(cells), grid=True))
        above = cells
        for t in nested:
            rows.extend(_table_rows(t, name, start + len(rows)))
    return rows


def _cut(rows: list[Row], going_on: list[Row]) -> bool:
    """Whether the row being read is the first of a table that goes on from ``going_on`` (after its repeated
    header, if it has one): Word leaves the lower part of a merged cell split at a page break empty (a new
    merge), so such cells at the left of that row take the text of the row above the break."""
    return rows == [] or (len(rows) == 1 and any(rows[0].cells == r.cells for r in going_on))


def docx_rows(path: str | Path) -> list[Row]:
    """Rows of a .docx: a paragraph is a row (cells split at tabs), a table row is a row of cells."""
    path = Path(path)
    try:
        root = ET.fromstring(_document_xml(path))
    except ET.ParseError as exc:
        raise ScoreError(f"Word 文件的正文无法解析：{exc}", where=str(path), hint="请用 Word 打开并重新保存") from None
    body = root.find(f"{W}body")
    rows: list[Row] = []
    _read_blocks(_blocks(body) if body is not None else [], path.name, rows)
    return rows


def _read_blocks(blocks: list, name: str, rows: list[Row]) -> None:
    """Paragraphs and tables in order; a table after another with only empty paragraphs (a page break) between
    them and as many columns is read as going on from it (:func:`_cut`)."""
    last: list[Row] | None = None
    for block in blocks:
        if block.tag == f"{W}p":
            text = _text(block)
            rows.append(Row(name, len(rows) + 1, tuple(text.split("\t"))))
            if text.strip():
                last = None
            _read_blocks(_boxes(block), name, rows)
        elif block.tag == f"{W}tbl":
            table = _table_rows(block, name, len(rows) + 1, last)
            if last and table and len(table[0].cells) != len(last[-1].cells):
                table = _table_rows(block, name, len(rows) + 1)
            rows.extend(table)
            last = table or None
