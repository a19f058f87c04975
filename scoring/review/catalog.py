"""Every review rule, registered: importing this module imports the rule modules (each registers its
rules with :func:`scoring.review.registry.rule`); :func:`selected` picks the rules to run, :func:`run_rules`
runs them over a scored year, :func:`describe_rules` prints them (``score review --list``)."""

from __future__ import annotations

from collections.abc import Iterable

from scoring.findings import ERROR, WARNING, Finding

# the rule modules register their rules as they are imported; within a level, in this order
from scoring.review import score_rules, reviewed, indicator_rules, project_rules  # noqa: F401  isort: skip
from scoring.review.examples import describe
from scoring.review.registry import RULES, ReviewFinding, ReviewRule


def load_rules() -> dict[str, ReviewRule]:
    """Every rule, registered (within a level, in the order its module registered it)."""
    return RULES


def selected(codes: Iterable[str] | None = None) -> list[ReviewRule]:
    """The rules to run, P0 first (then in the order they were registered): all of them, or those named
    (unknown names → ValueError naming them)."""
    load_rules()
    order = sorted(RULES.values(), key=lambda r: r.level)  # stable: registration order within a level
    if codes is None:
        return order
    wanted = set(codes)
    unknown = [c for c in dict.fromkeys(codes) if c not in RULES]
    if unknown:
        raise ValueError("、".join(unknown))
    return [r for r in order if r.code in wanted]


def run_rules(data, rules: Iterable[ReviewRule] | None = None) -> list[ReviewFinding]:
    """Every rule over the run's results (:class:`scoring.review.data.ReviewData`), findings in rule order."""
    out = []
    for r in (selected() if rules is None else rules):
        severity = ERROR if r.level == "P0" else WARNING
        for h in r.check(data):
            out.append(ReviewFinding(Finding(h.where, h.message, severity, r.fix, h.indicator_id or None, r.code),
                                     r.level, r.title, h.project, h.indicator, h.basis, data.unit_of(h.project)))
    return out



def describe_rules() -> str:
    """Every rule: code, level, what it checks, why, how to fix, its examples (``score review --list``)."""
    blocks = []
    for r in selected():
        blocks.append("\n".join((
            f"{r.code}（{r.level}，{r.title}）：{r.checks}",
            f"  为什么：{r.why}",
            f"  怎样整改：{r.fix}",
            f"  会发现：{describe(r.fires)}",
            f"  不会发现：{describe(r.silent)}",
        )))
    return "\n\n".join(blocks)
