"""A table whose PDF text came out in the order of its text boxes, not row by row.

``一级指标 二级指标 数量指标 三级指标 与委托运营方结算完成 年度 指标值 实际 完成值 分值 得分 =100% 100% 10 10
=100% 100% 20 20 … 100 98.62 率 产出指标 质量指标 … 合同结算条款完成率 费用结算及时性 …``: the cells are apart at
single spaces, but the names of a block come before or after its values, and within the values one column may
run ahead of the next (``38508人 不少于12 种 不少于6 种 116次 6次`` and then ``37442人 3 3 14种 1 1 …``).

Each column's cells still come in the order of the rows. So the reading takes the header words (a wrapped
header cell read across its neighbour, ``年度 实际 指标值 完成值``, joined again), sorts every other piece by what
it is — a level name, a value, a bare number, a name, a piece of a name or of a value cut at its line break —
and lines the columns up: the n-th target with the n-th actual, 分值 and 得分, and the n-th name with them. A
name numbered in the text (``指标5:``) goes to the row of its number, so rows whose name is missing from the
text are reported, not filled by the next name. When the counts do not agree the text is not read this way.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from scoring.findings import INFO, WARNING, Finding
from scoring.importer.headers import vocabulary
from scoring.importer.linekinds import is_trailer
from scoring.importer.piecekinds import BLANK, LEVEL, NUMBER, SHAPE, SOFT, VALUE, WORD, kind_of
from scoring.importer.rows import Row
from scoring.importer.textheader import Source, field_of
from scoring.language.vocabulary import load

_LEADING = ("annual_value", "actual")     # the value columns that may run ahead of each other
_POINTS = ("weight", "score")             # bare numbers after them
_NAMES = ("level1", "level2", "level3")
_SOFT_MAX = 4                             # a word target (及时, 达标) is short; a longer soft piece is a name


@dataclass
class Piece:
    a: int
    b: int
    text: str
    kind: str = ""          # head, level, drop, value, name, part
    field: str | None = None


@dataclass
class Group:
    target: Piece | None
    tail: list[Piece] = field(default_factory=list)


def _numbered() -> re.Pattern:
    return re.compile(load("runtogether")["numbered_name"])


def _header_pieces(pieces: list[Piece]) -> None:
    """Mark the header words: a word alone, a word broken at its line break (``一级 指标``, ``绩 效 指 标``), and
    two wrapped header cells read across each other (``年度 实际 指标值 完成值``)."""
    n = len(pieces)
    for i, p in enumerate(pieces):
        if p.kind:
            continue
        for k in (4, 3, 2):
            if i + k <= n and not any(q.kind for q in pieces[i:i + k]) and all(len(q.text) <= 8 for q in pieces[i:i + k]):
                f = field_of("".join(q.text for q in pieces[i:i + k]))
                if f:
                    for q in pieces[i:i + k]:
                        q.kind, q.field = "head", f
                    break
        if p.kind:
            continue
        f = field_of(p.text) if not _numbered().match(p.text) else None
        if f:
            p.kind, p.field = "head", f
            continue
        for j in range(i + 2, min(n, i + 4)):
            f = field_of(p.text + pieces[j].text)
            if f and not pieces[j].kind and len(p.text) <= 4:
                p.kind = pieces[j].kind = "head"
                p.field = pieces[j].field = f
                break


def _sort(pieces: list[Piece], before: set[str]) -> tuple[list[str], bool]:
    """Give every piece after the header its kind; what was set aside, for the note, and whether a 总分 / 合计
    label ends the table."""
    dropped: list[str] = []
    ended = False
    for i, p in enumerate(pieces):
        if p.kind:
            continue
        kind = kind_of(p.text)
        prev = next((q for q in reversed(pieces[:i]) if q.kind in ("value", "name")), None)
        if is_trailer(p.text):
            p.kind = "drop"
            ended = ended or not re.search(r"\d", p.text)     # 总分, 合计: no name after it; a page number -1- is not
            dropped.append(p.text)
        elif kind in (BLANK, SHAPE):
            p.kind = "drop"
        elif kind == LEVEL:
            p.kind = "level"
        elif kind in (VALUE, NUMBER, WORD) or (kind == SOFT and len(p.text) <= _SOFT_MAX):
            p.kind = "value"
        elif prev is not None and prev.kind == "value" and pieces[i - 1] is prev and len(p.text) <= 2 \
                and re.search(r"\d$", prev.text) and kind_of(f"{prev.text}{p.text}") in (VALUE, WORD):
            p.kind = "unit"            # 不少于12 种: the unit of the value before it, cut at its line break
        elif len(p.text) == 1:
            p.kind = "part" if _last_name(pieces, i) else "drop"      # 率: the end of a name cut at its line break
        elif ended or p.text in before or p.text.endswith(("。", "；", ";")):
            p.kind = "drop"            # the project's name or goal again, a sentence: not an indicator
            dropped.append(p.text)
        else:
            p.kind = "name"
    return dropped, ended


def _last_name(pieces: list[Piece], i: int) -> bool:
    return any(q.kind == "name" for q in pieces[:i])


def _groups(values: list[Piece], lead: int, points: int) -> list[Group]:
    """One run of values cut into rows: target, actual and points together; actual and points alone (its target
    came earlier); a target alone."""
    out: list[Group] = []
    i, n = 0, len(values)
    full = lead + points
    while i < n:
        num = [kind_of(v.text) == NUMBER for v in values[i:i + full]]
        if points and i + full <= n and all(num[lead:]):
            out.append(Group(values[i], values[i + 1:i + full]))
            i += full
        elif points and lead == 2 and i + 1 + points <= n and all(num[1:1 + points]):
            out.append(Group(None, values[i:i + 1 + points]))
            i += 1 + points
        elif not points and i + full <= n:
            out.append(Group(values[i], values[i + 1:i + full]))
            i += full
        else:
            out.append(Group(values[i], []))
            i += 1
    return out


def boxorder(src: Source, strict: bool) -> tuple[list[Row], list[Finding]] | None:
    """The rows of a table in text-box order, or None when the text does not read as one. The values must show
    it: a group of values right after another with no name between them, or a column run ahead of the next;
    ``strict`` (the text has a header the row-by-row reader finds): most groups follow another group."""
    pieces = [Piece(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", src.text)]
    if len(pieces) < 8:
        return None
    _header_pieces(pieces)
    start = next((k for k, p in enumerate(pieces) if p.kind == "head" and p.field in _NAMES), None)
    if start is None:
        return None
    fields = {p.field for p in pieces[start:] if p.kind == "head"}
    lead = [f for f in _LEADING if f in fields]
    points = [f for f in _POINTS if f in fields]
    if "annual_value" not in lead or "level3" not in fields:
        return None
    body = pieces[start:]
    dropped, totalled = _sort(body, {p.text for p in pieces[:start]})
    for k, p in enumerate(body):           # a piece cut at its line break goes back to the piece it belongs to
        if p.kind in ("part", "unit"):
            owner = next(q for q in reversed(body[:k]) if q.kind == ("value" if p.kind == "unit" else "name"))
            owner.text += (" " if p.kind == "unit" else "") + p.text
    names: list[Piece] = []
    groups: list[Group] = []
    run: list[Piece] = []
    adjacent = 0
    for p in [*body, Piece(len(src.text), len(src.text), "", "name")]:
        if p.kind == "value":
            run.append(p)
        elif p.kind == "name":
            if run:
                found = _groups(run, len(lead), len(points))
                adjacent += len(found) - 1
                groups.extend(found)
                run = []
            if p.text:
                names.append(p)
    split = sum(g.target is None or (bool(points) and not g.tail) for g in groups)     # a column ran ahead of the next
    if adjacent * 2 < len(groups) if strict else not (adjacent or split):
        return None          # row by row after all: the table reader's
    targets = [g.target for g in groups if g.target is not None]
    tails = [g.tail for g in groups if g.tail]
    notes: list[Finding] = []
    total = None
    extra = len(targets) - len(tails)
    if len(lead) == 2 and points and extra == len(points) and all(kind_of(t.text) == NUMBER for t in targets[-extra:]):
        weights = sum(_number(t[1].text) for t in tails)
        if totalled or abs(_number(targets[-extra].text) - weights) < 0.01:
            total = targets[-extra:]       # the 总分 row: the sum of the 分值 and of the 得分
            targets = targets[:-extra]
    if ((points or len(lead) == 2) and len(targets) != len(tails)) or len(targets) < 3:
        return None
    rows_at = _place(names, len(targets))
    if rows_at is None:
        return None
    v = vocabulary()["columns"]
    heads = ["level3", *lead, *points]
    # Above the table the labels and their values came out in box order too: a label is not always beside its
    # value, so every piece is a row of its own and no value is paired with a label by guess.
    out = [Row(src.name, src.line(p.a), (p.text,), grid=True, cut=True) for p in pieces[:start]]
    out.append(Row(src.name, src.line(pieces[start].a), tuple(v[f][0] for f in heads), grid=True, cut=True))
    notes.append(Finding(src.name, "表格的文字是按文本框的顺序提取的（名称和指标值分成几段，不是一行一行排列），"
                         "按每一列中单元格的先后把第n个名称、第n个指标值、第n个完成值和分值配成一行；每一行见下方说明",
                         INFO, code="separator"))
    for i, target in enumerate(targets):
        cells = [target.text, *(t.text for t in tails[i])] if tails else [target.text]
        name = rows_at.get(i)
        where = src.where(name.a if name else target.a)
        shown = "｜".join(f"{v[f][0]}“{c}”" for f, c in zip(heads[1:], cells, strict=False))
        if name is None:
            notes.append(Finding(where, f"这一行有指标值 {shown}，但原文中没有它的名称（文本框中缺了这一格），"
                                        "没有作为指标导入，请对照原件补上", WARNING, code="unplaced"))
            continue
        out.append(Row(src.name, src.line(name.a), (name.text, *cells), grid=True, cut=True))
        notes.append(Finding(where, f"按列的先后配成一行：三级指标“{name.text}”｜{shown}", INFO, code="separator"))
    for name in names:
        if name not in rows_at.values():
            notes.append(Finding(src.where(name.a), f"“{name.text}”后面没有对应的指标值（原文截断或缺格），"
                                 "没有作为指标导入", WARNING, code="unplaced"))
    if total:
        notes.append(Finding(src.where(total[0].a), "“" + " ".join(t.text for t in total)
                             + "”是各行分值、得分的合计（总分行），不是指标", INFO, code="separator"))
    if dropped:
        notes.append(Finding(src.name, "表格中这些文字不是指标名称或指标值，略去：" + "、".join(f"“{t}”" for t in dropped),
                             INFO, code="separator"))
    return out, notes


def _number(text: str) -> float:
    """A bare number of points as a float (``1,000`` too); NaN when it is none."""
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return math.nan


def _place(names: list[Piece], rows: int) -> dict[int, Piece] | None:
    """Which row each name goes with: by its number when the names are numbered (a number not above the one
    before starts the next block of rows), else in order when there are as many names as rows."""
    numbered = [_numbered().match(n.text) for n in names]
    if names and sum(m is not None for m in numbered) * 3 >= len(names) * 2:
        out: dict[int, Piece] = {}
        offset, last = 0, 0
        for n, m in zip(names, numbered, strict=True):
            if m is None:
                return None
            k = int(m.group(1))
            if k <= last:
                offset += last
            last = k
            if offset + k - 1 < rows:
                out[offset + k - 1] = n
        # Each block must end on its last row: a block whose last name is missing would shift every block after
        # it. Only the text cut off after the last full block (its next block's names with no values) is allowed.
        return out if rows in (offset + last, offset) else None
    if len(names) != rows:
        return None
    return dict(enumerate(names))
