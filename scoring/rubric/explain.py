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

from scoring.frames import per_distinct
from scoring.language.numerals import fmt_number
from scoring.rounding import round_half_up
from scoring.rubric.codes import Op, Outcome
from scoring.rubric.formulas import UNKNOWN_CODE, Result
from scoring.rubric.inputs import Actuals, Targets
from scoring.rubric.profile import Band, Profile
from scoring.vocab import BANDED, VERDICT_CODE, Verdict


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
    held: bool  # a missed target whose product rounds to the weight: one rounding unit below it


class Figures(NamedTuple):
    """What every explanation needs besides the row: the score and weight as written, the bands."""

    S: str  # the score shown (full marks of a met target when a deduction follows)
    W: str  # the weight
    profile: Profile
    late: Band
    wrong: Band


def _day(x: float) -> date:
    return date.fromordinal(int(x))


def _at_least_met(r: Row, s: Figures) -> str:
    return f"{fmt_number(r.b)} ÷ {fmt_number(r.a)} ≥ 1 → 满分 {s.S}" if r.a > 0 else f"{fmt_number(r.b)} ≥ {fmt_number(r.a)} → 满分 {s.S}"


def _product(x: float, decimals: int) -> str:
    """A product as it is (``= 9.995``), or to 4 more places than the score when it does not end (``≈ 9.996667``)."""
    places = decimals + 4
    shown = round(x, places)
    return f"= {fmt_number(x)}" if abs(shown - x) < 1e-12 else f"≈ {fmt_number(shown, places)}"


HELD = "未达到目标不记满分"


def _equals(r: Row, s: Figures) -> str:
    return equals(r.weight * r.ratio, r.held, s.profile.decimals, s.S)


def equals(product: float, held: bool, decimals: int, shown: str) -> str:
    """The end of a formula whose product is ``product`` and whose score is ``shown``, true as written:
    ``= 9.44``; a negative product floored at 0 (``= -6，得分不低于 0 → 0.00``); a missed target whose product
    rounds half up to the weight, held one rounding unit below it (``= 9.995，四舍五入为 10.00；未达到目标不记满分，
    记 9.99``).

    >>> equals(9.995, True, 2, "9.99"), equals(-6.0, False, 2, "0.00"), equals(9.4444, False, 2, "9.44")
    ('= 9.995，四舍五入为 10.00；未达到目标不记满分，记 9.99', '= -6，得分不低于 0 → 0.00', '= 9.44')
    """
    if held:
        return f"{_product(product, decimals)}，四舍五入为 {round_half_up(product, decimals):.{decimals}f}；{HELD}，记 {shown}"
    if product < 0:
        return f"{_product(product, decimals)}，得分不低于 0 → {shown}"
    return f"= {shown}"


NEGATIVE_BOUND = "目标为负数，按离 0 的距离计"


def _at_least_short(r: Row, s: Figures) -> str:
    if r.a > 0:
        return (f"{fmt_number(r.b)} ÷ {fmt_number(r.a)} = {_r(r.ratio)} < 1 → {s.W} × {fmt_number(r.b)} ÷ {fmt_number(r.a)} "
                f"{_equals(r, s)}")
    if r.a < 0:  # w × A/B = w × |A| ÷ |B|
        return (f"{fmt_number(r.b)} < {fmt_number(r.a)}（{NEGATIVE_BOUND}）→ {s.W} × |{fmt_number(r.a)}| ÷ |{fmt_number(r.b)}| "
                f"{_equals(r, s)}")
    return f"{fmt_number(r.b)} < {fmt_number(r.a)} → 0 分"


ZERO_BOUND = "不含本数 0 的目标（如“大于0”）要求有所发生，实际 0 不算达到，不论 strict_boundary 怎样设置都记未达成"


def _on_bound(r: Row, s: Figures, same: str, missed: str, formula: str) -> str:
    """On the excluded bound of a strict operator: 达成 under ``strict_boundary: lenient``, else 未达成 by the
    formula; a bound of 0 is not reached by 0 under either setting."""
    if r.b == 0:
        return f"{same}，{ZERO_BOUND} → 0 分"
    if r.verdict == 0:  # lenient: 达到年度指标值
        return f"{same}，恰好达到目标值（不含本数的边界，按 strict_boundary: lenient 记为达成）→ 满分 {s.S}"
    return f"{same}，{missed}，未达成（strict_boundary: strict）；得分按公式 {formula} = {s.S}"


