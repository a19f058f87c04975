"""One pint registry for the units of 绩效目标表, defined as data in ``rules/language/units.yaml``.

pint is used for units only. It cannot split unspaced Chinese (``个小时``, ``次以上``) and it
silently drops ``≥`` and ``％``, so the expression parser tokenises the text itself and hands
this module a clean unit name. Here:

- :func:`match_unit` finds the longest known unit at the start of a string;
- :func:`canonical_unit` turns any written unit (``个小时``, ``㎡``, ``条/天``) into its display name
  (``小时``, ``m²``, ``条/天``);
- :func:`convert` converts a number between two canonical units, raising
  :class:`IncompatibleUnits` when they measure different things (篇 against 次).
"""

from __future__ import annotations

import math
import re
from functools import cache, lru_cache

import pint

from scoring.findings import ScoreError, place
from scoring.language.vocabulary import table
from scoring.workspace import language_file


class IncompatibleUnits(ValueError):
    """Two units that measure different things."""

    def __init__(self, from_unit: str, to_unit: str):
        self.from_unit, self.to_unit = from_unit, to_unit
        super().__init__(f"单位“{from_unit or '无'}”与“{to_unit or '无'}”不是同一类量，无法换算")


def _read_table() -> tuple[dict[str, str], dict[str, str], list[str]]:
    """alias → display name, display name → pint name, and the pint definition lines, from the ``units:``
    section of ``units.yaml`` (``pint_name: [definition, 显示名, alias …]``, read by the word lists' loader)."""
    alias_to_display: dict[str, str] = {}
    display_to_pint: dict[str, str] = {}
    lines: list[str] = []
    for name, fields in table("units", "units").items():
        if not isinstance(fields, list) or len(fields) < 2:
            raise ScoreError("单位应当写成“名称: [定义, 显示名, 别名……]”", where=place(str(language_file("units.yaml")), "units", name))
        definition, display, *aliases = (str(f).strip() for f in fields)
        display_to_pint[display] = name
        for alias in (display, *aliases):
            alias_to_display.setdefault(alias, display)
        # pint gets only ASCII names; the Chinese aliases are resolved here, not by pint.
        lines.append(f"{name} = {definition}")
    return alias_to_display, display_to_pint, lines


ALIASES, _PINT_NAME, _LINES = _read_table()
_BY_FIRST_CHAR: dict[str, list[str]] = {}
for _alias in sorted(ALIASES, key=len, reverse=True):
    _BY_FIRST_CHAR.setdefault(_alias[0], []).append(_alias)


@cache
def registry() -> pint.UnitRegistry:
    reg = pint.UnitRegistry(None, autoconvert_offset_to_baseunit=True, cache_folder=None)
    for line in _LINES:
        reg.define(line)
    return reg


def match_unit(text: str, start: int = 0) -> tuple[str, int] | None:
    """The longest simple unit at ``text[start:]``: (display name, characters used), or None."""
    if start >= len(text):
        return None
    for alias in _BY_FIRST_CHAR.get(text[start], ()):
        if text.startswith(alias, start):
            return ALIASES[alias], len(alias)
    return None


# Joins the parts of a compound denominator: 元/人·天, 400元/人、天, 吨/月·平方公里.
PRODUCT_JOINERS = "·、*×"


def match_compound_unit(text: str, start: int = 0, unknown=None) -> tuple[str, int] | None:
    """A unit, or a rate ``A/B`` (``条/天``, ``次/年``, ``元/人·天``), at ``text[start:]``.

    ``unknown(text, pos)``, when given, reads a part of the denominator that is not in the table
    (a new counter: ``元/生·天``).

    >>> match_compound_unit("元/人、天")
    ('元/人·天', 5)
    >>> match_compound_unit("吨/月·平方公里以下")
    ('吨/月·平方公里', 8)
    >>> match_compound_unit("次/年")
    ('次/年', 3)
    """
    first = match_unit(text, start)
    if first is None:
        return None
    unit, used = first
    pos = start + used
    if pos < len(text) and text[pos] in "/每" and not unit.startswith("/"):
        second = match_unit(text, pos + 1) or (unknown and unknown(text, pos + 1))
        if second is not None and second[0] not in ("%", "‰") and not second[0].startswith("/"):
            parts, end = [second[0]], pos + 1 + second[1]
            while end + 1 < len(text) and text[end] in PRODUCT_JOINERS:
                more = match_unit(text, end + 1) or (unknown and unknown(text, end + 1))
                if more is None or more[0].startswith("/") or more[0] in ("%", "‰"):
                    break
                parts.append(more[0])
                end += 1 + more[1]
            return f"{unit}/{'·'.join(parts)}", end - start
    return unit, used


