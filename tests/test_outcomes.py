"""The scoring rubric as documented cases: ``tests/outcomes/*.yaml``, one file per area of the rules.

Each file quotes the written rule it documents (``rule:``) and lists ``cases:``, each a target, an actual,
a weight and a profile with the verdict and score the written rules give (checked by hand against
``scoring-rules.md``, ``target-expressions.md``, the README and ``rules/*.yaml``; the rules, not the code,
are the authority). Every case is scored through the engine's public entry the way ``score rate`` does:
one indicator frame per (profile, year) for all the cases, one call to
:func:`scoring.rubric.engine.score_indicators`, then the rows are compared one by one.

A case's keys (anything else is an error, so a typo cannot make a case pass silently):

- ``name`` (unique in its file), ``indicator`` (三级指标), ``target`` (年度指标值), ``actual`` (the cell as
  Excel would give it: a text, a number, a date, a boolean or null), ``weight``, ``verdict``, ``score``
  (2 decimals, half up) are required;
- ``actual_is_percent`` (the cell has a percent number format), ``baseline`` (基数), ``profile`` (a rule
  name, default ``national``, or a file under ``tests/outcomes/``), ``year`` (评价年度) are optional inputs;
- ``explanation``, ``assumption``, ``flag`` (a fragment, or a list of fragments, that the explanation, one
  of the assumptions, one of the flags must contain), ``no_assumption``, ``no_flag`` (fragments that none
  may contain) are optional checks.

Cases on which the code disagrees with the written rules are not in these files: they are listed in
``tests/outcomes/DISAGREEMENTS.md`` (a ``disagreements:`` list in a ```yaml block, each with the rule, the
expected result and what the code gives) and run here as strict expected failures, so that the day the
code follows the rule the case is moved into its file.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from scoring.findings import ScoreError
from scoring.rubric.engine import score_indicators
from scoring.rubric.profile_file import load_profile
from scoring.vocab import ALL, TargetKind
from scoring.yaml_input import load_yaml, parse_yaml, read_text

OUTCOMES = Path(__file__).parent / "outcomes"
DISAGREEMENTS = OUTCOMES / "DISAGREEMENTS.md"
VERDICTS = tuple(str(v) for v in ALL)
SCALAR = (str, int, float, bool, dt.date, dt.datetime, type(None))
FRAGMENTS = ("explanation", "assumption", "flag", "no_assumption", "no_flag")
REQUIRED = ("name", "indicator", "target", "actual", "weight", "verdict", "score")
OPTIONAL = ("actual_is_percent", "baseline", "profile", "year", *FRAGMENTS)
DISAGREEMENT_KEYS = ("area", "rule", "code")  # where the case belongs, the rule's text, what the code gives
FILE_KEYS = ("rule", "cases")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Case:
    source: str  # the file's name (the first part of the test id)
    fields: dict

    @property
    def id(self) -> str:
        return f"{self.source}::{self.fields['name']}"

    def fragments(self, key: str) -> list[str]:
        value = self.fields.get(key, [])
        return [value] if isinstance(value, str) else list(value)


def _problems(case: object, where: str, extra: tuple[str, ...] = ()) -> list[str]:
    """What is wrong with one case (empty when it is well formed)."""
    if not isinstance(case, dict):
        return [f"{where}: a case is a mapping, not {type(case).__name__}"]
    out = [f"{where}: unknown key {k!r}" for k in case if k not in REQUIRED + OPTIONAL + extra]
    out += [f"{where}: missing key {k!r}" for k in REQUIRED + extra if k not in case]
    checks = {
        "name": lambda v: isinstance(v, str) and v.strip() != "",
        "indicator": lambda v: isinstance(v, str),
        "target": lambda v: isinstance(v, str),
        "actual": lambda v: isinstance(v, SCALAR),
        "actual_is_percent": lambda v: isinstance(v, bool),
        "weight": lambda v: _number(v) and v > 0,
        "baseline": _number,
        "profile": lambda v: isinstance(v, str) and v.strip() != "",
        "year": lambda v: isinstance(v, int) and not isinstance(v, bool) and 1900 < v < 2200,
        "verdict": lambda v: v in VERDICTS,
        "score": lambda v: _number(v) and v >= 0 and Decimal(str(v)) == Decimal(str(v)).quantize(CENT),
        **{k: lambda v: (isinstance(v, str) and v != "") or (isinstance(v, list) and v != [] and all(
            isinstance(x, str) and x != "" for x in v)) for k in FRAGMENTS},
        **{k: lambda v: isinstance(v, str) and v.strip() != "" for k in extra},
    }
    out += [f"{where}: {k!r} cannot be {case[k]!r}" for k, ok in checks.items() if k in case and not ok(case[k])]
    if not out and case["score"] > case["weight"]:
        out.append(f"{where}: score {case['score']} is above the weight {case['weight']}")
    return out


def _number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def load_file(path: Path) -> tuple[list[Case], list[str]]:
    """The cases of one fixture file and what is wrong with it."""
    try:
        data = load_yaml(path, what="评分用例文件")
    except ScoreError as exc:
        return [], [f"{path.name}: {exc}"]
    if not isinstance(data, dict):
        return [], [f"{path.name}: the top level is a mapping with {' and '.join(FILE_KEYS)}"]
    problems = [f"{path.name}: unknown top-level key {k!r}" for k in data if k not in FILE_KEYS]
    if not isinstance(data.get("rule"), str) or not data["rule"].strip():
        problems.append(f"{path.name}: 'rule' (the written rule the file documents) is missing")
    cases = data.get("cases")
    if not isinstance(cases, list) or not cases:
        return [], [*problems, f"{path.name}: a fixture file needs a non-empty 'cases' list"]
    return _cases(path.name, cases, problems)


def _cases(source: str, raw: list, problems: list[str], extra: tuple[str, ...] = ()) -> tuple[list[Case], list[str]]:
    good, names = [], set()
    for k, case in enumerate(raw, start=1):
        found = _problems(case, f"{source} case {k}", extra)
        if not found and case["name"] in names:
            found = [f"{source} case {k}: the name {case['name']!r} is used twice"]
        problems += found
        if not found:
            names.add(case["name"])
            good.append(Case(source, case))
    return good, problems


def load_disagreements() -> tuple[list[Case], list[str]]:
    """The ``disagreements:`` list in the ```yaml blocks of DISAGREEMENTS.md (none when the file is absent)."""
    if not DISAGREEMENTS.exists():
        return [], []
    blocks = re.findall(r"^```yaml\n(.*?)^```", read_text(DISAGREEMENTS, "分歧说明"), flags=re.M | re.S)
    raw: list = []
    for block in blocks:
        data = parse_yaml(block, DISAGREEMENTS, what="分歧说明")
        if not isinstance(data, dict) or set(data) != {"disagreements"} or not isinstance(data["disagreements"], list):
            return [], [f"{DISAGREEMENTS.name}: each yaml block is a mapping with one key, 'disagreements', a list"]
        raw += data["disagreements"]
    return _cases(DISAGREEMENTS.name, raw, [], DISAGREEMENT_KEYS)


FILES = sorted(OUTCOMES.glob("*.yaml"))
LOADED = [load_file(p) for p in FILES]
CASES = [c for cases, _ in LOADED for c in cases]
PROBLEMS = [p for _, problems in LOADED for p in problems]
DISAGREED, DISAGREEMENT_PROBLEMS = load_disagreements()


def test_fixture_files_are_well_formed():
    assert FILES, f"no fixture files in {OUTCOMES}"
    assert not PROBLEMS + DISAGREEMENT_PROBLEMS, "\n".join(PROBLEMS + DISAGREEMENT_PROBLEMS)


def test_the_schema_refuses_typos_and_empty_files(tmp_path):
    case = "  - {name: a, indicator: 完成率, target: ≥90%, actual: 95%, weight: 10, verdict: 达成, score: 10"
    files = {
        "typo.yaml": f"rule: r\ncases:\n{case}, verdcit: 达成}}\n",
        "missing.yaml": "rule: r\ncases:\n  - {name: a, indicator: x, target: ≥1次, actual: 1, weight: 10, score: 10}\n",
        "empty.yaml": "rule: r\ncases: []\n",
        "bad.yaml": f"rule: r\ncases:\n{case}}}\n{case[:-9]}score: 10.005, flag: []}}\n",
        "twice.yaml": f"rule: r\ncases:\n{case}}}\n{case}}}\n",
        "good.yaml": f"rule: r\ncases:\n{case}}}\n",
    }
    found = {}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        cases, problems = load_file(tmp_path / name)
        found[name] = (len(cases), " | ".join(problems))
    assert "unknown key 'verdcit'" in found["typo.yaml"][1]
    assert "missing key 'verdict'" in found["missing.yaml"][1]
    assert "non-empty 'cases'" in found["empty.yaml"][1]
    assert "'flag' cannot be []" in found["bad.yaml"][1] and "'score' cannot be 10.005" in found["bad.yaml"][1]
    assert "is used twice" in found["twice.yaml"][1]
    assert found["good.yaml"] == (1, "")


def test_disagreements_belong_to_an_area():
    areas = {p.name for p in FILES}
    wrong = [c.id for c in DISAGREED if c.fields["area"] not in areas]
    assert not wrong, f"the 'area' of these disagreements names no fixture file: {wrong}"


def _profile(name: str):
    path = OUTCOMES / name
    return load_profile(path if name.endswith((".yaml", ".yml")) else name)


@cache
def _scored(group: str) -> dict[str, dict]:
    """Every case of the fixtures (or of the disagreements) scored: case id → the engine's row.
    One frame and one engine call per (profile, year)."""
    cases = CASES if group == "fixtures" else DISAGREED
    by_run: dict[tuple[str, int | None], list[Case]] = {}
    for c in cases:
        by_run.setdefault((c.fields.get("profile", "national"), c.fields.get("year")), []).append(c)
    rows: dict[str, dict] = {}
    for (profile, year), run in by_run.items():
        f = [c.fields for c in run]
        frame = pd.DataFrame({
            "id": range(1, len(run) + 1), "project": [c.id for c in run], "level1": "", "level2": "",
            "level3": [x["indicator"] for x in f], "annual_value": [x["target"] for x in f],
            "weight": [float(x["weight"]) for x in f], "actual": pd.Series([x["actual"] for x in f], dtype=object),
            "actual_is_percent": [x.get("actual_is_percent", False) for x in f], "reason_text": "", "cell": "",
            "baseline": [float(x.get("baseline", math.nan)) for x in f],
        })
        scored = score_indicators(frame, None, _profile(profile), year).indicators
        rows.update(zip((c.id for c in run), scored.to_dict("records"), strict=True))
    return rows


def _mismatches(case: Case, row: dict) -> list[str]:
    """How the engine's row differs from what the case expects (empty when it agrees)."""
    f = case.fields
    got = Decimal(repr(float(row["score"]))).quantize(CENT, rounding=ROUND_HALF_UP)
    out = []
    if row["verdict"] != f["verdict"]:
        out.append(f"verdict {row['verdict']}, expected {f['verdict']}")
    if got != Decimal(str(f["score"])).quantize(CENT):
        out.append(f"score {got}, expected {f['score']}")
    texts = {"explanation": [row["explanation"]], "assumption": list(row["assumptions"]), "flag": list(row["flags"])}
    for key, have in texts.items():
        out += [f"no {key} contains {frag!r}" for frag in case.fragments(key) if not any(frag in t for t in have)]
        out += [f"a {key} contains {frag!r}" for frag in case.fragments(f"no_{key}") if any(frag in t for t in have)]
    if out:
        out.append(f"engine: {row['verdict']} {row['score']} | {row['explanation']} | assumptions {row['assumptions']}"
                   f" | flags {row['flags']}")
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_outcome(case: Case):
    wrong = _mismatches(case, _scored("fixtures")[case.id])
    assert not wrong, "\n".join(wrong)


def test_fixtures_cover_every_target_kind():
    """Every kind of 指标值 the parser knows has a documented outcome (a new kind needs its fixture)."""
    rows = _scored("fixtures")
    covered = {str(rows[c.id]["comparator"].kind) for c in CASES}
    assert covered == {str(k) for k in TargetKind}, f"no fixture for the target kinds {sorted({str(k) for k in TargetKind} - covered)}"


def _expected_to_fail(c: Case):
    return pytest.param(c, id=c.id, marks=pytest.mark.xfail(strict=True, raises=AssertionError, reason=c.fields["code"]))


@pytest.mark.parametrize("case", [_expected_to_fail(c) for c in DISAGREED])
def test_disagreement_follows_the_rule(case: Case):
    """Fails while the code disagrees with the written rule; when it passes (XPASS, an error under strict),
    the code follows the rule: move the case into its ``area`` file and out of DISAGREEMENTS.md."""
    wrong = _mismatches(case, _scored("disagreements")[case.id])
    assert not wrong, "\n".join(wrong)
