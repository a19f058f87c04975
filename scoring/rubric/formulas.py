"""The formulas of scoring-rules.md §4–§5 over whole arrays: which rule applies to each indicator
(its :class:`~scoring.rubric.codes.Outcome`), the factor it applies to the weight, the verdict and
the rounded score.

Rules are tried in order; the first that matches an indicator decides it (:class:`Decider`).
Everything is numpy: one pass per rule over the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoring.language.numerals import fmt_number
from scoring.rounding import round_half_up_array
from scoring.rubric.codes import (
    FORMULA_OUTCOMES,
    OTHER_KIND_REASONS,
    VERDICT_OUTCOMES,
    KindCode,
    Op,
    Outcome,
    ReadKind,
)
from scoring.rubric.inputs import Actuals, Targets
from scoring.rubric.profile import Profile
from scoring.vocab import BANDED, VERDICT_CODE, Verdict

UNKNOWN_CODE = VERDICT_CODE[Verdict.UNKNOWN]


@dataclass(frozen=True)
class Result:
    """Per indicator: what the formulas decided."""

    verdict: np.ndarray  # index into scoring.vocab.ALL
    ratio: np.ndarray  # the uncapped factor applied to the weight; NaN when not computable
    outcome: np.ndarray  # Outcome
    score: np.ndarray  # rounded half up, after any deduction
    over: np.ndarray  # over-achievement (flagged)
    deducted: np.ndarray  # the profile's over-achievement deduction applied
    boundary: np.ndarray  # on the excluded bound of a strict operator (flagged)
    reason: np.ndarray  # why 无法判定, "" otherwise
    negative: np.ndarray  # a negative actual (kept with its sign: -5 % < 20 %; a score is floored at 0)
    satisfaction_band: np.ndarray  # a bare verdict on a 满意度 indicator scored by band
    actual: np.ndarray  # B as used, with its sign
    held: np.ndarray  # a missed target whose w × ratio rounds to the weight: one rounding unit below it
    no_survey: np.ndarray  # a bare verdict on a 满意度 indicator (scored by band or 无法判定, by the profile)


class Decider:
    """The outcome, factor, met-ness and boundary of each indicator, filled rule by rule: a rule
    only decides indicators no earlier rule decided."""

    def __init__(self, n: int):
        self.outcome = np.full(n, Outcome.NOT_COMPUTABLE, dtype=np.int8)
        self.ratio = np.full(n, np.nan)
        self.met = np.zeros(n, dtype=bool)
        self.boundary = np.zeros(n, dtype=bool)

    def put(self, mask, outcome: Outcome, ratio, met: bool = False, edge: bool = False) -> None:
        mask = mask & (self.outcome == Outcome.NOT_COMPUTABLE)
        self.outcome[mask] = outcome
        self.ratio = np.where(mask, ratio, self.ratio)
        self.met[:] = np.where(mask, met, self.met)
        self.boundary[:] = np.where(mask, edge, self.boundary)


def apply(p: Profile, t: Targets, a: Actuals, satisfaction: np.ndarray, w: np.ndarray) -> Result:
    n = len(t.kind)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        negative = (a.kind == ReadKind.NUMBER) & (a.number < 0)
        B = a.number  # with its sign: a growth rate of -5 % is below 20 %, not 0
        d = Decider(n)
        decide_quantitative(d, p, t, a, B)
        decide_ranges(d, p, t, a, B)
        decide_deadlines_and_directions(d, p, t, a)
        no_survey, bad_pct, vk = decide_verdicts(d, p, t, a, satisfaction)
        sat_band = no_survey & (p.satisfaction_without_survey != "unreadable")
        reason = _reasons(d, p, t, a, no_survey, bad_pct, vk)

        share = np.clip(np.nan_to_num(d.ratio, nan=0.0), 0.0, 1.0)
        share = np.where(d.met, 1.0, share)
        unknown = d.outcome == Outcome.NOT_COMPUTABLE
        score = round_half_up_array(np.where(unknown, 0.0, w * share), p.decimals)
        score = np.minimum(score, w)  # float noise never lifts a score above its weight
        # Not a strict boundary: its score is the formula's (strict_boundary)
        missed = np.isin(d.outcome, FORMULA_OUTCOMES) & ~d.met & ~d.boundary
        score, held = below_full_marks(score, w, missed, p.decimals)
        verdict = verdict_codes(d, p, share, vk)

        # over-achievement (正向, 等于): flag, and the deduction a profile may set
        A = t.value
        over_ops = np.isin(t.op, [Op.of(o) for o in p.over_ops])
        quant = (t.kind == KindCode.QUANTITATIVE) & (a.kind == ReadKind.NUMBER) & ~np.isnan(A)
        at = A * p.over_threshold / 100
        over = quant & over_ops & (A > 0) & ((B >= at) | np.isclose(B, at, rtol=1e-9))
        deducted = over & (p.over_deduction > 0)
        score = np.where(deducted, np.maximum(round_half_up_array(score - p.over_deduction, p.decimals), 0.0), score)
    return Result(verdict.astype(np.int8), d.ratio, d.outcome, score, over, deducted, d.boundary, reason, negative,
                  sat_band, B, held, no_survey)


def below_full_marks(score: np.ndarray, w: np.ndarray, missed: np.ndarray, decimals: int):
    """A missed target never shows full marks: where w × ratio rounds half up to the weight (10 × 1999 ÷ 2000
    = 9.995 → 10.00) the score is one rounding unit (``rounding.decimals``) below it (9.99), and the
    explanation says so. Returns the scores and where that happened."""
    below = np.maximum(np.round(w - 10.0 ** -decimals, decimals), 0.0)
    held = missed & (w > 0) & (score > below)
    return np.where(held, below, score), held


def decide_quantitative(d: Decider, p: Profile, t: Targets, a: Actuals, B: np.ndarray) -> None:
    """A number against a quantitative target (≥, >, ≤, <, =, a target of 0): scoring-rules.md §4."""
    n = len(B)
    A = t.value
    close = np.isclose(B, A, rtol=1e-9, atol=1e-12)
    quant = (t.kind == KindCode.QUANTITATIVE) & (a.kind == ReadKind.NUMBER) & ~np.isnan(A)
    ge, gt, le, lt, eq = (t.op == Op.AT_LEAST), (t.op == Op.ABOVE), (t.op == Op.AT_MOST), (t.op == Op.BELOW), \
        (t.op == Op.EQUAL)
    pos_a = A > 0
    one = np.ones(n)
    b_over_a = np.where(pos_a, B / A, 0.0)
    # on the bound of “>A”/“<A”: 达成 when lenient (达到年度指标值), else 未达成 with the formula's score. A bound
    # of 0 is not reached by 0 (“大于0” asks for something to happen): 未达成, 0 points, whatever the setting
    lenient = (p.strict_boundary == "lenient") & (A != 0)
    on_bound = np.where(A != 0, one, 0.0)
    # 正向 (a negative bound missed below scores by the distance from 0: w × A/B = w × |A| ÷ |B|)
    d.put(quant & ge & ((B >= A) | close), Outcome.AT_LEAST_MET, np.where(pos_a, B / A, 1.0), True)
    d.put(quant & gt & (B > A) & ~close, Outcome.AT_LEAST_MET, np.where(pos_a, B / A, 1.0), True)
    d.put(quant & gt & close, Outcome.ABOVE_ON_BOUNDARY, on_bound, lenient, edge=True)
    d.put(quant & (ge | gt), Outcome.AT_LEAST_SHORT, np.where(A < 0, A / B, b_over_a))
    # zero targets: all or nothing (a negative actual under “≤0” is below the bound, as any 反向 one)
    zero = quant & (le | lt | eq) & (A == 0) & ~((le | lt) & (B < 0) & ~close) & ~(lt & close)
    d.put(zero & np.isclose(B, 0.0, rtol=0, atol=1e-12), Outcome.ZERO_MET, one, True)
    d.put(zero, Outcome.ZERO_MISSED, np.zeros(n))
    # 反向 (a negative bound missed above: w × B/A, the distance from 0, whatever the profile's at_most)
    a_over_b = np.where(B > 0, A / B, np.nan)
    d.put(quant & le & ((B <= A) | close), Outcome.AT_MOST_MET, a_over_b, True)
    d.put(quant & lt & (B < A) & ~close, Outcome.AT_MOST_MET, a_over_b, True)
    d.put(quant & lt & close, Outcome.BELOW_ON_BOUNDARY, on_bound, lenient, edge=True)
    d.put(quant & (le | lt) & (A < 0), Outcome.AT_MOST_OVER_INVERSE, B / A)
    if p.at_most == "linear":
        d.put(quant & (le | lt) & pos_a, Outcome.AT_MOST_OVER_LINEAR, 1 - (B - A) / A)
    else:
        d.put(quant & (le | lt) & pos_a, Outcome.AT_MOST_OVER_INVERSE, a_over_b)
    # 等于
    d.put(quant & eq & close, Outcome.EQUAL_MET, one, True)
    d.put(quant & eq & (B > A), Outcome.EQUAL_EXCEEDED, b_over_a, True)
    d.put(quant & eq & pos_a, Outcome.EQUAL_SHORT, b_over_a)


def decide_ranges(d: Decider, p: Profile, t: Targets, a: Actuals, B: np.ndarray) -> None:
    """A range L–H: w × B/L below, w × H/B above; a bound on the far side of 0 (a band around 0, ``±3%以内``)
    scores by the distance from 0: w × L/B = w × |L| ÷ |B| below a negative L, w × B/H above a negative H.
    A bound of 0 missed, or an open bound of 0 met exactly, scores 0."""
    A, H = t.value, t.high
    rng = (t.kind == KindCode.RANGE) & (a.kind == ReadKind.NUMBER) & ~np.isnan(A) & ~np.isnan(H)
    close = np.isclose(B, A, rtol=1e-9, atol=1e-12)
    hi_close = np.isclose(B, H, rtol=1e-9, atol=1e-12)
    above_lo = (B > A) | (close & ~t.strict_low)
    below_hi = (B < H) | (hi_close & ~t.strict_high)
    one = np.ones(len(B))
    d.put(rng & above_lo & below_hi, Outcome.RANGE_INSIDE, one, True)
    open_bound = rng & ((close & t.strict_low) | (hi_close & t.strict_high))
    d.put(open_bound, Outcome.RANGE_ON_OPEN_BOUND, np.where(B != 0, one, 0.0),
          (p.strict_boundary == "lenient") & (B != 0), edge=True)
    d.put(rng & (B < A), Outcome.RANGE_BELOW, np.where(A > 0, B / A, np.where(A < 0, A / B, 0.0)))
    d.put(rng & (B > H), Outcome.RANGE_ABOVE, np.where(H > 0, H / B, np.where(H < 0, B / H, 0.0)))


def decide_deadlines_and_directions(d: Decider, p: Profile, t: Targets, a: Actuals) -> None:
    """A date against a deadline, a change's sign against its direction, and late without a date."""
    n = len(t.kind)
    dl = (t.kind == KindCode.DEADLINE) & (a.kind == ReadKind.DATE) & ~np.isnan(a.deadline)
    d.put(dl & (a.day <= a.deadline), Outcome.DEADLINE_MET, np.ones(n), True)
    d.put(dl, Outcome.DEADLINE_LATE, np.full(n, p.band(p.deadline_late).default / 100))
    want = np.where(t.op == Op.INCREASE, 1, -1)
    gr = (t.kind == KindCode.DIRECTIONAL) & (a.kind == ReadKind.GROWTH)
    d.put(gr & (a.sign == want), Outcome.DIRECTION_RIGHT, np.ones(n), True)
    d.put(gr, Outcome.DIRECTION_WRONG, np.full(n, p.band(p.directional_wrong).default / 100))
    late = a.late & np.isin(t.kind, (KindCode.DEADLINE, KindCode.QUALITATIVE))
    d.put(late, Outcome.LATE_WITHOUT_DATE, np.full(n, p.band(p.deadline_late).default / 100))


