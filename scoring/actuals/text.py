"""Text typed as 实际完成值, read against the kind of target it answers.

A number in the text wins over its words when there is one to compare (``满意度55%`` against
``满意`` is 55 %); the words are read through :mod:`scoring.actuals.judge`; every reading that
was not written out is a recorded assumption, and text that cannot be read says why and what to
write instead.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from scoring.actuals.advice import hint_for, unreadable
from scoring.actuals.answer_forms import (
    DECREASE,
    INCREASE,
    bare_percent,
    done_action,
    fall_wanted,
    percent_against_words,
    several_measures,
)
from scoring.actuals.cleaning import clean, precheck, range_assumption, stray_character
from scoring.actuals.growth import directions, growth_value, this_and_last_year, word_before
from scoring.actuals.judge import judge
from scoring.actuals.numbers import (
    WORKDAY_HOURS,
    growth_from_number,
    level_number,
    signed,
    to_target_unit,
    with_assumptions,
)
from scoring.actuals.reading import Reading
from scoring.actuals.vocabulary import AnswerWords
from scoring.language.comparator import Comparator
from scoring.language.dates import cn_date_numbers, deadline, period
from scoring.language.expressions import find_quantities, read_date
from scoring.language.lexicon import Lexicon
from scoring.language.names import read_text
from scoring.language.normalize import lookalikes, normalize
from scoring.language.numerals import fmt_number
from scoring.language.units import is_duration, is_percent
from scoring.vocab import BANDED, TargetKind, Verdict

_FULL_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
_MONTH_END = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(?:底|末)")
_YEAR_END = re.compile(r"(?:(\d{4})年)?(?:年底|年末)")
_MONTH_ONLY = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(上旬|中旬|下旬|初|份)?(?![\d日号])")
_YEAR_MONTH = re.compile(r"(?<![\d.])(\d{4})\s*[.\-/]\s*(\d{1,2})(?![\d.\-/])")  # 2023.7, 2023-07, 2023/7
EXPLICIT_VERDICT = re.compile(f"^({'|'.join(sorted(BANDED, key=len, reverse=True))})(?:年度指标)?")  # a verdict written out
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_FLAT = ("持平", "不变", "没有变化", "无变化", "未变化")


def from_text(raw: str, c: Comparator, year: int | None, lex: Lexicon, words: AnswerWords,
              workday: float = WORKDAY_HOURS) -> Reading:
    shown = raw.strip()
    problem = precheck(raw)
    if problem:
        return unreadable(shown, problem, c)
    look = lookalikes(normalize(raw))  # 1O0% folded and recorded; l00%, 95,5%, 95.5.5% not a value
    if look.problem:
        return unreadable(shown, f"实际完成值“{shown}”：{look.problem}", c)
    if look.notes:
        return with_assumptions(_from_text(look.text, look.text, c, year, lex, words, workday), *look.notes)
    return _from_text(raw, shown, c, year, lex, words, workday)


def _from_text(raw: str, shown: str, c: Comparator, year: int | None, lex: Lexicon, words: AnswerWords,
               workday: float) -> Reading:
    t = normalize(raw)
    if t in words.missing:
        return Reading("missing", reason="未填写实际完成值", hint=hint_for(c))
    if t.startswith(words.not_measured):
        return unreadable(shown, f"实际完成值“{shown}”：没有调查或测量数据", c)
    cleaned = clean(raw, words)
    if t.startswith(words.pending) and not find_quantities(cleaned.text):
        return unreadable(shown, f"实际完成值“{shown}”没有写出完成值（只写了“待统计”“见附件”之类）", c,
                          f"{hint_for(c)}；附件只作佐证，完成值须写在这一格")
    if c.kind == TargetKind.DEADLINE:
        return _deadline_text(t, shown, c, year, lex, words)
    if c.kind == TargetKind.DIRECTIONAL:
        return _directional_text(t, shown, c, lex, words)
    if c.kind == TargetKind.QUALITATIVE:
        return _qualitative_text(t, shown, c, lex, words)
    return _quantity_text(t, shown, c, lex, words, workday)


# ---------------------------------------------------------------------------------------------
# numbers against quantitative targets
# ---------------------------------------------------------------------------------------------

def _choose(qs: list, c: Comparator, words: AnswerWords):
    """The quantity that answers the target: the first in the target's unit (or its family)."""
    for q in qs:
        if q.unit == c.unit or (q.unit and words.same_count(q.unit, c.unit)):
            return q
    if is_percent(c.unit):
        for q in qs:
            if q.unit == "分":
                return q
    return qs[0]


