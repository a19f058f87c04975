"""P1/P2 about a project as a whole, or across projects and units: every indicator at full marks, money
not spent while the outputs are all there, the same indicator under 产出 and 效益, texts copied."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import numpy as np
import pandas as pd

from scoring.language.normalize import squeeze
from scoring.language.numerals import fmt_number
from scoring.review.data import ReviewData, plain
from scoring.review.examples import COUNT, LATE, budget, clean_project, edited, one, with_row
from scoring.review.registry import Example, Hit, rule

OUTPUT, BENEFIT = "产出指标", "效益指标"


@rule("all_full_marks", "P2", "全部指标满分",
      checks="项目的每一个绩效指标都是满分",
      why="一项差距都没有的自评往往是流于形式：指标没有逐项对照佐证材料核实，或者目标定得太低",
      fix="逐项对照佐证材料核实完成值；确实全部完成的，在自评报告中写明每项的完成依据，并在下一年度提高目标",
      fires=one(edited(swap={2: with_row(LATE, actual="100%", reason="")})),
      silent=one(clean_project()))
def all_full_marks(d: ReviewData) -> Iterator[Hit]:
    ind = d.indicators
    full = (ind["score"].to_numpy(dtype=float) >= ind["weight"].to_numpy(dtype=float) - 1e-9) & ~d.unknown
    frame = pd.DataFrame({"project": ind["project"].to_numpy(dtype=object), "full": full})
    stats = frame.groupby("project", sort=False)["full"].agg(["all", "size"])
    for name, row in stats[stats["all"]].iterrows():
        yield Hit(name, "", "", d.project_place(name, "指标实际值"),
                  f"全部 {int(row['size'])} 个绩效指标均为满分，自评未发现任何差距，自评结果可能流于形式",
                  f"满分指标：{int(row['size'])}/{int(row['size'])}")


def _rates(d: ReviewData) -> pd.DataFrame:
    """Per project: the score rate of its 产出 and 效益 indicators (points scored ÷ points available)."""
    ind = d.indicators
    keep = np.isin(d.level1, (OUTPUT, BENEFIT))
    frame = pd.DataFrame({"project": ind["project"].to_numpy(dtype=object)[keep],
                          "score": ind["score"].to_numpy(dtype=float)[keep],
                          "weight": ind["weight"].to_numpy(dtype=float)[keep]})
    sums = frame.groupby("project", sort=False)[["score", "weight"]].sum()
    return sums["score"] / sums["weight"].where(sums["weight"] > 0)


@rule("execution_output_gap", "P1", "资金执行与产出效益不匹配",
      checks="预算执行率低于 review.low_execution（默认 60%），或产出、效益指标的得分率高于执行率超过 review.gap（默认 30）个百分点",
      why="钱没有花出去，产出和效益却全部完成，二者至少有一个不实；财政复核的第一步就是拿得分率对照执行率",
      fix="说明资金未执行的原因（结转、采购延期、标准调整）；逐项核实产出、效益指标的完成值与资金使用是否对应，不对应的据实调整",
      fires=one(budget(clean_project(), 100_000, 30_000, "部分培训改为线上举办，场地和差旅费用未支出。")),
      silent=one(clean_project()))
def execution_output_gap(d: ReviewData) -> Iterator[Hit]:
    rates = _rates(d)
    low, gap = d.settings.low_execution, d.settings.gap
    for p in d.projects.itertuples(index=False):
        rate = float(p.execution_rate) * 100
        out = float(rates.get(p.project, np.nan)) * 100
        if rate != rate:
            continue  # budget_unverifiable
        too_low = rate < low - 1e-9
        above = out == out and out - rate > gap + 1e-9
        if not (too_low or above):
            continue
        head = f"预算执行率仅 {rate:.2f}%（低于 {fmt_number(low)}%）" if too_low else f"预算执行率 {rate:.2f}%"
        if above:
            message = (f"{head}，产出、效益指标得分率却达 {out:.2f}%，高出 {out - rate:.2f} 个百分点："
                       "资金大部分未使用，产出和效益却基本完成，自评结果与资金使用情况不匹配")
        else:
            message = f"{head}：资金大部分未使用，须说明原因，并逐项核实产出、效益指标的完成值"
        yield Hit(p.project, "", "", d.project_place(p.project), message,
                  f"执行率：{rate:.2f}%；产出、效益得分率：{'—' if out != out else f'{out:.2f}%'}；"
                  f"阈值：执行率 {fmt_number(low)}%、差距 {fmt_number(gap)} 个百分点")


@rule("duplicate_indicator", "P2", "产出与效益指标重复",
      checks="同一个三级指标（名称相同）既设在产出指标下，又设在效益指标下",
      why="同一件事计两次分；效益指标应反映产出带来的效果（参与者能力提升、群众受益），而不是再数一遍产出",
      fix="保留产出指标下的那一个，把效益指标改为反映效果的指标（如“参训人员考核合格率提升”“群众知晓率”）",
      fires=one(edited(add=(with_row(COUNT, level1=BENEFIT, level2="社会效益指标"),))),
      silent=one(clean_project()))
def duplicate_indicator(d: ReviewData) -> Iterator[Hit]:
    ind = d.indicators
    names = [squeeze(str(x)) for x in ind["level3"].to_numpy(dtype=object)]
    outputs: dict[tuple[str, str], int] = {}
    projects = ind["project"].to_numpy(dtype=object)
    for i in np.flatnonzero(d.level1 == OUTPUT).tolist():
        outputs.setdefault((projects[i], names[i]), i)
    for i in np.flatnonzero(d.level1 == BENEFIT).tolist():
        first = outputs.get((projects[i], names[i]))
        if first is not None and names[i]:
            yield Hit(projects[i], d.at("id", i), d.at("level3", i), d.at("cell", i),
                      f"三级指标“{d.at('level3', i)}”同时设在产出指标（{d.at('level2', first)}，{d.at('id', first)}）"
                      f"和效益指标（{d.at('level2', i)}）下，同一事项重复计分",
                      d.basis(i, f"产出指标下的同名指标：{d.at('id', first)}（{d.at('annual_value', first)}）"))


OTHER = "工作经费"


@rule("copied_text", "P2", "文字雷同",
      checks="同一段偏差原因分析或年度目标完成情况（不少于 review.copied_min_chars，默认 20 个字）一字不差地出现在两个及以上项目（或单位）中",
      why="照搬的原因分析没有结合项目实际，说明没有真正分析；在一批单位里雷同，往往是套用了同一个模板或别的单位的材料",
      fix="针对本项目的实际情况重写：哪个指标、差多少、为什么（客观还是主观原因）、下一步怎么改",
      fires=Example((clean_project(), clean_project(OTHER))),
      silent=Example((clean_project(), edited(name=OTHER, swap={2: with_row(
          LATE, reason="第四季度两期培训因讲师临时调整延后，已建立讲师备选库。")}))))
def copied_text(d: ReviewData) -> Iterator[Hit]:
    least = d.settings.copied_min_chars
    ind = d.indicators
    # (normalised text) → [(project, row or -1 for a narrative, what)]
    seen: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    written: dict[str, str] = {}  # the text as first written, for the message
    for i, text in enumerate(ind["reason_text"].to_numpy(dtype=object).tolist()):
        key = plain(text)
        if len(key) >= least:
            seen[key].append((d.at("project", i), i, "偏差原因分析"))
            written.setdefault(key, " ".join(str(text).split()))
    if "narrative" in d.projects.columns:
        for name, text in zip(d.projects["project"], d.projects["narrative"], strict=True):
            key = plain(text)
            if len(key) >= least:
                seen[key].append((name, -1, "年度总体目标完成情况"))
                written.setdefault(key, " ".join(str(text).split()))
    for key, where in seen.items():
        projects = list(dict.fromkeys(p for p, _, _ in where))
        if len(projects) < 2:
            continue
        text = written[key]
        excerpt = text[:24] + ("…" if len(text) > 24 else "")
        for project, i, what in where:
            others = [p for p in projects[:4] if p != project][:3]  # a group may hold thousands
            named = "、".join(_named(d, project, o) for o in others)
            more = f"等 {len(projects) - 1} 个项目" if len(projects) > 4 else ""
            message = f"{what}与{named}{more}的写法一字不差（“{excerpt}”）：疑似套用，未结合本项目实际分析"
            basis = f"相同文字出现在 {len(projects)} 个项目中：{'、'.join(projects[:5])}{'等' if len(projects) > 5 else ''}"
            if i < 0:
                yield Hit(project, "", "", d.project_place(project, "年度总体目标"), message, basis)
            else:
                yield Hit(project, d.at("id", i), d.at("level3", i), d.at("cell", i), message,
                          d.basis(i, basis))


def _named(d: ReviewData, project: str, other: str) -> str:
    """Another project, with its unit when it came from another unit's workbook."""
    unit = d.unit_of(other)
    if unit and unit != d.unit_of(project):
        return f"{unit.rsplit('/', 1)[-1]}的“{other}”"
    return f"“{other}”"

