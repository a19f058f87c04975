"""Word lists (``rules/language/words.yaml``) as an immutable, hashable value.

The parser and the engine take a :class:`Lexicon` so that their caches key on it and a
province's profile can bring its own lists without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from scoring.findings import ScoreError
from scoring.language.vocabulary import hash_once, load, state_without_hash
from scoring.workspace import language_file

WORDS_FILE = language_file("words.yaml")

_DIRECTION_KEYS = {"at_least_suffixes", "at_most_words", "at_least_words", "equal_words", "at_most_units", "default"}
_QUALITATIVE_KEYS = {"positive", "partial", "negative", "negators"}


@dataclass(frozen=True)
class Lexicon:
    at_least_suffixes: tuple[str, ...] = ()
    at_most_words: tuple[str, ...] = ()
    at_least_words: tuple[str, ...] = ()
    equal_words: tuple[str, ...] = ()
    at_most_units: tuple[str, ...] = ()
    default_op: str = ">="
    positive: tuple[str, ...] = ()
    partial: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()
    negators: tuple[str, ...] = ()
    source: str = field(default="", compare=False)

    __hash__ = hash_once
    __getstate__ = state_without_hash

    @classmethod
    def from_mapping(cls, data: dict[str, Any], source: str = "") -> Lexicon:
        """Build from the ``words:`` mapping of a rules file; unknown keys are an error."""
        where = source or "words"
        if not isinstance(data, dict):
            raise ScoreError("词表应当是一个映射（direction: / qualitative:）", where=where)
        unknown = set(data) - {"direction", "qualitative"}
        if unknown:
            raise ScoreError(f"词表中有未知的键：{'、'.join(sorted(unknown))}", where=where,
                             hint="只允许 direction 和 qualitative 两节")
        d = data.get("direction") or {}
        q = data.get("qualitative") or {}
        for section, keys, name in ((d, _DIRECTION_KEYS, "direction"), (q, _QUALITATIVE_KEYS, "qualitative")):
            bad = set(section) - keys
            if bad:
                raise ScoreError(f"{name} 节中有未知的键：{'、'.join(sorted(bad))}", where=where,
                                 hint=f"允许的键：{'、'.join(sorted(keys))}")
        default = d.get("default", ">=")
        if default not in (">=", "=="):
            raise ScoreError(f"direction.default 只能是 \">=\" 或 \"==\"，现在是 {default!r}", where=where)

        def words(section: dict, key: str) -> tuple[str, ...]:
            value = section.get(key) or []
            if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
                raise ScoreError(f"{key} 应当是非空词语的列表", where=where)
            return tuple(value)

        return cls(
            at_least_suffixes=words(d, "at_least_suffixes"),
            at_most_words=words(d, "at_most_words"),
            at_least_words=words(d, "at_least_words"),
            equal_words=words(d, "equal_words"),
            at_most_units=words(d, "at_most_units"),
            default_op=default,
            positive=words(q, "positive"),
            partial=words(q, "partial"),
            negative=words(q, "negative"),
            negators=words(q, "negators"),
            source=source,
        )

    def merged(self, overrides: dict[str, Any], source: str = "") -> Lexicon:
        """This lexicon with the lists a profile's ``words:`` names replaced."""
        base = {
            "direction": {
                "at_least_suffixes": list(self.at_least_suffixes), "at_most_words": list(self.at_most_words),
                "at_least_words": list(self.at_least_words), "equal_words": list(self.equal_words),
                "at_most_units": list(self.at_most_units), "default": self.default_op,
            },
            "qualitative": {
                "positive": list(self.positive), "partial": list(self.partial),
                "negative": list(self.negative), "negators": list(self.negators),
            },
        }
        if not isinstance(overrides, dict):
            raise ScoreError("words 应当是一个映射", where=source or "words")
        for section, values in overrides.items():
            if section not in base:
                raise ScoreError(f"词表中有未知的键：{section}", where=source or "words")
            if not isinstance(values, dict):
                raise ScoreError(f"words.{section} 应当是一个映射", where=source or "words")
            base[section].update(values)
        return Lexicon.from_mapping(base, source=source or self.source)


@cache
def default_lexicon() -> Lexicon:
    """The national word lists from ``rules/language/words.yaml``."""
    # the words of answers (qualitative:) live with the rest of the answer vocabulary, in answers.yaml
    data = {**load("words"), "qualitative": load("answers").get("qualitative") or {}}
    return Lexicon.from_mapping(data, source=str(WORDS_FILE))