def _quantity_text(t: str, shown: str, c: Comparator, lex: Lexicon, words: AnswerWords,
                   workday: float = WORKDAY_HOURS) -> Reading:
    if _FULL_DATE.search(t) and read_date(t) is not None:
        return unreadable(shown, f"实际完成值“{shown}”是日期，而指标值是数值", c)
    if EXPLICIT_VERDICT.match(t):
        return _zero_answer(_verdict_text(t, shown, c, lex, words), shown, c)
    cleaned = clean(shown, words)
    qs = find_quantities(cleaned.text)
    several = several_measures(cleaned.text, qs, c, shown)
    if several is not None:
        return unreadable(shown, several, c, "请把指标拆成几行，每行一个指标值、一个实际完成值")
    if qs:
        stray = stray_character(cleaned.text, qs)
        if stray:
            return unreadable(shown, f"实际完成值“{shown}”中有看不懂的字符“{stray}”，无法确定数值", c)
        q = _choose(qs, c, words)
        extra = [*cleaned.assumptions]
        rng = range_assumption(cleaned.text, qs, shown)
        if rng and q is qs[0]:
            extra.append(rng)
        if cleaned.text[q.start:q.start + 1] == "+":
            extra.append(f"实际完成值“{shown}”带正号，按 {fmt_number(q.value)} 理解")
        if c.kind == TargetKind.CHANGE:
            achieved = _achieved_change(cleaned.text, q, c, shown, words)
            if achieved is not None:
                return with_assumptions(achieved, *extra)
        value, why = _signed(cleaned.text, q, c, words)
        if why:
            extra.append(why)
        return with_assumptions(to_target_unit(value, _unit_of(q, c), c, shown, words, workday), *extra)
    if cleaned.had_reference:
        return unreadable(shown, f"实际完成值“{shown}”中的数字是附件、表格或文件的编号，不是完成值", c,
                          f"{hint_for(c)}；附件只作佐证，完成值须写在这一格")
    zero = _zero(t, shown, c, lex, words)
    if zero is not None:
        return zero
    return _words_against_numbers(t, shown, c, lex, words)


def _zero(t: str, shown: str, c: Comparator, lex: Lexicon, words: AnswerWords) -> Reading | None:
    """``无``, ``未发生``, ``全年未出现系统故障`` against a count: none happened (0). Not against a
    percentage to reach."""
    if re.search(r"\d", t):
        return None
    j = judge(t, lex, words)
    negated_bad = j.verdict == Verdict.MET and all(w.startswith((*words.zero, *lex.negators)) for w in j.words)
    if not negated_bad and not (t.startswith(words.zero) and j.verdict is None):
        return None  # 无法完成, 没有达标: words that judge, not a count of none
    if is_percent(c.unit) and c.op in (">=", ">", "=="):
        return None
    return Reading("number", number=0.0, text=f"0 {c.unit}".strip(), assumptions=(f"实际完成值“{shown}”按 0 理解",))


