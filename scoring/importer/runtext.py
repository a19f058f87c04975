"""Text from PDF/Word whose table cells are not separated by tabs or aligned spaces: the cells as rows.

Three shapes, told apart by content (``text_rows`` sends a text here only when no line splits into an
indicator header at tabs or runs of spaces):

- **run together**: ``一级指标二级指标绩效标准当年预期实现值数量指标办公大楼日常维修维护次数反映……2280次…``,
  or cells separated by single spaces, or one cell a line between blank lines (a line of spaces alone is an
  empty cell) — the header words (``rules/language/headers.yaml``) give the columns in order, and the body
  is cut into cells and rows by :mod:`scoring.importer.gridfit` from the evidence of
  :mod:`scoring.importer.pieces` (level names, values, descriptions, target phrases);
- **column by column** (a PDF read one column at a time): ``三级指标 新建高校(校区) 工程质量达标率(%)`` /
  ``年度目标值`` / ``7 100% 100%`` / … — each header word followed by its column's cells, lined up by
  position (:func:`columnwise`).

Above the header, labels of the project information (``项目名称``, ``主管部门``…) start their own rows. What
is read is a grid with the header's columns, as an Excel sheet of the same table would be; the table reader
places it. Every row read is a note in the import report that says how it was cut; a row that reads as no
indicator (a name with no value, pieces that fit no column, two equally good readings) is a warning at
file › 第N行 with the reason, and is not guessed.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from functools import cache

from scoring.findings import INFO, WARNING, Finding, place
from scoring.importer.gridfit import Column, FitRow, best_reading, clean
from scoring.importer.headers import (
    context_of,
    fields_of,
    find_header,
    is_side_label,
    is_title,
    label,
    meta_field,
    vocabulary,
)
from scoring.importer.pieces import (
    BLANK,
    NAME,
    NEVER,
    NUMBER,
    ORDINAL,
    SHAPE,
    SOFT,
    TEXT,
    VALUE,
    WHY,
    WORD,
    Cut,
    column_kind,
    cut_points,
    fold,
    info_label,
    kind_of,
    words,
)
from scoring.importer.sources import Row
from scoring.language.expressions import parse
from scoring.language.normalize import to_simplified

_ROLE = {"level1": "level1", "level2": "level2", "level3": "name", "annual_value": "value",
         "period_value": "value", "actual": "value", "weight": "number", "score": "number", "seq": "number",
         "description": "text", "note": "text", "reason": "text", "nature": "nature", "unit": "unit"}
_ROLE_NAMES = {"level1": "一级指标", "level2": "二级指标", "level": "层级", "name": "指标名称", "name2": "名称",
               "value": "指标值", "number": "分值", "text": "说明", "unit": "单位", "nature": "指标性质"}
_UNKNOWN_MAX = 20
MAX_TEXT = 300_000     # characters: a document of many tables, thousands of indicators
MAX_BODY = 150_000     # characters of one table's rows cut into cells (about 15 s; 2,000 indicators run together)


@cache
def _level_words() -> tuple[str, ...]:
    """The header words of the level and name columns, one of which every indicator header has."""
    cols = vocabulary()["columns"]
    return tuple({w for f in ("level1", "level2", "level3") for w in cols[f]})


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
def _header_words() -> re.Pattern:
    v = vocabulary()
    ws = {w for ws in v["columns"].values() for w in ws} | set(v["side"])
    context = sorted({*v["period"], *v["annual"]}, key=len, reverse=True)
    return re.compile(r"(?:(?:19|20)\d{2}年度?)?(?:" + "|".join(map(re.escape, context)) + ")?(?:"
                      + "|".join(map(re.escape, sorted(ws, key=len, reverse=True))) + r")(?:\([^()]{0,12}\))?")


def _field(text: str) -> str | None:
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
    (several run together: ``一级指标二级指标…``), or is two stretches joined across one space or line break
    when neither is a header word alone (``年度 指标值``); never across “|” or a blank line."""
    words_re = _header_words()
    parts = src.stretches()
    out: list[Token] = []
    k = 0
    while k < len(parts):
        a, b, _soft = parts[k]
        text = src.folded[a:b]
        if k + 1 < len(parts) and parts[k + 1][2] and not words_re.fullmatch(text):
            a2, b2, _s = parts[k + 1]
            joined = text + src.folded[a2:b2]
            if words_re.fullmatch(joined):
                out.append(Token(a, b2, src.text[a:b2], _field(joined)))
                k += 2
                continue
        found = list(words_re.finditer(src.folded, a, b))
        if len(found) == 1 and re.search(r"[\w]", src.folded[a:found[0].start()] + src.folded[found[0].end():b]):
            found = []          # 评价指标值: one cell, not 评价 + 指标值 (header words run together come several)
        pos = a
        for m in found:
            if m.start() > pos and re.search(r"\w", src.folded[pos:m.start()]):
                out.append(Token(pos, m.start(), src.text[pos:m.start()], None))
            out.append(Token(m.start(), m.end(), m.group(), _field(m.group())))
            pos = m.end()
        if pos < b and re.search(r"\w", src.folded[pos:b]):
            out.append(Token(pos, b, src.text[pos:b], None))
        k += 1
    return out


