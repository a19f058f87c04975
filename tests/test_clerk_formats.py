"""Other files given as actuals (issue 28 item 12): an .xls, an .ods, an encrypted workbook, a web page
or a CSV saved as ".xls" are named for what they are, with exactly how to save them as .xlsx; never
"已加密，或是旧版 .xls" for a plain .xls, never "缺少 xl/workbook.xml" for an .ods."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest

from helpers import run_cli
from scoring.actuals.opening import other_format

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ROOT / "targets" / "2023"


def ole(names: list[str]) -> bytes:
    """An OLE2 compound file whose directory (sector 0) names ``names``: enough to be told apart."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x1E:0x20] = struct.pack("<H", 9)  # 512-byte sectors
    header[0x30:0x34] = struct.pack("<I", 0)  # the directory starts at sector 0
    directory = bytearray(512)
    for k, name in enumerate(["Root Entry", *names][:4]):
        raw = name.encode("utf-16-le")
        directory[k * 128:k * 128 + len(raw)] = raw
        directory[k * 128 + 64:k * 128 + 66] = struct.pack("<H", len(raw) + 2)  # the name's length, its NUL too
    return bytes(header + directory)


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, Path]:
    """The repository's template saved by LibreOffice as .xls and .ods (real files of those formats)."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) 未安装：无法生成真实的 .xls / .ods")
    tmp = tmp_path_factory.mktemp("formats")
    src = tmp / "实际值.xlsx"
    shutil.copy(ROOT / "actuals_template.xlsx", src)
    out = {}
    for fmt in ("xls", "ods"):
        subprocess.run(["soffice", "--headless", "--convert-to", fmt, "--outdir", str(tmp), str(src)],
                       capture_output=True, timeout=120, check=False)
        if not (tmp / f"实际值.{fmt}").is_file():
            pytest.skip(f"LibreOffice 没有生成 .{fmt}")
        out[fmt] = tmp / f"实际值.{fmt}"
    return out


def run(capsys, actuals: Path, tmp_path: Path, *command: str) -> tuple[int, str]:
    args = [*(command or ("2023",)), "--targets", str(TARGETS), "--actuals", str(actuals), "--out", str(tmp_path / "r")]
    code, _, err = run_cli(args, capsys)
    return code, err


@pytest.mark.parametrize(("fmt", "named"), [("xls", "Excel 97-2003 工作簿"), ("ods", "OpenDocument 电子表格")])
def test_a_real_xls_or_ods_is_named_with_exactly_how_to_save_it(converted, capsys, tmp_path, fmt, named):
    code, err = run(capsys, converted[fmt], tmp_path)
    assert code == 2 and named in err and "Traceback" not in err
    assert "另存为" in err and "Excel 工作簿(*.xlsx)" in err and "WPS" in err
    assert "已加密" not in err and "xl/workbook.xml" not in err
    assert not (tmp_path / "r").exists()


def test_the_monitor_names_the_format_too(converted, capsys, tmp_path):
    code, err = run(capsys, converted["xls"], tmp_path, "monitor", "2023", "--through", "2023-07-31")
    assert code == 2 and "Excel 97-2003 工作簿" in err and "另存为" in err


@pytest.mark.parametrize(("name", "content", "named"), [
    ("a.xls", ole(["Workbook", "SummaryInformation"]), "Excel 97-2003 工作簿"),
    ("a.et", ole(["Workbook"]), "WPS 表格"),
    ("a.xlsx", ole(["EncryptionInfo", "EncryptedPackage"]), "设置了打开密码"),
    ("a.xls", "<html><body><table><tr><td>指标编号</td></tr></table></body></html>".encode(), "网页"),
    ("a.xls", b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">', "XML 表格"),
    ("a.csv", "指标编号,实际完成值\nP1,3\n".encode("utf-8-sig"), "CSV"),
    ("a.xlsx", b"%PDF-1.7\n", "PDF"),
], ids=["xls", "et", "encrypted", "html", "xml2003", "csv", "pdf"])
def test_each_other_format_is_named(tmp_path, name, content, named):
    path = tmp_path / name
    path.write_bytes(content)
    said = other_format(path)
    assert said is not None and named in said[0], said


def test_an_ods_and_a_docx_are_told_apart_from_a_workbook(tmp_path):
    ods = tmp_path / "a.ods"
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<x/>")
    docx = tmp_path / "a.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<x/>")
        z.writestr("word/document.xml", "<x/>")
    assert "OpenDocument 电子表格" in other_format(ods)[0]
    assert "Word" in other_format(docx)[0]
    assert other_format(ROOT / "actuals_template.xlsx") is None  # a workbook is left to the guard


def test_a_folder_says_which_files_it_did_not_read(converted, capsys, tmp_path):
    folder = tmp_path / "dept"
    folder.mkdir()
    shutil.copy(ROOT / "actuals" / "2023.xlsx", folder / "甲.xlsx")
    shutil.copy(converted["xls"], folder / "乙.xls")
    code, out, err = run_cli(["2023", "--targets", str(TARGETS), "--actuals", str(folder), "--out",
                              str(tmp_path / "r")], capsys)
    assert code == 0, err
    assert "乙.xls" in out and "Excel 97-2003 工作簿" in out and "未读取" in out
