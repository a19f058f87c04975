"""The official 自评表 (one per project, in 绩效自评报告_<year>.xlsx): the form an auditor signs.

Also: the narrative and 佐证材料 in --json and CSV. One form is rendered to PDF with LibreOffice
where it is installed, and must fit one A4 page."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from scoring.pipeline import run_year
from scoring.reports.csv_report import NARRATIVE, write_csv
from scoring.reports.forms import SIGNATURE, write_forms
from scoring.reports.json_report import iter_json
from scoring.reports.sheets import WORKBOOK_OPTIONS, Formats
from scoring.reports.year_report import write_report
from scoring.results import RunResult
from scoring.rubric.engine import Scored
from scoring.vocab import Verdict

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ROOT / "targets" / "2023"
EXAMPLE = ROOT / "actuals" / "2023.xlsx"
STORY = "全年举办交流活动 3 场，参与 1,280 人次；因场地档期，1 场延至次年。"


@pytest.fixture(scope="module")
def result() -> RunResult:
    """The example run, with a narrative for the first project and the first indicator unreadable."""
    r = run_year(2023, targets_dir=TARGETS, actuals_path=EXAMPLE)
    proj = r.projects.copy()
    proj["narrative"] = [STORY] + [""] * (len(proj) - 1)
    ind = r.indicators.copy()
    ind.loc[0, ["verdict", "score", "reason_text", "input_problem", "unknown_reason", "explanation"]] = [
        Verdict.UNKNOWN, 0.0, "", "单元格是 Excel 错误值“#DIV/0!”（公式出错）", "单元格是 Excel 错误值“#DIV/0!”（公式出错）",
        "无法判定：单元格是 Excel 错误值“#DIV/0!”（公式出错） → 0 分"]
    return replace(r, scored=Scored(ind, proj, r.profile, r.year))


@pytest.fixture(scope="module")
def form(result, tmp_path_factory):
    wb = openpyxl.load_workbook(write_report(result, tmp_path_factory.mktemp("forms")))
    return wb[next(n for n in wb.sheetnames if n.startswith("自评表01"))]


def _texts(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def _find(ws, text: str):
    return next(c for row in ws.iter_rows() for c in row if c.value == text)


def test_signature_block_page_numbers_and_one_a4_page(form):
    texts = _texts(form)
    for label, _, _ in SIGNATURE:
        assert label in texts
    sig = _find(form, SIGNATURE[0][0])
    assert form.page_setup.paperSize == 9 and form.page_setup.orientation == "portrait"
    assert form.page_setup.fitToWidth in (None, 1) and form.page_setup.fitToHeight in (None, 1)  # 1 is the default
    assert form.sheet_properties.pageSetUpPr.fitToPage
    assert "&P" in form.oddFooter.center.text and "&N" in form.oddFooter.center.text
    assert form.print_area == f"'{form.title}'!$A$1:$J${sig.row}", "the print area ends with the signatures"


def test_amounts_in_the_profiles_unit_and_dashes_for_the_unsplit_rows(result, form):
    assert result.profile.amount_unit == "万元"
    assert "项目资金（万元）" in _texts(form)
    total = _find(form, "年度资金总额")
    full = form.cell(total.row, 5).value
    assert full == pytest.approx(result.projects["full_budget"].iat[0] / 10_000)
    for label in ("其中：当年财政拨款", "上年结转资金", "其他资金"):
        row = _find(form, label).row
        assert [form.cell(row, c).value for c in range(4, 10)] == ["—"] * 6, label


def test_narrative_evidence_and_the_reason_of_an_unjudged_indicator(result, form):
    assert _find(form, "实际完成情况") and STORY in _texts(form)
    header = _find(form, "佐证材料")
    assert form.cell(header.row, 9).value == "偏差原因分析及改进措施"
    first = header.row + 1
    assert form.cell(first, 10).value == result.indicators["evidence"].iat[0]
    # the tool's diagnosis is in the note under the table, never in the unit's 偏差原因 column (issue 28 item 7)
    assert form.cell(first, 9).value is None
    note = "\n".join(_texts(form))
    assert "无法判定、记 0 分的指标" in note and "单元格是 Excel 错误值" in note
    legend = _find(form, "得分底色")
    assert [form.cell(legend.row, c).value for c in range(2, 6)] == [str(v) for v in Verdict]


def test_json_and_csv_carry_the_narrative_and_the_evidence(result, tmp_path):
    doc = json.loads("".join(iter_json(result)))
    assert doc["projects"][0]["narrative"] == STORY and doc["projects"][1]["narrative"] is None
    assert doc["projects"][0]["indicators"][0]["evidence"] == result.indicators["evidence"].iat[0]
    frame = pd.read_csv(write_csv(result, tmp_path / "d.csv"), encoding="utf-8-sig", keep_default_na=False)
    assert frame["佐证材料"].iat[0] == result.indicators["evidence"].iat[0]
    assert frame[NARRATIVE].iat[0] == STORY


def _pdf_pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) 未安装：无法把自评表转成 PDF 检查页数")
def test_the_longest_form_prints_on_one_page_in_libreoffice(result, tmp_path):
    """The project with the most indicators, alone in a workbook, rendered by LibreOffice."""
    name = result.indicators["project"].value_counts().index[0]
    ind = result.indicators[result.indicators["project"] == name].reset_index(drop=True)
    proj = result.projects[result.projects["project"] == name].reset_index(drop=True)
    one = replace(result, scored=Scored(ind, proj, result.profile, result.year))
    book = tmp_path / "form.xlsx"
    wb = xlsxwriter.Workbook(str(book), WORKBOOK_OPTIONS)
    write_forms(wb, Formats(wb), one, "指标明细_2023.xlsx")
    wb.close()
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(book)],
                          capture_output=True, timeout=180, check=False)
    pdf = tmp_path / "form.pdf"
    assert pdf.exists(), done.stderr.decode(errors="replace")
    assert len(ind) >= 15
    assert _pdf_pages(pdf) == 1
