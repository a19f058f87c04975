"""Which way an answer says a figure moved, and by how much: the sign of a change written in words.

``负增长3%``, ``增长-3%``, ``下降3%``, ``同比下降3%``, ``减少了3%`` are all a fall of 3 % (a growth of −3 %);
``增长3%`` and ``+3%`` a rise. A number written with its own sign keeps it (README: 实际值保留符号), a number
without one takes the sign of the word just before it, and a negative word (``rules/language/answers.yaml``
``negative_words``) is either a minus sign (``负3%``) or the reverse of the direction it ends with
(``负增长`` is a fall). ``本年90万元，上年100万元`` is read with both figures' multipliers and units
(:func:`this_and_last_year`); a pair that cannot be compared is unreadable, with the reason.
"""

from __future__ import annotations

import re

from scoring.actuals.advice import unreadable
from scoring.actuals.numbers import signed
from scoring.actuals.reading import Reading
from scoring.actuals.vocabulary import AnswerWords
from scoring.language.comparator import Comparator
from scoring.language.expressions import DIRECTION_WORDS
from scoring.language.numerals import fmt_number
from scoring.language.quantities import Quantity, find_quantities
from scoring.language.units import IncompatibleUnits, factor

MINUS = "minus"  # a negative word that is a sign (负), not a direction (负增长)
_HEAD = 8  # characters before a number in which its word is looked for
_LAST_YEAR = re.compile(r"上一年度|上年度|上一年|上年|去年|前一年")
_THIS_YEAR = re.compile(r"本年度|本年|今年|当年")
_BETWEEN = 6  # at most this many characters between 上年 and its figure (上年同期为, 去年全年)
DIRECTIONS_LONGEST = tuple(sorted(DIRECTION_WORDS, key=len, reverse=True))


def negative_meaning(word: str) -> str:
    """What a negative word says: the reverse of the direction it ends with (``负增长`` → decrease), or a
    minus sign (``负``).

    >>> negative_meaning("负增长"), negative_meaning("负下降"), negative_meaning("负")
    ('decrease', 'increase', 'minus')
    """
    d = next((DIRECTION_WORDS[w] for w in DIRECTIONS_LONGEST if word.endswith(w)), None)
    if d is None:
        return MINUS
    return "decrease" if d == "increase" else "increase"


def word_before(text: str, q: Quantity, words: AnswerWords) -> tuple[str, str] | None:
    """The word just before a number that says which way it goes, and what it says (increase, decrease or
    minus): ``负增长3%`` → (负增长, decrease), ``同比下降了5%`` → (下降, decrease); None when there is none."""
    head = text[max(0, q.start - _HEAD):q.start].removesuffix("了")
    for w in sorted(words.negative_words, key=len, reverse=True):
        if head.endswith(w):
            return w, negative_meaning(w)
    w = next((w for w in DIRECTIONS_LONGEST if head.endswith(w)), None)
    return None if w is None else (w, DIRECTION_WORDS[w])


def has_own_sign(text: str, q: Quantity) -> bool:
    """Whether the number is written with a sign (``-3%``, ``+3%``)."""
    return text[q.start:q.start + 1] in "+-" and q.start < q.end


def directions(text: str, words: AnswerWords) -> tuple[bool, bool]:
    """Whether the text says up, and whether it says down, anywhere (``负增长`` says down, not up; ``减`` is down,
    ``增`` up: ``增372人次``)."""
    up = down = False
    for w in sorted(words.negative_words, key=len, reverse=True):
        meaning = negative_meaning(w)
        if meaning != MINUS and w in text:
            text = text.replace(w, " ")
            up, down = up or meaning == "increase", down or meaning == "decrease"
    up = up or any(w in text for w, d in DIRECTION_WORDS.items() if d == "increase") or "增" in text
    down = down or any(w in text for w, d in DIRECTION_WORDS.items() if d == "decrease") or "减" in text
    return up, down