def _above_on_boundary(r: Row, s: Figures) -> str:
    same, missed = f"{fmt_number(r.b)} = {fmt_number(r.a)}", "未超过目标（“>”不含本数）"
    return _on_bound(r, s, same, missed, f"{s.W} × {fmt_number(r.b)} ÷ {fmt_number(r.a)}")


def _at_most_met(r: Row, s: Figures) -> str:
    return f"{fmt_number(r.b)} ≤ {fmt_number(r.a)} → 满分 {s.S}" if r.op == Op.AT_MOST else f"{fmt_number(r.b)} < {fmt_number(r.a)} → 满分 {s.S}"


def _at_most_inverse(r: Row, s: Figures) -> str:
    if r.a < 0:  # w × B/A: the distance from 0, as a 正向 target's
        return (f"{fmt_number(r.b)} > {fmt_number(r.a)}（反向指标，{NEGATIVE_BOUND}）→ {s.W} × {fmt_number(r.b)} ÷ "
                f"{fmt_number(r.a)} {_equals(r, s)}")
    return f"{fmt_number(r.b)} > {fmt_number(r.a)}（反向指标）→ {s.W} × {fmt_number(r.a)} ÷ {fmt_number(r.b)} {_equals(r, s)}"


def _at_most_linear(r: Row, s: Figures) -> str:
    return (f"{fmt_number(r.b)} > {fmt_number(r.a)}（反向指标，线性扣分）→ {s.W} × (1 − ({fmt_number(r.b)} − {fmt_number(r.a)}) ÷ "
            f"{fmt_number(r.a)}) {_equals(r, s)}")


def _range_below(r: Row, s: Figures) -> str:
    if r.a > 0:
        return f"{fmt_number(r.b)} < 下限 {fmt_number(r.a)} → {s.W} × {fmt_number(r.b)} ÷ {fmt_number(r.a)} {_equals(r, s)}"
    if r.a < 0:  # w × L/B = w × |L| ÷ |B|
        return (f"{fmt_number(r.b)} < 下限 {fmt_number(r.a)}（下限为负数，按离 0 的距离计）→ {s.W} × |{fmt_number(r.a)}| ÷ "
                f"|{fmt_number(r.b)}| {_equals(r, s)}")
    return f"{fmt_number(r.b)} < 下限 0 → 0 分（下限为 0，低于下限不得分）"


def _range_above(r: Row, s: Figures) -> str:
    if r.h < 0:  # w × B/H: the distance from 0
        return (f"{fmt_number(r.b)} > 上限 {fmt_number(r.h)}（上限为负数，按离 0 的距离计）→ {s.W} × {fmt_number(r.b)} ÷ "
                f"{fmt_number(r.h)} {_equals(r, s)}")
    return f"{fmt_number(r.b)} > 上限 {fmt_number(r.h)} → {s.W} × {fmt_number(r.h)} ÷ {fmt_number(r.b)} {_equals(r, s)}"


def _deadline_late(r: Row, s: Figures) -> str:
    return (f"完成日期 {_day(r.done)} 晚于 {_day(r.deadline)}（逾期 {int(r.done - r.deadline)} 天）→ "
            f"{s.late.name}档 {s.W} × {fmt_number(s.late.default)}% = {s.S}")


def _direction_wrong(r: Row, s: Figures) -> str:
    moved = "增长" if r.sign > 0 else ("下降" if r.sign < 0 else "未变化")
    return f"较上年{moved}，方向不符 → {s.wrong.name}档 {s.W} × {fmt_number(s.wrong.default)}% = {s.S}"


def _verdict_band(r: Row, s: Figures) -> str:
    band = s.profile.band(BANDED[r.verdict])
    return f"{BANDED[r.verdict]}（本档默认 {fmt_number(band.default)}%）→ {s.W} × {fmt_number(band.default)}% = {s.S}"


