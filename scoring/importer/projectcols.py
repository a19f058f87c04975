"""One flat table for several projects, its cells apart at single spaces: project columns before the indicator header.

``项目名称 项目单位 项目类别 预算数 年度绩效目标 一级指标 二级指标 三级指标 … 分值`` / ``业务装备经费 776001-… 32-专项资金项目
1,030,700.00 保障…。 满意度指标(10分) 服务对象满意度 …`` / ``质量指标 政府采购率 …`` / … / ``办案(业务)经费 776001-… …``:
the labels before the header on its line are columns of the project (as 项目名称 is in such a spreadsheet); the
first row of each project starts with as many cells, apart at spaces, before its level name. Each project's
rows are read under the header, and carry its cells (merged down, as a spreadsheet of the table would), so the
table reader splits the projects by their 项目名称.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from scoring.findings import INFO, Finding
from scoring.importer.headers import goal_label, label, meta_field, vocabulary
from scoring.importer.piecekinds import info_label, words
from scoring.importer.rows import Row
from scoring.importer.textheader import Source


def project_labels(src: Source, start: int) -> tuple[int, list[str]] | None:
    """Where the project labels before the header at ``start`` begin and what they are, or None: every piece
    on the header's line before it is a label of the project information, and one names the project."""
    line = src.text.rfind("\n", 0, start) + 1
    pieces = src.text[line:start].split()
    if len(pieces) < 2 or meta_field(pieces[0]) != "project" or not all(_label(p) for p in pieces):
        return None
    return line + len(src.text[line:start]) - len(src.text[line:start].lstrip()), pieces


def _label(text: str) -> bool:
    """A label of the project information: 项目名称, 项目单位, 项目类别, 预算数, 年度绩效目标…"""
    return bool(meta_field(text) or info_label(text) or goal_label(text)[0] or label(text) in vocabulary()["funds"]["labels"])


def _project_line(line: str, count: int) -> list[str] | None:
    """The project cells that start ``line``: ``count`` pieces apart at white space, then a level name."""
    pieces = line.split(maxsplit=count)
    if len(pieces) <= count or not words()["levels"].match(pieces[count]):
        return None
    if any(words()["levels"].match(p) for p in pieces[:count]):
        return None
    return pieces[:count]


def project_bodies(src: Source, start: int, end: int, count: int,
                   read: Callable[[int, int], tuple[list[Row], list[Finding]]]) -> tuple[list[Row], list[Finding]] | None:
    """The rows of a body of several projects, each with its project cells in front; None when the body does
    not start with a project's first row."""
    marks: list[tuple[int, int, list[str]]] = []      # line start, where its indicator cells start, project cells
    pos = start
    for line in src.text[start:end].split("\n"):
        cells = _project_line(line, count)
        if cells is not None:
            rest = re.match(r"\s*" + r"\s+".join(map(re.escape, cells)) + r"\s+", line)
            if rest:
                marks.append((pos, pos + rest.end(), cells))
        pos += len(line) + 1
    if not marks or src.text[start:marks[0][0]].strip():
        return None
    rows: list[Row] = []
    notes: list[Finding] = [Finding(src.where(start), f"表头前的 {count} 个标签是各项目的列（一张表列出 {len(marks)} 个项目），"
                                    "每个项目第一行开头的单元格是它的项目信息，这个项目的各行都记上", INFO, code="separator")]
    for k, (_line, at, cells) in enumerate(marks):
        stop = marks[k + 1][0] if k + 1 < len(marks) else end
        got, said = read(at, stop)
        rows.extend(Row(r.file, r.line, (*cells, *r.cells), grid=True, cut=True) for r in got)
        notes.extend(said)
    return rows, notes
