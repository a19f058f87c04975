"""A :class:`~scoring.criteria.rule.Rule` applied to one indicator: score, verdict and the arithmetic in words.

Pure functions of plain values (:class:`Case`, :class:`Settings`); the engine's hook
(:mod:`scoring.rubric.by_criteria`) builds the cases. Points are worked out in the text's own points
(``计5分``: out of 5), then scaled to the indicator's 分值 when they differ, which is flagged. A score is
never below 0 nor above the 分值. A rule that cannot be applied to this indicator (a deduction per
percentage point when the actual is a word) returns the reason instead, and the profile's rule stands.

Gaps are measured in the step's unit: ``个百分点`` as the difference of two percentages; ``%`` as
percentage points when the indicator is a percentage, else as a share of the level (``每少1%`` of
1,000 m² is 10 m²); a time unit through days (1 个月 = 30 天); a counter (次, 例, 项) in the
target's unit. A fraction of a step counts in proportion, or as a whole step (profile
``criteria.steps: whole``); either is said when it matters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scoring.criteria.rule import TIER_NAMES, Band, Rule
from scoring.criteria.words import words
from scoring.language.numerals import fmt_number
from scoring.rounding import round_half_up
from scoring.vocab import Verdict

EPS = 1e-9
_NO_GAP = {"short": "不低于", "over": "不超过", "either": "等于", "event": "没有超过", "late": "不晚于"}


@dataclass(frozen=True)
class Case:
    """One indicator's numbers, as a rule needs them (NaN where there is none)."""

    weight: float
    actual: float  # B, a number in the target's unit
    target: float  # A (the lower end of a range)
    high: float  # the upper end of a range target
    op: str  # the target's operator (>=, <=, between, by_date…; "" for none)
    unit: str  # the target's unit
    late_days: float  # completion day − deadline, in days
    verdict: str  # the profile's verdict (达成/部分达成/未达成/无法判定)
    late: bool  # the profile found the work late
    percent: float  # the percentage given with a verdict (部分达成 70%)


@dataclass(frozen=True)
class Settings:
    decimals: int = 2
    steps: str = "proportional"  # whole: a step begun counts whole
    partial_from: float | None = 60.0  # the profile's share (in %) from which a missed target is 部分达成


@dataclass(frozen=True)
class Outcome:
    score: float  # rounded half up, in [0, weight]
    share: float  # the criteria points ÷ the full points (unrounded)
    verdict: str
    explanation: str
    assumptions: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()


def score(rule: Rule, case: Case, settings: Settings = Settings()) -> Outcome | str:
    """The outcome of ``rule`` for ``case``, or why the rule does not apply to it.

    >>> from scoring.criteria.reading import read_criteria
    >>> c = Case(5.0, 7.0, 10.0, math.nan, ">=", "次", math.nan, "未达成", False, math.nan)
    >>> score(read_criteria("每少1次扣1分，扣完为止"), c).explanation
    '评分标准：每少1次扣1分，扣完为止；少 3 次 → 5 − 3 × 1 = 2.00'
    """
    w = case.weight
    if not w > 0:
        return "分值为 0 或未知"
    work = _Work(rule, case, settings)
    how = {"deduct": work.deduct, "bands": work.bands, "proportional": work.proportional}.get(rule.kind, work.tiers)
    return how()


