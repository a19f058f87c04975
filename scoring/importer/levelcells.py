"""The 一级/二级 cells that lead an indicator row: a name the vocabulary knows, one it does not but that stands in
the 一级/二级 column (by its shape, or in a true grid beside a 三级 name), a cell holding only its points, a name cut
by a line break, and a level name written after a content cell. A mixin of :class:`.placement.IndicatorRows`.
"""

from __future__ import annotations

import re

from scoring.importer.sections import LevelRows
from scoring.language import levels
from scoring.language.normalize import squeeze

POINTS_ONLY = re.compile(r"[(（]?\d+(?:\.\d+)?分[)）]?")   # a level cell holding only its points: (50分)


def _by_column(text: str, cells: list[tuple[int, str]], l3: int) -> bool:
    """In a true grid, a short wordy cell under the 一级/二级 header with a 三级 name beside it is a level name."""
    s = levels.bare(text)
    return 1 < len(s) <= 20 and not re.search(r"[0-9%％≥≤<>＜＞=]", s) and any(c >= l3 for c, _t in cells)


class LevelCells(LevelRows):
    """The level cells of an indicator row (mixed into :class:`scoring.importer.placement.IndicatorRows`)."""

    def _join_split_labels(self, row, cells: list[tuple[int, str]]) -> list[tuple[int, str, str | None]]:
        hdr = self.header
        items: list[tuple[int, str, str | None]] = []
        i = 0
        while i < len(cells):
            c, t = cells[i]
            if c in (hdr.l1, hdr.l2) and c < hdr.l3 and POINTS_ONLY.fullmatch(squeeze(t)):
                self._points_only(row, c, t)
                i += 1
                continue
            lab = levels.canonical(t)
            if lab is None and c == hdr.l1 < hdr.l3 and levels.bare(t) in levels.ABBREVIATIONS:
                lab = levels.ABBREVIATIONS[levels.bare(t)]   # 产: the column too narrow for 产出指标
                if ("abbreviated", t) not in self.level1_seen:
                    self.level1_seen.add(("abbreviated", t))
                    self.note(row, "unknown", f"一级指标列只写了“{t}”一个字（名称被截断），按“{lab}”读取", review=True)
            if lab and c >= hdr.l3 and (not levels.bare(t).endswith("指标") or (row.grid and c == hdr.l3
                                                                              and not hdr.no_level3)):
                lab = None  # 满意度 in the 三级 column is a name; in a true grid the 三级 column holds names only
            if lab and levels.bare(t) in levels.LEVEL1_ALIASES and c == hdr.l2 != hdr.l1:
                lab = None  # 预期产出指标 written in the 二级 column is that table's 二级 name (read by position)
            if i + 1 < len(cells):
                t2 = cells[i + 1][1]
                joined = levels.canonical(t + t2)
                if joined and levels.canonical(t2) is None and (lab is None or squeeze(t2) in ("指标", "标")):
                    self.note(row, "split", f"名称被拆在两格（第{c + 1}列“{t}”、第{cells[i + 1][0] + 1}列“{t2}”），"
                                            f"按“{joined}”读取")
                    items.append((c, joined, joined))
                    i += 2
                    continue
            if lab is None and c in (hdr.l1, hdr.l2) and c < hdr.l3 and (
                    levels.looks_like_label(t, 20) or (row.grid and _by_column(t, cells, hdr.l3))):
                lab = levels.bare(t)
                level = "一级" if c == hdr.l1 else "二级"
                if ("unknown", lab, level) not in self.level1_seen:   # once a table: the rows below repeat it
                    self.level1_seen.add(("unknown", lab, level))
                    self.note(row, "unknown", f"“{lab}”不在{level}指标词表中，按位置（位于{level}指标列"
                              f"{'，以“指标”结尾' if lab.endswith('指标') else ''}）认作{level}指标；"
                              "常用写法可加到 rules/language/levels.yaml", review=True)
            elif lab and t != lab:
                pts = levels.points(t)
                why = ("被拆开（提取时插入了换行/空格）" if squeeze(t) == lab else
                       f"标注了分值 {pts:g} 分" if pts is not None else
                       "前面有序号" if levels.ENUMERATOR.match(squeeze(t)) else "是词表中的别名")
                if why != "是词表中的别名" or ("alias", t) not in self.level1_seen:
                    self.level1_seen.add(("alias", t))
                    self.note(row, "split", f"名称“{t}”{why}，按“{lab}”读取")
                if pts is not None:
                    self.level_points[lab] = pts
            items.append((c, lab or t, lab))
            i += 1
        return items

    def _levels_empty(self, row) -> bool:
        """Whether the row's 一级 and 二级 cells are empty (or hold only points) in a laid-out table: the unit left
        the level unwritten. Such a row before any level name is read with no level, flagged, not refused.
        (In text cut into cells an empty level cell is only a reading: such a row is still refused.)"""
        hdr = self.header
        return row.grid and not row.cut and all(not (t := (row.cells[c] if 0 <= c < len(row.cells) else "")).strip()
                   or POINTS_ONLY.fullmatch(squeeze(t)) for c in {hdr.l1, hdr.l2} if c < hdr.l3)

    def _points_only(self, row, c: int, t: str) -> None:
        """A 一级/二级 cell that holds only its points (``(50分)``, the name left out): no name, no content;
        the level is then taken from the names beside it (数量指标 → 产出指标)."""
        level = "一级" if c == self.header.l1 else "二级"
        if ("points_only", t, level) not in self.level1_seen:
            self.level1_seen.add(("points_only", t, level))
            self.note(row, "unknown", f"{level}指标列只写了分值“{t}”，没有名称：不作名称，{level}指标按同一行的其他层级名称推定",
                      review=True)

    def _content_before_label(self, row, items, k: int, j: int) -> bool:
        """A level name after a content cell: keep the row as content, or (a level-shaped cell) leave it out."""
        _c, t, _ = items[k]
        lab = items[j][2]
        if levels.looks_like_label(t):
            self.note(row, "unplaced", f"无法识别的指标层级名称“{t}”（它写在“{lab}”的前面），这一行未导入；"
                      "请改成词表中的一级/二级指标名称，或把这个写法加到 rules/language/levels.yaml", review=True)
            return False
        self.note(row, "ambiguous", f"“{lab}”写在三级指标“{t}”之后，不当作层级名称，按原文作为内容", review=True)
        return True
