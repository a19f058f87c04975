"""A document's rows as tables: where each table starts, its project information, its indicator header.

A table starts at a title row (``2024年度项目支出绩效目标表``, ``# 项目绩效目标表``) or at a second
项目名称 row (several projects on one sheet), and never runs across a sheet or a file. Above its
indicator header (:func:`scoring.importer.headers.find_header`) come the meta block (项目名称,
主管部门, 实施单位, 资金 rows, goals), read as label → value pairs wherever they stand in a row;
below it the indicator rows (:mod:`scoring.importer.placement`) until the trailer rows (合计, 签章…).
Whatever a row is, it is never dropped silently: every row not imported is a finding.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from scoring.findings import INFO, WARNING, Finding, place
from scoring.importer.bycontent import content_header
from scoring.importer.headers import (
    FIELD_NAMES,
    SHAPE_PRIORITY,
    Header,
    find_header,
    is_subheader,
    label,
    meta_field,
    vocabulary,
)
from scoring.importer.indents import read_levels
from scoring.importer.linekinds import is_info_line, is_title, is_trailer
from scoring.importer.meta import MetaRows
from scoring.importer.placement import IndicatorRows
from scoring.importer.roles import level_like, refine
from scoring.importer.sources import Row, align, measure
from scoring.importer.stacked import ProjectRows
from scoring.language import levels
from scoring.language.normalize import clean

_BRACKET = re.compile(r"^\s*[(（][^()（）]*[)）]\s*$")


def nonempty(row: Row) -> list[tuple[int, str]]:
    return [(c, t.strip()) for c, t in enumerate(row.cells) if t and t.strip()]


def is_heading(row: Row) -> bool:
    """A table's title: ``# 项目绩效目标表`` (Markdown from extraction) or a lone title cell."""
    cells = nonempty(row)
    return len(cells) == 1 and is_title(cells[0][1])


def _is_other_heading(row: Row) -> bool:
    """A Markdown heading that is not a table title (``# 附件2``): it ends the current table."""
    cells = nonempty(row)
    return len(cells) == 1 and cells[0][0] == 0 and cells[0][1].startswith("#") and not is_heading(row)


def _starts_project(row: Row, rows: Sequence[Row] = (), n: int = 0) -> bool:
    """A 项目名称 row, or a lone unit-code line (``207101天津市河北区人民法院``) with an indicator header
    in the next rows: the head of that unit's table."""
    cells = nonempty(row)
    if not cells:
        return False
    if meta_field(cells[0][1]) == "project":
        return True
    if not is_info_line([t for _c, t in cells]):
        return False
    below = [k for k in range(n + 1, min(len(rows), n + 12)) if nonempty(rows[k])][:4]
    return any(_is_header(rows, k) for k in below)


def _is_header(rows: Sequence[Row], i: int) -> bool:
    below = next((r for r in rows[i + 1:i + 3] if nonempty(r)), None)
    return find_header(list(rows[i].cells), list(below.cells) if below else None) is not None


def split_tables(rows: Sequence[Row]) -> list[list[Row]]:
    """Tables in document order: a table starts at a title or at a second 项目名称 row, within one sheet."""
    tables: list[list[Row]] = []
    current: list[Row] | None = None
    has_name = False
    sheet = None
    loose: list[Row] = []   # a sheet's rows while no table has started in it

    def flush() -> None:   # a sheet where nothing starts a table is read as one (its header by content)
        if loose and len(tables) == count and any(nonempty(r) for r in loose):
            tables.append(list(loose))
        loose.clear()

    count = 0
    for n, row in enumerate(rows):
        if (row.file, row.sheet) != sheet:
            flush()
            sheet, current, has_name, count = (row.file, row.sheet), None, False, len(tables)
        if current is None:
            loose.append(row)
        if is_heading(row):
            if current is None or has_name or any(nonempty(r) for r in current[1:]):
                current = [*_head_of_next(current), row]
                tables.append(current)
                has_name = False
            continue
        if _is_other_heading(row):
            current = None
            continue
        if _starts_project(row, rows, n):
            if current is None or has_name:
                current = _head_of_next(current)
                tables.append(current)
            has_name = True
        elif current is None and nonempty(row) and _is_header(rows, n):
            current = []   # an indicator table without title or 项目名称 above it
            tables.append(current)
            has_name = True  # a 项目名称 row below it starts the next table
        if current is not None:
            current.append(row)
    flush()
    return tables


def _cells(row: Row) -> list[str]:
    return [re.sub(r"\s", "", c) for c in row.cells]


