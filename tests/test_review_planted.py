"""``score review`` on a year with planted defects (tests/review_planted.py) finds each planted defect,
in the JSON document and in the 复核意见 workbook, and nothing on the control project; the same
projects split over two units' workbooks are reviewed as one batch and ranked by unit."""

from __future__ import annotations

import json

import openpyxl
import pytest
from review_fixtures import write_units
from review_planted import CONTROL, PLANTED, PROJECTS, SHARED_REASON, SYSTEMS, TRAINING, YOUTH, write_planted

from helpers import run_cli


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = tmp_path_factory.mktemp("planted")
    targets, book = write_planted(root)
    return root, targets, book


def _run(capsys, targets, book, out, *extra):
    return run_cli(["review", "2023", "--targets", str(targets), "--actuals", str(book), "--out", str(out), *extra],
                   capsys)


def test_every_planted_defect_is_found(planted, capsys):
    root, targets, book = planted
    code, out, err = _run(capsys, targets, book, root / "out", "--json")
    assert code == 0, err
    doc = json.loads(out)
    found = {(f["code"], f["project"], f["indicator"]) for f in doc["findings"]}
    missing = [p for p in PLANTED if p not in found]
    assert missing == []
    assert [f for f in doc["findings"] if f["project"] == CONTROL.name] == []
    assert set(doc) == {"year", "findings", "projects"} and doc["year"] == 2023
    for f in doc["findings"]:
        assert set(f) == {"code", "severity", "project", "indicator_id", "indicator", "where", "message", "basis"}
        assert f["severity"] in ("P0", "P1", "P2") and f["message"] and f["basis"]


def test_the_projects_are_ranked_with_their_review(planted, capsys):
    root, targets, book = planted
    _, out, _ = _run(capsys, targets, book, root / "out", "--json")
    projects = json.loads(out)["projects"]
    assert [p["project"] for p in projects][-1] == CONTROL.name  # nothing found: last
    keys = [(-p["counts"]["P0"], -p["counts"]["P1"]) for p in projects]
    assert keys == sorted(keys)
    training = next(p for p in projects if p["project"] == TRAINING.name)
    assert training["review_total"] < training["total"]
    assert training["deviation"] == pytest.approx((training["total"] - training["review_total"]) / training["total"],
                                                  abs=1e-4)
    assert all(p["review_total"] is None and p["deviation"] is None for p in projects if p["project"] != TRAINING.name)


def test_the_workbook_lists_every_planted_defect(planted, capsys):
    root, targets, book = planted
    code, _, err = _run(capsys, targets, book, root / "book")
    assert code == 0, err
    wb = openpyxl.load_workbook(root / "book" / "复核意见_2023.xlsx")
    assert wb.sheetnames == ["复核汇总", "问题清单", "规则说明"]
    rows = list(wb["问题清单"].iter_rows(min_row=4, values_only=True))
    listed = {(r[2], r[4]) for r in rows}
    for _, project, indicator in PLANTED:
        if indicator:
            assert (project, indicator) in listed
    assert {r[1] for r in rows} == {"P0", "P1", "P2"}
    summary = list(wb["复核汇总"].iter_rows(min_row=4, max_row=3 + len(PROJECTS), values_only=True))
    assert [r[0] for r in summary] == list(range(1, len(PROJECTS) + 1))
    assert summary[-1][1] == CONTROL.name
    assert wb["复核汇总"]._charts, "the summary has its chart"


def test_strict_fails_on_p0_or_p1(planted, capsys, tmp_path):
    root, targets, book = planted
    code, out, err = _run(capsys, targets, book, root / "strict", "--strict")
    assert code == 1 and "P0" in err
    assert "复核意见已写出" in out and SYSTEMS.name in out
    clean_root = tmp_path / "clean"
    from review_fixtures import write_projects

    t2, b2 = write_projects((CONTROL,), clean_root)
    code, _, err = _run(capsys, t2, b2, clean_root / "out", "--strict")
    assert code == 0, err


def test_a_folder_of_units_is_one_batch_ranked_by_unit(tmp_path, capsys):
    units = {"甲单位": (YOUTH, SYSTEMS), "乙单位": (TRAINING, CONTROL)}
    targets, folder = write_units(units, tmp_path)
    code, out, err = _run(capsys, targets, folder, tmp_path / "out", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert [u["unit"].rsplit("/", 1)[-1] for u in doc["units"]] == ["甲单位.xlsx", "乙单位.xlsx"]
    assert {p["project"]: p["unit"].rsplit("/", 1)[-1] for p in doc["projects"]}[TRAINING.name] == "乙单位.xlsx"
    first = doc["units"][0]
    assert first["counts"]["P0"] >= doc["units"][1]["counts"]["P0"]
    assert doc["units"][1]["deviation"] is not None  # 乙单位 was reviewed (干部培训经费)
    wb = openpyxl.load_workbook(tmp_path / "out" / "复核意见_2023.xlsx")
    assert wb.sheetnames == ["复核汇总", "单位排名", "问题清单", "规则说明"]


def test_copied_text_across_units_names_the_other_unit(tmp_path, capsys):
    from scoring.review.registry import Project, Row

    row = Row("产出指标", "时效指标", "按期完成率", "100%", "95%", SHARED_REASON, "台账")
    ok = Row("产出指标", "数量指标", "活动场次", "≥2场", 2, "", "通知")
    units = {"甲单位": (Project("甲项目", (ok, row)),), "乙单位": (Project("乙项目", (ok, row)),)}
    targets, folder = write_units(units, tmp_path)
    code, out, err = _run(capsys, targets, folder, tmp_path / "out", "--json")
    assert code == 0, err
    copied = [f for f in json.loads(out)["findings"] if f["code"] == "copied_text"]
    assert {f["project"] for f in copied} == {"甲项目", "乙项目"}
    assert any("乙单位.xlsx的“乙项目”" in f["message"] for f in copied)


def test_planted_year_terminal_summary_reads_like_a_reviewer(planted, capsys):
    root, targets, book = planted
    code, out, _ = _run(capsys, targets, book, root / "terminal")
    assert code == 0
    assert "复核（自评质量检查）" in out and "偏离度" in out and YOUTH.name in out
    assert "P0" in out and "问题清单" in out
