"""The language's words, read from the data files under ``rules/language/``.

One file per concern, commented like a dictionary (as dateparser keeps its language data); a new
word is one line there, never Python:

- ``operators.yaml``: comparator words before and after a number, fillers, range separators, 无 as a target;
- ``dates.yaml``: words of deadlines and periods (年底, 上半年, 全年, 1-12月's separators);
- ``changes.yaml``: direction words, baselines (同比 → 上年), stated baselines (在…基础上);
- ``bands.yaml``: tolerance bands (±, 偏差, 误差率);
- ``counters.yaml``: characters that follow a number without being a counter;
- ``names.yaml``: words that tell an indicator's name copied into the value from a described state;
- ``units.yaml``: the units, one a line, for pint (:mod:`scoring.language.units`).

``words.yaml`` (policy: the direction of a bare value, qualitative words) is made into a value by
:mod:`scoring.language.lexicon`, because a rubric profile may override it; the other files under
``rules/language/`` are read by the module of their concern, every one through :func:`load`, so all
follow one schema (:func:`check`).
"""

from __future__ import annotations

from dataclasses import fields
from functools import cache
from typing import Any

from scoring.findings import ScoreError, place
from scoring.workspace import language_file
from scoring.yaml_input import load_yaml


@cache
def load(name: str) -> dict[str, Any]:
    """The mapping in ``rules/language/<name>.yaml``, read by the one safe YAML loader and checked by
    :func:`check`; a missing, damaged or misshapen file is a :class:`ScoreError` naming it."""
    path = language_file(f"{name}.yaml")
    data = load_yaml(path, what="词表文件", hint=f"请确认 rules/language/{name}.yaml 随程序一起安装")
    check(data, str(path))
    return data


def check(data: object, where: str) -> None:
    """The one schema of a word list: a mapping of sections (a name → a value); a value is a word (a
    text), a number, or a list or a mapping (word → value) of values. An empty entry (``-`` alone,
    ``key:`` without a value) is an error at its place, never read as the word ``None``; a blank key
    too. (An empty text written as ``""`` is a word: ``answers.yaml``'s ``missing`` lists it.)

    >>> check({"prefix": {"不少于": ">="}, "filler": ["约", "大约"], "shares": {"一半": 0.5}}, "a.yaml")
    >>> try:
    ...     check({"filler": ["约", None]}, "a.yaml")
    ... except ScoreError as exc:
    ...     print(exc.where, exc.message)
    a.yaml › filler › 2 词表中有空的词语
    """
    if not isinstance(data, dict) or not data:
        raise ScoreError("词表文件应当是一个映射（节名: 词语）", where=where)

    def walk(value: object, at: tuple) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if not isinstance(k, str) or not k.strip():
                    raise ScoreError("词表中的键应当是词语", where=place(where, *at, k))
                walk(v, (*at, k))
        elif isinstance(value, list):
            for i, v in enumerate(value, 1):
                walk(v, (*at, i))
        elif not isinstance(value, str | int | float):
            raise ScoreError("词表中有空的词语" if value is None else f"词表中有不认识的值：{value!r}",
                             where=place(where, *at))

    walk(data, ())


def words(name: str, key: str) -> tuple[str, ...]:
    """A list of words, longest first (so that 不少于 is tried before 少于)."""
    return tuple(sorted((str(w) for w in load(name).get(key) or ()), key=len, reverse=True))


def table(name: str, key: str) -> dict[str, Any]:
    """A mapping word → meaning."""
    return {str(k): v for k, v in (load(name).get(key) or {}).items()}


# The word lists as frozen dataclasses (Lexicon, AnswerWords) share these two methods (``__hash__ = hash_once``).

def hash_once(self) -> int:
    """The dataclass hash of the compared fields, computed once: every reading and parse keys its cache on
    this value, and hashing all the word lists each time cost more than the lookup."""
    h = self.__dict__.get("_hash")
    if h is None:
        h = hash(tuple(getattr(self, f.name) for f in fields(self) if f.compare))
        object.__setattr__(self, "_hash", h)
    return h


def state_without_hash(self) -> dict:
    """Pickled without the cached hash: another process hashes strings differently."""
    return {k: v for k, v in self.__dict__.items() if k != "_hash"}
