"""score check: lint findings with their place, severity and exit code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import cli
from scoring.checks.lint import check_dir, check_targets
from scoring.checks.rules import RULES
from scoring.findings import ERROR, WARNING
from scoring.targets.model import Targets, indicators_frame, projects_frame
from scoring.targets.store import save_targets

ROOT = Path(__file__).resolve().parent.parent
TARGETS_2023 = ROOT / "targets" / "2023"


def make(indicators: list[tuple], *, weights: list | None = None, **project) -> Targets:
    """A one-project Targets from (level1, level2, level3, period, annual) tuples."""
    p = {"project_id": "PTEST0", "project": "测试项目", "unit": "某局", "start_year": 2023, "end_year": 2023,
         "budget": 1000, "annual_goal": "目标"} | project
    recs = []
    for i, (l1, l2, l3, pv, av) in enumerate(indicators):
        recs.append({"id": f"PTEST0-{i:04d}", "project_id": "PTEST0", "project": p["project"], "level1": l1,
                     "level2": l2, "level3": l3, "period_value": pv, "annual_value": av,
                     "weight": None if weights is None else weights[i]})
    return Targets(projects_frame([p]), indicators_frame(recs), year=2023)


SAT = ("满意度指标", "服务对象满意度指标", "满意度", "≥90%", "≥90%")


def codes(findings, severity=None) -> list[str]:
    return [f.code for f in findings if severity is None or f.severity == severity]


def test_clean_project_has_no_findings():
    t = make([("产出指标", "数量指标", "活动次数", "≥6次", "≥2次"), SAT])
    assert check_targets(t, 2023) == []


@pytest.mark.parametrize(("name", "annual"), [
    ("设备故障次数", "业务平台设备故障次数"),            # the name copied into the value
    ("按时完成率（%）", "实际完成时间与计划完成时间的差异少于"),  # cut off after an operator word
    ("活动次数", ""),                                     # empty
])
def test_invalid_annual_values_are_errors(name, annual):
    t = make([("产出指标", "数量指标", name, "", annual), SAT])
    f = [x for x in check_targets(t, 2023) if x.code == "annual_invalid"]
    assert len(f) == 1 and f[0].severity == ERROR
    assert "indicators.csv › 第2行" in f[0].where and name in f[0].message


def test_period_against_annual():
    t = make([
        ("产出指标", "数量指标", "活动次数", "≥6次", "≥8次"),          # a year needs more than the period
        ("产出指标", "质量指标", "达标率", "≥90%", "≥95%"),            # a rate stricter in one year
        ("产出指标", "质量指标", "合格率", "≥90%", "及时"),             # different kinds
        ("产出指标", "时效指标", "响应时间", "≤2天", "≤24小时"),        # different units
        ("效益指标", "社会效益指标", "品牌", "正面报道和市政府认", "正面报道和市政府认可"),  # cut off
        ("产出指标", "数量指标", "交流人数", "≥450人次", "≥150人次"),   # fine: a year is a part of the period
        SAT,
    ])
    f = check_targets(t, 2023)
    by_line = {x.where.rsplit("第", 1)[-1]: x.code for x in f}
    assert by_line == {"2行": "annual_stricter", "3行": "annual_stricter", "4行": "period_kind", "5行": "period_unit",
                       "6行": "period_cut"}
    assert all(x.severity == WARNING for x in f)


def test_project_without_satisfaction_duplicates_and_weights():
    t = make([("产出指标", "数量指标", "活动次数", "≥6次", "≥2次"),
              ("效益指标", "社会效益指标", "活动次数", "≥6次", "≥2次")], weights=[50, 30])
    f = check_targets(t, 2023)
    assert set(codes(f, WARNING)) == {"no_satisfaction", "duplicate"}
    assert codes(f, ERROR) == ["weights_total"]
    assert "合计 80" in next(x.message for x in f if x.code == "weights_total")
    ok = make([("产出指标", "数量指标", "活动次数", "≥6次", "≥2次"), SAT], weights=[80, 10])
    assert check_targets(ok, 2023) == []
    partial = make([("产出指标", "数量指标", "活动次数", "≥6次", "≥2次"), SAT], weights=[95, None])
    assert codes(check_targets(partial, 2023), ERROR) == ["weights_total"]


def test_project_period_years_and_budget():
    t = make([("产出指标", "数量指标", "活动次数", "≥6次", "≥2次"), SAT], start_year=2021, end_year=2021, budget=None)
    assert set(codes(check_targets(t, 2023))) == {"period_years", "budget_missing"}


def test_schema_errors_come_with_file_and_line(tmp_path):
    d = tmp_path / "2023"
    save_targets(make([("产出指标", "数量指标", "活动次数", "≥6次", "≥2次"), SAT]), d)
    f = d / "indicators.csv"
    f.write_text(f.read_text(encoding="utf-8").replace("产出指标", "产出类指标"), encoding="utf-8")
    _t, findings = check_dir(d, 2023)
    schema = [x for x in findings if x.code == "schema"]
    assert schema and schema[0].severity == ERROR
    assert schema[0].where.endswith("indicators.csv › 第2行") and "产出类指标" in schema[0].message


def test_committed_2023_has_no_errors_and_the_known_warnings():
    _t, findings = check_dir(TARGETS_2023, 2023)
    assert codes(findings, ERROR) == []
    warn = codes(findings, WARNING)
    assert warn.count("period_cut") == 3          # 正面报道和市政府认, …差异少于, …专业媒体报道
    assert "duplicate" in warn                    # 参展人数增长率 twice in 台博会经费
    assert "period_years" in warn                 # 实施周期 2021–2021 with a 2023 budget
    assert "period_invalid" in warn               # 业务平台设备故障次数 as a period value


def test_cli_check_exit_codes(tmp_path, capsys):
    assert cli.main(["check", "2023", "--dir", str(TARGETS_2023)]) == 0
    out = capsys.readouterr().out
    assert "0 个错误" in out and out.count("警告：") >= 5
    d = tmp_path / "2023"
    shutil.copytree(TARGETS_2023, d)
    f = d / "indicators.csv"
    lines = f.read_text(encoding="utf-8").splitlines()
    fields = lines[1].split(",")
    fields[7] = ""
    lines[1] = ",".join(fields)
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli.main(["check", "2023", "--dir", str(d)]) == 1
    out = capsys.readouterr().out
    assert "错误：" in out and "indicators.csv › 第2行" in out and "指标值为空" in out


# ---------------------------------------------------------------------------------------------
# every rule is a documented unit: its examples are run
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_breaks_on_its_bad_example_and_not_on_its_good_one(code):
    r = RULES[code]
    assert r.summary and r.scope in ("indicator", "project")
    bad = check_targets(r.bad.targets(), 2023)
    assert code in codes(bad), f"{code} did not fire on its bad example: {codes(bad)}"
    assert all(f.severity == r.severity for f in bad if f.code == code)
    good = check_targets(r.good.targets(), 2023)
    assert code not in codes(good), f"{code} fired on its good example: {[f.message for f in good]}"


def test_cli_lists_the_rules_with_examples(capsys):
    assert cli.main(["check", "--list"]) == 0
    out = capsys.readouterr().out
    for code, r in RULES.items():
        assert code in out and r.summary in out
    assert "反例" in out and "正例" in out
