"""Write a synthetic workspace for the benchmarks: ``targets/<year>/`` and ``actuals/<year>.xlsx``.

    python bench/generate.py --indicators 100000 --out bench/out/ws-100000 [--year 2023] [--seed 1]

The seed table ``targets/2023/indicators.csv`` (155 real indicators) is the pool of forms: each
synthetic indicator is a real (一级, 二级, 三级, 年度指标值) row whose numbers are varied
(``≥2次`` → ``≥7次``, ``不少于10万人次`` → ``不少于12万人次``, ``≥90%`` → ``≥85%``) and sometimes its
unit, within the same dimension (人次/万人次, 小时/天, m²/平方米/㎡). Every varied target is parsed
once and kept only if it reads as the same kind, comparison and dimension as the original.

Projects have 5–25 indicators in the order real tables use (产出 → 效益 → 满意度, 二级 in template
order), names ``项目000001…``, spread over N/2000+1 departments, with plausible budgets.

The actuals are filled like real users fill them: plain numbers, numbers with units
(``3.2万人次``, ``45分钟``), percent numbers in percent cells (0.96) and percents typed as text
(``96%``), dates for deadlines, verdicts (``达成``, ``部分达成 70%``) and free text (``已按时完成``);
mostly met, some partly, a few not; and about 1 % cell problems (``见附件``, a wrong unit, a
negative count, a blank, ``#DIV/0!``). Deterministic for a given ``--seed``.

Running ``score 2023`` inside the output directory works with no other options.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.language import levels  # noqa: E402
from scoring.language.comparator import Comparator  # noqa: E402
from scoring.language.expressions import parse  # noqa: E402
from scoring.language.units import is_percent  # noqa: E402
from scoring.reports.template import write_template  # noqa: E402
from scoring.targets.model import Targets, indicators_frame, projects_frame  # noqa: E402
from scoring.targets.store import load_targets, save_targets  # noqa: E402

SEED_TARGETS = ROOT / "targets" / "2023"

PURPOSES = ("专项工作经费", "业务工作经费", "综合业务工作经费", "宣传经费", "信息化运维项目", "物业管理费支出",
            "设备维修服务项目", "数据库业务平台项目", "培训经费", "交流活动经费", "水电费补助支出", "派遣人员经费")
TYPES = (("其他特定目标类（部门职能类）", 6), ("专项资金项目", 1), ("其他运转类（综合类）", 4),
         ("其他运转类（信息化运维类）", 4), ("其他特定目标类（信息化新建类）", 1))
COUNT_UNITS = ("次", "人次", "人", "家", "篇", "场", "条", "项", "件", "个")
REASONS = {
    "partial": "受场地档期影响，部分工作延至次年完成；已调整下年度计划，提前锁定场地。",
    "not": "因上级工作安排调整，原计划未能实施；下一年度将优化计划编排，加强进度跟踪。",
    "over": "参与人数大幅超出预期；下一年度将据实调高目标值。",
}
EVIDENCE = ("工作台账、活动通知及照片", "验收报告", "年度工作总结", "合同及付款凭证", "问卷调查汇总表", "系统运行日志")
FREE_MET = ("已按时完成", "已按时完成，运行正常", "良好", "达标", "全部完成")
PROBLEMS = ("见附件", "wrong_unit", "negative", "blank", "#DIV/0!")
_NUM = re.compile(r"\d+(?:\.\d+)?")


# ---------------------------------------------------------------------------------------------
# the pool of real target forms and their variants
# ---------------------------------------------------------------------------------------------

class Form:
    """One real indicator row and how to vary its 年度指标值."""

    def __init__(self, level1: str, level2: str, level3: str, text: str, year: int):
        self.level1, self.level2, self.level3, self.text = level1, level2, level3, text
        self.comp = parse(text, level3, year)
        self.vary: Callable[[random.Random], str] | None = self._varier()

    def _varier(self) -> Callable[[random.Random], str] | None:
        c, t = self.comp, self.text
        if c.kind == "deadline":
            m = re.search(r"(\d{1,2})月(\d{1,2})日", t)
            if not m:
                return None

            def deadline(rng: random.Random) -> str:
                month = rng.choice((6, 9, 10, 11, 12, 12, 12))
                day = (dt.date(2001 + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
                return t[:m.start()] + f"{month}月{day}日" + t[m.end():]
            return deadline
        if c.kind != "quantitative" or c.value is None:
            return None
        nums = list(_NUM.finditer(t))
        if len(nums) != 1:
            return None
        m = nums[0]
        before, after, a = t[:m.start()], t[m.end():], float(m.group())
        decimals = len(m.group().split(".")[1]) if "." in m.group() else 0
        if is_percent(c.unit):
            if a >= 100:
                return lambda rng: before + str(rng.choice((100, 100, 100, 100, 98, 95))) + after
            if c.op in ("<", "<="):
                return lambda rng: before + str(rng.choice((3, 5, 8, 10, 15, 20))) + after
            return lambda rng: before + str(rng.choice((60, 70, 75, 80, 85, 85, 88, 90, 90, 92, 95, 95, 98))) + after
        if c.unit == "分":  # a mark out of 100
            return lambda rng: before + str(rng.choice((80, 85, 88, 90, 90, 92, 95))) + after
        if a == 0:
            return None
        if c.unit == "人次" and a >= 10000 and "万" not in after:
            def wan(rng: random.Random) -> str:  # ≥160000人次 → ≥16万人次 or ≥172000人次
                v = round(a * rng.uniform(0.3, 3) / 1000) * 1000
                return before + (f"{v / 10000:g}万" if rng.random() < 0.5 else str(int(v))) + after
            return wan
        swaps = {"小时": ("小时", "个小时"), "个小时": ("小时", "个小时"), "m²": ("m²", "平方米", "㎡")}
        unit_text = next((u for u in sorted(swaps, key=len, reverse=True) if after.startswith(u)), None)

        def number(rng: random.Random) -> str:
            v = a * rng.uniform(0.3, 3.5)
            v = round(v, decimals) if decimals else max(1, round(v))
            rest = after
            if unit_text in ("小时", "个小时") and v >= 24 and v % 24 == 0 and rng.random() < 0.7:
                return before + f"{int(v // 24)}天" + after[len(unit_text):]
            if unit_text is not None:
                rest = rng.choice(swaps[unit_text]) + after[len(unit_text):]
            if decimals == 0 and unit_text == "m²" and v >= 10000 and rng.random() < 0.5:
                return before + f"{round(v / 10000, 1):g}万" + rest
            return before + (f"{v:g}" if decimals else str(int(v))) + rest
        if after.startswith("天") and a <= 10:  # 进场后5天内完成 → 进场后3天内完成 or 进场后72小时内完成
            def days(rng: random.Random) -> str:
                d = rng.randint(1, 10)
                return before + (f"{d * 24}小时" + after[1:] if rng.random() < 0.3 else f"{d}{after}")
            return days
        return number


def load_pool(year: int) -> list[Form]:
    seed = load_targets(SEED_TARGETS)
    ind = seed.indicators
    return [Form(a, b, c, d, year) for a, b, c, d in
            zip(ind["level1"], ind["level2"], ind["level3"], ind["annual_value"], strict=True)]


def _same_reading(a: Comparator, b: Comparator) -> bool:
    if a.kind != b.kind or a.op != b.op:
        return False
    if a.kind == "quantitative":
        if is_percent(a.unit) != is_percent(b.unit) or bool(a.unit) != bool(b.unit):
            return False
        if b.value is None or (b.value <= 0 < (a.value or 0)):
            return False
    return True


class Draw:
    """Draws varied targets from the pool; each distinct variant is parsed and checked once."""

    def __init__(self, pool: list[Form], year: int):
        self.pool, self.year = pool, year
        self.checked: dict[tuple[int, str], bool] = {}
        order1 = {name: i for i, name in enumerate(levels.LEVEL1)}
        self.by_level1: dict[str, list[int]] = {}
        for i, f in enumerate(pool):
            self.by_level1.setdefault(f.level1, []).append(i)
        self.sort_key = {}
        for i, f in enumerate(pool):
            names = levels.LEVEL2.get(f.level1, ())
            self.sort_key[i] = (order1.get(f.level1, 9), names.index(f.level2) if f.level2 in names else 9)

    def text(self, i: int, rng: random.Random) -> str:
        f = self.pool[i]
        if f.vary is None or rng.random() < 0.25:
            return f.text
        t = f.vary(rng)
        ok = self.checked.get((i, t))
        if ok is None:
            ok = self.checked[(i, t)] = _same_reading(f.comp, parse(t, f.level3, self.year))
        return t if ok else f.text

    def project(self, n: int, rng: random.Random) -> list[int]:
        """``n`` pool rows for one project: mostly 产出, some 效益, one or two 满意度, no repeated 三级."""
        n_sat = 1 if n < 12 or rng.random() < 0.7 else 2
        n_ben = max(1, round((n - n_sat) * rng.uniform(0.2, 0.4)))
        n_out = n - n_sat - n_ben
        chosen: list[int] = []
        names: set[str] = set()
        for level1, k in (("产出指标", n_out), ("效益指标", n_ben), ("满意度指标", n_sat)):
            rows = self.by_level1[level1]
            got = 0
            for _ in range(k * 8):
                if got == k:
                    break
                i = rows[rng.randrange(len(rows))]
                name = self.pool[i].level3
                if name in names and got < len(rows):
                    continue
                names.add(name)
                chosen.append(i)
                got += 1
        chosen.sort(key=self.sort_key.__getitem__)
        return chosen


# ---------------------------------------------------------------------------------------------
# actual values
# ---------------------------------------------------------------------------------------------

def _fmt(v: float) -> str:
    return f"{v:g}" if abs(v) < 1e15 else str(v)


def _quantity(c: Comparator, outcome: str, rng: random.Random) -> float:
    """A number in the target's unit that ends as ``outcome``."""
    if c.kind == "range":
        return (c.value + c.high) / 2 if outcome != "not" else c.value * 0.8
    a = c.value or 0.0
    if c.op in ("<=", "<"):
        if a == 0:
            return 0 if outcome in ("met", "over") else rng.choice((1, 2))
        v = {"met": a * rng.choice((0.5, 0.6, 0.8, 0.9)), "partial": a * 1.25, "not": a * 2.5, "over": a * 0.5}[outcome]
        if c.op == "<" and outcome == "met":
            v = min(v, a - (1 if a >= 2 and float(a).is_integer() else a * 0.1))
    elif is_percent(c.unit):
        if a >= 100:
            return {"met": 100, "partial": rng.choice((92, 95, 96.5)), "not": 55, "over": 100}[outcome]
        v = {"met": a + (100 - a) * rng.random(), "partial": a * rng.uniform(0.85, 0.98), "not": a * 0.5,
             "over": min(100, a * 1.1)}[outcome]
        if c.op == ">" and outcome == "met":
            v = max(v, a + 0.5)
        v = min(round(v, 1), 100)
    else:
        factor = {"met": rng.choice((1.0, 1.0, 1.05, 1.1, 1.2)), "partial": rng.uniform(0.7, 0.95), "not": 0.4,
                  "over": 1.5}[outcome]
        v = a * factor + (max(1.0, a * 0.05) if c.op == ">" and outcome == "met" else 0)
        if c.unit == "分":
            v = min(v, 100)
    if c.unit in COUNT_UNITS or (c.unit in ("", "家") and float(a).is_integer()):
        v = round(v)
    return round(v, 2)


