"""Rubric profiles (评分规则): ``rules/*.yaml`` loaded into a frozen, hashable :class:`Profile`.

Every weight, formula choice, band and threshold of ``scoring-rules.md`` is a setting here, never
a constant in the engine. ``rules/national.yaml`` is the default (财预〔2020〕10号); a profile may
``extends:`` another one and override single settings (mappings merge key by key, lists and
scalars replace). A profile is validated when loaded: an unknown key, weights that do not add to
100, bands that overlap or leave a gap → a Chinese :class:`ScoreError` naming the file and the key.

Profile keys (all optional in a profile that ``extends`` another; percentages are written 0–100):

``name``, ``title``, ``extends``
``weights``: ``budget`` (预算执行率 points), ``level1`` (一级指标 → points; with ``budget`` they add
    to 100), ``split`` (``level3``: equally among the 三级 of a 一级; ``level2``: equally among its
    二级, then among each 二级's 三级), ``redistribute`` (missing 一级 → {receiving 一级: proportion}),
    ``aliases`` (a 一级 name as written → the name in ``level1``), ``unknown_level1`` (the 一级 whose
    points a 一级 not in the profile shares).
``budget``: ``reason_below`` (执行率 below which a 偏差原因 is required), ``caps`` (list of
    ``{rate_min, rate_below, max_total}``: the project total is at most ``max_total`` when the
    执行率 lies in [rate_min, rate_below)).
``quantitative``: ``at_most`` (反向 formula: ``inverse`` = w × A/B, ``linear`` = w × (1 − (B−A)/A)),
    ``partial_from`` (share of w from which a missed quantitative target is 部分达成 rather than
    未达成; null: always 未达成), ``strict_boundary`` (an actual exactly on the bound of ``>``/``<``:
    ``lenient`` (the national default) = 达成, the reading recorded as an assumption; ``strict`` = 未达成,
    the score by the formula, flagged; a bound of 0 is not reached by 0 under either: ``大于0`` asks for
    something to happen), ``workday_hours`` (hours of a working day, for hours answering days of work; a
    工作日 answering days of work is one day),
    ``change_wrong_way`` (a change target moved the wrong way: ``proportional`` = w × achieved ÷
    planned, floored at 0; ``band`` = the ``directional_wrong`` band).
``over_achievement``: ``threshold`` (B/A in % from which a 正向 result is flagged), ``ops`` (the
    operators it applies to), ``deduction`` (points taken off, 0 = flag only), ``require_reason``.
``qualitative``: ``bands`` (达成/部分达成/未达成 → ``{min, max, default}`` shares of w in %; lower
    bound included, upper excluded except for the top band), ``deadline_late`` (the band of a late
    deadline), ``directional_wrong`` (the band of a change the wrong way),
    ``satisfaction_without_survey`` (a 满意度 indicator answered with a bare verdict, no survey figure:
    ``band``: scored by the band of the word written; a band name such as ``部分达成``: scored by that
    band at best; ``unreadable``: 无法判定; always a warning in the problem list).
``grades``: 优/良/中/差 → ``{min, max}`` of the total (same band rules).
``rounding``: ``decimals`` (half up; a missed target whose score rounds to its weight is one unit of
    these decimals below it).
``reasons``: ``lost_points`` (a 偏差原因 is required for every indicator that lost points).
``criteria``: ``steps`` (a deduction per unit when the shortfall is not a whole number of units:
    ``proportional`` or ``whole``; :mod:`scoring.rubric.sections.criteria`).
``words``: overrides of ``rules/language/words.yaml`` (``direction:``/``qualitative:`` lists), merged onto
    the default lexicon as ``Profile.lexicon``.
``review``: the thresholds of ``score review`` (:mod:`scoring.rubric.sections.review`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scoring.language.lexicon import Lexicon
from scoring.language.numerals import fmt_number
from scoring.rubric.sections.criteria import CriteriaSettings
from scoring.rubric.sections.monitor import MonitorSettings
from scoring.rubric.sections.review import ReviewSettings
from scoring.vocab import BAND_NAMES
from scoring.workspace import rules_dir

RULES_DIR = rules_dir()
SURVEY_CHOICES = ("band", "unreadable", *BAND_NAMES)  # qualitative.satisfaction_without_survey

# The schema: a key → a nested schema (dict), or a "leaf" marker. "*" means any key (a name).
_LEAF = None
SCHEMA: dict[str, Any] = {
    "name": _LEAF,
    "title": _LEAF,
    "extends": _LEAF,
    "weights": {
        "budget": _LEAF,
        "level1": {"*": _LEAF},
        "split": _LEAF,
        "redistribute": {"*": {"*": _LEAF}},
        "aliases": {"*": _LEAF},
        "unknown_level1": _LEAF,
    },
    "budget": {"reason_below": _LEAF, "caps": _LEAF},
    "quantitative": {"at_most": _LEAF, "partial_from": _LEAF, "strict_boundary": _LEAF, "workday_hours": _LEAF,
                     "change_wrong_way": _LEAF},
    "over_achievement": {"threshold": _LEAF, "ops": _LEAF, "deduction": _LEAF, "require_reason": _LEAF},
    "qualitative": {
        "bands": {"*": {"min": _LEAF, "max": _LEAF, "default": _LEAF}},
        "deadline_late": _LEAF,
        "directional_wrong": _LEAF,
        "satisfaction_without_survey": _LEAF,
    },
    "grades": {"*": {"min": _LEAF, "max": _LEAF}},
    "rounding": {"decimals": _LEAF},
    "reasons": {"lost_points": _LEAF},
    "report": {"amount_unit": _LEAF},
    "words": _LEAF,  # checked by Lexicon.merged
    "monitor": _LEAF,  # checked by scoring.rubric.sections.monitor.monitor_settings
    "review": _LEAF,  # checked by scoring.rubric.sections.review.review_settings
    "criteria": _LEAF,  # checked by scoring.rubric.sections.criteria.criteria_settings
}


AMOUNT_UNITS = ("元", "万元")  # report.amount_unit: 自评表 and 汇总 show amounts in this unit
STRICT_BOUNDARY = ("lenient", "strict")  # quantitative.strict_boundary; the first is the default
CHANGE_WRONG_WAY = ("proportional", "band")  # quantitative.change_wrong_way; the first is the default


@dataclass(frozen=True)
class Band:
    """A share band in percent: ``min`` included, ``max`` excluded unless ``top``."""

    name: str
    min: float
    max: float
    default: float | None = None
    top: bool = False

    def contains(self, pct: float) -> bool:
        return self.min <= pct < self.max or (self.top and pct == self.max)

    def describe(self) -> str:
        hi = "" if self.top else "（不含）"
        return f"{fmt_number(self.min)}%–{fmt_number(self.max)}%{hi}"


@dataclass(frozen=True)
class Cap:
    rate_min: float
    rate_below: float
    max_total: float


@dataclass(frozen=True)
class Weights:
    budget: float
    level1: tuple[tuple[str, float], ...]
    split: str
    redistribute: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]
    aliases: tuple[tuple[str, str], ...]
    unknown_level1: str

    def level1_points(self, name: str) -> float:
        return dict(self.level1)[name]

    def canonical_level1(self, name: str) -> str | None:
        """The profile's 一级 name for a 一级 as written (``产出`` → ``产出指标``), or None."""
        n = (name or "").strip()
        names = dict(self.level1)
        if n in names:
            return n
        return dict(self.aliases).get(n)


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    source: str
    weights: Weights
    reason_below: float
    caps: tuple[Cap, ...]
    at_most: str
    partial_from: float | None
    over_threshold: float
    over_ops: tuple[str, ...]
    over_deduction: float
    over_require_reason: bool
    bands: tuple[Band, ...]
    deadline_late: str
    directional_wrong: str
    satisfaction_without_survey: str
    grades: tuple[Band, ...]
    decimals: int
    reason_lost_points: bool
    lexicon: Lexicon = field(compare=True)
    chain: tuple[str, ...] = field(default=(), compare=False)
    monitor: MonitorSettings = field(default=MonitorSettings())  # 绩效运行监控 (score monitor)
    amount_unit: str = "元"  # the unit of the report's amounts (元 or 万元; report.amount_unit)
    review: ReviewSettings = field(default=ReviewSettings())  # 自评复核 (score review)
    strict_boundary: str = "lenient"  # quantitative.strict_boundary: lenient | strict
    workday_hours: float = 8.0  # quantitative.workday_hours
    change_wrong_way: str = "proportional"  # quantitative.change_wrong_way: proportional | band
    criteria: CriteriaSettings = field(default=CriteriaSettings())  # an indicator's own 评分标准 (criteria.steps)

    def band(self, verdict: str) -> Band:
        for b in self.bands:
            if b.name == verdict:
                return b
        raise KeyError(verdict)

    def grade(self, total: float) -> str:
        for g in self.grades:
            if g.contains(total):
                return g.name
        return self.grades[-1].name if total < self.grades[-1].min else self.grades[0].name

    def grade_names(self) -> tuple[str, ...]:
        """The grades' names, best first (优、良、中、差 in the national profile)."""
        return tuple(g.name for g in self.grades)

    def describe(self) -> str:
        via = f"（继承 {' → '.join(self.chain[1:])}）" if len(self.chain) > 1 else ""
        return f"{self.title}（{self.name}）{via}"


# ---------------------------------------------------------------------------------------------
# loading
# ---------------------------------------------------------------------------------------------

def profile_path(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """A profile name (``national``) → ``rules/national.yaml``; a path is taken as it is."""
    text = str(name_or_path).strip()
    p = Path(text)
    if p.suffix in (".yaml", ".yml") or "/" in text or "\\" in text:
        if not p.is_absolute() and relative_to is not None and not p.exists():
            alt = relative_to / p
            if alt.exists():
                return alt
        return p
    for base in ([relative_to] if relative_to else []) + [RULES_DIR]:
        for ext in (".yaml", ".yml"):
            cand = base / f"{text}{ext}"
            if cand.exists():
                return cand
    return RULES_DIR / f"{text}.yaml"
