"""How long a whole province's targets take to load: 100,000 indicators in the targets format.

Synthesises 10,000 projects × 10 indicators (with goal texts of realistic length) in a temporary
directory, then times ``save_targets`` and ``load_targets``. Prints the figures; asserts nothing.

    python bench/targets_bench.py [--indicators 100000] [--per-project 10]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring.targets.model import Targets, indicators_frame, projects_frame
from scoring.targets.store import load_targets, save_targets

LEVELS = [("产出指标", "数量指标", "开展活动数量", "≥6次", "≥2次"), ("产出指标", "质量指标", "工作质量达标率", "100%", "100%"),
          ("产出指标", "时效指标", "项目实施及时性", "每年12月31日前", "每年12月31日前"),
          ("产出指标", "成本指标", "预算执行率", "≥90%", "≥90%"),
          ("效益指标", "经济效益指标", "参展商增长率", "增长", "增长"),
          ("效益指标", "社会效益指标", "官方网站及公众号信息点击率", "不少于30万人次", "不少于10万人次"),
          ("效益指标", "生态效益指标", "节能情况", "提升无纸化办公宣传", "提升无纸化办公宣传"),
          ("效益指标", "可持续影响指标", "设备可用性", "维护系统设备正常使用", "维护系统设备正常使用"),
          ("满意度指标", "服务对象满意度指标", "服务对象满意度（%）", "≥95%", "≥95%"),
          ("产出指标", "数量指标", "设备故障次数", "小于15次", "小于5次")]
GOAL = "根据职能要求，结合工作计划，积极开展专项工作，安全使用财政资金，实现财政资金绩效，推动项目落地。" * 3


def synthesise(n_indicators: int, per_project: int) -> Targets:
    n_projects = max(1, n_indicators // per_project)
    projects, indicators = [], []
    for p in range(n_projects):
        pid = f"P{p:05d}"
        name = f"第{p}号项目专项经费"
        projects.append({"project_id": pid, "project": name, "type": "其他特定目标类（部门职能类）", "level": "二级项目",
                         "department": f"某市某局{p % 300}", "unit": f"某市某局{p % 300}", "start_year": 2021,
                         "end_year": 2024, "budget": 85500 + p, "period_goal": GOAL, "annual_goal": GOAL,
                         "note": "", "source": f"src{p % 50}.txt:{p * 30 % 9000 + 5}"})
        for i in range(per_project):
            l1, l2, l3, pv, av = LEVELS[i % len(LEVELS)]
            indicators.append({"id": f"{pid}-{i:04d}", "project_id": pid, "project": name, "level1": l1, "level2": l2,
                               "level3": f"{l3}{i // len(LEVELS) or ''}", "period_value": pv, "annual_value": av,
                               "weight": 9.0 if p % 7 == 0 else None, "note": "", "source": f"src.txt:{i}"})
            if len(indicators) >= n_indicators:
                break
    return Targets(projects_frame(projects), indicators_frame(indicators), year=2023)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--indicators", type=int, default=100_000)
    ap.add_argument("--per-project", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    t0 = time.perf_counter()
    targets = synthesise(args.indicators, args.per_project)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "2023"
        save_targets(targets, d)
        t2 = time.perf_counter()
        sizes = {f.name: f.stat().st_size for f in d.iterdir() if f.is_file()}
        times = []
        for _ in range(args.repeat):
            s = time.perf_counter()
            loaded = load_targets(d)
            times.append(time.perf_counter() - s)
    print(f"synthesised {len(targets.projects):,} projects / {len(targets.indicators):,} indicators in {t1 - t0:.2f} s")
    print(f"save_targets: {t2 - t1:.2f} s  ({', '.join(f'{k} {v / 1e6:.1f} MB' for k, v in sizes.items())})")
    print(f"load_targets: best {min(times):.2f} s, mean {sum(times) / len(times):.2f} s over {len(times)} runs "
          f"({len(loaded.indicators):,} indicators, {len(loaded.problems)} problems)")


if __name__ == "__main__":
    main()