def _signed(text: str, q, c: Comparator, words: AnswerWords) -> tuple[float, str | None]:
    """The number of a signed rate with the sign its words give (``下降5%`` or ``负增长5%`` against
    ``增长率低于20%`` is −5 %; ``负增长5%`` against a 降幅 is 5), and the assumption that records it (None when
    the words change nothing)."""
    own = words.rate_direction(c.indicator or "")
    if own is None or q.value < 0 or not is_percent(c.unit):
        return q.value, None
    said = word_before(text, q, words)
    if said is None or said[1] == own:
        return q.value, None
    return -q.value, (f"实际完成值写的是“{said[0]}{fmt_number(q.value)}{q.unit}”，"
                      f"“{c.indicator}”按 {fmt_number(-q.value)}{q.unit} 计")


def _achieved_change(text: str, q, c: Comparator, shown: str, words: AnswerWords) -> Reading | None:
    """``同比下降5%`` (``负增长5%``, ``增长-5%``) answering ``同比下降4%``: the change itself, in the target's unit (a
    growth reading the engine scores without a 基数), or None when the text gives a level."""
    if word_before(text, q, words) is None:
        return None
    unit, assumptions = q.unit, [f"实际完成值“{shown}”写的是变化幅度，直接与目标的变化比较（无须基数）"]
    if c.unit == "个百分点" and unit == "%":
        unit = "个百分点"
        assumptions.append(f"“{fmt_number(abs(q.value))}%”按 {fmt_number(abs(q.value))} 个百分点理解")
    if unit != c.unit:
        return None
    value, why = growth_value(text, q, shown, words, False, False)
    if why:
        assumptions.append(why)
    base = c.baseline.describe() if c.baseline else "上年"
    return Reading("growth", number=value, sign=(value > 0) - (value < 0),
                   text=f"较{base}{'下降' if value < 0 else '增长'} {fmt_number(abs(value))} {unit}", assumptions=tuple(assumptions))


def _zero_answer(v: Reading, shown: str, c: Comparator) -> Reading:
    """A verdict answering a zero target (``无重大安全事故``, ``0次``): 达成 is none (0); 未达成 is at least one."""
    if v.kind != "verdict" or c.kind != TargetKind.QUANTITATIVE or c.op not in ("<=", "<", "==") or c.value != 0:
        return v
    if v.verdict == Verdict.MET and not v.late:
        return Reading("number", number=0.0, text=f"0 {c.unit}".strip(),
                       assumptions=(*v.assumptions, f"零目标：“{shown}”表示没有发生，按 0 理解"))
    if v.verdict == Verdict.NOT_MET:
        return Reading("number", number=1.0, text=f"1 {c.unit}（至少）".strip(),
                       assumptions=(*v.assumptions, f"零目标：“{shown}”表示发生过，按至少 1 次理解（零目标全有或全无）"))
    return unreadable(shown, f"零目标的实际完成值“{shown}”读不出是否发生", c, "请填写发生的次数，如 0 或 1起")


def _words_against_numbers(t: str, shown: str, c: Comparator, lex: Lexicon, words: AnswerWords) -> Reading:
    """Words answering a quantitative target. On a 满意度 indicator a verdict is kept (the profile
    scores it by band); against a rate to reach, an unqualified positive answer means 100 %; against a
    zero target, a positive answer is none (0)."""
    v = _verdict_text(t, shown, c, lex, words)
    if v.kind != "verdict":
        return unreadable(shown, f"实际完成值“{shown}”中读不出数值", c)
    zero = _zero_answer(v, shown, c)
    if zero is not v:
        return zero
    if "满意" in (c.indicator or "") or "满意" in t:
        return v  # the engine scores a bare verdict on a 满意度 indicator by band, flagged
    rate = is_percent(c.unit) and c.op in (">=", ">", "==") and c.value is not None and 0 < c.value <= 100
    if rate and v.verdict == Verdict.MET and not v.late:
        return Reading("number", number=100.0, text="100 %",
                       assumptions=(f"“{shown}”表示全部做到，按 100% 理解",))
    what = "百分比" if is_percent(c.unit) else "数值"
    return unreadable(shown, f"实际完成值“{shown}”是文字，没有给出{what}", c)


