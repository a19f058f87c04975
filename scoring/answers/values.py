"""Read one 实际完成值 (actual value) against the target it answers.

``read_actual(raw, comparator, is_percent=False, year=None, lexicon=None) -> Reading`` is pure
and cached. ``raw`` is the cell as read from Excel: ``str``, ``int``/``float``, ``bool``,
``datetime``/``date``, ``None`` or NaN. The result is one of:

- ``number``: a number in the target's unit (``3.2万人次`` against ``≥30000人次`` → 32000; ``1天``
  against ``≤24小时`` → 24). A percent cell (``is_percent``) or text ``96%`` is 96 %. A plain
  number against a percent target is read as a percentage *with a recorded assumption*
  (0.96 → 96 %, 96 → 96 %). A number without a unit is in the target's unit.
- ``date``: an ISO date (deadline targets).
- ``growth``: a change against last year (directional targets): a rate in % when one was written
  (``增长5%``, ``下降2%`` → −2, or ``本年120，上年100`` → 20), and its sign.
- ``verdict``: 达成 / 部分达成 / 未达成 with an optional percentage of the weight (``部分达成 75%``),
  either written out or read from free text through the word lists (every such reading is an
  assumption).
- ``unreadable`` / ``missing``: with a Chinese ``reason`` (the engine scores these 无法判定).

Whether a reading fits the target (a verdict against a quantitative target, a percentage outside
its band) is the engine's decision, since it depends on the profile.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from scoring.language.comparator import Comparator, fmt_number
from scoring.language.expressions import DIRECTION_WORDS, read_date, read_quantity
from scoring.language.lexicon import Lexicon, default_lexicon
from scoring.language.normalize import normalize
from scoring.language.units import IncompatibleUnits, factor, is_percent
from scoring.verdicts import BANDED

VERDICTS = BANDED

# Cells that say "nothing entered".
MAX_ACTUAL_CHARS = 2_000  # a 实际完成值 is a figure or a sentence; longer text is not read (issue 13)
_MISSING_TEXT = {"", "-", "--", "—", "——", "/", "\\", "无数据", "暂无", "暂无数据", "待定", "未填", "未填写", "空",
                 "nan", "NaN", "None", "null", "N/A", "n/a", "NA", "#N/A"}
# Free text that means "none happened" for a count (泄密次数 0次 → 实际 “无”).
_ZERO_TEXT = re.compile(r"^(?:无|没有|未发生|未出现|均未发生|零|无发生)(?!法|效|序|力|能)[^\d]{0,10}$")
_FULL_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
_MONTH_END = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(?:底|末)")
_YEAR_END = re.compile(r"(?:(\d{4})年)?(?:年底|年末)")
_EXPLICIT_VERDICT = re.compile(r"^(未达成|部分达成|达成)(?:年度指标)?")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_LAST_YEAR = re.compile(r"(?:上年|去年|上一年|上年度|上一年度|前一年)[^\d\-]{0,6}(-?\d+(?:,\d{3})*(?:\.\d+)?)")
_DECREASE = (*(w for w, d in DIRECTION_WORDS.items() if d == "decrease"), "减")
_INCREASE = tuple(w for w, d in DIRECTION_WORDS.items() if d == "increase")
_FLAT = ("持平", "不变", "没有变化", "无变化", "未变化")


@dataclass(frozen=True, slots=True)
class Reading:
    """An actual value as the engine uses it; ``text`` is how it was read, for the report."""

    kind: str  # number, date, growth, verdict, unreadable, missing
    number: float | None = None
    date: str | None = None
    verdict: str | None = None
    percent: float | None = None
    sign: int = 0
    text: str = ""
    assumptions: tuple[str, ...] = ()
    reason: str | None = None
    explicit: bool = False  # a verdict written out (达成 …), not read from free text


def is_missing(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    if type(raw).__name__ in ("NaTType", "NAType"):
        return True
    return isinstance(raw, str) and raw.strip() in _MISSING_TEXT


def read_actual(raw: object, comparator: Comparator, is_percent: bool = False, year: int | None = None,
                lexicon: Lexicon | None = None) -> Reading:
    """The reading of one actual value against ``comparator`` (see the module docstring)."""
    if is_missing(raw):
        return Reading("missing", reason="未填写实际完成值")
    lex = lexicon or default_lexicon()
    if isinstance(raw, datetime):
        raw = raw.date()
    if hasattr(raw, "to_pydatetime"):  # pandas Timestamp
        raw = raw.to_pydatetime().date()
    if hasattr(raw, "item") and not isinstance(raw, str | bytes):  # numpy scalar
        raw = raw.item()
    try:
        return _read(raw, type(raw).__name__, comparator, bool(is_percent), year, lex)
    except TypeError:  # unhashable (a list in a cell): not a value
        return Reading("unreadable", text=str(raw), reason=f"实际完成值“{raw}”不是数值、日期或文字")


@lru_cache(maxsize=65536)
def _read(raw: object, _type: str, c: Comparator, is_pct: bool, year: int | None, lex: Lexicon) -> Reading:
    kind = c.kind
    if kind == "invalid":
        return Reading("unreadable", text=_display(raw), reason=f"指标值无效：{c.reason}")
    if isinstance(raw, date):
        if kind == "deadline":
            return Reading("date", date=raw.isoformat(), text=raw.isoformat())
        return Reading("unreadable", text=raw.isoformat(),
                       reason=f"实际完成值是日期 {raw.isoformat()}，而指标值不是时限（可能是 Excel 把数字自动转成了日期）")
    if isinstance(raw, bool):
        if kind in ("qualitative", "deadline", "directional"):
            v = "达成" if raw else "未达成"
            return Reading("verdict", verdict=v, text=v, assumptions=(f"实际完成值“{'是' if raw else '否'}”按“{v}”理解",))
        return Reading("unreadable", text=str(raw), reason="实际完成值是“是/否”，定量指标需要数值")
    if isinstance(raw, int | float):
        if not math.isfinite(raw):
            return Reading("unreadable", text=str(raw), reason="实际完成值不是有限的数")
        return _from_number(float(raw), "", c, is_pct, str(fmt_number(float(raw))), year, lex)
    if not isinstance(raw, str):
        return Reading("unreadable", text=str(raw), reason=f"实际完成值“{raw}”不是数值、日期或文字")
    return _from_text(raw, c, is_pct, year, lex)


def _display(raw: object) -> str:
    if isinstance(raw, float):
        return fmt_number(raw)
    return str(raw).strip()


# ---------------------------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------------------------

def _from_number(value: float, unit: str, c: Comparator, is_pct: bool, written: str, year: int | None,
                 lex: Lexicon) -> Reading:
    if c.kind == "qualitative":
        return Reading("unreadable", text=written,
                       reason=f"定性指标的实际完成值应为判定（达成/部分达成/未达成）或文字说明，不能只填数值“{written}”")
    if c.kind == "deadline":
        return Reading("unreadable", text=written, reason=f"时限指标的实际完成值应为完成日期，“{written}”不是日期")
    if c.kind == "directional":
        return _growth_from_number(value, unit, is_pct, written)
    return _to_target_unit(value, unit, c, is_pct, written)


def _to_target_unit(value: float, unit: str, c: Comparator, is_pct: bool, written: str) -> Reading:
    target_unit = c.unit
    assumptions: list[str] = []
    if is_pct and not unit:
        value, unit = value * 100, "%"
    if unit == target_unit:
        pass
    elif not unit:
        multiplier = _written_multiplier(c)
        if multiplier and not is_percent(target_unit) and _closer_to_target(value * multiplier[1], value, c):
            assumptions.append(f"实际完成值 {fmt_number(value)} 没有写单位，按指标值的写法“{multiplier[0]}{target_unit}”理解，"
                               f"即 {fmt_number(value * multiplier[1])} {target_unit}")
            value = value * multiplier[1]
        if is_percent(target_unit):
            bound = c.high if c.kind == "range" else c.value
            if 0 <= value <= 1 and (bound or 0) > 1:
                assumptions.append(f"实际完成值 {written} 没有百分号，按 {fmt_number(value * 100)}% 理解")
                value = value * 100
            else:
                assumptions.append(f"实际完成值 {written} 没有百分号，按 {fmt_number(value)}% 理解")
        unit = target_unit
    elif not target_unit:
        assumptions.append(f"指标值没有写单位，按实际完成值的单位“{unit}”比较")
        target_unit = unit
    else:
        try:
            f = factor(unit, target_unit)
        except IncompatibleUnits as exc:
            return Reading("unreadable", text=written, reason=f"{exc}（实际完成值“{written}”，指标值以“{target_unit}”计）")
        converted = value * f
        text = f"{fmt_number(converted)} {target_unit}（{written}）".replace("  ", " ")
        return Reading("number", number=converted, text=text, assumptions=tuple(assumptions))
    text = f"{fmt_number(value)} {target_unit}".strip() if target_unit else fmt_number(value)
    return Reading("number", number=value, text=text, assumptions=tuple(assumptions))


_MULTIPLIED = re.compile(r"\d(?:\.\d+)?(万|亿)")


def _written_multiplier(c: Comparator) -> tuple[str, float] | None:
    """The multiplier the target was written with (``≤90万元`` → (万, 10000)), or None."""
    m = _MULTIPLIED.search(normalize(c.text or ""))
    if not m:
        return None
    return m.group(1), 1e4 if m.group(1) == "万" else 1e8


def _closer_to_target(scaled: float, plain: float, c: Comparator) -> bool:
    """Whether ``scaled`` is nearer the target than ``plain`` (by ratio): 90 against ≤90万元 is 90 万元."""
    target = c.value if c.value else c.high
    if not target or target <= 0 or plain <= 0:
        return False
    return abs(math.log(scaled / target)) < abs(math.log(plain / target))


def _growth_from_number(value: float, unit: str, is_pct: bool, written: str) -> Reading:
    assumptions: list[str] = []
    if is_pct and not unit:
        value, unit = value * 100, "%"
    if unit not in ("%",):
        if unit:
            return Reading("unreadable", text=written,
                           reason=f"方向指标的实际完成值应为增长率（%）或写明本年与上年的数值，“{written}”不能判断方向")
        assumptions.append(f"实际完成值 {written} 按较上年的增长率 {fmt_number(value)}% 理解")
    sign = (value > 0) - (value < 0)
    return Reading("growth", number=value, sign=sign, text=f"较上年 {_signed(value)}%", assumptions=tuple(assumptions))


def _signed(x: float) -> str:
    return ("+" if x > 0 else "") + fmt_number(x)


# ---------------------------------------------------------------------------------------------
# text
# ---------------------------------------------------------------------------------------------

def _from_text(raw: str, c: Comparator, is_pct: bool, year: int | None, lex: Lexicon) -> Reading:
    if len(raw) > MAX_ACTUAL_CHARS:  # hostile input (issue 13): judging a 1 MB cell takes a minute
        return Reading("unreadable", text=raw[:100] + "…",
                       reason=f"实际完成值有 {len(raw):,} 字，过长，不是一个实际完成值（最多 {MAX_ACTUAL_CHARS:,} 字）；"
                              "请只填写完成的数量、比率、日期或“达成/部分达成/未达成”，说明写在“偏差原因分析及改进措施”一列")
    t = normalize(raw)
    shown = raw.strip()
    if t in _MISSING_TEXT:
        return Reading("missing", reason="未填写实际完成值")
    kind = c.kind
    if kind == "deadline":
        return _deadline_text(t, shown, year, lex)
    if kind == "directional":
        return _directional_text(t, shown, c, lex)
    if kind == "qualitative":
        return _verdict_text(t, shown, c, lex)
    # quantitative, range
    if _FULL_DATE.search(t) and read_date(t) is not None:
        return Reading("unreadable", text=shown, reason=f"实际完成值“{shown}”是日期，而指标值是数值")
    explicit = _EXPLICIT_VERDICT.match(t)
    if explicit is None:
        q = read_quantity(t)
        if q is not None:
            value, unit = q
            return _to_target_unit(value, unit, c, is_pct, shown)
        if _ZERO_TEXT.match(t):
            return Reading("number", number=0.0, text=f"0 {c.unit}".strip(),
                           assumptions=(f"实际完成值“{shown}”按 0 理解",))
    v = _verdict_text(t, shown, c, lex)
    if v.kind == "verdict":
        return v
    return Reading("unreadable", text=shown, reason=f"实际完成值“{shown}”中读不出数值")


def _deadline_text(t: str, shown: str, year: int | None, lex: Lexicon) -> Reading:
    assumptions: list[str] = []
    d = read_date(t, None)
    if d is None:
        m = _MONTH_END.search(t)
        y_end = _YEAR_END.search(t)
        if m:
            y = int(m.group(1)) if m.group(1) else year
            if y is not None and 1 <= int(m.group(2)) <= 12:
                d = date(y, int(m.group(2)), calendar.monthrange(y, int(m.group(2)))[1])
                assumptions.append(f"“{m.group(0)}”按该月最后一天 {d.isoformat()} 理解")
        elif y_end:
            y = int(y_end.group(1)) if y_end.group(1) else year
            if y is not None:
                d = date(y, 12, 31)
                assumptions.append(f"“{y_end.group(0)}”按 {d.isoformat()} 理解")
        if d is None and year is not None:
            d = read_date(t, year)
            if d is not None:
                assumptions.append(f"完成日期没有写年份，按评价年度 {year} 年理解")
    if d is not None:
        return Reading("date", date=d.isoformat(), text=d.isoformat(), assumptions=tuple(assumptions))
    v = _verdict_text(t, shown, None, lex)
    if v.kind == "verdict":
        return v
    return Reading("unreadable", text=shown, reason=f"实际完成值“{shown}”中读不出完成日期或判定")


def _directional_text(t: str, shown: str, c: Comparator, lex: Lexicon) -> Reading:
    m = _LAST_YEAR.search(t)
    if m:
        last = float(m.group(1).replace(",", ""))
        rest = t[: m.start()] + " " + t[m.end():]
        q = read_quantity(rest)
        if q is not None and last != 0:
            this = q[0]
            rate = (this - last) / abs(last) * 100
            sign = (this > last) - (this < last)
            return Reading("growth", number=rate, sign=sign,
                           text=f"本年 {fmt_number(this)}，上年 {fmt_number(last)}，较上年 {_signed(round(rate, 4))}%",
                           assumptions=(f"“{shown}”读作本年 {fmt_number(this)}、上年 {fmt_number(last)}",))
    negated = any(n + w in t for n in lex.negators for w in (*_INCREASE, *_DECREASE))
    q = read_quantity(t)
    down = any(w in t for w in _DECREASE)
    up = any(w in t for w in _INCREASE)
    if q is not None and not negated:
        value, unit = q
        if unit == "%" or (not unit and (up or down)):
            if down and not up:
                value = -abs(value)
            elif up and not down:
                value = abs(value)
            sign = (value > 0) - (value < 0)
            assumptions = () if unit == "%" else (f"“{shown}”中的数 {fmt_number(abs(value))} 按增长率（%）理解",)
            return Reading("growth", number=value, sign=sign, text=f"较上年 {_signed(value)}%", assumptions=assumptions)
    if any(w in t for w in _FLAT):
        return Reading("growth", number=0.0, sign=0, text="与上年持平", assumptions=(f"“{shown}”按与上年持平理解",))
    if (up or down) and not (up and down) and not _EXPLICIT_VERDICT.match(t):
        sign = 1 if up else -1
        if negated:
            said = "未增长" if up else "未下降"
            return Reading("growth", sign=0, text=said, assumptions=(f"“{shown}”按“{said}”理解",))
        return Reading("growth", sign=sign, text="较上年" + ("增长" if sign > 0 else "下降") + "（未写幅度）",
                       assumptions=(f"“{shown}”按较上年{'增长' if sign > 0 else '下降'}理解",))
    v = _verdict_text(t, shown, c, lex)
    if v.kind == "verdict":
        return v
    if q is not None:
        return _growth_from_number(q[0], q[1], False, shown)
    return Reading("unreadable", text=shown, reason=f"实际完成值“{shown}”中读不出较上年的变化")


# ---------------------------------------------------------------------------------------------
# verdicts and free text
# ---------------------------------------------------------------------------------------------

def _verdict_text(t: str, shown: str, c: Comparator | None, lex: Lexicon) -> Reading:
    m = _EXPLICIT_VERDICT.match(t)
    if m:
        verdict = m.group(1)
        p = _PERCENT.search(t, m.end())
        pct = float(p.group(1)) if p else None
        text = verdict + (f"（{fmt_number(pct)}%）" if pct is not None else "")
        return Reading("verdict", verdict=verdict, percent=pct, text=text, explicit=True)
    if c is not None and c.kind == "qualitative" and normalize(c.text) == t:
        return Reading("verdict", verdict="达成", text="达成",
                       assumptions=(f"实际完成值“{shown}”与指标值相同，按“达成”理解",))
    verdict, words = judge_text(t, lex)
    if verdict is None:
        return Reading("unreadable", text=shown, reason=f"词表判断不了实际完成值“{shown}”是否达成")
    return Reading("verdict", verdict=verdict, text=verdict,
                   assumptions=(f"按词表把“{shown}”读作“{verdict}”（依据：{'、'.join(words)}）",))


@lru_cache(maxsize=64)
def _word_table(lex: Lexicon) -> tuple[tuple[str, str], ...]:
    """(word, class) longest first; class ∈ positive, partial, negative, negator."""
    table: dict[str, str] = {}
    for cls, words in (("negator", lex.negators), ("positive", lex.positive), ("partial", lex.partial),
                       ("negative", lex.negative)):
        for w in words:
            table[w] = cls  # a word in several lists: the later, stronger class wins
    return tuple(sorted(table.items(), key=lambda kv: -len(kv[0])))


def judge_text(text: str, lex: Lexicon | None = None) -> tuple[str | None, tuple[str, ...]]:
    """Free text → (达成/部分达成/未达成 or None, the words that decided).

    The text is scanned left to right, taking the longest listed word at each place (so
    ``未发生`` is one positive word, not ``未`` + ``发生``). A negator right before a positive word
    makes it negative (``不及时``, ``未能完成``). Any negative word → 未达成; else any partial word →
    部分达成; else any positive word → 达成; no listed word → None.
    """
    lex = lex or default_lexicon()
    table = _word_table(lex)
    t = normalize(text)
    found: list[tuple[str, str]] = []
    i = 0
    while i < len(t):
        for w, cls in table:
            if t.startswith(w, i):
                found.append((w, cls))
                i += len(w)
                break
        else:
            i += 1
    classes: list[tuple[str, str]] = []
    pending_negator: str | None = None
    for w, cls in found:
        if cls == "negator":
            pending_negator = w
            continue
        if pending_negator and cls == "positive":
            classes.append((f"{pending_negator}{w}", "negative"))
        else:
            classes.append((w, cls))
        pending_negator = None
    if pending_negator and not classes:
        classes.append((pending_negator, "negative"))
    for cls, verdict in (("negative", "未达成"), ("partial", "部分达成"), ("positive", "达成")):
        words = tuple(w for w, c in classes if c == cls)
        if words:
            return verdict, words
    return None, ()
