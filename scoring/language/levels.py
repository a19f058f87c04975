"""The vocabulary of 一级/二级 indicator names, as data.

Tables from different templates and regions name the same levels slightly differently and
PDF extraction splits them (``满意度指 标``). :func:`level_of` recognises a cell as a level
name by meaning, after removing the whitespace and markup that extraction adds.

Add a region's names here (``LEVEL2`` under its 一级, or ``ALIASES``); the importer and
``score check`` read nothing else.
"""

from __future__ import annotations

import re

from scoring.language.normalize import squeeze

# 一级 → its 二级 names, in template order. 成本指标 is a 二级 under 产出指标 in the older
# national template and a 一级 of its own (经济/社会/生态环境成本) since the 2021 template.
LEVEL2: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
LEVEL1: tuple[str, ...] = tuple(LEVEL2)

# Other spellings seen in tables (after whitespace removal) → the canonical name.
ALIASES: dict[str, str] = {
    "产出": "产出指标",
    "效益": "效益指标",
    "满意度": "满意度指标",
    "成本": "成本指标",
    "数量": "数量指标",
    "质量": "质量指标",
    "时效": "时效指标",
    "经济效益": "经济效益指标",
    "社会效益": "社会效益指标",
    "生态效益": "生态效益指标",
    "环境效益指标": "生态效益指标",
    "生态环境效益指标": "生态效益指标",
    "可持续影响": "可持续影响指标",
    "可持续发展指标": "可持续影响指标",
    "服务对象满意度": "服务对象满意度指标",
    "满意度指标（服务对象）": "服务对象满意度指标",
    "经济成本": "经济成本指标",
    "社会成本": "社会成本指标",
    "生态环境成本": "生态环境成本指标",
}

# Names that are both a 一级 and a 二级: decided by context (see the importer).
AMBIGUOUS = frozenset(set(LEVEL1) & {n for names in LEVEL2.values() for n in names})

ALL_LEVEL2: frozenset[str] = frozenset(n for names in LEVEL2.values() for n in names)
PARENT: dict[str, str] = {}
for _l1, _names in LEVEL2.items():
    for _n in _names:
        PARENT.setdefault(_n, _l1)

SATISFACTION = "满意度指标"

def canonical(text: str) -> str | None:
    """The canonical level name a cell stands for, or None when it is no level name."""
    s = squeeze(text)
    if not s:
        return None
    if s in LEVEL2 or s in ALL_LEVEL2:
        return s
    return ALIASES.get(s)


def is_level1(name: str) -> bool:
    return name in LEVEL2


def is_level2(name: str) -> bool:
    return name in ALL_LEVEL2


def level2_fits(level1: str, level2: str) -> bool:
    return level2 in LEVEL2.get(level1, ())


def looks_like_label(text: str) -> bool:
    """A cell shaped like a level name (``…指标`` with no digits) though not in the vocabulary."""
    s = squeeze(text)
    return s.endswith("指标") and 2 < len(s) <= 12 and not re.search(r"[0-9%％≥≤<>＜＞]", s)
