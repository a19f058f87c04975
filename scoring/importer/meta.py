"""The part of a table above its indicator header: project information as label → value pairs
(项目名称, 主管部门, 实施单位, 实施周期), the 资金 rows (the year's total, 万元 or 元), and the goals
(实施周期 / 年度 side by side). A mixin of :class:`scoring.importer.tables.Table`.
"""

from __future__ import annotations

import re

from scoring.findings import ScoreError
from scoring.importer.headers import (
    MONEY_UNIT,
    context_of,
    goal_label,
    is_side_label,
    label,
    meta_field,
    vocabulary,
)
from scoring.importer.linekinds import is_info_row, is_title
from scoring.importer.sources import Row
from scoring.targets.model import fmt_weight

_BUDGET = re.compile(r"^(?:(\d{4})年度?)?(?:项目)?(?:预算金额|预算资金|预算数|资金总额|年度预算|预算)\((元|万元)\)$"
                     r"|^(?:(\d{4})年度?)(?:项目)?(?:预算金额|预算资金|预算数|资金总额)$")
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_AMOUNT = re.compile(r"^[¥￥]?\s*(\d[\d,，]*(?:\.\d+)?)\s*(万元|万|元)?$")


class MetaRows:
    """Rows above the indicator header (mixed into :class:`scoring.importer.tables.Table`)."""

    # -- above the header -----------------------------------------------------------------
    def meta_section_row(self, row: Row) -> None:
        cells = self.cleaned(row)
        money = [t for _c, t in cells if MONEY_UNIT.match(label(t))]
        if money and len(money) < len(cells):   # 部门名称：某局 | 金额单位：万元 — the unit is no value of the label
            self.wan_yuan = self.wan_yuan or any("万元" in t for t in money)
            cells = [(c, t) for c, t in cells if t not in money]
        if not cells:
            return
        texts = [label(t) for _c, t in cells]
        if any(_is_funds_label(t) for t in texts):
            self.funds_row(row, cells)
            if any(meta_field(t) for _c, t in cells):   # 部门名称 | 某局 | 资金总额(万元) | 380
                self.meta_row(row, cells)
            return
        if any(meta_field(t) for _c, t in cells) or _colon_meta(cells[0][1]):
            self.meta_row(row, cells)
            return
        if self.goal_row(row, cells):
            return
        blocks = {c: context_of(t) for c, t in cells if len(label(t)) <= 12 and context_of(t)}
        if len(set(blocks.values())) == 2 and all(context_of(t) or is_side_label(t) for _c, t in cells):
            self.block_labels.update({c: f"{k}_goal" for c, k in blocks.items()})   # 中期指标 | 年度指标 over the header
            self.note(row, "title", "中期、年度两组指标的标题行（用来区分下面并排的两组列），不是项目信息")
            return
        if len(cells) == 1 and is_info_row(cells[0][1]):
            name = re.sub(r"^[(（]?\d+[)）]?\s*", "", cells[0][1].strip())
            if not (self.project.get("unit") or self.project.get("department")):
                self.project["unit"] = name
            self.note(row, "meta", f"单位编码行：单位“{name}”（没有写“部门名称”“实施单位”时以它为单位）")
            return
        if len(cells) == 1 or all(is_title(t) or "单位" in t or YEAR.search(t) for _c, t in cells):
            if any("万元" in t for _c, t in cells):
                self.wan_yuan = True
            self.note(row, "title", "标题或说明行，不是项目信息，未导入")
            return
        self.note(row, "skip", "这一行不是已知的项目信息，也不在绩效目标或指标部分，未导入", review=True)

    def meta_row(self, row: Row, cells: list[tuple[int, str]]) -> None:
        """``label | value | label | value``: every label takes the next cell that is no label."""
        pairs: list[tuple[str, str, list[str]]] = []
        for _c, t in cells:
            head, _, tail = re.split(r"([:：])", t, maxsplit=1) if _colon_meta(t) else (t, "", "")
            fld = meta_field(head)
            if fld:
                pairs.append((fld, head, []))
                if tail.strip():
                    pairs[-1][2].append(tail.strip())
            elif _is_funds_label(label(t)):
                pairs.append(("funds", t, []))   # read by funds_row; its values are no one else's
            elif pairs:
                pairs[-1][2].append(t)
        for fld, head, values in pairs:
            if fld == "funds":
                continue
            if fld == "period":
                self.period_row(row, values)
            elif fld in ("parent", "person", "info"):
                self.note(row, "meta", f"“{head}”：{'、'.join(values) or '（空）'}（记在报告中，不导入）", source=False)
            else:
                value = values[0] if values else ""
                if len(set(values)) > 1:
                    self.note(row, "extra", f"“{head}”后面有多个单元格，取第一个“{value}”", review=True)
                self.project[fld] = value
                if fld == "project":
                    self.project["source"] = row.ref
                    if not value:
                        self.note(row, "meta", "“项目名称”后面是空的，请补上项目名称", review=True)

    def period_row(self, row: Row, values: list[str]) -> None:
        start = end = None
        words = vocabulary()["period_years"]
        for i, v in enumerate(values):
            n = label(v)
            nxt = values[i + 1] if i + 1 < len(values) else ""
            if n in words["start"] and YEAR.search(nxt):
                start = int(YEAR.search(nxt).group(1))
            elif n in words["end"] and YEAR.search(nxt):
                end = int(YEAR.search(nxt).group(1))
        if start is None or end is None:
            years = [int(y) for v in values for y in YEAR.findall(v)]
            if start is None and years:
                start = years[0]
            if end is None and len(years) > 1:
                end = years[-1]
        if start is None or end is None:
            self.note(row, "meta", "实施周期读不全（起始或到期年度缺失）", review=True)
        self.project["start_year"], self.project["end_year"] = start, end

    def funds_row(self, row: Row, cells: list[tuple[int, str]]) -> None:
        """A 资金 row: the annual total (万元 or 元, from the label, the value or a ``单位：万元`` line)."""
        funds = vocabulary()["funds"]
        texts = [part for _c, t in cells for part in _label_and_amount(t)]
        labels_ = [label(t) for t in texts if not _AMOUNT.match(t.strip())]
        for t in labels_:
            m = _BUDGET.match(t)
            year = m and (m.group(1) or m.group(3))
            if year and int(year) != self.year:
                raise ScoreError(f"预算金额是{year}年的，与导入年度 {self.year} 不一致", where=row.where,
                                 hint=f"确认导入的是 {self.year} 年的绩效目标表，或用 --year {year}")
        wan = any(w in t for t in labels_ for w in funds["wan_yuan"])
        if wan and not any(_AMOUNT.match(t.strip()) for t in texts):
            self.wan_yuan = True
        if any(t.startswith(funds["skip"]) for t in labels_[:2]):
            return
        amount, text, total = _amount_after(texts, funds["annual"])
        if amount is None or ("budget" in self.project and not total):
            return  # a part of the total (merged 项目资金 label running down its rows)
        if "万" in text or wan or self.wan_yuan or ("元" not in text and self._yuan_label(labels_) == "万元"):
            amount *= 10000
            written = text if "万" in text else f"{text} 万元"
            self.note(row, "meta", f"预算金额单位是万元，{written}换算为 {fmt_weight(amount)} 元")
        if "budget" in self.project:
            self.note(row, "extra", "这张表有两行预算金额，取后一行", review=True)
        self.project["budget"] = amount

    @staticmethod
    def _yuan_label(labels_: list[str]) -> str:
        return "万元" if any("万元" in t for t in labels_) else "元"

    def goal_row(self, row: Row, cells: list[tuple[int, str]]) -> bool:
        """Goal labels and texts; a text belongs to the goal label nearest to its left (side-by-side goals)."""
        g = self.goals
        if goal_label(cells[0][1])[0] is None and not g.mode:
            return False
        if g.columns and cells[0][0] < min(g.columns) and not any(goal_label(t)[0] for _c, t in cells):
            g.mode = None   # a row starting left of every goal label (a heading such as 绩效指标表): the goals have ended
            return False
        for c, text in cells:
            kind, year = goal_label(text)
            if kind == "section":
                continue
            if kind:
                g.columns[c] = g.mode = {"period": "period_goal", "annual": "annual_goal", "done": "done"}[kind]
                if year and year != self.year:
                    self.note(row, "goal", f"年度目标标注的是{year}年度，与导入年度{self.year}不同；按原文导入",
                              review=True)
                continue
            left = [k for k in g.columns if k <= c]
            mode = g.columns[max(left)] if left else g.mode
            if mode is None:
                mode = g.mode = "annual_goal"
                self.note(row, "goal", "总体绩效目标没有分“实施周期总目标”和“年度目标”，这段文字按年度目标导入",
                          review=True)
            g.texts[mode].append(text)
        return True


