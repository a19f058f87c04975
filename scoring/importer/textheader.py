"""The indicator header of a text whose cells are not separated by tabs or aligned spaces.

Header words (``rules/language/headers.yaml``) are found inside a stretch of text without white space
(several run together: ``一级指标二级指标绩效标准当年预期实现值``), or as two stretches joined across one space
or line break (``年度 指标值``), never across “|” or a blank line. A run of them, with at most one word
the vocabulary does not know between two it knows, is a header when it names a level or name column and
a value column. :func:`roles` says what each column holds; where the table has no 三级 column it offers
the hypotheses (the last level column holds the names, or the first column after the levels), and
:mod:`scoring.importer.gridfit` keeps the one that reads the body best.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from scoring.findings import place
from scoring.importer.gridfit import Column
from scoring.importer.headers import (
    context_of,
    fields_of,
    find_header,
    is_side_label,
    label,
    scrambled,
    vocabulary,
)
from scoring.importer.piecekinds import column_kind, fold, words
from scoring.importer.rows import Row

ROLE = {"level1": "level1", "level2": "level2", "level3": "name", "annual_value": "value",
         "period_value": "value", "actual": "value", "weight": "number", "score": "number", "seq": "number",
         "description": "text", "note": "text", "reason": "text", "nature": "nature", "unit": "unit"}
_UNKNOWN_MAX = 20


@cache
def level_words() -> tuple[str, ...]:
    """The header words of the level and name columns, one of which every indicator header has."""
    cols = vocabulary()["columns"]
    return tuple(sorted({w for f in ("level1", "level2", "level3") for w in cols[f]}))


def spaced_reads(rows: list[Row]) -> bool:
    """Whether text split at tabs or runs of spaces already has an indicator header (then it is read so)."""
    filled = [r for r in rows if any(c.strip() for c in r.cells)]
    return any(find_header(list(r.cells), list(filled[k + 1].cells) if k + 1 < len(filled) else None) is not None
               for k, r in enumerate(filled))


@dataclass
class Token:
    """A header cell found in the text: its span and its text as written."""

    a: int
    b: int
    text: str
    field: str | None    # the header vocabulary's field, "side" for 绩效指标, None for a word it does not know


class Source:
    """The text with its lines, and where its stretches apart at white space (or “|”) stand."""

    def __init__(self, text: str, name: str):
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.name = name
        self.folded = fold(self.text)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        self.bars = False     # cells apart at “|” on each line

    def stretches(self) -> list[tuple[int, int, bool]]:
        """(start, end, soft): each stretch without white space or “|”, and whether the white space before it
        is one space or one line break (a header cell broken inside, ``年度 指标值``)."""
        out = []
        prev = 0
        for m in re.finditer(r"[^\s|]+", self.folded):
            gap = self.folded[prev:m.start()]
            out.append((m.start(), m.end(), bool(gap) and "|" not in gap and gap.count("\n") <= 1 and len(gap) <= 2))
            prev = m.end()
        return out

    def line(self, pos: int) -> int:
        return bisect.bisect_right(self.line_starts, pos)

    def where(self, pos: int) -> str:
        return place(self.name, f"第{self.line(pos)}行")


@cache
def header_words() -> re.Pattern:
    v = vocabulary()
    ws = {w for ws in v["columns"].values() for w in ws} | set(v["side"])
    context = sorted({*v["period"], *v["annual"]}, key=len, reverse=True)
    return re.compile(r"(?:(?:19|20)\d{2}年度?)?(?:" + "|".join(map(re.escape, context)) + ")?(?:"
                      + "|".join(map(re.escape, sorted(ws, key=len, reverse=True))) + r")(?:\([^()]{0,12}\))?")


def field_of(text: str) -> str | None:
    """The field a header word names; a value word after 实施周期/中期 (实施周期目标值) is the period value."""
    if is_side_label(text):
        return "side"
    found = fields_of(text)
    if found:
        return found[0][0]
    kind = context_of(text)
    if kind:
        rest = label(text)
        for w in vocabulary()[kind]:
            rest = rest.replace(w, "")
        found = fields_of(rest)
        if found and found[0][0] in ("annual_value", "period_value"):
            return "period_value" if kind == "period" else "annual_value"
    return None


def _rank(text: str) -> int:
    """Where an annual-value header stands in the vocabulary's order (lower is the better name)."""
    return next((p for f, p in fields_of(text) if f == "annual_value"), 99)


