"""The run's results as the review rules see them: plain data, read only.

:class:`ReviewData` holds the scored indicators and projects of ``score YEAR`` (the same frames the
reports read), with the 复核 columns added by :mod:`scoring.review.reviewed` (``reviewed``,
``review_*``, ``deviation``), and the few readings the rules share: each indicator's canonical 一级
and 二级, whether a text is a placeholder (``无``, ``/``), whether an answer is a bare verdict
(``达成``, ``满意``) rather than a fact. The words are data: ``rules/language/review.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache

import numpy as np
import pandas as pd

from scoring.actuals.values import read_actual
from scoring.actuals.workbook import SHEET_BUDGET
from scoring.findings import place
from scoring.language import levels
from scoring.language.comparator import cell_text
from scoring.language.numerals import fmt_number
from scoring.language.vocabulary import words
from scoring.rubric.profile import Profile
from scoring.rubric.sections.review import ReviewSettings
from scoring.vocab import Verdict

_TRIM = re.compile(r"^[\s。．.，,；;！!：:、]+|[\s。．.，,；;！!：:、]+$")
_BAND_SHARE = re.compile(r"\s*\d+(?:\.\d+)?\s*%$")


def plain(text: object) -> str:
    """A cell's text as compared: half-width, no white space, no punctuation at either end.

    >>> plain(" 无。 "), plain("达成 ")
    ('无', '达成')
    """
    return _plain(text) if isinstance(text, str) else _plain(cell_text(text))


@lru_cache(maxsize=65536)
def _plain(text: str) -> str:  # a province's texts repeat: each distinct one once
    s = unicodedata.normalize("NFKC", text)
    return _TRIM.sub("", "".join(s.split()))


@cache
def _word_set(key: str) -> frozenset[str]:
    return frozenset(plain(w) for w in words("review", key))


def is_empty_text(text: object, key: str = "empty_reason") -> bool:
    """Blank, or only a placeholder of ``rules/language/review.yaml``'s list ``key``.

    >>> is_empty_text(""), is_empty_text("暂无"), is_empty_text("台账 3 本", "empty_evidence")
    (True, True, False)
    """
    s = plain(text)
    return not s or s in _word_set(key)


def is_bare_verdict(text: object) -> bool:
    """An answer that is only a verdict (达成, 满意, 无投诉; with a band share like ``达成 100%``), no fact.

    >>> is_bare_verdict("达成"), is_bare_verdict("部分达成 70%"), is_bare_verdict("举办4场，媒体报道6篇")
    (True, True, False)
    """
    if not isinstance(text, str):
        return False
    s = plain(_BAND_SHARE.sub("", text.strip()))
    return bool(s) and s in _word_set("bare_verdicts")


def score_text(score: object, weight: object, decimals: int = 2) -> str:
    """``8.53/10 分``."""
    return f"{float(score):.{decimals}f}/{fmt_number(float(weight))} 分"


@dataclass
class ReviewData:
    """One run's results: ``indicators`` and ``projects`` as :class:`scoring.results.RunResult` has
    them, plus the 复核 columns; ``units``: project → the workbook it came from (a folder's batch)."""

    year: int | None
    profile: Profile
    label: str
    indicators: pd.DataFrame
    projects: pd.DataFrame
    units: dict[str, str] = field(default_factory=dict)
    _columns: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def settings(self) -> ReviewSettings:
        return self.profile.review

    @property
    def decimals(self) -> int:
        return self.profile.decimals

    def unit_of(self, project: str) -> str:
        return self.units.get(project, "")

    def project_place(self, project: str, sheet: str | None = SHEET_BUDGET) -> str:
        """Where a project's finding points: its workbook, the sheet (if any), the project."""
        return place(self.unit_of(project) or self.label, sheet, project)

    def column(self, name: str) -> np.ndarray:
        """An indicator column as an array (kept: rules read single cells of it thousands of times)."""
        got = self._columns.get(name)
        if got is None:
            got = self._columns[name] = self.indicators[name].to_numpy(dtype=object)
        return got

    def at(self, name: str, i: int):
        return self.column(name)[i]

    @cached_property
    def level1(self) -> np.ndarray:
        """Each indicator's 一级 as the profile counts it (产出指标, 效益指标, 满意度指标; 成本指标 → 产出)."""
        w = self.profile.weights
        names = {n: w.canonical_level1(levels.canonical(n) or n) or w.unknown_level1
                 for n in self.indicators["level1"].astype(str).unique()}
        return self.indicators["level1"].astype(str).map(names).to_numpy(dtype=object)

    @cached_property
    def level1_written(self) -> np.ndarray:
        """Each indicator's 一级 in its canonical spelling, before the profile folds 成本 into 产出."""
        names = {n: levels.canonical(n) or n for n in self.indicators["level1"].astype(str).unique()}
        return self.indicators["level1"].astype(str).map(names).to_numpy(dtype=object)

    @cached_property
    def level2(self) -> np.ndarray:
        names = {n: levels.canonical(n) or n for n in self.indicators["level2"].astype(str).unique()}
        return self.indicators["level2"].astype(str).map(names).to_numpy(dtype=object)

    @cached_property
    def lost(self) -> np.ndarray:
        """Indicators that lost points (judged, score below the weight)."""
        ind = self.indicators
        return (ind["score"].to_numpy(dtype=float) < ind["weight"].to_numpy(dtype=float) - 1e-9) & ~self.unknown

    @cached_property
    def unknown(self) -> np.ndarray:
        return self.indicators["verdict"].astype(str).to_numpy() == Verdict.UNKNOWN

    def reading(self, i: int):
        """How the engine reads indicator ``i``'s actual (:func:`scoring.actuals.values.read_actual`)."""
        return read_actual(self.at("actual", i), self.at("comparator", i), bool(self.at("actual_is_percent", i)),
                           self.year, self.profile.lexicon, workday=self.profile.workday_hours)

    def basis(self, i: int, *parts: str) -> str:
        """The data an indicator's finding rests on: name, target, actual, score, and ``parts``."""
        actual = cell_text(self.at("actual_display", i)) or "（空）"
        head = (f"三级指标：{self.at('level3', i)}；指标值：{self.at('annual_value', i)}；实际完成值：{actual}；"
                f"得分：{score_text(self.at('score', i), self.at('weight', i), self.decimals)}")
        return "；".join((head, *[p for p in parts if p]))
