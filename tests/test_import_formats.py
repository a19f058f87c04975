"""Every format a unit has gives the same rows of cells: .xls, .ods, .docx and .pdf read like the .xlsx.

Parity is checked on the real tables of ``../shared/realtables`` (each folder's source.xls,
source.docx and source.pdf against its source.xlsx; skipped only when the folder is absent) and
on fixtures written by another program (LibreOffice: tests/fixtures/formats/make.py). The
normalisation allowed, and nothing else: empty rows and columns dropped (a title merged over
eight columns and a paragraph are one cell in column A), cells compared stripped; for a PDF,
whitespace inside a cell is ignored too (a PDF keeps no line breaks in a cell, only where its
lines wrapped, and PDF writers drop runs of spaces).
Then the formats the importer cannot read are named, hostile inputs are refused at their place
and in linear time, and a folder imports around a file it cannot read.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import struct
import zipfile
from pathlib import Path

import pytest

from scoring.findings import ScoreError
from scoring.importer import import_sources
from scoring.importer.rows import Row
from scoring.importer.sources import read_rows

HERE = Path(__file__).resolve().parent


def _shared() -> Path:
    """``../shared`` beside the repository; from a git worktree, beside its main checkout."""
    root = HERE.parent
    dot_git = root / ".git"
    if not (root.parent / "shared").is_dir() and dot_git.is_file():
        gitdir = Path(dot_git.read_text(encoding="utf-8").partition("gitdir:")[2].strip())
        return gitdir.parent.parent.parent.parent / "shared"   # <main>/.git/worktrees/<name>
    return root.parent / "shared"


REAL = _shared() / "realtables"
FORMATS = HERE / "fixtures" / "formats"
FOLDERS = sorted(p for p in REAL.iterdir() if (p / "source.xlsx").is_file()) if REAL.is_dir() else []


def _module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


BUILD = _module(HERE / "fixtures" / "import" / "build.py", "import_fixture_build")


def grid(rows: list[Row], pdf: bool = False) -> list[tuple[str, ...]]:
    """The rows as a person compares them: empty rows and columns dropped, cells stripped (PDF: all whitespace)."""
    cells = [tuple(re.sub(r"\s+", "", c) if pdf else c.strip() for c in r.cells) for r in rows]
    cells = [r for r in cells if any(r)]
    width = max(map(len, cells))
    cells = [r + ("",) * (width - len(r)) for r in cells]
    keep = [j for j in range(width) if any(r[j] for r in cells)]
    return [tuple(r[j] for j in keep) for r in cells]


@pytest.mark.skipif(not FOLDERS, reason="../shared/realtables is not here")
@pytest.mark.parametrize("fmt", ["xls", "docx", "pdf"])
@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_real_table_reads_the_same_in_every_format(folder, fmt):
    src = folder / f"source.{fmt}"
    if not src.is_file():
        pytest.skip(f"{folder.name} has no source.{fmt}")
    expected = grid(_workbook_rows(folder), pdf=fmt == "pdf")
    assert grid(read_rows(src)[0], pdf=fmt == "pdf") == expected


@functools.cache
def _workbook_rows(folder: Path) -> tuple[Row, ...]:
    """A real table's workbook read once for the formats compared with it."""
    return tuple(read_rows(folder / "source.xlsx")[0])


@pytest.mark.parametrize("fmt", ["ods", "xls", "pdf"])
@pytest.mark.parametrize("layout", ["court_zhejiang", "education_sichuan"])
def test_libreoffice_files_read_like_the_workbook(tmp_path, layout, fmt):
    expected = grid(read_rows(BUILD.build(layout, tmp_path))[0], pdf=fmt == "pdf")
    assert grid(read_rows(FORMATS / f"{layout}.{fmt}")[0], pdf=fmt == "pdf") == expected


def test_percent_and_grouped_numbers_read_as_shown(tmp_path):
    money = next(r for r in read_rows(FORMATS / "education_sichuan.xls")[0] if r.cells[0] == "项目资金（万元）")
    assert money.cells[1:5] == ("年度资金总额", "1860", "其中：财政拨款", "1860")
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for ref, value, fmt in (("A1", 1, "0%"), ("B1", 0.955, "0.0%"), ("C1", 7548150, "#,##0"), ("D1", 170, "0.00"),
                            ("E1", 2.5, "General"), ("F1", 12, '0"人"')):
        ws[ref] = value
        ws[ref].number_format = fmt
    wb.save(tmp_path / "n.xlsx")
    assert read_rows(tmp_path / "n.xlsx")[0][0].cells == ("100%", "95.5%", "7,548,150", "170.00", "2.5", "12人")


