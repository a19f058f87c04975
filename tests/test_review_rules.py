"""Each review rule fires on its own example and stays silent on its clean one, scored end to end: the
example becomes a targets folder and an actuals workbook (as a unit and a reviewer fill it), ``score
review``'s :func:`review_year` scores it with the real pipeline and runs the rules."""

from __future__ import annotations

import pytest
from review_fixtures import write_example

from scoring.pipeline import review_year
from scoring.review.catalog import describe_rules, load_rules
from scoring.review.examples import CLEAN
from scoring.review.registry import LEVELS, Example

ISSUE_RULES = {"evidence_missing": "P1", "satisfaction_no_survey": "P1", "all_full_marks": "P2",
               "execution_output_gap": "P1", "target_too_low": "P2", "reason_missing": "P1", "copied_text": "P2",
               "cost_direction": "P1", "duplicate_indicator": "P2", "money_as_quantity": "P2"}

RULES = load_rules()


def _review(example: Example, tmp_path):
    targets, book = write_example(example, tmp_path)
    return review_year(2023, targets_dir=targets, actuals_path=book)


def test_the_issue_rules_and_p0_rules_are_registered_with_their_levels():
    for code, level in ISSUE_RULES.items():
        assert RULES[code].level == level, code
    p0 = {c for c, r in RULES.items() if r.level == "P0"}
    assert {"actual_missing", "unsupported_score", "deviation"} <= p0
    for r in RULES.values():
        assert r.level in LEVELS and r.title and r.checks and r.why and r.fix, r.code


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_fires_on_its_example(code, tmp_path):
    found = [f for f in _review(RULES[code].fires, tmp_path).findings if f.code == code]
    assert found, f"{code} did not fire on its example"
    f = found[0]
    assert f.level == RULES[code].level and f.message and f.basis and f.where and f.project
    assert f.hint == RULES[code].fix


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_stays_silent_on_its_clean_example(code, tmp_path):
    found = [f.message for f in _review(RULES[code].silent, tmp_path).findings if f.code == code]
    assert found == []


def test_the_clean_project_has_nothing_for_a_reviewer(tmp_path):
    review = _review(CLEAN, tmp_path)
    assert [f.code for f in review.findings] == []
    assert review.counts() == {"P0": 0, "P1": 0, "P2": 0}
    assert not review.reviewed and review.projects["review_total"].isna().all()


def test_findings_point_at_the_indicators_cell(tmp_path):
    review = _review(RULES["evidence_missing"].fires, tmp_path)
    f = next(f for f in review.findings if f.code == "evidence_missing")
    assert f.indicator_id == "PR0001-0000" and f.indicator == "开展培训场次"
    assert f.where.endswith("指标实际值 › G2")


def test_deviation_is_self_minus_review_over_self(tmp_path):
    review = _review(RULES["deviation"].fires, tmp_path)
    p = review.projects.iloc[0]
    assert p["reviewed"] and p["review_total"] < p["total"]
    assert p["deviation"] == pytest.approx((p["total"] - p["review_total"]) / p["total"])
    assert review.notes  # how the blank 复核完成值 counted is said, not assumed silently


def test_a_blank_review_cell_keeps_the_units_value(tmp_path):
    review = _review(RULES["review_changed"].fires, tmp_path)
    ind = review.data.indicators
    untouched = ind[~ind["review_filled"]]
    assert len(untouched) and (untouched["review_score"] == untouched["score"]).all()
    assert review.projects.iloc[0]["review_total"] == pytest.approx(
        review.projects.iloc[0]["total"] - (ind["score"] - ind["review_score"]).sum())


def test_thresholds_come_from_the_profile(tmp_path):
    rules = tmp_path / "strict.yaml"
    rules.write_text("extends: national\nreview:\n  over_ratio: 110\n", encoding="utf-8")
    targets, book = write_example(RULES["target_too_low"].silent, tmp_path)  # 5 of ≥4: 125 %
    assert not [f for f in review_year(2023, targets_dir=targets, actuals_path=book).findings
                if f.code == "target_too_low"]
    found = [f for f in review_year(2023, targets_dir=targets, actuals_path=book, rules=str(rules)).findings
             if f.code == "target_too_low"]
    assert found and "125%" in found[0].message


def test_only_the_named_rules_run(tmp_path):
    targets, book = write_example(RULES["evidence_missing"].fires, tmp_path)
    review = review_year(2023, targets_dir=targets, actuals_path=book, codes=["reason_missing"])
    assert [r.code for r in review.rules] == ["reason_missing"] and review.findings == []


def test_the_list_names_every_rule_with_its_examples():
    text = describe_rules()
    for code in RULES:
        assert f"{code}（{RULES[code].level}" in text
    assert text.count("\n  会发现：") == len(RULES) == text.count("\n  不会发现：")


def test_a_bare_satisfaction_is_a_finding_whatever_the_profile_scores_it(tmp_path):
    """Scored by band (the national profile) or not at all (a profile that wants a survey figure): found either way."""
    from scoring.review.indicator_rules import satisfaction_no_survey

    data = _review(RULES["satisfaction_no_survey"].fires, tmp_path).data
    banded = list(satisfaction_no_survey(data))
    ind = data.indicators
    row = ind.index[ind["level1"] == "满意度指标"][0]
    ind.loc[row, ["verdict", "score"]] = ["无法判定", 0.0]  # as a profile that does not score it leaves it
    unscored = list(satisfaction_no_survey(type(data)(data.year, data.profile, data.label, ind, data.projects)))
    assert len(banded) == len(unscored) == 1
    assert "10.00/10 分缺乏依据" in banded[0].message and "无法据以评分" in unscored[0].message