MAX_HEAD_ROWS = 4   # lines above a table's title or 项目名称 row that are its own (附件1, a second title line)


def _head_of_next(current: list[Row] | None) -> list[Row]:
    """The last rows of a sheet's table before the next table starts, when an empty row parts them from it: the
    next table's own lines above its title or 项目名称 row (``附件2``, a title the vocabulary does not know),
    taken off ``current``. Only in a grid (a spreadsheet or a Word table), where an empty row is a row."""
    if not current:
        return []
    k = len(current)
    while k > 0 and nonempty(current[k - 1]):
        k -= 1
    moved = current[k:]
    if (k == 0 or not moved or len(moved) > MAX_HEAD_ROWS or not all(r.grid or len(nonempty(r)) == 1 for r in moved)
            or not any(nonempty(r) for r in current[:k]) or not any(r.grid for r in current)
            or any(_is_header(moved, j) for j in range(len(moved)))):
        return []
    del current[k:]
    return moved


@dataclass
class _State:
    l1: str | None = None
    l2: str | None = None
    l1_written: str = ""      # the 一级 as written when it is not the national name (level1_original)


@dataclass
class _Goals:
    texts: dict[str, list[str]] = field(default_factory=lambda: {"period_goal": [], "annual_goal": [], "done": []})
    columns: dict[int, str] = field(default_factory=dict)  # column of a goal label → which goal
    mode: str | None = None


