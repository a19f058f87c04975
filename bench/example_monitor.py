"""Make the bundled demo monitoring workbook ``actuals/<year>_monitor.xlsx`` from ``targets/<year>``.

    python bench/example_monitor.py [--year 2023] [--through 2023-07-31] [--out actuals/2023_monitor.xlsx]

Filled the way a unit fills it in August (values invented, marked 示例数据): most counts on
track, a few behind; rates near their targets; deadlines 按计划推进 (one already missed);
qualitative targets 达成 or 按计划推进; 全年预计 filled for about half of the rows; the unit's
完成目标可能性 mostly 确定能, with one optimistic choice the figures do not support. Two projects'
spending lags far behind time progress (the exhibition is in the autumn), one a little.
Deterministic: the same targets give the same workbook.
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
from scoring.monitor.progress import parse_through, time_progress
from scoring.monitor.projection import accrual
from scoring.reports.monitor_template import write_monitor_template
from scoring.targets.model import Targets
from scoring.targets.store import load_targets

LAG_REASON = "受上半年活动场地档期和嘉宾行程影响，部分活动推迟到下半年举办"
LAG_MEASURES = "已与承办单位重新排期，9–11 月集中举办，每月跟踪进度"
# spending share of the full-year budget by 31 July, for the projects that lag (the rest are near time progress)
SPENDING = {"台博会经费": (0.22, 0.97, "台博会定于10月举办，场馆租赁和搭建费用在会前集中支付",
                          "已签订场馆合同，9月支付预付款，会后一个月内完成结算"),
            "台港澳宣传经费": (0.36, 0.82, "宣传服务采购流程较长，合同6月底才签订",
                          "按合同进度按月支付，并压缩下半年非必要宣传支出"),
            "综合业务工作经费": (0.50, 0.95, "设备采购尚未验收付款", "8月完成验收后支付")}


def _count(c: Comparator, v: float) -> float:
    return round(v) if c.unit in ("次", "人次", "人", "家", "篇", "场", "条", "项", "件", "个") else round(v, 2)


def _row(c: Comparator, acc: str, frac: float, rng: random.Random, lag: bool, year: int) -> tuple:
    """(1–N月实际完成值, 全年预计完成值, 完成目标可能性, 偏差原因分析, 拟采取的措施)."""
    if c.kind == "qualitative":
        return ("按计划推进" if rng.random() < 0.6 else "达成", None, "确定能", "", "")
    if c.kind == "deadline":
        due = dt.date.fromisoformat(c.date.replace("--", f"{year}-")) if c.date else dt.date(year, 12, 31)
        if due < dt.date(year, 7, 31):
            return ("推进中", f"{year}-09-30", "不可能", "前期调研时间超出计划", "9月底前完成并报告")
        return ("按计划推进", None, "确定能", "", "")
    if c.kind == "directional":
        return ("增长3%", None, "确定能", "", "")
    a = c.value or 0.0
    if c.op in ("<=", "<"):
        v = 0 if a == 0 else _count(c, a * 0.4)
        return (f"{v:g}%" if is_percent(c.unit) else v, None, "确定能", "", "")
    if acc == "cumulative":
        if lag:
            now = max(1, _count(c, a * frac * 0.3))
            return (now, None, "有可能", LAG_REASON, LAG_MEASURES)
        now = _count(c, a * frac * rng.choice((0.9, 1.0, 1.2, 1.4)))
        if is_percent(c.unit):
            return (f"{now:g}%", None, "确定能", "", "")
        return (now, f"{c.value:g}{c.unit}" if rng.random() < 0.5 else None, "确定能", "", "")
    if is_percent(c.unit):
        hi = c.high if c.kind == "range" else a
        now = min(100.0, hi if rng.random() < 0.85 else hi - rng.choice((2, 3)))
        return (f"{now:g}%", None, "确定能" if now >= hi else "有可能", "" if now >= hi else "问卷样本尚少", "")
    return (_count(c, a), None, "确定能", "", "")


def example_values(targets: Targets, year: int, through: dt.date, seed: int = 2023) -> dict:
    rng = random.Random(seed)
    frac = time_progress(through).fraction
    values: dict[str, tuple] = {}
    lagging, optimistic = 0, False
    for row in targets.indicators.itertuples(index=False):
        c = parse(row.annual_value, row.level3, year)
        if c.kind == "invalid":
            values[row.id] = ("", None, None, "", "")
            continue
        acc, _ = accrual(c, row.level3)
        lag = acc == "cumulative" and c.op in (">=", ">") and "执行率" not in row.level3 and rng.random() < 0.3 and lagging < 4
        lagging += lag
        v = _row(c, acc, frac, rng, lag, year)
        if lag and not optimistic:  # a unit sure of itself against its own figures: the report shows both
            v, optimistic = (v[0], None, "确定能", "", ""), True  # … and explains nothing: a problem in the report
        values[row.id] = v
    budgets = {}
    for p in targets.projects.itertuples(index=False):
        budget = float(p.budget) if p.budget == p.budget else 100000.0
        share, expected, reason, measures = SPENDING.get(p.project, (frac * rng.choice((0.95, 1.0, 1.05)), 0.97, "", ""))
        budgets[p.project] = (budget, budget, round(budget * share, 2), round(budget * expected, 2), reason, measures)
    return {"budgets": budgets, "values": values}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--year", type=int, default=2023)
    ap.add_argument("--through", default=None)
    ap.add_argument("--targets", default=None)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    root = Path(__file__).resolve().parent.parent
    through, _ = parse_through(args.through or f"{args.year}-07-31", args.year)
    targets = load_targets(args.targets or root / "targets" / str(args.year))
    out = Path(args.out or root / "actuals" / f"{args.year}_monitor.xlsx")
    write_monitor_template(targets, out, time_progress(through), example=example_values(targets, args.year, through))
    print(f"已生成示例监控填报表：{out}")


if __name__ == "__main__":
    main()
