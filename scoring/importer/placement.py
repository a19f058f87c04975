"""Which cell of an indicator row is which field.

Labels lead the row: a cell is a 一级/二级 name by the vocabulary (:mod:`scoring.language.levels`)
wherever it stands, or, when it is not listed, by its shape (it ends in 指标) in the 一级/二级
column. The first other cell is the 三级 name; the rest are values, placed into the header's
value columns as they stand, or by order and distance when extraction moved them
(:func:`place_values`). Then :func:`finish` joins 指标性质 + 指标值 + 度量单位 into one target,
repairs OCR damage in targets, and sets aside a published 自评表's actuals.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from scoring.findings import place
from scoring.importer.cells import fill_placeholder, header_unit, join_target, repair_ocr, split_name_value
from scoring.importer.headers import FIELD_NAMES, is_side_label, vocabulary
from scoring.importer.levelcells import LevelCells
from scoring.importer.linekinds import is_info_line, is_trailer
from scoring.language import levels
from scoring.language.normalize import squeeze

CORE_SLOTS = ("period_value", "annual_value")
_PLACEHOLDER = re.compile(r"[(（][^()（）]*\*+[^()（）]*[)）]")
_UNIT_LIKE = re.compile(r"[%％‰]|[^\d\s≥≤<>=＞＜＝]{1,4}")
_WEIGHT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(?:分|%|％)?\s*")
_SIGNATURE = re.compile(r"盖章|签字|签章|公章")
def place_values(values: list[tuple[int, str]], slots: list[tuple[str, int]], shifts: Sequence[int],
                 displaced: bool) -> tuple[list[tuple[tuple[int, str], str]], list[tuple[int, str]], bool]:
    """Place a row's value cells into the header's value columns.

    - A row that is not displaced and whose cells all stand in value columns: as they stand.
    - As many cells as the core values (实施周期/当年度) or more, up to all columns: in order,
      since extraction moves cells but does not reorder them.
    - Fewer cells than core values (a cell lost by a shifted row): by distance to the columns
      moved by the row's shift; when the candidate shifts disagree or two places are equally
      near, the result is flagged as undecided.
    - More cells than columns: in order; the rest are returned as extras.

    Returns ([(cell, slot)], extra cells, undecided).
    """
    n, m = len(values), len(slots)
    if n == 0:
        return [], [], False
    if m == 0:
        return [], list(values), False
    cols = {col: slot for slot, col in slots}
    if not displaced and all(c in cols for c, _t in values):
        return [(v, cols[v[0]]) for v in values], [], False
    core = [s for s, _c in slots if s in CORE_SLOTS]
    if len(core) <= n <= m or n > m:
        return [(v, slots[j][0]) for j, v in enumerate(values[:m])], list(values[m:]), n > m
    results = []
    for shift in shifts:
        options = []
        for chosen in itertools.combinations(range(m), n):
            cost = sum(abs(values[i][0] - (slots[j][1] + shift)) for i, j in enumerate(chosen))
            cost += sum(0.5 for j in chosen if slots[j][0] not in CORE_SLOTS)  # core values first
            options.append((cost, chosen))
        options.sort(key=lambda o: o[0])
        tie = len(options) > 1 and options[1][0] == options[0][0]
        results.append((options[0][1], tie))
    chosen, tie = results[0]
    undecided = tie or any(r[0] != chosen for r in results[1:])
    return [(values[i], slots[j][0]) for i, j in enumerate(chosen)], [], undecided


class IndicatorRows(LevelCells):
    """The indicator part of a table (mixed into :class:`scoring.importer.tables.Table`)."""

    def indicator_row(self, row, idx: int) -> None:
        hdr = self.header
        cells = [(c, t) for c, t in self.cleaned(row) if not is_side_label(t) and c != hdr.slots.get("seq")]
        if not cells:
            return
        if is_trailer(cells[0][1]) or any(len(squeeze(t)) <= 12 and _SIGNATURE.search(t) for _c, t in cells[1:]):
            self.after_trailer = True
            self.note(row, "trailer", f"“{cells[0][1]}”是表后的行（合计、签章、说明等），不是指标，未导入")
            return
        if is_info_line([t for _c, t in cells]):
            self.note(row, "trailer", f"“{cells[0][1]}”是单位编码和名称，不是指标，未导入")
            return
        kept = [(hdr.keep[c], t) for c, t in cells if c in hdr.keep]
        p3 = hdr.slots.get("period_level3")
        period_name = next((t for c, t in cells if c == p3), "")
        before = cells
        cells = [(c, t) for c, t in cells if c not in hdr.aside and c != p3]
        if period_name and not any(c == hdr.l3 for c, _t in cells):
            cells = sorted([*cells, (hdr.l3, period_name)])   # the 年度 block names no 三级: the 中期 one's name
        elif period_name and period_name != (name := next(t for c, t in cells if c == hdr.l3)):
            other = squeeze(period_name) not in squeeze(name) and squeeze(name) not in squeeze(period_name)
            value = next((t for c, t in cells if c == hdr.slots.get("period_value")), "") if other else ""
            kept.append(("中期三级指标", f"{period_name}（{value}）" if value else period_name))
            cells = [(c, t) for c, t in cells if not (other and c == hdr.slots.get("period_value"))]  # another one's
        if not cells:
            if kept:
                self.note(row, "skip", "这一行只有备注性的列（" + "、".join(f"“{h}”" for h, _t in kept) + "）有内容，不是指标")
            else:
                self.note(row, "skip", "这一行只在未作指标的列（" + "、".join(
                    f"“{hdr.labels.get(c) or f'第{c + 1}列'}”" for c, _t in before) + "）有内容，不是指标")
            return
        if self._section(row, cells):
            return
        items = self._join_split_labels(row, cells)
        if self.after_trailer and not any(lab for _c, _t, lab in items):
            self.note(row, "trailer", "这一行在表后的合计/签章行之后，不是指标，未导入")
            return
        k = next((i for i, it in enumerate(items) if it[2] is None), len(items))
        later = [j for j in range(k, len(items)) if items[j][2] is not None]
        if later:
            if not self._content_before_label(row, items, k, later[0]):
                return
            items = [(c, t, None) if i >= k else (c, t, lab) for i, (c, t, lab) in enumerate(items)]
        labels, content = items[:k], [(c, t) for c, t, _ in items[k:]]
        if not labels and len(content) == 1 and (content[0][0] < hdr.l1 or is_trailer(content[0][1])):
            self.note(row, "skip", f"“{content[0][1]}”不像指标行（只有一个单元格，且在指标列之外），未导入", review=True)
            return
        l1_here, l2_here, shift = self._levels(row, idx, labels, dict(cells))
        side = {c for f, c in hdr.slots.items() if f not in ("annual_value", "period_value")} - {hdr.l3}
        if row.grid and content and all(c in side for c, _t in content):
            content = []   # only a 评分标准 or a note beside a 二级 name: no 三级, no target
        if not content:
            if l2_here:
                self.note(row, "skip", f"二级指标“{self.state.l2}”下没有三级指标，跳过（不生成指标）")
            elif l1_here:
                self.note(row, "skip", f"一级指标“{self.state.l1}”这一行没有三级指标，跳过（不生成指标）")
            return
        if self.state.l1 is None and hdr.has_levels and not self._levels_empty(row):
            self.note(row, "unplaced", "这一行之前没有一级指标，无法判断指标属于哪个一级指标，未导入；"
                      f"请在原表这一行写上一级指标（{'、'.join(levels.LEVEL1)}）后重新导入", review=True)
            return
        if not (l1_here and l2_here) and hdr.has_levels and self.state.l1 is not None:
            self.carried.append(row.line)
        record = self._place_values(row, content, shift)
        if self.state.l2 is None and hdr.has_levels and self.state.l1 is not None:
            self.note(row, "missing", f"指标“{record['level3']}”没有二级指标", review=True)
        record.update(project=self.project.get("project", ""), level1=self.state.l1 or "", level2=self.state.l2 or "",
                      level1_original=self.state.l1_written, source=row.ref)
        if kept:
            extra = "；".join(f"{h}：{t}" for h, t in kept)
            record["note"] = f"{record['note']}；{extra}" if record["note"] else extra
        self.finish(row, record)
        if (re.match(vocabulary()["content"]["slot"], squeeze(str(record["level3"])))
                and not (record["annual_value"] or record["period_value"] or record["weight"] is not None)):
            self.note(row, "skip", f"“{record['level3']}”是模板中没有填写的指标空位（没有指标值和分值），不是指标，未导入")
            return
        if record["level3"] and not re.search(r"\w", str(record["level3"])):
            self.note(row, "skip", f"“{record['level3']}”是模板中的省略行，不是指标，未导入")
            return
        if not record["level3"]:
            self.note(row, "unplaced", "这一行没有三级指标名称，未导入；请对照原件补上名称后重新导入，"
                      "或在 indicators.csv 中手工添加这个指标", review=True)
            return
        self._check_values(row, record)
        self.indicators.append(record)

    def _check_values(self, row, rec: dict) -> None:
        label = rec["level3"]
        if self.header.no_value:
            return   # a 评价 table has no target column: said once for the table (tables.Table.parse)
        if not rec["annual_value"] and row.grid:
            col = self.header.slots.get("annual_value", self.header.l3)
            self.note(row, "missing", f"指标“{label}”的当年度指标值一栏（第{col + 1}列）是空的，请对照原件补上",
                      review=True)
        elif not rec["annual_value"]:
            only = f"只有一个指标值“{rec['period_value']}”，按位置归为实施周期指标值；" if rec["period_value"] else ""
            self.note(row, "missing", f"指标“{label}”的当年度指标值缺失（{only}可能是提取时错位截断），"
                                      "请对照原件补上", review=True)
        elif "period_value" in self.header.slots and not rec["period_value"]:
            self.note(row, "missing", f"指标“{label}”的实施周期指标值缺失", review=True)

    def _levels(self, row, idx: int, labels, raw: dict[int, str]) -> tuple[bool, bool, int | None]:
        """Apply the row's 一级/二级 names to the carried state; return which were present and the shift."""
        hdr = self.header
        l1_here = l2_here = False
        shift: int | None = None
        names = [lab for _c, _t, lab in labels]
        for pos, (c, _t, lab) in enumerate(labels):
            nxt = names[pos + 1] if pos + 1 < len(names) else None
            role = self._role(lab, nxt, idx, c, row.grid)
            if role == 1:
                if l1_here:
                    self.note(row, "ambiguous", f"一行里有两个一级指标名称，取后一个“{lab}”", review=True)
                self._set_level1(row, raw.get(c, lab), lab)
                l1_here = True
                expected = hdr.l1
            else:
                self._level2(row, lab, l1_here)
                l2_here = True
                expected = hdr.l2
            shift = c - expected
            if c != expected:
                level = "一级" if role == 1 else "二级"
                self.note(row, "shift", f"{level}指标“{lab}”位于第{c + 1}列（{self._col_name(c)}），"
                                        f"应在第{expected + 1}列，按名称归位")
        return l1_here, l2_here, shift

    def _level2(self, row, lab: str, l1_here: bool) -> None:
        parent = levels.PARENT.get(lab)
        if lab in levels.AMBIGUOUS:
            parent = self.state.l1 if self.state.l1 and levels.level2_fits(self.state.l1, lab) else "产出指标"
        if self.state.l1 != parent and parent:
            if l1_here:
                self.note(row, "ambiguous", f"二级指标“{lab}”不属于一级指标“{self.state.l1}”，"
                                            f"按二级指标名称改为“{parent}”", review=True)
            elif self.state.l1 is None:
                self.note(row, "infer", f"没有一级指标，按二级指标“{lab}”推定为“{parent}”")
            else:
                self.note(row, "infer", f"二级指标“{lab}”不属于上方的一级指标“{self.state.l1}”，"
                                        f"一级指标按名称推定为“{parent}”")
            self.state.l1, self.state.l1_written = parent, ""
        self.state.l2 = lab

    def _role(self, lab: str, nxt: str | None, idx: int, col: int, grid: bool = False) -> int:
        """1 for a 一级 name, 2 for a 二级 name; 成本指标 is either, decided by its column in a true grid,
        else by what follows it."""
        hdr = self.header
        if lab in levels.AMBIGUOUS and grid and hdr.l1 != hdr.l2 and col in (hdr.l1, hdr.l2):
            return 1 if col == hdr.l1 else 2
        if lab not in levels.AMBIGUOUS:
            if levels.is_level1(lab):
                return 1
            return 2 if levels.is_level2(lab) or col != self.header.l1 else 1
        if nxt and levels.level2_fits(lab, nxt):
            return 1
        if nxt and levels.is_level2(nxt):
            return 1 if not levels.level2_fits(self.state.l1 or "", lab) else 2
        if self.state.l1 and levels.level2_fits(self.state.l1, lab):
            return 2
        # Look ahead: a 一级 成本指标 is followed by its own 二级 names (经济成本指标…).
        for row in self.rows[idx + 1:]:
            for t in row.cells:
                n = levels.canonical(t) if t and t.strip() else None
                if n and n != lab:
                    return 1 if levels.level2_fits(lab, n) else 2
        return 2

    def _col_name(self, c: int) -> str:
        hdr = self.header
        names = {hdr.l1: "一级指标列", hdr.l2: "二级指标列", hdr.l3: "三级指标列"}
        names.update({col: f"{FIELD_NAMES[s]}列" for s, col in hdr.slots.items()})
        return names.get(c, "表外的列" if c > max(names) else "“绩效指标”列" if c < hdr.l1 else "空列")

    def _place_values(self, row, content: list[tuple[int, str]], shift: int | None) -> dict[str, object]:
        """Put the row's content cells into 三级 name and value columns (see :func:`place_values`)."""
        hdr = self.header
        rec: dict[str, object] = {"level3": "", "period_value": "", "annual_value": "", "weight": None, "note": ""}
        if row.grid:
            content = self._units_under_merged_header(row, content)
        slots = [(s, c) for s, c in hdr.slots.items() if s not in ("period_level3", "seq")]  # in column order
        cols = {c for _s, c in slots}
        if content[0][0] != hdr.l3 and all(c == hdr.l3 or c in cols for c, _t in content):
            at = next((i for i, (c, _t) in enumerate(content) if c == hdr.l3), None)
            if at is not None:  # every cell in its own column: the name is the cell in the 三级 column
                content = [content[at], *content[:at], *content[at + 1:]]
        first_value_col = min((col for _s, col in slots), default=10**6)
        name_c, name = content[0]
        values = content[1:]
        if slots and name_c != hdr.l3 and (
                (name_c >= first_value_col + (shift or 0) and len(content) <= len(slots) and len(content) < 3)
                or (row.grid and all(c in cols for c, _t in content))):
            # The first cell stands in a value column (in a true grid: every cell does): the 三级 name is
            # missing, not this cell.
            name, values = "", content
        else:
            rec["level3"] = name
            if name_c != hdr.l3:
                self.note(row, "shift", f"三级指标“{name}”位于第{name_c + 1}列（{self._col_name(name_c)}），"
                                        f"应在第{hdr.l3 + 1}列，按内容顺序归入三级指标")
        displaced = (shift not in (None, 0)) or (bool(rec["level3"]) and name_c != hdr.l3)
        shifts = [shift] if shift is not None else sorted({0, name_c - hdr.l3})
        assignment, extras, tie = place_values(values, slots, shifts, displaced)
        self._assign(row, rec, assignment, extras, tie)
        return rec

    def _units_under_merged_header(self, row, content: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """``95`` | ``%`` under one merged 指标值 header: the unit cell (no header of its own) joins the value."""
        hdr = self.header
        mapped = {*hdr.slots.values(), hdr.l1, hdr.l2, hdr.l3}
        out: list[tuple[int, str]] = []
        for c, t in content:
            if out and c not in mapped and not hdr.labels.get(c) and out[-1][0] == c - 1 and _UNIT_LIKE.fullmatch(t):
                out[-1] = (out[-1][0], out[-1][1] + t)
                self.note(row, "joined", f"第{c + 1}列没有表头（合并在左边的表头下），“{t}”是单位，并入“{out[-1][1]}”")
                continue
            out.append((c, t))
        return out

    def _assign(self, row, rec: dict, assignment, extras: list, tie: bool) -> None:
        hdr = self.header
        moved = []
        for (c, text), slot in assignment:
            if slot == "weight":
                w = _WEIGHT.fullmatch(text)
                if not w:
                    self.note(row, "ambiguous", f"分值“{text}”不是数字，移到备注", review=True)
                    extras.append((c, text))
                    continue
                rec["weight"] = float(w.group(1))
            else:
                rec[slot] = text
            if c != hdr.slots[slot]:
                moved.append(f"“{text}”从第{c + 1}列（{self._col_name(c)}）归入{FIELD_NAMES[slot]}")
        if moved:
            self.note(row, "shift", "；".join(moved))
        if tie:
            self.note(row, "ambiguous", "指标值应放进哪一列无法确定，按最可能的位置放置："
                      + "；".join(f"{FIELD_NAMES[s]}=“{t}”" for (_c, t), s in assignment), review=True)
        if extras:
            extra = "；".join(t for _c, t in extras)
            rec["note"] = (f"{rec['note']}；" if rec["note"] else "") + f"原文多余单元格：{extra}"
            self.note(row, "extra", f"多出的单元格“{extra}”放不进任何列，记入备注", review=True)

    def finish(self, row, rec: dict) -> None:
        """Names and targets as data: one-line names, joined targets, OCR repairs; actuals set aside."""
        hdr = self.header
        name = re.sub(r"\s*\n\s*", "", str(rec["level3"]))
        if hdr.no_level3:
            name, value = split_name_value(name)
            rec["annual_value"] = value or name
            if not value:
                self.note(row, "missing", f"“{name}”中分不出指标名称和指标值，两者都按原文导入", review=True)
        target = str(rec.get("annual_value") or "")
        holder = _PLACEHOLDER.search(name)
        if holder and fill_placeholder(holder.group(), target) != target:
            self.note(row, "placeholder", f"三级指标“{name}”中的模板占位“{holder.group()}”与指标值“{target}”都按原文保留："
                      f"评分时指标值按占位中的比较符号和单位理解（“{fill_placeholder(holder.group(), target)}”）")
        rec["level3"] = name
        unit = header_unit(hdr.labels.get(hdr.slots.get("annual_value", hdr.l3), ""))
        if unit and re.fullmatch(r"[\d.,]+", target):
            self.note(row, "joined", f"指标值“{target}”按表头的单位读作“{target}{unit}”")
            target += unit
        if "nature" in hdr.slots or "unit" in hdr.slots:
            unit_cell = str(rec.pop("unit", "") or "")
            if re.fullmatch(r"[\d,.]+", unit_cell.strip()):
                self.note(row, "ambiguous", f"度量单位“{unit_cell}”是数字，不是单位（可能是日期序列号），按原文连写", review=True)
            nature = str(rec.pop("nature", "") or "")
            joined = join_target(nature, target, unit_cell)
            if joined != target:
                parts = "、".join(p for p, v in (("指标性质", nature), ("指标值", target), ("度量单位", unit_cell)) if v)
                self.note(row, "joined", f"{parts}连成“{joined}”")
            target = joined
        for key, text in (("annual_value", target), ("period_value", str(rec.get("period_value") or ""))):
            fixed = repair_ocr(text)
            if fixed != text:
                self.note(row, "ocr", f"指标值“{text}”有识别错误的字符，按“{fixed}”读取", review=True)
            rec[key] = fixed
        desc = str(rec.pop("description", "") or "")
        if desc:
            rec["note"] = f"指标描述：{desc}" + (f"；{rec['note']}" if rec["note"] else "")
        actual = {k: str(rec.pop(k, "") or "") for k in ("actual", "score", "reason")}
        if any(actual.values()):
            rec["_actual"] = actual
        for k in [k for k in rec if k not in ("level3", "period_value", "annual_value", "weight", "note",
                                               "_actual", "criteria", "level1_original")]:
            if k not in ("project", "level1", "level2", "source"):
                rec.pop(k)

    def _duplicates(self) -> None:
        seen: dict[str, list[dict]] = {}
        for rec in self.indicators:
            seen.setdefault(squeeze(str(rec["level3"])), []).append(rec)
        for name, recs in seen.items():
            if name and len(recs) > 1:
                lines = "、".join(str(r["source"]).rsplit(":", 1)[-1] for r in recs)
                first = self.rows[0]
                self.note(None, "duplicate", f"三级指标“{name}”在本项目中出现 {len(recs)} 次，均按原文导入；"
                          "请对照原件确认是否重复", review=True, where=place(first.file, first.sheet, f"第{lines}行"))
