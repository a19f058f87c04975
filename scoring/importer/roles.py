"""Column roles by what the cells hold, after the header words have had their say.

The header words (:func:`scoring.importer.headers.header_of`) name candidate fields; the cells
below them decide what each column is when the words are missing, repeated or ambiguous:

- a left column whose header text runs down every indicator row (a merged side label) is no field;
- among the columns left of the targets, those holding level names (…指标, …目标, the vocabulary of
  ``rules/language/levels.yaml``) are the 一级/二级 columns, and the last one holding other names is
  the 三级 (leaf) column, whatever its header says (二级指标 over the leaf names, 评价指标 over 成本目标);
  ordinals (目标1, 指标2) are no field;
- a value column is a target, a description (反映…), a 评分标准 text (…扣分), an operator (≥, ＝), a
  direction (正向/反向) or a type (定量/定性) by its content; of two 指标性质-like columns the one
  holding operators is joined to the target; numbers that add up to 100 or 90 under no header word
  are the weights; a year over a column (2021年实际 / 预期2022年) makes it the target only for the year
  imported;
- a header that repeats its name and value columns (中期 | 年度 side by side) is split into blocks;
  the labels above them (中期目标 / 年度目标), or else their order, tell which block is the year's.

Every decision that is not plain from a header word is returned as a sentence for the import report.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from scoring.importer.cells import is_operator
from scoring.importer.headers import NAME_FIELDS, Header, dated, is_side_label, label, vocabulary
from scoring.language import levels
from scoring.language.expressions import parse
from scoring.language.normalize import squeeze
from scoring.vocab import TargetKind

STRONG_TARGETS = frozenset(TargetKind) - {TargetKind.QUALITATIVE, TargetKind.INVALID}  # a cell these parse as is a target
WEIGHT_TOTALS = (100.0, 90.0)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@lru_cache(maxsize=1 << 16)
def kind_of(text: str, deep: bool = True) -> str:
    """What one cell holds: op, direction, type, ordinal, description, criteria, level, number, target, name, text.

    >>> [kind_of(t) for t in ("＝", "正向", "定性", "目标1", "反映大楼保卫巡检情况", "未达指标值酌情扣分")]
    ['op', 'direction', 'type', 'ordinal', 'description', 'criteria']
    >>> [kind_of(t) for t in ("成本目标", "数量指标", "6475", "≥95%", "受益学生人数", "按时完成")]
    ['level', 'level', 'number', 'target', 'name', 'text']
    """
    words = vocabulary()["content"]
    s = squeeze(text)
    if is_operator(s):
        return "op"
    if s in words["directions"]:
        return "direction"
    if s in words["kinds"]:
        return "type"
    if re.match(words["ordinal"], s):
        return "ordinal"
    if s.startswith(tuple(words["description_starts"])) and len(s) > 4:
        return "description"
    if re.search(words["criteria"], s) and len(s) > 4:
        return "criteria"
    if level_like(s):
        return "level"
    if re.fullmatch(r"[\d,，]*\d(?:\.\d+)?%?", s):
        return "number"
    if not deep:   # the target expression parser only when targets and names must be told apart
        return "text"
    kind = parse(s).kind
    if kind in STRONG_TARGETS:
        return "target"
    return "name" if kind == TargetKind.INVALID else "text"


def level_like(text: str) -> bool:
    """A level name: in the vocabulary, a national 一级's synonym, or shaped like one (…指标, …目标).

    >>> level_like("一、投入目标"), level_like("产出"), level_like("投入"), level_like("办公大楼日常维修维护次数")
    (True, True, True, False)
    """
    s = levels.ENUMERATOR.sub("", levels.bare(text))
    if not s:
        return False
    if levels.canonical(s):
        return True
    if s in {w for w, _n in levels.NEAREST}:   # 投入, 产出, 管理 standing alone
        return True
    return s.endswith(("指标", "目标")) and 2 < len(s) <= 12 and not re.search(r"[\d%％≥≤<>＜＞=＝]", s)


def share(kinds: Counter, *names: str) -> float:
    n = sum(kinds.values())
    return sum(kinds[k] for k in names) / n if n else 0.0


def _weights(values: list[str]) -> bool:
    """Numbers (every cell one) that add up to a full score: 100 or 90."""
    nums = []
    for v in values:
        m = _NUMBER.fullmatch(squeeze(v).rstrip("分"))
        if not m:
            return False
        nums.append(float(m.group()))
    return len(nums) >= 2 and any(abs(sum(nums) - t) < 0.01 for t in WEIGHT_TOTALS)


class Roles:
    """Refines a :class:`Header` from the cells of the rows below it; :attr:`notes` say what was decided."""

    def __init__(self, hdr: Header, body: Sequence[Sequence[str]], goals: dict[int, str], year: int):
        self.hdr = hdr
        self.year = year
        self.goals = goals
        width = max([len(r) for r in body] + [max(hdr.labels, default=-1) + 1, 0])
        self.values = {c: [r[c].strip() for r in body if c < len(r) and r[c] and r[c].strip()] for c in range(width)}
        self.kinds = {c: Counter(kind_of(v, deep=False) for v in vals) for c, vals in self.values.items()}
        self.notes: list[tuple[str, bool]] = []

    def name(self, c: int) -> str:
        text = self.hdr.labels.get(c, "")
        return f"第{c + 1}列" + (f"“{text}”" if text else "（无表头）")

    def note(self, text: str, review: bool = False) -> None:
        self.notes.append((text, review))

    def set_aside(self, c: int, why: str, keep: bool = False) -> None:
        hdr = self.hdr
        hdr.aside[c] = why
        for f in [f for f, col in hdr.slots.items() if col == c]:
            hdr.slots.pop(f)
        if keep and re.search(r"[\u4e00-\u9fff]", hdr.labels.get(c, "")):
            hdr.keep[c] = label(hdr.labels[c])

    # -- the steps ---------------------------------------------------------------------------
    def refine(self, grid: bool) -> Header:
        """All the steps for a true grid (Excel, Word, HTML); for text split at spaces, whose cells may stand
        off their columns, only what the header words say (blocks, years over columns)."""
        if not grid:
            self.blocks()
            self._dated()
            return self.hdr
        self.side_columns()
        self.blocks()
        self.name_columns()
        self.value_columns()
        self.unclaimed()
        return self.hdr

    def side_columns(self) -> None:
        """A merged label running from the header down every row (绩效指标(90分), 年度绩效指标完成情况)."""
        hdr = self.hdr
        names = [c for c, (f, _p) in hdr.fields.items() if f in NAME_FIELDS]
        for c, vals in self.values.items():
            if not vals or c in hdr.aside:
                continue
            head = label(hdr.labels.get(c, ""))
            texts = {label(v) for v in vals}
            if len(texts) != 1:
                continue
            if not (names and c >= min(names)) and (head in texts or is_side_label(vals[0])):
                self.set_aside(c, "栏目名（合并单元格从表头写到每个指标行），不是指标")
            elif self._merged_label(c, vals):
                self.set_aside(c, f"栏目名“{vals[0]}”（一个合并单元格占满左侧一列的每个指标行，按形状认定），"
                                  "不是指标，也不是层级")
                self.note(f"{self.name(c)}每个指标行都是同一段文字“{vals[0]}”（左侧的合并单元格），按栏目名对待，不作一级指标")

    def _merged_label(self, c: int, vals: list[str]) -> bool:
        """A label merged down every indicator row, left of the level columns, under no level header: its
        text is the same in every row and names no level; a column right of it holds the level names."""
        hdr = self.hdr
        rows = len(self.values.get(hdr.l3, ())) if hdr.l3 >= 0 else 0
        if len(vals) < 2 or len(vals) < rows or hdr.fields.get(c, ("",))[0] in ("level1", "level2"):
            return False
        if c >= hdr.l3 or levels.canonical(vals[0]) or levels.national_level1(vals[0])[1] in ("same", "alias"):
            return False
        return any(c < k < hdr.l3 and share(self.kinds[k], "level") >= 0.6 and len(set(self.values[k])) > 1
                   for k in self.values)

    def blocks(self) -> None:
        """中期 | 年度 blocks side by side under repeated headers: which block is the year's."""
        hdr = self.hdr
        cols = sorted(c for c in hdr.fields if c not in hdr.aside)
        starts = [cols[0]] if cols else []
        seen: set[str] = set()
        value_seen = False
        for c in cols:
            f = hdr.fields[c][0]
            if f in ("level2", "level3") and f in seen and value_seen:
                starts.append(c)
                seen, value_seen = set(), False
            seen.add(f)
            value_seen |= f in ("annual_value", "period_value", "dated")
        if len(starts) != 2:
            return
        groups = [[c for c in cols if c >= starts[0] and c < starts[1]], [c for c in cols if c >= starts[1]]]
        ctx = []
        for g, end in zip(groups, (groups[1][0], 10**6), strict=True):
            inside = [k for k in self.goals if g[0] <= k < end]   # a label over the block, or else left of it
            left = [k for k in self.goals if k < g[0]]
            ctx.append(self.goals[min(inside)] if inside else self.goals[max(left)] if left else None)
        if ctx[0] == ctx[1] or None in ctx:
            ctx = ["period_goal", "annual_goal"]
            self.note("指标表头重复了一组列（并排的两组指标），表头上方没有写明哪组是中期、哪组是年度：按顺序，"
                      "左边一组作实施周期（中期）指标，右边一组作年度指标", review=True)
        else:
            words = "、".join(f"{self.name(g[0])}起为{'中期' if x == 'period_goal' else '年度'}" for g, x in zip(groups, ctx,
                                                                                                   strict=True))
            self.note(f"指标表头重复了一组列（中期与年度并排），按上方的目标标签区分：{words}；年度一组是目标，中期一组作实施周期指标值")
        period, annual = (groups[0], groups[1]) if ctx[0] == "period_goal" else (groups[1], groups[0])
        lead = groups[0]
        slots: dict[str, int] = {f: c for f, c in hdr.slots.items() if f not in ("annual_value", "period_value")}

        def block(group: list[int], value: str) -> int | None:
            """The block's 三级 column; its first value column becomes ``value``."""
            name = None
            for c in group:
                f = hdr.fields[c][0]
                if f == "level3":
                    name = c
                elif f in ("annual_value", "period_value") and value not in slots:
                    slots[value] = c
            return name

        p3, l3 = block(period, "period_value"), block(annual, "annual_value")
        for c in cols:
            f = hdr.fields[c][0]
            if f in ("level1", "level2") and c not in lead:
                self.set_aside(c, "另一组的层级名称（与左侧相同）")
        if l3 is None:
            l3, p3 = p3, None
        if p3 is not None:
            slots["period_level3"] = p3
        hdr.l3 = l3 if l3 is not None else hdr.l3
        hdr.slots = dict(sorted(slots.items(), key=lambda kv: kv[1]))

    def name_columns(self) -> None:
        """Level columns and the leaf column by their cells: the leaf is the last column of other names."""
        hdr = self.hdr
        targets = [c for f, c in hdr.slots.items() if f in ("annual_value", "period_value")]
        if hdr.no_level3:
            targets.append(hdr.l3)
        first_target = min(targets, default=10**6)
        taken = {c: f for f, c in hdr.slots.items()}
        zone = [c for c in sorted(self.values) if c < first_target and c not in hdr.aside and self.values[c]
                and taken.get(c) in (None, "period_level3", "nature", "description")]
        role: dict[int, str] = {}
        for c in zone:
            k = self.kinds[c]
            if taken.get(c) in ("nature", "description"):
                if c < hdr.l3 and share(k, "level") >= 0.6:   # 指标类型 over 数量指标/质量指标: the 二级 column
                    hdr.slots.pop(taken[c])
                    role[c] = "level"
                continue
            if c > hdr.l3 and "weight" not in hdr.slots and _weights(self.values[c]):
                continue   # small numbers adding up to a full score are the weights (value_columns), no 序号
            if share(k, "ordinal") >= 0.8 and hdr.fields.get(c, ("",))[0] not in NAME_FIELDS:
                self.set_aside(c, "序号（目标1、指标2…），不是指标名称")
                continue
            role[c] = "level" if share(k, "level") >= 0.6 else "leaf"
        year_block = hdr.l3 > first_target and hdr.fields.get(hdr.l3, ("",))[0] == "level3"   # right of the 中期 block
        leaf = hdr.l3 if not hdr.no_level3 and (hdr.l3 in role or year_block) else None
        if leaf is None:
            leaves = [c for c, r in role.items() if r == "leaf" and c != hdr.slots.get("period_level3")]
            if leaves:
                leaf = leaves[-1]
                if hdr.no_level3:
                    hdr.slots["annual_value"] = hdr.l3
                    hdr.slots = dict(sorted(hdr.slots.items(), key=lambda kv: kv[1]))
                    hdr.no_level3 = False
                if leaf != hdr.l3:
                    self.note(f"{self.name(leaf)}写的是指标名称（不是层级名称），按三级指标读取")
                hdr.l3 = leaf
        if leaf is None:
            return
        named = {f: c for c, (f, _p) in hdr.fields.items() if f in ("level1", "level2") and c < leaf
                 and c not in hdr.aside}
        by_content = {c for c, r in role.items() if r == "level" and c < leaf}
        lvl = sorted(named.values()) if len(named) >= 2 else sorted(set(named.values()) | by_content)
        if not lvl:
            return
        l1, l2 = lvl[0], (lvl[1] if len(lvl) > 1 else lvl[0])
        for c in lvl[2:]:
            self.set_aside(c, "第三个层级名称列，未采用", keep=True)
        for c, lev in ((l1, "一级"), (l2, "二级")):
            if c not in named.values() and (lev == "一级" or l2 != l1):
                self.note(f"{self.name(c)}写的是层级名称，按{lev}指标读取")
        hdr.l1, hdr.l2 = l1, l2

    def value_columns(self) -> None:
        hdr = self.hdr
        self._dated()
        self._operators()
        period = hdr.slots.get("period_value")
        if period is not None and not self.values.get(period) and self.values.get(hdr.slots.get("annual_value", -1)):
            self.set_aside(period, "实施周期（中期）指标值一栏每行都是空的，实施周期指标值留空")
        desc = hdr.slots.get("description")
        if desc is not None:
            header_word = hdr.fields.get(desc, ("", 99))[0] == "description"
            if not header_word and share(self.kinds[desc], "description") < 0.5:
                self.set_aside(desc, "与指标值同类的另一列（不是当年度指标值），记入备注", keep=True)
            elif share(self.kinds[desc], "criteria") >= 0.5 and "criteria" not in hdr.slots:
                hdr.slots["criteria"] = hdr.slots.pop("description")
                self.note(f"{self.name(desc)}写的是评分标准（…扣分、…得分），按评分标准导入")
        annual = hdr.slots.get("annual_value")
        if annual is not None and share(self.kinds[annual], "description") >= 0.6:
            others = [c for c, (f, _p) in sorted(hdr.fields.items()) if f == "annual_value" and c != annual
                      and c not in hdr.aside and share(self.kinds[c], "description") < 0.6]
            if others:
                hdr.slots["annual_value"] = others[0]
                hdr.slots.setdefault("description", annual)
                self.note(f"{self.name(annual)}写的是指标说明（反映…），指标值取{self.name(others[0])}")
        if "weight" not in hdr.slots:
            for c, vals in self.values.items():
                if c > hdr.l3 and c not in hdr.fields and c not in hdr.aside and _weights(vals):
                    hdr.slots["weight"] = c
                    self.note(f"{self.name(c)}各行是数字且合计为满分（100 或 90），按分值读取")
                    break
        hdr.slots = dict(sorted(hdr.slots.items(), key=lambda kv: kv[1]))

    def _dated(self) -> None:
        """Columns headed by a year: the target of the year imported; other years' numbers are set aside."""
        hdr = self.hdr
        cols = [c for c, (f, _p) in hdr.fields.items() if f == "dated" and c not in hdr.aside]
        if not cols:
            return
        chosen = None
        for c in sorted(cols):
            year, actual = dated(hdr.labels.get(c, "")) or (None, False)
            if year == self.year and not actual and chosen is None:
                chosen = c
            else:
                self.set_aside(c, f"{year}年的{'实际数' if actual else '数值'}，不是{self.year}年的指标值", keep=True)
        current = hdr.slots.get("annual_value")
        if chosen is not None and (current is None or current in cols or hdr.fields[current][0] == "dated"):
            hdr.slots["annual_value"] = chosen
            self.note(f"{self.name(chosen)}是{self.year}年的目标，按当年度指标值读取")
        elif current in cols:
            hdr.slots.pop("annual_value")
        hdr.slots.pop("dated", None)

    def _operators(self) -> None:
        """Of the 指标性质-like columns, the one holding operators (≥, ＝) is joined to the target."""
        hdr = self.hdr
        cands = [c for c, (f, _p) in hdr.fields.items() if f == "nature" and c not in hdr.aside
                 and c not in (hdr.l1, hdr.l2, hdr.l3)]
        if not cands:
            return
        best = max(cands, key=lambda c: (share(self.kinds[c], "op"), -c))
        for c in cands:
            if c != best:
                what = "方向（正向/反向）" if share(self.kinds[c], "direction") >= 0.5 else "指标性质"
                self.set_aside(c, f"{what}，不与指标值连写", keep=True)
        if hdr.slots.get("nature") != best:
            hdr.slots["nature"] = best
            self.note(f"{self.name(best)}写的是比较符号（≥、＝…），与指标值、单位连成目标")

    def unclaimed(self) -> None:
        """Header columns that no field took: their text goes into the note, never lost."""
        hdr = self.hdr
        used = {hdr.l1, hdr.l2, hdr.l3, *hdr.slots.values(), *hdr.aside}
        for c in sorted(self.values):
            if not (c not in used and self.values[c] and hdr.labels.get(c)
                    and c > min(hdr.l1 if hdr.l1 >= 0 else hdr.l3, hdr.l3)):
                continue
            for kind, slot, what in (("criteria", "criteria", "评分标准（…扣分、…得分）"),
                                     ("description", "description", "指标说明（反映…）")):
                if slot not in hdr.slots and share(self.kinds[c], kind) >= 0.6:
                    hdr.slots[slot] = c
                    hdr.slots = dict(sorted(hdr.slots.items(), key=lambda kv: kv[1]))
                    self.note(f"{self.name(c)}写的是{what}，按内容导入")
                    break
            else:
                self.set_aside(c, "没有对应的字段，内容记入备注", keep=True)


def refine(hdr: Header, body: Sequence[Sequence[str]], goals: dict[int, str], year: int,
           grid: bool = True) -> list[tuple[str, bool]]:
    """Refine ``hdr`` in place from the rows below it; the decisions as (sentence, needs review)."""
    roles = Roles(hdr, body, goals, year)
    roles.refine(grid)
    return roles.notes
