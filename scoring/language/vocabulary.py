"""The language's words, read from the data files under ``rules/language/``.

One file per concern, commented like a dictionary (as dateparser keeps its language data); a new
word is one line there, never Python:

- ``operators.yaml``: comparator words before and after a number, fillers, range separators, 无 as a target;
- ``dates.yaml``: words of deadlines and periods (年底, 上半年, 全年, 1-12月's separators);
- ``changes.yaml``: direction words, baselines (同比 → 上年), stated baselines (在…基础上);
- ``bands.yaml``: tolerance bands (±, 偏差, 误差率);
- ``counters.yaml``: characters that follow a number without being a counter;
- ``names.yaml``: words that tell an indicator's name copied into the value from a described state.

``words.yaml`` (policy: the direction of a bare value, qualitative words) is read by
:mod:`scoring.language.lexicon`, because a rubric profile may override it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from scoring.data import language_file
from scoring.findings import ScoreError
from scoring.yaml_input import load_yaml


@cache
def load(name: str) -> dict[str, Any]:
    """The mapping in ``rules/language/<name>.yaml``, read by the one safe YAML loader; a missing or
    damaged file is a :class:`ScoreError` naming it."""
    path = language_file(f"{name}.yaml")
    data = load_yaml(path, what="词表文件", hint=f"请确认 rules/language/{name}.yaml 随程序一起安装")
    if not isinstance(data, dict):
        raise ScoreError("词表文件应当是一个映射", where=str(path))
    return data


def words(name: str, key: str) -> tuple[str, ...]:
    """A list of words, longest first (so that 不少于 is tried before 少于)."""
    return tuple(sorted((str(w) for w in load(name).get(key) or ()), key=len, reverse=True))


def table(name: str, key: str) -> dict[str, Any]:
    """A mapping word → meaning."""
    return {str(k): v for k, v in (load(name).get(key) or {}).items()}