def header_runs(src: Source) -> list[list[Token]]:
    """Runs of header words standing next to each other (an unknown short word between them is a column
    whose header the vocabulary does not know), in text order."""
    runs: list[list[Token]] = []
    cur: list[Token] = []
    for t in _tokens(src):
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


def _valid(run: list[Token]) -> bool:
    fields = {t.field for t in run}
    return bool(fields & {"level1", "level2", "level3"}) and bool(fields & {"annual_value", "period_value", "actual"}) \
        and len([t for t in run if t.field not in (None, "side")]) >= 2


def _leading_unknown(src: Source, first: Token) -> list[Token]:
    """Header cells the vocabulary does not know, written before the first known one on its line and apart
    from it and each other by white space, shaped like a level's header (``绩效目标 评价指标 绩效内容…``)."""
    start = first.a
    line_start = src.text.rfind("\n", 0, start) + 1
    before = src.text[line_start:start]
    if before[-1:] not in (" ", "\t", "\u3000"):
        return []
    out: list[Token] = []
    b = first.a
    for chunk in reversed(before.split()):
        text = fold(chunk)
        if not (text.endswith(("指标", "目标")) and len(text) <= 8 and not re.search(r"\d", text)
                and _field(text) is None):
            break
        out.insert(0, Token(b - len(text), b, chunk, None))
        b -= len(text)
    return out


def _trailing_unknown(src: Source, run: list[Token]) -> Token | None:
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
    if t.field in _ROLE:
        return _ROLE[t.field]
    if t.text.isdigit():
        return "number"                    # a column headed by its points (50)
    if fold(t.text).endswith(("指标", "目标")) and all(c.role.startswith("level") for c in before):
        return "level"
    return column_kind(t.text)


def roles(tokens: list[Token]) -> list[list[Column]]:
    """Hypotheses of what each column holds, from its header word (and, when the table has no 三级 column,
    which column holds the names: the last level column, or the first column after the levels)."""
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


