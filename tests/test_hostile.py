"""Hostile and careless input (issue 13): no crash, no lost file, no silent score, no runaway memory.

Every input is generated here (tests/hostile_inputs.py), small on disk. Each test asserts the exit
code, the Chinese message (file › sheet › cell where it applies), that the inputs are byte-identical
afterwards and, where memory is the danger, a peak-memory bound measured in a subprocess
(``ru_maxrss``, with an address-space limit so a regression fails instead of taking the machine).
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from hostile_faults import SLOW_REPORT
from hostile_inputs import (
    actuals_sheets,
    alias_bomb,
    binary_bytes,
    gbk_projects_bytes,
    patch_cells,
    projects_alias_bomb,
    rows_xml,
    sheet_xml,
    write_bomb_xlsx,
    write_xlsx,
)

from helpers import run_cli
from scoring import files
from scoring.processes import map_in_processes

ROOT = Path(__file__).resolve().parent.parent
MEMORY_BOUND_MB = 600  # generous: the interpreter with pandas is ~150 MB; the hostile inputs used to reach GBs
ADDRESS_LIMIT = 6 * 1024**3


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # no wrapped lines in what the tests read


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A workspace: the 2023 targets and the example actuals, copied."""
    shutil.copytree(ROOT / "targets" / "2023", tmp_path / "targets" / "2023")
    (tmp_path / "actuals").mkdir()
    shutil.copy(ROOT / "actuals" / "2023.xlsx", tmp_path / "actuals" / "2023.xlsx")
    return tmp_path


def snapshot(*roots: Path) -> dict[str, bytes]:
    out = {}
    for root in roots:
        for p in sorted([root] if root.is_file() else root.rglob("*")):
            if p.is_file():
                out[str(p)] = p.read_bytes()
    return out


def score_args(ws: Path, **over: str) -> list[str]:
    args = {"--targets": str(ws / "targets" / "2023"), "--actuals": str(ws / "actuals" / "2023.xlsx"),
            "--out": str(ws / "reports")}
    args.update(over)
    return ["2023", *(x for kv in args.items() for x in kv)]


CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
sys.path.insert(0, {root!r})
import cli
code = cli.main(sys.argv[1:])
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.stderr.write(f"\\nPEAK_KB={{peak}}\\n")
sys.exit(code)
"""


def run_child(argv: list[str], cwd: Path, env: dict | None = None, timeout: float = 300) -> tuple[int, str, str, int]:
    """``score argv`` in a subprocess: exit code, stdout, stderr, peak memory (MB)."""
    return finish_child(start_child(argv, cwd, env), timeout)


def start_child(argv: list[str], cwd: Path, env: dict | None = None) -> subprocess.Popen:
    """``score argv`` started in a subprocess (:func:`finish_child` waits for it): independent runs go side by side."""
    script = CHILD.format(limit=ADDRESS_LIMIT, root=str(ROOT))
    return subprocess.Popen([sys.executable, "-c", script, *argv], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "COLUMNS": "1000", **(env or {})})


def finish_child(proc: subprocess.Popen, timeout: float = 300) -> tuple[int, str, str, int]:
    """Exit code, stdout, stderr and peak memory (MB) of a :func:`start_child` process."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    err, _, peak = err.rpartition("PEAK_KB=")
    return proc.returncode, out, err, int(peak.strip() or 0) // 1024


