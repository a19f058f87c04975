"""A check of ``score check`` is a rule: one documented unit with a code, a severity, a one-line
summary and two examples (a table that breaks it, one that keeps it), as sqlfluff keeps its rules.

A rule looks at one indicator (:class:`IndicatorCase`) or one project (:class:`ProjectCase`) and
yields ``(message, hint)`` or ``(message, hint, where)`` for every breach; the runner
(:mod:`scoring.checks.lint`) turns them into :class:`~scoring.findings.Finding` with the rule's
code and severity. The examples are data: the tests run every rule on both of them, and
``score check --list`` prints them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from scoring.language.comparator import Comparator
from scoring.language.lexicon import Lexicon
from scoring.targets.model import Targets, indicators_frame, projects_frame
from scoring.vocab import Severity, TargetKind

Row = tuple[str, str, str, str, str]  # 一级, 二级, 三级, 实施周期指标值, 当年度指标值
Breach = tuple[str, str | None] | tuple[str, str | None, str]

SATISFACTION_ROW: Row = ("满意度指标", "服务对象满意度指标", "满意度", "≥90%", "≥90%")


@dataclass(frozen=True)
class Example:
    """A one-project table in few words: its indicator rows, their 分值 (if given), project fields."""

    rows: tuple[Row, ...]
    weights: tuple[float | None, ...] | None = None
    project: tuple[tuple[str, object], ...] = ()
    criteria: tuple[str, ...] | None = None  # the rows' own 评分标准

    def targets(self, year: int = 2023) -> Targets:
        p = {"project_id": "PEXAMPLE", "project": "示例项目", "unit": "某局", "start_year": year,
             "end_year": year, "budget": 1000, "annual_goal": "年度目标"} | dict(self.project)
        recs = [{"id": f"PEXAMPLE-{i:04d}", "project_id": "PEXAMPLE", "project": p["project"], "level1": l1,
                 "level2": l2, "level3": l3, "period_value": pv, "annual_value": av,
                 "weight": None if self.weights is None else self.weights[i],
                 "criteria": "" if self.criteria is None else self.criteria[i]}
                for i, (l1, l2, l3, pv, av) in enumerate(self.rows)]
        return Targets(projects_frame([p]), indicators_frame(recs), year=year)


@dataclass(frozen=True)
class Rule:
    code: str
    scope: str  # "indicator" | "project"
    severity: Severity
    summary: str
    bad: Example
    good: Example
    check: Callable[..., Iterable[Breach]] = field(compare=False)


RULES: dict[str, Rule] = {}


def rule(code: str, scope: str, severity: Severity, summary: str, *, bad: Example, good: Example):
    """Register the decorated function as the rule ``code``."""

    def register(fn: Callable[..., Iterable[Breach]]):
        if code in RULES:
            raise ValueError(f"rule {code} registered twice")
        RULES[code] = Rule(code, scope, severity, summary, bad, good, fn)
        return fn

    return register


@dataclass
class IndicatorCase:
    """One indicator as the indicator rules see it: texts, the annual reading, the period reading."""

    where: str
    label: str
    level2: str
    level3: str
    period_text: str
    annual_text: str
    annual: Comparator
    year: int | None
    lexicon: Lexicon | None = None  # the word lists of the profile in force: the period value is read as the annual one
    criteria: str = ""  # the indicator's own 评分标准 as written
    weight: float = float("nan")  # its 分值 (NaN when the targets give none)

    @cached_property
    def period(self) -> Comparator | None:
        if not self.period_text:
            return None
        from scoring.language.expressions import parse

        return parse(self.period_text, self.level3 or None, self.year, self.lexicon)

    @property
    def period_cut(self) -> bool:
        """The period value is the annual one with its end cut off (PDF extraction)."""
        p, a = self.period_text, self.annual_text
        return len(p) >= 2 and a != p and a.startswith(p)

    @property
    def comparable(self) -> bool:
        """Both values read, the period one neither empty nor cut: they can be compared."""
        return (bool(self.period_text) and not self.period_cut and self.period is not None
                and self.period.kind != TargetKind.INVALID and self.annual.kind != TargetKind.INVALID)


@dataclass
class ProjectCase:
    """One project as the project rules see it: its row, its indicators' rows, where to point."""

    where: str
    name: str
    project: object  # the projects-frame row (a namedtuple)
    rows: list[int]
    level1: np.ndarray
    level3: np.ndarray
    weight: np.ndarray
    indicator_where: Callable[[int], str]
    year: int | None