class _Work:
    """The arithmetic of one rule for one case (the text's points → the indicator's)."""

    def __init__(self, rule: Rule, case: Case, settings: Settings):
        self.rule, self.case, self.settings = rule, case, settings
        stated = rule.stated_full
        self.full = stated if stated is not None and stated > 0 else case.weight
        self.notes: list[str] = list(rule.notes)
        self.flags: list[str] = []
        if stated is not None and abs(stated - case.weight) > EPS:
            self.flags.append(f"评分标准的满分是 {fmt_number(stated)} 分，本指标分值是 {fmt_number(case.weight)} 分："
                              f"按 {fmt_number(case.weight)} ÷ {fmt_number(stated)} 折算，请核对分值或评分标准")

    # -- the kinds ---------------------------------------------------------------------------------

    def deduct(self) -> Outcome | str:
        rule, step = self.rule, self.rule.step
        if rule.measure == "late":
            days = self.case.late_days
            if math.isnan(days):
                return "评分标准按逾期的长短扣分，需要完成日期和时限"
            gap = max(days, 0.0) / rule.unit_days
            said = f"逾期 {fmt_number(max(days, 0.0))} 天" + (
                f"（{fmt_number(gap, 4)} {step.unit}，1 {step.unit}按 {fmt_number(rule.unit_days)} 天计）" if rule.unit_days != 1 else "")
            if rule.unit_days != 1:
                self.notes.append(f"逾期按 1 {step.unit} = {fmt_number(rule.unit_days)} 天折算")
        else:
            v = self.case.actual
            if math.isnan(v):
                return f"评分标准按数值扣分（{step.describe()}），实际完成值不是数值"
            unfit = self._unit_mismatch()
            if unfit:
                return unfit
            band = self._override(v)
            if band is not None:
                return band
            ref = self._reference()
            if math.isnan(ref):
                return f"评分标准（{step.describe()}）没有可比的标准值：指标值不是数值，评分标准也没有写"
            gap, said = self._gap(v, ref)
            if gap <= 0:
                return self._outcome(self.full, f"实际 {_q(v, self.case.unit)}，{_NO_GAP[step.way]} "
                                                f"{_q(ref, self.case.unit or self.rule.unit)} → 不扣分", lead="，得 ")
        if gap <= 0 and rule.measure == "late":
            return self._outcome(self.full, "按时完成（完成日期不晚于时限）→ 不扣分", lead="，得 ")
        n = min(gap / step.size, 1e12)  # a gap of a tiny level's percentages is all the points anyway
        whole = math.ceil(n - EPS) if self.settings.steps == "whole" else n
        if abs(n - round(n)) > 1e-6:
            self.notes.append(f"不足一个计分单位（{fmt_number(step.size)}{step.unit}）的部分"
                              + ("按一个单位扣分（criteria.steps: whole）" if self.settings.steps == "whole"
                                 else "按比例扣分（criteria.steps: proportional）"))
        count = fmt_number(whole, 4) if step.size == 1 or self.settings.steps == "whole" else \
            f"{fmt_number(gap, 4)} ÷ {fmt_number(step.size)}"
        taken = whole * step.points
        text = f"{said} → {fmt_number(self.full)} − {count} × {fmt_number(step.points)}"
        if rule.cap is not None and taken > rule.cap + EPS:
            text += f"（最多扣 {fmt_number(rule.cap)} 分）"
            taken = rule.cap
        points = self.full - taken
        if points < -EPS:
            text += f" = {fmt_number(points, 4)}，{'扣完为止' if rule.floor else '得分不低于 0'}"
            if not rule.floor:
                self.notes.append("评分标准没有写“扣完为止”：扣到 0 分为止")
            points = 0.0
        return self._outcome(max(points, 0.0), text)

    def bands(self) -> Outcome | str:
        rule = self.rule
        if rule.measure == "late":
            days = self.case.late_days
            if math.isnan(days):
                return "评分标准按逾期的长短分档，需要完成日期和时限"
            v = days / rule.unit_days if rule.unit_days else days
            if days <= 0 and not any(b.contains(v) and b.high is not None and b.high <= 0 for b in rule.bands):
                return self._outcome(self.full, "按时完成（完成日期不晚于时限）→ 满分", lead="，得 ")
            said = f"逾期 {fmt_number(days)} 天" + (f"（{fmt_number(v, 4)} {rule.unit}）" if rule.unit != "天" else "")
        else:
            v = self._value_in_bands()
            if v is None:
                return "评分标准按数值分档，实际完成值不是数值"
            unfit = self._unit_mismatch()
            if unfit:
                return unfit
            said = f"实际 {_q(v, rule.unit)}"
        band = next((b for b in rule.bands if b.contains(v)), None)
        if band is None:
            self.notes.append(f"{said}不在评分标准的任何一档内：按不得分计")
            return self._outcome(0.0, f"{said}，不在任何一档 → 0")
        return self._outcome(band.points.of(self.full), f"{said}，在“{band.describe(rule.unit)}”档 → "
                                                         f"{_points_text(band, self.full)}")

    def tiers(self) -> Outcome | str:
        rule, verdict = self.rule, self.case.verdict
        if verdict == Verdict.UNKNOWN:
            return "实际完成情况无法判定"
        have = dict(rule.tiers)
        key = {Verdict.MET: "met", Verdict.PARTLY_MET: "partial"}.get(verdict, "not_met")
        if self.case.late and "late" in have:
            key = "late"
        for fallback in (key, "not_met" if key == "partial" else key, "otherwise"):
            if fallback in have:
                key = fallback
                break
        else:
            self.notes.append(f"评分标准没有写{TIER_NAMES[key]}时的得分：按不得分计")
            return self._outcome(0.0, f"{verdict}，评分标准未写此情况 → 0", verdict=verdict)
        p = have[key]
        pts = p.of(self.full)
        shown = verdict if key in ("otherwise", "late") or TIER_NAMES[key] == verdict else f"{verdict}（{TIER_NAMES[key]}）"
        out_verdict = verdict if rule.kind == "tiers" else (Verdict.MET if key == "met" else Verdict.NOT_MET)
        said = p.describe() if p.how == "points" else f"{p.describe()}（{fmt_number(pts, 4)} 分）"
        return self._outcome(pts, f"{shown} → {said}", verdict=str(out_verdict))

    def proportional(self) -> Outcome | str:
        c = self.case
        if not math.isnan(c.actual):
            band = self._override(c.actual)
            if band is not None:
                return band
        share, said = _completion(c)
        if share is None:
            return "评分标准按完成比例计分，需要数值的实际完成值（或带百分比的完成情况）"
        share = min(max(share, 0.0), 1.0)
        return self._outcome(self.full * share, f"{said} → {fmt_number(self.full)} × {fmt_number(share, 4)}")

    # -- shared steps ------------------------------------------------------------------------------

    def _override(self, v: float) -> Outcome | None:
        """A band a deduction or a proportional rule also states (低于60%不得分) decides first."""
        band = next((b for b in self.rule.bands if b.contains(v)), None)
        if band is None:
            return None
        return self._outcome(band.points.of(self.full), f"实际 {_q(v, self.rule.unit)}，在“"
                                                         f"{band.describe(self.rule.unit)}”档 → {_points_text(band, self.full)}")

    def _reference(self) -> float:
        """The level a step counts from: as the criteria state it, else the target."""
        rule, c = self.rule, self.case
        if rule.reference is not None:
            return rule.reference
        if rule.step.way == "event":
            return c.target if c.op in ("<=", "<", "==") and not math.isnan(c.target) else 0.0
        if rule.step.way == "over" and c.op == "between" and not math.isnan(c.high):
            return c.high
        return c.target

    def _gap(self, v: float, ref: float) -> tuple[float, str]:
        """How many of the step's units the value is short of (over, off) the level, and that in words."""
        step, c = self.rule.step, self.case
        diff = {"short": ref - v, "over": v - ref, "either": abs(v - ref), "event": v - ref}[step.way]
        diff = max(diff, 0.0)
        w = words()
        unit = step.unit
        percent_target = c.unit == "%" or self.rule.unit == "%"
        if unit in w.percent_units:
            if percent_target:
                self.notes.append(f"“{fmt_number(step.size)}%”按 {fmt_number(step.size)} 个百分点计（指标是百分比）")
                return diff, f"{step.word or '相差'} {fmt_number(diff, 4)} 个百分点"
            if not ref > 0:
                return diff, f"{step.word or '相差'} {fmt_number(diff, 4)}{c.unit}"
            rel = diff / ref * 100
            self.notes.append(f"“{fmt_number(step.size)}%”按标准值 {fmt_number(ref)}{c.unit} 的百分比计")
            return rel, f"{step.word or '相差'} {fmt_number(diff, 4)}{c.unit}，即标准值的 {fmt_number(rel, 4)}%"
        if unit in w.point_units and not percent_target:
            self.notes.append(f"指标不是百分比：“{unit}”按数值之差计")
        if unit in w.time_units and c.unit in w.time_units and c.unit != unit:
            diff = diff * w.time_units[c.unit] / w.time_units[unit]
            self.notes.append(f"{c.unit}与{unit}按 1 {unit} = {fmt_number(w.time_units[unit])} 天折算")
        elif unit not in w.point_units and unit not in w.time_units and c.unit and unit not in c.unit:
            self.notes.append(f"评分标准的计分单位“{unit}”与指标值的单位“{c.unit}”不同：按指标值的数计")
        word = step.word or ("出现" if step.way == "event" else "相差")
        return diff, f"{word} {fmt_number(diff, 4)} {unit}"

    def _unit_mismatch(self) -> str:
        """Why the rule's numbers cannot be compared with the target's ("" when they can): 人次 against %."""
        rule_unit, unit = self.rule.unit, self.case.unit
        if rule_unit and unit and rule_unit != unit and not (rule_unit == "%" and unit != "%"):
            return f"评分标准的单位“{rule_unit}”与指标值的单位“{unit}”不同，无法比较"
        return ""

    def _value_in_bands(self) -> float | None:
        """The value the bands read: the actual, or the completion rate when the bands are percentages and the
        target is not one."""
        rule, c = self.rule, self.case
        if math.isnan(c.actual):
            return None
        if rule.unit == "%" and c.unit != "%" and c.target > 0:
            self.notes.append("评分标准按百分比分档，指标值不是百分比：按完成率（实际 ÷ 指标值）分档")
            return c.actual / c.target * 100
        return c.actual

    def _outcome(self, points: float, text: str, verdict: str | None = None, lead: str = " = ") -> Outcome:
        w, d = self.case.weight, self.settings.decimals
        points = min(max(points, 0.0), self.full)
        share = points / self.full
        scaled = round_half_up(points * w / self.full, d) if abs(self.full - w) > EPS else round_half_up(points, d)
        scaled = min(max(scaled, 0.0), w)
        if abs(self.full - w) > EPS:
            text += f"{lead}{fmt_number(points, 4)}；按分值折算 {fmt_number(points, 4)} × {fmt_number(w)} ÷ {fmt_number(self.full)} = {scaled:.{d}f}"
        else:
            text += f"{lead}{scaled:.{d}f}"
        if verdict is None:
            verdict = _verdict(share, self.settings)
        return Outcome(scaled, share, verdict, f"评分标准：{self.rule.describe()}；{text}", tuple(self.notes),
                       tuple(self.flags))