# ---------------------------------------------------------------------------------------------
# deadlines, directions, free text
# ---------------------------------------------------------------------------------------------

def _deadline_text(t: str, shown: str, c: Comparator, year: int | None, lex: Lexicon, words: AnswerWords) -> Reading:
    assumptions: list[str] = []
    t = cn_date_numbers(t)  # 七月, 十二月底
    target_year = int(c.date[:4]) if c.date and not c.date.startswith("--") else None
    if year is None and target_year is not None:  # 2023年9月前 answered 7月: the year of the deadline
        year, whose = target_year, f"时限的年份 {target_year} 年"
    else:
        whose = f"评价年度 {year} 年"
    d = read_date(t, None)
    if d is None and year is not None:
        d = read_date(t, year)
        if d is not None:
            assumptions.append(f"完成日期没有写年份，按{whose}理解")
    if d is None:
        d, said = _loose_date(t, year, whose)
        assumptions += said
    if d is not None:
        return Reading("date", date=d.isoformat(), text=d.isoformat(), assumptions=tuple(assumptions))
    v = _verdict_text(t, shown, c, lex, words, timely=True)
    if v.kind == "verdict":
        return v
    if year is None and (_MONTH_ONLY.search(t) or _YEAR_MONTH.search(t)):
        return unreadable(shown, f"完成日期“{shown}”没有写年份，时限也没有年份，无法比较", c,
                          "请写明完成的年月，如 2023年7月（score rate 可用 --year 给出评价年度）")
    return unreadable(shown, f"实际完成值“{shown}”中读不出完成日期或判定", c)


_MONTH_PART = {"上旬": 10, "中旬": 20, "初": 5}


def _loose_date(t: str, year: int | None, whose: str = "") -> tuple[date | None, list[str]]:
    """A completion date written without its day (``12月底``, ``年底``, ``2024年3月``, ``7月份``, ``2023.7``,
    ``12月中旬``, ``第三季度``): the last day of that month (or of that part of it), recorded.

    >>> _loose_date("7月份", 2023, "评价年度 2023 年")
    (datetime.date(2023, 7, 31), ['“7月份”没有写日，按该月最后一天 2023-07-31 理解', '完成日期没有写年份，按评价年度 2023 年理解'])
    >>> _loose_date("2023.07", None)[0], _loose_date("已于2023-7完成", None)[0], _loose_date("三季度", 2023)[0]
    (datetime.date(2023, 7, 31), datetime.date(2023, 7, 31), datetime.date(2023, 9, 30))
    """
    whose = whose or f"评价年度 {year} 年"
    m = _YEAR_MONTH.search(t)
    if m is not None and 1 <= int(m.group(2)) <= 12:
        y, month = int(m.group(1)), int(m.group(2))
        d = date(y, month, calendar.monthrange(y, month)[1])
        return d, [f"“{m.group(0)}”是年月，没有写日，按该月最后一天 {d.isoformat()} 理解"]
    m = _MONTH_END.search(t)
    if m is not None:
        y = int(m.group(1)) if m.group(1) else year
        if y is not None and 1 <= int(m.group(2)) <= 12:
            d = date(y, int(m.group(2)), calendar.monthrange(y, int(m.group(2)))[1])
            return d, [f"“{m.group(0)}”按该月最后一天 {d.isoformat()} 理解"]
    y_end = _YEAR_END.search(t)
    if y_end is not None:
        y = int(y_end.group(1)) if y_end.group(1) else year
        if y is not None:
            return date(y, 12, 31), [f"“{y_end.group(0)}”按 {y}-12-31 理解"]
    m = _MONTH_ONLY.search(t)
    if m is not None:
        y = int(m.group(1)) if m.group(1) else year
        month = int(m.group(2))
        if y is not None and 1 <= month <= 12:
            last = calendar.monthrange(y, month)[1]
            d = date(y, month, _MONTH_PART.get(m.group(3) or "", last))
            end = "按该月最后一天" if d.day == last else "按"
            said = [f"“{m.group(0)}”没有写日，{end} {d.isoformat()} 理解"]
            if not m.group(1):
                said.append(f"完成日期没有写年份，按{whose}理解")
            return d, said
    whole = period(t, year)  # 2023年度, 1-7月
    if whole is not None and not whole[0].startswith("--"):
        d = date.fromisoformat(whole[0])
        return d, [f"“{t}”按期末 {d.isoformat()} 理解", *whole[1]]
    found = deadline(t, year)  # 第三季度, 上半年
    if found is not None and found[0] and not found[0].startswith("--") and found[2] is None:
        d = date.fromisoformat(found[0])
        return d, [f"“{t}”按期末 {d.isoformat()} 理解", *found[1]]
    return None, []