def read(text: str, name: str, spaced: list[Row] | None = None) -> tuple[list[Row], list[Finding]] | None:
    """The rows of a text whose cells are run together or laid out column by column, with the notes on
    how it was cut; None when the text is not such a table: no indicator header is found in it this way,
    or its lines split at tabs or runs of spaces (``spaced``) already hold one."""
    if len(text) > MAX_TEXT:
        return None        # more text than any table's: not cut
    text, notes = prepare(text, name)
    if not any(w in text for w in _level_words()):
        return None        # no indicator header can be in it
    if spaced is not None and spaced_reads(spaced):
        return None
    src = Source(text, name)
    src.bars = sum(_PIPED.search(line) is not None for line in src.text.split("\n")) >= 3
    runs = [r for r in header_runs(src) if _valid(r)]
    if not runs:
        from scoring.importer.columnwise import columnwise

        found = None if src.bars else columnwise(src)
        return (found[0], [*notes, *found[1]]) if found else None
    rows: list[Row] = []
    notes.append(Finding(name, ("表格的单元格以“|”分隔（网页表格转成的文字），合并单元格没有留下记号，" if src.bars else
                                "文件中的表格没有制表符或对齐的空格分隔单元格（单元格连写、以单个空格分隔或一行一格），")
                         + "按表头词、层级名称和指标值的写法切分单元格、归入各列；每一行怎样切分见下方说明", INFO,
                         code="separator"))
    last = 0
    for n, run in enumerate(runs):
        head = [t for t in run]
        tail = _trailing_unknown(src, run)
        if tail:
            head.append(tail)
        first = next(k for k, t in enumerate(head) if t.field not in (None, "side"))
        side, cols = head[:first], head[first:]
        if not side:
            lead = _leading_unknown(src, cols[0])
            head = cols = [*lead, *cols]
        start = head[0].a
        rows.extend(meta_rows(src, last, start))
        if side:
            rows.append(Row(name, src.line(start), tuple(t.text for t in side), grid=True))
        hstart = cols[0].a
        rows.append(Row(name, src.line(hstart), tuple(t.text for t in cols), grid=True))
        body_start = cols[-1].b
        while body_start < len(src.text) and src.text[body_start] in " \t\n\u3000":
            body_start += 1
        body_end = runs[n + 1][0].a if n + 1 < len(runs) else len(src.text)
        body_end, trailer_at = _trailer(src, body_start, body_end) if body_end - body_start <= MAX_BODY \
            else (body_end, None)
        body_rows, body_notes = read_body(src, body_start, body_end, roles(cols))
        rows.extend(body_rows)
        notes.extend(body_notes)
        if trailer_at is not None:
            rows.extend(trailer_rows(src, trailer_at, runs[n + 1][0].a if n + 1 < len(runs) else len(src.text)))
            last = runs[n + 1][0].a if n + 1 < len(runs) else len(src.text)
        else:
            last = body_end
    if not any(r.grid and len(r.cells) > 2 for r in rows):
        return None
    return rows, notes


_PIPED = re.compile(r"\S\s*\|\s*\S")
_CJK = re.compile("[\u4e00-\u9fff]")
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)")


def prepare(text: str, name: str) -> tuple[str, list[Finding]]:
    """The text as the readers take it, and what was changed: traditional characters folded to simplified
    (OpenCC), the pinyin that some web copies put after characters (``學(xué)校``) taken out."""
    notes: list[Finding] = []
    simple = to_simplified(text)
    if simple is not text and simple != text:
        head = text[:100_000]            # the share of traditional characters, from the beginning
        cjk = len(_CJK.findall(head))
        if sum(a != b for a, b in zip(head, simple[:100_000], strict=False)) >= 0.1 * cjk:
            text = simple
        notes.append(Finding(name, "文件是繁体字，按简体字读取（OpenCC 繁简转换），导入的名称和指标值是简体", INFO,
                             code="encoding"))
    glosses = len(_PINYIN.findall(text))
    if glosses >= 3:
        text = _PINYIN.sub("", text)
        notes.append(Finding(name, f"文字中有 {glosses} 处汉字后面加注的拼音（如“学(xué)”），是网页转载时加上的，已去掉",
                             INFO, code="encoding"))
    return text, notes


def _trailer(src: Source, start: int, end: int) -> tuple[int, int | None]:
    """Where the rows after the table (总分, 合计, 注：, 填表人…) begin within a body, if they do: a trailer
    word after a value or a mark, or at the start of a piece apart at white space."""
    body = src.text[start:end]
    trailers = words()["trailers"]
    for c in cut_points(body, src.bars):
        rest = fold(body[c.start:c.start + 12])
        word = next((w for w in trailers if rest.startswith(w)), "")
        after = rest[len(word):len(word) + 1]
        if c.why == "trailer" or (word and c.why in ("newline", "blank", "space", "cell") and not _cjk_char(after)):
            return start + c.end, start + c.start
    return end, None


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
            out.append(Row(src.name, src.line(start + prev), cells, grid=True))
        if c:
            prev = c.start
    return out


def read_body(src: Source, start: int, end: int, hypotheses: list[list[Column]]) -> tuple[list[Row], list[Finding]]:
    """The indicator rows of one table body, with a note on each (or a warning where it cannot be read)."""
    body = src.text[start:end]
    if len(body) > MAX_BODY:
        return [], [Finding(src.where(start), f"表头下的文字有 {len(body):,} 个字符，超过逐格切分的上限 {MAX_BODY:,}，"
                            "没有切分；请把表格分成几个文件，或导入带制表符的文本、Excel 工作簿", WARNING,
                            code="unplaced")]
    cuts = _weigh(body, cut_points(body, src.bars))
    dense = any(c.why == "cell" for c in cuts)
    notes: list[Finding] = []
    if not hypotheses:
        return [], [Finding(src.where(start), "表头中没有指标名称列（三级指标），无法切分表格的各行", WARNING, code="unplaced")]
    columns, fitted, _cost = best_reading(body, cuts, hypotheses, dense)
    rows: list[Row] = []
    for n, fr in enumerate(fitted):
        cut_off = n == len(fitted) - 1 and end == len(src.text) and not src.text[-1:].isspace()
        row, note = _row(src, start, body, columns, fr, last=cut_off)
        if row is not None:
            rows.append(row)
        notes.append(note)
    return rows, notes


