"""Numbers as Chinese target tables write them.

Arabic (``1,000``, ``1.5``), full-width (normalised before this module sees them), Chinese
numerals (``两``, ``三十``, ``一万二千``, ``二〇二三``, ``一点五``, financial ``壹佰``), ``半``,
and the multipliers 百/千/万/亿 after a number (``30万`` = 300000, ``1.2亿`` = 120000000).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "俩": 2, "三": 3, "叁": 3,
          "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
          "九": 9, "玖": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CHINESE_NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS) + "点"

# A multiplier written after an Arabic number. Longest first.
MULTIPLIERS = (("百万", 1e6), ("千万", 1e7), ("万亿", 1e12), ("亿", 1e8), ("万", 1e4), ("千", 1e3), ("百", 1e2))

ARABIC = re.compile(r"\d+(?:,\d{3})+(?!\d)(?:\.\d+)?|\d*\.\d+|\d+")
CHINESE = re.compile(f"[{CHINESE_NUMERAL_CHARS}]+")


def chinese_to_number(text: str) -> float | None:
    """``三十`` → 30, ``一万二千`` → 12000, ``二〇二三`` → 2023, ``一点五`` → 1.5; None if not a number.

    >>> [chinese_to_number(t) for t in ("十二", "两百", "一万二", "三百五", "二〇二三", "一点五", "壹佰", "零")]
    [12.0, 200.0, 12000.0, 350.0, 2023.0, 1.5, 100.0, 0.0]
    >>> chinese_to_number("三五") is None, chinese_to_number("十十") is None, chinese_to_number("") is None
    (True, True, True)
    >>> chinese_to_number("一亿二千万"), chinese_to_number("十万")
    (120000000.0, 100000.0)
    """
    if not text:
        return None
    if "点" in text:
        whole, _, frac = text.partition("点")
        w = chinese_to_number(whole) if whole else 0.0
        if w is None or not frac or any(c not in DIGITS for c in frac):
            return None
        return w + float("0." + "".join(str(DIGITS[c]) for c in frac))
    if all(c in DIGITS for c in text):
        if len(text) == 1:
            return float(DIGITS[text])
        if len(text) >= 3 or any(DIGITS[c] == 0 for c in text):
            return float("".join(str(DIGITS[c]) for c in text))  # 二〇二三 read digit by digit
        return None  # 三五 (three or five) is not one number
    total = 0.0
    section = 0.0
    digit: int | None = None
    prev_unit: float | None = None
    prev_was_small_unit = False
    for c in text:
        if c in DIGITS:
            d = DIGITS[c]
            if d == 0:
                digit = None
            elif digit is not None:
                return None  # 三五 without a unit between
            else:
                digit = d
            prev_was_small_unit = False
        elif c in SMALL_UNITS:
            if prev_was_small_unit and digit is None:
                return None  # 十十, 百千
            section += (1 if digit is None else digit) * SMALL_UNITS[c]
            digit = None
            prev_unit = SMALL_UNITS[c]
            prev_was_small_unit = True
        else:  # 万, 亿
            section += digit or 0
            digit = None
            if section == 0 and total == 0:
                section = 1
            if BIG_UNITS[c] > 10_000:
                total = (total + section) * BIG_UNITS[c]
            else:
                total += section * BIG_UNITS[c]
            section = 0.0
            prev_unit = BIG_UNITS[c]
            prev_was_small_unit = False
    # 一万二 means 12000 and 三百五 means 350: a trailing digit right after a unit takes the next unit down.
    if digit is not None and prev_unit and prev_unit >= 100 and len(text) >= 2 and text[-2] not in DIGITS:
        return total + section + digit * prev_unit / 10
    return total + section + (digit or 0)


def arabic_to_number(text: str) -> float:
    """``1,000`` → 1000.0, ``.5`` → 0.5.

    >>> arabic_to_number("1,000.5"), arabic_to_number(".5")
    (1000.5, 0.5)
    """
    return float(text.replace(",", ""))


def match_multiplier(text: str, pos: int) -> tuple[float, int]:
    """A multiplier (万, 亿, ...) at ``text[pos:]``: (factor, characters used); (1, 0) if none.

    >>> match_multiplier("30万人次", 2), match_multiplier("1.2亿元", 3), match_multiplier("5百万", 1)
    ((10000.0, 1), (100000000.0, 1), (1000000.0, 2))
    >>> match_multiplier("3次", 1)
    (1.0, 0)
    """
    for word, factor in MULTIPLIERS:
        if text.startswith(word, pos):
            return factor, len(word)
    return 1.0, 0


@lru_cache(maxsize=1 << 16, typed=True)  # a run formats the same numbers again and again
def fmt_number(x: float | None, places: int = 10) -> str:
    """A number as people write it: no trailing zeros, no exponent for ordinary sizes, at most
    ``places`` decimals; nothing for a missing number. The one number formatter of the tool.

    >>> fmt_number(90.0), fmt_number(0.853), fmt_number(1 / 3, places=6), fmt_number(-0.0)
    ('90', '0.853', '0.333333', '0')
    >>> fmt_number(None), fmt_number(float("nan")), fmt_number(3e20), fmt_number(2.45 * 1e8), fmt_number(1.1 * 3)
    ('', '', '300000000000000000000', '245000000', '3.3')
    """
    if x is None or x != x:
        return ""
    if x and abs(x) < 1e15:
        x = float(f"{x:.15g}")  # 2.45亿 is 245000000.00000003 in binary: shown as written, 245000000
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    s = f"{x:.{places}f}".rstrip("0").rstrip(".")
    return s if s not in ("", "-0") else "0"


def json_number(x: object) -> float | int | None:
    """A number for a JSON document: whole numbers as integers, nothing for what is not a finite number.

    >>> json_number(10.0), json_number(8.53), json_number(float("inf")), json_number("x"), json_number(None)
    (10, 8.53, None, None, None)
    """
    if x is None:
        return None
    try:
        xf = float(x)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(xf):
        return None
    return int(xf) if xf.is_integer() and abs(xf) < 2**53 else xf