def _unknown_gap(gap: str) -> bool:
    return 0 < len(gap) <= _UNKNOWN_MAX and not re.search(r"[\d,，。;；:：]", gap) \
        and not words()["levels"].search(gap)


def _tokens(src: Source) -> list[Token]:
    """Header words and the pieces between them, in text order. A header word stands inside one stretch
    (several run together: ``一级指标二级指标…``), or across one space or line break where header words run
    on from one stretch into the next (``年度 指标值``, ``一级`` / ``指标``, ``绩效 指标一级 指标二级指标…``:
    :func:`_tiled`); never across “|” or a blank line."""
    words_re = header_words()
    parts = src.stretches()
    out: list[Token] = []
    k = 0
    rest: int | None = None
    while k < len(parts):
        a, b, _soft = parts[k]
        if rest is None:
            tiled = _tiled(src, parts, k, words_re)
            if tiled is not None:
                tokens, k, rest = tiled
                out.extend(tokens)
                continue
        else:
            a, rest = rest, None
        found = list(words_re.finditer(src.folded, a, b))
        note = _NOTE.match(src.folded, a, b)       # (A)实际完成值: the note of the header before, wrapped
        first = note.end() if note else a
        if len(found) == 1 and re.search(r"[\w]", src.folded[first:found[0].start()] + src.folded[found[0].end():b]) \
                and not (found[0].start() == first and _level_follows(src, found[0].end(), b)):
            found = []          # 评价指标值: one cell, not 评价 + 指标值 (header words run together come several);
            #                     but 指标值产出指标…: the last header word, then the first row
        pos = first if found else a
        for m in found:
            if m.start() > pos and re.search(r"\w", src.folded[pos:m.start()]):
                out.append(Token(pos, m.start(), src.text[pos:m.start()], None))
            out.append(Token(m.start(), m.end(), m.group(), field_of(m.group())))
            pos = m.end()
        if pos < b and re.search(r"\w", src.folded[pos:b]):
            out.append(Token(pos, b, src.text[pos:b], None))
        k += 1
    return out


_NOTE = re.compile(r"\([A-Za-z/+\-]{1,5}\)")     # (A), (B/A): a header's note, after a line break


def _level_follows(src: Source, p: int, b: int) -> bool:
    """Whether a level name starts at ``p``, also when it is wrapped over a single space (``得分产出 指标``)."""
    if words()["levels"].match(src.folded, p, b):
        return True
    ahead = src.folded[p:p + 16]
    joined = re.sub(r"(?<=\S)[ \n](?=\S)", "", ahead, count=1)
    m = words()["levels"].match(joined)
    return bool(m) and m.end() > len(ahead.split()[0]) if ahead.split() else False


def _tiled(src: Source, parts: list[tuple[int, int, bool]], k: int, words_re: re.Pattern
           ) -> tuple[list[Token], int, int | None] | None:
    """Header words one after another from the start of stretch ``k`` on, across single spaces or line breaks,
    when one of them runs across such a break (``绩效 指标一级 指标二级指标三级指标指标值产出…``: 绩效指标 |
    一级指标 | 二级指标 | 三级指标 | 指标值): the tokens, the stretch where they stop and where in it (None:
    at its start)."""
    spans, joined = [], ""
    for j in range(k, min(len(parts), k + 12)):
        if j > k and not parts[j][2]:
            break
        spans.append((len(joined), j))
        joined += src.folded[parts[j][0]:parts[j][1]]
    if len(spans) < 2:
        return None

    def at(p: int) -> tuple[int, int]:          # the stretch of joined[p] and the text position
        off, j = next((o, j) for o, j in reversed(spans) if o <= p)
        return j, parts[j][0] + p - off

    tokens: list[tuple[int, int]] = []
    pos = 0
    while pos < len(joined):
        m = words_re.match(joined, pos)
        if not m or m.end() == pos:
            break
        tokens.append((pos, m.end()))
        pos = m.end()
    if not any(at(a)[0] != at(b - 1)[0] for a, b in tokens):
        return None
    out = []
    for a, b in tokens:
        ta, tb = at(a)[1], at(b - 1)[1] + 1
        out.append(Token(ta, tb, src.text[ta:tb], field_of(joined[a:b])))
    if pos >= len(joined):
        return out, spans[-1][1] + 1, None
    j, tpos = at(pos)
    return out, j, (tpos if tpos > parts[j][0] else None)


