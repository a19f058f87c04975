"""The vocabulary of 一级/二级 indicator names (``rules/language/levels.yaml``).

Tables from different templates and regions name the same levels slightly differently, PDF
extraction splits them (``满意度指 标``) and some tables write points or alternatives into the
label (``产出指标(50分)``, ``数量指标(或建筑规模指标)``). :func:`canonical` recognises a cell as a
level name by meaning; :func:`looks_like_label` recognises a 二级 name that is not listed by its shape.

A region's new name is a line in ``rules/language/levels.yaml``; the importer, ``score check`` and
the rubric read nothing else.

>>> canonical("满意度指 标"), canonical("产出指标(50分)"), canonical("数量指标(或建筑规模指标)")
('满意度指标', '产出指标', '数量指标')
>>> points("效益指标（30分）"), points("效益指标")
(30.0, None)
>>> looks_like_label("预期产出指标"), looks_like_label("受益学生人数")
(True, False)
"""

from __future__ import annotations

import re

from scoring.language.normalize import squeeze
from scoring.language.vocabulary import load

_DATA = load("levels")

# 一级 → its 二级 names, in template order.
LEVEL2: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _DATA["level2"].items()}
LEVEL1: tuple[str, ...] = tuple(LEVEL2)
# Other spellings seen in tables (after whitespace removal) → the canonical name.
ALIASES: dict[str, str] = dict(_DATA.get("aliases") or {})

ALL_LEVEL2: frozenset[str] = frozenset(n for names in LEVEL2.values() for n in names)
# Names that are both a 一级 and a 二级: decided by context (see the importer).
AMBIGUOUS = frozenset(set(LEVEL1) & ALL_LEVEL2)
PARENT: dict[str, str] = {}
for _l1, _names in LEVEL2.items():
    for _n in _names:
        PARENT.setdefault(_n, _l1)

SATISFACTION = "满意度指标"

_POINTS = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_ALTERNATIVE = re.compile(r"[(（]或[^()（）]*[)）]")


def points(text: str) -> float | None:
    """The points written in a label (``产出指标(50分)`` → 50), or None."""
    m = _POINTS.search(squeeze(text))
    return float(m.group(1)) if m else None


def bare(text: str) -> str:
    """A label without white space, points and bracketed alternatives."""
    return _ALTERNATIVE.sub("", _POINTS.sub("", squeeze(text)))


def canonical(text: str) -> str | None:
    """The canonical level name a cell stands for, or None when it is no level name."""
    s = bare(text)
    if not s:
        return None
    if s in LEVEL2 or s in ALL_LEVEL2:
        return s
    return ALIASES.get(s) or ALIASES.get(s.replace("(", "（").replace(")", "）"))


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