def _is_funds_label(t: str) -> bool:
    funds = vocabulary()["funds"]
    return bool(_BUDGET.match(t)) or (any(w in t for w in funds["labels"]) and not _AMOUNT.match(t))


def _label_and_amount(text: str) -> list[str]:
    """``年度资金总额：50万`` in one cell as its label and its amount; any other text as it is.

    >>> _label_and_amount("年度资金总额：50万"), _label_and_amount("资金总额(万元): 1,200"), _label_and_amount("其中：财政拨款")
    (['年度资金总额', '50万'], ['资金总额(万元)', '1,200'], ['其中：财政拨款'])
    """
    head, colon, tail = text.partition("：") if "：" in text else text.partition(":")
    if colon and _AMOUNT.match(tail.strip()) and _is_funds_label(label(head)):
        return [head, tail.strip()]
    return [text]


def _colon_meta(text: str) -> bool:
    head = re.split(r"[:：]", text, maxsplit=1)
    return len(head) == 2 and meta_field(head[0]) is not None


def _amount_after(texts: list[str], annual: tuple[str, ...]) -> tuple[float | None, str, bool]:
    """The amount after the annual-total label (and True), else the first amount in the row (and False)."""
    first: tuple[float | None, str, bool] = (None, "", False)
    after_annual = False
    for t in texts:
        m = _AMOUNT.match(t.strip())
        if m:
            value = (float(m.group(1).replace(",", "").replace("，", "")), t.strip(), after_annual)
            if after_annual:
                return value
            if first[0] is None:
                first = value
            continue
        lab = label(t)
        after_annual = any(lab.startswith(w) for w in annual) and not lab.startswith("中期")
    return first