def _with_unit(v: float, c: Comparator, rng: random.Random) -> object:
    """``v`` (in the target's unit) as a user writes it: a plain number or a number with a unit."""
    unit = c.unit
    roll = rng.random()
    if roll < 0.6 or not unit:
        return v
    if unit == "人次" and v >= 10000 and roll < 0.85:
        return f"{round(v / 10000, 2):g}万人次"
    if unit == "小时" and v < 4 and roll < 0.8:
        return f"{round(v * 60):g}分钟"
    if unit == "天" and roll < 0.75:
        return f"{_fmt(round(v * 24, 1))}小时"
    if unit == "m²" and roll < 0.8:
        return f"{_fmt(v)}平方米"
    if unit == "版面":
        return f"{_fmt(v)}个版面"
    return f"{_fmt(v)}{unit}"


def actual_for(c: Comparator, outcome: str, rng: random.Random, year: int) -> object:
    if c.kind == "qualitative":
        if outcome == "partial":
            return rng.choice(("部分达成", "部分达成", f"部分达成 {rng.choice((60, 65, 70, 75))}%"))
        if outcome == "not":
            return "未达成"
        return rng.choice(FREE_MET) if rng.random() < 0.2 else "达成"
    if c.kind == "deadline":
        base = dt.date.fromisoformat(c.date.replace("--", f"{year}-")) if c.date else dt.date(year, 12, 31)
        d = base + dt.timedelta(days=rng.randint(10, 40)) if outcome == "not" else base - dt.timedelta(days=rng.randint(1, 60))
        return d if rng.random() < 0.9 else f"{d.year}年{d.month}月{d.day}日"
    if c.kind == "directional":
        up = (c.op == "increase") == (outcome != "not")
        return f"{'增长' if up else '下降'}{rng.randint(2, 15)}%"
    if c.kind in ("quantitative", "range"):
        v = _quantity(c, outcome, rng)
        if is_percent(c.unit):
            return f"{_fmt(v)}%" if rng.random() < 0.15 else round(v / 100, 6)  # text, or a percent cell
        return _with_unit(v, c, rng)
    return ""


