"""The words of 评分标准 (``rules/language/criteria.yaml``) and the comparator words
(``rules/language/operators.yaml``), read by the language's one loader and made into patterns once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from scoring.language import vocabulary as v

LANG = "criteria"
# a number as criteria write it: 0.5, 1,000, 一, 两, 十二, 半
NUMBER = r"(?:\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百]+(?:点[零一二三四五六七八九]+)?|半)"


def alternation(words) -> str:
    """A regex alternation of the words, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class Words:
    award: str
    deduct: str
    zero: tuple[str, ...]
    full: tuple[str, ...]
    shares: dict[str, float]
    weight_words: str
    times: str
    floors: tuple[str, ...]
    caps_before: str
    caps_around: str
    top_caps: tuple[str, ...]
    steps: dict[str, str]
    point_units: tuple[str, ...]
    percent_units: tuple[str, ...]
    time_units: dict[str, float]
    on_time: tuple[str, ...]
    met: tuple[str, ...]
    partial: tuple[str, ...]
    negations: tuple[str, ...]
    otherwise: tuple[str, ...]
    proportional: tuple[str, ...]
    reference: str
    discretion: tuple[str, ...]
    prefix_ops: dict[str, str]
    suffix_ops: dict[str, str]
    separators: str
    not_counters: frozenset[str]

    @property
    def units(self) -> str:
        """The units a step or a bound may carry, longest first; a counter is any other character."""
        return alternation((*self.point_units, *self.percent_units, *self.time_units))


@cache
def words() -> Words:
    steps = {str(k): str(w) for k, w in v.table(LANG, "steps").items()}
    return Words(
        award=alternation(v.words(LANG, "award_verbs")), deduct=alternation(v.words(LANG, "deduct_verbs")),
        zero=v.words(LANG, "zero"), full=v.words(LANG, "full"),
        shares={str(k): float(x) for k, x in v.table(LANG, "shares").items()},
        weight_words=alternation(v.words(LANG, "weight_words")), times=alternation(v.words(LANG, "times")),
        floors=v.words(LANG, "floors"), caps_before=alternation(v.words(LANG, "caps_before")),
        caps_around=alternation(v.words(LANG, "caps_around")), top_caps=v.words(LANG, "top_caps"), steps=steps,
        point_units=v.words(LANG, "point_units"), percent_units=v.words(LANG, "percent_units"),
        time_units={str(k): float(x) for k, x in v.table(LANG, "time_units").items()},
        on_time=v.words(LANG, "on_time"), met=v.words(LANG, "met_words"), partial=v.words(LANG, "partial_words"),
        negations=v.words(LANG, "negations"), otherwise=v.words(LANG, "otherwise"),
        proportional=v.words(LANG, "proportional"), reference=alternation(v.words(LANG, "reference")),
        discretion=v.words(LANG, "discretion"),
        prefix_ops={str(k): str(x) for k, x in v.table("operators", "prefix").items()},
        suffix_ops={str(k): str(x) for k, x in v.table("operators", "suffix").items()},
        separators=alternation(v.words("operators", "range_separators")),
        not_counters=frozenset(str(c) for c in v.words("counters", "not_counters")),
    )
