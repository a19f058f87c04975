"""The engine's row-wise code as it was before issue 14 made it per distinct value: the reference the
faster code must agree with (tests/test_engine_distinct.py runs the engine both ways on random tables).

Copied from the previous revision and left as it was, except for imports and the rules changed since
(a missed target held one rounding unit below full marks, a bare verdict on any 满意度 indicator, a bound of 0).
It imports public names only (the engine's stages it shares); the engine's private hint helper is copied at the end.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.actuals.advice import BASELINE_HINT, ZERO_HINT, hint_for, survey_hint
from scoring.actuals.vocabulary import answer_words
from scoring.language.numerals import fmt_number
from scoring.language.units import is_percent
from scoring.rounding import round_half_up_array
from scoring.rubric.changes import (
    STALE_ASSUMPTIONS,
    ZERO_BASELINE,
    Changes,
    baselines,
    change_units,
    explain_capped,
    explain_change,
)
from scoring.rubric.codes import FORMULA_OUTCOMES, OTHER_KIND_REASONS, KindCode, Op, Outcome, ReadKind
from scoring.rubric.engine import VERDICT_NAMES, Scored
from scoring.rubric.explain import (
    OUTCOME_TEXT,
    ZERO_BOUND,
    Figures,
    Row,
    boundary_assumptions,
    object_array,
    survey_note,
)
from scoring.rubric.formulas import (
    UNKNOWN_CODE,
    Decider,
    Result,
    decide_deadlines_and_directions,
    decide_quantitative,
    decide_ranges,
    decide_verdicts,
    verdict_codes,
)
from scoring.rubric.inputs import (
    INDICATOR_COLUMNS,
    Actuals,
    Targets,
    is_satisfaction,
    read_actuals,
    read_targets,
    spread,
    with_levels,
)
from scoring.rubric.profile import Profile
from scoring.rubric.profile_file import load_profile
from scoring.rubric.projects import STANDARD_LEVEL1, budget_frame, budget_scores, capped_totals, project_flags
from scoring.rubric.weights import Weights, level1_group, redistributed_points, split_free, subtotal_name
from scoring.vocab import BANDED, VERDICT_CODE, Verdict


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
               res.deducted.tolist(), res.held.tolist(), strict=True)
    out = []
    for values in rows:
        r = Row(*values)
        if r.outcome == Outcome.NOT_COMPUTABLE:
            out.append(f"无法判定：{r.reason} → 0 分")
            continue
        words = Figures(f"{(r.weight if r.deducted else r.score):.{d}f}", fmt_number(r.weight), p, late, wrong)
        text = OUTCOME_TEXT[Outcome(r.outcome)](r, words)
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
    strict_bound = res.boundary & (verdict != VERDICT_CODE[Verdict.MET])
    if strict_bound.any():
        zero = strict_bound & (res.actual == 0)
        parts.append(np.where(strict_bound & ~zero, "实际值恰在不含本数的边界上：按 strict_boundary: strict 判为未达成，得分按公式，请复核",
                              ""))
        parts.append(np.where(zero, f"实际值 0 恰在不含的本数 0 上：{ZERO_BOUND}，得 0 分，请复核", ""))
    if res.over.any():
        msg = f"超额完成：实际值达到目标的 {fmt_number(p.over_threshold)}% 及以上，目标可能定得过低，须说明原因"
        if p.over_deduction > 0:
            msg += f"（按本口径扣 {fmt_number(p.over_deduction)} 分）"
        parts.append(np.where(res.over, msg, ""))
    B, A = res.actual, t.value
    eq_above = (t.op == Op.EQUAL) & (verdict == VERDICT_CODE[Verdict.MET]) & (B > A) & ~np.isclose(B, A)
    if eq_above.any():
        parts.append(np.where(eq_above, "等于型指标的实际值超过目标值：按满分计，请复核", ""))
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


def indicator_weights(df: pd.DataFrame, profile: Profile) -> Weights:
    n = len(df)
    if not n:
        return Weights(np.zeros(0), np.zeros(0, dtype=object), np.zeros(0, dtype=object))
    wp = profile.weights
    names = [k for k, _ in wp.level1]
    scale = 10 ** profile.decimals
    l1_codes, l1_uniques = pd.factorize(df["level1"])
    mapped = [level1_group(u, profile) for u in l1_uniques]
    group = np.array([names.index(g) for g, _ in mapped], dtype=np.int64)[l1_codes]
    unknown = np.array([u for _, u in mapped], dtype=bool)[l1_codes]
    proj_codes, proj_uniques = pd.factorize(df["project"])
    n_group = len(names)
    present = np.zeros((len(proj_uniques), n_group), dtype=bool)
    present[proj_codes, group] = True
    points, redistributed = redistributed_points(present, profile)

    explicit = df["weight"].to_numpy(dtype=float)
    has_w = ~np.isnan(explicit)
    pg = proj_codes.astype(np.int64) * n_group + group
    explicit_cents = np.where(has_w, np.round(np.nan_to_num(explicit) * scale), 0).astype(np.int64)
    used = np.bincount(pg, weights=explicit_cents, minlength=points.size).astype(np.int64)
    remaining = np.maximum(points.ravel() - used, 0)
    over_used = (points.ravel() - used) < 0
    free = ~has_w
    w_cents = np.zeros(n, dtype=np.int64)
    w_cents[free] = split_free(pg[free], df["level2"].to_numpy(dtype=object)[free], remaining, wp.split)
    weight = np.where(has_w, explicit, w_cents / scale)
    source = np.where(has_w, "分值", "平均分配").astype(object)

    flags = np.empty(n, dtype=object)
    flags[:] = ""
    unknown_msg = np.where(unknown & free, "一级指标“" + df["level1"].astype(str).to_numpy(dtype=object) + "”不在评分规则中，"
                           f"与{wp.unknown_level1}共分其分值", "")
    over_msg = np.where(over_used[pg] & free, "本一级指标的明确分值之和已超过其应有分值，未给分值的指标记 0 分", "")
    redis = redistributed[proj_codes]
    for part in (unknown_msg, over_msg, np.where(free, redis, "")):
        flags = np.where((flags != "") & (part != ""), flags + "；" + part, np.where(part != "", part, flags))
    return Weights(weight, source, flags)


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
    reason = np.where(verdict_on_quant, "定量指标的实际完成值应为数值，不能只填判定（" + names[vk] + "）", reason)
    reason = np.where(no_survey & (p.satisfaction_without_survey == "unreadable"), "满意度只填了判定（" + names[vk] + "），"
                      "没有调查数据（满意度百分比）："
                      f"按评分规则 satisfaction_without_survey: {p.satisfaction_without_survey} 记为无法判定", reason)
    reason = np.where(unknown & (a.kind == ReadKind.NUMBER) & (t.kind >= KindCode.DEADLINE),
                      "实际完成值是数值，与指标值的类型不符", reason)
    dl = (t.kind == KindCode.DEADLINE) & (a.kind == ReadKind.DATE)
    reason = np.where(unknown & dl & np.isnan(a.deadline), "时限没有年份，且未给评价年度", reason)
    reason = np.where(unknown & (reason == ""), "实际完成值与指标值无法比较", reason)
    for i in np.flatnonzero(t.kind == KindCode.OTHER):
        kind = t.comparators[t.index[i]].kind
        reason[i] = OTHER_KIND_REASONS.get(kind, f"指标值的类型“{kind}”无法评分")
    return reason


def apply(df: pd.DataFrame, p: Profile, t: Targets, a: Actuals, res: Result, w: np.ndarray) -> Changes:
    """Score the change targets in ``res`` (its arrays are updated in place); return what to show."""
    n = len(t.kind)
    mask = t.kind == KindCode.OTHER
    if n:
        mask &= np.array([c.kind == "change" for c in t.comparators], dtype=bool)[t.index]
    b0 = np.where(mask, baselines(df, t), np.nan) if n else np.zeros(0)
    rel, _pts, inc = change_units(t) if n else (np.zeros(0, bool),) * 3
    b1 = np.where(a.kind == ReadKind.NUMBER, a.number, np.nan)
    amount = np.where(mask & np.isnan(t.value), 0.0, t.value)  # 稳定增加: any change the right way
    cap = np.where(mask, t.high, np.nan) if n else np.zeros(0)  # rule changed since: 增长不超过5% is a cap
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
        over = np.clip(np.where(capped & (signed > 0) & (cap > 0), cap / signed, 0.0), 0.0, 1.0)
        share = np.where(met, 1.0, np.where(wrong, p.band(p.directional_wrong).default / 100, np.where(
            capped, over, np.clip(np.where(amount > 0, signed / amount, 0.0), 0.0, 1.0))))
    score = round_half_up_array(np.where(ok, w * share, 0.0), p.decimals)
    score = np.minimum(score, w)
    below = np.maximum(np.round(w - 10.0 ** -p.decimals, p.decimals), 0.0)
    held = ok & ~met & (w > 0) & (score > below)
    score = np.where(held, below, score)
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
    for i in np.flatnonzero(zero):
        head = f"基数 {fmt_number(b0[i])} → 实际 {fmt_number(b1[i])}" if b1[i] == b1[i] else "实际完成值写的是变化幅度"
        expl[i] = f"无法判定：{head}：{ZERO_BASELINE} → 0 分"
    hint = np.full(n, "", dtype=object)
    hint[missing] = BASELINE_HINT
    hint[zero] = ZERO_HINT
    none = np.full(n, "", dtype=object)  # the reason and advice code, which this engine did not have
    return Changes(mask, b0, np.where(ok, change, np.nan), expl, none, hint, none, ok, b1)


def _hints(t, a, unknown: np.ndarray, no_survey: np.ndarray | None = None) -> np.ndarray:
    """For each 无法判定: what to write instead ("" otherwise)."""
    out = np.full(len(unknown), "", dtype=object)
    own = spread([r.hint or "" for r in a.readings], a.index)
    survey = np.zeros(len(unknown), bool) if no_survey is None else no_survey
    for i in np.flatnonzero(unknown):
        c = t.comparators[t.index[i]]
        out[i] = survey_hint(c) if survey[i] else (own[i] or hint_for(c))
    return out


def settled(assumptions: object, actual: object, ch: Changes) -> tuple[np.ndarray, np.ndarray]:
    """The assumptions and the shown actual of the scored change targets: the actual as the level it
    is (not a percentage), and without the notes that were only true while no baseline was known."""
    notes = np.empty(len(ch.scored), dtype=object)
    notes[:] = list(assumptions)  # element by element: tuples of one length must not become a 2-D array
    shown = np.empty(len(ch.scored), dtype=object)
    shown[:] = list(actual)
    for i in np.flatnonzero(ch.scored):
        notes[i] = tuple(a for a in notes[i] if not any(w in a for w in STALE_ASSUMPTIONS))
    return notes, shown


def _check_budget_indicators(ind: pd.DataFrame, a: Actuals, projects: pd.DataFrame) -> None:
    """An indicator 预算执行率 that disagrees with the rate the 预算执行 sheet gives is flagged."""
    words = answer_words()
    names = ind["level3"].to_numpy(dtype=object)
    codes, uniques = pd.factorize(ind["level3"])
    candidates = np.array([words.flags_over_100(x) for x in uniques], dtype=bool)[codes] if len(names) else \
        np.zeros(0, bool)
    candidates &= a.kind == ReadKind.NUMBER
    if not candidates.any() or "execution_rate" not in projects.columns:
        return
    rate = projects.set_index("project")["execution_rate"]
    flags = ind["flags"].to_numpy(dtype=object).copy()
    for i in np.flatnonzero(candidates):
        c = ind["comparator"].iat[i]
        sheet = rate.get(ind["project"].iat[i], np.nan)
        if not is_percent(c.unit) or sheet != sheet:
            continue
        said, computed = a.number[i], round(float(sheet) * 100, 2)
        if abs(said - computed) > 0.5:
            flags[i] = (*flags[i], f"“{names[i]}”填写 {fmt_number(said)}%，与“预算执行”表算出的执行率 {fmt_number(computed)}% "
                                   "不一致，请核对")
    ind["flags"] = flags


def formulas_apply(p: Profile, t: Targets, a: Actuals, satisfaction: np.ndarray, w: np.ndarray) -> Result:
    n = len(t.kind)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        negative = (a.kind == ReadKind.NUMBER) & (a.number < 0)
        B = a.number
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
        # a missed target never gets full marks, though the formula or its rounding reach them
        # (a strict boundary: “>90%” with 90 %): one rounding unit below, so verdict and score agree
        missed = np.isin(d.outcome, FORMULA_OUTCOMES) & ~d.met & ~d.boundary & (w > 0)
        below = np.maximum(np.round(w - 10.0 ** -p.decimals, p.decimals), 0.0)
        held = missed & (score > below)
        score = np.where(held, below, score)
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



def prepare(indicators: pd.DataFrame) -> pd.DataFrame:
    """The indicator table with every column the engine reads, in its type."""
    df = indicators.reset_index(drop=True).copy()
    for col, default in INDICATOR_COLUMNS.items():
        if col not in df.columns:
            df[col] = range(1, len(df) + 1) if col == "id" else default
    for col in ("project", "level1", "level2", "level3", "annual_value", "reason_text", "cell"):
        df[col] = df[col].astype(object).where(df[col].notna(), "").astype(str)
    df["weight"] = pd.to_numeric(df["weight"], errors="coerce").astype(float)
    df["actual_is_percent"] = df["actual_is_percent"].fillna(False).astype(bool)
    df["actual"] = df["actual"].astype(object)
    return df


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
    res = formulas_apply(profile, scored_as, actuals, is_satisfaction(df), w)
    ch = apply(df, profile, scored_as, actuals, res, w)

    out = df.copy()
    out["comparator"] = spread(targets.comparators, targets.index)
    out["reading"] = spread([c.reading() for c in targets.comparators], targets.index)
    out["actual_normalised"] = spread([r.text for r in actuals.readings], actuals.index)
    out["verdict"] = np.array(VERDICT_NAMES, dtype=object)[res.verdict] if len(df) else np.zeros(0, object)
    out["weight"] = w
    out["weight_source"] = weights.source
    out["score"] = res.score
    out["ratio"] = res.ratio
    out["explanation"] = explanations(profile, scored_as, actuals, res, w)
    out["explanation"] = np.where(ch.explanation != "", ch.explanation, out["explanation"].to_numpy(dtype=object))
    # issue 28 item 11: a bare verdict on a 满意度 indicator says the profile's setting first
    out["explanation"] = np.array([survey_note(profile) + e if s else e
                                   for e, s in zip(out["explanation"], res.satisfaction_band, strict=True)], dtype=object)
    out["no_survey"] = res.satisfaction_band
    out["baseline"] = ch.baseline
    out["change"] = ch.change
    out["assumptions"] = actuals.assumptions
    out["assumptions"], out["actual_normalised"] = settled(out["assumptions"], out["actual_normalised"], ch)
    out["assumptions"] = boundary_assumptions(out["assumptions"].to_numpy(dtype=object), scored_as, res)
    lost = (res.score < w - 1e-9) | (res.boundary & (res.verdict != VERDICT_CODE[Verdict.MET]))
    needs = (lost & profile.reason_lost_points) | (res.over & profile.over_require_reason)
    out["flags"] = flags(df, profile, scored_as, actuals, res, weights.flags)
    out["hint"] = _hints(targets, actuals, res.verdict == UNKNOWN_CODE, res.no_survey)
    out["hint"] = np.where(ch.hint != "", ch.hint, out["hint"].to_numpy(dtype=object))
    out["needs_reason"] = needs
    reason_blank = df["reason_text"].fillna("").astype(str).str.strip().eq("").to_numpy()
    out["reason_missing"] = needs & reason_blank
    projects = project_table(out, budgets, profile)
    _check_budget_indicators(out, actuals, projects)
    return Scored(out, projects, profile, year)




def _indicator_sums(ind: pd.DataFrame, p: Profile):
    """Per project: cents of score per 一级 (a frame), cents of score and weight, indicator and 无法判定 counts."""
    scale = 10 ** p.decimals
    if not len(ind):
        return (pd.DataFrame(index=pd.Index([], dtype=object)),
                pd.DataFrame({"c": [], "w": []}, index=pd.Index([], dtype=object)),
                pd.Series([], dtype=int), pd.Series([], dtype=int))
    l1_codes, l1_uniques = pd.factorize(ind["level1"])
    sub_names = np.array([subtotal_name(u) for u in l1_uniques], dtype=object)[l1_codes]
    cents = np.round(ind["score"].to_numpy(dtype=float) * scale).astype(np.int64)
    wcents = np.round(ind["weight"].to_numpy(dtype=float) * scale).astype(np.int64)
    t = pd.DataFrame({"project": ind["project"].to_numpy(dtype=object), "l1": sub_names, "c": cents, "w": wcents})
    sub = t.groupby(["project", "l1"], sort=False)["c"].sum().unstack("l1", fill_value=0)
    tot = t.groupby("project", sort=False)[["c", "w"]].sum()
    counts = t.groupby("project", sort=False)["c"].size()
    unknown = (ind["verdict"] == Verdict.UNKNOWN).groupby(ind["project"], sort=False).sum()
    return sub, tot, counts, unknown


def project_table(ind: pd.DataFrame, budgets: pd.DataFrame | None, p: Profile) -> pd.DataFrame:
    """The ``Scored.projects`` frame (see :mod:`scoring.rubric.engine`)."""
    scale = 10 ** p.decimals
    proj = budget_frame(list(pd.unique(ind["project"])) if len(ind) else [], budgets)
    rate, computable = budget_scores(proj, p)
    sub, tot, counts, unknown = _indicator_sums(ind, p)
    cols = list(STANDARD_LEVEL1) + [c for c in sub.columns if c not in STANDARD_LEVEL1]
    sub = sub.reindex(columns=cols, fill_value=0)
    for c in cols:
        proj[f"subtotal_{c}"] = sub[c].reindex(proj["project"]).fillna(0).to_numpy(dtype=float) / scale
    ind_cents = tot["c"].reindex(proj["project"]).fillna(0).to_numpy(dtype=np.int64)
    w_cents = tot["w"].reindex(proj["project"]).fillna(0).to_numpy(dtype=np.int64)
    bw = float(p.weights.budget)
    proj["indicator_total"] = ind_cents / scale
    proj["weight_total"] = (w_cents + round(bw * scale)) / scale
    total = (ind_cents + np.round(proj["budget_score"].to_numpy() * scale).astype(np.int64)) / scale

    flags: list[list[str]] = [[] for _ in range(len(proj))]
    cap_total = capped_totals(total, rate, computable, p, flags)
    proj["uncapped_total"] = total
    proj["total"] = cap_total
    names = [g.name for g in p.grades]  # highest first
    conds = [cap_total >= g.min - 1e-9 for g in p.grades]
    proj["grade"] = np.select(conds, names, default=names[-1]).astype(object)
    n_ind = counts.reindex(proj["project"]).fillna(0).to_numpy()
    n_unknown = unknown.reindex(proj["project"]).fillna(0).to_numpy()
    project_flags(proj, rate, computable, n_ind, n_unknown, p, flags)
    proj["flags"] = [tuple(f) for f in flags]
    return proj.drop(columns=["reason_text", "note", "_has_budget_row"])


# ---- the engine's helper as it was (private there) ----

def _hints(t: Targets, a: Actuals, unknown: np.ndarray, no_survey: np.ndarray | None = None) -> np.ndarray:
    """For each 无法判定: what to write instead, for this indicator's kind of target ("" otherwise); a 满意度
    indicator answered with a bare verdict (``satisfaction_without_survey: unreadable``): the survey's figure."""
    out = np.full(len(unknown), "", dtype=object)
    own = spread([r.hint or "" for r in a.readings], a.index)
    survey = np.zeros(len(unknown), bool) if no_survey is None else no_survey
    for i in np.flatnonzero(unknown):
        c = t.comparators[t.index[i]]
        out[i] = survey_hint(c) if survey[i] else (own[i] or hint_for(c))
    return out
