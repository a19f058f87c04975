"""The vocabulary of 一级/二级 indicator names (``rules/language/levels.yaml``).

Tables from different templates and regions name the same levels slightly differently, PDF
extraction splits them (``满意度指 标``) and some tables write points or alternatives into the
label (``产出指标(50分)``, ``数量指标(或建筑规模指标)``). :func:`canonical` recognises a cell as a
level name by meaning; :func:`looks_like_label` recognises a 二级 name that is not listed by its shape.

A region's new name is a line in ``rules/language/levels.yaml``; the importer, ``score check`` and
the rubric read nothing else.

>>> canonical("满意度指 标"), canonical("产出指标(50分)"), canonical("数量指标(或建筑规模指标)")
('满意度指标', '产出指标', '数量指标')
>>> canonical("成本指标(0-20)分"), canonical("预期产出指标"), canonical("效益指标（30）")
('成本指标', '产出指标', '效益指标')
>>> points("效益指标（30分）"), points("效益指标30分"), points("效益指标")
(30.0, 30.0, None)
>>> looks_like_label("预期产出指标"), looks_like_label("受益学生人数")
(True, False)
>>> national_level1("项目完成指标"), national_level1("一、投入目标"), national_level1("产出指标(70分)")
(('产出指标', 'alias'), ('成本指标', 'nearest'), ('产出指标', 'same'))
"""

from __future__ import annotations

import re

from scoring.language.normalize import squeeze
from scoring.language.vocabulary import load

_DATA = load("levels")

# 一级 → its 二级 names, in template order.
LEVEL2: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _DATA["level2"].items()}
LEVEL1: tuple[str, ...] = tuple(LEVEL2)
# Other spellings seen in tables (after whitespace removal) → the canonical name; a 一级 written
# outside the national four with the same meaning (项目完成指标 → 产出指标) is one of them.
LEVEL1_ALIASES: dict[str, str] = dict(_DATA.get("level1_aliases") or {})
ALIASES: dict[str, str] = {**dict(_DATA.get("aliases") or {}), **LEVEL1_ALIASES}
# A 一级 with no national synonym: the nearest national 一级 by a word in its name (flagged for review).
NEAREST: tuple[tuple[str, str], ...] = tuple((str(w), str(n)) for w, n in _DATA.get("level1_nearest") or ())
ABBREVIATIONS: dict[str, str] = {str(k): str(v) for k, v in (_DATA.get("level1_abbreviations") or {}).items()}

ALL_LEVEL2: frozenset[str] = frozenset(n for names in LEVEL2.values() for n in names)
# Names that are both a 一级 and a 二级: decided by context (see the importer).
AMBIGUOUS = frozenset(set(LEVEL1) & ALL_LEVEL2)
PARENT: dict[str, str] = {}
for _l1, _names in LEVEL2.items():
    for _n in _names:
        PARENT.setdefault(_n, _l1)

SATISFACTION = "满意度指标"

_POINTS = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]|(?<=指标)(\d{1,3}(?:\.\d+)?)分[)）]?$")
# Points in any other shape: a range ``(0-20)分``, ``（满分20分）``, ``(20)分``.
_POINTS_ANY = re.compile(r"[(（]\s*(?:满分)?\s*\d+(?:\.\d+)?\s*(?:[-–—~～至]\s*\d+(?:\.\d+)?)?\s*分?\s*[)）]\s*分"
                         r"|[(（]\s*(?:满分)?\s*\d+(?:\.\d+)?\s*(?:[-–—~～至]\s*\d+(?:\.\d+)?)?\s*分\s*[)）]"
                         r"|[(（]\s*\d{1,3}(?:\.\d+)?\s*[)）]$|(?<=指标)\d{1,3}(?:\.\d+)?分[)）]?$")   # 效益指标30分): its opening bracket lost
# An enumerator in front of a section or a name: 一、 (一) 1. 1、 （1） 第一部分
ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）][、.．]?|\d+[、.．](?!\d)"
                        r"|第[一二三四五六七八九十\d]+[部分项类]+[、:：]?)")
_ALTERNATIVE = re.compile(r"[(（]或[^()（）]*[)）]")
# A note in brackets after a level name (数量指标(必填硬性指标), 经济效益 指标 (选填)): levels.yaml ``bracket_notes``.
_NOTE = re.compile(r"[(（][^()（）]*(?:" + "|".join(map(re.escape, _DATA.get("bracket_notes") or ["必填"]))
                   + r")[^()（）]*[)）]")


def points(text: str) -> float | None:
    """The points written in a label (``产出指标(50分)`` → 50), or None."""
    m = _POINTS.search(squeeze(text))
    return float(m.group(1) or m.group(2)) if m else None


def bare(text: str) -> str:
    """A label without white space, an enumerator in front (一、 1.), points, bracketed alternatives and notes.

    >>> bare("一、产出指标（50分）"), bare("效益指标30分"), bare("1.预算投入资金"), bare("成本指标(必填硬性指标)")
    ('产出指标', '效益指标', '预算投入资金', '成本指标')
    """
    return _NOTE.sub("", _ALTERNATIVE.sub("", _POINTS_ANY.sub("", ENUMERATOR.sub("", squeeze(text)))))


def canonical(text: str) -> str | None:
    """The canonical level name a cell stands for, or None when it is no level name."""
    s = bare(text)
    if not s:
        return None
    if s in LEVEL2 or s in ALL_LEVEL2:
        return s
    return ALIASES.get(s) or ALIASES.get(s.replace("(", "（").replace(")", "）"))


def national_level1(text: str) -> tuple[str | None, str]:
    """The national 一级 a 一级 name as written stands for, and how it was found: ``same`` (it is one),
    ``alias`` (a synonym in levels.yaml), ``nearest`` (a word of its name, to be reviewed), or (None, "")."""
    s = ENUMERATOR.sub("", bare(text))
    found = canonical(s)
    if found in LEVEL2:
        return found, "same" if found == s else "alias"
    for word, name in NEAREST:
        if word in s:
            return name, "nearest"
    if s in ABBREVIATIONS:   # 产: 产出指标 cut to its first character
        return ABBREVIATIONS[s], "nearest"
    return None, ""


def is_level1(name: str) -> bool:
    return name in LEVEL2


def is_level2(name: str) -> bool:
    return name in ALL_LEVEL2


def level2_fits(level1: str, level2: str) -> bool:
    return level2 in LEVEL2.get(level1, ())


def looks_like_label(text: str, longest: int = 12) -> bool:
    """A cell shaped like a level name (``…指标`` with no digits) though not in the vocabulary."""
    s = bare(text)
    return s.endswith("指标") and 2 < len(s) <= longest and not re.search(r"[0-9%％≥≤<>＜＞]", s)
