"""The words an auditor reads: the arithmetic of each score (``explanation``) and the flags.

One small function per :class:`~scoring.rubric.codes.Outcome` writes the arithmetic of that rule
with the indicator's own numbers, so each score can be recomputed by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from scoring.language.numerals import fmt_number
from scoring.rubric.codes import Op, Outcome
from scoring.rubric.formulas import UNKNOWN_CODE, VERDICT_CODE, Result
from scoring.rubric.inputs import Actuals, Targets
from scoring.rubric.profile import Band, Profile
from scoring.verdicts import BANDED, Verdict


@lru_cache(maxsize=200_000)
def _r(x: float) -> str:
    """A ratio for reading, 4 significant places."""
    return f"{x:.4g}"


class Row(NamedTuple):
    """One indicator's numbers, as the explanation of its outcome uses them."""

    outcome: int
    a: float  # target (lower bound)
    h: float  # upper bound
    b: float  # actual as used
    weight: float
    score: float
    ratio: float
    done: float  # completion day (ordinal)
    deadline: float  # deadline day (ordinal)
    sign: int
    op: int
    verdict: int  # index into BANDED
    percent: float
    reason: str
    deducted: bool


class _Words(NamedTuple):
    """What every explanation needs besides the row: the score and weight as written, the bands."""

    S: str  # the score shown (full marks of a met target when a deduction follows)
    W: str  # the weight
    profile: Profile
    late: Band
    wrong: Band


def _day(x: float) -> date:
    return date.fromordinal(int(x))


def _at_least_met(r: Row, s: _Words) -> str:
    return f"{fmt_number(r.b)} ÷ {fmt_number(r.a)} ≥ 1 → 满分 {s.S}" if r.a > 0 else f"{fmt_number(r.b)} ≥ {fmt_number(r.a)} → 满分 {s.S}"


def _at_least_short(r: Row, s: _Words) -> str:
    if r.a > 0:
        return f"{fmt_number(r.b)} ÷ {fmt_number(r.a)} = {_r(r.ratio)} < 1 → {s.W} × {fmt_number(r.b)} ÷ {fmt_number(r.a)} = {s.S}"
    return f"{fmt_number(r.b)} < {fmt_number(r.a)} → 0 分"


def _above_on_boundary(r: Row, s: _Words) -> str:
    if r.a > 0:
        return (f"{fmt_number(r.b)} = {fmt_number(r.a)}，未超过目标（“>”不含本数），未达成；按公式 {s.W} × {fmt_number(r.b)} ÷ {fmt_number(r.a)} = {s.W}，"
                f"未达成不得满分 → {s.S}")
    return f"{fmt_number(r.b)} = {fmt_number(r.a)}，未超过目标（“>”不含本数）→ 0 分"


def _at_most_met(r: Row, s: _Words) -> str:
    return f"{fmt_number(r.b)} ≤ {fmt_number(r.a)} → 满分 {s.S}" if r.op == Op.AT_MOST else f"{fmt_number(r.b)} < {fmt_number(r.a)} → 满分 {s.S}"


def _at_most_linear(r: Row, s: _Words) -> str:
    text = f"{fmt_number(r.b)} > {fmt_number(r.a)}（反向指标，线性扣分）→ {s.W} × (1 − ({fmt_number(r.b)} − {fmt_number(r.a)}) ÷ {fmt_number(r.a)}) = {s.S}"
    return text + "（不低于 0）" if r.ratio <= 0 else text


def _deadline_late(r: Row, s: _Words) -> str:
    return (f"完成日期 {_day(r.done)} 晚于 {_day(r.deadline)}（逾期 {int(r.done - r.deadline)} 天）→ "
            f"{s.late.name}档 {s.W} × {fmt_number(s.late.default)}% = {s.S}")


def _direction_wrong(r: Row, s: _Words) -> str:
    moved = "增长" if r.sign > 0 else ("下降" if r.sign < 0 else "未变化")
    return f"较上年{moved}，方向不符 → {s.wrong.name}档 {s.W} × {fmt_number(s.wrong.default)}% = {s.S}"


def _verdict_band(r: Row, s: _Words) -> str:
    band = s.profile.band(BANDED[r.verdict])
    return f"{BANDED[r.verdict]}（本档默认 {fmt_number(band.default)}%）→ {s.W} × {fmt_number(band.default)}% = {s.S}"


