"""The engine's one hook: indicators whose 评分标准 reads into a rule take their score from it.

:func:`rescore` runs after the profile has scored every indicator. Only the rows with a criteria
text take this path (a province's tables mostly have none: then it costs one comparison per row);
each distinct text is read once and each distinct (rule, numbers) case scored once. A row keeps the
profile's score when its criteria cannot be read (flagged ``评分标准无法解读，按口径计分`` with the
text) or do not fit its actual value (flagged with the reason).

Columns added: ``criteria`` (the text, "" when none), ``criteria_rule`` (the
:class:`~scoring.criteria.rule.Rule`, :class:`~scoring.criteria.rule.Unreadable` or None) and
``criteria_basis`` (what scored the row: :data:`BY_CRITERIA` or :data:`BY_PROFILE`, with why).
"""

from __future__ import annotations

import math
import re
from dataclasses import fields, replace

import numpy as np
import pandas as pd

from scoring.actuals.advice import Advice
from scoring.criteria.reading import read_criteria
from scoring.criteria.rule import BY_CRITERIA, BY_PROFILE, Rule, Unreadable
from scoring.criteria.score import Case, Outcome, Settings, score
from scoring.frames import per_distinct
from scoring.language.normalize import normalize
from scoring.language.numerals import fmt_number
from scoring.rubric import explain
from scoring.rubric.codes import Op, ReadKind
from scoring.rubric.codes import Outcome as Decided
from scoring.rubric.formulas import Result
from scoring.rubric.inputs import Actuals, Targets, spread
from scoring.rubric.profile import Profile
from scoring.vocab import VERDICT_CODE, VERDICT_NAMES, TargetKind, Verdict

UNREADABLE = "评分标准无法解读，按口径计分"
NOT_FITTING = "评分标准不适用，按口径计分"
_OPS = {Op.AT_LEAST: ">=", Op.ABOVE: ">", Op.AT_MOST: "<=", Op.BELOW: "<", Op.EQUAL: "==", Op.BETWEEN: "between",
        Op.BY_DATE: "by_date", Op.INCREASE: "increase", Op.DECREASE: "decrease"}
_NAMES = np.array(VERDICT_NAMES, dtype=object)
_BARE = re.compile(r"(\d+(?:\.\d+)?)[\u4e00-\u9fff]{0,2}")


def rescore(out: pd.DataFrame, profile: Profile, t: Targets, a: Actuals, res: Result, group_flags: np.ndarray) -> None:
    """Rescore, in ``out``, the rows that have criteria (see the module docstring)."""
    n = len(out)
    if "criteria" not in out.columns:
        out["criteria"] = ""
    texts = out["criteria"].to_numpy(dtype=object)
    candidates = np.flatnonzero(texts != "")
    text_rows = np.array([isinstance(x, str) for x in texts[candidates]], dtype=bool)
    if not text_rows.all():  # NaN or a number where no text was given
        texts = texts.copy()
        texts[candidates[~text_rows]] = ""
        out["criteria"] = texts
    rows = candidates[[isinstance(x, str) and bool(x.strip()) for x in texts[candidates]]]
    basis = np.full(n, BY_PROFILE, dtype=object)
    rules = np.full(n, None, dtype=object)
    if not len(rows):
        out["criteria_rule"], out["criteria_basis"] = rules, basis
        return
    codes, uniques = pd.factorize(texts[rows])
    read = [read_criteria(u) for u in uniques]
    rules[rows] = explain.object_array(read)[codes]
    outcomes = _outcomes(out, profile, t, a, res, rows, codes, read)

    scored = np.array([isinstance(o, Outcome) for o in outcomes], dtype=bool)
    unreadable = np.array([isinstance(r, Unreadable) for r in rules[rows]], dtype=bool)
    unknown = res.verdict[rows] == VERDICT_CODE[Verdict.UNKNOWN]
    not_fitting = ~scored & ~unreadable & ~unknown
    flags = out["flags"].to_numpy(dtype=object).copy()
    expl = out["explanation"].to_numpy(dtype=object).copy()
    for k in np.flatnonzero(unreadable):
        i, r = rows[k], rules[rows[k]]
        flags[i] = (*flags[i], f"{UNREADABLE}：“{r.text}”（{r.reason}）")
        expl[i] = f"{UNREADABLE}；{expl[i]}"
        basis[i] = f"{BY_PROFILE}（评分标准无法解读）"
    for k in np.flatnonzero(not_fitting):
        i = rows[k]
        flags[i] = (*flags[i], f"{NOT_FITTING}：{outcomes[k]}")
        basis[i] = f"{BY_PROFILE}（评分标准不适用）"
    if scored.any():
        _write(out, profile, t, a, res, group_flags, rows[scored], [o for o in outcomes if isinstance(o, Outcome)],
               flags, expl, basis)
    out["flags"], out["explanation"] = flags, expl
    out["criteria_rule"], out["criteria_basis"] = rules, basis