def is_known(unit: str) -> bool:
    """Whether every part of a canonical unit is in ``units.yaml`` (``粒`` is not: a new counter).

    >>> is_known("元/人·天"), is_known("粒"), is_known("")
    (True, False, True)
    """
    return not unit or unit in _PINT_NAME or all(part in _PINT_NAME for part in unit.replace("/", "·").split("·") if part)


@lru_cache(maxsize=4096)
def canonical_unit(text: str | None) -> str | None:
    """The display name of a written unit, ``""`` for none, None when unknown."""
    if text is None:
        return ""
    t = text.strip().replace("（", "(").replace("）", ")").strip("()")
    if not t:
        return ""
    found = match_compound_unit(t)
    if found is None or found[1] != len(t):
        return None
    return found[0]


def new_unit_note(unit: str) -> tuple[str, ...]:
    """The assumption that records a unit missing from ``units.yaml`` (empty when it is known)."""
    if is_known(unit):
        return ()
    return (f"单位“{unit}”不在单位表中：按新的计数单位理解，只与同一单位比较",)


def _pint_expr(unit: str) -> str:
    """``元/人·天`` → ``yuan/(ren*day)``; ``/10万`` → ``per_1e5``. An unknown part raises KeyError."""
    if unit in _PINT_NAME:
        return _PINT_NAME[unit]
    num, _, den = unit.partition("/")
    expr = _PINT_NAME[num]
    if den:
        expr += "/(" + "*".join(_PINT_NAME[p] for p in den.split("·")) + ")"
    return expr


@lru_cache(maxsize=4096)
def factor(from_unit: str, to_unit: str) -> float:
    """The number that turns a value in ``from_unit`` into ``to_unit``."""
    if from_unit == to_unit:
        return 1.0
    if not from_unit or not to_unit:
        # A plain number against a percentage is handled by the caller (it is an assumption).
        raise IncompatibleUnits(from_unit, to_unit)
    try:
        reg = registry()
        q = reg.Quantity(1.0, _pint_expr(from_unit)).to(_pint_expr(to_unit))
    except (pint.errors.DimensionalityError, pint.errors.UndefinedUnitError, KeyError) as exc:
        raise IncompatibleUnits(from_unit, to_unit) from exc
    return float(q.magnitude)


def convert(value: float, from_unit: str, to_unit: str) -> float:
    return value * factor(from_unit, to_unit)


def compatible(a: str, b: str) -> bool:
    try:
        factor(a, b)
    except IncompatibleUnits:
        return False
    return True


def is_percent(unit: str) -> bool:
    return unit in ("%", "‰", "个百分点")


TIME_DIMENSIONS = ("[time]", "[workday]")  # a working day is its own dimension (units.txt)


def _time_units() -> frozenset[str]:
    """The display names of the units of ``units.txt`` that measure time, read from their definitions
    (``quarter = 3 month`` → ``month`` → … → ``[time]``) without building the pint registry."""
    defs = {line.split("=", 1)[0].strip(): line.split("=", 1)[1].strip() for line in _LINES}

    def base(name: str) -> str:
        d = defs.get(name, "")
        if d.startswith("["):
            return d
        m = re.fullmatch(r"[\d.eE+-]*\s*([A-Za-z_]\w*)", d)  # a number of one other unit
        return base(m.group(1)) if m and m.group(1) != name else ""

    return frozenset(display for display, name in _PINT_NAME.items() if base(name) in TIME_DIMENSIONS)


TIME_UNITS = _time_units()
"""The units of time (秒 分钟 小时 天 周 月 季度 年 工作日), as ``units.txt`` defines them: the one list of them."""


def is_duration(unit: str | None) -> bool:
    """Whether a unit measures time (a duration: ``小时``, ``个工作日``), not a rate (``次/天``).

    >>> is_duration("小时"), is_duration("个工作日"), is_duration("年"), is_duration("次/天"), is_duration("")
    (True, True, True, False, False)
    >>> sorted(TIME_UNITS) == sorted(["秒", "分钟", "小时", "天", "周", "月", "季度", "年", "工作日"])
    True
    """
    return bool(unit) and (unit in TIME_UNITS or canonical_unit(unit) in TIME_UNITS)


def close(a: float, b: float) -> bool:
    """Equality with a tolerance for float noise: 0.57 equals 57 %."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@lru_cache(maxsize=4096)
def dimensions(unit: str) -> tuple[str, ...]:
    """The base dimensions a unit measures (``次`` → ``("[count_ci]",)``, ``m²`` → ``("[length]",)``);
    ``()`` for none or an unknown unit."""
    try:
        q = registry().Quantity(1.0, _pint_expr(unit))
    except (KeyError, pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError):
        return ()
    return tuple(sorted(str(k) for k in dict(q.dimensionality)))
