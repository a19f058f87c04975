"""Rubric profiles: the shipped files load, `extends:` resolves, and bad files fail in Chinese
naming the file and the key."""

from __future__ import annotations

import textwrap
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.findings import ScoreError
from scoring.rounding import round_half_up, round_half_up_array
from scoring.rubric.profile_file import available_profiles, load_profile


def write(tmp_path, name: str, body: str):
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def child(tmp_path, body: str, name: str = "custom"):
    """A profile extending the national one, in a temporary directory."""
    return write(tmp_path, name, "extends: national\n" + textwrap.dedent(body))


def error_of(path) -> ScoreError:
    with pytest.raises(ScoreError) as exc:
        load_profile(path)
    return exc.value


# ---------------------------------------------------------------------------------------------
# the shipped profiles
# ---------------------------------------------------------------------------------------------

def test_shipped_profiles_are_listed_and_words_is_not_a_profile():
    names = available_profiles()
    assert {"national", "sichuan", "integrated"} <= set(names)
    assert "words" not in names


def test_national_profile_says_what_the_page_says():
    p = load_profile()  # the default
    assert p.name == "national"
    assert p.weights.budget == 10
    assert dict(p.weights.level1) == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert p.weights.split == "level3"
    assert dict(p.weights.redistribute)["满意度指标"] == (("产出指标", 50), ("效益指标", 30))
    assert p.at_most == "inverse"
    assert p.over_threshold == 130 and p.over_deduction == 0 and p.over_require_reason
    assert [(b.name, b.min, b.max, b.default) for b in p.bands] == [
        ("达成", 80, 100, 100), ("部分达成", 60, 80, 70), ("未达成", 0, 60, 30)]
    assert [(g.name, g.min) for g in p.grades] == [("优", 90), ("良", 80), ("中", 60), ("差", 0)]
    assert p.decimals == 2 and p.caps == () and p.reason_below == 90


def test_sichuan_overrides_only_its_three_settings():
    n, s = load_profile("national"), load_profile("sichuan")
    assert s.chain == ("sichuan", "national")
    assert s.at_most == "linear"
    assert dict(s.weights.redistribute)["满意度指标"] == (("产出指标", 1),)
    assert [(g.name, g.min) for g in s.grades] == [("优", 80), ("良", 70), ("中", 60), ("差", 0)]
    assert (s.bands, s.over_threshold, s.over_deduction, s.caps, s.weights.level1) == \
        (n.bands, n.over_threshold, n.over_deduction, n.caps, n.weights.level1)


def test_integrated_has_the_deduction_and_the_caps():
    p = load_profile("integrated")
    assert p.over_deduction == 2
    assert [(c.rate_min, c.rate_below, c.max_total) for c in p.caps] == [
        (0, 50, 59), (50, 60, 69), (60, 70, 79), (70, 80, 89)]
    assert p.at_most == "inverse"


def test_profile_by_path_and_name_are_the_same(tmp_path):
    from scoring.rubric.profile import RULES_DIR

    assert load_profile(RULES_DIR / "national.yaml") == load_profile("national")


def test_grade_of_a_total():
    n, s = load_profile("national"), load_profile("sichuan")
    assert [n.grade(x) for x in (100, 90, 89.99, 80, 79.99, 60, 59.99, 0)] == ["优", "优", "良", "良", "中", "中", "差", "差"]
    assert [s.grade(x) for x in (100, 80, 79.99, 70, 69.99, 60, 59.99)] == ["优", "优", "良", "良", "中", "中", "差"]


# ---------------------------------------------------------------------------------------------
# every variant on the page is expressible
# ---------------------------------------------------------------------------------------------

def test_variant_split_by_level2_and_budget_20(tmp_path):
    path = child(tmp_path, """
        weights:
          budget: 20
          level1: {产出指标: 40, 效益指标: 30, 满意度指标: 10}
          split: level2
        """)
    p = load_profile(path)
    assert p.weights.budget == 20 and p.weights.split == "level2"
    assert dict(p.weights.level1)["产出指标"] == 40


def test_words_override_reaches_the_lexicon(tmp_path):
    path = child(tmp_path, """
        words:
          qualitative:
            positive: [圆满完成, 成效显著]
        """)
    p = load_profile(path)
    assert "成效显著" in p.lexicon.positive
    assert p.lexicon.negative == load_profile().lexicon.negative


def test_a_child_of_a_child(tmp_path):
    child(tmp_path, "quantitative: {at_most: linear}\n", name="mid")
    path = write(tmp_path, "leaf", "extends: mid\ngrades:\n  优: {min: 85, max: 100}\n  良: {min: 0, max: 85}\n")
    p = load_profile(path)
    assert p.chain == ("leaf", "mid", "national")
    assert p.at_most == "linear" and [g.name for g in p.grades] == ["优", "良"]


