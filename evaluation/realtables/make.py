#!/usr/bin/env python3
"""Build every format of the held-out real tables from one hand-made grid per table.

Each folder beside this script holds ``grid.yaml`` (the table transcribed by hand from the published page, with
where it came from and every transcription decision), ``stored_excerpt.txt`` (the page text as it was stored) and
``gold.csv`` (its indicators, written out by hand). This script writes the rest, as a unit would have the table:

- ``source.xlsx``  merged cells merged; a pure number or pure percent is stored as a number whose number format
  shows exactly the published text (``10.00``, ``6,475``, ``102.59%``); anything else stays text; ruled borders;
- ``source.xls``   the same workbook saved by LibreOffice Calc as Excel 97;
- ``source.pdf``   the same workbook printed by LibreOffice (ruled table, title lines above it);
- ``source.docx``  the table as an HTML table (rowspan/colspan) opened and saved by LibreOffice Writer;
- ``source.txt``   where the page was extracted text: the excerpt's own table text (``txt`` in grid.yaml);
- ``year.txt`` and ``README.md``.

grid.yaml::

    url, region, unit, kind, year, cut, features: [..], decisions: [..]
    sheet: Sheet1
    ruled: [[3, 20]]          # row ranges (1-based, inclusive) drawn as a ruled table; other rows are plain lines
    widths: [14, 10, 36]      # column widths (optional)
    text: [B4]                # cells kept as text although they look like numbers (codes, phone numbers)
    txt: |                    # optional: source.txt
    rows: |                   # one line per row, cells split by "|"; "<<" = merged with the cell on its left,
      标题 | << | <<          # "^^" = merged with the cell above; escapes: \\n newline, \\| pipe, \\s space

    python evaluation/realtables/make.py [FOLDER ...]     # needs LibreOffice (soffice) for xls, pdf, docx
"""
from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
LEFT, UP = "<<", "^^"
NBSP = "\u00a0"
_INT = re.compile(r"^(0|[1-9]\d{0,14})$")
_DEC = re.compile(r"^(0|[1-9]\d{0,14})\.(\d+)$")
_THOUSANDS = re.compile(r"^[1-9]\d{0,2}(,\d{3})+(\.(\d+))?$")
_PERCENT = re.compile(r"^(0|[1-9]\d{0,6})(\.(\d+))?%$")
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

COMMON_DECISIONS = [
    "stored_excerpt.txt is the published page's text as it was stored; only the beginning of each page was kept, "
    "so long tables are cut off.",
    "The grid (grid.yaml) was transcribed by hand from that excerpt; source.xlsx / source.xls / source.docx / "
    "source.pdf are all generated from it by make.py (merged cells merged in every format; title lines above the "
    "ruled table).",
    "Excel typing: pure numbers and pure percents (e.g. 100%, 102.59%, 6,475, 10.00) are stored as numbers with a "
    "number format that displays exactly the published text; anything with an operator, a unit or a word "
    "(≥95%, 280人次, =100%) stays text; codes and phone numbers are forced to text.",
    "gold.csv: one row per indicator (a row needs a 三级/leaf name; a 二级 row with neither 三级 nor value is not an "
    "indicator); texts as written; annual_value = the 年度 target as written (operator + value + unit joined when "
    "the table splits them over cells; a type word such as 定性/定量 is not joined); weight = 分值/权重 where the "
    "table has one; period_value only where a separate 中期/实施期/长期 value column exists.",
    "Nothing in the published text was corrected: typos, odd symbols (≧, ═, ﹦, >=), odd units and masked text are "
    "kept as printed.",
    "source.pdf is the workbook printed by LibreOffice on A4 (portrait when the table is narrow), row heights set "
    "from the text so every cell stays inside its ruling; source.docx is the grid as an HTML table (rowspan/colspan) "
    "saved by LibreOffice Writer.",
]


# ---------------------------------------------------------------- the grid
def _unescape(cell: str) -> str:
    out, i = [], 0
    while i < len(cell):
        if cell[i] == "\\" and i + 1 < len(cell):
            out.append({"n": "\n", "|": "|", "s": " ", "\\": "\\"}.get(cell[i + 1], "\\" + cell[i + 1]))
            i += 2
        else:
            out.append(cell[i])
            i += 1
    return "".join(out)


