"""Several projects under one indicator header: a unit's sheet that lists every indicator row with its
项目名称 (and 单位名称, 预算数, 年度目标) in columns left of the levels, or a tree whose project headings stand
between the indicator rows. Each row's project is read from the row; the table is then read again as one
table per project (:func:`split_projects`), each with the rows above the first project (title, header).

A mixin of :class:`scoring.importer.tables.Table`: :meth:`ProjectRows.row_project` reads a row's project,
:attr:`ProjectRows.starts` records where each project begins.
"""

from __future__ import annotations

import re

from scoring.importer.headers import ROW_META_NAMES
from scoring.targets.model import fmt_weight

_AMOUNT = re.compile(r"^[¥￥]?\s*(\d[\d,，]*(?:\.\d+)?)\s*(万元|万|元)?$")


class ProjectRows:
    """The project of each indicator row (mixed into :class:`scoring.importer.tables.Table`)."""

    starts: list[tuple[int, str]]   # (row index, project name) where a project begins, in row order

    def row_project(self, row, idx: int) -> None:
        """Read the project information a row carries in the header's project columns (项目名称 | 预算数 | …)."""
        hdr = self.header
        if not hdr.row_meta:
            return
        values = {f: row.cells[c].strip() for c, f in hdr.row_meta.items() if c < len(row.cells) and row.cells[c].strip()}
        name = values.get("project")
        if name and not (self.starts and self.starts[-1][1] == name):
            self.begin_project(row, idx, name, values, "项目信息写在指标表头左侧的列里，按行读取")

    def tree_row(self, row, idx: int, role: str) -> None:
        """A name-only row of a one-column tree (:mod:`.indents`): the unit, a project, a 一级 or a 二级."""
        name = row.cells[self.header.l3].strip()
        if role == "project":
            self.begin_project(row, idx, name, {}, "这一行是项目名称（名称列中一级指标之上的一层）")
        elif role == "heading":
            self.note(row, "skip", f"“{name}”在第一个一级指标之前，只有名称，作标题行，不是指标", review=True)
        elif role == "unit":
            if not (self.project.get("unit") or self.project.get("department")):
                self.project["unit"] = name
            self.note(row, "meta", f"这一行是单位名称“{name}”（名称列中项目之上的一层），记为实施单位，不是指标", source=False)
        else:
            self.tree_level(row, role, name)

    def begin_project(self, row, idx: int, name: str, values: dict[str, str], how: str) -> None:
        """A project begins at this row; the first one is this table's, the others are read as their own tables."""
        self.starts.append((idx, name))
        if len(self.starts) > 1:
            return   # another project: read as its own table (split_projects)
        before = self.project.get("project")
        self.project["project"], self.project["source"] = name, row.ref
        read = [f"{ROW_META_NAMES['project']}“{name}”"]
        for fld in ("department", "unit"):
            if values.get(fld):
                self.project[fld] = values[fld]
                read.append(f"{ROW_META_NAMES[fld]}“{values[fld]}”")
        if values.get("budget"):
            head = next((self.header.labels.get(c, "") for c, f in self.header.row_meta.items() if f == "budget"), "")
            self._row_budget(row, values["budget"], read, "万元" in head)
        for fld in ("annual_goal", "period_goal"):
            if values.get(fld):
                self.goals.texts[fld] = [values[fld]]
                read.append(ROW_META_NAMES[fld])
        self.note(row, "meta", f"{how}：" + "、".join(read)
                  + (f"（表上方的项目名称“{before}”不用）" if before and before != name else ""), source=False)

    def _row_budget(self, row, text: str, read: list[str], wan: bool) -> None:
        m = _AMOUNT.match(text)
        if not m:
            self.note(row, "meta", f"预算金额“{text}”不是金额，未导入", review=True, source=False)
            return
        amount = float(m.group(1).replace(",", "").replace("，", ""))
        if (m.group(2) or "").startswith("万") or (not m.group(2) and (wan or self.wan_yuan)):
            amount *= 10000
        self.project["budget"] = amount
        read.append(f"{ROW_META_NAMES['budget']} {fmt_weight(amount)} 元")


def split_projects(table, make) -> list:
    """The table as one table per project when its rows carry several projects, else ``[table]``.

    ``make(rows, shared)`` parses rows as a table whose first ``shared`` rows (the title, the header and what
    stands above the first project) are shared with the other parts: their findings are kept only in the first.
    """
    starts = getattr(table, "starts", [])
    if len(starts) < 2:
        return [table]
    prefix = table.rows[:starts[0][0]]
    bounds = [s for s, _n in starts] + [len(table.rows)]
    parts = []
    for k in range(len(starts)):
        part = make(prefix + table.rows[bounds[k]:bounds[k + 1]], len(prefix) if k else 0)
        parts.append(part)
    return parts
