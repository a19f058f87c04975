"""Levels written as section rows (``一、投入目标`` / ``1.数量目标``), and a 一级 written outside the national
four mapped to the national 一级 it stands for, its text as written kept beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scoring.importer.roles import level_like
from scoring.language import levels
from scoring.language.normalize import squeeze

_CN_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+)")


def section_of(text: str, has_levels: bool) -> tuple[int, str] | None:
    """(1 or 2, the level name as written without its enumerator) when a lone cell is a section row.

    A lone level name with an enumerator is a section in any table; without one, only in a table that
    has no 一级/二级 columns. The level comes from the name when the vocabulary knows it, else from the
    enumerator: 一、 (一) for 一级, 1. 1、 for 二级.

    >>> section_of("一、投入目标", False), section_of("1.数量目标", False), section_of("三、产出目标", True)
    ((1, '投入目标'), (2, '数量目标'), (1, '产出目标'))
    >>> section_of("1.预算投入资金", False), section_of("产出指标", True), section_of("效益目标", False)
    (None, None, (1, '效益目标'))
    """
    s = squeeze(text)
    m = levels.ENUMERATOR.match(s)
    name = s[m.end():] if m else s
    if not name or not level_like(name) or (m is None and has_levels):
        return None
    known = levels.canonical(name)
    if known in levels.LEVEL2 and known not in levels.AMBIGUOUS:
        return 1, name
    if known in levels.ALL_LEVEL2 and known not in levels.AMBIGUOUS:
        return 2, name
    if levels.national_level1(name)[1] in ("same", "alias"):
        return 1, name
    return (1 if m is None or _CN_ENUMERATOR.match(s) else 2), name


@dataclass
class Level1:
    """A 一级 as the targets keep it: the national name (or "" when none fits), the text as written when it
    differs, and the report's sentence on the mapping (with whether a person must review it)."""

    national: str
    written: str
    message: str = ""
    review: bool = False


def map_level1(written: str) -> Level1:
    """The national 一级 for a 一级 as written, with the sentence the import report shows.

    >>> map_level1("产出指标(70分)").written, map_level1("项目完成指标").national, map_level1("二、管理目标").review
    ('', '产出指标', True)
    """
    s = squeeze(written)
    national, how = levels.national_level1(s)
    if how == "same":
        return Level1(national, "")
    if how == "alias":
        return Level1(national, s, f"一级指标“{s}”与全国模板的“{national}”同义，按“{national}”记入一级指标，"
                                   "原文记在 level1_original 列")
    if how == "nearest":
        return Level1(national, s, f"一级指标“{s}”在全国模板中没有同义的一级，按名称归入最接近的“{national}”"
                                   "（原文记在 level1_original 列）；不合适时改 indicators.csv 的 level1，"
                                   "或在 rules/language/levels.yaml 中补充", review=True)
    return Level1("", s, f"一级指标“{s}”对应不到全国模板的一级（{'、'.join(levels.LEVEL1)}），一级指标留空，"
                         "原文记在 level1_original 列；请在 indicators.csv 中填写 level1", review=True)


class LevelRows:
    """Section rows and the 一级 of a row (mixed into :class:`scoring.importer.placement.IndicatorRows`)."""

    def _section(self, row, cells: list[tuple[int, str]]) -> bool:
        """A section row (``一、投入目标``, ``1.数量目标``): sets the 一级 or 二级 of the rows below it."""
        if len({t for _c, t in cells}) != 1:
            return False
        found = section_of(cells[0][1], self.header.has_levels)
        if found is None:
            return False
        level, name = found
        known = levels.canonical(name)
        if (level == 1 and known in levels.AMBIGUOUS and self.state.l1 and self.state.l1 != known
                and getattr(self, "_section_l1_at", None) == len(self.indicators) and levels.level2_fits(self.state.l1, known)):
            level = 2   # 成本指标 right under the 一级 section 产出指标, nothing between: its 二级
            self.note(row, "section", f"“{squeeze(cells[0][1])}”紧接在一级指标“{self.state.l1}”之下，按二级指标读取")
        if level == 1:
            self._section_l1_at = len(self.indicators)
            self._set_level1(row, squeeze(cells[0][1]), levels.canonical(name) or name)
            self.note(row, "section", f"分节行：以下各行的一级指标是“{squeeze(cells[0][1])}”")
        else:
            self._level2(row, levels.canonical(name) or squeeze(cells[0][1]), False)
            self.note(row, "section", f"分节行：以下各行的二级指标是“{squeeze(cells[0][1])}”")
        return True

    def _set_level1(self, row, written: str, lab: str) -> None:
        """The row's 一级: the national name in level1, the text as written when it differs (and why)."""
        mapped = map_level1(written)
        if (mapped.review or not mapped.national) and levels.canonical(lab) in levels.LEVEL2:
            mapped = map_level1(lab)   # a known name split over two cells
        self.state.l1, self.state.l2 = mapped.national, None
        self.state.l1_written = mapped.written
        if mapped.message and mapped.written not in self.level1_seen:
            self.level1_seen.add(mapped.written)
            self.note(row, "level1", mapped.message, review=mapped.review, source=False)

    def tree_level(self, row, role: str, written: str) -> None:
        """A 一级 or 二级 name known by its indent (:mod:`scoring.importer.indents`), whatever the name says."""
        name = levels.canonical(written) or levels.bare(written)
        if role == "level1":
            self._set_level1(row, squeeze(written), name)
            self.note(row, "section", f"按缩进：以下各行的一级指标是“{squeeze(written)}”", source=False)
            return
        if self.state.l1 is None and not levels.PARENT.get(name):
            self.note(row, "unplaced", f"二级指标“{squeeze(written)}”之前没有一级指标，请在原表补上", review=True)
        parent = self.state.l1
        self._level2(row, name, False)
        if parent and self.state.l1 != parent:
            self.note(row, "ambiguous", f"按缩进“{squeeze(written)}”在一级指标“{parent}”之下，按名称却属于“{self.state.l1}”，"
                      "以名称为准", review=True)
        self.note(row, "section", f"按缩进：以下各行的二级指标是“{squeeze(written)}”", source=False)

