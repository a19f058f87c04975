"""Place columns in a text whose cells run together: a 专项转移支付 table whose targets stand in one column per
place (``…指标解释区域目标值新罗区永定区…漳平市产出指标…``), its digits run together (``2312222`` under seven places).

The header's place names are read after its last header word, up to the first level name, each a short name
ending in a place word (:func:`scoring.importer.places.is_place`, the words are data); they stand in for the
value word above them (区域目标值), so that the grid handed on has one value column per place, which the
table reader turns into one project per place (:mod:`scoring.importer.places`). A string of digits under
them is split only where it can be split one way alone, as many digits as places: one digit each.
"""

from __future__ import annotations

import re

from scoring.importer.piecekinds import fold, value_spans, words
from scoring.importer.places import is_place
from scoring.importer.textheader import Source, Token

MAX_PLACES = 40


def place_names(gap: str) -> list[str] | None:
    """``gap`` written as two or more place names one after the other, each as short as it can be (a name
    holds no place word before its last one: ``新罗区永定区`` is two names), or None.

    >>> place_names("新罗区永定区上杭县漳平市")
    ['新罗区', '永定区', '上杭县', '漳平市']
    >>> place_names("城关镇"), place_names("指标解释"), place_names("新罗区永定")
    (None, None, None)
    """
    out: list[str] = []
    i = 0
    while i < len(gap) and len(out) <= MAX_PLACES:
        j = next((j for j in range(i + 2, min(len(gap), i + 12) + 1) if is_place(gap[i:j])), None)
        if j is None:
            return None
        out.append(gap[i:j])
        i = j
    return out if 2 <= len(out) <= MAX_PLACES else None


def _confirmed(body: str, count: int) -> bool:
    """Whether a row of the body holds ``count`` values side by side (``>=95%>=95%…``), or a string of
    ``count`` digits (one a place): the place names are as many columns as the rows fill."""
    chain, end = 0, -1
    for a, b in value_spans(body):
        chain = chain + 1 if a == end else 1
        end = b
        if chain == count:
            return True
    return any(len(m.group()) == count for m in re.finditer(r"\d+", body))


def place_tokens(src: Source, run: list[Token]) -> list[Token]:
    """The place names written after a header run, up to the first level name, as header tokens of the
    annual value (one a column); empty when the text there is not place names alone."""
    b = run[-1].b
    m = words()["levels"].search(src.folded, b)
    if not m:
        return []
    gap = src.folded[b:m.start()]
    a = b + len(gap) - len(gap.lstrip())
    names = place_names(re.sub(r"\s+", "", gap))
    if names is None or re.search(r"\s", gap.strip()) or not _confirmed(src.folded[m.start():], len(names)):
        return []
    out = []
    for name in names:
        out.append(Token(a, a + len(name), src.text[a:a + len(name)], "annual_value"))
        a += len(name)
    return out


def with_places(head: list[Token], places: list[Token]) -> list[Token]:
    """The header with the value word over the places (区域目标值, read as 区域 and 目标值) replaced by them."""
    k = len(head)
    if k and head[k - 1].field in ("annual_value", "period_value"):
        k -= 1
        while k and head[k - 1].field is None:
            k -= 1
    return [*head[:k], *places]


def column_splits(body: str, columns: list) -> dict[tuple[int, int], tuple[str, ...]]:
    """:func:`place_splits` for a header's columns (:class:`~.gridfit.Column`): its value columns headed by places."""
    return place_splits(body, sum(c.role == "value" and is_place(c.header) for c in columns))


def place_splits(body: str, count: int) -> dict[tuple[int, int], tuple[str, ...]]:
    """Strings of digits in ``body`` that hold the values of ``count`` place columns, where they can be split
    into ``count`` numbers one way alone, one digit each: {(start, end): pieces}. A longer string may be
    one place's value with the others empty (``1000``), or split several ways: left to the cutter.

    >>> place_splits("数量情况2312222质量指标", 7)
    {(4, 11): ('2', '3', '1', '2', '2', '2', '2')}
    >>> place_splits("数量情况12345678质量指标", 7)
    {}
    """
    out = {}
    for m in re.finditer(r"(?<![\d.,≥≤<>=+\-])\d+(?![\d.%‰])", fold(body)):
        if count >= 2 and len(m.group()) == count:
            out[m.span()] = tuple(m.group())
    return out
