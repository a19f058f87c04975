"""Issue 29's crashes: every one ends with exit 0, 1 or 2 and a Chinese message, never a traceback.
Inputs are generated here; a hang fails by a subprocess timeout, never by a timed assertion."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_faults import CHILD
from test_hostile import assert_clean_error, score_args, snapshot
from test_hostile_xml import far_workbook

from helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "targets" / "2023", tmp_path / "targets" / "2023")
    (tmp_path / "actuals").mkdir()
    shutil.copy(ROOT / "actuals" / "2023.xlsx", tmp_path / "actuals" / "2023.xlsx")
    shutil.copy(ROOT / "actuals" / "2023_monitor.xlsx", tmp_path / "actuals" / "2023_monitor.xlsx")
    return tmp_path


def shell(command: str, cwd: Path, env: dict | None = None, stdin: str | None = None,
          timeout: float = 300) -> subprocess.CompletedProcess:
    """``score`` run as the command runs (no current folder on the import path), from a shell line
    whose redirections (``>&-``) apply; ``SCORE`` in ``command`` stands for the program."""
    script = CHILD.format(root=str(ROOT), tests=str(TESTS), patch="")
    program = f"'{sys.executable}' -P -c \"$SCORE_SCRIPT\""
    return subprocess.run(["sh", "-c", command.replace("SCORE", program)], cwd=cwd, capture_output=True,
                          timeout=timeout, input=None if stdin is None else stdin.encode(),
                          env={**os.environ, "COLUMNS": "200", "SCORE_SCRIPT": script, **(env or {})})


def no_traceback(proc: subprocess.CompletedProcess, encoding: str = "utf-8") -> str:
    err = proc.stderr.decode(encoding, errors="replace")
    assert "Traceback" not in err and "内部错误" not in err, err
    return err


# ---------------------------------------------------------------------------------------------
# the standard streams
# ---------------------------------------------------------------------------------------------

def test_stdout_closed(ws: Path) -> None:
    before = snapshot(ws)
    for command in ("SCORE 2023 --json >&-", "SCORE 2023 >&-", "SCORE parse '≥95%' >&-"):
        proc = shell(command, ws)
        err = no_traceback(proc)
        assert proc.returncode == 2 and "标准输出已关闭" in err, err
    assert snapshot(ws) == before and not (ws / "reports").exists()


@pytest.mark.parametrize("command", ["SCORE parse <&-", "SCORE rate <&-", "SCORE parse --json <&-"])
def test_stdin_closed(ws: Path, command: str) -> None:
    proc = shell(command, ws)
    err = no_traceback(proc)
    assert proc.returncode == 2 and err.startswith("错误：标准输入已关闭"), err


def test_a_gbk_console(ws: Path) -> None:
    env = {"PYTHONIOENCODING": "gbk"}
    proc = shell("SCORE 2023", ws, env)
    no_traceback(proc, "gbk")
    assert proc.returncode == 0
    out = proc.stdout.decode("gbk")  # every byte is GBK: the console shows it
    assert "各项目得分" in out and "报告已写出" in out
    far_workbook(ws / "远处.xlsx", "common")
    proc = shell("SCORE 2023 --actuals 远处.xlsx", ws, env)
    err = no_traceback(proc, "gbk")
    assert proc.returncode == 2 and "远处.xlsx > 指标实际值 > XFD1048576" in proc.stderr.decode("gbk"), err
    proc = shell("SCORE parse '≯5次' 'l00%'", ws, env)
    no_traceback(proc, "gbk")
    assert proc.returncode == 0 and "不超过" in proc.stdout.decode("gbk")


# ---------------------------------------------------------------------------------------------
# weights, monitor names
# ---------------------------------------------------------------------------------------------

def test_weights_of_1e308(ws: Path, capsys) -> None:
    p = ws / "targets" / "2023" / "indicators.csv"
    lines = p.read_text(encoding="utf-8").split("\n")
    head = lines[0].split(",")
    for k in (1, 2):
        row = lines[k].split(",")
        row[head.index("weight")] = "1e308"
        lines[k] = ",".join(row)
    p.write_text("\n".join(lines), encoding="utf-8")
    before = snapshot(ws)
    code, _, err = run_cli(score_args(ws), capsys)
    assert_clean_error(code, err, "indicators.csv › 第2行", "1e308", "超过 100")
    code, _, err = run_cli(["check", "2023", "--dir", str(ws / "targets" / "2023")], capsys)
    assert code == 1 and "1e308" in _ + err
    code, _, err = run_cli(["rate", "--target", "≥2次", "--actual", "3", "--weight", "1e308"], capsys)
    assert_clean_error(code, err, "--weight")
    proc = shell("SCORE rate", ws, stdin="单位成本\t≥2次\t3\t1e308\n")
    no_traceback(proc)
    assert proc.returncode == 2 and "1e308" in proc.stdout.decode()
    assert snapshot(ws) == before


def _rename_project(ws: Path, old: str, new: str) -> None:
    for name in ("projects.yaml", "indicators.csv"):
        p = ws / "targets" / "2023" / name
        text = p.read_text(encoding="utf-8")
        text = text.replace(f"project: {old}\n", f"project: {new}\n") if name.endswith("yaml") else \
            text.replace(f",{old},", f",{new},")
        p.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case", ["same name", "only case differs"])
def test_monitor_with_two_projects_of_one_name(ws: Path, capsys, case: str) -> None:
    names = re.findall(r"^  project: (.*)$", (ws / "targets" / "2023" / "projects.yaml").read_text(encoding="utf-8"),
                       re.M)
    if case == "same name":
        _rename_project(ws, names[1], names[0])
    else:
        _rename_project(ws, names[0], "ABC" + names[0])
        _rename_project(ws, names[1], "abc" + names[0])
    before = snapshot(ws)
    argv = ["monitor", "2023", "--through", "2023-07-31", "--targets", str(ws / "targets" / "2023"),
            "--actuals", str(ws / "actuals" / "2023_monitor.xlsx"), "--out", str(ws / "r")]
    code, out, err = run_cli(argv, capsys)
    assert code == 0, err
    code, out, err = run_cli([*argv, "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["projects"], err
    if case == "same name":
        said = [p for p in data["problems"] if "同名" in p["message"] and names[0] in p["message"]]
        assert len(said) == 2   # each project says it is called apart, neither is merged into the other
        assert len({p["project"] for p in data["projects"] if p["project"].startswith(names[0])}) == 2
    after = snapshot(ws)
    assert {k: after[k] for k in before} == before


# ---------------------------------------------------------------------------------------------
# large terminal output
# ---------------------------------------------------------------------------------------------

GROUPING = """
import sys
sys.path.insert(0, {root!r})
from types import SimpleNamespace
import pandas as pd
from scoring.findings import Finding, WARNING
from scoring.reports.terminal import group_problems
n = 100_000
names = [f"某某部门第{{i}}号专项经费项目" for i in range(n)]
result = SimpleNamespace(indicators=pd.DataFrame({{"id": [f"P{{i}}" for i in range(n)], "project": names}}),
                         projects=pd.DataFrame({{"project": names}}),
                         problems=[Finding("actuals/2023.xlsx › 预算执行", f"“预算执行”表中没有项目“{{name}}”的行，无法计算执行率", WARNING)
                                   for name in names])
groups = group_problems(result)
print(len(groups), sum(len(g.findings) for g in groups))
"""


def test_grouping_100000_projects_missing_from_the_budget_sheet_does_not_hang(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", GROUPING.format(root=str(ROOT))], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)  # name by name against every message: hours
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["100000", "100000"]


def test_parse_of_many_lines_is_written_as_it_is_read(tmp_path: Path) -> None:
    """More lines than a table holds are streamed: the first lines come out before the input ends."""
    script = CHILD.format(root=str(ROOT), tests=str(TESTS), patch="")
    proc = subprocess.Popen([sys.executable, "-P", "-c", script, "parse"], cwd=tmp_path, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        proc.stdin.write("开展活动数量\t≥2次\n" * 5000)
        proc.stdin.flush()
        header = proc.stdout.readline()  # before stdin is closed: a table would wait for the end
        assert header.split("\t")[:2] == ["原文", "类型"]
        assert proc.stdout.readline().split("\t")[:3] == ["≥2次", "定量", "≥"]
        proc.stdin.close()
        rest = proc.stdout.read()
        assert proc.wait(timeout=120) == 0
    finally:
        proc.kill()
    assert rest.count("\n") == 4999
