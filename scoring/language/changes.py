"""Changes against a baseline and tolerance bands in a 指标值.

- A change (``同比下降4%``, ``较上年增长10%``, ``比上年提高2个百分点``, ``在5万元基础上稳定增加``,
  ``减少30%以上``) is not a level: it has a direction, an amount with its unit (% or 个百分点 or an
  absolute unit) and a baseline (上年, 基期, a year, or a stated value). Words: ``rules/language/changes.yaml``.
- A band (``±3%以内``, ``偏差不超过5%``, ``误差率±2%``, ``100±5``) is a range around the target.
  Words: ``rules/language/bands.yaml``.
"""

from __future__ import annotations

import re

from scoring.language import vocabulary as vocab
from scoring.language.comparator import Baseline, Comparator
from scoring.language.numerals import fmt_number
from scoring.language.quantities import Quantity, by_last_char, prefix_op, suffix_op
from scoring.language.units import new_unit_note
from scoring.vocab import TargetKind

DIRECTIONS: dict[str, str] = vocab.table("changes", "directions")
WITH_BASELINE_ONLY: dict[str, str] = vocab.table("changes", "with_baseline_only")
MODIFIERS = vocab.words("changes", "modifiers")
BASELINES: dict[str, str] = vocab.table("changes", "baselines")
_BASELINE_WORDS = sorted(BASELINES, key=len, reverse=True)
_BASELINE_RE = re.compile("|".join(map(re.escape, _BASELINE_WORDS)))
_DIRECTION_WORDS = sorted(DIRECTIONS, key=len, reverse=True)
_DIRECTION_BY_LAST = by_last_char(DIRECTIONS)
_ANY_DIRECTION_BY_LAST = by_last_char({**DIRECTIONS, **WITH_BASELINE_ONLY})
_STATED = vocab.load("changes")["stated_baseline"]
_STATED_RE = re.compile("(?:" + "|".join(map(re.escape, _STATED["before"])) + ")(.+?)(?:"
                        + "|".join(map(re.escape, sorted(_STATED["after"], key=len, reverse=True))) + ")")
_YEAR_BASE = re.compile("(?:" + "|".join(map(re.escape, vocab.words("changes", "baseline_year_words")))
                        + r")(\d{4})年")
DEFAULT_BASELINE = str(vocab.load("changes")["default_baseline"])
_OBJECT = re.compile("(" + "|".join(map(re.escape, sorted(DIRECTIONS, key=len, reverse=True))) + r")[\u4e00-\u9fff]{1,8}?(?:"
                     + "|".join(map(re.escape, vocab.words("changes", "object_endings"))) + ")$")
_NOT_A_CHANGE_AFTER = ("率", "幅度", "速度", "比例")
_NEGATORS = ("不", "未", "没有", "没")  # 增长率≥10% names a rate: a level
_COMPARED = frozenset(vocab.words("changes", "compared_with_baseline"))

PLUS_MINUS = vocab.words("bands", "plus_minus")
BAND_WORDS = vocab.words("bands", "words")


def _baseline(t: str, stated: tuple[Quantity, re.Match] | None) -> tuple[Baseline, str | None]:
    """The baseline and, when it was not written, the assumption that records the default."""
    if stated is not None:
        q, _ = stated
        return Baseline("stated", q.value, q.unit), None
    m = _BASELINE_RE.search(t)
    if m:
        return Baseline(BASELINES[m.group()]), None
    m = _YEAR_BASE.search(t)
    if m:
        return Baseline(f"{m.group(1)}年"), None
    return Baseline(DEFAULT_BASELINE), f"没有写明基数，按“{DEFAULT_BASELINE}”理解"


def _direction_before(t: str, q: Quantity, floor: int, written_baseline: bool) -> tuple[str, int, str | None] | None:
    """The direction word that governs a quantity (增长10%, 同比下降不低于5%, 增加了20家), where it starts, and the
    bound a negated comparison with the baseline sets (不超过上年5%: a rise of at most 5 %, ``<=``)."""
    head = t[floor:q.start]
    op = prefix_op(t, q, floor)
    if op is not None:
        head = t[floor:op[1]]
    head = head.removesuffix("了")
    words = _ANY_DIRECTION_BY_LAST if written_baseline else _DIRECTION_BY_LAST
    for word in words.get(head[-1:], ()):
        if head.endswith(word):
            start = floor + len(head) - len(word)
            if head[:-len(word)].endswith(_NEGATORS):   # 不超过上年5%: a rise of at most 5 %, not a rise of 5 %
                negator = next(n for n in _NEGATORS if head[:-len(word)].endswith(n))
                return ("increase", start - len(negator), "<=") if word in _COMPARED else None
            return DIRECTIONS.get(word) or WITH_BASELINE_ONLY[word], start, None
    m = _OBJECT.search(head)  # 压减地下水开采量1亿立方米: the verb, its object, the amount
    if m:
        return DIRECTIONS[m.group(1)], floor + m.start(), None
    return None