def problem_value(c: Comparator, rng: random.Random) -> object:
    kind = rng.choice(PROBLEMS)
    counts = c.kind == "quantitative" and c.unit and not is_percent(c.unit)
    if kind == "wrong_unit" and counts and c.unit != "小时":
        return f"{rng.randint(1, 9)}小时" if c.unit != "天" else f"{rng.randint(1, 9)}次"
    if kind == "negative" and counts:
        return -float(rng.randint(1, 9))
    if kind == "blank":
        return None
    if kind == "#DIV/0!":
        return "#DIV/0!"
    return "见附件"


# ---------------------------------------------------------------------------------------------
# the workspace
# ---------------------------------------------------------------------------------------------

def _weighted(rng: random.Random, items: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([a for a, _ in items], weights=[w for _, w in items])[0]


def generate(n_indicators: int, out: Path, year: int = 2023, seed: int = 1, verbose: bool = True) -> dict:
    """Write ``out/targets/<year>`` and ``out/actuals/<year>.xlsx``; return counts and timings."""
    t0 = time.perf_counter()
    rng = random.Random(seed)
    pool = load_pool(year)
    draw = Draw(pool, year)
    n_departments = n_indicators // 2000 + 1
    digits = max(6, len(str(n_indicators)))
    projects: list[dict] = []
    indicators: list[dict] = []
    values: dict[str, tuple] = {}
    budgets: dict[str, tuple] = {}
    comps: dict[tuple[str, str], Comparator] = {}
    left, p = n_indicators, 0
    while left > 0:
        p += 1
        n = min(left, rng.randint(5, 25))
        if 0 < left - n < 5:  # keep every project at 5+ indicators
            n = left
        left -= n
        pid = f"G{p:0{digits}d}"
        name = f"项目{p:0{digits}d}{rng.choice(PURPOSES)}"
        dep = f"某市第{rng.randrange(n_departments) + 1:04d}局"
        budget = float(round(math.exp(rng.gauss(12.3, 1.1)), -2) or 10000)
        start = year - rng.choice((0, 0, 1, 2))
        projects.append({"project_id": pid, "project": name, "type": _weighted(rng, TYPES), "level": "二级项目",
                         "department": dep, "unit": dep if rng.random() < 0.7 else f"{dep}直属单位",
                         "start_year": start, "end_year": year + rng.choice((0, 0, 1, 2)), "budget": budget,
                         "period_goal": "按照职能要求，有序开展相关工作，安全使用财政资金，实现财政资金绩效。",
                         "annual_goal": f"按照职能要求，有序开展{year}年度相关工作，安全使用财政资金，实现财政资金绩效。",
                         "note": "", "source": f"bench/generate.py seed {seed}"})
        full = budget * rng.choice((1.0, 1.0, 1.0, 1.05, 0.95, 1.2))
        spent = full * rng.choice((1.0, 0.99, 0.97, 0.95, 0.93, 0.9, 0.86, 0.7))
        reason = "部分工作延至次年，相应经费未支出；下年度将按进度及时支付。" if spent < 0.9 * full and rng.random() < 0.8 else ""
        budgets[name] = (budget, round(full, 2), round(spent, 2), reason)
        for k, i in enumerate(draw.project(n, rng), 1):
            f = pool[i]
            text = draw.text(i, rng)
            iid = f"{pid}-{k:02d}"
            indicators.append({"id": iid, "project_id": pid, "project": name, "level1": f.level1, "level2": f.level2,
                               "level3": f.level3, "period_value": text, "annual_value": text, "weight": None,
                               "note": "", "source": f"bench/generate.py seed {seed}"})
            c = comps.get((f.level3, text))
            if c is None:
                c = comps[(f.level3, text)] = parse(text, f.level3, year)
            roll = rng.random()
            if roll < 0.01:
                values[iid] = (problem_value(c, rng), "", "")
                continue
            outcome = "met" if roll < 0.80 else "partial" if roll < 0.93 else "not" if roll < 0.99 else "over"
            v = actual_for(c, outcome, rng, year)
            reason = REASONS.get(outcome, "")
            if reason and rng.random() < 0.1:
                reason = ""  # a real year forgets some: the report lists them
            values[iid] = (v, reason, rng.choice(EVIDENCE))
    t_draw = time.perf_counter()
    targets = Targets(projects=projects_frame(projects), indicators=indicators_frame(indicators), year=year)
    del projects, indicators
    save_targets(targets, out / "targets" / str(year))
    t_targets = time.perf_counter()
    (out / "actuals").mkdir(parents=True, exist_ok=True)
    write_template(targets, out / "actuals" / f"{year}.xlsx", year, example={"budgets": budgets, "values": values})
    t_actuals = time.perf_counter()
    info = {"indicators": len(targets.indicators), "projects": len(targets.projects), "departments": n_departments,
            "distinct_targets": len(comps), "seconds": {"draw": t_draw - t0, "targets": t_targets - t_draw,
                                                        "actuals": t_actuals - t_targets, "total": t_actuals - t0}}
    if verbose:
        s = info["seconds"]
        print(f"已生成 {info['indicators']:,} 个指标、{info['projects']:,} 个项目、{n_departments:,} 个部门"
              f"（{info['distinct_targets']:,} 种不同的目标）→ {out}")
        print(f"generated in {s['total']:.1f} s (draw {s['draw']:.1f} s, targets {s['targets']:.1f} s, "
              f"actuals workbook {s['actuals']:.1f} s)")
    return info


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--indicators", type=int, required=True, help="number of indicators")
    ap.add_argument("--out", required=True, help="workspace directory to write")
    ap.add_argument("--year", type=int, default=2023)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    if args.indicators < 5:
        ap.error("--indicators must be at least 5")
    generate(args.indicators, Path(args.out), args.year, args.seed)


if __name__ == "__main__":
    main()