def _band_table(p: Profile):
    bands = [p.band(v) for v in BANDED]
    return (np.array([b.min for b in bands]), np.array([b.max for b in bands]), np.array([b.top for b in bands]),
            np.array([b.default for b in bands]))


def decide_verdicts(d: Decider, p: Profile, t: Targets, a: Actuals, satisfaction: np.ndarray):
    """Verdicts written out or read from free text. Returns (a bare verdict on a 满意度 indicator: no survey
    figure, a percentage outside its band, the verdict index).

    A 满意度 indicator answered with a bare verdict (``满意``, ``基本满意``, ``达成``) has no survey figure whatever
    its target's form (``≥90%``, ``满意``, ``逐步提高``): ``qualitative.satisfaction_without_survey`` decides,
    as scoring-rules.md §5 says (by the band written, at best a named band, or 无法判定)."""
    lo, hi, top, default = _band_table(p)
    vk = np.clip(a.verdict, 0, 2)
    is_verdict = a.kind == ReadKind.VERDICT
    ok_kind = np.isin(t.kind, (KindCode.DEADLINE, KindCode.DIRECTIONAL, KindCode.QUALITATIVE))
    survey_kind = np.isin(t.kind, (KindCode.QUANTITATIVE, KindCode.RANGE, KindCode.DIRECTIONAL,
                                   KindCode.QUALITATIVE))
    no_survey = is_verdict & survey_kind & satisfaction & ~a.late
    sws = p.satisfaction_without_survey  # band, unreadable, or the best band a bare verdict may get
    sat_band = no_survey & (sws != "unreadable")
    if sws in BANDED:  # no better than that band: a worse word keeps its own
        capped = sat_band & (vk < BANDED.index(sws))
        vk = np.where(capped, BANDED.index(sws), vk)
        d.put(capped, Outcome.VERDICT_BAND, default[vk] / 100)
    scorable = is_verdict & ((ok_kind & ~no_survey) | sat_band)
    has_pct = ~np.isnan(a.percent)
    in_band = (a.percent >= lo[vk]) & ((a.percent < hi[vk]) | (top[vk] & (a.percent == hi[vk])))
    d.put(scorable & has_pct & in_band, Outcome.VERDICT_PERCENT, a.percent / 100)
    d.put(scorable & ~has_pct, Outcome.VERDICT_BAND, default[vk] / 100)
    return no_survey, scorable & has_pct & ~in_band, vk


