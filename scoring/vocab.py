"""The closed vocabularies of the engine, each named once: the only place in Python that spells their labels.

Each is a :class:`~enum.StrEnum`, so a member *is* its label: it compares equal to the string stored in
a results frame, a JSON document or a workbook (``Verdict.MET == "达成"``), prints as it, and sorts as
it. Everything else (tables derived from a vocabulary, the order reports count it in) is derived here
from the members, never spelled again.

- :class:`Verdict`: how an indicator ended (scoring-rules.md §6);
- :class:`TargetKind`: what a 指标值 asks for (the strings ``score parse --json`` prints), with its
  Chinese name (:attr:`TargetKind.label`);
- :class:`Severity`: how bad a finding is;
- :class:`Likelihood`: a 运行监控 indicator's 完成目标可能性, and :class:`WarningLevel` the monitor's
  warning (正常 / 关注 / 预警) it maps to.

This module is the bottom layer: it imports nothing from ``scoring``.
"""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    """The four verdicts an indicator can end with (scoring-rules.md §6).

    The first three are the qualitative bands of the rubric (:data:`BANDED`): each profile gives each of
    them a share of the weight (``qualitative.bands``). ``无法判定`` scores 0 and always carries its reason.
    Grade names (优/良/中/差 or a province's own) are the profile's (``Profile.grades``), not here.

    >>> Verdict.MET == "达成", str(Verdict.UNKNOWN), Verdict("部分达成") is Verdict.PARTLY_MET
    (True, '无法判定', True)
    """

    MET = "达成"
    PARTLY_MET = "部分达成"
    NOT_MET = "未达成"
    UNKNOWN = "无法判定"


BANDED = (Verdict.MET, Verdict.PARTLY_MET, Verdict.NOT_MET)
"""The verdicts with a band of the weight, best first (their order is the engine's verdict code).

>>> [str(v) for v in BANDED]
['达成', '部分达成', '未达成']
"""

ALL = (*BANDED, Verdict.UNKNOWN)
"""Every verdict, in the order reports count them."""

VERDICT_CODE = {v: i for i, v in enumerate(ALL)}
"""The engine's integer for each verdict: its verdict column is computed as an index into :data:`ALL`."""

VERDICT_NAMES = tuple(map(str, ALL))
"""The verdicts as plain strings, the values of a results frame's ``verdict`` column."""

BAND_NAMES = VERDICT_NAMES[:len(BANDED)]
"""The banded verdicts as plain strings (the keys of a profile's ``qualitative.bands``).

>>> BAND_NAMES, VERDICT_CODE[Verdict.UNKNOWN], type(VERDICT_NAMES[0]) is str
(('达成', '部分达成', '未达成'), 3, True)
"""


class TargetKind(StrEnum):
    """What kind of target a 指标值 is. The values are the strings ``score parse --json`` prints.

    >>> TargetKind("deadline") is TargetKind.DEADLINE, TargetKind.CHANGE.label, TargetKind.RANGE == "range"
    (True, '变化', True)
    >>> [k.label for k in NUMERIC]
    ['定量', '区间']
    """

    QUANTITATIVE = "quantitative"
    RANGE = "range"
    DEADLINE = "deadline"
    DIRECTIONAL = "directional"
    CHANGE = "change"  # a change against a baseline: 同比下降4%, 比上年提高2个百分点
    QUALITATIVE = "qualitative"
    INVALID = "invalid"

    @property
    def label(self) -> str:
        """The kind's Chinese name, as the reports and ``score parse`` show it."""
        return _KIND_LABEL[self]


_KIND_LABEL = {TargetKind.QUANTITATIVE: "定量", TargetKind.RANGE: "区间", TargetKind.DEADLINE: "时限",
               TargetKind.DIRECTIONAL: "方向", TargetKind.CHANGE: "变化", TargetKind.QUALITATIVE: "定性",
               TargetKind.INVALID: "无效"}

NUMERIC = (TargetKind.QUANTITATIVE, TargetKind.RANGE)
"""The kinds whose target is a number (or two) in a unit: an actual is read as a number against them."""

WORDED = (TargetKind.QUALITATIVE, TargetKind.DEADLINE, TargetKind.DIRECTIONAL)
"""The kinds a bare verdict (``达成``) may answer."""


class Severity(StrEnum):
    """How bad a finding is. ``错误``: an indicator is 无法判定 or a figure is missing;
    ``警告``: noted and shown, the score stands; ``说明``: a repair made with certainty (the importer's
    LaTeX restored, a name joined), shown so that nothing changes unseen.

    >>> f"{Severity.WARNING}：…"
    '警告：…'
    """

    ERROR = "错误"
    WARNING = "警告"
    INFO = "说明"


class Likelihood(StrEnum):
    """A 运行监控 indicator's 完成目标可能性, best first (the order of the template's drop-down).

    >>> [str(x) for x in Likelihood], Likelihood.POSSIBLE.warning
    (['确定能', '有可能', '不可能'], <WarningLevel.ATTENTION: '关注'>)
    >>> [str(Likelihood.of_verdict(v)) for v in BANDED]
    ['确定能', '有可能', '不可能']
    """

    CERTAIN = "确定能"
    POSSIBLE = "有可能"
    IMPOSSIBLE = "不可能"

    @property
    def warning(self) -> WarningLevel:
        """The warning this likelihood alone gives: 确定能 → 正常, 有可能 → 关注, 不可能 → 预警."""
        return list(WarningLevel)[list(Likelihood).index(self)]

    @classmethod
    def of_verdict(cls, verdict: str) -> Likelihood:
        """The likelihood a banded verdict written as a current value means (达成 → 确定能 …)."""
        return list(cls)[BANDED.index(Verdict(verdict))]


NOT_ASSESSED = "无法测算"
"""The computed likelihood of an indicator that cannot be assessed (no figure to project from)."""


class WarningLevel(StrEnum):
    """The monitor's warning of an indicator or a project, in rising order of severity.

    >>> worst_level = max([WarningLevel.NORMAL, WarningLevel.ALERT, WarningLevel.ATTENTION], key=list(WarningLevel).index)
    >>> str(worst_level)
    '预警'
    """

    NORMAL = "正常"
    ATTENTION = "关注"
    ALERT = "预警"


UNFILLED = "未填报"
"""The monitor's mark of an indicator or project with nothing filled in: no warning either way."""
