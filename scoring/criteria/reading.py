"""A 评分标准 text → a :class:`~scoring.criteria.rule.Rule` (or :class:`~scoring.criteria.rule.Unreadable`).

The text is cut into clauses at ``；。`` and commas; a clause without a score (``在职人员控制率≤100%``)
is the condition of the next one (``计5分``). Each scored clause is one of:

- a deduction per unit: ``每{少|超过|相差|逾期|出现…}{数}{单位}…扣{数}分`` (``发现一次扣1分`` too);
- points for a condition: ``{条件}{计|得|给}{数}分``, ``不得分``, ``得满分``, ``得一半分值``, ``扣{数}分``
  (the full points less so many), the condition read by :mod:`scoring.criteria.conditions`;
- proportional: ``按完成比例得分``, ``得分=到位率×分值``;

and ``扣完为止``, ``最多扣3分``, ``扣满15分为止``, ``以100%为标准``, ``满分为止`` qualify them. The kind of
rule follows from what was found (a deduction, number bands, completion tiers, proportional); what
needs a person's judgement (``酌情扣分``) or what the words do not cover is :class:`Unreadable` with
the reason — the profile's rule then scores the indicator. Every word is data
(``rules/language/criteria.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from scoring.criteria.conditions import Cond, number, read_condition
from scoring.criteria.rule import Band, Points, Rule, Step, Unreadable
from scoring.criteria.words import NUMBER, alternation, words
from scoring.language.normalize import normalize, to_simplified
from scoring.language.numerals import fmt_number

_CIRCLED = re.compile("[\u2460-\u2473\u2474-\u2487\u2488-\u249b\u2776-\u277f]")
_ENUMERATOR = re.compile(r"^(?:\(\d{1,2}\)|\d{1,2}[、.](?!\d)|[a-zA-Z][、.)])")
_PAREN_SCORE = re.compile(rf"\((?P<score>{NUMBER}分)\)")  # 河面整洁(1分): the score of one item, which it ends
_SPLIT = re.compile(r"[;。\n]+|,(?!\d{3}(?!\d))")
_NOT_AFTER_SCORE = "以及或为的之内止值数"
_PUNCT = " ,:、\"“”'‘’"
_FULL_STATEMENTS = ("满分", "总分", "分值", "本项满分", "该项满分", "本项分值", "该项分值", "本指标满分", "本项", "该项")


@dataclass(frozen=True)
class _Item:
    kind: str  # step | points | proportional
    text: str
    points: Points | None = None
    cond: Cond | None = None
    step: Step | None = None
    before: str = ""  # a step's text before 每 (its own condition, as written)


@cache
def _patterns():
    w = words()
    unit = f"(?:{w.units}|人次|[\u4e00-\u9fff])"
    ways = alternation(w.steps)
    events = alternation(k for k, way in w.steps.items() if way in ("event", "late"))
    deduct = w.deduct
    shares = alternation(w.shares)
    return {
        # a score runs on into the next clause without a comma (完成得4分基本完成得2分, 得满分否则不得分)
        "run_on": re.compile(rf"(?:(?:{w.award}|{deduct}){NUMBER}分|{alternation((*w.zero, *w.full))})"
                             rf"(?=[\u4e00-\u9fff])(?![{_NOT_AFTER_SCORE}])"),
        "step": re.compile(rf"每(?P<way>{ways})?(?P<gap>[^\d扣减,]{{0,8}}?)(?P<num>{NUMBER})?(?P<unit>{unit})"
                           rf"(?P<what>[^扣减]*?)(?:{deduct})(?P<pts>{NUMBER})分"),
        "event": re.compile(rf"(?P<way>{events})(?P<num>一|1)(?P<unit>{unit})(?P<what>[^扣减]*?)(?:{deduct})"
                            rf"(?P<pts>{NUMBER})分"),
        "cap_before": re.compile(rf"(?:{w.caps_before})(?P<num>{NUMBER})分"),
        "cap_around": re.compile(rf"(?:{w.caps_around})(?P<num>{NUMBER})分(?:为止|止)"),
        "reference": re.compile(rf"以(?P<num>{NUMBER})(?P<unit>{w.units}|[\u4e00-\u9fff])?(?:{w.reference})"),
        "times": re.compile(rf"(?:率|比例|比值|完成量|完成数|程度|值)[^;]{{0,12}}?(?:{w.times})(?:{w.weight_words})|"
                            rf"(?:{w.weight_words})(?:{w.times})"),
        "share_pct": re.compile(rf"(?:得|计|给)(?:{w.weight_words})?的?(?P<pct>{NUMBER})%(?:的)?(?:{w.weight_words})?$"),
        "share_word": re.compile(rf"(?:得|计|给)(?:{w.weight_words})?的?(?P<word>{shares})(?:{w.weight_words}|分)?$"),
        "minus": re.compile(rf"(?:{deduct})(?P<pts>{NUMBER})分$"),
        "award": re.compile(rf"(?:{w.award})?(?P<pts>{NUMBER})分$"),
    }


@lru_cache(maxsize=1 << 14)
def read_criteria(text: object) -> Rule | Unreadable | None:
    """The rule a criteria text states; None for no text (see the module docstring).

    >>> read_criteria("每少1次扣1分，扣完为止").describe()
    '每少1次扣1分，扣完为止'
    >>> read_criteria("重点支出安排率≥90%，计5分；80%（含）-90%，计4分；低于60%不得分。").describe()
    '≥90%计5分；80%（含）–90%（不含）计4分；<60%不得分'
    >>> read_criteria("完成得4分，基本完成得2分，未完成不得分").kind
    'tiers'
    >>> read_criteria("未达指标值酌情扣分").reason
    '含“酌情”，要人工判断'
    """
    if not isinstance(text, str) or not text.strip():
        return None
    raw = text.strip()
    s = _PAREN_SCORE.sub(r"\1;", normalize(to_simplified(_CIRCLED.sub(" ", raw))))
    w = words()
    for word in w.discretion:
        if word in s:
            return Unreadable(raw, f"含“{word}”，要人工判断")
    return _Reader(raw).read(s)


class _Reader:
    def __init__(self, raw: str):
        self.raw = raw
        self.items: list[_Item] = []
        self.floor = False
        self.cap: float | None = None
        self.reference: tuple[float, str] | None = None
        self.notes: list[str] = []

    def read(self, s: str) -> Rule | Unreadable:
        pending = ""
        for frag in _SPLIT.split(_patterns()["run_on"].sub(r"\g<0>,", s)):
            frag = _ENUMERATOR.sub("", frag.strip(_PUNCT)).strip(_PUNCT)
            frag = self._qualifiers(frag)
            if not frag:
                continue
            joined = f"{pending},{frag}" if pending else frag
            item = self._item(joined)
            if item is None:
                pending = joined
                continue
            self.items.append(item)
            pending = ""
        return self._assemble()

    def _qualifiers(self, frag: str) -> str:
        """Take 扣完为止, 最多扣N分, 以100%为标准, 满分为止 out of a clause, noting them."""
        w, p = words(), _patterns()
        for word in w.floors:
            if word in frag:
                self.floor = True
                frag = frag.replace(word, "")
        for key in ("cap_around", "cap_before"):
            m = p[key].search(frag)
            if m and number(m["num"]) is not None:
                self.cap = number(m["num"])
                self.floor = True
                frag = frag[:m.start()] + frag[m.end():]
        m = p["reference"].search(frag)
        if m and number(m["num"]) is not None:
            self.reference = (number(m["num"]), m["unit"] or "")
            frag = frag[:m.start()] + frag[m.end():]
        for word in w.top_caps:
            frag = frag.replace(word, "")
        return frag.strip(_PUNCT)

    def _item(self, s: str) -> _Item | None:
        w, p = words(), _patterns()
        for key in ("step", "event"):
            m = p[key].search(s)
            if m and number(m["pts"]) is not None and (key == "step" or not _is_band(m["what"])):
                step = _step(m)
                before = s[:m.start()]
                if not step.word and not step.what:  # 未达到规定要求的每一项扣1分: what is counted stands before 每
                    step = replace(step, what=before.split(",")[-1].strip(_PUNCT + "的"))
                return _Item("step", s, step=step, before=before)
        if any(word in s for word in w.proportional) or p["times"].search(s):
            return _Item("proportional", s)
        pts, cond = _points(s)
        if pts is None:
            return None
        return _Item("points", s, points=pts, cond=read_condition(cond))

    # ---------------------------------------------------------------------------------------------
    # the kind of rule, from what the clauses said

    def _assemble(self) -> Rule | Unreadable:
        steps = [i for i in self.items if i.kind == "step"]
        points = [i for i in self.items if i.kind == "points"]
        proportional = any(i.kind == "proportional" for i in self.items)
        unknown = [i for i in points if i.cond.kind == "unknown" and i.cond.text not in _FULL_STATEMENTS]
        if len(steps) > 1:
            return Unreadable(self.raw, "写了几种不同的扣分，需要人工判断各扣多少")
        if steps and unknown and len(points) > 1 and all(
                i.points.how == "points" and i.cond.kind not in ("number", "late") for i in points):
            return self._checklist(steps[0], points)
        if unknown and not steps and len(points) > 1 and all(
                i.points.how == "points" and i.points.value > 0 and i.cond.kind in ("unknown", "met") for i in points):
            return Unreadable(self.raw, f"列了几项各自得分（如“{unknown[0].cond.text}”），需要人工判断每项是否做到")
        if unknown:
            return Unreadable(self.raw, f"看不懂条件“{unknown[0].cond.text}”")
        if steps:
            return self._deduct(steps[0], points)
        if proportional:
            return self._proportional(points)
        if any(i.cond.kind in ("number", "late") for i in points):
            return self._bands(points)
        tiers = [i for i in points if i.cond.kind in ("met", "partial", "not_met", "late_tier", "otherwise", "on_time")]
        if tiers:
            return self._tiers(points)
        if points:
            return Unreadable(self.raw, "只写了分值，没有写怎样计分")
        return Unreadable(self.raw, "没有找到“得…分”“扣…分”“按比例”这类写法")

    def _full(self, points: list[_Item]) -> tuple[float | None, _Item | None]:
        """The full points stated and the clause that states them (the most points given)."""
        given = [i for i in points if i.points.how == "points"]
        if given:
            top = max(given, key=lambda i: i.points.value)
            return top.points.value, top
        shares = [i for i in points if i.points.how == "share" and i.points.value == 1]
        return None, (shares[0] if shares else None)

    def _deduct(self, step_item: _Item, points: list[_Item]) -> Rule | Unreadable:
        step = step_item.step
        full, top = self._full(points)
        others = [i for i in points if i is not top and not _is_full_statement(i, full)]
        if any(i.cond.kind not in ("number", "late") for i in others):
            return Unreadable(self.raw, "扣分之外还按完成情况给分，需要人工判断")
        reference, reference_text, unit = None, "", ""
        if top is not None and top.cond.kind == "number":
            reference = _level(top.cond, step.way)
            reference_text = _settle([top.cond], [top.points])[0].describe(top.cond.unit)
            unit = top.cond.unit
        if reference is None:
            before = read_condition(step_item.before)
            if before.kind == "number":
                reference, unit = _level(before, step.way), before.unit
        if self.reference is not None:
            reference, unit = self.reference[0], self.reference[1] or unit
        measure, days = ("late", words().time_units[step.unit]) if step.way == "late" else ("value", 0.0)
        bands = _settle([i.cond for i in others], [i.points for i in others], self.notes)
        unit = unit or next((i.cond.unit for i in others if i.cond.unit), "")
        return Rule("deduct", self.raw, full=full, measure=measure, unit=unit, unit_days=days,
                    reference=reference, reference_text=reference_text, step=step, floor=self.floor, cap=self.cap,
                    bands=tuple(bands), notes=tuple(self.notes))

    def _checklist(self, step_item: _Item, items: list[_Item]) -> Rule:
        """①…1分；②…1分；③…1分，每少一项扣1分: the items' points add up to the full points, the level is
        the number of items."""
        full, step = sum(i.points.value for i in items), step_item.step
        counted = "完成的项数" if step.way == "short" else "未做到的项数"
        self.notes.append(f"评分标准列了 {len(items)} 项（共 {fmt_number(full)} 分）：实际完成值按{counted}计，{step.describe()}")
        reference = float(len(items)) if step.way == "short" else 0.0
        return Rule("deduct", self.raw, full=full, reference=reference,
                    reference_text=f"{len(items)}{step.unit}" if step.way == "short" else "", unit=step.unit, step=step,
                    floor=self.floor, cap=self.cap, notes=tuple(self.notes))

    def _proportional(self, points: list[_Item]) -> Rule | Unreadable:
        full, top = self._full(points)
        others = [i for i in points if i.cond.kind in ("number", "late") and i is not top]
        bands = _settle([i.cond for i in others], [i.points for i in others], self.notes)
        unit = next((i.cond.unit for i in others if i.cond.unit), "")
        return Rule("proportional", self.raw, full=full, unit=unit, bands=tuple(bands), notes=tuple(self.notes))

    def _bands(self, points: list[_Item]) -> Rule | Unreadable:
        w = words()
        full = None
        kept: list[_Item] = []
        for i in points:
            if i.cond.kind == "empty" or i.cond.text in _FULL_STATEMENTS:
                if i.points.how == "points":
                    full = i.points.value
                continue
            if i.cond.kind in ("met", "partial", "not_met", "late_tier"):
                return Unreadable(self.raw, f"同时按数值和完成情况（“{i.cond.text}”）分档，需要人工判断")
            kept.append(i)
        late = any(i.cond.kind == "late" for i in kept)
        conds = []
        for i in kept:
            c = i.cond
            if c.kind == "on_time":
                c = Cond("late", c.text, None, None, 0.0, True, "")
            elif c.kind == "number" and late:
                return Unreadable(self.raw, f"同时按逾期长短和数值（“{c.text}”）分档，需要人工判断")
            conds.append(c)
        units = {c.unit for c in conds if c.unit}
        unit, days = (units.pop() if len(units) == 1 else ""), 0.0
        if late:
            if len(units) > 0 or not unit:  # several time units (天 and 个月): all in days
                conds = [_in_days(c) for c in conds]
                unit = "天"
            days = w.time_units.get(unit, 1.0)
        elif len(units) > 0:
            return Unreadable(self.raw, f"各档的单位不一致（{'、'.join(sorted({c.unit for c in conds if c.unit}))}）")
        bands = _settle(conds, [i.points for i in kept], self.notes)
        return Rule("bands", self.raw, full=full, measure="late" if late else "value", unit=unit, unit_days=days,
                    bands=tuple(bands), notes=tuple(self.notes))

    def _tiers(self, points: list[_Item]) -> Rule | Unreadable:
        full = None
        tiers: dict[str, Points] = {}
        for i in points:
            kind = {"on_time": "met", "late_tier": "late"}.get(i.cond.kind, i.cond.kind)
            if kind == "empty" and i.points == Points(1, "share"):  # 得满分，否则不得分
                kind = "met"
            if kind in ("empty", "unknown"):  # 满分5分
                if i.points.how == "points":
                    full = i.points.value
                continue
            if kind in tiers:
                return Unreadable(self.raw, f"列了几项各自得分（如“{i.cond.text}”），需要人工判断每项是否做到")
            tiers[kind] = i.points
        notes = self.notes
        top = max((p.of(full or 0) if p.how != "share" else p.value * (full or 1) for p in tiers.values()), default=0)
        zero = {k for k, p in tiers.items() if p.of(max(full or 0, top)) == 0}
        if set(tiers) <= {"met", "not_met", "otherwise"} and set(tiers) - {"met"} <= zero:
            if "met" not in tiers:
                tiers["met"] = Points(1, "share")
                notes.append("评分标准只写了未完成时不得分：完成得满分")
            if not set(tiers) - {"met"}:
                tiers["not_met"] = Points(0)
                notes.append("评分标准没有写未完成时的得分：按不得分计")
            order = [k for k in ("met", "not_met", "otherwise") if k in tiers]
            return Rule("all_or_nothing", self.raw, full=full, tiers=tuple((k, tiers[k]) for k in order),
                        notes=tuple(notes))
        order = [k for k in ("met", "partial", "late", "not_met", "otherwise") if k in tiers]
        return Rule("tiers", self.raw, full=full, tiers=tuple((k, tiers[k]) for k in order), notes=tuple(notes))


# -------------------------------------------------------------------------------------------------
# clauses

def _step(m: re.Match) -> Step:
    w = words()
    way = w.steps.get(m["way"] or "", "")
    unit = m["unit"]
    what = (m["what"] or "").strip(_PUNCT + "的")
    if not way:
        way = "late" if unit in w.time_units else "event"
    size = number(m["num"]) if m["num"] else 1.0
    word = m["way"] or ""
    return Step(way, word, size, unit, number(m["pts"]), what)


def _is_band(what: str) -> bool:
    """逾期1个月以内扣1分 is a band of lateness, not a deduction per month."""
    return any(what.startswith(x) for x in words().suffix_ops)


def _points(s: str) -> tuple[Points | None, str]:
    """The score a clause ends with and the condition before it, or (None, s)."""
    w, p = words(), _patterns()
    s = s.rstrip(_PUNCT)
    for word in w.zero:
        if s.endswith(word):
            return Points(0), s[:-len(word)]
    for word in w.full:
        if s.endswith(word):
            return Points(1, "share"), s[:-len(word)]
    m = p["share_pct"].search(s)
    if m and number(m["pct"]) is not None:
        return Points(number(m["pct"]) / 100, "share"), s[:m.start()]
    m = p["share_word"].search(s)
    if m:
        return Points(w.shares[m["word"]], "share"), s[:m.start()]
    m = p["minus"].search(s)
    if m and number(m["pts"]) is not None:
        return Points(number(m["pts"]), "minus"), s[:m.start()]
    m = p["award"].search(s)
    if m and number(m["pts"]) is not None:
        return Points(number(m["pts"])), s[:m.start()]
    return None, s


def _is_full_statement(i: _Item, full: float | None) -> bool:
    """计5分 on its own, or 得满分 for being complete: the full points, not a band."""
    return i.cond.kind in ("empty", "met", "on_time") or i.cond.text in _FULL_STATEMENTS or (
        full is not None and i.points.how == "points" and i.points.value == full and i.cond.kind != "number")


def _level(c: Cond, way: str) -> float | None:
    """The level a deduction counts from, as the condition of full points states it (≤100% → 100)."""
    if way == "over":
        return c.high if c.high is not None else c.low
    return c.low if c.low is not None else c.high


def _in_days(c: Cond) -> Cond:
    d = words().time_units.get(c.unit, 1.0)
    return replace(c, low=None if c.low is None else c.low * d, high=None if c.high is None else c.high * d, unit="天")


def _settle(conds: list[Cond], points: list[Points], notes: list[str] | None = None) -> list[Band]:
    """Bands from conditions, each end that the text leaves unmarked settled: excluded where another band
    includes that value (``≥90%`` and ``80%（含）-90%``), else a lower end included and an upper end
    included too (nothing else claims it); a value two bands share with neither end marked goes to the
    higher band, and the reading notes it."""
    explicit: set[float] = set()
    for c in conds:
        if c.kind == "otherwise":
            continue
        if c.low is not None and c.low_in:
            explicit.add(c.low)
        if c.high is not None and c.high_in:
            explicit.add(c.high)
    lows = []
    for k, c in enumerate(conds):
        low_in = c.low_in
        if c.low is not None and low_in is None:
            low_in = not _held(c.low, conds, k)
        lows.append(low_in)
    held = explicit | {c.low for c, li in zip(conds, lows, strict=True) if c.low is not None and li}
    bands = []
    for k, c in enumerate(conds):
        if c.kind == "otherwise":
            bands.append(Band(None, False, None, False, points[k], catch_all=True))
            continue
        high_in = c.high_in
        if c.high is not None and high_in is None:
            shared = any(j != k and o.low == c.high and o.low_in is None for j, o in enumerate(conds))
            high_in = c.high not in held or (c.low == c.high)
            if shared and notes is not None:
                notes.append(f"评分标准没有写明 {fmt_number(c.high)}{c.unit} 归哪一档：按归入较高一档理解")
        bands.append(Band(c.low, bool(lows[k]), c.high, bool(high_in), points[k]))
    return bands


def _held(x: float, conds: list[Cond], k: int) -> bool:
    """Whether another band includes ``x`` by its own words."""
    return any(j != k and ((o.low == x and o.low_in) or (o.high == x and o.high_in)) for j, o in enumerate(conds))
