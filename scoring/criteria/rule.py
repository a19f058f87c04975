"""A 评分标准 as data: what :func:`scoring.criteria.reading.read_criteria` makes of a text.

A :class:`Rule` is frozen and hashable, like a profile section; :func:`scoring.criteria.score.score`
applies it. Its kinds:

- ``deduct``: full points less so much per unit short of (or over, or late against) a level —
  ``每少1次扣1分``, ``每超过一个百分点扣0.5分``, ``每出现一例扣1分``, ``每滞后一年扣2分`` — down to 0
  (``扣完为止``) or at most ``cap`` points (``最多扣3分``);
- ``bands``: points by the band the value falls in — ``≥90%计5分；80%（含）-90%计4分；低于60%不得分``,
  ``逾期1个月以内扣1分`` (the value is then how late the work was);
- ``tiers``: points by how far the target was reached — ``完成得4分，基本完成得2分，未完成不得分``;
- ``all_or_nothing``: full points when the target is reached, none otherwise — ``未完成不得分``;
- ``proportional``: the share of the target reached — ``按完成比例得分``.

A deduction or a proportional rule may carry ``bands`` that decide first (``低于60%不得分``).
Points are as the text writes them; the score is scaled to the indicator's 分值 when the text's
full points (``full``) differ (and flagged).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from scoring.language.numerals import fmt_number, json_number

KIND_NAMES = {"deduct": "按单位扣分", "bands": "分档计分", "tiers": "按完成情况计分", "all_or_nothing": "达到得分、未达到不得分",
              "proportional": "按完成比例计分"}
TIER_NAMES = {"met": "完成", "partial": "部分完成", "not_met": "未完成", "late": "逾期完成", "otherwise": "其他情况"}
WAYS = ("short", "over", "either", "late", "event")
BY_CRITERIA = "评分标准"  # an indicator's ``criteria_basis`` when its own 评分标准 scored it
BY_PROFILE = "口径"  # … when the profile's rule did (with why, when it has criteria)


@dataclass(frozen=True)
class Points:
    """What a band or a tier gives: ``value`` points (``how="points"``), that share of the full points
    (``"share"``: ``得一半分值``), or the full points less ``value`` (``"minus"``: ``不健全的扣10分``)."""

    value: float
    how: str = "points"

    def of(self, full: float) -> float:
        """The points given, out of ``full``.

        >>> Points(3).of(5), Points(0.5, "share").of(10), Points(2, "minus").of(5), Points(8, "minus").of(5)
        (3, 5.0, 3, 0)
        """
        if self.how == "share":
            return self.value * full
        if self.how == "minus":
            return max(full - self.value, 0)
        return self.value

    def describe(self) -> str:
        """The points in words.

        >>> [Points(4).describe(), Points(0).describe(), Points(1, "share").describe(), Points(0.5, "share").describe()]
        ['计4分', '不得分', '得满分', '得分值的50%']
        """
        if self.how == "share":
            return "得满分" if self.value == 1 else ("不得分" if self.value == 0 else f"得分值的{fmt_number(self.value * 100, 4)}%")
        if self.how == "minus":
            return f"扣{fmt_number(self.value)}分"
        return "不得分" if self.value == 0 else f"计{fmt_number(self.value)}分"


@dataclass(frozen=True)
class Band:
    """A band of the value: ``low``–``high`` (None: open), each end included or not, and its points."""

    low: float | None
    low_in: bool
    high: float | None
    high_in: bool
    points: Points
    catch_all: bool = False  # 否则、其余: whatever no other band holds

    def contains(self, v: float) -> bool:
        """Whether ``v`` lies in the band.

        >>> b = Band(80, True, 90, False, Points(4)); b.contains(80), b.contains(90), b.contains(85.5)
        (True, False, True)
        """
        if self.catch_all:
            return True
        if self.low is not None and (v < self.low or (v == self.low and not self.low_in)):
            return False
        return not (self.high is not None and (v > self.high or (v == self.high and not self.high_in)))

    def describe(self, unit: str = "") -> str:
        """The band in words, its ends marked as the tables mark them.

        >>> Band(80, True, 90, False, Points(4)).describe("%"), Band(90, True, None, False, Points(5)).describe("%")
        ('80%（含）–90%（不含）', '≥90%')
        >>> Band(None, False, 60, False, Points(0)).describe("%"), Band(0, True, 0, True, Points(3)).describe("%")
        ('<60%', '=0%')
        """
        if self.catch_all:
            return "其他情况"
        lo, hi = fmt_number(self.low), fmt_number(self.high)
        if self.low is not None and self.high is not None:
            if self.low == self.high:
                return f"={lo}{unit}"
            return f"{lo}{unit}{'（含）' if self.low_in else '（不含）'}–{hi}{unit}{'（含）' if self.high_in else '（不含）'}"
        if self.low is not None:
            return f"{'≥' if self.low_in else '>'}{lo}{unit}"
        if self.high is not None:
            return f"{'≤' if self.high_in else '<'}{hi}{unit}"
        return "任何值"

    def to_json(self) -> dict:
        return {"low": json_number(self.low), "low_included": self.low_in, "high": json_number(self.high),
                "high_included": self.high_in, "points": json_number(self.points.value), "how": self.points.how,
                "otherwise": self.catch_all}


@dataclass(frozen=True)
class Step:
    """A deduction per unit: ``每{word}{size}{unit}扣{points}分``; ``way`` says what is counted: the shortfall
    below the level (short), the excess over it (over), either (either), how late (late), events (event)."""

    way: str
    word: str
    size: float
    unit: str
    points: float
    what: str = ""  # what is counted, as written (一个专项“未按进度完成资金下达”)

    def describe(self) -> str:
        """The step in words.

        >>> Step("short", "少", 1, "次", 1).describe(), Step("over", "超过", 1, "个百分点", 0.5).describe()
        ('每少1次扣1分', '每超过1个百分点扣0.5分')
        """
        return f"每{self.word}{fmt_number(self.size)}{self.unit}{self.what}扣{fmt_number(self.points)}分"


@dataclass(frozen=True)
class Rule:
    """One indicator's 评分标准, read (see the module docstring for the kinds)."""

    kind: str
    text: str  # as written
    full: float | None = None  # the full points the text states (计5分), None when it states none
    measure: str = "value"  # what bands and steps read: the value (value) or how late the work was (late)
    unit: str = ""  # the unit of the bands' numbers (%, 个月…)
    unit_days: float = 0.0  # for measure late: days in one unit
    reference: float | None = None  # the level a step counts from, as stated (以100%为标准, ≤100%计5分); None: the target
    reference_text: str = ""  # the condition of full points as written back (≤100%)
    step: Step | None = None
    floor: bool = False  # 扣完为止 (or the like) stated
    cap: float | None = None  # at most this many points deducted (最多扣3分)
    bands: tuple[Band, ...] = ()
    tiers: tuple[tuple[str, Points], ...] = ()
    notes: tuple[str, ...] = ()  # what the reading assumed

    @property
    def stated_full(self) -> float | None:
        """The full points the text promises: stated, or the most a band or a tier gives in points."""
        if self.full is not None:
            return self.full
        given = [b.points.value for b in self.bands if b.points.how == "points" and b.points.value > 0]
        if self.kind == "bands" and given:
            return max(given)
        given = [p.value for _, p in self.tiers if p.how == "points" and p.value > 0]
        return max(given) if given else None

    def describe(self) -> str:
        """The rule as the program read it, in the tables' own words (shown in 计算过程)."""
        return self._reading

    @cached_property
    def _reading(self) -> str:  # worked out once per rule: every indicator scored by it shows it
        unit = self.unit
        if self.kind == "deduct":
            head = ""
            if self.full is not None:
                head = f"{self.reference_text}计{fmt_number(self.full)}分；" if self.reference_text else \
                    f"满分{fmt_number(self.full)}分；"
            tail = "，扣完为止" if self.floor else ""
            if self.cap is not None and (self.full is None or self.cap < self.full):
                tail += f"，最多扣{fmt_number(self.cap)}分"
            return head + self.step.describe() + tail + self._extra_bands()
        if self.kind == "bands":
            late = "逾期" if self.measure == "late" else ""
            return "；".join(f"{late}{b.describe(unit)}{b.points.describe()}" for b in self.bands)
        if self.kind in ("tiers", "all_or_nothing"):
            parts = [f"{TIER_NAMES[k]}{p.describe()}" for k, p in self.tiers]
            return "，".join(parts)
        return "按完成比例得分" + self._extra_bands()

    def _extra_bands(self) -> str:
        return "".join(f"；{b.describe(self.unit)}{b.points.describe()}" for b in self.bands)

    def to_json(self) -> dict:
        out: dict = {"kind": self.kind, "reading": self.describe(), "full": json_number(self.full)}
        if self.step is not None:
            s = self.step
            out["step"] = {"way": s.way, "word": s.word, "size": json_number(s.size), "unit": s.unit,
                           "points": json_number(s.points)}
            out["reference"] = json_number(self.reference)
            out["floor"] = self.floor
            out["cap"] = json_number(self.cap)
        if self.bands:
            out["bands"] = [b.to_json() for b in self.bands]
            out["unit"] = self.unit
        if self.measure == "late":
            out["measure"] = "late"
        if self.tiers:
            out["tiers"] = {k: {"points": json_number(p.value), "how": p.how} for k, p in self.tiers}
        out["notes"] = list(self.notes)
        return out


@dataclass(frozen=True)
class Unreadable:
    """A criteria text the program cannot read into a rule, and why: the profile's rule scores the indicator."""

    text: str
    reason: str
    kind: str = "unreadable"

    def describe(self) -> str:
        return f"无法解读（{self.reason}）"

    def to_json(self) -> dict:
        return {"kind": self.kind, "reason": self.reason}


def finite(x: float | None) -> bool:
    return x is not None and not math.isnan(x)
