"""The building blocks of the rules' examples: a clean project a reviewer has nothing to say about,
and small edits of it (a row replaced, a row added, another budget).

The clean project has a figure, a percentage, a described qualitative result and a surveyed
satisfaction, each with its 佐证材料, one indicator short of its target with a reason of its own, and
96% of its budget spent.
"""

from __future__ import annotations

from dataclasses import replace

from scoring.review.registry import Example, Project, Row

COUNT = Row("产出指标", "数量指标", "开展培训场次", "≥4场", 5, "", "培训通知、签到表")
RATE = Row("产出指标", "质量指标", "培训考核合格率", "≥90%", "95%", "", "考核成绩单")
LATE = Row("产出指标", "时效指标", "培训按期完成率", "100%", "95%",
           "两期培训因场地检修顺延一周完成；下一年度提前锁定场地并预留检修时间。", "培训台账")
EFFECT = Row("效益指标", "社会效益指标", "参训人员业务能力", "有效提升", "结业考核平均分较培训前提高12分，业务能力有效提升", "",
             "培训前后考核成绩对比表")
SURVEY = Row("满意度指标", "服务对象满意度指标", "参训人员满意度", "≥90%", "93%", "", "满意度调查问卷及统计表")
CLEAN_ROWS = (COUNT, RATE, LATE, EFFECT, SURVEY)

NAME = "业务培训经费"


def clean_project(name: str = NAME, **fields) -> Project:
    return Project(name, CLEAN_ROWS, **fields)


def edited(rows: tuple[Row, ...] = CLEAN_ROWS, *, swap: dict[int, Row] | None = None, add: tuple[Row, ...] = (),
           name: str = NAME, **fields) -> Project:
    """The clean project with rows replaced (by index) and rows added."""
    swap = swap or {}
    return Project(name, tuple(swap.get(i, r) for i, r in enumerate(rows)) + add, **fields)


def one(project: Project) -> Example:
    return Example((project,))


CLEAN = one(clean_project())


def with_row(row: Row, **changes) -> Row:
    return row._replace(**changes)


def budget(project: Project, full: float | None, spent: float | None, reason: str = "") -> Project:
    return replace(project, full_budget=full, spent=spent, budget_reason=reason)


def _row(r: Row) -> str:
    parts = [f"{r.level2 or r.level1}/{r.level3}：目标“{r.target}”", f"实际“{'' if r.actual is None else r.actual}”",
             f"佐证“{r.evidence}”" if r.evidence else "无佐证"]
    if r.reason:
        parts.append(f"偏差原因“{r.reason}”")
    if r.review is not None:
        parts.append(f"复核完成值“{r.review}”")
    if r.note:
        parts.append(f"复核意见“{r.note}”")
    return "、".join(parts)


def describe(example: Example) -> str:
    """An example in words, as what it changes in the clean project."""
    parts = []
    base = clean_project()
    for p in example.projects:
        changed = [r for k, r in enumerate(p.rows) if k >= len(CLEAN_ROWS) or r != CLEAN_ROWS[k]]
        text = ("，其中 " + "；".join(map(_row, changed))) if changed else "（各指标有数值、有佐证，一个失分指标写明了原因）"
        if (p.full_budget, p.spent) != (base.full_budget, base.spent):
            spent = "（空）" if p.spent is None else f"{p.spent:,.0f} 元"
            full = "（空）" if p.full_budget is None else f"{p.full_budget:,.0f} 元"
            text += f"；全年预算数 {full}、全年执行数 {spent}"
        if p.weights:
            text += f"；分值 {'、'.join(f'{w:g}' for w in p.weights)}"
        parts.append(f"【{p.name}】示例项目{text}")
    return " ".join(parts)
