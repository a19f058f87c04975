"""The small integer vocabularies the vectorised engine computes with, each named once.

numpy works on integers; these enums give each integer its meaning. A target kind or operator the
engine does not know (a new one added by the parser before the engine learns to score it) maps to
``OTHER`` and is scored 无法判定 with a reason, never guessed.
"""

from __future__ import annotations

from enum import IntEnum

from scoring.vocab import TargetKind


class KindCode(IntEnum):
    """The engine's integer for a :class:`~scoring.vocab.TargetKind` (by name; ``CHANGE`` and any kind the
    engine does not score are ``OTHER``)."""

    QUANTITATIVE = 0
    RANGE = 1
    DEADLINE = 2
    DIRECTIONAL = 3
    QUALITATIVE = 4
    INVALID = 5
    OTHER = 6  # a kind the engine cannot score (e.g. ``change``: a change against a baseline)

    @classmethod
    def of(cls, kind: str) -> KindCode:
        return cls.__members__.get(kind.upper(), cls.OTHER)


class Op(IntEnum):
    """The operator of a target."""

    NONE = 0
    AT_LEAST = 1  # >=
    ABOVE = 2  # >
    AT_MOST = 3  # <=
    BELOW = 4  # <
    EQUAL = 5  # ==
    BETWEEN = 6
    BY_DATE = 7
    INCREASE = 8
    DECREASE = 9
    OTHER = 10

    @classmethod
    def of(cls, op: str | None) -> Op:
        return _OP_BY_SYMBOL.get(op, cls.OTHER)


_OP_BY_SYMBOL = {None: Op.NONE, ">=": Op.AT_LEAST, ">": Op.ABOVE, "<=": Op.AT_MOST, "<": Op.BELOW, "==": Op.EQUAL,
                 "between": Op.BETWEEN, "by_date": Op.BY_DATE, "increase": Op.INCREASE, "decrease": Op.DECREASE}


class ReadKind(IntEnum):
    """What an actual value was read as (:class:`scoring.actuals.values.Reading` ``kind``)."""

    NUMBER = 0
    DATE = 1
    GROWTH = 2
    VERDICT = 3
    UNREADABLE = 4
    MISSING = 5

    @classmethod
    def of(cls, kind: str) -> ReadKind:
        return cls[kind.upper()]


class Outcome(IntEnum):
    """Which rule of scoring-rules.md decided an indicator's score (it selects the explanation)."""

    AT_LEAST_MET = 0  # 正向 B ≥ A (or B > A)
    AT_LEAST_SHORT = 1  # 正向 missed: w × B/A (a negative A: w × A/B = w × |A| ÷ |B|)
    ABOVE_ON_BOUNDARY = 2  # “>A” with B = A
    AT_MOST_MET = 3  # 反向 B ≤ A (or B < A)
    AT_MOST_OVER_INVERSE = 4  # 反向 missed: w × A/B (a negative A: w × B/A, the distance from 0)
    AT_MOST_OVER_LINEAR = 5  # 反向 missed: w × (1 − (B−A)/A)
    BELOW_ON_BOUNDARY = 6  # “<A” with B = A
    ZERO_MET = 7  # target 0, actual 0
    ZERO_MISSED = 8  # target 0, missed: all or nothing
    EQUAL_MET = 9
    EQUAL_SHORT = 10
    EQUAL_EXCEEDED = 11
    RANGE_INSIDE = 12
    RANGE_BELOW = 13
    RANGE_ABOVE = 14
    RANGE_ON_OPEN_BOUND = 15
    DEADLINE_MET = 16
    DEADLINE_LATE = 17
    DIRECTION_RIGHT = 18
    DIRECTION_WRONG = 19
    VERDICT_BAND = 20  # a verdict without a percentage: the band's default share
    VERDICT_PERCENT = 21  # a verdict with a percentage inside its band
    NOT_COMPUTABLE = 22  # 无法判定
    LATE_WITHOUT_DATE = 23  # “逾期完成” without a date: the profile's late band


FORMULA_OUTCOMES = tuple(o for o in Outcome if o <= Outcome.RANGE_ON_OPEN_BOUND)
"""The outcomes scored by a formula of B and A (quantitative and range targets)."""


VERDICT_OUTCOMES = (Outcome.VERDICT_BAND, Outcome.VERDICT_PERCENT)
OTHER_KIND_REASONS = {
    TargetKind.CHANGE: "指标值是相对基数的变化（如“提高5%”），需要基数（上年或基期的数值）才能判定",
}
"""Why a target of a kind the engine cannot score is 无法判定, by kind; others get a generic reason."""
BOUNDARY_OUTCOMES = (Outcome.ABOVE_ON_BOUNDARY, Outcome.BELOW_ON_BOUNDARY, Outcome.RANGE_ON_OPEN_BOUND)
