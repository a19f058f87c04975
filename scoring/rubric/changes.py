"""Change targets (较上年增长10%, 同比下降4%, 提高2个百分点, 在5万元基础上增加): scored from a baseline B0
(the indicators' ``baseline`` column, else a value stated in the target) and the actual B1.

Achieved change: relative ``%`` = (B1 − B0) ÷ |B0| × 100; ``个百分点`` = B1 − B0; an absolute unit = B1 − B0.
Met when the change reaches the amount in the target's direction; short: w × achieved ÷ amount, floored at 0
(verdict by the profile's ``partial_from``), so a planned decrease achieved as an increase scores 0; a profile
with ``quantitative.change_wrong_way: band`` scores the wrong way by its ``directional_wrong`` band instead, as
it always does a change without an amount (``稳定增加``). The actual B1 is read as a level
(:func:`scoring.actuals.numbers.change_level`: ``93%`` is 93 % against 基数 90 %), unless the clerk wrote the
change itself (``同比下降5%``: a growth reading, scored without a 基数). Without either the target stays 无法判定
(需要基数) with a hint to fill 基数.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.actuals.advice import BASELINE_HINT, ZERO_HINT, Advice
from scoring.language.numerals import fmt_number
from scoring.rounding import round_half_up_array
from scoring.rubric.codes import KindCode, ReadKind
from scoring.rubric.explain import equals, not_judged
from scoring.rubric.formulas import Result, below_full_marks
from scoring.rubric.inputs import Actuals, Targets, spread
from scoring.rubric.profile import Profile
from scoring.vocab import BANDED, VERDICT_CODE, TargetKind, Verdict

ZERO_BASELINE = "基数为 0，无法计算增长率"
POINTS = "个百分点"


@dataclass(frozen=True)
class Changes:
    """Per indicator (NaN / "" where the target is not a change): the baseline used and the change achieved."""

    mask: np.ndarray  # the target is a change
    baseline: np.ndarray
    change: np.ndarray  # achieved change in the target's unit (%, 个百分点 or the absolute unit)
    explanation: np.ndarray  # object; "" when not written here
    reason: np.ndarray  # object: why a change target is 无法判定 here ("" when not decided here)
    hint: np.ndarray  # object: the advice for a change target that stayed 无法判定 ("" otherwise)
    hint_code: np.ndarray  # object: its :class:`~scoring.actuals.advice.Advice`
    scored: np.ndarray  # the change was scored against a baseline
    actual: np.ndarray  # the level B1 compared with the baseline


def baselines(df: pd.DataFrame, t: Targets) -> np.ndarray:
    """B0 per indicator: the ``baseline`` column, else a value stated in the target itself."""
    col = df["baseline"] if "baseline" in df.columns else pd.Series(np.nan, index=df.index)
    given = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
    stated = spread([c.baseline.value if c.baseline and c.baseline.value is not None else np.nan
                     for c in t.comparators], t.index, float)
    return np.where(np.isnan(given), stated, given) if len(given) else given


def change_units(t: Targets) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per indicator: relative (%), points (个百分点), increase (else decrease)."""
    def col(f):
        return spread([f(c) for c in t.comparators], t.index, bool)
    return col(lambda c: c.unit == "%"), col(lambda c: c.unit == POINTS), col(lambda c: c.op == "increase")


