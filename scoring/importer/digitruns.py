"""Numbers of several columns run together into one string of digits, split by what the columns hold.

Text extracted from a table with a target, its points and its result side by side loses the borders between
the numbers: ``天然林和公益林管护当期任务完成率%901010010`` is 90 | 10 | 100 | 10 under 指标值 | 指标权重 |
全年完成值 | 指标得分, and ``…100%100%44`` is 4 | 4 under 分值 | 得分. One row alone cannot say where to split;
the table can: the points (分值, 权重, 得分) are at most 100 and a score is at most its weight, the weights of
the rows are mostly alike, a target and its result are near each other, and every such string in a table
ends at the same last column. :func:`digit_splits` chooses, for the whole body, how many columns the strings
cover and where each is split; runtext turns the splits into cuts.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache

from scoring.importer.headers import fields_of
from scoring.language.numerals import match_multiplier
from scoring.language.units import match_compound_unit

_NUMBER = re.compile(r"0|0\.\d+|[1-9]\d*(?:\.\d+)?")
_RUN = re.compile(r"(?<![\d.,≥≤<>=+\-])\d[\d.]*\d(?![\d.%‰])")
MAX_RUN = 14        # digits: longer strings are codes or amounts, not a row's numbers


@cache
def splits(run: str, parts: int) -> tuple[tuple[str, ...], ...]:
    """Every way to write ``run`` as ``parts`` well-formed numbers (no leading zero, one decimal point).

    >>> splits("1010", 2)
    (('10', '10'), ('101', '0'))
    >>> ('0.4', '10', '0.1', '10') in splits("0.4100.110", 4), splits("0010", 2)
    (True, ())
    """
    if parts == 1:
        return ((run,),) if _NUMBER.fullmatch(run) else ()
    out = []
    for k in range(1, len(run) - parts + 2):
        head = run[:k]
        if _NUMBER.fullmatch(head):
            out.extend((head, *rest) for rest in splits(run[k:], parts - 1))
    return tuple(out)


def _feasible(pieces: tuple[str, ...], kinds: list[str]) -> bool:
    """Points at most 100, a weight above 0, a score at most its weight."""
    values = dict(zip(kinds, map(float, pieces), strict=True))
    if any(v > 100 for k, v in values.items() if k in ("weight", "score")) or values.get("weight") == 0:
        return False
    return not ("weight" in values and "score" in values and values["score"] > values["weight"])


def _cost(pieces: tuple[str, ...], kinds: list[str], weight: float | None, near: bool = True) -> float:
    """How unlikely a split is: a weight unlike the table's, a score short of its weight, and (``near``) a
    result far from its target."""
    values = dict(zip(kinds, map(float, pieces), strict=True))
    cost = 0.0
    if "weight" in values and weight is not None and values["weight"] != weight:
        cost += 1.0
    if "weight" in values and "score" in values and values["score"] != values["weight"]:
        cost += 0.2
    if near and "target" in values and "actual" in values:
        cost += abs(math.log((values["actual"] + 1) / (values["target"] + 1)))
    return cost


def _modal_weight(options: list[list[tuple[str, ...]]], tail: list[str]) -> float | None:
    """The weight that the most strings can be split with; of several, the one whose splits read best."""
    if "weight" not in tail:
        return None
    at = tail.index("weight")
    weights: Counter = Counter()
    for ps in options:
        weights.update({float(p[at]) for p in ps})
    if not weights:
        return None
    top = max(weights.values())
    return min((w for w, n in weights.items() if n == top),
               key=lambda w: (sum(min(_cost(p, tail, w) for p in ps) for ps in options if ps), w))


def _alone(body: str, a: int, b: int) -> bool:
    """A string of digits with white space on both sides: a cell of its own (6475), not several run together."""
    return (a == 0 or body[a - 1].isspace() or body[a - 1] == "|") and (b == len(body) or body[b].isspace()
                                                                        or body[b] == "|")


def _measured(body: str, end: int) -> bool:
    """A number with its unit or multiplier after it (38508人, 2021年, 1000万元): one value, not run together."""
    return bool(match_multiplier(body, end)[1] or match_compound_unit(body, end))


def digit_splits(body: str, kinds: list[str], units_apart: bool = False) -> dict[tuple[int, int], tuple[str, ...]]:
    """For a body whose numeric columns are ``kinds`` (in order: target, actual, weight, score, from the
    header), the strings of digits that hold several of them, each with its split: {(start, end): pieces}.
    The count of columns is the one that splits most of the strings that cannot be one number of points
    (over 100, two decimal points), the most columns of those (a string of digits stops only at a cell
    that is not a number: it runs to the end of the row); a string that can be one number is split
    only where its split has the table's weight and a score equal to it. Empty when the header has fewer
    than two points columns, or fewer than two strings must be split.
    A string with a unit after it is one value, unless the table writes its units in a column of their own
    (``units_apart``: then ``2110110天保工程区…`` is 21 | 10 | 1 | 10 and the next row's name).

    >>> digit_splits("甲率%901010010乙面积万亩2810810丙率%0.4100.110丁", ["target", "weight", "actual", "score"])
    {(3, 12): ('90', '10', '100', '10'), (17, 24): ('28', '10', '8', '10'), (27, 37): ('0.4', '10', '0.1', '10')}
    >>> digit_splits("甲率100%100%1010乙率按规定1010丙率108丁44", ["target", "actual", "weight", "score"])
    {(10, 14): ('10', '10'), (19, 23): ('10', '10'), (25, 28): ('10', '8')}
    """
    if kinds[-1] not in ("weight", "score") or len(kinds) < 2:
        return {}
    runs = [m for m in _RUN.finditer(body) if len(m.group()) <= MAX_RUN and not _alone(body, *m.span())
            and (units_apart or not _measured(body, m.end()))]
    if sum(k in ("weight", "score") for k in kinds) < 2:
        return _one_points_column(body, runs)
    must = [m.group() for m in runs if not _one_points(m.group())]
    if len(must) < 2:
        return {}
    ranked = []
    for parts in range(2, len(kinds) + 1):
        tail = kinds[-parts:]
        options = [[p for p in splits(run, parts) if _feasible(p, tail)] for run in must]
        fit = sum(bool(ps) for ps in options)
        weight = _modal_weight(options, tail)
        at = tail.index("weight") if "weight" in tail else None
        shared = at is None or sum(any(float(p[at]) == weight for p in ps) for ps in options) >= 2   # rows alike
        if fit >= 2 and fit * 2 > len(must) and shared:
            cost = sum(min(_cost(p, tail, weight, near=False) for p in ps) for ps in options if ps)
            ranked.append((-fit, -parts, cost))
    if not ranked:
        return {}
    parts = -min(ranked)[1]
    tail = kinds[-parts:]
    options = {m.span(): [p for p in splits(m.group(), parts) if _feasible(p, tail)] for m in runs}
    weight = _modal_weight([ps for (a, b), ps in options.items() if not _one_points(body[a:b])], tail)
    out = {}
    for (a, b), ps in options.items():
        order = sorted(ps, key=lambda p: _cost(p, tail, weight))
        if not order or (len(order) > 1 and _cost(order[0], tail, weight) >= _cost(order[1], tail, weight)):
            continue            # no split, or two alike: left to the cutter
        if _one_points(body[a:b]) and _cost(order[0], tail, weight, near=False) > 0:
            continue            # a number that may be one cell is split only as the table's rows are
        out[(a, b)] = order[0]
    return out


_ROW_POINTS = re.compile(r"(?<![\d.])([1-9]\d?)(?=[ \t]*(?:\n|$))")    # a row's points at its end
_ROW_END = re.compile(r"[ \t]*(?:\n|$)")


def _one_points_column(body: str, runs: list[re.Match]) -> dict[tuple[int, int], tuple[str, ...]]:
    r"""A table with one points column, the last of its numbers: a string of digits that cannot be one number
    of points and ends a row (``享受资助人数达到预计值210010``) is the target and the points, split where the
    points are those that two or more other rows end with (10), when one split alone gives them.

    >>> t = "甲率95%10\n乙数210010\n丙率100%10\n"
    >>> _one_points_column(t, list(_RUN.finditer(t)))
    {(10, 16): ('2100', '10')}
    """
    ends = {m.end() for m in runs if not _one_points(m.group())}
    seen = Counter(m.group(1) for m in _ROW_POINTS.finditer(body) if m.end() not in ends)
    weights = {w for w, n in seen.items() if n >= 2}
    out = {}
    for m in runs:
        if _one_points(m.group()) or not _ROW_END.match(body, m.end()):
            continue
        found = [(m.group()[:-len(w)], w) for w in weights
                 if m.group().endswith(w) and _NUMBER.fullmatch(m.group()[:-len(w)])]
        if len(found) == 1:
            out[m.span()] = found[0]
    return out


def _one_points(run: str) -> bool:
    """Whether a string of digits may be one number of points (at most 100)."""
    return bool(_NUMBER.fullmatch(run)) and float(run) <= 100


def numeric_kinds(columns: list) -> list[str]:
    """What the numeric columns after the name hold, in order (columns of :class:`~.gridfit.Column`): the
    first value column the target, the others results, the points columns weight (分值, 权重) or score (得分).
    A column that holds no number (unit, 指标性质, text) is left out; a 序号 column ends nothing."""
    name = next((k for k, c in enumerate(columns) if c.role == "name"), None)
    if name is None:
        return []
    out: list[str] = []
    for col in columns[name + 1:]:
        if col.role == "value":
            out.append("actual" if "target" in out else "target")
        elif col.role == "number":
            field = next((f for f, _p in fields_of(col.header)), None)
            if field in ("weight", "score"):
                out.append(field)
    return out