def _reasons(d: Decider, p: Profile, t: Targets, a: Actuals, no_survey, bad_pct, vk) -> np.ndarray:
    """Why each 无法判定 is one, "" for the others."""
    unknown = d.outcome == Outcome.NOT_COMPUTABLE
    reason = np.where(unknown, a.reason, "").astype(object)
    for i in np.flatnonzero(bad_pct):
        band = p.band(BANDED[vk[i]])
        reason[i] = f"给出的百分比 {fmt_number(a.percent[i])}% 不在“{band.name}”的档次 {band.describe()} 内"
    names = np.array([str(v) for v in BANDED], dtype=object)
    is_verdict = a.kind == ReadKind.VERDICT
    verdict_on_quant = is_verdict & (t.kind <= KindCode.RANGE) & ~no_survey
    reason[verdict_on_quant] = ("定量指标的实际完成值应为数值，不能只填判定（" + names[vk[verdict_on_quant]] + "）")
    survey = no_survey & (p.satisfaction_without_survey == "unreadable")
    reason[survey] = ("满意度只填了判定（" + names[vk[survey]] + "），没有调查数据（满意度百分比）：按评分规则 "
                      f"satisfaction_without_survey: {p.satisfaction_without_survey} 记为无法判定")
    # masked assignments, not np.where with a text: that would make one copy of the text per indicator
    reason[unknown & (a.kind == ReadKind.NUMBER) & (t.kind >= KindCode.DEADLINE)] = "实际完成值是数值，与指标值的类型不符"
    dl = (t.kind == KindCode.DEADLINE) & (a.kind == ReadKind.DATE)
    reason[unknown & dl & np.isnan(a.deadline)] = "时限没有年份，且未给评价年度"
    reason[unknown & (reason == "")] = "实际完成值与指标值无法比较"
    for i in np.flatnonzero(t.kind == KindCode.OTHER):
        kind = t.comparators[t.index[i]].kind
        reason[i] = OTHER_KIND_REASONS.get(kind, f"指标值的类型“{kind}”无法评分")
    return reason


