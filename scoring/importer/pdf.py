"""PDF documents as rows of cells (pdfplumber): ruled tables as grids, other text as lines.

A government 绩效目标表 PDF is a ruled table with a title and meta lines around it. Each page is
read top to bottom: a ruled table (pdfplumber's table finder, by the ruling lines) becomes grid
rows, its merged cells written as every reader writes them (text in the first column, repeated
down the rows: the cell rectangles tell which grid positions a merged cell covers); a line of text
outside the tables becomes a row whose cells are the runs of words separated by a wide gap, each
with its position (``offsets``/``chars``, as for text split at spaces), so that a PDF with no
ruling lines at all is lined up under its header as extracted text is. A table continued on the
next page follows on, its repeated header row and the page numbers in the margins left out.
A page with no text layer (a scan) is named: it needs OCR or the electronic original.
Guards: file size, page count and the characters and cells of a page are bounded; an encrypted
or damaged PDF is refused with a message, never a traceback.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_left
from pathlib import Path

from scoring.findings import ScoreError, place
from scoring.importer.pdfcolumns import snap
from scoring.importer.pdfwraps import place_labels, unwrap
from scoring.importer.rows import MAX_CELLS, Row

MAX_PDF_BYTES = 100 * 1024**2
MAX_PAGES = 300
MAX_PAGE_CHARS = 100_000      # a dense A4 page of small print has about 6,000
MAX_TABLE_CELLS = 20_000
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*\d+\s*页(\s*[,，/／]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d+|共\s*\d+\s*页\s*第\s*\d+\s*页)[-—–\s]*$")
SCAN_HINT = "这是扫描件/图片，没有文字层，无法读取文字；请先用 OCR 识别成文字，或向发布单位要电子版（Excel/Word）"


def pdf_rows(path: Path, data: bytes) -> tuple[list[Row], list[str]]:
    """Rows of every page of a PDF, and notes on how it was read."""
    import pdfplumber

    where = str(path)
    if len(data) > MAX_PDF_BYTES:
        raise ScoreError(f"PDF 文件有 {len(data) / 1024**2:,.0f} MB，超过上限 {MAX_PDF_BYTES // 1024**2} MB",
                         where=where, hint="只导入绩效目标表所在的几页（另存或打印为 PDF）")
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception as exc:
        raise _open_error(exc, where) from None
    notes: list[str] = []
    with pdf:
        if len(pages) > MAX_PAGES:
            raise ScoreError(f"PDF 有 {len(pages)} 页，超过上限 {MAX_PAGES} 页", where=where,
                             hint="只导入绩效目标表所在的几页（另存或打印为 PDF）")
        reader = _Reader(path.name)
        scanned: list[int] = []
        for n, page in enumerate(pages, 1):
            try:
                has_text = reader.page(page, n)
            except ScoreError:
                raise
            except Exception as exc:   # pdfminer's errors on a damaged page
                raise ScoreError(f"PDF 第{n}页无法读取：{type(exc).__name__}", where=place(where, f"第{n}页"),
                                 hint="用 PDF 阅读器打开后另存或打印为新的 PDF，或向发布单位要电子版") from None
            if not has_text:
                scanned.append(n)
    if scanned and len(scanned) == len(pages):
        raise ScoreError("PDF 没有文字层：" + SCAN_HINT, where=place(where, f"第{scanned[0]}页"),
                         hint="用 OCR 软件识别后导出为 Word/Excel 或文本，再导入；或向发布单位要电子版")
    if scanned:
        notes.append(f"第{'、'.join(map(str, scanned))}页没有文字层（扫描件/图片），未读取：需要 OCR 或电子版")
    if reader.tables:
        notes.append(f"PDF：按表格线读取了 {reader.tables} 个表格，合并单元格按 Excel 的方式展开；表格外的文字按行读取")
    else:
        notes.append("PDF 没有表格线：按文字位置分行、按较宽的空白分隔单元格（同 PDF 提取的文本）")
    if reader.unwrapped:
        notes.append(f"没有表格线的页上，{reader.unwrapped} 行的单元格折成了上下两行（在本行的上方和下方各半行），"
                     "已按列接回本行")
    if reader.placed:
        notes.append(f"没有表格线的页上，{reader.placed} 个合并单元格的名称居中在它所跨各行的中间（两行之间或中间一行），"
                     "已放到它所跨各行的第一行")
    notes.extend(reader.notes)
    return reader.rows, notes


def _open_error(exc: Exception, where: str) -> ScoreError:
    name = type(exc).__name__
    causes = " ".join(type(e).__name__ for e in (exc, *exc.args, exc.__cause__, exc.__context__) if e is not None)
    if "Password" in causes or "Encrypt" in causes:
        return ScoreError("PDF 已加密（设置了打开密码），无法读取", where=where,
                          hint="请用密码打开后另存为不加密的 PDF，或向发布单位要电子版（Excel/Word）")
    return ScoreError(f"PDF 文件已损坏，无法打开（{name}）", where=where,
                      hint="用 PDF 阅读器打开后另存为新的 PDF，或向发布单位要电子版（Excel/Word）")


class _Reader:
    """Pages read one after another; a table continued on the next page is carried on."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.groups: list[list] = []   # [first page, last page, rows]
        self.continued = False         # this page's first table goes on from the last page's
        self.ruled_before = True
        self.notes: list[str] = []
        self.tables = 0
        self.last: tuple[tuple[float, ...], list[str], list[str]] | None = None  # columns, header, last row
        self.carried: set[str] = set()
        self.unwrapped = 0   # rows of a page without ruling whose wrapped cells were joined
        self.placed = 0      # names of merged cells centred on their rows put into the cell's first row
        self.cut_row: list[str] = []   # the texts of the last row before the page break, when the table goes on

    def _cut_text(self, cells: tuple[str, ...]) -> bool:
        """A line above a continued table that is pieces of the cells cut by the page break: a merged cell's
        text drawn again over the cut, each line of it a piece of one of those cells."""
        return bool(self.continued and cells) and all(
            any(re.sub(r"\s", "", c) in text for text in self.cut_row) for c in cells)

    def page(self, page, n: int) -> bool:
        chars = page.chars
        if len(chars) > MAX_PAGE_CHARS:
            raise ScoreError(f"第{n}页有 {len(chars):,} 个字符，超过一页的上限 {MAX_PAGE_CHARS:,}",
                             where=place(self.name, f"第{n}页"), hint="确认选对了文件")
        if not any(c["text"].strip() for c in chars):
            return False
        sheet = f"第{n}页"
        items: list[tuple[float, list[Row]]] = []
        boxes = []
        self.continued, self.cut_row = False, []
        edges = [e for e in page.edges if e["orientation"] == "h"]
        height = float(page.height)
        chars = _without_page_numbers(chars, height)
        for t in page.find_tables(_settings(page)):
            areas = [t.bbox, *_open_ends(t, edges, chars)]
            grid, owners = _grid(t, chars, self.name, sheet, areas)
            if not grid:
                continue
            self.tables += 1
            self._continue(t, grid, owners, sheet, first=not boxes)
            boxes.extend(areas)
            items.append((t.bbox[1], [Row(self.name, 0, tuple(r), sheet=sheet, grid=True) for r in grid]))
        lines = _lines([c for c in chars if not _inside(c, boxes)])
        if not boxes and lines:   # no ruling: a row's wrapped cells are lines of their own (:mod:`.pdfwraps`)
            sizes = sorted(c["size"] for c in chars)
            lines, joined = unwrap(lines, sizes[len(sizes) // 2])
            lines, placed = place_labels(lines, sizes[len(sizes) // 2])
            lines = snap(lines)
            self.unwrapped += joined
            self.placed += placed
        for top, row in lines:
            if boxes and top < min(b[1] for b in boxes) + 1 and self._cut_text(row.cells):
                continue   # the cut merged cell's text, drawn again above the table (clipped from view)
            items.append((top, [Row(self.name, 0, row.cells, sheet=sheet, offsets=row.offsets, chars=row.chars)]))
        items.sort(key=lambda it: it[0])
        joins = self.continued if boxes else not self.ruled_before
        if not joins or not self.groups:
            self.groups.append([n, n, []])
        group = self.groups[-1]
        group[1] = n
        group[2].extend(r for _, rows in items for r in rows)
        self.ruled_before = bool(boxes)
        if items and not items[-1][1][-1].grid:
            self.last = None   # text after the last table: the next page starts afresh
        return True

    @property
    def rows(self) -> list[Row]:
        """The rows, numbered within each run of pages that one table (or running text) goes over:
        ``file › 第2页 › 第5行``, ``file › 第2–3页 › 第41行``."""
        out: list[Row] = []
        for first, last, rows in self.groups:
            sheet = f"第{first}页" if first == last else f"第{first}–{last}页"
            out.extend(Row(r.file, i, r.cells, sheet=sheet, offsets=r.offsets, chars=r.chars, grid=r.grid)
                       for i, r in enumerate(rows, 1))
        return out

    def _continue(self, table, grid: list[list[str]], owners: list[list[int]], sheet: str, first: bool) -> set[str]:
        """A table that goes on from the last page: its repeated header dropped, a merged block cut by the page
        break carried on (the empty cells at its top left take the text above the cut). Returns the texts carried."""
        cols = (*(round(c.bbox[0]) for c in table.columns), round(table.bbox[2]))
        prev = self.last
        self.carried = set()
        at = _columns_in(cols, prev[0]) if first and prev else None
        if first:
            self.continued = at is not None
        if at is not None and len(at) < len(prev[0]) - 1:   # a column line the rows here do not draw
            owners[:] = _widen(owners, at, len(prev[0]) - 1, list(range(len(grid))))
            grid[:] = [_widen(row, at, len(prev[0]) - 1, "") for row in grid]
            cols = prev[0]
        self.last = (cols, list(grid[0]), list(grid[-1]))
        if not (first and self.continued):
            return self.carried
        self.cut_row = [re.sub(r"\s", "", c) for c in prev[2] if c.strip()]
        if grid[0] == prev[1] and len(grid) > 1:
            self.notes.append(f"{sheet}：表格续页重复的表头行不作为数据")
            del grid[0]
            owners = [col[1:] for col in owners]
        lead = next((j for j, c in enumerate(grid[0]) if c.strip()), 0)
        for c in range(min(lead, len(prev[2]))):
            if not prev[2][c]:
                continue
            self.carried.add(prev[2][c])
            for r in range(len(grid)):
                if owners[c][r] != owners[c][0] or grid[r][c]:
                    break
                grid[r][c] = prev[2][c]
        if self.carried:
            self.notes.append(f"{sheet}：续页顶部左侧空着的单元格沿用上一页最后一行（跨页的合并单元格）")
        return self.carried


def _columns_in(cols: tuple[int, ...], wider: tuple[int, ...]) -> list[int] | None:
    """Where each column of a table (its left edges, then its right edge) stands among the columns of the table on
    the page before, when it is that table going on: the same outer edges, each of its column lines one of those.
    A page may draw fewer column lines (its rows all merge two columns that a row on the page before splits).

    >>> _columns_in((54, 144, 323, 541), (54, 144, 222, 323, 541)), _columns_in((54, 150, 541), (54, 144, 541))
    ([0, 1, 3], None)
    """
    if abs(cols[0] - wider[0]) > 2 or abs(cols[-1] - wider[-1]) > 2:
        return None
    at = []
    for x in cols[:-1]:
        j = min(range(len(wider) - 1), key=lambda k: abs(wider[k] - x))
        if abs(wider[j] - x) > 2 or (at and j <= at[-1]):
            return None
        at.append(j)
    return at


def _widen(cells: list, at: list[int], width: int, empty) -> list:
    """A row (or a column list) placed in the wider table's columns: a column the row has no line for is empty
    (the text of a cell over two columns stays in its first).

    >>> _widen(["a", "b", "c"], [0, 1, 3], 4, "")
    ['a', 'b', '', 'c']
    """
    out = [empty] * width
    for value, j in zip(cells, at, strict=True):
        out[j] = value
    return out


def _settings(page) -> dict:
    """The table finder's settings: ruling lines, plus a line along the top and the bottom of all of them.

    A table cut by a page break has no border along the cut (LibreOffice, WPS): without one the cells
    along the cut have no rectangle and the finder leaves them out.
    """
    edges = [e for e in page.edges if e["orientation"] == "h"]
    if not edges:
        return {}
    tops = (min(e["top"] for e in edges), max(e["top"] for e in edges))
    sides = [e["x0"] for e in page.edges if e["orientation"] == "v" and e["bottom"] > tops[0] and e["top"] < tops[1]]
    x0, x1 = min(e["x0"] for e in edges), max(e["x1"] for e in edges)
    if sides:   # a column whose cells are cut open by the page break has no line along the cut, only its sides
        x0, x1 = min(x0, min(sides)), max(x1, max(sides))
    return {"explicit_horizontal_lines": [{"x0": x0, "x1": x1, "top": t, "bottom": t, "width": x1 - x0,
                                           "height": 0, "object_type": "line", "orientation": "h"}
                                          for t in tops]}


def _without_page_numbers(chars: list[dict], height: float) -> list[dict]:
    """The page's characters less a page number in the top or bottom margin (``第 1 页``, ``- 2 -``, ``1/3``)."""
    out: list[dict] = []
    for top, line in _group_lines(chars):
        if not ((top < height * 0.08 or top > height * 0.9) and _PAGE_NUMBER.match("".join(c["text"] for c in line))):
            out.extend(line)
    return out


def _open_ends(table, edges: list[dict], chars: list[dict]) -> list[tuple[float, float, float, float]]:
    """Areas just below and above a table where a cell is open (no line along the table's edge there): a
    merged cell cut by a page break, whose text LibreOffice and WPS draw centred on the whole cell, past the
    cut. Its characters there are its text (six lines' height at most)."""
    _x0, top, x1, bottom = table.bbox
    sizes = sorted(c["size"] for c in chars) or [10.0]
    reach = 8 * sizes[len(sizes) // 2]
    out = []
    lefts = sorted({round(c.bbox[0], 1) for c in table.columns})
    for cx0, cx1 in zip(lefts, [*lefts[1:], x1], strict=True):
        mid = (cx0 + cx1) / 2
        for y, area in ((bottom, (cx0, bottom, cx1, bottom + reach)), (top, (cx0, top - reach, cx1, top))):
            if not any(abs(e["top"] - y) <= 1.5 and e["x0"] - 1 <= mid <= e["x1"] + 1 for e in edges):
                out.append(area)
    return out


def _anchor(ch: dict) -> tuple[float, float]:
    """The point that places a character: a quarter into it, mid-height (a comma may overhang a cell's edge)."""
    return ch["x0"] + (ch["x1"] - ch["x0"]) / 4, (ch["top"] + ch["bottom"]) / 2


def _grid(table, chars: list[dict], name: str, sheet: str,
          areas: list[tuple[float, float, float, float]]) -> tuple[list[list[str]], list[list[int]]]:
    """A ruled table as a grid of cells (a merged cell's text in its first column, down its rows), and for
    each column the first row of the cell that covers each row.

    Each character goes to the grid position its anchor falls in, and from there to the cell
    rectangle that covers the position (a merged cell covers several).
    """
    rows, cols = table.rows, table.columns
    if len(rows) * len(cols) > MAX_TABLE_CELLS or len(cols) > MAX_CELLS:
        raise ScoreError(f"表格有 {len(rows):,} 行 × {len(cols):,} 列，超出上限", where=place(name, sheet),
                         hint="确认选对了文件")
    lefts = sorted({round(c.bbox[0], 1) for c in cols})
    tops = sorted({round(r.bbox[1], 1) for r in rows})
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for ri, row in enumerate(rows):
        for ci, box in enumerate(row.cells):
            if box is None:
                continue
            r_end = max(bisect_left(tops, round(box[3], 1) - 0.5), ri + 1)
            c_end = max(bisect_left(lefts, round(box[2], 1) - 0.5), ci + 1)
            spans[(ri, ci)] = (r_end, c_end)
            for r in range(ri, min(r_end, len(rows))):
                for c in range(ci, min(c_end, len(cols))):
                    owner.setdefault((r, c), (ri, ci))
    for c in range(len(cols)):   # positions no rectangle covers: a merged cell cut open by a page break
        r = 0
        while r < len(rows):
            if (r, c) in owner:
                r += 1
                continue
            end = r
            while end < len(rows) and (end, c) not in owner:
                owner[(end, c)] = (r, c)
                end += 1
            spans[(r, c)] = (end, c + 1)
            r = end
    texts: dict[tuple[int, int], list[dict]] = {}
    inside = [ch for ch in chars if _inside(ch, areas)]   # the table, and past its cells cut open
    def cell_of(ch: dict) -> tuple[int, int] | None:
        x, y = _anchor(ch)
        return owner.get((max(bisect_left(tops, y) - 1, 0), max(bisect_left(lefts, x) - 1, 0)))

    runs = [[(ch, cell_of(ch)) for ch in run] for run in _runs(inside, lefts)]
    starts = {run[0][1] for run in runs}
    for run in runs:   # text overflowing into an empty neighbour (Excel prints it so) stays in its cell
        whole = all(cell in (run[0][1], None) or cell not in starts for _, cell in run)
        for ch, cell in run:
            cell = run[0][1] if whole else cell
            if cell is not None:
                texts.setdefault(cell, []).append(ch)
    grid = [[""] * len(cols) for _ in rows]
    for (ri, ci), (r_end, c_end) in spans.items():
        text = _cell_text(texts.get((ri, ci), []))
        for r in range(ri, min(r_end, len(rows))):
            for c in range(ci, min(c_end, len(cols))):
                if owner.get((r, c)) == (ri, ci):
                    grid[r][c] = text if c == ci else ""
    owners = [[owner.get((r, c), (r, c))[0] for r in range(len(rows))] for c in range(len(cols))]
    return grid, owners


def _runs(chars: list[dict], lefts: list[float]) -> list[list[dict]]:
    """Characters in runs: on one line, each touching the next. A run goes on into the next column only
    where a character lies across the column's edge (text overflowing its cell), not where two texts meet."""
    out: list[list[dict]] = []
    for _, line in _group_lines(chars):
        start = len(out)
        for ch in line:
            if len(out) > start and ch["x0"] - out[-1][-1]["x1"] < min(1.5, 0.15 * ch["size"]):
                prev = out[-1][-1]
                a, b = bisect_left(lefts, _anchor(prev)[0]), bisect_left(lefts, _anchor(ch)[0])
                if a == b or any(prev["x0"] + 0.5 < edge < prev["x1"] - 0.5 or ch["x0"] + 0.5 < edge < ch["x1"] - 0.5
                                 for edge in lefts[a:b]):
                    out[-1].append(ch)
                    continue
            out.append([ch])
    return out


def _cell_text(chars: list[dict]) -> str:
    """A cell's characters in reading order; a line wrapped inside the cell joins the next (words with a space)."""
    lines = [row.cells for _, row in _lines(chars, split=False)]
    out = ""
    for cells in lines:
        ln = " ".join(cells).strip()
        if not ln:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and ln[0].isascii() and ln[0].isalnum():
            out += " "
        out += ln
    return out


def _inside(ch: dict, boxes: list) -> bool:
    x, y = _anchor(ch)
    return any(b[0] - 1 <= x <= b[2] + 1 and b[1] - 1 <= y <= b[3] + 1 for b in boxes)


def _group_lines(chars: list[dict]) -> list[tuple[float, list[dict]]]:
    """Characters grouped into lines (tops within 40% of a character's size), each line left to right."""
    lines: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: c["top"]):
        if lines and abs(ch["top"] - lines[-1][0]["top"]) <= max(2.0, ch["size"] * 0.4):
            lines[-1].append(ch)
        else:
            lines.append([ch])
    return [(line[0]["top"], sorted(line, key=lambda c: c["x0"])) for line in lines]


def _lines(chars: list[dict], split: bool = True) -> list[tuple[float, Row]]:
    """Characters grouped into lines, each split into cells at wide gaps (``split``), spaces kept."""
    lines = [line for _, line in _group_lines(chars)]
    if not lines:
        return []
    sizes = sorted(c["size"] for c in chars)
    unit = max(sizes[len(sizes) // 2] / 2, 1.0)   # a half-width column, as the text reader counts
    left = min(c["x0"] for c in chars)
    out: list[tuple[float, Row]] = []
    for line in lines:
        cells: list[str] = []
        offsets: list[int] = []
        prev = None
        for ch in line:
            gap = ch["x0"] - prev["x1"] if prev else None
            if gap is None or (split and gap > max(ch["size"], prev["size"]) * 1.5):
                cells.append(ch["text"])
                offsets.append(round((ch["x0"] - left) / unit))
            else:
                wide = gap > ch["size"] * 0.25 and cells[-1][-1:].isalnum() and ch["text"].isalnum()
                cells[-1] += (" " if wide and cells[-1][-1:].isascii() else "") + ch["text"]
            prev = ch
        kept = [(c.strip(), o) for c, o in zip(cells, offsets, strict=True) if c.strip()]
        if kept:
            out.append((line[0]["top"], Row("", 0, tuple(c for c, _ in kept), offsets=tuple(o for _, o in kept),
                                            chars=tuple(round(o / 2) for _, o in kept))))
    return out
