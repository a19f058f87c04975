"""The condition before a score in a 评分标准 (``80%（含）-90%，计4分`` → 80 ≤ x < 90): what it asks of the value.

A condition is a number range (``≥90%``, ``80%（含）-90%``, ``低于60%``, ``=0``, ``90%以上``), how late the
work may be (``逾期1个月以内``, ``按时完成``), how far the target was reached (``完成``, ``基本完成``,
``未完成``), ``否则``, or nothing (``计5分`` alone). Comparator words and range separators are the
targets' own (``rules/language/operators.yaml``); an end marked ``（含）`` is included, ``（不含）``
excluded; an unmarked end stays None here and is settled against the other bands by the reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from scoring.criteria.words import NUMBER, alternation, words
from scoring.language.numerals import arabic_to_number, chinese_to_number

MARK = r"(?:\((?:含|不含)\))"
_OP_BOUND = {">=": (True, None), ">": (False, None), "<=": (None, True), "<": (None, False), "==": (True, True)}
_TRAILING = "的时者,:，、 "


def number(text: str) -> float | None:
    """A number as criteria write it.

    >>> number("0.5"), number("一"), number("两"), number("十二"), number("半"), number("1,000")
    (0.5, 1.0, 2.0, 12.0, 0.5, 1000.0)
    """
    if text == "半":
        return 0.5
    if text[0].isdigit():
        return arabic_to_number(text)
    return chinese_to_number(text)


@dataclass(frozen=True)
class Cond:
    """What a condition asks. ``kind``: number, late (how late, in ``unit``), on_time, met, partial, not_met,
    late_tier (逾期完成), otherwise, empty or unknown; a number or late condition's ends (None: open) and
    whether each is included (None: the text does not say)."""

    kind: str
    text: str = ""
    low: float | None = None
    low_in: bool | None = None
    high: float | None = None
    high_in: bool | None = None
    unit: str = ""


@cache
def _patterns():
    w = words()
    counter = r"(?:人次|[\u4e00-\u9fff])"
    unit = f"(?:{w.units}|{counter})"
    prefix = alternation(w.prefix_ops)
    suffix = alternation(w.suffix_ops)
    rng = re.compile(f"(?P<lo>{NUMBER})(?P<lu>{unit})?(?P<lm>{MARK})?(?:{w.separators})(?P<hi>{NUMBER})"
                     f"(?P<hu>{unit})?(?P<hm>{MARK})?")
    pre = re.compile(f"(?P<op>{prefix})(?:在|到|于)?(?P<num>{NUMBER})(?P<unit>{unit})?(?P<mark>{MARK})?")
    post = re.compile(f"(?P<num>{NUMBER})(?P<unit>{unit})?(?P<mark>{MARK})?(?P<op>{suffix})")
    bare = re.compile(rf"(?P<num>\d+(?:\.\d+)?)(?P<unit>{unit})?(?P<mark>{MARK})?")
    return rng, pre, post, bare


def _unit(u: str | None) -> str:
    """A unit as the bands keep it: a counter that is not one (以, 及…) is no unit."""
    if not u or u in words().not_counters:
        return ""
    return u


def _mark(m: str | None) -> bool | None:
    return None if not m else m == "(含)"


def number_condition(s: str) -> Cond | None:
    """The number range a condition states, or None.

    >>> c = number_condition("80%(含)-90%"); (c.low, c.low_in, c.high, c.high_in, c.unit)
    (80.0, True, 90.0, None, '%')
    >>> c = number_condition("重点支出安排率≥90%"); (c.low, c.low_in, c.high)
    (90.0, True, None)
    >>> c = number_condition("低于60%"); (c.low, c.high, c.high_in)
    (None, 60.0, False)
    >>> c = number_condition("预算调整率=0"); (c.low, c.high, c.low_in, c.high_in)
    (0.0, 0.0, True, True)
    >>> c = number_condition("3个月以上"); (c.low, c.low_in, c.unit)
    (3.0, True, '个月')
    >>> number_condition("有结余,但不超过上年结转") is None
    True
    """
    rng, pre, post, _ = _patterns()
    m = rng.search(s)
    if m and number(m["lo"]) is not None and number(m["hi"]) is not None:
        lo, hi = number(m["lo"]), number(m["hi"])
        unit = _unit(m["hu"]) or _unit(m["lu"])
        if lo <= hi:
            return Cond("number", s, lo, _mark(m["lm"]), hi, _mark(m["hm"]), unit)
    for pattern in (pre, post):
        m = pattern.search(s)
        if m and number(m["num"]) is not None:
            op = words().prefix_ops.get(m["op"]) if pattern is pre else words().suffix_ops.get(m["op"])
            if op not in _OP_BOUND:
                continue
            value, mark = number(m["num"]), _mark(m["mark"])
            low_in, high_in = _OP_BOUND[op]
            if mark is not None:
                low_in, high_in = (mark if low_in is not None else None), (mark if high_in is not None else None)
            return Cond("number", s, value if low_in is not None else None, low_in,
                        value if high_in is not None else None, high_in, _unit(m["unit"]))
    return None


def read_condition(text: str) -> Cond:
    """What the condition before a score asks (see the module docstring).

    >>> [read_condition(t).kind for t in ("", "完成", "基本完成的", "未完成", "资料不齐全的", "否则", "逾期1个月以内", "按时完成")]
    ['empty', 'met', 'partial', 'not_met', 'not_met', 'otherwise', 'late', 'on_time']
    >>> [read_condition(t).kind for t in ("≥90%", "计划建设内容完成100%的", "调整较大的", "逾期完成")]
    ['number', 'number', 'unknown', 'late_tier']
    """
    w = words()
    s = text.strip(_TRAILING)
    if not s:
        return Cond("empty")
    late = any(word in s for word, way in w.steps.items() if way == "late")
    found = number_condition(s)
    if found is not None:
        if late and found.unit in w.time_units:
            return Cond("late", s, found.low, found.low_in, found.high, found.high_in, found.unit)
        return found if not late else Cond("unknown", s)
    if any(word in s for word in w.on_time):
        return Cond("on_time", s)
    met_at = _find(s, w.met)
    _, _, _, bare = _patterns()
    if met_at is not None:
        m = bare.search(s, met_at)
        if m:  # 完成100%的: the number is the level reached
            return Cond("number", s, float(m["num"]), True, None, None, _unit(m["unit"]))
        before = s[:met_at]
        if late:
            return Cond("late_tier", s)
        if any(word in before for word in w.negations):
            return Cond("not_met", s)
        if any(word in before for word in w.partial):
            return Cond("partial", s)
        return Cond("met", s)
    event_at = _find(s, tuple(word for word, way in w.steps.items() if way == "event" and len(word) > 1))
    if event_at is not None:  # 发生安全事故不得分 / 未发生安全事故得满分
        return Cond("met" if any(word in s[:event_at] for word in w.negations) else "not_met", s)
    if any(s.startswith(word) for word in w.otherwise):
        return Cond("otherwise", s)
    m = bare.fullmatch(s)
    if m:  # a bare number (100%): the level
        return Cond("number", s, float(m["num"]), True, None, None, _unit(m["unit"]))
    return Cond("unknown", s)


def _find(s: str, vocabulary: tuple[str, ...]) -> int | None:
    """Where the first (leftmost) of the words stands in ``s``, or None."""
    hits = [i for i in (s.find(x) for x in vocabulary) if i >= 0]
    return min(hits) if hits else None