def verdict_codes(d: Decider, p: Profile, share: np.ndarray, vk: np.ndarray) -> np.ndarray:
    """Each indicator's verdict as an index into :data:`scoring.vocab.ALL`, from what decided it."""
    partial = (p.partial_from is not None) & (share * 100 >= (p.partial_from or 0) - 1e-9)
    met, not_met, partly = VERDICT_CODE[Verdict.MET], VERDICT_CODE[Verdict.NOT_MET], VERDICT_CODE[Verdict.PARTLY_MET]
    # a strict boundary (“>90%” with 90 %, strict_boundary: strict) is 未达成 whatever its share
    q_verdict = np.where(d.met, met, np.where(partial & ~d.boundary, partly, not_met))
    verdict = np.where(d.outcome == Outcome.NOT_COMPUTABLE, UNKNOWN_CODE, q_verdict)
    verdict = np.where(np.isin(d.outcome, VERDICT_OUTCOMES), vk, verdict)
    late = np.isin(d.outcome, (Outcome.DEADLINE_LATE, Outcome.LATE_WITHOUT_DATE))
    verdict = np.where(late, BANDED.index(p.deadline_late), verdict)
    return np.where(d.outcome == Outcome.DIRECTION_WRONG, BANDED.index(p.directional_wrong), verdict)
