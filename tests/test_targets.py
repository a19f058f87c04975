"""targets/<year>/: load, save (atomic), ids, schema errors with file and line."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

import cli
from scoring.findings import ScoreError
from scoring.targets import store as tg
from scoring.targets.ids import new_indicator_id
from scoring.targets.model import (
    INDICATOR_COLUMNS,
    PROJECT_COLUMNS,
    Targets,
    indicators_frame,
    projects_frame,
)
from scoring.targets.store import OPTIONAL_COLUMNS, load_targets, save_targets

ROOT = Path(__file__).resolve().parent.parent
TARGETS_2023 = ROOT / "targets" / "2023"


def small() -> Targets:
    projects = projects_frame([
        {"project_id": "PAAAAA", "project": "项目甲", "type": "类型", "level": "二级项目", "department": "某局",
         "unit": "某局", "start_year": 2022, "end_year": 2024, "budget": 12345.5,
         "period_goal": "总目标：含冒号 # 井号\n和换行", "annual_goal": "yes", "note": "", "source": "a.txt:3"},
        {"project_id": "PBBBBB", "project": "项目乙", "start_year": None, "budget": None},
    ])
    indicators = indicators_frame([
        {"id": "PAAAAA-0001", "project_id": "PAAAAA", "project": "项目甲", "level1": "产出指标", "level2": "数量指标",
         "level3": "次数, 含逗号", "period_value": "0", "annual_value": "00", "weight": 12.5, "note": "“引号”\"q\"",
         "source": "a.txt:17"},
        {"id": "PAAAAA-0002", "project_id": "PAAAAA", "project": "项目甲", "level1": "满意度指标",
         "level2": "服务对象满意度指标", "level3": "满意度", "period_value": "null", "annual_value": "True",
         "weight": None, "note": "", "source": ""},
        {"id": "PBBBBB-0001", "project_id": "PBBBBB", "project": "项目乙", "level1": "效益指标", "level2": "",
         "level3": "多行\n名称", "period_value": "", "annual_value": " 前后空格 ", "weight": 0, "note": "", "source": ""},
    ])
    return Targets(projects, indicators, year=2023)


def test_columns_and_dtypes():
    t = load_targets(TARGETS_2023)
    assert tuple(t.projects.columns) == PROJECT_COLUMNS
    assert tuple(t.indicators.columns) == INDICATOR_COLUMNS
    assert t.indicators["weight"].dtype == "float64"
    assert t.projects["budget"].dtype == "float64"
    assert str(t.projects["start_year"].dtype) == "Int64"
    assert t.year == 2023


def test_committed_targets_2023():
    t = load_targets(TARGETS_2023)
    assert len(t.projects) == 16 and len(t.indicators) == 155
    assert t.indicators["id"].is_unique and t.projects["project_id"].is_unique
    assert set(t.indicators["project_id"]) == set(t.projects["project_id"])
    assert (TARGETS_2023 / "import_report.txt").exists()
    assert (TARGETS_2023 / "source" / "2023_targets_dongguan_tgao.txt").exists()


@pytest.mark.parametrize("source", ["small", "2023"])
def test_load_write_load_is_identity(tmp_path, source):
    da, db = tmp_path / "a" / "2023", tmp_path / "b" / "2023"
    if source == "small":
        save_targets(small(), da)
    else:
        shutil.copytree(TARGETS_2023, da)
    a = load_targets(da)
    save_targets(a, db)
    b = load_targets(db)
    pd.testing.assert_frame_equal(a.projects, b.projects)
    pd.testing.assert_frame_equal(a.indicators, b.indicators)
    for name in ("projects.yaml", "indicators.csv"):  # the files are exactly what save writes
        assert (da / name).read_text(encoding="utf-8") == (db / name).read_text(encoding="utf-8")


def test_values_kept_exactly(tmp_path):
    save_targets(small(), tmp_path / "t")
    t = load_targets(tmp_path / "t")
    ind = t.indicators
    assert list(ind["annual_value"]) == ["00", "True", " 前后空格 "]
    assert list(ind["period_value"]) == ["0", "null", ""]
    assert ind["level3"].iat[2] == "多行\n名称"
    assert ind["weight"].iat[0] == 12.5 and math.isnan(ind["weight"].iat[1]) and ind["weight"].iat[2] == 0
    assert t.projects["period_goal"].iat[0] == "总目标：含冒号 # 井号\n和换行"
    assert t.projects["annual_goal"].iat[0] == "yes"
    assert pd.isna(t.projects["start_year"].iat[1]) and math.isnan(t.projects["budget"].iat[1])
    text = (tmp_path / "t" / "indicators.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(c for c in INDICATOR_COLUMNS if c not in OPTIONAL_COLUMNS)  # none here
    assert ",12.5," in text and ",0," in text


def test_save_is_atomic(tmp_path, monkeypatch):
    d = tmp_path / "2023"
    save_targets(small(), d)
    before = {p.name: p.read_bytes() for p in d.iterdir() if p.is_file()}
    (d / "README.txt").write_text("kept", encoding="utf-8")

    def boom(_df):
        raise RuntimeError("disk full")

    monkeypatch.setattr(tg, "dump_indicators", boom)
    with pytest.raises(RuntimeError):
        save_targets(load_targets(TARGETS_2023), d)
    assert {p.name: p.read_bytes() for p in d.iterdir() if p.is_file() and p.name != "README.txt"} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023"]  # no temporary directory left behind
    monkeypatch.undo()
    save_targets(load_targets(TARGETS_2023), d)
    assert (d / "README.txt").read_text(encoding="utf-8") == "kept"  # files it does not manage are carried over
    assert len(load_targets(d).indicators) == 155


def test_ids_are_short_typeable_and_stable():
    t = load_targets(TARGETS_2023)
    assert t.indicators["id"].str.fullmatch(r"P[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{4}(-\d+)?").all()
    seen: dict[str, int] = {}
    a = new_indicator_id("PAAAAA", "产出指标|数量指标|次数", set(), seen)
    b = new_indicator_id("PAAAAA", "产出指标|数量指标|次数", {a}, seen)
    assert b == f"{a}-2"
    assert new_indicator_id("PAAAAA", "产出指标|数量指标|次数", set(), {}) == a  # content-derived, order-free


def test_reordering_rows_does_not_change_ids(tmp_path):
    from scoring.importer import import_rows, text_rows

    src = (TARGETS_2023 / "source" / "2023_targets_dongguan_tgao.txt").read_text(encoding="utf-8")
    tables = src.split("# 项目绩效目标表")
    reordered = "# 项目绩效目标表".join([tables[0], *reversed(tables[1:])])
    a = import_rows(text_rows(src.encode(), "x.txt")[0], 2023).targets.indicators
    b = import_rows(text_rows(reordered.encode(), "x.txt")[0], 2023).targets.indicators
    key = ["project", "level1", "level2", "level3", "period_value", "annual_value"]
    assert set(map(tuple, a[["id", *key]].to_numpy())) == set(map(tuple, b[["id", *key]].to_numpy()))


def _broken(tmp_path, edit) -> Path:
    d = tmp_path / "2023"
    shutil.copytree(TARGETS_2023, d)
    f = d / "indicators.csv"
    lines = f.read_text(encoding="utf-8").splitlines()
    edit(lines)
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d


def test_schema_error_duplicate_id_names_file_and_line(tmp_path):
    def edit(lines):
        lines[5] = lines[4].split(",")[0] + "," + lines[5].split(",", 1)[1]
    d = _broken(tmp_path, edit)
    with pytest.raises(ScoreError) as e:
        load_targets(d)
    assert "indicators.csv › 第6行" in e.value.where and "重复" in e.value.message


def test_schema_error_unknown_level1_and_bad_weight(tmp_path):
    def edit(lines):
        lines[3] = lines[3].replace("产出指标", "产出类指标", 1)
        f = lines[7].split(",")
        f[8] = "十分"
        lines[7] = ",".join(f)
    d = _broken(tmp_path, edit)
    t = tg.read_targets(d)
    msgs = {p.where.rsplit(" › ", 1)[-1]: p.message for p in t.problems}
    assert "未知的一级指标“产出类指标”" in msgs["第4行"]
    assert "分值“十分”不是数字" in msgs["第8行"]
    with pytest.raises(ScoreError):
        load_targets(d)


def test_schema_error_missing_column_and_bad_yaml(tmp_path):
    d = _broken(tmp_path, lambda lines: lines.__setitem__(0, lines[0].replace("annual_value", "annual")))
    with pytest.raises(ScoreError, match="缺少列：annual_value"):
        load_targets(d)
    d2 = tmp_path / "b" / "2023"
    shutil.copytree(TARGETS_2023, d2)
    y = d2 / "projects.yaml"
    y.write_text(y.read_text(encoding="utf-8").replace("  type: ", "  type: [", 1), encoding="utf-8")
    with pytest.raises(ScoreError) as e:
        load_targets(d2)
    assert "projects.yaml › 第" in e.value.where


def test_missing_dir():
    with pytest.raises(ScoreError, match="找不到目标目录"):
        load_targets("/nonexistent/2023")


def test_cli_targets_csv(capsys):
    assert cli.main(["targets", "2023", "--dir", str(TARGETS_2023), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    rows = pd.read_csv(__import__("io").StringIO(out), dtype=str, keep_default_na=False)
    for col in ("id", "project", "level1", "level2", "level3", "period_value", "annual_value", "weight"):
        assert col in rows.columns
    assert len(rows) == 155
    stored = load_targets(TARGETS_2023).indicators
    assert list(rows["annual_value"]) == list(stored["annual_value"])
    assert list(rows["id"]) == list(stored["id"])


def test_cli_targets_json_and_table(capsys):
    import json

    assert cli.main(["targets", "2023", "--dir", str(TARGETS_2023), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == 2023 and len(data["projects"]) == 16
    assert sum(len(p["indicators"]) for p in data["projects"]) == 155
    assert cli.main(["targets", "2023", "--dir", str(TARGETS_2023)]) == 0
    assert "台博会经费" in capsys.readouterr().out


def test_cli_targets_missing_dir_exit_2(capsys, tmp_path):
    assert cli.main(["targets", "2023", "--dir", str(tmp_path / "nope")]) == 2
    assert "找不到目标目录" in capsys.readouterr().err


def test_gbk_csv_from_excel_is_read_with_a_warning(tmp_path):
    d = tmp_path / "2023"
    shutil.copytree(TARGETS_2023, d)
    f = d / "indicators.csv"
    f.write_bytes(f.read_text(encoding="utf-8").encode("gb18030"))
    t = tg.read_targets(d)
    assert len(t.indicators) == 155
    assert [p.severity for p in t.problems] == ["警告"] and "GBK" in t.problems[0].message