def _outcomes(out, profile: Profile, t: Targets, a: Actuals, res: Result, rows: np.ndarray, codes: np.ndarray,
              read: list) -> list:
    """Each row's outcome (:class:`Outcome`, or why the rule does not apply, or None when unreadable)."""
    settings = Settings(profile.decimals, profile.criteria.steps, profile.partial_from)
    number = np.where(a.kind == ReadKind.NUMBER, res.actual, np.nan)[rows]
    # a count typed for a worded target (资金使用合规性: 1) is the count a rule of incidents asks for
    bare = np.full(len(rows), np.nan)
    typed = np.flatnonzero(np.isnan(number) & (a.kind[rows] == ReadKind.UNREADABLE))
    bare[typed] = [bare_number(v) for v in out["actual"].to_numpy(dtype=object)[rows[typed]]]
    number = np.where(np.isnan(bare), number, bare)
    target = t.value[rows]
    op = np.array([_OPS.get(Op(o), "") for o in range(max(Op) + 1)], dtype=object)[t.op[rows]]
    unit = spread([c.unit for c in t.comparators], t.index)[rows]
    change = spread([c.kind == TargetKind.CHANGE for c in t.comparators], t.index, bool)[rows]
    if change.any() and "change" in out.columns:  # a change target: the change achieved against the amount
        achieved = out["change"].to_numpy(dtype=float)[rows]
        signed = np.where(op == "decrease", -achieved, achieved)
        number = np.where(change, signed, number)
        op = np.where(change, ">=", op)
    late_days = (a.day - a.deadline)[rows]
    late = np.isin(res.outcome[rows], (Decided.DEADLINE_LATE, Decided.LATE_WITHOUT_DATE))

    def one(code, w, b, a_, h, o, u, days, verdict, is_late, pct, typed):
        rule = read[code]
        if not isinstance(rule, Rule):
            return None
        got = score(rule, Case(float(w), float(b), float(a_), float(h), o, u or "", float(days), verdict,
                               bool(is_late), float(pct)), settings)
        if isinstance(got, Outcome) and typed == typed:
            got = replace(got, assumptions=(*got.assumptions, f"实际完成值“{fmt_number(typed)}”按评分标准读作个数"))
        return got

    return per_distinct(one, codes, out["weight"].to_numpy(dtype=float)[rows], number, target, t.high[rows], op, unit,
                        late_days, _NAMES[res.verdict[rows]], late, a.percent[rows], bare).tolist()


def bare_number(v: object) -> float:
    """A cell that is a number and nothing else (1, “2”, “3例”), as a float; NaN otherwise.

    >>> bare_number(1), bare_number(" 2 "), bare_number("3例"), bare_number("已完成2023年"), bare_number(True)
    (1.0, 2.0, 3.0, nan, nan)
    """
    if isinstance(v, bool):
        return math.nan
    if isinstance(v, int | float):
        return float(v) if math.isfinite(v) else math.nan
    m = _BARE.fullmatch(normalize(v)) if isinstance(v, str) else None
    return float(m[1]) if m else math.nan


def _write(out, profile: Profile, t: Targets, a: Actuals, res: Result, group_flags, rows: np.ndarray,
           outcomes: list[Outcome], flags: np.ndarray, expl: np.ndarray, basis: np.ndarray) -> None:
    """The scored rows' score, verdict, ratio, explanation, assumptions, flags, hint and 偏差原因 columns."""
    new_score = np.array([o.score for o in outcomes], dtype=float)
    new_verdict = np.array([VERDICT_CODE[o.verdict] for o in outcomes], dtype=np.int8)
    sub = replace(_take(res, rows), verdict=new_verdict, score=new_score, boundary=np.zeros(len(rows), bool),
                  satisfaction_band=np.zeros(len(rows), bool), reason=np.full(len(rows), "", dtype=object))
    # the profile's flags of the rows again, as the new verdicts make them (no 无法判定, no formula boundary)
    again = explain.flags(out.iloc[rows], profile, _take(t, rows), _take(a, rows), sub, group_flags[rows])
    assumptions = out["assumptions"].to_numpy(dtype=object).copy()
    for k, (i, o) in enumerate(zip(rows.tolist(), outcomes, strict=True)):
        flags[i] = (*again[k], *o.flags)
        expl[i] = o.explanation
        assumptions[i] = (*assumptions[i], *o.assumptions)
        basis[i] = BY_CRITERIA
    for col, values in (("score", new_score), ("ratio", np.array([o.share for o in outcomes], dtype=float))):
        column = out[col].to_numpy(dtype=float).copy()
        column[rows] = values
        out[col] = column
    verdict = out["verdict"].to_numpy(dtype=object).copy()
    verdict[rows] = _NAMES[new_verdict]
    for col, none in (("hint", ""), ("hint_code", Advice.NONE), ("unknown_reason", "")):  # judged now: no advice
        column = out[col].to_numpy(dtype=object).copy()
        column[rows] = none
        out[col] = column
    weight = out["weight"].to_numpy(dtype=float)[rows]
    lost = new_score < weight - 1e-9
    needs = out["needs_reason"].to_numpy(dtype=bool).copy()
    needs[rows] = (lost & profile.reason_lost_points) | (res.over[rows] & profile.over_require_reason)
    blank = out["reason_text"].fillna("").astype(str).str.strip().eq("").to_numpy()
    out["verdict"], out["assumptions"] = verdict, assumptions
    out["needs_reason"], out["reason_missing"] = needs, needs & blank


def _take(x, rows: np.ndarray):
    """The engine's per-indicator arrays of ``x`` (Targets, Actuals, Result) for ``rows`` only."""
    return replace(x, **{f.name: getattr(x, f.name)[rows] for f in fields(x)
                         if isinstance(getattr(x, f.name), np.ndarray)})

