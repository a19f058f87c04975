"""Read a 指标值 (target expression) into a :class:`~scoring.language.comparator.Comparator`.

``parse(text, indicator=None, year=None)`` is pure, cached and never raises: the worst answer
is ``kind="invalid"`` with a Chinese reason. The steps, in order:

1. :func:`normalize`: HTML tags and LaTeX left by PDF extraction go (``$\\geq 90\\%$`` → ``≥90%``),
   full-width forms become half-width (NFKC), white space goes, operator symbols are unified.
2. Empty, overlong, or the indicator's own name copied into the value → invalid.
3. A deadline (``每年12月31日前``, ``2023年6月底前``, ``年底前``) → deadline.
4. Quantities are tokenised here, not by pint: a number (Arabic, Chinese numerals, ``半``,
   ``百分之九十``), a multiplier (万, 亿) and the longest known unit (``个小时`` → 小时). Each
   quantity takes the operator written before it (``不少于``, ``≥``) or after it (``以上``,
   ``以内``, ``内``), following 民法典 第1259条: 以上、以下、以内 include the number; 超过、不满、以外 do not.
5. Two bounded quantities or ``A-B`` / ``在A至B之间`` → range; one → quantitative. A bare value
   takes its direction from the indicator's name through the word lists in ``rules/language/words.yaml``
   (``故障次数`` → ≤, ``故障解决率`` → ≥), recorded as an assumption.
6. A direction word alone (``增长``, ``逐步提高``) → directional; other text → qualitative,
   unless it is cut off after an operator word or looks like an indicator name → invalid.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from scoring.language.comparator import OP_SYMBOL, Comparator, fmt_number
from scoring.language.lexicon import Lexicon, default_lexicon
from scoring.language.normalize import normalize
from scoring.language.numerals import (
    ARABIC,
    CHINESE,
    CHINESE_NUMERAL_CHARS,
    DIGITS,
    arabic_to_number,
    chinese_to_number,
    match_multiplier,
)
from scoring.language.units import canonical_unit, match_compound_unit

MAX_LENGTH = 500  # a real 指标值 is a phrase; anything longer is not one

# ----------------------------------------------------------------------------------------------
# vocabulary of the language itself (the word lists that depend on policy live in rules/language/words.yaml)
# ----------------------------------------------------------------------------------------------

# Written before the number. Longest match wins, so 不少于 is never read as 少于.
PREFIX_OPS: dict[str, str] = {
    "≥": ">=", "不少于": ">=", "不低于": ">=", "不小于": ">=", "至少": ">=", "最少": ">=", "最低": ">=",
    "大于等于": ">=", "大于或等于": ">=", "不得少于": ">=", "不得低于": ">=", "不应低于": ">=", "不应少于": ">=",
    "应不低于": ">=", "应不少于": ">=", "达到": ">=", "达": ">=", "满": ">=", "届满": ">=", "起码": ">=",
    "高于或等于": ">=", "多于或等于": ">=", "不会少于": ">=", "不能少于": ">=", "不能低于": ">=",
    ">": ">", "大于": ">", "高于": ">", "超过": ">", "多于": ">", "超出": ">", "优于": ">",
    "≤": "<=", "不超过": "<=", "不高于": "<=", "不多于": "<=", "不大于": "<=", "最多": "<=", "至多": "<=",
    "最高": "<=", "最长": "<=", "小于等于": "<=", "小于或等于": "<=", "低于或等于": "<=", "控制在": "<=",
    "不得超过": "<=", "不得高于": "<=", "不应超过": "<=", "不能超过": "<=", "不超出": "<=", "不得超出": "<=",
    "<": "<", "少于": "<", "小于": "<", "低于": "<", "不足": "<", "不满": "<", "未满": "<", "不到": "<",
    "=": "==", "等于": "==", "为": "==",
}
# Words that may stand between the operator and the number: 不低于在…, 控制在…, 达到…
PREFIX_FILLER = ("在", "到", "于")
# Written after the number (and its unit).
SUFFIX_OPS: dict[str, str] = {
    "及以上": ">=", "或以上": ">=", "以上": ">=", "之上": ">=",
    "及以下": "<=", "或以下": "<=", "以下": "<=", "以内": "<=", "之内": "<=", "内": "<=",
    "以外": ">", "以下(不含)": "<",
}
_PREFIX_BY_LENGTH = sorted(PREFIX_OPS, key=len, reverse=True)
_SUFFIX_BY_LENGTH = sorted(SUFFIX_OPS, key=len, reverse=True)
# Operator words whose absence of a following number means the sentence was cut off.
CUTOFF_WORDS = tuple(w for w in _PREFIX_BY_LENGTH if len(w) >= 2 or w in "≥≤<>=")

RANGE_SEPARATORS = ("-", "~", "—", "–", "至", "到", "〜", "－")

DIRECTION_WORDS = {
    "增长": "increase", "增加": "increase", "提高": "increase", "上升": "increase", "提升": "increase",
    "扩大": "increase", "增多": "increase", "上涨": "increase",
    "下降": "decrease", "降低": "decrease", "减少": "decrease", "减低": "decrease", "缩短": "decrease",
    "缩小": "decrease", "下滑": "decrease",
}
DIRECTION_MODIFIERS = ("逐步", "稳步", "持续", "逐年", "同比", "较上年", "比上年", "较去年", "比去年", "有所",
                       "不断", "明显", "显著", "进一步", "稳定", "大幅", "继续", "保持", "实现", "较上一年度", "较上年度")
_DIRECTION_RE = re.compile(
    "^(?:" + "|".join(map(re.escape, DIRECTION_MODIFIERS)) + ")*"
    "(" + "|".join(DIRECTION_WORDS) + ")"
    "(?:" + "|".join(map(re.escape, DIRECTION_MODIFIERS)) + "|率|趋势|态势)*$"
)

# An indicator name rather than a value: ends like the name of a measure.
NAME_LIKE_SUFFIXES = ("率", "次数", "数量", "人数", "篇数", "个数", "件数", "户数", "家数", "场次", "总数", "总量",
                      "比例", "比率", "金额", "时长", "占比", "满意度", "知晓度", "覆盖面", "人次数")

# ----------------------------------------------------------------------------------------------
# quantities
# ----------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Quantity:
    value: float
    unit: str
    start: int  # where the number starts (a sign included)
    end: int  # after the unit (or the number when there is none)
    chinese: bool  # written in Chinese numerals


_NUMBER_START = re.compile(f"[0-9.{CHINESE_NUMERAL_CHARS}半]|百分之")


def _read_number(t: str, i: int) -> tuple[float, int, bool] | None:
    """A number at ``t[i:]``: (value, end, written in Chinese)."""
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


def find_quantities(t: str) -> list[Quantity]:
    """Every number-with-unit in a normalised text, left to right."""
    out: list[Quantity] = []
    i, n = 0, len(t)
    while i < n:
        m = _NUMBER_START.search(t, i)
        if not m:
            break
        i = m.start()
        percent_words = t.startswith("百分之", i)
        j = i + 3 if percent_words else i
        num = _read_number(t, j)
        if num is None:
            i += 1
            continue
        value, end, chinese = num
        if percent_words:
            chinese = True
        # 一个半小时 / 1个半小时
        if t.startswith("个半", end):
            value, end = value + 0.5, end + 2
        elif t.startswith("半", end) and not percent_words and match_compound_unit(t, end + 1):
            value, end = value + 0.5, end + 1
        if not chinese or percent_words:
            factor, used = match_multiplier(t, end)
            # 3千米 is a length, not 3000 米: a unit that starts with the multiplier wins.
            if used and not (match_compound_unit(t, end) and match_compound_unit(t, end)[1] > used):
                value, end = value * factor, end + used
        if percent_words:
            unit, uend = "%", end
        else:
            found = match_compound_unit(t, end)
            unit, uend = (found[0], end + found[1]) if found else ("", end)
            if t.startswith("半", uend) and unit and not t.startswith("半", end):  # 1年半, 两天半
                value, uend = value + 0.5, uend + 1
        if _is_not_a_quantity(t, i, end, uend, unit, chinese, value):
            i = max(end, i + 1)
            continue
        start = i
        if i > 0 and t[i - 1] in "+-" and (i == 1 or not _ends_with_quantity(t, i - 1, out)):
            if t[i - 1] == "-":
                value = -value
            start = i - 1
        out.append(Quantity(value, unit, start, uend, chinese))
        i = uend
    return out


def _ends_with_quantity(t: str, pos: int, found: list[Quantity]) -> bool:
    return bool(found) and found[-1].end == pos


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
    if after in ("级", "类", "星", "A") and not unit:  # 一级指标, 3A景区
        return True
    if chinese:
        if not unit and not t.startswith("百分之", start):
            return True  # 两岸, 一体化: a Chinese numeral counts only with a unit
        if after in ("体", "流", "般", "致", "直", "切", "些"):
            return True
    return False


# ----------------------------------------------------------------------------------------------
# operators around a quantity
# ----------------------------------------------------------------------------------------------

def _prefix_op(t: str, q: Quantity, floor: int) -> tuple[str, int] | None:
    """The operator written right before a quantity: (op, where it starts)."""
    head = t[floor:q.start]
    for filler in ("", *PREFIX_FILLER):
        h = head[: len(head) - len(filler)] if filler and head.endswith(filler) else (head if not filler else None)
        if h is None:
            continue
        for word in _PREFIX_BY_LENGTH:
            if h.endswith(word):
                if word in ("为", "达", "满") and filler:
                    continue
                if word == "为" and h.endswith(("作为", "认为", "成为", "视为", "因为", "以为", "为民")):
                    continue
                if word == "满" and h.endswith(("满意", "圆满", "饱满")):
                    continue
                if word == "达" and h.endswith(("下达", "到达", "传达", "表达", "送达", "抵达")):
                    continue
                return PREFIX_OPS[word], floor + len(h) - len(word)
    return None


def _suffix_op(t: str, q: Quantity) -> tuple[str, int] | None:
    for word in _SUFFIX_BY_LENGTH:
        if t.startswith(word, q.end):
            if word == "内" and t.startswith(("内容", "内部", "内涵", "内外", "内控"), q.end):
                continue
            return SUFFIX_OPS[word], q.end + len(word)
    return None


# ----------------------------------------------------------------------------------------------
# deadlines
# ----------------------------------------------------------------------------------------------

_CN_DATE_NUM = re.compile(r"([零〇○一二两三四五六七八九十]+)(?=[年月日号])")
_BEFORE = r"(?:之前|以前|前|止|为止|截止|内)"
_DATE_FULL = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]?" + _BEFORE)
_DATE_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _BEFORE)
_DATE_MONTH_END = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(?:底|末|份|内)" + _BEFORE + "?")
_DATE_YEAR_END = re.compile(r"(?:(\d{4})年)?(?:年底|年末|年终|底|末)" + _BEFORE + r"?|(?:(\d{4})年|本年|当年|年)(?:度)?内")
_DATE_HALF = re.compile(r"(?:(\d{4})年)?(上半年|下半年)")
_DATE_QUARTER = re.compile(r"(?:(\d{4})年)?第?([1-4一二三四])季度(?:末|底)?" + _BEFORE + "?")
_DATE_BY = re.compile(r"(?:截至|截止|截止到|于)(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]")


def _cn_date_numbers(t: str) -> str:
    def repl(m: re.Match) -> str:
        v = chinese_to_number(m.group(1))
        return m.group(1) if v is None else str(int(v))

    return _CN_DATE_NUM.sub(repl, t)


def _deadline(t: str, year: int | None) -> tuple[str | None, list[str], str | None, str] | None:
    """(ISO date or --MM-DD, assumptions, reason if invalid, the text left around the date)."""
    t2 = _cn_date_numbers(t) if any(c in t for c in "月年") else t
    every_year = "每年" in t2 or "每年度" in t2
    ymd: tuple[str | None, int, int] | None = None
    m = None
    for rx in (_DATE_BY, _DATE_FULL, _DATE_ISO):
        m = rx.search(t2)
        if m:
            ymd = (m.group(1), int(m.group(2)), int(m.group(3)))
            break
    if ymd is None:
        m = _DATE_MONTH_END.search(t2)
        if m and 1 <= int(m.group(2)) <= 12:
            y = m.group(1)
            month = int(m.group(2))
            ymd = (y, month, calendar.monthrange(int(y) if y else (year or 2001), month)[1])
    if ymd is None:
        m = _DATE_QUARTER.search(t2)
        if m:
            qn = int(m.group(2)) if m.group(2).isdigit() else DIGITS[m.group(2)]
            month = qn * 3
            ymd = (m.group(1), month, calendar.monthrange(2001, month)[1])
    if ymd is None:
        m = _DATE_HALF.search(t2)
        if m:
            ymd = (m.group(1), 6, 30) if m.group(2) == "上半年" else (m.group(1), 12, 31)
    if ymd is None:
        m = _DATE_YEAR_END.search(t2)
        if m and (m.group(0) not in ("底", "末") and not m.group(0).startswith(("底", "末"))):
            ymd = (m.group(1) or m.group(2), 12, 31)
    if ymd is None or m is None:
        return None
    rest = t2[: m.start()] + " " + t2[m.end():]
    y, month, day = ymd
    assumptions: list[str] = []
    if y is not None:
        y_int = int(y)
    elif year is not None:
        y_int = year
        if not every_year:
            assumptions.append(f"时限未写年份，按评价年度 {year} 年理解")
    else:
        y_int = None
    if not (1 <= month <= 12) or not (1 <= day <= calendar.monthrange(y_int or 2000, month)[1]):
        return None, [], f"日期不存在：{month}月{day}日", rest
    if y_int is None:
        return f"--{month:02d}-{day:02d}", assumptions, None, rest
    return date(y_int, month, day).isoformat(), assumptions, None, rest


# ----------------------------------------------------------------------------------------------
# bare values: direction from the indicator's name
# ----------------------------------------------------------------------------------------------

def infer_direction(indicator: str | None, unit: str, value: float, lex: Lexicon) -> tuple[str, str]:
    """The operator a bare value means, and the sentence that records why."""
    shown = f"{fmt_number(value)}{unit}"
    if value == 0:
        return "<=", f"裸值“{shown}”是零目标，按“不超过0”（即不得发生）理解"
    name = _clean_name(indicator or "")
    if name:
        for suffix in sorted(lex.at_least_suffixes, key=len, reverse=True):
            if name.endswith(suffix):
                return ">=", f"裸值“{shown}”按“不低于”理解：指标“{indicator}”是“{suffix}”类的正向指标"
        for word in lex.equal_words:
            if word in name:
                return "==", f"裸值“{shown}”按“等于”理解：指标“{indicator}”含“{word}”"
        for word in sorted(lex.at_most_words, key=len, reverse=True):
            if word in name:
                return "<=", f"裸值“{shown}”按“不超过”理解：指标“{indicator}”含“{word}”（坏事件、时长或成本）"
        for word in sorted(lex.at_least_words, key=len, reverse=True):
            if word in name:
                return ">=", f"裸值“{shown}”按“不低于”理解：指标“{indicator}”含“{word}”（正向的数量或比率）"
    if unit in lex.at_most_units:
        return "<=", f"裸值“{shown}”是时长，按“不超过”理解"
    op = lex.default_op
    word = "不低于" if op == ">=" else "等于"
    why = f"指标名称“{indicator}”看不出方向" if name else "没有指标名称可判断方向"
    return op, f"裸值“{shown}”按“{word}”理解：{why}"


def _clean_name(name: str) -> str:
    n = normalize(name)
    return re.sub(r"\([^()]*\)$", "", n)


_NAME_UNIT = re.compile(r"\(([^()]{1,8})\)$")


def unit_from_name(indicator: str | None) -> tuple[str, float] | None:
    """The unit an indicator's name gives in brackets: ``满意度（%）`` → %, ``用水总量（亿立方米）`` → 立方米 ×1e8."""
    if not indicator:
        return None
    m = _NAME_UNIT.search(normalize(indicator))
    if not m:
        return None
    inner = m.group(1)
    unit = canonical_unit(inner)
    if unit:
        return unit, 1.0
    factor, used = match_multiplier(inner, 0)
    if used:
        unit = canonical_unit(inner[used:])
        if unit:
            return unit, factor
    return None


