"""A profile file (``rules/*.yaml``) read, merged along its ``extends:`` chain and validated into a
:class:`~scoring.rubric.profile.Profile`. Every message names the file and the key."""

from __future__ import annotations

import math
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from scoring.findings import ScoreError
from scoring.language.lexicon import default_lexicon
from scoring.language.numerals import fmt_number
from scoring.rubric.profile import (
    AMOUNT_UNITS,
    CHANGE_WRONG_WAY,
    RULES_DIR,
    SCHEMA,
    STRICT_BOUNDARY,
    SURVEY_CHOICES,
    Band,
    Cap,
    Profile,
    Weights,
    profile_path,
)
from scoring.rubric.sections.criteria import criteria_settings
from scoring.rubric.sections.monitor import monitor_settings
from scoring.rubric.sections.review import review_settings
from scoring.vocab import BAND_NAMES
from scoring.workspace import DEFAULT_PROFILE
from scoring.yaml_input import load_yaml


def read_profile(path: Path) -> Profile:
    """The profile a file says, its ``extends:`` chain resolved."""
    raw, chain = _resolve(path, ())
    return _build(raw, path, chain)


def _read_yaml(path: Path) -> dict:
    data = load_yaml(path, what="评分规则文件",
                     hint=f"可用的评分规则：{'、'.join(available_profiles())}；也可以给出 YAML 文件的路径")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScoreError("评分规则文件的顶层应当是一个映射（键: 值）", where=str(path))
    return data



def _check_keys(data: Any, schema: dict, path: Path, prefix: str) -> None:
    if not isinstance(data, dict):
        raise ScoreError(f"“{prefix}”应当是一个映射（键: 值）", where=_where(path, prefix))
    for key, value in data.items():
        key_path = f"{prefix}.{key}" if prefix else str(key)
        if key in schema:
            sub = schema[key]
        elif "*" in schema:
            sub = schema["*"]
        else:
            allowed = "、".join(k for k in schema if k != "*")
            raise ScoreError(f"未知的键“{key_path}”", where=_where(path, key_path), hint=f"这里允许的键：{allowed}")
        if isinstance(sub, dict) and value is not None:
            _check_keys(value, sub, path, key_path)



def _resolve(path: Path, seen: tuple[str, ...]) -> tuple[dict, tuple[str, ...]]:
    key = str(path.resolve()) if path.exists() else str(path)
    if key in seen:
        raise ScoreError("评分规则的 extends 形成了循环", where=_where(path, "extends"),
                         hint=" → ".join(Path(s).stem for s in (*seen, key)))
    data = _read_yaml(path)
    _check_keys(data, SCHEMA, path, "")
    parent_name = data.get("extends")
    name = str(data.get("name") or path.stem)
    if parent_name in (None, ""):
        return data, (name,)
    if not isinstance(parent_name, str):
        raise ScoreError("extends 应当是另一个评分规则的名称或路径", where=_where(path, "extends"))
    parent_path = profile_path(parent_name, relative_to=path.parent)
    if not parent_path.exists():
        raise ScoreError(f"extends 指向的评分规则“{parent_name}”不存在", where=_where(path, "extends"),
                         hint=f"可用的评分规则：{'、'.join(available_profiles())}")
    parent, chain = _resolve(parent_path, (*seen, key))
    merged = _merge(parent, data)
    merged["name"] = name
    return merged, (name, *chain)



# Mappings a child profile replaces as a whole instead of merging key by key: a band table
# or a redistribution is one setting (merging 80/70/60 grades into 90/80/60 ones would overlap).
_REPLACE_WHOLE = {"qualitative.bands", "grades", "weights.redistribute.*"}



def _merge(base: dict, over: dict, prefix: str = "") -> dict:
    out = dict(base)
    for k, v in over.items():
        if k == "extends":
            continue
        key = f"{prefix}.{k}" if prefix else str(k)
        whole = key in _REPLACE_WHOLE or f"{prefix}.*" in _REPLACE_WHOLE
        if isinstance(v, dict) and isinstance(out.get(k), dict) and not whole:
            out[k] = _merge(out[k], v, key)
        else:
            out[k] = v
    out.pop("extends", None)
    return out



def _where(path: Path, key: str) -> str:
    return f"{path} › {key}" if key else str(path)