_EXPLICIT = ("space", "newline", "blank", "cell", "bar")
_INFERRED = ("value", "desc", "phrase", "repeat")


def _weigh(body: str, cuts: list[Cut]) -> list[Cut]:
    """How firmly the evidence inside a stretch of text holds, by how the text sets its cells apart.

    Where nearly every separator is a blank line or “|” (one cell a paragraph, a web table), a stretch is
    one cell: only white space and “|” cut. Where the stretches between white space are short (cells apart
    at single spaces), a cut inferred inside a stretch holds it together only a little and no number is
    split (``困难台胞432人、高龄台胞1792人`` stays one cell). Text run together keeps every cut.
    """
    white = [c for c in cuts if c.why in _EXPLICIT]
    if len(white) < 4:
        return cuts
    hard = sum(c.why in ("blank", "cell", "bar") or c.hold >= NEVER for c in white)
    if hard >= 0.8 * len(white):
        return [c for c in cuts if c.why in _EXPLICIT or c.why == "level"]
    stretches = body.split()
    if sum(map(len, stretches)) > 20 * len(stretches):
        return cuts
    weight = {**dict.fromkeys(_INFERRED, 0.1), "space": 1.5}
    return [Cut(c.end, c.start, c.why, c.cost, c.hold * weight.get(c.why, 1.0)) for c in cuts
            if c.why != "digits"]


def _row(src: Source, base: int, body: str, columns: list[Column], fr: FitRow, last: bool
         ) -> tuple[Row | None, Finding]:
    """The grid row of one reading, and its note. A name whose value reads as no target is imported as
    written when white space set its cells apart; when the cells were cut by inference, or it is the last
    piece of a text that stops there, it is not imported and the warning says why."""
    cells = [""] * len(columns)
    for k, (a, b) in fr.cells.items():
        cells[k] = clean(body[a:b])
    where = src.where(base + fr.start)
    shown = "｜".join(f"{columns[k].header}“{cells[k]}”" for k in sorted(fr.cells) if cells[k])
    why = "、".join(dict.fromkeys(WHY[c.why] for c in fr.used if c.why in WHY and c.why not in ("space", "newline")))
    dropped = [clean(body[a:b]) for a, b in fr.junk]
    junk = "、".join(f"“{t}”" for t in dropped if kind_of(t) not in (BLANK, ORDINAL))
    marks = "、".join(f"“{t}”" for t in dropped if kind_of(t) in (BLANK, ORDINAL))
    name = next((cells[k] for k, c in enumerate(columns) if c.role in ("name2", "name") and cells[k]), "")
    values = [cells[k] for k, c in enumerate(columns) if c.role == "value" and cells[k]]
    row = Row(src.name, src.line(base + fr.start), tuple(cells), grid=True)
    if name and len(fr.cells) == 1 and _section(name):
        return row, Finding(where, f"“{name}”独占一行，像是分段标题（一、…／1.…／…目标），交给表格读取",
                            INFO, code="separator")
    ends_text = last and max(b for _a, b in fr.cells.values()) >= len(body.rstrip())
    if name and ends_text and kind_of(cells[max(fr.cells)]) not in (VALUE, NUMBER, WORD):
        return None, Finding(where, f"原文在“{cells[max(fr.cells)]}”处截断，这一段没有作为指标导入：{shown}", WARNING,
                             code="unplaced")
    if name and not any(_target(v) for v in values):
        explicit = all(c.why in _EXPLICIT for c in fr.used)
        if values and explicit and not last:
            return row, Finding(where, f"切分为 {shown}；指标值“{values[0]}”读不出目标，按原文导入，请对照原件核对",
                                WARNING, code="separator")
        why_not = (f"指标值“{values[0]}”读不出目标" + ("（原文在这里截断）" if last else "")) if values \
            else "没有指标值" + ("（原文在这里截断）" if last else "")
        return None, Finding(where, f"“{name}”{why_not}，这一段没有作为指标导入：{shown}"
                             + (f"；放不进任何列的文字：{junk}" if junk else ""), WARNING, code="unplaced")
    if junk:
        return row, Finding(where, f"切分为 {shown}；这些文字放不进任何列，未导入：{junk}", WARNING, code="unplaced")
    if fr.tied:
        return row, Finding(where, f"这一段有两种同样合理的切分，按 {shown} 读取，请对照原件核对", WARNING,
                            code="ambiguous")
    return row, Finding(where, f"切分为 {shown}" + (f"（依据：{why}）" if why else "")
                        + (f"；占位符号、行的编号{marks}不是内容，略去" if marks else ""), INFO, code="separator")


