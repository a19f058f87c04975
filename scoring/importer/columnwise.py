"""A table that PDF extraction read one column at a time: each header word, then that column's cells.

``三级指标 新建高校(校区) 工程质量达标率(%)`` / ``开工率(%)`` / ``年度目标值`` / ``7 100% 100%`` /
``实施周期目标值`` / ``7 100% 100% 不断提升 …``: a header word at the start of a line, followed by its
column's cells apart at spaces and line breaks (a cell broken inside brackets, ``资金需求(万`` / ``元)``, is
joined again). The rows are the cells lined up by position from the top: the n-th name with the n-th value
of every value column. A column with fewer cells than there are names cannot be lined up and is left out
with a warning; cells beyond the last name (their names were cut off) are reported, not guessed.
"""

from __future__ import annotations

import re

from scoring.findings import INFO, WARNING, Finding
from scoring.importer.linekinds import is_trailer
from scoring.importer.rows import Row
from scoring.importer.textheader import ROLE, Source, field_of, header_words


def _cells(text: str) -> list[str]:
    """The cells of one column: pieces apart at white space, a piece with an open bracket joined to the next."""
    out: list[str] = []
    depth = 0
    for piece in text.split():
        if depth > 0 and out:
            out[-1] += piece
        else:
            out.append(piece)
        depth += sum(piece.count(c) for c in "(（") - sum(piece.count(c) for c in ")）")
        depth = max(depth, 0)
    return out


def columnwise(src: Source) -> tuple[list[Row], list[Finding]] | None:
    """The rows of a table laid out column by column, or None when the text is not such a table."""
    heads = []
    for m in header_words().finditer(src.folded):
        a, b = m.span()
        field = field_of(m.group())
        if field in ROLE and (a == 0 or src.folded[a - 1] == "\n") and (b == len(src.folded) or src.folded[b].isspace()):
            heads.append((a, b, m.group(), field))
    roles = [ROLE[f] for *_x, f in heads]
    if len(heads) < 2 or "name" not in roles or "value" not in roles:
        return None
    name = src.name
    # Above the table the labels and their values were read a column at a time too: a label is not beside
    # its value, so every piece is a row of its own and no value is paired with a label by guess.
    rows = [Row(name, src.line(m.start()), (m.group(),), grid=True, cut=True)
            for m in re.finditer(r"\S+", src.text[:heads[0][0]])]
    notes = [Finding(name, "表格是按列提取的（一列的表头后面跟着这一列的各个单元格），按表头词把各列分开，"
                     "再按从上到下的位置把同一行的单元格对齐", INFO, code="separator")]
    columns = []
    for k, (_a, b, text, field) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(src.text)
        cells = _cells(src.text[b:end])
        cut = next((i for i, c in enumerate(cells) if is_trailer(c)), len(cells))
        columns.append((text, field, cells[:cut], src.line(b)))
    names = next(c for c in columns if ROLE[c[1]] == "name")
    n = len(names[2])
    kept = [c for c in columns if len(c[2]) >= n]
    if not any(ROLE[c[1]] == "value" for c in kept):
        return None          # no value column lines up with the names: nothing to read without guessing
    for text, _f, cells, line in columns:
        where = f"{name} › 第{line}行"
        if len(cells) < n:
            notes.append(Finding(where, f"“{text}”列只有 {len(cells)} 个单元格，少于 {n} 个指标名称，无法按位置对齐，"
                                 "这一列没有导入", WARNING, code="unplaced"))
        elif len(cells) > n:
            extra = "、".join(f"“{c}”" for c in cells[n:])
            notes.append(Finding(where, f"“{text}”列比指标名称多出 {len(cells) - n} 个单元格：{extra}；"
                                 "它们对应的指标名称不在原文中（可能截断），未导入", WARNING, code="unplaced"))
    rows.append(Row(name, kept[0][3], tuple(c[0] for c in kept), grid=True, cut=True))
    for i in range(n):
        cells = tuple(c[2][i] for c in kept)
        rows.append(Row(name, names[3], cells, grid=True, cut=True))
        shown = "｜".join(f"{c[0]}“{c[2][i]}”" for c in kept)
        notes.append(Finding(f"{name} › 第{names[3]}行", f"按位置对齐的第{i + 1}行：{shown}", INFO, code="separator"))
    return (rows, notes) if n else None

