"""P0: what makes a score wrong or unverifiable — an indicator scored on nothing, a budget that cannot
be computed or that contradicts itself, weights that do not add up, a 预算执行率 indicator that says
another rate than the 预算执行 sheet. (The 复核's 偏离度 is :mod:`scoring.review.reviewed`'s.)"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from scoring.actuals.vocabulary import answer_words
from scoring.language.numerals import fmt_number
from scoring.language.units import is_percent
from scoring.review.data import ReviewData, is_bare_verdict, is_empty_text, score_text
from scoring.review.examples import COUNT, EFFECT, budget, clean_project, edited, one, with_row
from scoring.review.registry import Hit, Row, rule
from scoring.rubric.engine import score_indicators
from scoring.rubric.inputs import engine_input

RATE_TOLERANCE = 0.5  # percentage points, as the engine's own check of a 预算执行率 indicator


@rule("actual_missing", "P0", "实际完成值缺失或无法判定",
      checks="实际完成值没有填写、无法读懂或无法与指标值比较，指标被判为“无法判定”、记 0 分",
      why="没有实际完成值，这个指标的得分和项目总分都无从核实；复核时会要求补报或按未完成处理",
      fix="按指标值的口径填写实际完成值（数量写数字和单位，比率写百分数，时限写完成日期），并附佐证材料",
      fires=one(edited(swap={0: with_row(COUNT, actual=None)})),
      silent=one(clean_project()))
def actual_missing(d: ReviewData) -> Iterator[Hit]:
    for i in np.flatnonzero(d.unknown).tolist():
        name, shown = d.at("level3", i), d.at("actual_display", i)
        if not str(shown or "").strip():
            message = f"“{name}”未填写实际完成值，按 0 分计，该项目的总分不能反映实际完成情况"
        else:
            message = (f"“{name}”的实际完成值“{shown}”无法判定（{d.at('unknown_reason', i)}），"
                       "按 0 分计")
        yield Hit(d.at("project", i), d.at("id", i), name, d.at("cell", i), message, d.basis(i))


BARE = with_row(EFFECT, actual="达成", evidence="")


@rule("unsupported_score", "P0", "得分没有事实依据",
      checks="指标得了分，但实际完成值只是一个判定（“达成”“满意”“良好”），佐证材料也是空的",
      why="既没有写完成了什么，也没有材料可查：这部分得分完全建立在单位的自我判断上，复核时无法核实，通常不予认可",
      fix="写明实际完成的内容和数量（如“举办培训5场、结业考核平均分提高12分”），并在“佐证材料”一列写明材料名称和存放位置",
      fires=one(edited(swap={3: BARE})),
      silent=one(edited(swap={3: with_row(BARE, evidence="年度工作总结、培训考核成绩对比表")})))
def unsupported_score(d: ReviewData) -> Iterator[Hit]:
    ind = d.indicators
    scored = np.flatnonzero(ind["score"].to_numpy(dtype=float) > 0).tolist()
    actual, evidence = d.column("actual"), d.column("evidence")
    for i in scored:
        if is_bare_verdict(actual[i]) and is_empty_text(evidence[i], "empty_evidence"):
            name = d.at("level3", i)
            yield Hit(d.at("project", i), d.at("id", i), name, d.at("cell", i),
                      f"“{name}”的实际完成值只写了“{str(actual[i]).strip()}”，也没有佐证材料："
                      f"{score_text(d.at('score', i), d.at('weight', i), d.decimals)}没有任何事实依据，无法核实",
                      d.basis(i, "佐证材料：（空）"))


def _rate(project) -> float:
    return float(project.execution_rate)


@rule("budget_unverifiable", "P0", "预算执行率无法计算",
      checks="项目缺少全年预算数或全年执行数（或全年预算数为 0），预算执行率无法计算、记 0 分",
      why="预算执行率是自评的第一项，也是判断产出、效益是否可信的参照；没有它，资金使用情况无从核实",
      fix="在“预算执行”表中按决算数据填写全年预算数（含调整和结转）与全年执行数",
      fires=one(budget(clean_project(), 100_000, None)),
      silent=one(clean_project()))
def budget_unverifiable(d: ReviewData) -> Iterator[Hit]:
    for p in d.projects.itertuples(index=False):
        if _rate(p) != _rate(p):
            missing = "、".join(n for n, v in (("全年预算数", p.full_budget), ("全年执行数", p.spent))
                               if v != v or (n == "全年预算数" and v <= 0)) or "预算数据"
            yield Hit(p.project, "", "", d.project_place(p.project),
                      f"缺少{missing}，预算执行率无法计算（记 0 分），资金使用情况无从核实",
                      f"全年预算数：{_money(p.full_budget)}；全年执行数：{_money(p.spent)}")


def _money(v: float) -> str:
    return "（空）" if v != v else f"{v:,.2f} 元"


@rule("execution_over_100", "P0", "执行数超过预算数",
      checks="全年执行数大于全年预算数（执行率超过 100%）",
      why="支出超过预算要么是超预算支出，要么是预算数、执行数填错；两种情况下预算执行率和总分都不可信",
      fix="核对决算数据：预算调整了的，全年预算数应为调整后的数；确属超支的，说明原因和审批依据",
      fires=one(budget(clean_project(), 100_000, 120_000)),
      silent=one(budget(clean_project(), 100_000, 100_000)))
def execution_over_100(d: ReviewData) -> Iterator[Hit]:
    for p in d.projects.itertuples(index=False):
        if _rate(p) == _rate(p) and _rate(p) > 1 + 1e-9:
            yield Hit(p.project, "", "", d.project_place(p.project),
                      f"全年执行数 {_money(p.spent)}超过全年预算数 {_money(p.full_budget)}（执行率 {_rate(p):.2%}）："
                      "超预算支出，或预算数、执行数填报有误",
                      f"全年预算数：{_money(p.full_budget)}；全年执行数：{_money(p.spent)}；执行率：{_rate(p):.2%}")


@rule("weight_total", "P0", "分值合计不是 100",
      checks="项目各指标的分值加上预算执行率的分值，合计不是 100",
      why="分值合计不对，总分就不是百分制的得分，与其他项目、其他单位无法比较，等级也可能错",
      fix="按绩效目标表核对每个指标的分值（indicators.csv 的 weight 列），使合计为 100；score check 会列出分值合计不对的项目",
      fires=one(edited(weights=(20, 20, 20, 10, 10))),
      silent=one(edited(weights=(20, 20, 20, 20, 10))))
def weight_total(d: ReviewData) -> Iterator[Hit]:
    for p in d.projects.itertuples(index=False):
        wt = float(p.weight_total)
        if wt == wt and abs(wt - 100) > 1e-6:
            yield Hit(p.project, "", "", d.project_place(p.project, "分值"),
                      f"分值合计为 {fmt_number(wt)}（含预算执行率 {fmt_number(float(p.budget_weight))} 分），不是 100："
                      f"总分 {float(p.total):.{d.decimals}f} 不可信",
                      f"分值合计：{fmt_number(wt)}；总分：{float(p.total):.{d.decimals}f}")


EXEC_RATE = Row("产出指标", "成本指标", "预算执行率", "≥90%", "100%", "", "财务支出明细账")


@rule("rate_mismatch", "P0", "预算执行率前后不一致",
      checks="绩效指标中的“预算执行率”与“预算执行”表算出的执行率相差超过 0.5 个百分点，且按执行表的数计分，得分会不同",
      why="同一个执行率在自评表中出现两个数，至少有一个不实；按绩效指标填报的数计分，得分与决算数据不符",
      fix="以决算数据为准，把绩效指标中的预算执行率改为“预算执行”表算出的执行率",
      fires=one(edited(add=(with_row(EXEC_RATE, actual="100%"),), full_budget=100_000, spent=80_000,
                       budget_reason="两期培训改为线上举办，场地费未支出。")),
      silent=one(edited(add=(with_row(EXEC_RATE, actual="96%"),))))
def rate_mismatch(d: ReviewData) -> Iterator[Hit]:
    ind = d.indicators
    rates = dict(zip(d.projects["project"], d.projects["execution_rate"].to_numpy(dtype=float), strict=False))
    words = answer_words()
    names = ind["level3"].astype(str)
    candidates = names.map({n: words.flags_over_100(n) for n in names.unique()}).to_numpy(dtype=bool)
    rows, sheet = [], []
    for i in np.flatnonzero(candidates & ~d.unknown).tolist():
        c, rate = d.at("comparator", i), rates.get(d.at("project", i), np.nan)
        if rate != rate or c is None or not is_percent(c.unit or ""):
            continue
        r = d.reading(i)
        computed = round(rate * 100, 2)
        if r.kind == "number" and r.number is not None and abs(r.number - computed) > RATE_TOLERANCE:
            rows.append(i)
            sheet.append((r.number, computed))
    if not rows:
        return
    # the same indicators scored on the sheet's rate: the finding is the score that changes
    sub = ind.iloc[rows]
    again = engine_input(id=np.arange(1, len(rows) + 1), project=sub["project"].to_numpy(),
                         level1=sub["level1"].to_numpy(), level2=sub["level2"].to_numpy(), level3=sub["level3"].to_numpy(),
                         annual_value=sub["annual_value"].to_numpy(), weight=sub["weight"].to_numpy(),
                         actual=[f"{fmt_number(c)}%" for _, c in sheet])
    right = score_indicators(again, None, d.profile, d.year).indicators["score"].to_numpy(float)
    for k, i in enumerate(rows):
        said, computed = sheet[k]
        if abs(right[k] - float(d.at("score", i))) <= 1e-9:
            continue
        name = d.at("level3", i)
        yield Hit(d.at("project", i), d.at("id", i), name, d.at("cell", i),
                  f"绩效指标“{name}”填报 {fmt_number(said)}%，而“预算执行”表算得的执行率为 {fmt_number(computed)}%："
                  f"按执行表的数计，本指标应得 {score_text(right[k], d.at('weight', i), d.decimals)}，"
                  f"自评得 {score_text(d.at('score', i), d.at('weight', i), d.decimals)}",
                  d.basis(i, f"预算执行表执行率：{fmt_number(computed)}%"))
