"""A bare 满意 for a survey target (issue 28 item 11): a 问题清单 warning, and the profile's
``qualitative.satisfaction_without_survey`` decides its score, which 计算过程 shows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from scoring.findings import ScoreError
from scoring.problems import collect_problems
from scoring.rubric.engine import score_indicators
from scoring.rubric.profile_file import load_profile


def satisfaction(actual: object, profile=None, target: str = "≥95%"):
    df = pd.DataFrame([{"id": "P-1", "project": "项目", "level1": "满意度指标", "level2": "服务对象满意度指标",
                        "level3": "服务对象满意度", "annual_value": target, "weight": 10.0, "actual": actual,
                        "actual_is_percent": False, "reason_text": "", "cell": "a.xlsx › 指标实际值 › G2"}])
    return score_indicators(df, None, profile, 2023)


def profile_with(tmp_path: Path, value: str):
    path = tmp_path / "p.yaml"
    path.write_text(f"extends: national\nqualitative: {{satisfaction_without_survey: {value}}}\n", encoding="utf-8")
    return load_profile(path)


def test_a_bare_satisfied_is_a_listed_warning_and_its_arithmetic_says_why(tmp_path):
    scored = satisfaction("满意")
    row = scored.indicators.iloc[0]
    assert (row["verdict"], row["score"]) == ("达成", 10)  # national: scored by band, as the domain rules say
    assert "没有调查数据" in row["explanation"] and "satisfaction_without_survey" in row["explanation"]
    problems = [p for p in collect_problems(scored, [], []) if p.id == "P-1"]
    assert len(problems) == 1 and problems[0].severity == "警告" and "满意" in problems[0].message
    assert "调查" in problems[0].hint


def test_a_survey_figure_is_no_problem():
    scored = satisfaction(0.96 * 100)
    assert not [p for p in collect_problems(scored, [], []) if p.id == "P-1"]
    assert "satisfaction_without_survey" not in scored.indicators["explanation"].iat[0]


@pytest.mark.parametrize(("setting", "verdict", "score"), [
    ("band", "达成", 10), ("部分达成", "部分达成", 7), ("未达成", "未达成", 3), ("unreadable", "无法判定", 0),
])
def test_the_profile_decides_the_score_and_the_arithmetic_shows_the_setting(tmp_path, setting, verdict, score):
    row = satisfaction("满意", profile_with(tmp_path, setting)).indicators.iloc[0]
    assert (row["verdict"], row["score"]) == (verdict, score), row["explanation"]
    assert "satisfaction_without_survey" in row["explanation"] and "调查" in row["explanation"]


def test_a_worse_word_than_the_profiles_band_keeps_its_own_band(tmp_path):
    row = satisfaction("不满意", profile_with(tmp_path, "部分达成")).indicators.iloc[0]
    assert row["verdict"] == "未达成"


def test_an_unknown_setting_names_the_file_and_the_key(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("extends: national\nqualitative: {satisfaction_without_survey: 全部满分}\n", encoding="utf-8")
    with pytest.raises(ScoreError) as e:
        load_profile(path)
    assert "satisfaction_without_survey" in e.value.message + str(e.value.where) and "bad.yaml" in str(e.value.where)