def apply(df: pd.DataFrame, p: Profile, t: Targets, a: Actuals, res: Result, w: np.ndarray) -> Changes:
    """Score the change targets in ``res`` (its arrays are updated in place); return what to show."""
    n = len(t.kind)
    mask = t.kind == KindCode.OTHER
    if n:
        mask &= np.array([c.kind == TargetKind.CHANGE for c in t.comparators], dtype=bool)[t.index]
    b0 = np.where(mask, baselines(df, t), np.nan) if n else np.zeros(0)
    rel, _pts, inc = change_units(t) if n else (np.zeros(0, bool),) * 3
    b1 = np.where(a.kind == ReadKind.NUMBER, a.number, np.nan)  # the level (scoring.actuals.numbers.change_level)
    amount = np.where(mask & np.isnan(t.value), 0.0, t.value)  # 稳定增加: any change the right way
    cap = np.where(mask, t.high, np.nan) if n else np.zeros(0)  # 增长不超过5%: at most this change
    capped = ~np.isnan(cap)
    given = mask & (a.kind == ReadKind.GROWTH) & ~np.isnan(a.number)  # the change itself was written: 下降5%
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = b1 - b0
        change = np.where(given, a.number, np.where(rel, delta / np.abs(b0) * 100, delta))
        signed = np.where(inc, change, -change)
        zero = mask & rel & (b0 == 0) & ~given
        ok = ((mask & ~np.isnan(b0) & ~np.isnan(b1) & ~zero) | given) & ~np.isnan(amount)
        reach = (signed >= amount) | np.isclose(signed, amount, rtol=1e-9, atol=1e-12)
        within = np.where(t.strict_high, signed < cap, (signed <= cap) | np.isclose(signed, cap, rtol=1e-9, atol=1e-12))
        met = ok & np.where(capped, within, np.where(amount > 0, reach, signed > 0))
        wrong = ok & ~met & ~capped & (signed < 0) & ((amount <= 0) | (p.change_wrong_way == "band"))
        over = np.clip(np.where(capped & (signed > 0) & (cap > 0), cap / signed, 0.0), 0.0, 1.0)  # reverse: cap ÷ change
        share = np.where(met, 1.0, np.where(wrong, p.band(p.directional_wrong).default / 100, np.where(
            capped, over, np.clip(np.where(amount > 0, signed / amount, 0.0), 0.0, 1.0))))
    score = round_half_up_array(np.where(ok, w * share, 0.0), p.decimals)
    score = np.minimum(score, w)
    score, held = below_full_marks(score, w, ok & ~met, p.decimals)
    partial = (p.partial_from is not None) & (share * 100 >= (p.partial_from or 0) - 1e-9)
    verdict = np.where(met, VERDICT_CODE[Verdict.MET], np.where(partial, VERDICT_CODE[Verdict.PARTLY_MET],
                                                                VERDICT_CODE[Verdict.NOT_MET]))
    verdict = np.where(wrong, BANDED.index(p.directional_wrong), verdict)
    res.score[ok] = score[ok]
    res.verdict[ok] = verdict[ok]
    res.ratio[ok] = np.where(met & ~capped, signed / np.where(amount > 0, amount, 1.0), share)[ok]
    res.reason[ok] = ""
    res.reason[zero] = ZERO_BASELINE
    missing = mask & np.isnan(b0) & ~given
    expl = np.full(n, "", dtype=object)
    for i in np.flatnonzero(ok):
        expl[i] = (explain_capped(i, t, b0, b1, change, signed, cap, w, res, p, met, rel, held) if capped[i] else
                   explain_change(i, t, b0, b1, change, signed, amount, w, res, p, met, wrong, rel, held))
    reason = np.full(n, "", dtype=object)
    for i in np.flatnonzero(zero):
        reason[i] = f"{_head(i, b0, b1)}：{ZERO_BASELINE}"
        expl[i] = not_judged(reason[i])
    hint, code = np.full(n, "", dtype=object), np.full(n, Advice.NONE, dtype=object)
    hint[missing], code[missing] = BASELINE_HINT, Advice.BASELINE
    hint[zero], code[zero] = ZERO_HINT, Advice.ZERO_BASELINE
    return Changes(mask, b0, np.where(ok, change, np.nan), expl, reason, hint, code, ok, b1)


# What the parser assumed before a baseline was known: no longer true once scored.
STALE_ASSUMPTIONS = ("需要基数",)


def settled(assumptions: object, actual: object, ch: Changes) -> tuple[np.ndarray, np.ndarray]:
    """The assumptions and the shown actual of the scored change targets, without the notes that were
    only true while no baseline was known (the actual is shown as read: the level)."""
    notes, shown = _objects(assumptions, len(ch.scored)), _objects(actual, len(ch.scored))
    for i in np.flatnonzero(ch.scored):
        notes[i] = tuple(a for a in notes[i] if not any(w in a for w in STALE_ASSUMPTIONS))
    return notes, shown


