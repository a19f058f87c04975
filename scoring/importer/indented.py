"""A table whose levels are told only by indentation: one column holds the unit, the project, the 一级, the
二级 and the 三级 names, each indented one step more than the one above it (a budget system's 批复表):

    项目
    指标值
     石嘴山市疾病预防控制中心
      狂犬、乙肝、流感等疫苗及美沙酮药物
    3000000
       产出指标
        成本指标(必填硬性指标)
         按照物价部门定价标准采购
    100%

The level names of the vocabulary (``levels.yaml``) on lines with lines indented deeper below them give the
indents of the 一级 and 二级 names; a line indented deeper is an indicator (服务对象满意度 too), with the value on its line or the line after it; a line indented less is
the project (the deepest such line above the levels) or its unit. What is read is a grid with the header
一级指标 | 二级指标 | 三级指标 | 指标值, one indicator a row, every row noted in the import report; a value
after a line that is no indicator (the project's money) is noted and not imported. Where the indents do not
give one 一级 and one 二级 depth, the text is not read this way.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.findings import INFO, WARNING, Finding
from scoring.importer.headers import fields_of
from scoring.importer.piecekinds import NUMBER, SOFT, VALUE, WORD, kind_of, level_name
from scoring.importer.rows import Row
from scoring.importer.textheader import Source
from scoring.language import levels

_VALUE_FIELDS = ("annual_value", "period_value", "actual")


@dataclass
class _Node:
    line: int
    indent: int
    text: str
    value: str = ""
    value_line: int = 0


def _indent(line: str) -> int:
    """The display width of a line's leading white space (a full-width space is two)."""
    width = 0
    for c in line:
        if c in " \u00a0":
            width += 1
        elif c == "\u3000":
            width += 2
        elif c == "\t":
            width += 4
        else:
            break
    return width


def _is_value(text: str) -> bool:
    return kind_of(text) in (VALUE, NUMBER, WORD, SOFT) and not level_name(text)


def _split_value(text: str) -> tuple[str, str]:
    """A node written with its value on the same line, apart at white space (``疫苗使用率 100%``)."""
    head, _, tail = text.rpartition(" ")
    if head.strip() and kind_of(tail) in (VALUE, NUMBER):
        return head.strip(), tail
    return text, ""


def indented(src: Source) -> tuple[list[Row], list[Finding]] | None:
    """The rows of a table whose levels are told by indentation, or None when the text is not such a table."""
    lines = src.text.split("\n")
    head = next((k for k, line in enumerate(lines) if line.strip() and len(line.strip()) <= 12
                 and any(f in _VALUE_FIELDS for f, _p in fields_of(line.strip()))), None)
    if head is None:
        return None
    value_header = lines[head].strip()
    nodes: list[_Node] = []
    for k in range(head + 1, len(lines)):
        raw = lines[k]
        text = raw.strip()
        if not text:
            continue
        indent = _indent(raw)
        if indent == 0 and _is_value(text) and nodes and not nodes[-1].value:
            nodes[-1].value, nodes[-1].value_line = text, k + 1
        elif indent > 0:
            name, value = _split_value(text)
            nodes.append(_Node(k + 1, indent, name, value, k + 1 if value else 0))
        elif not nodes:
            continue                       # more header cells (绩效金额)
        else:
            break                          # a line at the margin that is no value: the table has ended
    inner = [k + 1 < len(nodes) and nodes[k + 1].indent > n.indent for k, n in enumerate(nodes)]
    depths = sorted({n.indent for n, has in zip(nodes, inner, strict=True) if has and level_name(n.text)})
    if len(depths) != 2:
        return None
    leaves = [n for n, has in zip(nodes, inner, strict=True) if not has and n.indent > depths[1]]
    if len([n for n in leaves if n.value]) < 2:
        return None
    return _grid(src, lines[:head], value_header, nodes, depths)


def _grid(src: Source, above: list[str], value_header: str, nodes: list[_Node], depths: list[int]
          ) -> tuple[list[Row], list[Finding]]:
    name = src.name
    rows = [Row(name, k + 1, (line.strip(),), grid=True) for k, line in enumerate(above) if line.strip()]
    notes = [Finding(name, "表格没有层级列：单位、项目、一级指标、二级指标和三级指标写在同一列，只以行首缩进的多少区分；"
                     f"按层级名称所在的缩进（一级 {depths[0]} 格、二级 {depths[1]} 格）读出各层，缩进更深的行是指标，"
                     "缩进更浅的行是项目和单位", INFO, code="separator")]
    header = ("一级指标", "二级指标", "三级指标", value_header)
    level1 = level2 = project = ""
    project_line = 0
    shown_project: str | None = None
    for n in nodes:
        where = f"{name} › 第{n.line}行"
        if n.indent < depths[0]:
            if project and project != shown_project:
                notes.append(Finding(f"{name} › 第{project_line}行", f"“{project}”的缩进比“{n.text}”浅，是单位或上一级，"
                                     "没有导入", INFO, code="separator"))
            if n.value:
                notes.append(Finding(f"{name} › 第{n.value_line}行", f"“{n.value}”写在“{n.text}”之后，它不是指标，"
                                     "这个数（项目或单位的金额）没有导入", INFO, code="separator"))
            project, project_line = n.text, n.line
            continue
        if n.indent == depths[0]:
            level1, level2 = n.text, ""
            _level_note(notes, where, n, "一级", levels.is_level1)
            continue
        if n.indent == depths[1]:
            level2 = n.text
            _level_note(notes, where, n, "二级", levels.is_level2)
            continue
        if n.indent < depths[1]:
            notes.append(Finding(where, f"“{n.text}”的缩进在一级和二级之间，读不出它是哪一层，没有导入", WARNING,
                                 code="unplaced"))
            continue
        if project != shown_project:
            if project:
                rows.append(Row(name, n.line, ("项目名称", project), grid=True))
                notes.append(Finding(where, f"“{project}”的缩进比一级指标浅，读作项目名称", INFO, code="separator"))
            rows.append(Row(name, n.line, header, grid=True))
            shown_project = project
        rows.append(Row(name, n.line, (level1, level2, n.text, n.value), grid=True))
        shown = f"一级指标“{level1}”｜二级指标“{level2}”｜三级指标“{n.text}”｜{value_header}“{n.value}”"
        notes.append(Finding(where, f"按缩进读出 {shown}" if n.value else f"按缩进读出 {shown}；这个指标没有指标值",
                             INFO if n.value else WARNING, code="separator"))
    return rows, notes


def _level_note(notes: list[Finding], where: str, n: _Node, kind: str, fits) -> None:
    found = level_name(n.text)
    if found and not fits(found) and found not in levels.AMBIGUOUS:
        notes.append(Finding(where, f"“{n.text}”的缩进是{kind}指标的位置，但它的名称像另一层的指标，按缩进读作{kind}指标",
                             WARNING, code="separator"))
