"""A review rule is a documented unit, as ``score check``'s rules are (:mod:`scoring.checks.rules`): a
code, a severity, what it checks, why a reviewer cares, how to fix it, and two examples — a
self-evaluation it fires on and one it stays silent on. The examples are data: the tests score each
one with the real engine and run the rule on the result, and ``score review --list`` prints them.

Why a registry of its own and not ``scoring.checks.rules.RULES``: a check rule reads the targets (its
example is a targets table, its severity 错误/警告), a review rule reads a scored run (its example
carries actuals, 佐证材料, budgets and a reviewer's values, its severity is the reviewer's P0/P1/P2),
and ``score check`` runs every rule of its registry. The shape — a decorator registering a function
with its examples — is the same.

A rule yields :class:`Hit` (project, indicator, place, message, basis); :func:`scoring.review.catalog.run_rules` turns each
into a :class:`ReviewFinding`, which carries a :class:`scoring.findings.Finding` (place, message, the
rule's fix as its hint, the indicator's id, the rule's code) and what a review adds: the level, the
project and the data the finding rests on (``basis``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from scoring.findings import Finding

LEVELS = {"P0": "得分错误或无法核实", "P1": "影响得分可信度", "P2": "质量问题"}


class Row(NamedTuple):
    """One indicator of an example: its place in the table, its target and what the unit (and a reviewer) wrote."""

    level1: str
    level2: str
    level3: str
    target: str
    actual: object
    reason: str = ""
    evidence: str = "工作台账"
    review: object = None  # 复核完成值
    note: str = ""  # 复核意见


@dataclass(frozen=True)
class Project:
    """One project of an example: its indicators and its budget execution (元)."""

    name: str
    rows: tuple[Row, ...]
    full_budget: float | None = 100_000
    spent: float | None = 96_000
    budget_reason: str = ""
    narrative: str = ""
    weights: tuple[float, ...] | None = None  # 分值 of the rows (None: the profile's default split)


@dataclass(frozen=True)
class Example:
    projects: tuple[Project, ...]


class Hit(NamedTuple):
    """What a rule found: where, about what, in a reviewer's words, and on what data."""

    project: str
    indicator_id: str
    indicator: str
    where: str
    message: str
    basis: str


@dataclass(frozen=True)
class ReviewRule:
    code: str
    level: str  # P0 | P1 | P2
    title: str  # the problem's name in a reviewer's list (佐证材料缺失)
    checks: str  # what it checks
    why: str  # why a reviewer cares
    fix: str  # how to fix it
    fires: Example
    silent: Example
    check: Callable[..., Iterable[Hit]] = field(compare=False)


RULES: dict[str, ReviewRule] = {}


def rule(code: str, level: str, title: str, *, checks: str, why: str, fix: str, fires: Example, silent: Example):
    """Register the decorated function ``check(data: ReviewData) -> Iterable[Hit]`` as the rule ``code``."""
    if level not in LEVELS:
        raise ValueError(f"rule {code}: level {level} is not one of {', '.join(LEVELS)}")

    def register(fn: Callable[..., Iterable[Hit]]):
        if code in RULES:
            raise ValueError(f"rule {code} registered twice")
        RULES[code] = ReviewRule(code, level, title, checks, why, fix, fires, silent, fn)
        return fn

    return register


@dataclass(frozen=True)
class ReviewFinding:
    """One finding of the review: the :class:`Finding` (place, message, fix, indicator id, rule code), its
    level, and what the JSON document and the reviewer's workbook show beside it."""

    finding: Finding
    level: str
    title: str
    project: str
    indicator: str
    basis: str
    unit: str = ""  # the workbook (unit) the project came from, in a folder's batch

    @property
    def code(self) -> str:
        return self.finding.code

    @property
    def where(self) -> str:
        return self.finding.where

    @property
    def message(self) -> str:
        return self.finding.message

    @property
    def hint(self) -> str:
        return self.finding.hint or ""

    @property
    def indicator_id(self) -> str:
        return self.finding.id or ""

    def to_json(self) -> dict:
        return {"code": self.code, "severity": self.level, "project": self.project or None,
                "indicator_id": self.indicator_id or None, "indicator": self.indicator or None,
                "where": self.where, "message": self.message, "basis": self.basis}