def assert_clean_error(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err and "内部错误" not in err, err
    assert err.startswith("错误："), err
    for n in needles:
        assert n in err, err


# ---------------------------------------------------------------------------------------------
# workbooks: used range, zip bomb
# ---------------------------------------------------------------------------------------------

def test_one_cell_at_xfd1048576_is_refused_before_reading(ws: Path) -> None:
    bad = write_xlsx(ws / "actuals" / "远处.xlsx", actuals_sheets([("P1",)], extra={"XFD1048576": "x"}))
    assert bad.stat().st_size < 4096
    before = snapshot(ws)
    code, _, err, peak = run_child(score_args(ws, **{"--actuals": str(bad)}), ws)
    assert_clean_error(code, err, "远处.xlsx › 指标实际值 › XFD1048576", "使用范围")
    assert peak < MEMORY_BOUND_MB
    assert snapshot(ws) == before


def test_cells_without_references_are_placed_as_readers_place_them(tmp_path: Path) -> None:
    from scoring.findings import ScoreError
    from scoring.xlsx import check_xlsx

    wide = write_xlsx(tmp_path / "宽.xlsx", {"指标实际值": sheet_xml("<row>" + "<c/>" * 20000 + "</row>" + "<row/>" * 2000),
                                              "预算执行": sheet_xml("")})
    with pytest.raises(ScoreError, match=r"宽\.xlsx › 指标实际值 › XFE1：.*16,385 列"):  # the first cell past Excel's last column
        check_xlsx(wide)
    fine = write_xlsx(tmp_path / "好.xlsx", actuals_sheets([("P1", "x")], extra={"AB30": "x"}))
    check_xlsx(fine)  # a few columns past Z is a normal workbook


@pytest.fixture(scope="session")
def bomb(tmp_path_factory) -> Path:
    return write_bomb_xlsx(tmp_path_factory.mktemp("bomb") / "炸弹.xlsx")


def test_zip_bomb_is_refused_from_the_central_directory(ws: Path, bomb: Path) -> None:
    info = zipfile.ZipFile(bomb).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 1800 * 1024**2 and info.file_size / info.compress_size > 100
    before = snapshot(ws, bomb)
    code, _, err, peak = run_child(score_args(ws, **{"--actuals": str(bomb)}), ws)
    assert_clean_error(code, err, "炸弹.xlsx", "压缩炸弹", "未解压")
    assert peak < MEMORY_BOUND_MB
    assert snapshot(ws, bomb) == before


def test_a_damaged_workbook_in_a_folder_is_skipped(ws: Path) -> None:
    folder = ws / "各部门"
    folder.mkdir()
    shutil.copy(ws / "actuals" / "2023.xlsx", folder / "甲部门.xlsx")
    write_xlsx(folder / "乙部门.xlsx", actuals_sheets([("P1",)], extra={"XFD1048576": "x"}))
    before = snapshot(folder)
    code, out, err, peak = run_child(score_args(ws, **{"--actuals": str(folder)}), ws)
    assert code == 0, err
    assert "乙部门.xlsx › 指标实际值 › XFD1048576" in out and "已跳过" in out
    assert (ws / "reports" / "绩效自评汇总_2023.xlsx").is_file()
    assert peak < MEMORY_BOUND_MB
    assert snapshot(folder) == before


def _die_on_bad(job):
    if "坏" in job:
        os.kill(os.getpid(), signal.SIGKILL)
    return job.upper()


def test_a_worker_that_dies_loses_only_its_own_job() -> None:
    jobs = ["a", "b坏", "c", "d"]
    got = map_in_processes(_die_on_bad, jobs, workers=2, on_crash=lambda job: f"crashed:{job}")
    assert got == ["A", "crashed:b坏", "C", "D"]
    with pytest.raises(BrokenProcessPool):
        map_in_processes(_die_on_bad, jobs, workers=2)


def test_folder_run_survives_a_worker_that_dies(ws: Path, monkeypatch, capsys) -> None:
    import scoring.actuals.folder as folder_mod

    real = folder_mod.read_actuals

    def dying(path, **kw):
        if "乙" in str(path):
            os.kill(os.getpid(), signal.SIGKILL)  # as calamine's abort did
        return real(path, **kw)

    monkeypatch.setattr(folder_mod, "read_actuals", dying)  # forked workers inherit it
    folder = ws / "各部门"
    folder.mkdir()
    shutil.copy(ws / "actuals" / "2023.xlsx", folder / "甲部门.xlsx")
    shutil.copy(ws / "actuals" / "2023.xlsx", folder / "乙部门.xlsx")
    code, out, err = run_cli(score_args(ws, **{"--actuals": str(folder)}), capsys)
    assert code == 0, err
    assert "乙部门.xlsx" in out and "进程异常退出" in out


# ---------------------------------------------------------------------------------------------
# YAML: alias bombs, encodings, not-a-file
# ---------------------------------------------------------------------------------------------

def test_rules_alias_bomb_is_refused(ws: Path) -> None:
    rules = ws / "炸弹规则.yaml"
    rules.write_text("extends: national\n" + alias_bomb("title"), encoding="utf-8")
    assert rules.stat().st_size < 1024
    before = snapshot(ws)
    for argv in (["rate", "--target", "≥2次", "--actual", "3", "--rules", str(rules)],
                 score_args(ws, **{"--rules": str(rules)})):
        code, _, err, peak = run_child(argv, ws)
        assert_clean_error(code, err, "炸弹规则.yaml › 第2行", "别名")
        assert peak < MEMORY_BOUND_MB
    assert snapshot(ws) == before


def test_projects_alias_bomb_is_refused_by_every_command(ws: Path, capsys) -> None:
    pfile = ws / "targets" / "2023" / "projects.yaml"
    pfile.write_text(projects_alias_bomb(pfile.read_text(encoding="utf-8")), encoding="utf-8")
    before = snapshot(ws)
    tdir = str(ws / "targets" / "2023")
    for argv in (["targets", "2023", "--dir", tdir], ["check", "2023", "--dir", tdir], score_args(ws),
                 ["template", "2023", "--targets", tdir, "--out", str(ws / "模板.xlsx")]):
        code, _, err = run_cli(argv, capsys)
        assert_clean_error(code, err, "projects.yaml › 第", "别名")
    code, _, err, peak = run_child(score_args(ws), ws)
    assert code == 2 and peak < MEMORY_BOUND_MB
    assert snapshot(ws) == before


@pytest.mark.parametrize(("content", "needle"), [(gbk_projects_bytes(), "不是 UTF-8 编码（像是 GBK"),
                                                 (binary_bytes(), "不是文本文件")])
def test_gbk_or_binary_projects_yaml(ws: Path, capsys, content: bytes, needle: str) -> None:
    pfile = ws / "targets" / "2023" / "projects.yaml"
    pfile.write_bytes(content)
    before = snapshot(ws)
    tdir = str(ws / "targets" / "2023")
    for argv in (["targets", "2023", "--dir", tdir], ["check", "2023", "--dir", tdir], score_args(ws),
                 ["template", "2023", "--targets", tdir, "--out", str(ws / "模板.xlsx")]):
        code, _, err = run_cli(argv, capsys)
        assert_clean_error(code, err, "projects.yaml › 第", needle)
    assert snapshot(ws) == before


def test_rules_that_are_a_folder_gbk_or_binary(ws: Path, capsys) -> None:
    gbk = ws / "gbk.yaml"
    gbk.write_bytes("extends: national\ntitle: 四川口径\n".encode("gbk"))
    binary = ws / "bin.yaml"
    binary.write_bytes(binary_bytes())
    for rules, needle in ((ws, "这是一个文件夹"), (gbk, "gbk.yaml › 第2行"), (binary, "不是文本文件")):
        code, _, err = run_cli(["rate", "--target", "≥2次", "--actual", "3", "--rules", str(rules)], capsys)
        assert_clean_error(code, err, needle)
        code, _, err = run_cli(score_args(ws, **{"--rules": str(rules)}), capsys)
        assert_clean_error(code, err, needle)


def test_a_fifo_is_refused_not_read(ws: Path) -> None:
    fifo = ws / "管道.xlsx"
    os.mkfifo(fifo)
    rules = ws / "管道.yaml"
    os.mkfifo(rules)
    for argv in (score_args(ws, **{"--actuals": str(fifo)}), score_args(ws, **{"--rules": str(rules)}),
                 ["rate", "--target", "≥2次", "--actual", "3", "--rules", str(rules)]):
        code, _, err, _ = run_child(argv, ws, timeout=120)  # a hang fails by the timeout
        assert_clean_error(code, err, "不是普通文件")


# ---------------------------------------------------------------------------------------------
# outputs: never over an input; environment errors; temporary files
# ---------------------------------------------------------------------------------------------

def test_out_where_the_report_would_overwrite_the_actuals(ws: Path, capsys) -> None:
    out = ws / "out"
    out.mkdir()
    actuals = out / "绩效自评报告_2023.xlsx"
    shutil.copy(ws / "actuals" / "2023.xlsx", actuals)
    before = snapshot(ws)
    code, _, err = run_cli(score_args(ws, **{"--actuals": str(actuals), "--out": str(out)}), capsys)
    assert_clean_error(code, err, "输出文件就是输入文件")
    assert snapshot(ws) == before


def test_department_file_named_like_the_summary(ws: Path, capsys) -> None:
    folder = ws / "各部门"
    folder.mkdir()
    shutil.copy(ws / "actuals" / "2023.xlsx", folder / "绩效自评汇总_2023.xlsx")
    before = snapshot(ws)
    code, _, err = run_cli(score_args(ws, **{"--actuals": str(folder), "--out": str(folder)}), capsys)
    assert_clean_error(code, err, "输出文件就是输入文件", "绩效自评汇总_2023.xlsx")
    assert snapshot(ws) == before


def test_template_never_over_its_targets(ws: Path, capsys) -> None:
    tdir = ws / "targets" / "2023"
    before = snapshot(ws)
    force = ["--force"] if "--force" in _template_options() else []  # helper template adds --force
    code, _, err = run_cli(["template", "2023", "--targets", str(tdir), "--out", str(tdir / "indicators.csv"), *force],
                           capsys)
    assert_clean_error(code, err)
    assert snapshot(ws) == before


def _template_options() -> str:
    import cli

    return " ".join(a for action in cli.build_parser()._subparsers._group_actions[0].choices["template"]._actions
                    for a in action.option_strings)


@pytest.mark.parametrize(("err_no", "needle"), [(errno.EACCES, "没有写入权限"), (errno.EROFS, "只读"),
                                                (errno.ENOSPC, "磁盘空间不足")])
def test_out_unwritable_or_disk_full(ws: Path, capsys, monkeypatch, err_no: int, needle: str) -> None:
    out = ws / "reports"
    out.mkdir()
    old = out / "绩效自评报告_2023.xlsx"
    old.write_bytes(b"last year's report")
    if err_no == errno.ENOSPC:
        def full(self, *a, **k):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        monkeypatch.setattr(zipfile.ZipFile, "write", full)  # the zip writer, as in the issue
    else:
        def refuse(*a, **k):
            raise OSError(err_no, os.strerror(err_no))
        monkeypatch.setattr(files.tempfile, "mkdtemp", refuse)  # running as root, chmod would not stop us
    before = snapshot(ws)
    code, _, err = run_cli(score_args(ws), capsys)
    assert_clean_error(code, err, needle, "_2023.xlsx")
    after = snapshot(ws)
    assert {k: after.get(k) for k in before} == before  # the inputs and the old report are intact
    assert not [k for k in after if ".tmp" in k]  # no temporary file is left (another output may be whole)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_out_read_only_folder(ws: Path, capsys) -> None:
    out = ws / "reports"
    out.mkdir()
    out.chmod(0o555)
    try:
        code, _, err = run_cli(score_args(ws), capsys)
        assert_clean_error(code, err, "没有写入权限")
    finally:
        out.chmod(0o755)




@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_while_writing_leaves_nothing_in_tmp(ws: Path, sig: int) -> None:
    tmpdir = ws / "tmp"
    tmpdir.mkdir()
    script = CHILD.format(limit=ADDRESS_LIMIT, root=str(ROOT)).replace("import cli", "import time\n" + SLOW_REPORT + "\nimport cli")
    proc = subprocess.Popen([sys.executable, "-c", script, *score_args(ws)], cwd=ws, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "TMPDIR": str(tmpdir)})
    try:
        assert proc.stdout.readline().strip() == "WRITING"
        pending = [p for p in (ws / "reports").iterdir() if p.name.endswith(".tmp")]
        assert len(pending) == 1 and any(pending[0].iterdir())  # the rows were written beside the target
        assert not any(tmpdir.iterdir())
        proc.send_signal(sig)
        code = proc.wait(timeout=60)
    finally:
        proc.kill()
        proc.wait()
    assert not any(tmpdir.iterdir())
    assert not (ws / "reports" / "绩效自评报告_2023.xlsx").exists()
    if sig == signal.SIGTERM:
        assert code == 130 and not [p for p in (ws / "reports").iterdir() if p.name.endswith(".tmp")]
    code, _, err, _ = run_child(score_args(ws), ws, env={"TMPDIR": str(tmpdir)})  # the next run sweeps it
    assert code == 0, err
    names = [p.name for p in (ws / "reports").iterdir()]
    assert "绩效自评报告_2023.xlsx" in names and not [n for n in names if n.endswith(".tmp")]
    assert not any(tmpdir.iterdir())


