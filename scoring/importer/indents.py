"""Levels given by indentation alone: one name column holding the unit, the project, the 一级, the 二级 and the
三级 names, told apart only by how far each is indented (a budget system's 批复表 exported as ``项目 | 指标值``).

Every reader writes an indent as the leading white space a person sees: spaces and full-width spaces kept in
the text, an Excel alignment indent or a Word paragraph indent as one full-width space per character
(:mod:`.spreadsheets`, :mod:`.biff`, :mod:`.docx`). A PDF's table cells keep no indent, and a text split at
spaces has its own column positions: there the levels come from the names alone (:func:`by_position`).

:func:`tree` reads the depths of the rows of a table with no 一级/二级 columns: the rows with a target are the
leaves; the rows with a name only and less indented are groups. The depth whose names are 一级 names (产出指标…)
is the 一级, the depth below it the 二级, the depths above it the project and, further out, the unit. Without
a 一级 name to anchor it, the deepest group is the 二级 and the next the 一级.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass

from scoring.language import levels

ROLE_NAMES = {"unit": "单位", "project": "项目", "level1": "一级指标", "level2": "二级指标"}
_WIDTH = {" ": 1, "\u00a0": 1, "\u3000": 2, "\t": 4}


def depth(text: str) -> int:
    """The indent of a cell: the display width of its leading white space.

    >>> depth("  产出指标"), depth("\\u3000\\u3000数量指标"), depth("疫苗使用率")
    (2, 4, 0)
    """
    n = 0
    for ch in text:
        if ch not in _WIDTH:
            break
        n += _WIDTH[ch]
    return n


@dataclass
class Tree:
    roles: dict[int, str]   # row index → unit, project, level1 or level2 (name-only rows)
    depths: dict[str, int]  # role → depth, for the report
    anchored: bool          # the 一级 depth was found by its names


def _level1_name(text: str) -> bool:
    return levels.national_level1(text)[1] in ("same", "alias") and levels.canonical(text) not in levels.AMBIGUOUS


def _level2_name(text: str) -> bool:
    return levels.canonical(text) in levels.ALL_LEVEL2


def tree(rows: list[tuple[int, str, bool]]) -> Tree | None:
    """``rows``: (row index, the name cell as written, whether the row has a target) of the indicator rows.

    None when the name column has no indentation to read (every row at one depth, or the groups no less
    indented than the leaves).

    >>> t = tree([(0, " 某单位", False), (1, "  某项目", False), (2, "   产出指标", False), (3, "    数量指标", False),
    ...           (4, "     培训人数", True), (5, "   效益指标", False), (6, "    社会效益指标", False), (7, "     受益面", True)])
    >>> t.roles, t.anchored
    ({0: 'unit', 1: 'project', 2: 'level1', 3: 'level2', 5: 'level1', 6: 'level2'}, True)
    """
    if not rows:
        return None
    leaves = [depth(raw) for _i, raw, has in rows if has]
    if not leaves or len({depth(raw) for _i, raw, _h in rows}) < 2:
        return None
    leaf = min(leaves)
    groups = [(i, raw) for i, raw, has in rows if not has and depth(raw) < leaf]
    found = sorted({depth(raw) for _i, raw in groups}, reverse=True)   # deepest first
    if not found:
        return None
    ones = Counter(depth(raw) for _i, raw in groups if _level1_name(raw))
    anchored = bool(ones)
    if anchored:
        d1 = ones.most_common(1)[0][0]
        below = [d for d in found if d > d1]
        above = [d for d in found if d < d1]
        by_depth = {d1: "level1", **{d: "level2" for d in below}}
    else:
        twos = [d for d in found if sum(_level2_name(raw) for _i, raw in groups if depth(raw) == d)]
        if len(found) == 1:
            by_depth = {found[0]: "level2" if twos else "level1"}
            above = []
        else:
            by_depth = {found[0]: "level2", found[1]: "level1"}
            above = found[2:]
    if above:
        by_depth[above[0]] = "project"
        by_depth.update({d: "unit" for d in above[1:]})
    roles = {i: by_depth[depth(raw)] for i, raw in groups}
    return Tree(roles, {r: d for d, r in sorted(by_depth.items(), reverse=True)}, anchored)


def by_position(rows: list[tuple[int, str, bool]]) -> dict[int, str]:
    """Without indentation: the name-only rows above the first 一级 name, before any leaf, are headings — the
    last of them the project, those above it the unit; after them, a name-only row right above a 一级 name
    begins the next project. Nothing when a leaf comes first (a leaf with no target is no heading).

    >>> by_position([(0, "某单位", False), (1, "甲项目", False), (2, "产出指标", False), (3, "培训人数", True),
    ...              (4, "乙项目", False), (5, "效益指标", False), (6, "受益面", True)])
    {0: 'unit', 1: 'project', 4: 'project'}
    >>> by_position([(0, "培训人数", True), (1, "产出指标", False)])
    {}
    """
    heads: list[int] = []
    for i, raw, has in rows:
        if has:
            return {}
        if _level_name(raw):
            break
        heads.append(i)
    else:
        return {}
    roles = {i: ("project" if k == len(heads) - 1 else "unit") for k, i in enumerate(heads)}
    for (i, raw, has), (_j, nxt, _h) in itertools.pairwise(rows[len(heads):]):
        if not has and not _level_name(raw) and _level1_name(nxt):
            roles[i] = "project"   # the tree goes on with the next project: a name-only row right above a 一级
    return roles


def _level_name(text: str) -> bool:
    return bool(levels.canonical(text)) or levels.looks_like_label(text)


def name_rows(rows, start: int, name_col: int, value_cols: list[int]) -> list[tuple[int, str, bool]]:
    """(row index, name cell as written, has a target) for the rows from ``start`` up to the first trailer."""
    from scoring.importer.linekinds import is_trailer

    out = []
    for k in range(start, len(rows)):
        cells = rows[k].cells
        raw = cells[name_col] if name_col < len(cells) else ""
        if not raw.strip():
            continue
        if is_trailer(raw):
            break
        out.append((k, raw, any(c < len(cells) and cells[c].strip() for c in value_cols)))
    return out


def read_levels(rows, start: int, name_col: int, value_cols: list[int]) -> tuple[dict[int, str], str, bool]:
    """The roles of the name-only rows below a header with no level columns, the sentence for the import report,
    and whether a person must check it (headings found by position, without indentation)."""
    found = name_rows(rows, start, name_col, value_cols)
    t = tree(found)
    if t is not None:
        depths = "，".join(f"{ROLE_NAMES[r]}缩进 {d}" for r, d in t.depths.items())
        how = "以一级指标名称所在的缩进为准" if t.anchored else "没有写一级指标名称，按缩进深浅推定"
        return t.roles, f"名称列用缩进区分层级（{depths}；{how}）：只有名称、没有指标值的行按缩进读作单位、项目、一级、二级指标", \
            not t.anchored
    heads = by_position(found)
    if not heads:
        return {}, "", False
    return heads, ("名称列看不出缩进（PDF 等格式不保留单元格内的缩进，或原表没有缩进）：第一个一级指标之前只有名称的行，"
                   "按位置读作单位和项目（最后一行为项目）"), True
