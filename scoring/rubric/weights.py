"""Weights (分值) per indicator, scoring-rules.md §2, by group arithmetic in cents.

An explicit 分值 wins; otherwise a 一级's points are split equally among its 三级 (or among its
二级, then their 三级, as the profile says), after the points of a 一级 a project lacks have been
redistributed to the ones it has. Cents are apportioned so the parts add up exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.frames import per_distinct
from scoring.language import levels
from scoring.language.normalize import squeeze
from scoring.language.numerals import fmt_number
from scoring.rubric.inputs import group_codes
from scoring.rubric.profile import Profile


@dataclass(frozen=True)
class Weights:
    """Per indicator: the weight used, where it came from (分值/平均分配), and the notes on its group."""

    weight: np.ndarray
    source: np.ndarray
    flags: np.ndarray  # "" or the sentences about the 一级 (unknown, redistributed, over-used)


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


def apportion(total_cents: np.ndarray, count: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Split ``total_cents`` into ``count`` parts that differ by at most one cent; part ``rank``.

    >>> apportion(np.array([1000, 1000, 1000]), np.array([3, 3, 3]), np.array([0, 1, 2])).tolist()
    [334, 333, 333]
    """
    count = np.maximum(count, 1)
    base = total_cents // count
    extra = total_cents - base * count
    return base + (rank < extra)


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
    source = np.array(["平均分配", "分值"], dtype=object)[has_w.astype(np.intp)]

    # the notes on the group, "；"-joined: unknown 一级, explicit 分值 over the group's points, points redistributed
    unknown_free = unknown & free
    over_free = over_used[pg] & free
    redis = np.where(free, redistributed[proj_codes], "")
    rows = np.flatnonzero(unknown_free | over_free | (redis != ""))
    level1 = df["level1"].astype(str).to_numpy(dtype=object)

    def notes(is_unknown: bool, name: str, is_over: bool, moved: str) -> str:
        parts = (f"一级指标“{name}”不在评分规则中，与{wp.unknown_level1}共分其分值" if is_unknown else "",
                 "本一级指标的明确分值之和已超过其应有分值，未给分值的指标记 0 分" if is_over else "", moved)
        return "；".join(x for x in parts if x)

    flags = np.full(n, "", dtype=object)
    if len(rows):
        flags[rows] = per_distinct(notes, unknown_free[rows], np.where(unknown_free, level1, "")[rows], over_free[rows],
                                   redis[rows])
    return Weights(weight, source, flags)


def split_free(pg: np.ndarray, level2: np.ndarray, remaining: np.ndarray, split: str) -> np.ndarray:
    """Cents for the indicators without an explicit 分值, given their (project, 一级) group."""
    if not len(pg):
        return np.zeros(0, dtype=np.int64)
    f = pd.DataFrame({"pg": pg, "l2": level2})
    if split == "level3":
        count = f.groupby("pg")["pg"].transform("size").to_numpy()
        rank = f.groupby("pg").cumcount().to_numpy()
        return apportion(remaining[pg], count, rank)
    # level2: equally among the 二级 of the group, then among each 二级's 三级
    l2code = group_codes(f["pg"], f["l2"])
    g2 = pd.DataFrame({"pg": pg, "l2": l2code})
    first = ~g2.duplicated()
    n_l2 = g2[first].groupby("pg")["l2"].transform("size")
    rank_l2 = g2[first].groupby("pg").cumcount()
    l2_cents = pd.Series(apportion(remaining[g2.loc[first, "pg"].to_numpy()], n_l2.to_numpy(), rank_l2.to_numpy()),
                         index=g2.loc[first, "l2"].to_numpy())
    cents_l2 = l2_cents.reindex(l2code).to_numpy()
    count = g2.groupby("l2")["l2"].transform("size").to_numpy()
    rank = g2.groupby("l2").cumcount().to_numpy()
    return apportion(cents_l2, count, rank)


def redistributed_points(present: np.ndarray, profile: Profile) -> tuple[np.ndarray, np.ndarray]:
    """Points (cents) per (project, 一级) after a lacking 一级's points went to the others, and the
    sentence saying so per project."""
    wp = profile.weights
    names = [k for k, _ in wp.level1]
    n_proj, n_group = present.shape
    base_cents = np.array([round(v * 10 ** profile.decimals) for _, v in wp.level1], dtype=np.int64)
    points = np.where(present, base_cents, 0).astype(np.int64)
    redistributed = np.zeros(n_proj, dtype=object)
    redistributed[:] = ""
    rules = dict(wp.redistribute)
    for g, gname in enumerate(names):
        lacking = ~present[:, g] & present.any(axis=1)
        if not lacking.any() or base_cents[g] == 0:
            continue
        rule = rules.get(gname, ())
        rec = np.zeros((n_proj, n_group))
        for to, share in rule:
            rec[:, names.index(to)] = share
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
        msg = f"项目没有{gname}，其 {fmt_number(base_cents[g] / 10 ** profile.decimals)} 分{_how(rule)}"
        rule_cols = [names.index(to) for to, _ in rule]
        for p in np.flatnonzero(lacking):
            m = msg
            if rule and not no_rule[p] and not present[p, rule_cols].all():
                m += "（规定的接收指标中本项目缺少的不参与分配）"
            elif rule and no_rule[p]:
                m += "（规定的接收指标本项目都没有，按其他一级指标的分值比例分配）"
            redistributed[p] = (redistributed[p] + "；" + m) if redistributed[p] else m
    return points, redistributed


def _how(rule: tuple[tuple[str, float], ...]) -> str:
    if len(rule) == 1:
        return f"全部并入{rule[0][0]}"
    if rule:
        return "按 " + "∶".join(fmt_number(sh) for _, sh in rule) + " 分给" + "、".join(to for to, _ in rule)
    return "按其他一级指标的分值比例分配（评分规则未规定）"
