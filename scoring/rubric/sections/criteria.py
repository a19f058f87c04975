"""The ``criteria:`` section of a rubric profile (``rules/*.yaml``): how an indicator's own 评分标准 is applied.

``steps``: a deduction per unit (``每少1次扣1分``) when the shortfall is not a whole number of units
(2.5 次): ``proportional`` (the default) deducts 2.5 × 1 分; ``whole`` counts every unit begun, 3 × 1 分.
Either way the score says which was done.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.findings import ScoreError

STEPS = ("proportional", "whole")


@dataclass(frozen=True)
class CriteriaSettings:
    steps: str = "proportional"


def criteria_settings(data: object, where: str) -> CriteriaSettings:
    """The section as read from a profile file; None (no section) gives the defaults.

    >>> criteria_settings({"steps": "whole"}, "x.yaml")
    CriteriaSettings(steps='whole')
    >>> criteria_settings(None, "x.yaml")
    CriteriaSettings(steps='proportional')
    """
    if data is None:
        return CriteriaSettings()
    if not isinstance(data, dict):
        raise ScoreError("“criteria”应当是一节设置（如 steps: proportional）", where=f"{where} › criteria")
    unknown = [k for k in data if k != "steps"]
    if unknown:
        raise ScoreError(f"未知的设置“criteria.{unknown[0]}”", where=f"{where} › criteria.{unknown[0]}",
                         hint="criteria 一节只有 steps（proportional 或 whole）")
    steps = data.get("steps", "proportional")
    if steps not in STEPS:
        raise ScoreError(f"“criteria.steps”应当是 {' 或 '.join(STEPS)}，现在是 {steps!r}", where=f"{where} › criteria.steps",
                         hint="proportional：不足一个计分单位按比例扣分；whole：不足一个单位按一个单位扣分")
    return CriteriaSettings(steps=steps)