# ----------------------------------------------------------------------------------------------
# parse
# ----------------------------------------------------------------------------------------------

def parse(text: object, indicator: str | None = None, year: int | None = None,
          lexicon: Lexicon | None = None) -> Comparator:
    """Read one 指标值. Never raises; see the module docstring for the steps."""
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
        return Comparator(text=text, kind="invalid", indicator=indicator,
                          reason=f"无法解析（程序未能处理这种写法：{type(exc).__name__}）")


def _invalid(text: str, indicator: str | None, reason: str) -> Comparator:
    return Comparator(text=text, kind="invalid", indicator=indicator, reason=reason)


def _parse_uncached(text: str, indicator: str | None, year: int | None, lex: Lexicon) -> Comparator:
    if len(text) > MAX_LENGTH:
        return _invalid(text, indicator, f"指标值过长（{len(text)} 个字符），不像是一个指标值")
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in text):
        text_for_reading = "".join(c for c in text if unicodedata.category(c) != "Cc" or c in "\t\n\r")
    else:
        text_for_reading = text
    t = normalize(text_for_reading).strip(" ,，。;；、:：")
    if not t or t in ("-", "/", "—", "无", "N/A", "n/a", "空", "暂无"):
        return _invalid(text, indicator, "指标值为空")
    name = _clean_name(indicator) if indicator else ""
    copied_name = bool(name) and (t == name or t == normalize(indicator))
    if copied_name and (t.endswith(NOUN_SUFFIXES) or not _states_something(t, lex)):
        return _invalid(text, indicator, "指标值与指标名称相同：名称被复制到了数值栏，没有写目标")

    dl = _deadline(t, year)
    quantities = find_quantities(t)
    if dl is not None and not find_quantities(dl[3]):
        iso, assumptions, reason, _ = dl
        if reason:
            return _invalid(text, indicator, reason)
        if "前" in t or "之前" in t or "以前" in t:
            assumptions = [*assumptions, "“…前”按含当日理解：当日完成即为按期"]
        return Comparator(text=text, kind="deadline", op="by_date", date=iso, indicator=indicator,
                          assumptions=tuple(assumptions), phrase=t)

    if quantities:
        return _quantitative(text, t, quantities, indicator, lex)

    d = _DIRECTION_RE.match(t)
    if d:
        return Comparator(text=text, kind="directional", op=DIRECTION_WORDS[d.group(1)], indicator=indicator, phrase=t)

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
    return Comparator(text=text, kind="qualitative", indicator=indicator, phrase=t, assumptions=assumptions)