def _has_written_baseline(t: str) -> bool:
    return _BASELINE_RE.search(t) is not None or _YEAR_BASE.search(t) is not None


def read_change(text: str, t: str, qs: list[Quantity], indicator: str | None) -> Comparator | None:
    """A change against a baseline, or None when the text states a level."""
    stated = None
    m = _STATED_RE.search(t)
    if m:
        inside = [q for q in qs if m.start(1) <= q.start and q.end <= m.end(1)]
        if inside:
            stated = (inside[0], m)
    rest = [q for q in qs if stated is None or q.start >= m.end()]
    floor = m.end() if stated else 0
    written = stated is not None or _has_written_baseline(t)
    for q in rest:
        found = _direction_before(t, q, floor, written)
        if found:
            return _change(text, t, q, found[0], stated, indicator, found[2])
        floor = q.end
    if stated:  # 在5万元基础上稳定增加: a direction without an amount
        tail = t[m.end():]
        for word in _DIRECTION_WORDS:
            if word in tail and not tail.split(word, 1)[1].startswith(_NOT_A_CHANGE_AFTER):
                return _change(text, t, None, DIRECTIONS[word], stated, indicator)
    return None


def _change(text: str, t: str, q: Quantity | None, direction: str,
            stated: tuple[Quantity, re.Match] | None, indicator: str | None, bound: str | None = None) -> Comparator | None:
    """The change comparator; a bound of at most (增长不超过5%, 不超过上年5%) is its ``high``: met at or below it."""
    if q is not None and t.startswith(_NOT_A_CHANGE_AFTER, q.start - 1):
        return None
    baseline, assumed = _baseline(t, stated)
    what = "增幅" if direction == "increase" else "降幅"
    assumptions = [f"“{t}”是相对基数（{baseline.describe()}）的变化，不是水平值"
                   + ("" if stated else "：需要基数的数值才能判定")]
    if assumed:
        assumptions.append(assumed)
    unit = q.unit if q is not None else baseline.unit
    assumptions.extend(new_unit_note(unit))
    op = None
    if q is not None:
        written = (bound, 0) if bound else prefix_op(t, q, 0) or suffix_op(t, q)
        op = written[0] if written else ">="
        word = {">=": "不低于", ">": "超过", "<=": "不超过", "<": "低于", "==": "等于"}[op]
        note = "" if written else "（没有比较词，按“不低于”理解）"
        assumptions.append(f"{what}{word}{fmt_number(q.value)}{q.unit}{note}")
    capped = op in ("<=", "<")
    return Comparator(text=text, kind=TargetKind.CHANGE, op=direction, value=q.value if q else None, unit=unit,
                      high=q.value if capped else None, strict_high=op == "<", indicator=indicator,
                      assumptions=tuple(assumptions), phrase=t, baseline=baseline)


def unify_plus_minus(t: str) -> str:
    """Every spelling of ± as ``±``: ``+/-5%`` → ``±5%``.

    >>> unify_plus_minus("+/-5%"), unify_plus_minus("正负2℃"), unify_plus_minus("≥90%")
    ('±5%', '±2℃', '≥90%')
    """
    for w in PLUS_MINUS:
        if w != "±" and w in t:
            t = t.replace(w, "±")
    return t


def read_band(text: str, t: str, qs: list[Quantity], indicator: str | None) -> Comparator | None:
    """A tolerance band as a range: ``±3%以内`` → −3…3 %, ``100±5`` → 95…105, ``偏差不超过5%`` → −5…5 %."""
    for k, q in enumerate(qs):
        if q.start > 0 and t[q.start - 1] == "±":
            centre = qs[k - 1] if k and qs[k - 1].end == q.start - 1 else None
            unit = q.unit or (centre.unit if centre else "")
            mid = centre.value if centre else 0.0
            return _band(text, t, mid - q.value, mid + q.value, unit, indicator, False,
                         f"“{t}”按{fmt_number(mid) if centre else '偏差'}上下 {fmt_number(q.value)}{unit} 的区间理解")
    if len(qs) == 1 and any(w in t for w in BAND_WORDS):
        q = qs[0]
        op = prefix_op(t, q, 0) or suffix_op(t, q)
        if op and op[0] in ("<=", "<") and q.value >= 0:
            return _band(text, t, -q.value, q.value, q.unit, indicator, op[0] == "<",
                         f"“{t}”说的是偏差，按 −{fmt_number(q.value)}{q.unit} 至 {fmt_number(q.value)}{q.unit} 理解（偏差可正可负）")
    return None


def _band(text, t, low, high, unit, indicator, strict, why) -> Comparator:
    assumptions = (why, "实际值应填偏差（可正可负）") if low < 0 else (why,)
    assumptions += new_unit_note(unit)
    return Comparator(text=text, kind=TargetKind.RANGE, op="between", value=low, high=high, unit=unit, indicator=indicator,
                      strict_low=strict, strict_high=strict, assumptions=assumptions, phrase=t)