def _objects(values: object, n: int) -> np.ndarray:
    """A new 1-d object array of ``values`` (a series, an array or a list)."""
    if isinstance(values, pd.Series | np.ndarray) and np.ndim(values) == 1:
        return np.asarray(values, dtype=object).copy()
    out = np.empty(n, dtype=object)
    out[:] = list(values)  # element by element: tuples of one length must not become a 2-D array
    return out


def _head(i, b0, b1) -> str:
    """What a change was taken from: the two levels, or the change as written."""
    return f"基数 {fmt_number(b0[i])} → 实际 {fmt_number(b1[i])}" if b1[i] == b1[i] else "实际完成值写的是变化幅度"


def _how(i, b0, change, rel, unit) -> str:
    """The change achieved, in words."""
    neg = "（基数为负数，增长率按基数的绝对值计算）" if rel[i] and b0[i] < 0 else ""
    moved = "增长" if change[i] > 0 else ("下降" if change[i] < 0 else "未变化")
    return f"{moved} {fmt_number(abs(change[i]))}{unit}{neg}" if change[i] else "未变化"


def explain_capped(i, t, b0, b1, change, signed, cap, w, res, p, met, rel, held) -> str:
    """A change of at most an amount (增长不超过5%): met at or below it, else w × cap ÷ change (as a reverse target)."""
    c = t.comparators[t.index[i]]
    word = "增长" if c.op == "increase" else "下降"
    aim = f"目标{word} {'<' if c.strict_high else '≤'}{fmt_number(cap[i])}{c.unit}"
    head, how, s = _head(i, b0, b1), _how(i, b0, change, rel, c.unit), f"{res.score[i]:.{p.decimals}f}"
    if met[i]:
        return f"{head}：{how}，{aim} → 达成，满分 {s}"
    if not cap[i] > 0:
        return f"{head}：{how}，{aim} → 未达到 → {s}"
    end = equals(w[i] * cap[i] / signed[i], bool(held[i]), p.decimals, s)
    return f"{head}：{how}，{aim} → 超过上限，{fmt_number(w[i])} × {fmt_number(cap[i])} ÷ {fmt_number(signed[i])} {end}"


def explain_change(i, t, b0, b1, change, signed, amount, w, res, p, met, wrong, rel, held) -> str:
    """The arithmetic of the change target at row ``i`` in words (the arrays of :func:`apply`)."""
    c = t.comparators[t.index[i]]
    unit = c.unit
    word = "增长" if c.op == "increase" else "下降"
    head, how = _head(i, b0, b1), _how(i, b0, change, rel, unit)
    aim = f"目标{word} ≥{fmt_number(amount[i])}{unit}" if amount[i] > 0 else f"目标{word}"
    s = f"{res.score[i]:.{p.decimals}f}"
    if met[i]:
        return f"{head}：{how}，{aim} → 达成，满分 {s}"
    if wrong[i]:
        band = p.band(p.directional_wrong)
        return f"{head}：{how}，{aim}，方向相反 → {band.name}档 {fmt_number(w[i])} × {fmt_number(band.default)}% = {s}"
    if not amount[i] > 0:  # 稳定增加 answered 未变化: no amount to divide by
        return f"{head}：{how}，{aim} → 未达到 → {s}"
    end = equals(w[i] * signed[i] / amount[i], bool(held[i]), p.decimals, s)
    if signed[i] < 0:
        return f"{head}：{how}，{aim}，方向相反 → 按比例 {fmt_number(w[i])} × {fmt_number(signed[i])} ÷ {fmt_number(amount[i])} {end}"
    return f"{head}：{how}，{aim} → 未达到，{fmt_number(w[i])} × {fmt_number(signed[i])} ÷ {fmt_number(amount[i])} {end}"


