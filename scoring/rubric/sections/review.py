"""The ``review:`` section of a rubric profile (``rules/*.yaml``): the thresholds of ``score review``.

Percentages are written 0–100 like everywhere else in the profiles. Every key is optional; what a
profile leaves out comes from :data:`DEFAULTS` (the national profile writes the same values out).

``low_execution``: a 执行率 below this (in %) is a finding of ``execution_output_gap`` by itself.
``gap``: the 产出/效益 score rate above the 执行率 by more than this many points is one too.
``over_ratio``: an actual at or above this share (in %) of a forward quantitative target is
    ``target_too_low``.
``copied_min_chars``: a 偏差原因 or 完成情况 repeated word for word in two or more projects is
    ``copied_text`` from this many characters on (shorter texts repeat innocently: 按计划完成).
``deviation``: a project whose 偏离度 |自评 − 复核| ÷ 自评 is above this (in %) is ``deviation``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from scoring.findings import ScoreError
from scoring.language.numerals import fmt_number

# key → (default, lowest, highest or None)
DEFAULTS: dict[str, tuple[float, float, float | None]] = {
    "low_execution": (60, 0, 100),
    "gap": (30, 0, 100),
    "over_ratio": (150, 100, None),
    "copied_min_chars": (20, 1, None),
    "deviation": (10, 0, 100),
}


@dataclass(frozen=True)
class ReviewSettings:
    low_execution: float = 60
    gap: float = 30
    over_ratio: float = 150
    copied_min_chars: int = 20
    deviation: float = 10

    def describe(self) -> str:
        return (f"执行率低于 {fmt_number(self.low_execution)}% 或产出、效益得分率高出执行率 {fmt_number(self.gap)} 个百分点以上；"
                f"实际值达到目标的 {fmt_number(self.over_ratio)}% 及以上；雷同文字不少于 {self.copied_min_chars} 字；"
                f"偏离度超过 {fmt_number(self.deviation)}%")


def _where(source: str, key: str) -> str:
    return f"{source} › review.{key}" if key else f"{source} › review"


def review_settings(raw: Any, source: str = "rules") -> ReviewSettings:
    """Validate a profile's ``review:`` mapping (None → the defaults); errors name ``file › key``.

    >>> review_settings({"deviation": 20}).deviation
    20.0
    >>> review_settings(None) == ReviewSettings()
    True
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ScoreError("“review”应当是一个映射（键: 值）", where=_where(source, ""))
    values: dict[str, float] = {}
    for key, v in raw.items():
        if key not in DEFAULTS:
            raise ScoreError(f"未知的键“review.{key}”", where=_where(source, str(key)),
                             hint=f"这里允许的键：{'、'.join(DEFAULTS)}")
        _, lo, hi = DEFAULTS[key]
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise ScoreError(f"“review.{key}”应当是一个数，现在是 {v!r}", where=_where(source, key))
        if v < lo or (hi is not None and v > hi):
            rng = f"{fmt_number(lo)}–{'' if hi is None else fmt_number(hi)}"
            raise ScoreError(f"“review.{key}”应当在 {rng} 之间，现在是 {fmt_number(v)}", where=_where(source, key))
        values[key] = float(v)
    chars = values.get("copied_min_chars", DEFAULTS["copied_min_chars"][0])
    if not float(chars).is_integer():
        raise ScoreError(f"“review.copied_min_chars”应当是正整数，现在是 {fmt_number(chars)}",
                         where=_where(source, "copied_min_chars"))
    merged = {k: values.get(k, float(d)) for k, (d, _, _) in DEFAULTS.items()}
    merged["copied_min_chars"] = int(merged["copied_min_chars"])
    return ReviewSettings(**merged)