def growth_value(text: str, q: Quantity, shown: str, words: AnswerWords, up: bool, down: bool) -> tuple[float, str | None]:
    """The change a number gives (positive a rise), and the assumption to record (None when the words say it
    plainly): its own sign wins (``增长-3%`` is −3, recorded); else the word just before it; else the text's one
    direction."""
    said = word_before(text, q, words)
    if has_own_sign(text, q):
        if said is None or said[1] == MINUS:
            return q.value, None
        return q.value, (f"“{shown}”中的数 {fmt_number(q.value)}{q.unit} 带符号，按较上年 {fmt_number(q.value)}{q.unit} 理解"
                         f"（以数的符号为准，不按“{said[0]}”再取正负）")
    if said is not None:
        return (abs(q.value) if said[1] == "increase" else -abs(q.value)), None
    if down and not up:
        return -abs(q.value), None
    return (abs(q.value) if up and not down else q.value), None


def this_and_last_year(t: str, shown: str, c: Comparator, words: AnswerWords) -> Reading | None:
    """``本年90万元，上年100万元``: a growth reading from both figures, each read with its multiplier and unit
    (a unit of the same kind converts, recorded); None when the text gives no last year's figure. Figures that
    cannot be compared (different kinds, one without its unit, no figure for this year) are unreadable, with
    the reason, never a wrong number."""
    qs = find_quantities(t)
    last = _last_year_figure(t, qs, words)
    if last is None:
        return None
    others = [q for q in qs if q is not last]
    if not others:
        return unreadable(shown, f"实际完成值“{shown}”只写了上年的数值，没有本年的数值，读不出较上年的变化", c)
    this = next((q for m in _THIS_YEAR.finditer(t) for q in others if 0 <= q.start - m.end() <= _BETWEEN), others[0])
    written_this, written_last = t[this.start:this.end], t[last.start:last.end]
    last_value, assumptions = last.value, [f"“{shown}”读作本年 {_with_unit(this.value, this.unit)}、上年 "
                                           f"{_with_unit(last.value, last.unit)}"]
    if this.unit != last.unit:
        if not this.unit or not last.unit:
            return unreadable(shown, f"本年“{written_this}”与上年“{written_last}”一个写了单位、一个没有写，"
                                     "无法确定是否同一单位", c, "请写明两年的数值和单位，如“本年90万元，上年100万元”")
        try:
            last_value = last.value * factor(last.unit, this.unit)
        except IncompatibleUnits:
            return unreadable(shown, f"本年“{written_this}”与上年“{written_last}”的单位不是同一类量，无法比较", c,
                              "请用同一单位写明两年的数值，如“本年90万元，上年100万元”")
        assumptions.append(f"上年“{written_last}”换算为 {_with_unit(last_value, this.unit)}，与本年比较")
    sign = (this.value > last_value) - (this.value < last_value)
    head = f"本年 {_with_unit(this.value, this.unit)}，上年 {_with_unit(last_value, this.unit)}"
    if last_value == 0:
        return Reading("growth", sign=sign, text=f"{head}（上年为 0，增长率无法计算，只看方向）",
                       assumptions=tuple(assumptions))
    rate = (this.value - last_value) / abs(last_value) * 100
    return Reading("growth", number=rate, sign=sign, text=f"{head}，较上年 {signed(round(rate, 4))}%",
                   assumptions=tuple(assumptions))


def _last_year_figure(t: str, qs: list[Quantity], words: AnswerWords) -> Quantity | None:
    """The figure written just after 上年 (去年, 上一年度 …), or None: a change written after it
    (``较上年增长10万元``) is not last year's figure."""
    for m in _LAST_YEAR.finditer(t):
        q = next((q for q in qs if q.start >= m.end()), None)
        if q is None:
            continue
        between = t[m.end():q.start]
        if len(between) <= _BETWEEN and not re.search(r"\d", between) and \
                not any(w in between for w in (*DIRECTION_WORDS, *words.negative_words)):
            return q
    return None


def _with_unit(value: float, unit: str) -> str:
    return f"{fmt_number(value)}{unit}"
