"""Issue 29: ``score import`` never clobbers an input, and no CSV the tool writes carries a live
formula. Every input is generated here from the repository's own source table."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from test_hostile import assert_clean_error, run_child, score_args, snapshot

from helpers import run_cli
from scoring.csvcells import FORMULA_STARTS

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "targets" / "2023" / "source" / "2023_targets_dongguan_tgao.txt"
EVIL = ("=HYPERLINK(\"http://x\",\"点击\")", "=cmd|' /C calc'!A1", "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)",
        "\t=1+1")


def no_leftovers(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if ".old-" in p.name or ".tmp-" in p.name]


def import_args(src: Path | str, out: Path | str) -> list[str]:
    return ["import", str(src), "--year", "2023", "--out", str(out)]


# ---------------------------------------------------------------------------------------------
# score import never clobbers an input
# ---------------------------------------------------------------------------------------------

def test_out_naming_the_source_or_another_file_is_refused(tmp_path: Path, capsys) -> None:
    src = shutil.copy(SOURCE, tmp_path / "src.txt")
    other = tmp_path / "notes.txt"
    other.write_text("我的笔记", encoding="utf-8")
    before = snapshot(tmp_path)
    for out in (src, other):
        code, _, err = run_cli(import_args(src, out), capsys)
        assert_clean_error(code, err, str(out), "已有的文件")
    assert snapshot(tmp_path) == before and no_leftovers(tmp_path)


@pytest.mark.parametrize("name", ["import_report.txt", "indicators.csv", "自评表实际完成值.csv"])
def test_a_source_inside_out_named_like_an_output_is_refused(tmp_path: Path, capsys, name: str) -> None:
    out = tmp_path / "t"
    out.mkdir()
    src = shutil.copy(SOURCE, out / name)
    before = snapshot(tmp_path)
    code, _, err = run_cli(import_args(src, out), capsys)
    assert_clean_error(code, err, "输出文件就是输入文件", name)
    assert snapshot(tmp_path) == before and no_leftovers(tmp_path)


def test_a_source_folder_that_is_the_out_folder_is_refused(tmp_path: Path, capsys) -> None:
    out = tmp_path / "t"
    assert run_cli(import_args(SOURCE, out), capsys)[0] == 0
    before = snapshot(tmp_path)
    code, _, err = run_cli(import_args(out, out), capsys)  # its indicators.csv and import_report.txt are sources now
    assert_clean_error(code, err, "输出文件就是输入文件")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("out", [".", "..", "../.."])
def test_out_the_current_folder_or_above_is_refused(tmp_path: Path, out: str, capsys, monkeypatch) -> None:
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    src = shutil.copy(SOURCE, work / "src.txt")
    before = snapshot(tmp_path)
    monkeypatch.chdir(work)  # in this process: the path is what is refused, not the process
    code, _, err = run_cli(import_args(src, out), capsys)
    assert_clean_error(code, err, "当前文件夹或它的上级")
    assert snapshot(tmp_path) == before and no_leftovers(tmp_path) and no_leftovers(tmp_path / "a")


def test_a_fifo_in_out_is_refused_not_read(tmp_path: Path) -> None:
    out = tmp_path / "t"
    (out / "sub").mkdir(parents=True)
    os.mkfifo(out / "sub" / "管道")
    src = shutil.copy(SOURCE, tmp_path / "src.txt")
    code, _, err, _ = run_child(import_args(src, out), tmp_path, timeout=120)  # a hang fails by the timeout
    assert_clean_error(code, err, "管道、设备或套接字", "管道")
    assert no_leftovers(tmp_path)


def test_files_in_out_are_carried_over_untouched(tmp_path: Path, capsys) -> None:
    out = tmp_path / "t"
    (out / "附件").mkdir(parents=True)
    (out / "README.md").write_text("说明", encoding="utf-8")
    (out / "附件" / "a.pdf").write_bytes(b"%PDF-1.4 x")
    os.symlink("/dev/zero", out / "零")  # carried over as a link, never read
    before = {p: p.read_bytes() for p in (out / "README.md", out / "附件" / "a.pdf")}
    code, _, err = run_cli(import_args(SOURCE, out), capsys)
    assert code == 0, err
    assert {p: p.read_bytes() for p in before} == before
    assert os.readlink(out / "零") == "/dev/zero" and no_leftovers(tmp_path)


# ---------------------------------------------------------------------------------------------
# CSV never carries a live formula
# ---------------------------------------------------------------------------------------------

def evil_source(tmp_path: Path) -> Path:
    """The repository's source table with target texts and a project name that Excel would run."""
    text = SOURCE.read_text(encoding="utf-8")
    for i, evil in enumerate(EVIL):
        old = ["≥2次", "≥150人次", "6篇", "≥95%"][i % 4]
        text = text.replace(f"\t{old}", f"\t{evil.replace(chr(9), ' ')}{i}", 1)
    text = text.replace("台港澳青年创新创业专项经费", "=HYPERLINK(\"http://x\",\"项目\")", 1)
    path = tmp_path / "evil.txt"
    path.write_text(text, encoding="utf-8")
    return path


def cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for c in row]


def live(text: str) -> list[str]:
    return [c for c in cells(text) if c.startswith(FORMULA_STARTS)]


def test_every_csv_the_tool_writes_has_no_live_formula(tmp_path: Path, capsys) -> None:
    out = tmp_path / "t"
    code, _, err = run_cli(import_args(evil_source(tmp_path), out), capsys)
    assert code == 0, err
    written = (out / "indicators.csv").read_text(encoding="utf-8")
    assert any(c.startswith("'=") for c in cells(written)) and not live(written)
    code, printed, err = run_cli(["targets", "2023", "--dir", str(out), "--format", "csv"], capsys)
    # the listing on stdout is for programs (measure.py, pipes): what Excel could run is defused, a target
    # such as =116人 (which Excel can only show wrongly) is printed exactly as the table wrote it
    assert code == 0 and not [c for c in live(printed) if any(m in c for m in "(|!")], err
    assert any(c.startswith("'=HYPERLINK") for c in cells(printed)), printed
    # read back, the texts are what the table said (the apostrophe is the file's, not the target's)
    code, printed, err = run_cli(["targets", "2023", "--dir", str(out), "--format", "json"], capsys)
    data = json.dumps(json.loads(printed), ensure_ascii=False)
    assert "=HYPERLINK" in data and "'=HYPERLINK" not in data
    # score YEAR --format csv: the project name and target texts from those targets
    ws = tmp_path / "ws"
    shutil.copytree(out, ws / "targets" / "2023")
    (ws / "actuals").mkdir()
    shutil.copy(ROOT / "actuals" / "2023.xlsx", ws / "actuals" / "2023.xlsx")
    code, _, err = run_cli([*score_args(ws), "--format", "csv"], capsys)
    assert code == 0, err
    report = (ws / "reports" / "指标明细_2023.csv").read_text(encoding="utf-8-sig")
    assert not live(report) and "'=HYPERLINK" in report


def test_the_importers_actuals_csv_has_no_live_formula(tmp_path: Path) -> None:
    import pandas as pd

    from scoring.csvcells import defuse_frame
    from scoring.importer import ACTUAL_COLUMNS

    actuals = pd.DataFrame([["P1-01", "=HYPERLINK(1)", "@x", "≥2次", "-1+1", "9", "+原因", "a.txt:3"]],
                           columns=ACTUAL_COLUMNS)
    assert not live(defuse_frame(actuals).to_csv(index=False))


# ---------------------------------------------------------------------------------------------
# the hidden cache of projects.yaml is never trusted for what it does not prove
# ---------------------------------------------------------------------------------------------

def _forge(path: Path, change) -> None:
    """Rewrite a cache's arrays (``change(arrays)``), keeping its embedded hash of projects.yaml."""
    import numpy as np

    with np.load(path, allow_pickle=False) as z:
        arrays = {name: z[name] for name in z.files}
    change(arrays)
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def test_an_edited_or_foreign_cache_never_reaches_a_report(tmp_path: Path, capsys, monkeypatch) -> None:
    import numpy as np

    from scoring.targets import cache
    from scoring.targets.store import load_targets

    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "targets" / "2023", ws / "targets" / "2023")
    (ws / "actuals").mkdir()
    shutil.copy(ROOT / "actuals" / "2023.xlsx", ws / "actuals" / "2023.xlsx")
    tdir = ws / "targets" / "2023"
    monkeypatch.setattr(cache, "CACHE_MIN_BYTES", 0)  # the run uses the cache, as for a province's file
    truth = load_targets(tdir, cache=False).projects
    load_targets(tdir, cache=True)
    npz = tdir / cache.CACHE_FILE
    department = truth["department"].iat[0]
    assert department and npz.is_file()

    def lie(arrays) -> None:
        text = arrays["department"].tobytes().decode("utf-8").replace(department, "伪造的主管部门", 1)
        arrays["department"] = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)

    _forge(npz, lie)
    got = load_targets(tdir, cache=True).projects
    assert list(got["department"]) == list(truth["department"])
    # a cache signed elsewhere (another user's or machine's key): rebuilt, not used
    with monkeypatch.context() as m:
        m.setattr(cache, "_key", lambda: b"k" * cache.KEY_BYTES)
        load_targets(tdir, cache=True)
    _forge(npz, lie)
    _forge(npz, lambda arrays: None)
    code, out, err = run_cli([*score_args(ws), "--json"], capsys)
    assert code == 0, err
    assert "伪造的主管部门" not in out
    for name in ("绩效自评报告_2023.xlsx",):
        import zipfile

        with zipfile.ZipFile(ws / "reports" / name) as zf:
            assert not any("伪造的主管部门".encode() in zf.read(n) for n in zf.namelist())
