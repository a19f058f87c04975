"""P1/P2 about one indicator: its 佐证材料, its 偏差原因, how its 满意度 was measured, how its target was set."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from scoring.language.numerals import fmt_number
from scoring.language.units import dimensions, is_percent
from scoring.review.data import ReviewData, is_bare_verdict, is_empty_text, score_text
from scoring.review.examples import COUNT, EFFECT, LATE, SURVEY, clean_project, edited, one, with_row
from scoring.review.registry import Hit, Row, rule
from scoring.rubric.inputs import is_satisfaction
from scoring.vocab import NUMERIC, TargetKind

FORWARD = (">=", ">")


def _hit(d: ReviewData, i: int, message: str, *basis: str, where: str | None = None) -> Hit:
    return Hit(d.at("project", i), d.at("id", i), d.at("level3", i), where or d.at("cell", i), message,
               d.basis(i, *basis))


@rule("evidence_missing", "P1", "佐证材料缺失",
      checks="指标得了分，但“佐证材料”一栏是空的（或只写了“无”“暂无”“/”）",
      why="复核时逐项调阅佐证材料，没有材料的得分不予认可；这是抽查中最常见的扣分原因",
      fix="在“佐证材料”一列写明能证明实际完成值的材料名称和存放位置（台账、验收报告、发放明细、会议纪要、照片），复核时一并提供",
      fires=one(edited(swap={0: with_row(COUNT, evidence="")})),
      silent=one(edited(swap={0: with_row(COUNT, evidence="培训通知、签到表（存财务科档案盒3）")})))
def evidence_missing(d: ReviewData) -> Iterator[Hit]:
    ind = d.indicators
    evidence, actual = d.column("evidence"), d.column("actual")
    for i in np.flatnonzero(ind["score"].to_numpy(dtype=float) > 0).tolist():
        # a bare verdict without evidence is unsupported_score (P0), not this
        if is_empty_text(evidence[i], "empty_evidence") and not is_bare_verdict(actual[i]):
            shown = str(evidence[i]).strip()
            yield _hit(d, i, f"“{d.at('level3', i)}”自评得分 {score_text(d.at('score', i), d.at('weight', i), d.decimals)}，"
                             f"但{'佐证材料只写了“' + shown + '”' if shown else '未提供佐证材料'}，得分依据不足",
                       f"佐证材料：{shown or '（空）'}")


@rule("satisfaction_no_survey", "P1", "满意度没有调查数据",
      checks="满意度指标的实际完成值只写了“满意”“很满意”“无投诉”这类判定，没有调查得出的满意度数值",
      why="满意度须通过问卷、回访等调查取得；“没有投诉”不等于满意，没有调查的满意度得分，复核时不予认可",
      fix="按调查方案开展满意度调查，填写调查得出的满意度百分比（如 93%），并附调查问卷、样本数和统计表",
      fires=one(edited(swap={4: with_row(SURVEY, actual="无投诉")})),
      silent=one(clean_project()))
def satisfaction_no_survey(d: ReviewData) -> Iterator[Hit]:
    # whatever the profile scores a bare answer (qualitative.satisfaction_without_survey), it is a finding
    for i in np.flatnonzero(is_satisfaction(d.indicators)).tolist():
        if d.reading(i).kind == "verdict":
            actual = str(d.at("actual_display", i)).strip()
            score = float(d.at("score", i))
            tail = (f"，自评得分 {score_text(score, d.at('weight', i), d.decimals)}缺乏依据" if score > 0
                    else "，无法据以评分")
            yield _hit(d, i, f"满意度指标“{d.at('level3', i)}”只填写了“{actual}”，没有调查得出的满意度数值{tail}")


@rule("target_too_low", "P2", "目标值设置偏低",
      checks="正向定量指标（≥、>）的实际完成值达到年度指标值的 review.over_ratio（默认 150%）及以上",
      why="大幅超额往往不是干得特别好，而是目标定得太低，绩效目标失去约束作用；财政部门要求据实调整",
      fix="在“偏差原因分析及改进措施”中说明超额的原因；下一年度按实际能力合理调高目标值",
      fires=one(edited(swap={0: with_row(COUNT, actual=12, reason="参训需求增加，加办7场。")})),
      silent=one(edited(swap={0: with_row(COUNT, actual=5)})))
def target_too_low(d: ReviewData) -> Iterator[Hit]:
    ind = d.indicators
    ratio = ind["ratio"].to_numpy(dtype=float)
    line = d.settings.over_ratio / 100
    for i in np.flatnonzero((ratio >= line - 1e-9) & ~d.unknown).tolist():
        c = d.at("comparator", i)
        if c is None or c.kind != TargetKind.QUANTITATIVE or c.op not in FORWARD or not c.value:
            continue
        reason = str(d.at("reason_text", i) or "").strip()
        tail = "" if reason else "，且未说明超额原因"
        done = str(d.at("actual_normalised", i) or d.at("actual_display", i))
        yield _hit(d, i, f"“{d.at('level3', i)}”实际完成 {done}，是年度指标值“{c.text.strip()}”的 "
                         f"{ratio[i]:.0%}：目标值设置明显偏低{tail}",
                   f"完成程度：{ratio[i]:.0%}（阈值 {fmt_number(d.settings.over_ratio)}%）")


@rule("reason_missing", "P1", "失分未说明原因",
      checks="指标失分（或预算执行率低于规则的 budget.reason_below），却没有填写偏差原因分析及改进措施（或只写了“无”“已完成”）",
      why="失分必须分析原因、提出改进措施，这是自评的目的；没有分析的自评报告会被退回补充",
      fix="在“偏差原因分析及改进措施”一列写明未完成的具体原因（客观还是主观）和下一步的改进措施",
      fires=one(edited(swap={2: with_row(LATE, reason="无")})),
      silent=one(clean_project()))
def reason_missing(d: ReviewData) -> Iterator[Hit]:
    reasons = d.column("reason_text")
    for i in np.flatnonzero(d.lost).tolist():
        if is_empty_text(reasons[i]):
            score, weight = float(d.at("score", i)), float(d.at("weight", i))
            written = str(reasons[i] or "").strip()
            yield _hit(d, i, f"“{d.at('level3', i)}”{d.at('verdict', i)}，得 {score_text(score, weight, d.decimals)}"
                             f"（扣 {weight - score:.{d.decimals}f} 分），但"
                             + (f"偏差原因只写了“{written}”" if written else "未填写偏差原因分析及改进措施"),
                       f"偏差原因：{written or '（空）'}")
    below = fmt_number(d.profile.reason_below)
    for p in d.projects.itertuples(index=False):
        if bool(p.budget_reason_missing):
            yield Hit(p.project, "", "", d.project_place(p.project),
                      f"预算执行率 {float(p.execution_rate):.2%}，低于 {below}%，但未说明资金未执行的原因",
                      f"全年预算数：{float(p.full_budget):,.2f} 元；全年执行数：{float(p.spent):,.2f} 元")


COST = Row("产出指标", "成本指标", "人均培训成本", "≤800元/人", "760元/人", "", "培训费支出明细")


def _money(unit: str) -> bool:
    return "[money]" in dimensions(unit) if unit else False


@rule("cost_direction", "P1", "成本指标方向错误",
      checks="成本指标（二级“成本指标”或一级“成本指标”下）的指标值是“≥”“不少于”一个金额",
      why="成本指标是控制花多少钱的上限；写成“≥”等于要求多花钱，花得越多得分越高，与绩效管理的本意相反",
      fix="改为“≤”（控制在多少以内），如“人均培训成本≤800元”；确实要反映支出进度的，用预算执行率而不是成本指标",
      fires=one(edited(add=(with_row(COST, target="≥800元/人"),))),
      silent=one(edited(add=(COST,))))
def cost_direction(d: ReviewData) -> Iterator[Hit]:
    cost = (d.level2 == "成本指标") | np.array([str(x).endswith("成本指标") for x in d.level2], dtype=bool) \
        | (d.level1_written == "成本指标")
    for i in np.flatnonzero(cost).tolist():
        c = d.at("comparator", i)
        if c is None or c.kind != TargetKind.QUANTITATIVE or c.op not in FORWARD or is_percent(c.unit or ""):
            continue
        if c.unit and not _money(c.unit):
            continue  # a count under 成本指标 is misfiled, not a cost the wrong way round
        yield _hit(d, i, f"成本指标“{d.at('level3', i)}”的指标值为“{c.text.strip()}”：成本应控制在上限以内（≤），"
                         "写成“≥”意味着花得越多得分越高，指标方向错误")


MONEY = Row("产出指标", "数量指标", "补助资金发放金额", "≥50万元", "52万元", "", "补助发放明细表")


@rule("money_as_quantity", "P2", "数量指标用金额衡量",
      checks="数量指标的指标值以元、万元等金额计",
      why="花了多少钱是投入，不是产出；用金额作数量指标，只要钱花出去就能得满分，反映不了做成了什么",
      fix="改为实物量：受益人数、发放户数、完成的工程量、服务次数等；金额放到成本指标（≤）或预算执行率中",
      fires=one(edited(add=(MONEY,))),
      silent=one(edited(add=(with_row(MONEY, level3="补助发放户数", target="≥500户", actual="520户"),))))
def money_as_quantity(d: ReviewData) -> Iterator[Hit]:
    for i in np.flatnonzero(d.level2 == "数量指标").tolist():
        c = d.at("comparator", i)
        if c is not None and c.kind in NUMERIC and _money(c.unit or ""):
            yield _hit(d, i, f"数量指标“{d.at('level3', i)}”以金额计（指标值“{c.text.strip()}”）：资金数额是投入而不是产出数量，"
                             "不能反映项目做成了什么")


@rule("verdict_only", "P2", "定性指标只填判定",
      checks="定性指标的实际完成值只写了“达成”“良好”“完成”这类判定，没有描述实际完成了什么（佐证材料已填写）",
      why="只写判定等于自己给自己打分；复核人员要看到完成的内容、数量和效果，才能判断是否真的达成",
      fix="写明做了什么、达到什么程度，如“全年开展培训5场，结业考核平均分提高12分”，判定由程序按词表给出并记为假设",
      fires=one(edited(swap={3: with_row(EFFECT, actual="达成")})),
      silent=one(clean_project()))
def verdict_only(d: ReviewData) -> Iterator[Hit]:
    ind = d.indicators
    actual, evidence = d.column("actual"), d.column("evidence")
    sat = is_satisfaction(ind)
    for i in np.flatnonzero((ind["score"].to_numpy(dtype=float) > 0) & ~sat).tolist():
        c = d.at("comparator", i)
        if (c is not None and c.kind == TargetKind.QUALITATIVE and is_bare_verdict(actual[i])
                and not is_empty_text(evidence[i], "empty_evidence")):
            yield _hit(d, i, f"定性指标“{d.at('level3', i)}”只填写了“{str(actual[i]).strip()}”，未描述实际完成情况")