_SECTION = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.．、](?!\d))")


def _section(text: str) -> bool:
    """A row that is only a heading of the rows below it: 一、投入目标, 1.数量目标, (二)效益目标."""
    return bool(_SECTION.match(text)) or kind_of(text) == SHAPE


def _target(text: str) -> bool:
    """Whether a value cell reads as a target: a value, a number, a target phrase, or words that the target
    grammar reads (a single character that is no listed target is a piece cut off, not a target)."""
    kind = kind_of(text)
    if kind in (VALUE, NUMBER, WORD, SOFT):
        return True
    return kind in (TEXT, NAME) and len(text.strip()) >= 2 and parse(text).kind != "invalid"


# --------------------------------------------------------------------------------------------------
# above the header: the project information
# --------------------------------------------------------------------------------------------------

@cache
def _labels() -> re.Pattern:
    v = vocabulary()
    ws = {*v["meta"], *(w for ws in v["funds"].values() for w in ws if len(w) >= 4), *words()["info"],
          *(w for ws in v["goals"].values() for w in ws)}
    return re.compile("|".join(map(re.escape, sorted((w for w in ws if len(w) >= 2), key=len, reverse=True))))


def meta_rows(src: Source, start: int, end: int) -> list[Row]:
    """The lines above a header as rows: a title alone; each label of the project information (项目名称,
    主管部门, 资金, 目标…) starts a row of its own with the text up to the next label; a label that is not
    imported (项目类别, 立项依据…) stays in the row before it, as in the table; pieces apart at single
    spaces stay apart."""
    out: list[Row] = []
    text = src.text[start:end]
    pos = start
    for line in text.split("\n"):
        cells: list[str] = []
        for chunk in (line.replace("|", " ") if src.bars else line).split():
            for piece in _split_labels(chunk):
                if is_title(piece) or meta_field(piece) or (_is_label(piece) and not info_label(piece)):
                    if cells:
                        out.append(Row(src.name, src.line(pos), tuple(cells), grid=True))
                    cells = [piece]
                    if is_title(piece):
                        out.append(Row(src.name, src.line(pos), tuple(cells), grid=True))
                        cells = []
                else:
                    cells.append(piece)
        if cells:
            out.append(Row(src.name, src.line(pos), tuple(cells), grid=True))
        pos += len(line) + 1
    return out


def _is_label(text: str) -> bool:
    m = _labels().match(fold(text))
    return bool(m) and m.end() >= len(label(text)) - 1


_TITLE_END = re.compile(r"(?:绩效目标表|绩效目标申报表|绩效目标批复表|绩效目标审核表|绩效目标审批表|绩效自评表|绩效目标自评表)"
                        r"(?:[(（][^()（）]{0,12}[)）])?")


def _split_labels(chunk: str) -> list[str]:
    """A run-together stretch of project information cut before each label and after a title."""
    folded = fold(chunk)
    marks = {0, len(chunk)}
    for m in _labels().finditer(folded):
        marks.add(m.start())
        marks.add(m.end())
    for m in _TITLE_END.finditer(folded):
        start = max((k for k in marks if k < m.start()), default=0)
        marks = {k for k in marks if not start < k < m.end()}
        marks.add(m.end())
    cut = sorted(marks)
    pieces = [chunk[a:b] for a, b in itertools.pairwise(cut) if chunk[a:b].strip(":：")]
    return pieces
