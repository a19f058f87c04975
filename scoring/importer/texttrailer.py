"""Where a table's rows end in run-together text, and what follows them: the rows after the table (总分, 合计,
注：, 填表人…, 审核意见 with its seal), the side label of the next table, the title of another table."""

from __future__ import annotations

import re
from functools import cache

from scoring.importer.gridfit import clean
from scoring.importer.headers import vocabulary
from scoring.importer.linekinds import is_trailer
from scoring.importer.piecekinds import (
    fold,
    value_spans,
    words,
)
from scoring.importer.pieces import cut_points
from scoring.importer.rows import Row
from scoring.importer.textheader import (
    Source,
)


def table_end(src: Source, start: int, end: int) -> tuple[int, int | None]:
    """Where the table of a body ends, and where the rows after it (总分, 合计, 注：, 填表人…) begin, if they do.

    The body ends at the first of: a line that is a trailer row (its first stretch a trailer word,
    ``总分``, ``主管部门审核意见``, or a stretch such as ``(盖章)`` on a line with no value: its label
    goes with it); a trailer word after a value or a mark, or at the start of a piece apart at white space;
    the title of another table followed by its project labels (``…绩效目标表(2023年度)项目名称…``), where
    the table ends and no trailer begins (the labels are read as the project information above a table)."""
    body = src.text[start:end]
    trailers = words()["trailers"]
    found: tuple[int, int | None] = (end, None)
    pos = 0
    for line in body.split("\n"):
        if pos and _trailer_line(line):
            found = (start + len(body[:pos].rstrip()), start + pos)
            break
        pos += len(line) + 1
    for c in cut_points(body[:found[0] - start], src.bars):
        rest = fold(body[c.start:c.start + 12])
        word = next((w for w in trailers if rest.startswith(w)), "")
        after = rest[len(word):len(word) + 1]
        if c.why == "trailer" or (word and c.why in ("newline", "blank", "space", "cell", "level", "value")
                                  and not _cjk_char(after)):
            found = (start + c.end, start + c.start)
            break
    title = _next_table(src, start, found[0])
    return (title, None) if title is not None else found


def side_before(src: Source, start: int, end: int) -> int:
    """Where the side label of the next table begins, when it stands right before its header at the end of a
    body (``…98%19.6年度绩效目标2(40分)一级指标…``); ``end`` when there is none."""
    m = _side_label().search(src.folded, max(start, end - 30), end)
    return m.start() if m else end


@cache
def _side_label() -> re.Pattern:
    sides = sorted(vocabulary()["side"], key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, sides)) + r")[\d()（）分\s:：]*$")


def _trailer_line(line: str) -> bool:
    """A line that is a row after the table: its first stretch a trailer word, or a stretch that holds
    盖章/签字 on a line with no value (``财政部门初审意见 (盖章)``)."""
    parts = line.split()
    if not parts or value_spans(fold("".join(parts))):
        return False
    return is_trailer(parts[0]) or any(is_trailer(p) and any(w in p for w in vocabulary()["trailer_contains"])
                                       for p in parts[1:])


def _next_table(src: Source, start: int, end: int) -> int | None:
    """Where the title of another table begins inside a body, when project labels follow it closely: at the
    last cut before its title word (``…=99百分比`` | ``省级部门预算项目支出绩效目标表``)."""
    for m in title_end().finditer(src.folded, start, end):
        if not label_pattern().search(src.folded, m.end(), min(end, m.end() + 60)):
            continue
        line = max(start, src.text.rfind("\n", start, m.start()) + 1)
        begin = line
        for c in cut_points(src.text[line:m.start()], src.bars):
            if c.why in ("value", "level", "space", "newline", "blank", "cell", "bar"):
                begin = line + c.start
        return begin if begin > start else None
    return None


def _cjk_char(c: str) -> bool:
    return bool(c) and "\u4e00" <= c <= "\u9fff"


def trailer_rows(src: Source, start: int, end: int) -> list[Row]:
    """The rows after the table, one a trailer word, the word a cell of its own (``总分`` | ``100100``):
    they are not indicators, and the table reader says so."""
    body = src.text[start:end]
    cuts = [c for c in cut_points(body, src.bars) if c.why in ("trailer", "newline", "blank")]
    out, prev = [], 0
    trailers = words()["trailers"]
    for c in [*cuts, None]:
        piece = clean(body[prev:c.end if c else len(body)])
        if piece:
            word = next((w for w in trailers if fold(piece).startswith(w)), "")
            if word and fold(piece)[len(word):len(word) + 1] in (":", "："):
                word += piece[len(word)]
            cells = (piece[:len(word)], piece[len(word):].strip()) if word and len(piece) > len(word) else (piece,)
            out.append(Row(src.name, src.line(start + prev), cells, grid=True, cut=True))
        if c:
            prev = c.start
    return out


@cache
def label_pattern() -> re.Pattern:
    v = vocabulary()
    ws = {*v["meta"], *(w for ws in v["funds"].values() for w in ws if len(w) >= 4), *words()["info"],
          *(w for ws in v["goals"].values() for w in ws)}
    return re.compile("|".join(map(re.escape, sorted((w for w in ws if len(w) >= 2), key=len, reverse=True))))


@cache
def title_end() -> re.Pattern:
    """The end of a table's title (a title word of headers.yaml, and a bracket after it: ``(2022年度)``)."""
    titles = sorted(vocabulary()["titles"], key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, titles)) + r")(?:[(（][^()（）]{0,12}[)）])?")