# ---------------------------------------------------------------------------------------------
# weights, big cells, escape sequences
# ---------------------------------------------------------------------------------------------

def _set_weights(ws: Path, project_index: int = 0, extra: float = 10.0) -> str:
    import pandas as pd

    p = ws / "targets" / "2023" / "indicators.csv"
    df = pd.read_csv(p, dtype=str, keep_default_na=False)
    name = df["project"].unique()[project_index]
    rows = df.index[df["project"] == name]
    w = pd.to_numeric(df.loc[rows, "weight"], errors="coerce")
    if w.isna().all():  # no weights given: spread 90 evenly and add extra to the first
        w = pd.Series(90 / len(rows), index=rows)
    w.iloc[0] += extra
    df.loc[rows, "weight"] = [f"{x:g}" for x in w]
    df.to_csv(p, index=False, lineterminator="\n")
    return name


def test_weights_summing_to_110(ws: Path, capsys) -> None:
    import json

    name = _set_weights(ws, 11, 10.0)
    code, out, err = run_cli([*score_args(ws), "--json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    proj = next(p for p in data["projects"] if p["project"] == name)
    assert proj["total"] <= 100
    assert any(p["where"] == f"{name} › 分值" and "分值合计为 110" in p["message"] for p in data["problems"])
    code, out, err = run_cli([*score_args(ws), "--strict"], capsys)
    assert code == 1 and "分值合计为 110" in out


def test_weight_inf(ws: Path, capsys) -> None:
    code, _, err = run_cli(["rate", "--target", "≥2次", "--actual", "3", "--weight", "inf"], capsys)
    assert_clean_error(code, err, "--weight")
    p = ws / "targets" / "2023" / "indicators.csv"
    lines = p.read_text(encoding="utf-8").split("\n")
    head = lines[0].split(",")
    first = lines[1].split(",")
    first[head.index("weight")] = "inf"
    lines[1] = ",".join(first)
    p.write_text("\n".join(lines), encoding="utf-8")
    code, _, err = run_cli(score_args(ws), capsys)
    assert_clean_error(code, err, "indicators.csv › 第2行", "inf")


def _actuals_with(ws: Path, cells: dict[str, str]) -> Path:
    """The example actuals with some cells of 指标实际值 / 预算执行 replaced (``"预算执行!D3"``)."""
    path = ws / "actuals" / "2023.xlsx"
    by_sheet: dict[str, dict[str, str]] = {}
    for ref, value in cells.items():
        sheet, cell = ref.split("!") if "!" in ref else ("指标实际值", ref)
        by_sheet.setdefault(sheet, {})[cell] = value
    for sheet, sub in by_sheet.items():
        patch_cells(path, sheet, sub)
    return path


def test_escape_sequences_in_cells_do_not_reach_the_terminal(ws: Path, capsys) -> None:
    evil = "\x1b]0;pwned\x07\x1b[2J\x1b[8m隐藏\u202e"
    actuals = _actuals_with(ws, {"A3": "P-0001" + evil, "预算执行!A3": "某项目" + evil})  # an unknown id and project
    before = snapshot(actuals)
    code, out, err = run_cli(score_args(ws), capsys)
    assert code == 0, err
    assert "\\x1b]0;pwned" in out  # shown, not obeyed
    for ch in ("\x1b", "\x07", "\u202e"):
        assert ch not in out and ch not in err
    assert snapshot(actuals) == before


def test_a_megabyte_cell(ws: Path, capsys) -> None:
    big = "超长文字" * 262_144  # 1 M characters
    actuals = _actuals_with(ws, {"G3": big, "预算执行!D3": big})
    before = snapshot(actuals)
    code, out, err = run_cli(score_args(ws), capsys)
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) < 2_000
    assert "已截断" in out  # the 预算执行 message quotes the cell: cut on the terminal, saying so
    assert "G3" in out and "过长" in out  # judged 无法判定 at once, not scanned for a minute
    assert (ws / "reports" / "绩效自评报告_2023.xlsx").is_file()
    assert snapshot(actuals) == before


# ---------------------------------------------------------------------------------------------
# score import: the same guard
# ---------------------------------------------------------------------------------------------

def test_import_uses_the_xlsx_guard(ws: Path, bomb: Path) -> None:
    far = write_xlsx(ws / "远处.xlsx", {"Sheet1": sheet_xml(rows_xml([("项目名称",)], {"XFD1048576": "x"}))})
    for src, needle in ((far, "XFD1048576"), (bomb, "压缩炸弹")):
        before = snapshot(ws, src)
        code, _, err, peak = run_child(["import", str(src), "--year", "2023", "--out", str(ws / "t2")], ws)
        assert_clean_error(code, err, needle)
        assert peak < MEMORY_BOUND_MB
        assert snapshot(ws, src) == before
