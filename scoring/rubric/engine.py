"""The scoring engine: targets + actual values + a rubric profile → verdicts and scores that an
auditor can recompute by hand (``../shared/domain/scoring-rules.md``).

API
---
``score_indicators(indicators, budgets, profile=None, year=None) -> Scored``

``indicators`` (one row per 三级指标, built by :func:`scoring.rubric.inputs.engine_input`), columns:
    ``id``, ``project``, ``level1``, ``level2``, ``level3``, ``annual_value`` (the 当年度指标值 text),
    ``weight`` (float; NaN when the targets give no 分值), ``actual`` (the raw cell: str, float, int,
    datetime, bool or None), ``actual_is_percent`` (bool: the cell had a percent number format),
    ``reason_text`` (偏差原因, str or ""), ``cell`` (where the actual came from, may be "").
    Optional ``criteria``: the indicator's own 评分标准 text (:mod:`scoring.criteria`).
    Only ``project``, ``level1``, ``level3``, ``annual_value`` and ``actual`` are required.
``budgets`` (one row per project): ``project``, ``initial_budget``, ``full_budget`` (A),
    ``spent`` (B), floats, NaN when missing; optional ``reason_text`` and ``note`` (how a blank
    全年预算数 was filled in, shown before the budget's arithmetic).
``profile``: a :class:`~scoring.rubric.profile.Profile` (default ``national``); ``year``: the year scored
    (resolves ``每年12月31日前`` and dates written without a year).

``Scored.indicators``: the input columns plus ``comparator`` (the parsed target), ``reading``
(how the target was read), ``actual_normalised`` (how the actual was read), ``verdict``
(达成/部分达成/未达成/无法判定), ``weight`` (the weight used), ``weight_source`` (分值/平均分配),
``score`` (rounded half up), ``ratio`` (the uncapped factor the formula applied to the weight:
B/A for 正向 and 等于, A/B or 1 − (B−A)/A for 反向, B/L or H/B for ranges (a bound on the far side
of 0 by the distance from 0: A/B, B/A, L/B, B/H), the band share for verdicts; NaN when not computable), ``explanation`` (the arithmetic in words), ``assumptions``
and ``flags`` (tuples of Chinese sentences), ``needs_reason`` and ``reason_missing`` (bools),
``unknown_reason`` (for 无法判定: why, as the explanation says it; "" otherwise), ``hint`` and ``hint_code``
(for 无法判定: what to write instead, for this indicator, and which advice that is:
:mod:`scoring.actuals.advice`; "" otherwise), ``no_survey`` (a 满意度
indicator scored from a bare verdict, without a survey figure, as the profile's
``satisfaction_without_survey`` allows);
``criteria``,
``criteria_rule`` and ``criteria_basis`` (an indicator with a readable 评分标准 is scored by it:
:func:`scoring.rubric.by_criteria.rescore`).

``Scored.projects``: ``project``, ``initial_budget``, ``full_budget``, ``spent``,
``execution_rate`` (B/A as a fraction, NaN when not computable), ``budget_weight``,
``budget_score``, ``budget_explanation``, ``budget_needs_reason``, ``budget_reason`` (the budgets'
``reason_text``, "" when none), ``budget_reason_missing``,
``subtotal_<一级>`` for 产出指标/效益指标/满意度指标 and any other 一级 present (canonical spelling,
:mod:`scoring.language.levels`), ``indicator_total``, ``weight_total`` (budget included; flagged when not
100), ``uncapped_total`` (the sum of the rounded parts), ``total`` (the same after any cap the
profile sets by execution rate), ``grade`` (优/良/中/差) and ``flags``. Projects are listed in
order of first appearance in ``indicators``, then those only in ``budgets``.

Read the tuple columns as ``df["flags"]`` (``df.flags`` is a pandas attribute).

How it works (one module per step): :mod:`~scoring.rubric.inputs` parses each distinct
(三级指标, 指标值) pair once and reads each distinct (target, actual) pair once
(:mod:`scoring.actuals.values`) into arrays; :mod:`~scoring.rubric.weights` splits the points by
group arithmetic in cents; :mod:`~scoring.rubric.formulas` applies the rules, each a numpy pass
(:class:`~scoring.rubric.codes.Outcome` names which rule decided); :mod:`~scoring.rubric.explain`
writes the arithmetic and the flags; :mod:`~scoring.rubric.projects` sums the projects. The
result is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.actuals.advice import Advice, unknown_advice
from scoring.actuals.vocabulary import answer_words
from scoring.language.numerals import fmt_number
from scoring.language.units import is_percent
from scoring.rubric import changes, explain, formulas
from scoring.rubric.by_criteria import rescore
from scoring.rubric.codes import ReadKind
from scoring.rubric.inputs import (
    Actuals,
    Targets,
    is_satisfaction,
    prepare,
    read_actuals,
    read_targets,
    spread,
    with_levels,
)
from scoring.rubric.profile import Profile
from scoring.rubric.profile_file import load_profile
from scoring.rubric.projects import project_table
from scoring.rubric.weights import indicator_weights
from scoring.vocab import VERDICT_CODE, VERDICT_NAMES, Verdict


@dataclass
class Scored:
    indicators: pd.DataFrame
    projects: pd.DataFrame
    profile: Profile
    year: int | None


def score_indicators(indicators: pd.DataFrame, budgets: pd.DataFrame | None = None,
                     profile: Profile | None = None, year: int | None = None) -> Scored:
    """Score every indicator and every project (see the module docstring)."""
    profile = profile or load_profile()
    df = prepare(indicators)
    targets = read_targets(df, profile, year)
    actuals = read_actuals(df, targets, profile, year)
    scored_as = with_levels(targets, actuals)
    weights = indicator_weights(df, profile)
    w = weights.weight
    res = formulas.apply(profile, scored_as, actuals, is_satisfaction(df), w)
    ch = changes.apply(df, profile, scored_as, actuals, res, w)

    out = df  # prepare's frame is the engine's own: the results are added to it, no second copy
    out["comparator"] = spread(targets.comparators, targets.index)
    out["reading"] = spread([c.reading() for c in targets.comparators], targets.index)
    out["actual_normalised"] = spread([r.text for r in actuals.readings], actuals.index)
    out["verdict"] = np.array(VERDICT_NAMES, dtype=object)[res.verdict] if len(df) else np.zeros(0, object)
    out["weight"] = w
    out["weight_source"] = weights.source
    out["score"] = res.score
    out["ratio"] = res.ratio
    expl = explain.explanations(profile, scored_as, actuals, res, w)
    changed = ch.explanation != ""
    expl[changed] = ch.explanation[changed]
    survey = res.satisfaction_band
    if survey.any():  # the profile's setting that let a bare verdict score, before its arithmetic
        expl[survey] = explain.survey_note(profile) + expl[survey]
    out["explanation"] = expl
    out["no_survey"] = survey
    out["baseline"] = ch.baseline
    out["change"] = ch.change
    out["assumptions"], out["actual_normalised"] = changes.settled(actuals.assumptions, out["actual_normalised"], ch)
    out["assumptions"] = explain.boundary_assumptions(out["assumptions"].to_numpy(dtype=object), scored_as, res)
    lost = (res.score < w - 1e-9) | (res.boundary & (res.verdict != VERDICT_CODE[Verdict.MET]))
    needs = (lost & profile.reason_lost_points) | (res.over & profile.over_require_reason)
    out["flags"] = explain.flags(df, profile, scored_as, actuals, res, weights.flags)
    unknown = res.verdict == formulas.UNKNOWN_CODE
    code, hint = _advice(targets, actuals, unknown, res.no_survey)
    hinted = ch.hint != ""
    hint[hinted], code[hinted] = ch.hint[hinted], ch.hint_code[hinted]
    out["hint"], out["hint_code"] = hint, code
    reason = np.where(unknown, res.reason, "").astype(object)
    changed = ch.reason != ""
    reason[changed] = ch.reason[changed]  # as its explanation says it: what the change was taken from, too
    out["unknown_reason"] = reason
    out["needs_reason"] = needs
    reason_blank = df["reason_text"].fillna("").astype(str).str.strip().eq("").to_numpy()
    out["reason_missing"] = needs & reason_blank
    rescore(out, profile, scored_as, actuals, res, weights.flags)  # an indicator's own 评分标准 decides, when readable
    projects = project_table(out, budgets, profile)
    _check_budget_indicators(out, targets, actuals, projects)
    return Scored(out, projects, profile, year)


def _advice(t: Targets, a: Actuals, unknown: np.ndarray, no_survey: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray]:
    """For each 无法判定, the advice (:func:`scoring.actuals.advice.unknown_advice`): its code and its text
    (:data:`~scoring.actuals.advice.Advice.NONE` and "" for the others). A 满意度 indicator answered with a bare
    verdict (``satisfaction_without_survey: unreadable``) is told to give the survey's figure."""
    code = np.full(len(unknown), Advice.NONE, dtype=object)
    text = np.full(len(unknown), "", dtype=object)
    survey = np.zeros(len(unknown), bool) if no_survey is None else no_survey
    for i in np.flatnonzero(unknown):
        code[i], text[i] = unknown_advice(t.comparators[t.index[i]], a.readings[a.index[i]], bool(survey[i]))
    return code, text