def parse_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.rstrip("\n").split("\n"):
        cells = re.split(r"(?<!\\)\|", line)
        rows.append([_unescape(c.strip()) for c in cells])
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def merges(rows: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """Rectangles (r0, c0, r1, c1), 0-based inclusive, from the << / ^^ tokens; checks they are rectangles."""
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for c, val in enumerate(row):
            if val == LEFT:
                if c == 0:
                    raise ValueError(f"row {r + 1}: '<<' in the first column")
                owner[(r, c)] = owner.get((r, c - 1), (r, c - 1))
            elif val == UP:
                if r == 0:
                    raise ValueError(f"column {c + 1}: '^^' in the first row")
                owner[(r, c)] = owner.get((r - 1, c), (r - 1, c))
    regions: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for cell, top in owner.items():
        regions.setdefault(top, [top]).append(cell)
    out = []
    for top, cells in sorted(regions.items()):
        r0, c0 = top
        r1, c1 = max(r for r, _ in cells), max(c for _, c in cells)
        if len(cells) != (r1 - r0 + 1) * (c1 - c0 + 1) or min(r for r, _ in cells) != r0 or min(c for _, c in cells) != c0:
            raise ValueError(f"merge from row {r0 + 1} column {c0 + 1} is not a rectangle")
        if rows[r0][c0] in (LEFT, UP):
            raise ValueError(f"merge from row {r0 + 1} column {c0 + 1} has no value cell")
        out.append((r0, c0, r1, c1))
    return out


def typed(text: str) -> tuple[object, str]:
    """(value, number_format) as Excel would hold the published text."""
    if m := _INT.match(text):
        return int(text), "General"
    if m := _DEC.match(text):
        return float(text), "0." + "0" * len(m.group(2))
    if m := _THOUSANDS.match(text):
        return float(text.replace(",", "")), "#,##0" + ("." + "0" * len(m.group(3)) if m.group(3) else "")
    if m := _PERCENT.match(text):
        return float(Decimal(text[:-1]) / 100), "0" + ("." + "0" * len(m.group(3)) if m.group(3) else "") + "%"
    return text, "@"


def text_width(text: str) -> float:
    """Width in Excel character units: a CJK character is about two."""
    return sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)