_TEXT: dict[Outcome, Callable[[Row, _Words], str]] = {
    Outcome.AT_LEAST_MET: _at_least_met,
    Outcome.AT_LEAST_SHORT: _at_least_short,
    Outcome.ABOVE_ON_BOUNDARY: _above_on_boundary,
    Outcome.AT_MOST_MET: _at_most_met,
    Outcome.AT_MOST_OVER_INVERSE: lambda r, s: f"{fmt_number(r.b)} > {fmt_number(r.a)}（反向指标）→ {s.W} × {fmt_number(r.a)} ÷ {fmt_number(r.b)} = {s.S}",
    Outcome.AT_MOST_OVER_LINEAR: _at_most_linear,
    Outcome.BELOW_ON_BOUNDARY: lambda r, s: (f"{fmt_number(r.b)} = {fmt_number(r.a)}，未低于目标（“<”不含本数），未达成；"
                                             f"按公式 {s.W} × {fmt_number(r.a)} ÷ {fmt_number(r.b)} = {s.W}，未达成不得满分 → {s.S}"),
    Outcome.ZERO_MET: lambda r, s: f"目标为 0，实际 0 → 满分 {s.S}",
    Outcome.ZERO_MISSED: lambda r, s: f"目标为 {fmt_number(r.a)}，实际 {fmt_number(r.b)}，未达到 → 0 分（全有或全无）",
    Outcome.EQUAL_MET: lambda r, s: f"{fmt_number(r.b)} = {fmt_number(r.a)} → 满分 {s.S}",
    Outcome.EQUAL_EXCEEDED: lambda r, s: f"{fmt_number(r.b)} > {fmt_number(r.a)}（等于型指标超过目标）→ 满分 {s.S}",
    Outcome.EQUAL_SHORT: lambda r, s: f"{fmt_number(r.b)} ÷ {fmt_number(r.a)} = {_r(r.ratio)} < 1 → {s.W} × {fmt_number(r.b)} ÷ {fmt_number(r.a)} = {s.S}",
    Outcome.RANGE_INSIDE: lambda r, s: f"{fmt_number(r.a)} ≤ {fmt_number(r.b)} ≤ {fmt_number(r.h)} → 满分 {s.S}",
    Outcome.RANGE_BELOW: lambda r, s: f"{fmt_number(r.b)} < 下限 {fmt_number(r.a)} → {s.W} × {fmt_number(r.b)} ÷ {fmt_number(r.a)} = {s.S}",
    Outcome.RANGE_ABOVE: lambda r, s: f"{fmt_number(r.b)} > 上限 {fmt_number(r.h)} → {s.W} × {fmt_number(r.h)} ÷ {fmt_number(r.b)} = {s.S}",
    Outcome.RANGE_ON_OPEN_BOUND: lambda r, s: (f"{fmt_number(r.b)} 落在不含本数的边界上，未达成；按公式 {s.W} × 1 = {s.W}，"
                                               f"未达成不得满分 → {s.S}"),
    Outcome.DEADLINE_MET: lambda r, s: f"完成日期 {_day(r.done)} 不晚于 {_day(r.deadline)} → 满分 {s.S}",
    Outcome.DEADLINE_LATE: _deadline_late,
    Outcome.LATE_WITHOUT_DATE: lambda r, s: (f"逾期完成（未写完成日期）→ {s.late.name}档 {s.W} × {fmt_number(s.late.default)}% = "
                                             f"{s.S}"),
    Outcome.DIRECTION_RIGHT: lambda r, s: f"较上年{'增长' if r.sign > 0 else '下降'}，方向符合 → 满分 {s.S}",
    Outcome.DIRECTION_WRONG: _direction_wrong,
    Outcome.VERDICT_PERCENT: lambda r, s: f"{BANDED[r.verdict]} {fmt_number(r.percent)}% → {s.W} × {fmt_number(r.percent)}% = {s.S}",
    Outcome.VERDICT_BAND: _verdict_band,
}


