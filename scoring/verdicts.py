"""The four verdicts an indicator can end with (scoring-rules.md §6), named once.

The first three are the qualitative bands of the rubric: each profile gives each of them a share
of the weight (``qualitative.bands``). ``无法判定`` scores 0 and always carries its reason.
Grade names (优/良/中/差 or a province's own) are the profile's (``Profile.grades``), not here.
"""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    MET = "达成"
    PARTLY_MET = "部分达成"
    NOT_MET = "未达成"
    UNKNOWN = "无法判定"


BANDED = (Verdict.MET, Verdict.PARTLY_MET, Verdict.NOT_MET)
"""The verdicts with a band of the weight, best first (their order is the engine's verdict code)."""

ALL = (*BANDED, Verdict.UNKNOWN)
"""Every verdict, in the order reports count them."""