def _directional_text(t: str, shown: str, c: Comparator, lex: Lexicon, words: AnswerWords) -> Reading:
    t = read_text(t).translate(str.maketrans({"−": "-", "﹣": "-"}))
    years = this_and_last_year(t, shown, c, words)
    if years is not None:
        return years
    negated = any(n + w in t for n in lex.negators for w in (*INCREASE, *DECREASE))
    qs = find_quantities(t)
    up, down = directions(t, words)
    if qs and not negated:
        q = qs[0]
        if q.unit == "%" or (not q.unit and (up or down)):
            value, why = growth_value(t, q, shown, words, up, down)
            assumptions = () if q.unit == "%" else (f"“{shown}”中的数 {fmt_number(abs(value))} 按增长率（%）理解",)
            return Reading("growth", number=value, sign=(value > 0) - (value < 0), text=f"较上年 {signed(value)}%",
                           assumptions=(*assumptions, *([why] if why else [])))
    if any(w in t for w in _FLAT):
        return Reading("growth", number=0.0, sign=0, text="与上年持平", assumptions=(f"“{shown}”按与上年持平理解",))
    if (up or down) and not (up and down) and not EXPLICIT_VERDICT.match(t):
        sign = 1 if up else -1
        if negated:
            said = "未增长" if up else "未下降"
            return Reading("growth", sign=0, text=said, assumptions=(f"“{shown}”按“{said}”理解",))
        return Reading("growth", sign=sign, text="较上年" + ("增长" if sign > 0 else "下降") + "（未写幅度）",
                       assumptions=(f"“{shown}”按较上年{'增长' if sign > 0 else '下降'}理解",))
    v = _verdict_text(t, shown, c, lex, words)
    if v.kind == "verdict":
        return v
    if qs:
        return growth_from_number(qs[0].value, qs[0].unit, shown, c)
    return unreadable(shown, f"实际完成值“{shown}”中读不出较上年的变化", c)


def _qualitative_text(t: str, shown: str, c: Comparator, lex: Lexicon, words: AnswerWords) -> Reading:
    if not EXPLICIT_VERDICT.match(t):
        level = words.level_of(normalize(c.text))
        if level is not None:
            cleaned = clean(shown, words)
            qs = find_quantities(cleaned.text)
            bare = len(qs) == 1 and qs[0].start == 0 and qs[0].end == len(cleaned.text)
            for q in qs:
                r = level_number(q.value, q.unit, c, level, shown, words, bare)
                if r is not None:
                    return with_assumptions(r, *cleaned.assumptions)
        else:
            share = bare_percent(shown, words)
            if share is not None:
                return percent_against_words(share, shown, c)
    return _verdict_text(t, shown, c, lex, words, timely=_is_timely(c, words))


def _is_timely(c: Comparator, words: AnswerWords) -> bool:
    return any(w in normalize(c.text) or w in (c.indicator or "") for w in words.timely)