def _q(x: float, unit: str) -> str:
    """A quantity as the arithmetic shows it: 85%, 3 次.

    >>> _q(85.0, "%"), _q(3.0, "次"), _q(2.5, "")
    ('85%', '3 次', '2.5')
    """
    n = fmt_number(x, 4)
    return f"{n}{unit}" if unit in ("%", "") else f"{n} {unit}"


def _verdict(share: float, s: Settings) -> str:
    if share >= 1 - EPS:
        return str(Verdict.MET)
    if s.partial_from is not None and share * 100 >= s.partial_from - EPS:
        return str(Verdict.PARTLY_MET)
    return str(Verdict.NOT_MET)


def _points_text(band: Band, full: float) -> str:
    p = band.points
    return p.describe() if p.how == "points" else f"{p.describe()}（{fmt_number(p.of(full), 4)} 分）"


def _completion(c: Case) -> tuple[float | None, str]:
    """The share of the target reached, and how it was worked out."""
    b, a = c.actual, c.target
    if not math.isnan(b) and not math.isnan(a):
        if c.op in ("<=", "<"):
            if b <= a or b <= 0:
                return 1.0, f"{fmt_number(b)} 不超过 {fmt_number(a)}，完成比例 1"
            return a / b, f"完成比例 {fmt_number(a)} ÷ {fmt_number(b)} = {fmt_number(a / b, 4)}"
        if c.op == "between" and not math.isnan(c.high):
            if a <= b <= c.high:
                return 1.0, f"{fmt_number(b)} 在 {fmt_number(a)}–{fmt_number(c.high)} 内，完成比例 1"
            if b > c.high:
                return c.high / b, f"完成比例 {fmt_number(c.high)} ÷ {fmt_number(b)} = {fmt_number(c.high / b, 4)}"
        if a > 0:
            return b / a, f"完成比例 {fmt_number(b)} ÷ {fmt_number(a)} = {fmt_number(b / a, 4)}"
        return (1.0 if b >= a else 0.0), f"{fmt_number(b)} 与指标值 {fmt_number(a)} 相比，完成比例 {1 if b >= a else 0}"
    if not math.isnan(c.percent):
        return c.percent / 100, f"填写的完成比例 {fmt_number(c.percent)}%"
    if c.verdict == Verdict.MET:
        return 1.0, "已完成，完成比例 1"
    return None, ""