class _Reader:
    """Typed access to the merged mapping, raising errors that name the file and the key."""

    def __init__(self, data: dict, path: Path):
        self.data, self.path = data, path

    def get(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                raise ScoreError(f"缺少设置“{dotted}”", where=_where(self.path, dotted),
                                 hint="在规则文件中写出它，或用 extends: national 继承国家口径")
            node = node[part]
        return node

    def number(self, dotted: str, value: Any = ..., lo: float | None = None, hi: float | None = None) -> float:
        v = self.get(dotted) if value is ... else value
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise ScoreError(f"“{dotted}”应当是一个数，现在是 {v!r}", where=_where(self.path, dotted))
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            rng = f"{'' if lo is None else fmt_number(lo)}–{'' if hi is None else fmt_number(hi)}"
            raise ScoreError(f"“{dotted}”应当在 {rng} 之间，现在是 {fmt_number(v)}", where=_where(self.path, dotted))
        return float(v)

    def choice(self, dotted: str, options: tuple[str, ...]) -> str:
        v = self.get(dotted)
        if v not in options:
            raise ScoreError(f"“{dotted}”只能是 {'、'.join(options)}，现在是 {v!r}", where=_where(self.path, dotted))
        return v

    def boolean(self, dotted: str) -> bool:
        v = self.get(dotted)
        if not isinstance(v, bool):
            raise ScoreError(f"“{dotted}”应当是 true 或 false，现在是 {v!r}", where=_where(self.path, dotted))
        return v

    def mapping(self, dotted: str, allow_empty: bool = True) -> dict:
        v = self.get(dotted)
        if v is None and allow_empty:
            return {}
        if not isinstance(v, dict) or (not v and not allow_empty):
            raise ScoreError(f"“{dotted}”应当是一个非空的映射", where=_where(self.path, dotted))
        return v



def _bands(r: _Reader, key: str, names: tuple[str, ...] | None, with_default: bool) -> tuple[Band, ...]:
    raw = r.mapping(key, allow_empty=False)
    if names is not None:
        missing = [n for n in names if n not in raw]
        extra = [n for n in raw if n not in names]
        if missing or extra:
            what = "缺少 " + "、".join(missing) if missing else "多出 " + "、".join(map(str, extra))
            raise ScoreError(f"“{key}”应当正好有 {'、'.join(names)} 三档（{what}）", where=_where(r.path, key))
    bands = []
    for name, spec in raw.items():
        k = f"{key}.{name}"
        if not isinstance(spec, dict):
            raise ScoreError(f"“{k}”应当是 {{min, max{', default' if with_default else ''}}}", where=_where(r.path, k))
        for need in ("min", "max", *(("default",) if with_default else ())):
            if need not in spec:
                raise ScoreError(f"缺少设置“{k}.{need}”", where=_where(r.path, f"{k}.{need}"))
        lo = r.number(f"{k}.min", spec["min"], 0, 100)
        hi = r.number(f"{k}.max", spec["max"], 0, 100)
        if hi <= lo:
            raise ScoreError(f"“{k}”的上限 {fmt_number(hi)} 不大于下限 {fmt_number(lo)}", where=_where(r.path, k))
        default = r.number(f"{k}.default", spec["default"], 0, 100) if with_default else None
        bands.append(Band(str(name), lo, hi, default))
    ordered = sorted(bands, key=lambda b: b.min)
    if ordered[0].min != 0:
        raise ScoreError(f"“{key}”留有空档：0%–{fmt_number(ordered[0].min)}% 不属于任何一档",
                         where=_where(r.path, f"{key}.{ordered[0].name}.min"))
    if ordered[-1].max != 100:
        raise ScoreError(f"“{key}”留有空档：{fmt_number(ordered[-1].max)}%–100% 不属于任何一档",
                         where=_where(r.path, f"{key}.{ordered[-1].name}.max"))
    for a, b in pairwise(ordered):
        if b.min < a.max:
            raise ScoreError(f"“{key}”的档次重叠：{a.name} {fmt_number(a.min)}–{fmt_number(a.max)} 与 {b.name} {fmt_number(b.min)}–{fmt_number(b.max)}",
                             where=_where(r.path, f"{key}.{b.name}.min"))
        if b.min > a.max:
            raise ScoreError(f"“{key}”留有空档：{fmt_number(a.max)}–{fmt_number(b.min)} 不属于任何一档（{a.name} 与 {b.name} 之间）",
                             where=_where(r.path, f"{key}.{b.name}.min"))
    ordered[-1] = Band(ordered[-1].name, ordered[-1].min, ordered[-1].max, ordered[-1].default, top=True)
    for b in ordered:
        if with_default and not b.contains(b.default):
            raise ScoreError(f"“{key}.{b.name}.default” {fmt_number(b.default)} 不在本档 {b.describe()} 内",
                             where=_where(r.path, f"{key}.{b.name}.default"))
    return tuple(sorted(ordered, key=lambda b: -b.min))



def _weights(r: _Reader, path: Path) -> Weights:
    """``weights:``: points per 一级, how they split and move, and the names they go by."""
    budget_w = r.number("weights.budget", lo=0, hi=100)
    level1_raw = r.mapping("weights.level1", allow_empty=False)
    level1 = tuple((str(k), r.number(f"weights.level1.{k}", v, 0, 100)) for k, v in level1_raw.items())
    total = budget_w + sum(v for _, v in level1)
    if not math.isclose(total, 100, abs_tol=1e-9):
        parts = " + ".join(f"{k} {fmt_number(v)}" for k, v in level1)
        raise ScoreError(f"分值合计应为 100，现在是 预算执行率 {fmt_number(budget_w)} + {parts} = {fmt_number(total)}",
                         where=_where(path, "weights.level1"), hint="调整 weights.budget 或 weights.level1 使其合计 100")
    names = {k for k, _ in level1}
    split = r.choice("weights.split", ("level3", "level2"))
    redistribute = []
    for missing, receivers in r.mapping("weights.redistribute").items():
        k = f"weights.redistribute.{missing}"
        if missing not in names:
            raise ScoreError(f"“{k}”：一级指标“{missing}”不在 weights.level1 中", where=_where(path, k))
        if not isinstance(receivers, dict) or not receivers:
            raise ScoreError(f"“{k}”应当是“接收的一级指标: 比例”的映射", where=_where(path, k))
        parts = []
        for to, share in receivers.items():
            if to not in names or to == missing:
                raise ScoreError(f"“{k}.{to}”：接收分值的一级指标应当是 weights.level1 中的另一个",
                                 where=_where(path, f"{k}.{to}"))
            parts.append((str(to), r.number(f"{k}.{to}", share, 0)))
        if sum(s for _, s in parts) <= 0:
            raise ScoreError(f"“{k}”的比例合计应大于 0", where=_where(path, k))
        redistribute.append((str(missing), tuple(parts)))
    aliases = []
    for alias, target in r.mapping("weights.aliases").items():
        if target not in names:
            raise ScoreError(f"“weights.aliases.{alias}”指向的“{target}”不在 weights.level1 中",
                             where=_where(path, f"weights.aliases.{alias}"))
        aliases.append((str(alias).strip(), str(target)))
    unknown = r.get("weights.unknown_level1")
    if unknown not in names:
        raise ScoreError(f"“weights.unknown_level1”应当是 weights.level1 中的一个，现在是 {unknown!r}",
                         where=_where(path, "weights.unknown_level1"))
    return Weights(budget_w, level1, split, tuple(redistribute), tuple(aliases), unknown)


def _caps(r: _Reader, path: Path) -> tuple[Cap, ...]:
    """``budget.caps``: the project total capped by the execution rate, in ranges that do not overlap."""
    caps_raw = r.get("budget.caps") or []
    if not isinstance(caps_raw, list):
        raise ScoreError("“budget.caps”应当是列表：- {rate_min, rate_below, max_total}", where=_where(path, "budget.caps"))
    caps = []
    for i, c in enumerate(caps_raw):
        k = f"budget.caps[{i}]"
        if not isinstance(c, dict) or set(c) != {"rate_min", "rate_below", "max_total"}:
            raise ScoreError(f"“{k}”应当正好有 rate_min、rate_below、max_total 三个键", where=_where(path, k))
        lo = r.number(f"{k}.rate_min", c["rate_min"], 0, 100)
        hi = r.number(f"{k}.rate_below", c["rate_below"], 0, 100)
        if hi <= lo:
            raise ScoreError(f"“{k}”的 rate_below 应大于 rate_min", where=_where(path, k))
        caps.append(Cap(lo, hi, r.number(f"{k}.max_total", c["max_total"], 0, 100)))
    caps.sort(key=lambda c: c.rate_min)
    for a, b in pairwise(caps):
        if b.rate_min < a.rate_below:
            raise ScoreError(f"“budget.caps”的执行率区间重叠：{fmt_number(a.rate_min)}–{fmt_number(a.rate_below)} 与 "
                             f"{fmt_number(b.rate_min)}–{fmt_number(b.rate_below)}", where=_where(path, "budget.caps"))
    return tuple(caps)


def _build(data: dict, path: Path, chain: tuple[str, ...]) -> Profile:
    r = _Reader(data, path)
    weights = _weights(r, path)
    reason_below = r.number("budget.reason_below", lo=0, hi=100)
    caps = _caps(r, path)

    # quantitative and over-achievement
    at_most = r.choice("quantitative.at_most", ("inverse", "linear"))
    pf = r.get("quantitative.partial_from")
    partial_from = None if pf is None else r.number("quantitative.partial_from", pf, 0, 100)
    quant = data.get("quantitative") or {}
    strict_boundary = r.choice("quantitative.strict_boundary", STRICT_BOUNDARY) if "strict_boundary" in quant \
        else STRICT_BOUNDARY[0]
    workday_hours = r.number("quantitative.workday_hours", lo=1, hi=24) if "workday_hours" in quant else 8.0
    wrong_way = r.choice("quantitative.change_wrong_way", CHANGE_WRONG_WAY) if "change_wrong_way" in quant \
        else CHANGE_WRONG_WAY[0]
    over_threshold = r.number("over_achievement.threshold", lo=100)
    ops = r.get("over_achievement.ops")
    if not isinstance(ops, list) or not set(ops) <= {">=", ">", "=="}:
        raise ScoreError("“over_achievement.ops”应当是 \">=\"、\">\"、\"==\" 中若干个组成的列表",
                         where=_where(path, "over_achievement.ops"))
    deduction = r.number("over_achievement.deduction", lo=0, hi=100)
    require_reason = r.boolean("over_achievement.require_reason")

    # qualitative
    bands = _bands(r, "qualitative.bands", BAND_NAMES, with_default=True)
    deadline_late = r.choice("qualitative.deadline_late", BAND_NAMES)
    directional_wrong = r.choice("qualitative.directional_wrong", BAND_NAMES)
    sws = r.choice("qualitative.satisfaction_without_survey", SURVEY_CHOICES)

    grades = _bands(r, "grades", None, with_default=False)
    decimals = r.get("rounding.decimals")
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 6:
        raise ScoreError(f"“rounding.decimals”应当是 0–6 的整数，现在是 {decimals!r}", where=_where(path, "rounding.decimals"))
    lost = r.boolean("reasons.lost_points")
    amount_unit = r.choice("report.amount_unit", AMOUNT_UNITS) if "amount_unit" in (data.get("report") or {}) else "元"

    words = data.get("words") or {}
    lexicon = default_lexicon().merged(words, source=_where(path, "words")) if words else default_lexicon()
    title = data.get("title") or data.get("name") or path.stem
    return Profile(
        name=str(data.get("name") or path.stem), title=str(title), source=str(path), weights=weights,
        reason_below=reason_below, caps=tuple(caps), at_most=at_most, partial_from=partial_from,
        over_threshold=over_threshold, over_ops=tuple(ops), over_deduction=deduction,
        over_require_reason=require_reason, bands=bands, deadline_late=deadline_late,
        directional_wrong=directional_wrong, satisfaction_without_survey=sws, grades=grades,
        decimals=decimals, reason_lost_points=lost, lexicon=lexicon, chain=chain, amount_unit=amount_unit,
        monitor=monitor_settings(data.get("monitor"), str(path)),
        review=review_settings(data.get("review"), str(path)),
        strict_boundary=strict_boundary, workday_hours=workday_hours, change_wrong_way=wrong_way,
        criteria=criteria_settings(data.get("criteria"), str(path)),
    )


def available_profiles() -> list[str]:
    return sorted(p.stem for p in RULES_DIR.glob("*.yaml"))


def load_profile(name_or_path: str | Path | None = None) -> Profile:
    """Load, resolve ``extends:`` and validate a profile; cached per resolved file."""
    path = profile_path(name_or_path or DEFAULT_PROFILE)
    return _load_cached(str(path.resolve()) if path.exists() else str(path))


@cache
def _load_cached(path: str) -> Profile:
    return read_profile(Path(path))
