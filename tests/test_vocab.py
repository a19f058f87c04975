"""The closed vocabularies live in scoring/vocab.py only: no module spells their labels again."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import scoring
from helpers import parsed
from scoring import vocab
from scoring.language.lexicon import default_lexicon
from scoring.language.units import TIME_UNITS, is_duration

SCORING = Path(scoring.__file__).parent
CHINESE_LABELS = {str(m) for e in (vocab.Verdict, vocab.Likelihood, vocab.WarningLevel) for m in e} | {
    str(vocab.Severity.ERROR), str(vocab.Severity.WARNING), vocab.UNFILLED, vocab.NOT_ASSESSED}
# the same words with another meaning: a clerk's answer in a review rule's example rows, the label of the
# importer's finding code "ambiguous", and the header of the monitor's 预警 column
OTHER_MEANINGS = {
    ("review/score_rules.py", "达成"), ("review/indicator_rules.py", "达成"), ("review/reviewed.py", "未达成"),
    ("importer/report.py", "无法判定"), ("reports/monitor_report.py", "预警"),
}


def _modules():
    files = sorted(p for p in SCORING.rglob("*.py") if p.name != "vocab.py")
    assert len(files) > 100  # the walk found the package
    return [(p.relative_to(SCORING).as_posix(), parsed(p)) for p in files]


def test_no_module_spells_a_label_of_a_vocabulary():
    spelled = [(name, node.lineno, node.value) for name, tree in _modules() for node in ast.walk(tree)
               if isinstance(node, ast.Constant) and node.value in CHINESE_LABELS
               and (name, node.value) not in OTHER_MEANINGS]
    assert spelled == [], "use the members of scoring.vocab instead of these literals"


def _kind_name(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id.endswith("kind")) or (
        isinstance(node, ast.Attribute) and node.attr == "kind")


def test_no_module_compares_a_kind_with_a_raw_string():
    kinds = {str(k) for k in vocab.TargetKind}
    raw = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and _kind_name(node.left):
                for right in node.comparators:
                    values = right.elts if isinstance(right, ast.Tuple | ast.List | ast.Set) else [right]
                    raw += [(name, node.lineno, v.value) for v in values
                            if isinstance(v, ast.Constant) and v.value in kinds]
    assert raw == [], "compare target kinds with vocab.TargetKind members"


def test_the_checks_above_can_fail():
    tree = ast.parse('if c.kind == "range" and v == "达成":\n    pass')
    compares = [n for n in ast.walk(tree) if isinstance(n, ast.Compare)]
    assert _kind_name(compares[0].left)
    assert any(isinstance(n, ast.Constant) and n.value in CHINESE_LABELS for n in ast.walk(tree))


def test_members_are_the_stored_strings():
    assert [str(v) for v in vocab.ALL] == ["达成", "部分达成", "未达成", "无法判定"]
    assert vocab.VERDICT_NAMES == tuple(vocab.ALL) and all(type(v) is str for v in vocab.VERDICT_NAMES)
    assert [vocab.VERDICT_CODE[v] for v in vocab.ALL] == [0, 1, 2, 3]
    assert {k: k.label for k in vocab.TargetKind}["quantitative"] == "定量"


@pytest.mark.parametrize("likelihood, warning", [("确定能", "正常"), ("有可能", "关注"), ("不可能", "预警")])
def test_likelihood_gives_its_warning(likelihood, warning):
    assert vocab.Likelihood(likelihood).warning == warning


def test_bare_duration_units_are_units_of_time():
    """words.yaml's at_most_units (a policy: which durations a bare value reads as 不超过) names only
    units of time as units.txt defines them."""
    at_most = default_lexicon().at_most_units
    assert at_most and set(at_most) <= TIME_UNITS
    assert TIME_UNITS - set(at_most) == {"年"}
    assert all(is_duration(u) for u in at_most) and not is_duration("次/天")
