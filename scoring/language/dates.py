"""Deadlines and periods in a 指标值: ``每年12月31日前``, ``2023年6月底前``, ``2025年12月``, ``1-12月``,
``2021年全年``, ``2023.07-2024.01``. A period is read as a deadline at its end, never as a quantity
(2025) or a range (1–12). The words come from ``rules/language/dates.yaml``.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from scoring.language import vocabulary as vocab
from scoring.language.numerals import DIGITS, chinese_to_number


def _alt(words) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


_BEFORE_WORDS = vocab.words("dates", "before")
_BEFORE = f"(?:{_alt(_BEFORE_WORDS)})"
_BY = f"(?:{_alt(vocab.words('dates', 'by'))})"
_YEAR_END = _alt(vocab.words("dates", "year_end"))
_MONTH_END = _alt(vocab.words("dates", "month_end"))
_HALVES = vocab.table("dates", "halves")
_CN_DATE_NUM = re.compile(r"([零〇○一二两三四五六七八九十]+)(?=[年月日号])")
_DATE_FULL = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]?" + _BEFORE)
_DATE_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _BEFORE)
_DATE_MONTH_END = re.compile(rf"(?:(\d{{4}})年)?(\d{{1,2}})月(?:{_MONTH_END}|内){_BEFORE}?")
_DATE_YEAR_END = re.compile(rf"(?:(\d{{4}})年)?(?:{_YEAR_END}|底|末){_BEFORE}?|(?:(\d{{4}})年|本年|当年|年)(?:度)?内")
_DATE_HALF = re.compile(rf"(?:(\d{{4}})年)?({_alt(_HALVES)})")
_DATE_QUARTER = re.compile(r"(?:(\d{4})年)?第?([1-4一二三四])季度(?:末|底)?" + _BEFORE + "?")
_DATE_BY = re.compile(_BY + r"[为:：]?(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]")  # 完成时间为2022年12月30日


def cn_date_numbers(t: str) -> str:
    """Chinese numerals before 年/月/日 as Arabic: ``十二月三十一日`` → ``12月31日``."""
    def repl(m: re.Match) -> str:
        v = chinese_to_number(m.group(1))
        return m.group(1) if v is None else str(int(v))

    return _CN_DATE_NUM.sub(repl, t)


def _last_day(y: int | None, month: int) -> int:
    return calendar.monthrange(y or 2001, month)[1]


def _find_date(t2: str, year: int | None) -> tuple[tuple[str | None, int, int], re.Match] | None:
    for rx in (_DATE_BY, _DATE_FULL, _DATE_ISO):
        m = rx.search(t2)
        if m:
            return (m.group(1), int(m.group(2)), int(m.group(3))), m
    m = _DATE_MONTH_END.search(t2)
    if m and 1 <= int(m.group(2)) <= 12:
        y, month = m.group(1), int(m.group(2))
        return (y, month, _last_day(int(y) if y else year, month)), m
    m = _DATE_QUARTER.search(t2)
    if m:
        month = (int(m.group(2)) if m.group(2).isdigit() else DIGITS[m.group(2)]) * 3
        return (m.group(1), month, _last_day(None, month)), m
    m = _DATE_HALF.search(t2)
    if m:
        month, day = (int(x) for x in _HALVES[m.group(2)].split("-"))
        return (m.group(1), month, day), m
    m = _DATE_YEAR_END.search(t2)
    if m and m.group(0) not in ("底", "末") and not m.group(0).startswith(("底", "末")):
        return (m.group(1) or m.group(2), 12, 31), m
    return None


def deadline(t: str, year: int | None) -> tuple[str | None, list[str], str | None, str] | None:
    """(ISO date or --MM-DD, assumptions, reason if invalid, the text left around the date)."""
    t2 = cn_date_numbers(t) if any(c in t for c in "月年") else t
    every_year = "每年" in t2 or "每年度" in t2
    found = _find_date(t2, year)
    if found is None:
        return None
    (y, month, day), m = found
    rest = t2[: m.start()] + " " + t2[m.end():]
    assumptions: list[str] = []
    if y is not None:
        y_int: int | None = int(y)
    elif year is not None:
        y_int = year
        if not every_year:
            assumptions.append(f"时限未写年份，按评价年度 {year} 年理解")
    else:
        y_int = None
    if y_int is not None and not 1 <= y_int <= 9999:
        return None, [], f"年份不存在：{y_int}", rest
    if not (1 <= month <= 12) or not (1 <= day <= _last_day(y_int or 2000, month)):
        return None, [], f"日期不存在：{month}月{day}日", rest
    if y_int is None:
        return f"--{month:02d}-{day:02d}", assumptions, None, rest
    return date(y_int, month, day).isoformat(), assumptions, None, rest


# ----------------------------------------------------------------------------------------------
# periods: the whole text is one date or two joined by a separator
# ----------------------------------------------------------------------------------------------

_POINTS = [  # (regex, has year, has month, has day), tried in this order
    re.compile(r"(\d{4})(?:年|([-/.]))(\d{1,2})(?:月|(?(2)\2|(?!)))(\d{1,2})[日号]?"),
    re.compile(r"(\d{4})(?:年|[-/.])(\d{1,2})月?(?:份)?"),
    re.compile(r"(\d{4})年?"),
    re.compile(r"(\d{1,2})月(\d{1,2})[日号]"),
    re.compile(r"(\d{1,2})月?(?:份)?"),
]
_POINT_FIELDS = [("y", "m", "d"), ("y", "m"), ("y",), ("m", "d"), ("m",)]
_SEPARATORS = vocab.words("dates", "period_separators")
_WHOLE_YEAR = vocab.words("dates", "whole_year")
_THIS_YEAR = vocab.words("dates", "this_year")
_TAIL = vocab.words("dates", "tail")
_END_WORDS = (*vocab.words("dates", "month_end"), *vocab.words("dates", "year_end"))
_NOTE = re.compile(r"\([^()]*\)$")


def _points(t: str, i: int):
    """Every way a date point can be read at ``t[i:]``: (fields, end)."""
    for rx, names in zip(_POINTS, _POINT_FIELDS, strict=True):
        m = rx.match(t, i)
        if m:
            groups = [g for k, g in enumerate(m.groups(), 1) if not (rx is _POINTS[0] and k == 2)]
            yield dict(zip(names, (int(g) for g in groups), strict=True)), m.end()


def _strip_words(t: str, words, *, front: bool) -> str:
    for w in words:
        if front and t.startswith(w):
            return t[len(w):]
        if not front and t.endswith(w) and len(t) > len(w):
            return t[: -len(w)]
    return t


def _read_period(t: str) -> tuple[dict, dict | None] | None:
    for first, end in _points(t, 0):
        rest = t[end:]
        if not rest:
            return first, None
        for sep in _SEPARATORS:
            if rest.startswith(sep):
                for second, end2 in _points(rest, len(sep)):
                    if end2 == len(rest):
                        return first, second
    return None


def period(t: str, year: int | None) -> tuple[str, list[str]] | None:
    """A date or period that is the whole text: (ISO date of its end, assumptions), or None.
    Without a year written or given, the end is ``--MM-DD`` (as ``每年12月31日前``).

    >>> period("1-12月", 2023)[0], period("2023.07-2024.01", None)[0], period("2021年全年", None)[0]
    ('2023-12-31', '2024-01-31', '2021-12-31')
    >>> period("2025年12月", None)[0], period("2019年12月(计划标准)", None)[0], period("90-100", 2023)
    ('2025-12-31', '2019-12-31', None)
    >>> period("1-12月", None)[0]
    '--12-31'
    """
    core = _NOTE.sub("", t)
    this_year = False
    for w in _THIS_YEAR:
        if core.startswith(w):
            core, this_year = core[len(w):], True
            break
    before = any(core.endswith(w) for w in _BEFORE_WORDS)
    for words in (_TAIL, _BEFORE_WORDS, _END_WORDS):
        core = _strip_words(core, words, front=False)
    for w in _WHOLE_YEAR:  # 2021年全年, 2023年度: only after a year
        if core.endswith(w) and core[: -len(w)].endswith("年"):
            core = core[: -len(w)]
            break
    if core in _WHOLE_YEAR or (core == "" and this_year):
        core = ""
    if not core:
        read = ({}, None) if (this_year or t.strip("()") in _WHOLE_YEAR or t in _WHOLE_YEAR) else None
    else:
        if not any(c in core for c in "年月.") and not re.fullmatch(r"\d{4}-\d{1,2}(?:-\d{1,2})?", core):
            return None  # 1-12 alone is a range of numbers; a period says 年 or 月
        read = _read_period(core)
    if read is None:
        return None
    first, second = read
    end = second if second is not None else first
    y = end.get("y") or first.get("y")
    assumptions: list[str] = []
    if y is None and year is not None:
        y = year
        assumptions.append(f"期间未写年份，按评价年度 {year} 年理解")
    month = end.get("m", 12)
    if not ((y is None or 1900 <= y <= 2100) and 1 <= month <= 12) or (first.get("m") and not 1 <= first["m"] <= 12):
        return None
    day = end.get("d", _last_day(y, month))
    if not 1 <= day <= _last_day(y, month):
        return None
    iso = date(y, month, day).isoformat() if y is not None else f"--{month:02d}-{day:02d}"
    if second is not None or "d" not in end:
        shown = iso if y is not None else f"评价年度的{month}月{day}日"
        assumptions.append(f"期间“{t}”按截止于期末 {shown} 理解" + ("" if not before else "（含当日）"))
    return iso, assumptions
