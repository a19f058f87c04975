"""Issue 29: characters that only look like digits or comparisons, in target texts and in actuals.
Folded where the meaning is certain (recorded as an assumption), refused (无法判定 with the reason)
where it is not; never read as another number in silence."""

from __future__ import annotations

import json

import pytest

from helpers import run_cli
from scoring.language.expressions import parse

FOLDED_TARGETS = [("≯5次", "<=", 5, "≯"), ("≮5次", ">=", 5, "≮"), ("≥1O0%", ">=", 100, "字母“O”"),
                  ("不少于2O0场", ">=", 200, "字母“O”"), ("≤9.l5%", "<=", 9.15, "字母“l”")]
REFUSED = ["不少于2O场", "≥l00%", ">9O%", "≥10O人次", "O.5%", "95,5%", "95.5.5%", "≥9S%", "1,5万人", "≥1OO%"]
UNCHANGED = [("≥95%", ">=", 95), ("≥1,000人", ">=", 1000), ("≥12,345.6元", ">=", 12345.6), ("覆盖5G基站≥30个", ">=", 30),
             ("≥50lx", ">=", 50)]


@pytest.mark.parametrize(("text", "op", "value", "note"), FOLDED_TARGETS)
def test_a_certain_lookalike_in_a_target_is_folded_and_recorded(text: str, op: str, value: float, note: str) -> None:
    c = parse(text)
    assert (c.kind, c.op, c.value) == ("quantitative", op, value)
    assert any(note in a for a in c.assumptions), c.assumptions


@pytest.mark.parametrize("text", REFUSED)
def test_an_uncertain_number_in_a_target_is_refused_with_the_reason(text: str) -> None:
    c = parse(text)
    assert c.kind == "invalid" and "无法确定" in c.reason, (c.kind, c.op, c.value, c.reason)


@pytest.mark.parametrize(("text", "op", "value"), UNCHANGED)
def test_ordinary_numbers_are_read_as_before(text: str, op: str, value: float) -> None:
    c = parse(text)
    assert (c.op, c.value) == (op, value) and not any("形似" in a for a in c.assumptions)


def test_score_parse_shows_the_fold_and_the_refusal(capsys) -> None:
    code, out, err = run_cli(["parse", "--json", "≯5次", "≥l00%"], capsys)
    assert code == 0, err
    folded, refused = (json.loads(line) for line in out.splitlines())
    assert folded["op"] == "<=" and any("≯" in a for a in folded["assumptions"])
    assert refused["kind"] == "invalid" and "l" in refused["reason"]


@pytest.mark.parametrize("actual", ["95,5%", "95.5.5%", "1,5", "l00%", "9O%", "≥9S%", "1OO%"])
def test_an_uncertain_actual_is_not_read_as_another_number(capsys, actual: str) -> None:
    code, out, err = run_cli(["rate", "--target", "≥90%", "--actual", actual, "--json"], capsys)
    assert code == 0, err
    r = json.loads(out)
    assert r["verdict"] == "无法判定" and r["score"] == 0 and "无法确定" in r["explanation"], r


def test_a_certain_lookalike_in_an_actual_is_folded_and_recorded(capsys) -> None:
    code, out, err = run_cli(["rate", "--target", "≥90%", "--actual", "1O0%", "--json"], capsys)
    assert code == 0, err
    r = json.loads(out)
    assert r["verdict"] == "达成" and any("字母“O”" in a for a in r["assumptions"]), r
