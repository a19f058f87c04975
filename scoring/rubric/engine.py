"""The scoring engine: targets + actual values + a rubric profile → verdicts and scores that an
auditor can recompute by hand (``../shared/domain/scoring-rules.md``).

API
---
``score_indicators(indicators, budgets, profile=None, year=None) -> Scored``

``indicators`` (one row per 三级指标), columns:
    ``id``, ``project``, ``level1``, ``level2``, ``level3``, ``annual_value`` (the 当年度指标值 text),
    ``weight`` (float; NaN when the targets give no 分值), ``actual`` (the raw cell: str, float, int,
    datetime, bool or None), ``actual_is_percent`` (bool: the cell had a percent number format),
    ``reason_text`` (偏差原因, str or ""), ``cell`` (where the actual came from, may be "").
    Only ``project``, ``level1``, ``level3``, ``annual_value`` and ``actual`` are required.
``budgets`` (one row per project): ``project``, ``initial_budget``, ``full_budget`` (A),
    ``spent`` (B), floats, NaN when missing; optional ``reason_text``.
``profile``: a :class:`~scoring.rubric.profile.Profile` (default ``national``); ``year``: the year scored
    (resolves ``每年12月31日前`` and dates written without a year).

``Scored.indicators``: the input columns plus ``comparator`` (the parsed target), ``reading``
(how the target was read), ``actual_normalised`` (how the actual was read), ``verdict``
(达成/部分达成/未达成/无法判定), ``weight`` (the weight used), ``weight_source`` (分值/平均分配),
``score`` (rounded half up), ``ratio`` (the uncapped factor the formula applied to the weight:
B/A for 正向 and 等于, A/B or 1 − (B−A)/A for 反向, B/L or H/B for ranges, the band share for
verdicts; NaN when not computable), ``explanation`` (the arithmetic in words), ``assumptions``
and ``flags`` (tuples of Chinese sentences), ``needs_reason`` and ``reason_missing`` (bools).

``Scored.projects``: ``project``, ``initial_budget``, ``full_budget``, ``spent``,
``execution_rate`` (B/A as a fraction, NaN when not computable), ``budget_weight``,
``budget_score``, ``budget_explanation``, ``budget_needs_reason``, ``budget_reason_missing``,
``subtotal_<一级>`` for 产出指标/效益指标/满意度指标 and any other 一级 present (canonical spelling,
:mod:`scoring.language.levels`), ``indicator_total``, ``weight_total`` (budget included; flagged when not
100), ``uncapped_total`` (the sum of the rounded parts), ``total`` (the same after any cap the
profile sets by execution rate), ``grade`` (优/良/中/差) and ``flags``. Projects are listed in
order of first appearance in ``indicators``, then those only in ``budgets``.

Read the tuple columns as ``df["flags"]`` (``df.flags`` is a pandas attribute).

How it works: the target of each distinct (三级指标, 指标值) pair is parsed once and each distinct
(target, actual) pair is read once (:mod:`scoring.answers.values`); everything after that is numpy
over the whole table: weights by group arithmetic in cents, the formulas by ``np.select``, the
rounding by :func:`scoring.rubric.rounding.round_half_up_array`. The result is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

from scoring.answers.values import VERDICTS, Reading, read_actual
from scoring.language import levels
from scoring.language.comparator import Comparator, fmt_number
from scoring.language.expressions import parse
from scoring.language.normalize import squeeze
from scoring.rubric.profile import Profile, load_profile
from scoring.rubric.rounding import round_half_up_array
from scoring.verdicts import ALL, Verdict

VERDICT_UNKNOWN = Verdict.UNKNOWN
VERDICT_NAMES = tuple(str(v) for v in ALL)  # codes 0..3
STANDARD_LEVEL1 = ("产出指标", "效益指标", "满意度指标")

INDICATOR_COLUMNS = {
    "id": None, "project": "", "level1": "", "level2": "", "level3": "", "annual_value": "",
    "weight": np.nan, "actual": None, "actual_is_percent": False, "reason_text": "", "cell": "",
}

# outcome codes: which formula decided the score (selects the explanation)
(GE_MET, GE_PART, GT_EDGE, LE_MET, LE_INV, LE_LIN, LT_EDGE, ZERO_MET, ZERO_FAIL, EQ_MET, EQ_BELOW,
 EQ_ABOVE, R_MET, R_BELOW, R_ABOVE, R_EDGE, D_MET, D_LATE, G_MET, G_WRONG, V_BAND, V_PCT, UNKNOWN) = range(23)

_KIND_CODE = {"quantitative": 0, "range": 1, "deadline": 2, "directional": 3, "qualitative": 4, "invalid": 5}
_OP_CODE = {None: 0, ">=": 1, ">": 2, "<=": 3, "<": 4, "==": 5, "between": 6, "by_date": 7, "increase": 8,
            "decrease": 9}
_READ_CODE = {"number": 0, "date": 1, "growth": 2, "verdict": 3, "unreadable": 4, "missing": 5}

FULL_MARKS = 100.0  # a project's total can never be more


@dataclass
class Scored:
    indicators: pd.DataFrame
    projects: pd.DataFrame
    profile: Profile
    year: int | None


# ---------------------------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------------------------

def score_indicators(indicators: pd.DataFrame, budgets: pd.DataFrame | None = None,
                     profile: Profile | None = None, year: int | None = None) -> Scored:
    """Score every indicator and every project (see the module docstring)."""
    profile = profile or load_profile()
    df = _prepare(indicators)
    n = len(df)

    comps, comp_idx = _parse_targets(df, profile, year)
    c_kind = np.array([_KIND_CODE[c.kind] for c in comps], dtype=np.int8)[comp_idx] if n else np.zeros(0, np.int8)
    c_op = np.array([_OP_CODE[c.op] for c in comps], dtype=np.int8)[comp_idx] if n else np.zeros(0, np.int8)
    A = np.array([np.nan if c.value is None else c.value for c in comps], dtype=float)[comp_idx] if n else np.zeros(0)
    H = np.array([np.nan if c.high is None else c.high for c in comps], dtype=float)[comp_idx] if n else np.zeros(0)
    s_lo = np.array([c.strict_low for c in comps], dtype=bool)[comp_idx] if n else np.zeros(0, bool)
    s_hi = np.array([c.strict_high for c in comps], dtype=bool)[comp_idx] if n else np.zeros(0, bool)
    readings, read_idx, assumptions, deadlines = _read_actuals(df, comps, comp_idx, profile, year)
    deadline = deadlines[read_idx] if n else np.zeros(0)
    r_kind = np.array([_READ_CODE[r.kind] for r in readings], dtype=np.int8)[read_idx] if n else np.zeros(0, np.int8)
    B_raw = np.array([np.nan if r.number is None else r.number for r in readings], dtype=float)[read_idx] if n else np.zeros(0)
    r_date = np.array([np.nan if r.date is None else date.fromisoformat(r.date).toordinal() for r in readings],
                      dtype=float)[read_idx] if n else np.zeros(0)
    r_sign = np.array([r.sign for r in readings], dtype=np.int8)[read_idx] if n else np.zeros(0, np.int8)
    r_verdict = np.array([VERDICTS.index(r.verdict) if r.verdict else -1 for r in readings], dtype=np.int8)[read_idx] \
        if n else np.zeros(0, np.int8)
    r_pct = np.array([np.nan if r.percent is None else r.percent for r in readings], dtype=float)[read_idx] if n else np.zeros(0)
    r_reason = np.array([r.reason or "" for r in readings], dtype=object)[read_idx] if n else np.zeros(0, object)

    satisfaction = _is_satisfaction(df)
    w, weight_source, group_flags = _weights(df, profile)

    res = _formulas(profile, c_kind, c_op, A, H, s_lo, s_hi, deadline, r_kind, B_raw, r_date, r_sign, r_verdict,
                    r_pct, r_reason, satisfaction, w)
    verdict, ratio, outcome, score, over, deducted, boundary, reason, neg_actual, sat_band, B = res

    out = df.copy()
    comp_obj = np.empty(len(comps), dtype=object)
    comp_obj[:] = comps
    out["comparator"] = comp_obj[comp_idx] if n else np.zeros(0, object)
    out["reading"] = np.array([c.reading() for c in comps], dtype=object)[comp_idx] if n else np.zeros(0, object)
    out["actual_normalised"] = np.array([r.text for r in readings], dtype=object)[read_idx] if n else np.zeros(0, object)
    out["verdict"] = np.array(VERDICT_NAMES, dtype=object)[verdict] if n else np.zeros(0, object)
    out["weight"] = w
    out["weight_source"] = weight_source
    out["score"] = score
    out["ratio"] = ratio
    out["explanation"] = _explanations(profile, outcome, A, H, B, w, score, ratio, r_date, deadline, r_sign, c_op,
                                       verdict, r_pct, reason, deducted)
    out["assumptions"] = assumptions
    lost = score < w - 1e-9
    needs = (lost & profile.reason_lost_points) | (over & profile.over_require_reason)
    out["flags"] = _flags(df, profile, verdict, boundary, over, deducted, c_op, neg_actual, sat_band, reason,
                          r_date, deadline, B, A, group_flags)
    out["needs_reason"] = needs
    reason_blank = df["reason_text"].fillna("").astype(str).str.strip().eq("").to_numpy()
    out["reason_missing"] = needs & reason_blank
    projects = _projects(out, budgets, profile)
    return Scored(out, projects, profile, year)


# ---------------------------------------------------------------------------------------------
# input, parsing and reading (per distinct value)
# ---------------------------------------------------------------------------------------------

def _prepare(indicators: pd.DataFrame) -> pd.DataFrame:
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


def _codes(*cols: pd.Series) -> np.ndarray:
    """One integer per distinct combination of the columns (first-seen order)."""
    key = np.zeros(len(cols[0]), dtype=np.int64)
    for col in cols:
        codes, uniques = pd.factorize(col, use_na_sentinel=False)
        key = key * (len(uniques) + 1) + codes
        key, _ = pd.factorize(key)
        key = key.astype(np.int64)
    return key


def _parse_targets(df: pd.DataFrame, profile: Profile, year: int | None) -> tuple[list[Comparator], np.ndarray]:
    if not len(df):
        return [], np.zeros(0, dtype=np.int64)
    idx = _codes(df["level3"], df["annual_value"])
    _, first = np.unique(idx, return_index=True)
    l3 = df["level3"].to_numpy(dtype=object)
    av = df["annual_value"].to_numpy(dtype=object)
    comps = [parse(av[i], l3[i] or None, year, profile.lexicon) for i in first]
    return comps, idx


def _read_actuals(df, comps, comp_idx, profile, year):
    n = len(df)
    if not n:
        return [], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object), np.zeros(0)
    actual = df["actual"]
    is_bool = actual.map(lambda v: isinstance(v, bool | np.bool_)).to_numpy(dtype=bool)  # True and 1 hash alike
    codes, _ = pd.factorize(actual, use_na_sentinel=True)
    key = _codes(pd.Series(comp_idx), pd.Series(codes), pd.Series(is_bool), df["actual_is_percent"])
    uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    raw = actual.to_numpy(dtype=object)
    pct = df["actual_is_percent"].to_numpy()
    readings: list[Reading] = []
    assumptions = np.empty(len(uniq), dtype=object)
    deadlines = np.full(len(uniq), np.nan)
    for k, i in enumerate(first):
        c = comps[comp_idx[i]]
        r = read_actual(raw[i], c, bool(pct[i]), year, profile.lexicon)
        readings.append(r)
        extra: tuple[str, ...] = ()
        if c.kind == "deadline":
            deadlines[k] = _deadline_ordinal(c, year)
            if deadlines[k] != deadlines[k] and r.date and (c.date or "").startswith("--"):
                # no year scored given: 每年12月31日前 is read in the year of the completion date
                deadlines[k] = _deadline_ordinal(c, int(r.date[:4]))
                extra = (f"未给评价年度，时限“{c.text.strip()}”按完成日期所在的 {r.date[:4]} 年理解",)
        assumptions[k] = tuple(c.assumptions) + tuple(r.assumptions) + extra
    return readings, inverse, assumptions[inverse], deadlines


def _deadline_ordinal(c: Comparator, year: int | None) -> float:
    if c.kind != "deadline" or not c.date:
        return np.nan
    d = c.date
    if d.startswith("--"):
        if year is None:
            return np.nan
        d = f"{year:04d}{d[1:]}"
    try:
        return float(date.fromisoformat(d).toordinal())
    except ValueError:
        return np.nan


def _is_satisfaction(df: pd.DataFrame) -> np.ndarray:
    l1 = df["level1"].str.contains("满意", regex=False).to_numpy(dtype=bool)
    l3 = df["level3"].str.contains("满意", regex=False).to_numpy(dtype=bool)
    return l1 | l3


# ---------------------------------------------------------------------------------------------
# weights
# ---------------------------------------------------------------------------------------------

def level1_group(name: str, profile: Profile) -> tuple[str, bool]:
    """The profile's 一级 whose points an indicator shares, and whether the name was unknown."""
    s = squeeze(name)
    found = profile.weights.canonical_level1(s) or profile.weights.canonical_level1(levels.canonical(s) or "")
    if found:
        return found, False
    return profile.weights.unknown_level1, True