# A noun phrase naming a measure (稳定性, 完成情况), not a statement of the state wanted.
NOUN_SUFFIXES = ("性", "率", "度", "情况", "程度", "水平", "状况", "效果", "质量", *NAME_LIKE_SUFFIXES)
STATE_CUES = ("提高", "提升", "保障", "达到", "确保", "实现", "保持", "不断", "有效", "控制在", "范围内", "以内",
              "不超出", "不超过", "不低于", "完成", "到位", "按时", "按期", "及时", "达标", "合格", "满意", "正常")

# Verbs and adverbs that turn a measure's name into a wanted state (满意度较高, 有效提升覆盖率).
STATE_VERBS = ("提高", "提升", "较高", "保持", "确保", "达到", "实现", "不断", "有效", "稳步", "显著", "明显")


def _states_something(t: str, lex: Lexicon) -> bool:
    """Whether a text without numbers describes a state (a qualitative target) rather than names a measure."""
    if any(w in t for w in STATE_CUES):
        return True
    return any(len(w) >= 2 and w in t for w in (*lex.positive, *lex.negative, *lex.partial))


def _quantitative(text: str, t: str, qs: list[Quantity], indicator: str | None, lex: Lexicon) -> Comparator:
    assumptions: list[str] = []
    # Operators around each quantity.
    ops: list[tuple[str, int] | None] = []
    floor = 0
    for q in qs:
        pre = _prefix_op(t, q, floor)
        suf = _suffix_op(t, q)
        ops.append((pre[0], 0) if pre else ((suf[0], 1) if suf else None))
        floor = q.end

    # A range: A-B, A~B, 在A至B之间, or ≥A 且 ≤B.
    rng = _range(t, qs, ops)
    if rng is not None:
        lo, hi, strict_lo, strict_hi = rng
        unit = hi.unit or lo.unit
        lo_v, hi_v = lo.value, hi.value
        if lo.unit and hi.unit and lo.unit != hi.unit:
            return _invalid(text, indicator, f"区间两端的单位不同（{lo.unit}、{hi.unit}）")
        if lo_v > hi_v:
            lo_v, hi_v = hi_v, lo_v
            assumptions.append("区间上下限写反了，已按从小到大理解")
        unit, scale = _unit_or_name(unit, indicator, assumptions)
        return Comparator(text=text, kind="range", op="between", value=lo_v * scale, high=hi_v * scale, unit=unit,
                          indicator=indicator, strict_low=strict_lo, strict_high=strict_hi,
                          assumptions=tuple(assumptions), phrase=t)

    explicit = [(q, o) for q, o in zip(qs, ops, strict=True) if o is not None]
    if explicit:
        q, (op, _) = explicit[0]
        if len({(x.value, x.unit) for x, _ in explicit}) > 1:
            assumptions.append(f"指标值含多个数值，按第一个带比较词的“{t[q.start:q.end]}”理解")
        unit, scale = _unit_or_name(q.unit, indicator, assumptions)
        return Comparator(text=text, kind="quantitative", op=op, value=q.value * scale, unit=unit,
                          indicator=indicator, assumptions=tuple(assumptions), phrase=t)

    q = qs[0]
    if len({(x.value, x.unit) for x in qs}) > 1:
        assumptions.append(f"指标值含多个数值，按第一个“{t[q.start:q.end]}”理解")
    unit, scale = _unit_or_name(q.unit, indicator, assumptions)
    value = q.value * scale
    # 增长10% / 下降5%: a change of at least that much.
    for word, direction in DIRECTION_WORDS.items():
        if t[: q.start].endswith(word) or t[: q.start].endswith(word + "了"):
            what = "增幅" if direction == "increase" else "降幅"
            assumptions.append(f"“{word}{fmt_number(value)}{unit}”按{what}不低于{fmt_number(value)}{unit}理解，实际值应填{what}")
            return Comparator(text=text, kind="quantitative", op=">=", value=value, unit=unit, indicator=indicator,
                              assumptions=tuple(assumptions), inferred_op=True, phrase=t)
    op, why = infer_direction(indicator, unit, value, lex)
    assumptions.append(why)
    return Comparator(text=text, kind="quantitative", op=op, value=value, unit=unit, indicator=indicator,
                      assumptions=tuple(assumptions), inferred_op=True, phrase=t)


def _unit_or_name(unit: str, indicator: str | None, assumptions: list[str]) -> tuple[str, float]:
    if unit:
        return unit, 1.0
    from_name = unit_from_name(indicator)
    if from_name:
        u, scale = from_name
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
    qs = find_quantities(normalize(text))
    if not qs:
        return None
    return qs[0].value, qs[0].unit


def read_date(text: str, year: int | None = None) -> date | None:
    """A calendar date written in a cell (``2023年12月20日``, ``2023-12-20``, ``12月20日``)."""
    t = _cn_date_numbers(normalize(text))
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
    if c.kind == "quantitative":
        return f"{OP_SYMBOL[c.op]}{fmt_number(c.value)}{c.unit}"
    if c.kind == "range":
        return f"{fmt_number(c.value)}{c.unit}-{fmt_number(c.high)}{c.unit}"
    if c.kind == "deadline":
        if c.date and c.date.startswith("--"):
            month, day = c.date[2:].split("-")
            return f"每年{int(month)}月{int(day)}日前"
        y, m, d = c.date.split("-")
        return f"{int(y)}年{int(m)}月{int(d)}日前"
    if c.kind == "directional":
        return "增长" if c.op == "increase" else "下降"
    return c.text
