"""A spreadsheet number as the text a person sees in the cell: its Excel number format applied.

The readers of .xlsx and .xls give a cell's value and its format code; a 绩效目标表 is read as
it is shown: 1 formatted ``0%`` is ``100%``, 7548150 formatted ``#,##0`` is ``7,548,150``, 170
formatted ``0.00`` is ``170.00``. The common codes are rendered (digit placeholders, decimals,
thousands separators, percent, scientific, literal text, sections for negative numbers and zero);
a code this module does not render (conditions, fractions, [DBNum] Chinese numerals) gives the
number as written in a cell of format General, so nothing is invented.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from scoring.language.numerals import fmt_number

_QUOTED = re.compile(r'"([^"]*)"|\\(.)|_(.)|\*(.)|\[([^\]]*)\]')
_NUMBER = re.compile(r"[0#?][0#?,]*(?:\.[0#?]*)?|\.[0#?]+")
_DATE = re.compile(r"[yYdDhHsS]|(?<![0#?])[mM]")


def general(value: float) -> str:
    """A number in a cell of format General: at most 10 decimals, no trailing zeros.

    >>> general(0.1 + 0.2), general(170.0), general(-3.5)
    ('0.3', '170', '-3.5')
    """
    return fmt_number(round(float(value), 10))


def display(value: float, code: str | None) -> str:
    """``value`` as a cell of number format ``code`` shows it.

    >>> display(1, "0%"), display(1, "0.00%"), display(0.955, "0.0%"), display(7548150, "#,##0")
    ('100%', '100.00%', '95.5%', '7,548,150')
    >>> display(170, "0.00"), display(2.5, "General"), display(-1234.5, "#,##0.00;[Red](#,##0.00)")
    ('170.00', '2.5', '(1,234.50)')
    >>> display(12, '0"人"'), display(0, '0.00;-0.00;"-"'), display(0.5, "#.00"), display(-2, "0.0")
    ('12人', '-', '.50', '-2.0')
    >>> display(123456, "0.00E+00"), display(3, "[>=100]0;0.0"), display(5, "@"), display(0.25, "# ?/?")
    ('1.23E+05', '3', '5', '0.25')
    """
    v = float(value)
    if not code or v != v or v in (float("inf"), float("-inf")):
        return general(v)
    sections = _split(code)
    if any(s.lstrip().startswith("[") and re.match(r"\[[<>=]", s.lstrip()) for s in sections):
        return general(v)
    if v < 0 and len(sections) > 1:
        section, v, sign = sections[1], -v, ""
    elif v == 0 and len(sections) > 2:
        section, sign = sections[2], ""
    else:
        section, sign = sections[0], "-" if v < 0 else ""
        v = abs(v)
    return _render(v, section, sign)


def _split(code: str) -> list[str]:
    """Sections of a format code at ``;`` outside quotes and brackets."""
    out, cur, quote, bracket, esc = [], [], False, False, False
    for ch in code:
        if esc:
            cur.append(ch)
            esc = False
            continue
        if ch == "\\" and not quote:
            esc = True
        elif ch == '"':
            quote = not quote
        elif ch == "[" and not quote:
            bracket = True
        elif ch == "]" and not quote:
            bracket = False
        elif ch == ";" and not quote and not bracket:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return out


def _literals(section: str) -> tuple[str, list[tuple[bool, str]]]:
    """The section as (is_literal, text) parts; brackets other than a currency are dropped."""
    parts: list[tuple[bool, str]] = []
    pos = 0
    for m in _QUOTED.finditer(section):
        if m.start() > pos:
            parts.append((False, section[pos:m.start()]))
        quoted, escaped, space, _fill, bracket = m.groups()
        if quoted is not None:
            parts.append((True, quoted))
        elif escaped is not None:
            parts.append((True, escaped))
        elif space is not None:
            parts.append((True, " "))
        elif bracket is not None and bracket.startswith("$"):
            parts.append((True, bracket[1:].split("-")[0]))
        elif bracket is not None and bracket.upper().startswith(("DBNUM", "NATNUM")):
            return "", []
        pos = m.end()
    if pos < len(section):
        parts.append((False, section[pos:]))
    return section, parts


def _render(v: float, section: str, sign: str) -> str:
    section, parts = _literals(section)
    if not parts:
        return sign + general(v)
    code = "".join(t for lit, t in parts if not lit)
    if code.strip().lower() in ("general", "g/通用格式", "") or code.strip() == "@":
        if not any(lit for lit, _ in parts) or code.strip() == "@":
            return sign + general(v)
    if _DATE.search(code) or "/" in code:
        return sign + general(v)
    v *= 100 ** code.count("%")
    out: list[str] = []
    done = False
    for lit, text in parts:
        if lit:
            out.append(text)
            continue
        m = _NUMBER.search(text)
        if m is None or done:
            out.append(_plain_literal(text))
            continue
        rest = text[m.end():]
        exp = re.match(r"[eE][+-]([0#]+)", rest)
        if exp:
            out.append(_plain_literal(text[:m.start()]) + _scientific(v, m.group(0), len(exp.group(1))))
            out.append(_plain_literal(rest[exp.end():]))
        else:
            out.append(_plain_literal(text[:m.start()]) + _digits(v, m.group(0)) + _plain_literal(rest))
        done = True
    if not done:   # a section with no digit placeholder shows only its text
        return "".join(out)
    return sign + "".join(out)


def _plain_literal(text: str) -> str:
    """Characters of a format code shown as they are (``%``, spaces, ``元``…); General words dropped."""
    return re.sub(r"(?i)general", "", text)


def _digits(v: float, pattern: str) -> str:
    int_part, _, frac = pattern.partition(".")
    places = sum(c in "0#?" for c in frac)
    min_places = sum(c == "0" for c in frac)
    scaled = Decimal(repr(v))
    while int_part.endswith(","):   # a trailing comma divides by 1000
        scaled /= 1000
        int_part = int_part[:-1]
    q = scaled.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole, _, decimals = f"{q:f}".partition(".")
    decimals = decimals.ljust(places, "0")
    while len(decimals) > min_places and decimals.endswith("0"):
        decimals = decimals[:-1]
    min_int = sum(c == "0" for c in int_part)
    whole = whole.lstrip("0")
    whole = whole.rjust(min_int, "0") if min_int else whole
    if "," in int_part and whole:
        whole = f"{int(whole):,}"
    return whole + ("." + decimals if decimals or ("." in pattern and min_places) else
                    ("." if "." in pattern and not whole else ""))


def _scientific(v: float, pattern: str, exp_digits: int) -> str:
    places = sum(c in "0#?" for c in pattern.partition(".")[2])
    mant, _, exp = f"{v:.{places}E}".partition("E")
    return f"{mant}E{'-' if exp.startswith('-') else '+'}{abs(int(exp)):0{exp_digits}d}"


def date_text(value: dt.date | dt.datetime | dt.time) -> str:
    """A date cell as every reader writes it: ``2023年12月31日`` (a time of day is kept when there is one).

    >>> date_text(dt.datetime(2021, 12, 31)), date_text(dt.datetime(2021, 12, 31, 9, 30)), date_text(dt.time(8, 0))
    ('2021年12月31日', '2021年12月31日 09:30', '08:00')
    """
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    text = f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, dt.datetime) and (value.hour or value.minute or value.second):
        text += value.strftime(" %H:%M")
    return text