def header_runs(src: Source) -> list[list[Token]]:
    """Runs of header words standing next to each other (an unknown short word between them is a column
    whose header the vocabulary does not know), in text order."""
    runs: list[list[Token]] = []
    cur: list[Token] = []
    for t in wrapped(src, _tokens(src)):
        if t.field is not None:
            cur.append(t)
        elif cur and cur[-1].field is not None and _unknown_gap(fold(t.text)):
            cur.append(t)       # one word the vocabulary does not know, between two it knows
        elif cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    out = []
    for run in runs:
        while run and run[-1].field is None:
            run.pop()           # an unknown word closes a run only when a header word follows it
        if run:
            out.append(run)
    return out


def wrapped(src: Source, tokens: list[Token]) -> list[Token]:
    """Header cells wrapped onto the next line (``三级指标 年度 实际 分值 得分`` over ``指标值 完成值``): when a
    line holds only header words, as many as the short words the vocabulary does not know on the line above,
    and each of those joined with its word (in order) is a header word, they are one cell each: the joined
    token (spanning to its tail, so the body starts after the second line)."""
    lines: dict[int, list[int]] = {}
    for k, t in enumerate(tokens):
        lines.setdefault(src.line(t.a), []).append(k)
    out = list(tokens)
    drop: set[int] = set()
    for n, ks in lines.items():
        below = lines.get(n + 1)
        if not below or any(tokens[j].field in (None, "side") for j in below):
            continue
        open_ = [k for k in ks if tokens[k].field is None and len(fold(tokens[k].text)) <= 6]
        if len(open_) != len(below) or not any(tokens[k].field for k in ks):
            continue
        joined = [(k, j, field_of(fold(tokens[k].text) + fold(tokens[j].text))) for k, j in zip(open_, below, strict=True)]
        if all(f for _k, _j, f in joined):
            for k, j, f in joined:
                out[k] = Token(tokens[k].a, tokens[j].b, tokens[k].text + tokens[j].text, f)
                drop.add(j)
    return [t for k, t in enumerate(out) if k not in drop]


def valid_run(run: list[Token]) -> bool:
    fields = {t.field for t in run}
    return bool(fields & {"level1", "level2", "level3"}) and bool(fields & {"annual_value", "period_value", "actual"}) \
        and len([t for t in run if t.field not in (None, "side")]) >= 2


def leading_unknown(src: Source, first: Token) -> list[Token]:
    """Header cells the vocabulary does not know, written before the first known one on its line and apart
    from it and each other by white space, shaped like a level's header (``绩效目标 评价指标 绩效内容…``)."""
    start = first.a
    line_start = src.text.rfind("\n", 0, start) + 1
    before = src.text[line_start:start]
    if before[-1:] not in (" ", "\t", "\u3000"):
        chunk = before.split()[-1] if before.split() else ""
        goal = any(fold(chunk) == w for ws in vocabulary()["goals"].values() for w in ws)
        return [Token(start - len(chunk), start, chunk, None)] if _level_shaped(chunk) and not goal else []  # 评价指标评价内容…
    out: list[Token] = []
    b = first.a
    for chunk in reversed(before.split()):
        chunk = re.split(r"[。；;:：]", chunk)[-1]      # …技术培训。指标 指标内容 指标值: the sentence before is not
        text = fold(chunk)
        if not _level_shaped(text):
            break
        out.insert(0, Token(b - len(text), b, chunk, None))
        b -= len(text)
        if len(chunk) < len(before.split()[-len(out)]):
            break
    return out


def _level_shaped(text: str) -> bool:
    """A header the vocabulary does not know, shaped like a level's (评价指标, 绩效目标…)."""
    text = fold(text)
    return text.endswith(("指标", "目标")) and len(text) <= 8 and not re.search(r"\d", text) and field_of(text) is None