# ---------------------------------------------------------------------------------------------
# validation: a Chinese error naming the file and the key
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("body, key, words", [
    ("weights: {bugdet: 10}\n", "weights.bugdet", "未知的键"),
    ("scoring: {}\n", "scoring", "未知的键"),
    ("qualitative: {bands: {达成: {min: 80, max: 100, default: 100, extra: 1}}}\n", "qualitative.bands.达成.extra", "未知的键"),
    ("weights: {budget: 20}\n", "weights.level1", "分值合计应为 100"),
    ("weights: {level1: {产出指标: 60}}\n", "weights.level1", "= 110"),
    ("""qualitative:
         bands:
           达成: {min: 80, max: 100, default: 100}
           部分达成: {min: 50, max: 85, default: 70}
           未达成: {min: 0, max: 50, default: 30}
     """, "qualitative.bands", "重叠"),
    ("""qualitative:
         bands:
           达成: {min: 80, max: 100, default: 100}
           部分达成: {min: 60, max: 70, default: 65}
           未达成: {min: 0, max: 60, default: 30}
     """, "qualitative.bands", "空档"),
    ("""qualitative:
         bands:
           达成: {min: 80, max: 100, default: 100}
           部分达成: {min: 60, max: 80, default: 90}
           未达成: {min: 0, max: 60, default: 30}
     """, "qualitative.bands.部分达成.default", "不在本档"),
    ("""grades:
         优: {min: 90, max: 100}
         良: {min: 75, max: 90}
         中: {min: 60, max: 80}
         差: {min: 0, max: 60}
     """, "grades", "重叠"),
    ("""grades:
         优: {min: 90, max: 100}
         良: {min: 80, max: 90}
         差: {min: 0, max: 60}
     """, "grades", "空档"),
    ("quantitative: {at_most: square}\n", "quantitative.at_most", "只能是"),
    ("over_achievement: {threshold: 90}\n", "over_achievement.threshold", "之间"),
    ("weights: {redistribute: {满意度指标: {成果指标: 1}}}\n", "weights.redistribute.满意度指标.成果指标", "另一个"),
    ("""budget:
         caps:
           - {rate_min: 60, rate_below: 80, max_total: 89}
           - {rate_min: 70, rate_below: 75, max_total: 79}
     """, "budget.caps", "重叠"),
    ("rounding: {decimals: 2.5}\n", "rounding.decimals", "整数"),
    ("words: {qualitative: {postive: [好]}}\n", "words", "未知的键"),
])
def test_bad_profiles_name_file_and_key(tmp_path, body, key, words):
    path = child(tmp_path, body)
    err = error_of(path)
    assert str(path) in err.where, err.render()
    assert key in err.render(), err.render()
    assert words in err.message, err.render()


def test_bad_extends_and_cycles(tmp_path):
    err = error_of(write(tmp_path, "orphan", "extends: nowhere\n"))
    assert "extends" in err.where and "不存在" in err.message
    write(tmp_path, "a", "extends: b\n")
    write(tmp_path, "b", "extends: a\n")
    err = error_of(tmp_path / "a.yaml")
    assert "循环" in err.message


def test_missing_file_and_bad_yaml(tmp_path):
    err = error_of("no-such-profile")
    assert "找不到" in err.message and "national" in err.hint
    err = error_of(write(tmp_path, "broken", "weights: [1, 2\n"))
    assert "YAML" in err.message and "broken.yaml" in err.where
    err = error_of(write(tmp_path, "list", "- 1\n- 2\n"))
    assert "映射" in err.message


def test_a_profile_without_extends_must_be_complete(tmp_path):
    err = error_of(write(tmp_path, "bare", "name: bare\nweights: {budget: 10}\n"))
    assert "缺少设置" in err.message and "weights.level1" in err.where


# ---------------------------------------------------------------------------------------------
# rounding: 四舍五入, not banker's rounding
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("x, expected", [(2.675, 2.68), (1.005, 1.01), (0.125, 0.13), (2.5, 2.5), (8.333333, 8.33),
                                         (16.665, 16.67), (0.0, 0.0), (9.995, 10.0), (1.0049999, 1.0)])
def test_round_half_up(x, expected):
    assert round_half_up(x) == expected
    assert round_half_up_array(np.array([x]))[0] == expected


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=5))
def test_array_rounding_equals_decimal_rounding(units, extra):
    # a decimal with 2 + extra places, as a float
    x = units / 10 ** (2 + extra)
    expected = float(Decimal(repr(x)).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"))
    assert round_half_up(x) == expected
    assert round_half_up_array(np.array([x]))[0] == expected
