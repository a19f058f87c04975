"""Text as typed into 实际完成值, made ready to read, and the signs that it is not a value at all.

- A formula typed as text (``=HYPERLINK(…)``), characters no value is written with (``½``,
  ``①``, letters, ``#``, a second ``+``) → not a value (the caller says which character).
- Reference numbers (``见附件3``, ``表2``, ``东台办〔2023〕5号``, ``《…》``) are removed: they
  are not the value.
- Approximations (``约30万``, ``200余人次``, ``30万左右``, ``95%以上``) keep their number and
  record that it was read as approximate.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from scoring.actuals.vocabulary import AnswerWords
from scoring.language.expressions import Quantity
from scoring.language.normalize import normalize

MINUS_SIGNS = str.maketrans({"−": "-", "﹣": "-", "➖": "-"})
_NUMERAL = "0-9一二三四五六七八九十两百千万亿"
# what a value may be written with besides its numbers: Chinese, Chinese and ASCII punctuation, spaces
_ALLOWED = re.compile(r"[\u3400-\u9fff\s，,。．、；;：:！!“”‘’\"'（）()《》【】—…·-]")
_BRACKETS = re.compile(r"[（(][^（()）]*[）)]")
_SPACED_DIGITS = re.compile(r"\d\s+\d")
_DAY_OF_MONTH = re.compile(r"(?:\d{4}年)?(?:每月|\d{1,2}月)\d{1,2}[日号]")  # a date in the text, not the value
_RANGE_BETWEEN = ("-", "~", "至", "到", "—", "–")


@dataclass(frozen=True)
class Cleaned:
    text: str  # normalised, without references and approximation words
    assumptions: tuple[str, ...] = ()
    problem: str | None = None  # why this is not a value
    had_reference: bool = False


def precheck(raw: str) -> str | None:
    """Why ``raw`` cannot be a value as typed (a formula, a character such as ½ or ①), or None."""
    s = raw.strip()
    if s.startswith(("=", "＝")) and len(s) > 1:
        return f"单元格里是公式文本“{_short(s)}”，不是计算结果"
    for ch in s:
        # ½ ① (other numbers), and the LaTeX marks the normaliser would silently drop
        if (unicodedata.category(ch) == "No" and ch not in "²³") or ch in "$\\{}^`":
            return f"实际完成值“{_short(s)}”中有看不懂的字符“{ch}”（不是普通数字）"
    return None


def _short(s: str) -> str:
    return s if len(s) <= 40 else s[:40] + "…"


@lru_cache(maxsize=16)
def _patterns(words: AnswerWords) -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    long_refs = [re.escape(w) for w in words.references if len(w) >= 2 and w not in ("文号", "号文")]
    short_refs = [re.escape(w) for w in words.references if len(w) == 1 and w not in ("第", "页")]
    reference = re.compile(
        r"(?:详见|参见|见)?(?:" + "|".join(long_refs or ["附件"]) + r")\s*[0-9一二三四五六七八九十]*[号页]?"
        r"|(?:^|(?<=[见（(，,、；;]))(?:" + "|".join(short_refs or ["表"]) + r")\s*\d+"
        r"|[^，,。；;（(]{0,10}[〔\[]\d{4}[〕\]]\d+号|《[^》]*》")
    before = sorted(words.approximate_before, key=len, reverse=True)
    approx_before = re.compile(r"(?:" + "|".join(map(re.escape, before)) + rf")(?=[{_NUMERAL}.])")
    tight = [re.escape(w) for w in words.approximate_after if w in ("余", "多", "强")]
    loose = [re.escape(w) for w in sorted(words.approximate_after, key=len, reverse=True) if w not in ("余", "多", "强")]
    approx_tight = re.compile(r"(?<=[0-9万亿千百十])(?:" + "|".join(tight or ["余"]) + r")")
    approx_loose = re.compile(r"(?:" + "|".join(loose or ["左右"]) + r")(?=$|[，,。；;（(])")
    return reference, approx_before, approx_tight, approx_loose


@lru_cache(maxsize=1 << 16)  # pure: an answer is cleaned once for every target it answers
def clean(raw: str, words: AnswerWords) -> Cleaned:
    """The normalised text without references and approximation words (see the module docstring)."""
    assumptions: list[str] = []
    shown = raw.strip()
    if _SPACED_DIGITS.search(shown):
        assumptions.append(f"实际完成值“{shown}”的数字中间有空格，按去掉空格后的“{normalize(shown)}”理解")
    t = normalize(raw.translate(MINUS_SIGNS))
    reference, before, tight, loose = _patterns(words)
    without_refs = reference.sub("", t)
    had_reference = without_refs != t
    without_refs = _DAY_OF_MONTH.sub("", without_refs)
    found = [m.group(0) for rx in (before, tight, loose) for m in rx.finditer(without_refs)]
    text = loose.sub("", tight.sub("", before.sub("", without_refs)))
    if found:
        assumptions.append(f"实际完成值“{shown}”是约数或下限（{'、'.join(dict.fromkeys(found))}），按其中的数值计")
    return Cleaned(text, tuple(assumptions), None, had_reference)


def stray_character(text: str, quantities: list[Quantity]) -> str | None:
    """A character outside every quantity (and outside brackets) that no value is written with."""
    rest, last = [], 0
    if is_range(text, quantities):  # the separator of 95%~98% is not stray
        quantities = [Quantity(0, "", quantities[0].start, quantities[1].end, False), *quantities[2:]]
    for q in quantities:
        rest.append(text[last:q.start])
        last = q.end
    rest.append(text[last:])
    outside = _BRACKETS.sub("", "".join(rest))
    for ch in outside:
        if not _ALLOWED.match(ch):
            return ch
    return None


def is_range(text: str, quantities: list[Quantity]) -> bool:
    """Whether the first two quantities are written as a range (``95%-98%``, ``95%~98%``)."""
    if len(quantities) < 2:
        return False
    a, b = quantities[0], quantities[1]
    between = text[a.end:b.start]
    return (between in _RANGE_BETWEEN or (between == "" and text[b.start:b.start + 1] == "-")) and \
        (a.unit == b.unit or not a.unit or not b.unit)


def range_assumption(text: str, quantities: list[Quantity], shown: str) -> str | None:
    """``95%-98%`` written as the actual: read at its lower end, recorded."""
    return f"实际完成值“{shown}”是一个区间，按下限计" if is_range(text, quantities) else None