def trailing_unknown(src: Source, run: list[Token]) -> Token | None:
    """A header the vocabulary does not know after the last known header word, up to the first level name:
    ``未完成原因及拟采取的改进措施``, or the points of a column (``50``) that holds each row's points."""
    b = run[-1].b
    m = words()["levels"].search(src.folded, b)
    if not m:
        return None
    gap = re.sub(r"[\s|]+", "", src.folded[b:m.start()])
    if _unknown_gap(gap) or re.fullmatch(r"\d{1,3}", gap):
        a = b + len(src.folded[b:m.start()]) - len(src.folded[b:m.start()].lstrip(" \t\n|"))
        return Token(a, m.start(), re.sub(r"[\s|]+", "", src.text[a:m.start()]), None)
    return None


def _role_of(t: Token, before: list[Column]) -> str:
    """A column's role from its header: the vocabulary's field; else a level when an unknown header shaped
    like one (…指标, …目标) leads the header; else the hint words of runtogether.yaml."""
    if t.field in ROLE:
        return ROLE[t.field]
    found = scrambled(label(t.text))          # a header OCR read out of order (考值参分)
    if found and found[0][0] in ROLE:
        return ROLE[found[0][0]]
    if t.text.isdigit():
        return "number"                    # a column headed by its points (50)
    if fold(t.text).endswith(("指标", "目标")) and all(c.role.startswith("level") for c in before):
        return "level"
    return column_kind(t.text)


def roles(tokens: list[Token]) -> list[list[Column]]:
    """Hypotheses of what each column holds, from its header word (and, when the table has no 三级 column,
    which column holds the names: the last level column, or the first column after the levels). A header
    with no level column may stand over level columns all the same (``评价内容`` merged over the 一级 and 二级
    columns, one word in the text): each hypothesis is also tried with two unnamed level columns before it,
    which the body's level names fill or leave empty (an empty one costs nothing, so it wins only when the
    rows begin with level names)."""
    out = _roles(tokens)
    if not any(c.role.startswith("level") for h in out for c in h):
        out += [[*LEAD_LEVELS, *h] for h in out]
    return out


LEAD_LEVELS = (Column("", "level1"), Column("", "level2"))


def _roles(tokens: list[Token]) -> list[list[Column]]:
    cols: list[Column] = []
    for t in tokens:
        cols.append(Column(t.text, _role_of(t, cols)))
    # Of two annual-value headers the vocabulary ranks one first (全年绩效目标 before 绩效标准); the other,
    # when the vocabulary also knows it as a description, is one.
    annual = [(_rank(t.text), k) for k, t in enumerate(tokens) if t.field == "annual_value"]
    if annual:
        core = min(annual)[1]
        cols[core] = Column(cols[core].header, "value", True)
        for _r, k in annual:
            if k != core and any(f == "description" for f, _p in fields_of(tokens[k].text)):
                cols[k] = Column(cols[k].header, "text")
    lead = [k for k, c in enumerate(cols) if c.role == "level"]
    if len(lead) == 2 and not any(c.role in ("level1", "level2") for c in cols):
        cols[lead[0]] = Column(cols[lead[0]].header, "level1")     # 绩效目标 | 评价指标: 一级, 二级
        cols[lead[1]] = Column(cols[lead[1]].header, "level2")
    names = [k for k, c in enumerate(cols) if c.role == "name"]
    for k in names[1:]:
        if any(f == "description" for f, _p in fields_of(tokens[k].text)):
            cols[k] = Column(cols[k].header, "text")     # 三级指标 | 指标内容: the second restates the first
    names = [k for k, c in enumerate(cols) if c.role == "name"]
    if names:
        for k in names[:-1]:
            cols[k] = Column(cols[k].header, "name2")
        return [cols]
    lv = [k for k, c in enumerate(cols) if c.role in ("level1", "level2")]
    out = []
    if len(lv) >= 2:
        h = list(cols)
        h[lv[-1]] = Column(h[lv[-1]].header, "name")
        if len(lv) == 2:
            h[lv[0]] = Column(h[lv[0]].header, "level")
        out.append(h)
    after = (lv[-1] + 1) if lv else 0
    if after < len(cols) and cols[after].role in ("value", "text"):
        h = list(cols)
        h[after] = Column(h[after].header, "name")
        if not any(c.core for c in h):
            k = next((k for k in range(after + 1, len(h)) if h[k].role == "value"), None)
            if k is not None:
                h[k] = Column(h[k].header, "value", True)
        out.append(h)
    return out
