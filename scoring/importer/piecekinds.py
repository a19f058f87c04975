"""What a piece of run-together text is, and the words that tell: the vocabulary of :mod:`scoring.importer.pieces`.

- :func:`words`: the word lists of ``rules/language/runtogether.yaml`` with the level names, the endings of names,
  the target phrases and the operators the rest of the importer and the target parser read, compiled once.
- :func:`value_spans`: where a value of the target grammar stands in a text (``≥95%``, ``2280次``, ``2023年底前``).
- :func:`kind_of`: what a piece reads as (a level name, a value, a bare number, a target phrase, a description,
  a name, a unit, a 指标性质 word, a placeholder); :func:`level_name`, :func:`column_kind`, :func:`info_label`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from scoring.importer.headers import label, vocabulary
from scoring.language import levels
from scoring.language.changes import BASELINES, DIRECTIONS, MODIFIERS
from scoring.language.expressions import NAME_LIKE_SUFFIXES, NOUN_SUFFIXES, STATE_CUES
from scoring.language.normalize import SYMBOL_SPELLINGS
from scoring.language.numerals import ARABIC, match_multiplier
from scoring.language.quantities import PREFIX_OPS, SUFFIX_OPS
from scoring.language.units import match_compound_unit
from scoring.language.vocabulary import load
from scoring.language.vocabulary import words as vocab_words

# Piece kinds.
EMPTY, LEVEL, SHAPE, VALUE, NUMBER, WORD, SOFT, DESC, NAME, TEXT, UNIT, NATURE, BLANK, ORDINAL = (
    "empty", "level", "shape", "value", "number", "word", "soft", "desc", "name", "text", "unit", "nature", "blank",
    "ordinal")

@cache
def words() -> dict:
    data = load("runtogether")
    hv = vocabulary()
    names = {*levels.LEVEL1, *levels.ALL_LEVEL2, *(a for a in levels.ALIASES if a.endswith(("指标", "目标")))}
    endings = tuple(sorted({*data["name_endings"], *NAME_LIKE_SUFFIXES, *NOUN_SUFFIXES}, key=len, reverse=True))
    phrases = {*data["target_phrases"], *hv["split"]["trends"]}
    spellings = [a for a, b in SYMBOL_SPELLINGS if b in PREFIX_OPS]       # >=, ≧: other spellings of ≥
    ops = sorted({*(w for w in PREFIX_OPS if len(w) >= 2 or not _cjk(w)), *spellings}, key=len, reverse=True)
    hints = [(kind, tuple(ws)) for kind, ws in data["column_hints"]]
    return {
        "levels": re.compile("(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + ")"
                             + r"(?:\((?=[^()]{0,14}\))[^()]*(?:\d|分|或|" + "|".join(map(re.escape, data["level_notes"]))
                             + r")[^()]*\)分?)?"),
        "level_note": re.compile(r"\([^()]{0,12}(?:" + "|".join(map(re.escape, data["level_notes"])) + r")[^()]{0,12}\)"),
        "desc": tuple(sorted(data["description_starts"], key=len, reverse=True)),
        "desc_after_name": tuple(data["description_starts_after_name"]),
        "endings": endings,
        "phrases": tuple(sorted(phrases, key=len, reverse=True)),
        "patterns": re.compile("|".join(f"(?:{p})" for p in data["target_patterns"])),
        "ops": tuple(ops),
        "ops_end": re.compile("(?:" + "|".join(map(re.escape, ops)) + ")$"),
        "ops_start": re.compile("|".join(map(re.escape, (o for o in ops if len(o) >= 2))) + r"(?=[\u4e00-\u9fff])"),
        "phrases_re": re.compile("|".join(map(re.escape, sorted((p for p in phrases if len(p) >= 2), key=len,
                                                                  reverse=True)))),
        "suffix_ops": tuple(sorted(SUFFIX_OPS, key=len, reverse=True)),
        "nature": frozenset(data["nature_words"]),
        "trailers": tuple(sorted({w for w in hv["trailers"] if w}, key=len, reverse=True)),
        "info": tuple(label(w) for w in data["info_labels"]),
        "hints": hints,
        "ordinal": re.compile(data["ordinal"]),
        "ocr_ops": re.compile("(?<=[\u4e00-\u9fff])[" + "".join(map(re.escape, data["ocr_operators"])) + r"](?=\d)"),
    }


_NUMBER_ONLY = re.compile(r"\d+(?:\.\d+)?%?")


def _cjk(c: str) -> bool:
    return bool(c) and "\u4e00" <= c[0] <= "\u9fff"


# 1:1 width folding (positions stay put): full-width ASCII → ASCII, ideographic space → space.
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0x00A0: 0x20}


def fold(text: str) -> str:
    """The text with full-width letters, digits and brackets folded to ASCII, character for character.

    >>> fold("≥９５％（含）")
    '≥95%(含)'
    """
    return text.translate(_WIDTH)


_OPEN, _CLOSE = "(《“[【<", ")》”]】>"
_SYMBOL_OPS = "≥≤<>=≧≦"
_GROUPED = re.compile(r"[.,]")
_JOINERS = "、,，;；:：。"     # a cell never starts with the mark that joins the items of a list
_RANGE = "-~至到—"
_DATE = re.compile(r"(?:19|20)\d{2}年(?:\d{1,2}月(?:\d{1,2}[日号])?)?(?:年底|底|末|前|以前|之前|内)*"
                   r"|(?<!\d)\d{1,2}月(?:\d{1,2}[日号])?(?:底|末)?(?:前|以前|之前)"
                   r"|(?:19|20)\d{2}[.\-/]\d{1,2}(?:[.\-/]\d{1,2})?(?!\d)")


def value_spans(s: str) -> list[tuple[int, int]]:
    """Where the values of the target grammar stand in a folded text without white space: an operator,
    a number with its multiplier and unit (only units the unit table knows), a suffix such as 以上, a
    range, a date. Adjacent values are separate spans.

    >>> s = "安装坡面水标尺10≥266米≥266米10水标尺宽度"
    >>> [s[a:b] for a, b in value_spans(s)]
    ['10', '≥266米', '≥266米', '10']
    >>> s = "成本指标项目计划总投资1020万元20万元10"
    >>> [s[a:b] for a, b in value_spans(s)]
    ['1020万元', '20万元', '10']
    >>> s = "项目完成时间2024年12月31日前改厕率不低于95%满意度90%-100%"
    >>> [s[a:b] for a, b in value_spans(s)]
    ['2024年12月31日前', '不低于95%', '90%-100%']
    """
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(s):
        d = _DATE.match(s, i) if s[i].isdigit() and (i == 0 or not s[i - 1].isdigit()) else None
        m = ARABIC.match(s, i) if s[i].isdigit() and (i == 0 or not s[i - 1].isdigit()) else None
        if not (d or m):
            i += 1
            continue
        if not d and m.end() < len(s) and (s[m.end()] in ":：、" or (s[m.end()] == "." and not s[m.end() + 1:m.end() + 2]
                                           .isdigit())):
            i = m.end()          # 指标1:、1.预算投入资金、2、: a number that counts items, not a value
            continue
        start = i
        end = d.end() if d else _number_end(s, m.end())
        start = _op_before(s, start, spans[-1][1] if spans else 0)
        end = _suffix_after(s, end)
        if spans and spans[-1][1] >= start - 1 and s[spans[-1][1]:start] in _RANGE and start > spans[-1][1] \
                and not _has_op(s, start):
            start = spans.pop()[0]   # 90%-100%, 2020年-2022年: one range
        spans.append((start, end))
        i = end
    return spans


def _number_end(s: str, end: int) -> int:
    """After a number: its multiplier (万) and a known unit (元, 人次, %…), with every further part of a rate
    (元/月/人).

    >>> s = "1130元/月/人计划标准"
    >>> s[:_number_end(s, 4)]
    '1130元/月/人'
    """
    if end < len(s) and s[end] in "%‰":
        return end + 1
    longer = match_compound_unit(s, end)
    _f, used = match_multiplier(s, end)
    if used and not (longer and longer[1] > used):
        end += used
        longer = match_compound_unit(s, end)
    if longer:
        end += longer[1]
        while end < len(s) and s[end] == "/" and (more := match_compound_unit(s, end + 1)) and more[0][0] not in "%‰":
            end += 1 + more[1]
    return end


def _op_before(s: str, start: int, floor: int) -> int:
    lo = max(floor, start - 8)
    m = words()["ops_end"].search(s, lo, start)
    if not m and start - 1 >= max(floor, 1) and words()["ocr_ops"].match(s, start - 1):
        return start - 1           # 二100百分比: “=” as OCR reads it
    return m.start() if m else start


def _has_op(s: str, i: int) -> bool:
    return i > 0 and s[i - 1] in _SYMBOL_OPS


_REMARK = re.compile(r"\([^()\d]{1,10}\)")


def _suffix_after(s: str, end: int) -> int:
    """After a value: a suffix such as 以上, and a remark in brackets (``100%(历史标准)``, ``≥95%(含)``)."""
    for w in words()["suffix_ops"]:
        if s.startswith(w, end) and not (w == "内" and end + 1 < len(s) and _cjk(s[end + 1])):
            end += len(w)
            break
    m = _REMARK.match(s, end)
    return m.end() if m else end


def _ends_name(text: str) -> bool:
    return text.endswith(words()["endings"])

def _target_start(text: str) -> int:
    """The length of a target phrase at the start of ``text`` (0 if none): a listed phrase, or a comparator
    word followed by words (不超过预算); never the start of a name (完成率, 满意度)."""
    w = words()
    m = w["phrases_re"].match(text)
    if m:
        # the longest listed phrase here that is not the start of a name (完成率, 满意度)
        for p in (p for p in w["phrases"] if len(p) <= m.end() and len(p) >= 2 and text.startswith(p)):
            if not _ends_name(text[: len(p) + 1]) and not _ends_name(text[: len(p) + 2]):
                return len(p)
    m = w["patterns"].match(text)
    if m and not _ends_name(text[: m.end() + 1]):
        return m.end()
    if w["ops_start"].match(text) or _DIRECTION.match(text):
        return len(text)      # 不超过预算; 提升 up to the next cut (a level name, a value)
    return 0


_PLACEHOLDER = re.compile(r"^[…\.。·\-—/／、*＊_]+$|^(?:无|空|暂无|N/?A)$", re.I)
_BARE = re.compile(r"^\d+(?:,\d{3})*(?:\.\d+)?$|^\d*\.\d+$")
_POINTS_SUFFIX = re.compile(r"\([^()*≥≤<>=≧≦]*\)分?$")   # (20分), (必填): not a placeholder (≥**%)
_DIRECTION = re.compile("^(?:" + "|".join(map(re.escape, MODIFIERS)) + ")*(?:"
                        + "|".join(map(re.escape, sorted(DIRECTIONS, key=len, reverse=True))) + ")$")


_JOINED_LEVEL = re.compile(r"^[^\d]{1,8}[或及和、](.{4,12})$")


def level_name(text: str) -> str | None:
    """The level a piece names, or None: ``产出指标(70分)``, ``成本指标(0-20)分`` → 产出指标, 成本指标;
    ``社会公众或服务对象满意度指标`` → 服务对象满意度指标 (a level name with an alternative before it)."""
    s = fold(levels.squeeze(text))
    found = levels.canonical(s) or levels.canonical(_POINTS_SUFFIX.sub("", s))
    if found is None and s.endswith("指标"):
        m = _JOINED_LEVEL.match(s)
        found = levels.canonical(m.group(1)) if m else None
    return found


def kind_of(text: str) -> str:
    """What a piece of a table reads as.

    >>> [kind_of(t) for t in ("产出指标(70分)", "≥266米", "10", "显著提升", "反映大楼保卫巡检情况", "大楼安检巡察次数")]
    ['level', 'value', 'number', 'word', 'desc', 'name']
    >>> [kind_of(t) for t in ("人/次", "=", "正向", "……", "", "确保按时完成", "扶贫协作指标", "弥补我省高等教育不平衡")]
    ['unit', 'nature', 'nature', 'blank', 'empty', 'soft', 'shape', 'text']
    """
    return _kind(text) if len(text) <= 200 else _kind.__wrapped__(text)   # long texts are not kept


@lru_cache(maxsize=65536)
def _kind(text: str) -> str:
    s = fold(levels.squeeze(text)).strip(":：")
    if not s:
        return EMPTY
    w = words()
    if level_name(s):
        return LEVEL
    if _PLACEHOLDER.match(s):
        return BLANK
    if s in w["nature"] or s in PREFIX_OPS or re.fullmatch(r"[≥≤<>=≧≦]+", s):
        return NATURE
    if _BARE.match(s):
        return NUMBER
    unit = match_compound_unit(s, 0)
    mult = match_multiplier(s, 0)[1]
    if (unit and unit[1] == len(s)) or (mult and (mult == len(s) or (match_compound_unit(s, mult) or ("", 0))[1]
                                              == len(s) - mult)):
        return UNIT
    spans = value_spans(s)
    if len(spans) == 1 and spans[0] == (0, len(s)):
        return VALUE
    if s in w["phrases"] or w["patterns"].fullmatch(s) or _DIRECTION.match(s) or _target_start(s) == len(s):
        return WORD
    if s.startswith(w["desc"]):
        return DESC
    if w["ordinal"].fullmatch(s):
        return ORDINAL
    if s.endswith(("指标", "目标")) and len(s) <= 12 and not re.search(r"\d", s):
        return SHAPE
    if _ends_name(s):
        return NAME
    if (spans and spans[0][0] == 0) or any(c in s for c in STATE_CUES):
        return SOFT
    return TEXT


def column_kind(header: str) -> str:
    """What a column holds, from a header word that the header vocabulary does not know."""
    s = label(header)
    for kind, ws in words()["hints"]:
        if any(x in s for x in ws):
            return kind
    return "text"


def info_label(text: str) -> bool:
    return label(text) in words()["info"]


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_OPENERS = tuple(sorted(BASELINES, key=len, reverse=True))   # 同比, 较上年…: a change against a baseline begins
_YEAR_WORDS = tuple(vocab_words("changes", "baseline_year_words"))   # 较, 比: before a baseline year


def baseline_year(s: str, a: int) -> bool:
    """A year written as a change's baseline (同比2022年, 较2020年): part of the target, not a value of its own."""
    return bool(_YEAR.match(s, a)) and s.endswith((*_OPENERS, *_YEAR_WORDS), 0, a)


def opens_change(s: str, p: int, b: int) -> bool:
    """Whether a change against a baseline begins at ``p``: 同比…, 较上年…, 较2022年…"""
    if any(s.startswith(o, p - k) for o in _OPENERS for k in range(1, min(p, len(o) - 1) + 1)):
        return False              # 比2022年 inside 同比2022年: the change begins before
    word = next((w for w in _YEAR_WORDS if s.startswith(w, p, b)), "")
    return s.startswith(_OPENERS, p, b) or bool(word and _YEAR.match(s, p + len(word)))


_YEAR = re.compile(r"(?:19|20)\d{2}年")
