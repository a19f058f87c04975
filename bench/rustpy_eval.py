"""What rustpy-xlsxwriter can and cannot do for the report's sheets (issue 14), checked on files.

    python bench/rustpy_eval.py [--rows 100000] [--keep DIR]

Writes small workbooks with the features the report needs and looks at what came out — in the
package's XML (``xl/worksheets/sheet1.xml``, ``xl/styles.xml``) and through openpyxl — and prints
one line per fact: ``OK``, ``NO`` or what happened. Then times the 指标明细 sheet (17 columns, the
report's formats) at ``--rows`` rows from a pandas frame and from a generator of dicts, against
xlsxwriter's constant-memory per-cell path. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import io
import re
import resource
import sys
import tempfile
import time
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floor import DETAIL_COLUMNS, VERDICT_COLORS, detail_options

HOSTILE = ["=SUM(A1:A2)", "=1+1", "+1", "-1", "@SUM(A1)", "=HYPERLINK(\"http://x\",\"y\")", "http://example.com",
           "00123", "1e5", "TRUE", "2023-01-01", "  lead", "tab\there", "a\nb", "&<>\"'"]


def _xml(data: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(part).decode("utf-8")


def _parts(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.namelist()


def say(fact: str, ok: bool | str) -> None:
    mark = ok if isinstance(ok, str) else ("OK" if ok else "NO")
    print(f"  [{mark}] {fact}")


def detail_frame(n: int, seed: int = 1) -> pd.DataFrame:
    """A frame shaped like the report's 指标明细 (17 columns, realistic text lengths)."""
    rng = np.random.default_rng(seed)
    verdicts = np.array(list(VERDICT_COLORS))[rng.choice(4, n, p=[0.76, 0.16, 0.07, 0.01])]
    ids = [f"P{i:05d}-ABCD" for i in range(n)]
    weight = rng.choice([5.0, 10.0, 2.5, np.nan], n, p=[0.6, 0.3, 0.09, 0.01])
    score = np.round(weight * rng.uniform(0.3, 1.0, n), 2)
    cols = {
        "指标编号": ids, "项目名称": [f"项目{i // 15:06d}台港澳业务工作经费" for i in range(n)],
        "一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "举办交流活动场次",
        "年度指标值（原文）": "≥2次", "理解为": "不低于 2 次", "实际完成值（填报）": "3次", "实际完成值（换算后）": "3 次",
        "判定": verdicts, "分值": weight, "得分": score,
        "计算过程": "B/A = 3/2 = 1.5 → 达成 → 5 × 100% = 5", "假设": "", "提示": "",
        "偏差原因分析及改进措施": "", "来源单元格": [f"actuals/2023.xlsx › 指标实际值 › G{i + 2}" for i in range(n)],
    }
    return pd.DataFrame(cols)


# ------------------------------------------------------------------------------------------------
# facts
# ------------------------------------------------------------------------------------------------