OUTCOME_TEXT: dict[Outcome, Callable[[Row, Figures], str]] = {
    Outcome.AT_LEAST_MET: _at_least_met,
    Outcome.AT_LEAST_SHORT: _at_least_short,
    Outcome.ABOVE_ON_BOUNDARY: _above_on_boundary,
    Outcome.AT_MOST_MET: _at_most_met,
    Outcome.AT_MOST_OVER_INVERSE: _at_most_inverse,
    Outcome.AT_MOST_OVER_LINEAR: _at_most_linear,
    Outcome.BELOW_ON_BOUNDARY: lambda r, s: _on_bound(r, s, f"{fmt_number(r.b)} = {fmt_number(r.a)}", "未低于目标（“<”不含本数）",
                                                      f"{s.W} × {fmt_number(r.a)} ÷ {fmt_number(r.b)}"),
    Outcome.ZERO_MET: lambda r, s: f"目标为 0，实际 0 → 满分 {s.S}",
    Outcome.ZERO_MISSED: lambda r, s: f"目标为 {fmt_number(r.a)}，实际 {fmt_number(r.b)}，未达到 → 0 分（全有或全无）",
    Outcome.EQUAL_MET: lambda r, s: f"{fmt_number(r.b)} = {fmt_number(r.a)} → 满分 {s.S}",
    Outcome.EQUAL_EXCEEDED: lambda r, s: f"{fmt_number(r.b)} > {fmt_number(r.a)}（等于型指标超过目标）→ 满分 {s.S}",
    Outcome.EQUAL_SHORT: lambda r, s: (f"{fmt_number(r.b)} ÷ {fmt_number(r.a)} = {_r(r.ratio)} < 1 → {s.W} × {fmt_number(r.b)} ÷ "
                                       f"{fmt_number(r.a)} {_equals(r, s)}"),
    Outcome.RANGE_INSIDE: lambda r, s: f"{fmt_number(r.a)} ≤ {fmt_number(r.b)} ≤ {fmt_number(r.h)} → 满分 {s.S}",
    Outcome.RANGE_BELOW: _range_below,
    Outcome.RANGE_ABOVE: _range_above,
    Outcome.RANGE_ON_OPEN_BOUND: lambda r, s: _on_bound(r, s, f"{fmt_number(r.b)} 落在区间的边界上", "边界不含本数",
                                                        f"{s.W} × 1"),
    Outcome.DEADLINE_MET: lambda r, s: f"完成日期 {_day(r.done)} 不晚于 {_day(r.deadline)} → 满分 {s.S}",
    Outcome.DEADLINE_LATE: _deadline_late,
    Outcome.LATE_WITHOUT_DATE: lambda r, s: (f"逾期完成（未写完成日期）→ {s.late.name}档 {s.W} × {fmt_number(s.late.default)}% = "
                                             f"{s.S}"),
    Outcome.DIRECTION_RIGHT: lambda r, s: f"较上年{'增长' if r.sign > 0 else '下降'}，方向符合 → 满分 {s.S}",
    Outcome.DIRECTION_WRONG: _direction_wrong,
    Outcome.VERDICT_PERCENT: lambda r, s: f"{BANDED[r.verdict]} {fmt_number(r.percent)}% → {s.W} × {fmt_number(r.percent)}% = {s.S}",
    Outcome.VERDICT_BAND: _verdict_band,
}


_SCORED = ("weight", "score", "deducted", "held")  # the score and weight as written, the deduction, a score held
FIELDS: dict[Outcome, tuple[str, ...]] = {
    Outcome.AT_LEAST_MET: ("a", "b"),
    Outcome.AT_LEAST_SHORT: ("a", "b", "ratio"),
    Outcome.ABOVE_ON_BOUNDARY: ("a", "b", "verdict"),
    Outcome.AT_MOST_MET: ("a", "b", "op"),
    Outcome.AT_MOST_OVER_INVERSE: ("a", "b", "ratio"),
    Outcome.AT_MOST_OVER_LINEAR: ("a", "b", "ratio"),
    Outcome.BELOW_ON_BOUNDARY: ("a", "b", "verdict"),
    Outcome.ZERO_MET: (),
    Outcome.ZERO_MISSED: ("a", "b"),
    Outcome.EQUAL_MET: ("a", "b"),
    Outcome.EQUAL_EXCEEDED: ("a", "b"),
    Outcome.EQUAL_SHORT: ("a", "b", "ratio"),
    Outcome.RANGE_INSIDE: ("a", "h", "b"),
    Outcome.RANGE_BELOW: ("a", "b", "ratio"),
    Outcome.RANGE_ABOVE: ("h", "b", "ratio"),
    Outcome.RANGE_ON_OPEN_BOUND: ("b", "verdict"),
    Outcome.DEADLINE_MET: ("done", "deadline"),
    Outcome.DEADLINE_LATE: ("done", "deadline"),
    Outcome.LATE_WITHOUT_DATE: (),
    Outcome.DIRECTION_RIGHT: ("sign",),
    Outcome.DIRECTION_WRONG: ("sign",),
    Outcome.VERDICT_PERCENT: ("verdict", "percent"),
    Outcome.VERDICT_BAND: ("verdict",),
}
"""The fields of :class:`Row` the text of each outcome reads (besides the score and weight): the
explanation is computed once per distinct combination of them (a test checks the lists)."""