class Table(MetaRows, IndicatorRows, ProjectRows):
    """Parses one table's rows into a project record and indicator records, noting every repair.

    ``shared``: the first rows are shared with another table read before (the title and header over several
    projects, :mod:`scoring.importer.stacked`): what they say is reported there, not again."""

    def __init__(self, rows: list[Row], year: int, shared: int = 0):
        self.rows = rows
        self.starts = []
        self.tree_roles: dict[int, str] = {}
        self._muted = {r.ref for r in rows[:shared]}
        self.year = year
        self.project: dict[str, object] = {}
        self.indicators: list[dict[str, object]] = []
        self.findings: list[Finding] = []
        self.header: Header | None = None
        self.header_row: Row | None = None
        self.state = _State()
        self.carried: list[int] = []
        self.level_points: dict[str, float] = {}
        self.after_trailer = False
        self.wan_yuan = False
        self.goals = _Goals()
        self.measure = "offsets"
        self.level1_seen: set = set()
        self.block_labels: dict[int, str] = {}   # column → 中期/年度 of a label row above the header   # names already reported in this table (once is enough)

    @property
    def where(self) -> str:
        return self.rows[0].where if self.rows else ""

    # -- recording ------------------------------------------------------------------------
    def note(self, row: Row | None, kind: str, message: str, review: bool = False, source: bool = True,
             where: str | None = None) -> None:
        if row is not None and row.ref in self._muted:
            return
        text = message + (f"（原文：{row.text}）" if row is not None and source and row.text else "")
        where = where or (row.where if row is not None else place(self.where, "指标部分"))
        f = Finding(where, text, WARNING if review else INFO, code=kind)
        if f not in self.findings[-4:]:  # the same LaTeX in the period and annual cells: once
            self.findings.append(f)

    def cleaned(self, row: Row) -> list[tuple[int, str]]:
        out = []
        for c, raw in enumerate(row.cells):
            if not raw or not raw.strip():
                continue
            text, notes = clean(raw)
            for n in notes:
                self.note(row, "latex" if "LaTeX" in n else "markup", n, review="无法还原" in n)
            if text:
                out.append((c, text))
        return out

    # -- driver ---------------------------------------------------------------------------
    def parse(self) -> None:
        i, section = 0, "meta"
        fallback = self._header_by_content()
        while i < len(self.rows):
            row = self.rows[i]
            if not nonempty(row) or (i == 0 and is_heading(row)):
                i += 1
                continue
            j = next((k for k in range(i + 1, len(self.rows)) if nonempty(self.rows[k])), None)
            hdr = find_header(list(row.cells), list(self.rows[j].cells) if j is not None else None)
            if hdr is None and fallback and fallback[0] == i:
                hdr = fallback[1]
                self.note(row, "columns", fallback[2], review=True, source=False)
            if hdr is not None and self.header_row is not None and _cells(row) == _cells(self.header_row):
                self.note(row, "title", "分页后重复的表头行，不是指标；按前面的表头继续读取")
                i = (j if hdr.rows == 2 else i) + 1   # the same columns: what they were read as stands
                continue
            if hdr is not None:  # the header; again after a page break: the same table goes on
                if self.header is not None:
                    self.note(row, "title", "又一行指标表头（如分页后重复的表头），按新的表头继续读取")
                self.measure = measure(row, self.rows[i + 1:i + 40])
                hdr.offsets = getattr(row, self.measure)
                self.header, self.header_row, section = hdr, row, "indicators"
                self.after_trailer = False
                i = (j if hdr.rows == 2 else i) + 1
                goals = {c: g for c, g in self.goals.columns.items() if g in ("period_goal", "annual_goal")}
                goals.update(self.block_labels)
                for text, review in refine(hdr, self._body(i), goals, self.year, row.grid):
                    self.note(row, "columns", text, review=review, source=False)
                shaped = shaped_columns(hdr)
                if shaped:
                    self.note(row, "columns", shaped, review=True, source=False)
                if hdr.no_value:
                    self.note(row, "missing", "这张表没有指标值（目标值）列，只有分值、评分标准等评价用的列（评价表）："
                              "各指标的当年度指标值留空，请对照绩效目标表补上", review=True, source=False)
                if not hdr.has_levels and row.grid:   # levels by indentation in the one name column
                    values = [c for f, c in hdr.slots.items() if f in ("annual_value", "period_value")]
                    self.tree_roles, text, review = read_levels(self.rows, i, hdr.l3, values)
                    if review and self.project.get("project") and "project" in self.tree_roles.values():
                        self.tree_roles = {k: "heading" for k, r in self.tree_roles.items() if r in ("unit", "project")}
                        text = "第一个一级指标之前只有名称的行（表上方已有项目名称）：作标题行，不是指标"
                    if text:
                        self.note(row, "section", text, review=review, source=False)
                continue
            if section == "meta":
                self.meta_section_row(row)
            elif is_subheader([_BRACKET.sub("指标值", t) for t in row.cells]):
                for c, t in nonempty(align(row, self.header.offsets, self.measure)):
                    self.header.labels[c] = self.header.labels.get(c, "") + t
                self.note(row, "title", "表头的续行（折行的列名），并入表头，不是指标")
            else:
                row, i = self._continued(align(row, self.header.offsets, self.measure), i)
                self.row_project(row, i)
                if i in self.tree_roles:
                    self.tree_row(row, i, self.tree_roles[i])
                else:
                    self.indicator_row(row, i)
            i += 1
        self._close()

    def _header_by_content(self):
        """When no row of a grid table is a header by its words: (row index, header, sentence) by content."""
        if not any(r.grid for r in self.rows) or any(nonempty(r) and _is_header(self.rows, k)
                                                     for k, r in enumerate(self.rows)):
            return None
        return content_header([list(r.cells) for r in self.rows])

    def _body(self, start: int) -> list[list[str]]:
        """The cells of the indicator rows below the header (up to the trailer), for :func:`refine`;
        lone level names (section rows) left out."""
        out: list[list[str]] = []
        for k in range(start, min(len(self.rows), start + 300)):
            r = self.rows[k]
            cells = nonempty(r)
            if not cells:
                continue
            if is_heading(r) or _starts_project(r, self.rows, k) or is_trailer(cells[0][1]) or _is_header(self.rows, k):
                break
            if len({t for _c, t in cells}) == 1 and level_like(cells[0][1]):
                continue
            out.append(list(align(r, self.header.offsets, self.measure).cells))
        return out

    def _continued(self, row: Row, i: int) -> tuple[Row, int]:
        """Lines of extracted text that continue the row above (a cell's text wrapped onto the next line:
        ``满意度指`` / ``标``, ``信息化系统持续`` / ``使用年限``): joined into one row."""
        while i + 1 < len(self.rows) and self.rows[i + 1].offsets is not None:
            nxt = align(self.rows[i + 1], self.header.offsets, self.measure)
            parts = nonempty(nxt)
            if not parts or not self._wraps(row, parts):
                break
            cells = list(row.cells) + [""] * max(0, len(nxt.cells) - len(row.cells))
            for c, t in parts:
                cells[c] += t
            self.note(row, "split", f"第{nxt.line}行是这一行的续行（单元格内容折行），并入这一行："
                      + "、".join(f"“{cells[c]}”" for c, _t in parts), source=False)
            row, i = replace(row, cells=tuple(cells)), i + 1
        return row, i

    def _wraps(self, row: Row, parts: list[tuple[int, str]]) -> bool:
        hdr = self.header
        cur = dict(nonempty(row))
        if any(c not in cur or is_trailer(t) or levels.canonical(t) for c, t in parts):
            return False
        labels = [(c, t) for c, t in parts if c in (hdr.l1, hdr.l2) and c < hdr.l3]
        if labels and (not all(levels.canonical(cur[c] + t) for c, t in labels)
                       or all(levels.canonical(cur[c]) for c, _t in labels)):
            return False
        cols = {c for c, _t in parts}
        values = {hdr.slots.get("annual_value"), hdr.slots.get("period_value")}
        return not (hdr.l3 in cols and cols & values)

    def _close(self) -> None:
        self._muted = set()
        heading = self.rows[0]
        if not self.project.get("project"):
            self._unnamed(heading)
        if any(not (r["level1"] or r["level2"]) for r in self.indicators) and self.header is not None and self.header.has_levels:
            self.note(heading, "missing", "有的指标行一级、二级指标列是空的（没有写层级名称，上方也没有）：这些指标的一级、二级指标留空，"
                      f"请在 indicators.csv 中填写 level1（{'、'.join(levels.LEVEL1)}）", review=True, source=False)
        elif any(not r["level1"] for r in self.indicators) and self.header is not None:
            self.note(heading, "missing", "这张表没有一级、二级指标列，也没有分节行：没有一级指标的指标其一级、二级指标留空，"
                      f"请在 indicators.csv 中填写 level1（{'、'.join(levels.LEVEL1)}）", review=True, source=False)
        self.project["period_goal"] = "".join(self.goals.texts["period_goal"])
        self.project["annual_goal"] = "".join(self.goals.texts["annual_goal"])
        if self.header is None:
            self.note(heading, "missing", "这张表没有指标表头（一行中要有“一级指标”“三级指标”等名称列，以及“指标值”"
                      "“目标值”等指标值列），没有导入任何指标", review=True, source=False)
        for fld, text in (("type", "项目类型"), ("department", "主管部门"), ("unit", "实施单位/用款单位")):
            if not self.project.get(fld):
                self.note(heading, "meta", f"没有找到“{text}”", review=fld != "type", source=False)
        if self.project.get("budget") is None:
            self.note(heading, "meta", f"没有找到{self.year}年预算金额（资金总额）", review=True, source=False)
        if self.carried:
            lines = "、".join(str(n) for n in self.carried)
            self.note(None, "carry", f"这些行没有写一级/二级指标，沿用上方的名称（合并单元格）：第{lines}行")
        for name, pts in self.level_points.items():
            self.note(None, "points", f"一级指标“{name}”标注了 {pts:g} 分（记在导入报告中；各指标的分值以分值列为准）")
        self._duplicates()

    def _unnamed(self, heading: Row) -> None:
        """No 项目名称: a 部门整体 table is the department's (or unit's); any other keeps its title, flagged."""
        title = next((t for r in self.rows[:3] for _c, t in nonempty(r) if is_title(t)), "")
        owner = self.project.get("department") or self.project.get("unit")
        whole = any(w in label(title) for w in vocabulary()["department_titles"])
        self.project.setdefault("source", heading.ref)
        if owner and (whole or not title):
            self.project["project"] = owner
            self.note(heading, "meta", f"{'部门（单位）整体的表' if whole else '这张表'}没有“项目名称”，"
                      f"以部门（单位）“{owner}”为项目", review=not whole, source=False)
            return
        name = re.sub(r"^#\s*", "", title) or heading.file
        self.project["project"] = name
        self.note(heading, "meta", f"这张表没有“项目名称”行，项目名称暂用“{name}”，请改成真实的项目名称",
                  review=True, source=False)


def shaped_columns(hdr: Header) -> str:
    """The import report's sentence on the columns a header read by their shape, not by a vocabulary word ("" if none).

    >>> from scoring.importer.headers import header_of
    >>> shaped_columns(header_of(["一级指标", "二级指标", "三级绩效指标", "指标值"]))
    '表头的列名不在词表中，按构词认定：第3列“三级绩效指标”→三级指标；请核对，常用列名可加到 rules/language/headers.yaml'
    """
    used = {hdr.l1: "level1", hdr.l2: "level2", hdr.l3: "level3"} | {c: f for f, c in hdr.slots.items()}
    named = [f"第{c + 1}列“{hdr.labels.get(c, '')}”→{FIELD_NAMES.get(used[c], used[c])}"
             for c, (_f, p) in sorted(hdr.fields.items()) if p >= SHAPE_PRIORITY and c in used and c >= 0]
    return ("表头的列名不在词表中，按构词认定：" + "，".join(named) + "；请核对，常用列名可加到 rules/language/headers.yaml"
            if named else "")