def facts(rx, keep: Path) -> None:
    import openpyxl

    print(f"rustpy-xlsxwriter {rx.get_version()}（rust_xlsxwriter 绑定）; pandas {pd.__version__}")
    try:
        import pyarrow  # noqa: F401
        print("  pyarrow: installed")
    except ImportError:
        print("  pyarrow: NOT installed (pandas frames still work?) — see below")

    # 1. text safety, pandas path and records path
    for kind in ("pandas", "records"):
        df = pd.DataFrame({"t": HOSTILE})
        data_in = df if kind == "pandas" else df.to_dict("records")
        buf = io.BytesIO()
        rx.write_worksheet(data_in, buf, sheet_name="s")
        data = buf.getvalue()
        xml = _xml(data, "xl/worksheets/sheet1.xml")
        formulas = len(re.findall(r"<f[ >]", xml))
        path = keep / f"text_{kind}.xlsx"
        path.write_bytes(data)
        wb = openpyxl.load_workbook(path)
        got = [c.value for c in wb.active["A"][1:]]
        types = {c.data_type for c in wb.active["A"][1:]}
        say(f"{kind}: {len(HOSTILE)} hostile strings (=SUM, +1, @, http://, 00123, TRUE…) stay text: "
            f"{formulas} <f> elements, openpyxl types {sorted(types)}, values equal: {got == HOSTILE}",
            formulas == 0 and got == HOSTILE and types == {"s"})
        if kind == "pandas":
            inline = "inlineStr" in xml
            where = 'inline (t="inlineStr")' if inline else "in sharedStrings"
            say(f"strings stored {where} by default; "
                "dedupe_strings=True uses the shared table but leaves constant-memory mode", "INFO")

    # 2. the detail sheet's layout on a small frame
    df = detail_frame(50)
    buf = io.BytesIO()
    rx.write_worksheet(df, buf, **detail_options(rx))
    data = buf.getvalue()
    xml = _xml(data, "xl/worksheets/sheet1.xml")
    styles = _xml(data, "xl/styles.xml")
    path = keep / "detail_small.xlsx"
    path.write_bytes(data)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    say(f"freeze panes at B2: openpyxl freeze_panes = {ws.freeze_panes}", ws.freeze_panes == "B2")
    say(f"autofilter over header and data: {ws.auto_filter.ref}", ws.auto_filter.ref == "A1:Q51")
    widths = [round(ws.column_dimensions[c].width or 0, 1) for c in "ABCDEFGHIJKLMNOPQ"]
    say(f"column widths as set (openpyxl adds Excel's padding): {widths[:4]}…", "INFO")
    cols_xml = re.findall(r"<col [^>]*/>", xml)
    col_style = any('style="' in c for c in cols_xml)
    say(f"per-column format also on the <col> element (empty cells look like the table): {col_style}", col_style)
    k2 = ws["K2"]
    say(f"number column format 0.00 on data cells: K2 number_format={k2.number_format!r} value={k2.value!r}",
        k2.number_format == "0.00")
    b2 = ws["B2"]
    say(f"text column format on data cells: font {b2.font.name} {b2.font.sz}, border {b2.border.left.style}",
        b2.font.name == "宋体" and b2.border.left.style == "thin")
    a1 = ws["A1"]
    say(f"header format: bold={a1.font.b} fill={a1.fill.fgColor.rgb}", bool(a1.font.b))
    blank = ws["N2"]  # 假设 is "" in every row
    say(f"empty string cells: N2 value={blank.value!r} (written as blank with the column format: "
        f"{blank.border.left.style})", "INFO")
    nan_row = df.index[df["分值"].isna()]
    if len(nan_row):
        r = int(nan_row[0]) + 2
        say(f"NaN number → empty cell: K{r} = {ws[f'K{r}'].value!r}", ws[f"K{r}"].value is None)
    cf = ws.conditional_formatting
    rules = [(str(rng.sqref), r.type, r.operator, r.formula) for rng in cf for r in rng.rules]
    say(f"conditional formats on 判定: {len(rules)} rules, e.g. {rules[:1]}", len(rules) == 4)
    say(f"dxf fills for the verdict colours in styles.xml: {styles.count('<dxf>')}", styles.count("<dxf>") == 4)
    margins = ws.page_margins
    say(f"page setup: orientation={ws.page_setup.orientation} paper={ws.page_setup.paperSize} "
        f"fitToWidth={ws.page_setup.fitToWidth} fitToHeight={ws.page_setup.fitToHeight} "
        f"margins L{margins.left} T{margins.top} repeat rows={ws.print_title_rows}",
        ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9")

    # 3. what the 得分 column needs: colour by the row's 判定 (a formula rule), not by its own value
    for rule in ({"type": "formula", "criteria": '$J2="达成"', "format": rx.Format().set_background_color("#C6EFCE")},
                 {"type": "formula", "value": '$J2="达成"', "format": rx.Format().set_background_color("#C6EFCE")}):
        try:
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter("always")
                rx.write_worksheet(df, io.BytesIO(), conditional_formats={"得分": rule})
            say(f"formula-based conditional format (colour 得分 by 判定): accepted, warnings {len(w)}", "INFO")
        except Exception as exc:
            say(f"formula-based conditional format (colour 得分 by 判定): {type(exc).__name__}: {exc}", False)
            break
    try:
        rx.write_worksheet(df, io.BytesIO(), conditional_formats={
            "判定": {"type": "cell", "criteria": "==", "value": '"达成"',
                     "format": rx.Format().set_background_color("#C6EFCE")}})
        say("cell conditional format == a text value: accepted", True)
    except Exception as exc:
        say(f"cell conditional format == a text value: refused ({type(exc).__name__}: {exc}); "
            "use type text, begins_with (equality when no value is a prefix of another)", False)

    # 4. merges: above the header only
    for where, rng in (("above the header", (0, 0, 0, 5)), ("in the body", (3, 1, 5, 1))):
        try:
            rx.write_worksheet(df.head(10), io.BytesIO(), header_row=1 if where.startswith("above") else 0,
                               merge_ranges=[(*rng, "标题")])
            say(f"merge_ranges {where}: accepted", where.startswith("above"))
        except Exception as exc:
            say(f"merge_ranges {where}: refused ({type(exc).__name__}: {str(exc)[:100]})", not where.startswith("above"))

    # 5. several sheets, each with its own options, in one file; charts
    buf = io.BytesIO()
    small = pd.DataFrame({"项目": ["甲", "乙", "丙"], "总分": [93.7, 88.8, 61.0]})
    rx.write_worksheets([("汇总", small), ("指标明细", df)], buf,
                        freeze_panes={"汇总": {"row": 1, "col": 0}, "指标明细": {"row": 1, "col": 1}},
                        column_formats={"指标明细": detail_options(rx)["column_formats"]},
                        autofilter={"指标明细": True},
                        charts={"汇总": [{"type": "column", "series": ["总分"], "categories": "项目", "title": "总分"}]})
    names = _parts(buf.getvalue())
    say(f"several sheets with per-sheet options in one write: {[n for n in names if 'worksheets/sheet' in n]}", True)
    say(f"chart on a sheet (series by column name): {[n for n in names if 'charts/' in n]}",
        any("charts/chart" in n for n in names))
    say("cell-level formats (one cell coloured, a total row in bold): only row_formats (whole row), "
        "totals_row (formulas), header_format; no per-cell format, no write at (row, col)", "INFO")
    edge_cases(rx, keep)
    try:
        rx.write_worksheet(pd.DataFrame({"a": range(3)}), io.BytesIO(), sheet_name="x" * 32)
        say("sheet name over 31 characters: accepted", False)
    except Exception as exc:
        say(f"sheet name over 31 characters refused: {type(exc).__name__}", True)


def edge_cases(rx, keep: Path) -> None:
    """Text Excel cannot hold as is: control characters, a cell over 32,767 characters, a sheet
    over 1,048,576 rows."""
    import openpyxl

    try:
        rx.write_worksheet(pd.DataFrame({"t": ["x" * 40_000]}), io.BytesIO())
        say("text over 32,767 characters: written", "INFO")
    except Exception as exc:
        say(f"text over 32,767 characters: the whole write fails ({type(exc).__name__}: {str(exc)[:80]}); "
            "the caller must cut such texts first (xlsxwriter cuts that one cell to 32,767 and returns -2)", "NO")
    odd = pd.DataFrame({"t": ["a\x01b", "x" * 32_767, "行1\r\n行2", "\u00a0空格"]})
    path = keep / "odd.xlsx"
    try:
        rx.write_worksheet(odd, path)
        got = [c.value for c in openpyxl.load_workbook(path).active["A"][1:]]
        say(f"control character kept as {got[0]!r}; 32,767-character text stored as {len(got[1] or '')} characters", "INFO")
    except Exception as exc:
        say(f"odd text: {type(exc).__name__}: {str(exc)[:160]}", False)
    big = pd.DataFrame({"a": np.zeros(1_048_576, dtype=np.int8)})  # + the header = one row too many
    try:
        rx.write_worksheet(big, keep / "big.xlsx")
        rows = openpyxl.load_workbook(keep / "big.xlsx", read_only=True).active.max_row
        say(f"1,048,576 data rows + header (one too many): written, the sheet has {rows:,} rows "
            "(the caller must split past Excel's limit)", False)
    except Exception as exc:
        say(f"1,048,576 data rows + header: refused ({type(exc).__name__}: {str(exc)[:120]}); "
            "the caller splits the rows over 指标明细2…", "INFO")


# ------------------------------------------------------------------------------------------------
# timing
# ------------------------------------------------------------------------------------------------

def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timing(rx, n: int, keep: Path) -> None:
    import xlsxwriter

    df = detail_frame(n)
    print(f"\n指标明细 {n:,} 行 × {len(DETAIL_COLUMNS)} 列（报告的格式：列格式、冻结、筛选、判定条件格式、页面设置）")
    t = time.perf_counter()
    rx.write_worksheet(df, keep / "rx_pandas.xlsx", **detail_options(rx))
    t_pd = time.perf_counter() - t
    print(f"  rustpy-xlsxwriter, pandas frame      {t_pd:6.2f} s   {(keep / 'rx_pandas.xlsx').stat().st_size / 2**20:5.1f} MiB")
    recs = df.to_dict("records")
    t = time.perf_counter()
    rx.write_worksheet(iter(recs), keep / "rx_records.xlsx", **detail_options(rx))
    t_rec = time.perf_counter() - t
    del recs
    print(f"  rustpy-xlsxwriter, iterator of dicts {t_rec:6.2f} s")
    t = time.perf_counter()
    wb = xlsxwriter.Workbook(str(keep / "xw.xlsx"), {"constant_memory": True, "strings_to_formulas": False,
                                                      "strings_to_urls": False, "strings_to_numbers": False})
    ws = wb.add_worksheet("指标明细")
    base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "vcenter"}
    text, num = wb.add_format(base), wb.add_format({**base, "num_format": "0.00"})
    header = wb.add_format({**base, "bold": True, "bg_color": "#BDD7EE", "align": "center"})
    for j, (h, w) in enumerate(DETAIL_COLUMNS):
        ws.set_column(j, j, w, num if j in (10, 11) else text)
        ws.write_string(0, j, h, header)
    cols = [df[c].to_numpy(dtype=object) for c, _ in DETAIL_COLUMNS]
    for i in range(n):
        for j in range(len(cols)):
            v = cols[j][i]
            if isinstance(v, str):
                if v:
                    ws.write_string(i + 1, j, v, text)
            elif v == v:
                ws.write_number(i + 1, j, v, num)
    for v, c in VERDICT_COLORS.items():
        ws.conditional_format(1, 9, n, 9, {"type": "cell", "criteria": "==", "value": f'"{v}"',
                                           "format": wb.add_format({"bg_color": c})})
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, n, len(DETAIL_COLUMNS) - 1)
    wb.close()
    t_xw = time.perf_counter() - t
    print(f"  xlsxwriter constant_memory, per cell {t_xw:6.2f} s   ({t_xw / t_pd:.1f}× the pandas path)")
    print(f"  peak RSS of this process {_peak_mib():,.0f} MiB")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--keep", type=Path, default=None, help="keep the workbooks written here")
    ap.add_argument("--no-timing", action="store_true")
    args = ap.parse_args(argv)
    import rustpy_xlsxwriter as rx

    with tempfile.TemporaryDirectory(prefix="rustpy-eval-") as tmp:
        keep = args.keep or Path(tmp)
        keep.mkdir(parents=True, exist_ok=True)
        facts(rx, keep)
        if not args.no_timing:
            timing(rx, args.rows, keep)


if __name__ == "__main__":
    sys.exit(main())