def explanations(p: Profile, t: Targets, a: Actuals, res: Result, w: np.ndarray) -> np.ndarray:
    """The arithmetic of every score in words (``explanation`` column)."""
    n = len(res.outcome)
    if not n:
        return np.zeros(0, dtype=object)
    d = p.decimals
    late, wrong = p.band(p.deadline_late), p.band(p.directional_wrong)
    deduction = f"；实际达到目标的 {fmt_number(p.over_threshold)}% 及以上（超额），扣 {fmt_number(p.over_deduction)} 分"
    rows = zip(res.outcome.tolist(), t.value.tolist(), t.high.tolist(), res.actual.tolist(), w.tolist(),
               res.score.tolist(), res.ratio.tolist(), a.day.tolist(), a.deadline.tolist(), a.sign.tolist(),
               t.op.tolist(), np.clip(res.verdict, 0, 2).tolist(), a.percent.tolist(), res.reason.tolist(),
               res.deducted.tolist(), strict=True)
    out = []
    for values in rows:
        r = Row(*values)
        if r.outcome == Outcome.NOT_COMPUTABLE:
            out.append(f"无法判定：{r.reason} → 0 分")
            continue
        words = _Words(f"{(r.weight if r.deducted else r.score):.{d}f}", fmt_number(r.weight), p, late, wrong)
        text = _TEXT[Outcome(r.outcome)](r, words)
        out.append(f"{text}{deduction} → {r.score:.{d}f}" if r.deducted else text)
    arr = np.empty(n, dtype=object)
    arr[:] = out
    return arr


def flags(df: pd.DataFrame, p: Profile, t: Targets, a: Actuals, res: Result, group_flags: np.ndarray) -> np.ndarray:
    """The sentences an auditor must look at, per indicator (a tuple each)."""
    n = len(df)
    cell = df["cell"].to_numpy(dtype=object)
    verdict = res.verdict
    parts: list[np.ndarray] = []
    unknown = verdict == UNKNOWN_CODE
    if unknown.any():
        where = np.where(cell != "", "（" + cell + "）", "")
        parts.append(np.where(unknown, "无法判定：" + res.reason.astype(object) + where, ""))
    if res.boundary.any():
        unit = fmt_number(10.0 ** -p.decimals)
        parts.append(np.where(res.boundary, f"实际值恰在不含本数的边界上：未达成目标，按公式本应满分，记比满分少 {unit} 分，请复核", ""))
    if res.over.any():
        msg = f"超额完成：实际值达到目标的 {fmt_number(p.over_threshold)}% 及以上，目标可能定得过低，须说明原因"
        if p.over_deduction > 0:
            msg += f"（按本口径扣 {fmt_number(p.over_deduction)} 分）"
        parts.append(np.where(res.over, msg, ""))
    B, A = res.actual, t.value
    eq_above = (t.op == Op.EQUAL) & (verdict == VERDICT_CODE[Verdict.MET]) & (B > A) & ~np.isclose(B, A)
    if eq_above.any():
        parts.append(np.where(eq_above, "等于型指标的实际值超过目标值：按满分计，请复核", ""))
    if res.negative.any():
        parts.append(np.where(res.negative, "实际值为负数，按 0 计", ""))
    if res.satisfaction_band.any():
        parts.append(np.where(res.satisfaction_band, "满意度指标没有调查数据（满意度百分比），按定性档次计分", ""))
    late = (~np.isnan(a.day) & ~np.isnan(a.deadline) & (a.day > a.deadline)) | (res.outcome == Outcome.LATE_WITHOUT_DATE)
    if late.any():
        parts.append(np.where(late, "逾期完成", ""))
    if (group_flags != "").any():
        parts.append(group_flags)
    out = _gather(parts, n)
    has_notes = np.array([bool(r.notes) for r in a.readings], dtype=bool)[a.index] if n else np.zeros(0, bool)
    for i in np.flatnonzero(has_notes & ~unknown):
        out[i] = (*out[i], *a.notes[i])
    return out


def _gather(parts: list[np.ndarray], n: int) -> np.ndarray:
    """Per row, the tuple of the non-empty sentences of ``parts``."""
    out = object_array([()] * n)
    if not parts:
        return out
    stacked = np.stack([np.broadcast_to(np.asarray(x, dtype=object), (n,)) for x in parts], axis=1)
    any_flag = (stacked != "").any(axis=1)
    for i in np.flatnonzero(any_flag):
        out[i] = tuple(x for x in stacked[i] if x)
    return out


def object_array(values: list) -> np.ndarray:
    """A 1-d object array of exactly these values (tuples stay tuples)."""
    arr = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        arr[i] = v
    return arr
