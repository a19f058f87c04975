"""Read a 指标值 (target expression) into a :class:`~scoring.language.comparator.Comparator`.

``parse(text, indicator=None, year=None)`` is pure, cached and never raises: the worst answer
is ``kind=TargetKind.INVALID`` with a Chinese reason. The steps, in order:

1. :func:`~scoring.language.normalize.normalize` (tags, LaTeX, widths, spaces), then traditional
   characters folded to simplified with OpenCC (:func:`~scoring.language.normalize.to_simplified`).
2. Empty, overlong, or the indicator's own name copied into the value → invalid; ``无`` for a bad
   event (事故, 投诉), or the negation of one (``无重大安全事故``, ``零事故``) → a zero target, ≤ 0
   (:mod:`scoring.language.names`).
3. A date or period (``2025年12月``, ``1-12月``, ``2021年全年``) or a deadline (``每年12月31日前``) → deadline
   (:mod:`scoring.language.dates`).
4. Quantities (:mod:`scoring.language.quantities`): number, multiplier, unit (a new counter when unknown),
   each with the operator written before or after it (民法典 第1259条: 以上、以下、以内 include the number).
5. A change against a baseline (``同比下降4%``) → change; a band (``±3%以内``) → range
   (:mod:`scoring.language.changes`).
6. Two bounded quantities or ``A-B`` → range; one → quantitative. A bare value takes its direction from the
   indicator's name (``rules/language/words.yaml``, or a template in its brackets: ``(≥**%)``), and a value
   without a unit the unit of the name's brackets, each recorded as an assumption. ``每羽不超过0.6元`` is
   元/羽; ``≤620万/月`` under a cost is 元/月.
7. A direction word alone (``增长``, ``逐步提高``) → directional; other text → qualitative, unless it is cut
   off after an operator word or looks like an indicator name → invalid.

Every word list is data under ``rules/language/`` (:mod:`scoring.language.vocabulary`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from functools import lru_cache

from scoring.language import vocabulary as vocab
from scoring.language.changes import DIRECTIONS, MODIFIERS, read_band, read_change, unify_plus_minus
from scoring.language.comparator import OP_SYMBOL, Comparator
from scoring.language.dates import cn_date_numbers, deadline, period
from scoring.language.lexicon import Lexicon, default_lexicon
from scoring.language.names import (
    clean_name,
    infer_direction,
    numerator_from_name,
    read_text,
    unit_from_name,
    zero_event,
)
from scoring.language.normalize import lookalikes
from scoring.language.numerals import fmt_number
from scoring.language.quantities import (
    CUTOFF_WORDS,
    NONE_TARGETS,
    RANGE_SEPARATORS,
    Quantity,
    find_quantities,
    prefix_op,
    suffix_op,
)
from scoring.language.units import new_unit_note
from scoring.vocab import TargetKind

MAX_LENGTH = 500  # a real 指标值 is a phrase; anything longer is not one

DIRECTION_WORDS = DIRECTIONS  # the answers reader uses the same words
_DIRECTION_RE = re.compile(
    "^(?:" + "|".join(map(re.escape, MODIFIERS)) + ")*"
    "(" + "|".join(map(re.escape, sorted(DIRECTIONS, key=len, reverse=True))) + ")"
    "(?:" + "|".join(map(re.escape, MODIFIERS)) + "|率|趋势|态势)*$"
)

# An indicator name rather than a value (rules/language/names.yaml): ends like the name of a measure.
NAME_LIKE_SUFFIXES = vocab.words("names", "name_like_suffixes")


# ----------------------------------------------------------------------------------------------
# parse
# ----------------------------------------------------------------------------------------------

def parse(text: object, indicator: str | None = None, year: int | None = None,
          lexicon: Lexicon | None = None) -> Comparator:
    """Read one 指标值 (``lexicon``: the word lists of the profile in force, default the national ones).
    Never raises; see the module docstring for the steps. One example per kind:

    >>> parse("不少于30万人次", "参与人次").reading(), parse("90%-100%", "合格率").reading()
    ('≥ 300000 人次', '90–100 %')
    >>> parse("每年12月31日前", "完成时间", 2023).reading(), parse("1-12月", "实施期限").reading()
    ('不晚于 2023-12-31', '不晚于 评价年度的12月31日')
    >>> parse("逐步提高").reading(), parse("同比下降4%", "能耗").reading(), parse("按时完成").kind.value
    ('较上年增长', '较上年下降 4 %', 'qualitative')
    >>> parse("设备故障次数", "设备故障次数").kind.value, parse("无重大安全事故", "重大安全事故").reading()
    ('invalid', '≤ 0')
    >>> parse("85", "苗木成活率(≥**%)").reading(), parse("每羽不超过0.6元", "每羽补贴").reading()
    ('≥ 85 %', '≤ 0.6 元/羽')
    """
    if not isinstance(text, str):
        text = "" if text is None or text != text else str(text)  # None, NaN
    if indicator is not None and not isinstance(indicator, str):
        indicator = None if indicator != indicator else str(indicator)
    return _parse(text, indicator or None, year, lexicon or default_lexicon())


@lru_cache(maxsize=131072)
def _parse(text: str, indicator: str | None, year: int | None, lex: Lexicon) -> Comparator:
    try:
        return _parse_uncached(text, indicator, year, lex)
    except Exception as exc:  # the contract is "never raises": a bug becomes a visible invalid reading
        return Comparator(text=text, kind=TargetKind.INVALID, indicator=indicator,
                          reason=f"无法解析（程序未能处理这种写法：{type(exc).__name__}）")


def _invalid(text: str, indicator: str | None, reason: str) -> Comparator:
    return Comparator(text=text, kind=TargetKind.INVALID, indicator=indicator, reason=reason)


def _parse_uncached(text: str, indicator: str | None, year: int | None, lex: Lexicon) -> Comparator:
    if len(text) > MAX_LENGTH:
        return _invalid(text, indicator, f"指标值过长（{len(text)} 个字符），不像是一个指标值")
    text_for_reading = _CONTROL.sub("", text) if _CONTROL.search(text) else text
    t = unify_plus_minus(read_text(text_for_reading).strip(" ,，。;；、:："))
    look = lookalikes(t)  # ≯, 1O0: folded where certain, recorded; l00%, 95,5%: not readable
    if look.problem:
        return _invalid(text, indicator, look.problem)
    c = _parse_read(text, look.text, indicator, year, lex)
    return replace(c, assumptions=(*look.notes, *c.assumptions)) if look.notes else c


def _parse_read(text: str, t: str, indicator: str | None, year: int | None, lex: Lexicon) -> Comparator:
    """The steps after normalising (see the module docstring), on the normalised text ``t``."""
    name = clean_name(indicator) if indicator else ""
    if t in NONE_TARGETS and name:
        none = _none_target(text, t, indicator, name, lex)
        if none is not None:
            return none
    if not t or t in ("-", "/", "—", "无", "N/A", "n/a", "空", "暂无"):
        return _invalid(text, indicator, "指标值为空")
    event = zero_event(t, lex)
    if event is not None:  # 无重大安全事故, 零事故: the negation of a bad event, not its name copied
        return _zero_target(text, t, indicator, [f"指标值“{t}”是零目标：“{event}”不得发生，按“不超过0”理解"])
    copied_name = bool(name) and (t == name or t == _read_name(indicator))
    if copied_name and (t.endswith(NOUN_SUFFIXES) or not _states_something(t, lex)):
        return _invalid(text, indicator, "指标值与指标名称相同：名称被复制到了数值栏，没有写目标")
    dated = _dated(text, t, indicator, year)
    if dated is not None:
        return dated
    notes: tuple[str, ...] = ()
    dl = deadline(t, year) if not _DATE_CHARS.isdisjoint(t) else None
    if dl is not None and dl[2] is None:  # 2023年12月31日前完成80%: the date is no quantity
        notes = (f"指标值同时写了时限（{dl[0]}），按其中的数值“{dl[3].strip()}”评分，时限不计入",)
        t = dl[3].strip()
    listed = _without_item_numbers(t)
    if listed is not None:  # (1)成立管理组织;(2)季度督导: the numbers count the items, they are not values
        t, said = listed
        notes = (*notes, said)
    quantities = find_quantities(t)
    if quantities:
        return (read_change(text, t, quantities, indicator) or read_band(text, t, quantities, indicator)
                or _quantitative(text, t, quantities, indicator, lex, notes))
    return _without_number(text, t, indicator, name, copied_name, lex)


def _none_target(text: str, t: str, indicator: str | None, name: str, lex: Lexicon) -> Comparator | None:
    """``无`` as the target of a bad event (安全事故, 投诉): none may happen, ≤ 0."""
    word = next((w for w in sorted(lex.at_most_words, key=len, reverse=True) if w in name), None)
    if word is None:
        return None
    return _zero_target(text, t, indicator, [f"指标值“{t}”按“不超过0”（不得发生）理解：指标“{indicator}”含“{word}”（坏事件）"])


def _zero_target(text: str, t: str, indicator: str | None, assumptions: list[str]) -> Comparator:
    unit, _ = _unit_or_name("", indicator, assumptions)
    return Comparator(text=text, kind=TargetKind.QUANTITATIVE, op="<=", value=0.0, unit=unit, indicator=indicator,
                      assumptions=tuple(assumptions), inferred_op=True, phrase=t)


_ITEM_NUMBER = re.compile(r"[(（](\d{1,2})[)）]|(?:^|(?<=[;；。，,\s]))(\d{1,2})[、．]")


def _without_item_numbers(t: str) -> tuple[str, str] | None:
    """A target written as a numbered list (``(1)成立管理组织;(2)季度督导;(3)季度通报``, ``1、…2、…``) without its item
    numbers, and the note that says so; None unless the numbers run 1, 2, … (at least two of them).

    >>> _without_item_numbers("(1)成立管理组织;(2)季度督导、半年度考核;(3)季度通报")[0]
    '成立管理组织;季度督导、半年度考核;季度通报'
    >>> _without_item_numbers("1、培训2次；2、考核1次")[0], _without_item_numbers("≥(3)人") is None
    ('培训2次；考核1次', True)
    """
    found = list(_ITEM_NUMBER.finditer(t))
    if len(found) < 2 or [int(m.group(1) or m.group(2)) for m in found] != list(range(1, len(found) + 1)):
        return None
    written = "”“".join(m.group(0) for m in found)
    return _ITEM_NUMBER.sub("", t), f"指标值中的“{written}”是条目的编号，不是数值"


_DATE_CHARS = frozenset("年月日号底末季度.-")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@lru_cache(maxsize=65536)
def _read_name(indicator: str) -> str:
    return read_text(indicator)


def _dated(text: str, t: str, indicator: str | None, year: int | None) -> Comparator | None:
    """A date or period that is the whole text, or a deadline phrase without other numbers."""
    if _DATE_CHARS.isdisjoint(t):
        return None
    whole = period(cn_date_numbers(t) if ("年" in t or "月" in t) else t, year)
    if whole is not None:
        iso, assumptions = whole
        return Comparator(text=text, kind=TargetKind.DEADLINE, op="by_date", date=iso, indicator=indicator,
                          assumptions=tuple(assumptions), phrase=t)
    dl = deadline(t, year)
    if dl is None or find_quantities(dl[3]):
        return None
    iso, assumptions, reason, _ = dl
    if reason:
        return _invalid(text, indicator, reason)
    if "前" in t or "之前" in t or "以前" in t:
        assumptions = [*assumptions, "“…前”按含当日理解：当日完成即为按期"]
    return Comparator(text=text, kind=TargetKind.DEADLINE, op="by_date", date=iso, indicator=indicator,
                      assumptions=tuple(assumptions), phrase=t)


def _without_number(text: str, t: str, indicator: str | None, name: str, copied_name: bool,
                    lex: Lexicon) -> Comparator:
    d = _DIRECTION_RE.match(t)
    if d:
        return Comparator(text=text, kind=TargetKind.DIRECTIONAL, op=DIRECTION_WORDS[d.group(1)], indicator=indicator, phrase=t)
    stripped = t.rstrip("。.,，;；:：")
    for word in CUTOFF_WORDS:
        if stripped.endswith(word):
            return _invalid(text, indicator, f"句子在“{word}”之后被截断，缺少数值")
    if any(c in t for c in "≥≤<>="):
        return _invalid(text, indicator, "有比较符号但没有可读的数值")
    if name and len(name) >= 3 and name in t and len(t) - len(name) <= 6 and not copied_name:
        rest = t.replace(name, "")
        if not _states_something(rest, lex):
            return _invalid(text, indicator, f"指标值“{t}”含有指标名称“{indicator}”而没有目标：像是名称被复制到了数值栏")
    if len(t) <= 12 and t.endswith(NAME_LIKE_SUFFIXES) and not any(w in t for w in STATE_VERBS):
        return _invalid(text, indicator, f"“{t}”像是指标名称，不是指标值（没有数值，也不是对状态的描述）")
    assumptions = ("指标值与指标名称相同；它本身是对状态的描述，按定性目标理解",) if copied_name else ()
    return Comparator(text=text, kind=TargetKind.QUALITATIVE, indicator=indicator, phrase=t, assumptions=assumptions)


# A noun phrase naming a measure (稳定性, 完成情况), not a statement of the state wanted.
NOUN_SUFFIXES = (*vocab.words("names", "noun_suffixes"), *NAME_LIKE_SUFFIXES)
# Words of a described state (按时完成, 控制在预算范围内).
STATE_CUES = vocab.words("names", "state_cues")
# Verbs and adverbs that turn a measure's name into a wanted state (满意度较高, 有效提升覆盖率).
STATE_VERBS = vocab.words("names", "state_verbs")


def _states_something(t: str, lex: Lexicon) -> bool:
    """Whether a text without numbers describes a state (a qualitative target) rather than names a measure."""
    if any(w in t for w in STATE_CUES):
        return True
    return any(len(w) >= 2 and w in t for w in (*lex.positive, *lex.negative, *lex.partial))


def _quantitative(text: str, t: str, qs: list[Quantity], indicator: str | None, lex: Lexicon,
                  notes: tuple[str, ...] = ()) -> Comparator:
    assumptions: list[str] = list(notes)
    # Operators around each quantity.
    ops: list[tuple[str, int] | None] = []
    floor = 0
    for q in qs:
        pre = prefix_op(t, q, floor)
        suf = suffix_op(t, q)
        ops.append((pre[0], 0) if pre else ((suf[0], 1) if suf else None))
        floor = q.end

    # A range: A-B, A~B, 在A至B之间, or ≥A 且 ≤B.
    rng = _range(t, qs, ops)
    if rng is not None:
        lo, hi, strict_lo, strict_hi = rng
        unit = hi.unit or lo.unit
        per = hi.per or lo.per
        lo_v, hi_v = lo.value, hi.value
        if lo.unit and hi.unit and lo.unit != hi.unit:
            return _invalid(text, indicator, f"区间两端的单位不同（{lo.unit}、{hi.unit}）")
        if lo_v > hi_v:
            lo_v, hi_v = hi_v, lo_v
            assumptions.append("区间上下限写反了，已按从小到大理解")
        unit, scale = _unit_or_name(unit, indicator, assumptions, per, t[lo.start:hi.end])
        return Comparator(text=text, kind=TargetKind.RANGE, op="between", value=lo_v * scale, high=hi_v * scale, unit=unit,
                          indicator=indicator, strict_low=strict_lo, strict_high=strict_hi,
                          assumptions=tuple(assumptions), phrase=t)

    explicit = [(q, o) for q, o in zip(qs, ops, strict=True) if o is not None]
    if explicit:
        q, (op, _) = explicit[0]
        if len({(x.value, x.unit) for x, _ in explicit}) > 1:
            assumptions.append(f"指标值含多个数值，按第一个带比较词的“{t[q.start:q.end]}”理解")
        unit, scale = _unit_or_name(q.unit, indicator, assumptions, q.per, t[q.start:q.end])
        return Comparator(text=text, kind=TargetKind.QUANTITATIVE, op=op, value=q.value * scale, unit=unit,
                          indicator=indicator, assumptions=tuple(assumptions), phrase=t)

    q = qs[0]
    if len({(x.value, x.unit) for x in qs}) > 1:
        assumptions.append(f"指标值含多个数值，按第一个“{t[q.start:q.end]}”理解")
    unit, scale = _unit_or_name(q.unit, indicator, assumptions, q.per, t[q.start:q.end])
    value = q.value * scale
    op, why = infer_direction(indicator, unit, value, lex)
    assumptions.append(why)
    return Comparator(text=text, kind=TargetKind.QUANTITATIVE, op=op, value=value, unit=unit, indicator=indicator,
                      assumptions=tuple(assumptions), inferred_op=True, phrase=t)


def _unit_or_name(unit: str, indicator: str | None, assumptions: list[str], per: str = "",
                  written: str = "") -> tuple[str, float]:
    """The unit of a quantity, from the name when it has none; ``written``: the quantity as written (a
    number with 万 or 亿 already carries its multiplier, so the name's 万元 gives only its unit 元)."""
    if unit:
        assumptions.extend(new_unit_note(unit))
        return unit, 1.0
    multiplied = any(m in written for m in ("万", "亿"))
    if per:  # ≤620万/月 under 运营成本: the unit of the amount from the name
        numerator = numerator_from_name(indicator)
        if numerator is None:
            assumptions.append(f"指标值是每{per}的数值，没有写计量单位")
            return "", 1.0
        u, scale, why = numerator
        scale = 1.0 if multiplied else scale
        assumptions.append(f"指标值没有写计量单位，按{why}理解为“{u}/{per}”")
        assumptions.extend(new_unit_note(f"{u}/{per}"))
        return f"{u}/{per}", scale
    from_name = unit_from_name(indicator)
    if from_name:
        u, scale = from_name
        scale = 1.0 if multiplied else scale
        assumptions.append(f"指标值没有写单位，按指标名称中的“{u}”理解" if scale == 1 else
                           f"指标值没有写单位，按指标名称中的单位理解（×{fmt_number(scale)} {u}）")
        return u, scale
    return "", 1.0


def _range(t: str, qs: list[Quantity], ops: list) -> tuple[Quantity, Quantity, bool, bool] | None:
    for k in range(len(qs) - 1):
        a, b = qs[k], qs[k + 1]
        between = t[a.end:b.start]
        # "90-100%" reads 100 as a negative number; the sign belongs to the separator then.
        if between == "" and t[b.start] == "-":
            b = Quantity(-b.value, b.unit, b.start + 1, b.end, b.chinese)
            between = "-"
        if between in RANGE_SEPARATORS and ops[k] is None and (a.unit == b.unit or not a.unit or not b.unit):
            return a, b, False, False
    lows = [(q, o[0]) for q, o in zip(qs, ops, strict=True) if o and o[0] in (">=", ">")]
    highs = [(q, o[0]) for q, o in zip(qs, ops, strict=True) if o and o[0] in ("<=", "<")]
    if len(qs) == 2 and len(lows) == 1 and len(highs) == 1:
        (lo, lop), (hi, hop) = lows[0], highs[0]
        if not lo.unit or not hi.unit or lo.unit == hi.unit:
            return lo, hi, lop == ">", hop == "<"
    return None


# ----------------------------------------------------------------------------------------------
# helpers for the engine and the tests
# ----------------------------------------------------------------------------------------------

def read_quantity(text: object) -> tuple[float, str] | None:
    """The first number with its unit in a free string (``3.2万人次`` → (32000, 人次)); None if there is none."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        return (float(text), "") if text == text and abs(text) != float("inf") else None
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        return None
    qs = find_quantities(read_text(text))
    if not qs:
        return None
    return qs[0].value, qs[0].unit


def read_date(text: str, year: int | None = None) -> date | None:
    """A calendar date written in a cell (``2023年12月20日``, ``2023-12-20``, ``12月20日``)."""
    t = cn_date_numbers(read_text(text))
    m = re.search(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", t) or re.search(r"()(\d{1,2})月(\d{1,2})", t)
    if not m:
        return None
    y = int(m.group(1)) if m.group(1) else year
    if y is None:
        return None
    try:
        return date(y, int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def format_target(c: Comparator) -> str:
    """Write a comparator back as a target text that parses to the same reading."""
    if c.kind == TargetKind.QUANTITATIVE:
        return f"{OP_SYMBOL[c.op]}{fmt_number(c.value)}{c.unit}"
    if c.kind == TargetKind.RANGE:
        return f"{fmt_number(c.value)}{c.unit}-{fmt_number(c.high)}{c.unit}"
    if c.kind == TargetKind.DEADLINE:
        if c.date and c.date.startswith("--"):
            month, day = c.date[2:].split("-")
            return f"每年{int(month)}月{int(day)}日前"
        y, m, d = c.date.split("-")
        return f"{int(y)}年{int(m)}月{int(d)}日前"
    if c.kind == TargetKind.DIRECTIONAL:
        return "增长" if c.op == "increase" else "下降"
    return c.text
