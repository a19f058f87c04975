"""The ``monitor:`` section of a rubric profile (``rules/*.yaml``): the thresholds of 绩效运行监控.

Percentages are written 0–100 like everywhere else in the profiles. Every key is optional in a
profile; what it leaves out comes from :data:`DEFAULTS` (the national section says the same).

``time_basis``: ``days`` (时间进度 = 已过天数 ÷ 全年天数) or ``months`` (已过整月数 ÷ 12).
``budget.attention_gap`` / ``budget.alert_gap``: the 双监控 check — a project whose execution
    progress lags time progress by *more than* this many points is 关注 / 预警.
``likelihood.possible_from``: the projected degree of completion (in %) from which a target that
    the projection does not meet is still 有可能 (below it: 不可能); a projection that meets the
    target is 确定能.
``indicators.lag_attention``: a cumulative indicator whose completion progress lags time progress
    by more than this many points is at least 关注, whatever the unit projects.
``projects.alert_from`` / ``projects.attention_from``: how many 预警 (resp. 关注 or worse)
    indicators make a project 预警 (resp. 关注).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from scoring.findings import ScoreError
from scoring.language.numerals import fmt_number

TIME_BASES = ("days", "months")

DEFAULTS: dict[str, Any] = {
    "time_basis": "days",
    "budget": {"attention_gap": 5, "alert_gap": 10},
    "likelihood": {"possible_from": 80},
    "indicators": {"lag_attention": 20},
    "projects": {"alert_from": 1, "attention_from": 1},
}


@dataclass(frozen=True)
class MonitorSettings:
    time_basis: str = "days"
    budget_attention_gap: float = 5
    budget_alert_gap: float = 10
    possible_from: float = 80
    lag_attention: float = 20
    project_alert_from: int = 1
    project_attention_from: int = 1

    def describe(self) -> str:
        basis = "按天数" if self.time_basis == "days" else "按整月数"
        return (f"时间进度{basis}计算；执行进度落后时间进度超过 {fmt_number(self.budget_attention_gap)} 个百分点为“关注”、"
                f"超过 {fmt_number(self.budget_alert_gap)} 个百分点为“预警”；预计完成程度不低于 "
                f"{fmt_number(self.possible_from)}% 为“有可能”")


def _where(source: str, key: str) -> str:
    return f"{source} › monitor.{key}" if key else f"{source} › monitor"


def _number(raw: dict, key: str, source: str, lo: float, hi: float | None) -> float:
    section, _, leaf = key.partition(".")
    node = raw.get(section, {}) if leaf else raw
    default = DEFAULTS[section][leaf] if leaf else DEFAULTS[section]
    if not isinstance(node, dict):
        raise ScoreError(f"“monitor.{section}”应当是一个映射（键: 值）", where=_where(source, section))
    v = node.get(leaf or section, default)
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise ScoreError(f"“monitor.{key}”应当是一个数，现在是 {v!r}", where=_where(source, key))
    if v < lo or (hi is not None and v > hi):
        rng = f"{fmt_number(lo)}–{'' if hi is None else fmt_number(hi)}"
        raise ScoreError(f"“monitor.{key}”应当在 {rng} 之间，现在是 {fmt_number(v)}", where=_where(source, key))
    return float(v)


def _check_keys(raw: dict, source: str) -> None:
    for key, value in raw.items():
        if key not in DEFAULTS:
            raise ScoreError(f"未知的键“monitor.{key}”", where=_where(source, str(key)),
                             hint=f"这里允许的键：{'、'.join(DEFAULTS)}")
        allowed = DEFAULTS[key]
        if isinstance(allowed, dict):
            if not isinstance(value, dict):
                raise ScoreError(f"“monitor.{key}”应当是一个映射（键: 值）", where=_where(source, key))
            for sub in value:
                if sub not in allowed:
                    raise ScoreError(f"未知的键“monitor.{key}.{sub}”", where=_where(source, f"{key}.{sub}"),
                                     hint=f"这里允许的键：{'、'.join(allowed)}")


def monitor_settings(raw: Any, source: str = "rules") -> MonitorSettings:
    """Validate a profile's ``monitor:`` mapping (None → the defaults); errors name ``file › key``."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ScoreError("“monitor”应当是一个映射（键: 值）", where=_where(source, ""))
    _check_keys(raw, source)
    basis = raw.get("time_basis", DEFAULTS["time_basis"])
    if basis not in TIME_BASES:
        raise ScoreError(f"“monitor.time_basis”只能是 {'、'.join(TIME_BASES)}，现在是 {basis!r}",
                         where=_where(source, "time_basis"))
    attention = _number(raw, "budget.attention_gap", source, 0, 100)
    alert = _number(raw, "budget.alert_gap", source, 0, 100)
    if alert < attention:
        raise ScoreError(f"“monitor.budget.alert_gap”（{fmt_number(alert)}）不应小于 attention_gap（{fmt_number(attention)}）",
                         where=_where(source, "budget.alert_gap"))
    counts = []
    for key in ("projects.alert_from", "projects.attention_from"):
        v = _number(raw, key, source, 1, None)
        if not float(v).is_integer():
            raise ScoreError(f"“monitor.{key}”应当是正整数，现在是 {fmt_number(v)}", where=_where(source, key))
        counts.append(int(v))
    return MonitorSettings(
        time_basis=basis, budget_attention_gap=attention, budget_alert_gap=alert,
        possible_from=_number(raw, "likelihood.possible_from", source, 0, 100),
        lag_attention=_number(raw, "indicators.lag_attention", source, 0, 100),
        project_alert_from=counts[0], project_attention_from=counts[1],
    )