def row_heights(rows: list[list[str]], spans: list[tuple[int, int, int, int]], widths: list[float]) -> list[float]:
    """Row heights (points) tall enough for every wrapped cell, a merged one shared over its rows.

    LibreOffice sizes a row to its text only for cells that are not merged, so a long goal in a merged cell
    would print over the rows below it; explicit heights keep every cell's text inside its ruling.
    """
    span_at = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in spans}
    lines_needed = [1] * len(rows)
    for r, row in enumerate(rows):
        for c, val in enumerate(row):
            if val in ("", LEFT, UP):
                continue
            r1, c1 = span_at.get((r, c), (r, c))
            room = max(sum(widths[c:c1 + 1]) - 1.5, 2.0)
            lines = sum(max(1, -(-text_width(part) // room)) for part in val.split("\n"))
            share = -(-lines // (r1 - r + 1))
            for rr in range(r, r1 + 1):
                lines_needed[rr] = max(lines_needed[rr], int(share))
    return [14.25 + 12.75 * (n - 1) for n in lines_needed]


def ruled_rows(spec: dict, nrows: int) -> set[int]:
    ranges = spec.get("ruled") or [[1, nrows]]
    for a, b in ranges:
        if not 1 <= a <= b <= nrows:
            raise ValueError(f"ruled range {a}-{b} is outside rows 1-{nrows}")
    return {r - 1 for a, b in ranges for r in range(a, b + 1)}


# ---------------------------------------------------------------- writers
def write_xlsx(spec: dict, rows: list[list[str]], path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = spec.get("sheet", "Sheet1")
    ruled = ruled_rows(spec, len(rows))
    force_text = set(spec.get("text") or [])
    spans = merges(rows)
    font = Font(name="宋体", size=10)
    for r, row in enumerate(rows):
        for c, val in enumerate(row):
            if val in (LEFT, UP):
                val = ""
            cell = ws.cell(row=r + 1, column=c + 1)
            if val != "":
                ref = f"{get_column_letter(c + 1)}{r + 1}"
                value, fmt = (val, "@") if ref in force_text else typed(val)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"  # text such as =22个 is text, never a formula
                cell.number_format = fmt
            cell.font = font
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if r in ruled:
                cell.border = _BOX
    for r0, c0, r1, c1 in spans:
        ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    first_ruled = min(ruled) if ruled else 0
    for r in range(first_ruled):  # title lines above the table
        for c in range(len(rows[r])):
            ws.cell(row=r + 1, column=c + 1).font = Font(name="宋体", size=14 if r == 0 else 10, bold=(r == 0))
            ws.cell(row=r + 1, column=c + 1).alignment = Alignment(
                horizontal="center" if r == 0 else None, vertical="center", wrap_text=True)
    widths = list(spec.get("widths") or [])
    widths += [10] * (len(rows[0]) - len(widths))
    in_merge = {(r, c) for r0, c0, r1, c1 in spans for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for r, row in enumerate(rows):  # a number does not wrap: widen its column so it never prints as ###
        for c, val in enumerate(row):
            if (r, c) not in in_merge and val not in ("", LEFT, UP) and typed(val)[1] != "@":
                widths[c] = max(widths[c], 1.3 * len(val) + 2)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for r, height in enumerate(row_heights(rows, spans, widths)):
        ws.row_dimensions[r + 1].height = height
    ws.page_setup.orientation = "portrait" if sum(widths) <= 110 else "landscape"  # as the unit would print it
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    wb.save(path)


def shown(val: str) -> str:
    return "" if val in (LEFT, UP) else val


def write_html(spec: dict, rows: list[list[str]], path: Path) -> None:
    """An HTML page with the title lines as paragraphs and each ruled block as a table with rowspan/colspan."""
    ruled = ruled_rows(spec, len(rows))
    spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in merges(rows)}
    covered = {(r, c) for (r0, c0), (h, w) in spans.items() for r in range(r0, r0 + h) for c in range(c0, c0 + w)}
    covered -= set(spans)

    def esc(text: str) -> str:  # HTML collapses spaces: keep leading runs and inner runs as no-break spaces
        text = re.sub(r"^ +| {2,}| +$", lambda m: NBSP * len(m.group()), text, flags=re.M)
        return html.escape(text).replace("\n", "<br/>")

    parts = ['<!DOCTYPE html><html><head><meta charset="utf-8"/>'
             '<style>td{font-family:"宋体";font-size:9pt;border:1px solid #000;padding:2px}'
             'table{border-collapse:collapse}</style></head><body>']
    in_table = False
    for r, row in enumerate(rows):
        if r in ruled:
            if not in_table:
                parts.append('<table border="1" cellspacing="0" cellpadding="2">')
                in_table = True
            parts.append("<tr>")
            for c, val in enumerate(row):
                if (r, c) in covered:
                    continue
                h, w = spans.get((r, c), (1, 1))
                attrs = (f' rowspan="{h}"' if h > 1 else "") + (f' colspan="{w}"' if w > 1 else "")
                parts.append(f"<td{attrs}>{esc(shown(val))}</td>")
            parts.append("</tr>")
        else:
            if in_table:
                parts.append("</table>")
                in_table = False
            line = "  ".join(shown(v) for v in row if shown(v))
            tag = "h3" if r == 0 else "p"
            parts.append(f'<{tag} align="center">{esc(line)}</{tag}>' if r == 0 else f"<p>{esc(line)}</p>")
    if in_table:
        parts.append("</table>")
    parts.append("</body></html>")
    path.write_text("".join(parts), encoding="utf-8")


def plain_spaces(docx: Path) -> None:
    """Turn the no-break spaces that carried the HTML's spaces back into the spaces the table has."""
    with zipfile.ZipFile(docx) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == "word/document.xml":
                text = data.decode("utf-8").replace(NBSP, " ")
                data = re.sub(r"<w:t>", '<w:t xml:space="preserve">', text).encode("utf-8")
            z.writestr(info, data)


def soffice(args: list[str], workdir: Path) -> None:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        sys.exit("LibreOffice is needed: apt-get install -y libreoffice-calc libreoffice-writer")
    profile = workdir / "lo_profile"
    cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", *args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        sys.exit(f"soffice failed: {p.stderr or p.stdout}")


def write_readme(folder: Path, spec: dict, gold_rows: int, has_txt: bool) -> None:
    files = ["stored_excerpt.txt", "grid.yaml", f'source.xlsx (sheet "{spec.get("sheet", "Sheet1")}")',
             "source.xls", "source.docx", "source.pdf"]
    if has_txt:
        files.append("source.txt (the table text as it appears in the excerpt)")
    files += ["gold.csv", "year.txt"]
    lines = [f"# {folder.name}", "",
             f"- URL: {spec['url']}",
             f"- Region: {spec['region']}",
             f"- Unit: {spec['unit']}",
             f"- Table kind: {spec['kind']}",
             f"- Budget year: {spec['year']} (year.txt)",
             f"- Indicators in gold.csv: {gold_rows}",
             f"- Cut off: {spec['cut']}", "",
             "## Layout features", ""]
    lines += [f"- {f}" for f in spec.get("features") or []]
    lines += ["", "## Transcription decisions", ""]
    lines += [f"- {d}" for d in COMMON_DECISIONS + list(spec.get("decisions") or [])]
    lines += ["", "## Files", "", "- " + ", ".join(files), ""]
    (folder / "README.md").write_text("\n".join(lines), encoding="utf-8")


def build(folders: list[Path]) -> None:
    with tempfile.TemporaryDirectory() as td:
        work = Path(td)
        xlsx_all, html_all = [], []
        for folder in folders:
            spec = yaml.safe_load((folder / "grid.yaml").read_text(encoding="utf-8"))
            rows = parse_rows(spec["rows"])
            write_xlsx(spec, rows, folder / "source.xlsx")
            stem = folder.name
            shutil.copy(folder / "source.xlsx", work / f"{stem}.xlsx")
            write_html(spec, rows, work / f"{stem}.html")
            xlsx_all.append(str(work / f"{stem}.xlsx"))
            html_all.append(str(work / f"{stem}.html"))
            has_txt = bool(spec.get("txt"))
            if has_txt:
                (folder / "source.txt").write_text(spec["txt"], encoding="utf-8")
            elif (folder / "source.txt").exists():
                (folder / "source.txt").unlink()
            (folder / "year.txt").write_text(f"{spec['year']}\n", encoding="utf-8")
            with open(folder / "gold.csv", encoding="utf-8") as f:
                gold_rows = sum(1 for _ in f) - 1
            write_readme(folder, spec, gold_rows, has_txt)
        out = work / "out"
        out.mkdir()
        soffice(["--convert-to", 'xls:MS Excel 97', "--outdir", str(out / "xls"), *xlsx_all], work)
        soffice(["--convert-to", "pdf:calc_pdf_Export", "--outdir", str(out / "pdf"), *xlsx_all], work)
        soffice(["--infilter=HTML (StarWriter)", "--convert-to", 'docx:MS Word 2007 XML',
                 "--outdir", str(out / "docx"), *html_all], work)
        for folder in folders:
            for ext in ("xls", "pdf", "docx"):
                src = out / ext / f"{folder.name}.{ext}"
                if not src.exists():
                    sys.exit(f"LibreOffice did not write {src.name}")
                shutil.copy(src, folder / f"source.{ext}")
            plain_spaces(folder / "source.docx")
            print(f"{folder.name}: xlsx xls pdf docx" + (" txt" if (folder / "source.txt").exists() else ""))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folders", nargs="*", help="folder names (default: every folder with a grid.yaml)")
    a = ap.parse_args()
    folders = sorted(p.parent for p in HERE.glob("*/grid.yaml"))
    if a.folders:
        folders = [f for f in folders if f.name in {Path(x).name for x in a.folders}]
    build(folders)
    return 0


if __name__ == "__main__":
    sys.exit(main())
