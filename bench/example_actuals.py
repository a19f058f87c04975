"""Make the bundled demo workbook ``actuals/<year>.xlsx`` from ``targets/<year>``.

    python bench/example_actuals.py [--year 2023] [--out actuals/2023.xlsx]

The values are invented but plausible, and the mix is what a real year looks like: most
indicators met, some partly, a few not, one far over its target, a qualitative answer in free
text, a percentage typed as text, a completion date, a survey figure in a percent cell. The
workbook says 示例数据 on its first sheet. Deterministic: the same targets give the same workbook.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring.language.comparator import Comparator
from scoring.language.expressions import parse
from scoring.language.units import is_percent
from scoring.reports.template import write_template
from scoring.targets.model import Targets
from scoring.targets.store import load_targets

REASONS = {
    "partial": "受活动场地档期影响，部分活动延至次年举办；已调整下年度计划，提前锁定场地。",
    "not": "因上级工作安排调整，原计划未能实施；下一年度将优化计划编排，加强进度跟踪。",
    "over": "活动吸引力超出预期，参与人数大幅增加；下一年度将据实调高目标值。",
}


def _value_for(c: Comparator, outcome: str, rng: random.Random, year: int, pct_cell: bool):
    """An actual value for target ``c`` that ends as ``outcome`` (met/partial/not/over)."""
    if c.kind == "qualitative":
        return {"met": "达成", "partial": "部分达成", "not": "未达成", "over": "达成"}[outcome]
    if c.kind == "deadline":
        base = dt.date.fromisoformat(c.date.replace("--", f"{year}-")) if c.date else dt.date(year, 12, 31)
        return base - dt.timedelta(days=rng.randint(5, 40)) if outcome != "not" else base + dt.timedelta(days=20)
    if c.kind == "directional":
        sign = 1 if c.op == "increase" else -1
        return f"{'增长' if sign * (1 if outcome != 'not' else -1) > 0 else '下降'}{rng.randint(3, 15)}%"
    if c.kind == "range":
        v = (c.value + c.high) / 2 if outcome != "not" else c.value * 0.8
    elif c.kind == "quantitative":
        a = c.value or 0.0
        lower_is_better = c.op in ("<=", "<")
        if lower_is_better:
            if a == 0:
                v = 0 if outcome != "not" else 1
            else:
                v = {"met": a * rng.choice((0.5, 0.6, 0.8)), "partial": a * 1.25, "not": a * 2.5, "over": a * 0.5}[outcome]
                if c.op == "<" and outcome == "met":
                    v = min(v, a - (1 if a >= 2 and float(a).is_integer() else a * 0.1))
        else:
            if is_percent(c.unit) and a >= 100:
                v = {"met": 100, "partial": 92, "not": 55, "over": 100}[outcome]
            else:
                factor = {"met": rng.choice((1.0, 1.05, 1.1)), "partial": 0.85, "not": 0.5, "over": 1.45}[outcome]
                v = a * factor + (0.5 if c.op == ">" and outcome == "met" else 0)
                if is_percent(c.unit):
                    v = min(v, 100)
        if c.unit in ("次", "人次", "人", "家", "篇", "场", "条", "项", "件", "个"):
            v = round(v)
    else:
        return None
    if is_percent(c.unit):
        return v / 100 if pct_cell else v
    return v


def example_values(targets: Targets, year: int, seed: int = 2023) -> dict:
    rng = random.Random(seed)
    ind = targets.indicators
    values: dict[str, tuple] = {}
    over_done = text_pct_done = free_text_done = forgot_reason = False
    for k, row in enumerate(ind.itertuples(index=False)):
        c = parse(row.annual_value, row.level3, year)
        if c.kind == "invalid":
            values[row.id] = ("", "", "")
            continue
        roll = rng.random()
        outcome = "met" if roll < 0.78 else "partial" if roll < 0.92 else "not"
        if (not over_done and c.kind == "quantitative" and c.op in (">=", ">") and not is_percent(c.unit)
                and (c.value or 0) > 0 and k > 3):
            outcome, over_done = "over", True
        pct_cell = is_percent(c.unit) and c.kind in ("quantitative", "range")
        v = _value_for(c, outcome, rng, year, pct_cell)
        if pct_cell and not text_pct_done and outcome == "met" and isinstance(v, float | int):
            v, text_pct_done = f"{v * 100:g}%", True  # a percent typed as text
        elif c.kind == "qualitative" and not free_text_done and outcome == "met":
            v, free_text_done = "已按时完成，运行正常", True  # free text read through the word list
        reason = REASONS.get(outcome, "")
        if outcome == "partial" and not forgot_reason:
            reason, forgot_reason = "", True  # a real year has one: the report lists it as a problem
        evidence = "工作台账、活动通知及照片" if c.kind != "qualitative" else "年度工作总结"
        values[row.id] = (v, reason, evidence)
    budgets = {}
    for p in targets.projects.itertuples(index=False):
        budget = float(p.budget) if p.budget == p.budget else 100000.0
        full = budget * rng.choice((1.0, 1.0, 1.05, 0.95))
        spent = full * rng.choice((0.99, 0.97, 0.95, 0.93, 0.86, 1.0))
        reason = "部分活动延至次年举办，相应经费未支出；下年度将按进度及时支付。" if spent < 0.9 * full else ""
        budgets[p.project] = (budget, round(full, 2), round(spent, 2), reason)
    return {"budgets": budgets, "values": values, "narratives": _narratives(targets, values, year)}


def _narratives(targets: Targets, values: dict, year: int) -> dict[str, str]:
    """Each project's 年度总体目标完成情况 as a unit writes it: its annual goal, and what fell short."""
    short: dict[str, list[str]] = {}
    for row in targets.indicators.itertuples(index=False):
        _v, reason, _e = values[row.id]
        if reason and reason != REASONS["over"]:
            short.setdefault(row.project, []).append(row.level3)
    out = {}
    for p in targets.projects.itertuples(index=False):
        goal = str(p.annual_goal or "").strip().split("。")[0]
        if len(goal) > 80:  # a long goal: up to its last pause within 80 characters
            goal = goal[:goal.rfind("，", 0, 80)] if "，" in goal[:80] else goal[:80]
        head = f"{year}年度，{goal}。" if goal else f"{year}年度项目按计划实施。"
        names = short.get(p.project)
        out[p.project] = head + (f"年度目标大部分已完成；{'、'.join(names[:3])}未完全达到年度目标，原因和改进措施见各指标的偏差原因分析。"
                                 if names else "各项年度绩效目标均已按计划完成。")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--year", type=int, default=2023)
    ap.add_argument("--targets", default=None)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    root = Path(__file__).resolve().parent.parent
    targets = load_targets(args.targets or root / "targets" / str(args.year))
    out = Path(args.out or root / "actuals" / f"{args.year}.xlsx")
    write_template(targets, out, args.year, example=example_values(targets, args.year))
    print(f"已生成示例实际值工作簿：{out}")


if __name__ == "__main__":
    main()