def _check_budget_indicators(ind: pd.DataFrame, t: Targets, a: Actuals, projects: pd.DataFrame) -> None:
    """An indicator 预算执行率 that disagrees with the rate the 预算执行 sheet gives is flagged."""
    words = answer_words()
    names = ind["level3"].to_numpy(dtype=object)
    codes, uniques = pd.factorize(ind["level3"])
    candidates = np.array([words.flags_over_100(x) for x in uniques], dtype=bool)[codes] if len(names) else \
        np.zeros(0, bool)
    candidates &= a.kind == ReadKind.NUMBER
    if not candidates.any() or "execution_rate" not in projects.columns:
        return
    candidates &= spread([is_percent(c.unit) for c in t.comparators], t.index, bool)
    rows = np.flatnonzero(candidates)
    rate = projects.set_index("project")["execution_rate"]
    sheet = rate[~rate.index.duplicated()].reindex(ind["project"].to_numpy(dtype=object)[rows]).to_numpy(dtype=float)
    flags = ind["flags"].to_numpy(dtype=object).copy()
    for i, said, rate_i in zip(rows.tolist(), a.number[rows].tolist(), sheet.tolist(), strict=True):
        if rate_i != rate_i:
            continue
        computed = round(rate_i * 100, 2)
        if abs(said - computed) > 0.5:
            flags[i] = (*flags[i], f"“{names[i]}”填写 {fmt_number(said)}%，与“预算执行”表算出的执行率 {fmt_number(computed)}% "
                                   "不一致，请核对")
    ind["flags"] = flags