def _verdict_text(t: str, shown: str, c: Comparator, lex: Lexicon, words: AnswerWords, timely: bool = False) -> Reading:
    m = EXPLICIT_VERDICT.match(t)
    if m:
        verdict = m.group(1)
        p = _PERCENT.search(t, m.end())
        pct = float(p.group(1)) if p else None
        text = verdict + (f"（{fmt_number(pct)}%）" if pct is not None else "")
        return Reading("verdict", verdict=verdict, percent=pct, text=text, explicit=True)
    target = normalize(c.text or "")
    if c.kind == TargetKind.QUALITATIVE and target == t:
        return Reading("verdict", verdict=Verdict.MET, text=Verdict.MET, assumptions=(f"实际完成值“{shown}”与指标值相同，按“达成”理解",))
    if timely and any(w in t for w in words.late) and not any(n + "完成" == t for n in ("未", "尚未", "没有")):
        late = next(w for w in words.late if w in t)
        return Reading("verdict", verdict=Verdict.PARTLY_MET, text="逾期完成（未写完成日期）", late=True,
                       assumptions=(f"按词表把“{shown}”读作逾期完成（依据：{late}），按评分规则的逾期档次计分",))
    j = judge(t, lex, words)
    fall = fall_wanted(j.words, target, lex)
    if fall is not None:
        said = "下降" if fall == Verdict.MET else "没有下降"
        return Reading("verdict", verdict=fall, text=fall,
                       assumptions=(f"指标值要求下降，实际完成值“{shown}”说的是{said}（{'、'.join(j.words)}），按“{fall}”理解",))
    if j.verdict is not None:
        return Reading("verdict", verdict=j.verdict, text=j.verdict,
                       assumptions=(f"按词表把“{shown}”读作“{j.verdict}”（依据：{'、'.join(j.words)}）",))
    return _fallbacks(t, shown, c, lex, words, j.bare_negators, timely)


def _fallbacks(t: str, shown: str, c: Comparator, lex: Lexicon, words: AnswerWords, bare: tuple[str, ...],
               timely: bool) -> Reading:
    """Answers the word lists leave open: a time limit met (``30分钟内响应``), the target's own
    words (``已按合同定期维护``), ``无`` against a target about a bad thing not happening."""
    target = normalize(c.text or "")
    if timely:
        for q in find_quantities(t):
            if is_duration(q.unit) and t.startswith(tuple(words.within), q.end):
                return Reading("verdict", verdict=Verdict.MET, text=Verdict.MET,
                               assumptions=(f"“{shown}”说明在时限内完成，按“达成”理解",))
    if c.kind == TargetKind.QUALITATIVE and len(target) >= 3 and target in t:
        return Reading("verdict", verdict=Verdict.MET, text=Verdict.MET,
                       assumptions=(f"实际完成值“{shown}”复述了指标值，按“达成”理解",))
    action = done_action(t, target, words)
    if c.kind == TargetKind.QUALITATIVE and action:
        return Reading("verdict", verdict=Verdict.MET, text=Verdict.MET,
                       assumptions=(f"实际完成值“{shown}”说指标值中的“{action}”已经做到，按“达成”理解",))
    if bare and t in bare and (any(w in target for w in words.adverse) or (judge(target, lex, words).verdict == Verdict.MET
                               and any(n in target for n in ("无", "不", "未")))):
        return Reading("verdict", verdict=Verdict.MET, text=Verdict.MET,
                       assumptions=(f"指标值要求坏事不发生，“{shown}”按“没有发生”即“达成”理解",))
    return unreadable(shown, f"词表判断不了实际完成值“{shown}”是否达成", c)


def _unit_of(q, c: Comparator) -> str:
    """The unit a quantity is written in; a rate written without its own unit (``3/人``) takes the target's
    (次/人), so it is compared per person and said so, never read as a plain count."""
    if q.unit or not q.per:
        return q.unit
    if c.unit.endswith(f"/{q.per}"):
        return c.unit
    return f"{c.unit}/{q.per}" if c.unit else f"/{q.per}"