_OUTCOME = Row._fields.index("outcome")


class _Context(NamedTuple):
    """What the explanations of one profile share."""

    decimals: int
    late: Band
    wrong: Band
    deduction: str  # the text of the over-achievement deduction


def _context(p: Profile) -> _Context:
    return _Context(p.decimals, p.band(p.deadline_late), p.band(p.directional_wrong),
                    f"；实际达到目标的 {fmt_number(p.over_threshold)}% 及以上（超额），扣 {fmt_number(p.over_deduction)} 分")


def explanation(r: Row, p: Profile, ctx: _Context | None = None) -> str:
    """The arithmetic of one score in words."""
    if r.outcome == Outcome.NOT_COMPUTABLE:
        return not_judged(r.reason)
    ctx = ctx or _context(p)
    d = ctx.decimals
    words = Figures(f"{(r.weight if r.deducted else r.score):.{d}f}", fmt_number(r.weight), p, ctx.late, ctx.wrong)
    text = OUTCOME_TEXT[Outcome(r.outcome)](r, words)
    return f"{text}{ctx.deduction} → {r.score:.{d}f}" if r.deducted else text


def not_judged(reason: str) -> str:
    """The explanation of an indicator that could not be judged (its ``unknown_reason`` is ``reason``)."""
    return f"无法判定：{reason} → 0 分"


def explanations(p: Profile, t: Targets, a: Actuals, res: Result, w: np.ndarray) -> np.ndarray:
    """The arithmetic of every score in words (``explanation`` column): :func:`explanation` of each
    indicator's :class:`Row`, computed once per outcome and distinct numbers its text uses."""
    n = len(res.outcome)
    out = np.empty(n, dtype=object)
    if not n:
        return out
    columns = {"a": t.value, "h": t.high, "b": res.actual, "weight": w, "score": res.score, "ratio": res.ratio,
               "done": a.day, "deadline": a.deadline, "sign": a.sign, "op": t.op, "verdict": np.clip(res.verdict, 0, 2),
               "percent": a.percent, "reason": res.reason, "deducted": res.deducted, "held": res.held}
    ctx = _context(p)
    outcome = res.outcome
    for o in np.unique(outcome).tolist():
        rows = np.flatnonzero(outcome == o)
        names = ("reason",) if o == Outcome.NOT_COMPUTABLE else FIELDS[Outcome(o)] + _SCORED
        positions = [Row._fields.index(f) for f in names]

        def text(*values, o=o, positions=positions):
            # only the fields named (the others None): a text reading another one fails the test of FIELDS
            row = [None] * len(Row._fields)
            row[_OUTCOME] = o
            for k, v in zip(positions, values, strict=True):
                row[k] = v
            return explanation(Row._make(row), p, ctx)

        out[rows] = per_distinct(text, *(columns[f][rows] for f in names))
    return out


def survey_note(p: Profile) -> str:
    """What 计算过程 says first for a 满意度 indicator answered with a bare verdict (no survey figure):
    the profile's setting that decided how it scores."""
    how = ("按所填判定的档次计分" if p.satisfaction_without_survey == "band"
           else f"最高按“{p.satisfaction_without_survey}”档计分")
    return f"满意度没有调查数据（只填了判定）：按评分规则 satisfaction_without_survey: {p.satisfaction_without_survey}，{how}；"


