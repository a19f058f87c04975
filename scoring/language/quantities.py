"""Numbers with their units, and the comparator words around them, in a normalised 指标值.

Quantities are tokenised here, not by pint: a number (Arabic, Chinese numerals, ``半``, ``百分之九十``),
a multiplier (万, 亿) and the longest known unit (``个小时`` → 小时, ``元/人·天``). A unit never
vanishes: an unknown CJK character after an Arabic number is a new counter of its own (``28万粒`` → 粒),
flagged by :func:`scoring.language.units.is_known`. The comparator words come from
``rules/language/operators.yaml``; the characters that are not counters from ``counters.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scoring.language import vocabulary as vocab
from scoring.language.numerals import (
    ARABIC,
    CHINESE,
    CHINESE_NUMERAL_CHARS,
    arabic_to_number,
    chinese_to_number,
    match_multiplier,
)
from scoring.language.units import is_duration, match_compound_unit, match_unit

PREFIX_OPS: dict[str, str] = vocab.table("operators", "prefix")
SUFFIX_OPS: dict[str, str] = vocab.table("operators", "suffix")
PREFIX_FILLER = vocab.words("operators", "filler")
BARE_ONLY = frozenset(vocab.words("operators", "bare_only"))
NOT_AFTER = {w: tuple(v) for w, v in vocab.table("operators", "not_after").items()}
SUFFIX_NOT_BEFORE = {w: tuple(v) for w, v in vocab.table("operators", "suffix_not_before").items()}
RANGE_SEPARATORS = vocab.words("operators", "range_separators")
NONE_TARGETS = frozenset(vocab.words("operators", "none_targets"))
NOT_COUNTERS = frozenset(vocab.words("counters", "not_counters"))
_NOT_A_QUANTITY_BEFORE = frozenset(vocab.words("counters", "not_a_quantity_before"))
_NOT_A_CHINESE_QUANTITY_BEFORE = frozenset(vocab.words("counters", "not_a_chinese_quantity_before"))
_PREFIX_BY_LENGTH = sorted(PREFIX_OPS, key=len, reverse=True)


def by_last_char(words) -> dict[str, tuple[str, ...]]:
    """Words grouped by their last character, longest first: an ``endswith`` test tries only a few."""
    out: dict[str, list[str]] = {}
    for w in sorted(words, key=len, reverse=True):
        out.setdefault(w[-1], []).append(w)
    return {c: tuple(ws) for c, ws in out.items()}


_PREFIX_BY_LAST = by_last_char(PREFIX_OPS)
_SUFFIX_BY_LENGTH = sorted(SUFFIX_OPS, key=len, reverse=True)
# Operator words whose absence of a following number means the sentence was cut off.
CUTOFF_WORDS = tuple(w for w in _PREFIX_BY_LENGTH if len(w) >= 2 or w in "≥≤<>=")


@dataclass(frozen=True, slots=True)
class Quantity:
    value: float
    unit: str
    start: int  # where the number starts (a sign included)
    end: int  # after the unit (or the number when there is none)
    chinese: bool  # written in Chinese numerals
    per: str = ""  # a rate written without its own unit (``620万/月``): the unit after the slash


_NUMBER_START = re.compile(f"[0-9.{CHINESE_NUMERAL_CHARS}半]|百分之")


def _read_number(t: str, i: int) -> tuple[float, int, bool] | None:
    """A number at ``t[i:]``: (value, end, written in Chinese).

    >>> _read_number("两百辆", 0)
    (200.0, 2, True)
    >>> _read_number("1,000人", 0)
    (1000.0, 5, False)
    """
    m = ARABIC.match(t, i)
    if m:
        return arabic_to_number(m.group()), m.end(), False
    m = CHINESE.match(t, i)
    if m:
        run = m.group()
        # Give back trailing 万/亿/十/百/千 only when the whole run is not a number.
        for cut in range(len(run), 0, -1):
            value = chinese_to_number(run[:cut])
            if value is not None:
                return value, i + cut, True
        return None
    if t.startswith("半", i):
        return 0.5, i + 1, True
    return None


def _is_cjk(c: str) -> bool:
    """A CJK ideograph, the extensions included (OpenCC folds some traditional characters into them)."""
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\U00020000" <= c <= "\U0003134f"


def new_counter(t: str, pos: int, longest: int = 2) -> tuple[str, int] | None:
    """An unknown counter at ``t[pos:]``: the CJK word that ends the phrase when it is short (``空方``,
    ``标箱``), else its first character (``28万粒种子`` → 粒).

    >>> new_counter("28万粒", 3), new_counter("300航次", 3), new_counter("≥3000空方", 5)
    (('粒', 1), ('航次', 2), ('空方', 2))
    >>> new_counter("28万粒种子", 3), new_counter("60岁以上", 2), new_counter("3以上", 1)
    (('粒', 1), ('岁', 1), None)
    """
    if pos >= len(t) or not _is_cjk(t[pos]) or t[pos] in NOT_COUNTERS or t[pos] in CHINESE_NUMERAL_CHARS:
        return None
    end = pos + 1
    while end < len(t) and _is_cjk(t[end]) and t[end] not in NOT_COUNTERS and end - pos <= longest:
        end += 1
    if end - pos <= longest and (end == len(t) or not _is_cjk(t[end]) or t[end] in NOT_COUNTERS):
        return t[pos:end], end - pos
    return t[pos], 1


def _single_counter(t: str, pos: int) -> tuple[str, int] | None:
    """A new counter of one character, as a part of a compound unit (``元/生·天``)."""
    found = new_counter(t, pos, longest=1)
    return found if found and found[1] == 1 else None


def _unit_at(t: str, end: int, arabic: bool) -> tuple[str, int]:
    """The unit after a number: (canonical unit, where it ends); a known unit + 次 (家次) or a new counter."""
    found = match_compound_unit(t, end, unknown=_single_counter if arabic else None)
    if found:
        unit, uend = found[0], end + found[1]
        if arabic and t.startswith("次", uend) and "/" not in unit and match_unit(t, end)[1] == found[1] \
                and not unit.endswith("次") and unit not in ("人", "年", "月", "日", "天"):
            return unit + "次", uend + 1  # 家次, 剂次: a counter of visits
        return unit, uend
    if arabic:
        counter = new_counter(t, end)
        if counter:
            return counter[0], end + counter[1]
    return "", end


def find_quantities(t: str) -> list[Quantity]:
    """Every number-with-unit in a normalised text, left to right.

    >>> [(q.value, q.unit) for q in find_quantities("≥1.2万亩，≤400元/人、天")]
    [(12000.0, '亩'), (400.0, '元/人·天')]
    """
    out: list[Quantity] = []
    i, n = 0, len(t)
    while i < n:
        m = _NUMBER_START.search(t, i)
        if not m:
            break
        i = m.start()
        percent_words = t.startswith("百分之", i)
        num = _read_number(t, i + 3 if percent_words else i)
        if num is None:
            i += 1
            continue
        value, end, chinese = num
        chinese = chinese or percent_words
        # 一个半小时 / 1个半小时
        if t.startswith("个半", end):
            value, end = value + 0.5, end + 2
        elif t.startswith("半", end) and not percent_words and match_compound_unit(t, end + 1):
            value, end = value + 0.5, end + 1
        if not chinese or percent_words:
            factor, used = match_multiplier(t, end)
            # 3千米 is a length, not 3000 米: a unit that starts with the multiplier wins.
            longer = match_compound_unit(t, end)
            if used and not (longer and longer[1] > used):
                value, end = value * factor, end + used
        if percent_words:
            unit, uend = "%", end
        else:
            unit, uend = _unit_at(t, end, not chinese)
            if t.startswith("半", uend) and unit and not t.startswith("半", end):  # 1年半, 两天半
                value, uend = value + 0.5, uend + 1
        if _is_not_a_quantity(t, i, end, uend, unit, chinese, value):
            i = max(end, i + 1)
            continue
        start = i
        if i > 0 and t[i - 1] in "+-" and (i == 1 or not (out and out[-1].end == i - 1)):
            if t[i - 1] == "-":
                value = -value
            start = i - 1
        per = ""
        if not unit and t.startswith("/", uend):  # 620万/月: a rate whose own unit was left out
            found = match_unit(t, uend + 1) or _single_counter(t, uend + 1)
            if found is not None and found[0] not in ("%", "‰") and not found[0].startswith("/"):
                per, uend = found[0], uend + 1 + found[1]
        elif unit and "/" not in unit:
            unit = per_unit(t, out[-1].end if out else 0, start, unit)
        out.append(Quantity(value, unit, start, uend, chinese, per))
        i = uend
    return out


_PER_WINDOW = 8  # 每羽不超过0.6元: at most this many characters between 每X and the number
_CLAUSE_END = frozenset("，,。；;、:：()")


def per_unit(t: str, floor: int, start: int, unit: str) -> str:
    """``unit`` per what a ``每`` before the number names: ``每羽不超过0.6元`` → 元/羽, ``每人每月300元`` →
    元/人·月. Only when one of them is not a time (``每月不少于2次`` stays 次: a count per month is
    answered by the count).

    >>> per_unit("每羽不超过0.6元", 0, 5, "元"), per_unit("每人每月300元", 0, 4, "元"), per_unit("每月≥4次", 0, 3, "次")
    ('元/羽', '元/人·月', '次')
    >>> per_unit("每亩补贴150元", 0, 4, "元"), per_unit("全年补贴150元", 0, 4, "元")
    ('元/亩', '元')
    """
    at = t.rfind("每", floor, start)
    while at > floor and (earlier := t.rfind("每", floor, at)) >= 0 and _per_word(t, earlier) == at - earlier:
        at = earlier  # 每人每月: the chain starts at the first 每
    if at < 0 or start - at > 2 * _PER_WINDOW or not _CLAUSE_END.isdisjoint(t[at:start]):
        return unit
    parts: list[str] = []
    pos = at
    while t.startswith("每", pos):
        found = match_unit(t, pos + 1) or _single_counter(t, pos + 1)
        if found is None or found[0] in ("%", "‰") or found[0].startswith("/"):
            break
        parts.append(found[0])
        pos += 1 + found[1]
    if not parts or start - pos > _PER_WINDOW or all(is_duration(p) for p in parts):
        return unit
    return f"{unit}/{'·'.join(parts)}"


def _per_word(t: str, at: int) -> int:
    """The length of ``每X`` at ``t[at:]`` (0 when X is not a unit or a counter)."""
    found = match_unit(t, at + 1) or _single_counter(t, at + 1)
    return 1 + found[1] if found is not None else 0


def _is_not_a_quantity(t: str, start: int, end: int, uend: int, unit: str, chinese: bool, value: float) -> bool:
    before = t[start - 1] if start > 0 else ""
    after = t[uend] if uend < len(t) else ""
    if before == "第":  # 第3季度, 第一次: ordinals
        return True
    if unit in ("年",) and value.is_integer() and 1900 <= value <= 2100 and not t.startswith(("内", "以内"), uend):
        return True  # 2023年: a year, not a duration
    if not unit and after in "年月日号" and after:  # 12月31日, 2023年
        return True
    if unit in ("月", "日", "天") and after in "日号" and after:
        return True
    if unit and after == "性":  # 一次性, 一站式
        return True
    if after in _NOT_A_QUANTITY_BEFORE and not unit:  # 一级指标, 3A景区
        return True
    if chinese:
        if not unit and not t.startswith("百分之", start):
            return True  # 两岸, 一体化: a Chinese numeral counts only with a unit
        if after in _NOT_A_CHINESE_QUANTITY_BEFORE:
            return True
    return False


def prefix_op(t: str, q: Quantity, floor: int) -> tuple[str, int] | None:
    """The operator written right before a quantity: (op, where it starts)."""
    head = t[floor:q.start]
    for filler in ("", *PREFIX_FILLER):
        if filler and not head.endswith(filler):
            continue
        h = head[: len(head) - len(filler)]
        for word in _PREFIX_BY_LAST.get(h[-1:], ()):
            if h.endswith(word):
                if word in BARE_ONLY and filler:
                    continue
                if word in NOT_AFTER and h.endswith(NOT_AFTER[word]):
                    continue
                return PREFIX_OPS[word], floor + len(h) - len(word)
    return None


def suffix_op(t: str, q: Quantity) -> tuple[str, int] | None:
    """The operator written right after a quantity: (op, where it ends)."""
    for word in _SUFFIX_BY_LENGTH:
        if t.startswith(word, q.end):
            if word in SUFFIX_NOT_BEFORE and t.startswith(SUFFIX_NOT_BEFORE[word], q.end):
                continue
            return SUFFIX_OPS[word], q.end + len(word)
    return None