def test_table_over_three_pages_imports_like_its_workbook(tmp_path):
    make = _module(FORMATS / "make.py", "format_fixture_make")
    cols = ["level1", "level2", "level3", "annual_value"]
    want = import_sources([make.long_table(tmp_path / "long.xlsx")], 2024).targets.indicators[cols]
    got = import_sources([FORMATS / "long.pdf"], 2024)
    assert len(want) == 56
    assert got.targets.indicators[cols].values.tolist() == want.values.tolist()
    assert got.targets.indicators["source"].iloc[-1].startswith("long.pdf:第1–2页:")


def test_pdf_without_ruling_lines_gives_words_with_their_positions():
    rows, notes = read_rows(FORMATS / "long_unruled.pdf")
    header = next(r for r in rows if r.cells[:1] == ("一级指标",))
    assert header.cells == ("一级指标", "二级指标", "三级指标", "指标值") and not header.grid
    assert header.offsets == tuple(sorted(header.offsets)) and len(set(header.offsets)) == 4
    first = next(r for r in rows if r.cells and r.cells[-1] == "≥81%")
    assert first.offsets[-1] == header.offsets[-1]
    assert any("没有表格线" in n for n in notes)


def test_locked_corrupt_and_scanned_pdfs_are_named(tmp_path):
    with pytest.raises(ScoreError, match="加密"):
        read_rows(FORMATS / "locked.pdf")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage" * 3)
    with pytest.raises(ScoreError, match="PDF"):
        read_rows(broken)
    from PIL import Image

    scan = tmp_path / "scan.pdf"
    Image.new("RGB", (200, 100), "white").save(scan)
    with pytest.raises(ScoreError) as err:
        read_rows(scan)
    assert "扫描件" in err.value.message and "OCR" in err.value.message and err.value.where.endswith("第1页")


def _ole(streams: list[str]) -> bytes:
    """A minimal OLE compound file whose directory names ``streams`` (empty streams)."""
    sector = 512
    header = bytearray(sector)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9)
    struct.pack_into("<H", header, 0x20, 6)
    struct.pack_into("<IIIIIIII", header, 0x2C, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *([0xFFFFFFFF] * 126))
    entries = b""
    for i, name in enumerate(["Root Entry", *streams]):
        raw = name.encode("utf-16-le") + b"\0\0"
        entry = bytearray(128)
        entry[:len(raw)] = raw
        struct.pack_into("<HB", entry, 64, len(raw), 5 if i == 0 else 2)
        struct.pack_into("<II", entry, 116, 0xFFFFFFFE, 0)
        entries += bytes(entry)
    return bytes(header) + fat + entries.ljust(sector, b"\0")


@pytest.mark.parametrize(("name", "data", "says"), [
    ("表.doc", _ole(["WordDocument", "1Table"]), "旧版 Word 文档（.doc）"),
    ("表.wps", _ole(["WordDocument"]), "WPS 文字文档（.wps）"),
    ("表.xlsx", _ole(["EncryptionInfo", "EncryptedPackage"]), "已加密"),
    ("表.ppt", _ole(["PowerPoint Document"]), "PowerPoint"),
    ("表.rtf", "{\\rtf1\\ansi 绩效目标表}".encode(), "RTF"),
    ("表.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "图片（PNG）"),
    ("表.rar", b"Rar!\x1a\x07\x00" + b"\0" * 64, "压缩包（RAR）"),
])
def test_formats_that_cannot_be_read_are_named(tmp_path, name, data, says):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ScoreError) as err:
        read_rows(path)
    assert says in err.value.message and err.value.where == str(path) and err.value.hint


def test_zip_of_other_files_lists_them(tmp_path):
    path = tmp_path / "附件.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("目标表.xlsx", b"x")
        zf.writestr("说明.pdf", b"y")
    with pytest.raises(ScoreError, match=re.escape("目标表.xlsx、说明.pdf")):
        read_rows(path)


def test_format_is_sniffed_by_content_not_name(tmp_path):
    expected = grid(read_rows(BUILD.build("court_zhejiang", tmp_path))[0])
    renamed = tmp_path / "其实是新版.xls"
    renamed.write_bytes((tmp_path / "court_zhejiang.xlsx").read_bytes())
    assert grid(read_rows(renamed)[0]) == expected
    old = tmp_path / "其实是旧版.xlsx"
    old.write_bytes((FORMATS / "court_zhejiang.xls").read_bytes())
    assert grid(read_rows(old)[0]) == expected
    ods = tmp_path / "没有扩展名"
    ods.write_bytes((FORMATS / "court_zhejiang.ods").read_bytes())
    assert grid(read_rows(ods)[0]) == expected