def flags(df: pd.DataFrame, p: Profile, t: Targets, a: Actuals, res: Result, group_flags: np.ndarray) -> np.ndarray:
    """The sentences an auditor must look at, per indicator (a tuple each)."""
    n = len(df)
    verdict = res.verdict
    parts: list[tuple[np.ndarray, str | np.ndarray]] = []  # (rows, the sentence: one, or one per row of the mask)
    unknown = verdict == UNKNOWN_CODE
    if unknown.any():
        rows = np.flatnonzero(unknown)
        cell = df["cell"].to_numpy(dtype=object)[rows]
        parts.append((unknown, object_array([f"无法判定：{r}（{c}）" if c != "" else f"无法判定：{r}"
                                             for r, c in zip(res.reason[rows].tolist(), cell.tolist(), strict=True)])))
    missed_bound = res.boundary & (verdict != VERDICT_CODE[Verdict.MET])
    if missed_bound.any():
        zero = missed_bound & (res.actual == 0)  # “大于0” with 0: not met under either setting
        parts.append((missed_bound & ~zero, "实际值恰在不含本数的边界上：按 strict_boundary: strict 判为未达成，得分按公式，请复核"))
        parts.append((zero, f"实际值 0 恰在不含的本数 0 上：{ZERO_BOUND}，得 0 分，请复核"))
    if res.over.any():
        msg = f"超额完成：实际值达到目标的 {fmt_number(p.over_threshold)}% 及以上，目标可能定得过低，须说明原因"
        if p.over_deduction > 0:
            msg += f"（按本口径扣 {fmt_number(p.over_deduction)} 分）"
        parts.append((res.over, msg))
    B, A = res.actual, t.value
    eq_above = (t.op == Op.EQUAL) & (verdict == VERDICT_CODE[Verdict.MET]) & (B > A) & ~np.isclose(B, A)
    if eq_above.any():
        parts.append((eq_above, "等于型指标的实际值超过目标值：按满分计，请复核"))
    if res.satisfaction_band.any():
        parts.append((res.satisfaction_band, "满意度指标没有调查数据（满意度百分比），按定性档次计分"))
    late = (~np.isnan(a.day) & ~np.isnan(a.deadline) & (a.day > a.deadline)) | (res.outcome == Outcome.LATE_WITHOUT_DATE)
    if late.any():
        parts.append((late, "逾期完成"))
    grouped = group_flags != ""
    if grouped.any():
        parts.append((grouped, np.asarray(group_flags, dtype=object)[grouped]))
    out = _gather(parts, n)
    has_notes = np.array([bool(r.notes) for r in a.readings], dtype=bool)[a.index] if n else np.zeros(0, bool)
    for i in np.flatnonzero(has_notes & ~unknown):
        out[i] = (*out[i], *a.notes[i])
    return out


def boundary_assumptions(assumptions: np.ndarray, t: Targets, res: Result) -> np.ndarray:
    """The assumptions with, for an actual on the excluded bound read as 达成 (strict_boundary: lenient), that reading."""
    rows = np.flatnonzero(res.boundary & (res.verdict == VERDICT_CODE[Verdict.MET]))
    if not len(rows):
        return assumptions
    out = np.asarray(assumptions, dtype=object).copy()
    for i in rows.tolist():
        c = t.comparators[t.index[i]]
        out[i] = (*out[i], f"实际值 {fmt_number(res.actual[i])} 恰好等于“{c.text.strip()}”不含的本数：按“达到年度指标值即得满分”"
                           "（财预〔2020〕10号）记为达成（评分规则 strict_boundary: lenient）")
    return out


def _gather(parts: list[tuple[np.ndarray, str | np.ndarray]], n: int) -> np.ndarray:
    """Per row, the tuple of the sentences of the ``parts`` whose mask holds there, in order (one
    tuple per distinct combination). A part's sentence is one text, or one per row of its mask."""
    out = object_array([()])[np.zeros(n, dtype=np.intp)]
    if not parts:
        return out
    rows = np.flatnonzero(np.logical_or.reduce([mask for mask, _ in parts]))
    columns = []
    for mask, text in parts:
        col = np.full(len(rows), "", dtype=object)
        col[mask[rows]] = text  # the mask's rows are a part of ``rows``, in the same order
        columns.append(col)
    out[rows] = per_distinct(lambda *xs: tuple(x for x in xs if x), *columns)
    return out


def object_array(values: list) -> np.ndarray:
    """A 1-d object array of exactly these values (tuples stay tuples)."""
    arr = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        arr[i] = v
    return arr
