"""Text whose table cells ran together: where a cell may end, and what a piece of text is.

PDF and Word extraction often loses a table's cell borders: ``数量指标办公大楼日常维修维护次数反映办公大楼
全年维修维护情况2280次大楼安检巡察次数…``. Two pure functions give the evidence that
:mod:`scoring.importer.gridfit` weighs to cut such text into cells:

- :func:`cut_points`: every place where one cell may end and the next begin, each with its evidence (a level
  name from ``levels.yaml``, a value of the target grammar starting or ending, a description starting with
  反映…, a target phrase after a name's ending, white space, a blank line) and two costs: of cutting there,
  and of keeping the two sides in one cell.
- :func:`kind_of`: what a piece reads as (a level name, a value, a bare number, a target phrase, a description,
  a name, a unit, a 指标性质 word, a placeholder).

The extra word lists are ``rules/language/runtogether.yaml``; everything else is the vocabulary the rest of
the importer and the target parser already read.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from scoring.importer.piecekinds import (
    _BARE,
    _CLOSE,
    _GROUPED,
    _JOINERS,
    _NUMBER_ONLY,
    _OPEN,
    _SYMBOL_OPS,
    SOFT,
    TEXT,
    VALUE,
    WORD,
    _cjk,
    _target_start,
    baseline_year,
    fold,
    kind_of,
    level_name,
    opens_change,
    value_spans,
    words,
)
from scoring.language import levels
from scoring.language.numerals import match_multiplier
from scoring.language.units import match_compound_unit

NEVER = 1e6   # a cost that no reading pays
_LIST_MARKS = "、"   # nor ends with the mark between the items of a list (5000吨稻谷、500吨成品粮…率)

# Evidence for a cut (the report says which).
WHY = {"level": "层级名称", "value": "指标值", "digits": "连写的数字按列拆开", "desc": "描述的开头",
       "phrase": "名称结尾后的目标", "repeat": "同一目标写了两遍", "trailer": "表后的行", "space": "空格",
       "newline": "换行", "blank": "空行", "cell": "空单元格", "label": "标签", "bar": "“|”",
       "echo": "指标内容重述名称", "unit": "计量单位或指标性质",
       "columns": "连写的数字按指标值、分值各列拆开"}


@dataclass(frozen=True)
class Cut:
    """A place where a cell may end (``end``) and the next begin (``start``; after white space)."""

    end: int
    start: int
    why: str
    cost: float = 0.0     # of cutting here
    hold: float = 0.0     # of keeping both sides in one cell (NEVER: they are never one cell)



def _depths(s: str) -> list[int]:
    """Bracket depth at each position (a cut never falls inside brackets or quotes)."""
    out, depth = [], 0
    for c in s:
        out.append(depth)         # brackets open before this position
        if c in _CLOSE and depth:
            depth -= 1
        elif c in _OPEN:
            depth += 1
    return out




def _cuts_in_chunk(s: str, base: int, hints: frozenset[str] = frozenset()) -> list[Cut]:
    """Cuts inside one stretch of text without white space (``base`` is its offset in the whole text)."""
    w = words()
    if w["ordinal"].fullmatch(s):
        return []            # 目标2: a row's number, one piece
    depth = _depths(s)
    cuts: dict[int, Cut] = {}

    def add(p: int, why: str, cost: float = 0.0, hold: float = 1.5) -> None:
        if 0 < p < len(s) and not depth[p] and s[p] not in _JOINERS and s[p - 1] not in _LIST_MARKS \
                and (p not in cuts or cuts[p].hold < hold):
            cuts[p] = Cut(base + p, base + p, why, cost, hold)

    for m in _ITEM.finditer(s, 1):
        if s.startswith(("指标", "目标"), m.start()):
            add(m.start(), "level", hold=2.0)   # …长度公里指标2:灌区节水改造面积: a numbered row begins
    note = w["level_note"].match(s)
    if note:
        add(note.end(), "level", hold=3.0)   # (必填硬性指标) after a level name apart at white space
    taken = [False] * len(s)
    prev = (-1, "")
    for m in w["levels"].finditer(s):
        a, b = m.span()
        if (a, m.group()) == prev and not _may_be_level1(m.group()):
            add(a, "level", hold=3.0)   # 数量指标数量指标福彩APP…: a 二级 is not under itself, the name repeats it
            continue
        prev = (b, m.group())
        if a > 1 and s[a - 1] in "或及和、" and not any(taken[a - 2:a]):
            k = a - 1   # 社会公众或服务对象满意度指标: one level name
            while k > 0 and _cjk(s[k - 1]) and not taken[k - 1] and a - k < 8:
                k -= 1
            a = k if k == 0 or not _cjk(s[k - 1]) else a
        for p in range(a, b):
            taken[p] = True
        add(a, "level", hold=3.0)
        add(b, "level", hold=3.0)
    spans = [(a, b) for a, b in value_spans(s) if not any(taken[a:b]) and not baseline_year(s, a)]
    in_value = [False] * len(s)
    for a, b in spans:
        for p in range(a, b):
            in_value[p] = True
    for a, b in spans:
        add(a, "value", hold=1.5)
        add(b, "value", hold=1.5)
        half = (b - a) // 2
        if half and s[a:a + half] == s[a + half:b] and _NUMBER_ONLY.fullmatch(s[a:a + half]):
            add(a + half, "repeat", hold=2.0)   # 1010: the same number twice (target and actual, 10 | 10)
        for p in range(a + 1, b):
            if s[p] in _SYMBOL_OPS and s[p - 1] not in _SYMBOL_OPS:
                add(p, "value", hold=2.0)
            elif s[p - 1].isdigit() and s[p].isdigit() and s[p] != "0" and not _GROUPED.search(s, a, p):
                add(p, "digits", cost=0.8, hold=0.0)
    for m in _GLUED.finditer(s):               # 102370人2370人, 52021年12月完成2021年12月完成: the points, then
        for p in range(m.start() + 1, min(m.end(), m.start() + 2) + 1):     # the target and the actual alike
            k = next((k for k in range(min(40, (len(s) - p) // 2), 1, -1) if s[p:p + k] == s[p + k:p + 2 * k]), 0)
            if k and s[p].isdigit() and not s[p + k - 1].isdigit():
                add(p, "repeat", hold=2.0)
                add(p + k, "repeat", hold=2.0)
                break
    for p, c in enumerate(s):
        if c in _SYMBOL_OPS and not taken[p] and not in_value[p]:
            add(p, "value", hold=1.5)      # a cut-off target: “>” with no number after it
    if "units" in hints:
        _unit_cuts(s, spans, taken, add)
    # Text between levels and values: descriptions, target phrases, trailers.
    bounds = sorted({0, len(s), *cuts})
    for a, b in itertools.pairwise(bounds):
        if not (taken[a] or in_value[a]):
            _text_cuts(s, a, b, add, "echo" in hints)
    return sorted(cuts.values(), key=lambda c: c.end)


def _may_be_level1(text: str) -> bool:
    name = level_name(text)
    return name is None or name in levels.AMBIGUOUS or levels.is_level1(name)


def _unit_cuts(s: str, spans: list[tuple[int, int]], taken: list[bool], add) -> None:
    """Where a table has a 计量单位 or 指标性质 column, the unit and the 指标性质 word stand apart from the name
    and the number: ``绿化美化公路米=3500`` (name | 米 | = | 3500), ``出差人数正向=8``, ``=0万元/人4``."""
    nature = words()["nature"]
    for word in nature:
        k = s.find(word, 2)
        while k > 0:
            if not any(taken[k:k + len(word)]):
                add(k, "unit", hold=1.0)           # 群众出行条件改善程度定性逐步改善: 定性 stands apart
                add(k + len(word), "unit", hold=1.0)
            k = s.find(word, k + 1)
    starts = sorted({a for a, _b in spans} | {p for p, c in enumerate(s) if c in _SYMBOL_OPS})
    for a in starts:
        q = a
        for _ in range(2):            # a unit and a 指标性质 word, in either order, before the value
            word = next((w for w in sorted(nature, key=len, reverse=True) if s.endswith(w, 0, q)), "")
            if not word:
                k = next((k for k in range(min(6, q), 0, -1) if not any(taken[q - k:q])
                          and (match_compound_unit(s, q - k) or ("", 0))[1] == k), 0)
                mult = next((m for m in (2, 1) if k and q - k - m > 0 and not any(taken[q - k - m:q - k])
                             and match_multiplier(s, q - k - m)[1] == m), 0)
                word = s[q - k - mult:q]        # 万亩: the multiplier goes with the unit
            if not word or q - len(word) <= 0:
                break
            q -= len(word)
            add(q, "unit", hold=1.0)
    for a, b in spans:
        q = a
        while q < b and not s[q].isdigit():
            q += 1
        while q < b and (s[q].isdigit() or s[q] in ".,"):
            q += 1
        if a < q < b and s[q] not in "%‰" and (match_compound_unit(s, q) or ("", 0))[1] == b - q:
            add(q, "unit", hold=0.5)    # the unit after the number, in a column of its own


def _text_cuts(s: str, a: int, b: int, add, echo: bool = False) -> None:
    """Cuts inside a stretch of words: before a description, around a target phrase after a name's ending,
    before a trailer word; and in the middle of a target written twice (显著提升显著提升). With ``echo`` (the
    table has a column of text right after its names), also after a name whose words the text after it
    takes up again (``补贴准确率`` | ``补贴发放准确率``: the 指标内容 restates the name)."""
    w = words()
    endings = w["endings"]
    inside = 0                      # no cut inside a description's opening words (主要考察 is not 主要|考察)
    for p in range(a + 1, b):
        named = p - a >= 2 and s.endswith(endings, a, p)
        if p < inside:
            continue
        if p - a >= 2 and s.startswith(w["desc"], p, b):
            add(p, "desc", hold=3.0 if named else 1.5)
            inside = p + next(len(d) for d in w["desc"] if s.startswith(d, p, b))
        elif named and s.startswith(w["desc_after_name"], p, b) and not s.startswith("指标", p, b):
            add(p, "desc", hold=2.0)
        elif named:
            phrase = _target_start(s[p:min(b, p + 40)])
            if phrase:
                add(p, "phrase", hold=1.0)
                if p + phrase < b:
                    add(p + phrase, "phrase", hold=1.0)
            elif echo and _echoes(s[a:p], s[p:min(b, p + 60)]):
                add(p, "echo", hold=2.0)
        if p - a >= 2 and opens_change(s, p, b) and not s.endswith(endings, p, b):
            add(p, "phrase", hold=3.0)   # …公益金 | 同比2022年销量显著提高: a change's baseline (同比增长率: a name)
        if s.startswith(w["trailers"], p, b) and (s[p - 1] in "。.…,，;；)" or not _cjk(s[p - 1])):
            word = next(t for t in w["trailers"] if s.startswith(t, p, b))
            after = s[p + len(word):p + len(word) + 1] if p + len(word) < b else ""
            if not after or not _cjk(after):
                add(p, "trailer", hold=3.0)
    for k in range(2, min(16, (b - a) // 2) + 1):
        if s[a:a + k] == s[a + k:a + 2 * k] and level_name(s[a:a + k]):
            add(a + k, "level", hold=3.0)     # 服务对象满意度服务对象满意度%: the 二级, then the name that repeats it
            break
    for k in range(min(40, (b - a) // 2), 1, -1):
        if s[b - k:b] == s[b - 2 * k:b - k] and kind_of(s[b - k:b]) in (WORD, SOFT, TEXT, VALUE):
            add(b - k, "repeat", hold=2.0)    # …培训已完成已完成: the target and the actual alike
            if b - 2 * k > a:
                add(b - 2 * k, "repeat", hold=1.0)
            break


def _echoes(name: str, rest: str) -> bool:
    """Whether the text after a name takes it up again: the name's ending word, or pairs of its characters
    that cover at least half of it, stand in it.

    >>> _echoes("补助人数", "实际发放解困工资人数"), _echoes("完成及时率", "各项工作按计划进度及时完成")
    (True, True)
    >>> _echoes("资金拨付", "及时率"), _echoes("项目年度", "绩效目标(定量指标)制度指标")
    (False, False)
    """
    ending = next((e for e in words()["endings"] if name.endswith(e)), "")
    if len(ending) >= 2 and ending in rest:
        return True
    covered: set[int] = set()
    for k in range(len(name) - 1):
        if _cjk(name[k]) and _cjk(name[k + 1]) and name[k:k + 2] in rest:
            covered.update((k, k + 1))
    return len(covered) * 2 >= len(name)




def cut_points(text: str, bars: bool = False, hints: frozenset[str] = frozenset()) -> list[Cut]:
    """Every place in ``text`` (several lines) where a cell may end, in order.

    White space is a cut that is cheap to keep inside a cell when it is a line break (a wrapped cell) and dear
    when it is a blank line; a line of spaces alone between blank lines is an empty cell. With ``bars``, “|”
    between cells on a line is a cut that is never kept inside a cell (a web table flattened to text).

    >>> t = "数量指标办公大楼日常维修维护次数反映办公大楼全年维修维护情况2280次大楼安检巡察次数"
    >>> [t[c.start:c.start + 5] for c in cut_points(t) if c.why != "digits"]
    ['办公大楼日', '反映办公大', '2280次', '大楼安检巡']
    >>> t = "成本控制率不超预算水电气消耗下降率反映水电气消耗"
    >>> [(c.why, t[c.start:c.start + 4]) for c in cut_points(t)]
    [('phrase', '不超预算'), ('phrase', '水电气消'), ('desc', '反映水电')]
    """
    folded = fold(text)
    cuts: list[Cut] = []
    parts = [m.span() for m in re.finditer(r"[^\s|]+|[\s|]+", folded)]
    inner = [None if set(folded[a:b]) <= _WHITE else _cuts_in_chunk(folded[a:b], a, hints) for a, b in parts]
    inside = _bracketed(folded)
    carry = ""
    for n, (a, b) in enumerate(parts):
        chunk = folded[a:b]
        if inner[n] is not None:
            cuts.extend(inner[n])
            continue
        if a == 0 or b == len(folded) or inside[a]:
            continue            # white space inside brackets (数量( ≥**个 )) is never a cell border
        if bars and "|" in chunk:
            white = [Cut(a, b, "newline" if "\n" in chunk else "bar", hold=NEVER)]
        else:
            white = _white_cuts(chunk, a)
        prev_cuts, next_cuts = inner[n - 1], inner[n + 1]
        tail = folded[max([parts[n - 1][0], *(c.start for c in prev_cuts or ())]):parts[n - 1][1]]
        if carry and not prev_cuts:
            tail = carry                                # 社会效益 指标 (必填): the level name so far
        b2 = parts[n + 1][1]
        head = _broken_level(tail, folded[parts[n + 1][0]:min([b2, *(c.end for c in next_cuts or ())])],
                             chunk) if prev_cuts is not None and next_cuts is not None else 0
        carry = ""
        unit = _unit_after_number(tail, folded[parts[n + 1][0]:b2], chunk)
        if unit and next_cuts is not None:
            white = [Cut(c.end, c.start, c.why, JOINED, 0.0) for c in white]     # 2000 次: the unit goes with it
            at = parts[n + 1][0] + unit
            if at < b2 and not any(c.end == at for c in next_cuts):
                inner[n + 1] = sorted([*next_cuts, Cut(at, at, "value", 0.0, 1.5)], key=lambda c: c.end)
        elif head:
            white = [Cut(c.end, c.start, c.why, JOINED, 0.0) for c in white]     # 社会效益 / 指标: one level name
            carry = tail + folded[parts[n + 1][0]:parts[n + 1][0] + head] if head == b2 - parts[n + 1][0] else ""
            if parts[n + 1][0] + head < parts[n + 1][1] and next_cuts is not None:
                at = parts[n + 1][0] + head             # 可持续影响 / 指标实现社会稳定…: the level name ends here
                if not any(c.end == at for c in next_cuts):
                    inner[n + 1] = sorted([*next_cuts, Cut(at, at, "level", 0.0, 3.0)], key=lambda c: c.end)
        elif any(level_name(folded[x:y]) for x, y in (parts[n - 1], parts[n + 1])) or (
                "\n" in chunk and (_ends_value(folded, parts[n - 1]) or _ITEM.match(folded, b))):
            white = [Cut(c.end, c.start, c.why, c.cost, max(c.hold, 3.0)) for c in white]  # a level name stands alone;
            #                                                             a value ends its cell (…≧90% / 7岁以下…)
        cuts.extend(white)
    return cuts


def _bracketed(folded: str) -> list[bool]:
    """Whether each position stands inside a pair of round brackets closed on the same line, at most 40
    characters long (an unclosed bracket holds nothing together).

    >>> t = "开发数量( ≥**个 ) >=4个"
    >>> [t[i] for i, x in enumerate(_bracketed(t)) if x]
    [' ', '≥', '*', '*', '个', ' ']
    """
    out = [False] * len(folded)
    opened: list[int] = []
    for i, c in enumerate(folded):
        if c == "\n":
            opened = []
        elif c in "(（":
            opened.append(i)
        elif c in ")）" and opened:
            a = opened.pop()
            if i - a <= 40 and not opened:
                out[a + 1:i] = [True] * (i - a - 1)
    return out


_GLUED = re.compile(r"(?<![\d.])[1-9]\d+")     # a string of digits that may start with a row's points (1, 10)
_ITEM = re.compile(r"(?:指标|目标)\d{1,3}[:：]|[(（]\d{1,3}[)）](?!\d)|\d{1,3}[、](?!\d)")   # 指标2: (2) 2、 a row's number


def _ends_value(folded: str, part: tuple[int, int]) -> bool:
    """Whether a stretch ends with a whole value of the target grammar (≧90%, 2280次, 100)."""
    a, b = part
    spans = value_spans(folded[max(a, b - 40):b])
    return bool(spans) and spans[-1][1] == min(40, b - a)


_WHITE = set(" \t\r\n|\u3000\u00a0")
JOINED = 8.0      # the cost of cutting a level name that white space broke in two


def _unit_after_number(tail: str, after: str, white: str) -> int:
    """The length of a unit that one space set apart from its number (``2000 次``, ``200 人次``, ``4 个``): the
    piece before the space is a bare number and the text after it begins with a unit; 0 otherwise.

    >>> _unit_after_number("2000", "次汇总突发事件", " "), _unit_after_number("2000", "汇总", " ")
    (1, 0)
    """
    if white != " " or not _BARE.match(tail or "-"):
        return 0
    unit = match_compound_unit(after, 0)
    return unit[1] if unit else 0


def _broken_level(tail: str, head: str, white: str) -> int:
    """How much of the text after one space or line break ends a level name that the break cut in two
    (``项目完成`` / ``指标``, ``社会效益 指标``, ``可持续影响`` / ``指标实现…``, ``数量指标 (必填硬性指标)``): the
    longest start of ``head`` that is no level name of its own and reads as one with the last piece before
    the break (``tail``); 0 when there is none.

    >>> t = "社会效益\\n指标\\n促进发展100%"
    >>> [(c.why, c.cost) for c in cut_points(t)][:2]
    [('newline', 8.0), ('newline', 0.0)]
    >>> _broken_level("可持续影响", "指标实现社会稳定和谐发展长期", "\\n"), _broken_level("指标", "(必填)受益人数", " ")
    (2, 0)
    """
    if white.count("\n") > 1 or "|" in white or not tail or len(tail) > 16:
        return 0
    for k in range(min(len(head), 16), 0, -1):
        if not level_name(head[:k]) and level_name(tail + head[:k]):
            return k
    return 0


def _white_cuts(ws: str, a: int) -> list[Cut]:
    """White space between two stretches of text: one cut, or several around empty cells.

    Cells written one a line are closed by a line of “|” (two such lines in a row hold an empty cell) or
    separated by blank lines (a line of spaces alone between them is an empty cell).
    """
    end = a + len(ws)
    if "|" in ws:
        bars = [a + i for i, c in enumerate(ws) if c == "|"]
        return [Cut(a if i == 0 else b, bars[i] + 1 if i + 1 < len(bars) else end, "cell", hold=NEVER)
                for i, b in enumerate(bars)]
    lines = ws.split("\n")
    if len(lines) == 1:
        return [Cut(a, end, "space", hold=2.0)]
    starts = [a]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    empty = [i for i in range(1, len(lines) - 1) if lines[i].strip("\r")]
    if not empty:
        blank = len(lines) > 2
        return [Cut(a, end, "blank" if blank else "newline", hold=NEVER if blank else 0.6)]
    out, pos = [], a
    for i in empty:
        out.append(Cut(pos, starts[i], "cell", hold=NEVER))
        pos = starts[i] + len(lines[i])
    out.append(Cut(pos, end, "cell", hold=NEVER))
    return out


def holds_row(line: str) -> bool:
    """Whether a line (white space taken out) reads as a whole row: a name, then a value of the target grammar
    or a target phrase after it.

    >>> holds_row("质量指标补贴覆盖率对符合条件的对象发放解困工资的覆盖率100%历史标准"), holds_row("流转土地>=60亩")
    (True, True)
    >>> holds_row("项目效益"), holds_row(">=90%"), holds_row("社会效益指标"), holds_row("实现社会稳定和谐发展长期")
    (False, False, False, True)
    """
    s = fold(line)
    w = words()
    first = next(iter(value_spans(s)), (len(s), len(s)))[0]
    for m in w["phrases_re"].finditer(s, 0, first):
        if _target_start(s[m.start():m.start() + 40]):
            first = m.start()
            break
    if first >= len(s):
        return False
    head = w["levels"].sub("", s[:first])
    return sum(_cjk(c) for c in head) >= 2


# --------------------------------------------------------------------------------------------------
# what a piece is
# --------------------------------------------------------------------------------------------------
