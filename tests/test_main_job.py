"""The main job end to end: template → filled workbook → `score YEAR` → report, and every bad input."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from helpers import run_cli
from scoring.actuals.workbook import INDICATOR_HEADER, SHEET_BUDGET, SHEET_INDICATORS
from scoring.pipeline import run_year
from scoring.reports import audit as audit_mod
from scoring.reports import year_report as report_mod
from scoring.reports.template import write_template
from scoring.reports.year_report import audit_path, report_path, write_report, write_reports
from scoring.targets.store import load_targets

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ROOT / "targets" / "2023"
EXAMPLE = ROOT / "actuals" / "2023.xlsx"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sheet_values(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path, read_only=True)  # values only: no merged-cell objects to build
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


@pytest.fixture(scope="module")
def targets():
    return load_targets(TARGETS)


@pytest.fixture
def template(tmp_path, targets) -> Path:
    return write_template(targets, tmp_path / "template.xlsx", 2023)


def fill(template: Path, out: Path, values: dict[str, object], *, budgets: dict | None = None,
         reasons: dict[str, str] | None = None, default: object = "达成") -> Path:
    """Fill a template by code, as a user would in Excel: by 指标编号, not by position."""
    wb = openpyxl.load_workbook(template)
    ws = wb[SHEET_INDICATORS]
    header = [c.value for c in ws[1]]
    c_id, c_actual, c_reason = (header.index(h) + 1 for h in ("指标编号", "实际完成值", "偏差原因分析及改进措施"))
    for r in range(2, ws.max_row + 1):
        ident = ws.cell(r, c_id).value
        value = values.get(ident, default)
        if value is not None:
            cell = ws.cell(r, c_actual)
            cell.value = value
            if isinstance(value, str) and value.startswith("=") and value != "=1+1":
                cell.data_type = "s"  # text typed with a leading apostrophe, not a formula
        if reasons and ident in reasons:
            ws.cell(r, c_reason).value = reasons[ident]
    wb_b = wb[SHEET_BUDGET]
    for r in range(2, wb_b.max_row + 1):
        name = wb_b.cell(r, 1).value
        full, spent = (budgets or {}).get(name, (100000, 95000))
        wb_b.cell(r, 3).value = full
        wb_b.cell(r, 4).value = spent
    wb.save(out)
    return out


def ids_by_target(targets, **match) -> list[str]:
    ind = targets.indicators
    mask = True
    for col, value in match.items():
        mask = mask & (ind[col] == value)
    return list(ind["id"][mask])


# ------------------------------------------------------------------------------------ the template

def test_committed_template_matches_a_fresh_generation(tmp_path, targets):
    fresh = write_template(targets, tmp_path / "fresh.xlsx", 2023)
    assert sheet_values(ROOT / "actuals_template.xlsx") == sheet_values(fresh), \
        "actuals_template.xlsx is stale: run `score template 2023 --force`"


def test_template_layout(template, targets):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["填报说明", "预算执行", "年度总体目标", "指标实际值"]
    ws = wb["指标实际值"]
    assert tuple(c.value for c in ws[1]) == INDICATOR_HEADER
    assert ws.max_row == 1 + len(targets.indicators)
    assert ws.freeze_panes == "C2"
    assert ws.protection.sheet
    assert ws.cell(2, 1).protection.locked and not ws.cell(2, 7).protection.locked
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    # qualitative rows offer the three verdicts; percent targets get a percent format
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    qual = ids_by_target(targets, annual_value="及时")[0]
    def validated(ref: str) -> list:
        return [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]

    assert validated(f"G{rows[qual]}")[0].formula1 == '"达成,部分达成,未达成"'
    assert all(dv.type != "list" for dv in validated(f"G{rows[ids_by_target(targets, annual_value='≥2次')[0]]}"))
    pct = ids_by_target(targets, annual_value="≥95%")[0]
    assert "%" in ws.cell(rows[pct], 7).number_format
    assert "示例数据" not in str(sheet_values(template)["填报说明"])


def test_example_workbook_is_marked_and_scores(tmp_path):
    assert "示例数据" in str(sheet_values(EXAMPLE)["填报说明"])
    result = run_year(2023, targets_dir=TARGETS, actuals_path=EXAMPLE)
    verdicts = result.indicators["verdict"].value_counts()
    assert verdicts["达成"] > verdicts.get("部分达成", 0) > 0
    assert verdicts.get("未达成", 0) > 0
    assert any("超额" in " ".join(f) for f in result.indicators["flags"])


# ------------------------------------------------------------------------------------ round trip

def test_template_round_trip_scores_what_was_filled(tmp_path, targets, template):
    met = ids_by_target(targets, level3="开展活动数量")[0]  # ≥2次
    part = ids_by_target(targets, level3="交流活动人数", annual_value="≥150人次")[0]
    wan = ids_by_target(targets, level3="官方网站及公众号信息点击率")[0]  # 不少于10万人次
    pct_text = ids_by_target(targets, level3="工作质量达标率", project_id=targets.indicators["project_id"].iat[0])[0]
    secret = ids_by_target(targets, level3="泄密次数")[0]  # 0次
    deadline = ids_by_target(targets, level3="项目实施及时性")[0]  # 每年12月31日前
    hours = ids_by_target(targets, level3="业务平台处理及时性")[0]  # 进场后1.5个小时内完成
    values = {met: 3, part: "120人次", wan: "12.5万人次", pct_text: "98%", secret: 0,
              deadline: dt.datetime(2023, 12, 20), hours: "45分钟"}
    filled = fill(template, tmp_path / "filled.xlsx", values, reasons={part: "场地受限"})
    before = sha(filled)
    result = run_year(2023, targets_dir=TARGETS, actuals_path=filled)
    assert sha(filled) == before, "the input workbook must never be modified"
    ind = result.indicators.set_index("id")
    assert ind.at[met, "verdict"] == "达成" and ind.at[met, "score"] == ind.at[met, "weight"]
    assert ind.at[part, "verdict"] != "达成"
    assert ind.at[part, "score"] == pytest.approx(round(ind.at[part, "weight"] * 120 / 150 + 1e-9, 2))
    assert ind.at[wan, "verdict"] == "达成"
    assert ind.at[pct_text, "verdict"] == "未达成" or ind.at[pct_text, "score"] < ind.at[pct_text, "weight"]
    assert ind.at[secret, "verdict"] == "达成"
    assert ind.at[deadline, "verdict"] == "达成"
    assert ind.at[hours, "verdict"] == "达成"
    proj = result.projects
    assert (proj["weight_total"].round(6) == 100).all()
    total = proj["total"].to_numpy()
    assert ((0 <= total) & (total <= 100)).all()


# ------------------------------------------------------------------------------------ the CLI job

def test_score_year_writes_the_report_and_prints_a_chinese_summary(tmp_path, capsys):
    out_dir = tmp_path / "reports"
    before = sha(EXAMPLE)
    code, out, err = run_cli(["2023", "--targets", str(TARGETS), "--actuals", str(EXAMPLE), "--out", str(out_dir)],
                             capsys)
    assert code == 0, err
    assert "总分" in out and "等级" in out and "报告已写出" in out
    assert "Traceback" not in out + err
    assert sha(EXAMPLE) == before
    path = report_path(out_dir, 2023)
    assert path.exists() and audit_path(out_dir, 2023).exists()
    assert path.name in out and audit_path(out_dir, 2023).name in out
    assert not [p for p in out_dir.iterdir() if p.name.endswith(".tmp")]


def test_json_document(tmp_path, capsys):
    code, out, _ = run_cli(["2023", "--targets", str(TARGETS), "--actuals", str(EXAMPLE), "--out", str(tmp_path),
                            "--json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {"year", "rules", "inputs", "projects", "problems"}
    assert doc["year"] == 2023 and doc["rules"]
    assert all(set(i) == {"path", "sha256"} for i in doc["inputs"])
    assert len(doc["projects"]) == 16
    p = doc["projects"][0]
    assert {"project", "budget", "subtotals", "total", "grade", "indicators"} <= set(p)
    keys = {"id", "level1", "level2", "level3", "target", "reading", "actual", "verdict", "weight", "score",
            "explanation", "assumptions", "flags", "cell"}
    for proj in doc["projects"]:
        for i in proj["indicators"]:
            assert keys <= set(i)
            assert isinstance(i["flags"], list)
        assert proj["total"] == pytest.approx(round(proj["budget"]["score"] + sum(i["score"] for i in proj["indicators"]), 2))
    assert sum(len(p["indicators"]) for p in doc["projects"]) == 155


def test_report_contents(tmp_path):
    result = run_year(2023, targets_dir=TARGETS, actuals_path=EXAMPLE)
    path, audit = write_reports(result, tmp_path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "汇总" and wb.sheetnames[-1] == "图表数据"
    assert sum(1 for n in wb.sheetnames if n.startswith("自评表")) == 16
    summary = wb["汇总"]
    header = [c.value for c in summary[3]]
    c_total = header.index("总分") + 1
    totals = [summary.cell(r, c_total).value for r in range(4, 4 + 16)]
    assert totals == pytest.approx(list(result.projects["total"]))
    assert summary.cell(4 + 16, 2).value.startswith("合计")
    assert summary.cell(4 + 16, header.index("自评等级") + 1).value is None, "no 平均分 in the grade column"
    detail = openpyxl.load_workbook(audit)["指标明细"]
    assert openpyxl.load_workbook(audit).sheetnames == ["指标明细", "问题清单"]
    assert detail.max_row == 1 + 155
    assert detail.freeze_panes == "B2" and detail.auto_filter.ref
    head = [c.value for c in detail[1]]
    for col in ("年度指标值（原文）", "理解为", "实际完成值（填报）", "判定", "分值", "得分", "计算过程", "假设", "提示",
                "佐证材料", "来源单元格"):
        assert col in head
    row2 = {h: c.value for h, c in zip(head, detail[2], strict=True)}
    assert row2["来源单元格"].endswith("G2") and row2["计算过程"] and row2["佐证材料"]
    # the official self-evaluation sheet
    sheet = wb[next(n for n in wb.sheetnames if n.startswith("自评表"))]
    assert sheet["A1"].value == "项目支出绩效自评表（2023年度）"
    assert any(str(r.coord).startswith("B") and r.min_row < r.max_row for r in sheet.merged_cells.ranges)
    labels = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    for label in ("项目名称", "主管部门", "实施单位", "全年预算数（A）", "全年执行数（B）", "执行率（B/A）", "年度总体目标",
                  "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施",
                  "总分", "自评等级"):
        assert label in labels


def test_same_inputs_same_report_content(tmp_path):
    result = run_year(2023, targets_dir=TARGETS, actuals_path=EXAMPLE)
    a = write_reports(result, tmp_path / "a")
    again = run_year(2023, targets_dir=TARGETS, actuals_path=EXAMPLE)
    b = write_reports(again, tmp_path / "b")
    assert len(a) == 2
    for x, y in zip(a, b, strict=True):
        assert sheet_values(x) == sheet_values(y)


def test_text_that_looks_like_a_formula_stays_text(tmp_path, targets, template):
    first, second = list(targets.indicators["id"][:2])
    filled = fill(template, tmp_path / "f.xlsx", {first: "=SUM(A1:A3)", second: "@SUM(A1)"},
                  reasons={first: "+cmd|' /C calc'!A0", second: "-2+3"})
    result = run_year(2023, targets_dir=TARGETS, actuals_path=filled)
    path = write_reports(result, tmp_path / "out")[1]
    wb = openpyxl.load_workbook(path)
    ws = wb["指标明细"]
    head = [c.value for c in ws[1]]
    for r in (2, 3):
        for col in ("实际完成值（填报）", "偏差原因分析及改进措施"):
            cell = ws.cell(r, head.index(col) + 1)
            assert cell.data_type == "s", (col, cell.value)
    with zipfile.ZipFile(path) as zf:
        assert not any(b"<f>" in zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))


def test_a_crash_while_writing_leaves_no_report(tmp_path, monkeypatch):
    result = run_year(2023, targets_dir=TARGETS, actuals_path=EXAMPLE)
    path = write_report(result, tmp_path)
    old = path.read_bytes()

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(report_mod, "write_chart_data", boom)
    with pytest.raises(RuntimeError):
        write_report(result, tmp_path)
    assert path.read_bytes() == old, "a failed write must leave the previous report untouched"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


# ------------------------------------------------------------------------------------ bad workbooks

def _bad_workbooks(tmp_path: Path, template: Path) -> dict[str, tuple[Path, str]]:
    out: dict[str, tuple[Path, str]] = {}
    p = tmp_path / "text.xlsx"
    p.write_text("指标编号,实际完成值\n1,2\n", encoding="utf-8")
    out["not an xlsx"] = (p, "不是 Excel 工作簿")
    p = tmp_path / "empty.xlsx"
    p.write_bytes(b"")
    out["empty"] = (p, "空的")
    p = tmp_path / "damaged.xlsx"
    p.write_bytes(template.read_bytes()[:3000])
    out["damaged zip"] = (p, "损坏")
    p = tmp_path / "encrypted.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000)
    out["encrypted"] = (p, "加密")
    # an XML bomb: entities in a sheet
    p = tmp_path / "xmlbomb.xlsx"
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(p, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet3.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>', 1)
            dst.writestr(item, data)
    out["xml bomb"] = (p, "XML 炸弹")
    # a zip bomb: a part that declares a huge expansion
    p = tmp_path / "zipbomb.xlsx"
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/media/padding.bin", b"\x00" * (80 * 1024 * 1024))
    out["zip bomb"] = (p, "压缩炸弹")
    # missing sheet / missing column
    wb = openpyxl.load_workbook(template)
    del wb[SHEET_BUDGET]
    p = tmp_path / "nosheet.xlsx"
    wb.save(p)
    out["missing sheet"] = (p, "缺少工作表")
    wb = openpyxl.load_workbook(template)
    wb[SHEET_INDICATORS]["G1"] = "实际值"
    p = tmp_path / "nocolumn.xlsx"
    wb.save(p)
    out["missing column"] = (p, "找不到表头")
    return out


def test_every_bad_workbook_exits_2_in_chinese_without_a_report(tmp_path, template, capsys):
    bad = _bad_workbooks(tmp_path, template)
    assert len(bad) >= 5
    for name, (path, words) in bad.items():
        before = sha(path)
        out_dir = tmp_path / f"out-{name}"
        code, out, err = run_cli(["2023", "--targets", str(TARGETS), "--actuals", str(path), "--out", str(out_dir)],
                                 capsys)
        assert code == 2, name
        assert words in err, (name, err)
        assert str(path) in err, "the message names the file"
        assert "Traceback" not in out + err
        assert not out_dir.exists() or not any(out_dir.iterdir()), name
        assert sha(path) == before, name


def test_missing_actuals_file_is_a_chinese_error(tmp_path, capsys):
    code, _, err = run_cli(["2023", "--targets", str(TARGETS), "--actuals", str(tmp_path / "nope.xlsx"),
                            "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and "不存在" in err


# ------------------------------------------------------------------------------------ bad cells

def test_cell_problems_are_flagged_with_their_cell_and_the_rest_is_scored(tmp_path, targets, template, capsys):
    ind = targets.indicators
    count_id = ids_by_target(targets, level3="开展活动数量")[0]  # ≥2次
    text_id = ids_by_target(targets, level3="交流活动人数", annual_value="≥150人次")[0]
    unit_id = ids_by_target(targets, level3="媒体报道篇数", annual_value="6篇")[0]
    formula_id = ids_by_target(targets, level3="接待次数")[0]
    error_id = ids_by_target(targets, level3="台港澳青少年交流活动场次")[0]
    missing_id = ids_by_target(targets, level3="聘请法律顾问单位数量")[0]
    values = {count_id: -3, text_id: "大概很多吧", unit_id: "3小时", formula_id: "=1+1", error_id: "#DIV/0!",
              missing_id: None}
    filled = fill(template, tmp_path / "cells.xlsx", values, default=None)
    # fill the rest sensibly, then duplicate one row and add an unknown id
    wb = openpyxl.load_workbook(filled)
    ws = wb[SHEET_INDICATORS]
    tested = {count_id, text_id, unit_id, formula_id, error_id, missing_id}
    dup_row = next(r for r in ([c.value for c in row] for row in ws.iter_rows(min_row=2)) if r[0] not in tested)
    ws.append(dup_row)
    ws.append(["UNKNOWN-ID", "x", "产出指标", "数量指标", "x", "≥1次", 5, "", ""])
    wb.save(filled)
    result = run_year(2023, targets_dir=TARGETS, actuals_path=filled)
    res = result.indicators.set_index("id")
    for ident in (count_id, text_id, unit_id, formula_id, error_id, missing_id, dup_row[0]):
        assert res.at[ident, "verdict"] == "无法判定", (ident, res.at[ident, "explanation"])
        assert res.at[ident, "score"] == 0
    assert "公式" in res.at[formula_id, "explanation"]
    assert "错误值" in res.at[error_id, "explanation"]
    wheres = " ".join(p.where for p in result.problems)
    messages = " ".join(p.message for p in result.problems)
    assert "UNKNOWN-ID" in messages and "不止一次" in messages
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for ident in (count_id, text_id, unit_id, formula_id, error_id, missing_id):
        assert f"指标实际值 › G{rows[ident]}" in wheres, ident
    assert len(res) == len(ind)
    # everything else is still scored; --strict turns the problems into exit 1
    code, out, err = run_cli(["2023", "--targets", str(TARGETS), "--actuals", str(filled), "--out", str(tmp_path / "o"),
                              "--strict"], capsys)
    assert code == 1 and "Traceback" not in out + err
    assert report_path(tmp_path / "o", 2023).exists()


def test_percent_cells_and_plain_fractions(tmp_path, targets, template):
    rate = ids_by_target(targets, annual_value="≥95%")[0]
    other = ids_by_target(targets, annual_value=">90%")[0]
    filled = fill(template, tmp_path / "p.xlsx", {rate: 0.96, other: 0.92})
    wb = openpyxl.load_workbook(filled)
    ws = wb[SHEET_INDICATORS]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(rows[other], 7).number_format = "General"  # the user cleared the percent format
    wb.save(filled)
    result = run_year(2023, targets_dir=TARGETS, actuals_path=filled)
    res = result.indicators.set_index("id")
    assert res.at[rate, "verdict"] == "达成"
    assert not any("百分号" in a for a in res.at[rate, "assumptions"])
    assert res.at[other, "verdict"] == "达成"
    assert any("%" in a for a in res.at[other, "assumptions"]), "a plain 0.92 read as 92% is an assumption"


def test_targets_dir_missing_is_a_chinese_error(tmp_path, capsys):
    code, _, err = run_cli(["2023", "--targets", str(tmp_path / "none"), "--actuals", str(EXAMPLE),
                            "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and "目标" in err


def test_template_command(tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    code, text, _ = run_cli(["template", "2023", "--targets", str(TARGETS), "--out", str(out)], capsys)
    assert code == 0 and out.exists() and "模板" in text
    shutil.rmtree(tmp_path)


# ------------------------------------------------------------------------------------ many workbooks

def test_a_folder_of_department_workbooks(tmp_path, targets, capsys):
    from scoring.targets.store import save_targets

    # two departments: the first 8 projects and the rest
    projects = targets.projects.copy()
    projects.loc[8:, "department"] = "东莞市某局"
    projects.loc[8:, "unit"] = "东莞市某局"
    split = type(targets)(projects=projects, indicators=targets.indicators, year=2023)
    tdir = tmp_path / "targets" / "2023"
    save_targets(split, tdir)
    folder = tmp_path / "actuals"
    folder.mkdir()
    for dept, fname in (("中共东莞市委台港澳工作办公室", "台港澳办.xlsx"), ("东莞市某局", "某局.xlsx")):
        code, _, _ = run_cli(["template", "2023", "--targets", str(tdir), "--department", dept,
                              "--out", str(tmp_path / f"t-{fname}")], capsys)
        assert code == 0
        fill(tmp_path / f"t-{fname}", folder / fname, {})
    (folder / "损坏.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "~$某局.xlsx").write_bytes(b"lock file")  # Excel's lock file is ignored
    out_dir = tmp_path / "reports"
    code, out, err = run_cli(["2023", "--targets", str(tdir), "--actuals", str(folder), "--out", str(out_dir)], capsys)
    assert code == 0, err
    assert "Traceback" not in out + err
    assert "损坏.xlsx" in out and "跳过" in out
    for dept in ("台港澳办", "某局"):
        assert (out_dir / dept / "绩效自评报告_2023.xlsx").exists() and (out_dir / dept / "指标明细_2023.xlsx").exists()
    summary = openpyxl.load_workbook(out_dir / "绩效自评汇总_2023.xlsx")
    ws = summary["汇总"]
    header = [c.value for c in ws[3]]
    assert header[-1] == "来源工作簿"
    sources = {ws.cell(r, len(header)).value for r in range(4, 4 + 16)}
    assert {s.rsplit("/", 1)[-1] for s in sources} == {"台港澳办.xlsx", "某局.xlsx"}
    one = openpyxl.load_workbook(out_dir / "某局" / "绩效自评报告_2023.xlsx")
    assert sum(1 for n in one.sheetnames if n.startswith("自评表")) == 8


def test_a_department_template_with_an_unknown_name_is_a_chinese_error(capsys, tmp_path):
    code, _, err = run_cli(["template", "2023", "--targets", str(TARGETS), "--department", "不存在的局",
                            "--out", str(tmp_path / "x.xlsx")], capsys)
    assert code == 2 and "不存在的局" in err


def test_the_header_is_found_wherever_it_stands(tmp_path, targets, template):
    """A user inserted a title row and a blank column: rows are still matched by 指标编号."""
    filled = fill(template, tmp_path / "f.xlsx", {targets.indicators["id"].iat[0]: 1})
    plain = run_year(2023, targets_dir=TARGETS, actuals_path=filled).indicators
    wb = openpyxl.load_workbook(filled)
    ws = wb[SHEET_INDICATORS]
    ws.protection.sheet = False
    ws.insert_rows(1, 2)
    ws["B1"] = "2023年度实际完成值（某部门）"
    ws.insert_cols(1)
    wb.save(filled)
    result = run_year(2023, targets_dir=TARGETS, actuals_path=filled)
    first = result.indicators.iloc[0]
    assert first["verdict"] == "未达成" and first["cell"].endswith("H4")
    assert list(result.indicators["verdict"]) == list(plain["verdict"])
    assert list(result.indicators["score"]) == list(plain["score"])


def test_the_detail_sheet_splits_past_the_row_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(audit_mod, "EXCEL_MAX_ROWS", 61)  # 60 indicator rows a sheet, as Excel's 1,048,575
    result = run_year(2023, targets_dir=TARGETS, actuals_path=EXAMPLE)
    wb = openpyxl.load_workbook(write_reports(result, tmp_path)[1])
    parts = [n for n in wb.sheetnames if n.startswith("指标明细")]
    assert parts == ["指标明细", "指标明细2", "指标明细3"]
    rows = [r for n in parts for r in wb[n].iter_rows(min_row=2, values_only=True)]
    assert [r[0] for r in rows] == list(result.indicators["id"])
    assert all(wb[n]["A1"].value == "指标编号" for n in parts)


def test_csv_detail_defuses_formula_text(tmp_path, targets, template, capsys):
    first = targets.indicators["id"].iat[0]
    filled = fill(template, tmp_path / "f.xlsx", {first: "@SUM(A1)"})
    code, _, _ = run_cli(["2023", "--targets", str(TARGETS), "--actuals", str(filled), "--out", str(tmp_path / "o"),
                          "--format", "csv"], capsys)
    assert code == 0
    text = (tmp_path / "o" / "指标明细_2023.csv").read_text(encoding="utf-8-sig")
    assert "'@SUM(A1)" in text and "\n@SUM" not in text and ",@SUM" not in text