def subtotal_name(name: str) -> str:
    s = squeeze(name)
    return levels.canonical(s) or s or "（未填一级指标）"


def _apportion(total_cents: np.ndarray, count: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Split ``total_cents`` into ``count`` parts that differ by at most one cent; part ``rank``."""
    count = np.maximum(count, 1)
    base = total_cents // count
    extra = total_cents - base * count
    return base + (rank < extra)


def _weights(df: pd.DataFrame, profile: Profile) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per indicator: the weight, where it came from, and the group flags (unknown 一级, redistribution)."""
    n = len(df)
    if not n:
        return np.zeros(0), np.zeros(0, dtype=object), np.zeros(0, dtype=object)
    wp = profile.weights
    names = [k for k, _ in wp.level1]
    scale = 10 ** profile.decimals
    l1_codes, l1_uniques = pd.factorize(df["level1"])
    mapped = [level1_group(u, profile) for u in l1_uniques]
    group = np.array([names.index(g) for g, _ in mapped], dtype=np.int64)[l1_codes]
    unknown = np.array([u for _, u in mapped], dtype=bool)[l1_codes]
    proj_codes, proj_uniques = pd.factorize(df["project"])
    n_proj, n_group = len(proj_uniques), len(names)

    # points per (project, group) after redistributing the 一级 a project lacks
    present = np.zeros((n_proj, n_group), dtype=bool)
    present[proj_codes, group] = True
    base_cents = np.array([round(v * scale) for _, v in wp.level1], dtype=np.int64)
    points = np.where(present, base_cents, 0).astype(np.int64)
    redistributed = np.zeros(n_proj, dtype=object)
    redistributed[:] = ""
    rules = dict(wp.redistribute)
    for g, gname in enumerate(names):
        lacking = ~present[:, g] & present.any(axis=1)
        if not lacking.any() or base_cents[g] == 0:
            continue
        receivers = [(names.index(to), share) for to, share in rules.get(gname, ())]
        rec = np.zeros((n_proj, n_group))
        for to, share in receivers:
            rec[:, to] = share
        rec = np.where(present, rec, 0.0)
        no_rule = rec.sum(axis=1) <= 0
        fallback = np.where(present, base_cents.astype(float), 0.0)
        rec = np.where(no_rule[:, None], fallback, rec)
        shares = rec / np.maximum(rec.sum(axis=1, keepdims=True), 1e-300)
        add = np.floor(shares * base_cents[g]).astype(np.int64)
        left = base_cents[g] - add.sum(axis=1)
        top = np.argmax(shares, axis=1)
        add[np.arange(n_proj), top] += left
        add[~lacking] = 0
        points += add
        rule = rules.get(gname, ())
        if len(rule) == 1:
            how = f"全部并入{rule[0][0]}"
        elif rule:
            how = "按 " + "∶".join(fmt_number(sh) for _, sh in rule) + " 分给" + "、".join(to for to, _ in rule)
        else:
            how = "按其他一级指标的分值比例分配（评分规则未规定）"
        msg = f"项目没有{gname}，其 {fmt_number(base_cents[g] / scale)} 分{how}"
        rule_cols = [names.index(to) for to, _ in rule]
        for p in np.flatnonzero(lacking):
            m = msg
            if rule and not no_rule[p] and not present[p, rule_cols].all():
                m += "（规定的接收指标中本项目缺少的不参与分配）"
            elif rule and no_rule[p]:
                m += "（规定的接收指标本项目都没有，按其他一级指标的分值比例分配）"
            redistributed[p] = (redistributed[p] + "；" + m) if redistributed[p] else m

    explicit = df["weight"].to_numpy(dtype=float)
    has_w = ~np.isnan(explicit)
    pg = proj_codes.astype(np.int64) * n_group + group
    explicit_cents = np.where(has_w, np.round(np.nan_to_num(explicit) * scale), 0).astype(np.int64)
    used = np.bincount(pg, weights=explicit_cents, minlength=n_proj * n_group).astype(np.int64)
    remaining = np.maximum(points.ravel() - used, 0)
    over_used = (points.ravel() - used) < 0

    free = ~has_w
    frame = pd.DataFrame({"pg": pg, "l2": df["level2"].to_numpy(dtype=object), "free": free})
    f = frame[free]
    w_cents = np.zeros(n, dtype=np.int64)
    if len(f):
        if wp.split == "level3":
            count = f.groupby("pg")["pg"].transform("size").to_numpy()
            rank = f.groupby("pg").cumcount().to_numpy()
            w_cents[free] = _apportion(remaining[f["pg"].to_numpy()], count, rank)
        else:  # level2: equally among the 二级 of the group, then among each 二级's 三级
            l2code = _codes(f["pg"], f["l2"])
            g2 = pd.DataFrame({"pg": f["pg"].to_numpy(), "l2": l2code})
            first = ~g2.duplicated()
            n_l2 = g2[first].groupby("pg")["l2"].transform("size")
            rank_l2 = g2[first].groupby("pg").cumcount()
            l2_cents = pd.Series(_apportion(remaining[g2.loc[first, "pg"].to_numpy()], n_l2.to_numpy(),
                                            rank_l2.to_numpy()), index=g2.loc[first, "l2"].to_numpy())
            cents_l2 = l2_cents.reindex(l2code).to_numpy()
            count = g2.groupby("l2")["l2"].transform("size").to_numpy()
            rank = g2.groupby("l2").cumcount().to_numpy()
            w_cents[free] = _apportion(cents_l2, count, rank)
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
    return weight, source, flags


# ---------------------------------------------------------------------------------------------
# formulas
# ---------------------------------------------------------------------------------------------

def _formulas(p: Profile, c_kind, c_op, A, H, s_lo, s_hi, deadline, r_kind, B_raw, r_date, r_sign, r_verdict,
              r_pct, r_reason, satisfaction, w):
    n = len(c_kind)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        neg_actual = (r_kind == 0) & (B_raw < 0)
        B = np.where(neg_actual, 0.0, B_raw)
        close = np.isclose(B, A, rtol=1e-9, atol=1e-12)
        quant = (c_kind == 0) & (r_kind == 0) & ~np.isnan(A)
        rng = (c_kind == 1) & (r_kind == 0) & ~np.isnan(A) & ~np.isnan(H)
        ge, gt, le, lt, eq = (c_op == 1), (c_op == 2), (c_op == 3), (c_op == 4), (c_op == 5)
        zero = quant & (le | lt | eq) & (A == 0)
        pos_a = A > 0

        outcome = np.full(n, UNKNOWN, dtype=np.int8)
        ratio = np.full(n, np.nan)
        met = np.zeros(n, dtype=bool)
        boundary = np.zeros(n, dtype=bool)

        def put(mask, code, r, is_met=False, edge=False):
            nonlocal ratio
            mask = mask & (outcome == UNKNOWN)
            outcome[mask] = code
            ratio = np.where(mask, r, ratio)
            met[:] = np.where(mask, is_met, met)
            boundary[:] = np.where(mask, edge, boundary)

        one = np.ones(n)
        b_over_a = np.where(pos_a, B / A, np.where(B >= 0, 0.0, 0.0))
        # 正向
        put(quant & ge & ((B >= A) | close), GE_MET, np.where(pos_a, B / A, 1.0), True)
        put(quant & gt & (B > A) & ~close, GE_MET, np.where(pos_a, B / A, 1.0), True)
        put(quant & gt & close, GT_EDGE, np.where(pos_a, one, 0.0), edge=True)
        put(quant & (ge | gt), GE_PART, b_over_a)
        # zero targets: all or nothing
        is_zero_b = np.isclose(B, 0.0, rtol=0, atol=1e-12)
        put(zero & is_zero_b, ZERO_MET, one, True)
        put(zero, ZERO_FAIL, np.zeros(n))
        # 反向
        a_over_b = np.where(B > 0, A / B, np.nan)
        put(quant & le & ((B <= A) | close), LE_MET, a_over_b, True)
        put(quant & lt & (B < A) & ~close, LE_MET, a_over_b, True)
        put(quant & lt & close, LT_EDGE, one, edge=True)
        if p.at_most == "linear":
            put(quant & (le | lt) & pos_a, LE_LIN, 1 - (B - A) / A)
        else:
            put(quant & (le | lt) & pos_a, LE_INV, a_over_b)
        put(quant & (le | lt), ZERO_FAIL, np.zeros(n))  # a negative 反向 target: nothing can meet it
        # 等于
        put(quant & eq & close, EQ_MET, one, True)
        put(quant & eq & (B > A), EQ_ABOVE, b_over_a, True)
        put(quant & eq & pos_a, EQ_BELOW, b_over_a)
        # ranges
        above_lo = (B > A) | (close & ~s_lo)
        hi_close = np.isclose(B, H, rtol=1e-9, atol=1e-12)
        below_hi = (B < H) | (hi_close & ~s_hi)
        put(rng & above_lo & below_hi, R_MET, one, True)
        put(rng & ((close & s_lo) | (hi_close & s_hi)), R_EDGE, one, edge=True)
        put(rng & (B < A), R_BELOW, np.where(A > 0, B / A, 0.0))
        put(rng & (B > H), R_ABOVE, np.where(B > 0, H / B, 0.0))

        # deadlines
        dl = (c_kind == 2) & (r_kind == 1) & ~np.isnan(deadline)
        late_share = p.band(p.deadline_late).default / 100
        put(dl & (r_date <= deadline), D_MET, one, True)
        put(dl, D_LATE, np.full(n, late_share))
        # directional
        want = np.where(c_op == 8, 1, -1)
        gr = (c_kind == 3) & (r_kind == 2)
        put(gr & (r_sign == want), G_MET, one, True)
        put(gr, G_WRONG, np.full(n, p.band(p.directional_wrong).default / 100))

        # verdicts (written or read from free text)
        band_lo = np.array([p.band(v).min for v in VERDICTS])
        band_hi = np.array([p.band(v).max for v in VERDICTS])
        band_top = np.array([p.band(v).top for v in VERDICTS])
        band_def = np.array([p.band(v).default for v in VERDICTS])
        vk = np.clip(r_verdict, 0, 2)
        is_verdict = r_kind == 3
        verdict_ok_kind = np.isin(c_kind, (2, 3, 4))
        sat_band = is_verdict & (c_kind <= 1) & satisfaction & (p.satisfaction_without_survey == "band")
        scorable_verdict = is_verdict & (verdict_ok_kind | sat_band)
        has_pct = ~np.isnan(r_pct)
        in_band = (r_pct >= band_lo[vk]) & ((r_pct < band_hi[vk]) | (band_top[vk] & (r_pct == band_hi[vk])))
        put(scorable_verdict & has_pct & in_band, V_PCT, r_pct / 100)
        put(scorable_verdict & ~has_pct, V_BAND, band_def[vk] / 100)

        # reasons for 无法判定
        reason = np.where(outcome == UNKNOWN, r_reason, "").astype(object)
        bad_pct = scorable_verdict & has_pct & ~in_band
        for i in np.flatnonzero(bad_pct):
            band = p.band(VERDICTS[vk[i]])
            reason[i] = f"给出的百分比 {fmt_number(r_pct[i])}% 不在“{band.name}”的档次 {band.describe()} 内"
        names = np.array(VERDICTS, dtype=object)
        verdict_on_quant = is_verdict & (c_kind <= 1) & ~sat_band
        reason = np.where(verdict_on_quant, "定量指标的实际完成值应为数值，不能只填判定（" + names[vk] + "）", reason)
        reason = np.where((outcome == UNKNOWN) & (r_kind == 0) & (c_kind >= 2),
                          "实际完成值是数值，与指标值的类型不符", reason)
        reason = np.where((outcome == UNKNOWN) & dl & np.isnan(deadline), "时限没有年份，且未给评价年度", reason)
        reason = np.where((outcome == UNKNOWN) & (reason == ""), "实际完成值与指标值无法比较", reason)

        # verdicts and scores
        share = np.clip(np.nan_to_num(ratio, nan=0.0), 0.0, 1.0)
        share = np.where(met, 1.0, share)
        raw_score = np.where(outcome == UNKNOWN, 0.0, w * share)
        score = round_half_up_array(raw_score, p.decimals)
        score = np.minimum(score, w)  # float noise never lifts a score above its weight
        partial = (p.partial_from is not None) & (share * 100 >= (p.partial_from or 0) - 1e-9)
        q_verdict = np.where(met, 0, np.where(boundary, 2, np.where(partial, 1, 2)))
        verdict = np.where(outcome == UNKNOWN, 3, q_verdict)
        verdict = np.where(np.isin(outcome, (V_BAND, V_PCT)), vk, verdict)
        verdict = np.where(outcome == D_LATE, VERDICTS.index(p.deadline_late), verdict)
        verdict = np.where(outcome == G_WRONG, VERDICTS.index(p.directional_wrong), verdict)

        # over-achievement (正向, 等于): flag, and the deduction a profile may set
        over_ops = np.isin(c_op, [_OP_CODE[o] for o in p.over_ops])
        over = (quant & over_ops & pos_a & ((B >= A * p.over_threshold / 100)
                                            | np.isclose(B, A * p.over_threshold / 100, rtol=1e-9)))
        deducted = over & (p.over_deduction > 0)
        score = np.where(deducted, np.maximum(round_half_up_array(score - p.over_deduction, p.decimals), 0.0), score)
    return (verdict.astype(np.int8), ratio, outcome, score, over, deducted, boundary, reason, neg_actual, sat_band, B)


# ---------------------------------------------------------------------------------------------
# words: explanations and flags
# ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=200_000)
def _f(x: float) -> str:
    return fmt_number(x)


def _r(x: float) -> str:
    """A ratio for reading, 4 significant places."""
    return f"{x:.4g}"


def _explanations(p: Profile, outcome, A, H, B, w, score, ratio, r_date, deadline, r_sign, c_op, verdict, r_pct,
                  reason, deducted) -> np.ndarray:
    d = p.decimals
    late_band = p.band(p.deadline_late)
    wrong_band = p.band(p.directional_wrong)
    ded = f"；实际达到目标的 {fmt_number(p.over_threshold)}% 及以上（超额），扣 {fmt_number(p.over_deduction)} 分"

    def one(o, a, h, b, wt, s, r, rd, dd, sign, op, v, pct, why, dd_flag):
        S = f"{(wt if dd_flag else s):.{d}f}"  # a deduction is applied to the full marks of a met target
        W = _f(wt)
        if o == UNKNOWN:
            return f"无法判定：{why} → 0 分"
        if o == GE_MET:
            text = f"{_f(b)} ÷ {_f(a)} ≥ 1 → 满分 {S}" if a > 0 else f"{_f(b)} ≥ {_f(a)} → 满分 {S}"
        elif o == GE_PART:
            text = f"{_f(b)} ÷ {_f(a)} = {_r(r)} < 1 → {W} × {_f(b)} ÷ {_f(a)} = {S}" if a > 0 else \
                f"{_f(b)} < {_f(a)} → 0 分"
        elif o == GT_EDGE:
            text = f"{_f(b)} = {_f(a)}，未超过目标（“>”不含本数），判未达成；按公式 {W} × {_f(b)} ÷ {_f(a)} = {S}" if a > 0 \
                else f"{_f(b)} = {_f(a)}，未超过目标（“>”不含本数）→ 0 分"
        elif o == LE_MET:
            text = f"{_f(b)} ≤ {_f(a)} → 满分 {S}" if op == 3 else f"{_f(b)} < {_f(a)} → 满分 {S}"
        elif o == LE_INV:
            text = f"{_f(b)} > {_f(a)}（反向指标）→ {W} × {_f(a)} ÷ {_f(b)} = {S}"
        elif o == LE_LIN:
            text = f"{_f(b)} > {_f(a)}（反向指标，线性扣分）→ {W} × (1 − ({_f(b)} − {_f(a)}) ÷ {_f(a)}) = {S}"
            if r <= 0:
                text += "（不低于 0）"
        elif o == LT_EDGE:
            text = f"{_f(b)} = {_f(a)}，未低于目标（“<”不含本数），判未达成；按公式 {W} × {_f(a)} ÷ {_f(b)} = {S}"
        elif o == ZERO_MET:
            text = f"目标为 0，实际 0 → 满分 {S}"
        elif o == ZERO_FAIL:
            text = f"目标为 {_f(a)}，实际 {_f(b)}，未达到 → 0 分（全有或全无）"
        elif o == EQ_MET:
            text = f"{_f(b)} = {_f(a)} → 满分 {S}"
        elif o == EQ_ABOVE:
            text = f"{_f(b)} > {_f(a)}（等于型指标超过目标）→ 满分 {S}"
        elif o == EQ_BELOW:
            text = f"{_f(b)} ÷ {_f(a)} = {_r(r)} < 1 → {W} × {_f(b)} ÷ {_f(a)} = {S}"
        elif o == R_MET:
            text = f"{_f(a)} ≤ {_f(b)} ≤ {_f(h)} → 满分 {S}"
        elif o == R_BELOW:
            text = f"{_f(b)} < 下限 {_f(a)} → {W} × {_f(b)} ÷ {_f(a)} = {S}"
        elif o == R_ABOVE:
            text = f"{_f(b)} > 上限 {_f(h)} → {W} × {_f(h)} ÷ {_f(b)} = {S}"
        elif o == R_EDGE:
            text = f"{_f(b)} 落在不含本数的边界上，判未达成；按公式 {W} × 1 = {S}"
        elif o == D_MET:
            text = f"完成日期 {date.fromordinal(int(rd))} 不晚于 {date.fromordinal(int(dd))} → 满分 {S}"
        elif o == D_LATE:
            days = int(rd - dd)
            text = (f"完成日期 {date.fromordinal(int(rd))} 晚于 {date.fromordinal(int(dd))}（逾期 {days} 天）→ "
                    f"{late_band.name}档 {W} × {_f(late_band.default)}% = {S}")
        elif o == G_MET:
            text = f"较上年{'增长' if sign > 0 else '下降'}，方向符合 → 满分 {S}"
        elif o == G_WRONG:
            moved = "增长" if sign > 0 else ("下降" if sign < 0 else "未变化")
            text = f"较上年{moved}，方向不符 → {wrong_band.name}档 {W} × {_f(wrong_band.default)}% = {S}"
        elif o == V_PCT:
            text = f"{VERDICTS[v]} {_f(pct)}% → {W} × {_f(pct)}% = {S}"
        else:  # V_BAND
            band = p.band(VERDICTS[v])
            text = f"{VERDICTS[v]}（本档默认 {_f(band.default)}%）→ {W} × {_f(band.default)}% = {S}"
        return f"{text}{ded} → {s:.{d}f}" if dd_flag else text

    n = len(outcome)
    if not n:
        return np.zeros(0, dtype=object)
    safe_v = np.clip(verdict, 0, 2)
    out = [one(*t) for t in zip(outcome.tolist(), A.tolist(), H.tolist(), B.tolist(), w.tolist(), score.tolist(),
                                ratio.tolist(), r_date.tolist(), deadline.tolist(), r_sign.tolist(), c_op.tolist(),
                                safe_v.tolist(), r_pct.tolist(), reason.tolist(), deducted.tolist(), strict=True)]
    arr = np.empty(n, dtype=object)
    arr[:] = out
    return arr


def _flags(df, p: Profile, verdict, boundary, over, deducted, c_op, neg_actual, sat_band, reason, r_date, deadline,
           B, A, group_flags) -> np.ndarray:
    n = len(df)
    cell = df["cell"].to_numpy(dtype=object)
    parts: list[np.ndarray] = []
    unknown = verdict == 3
    if unknown.any():
        where = np.where(cell != "", "（" + cell + "）", "")
        parts.append(np.where(unknown, "无法判定：" + reason.astype(object) + where, ""))
    if boundary.any():
        parts.append(np.where(boundary, "实际值恰在不含本数的边界上：判未达成，但按公式得满分，请复核", ""))
    if over.any():
        thr = fmt_number(p.over_threshold)
        msg = f"超额完成：实际值达到目标的 {thr}% 及以上，目标可能定得过低，须说明原因"
        if p.over_deduction > 0:
            msg += f"（按本口径扣 {fmt_number(p.over_deduction)} 分）"
        parts.append(np.where(over, msg, ""))
    eq_above = (c_op == 5) & (verdict == 0) & (B > A) & ~np.isclose(B, A)
    if eq_above.any():
        parts.append(np.where(eq_above, "等于型指标的实际值超过目标值：按满分计，请复核", ""))
    if neg_actual.any():
        parts.append(np.where(neg_actual, "实际值为负数，按 0 计", ""))
    if sat_band.any():
        parts.append(np.where(sat_band, "满意度指标没有调查数据（满意度百分比），按定性档次计分", ""))
    late = ~np.isnan(r_date) & ~np.isnan(deadline) & (r_date > deadline)
    if late.any():
        parts.append(np.where(late, "逾期完成", ""))
    if (group_flags != "").any():
        parts.append(group_flags)
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


# ---------------------------------------------------------------------------------------------
# projects
# ---------------------------------------------------------------------------------------------

def _projects(ind: pd.DataFrame, budgets: pd.DataFrame | None, p: Profile) -> pd.DataFrame:
    scale = 10 ** p.decimals
    order = list(pd.unique(ind["project"])) if len(ind) else []
    if budgets is not None and len(budgets):
        b = budgets.copy()
        b["project"] = b["project"].astype(object).where(b["project"].notna(), "").astype(str)
        for col in ("initial_budget", "full_budget", "spent"):
            b[col] = pd.to_numeric(b[col], errors="coerce").astype(float) if col in b.columns else np.nan
        if "reason_text" not in b.columns:
            b["reason_text"] = ""
        b = b.drop_duplicates("project", keep="first")
        seen = set(order)
        order += [x for x in b["project"] if x not in seen]
    else:
        b = pd.DataFrame({"project": pd.Series([], dtype=object), "initial_budget": [], "full_budget": [], "spent": [],
                          "reason_text": []})
    proj = pd.DataFrame({"project": pd.Series(order, dtype=object)})
    proj = proj.merge(b[["project", "initial_budget", "full_budget", "spent", "reason_text"]], on="project", how="left")
    has_budget_row = proj["project"].isin(set(b["project"])).to_numpy()

    A = proj["full_budget"].to_numpy(dtype=float)
    B = proj["spent"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where((A > 0) & ~np.isnan(B), np.maximum(B, 0) / A, np.nan)
    bw = float(p.weights.budget)
    computable = ~np.isnan(rate)
    bscore = np.where(computable, round_half_up_array(np.minimum(rate, 1.0) * bw, p.decimals), 0.0)
    proj["execution_rate"] = rate
    proj["budget_weight"] = bw
    proj["budget_score"] = bscore
    rate_pct = np.round(rate * 100, 2)
    proj["budget_explanation"] = [
        (f"执行率 = {_f(b_)} ÷ {_f(a_)} = {_f(rp)}% → min(执行率, 1) × {_f(bw)} = {s:.{p.decimals}f}" if ok
         else f"执行率无法计算（全年预算数 {'缺失' if a_ != a_ else _f(a_)}、全年执行数 {'缺失' if b_ != b_ else _f(b_)}）→ 0 分")
        for a_, b_, rp, s, ok in zip(A.tolist(), B.tolist(), rate_pct.tolist(), bscore.tolist(), computable.tolist(),
                                     strict=True)]
    proj["budget_needs_reason"] = computable & (rate * 100 < p.reason_below - 1e-9)
    proj["budget_reason_missing"] = proj["budget_needs_reason"] & proj["reason_text"].astype(object).where(proj["reason_text"].notna(), "").astype(str).str.strip().eq("")

    # subtotals per 一级 (as written, canonical spelling)
    if len(ind):
        l1_codes, l1_uniques = pd.factorize(ind["level1"])
        sub_names = np.array([subtotal_name(u) for u in l1_uniques], dtype=object)[l1_codes]
        cents = np.round(ind["score"].to_numpy(dtype=float) * scale).astype(np.int64)
        wcents = np.round(ind["weight"].to_numpy(dtype=float) * scale).astype(np.int64)
        t = pd.DataFrame({"project": ind["project"].to_numpy(dtype=object), "l1": sub_names, "c": cents, "w": wcents})
        sub = t.groupby(["project", "l1"], sort=False)["c"].sum().unstack("l1", fill_value=0)
        tot = t.groupby("project", sort=False)[["c", "w"]].sum()
        counts = t.groupby("project", sort=False)["c"].size()
        unknown = (ind["verdict"] == VERDICT_UNKNOWN).groupby(ind["project"], sort=False).sum()
    else:
        sub = pd.DataFrame(index=pd.Index([], dtype=object))
        tot = pd.DataFrame({"c": [], "w": []}, index=pd.Index([], dtype=object))
        counts = pd.Series([], dtype=int)
        unknown = pd.Series([], dtype=int)
    cols = list(STANDARD_LEVEL1) + [c for c in sub.columns if c not in STANDARD_LEVEL1]
    sub = sub.reindex(columns=cols, fill_value=0)
    for c in cols:
        proj[f"subtotal_{c}"] = sub[c].reindex(proj["project"]).fillna(0).to_numpy(dtype=float) / scale
    ind_cents = tot["c"].reindex(proj["project"]).fillna(0).to_numpy(dtype=np.int64)
    w_cents = tot["w"].reindex(proj["project"]).fillna(0).to_numpy(dtype=np.int64)
    proj["indicator_total"] = ind_cents / scale
    proj["weight_total"] = (w_cents + round(bw * scale)) / scale
    total_cents = ind_cents + np.round(bscore * scale).astype(np.int64)
    total = total_cents / scale

    flags: list[list[str]] = [[] for _ in range(len(proj))]
    cap_total = total.copy()
    for cap in p.caps:
        inside = computable & (rate * 100 >= cap.rate_min - 1e-9) & (rate * 100 < cap.rate_below - 1e-9)
        capped = inside & (total > cap.max_total)
        cap_total = np.where(capped, np.minimum(cap_total, cap.max_total), cap_total)
        for i in np.flatnonzero(inside):
            msg = (f"执行率 {_f(rate_pct[i])}% 在 {_f(cap.rate_min)}%–{_f(cap.rate_below)}% 之间，总分最高 {_f(cap.max_total)} 分"
                   + (f"：{total[i]:.{p.decimals}f} → {cap.max_total:.{p.decimals}f}" if capped[i] else ""))
            flags[i].append(msg)
    # a total never exceeds full marks, whatever the weights add up to (hostile input, issue 13);
    # weights that do not add up to 100 are also a problem of the run (pipeline.collect_problems)
    over = cap_total > FULL_MARKS + 1e-9
    for i in np.flatnonzero(over):
        flags[i].append(f"总分 {cap_total[i]:.{p.decimals}f} 超过满分 {_f(FULL_MARKS)}（分值合计超过 100），按 {_f(FULL_MARKS)} 分计")
    cap_total = np.minimum(cap_total, FULL_MARKS)
    proj["uncapped_total"] = total
    proj["total"] = cap_total
    lo = np.array([g.min for g in p.grades])
    names = [g.name for g in p.grades]  # highest first
    conds = [cap_total >= g_lo - 1e-9 for g_lo in lo]
    proj["grade"] = np.select(conds, names, default=names[-1]).astype(object)

    wt = proj["weight_total"].to_numpy()
    n_ind = counts.reindex(proj["project"]).fillna(0).to_numpy()
    n_unknown = unknown.reindex(proj["project"]).fillna(0).to_numpy()
    needs_reason = proj["budget_needs_reason"].to_numpy(dtype=bool)
    for i in np.flatnonzero(~has_budget_row | ~computable | (n_ind == 0) | (np.abs(wt - 100) > 1e-6)
                            | (n_unknown > 0) | needs_reason):
        if not has_budget_row[i]:
            flags[i].append("预算表中没有该项目：预算执行率无法计算，记 0 分")
        elif not computable[i]:
            flags[i].append("全年预算数为 0 或缺失（或执行数缺失）：预算执行率无法计算，记 0 分")
        if n_ind[i] == 0:
            flags[i].append("该项目没有绩效指标")
        elif abs(wt[i] - 100) > 1e-6:
            flags[i].append(f"分值合计为 {_f(wt[i])}，不是 100（含预算执行率 {_f(bw)} 分）")
        if n_unknown[i]:
            flags[i].append(f"{int(n_unknown[i])} 个指标无法判定，记 0 分")
        if needs_reason[i]:
            flags[i].append(f"执行率 {_f(rate_pct[i])}% 低于 {_f(p.reason_below)}%，须说明偏差原因")
    proj["flags"] = [tuple(f) for f in flags]
    proj = proj.drop(columns=["reason_text"])
    return proj