def test_xls_that_is_a_web_page_or_xml_is_read_as_what_it_is(tmp_path):
    page = tmp_path / "网页.xls"
    page.write_text('<html><head><style>td {mso-number-format:"0%"}</style></head><body>'
                    '<table><tr><td colspan=2>2024年绩效目标表</td></tr>'
                    '<tr><td rowspan=2>产出指标</td><td>数量&amp;质量</td></tr><tr><td>≥95%</td></tr></table>'
                    "</body></html>", encoding="gb18030")
    rows, notes = read_rows(page)
    assert grid(rows) == [("2024年绩效目标表", ""), ("产出指标", "数量&质量"), ("产出指标", "≥95%")]
    assert "网页" in notes[0]
    xml = tmp_path / "xml.xls"
    xml.write_text('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
                   'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Styles><Style ss:ID="p">'
                   '<NumberFormat ss:Format="0%"/></Style></Styles><Worksheet ss:Name="目标"><Table>'
                   '<Row><Cell ss:MergeAcross="1"><Data ss:Type="String">标题</Data></Cell></Row>'
                   '<Row><Cell ss:MergeDown="1"><Data ss:Type="String">产出指标</Data></Cell>'
                   '<Cell ss:StyleID="p"><Data ss:Type="Number">0.95</Data></Cell></Row>'
                   '<Row><Cell><Data ss:Type="Number">7</Data></Cell></Row></Table></Worksheet></Workbook>',
                   encoding="utf-8")
    rows, _ = read_rows(xml)
    assert grid(rows) == [("标题", ""), ("产出指标", "95%"), ("产出指标", "7")]
    assert rows[0].where == f"{xml.name} › 目标 › 第1行"


def test_folder_imports_around_a_file_it_cannot_read(tmp_path):
    folder = tmp_path / "来源"
    folder.mkdir()
    (folder / "法院.pdf").write_bytes((FORMATS / "court_zhejiang.pdf").read_bytes())
    (folder / "教育.ods").write_bytes((FORMATS / "education_sichuan.ods").read_bytes())
    (folder / "旧表.doc").write_bytes(_ole(["WordDocument"]))
    result = import_sources([folder], 2024)
    assert len(result.targets.projects) == 3
    skipped = [f for f in result.general if f.code == "file"]
    assert len(skipped) == 1 and skipped[0].where == str(folder / "旧表.doc") and ".doc" in skipped[0].message


@pytest.mark.parametrize(("text", "says"), [
    ("<table" * 70_000, "没有读到任何指标"),
    ("<table><tr>" + "<td colspan=1000>x</td>" * 1000 + "</tr></table>", "超过 2,000 列"),
    ("<table>" + "<tr><td rowspan=1000>x</td></tr>" * 1000 + "</table>", "超过 200,000 个单元格"),
    ("一级指标  二级指标  三级指标  指标值\n" + " " * 120_000 + "\n", "表头下没有读到任何指标行"),
    ("一级指标\t三级指标\t指标值\n" + "\t".join(["x"] * 40_000), "超过一行的上限"),
    ("a" * 30_000_000, "超过上限 20 MB"),
], ids=["unclosed-table", "colspan-grid", "rowspan-grid", "spaces-line", "cells-line", "100MB-line"])
def test_hostile_text_is_refused_at_its_place_without_waiting(tmp_path, text, says):
    """Each of these took minutes (quadratic time); bench/import_hostile.py prints how long they take now."""
    path = tmp_path / "hostile.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScoreError) as err:
        import_sources([path], 2024)
    assert says in err.value.message and (err.value.where.startswith("hostile.txt") or err.value.where == str(path))


def _flat_ods(rows_xml: str) -> bytes:
    return ('<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
            f'<table:table table:name="表1">{rows_xml}</table:table>'
            '</office:spreadsheet></office:body></office:document>').encode()


def _ods_row(text: str = "", repeat: int = 1) -> str:
    cell = f"<table:table-cell><text:p>{text}</text:p></table:table-cell>" if text else "<table:table-cell/>"
    return f'<table:table-row table:number-rows-repeated="{repeat}">{cell}</table:table-row>'


def test_repeated_empty_rows_of_an_ods_keep_the_line_numbers_and_end_nowhere(tmp_path):
    """LibreOffice ends a sheet with a million repeated empty rows; empty rows inside count for the line numbers."""
    from scoring.importer.xmlsheets import ods_rows

    data = _flat_ods(_ods_row("指标") + _ods_row(repeat=2) + _ods_row("值") + _ods_row(repeat=1_048_000))
    rows = ods_rows(tmp_path / "a.fods", data)
    assert [(r.line, r.cells) for r in rows] == [(1, ("指标",)), (2, ()), (3, ()), (4, ("值",))]
    too_far = _flat_ods(_ods_row("指标") + _ods_row(repeat=1_048_575) + _ods_row("值"))
    with pytest.raises(ScoreError, match="工作表超过"):
        ods_rows(tmp_path / "b.fods", too_far)
