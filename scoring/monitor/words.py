"""The monitoring word lists (``rules/language/monitor.yaml``) as an immutable value, and the reading
of a unit's own 完成目标可能性 (``确定能`` / ``有可能`` / ``不可能``) through them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from scoring.findings import ScoreError
from scoring.language.normalize import normalize
from scoring.language.vocabulary import load
from scoring.vocab import Likelihood
from scoring.workspace import language_file

_PUNCT = " \t\r\n。，,；;、．.!！?？"


@dataclass(frozen=True)
class MonitorWords:
    progress_words: tuple[str, ...]
    level_words: tuple[str, ...]
    cumulative_units: tuple[str, ...]
    in_progress: tuple[str, ...]
    likelihood: tuple[tuple[str, Likelihood], ...]  # (written form, standard choice), longest form first
    source: str = ""


def _list(data: dict, key: str, where: str) -> tuple[str, ...]:
    v = data.get(key) or []
    if not isinstance(v, list) or not all(isinstance(w, str) and w.strip() for w in v):
        raise ScoreError(f"“{key}”应当是非空词语的列表", where=f"{where} › {key}")
    return tuple(w.strip() for w in v)


def words_from_mapping(data: object, where: str) -> MonitorWords:
    if not isinstance(data, dict) or set(data) - {"accrual", "in_progress", "likelihood"}:
        raise ScoreError("运行监控词表应当只有 accrual、in_progress、likelihood 三节", where=where)
    accrual = data.get("accrual") or {}
    if not isinstance(accrual, dict):
        raise ScoreError("“accrual”应当是一个映射", where=f"{where} › accrual")
    choices = data.get("likelihood") or {}
    if not isinstance(choices, dict) or set(choices) != set(Likelihood):
        raise ScoreError(f"“likelihood”应当正好有 {'、'.join(Likelihood)} 三项", where=f"{where} › likelihood")
    forms = [(normalize(w), name) for name in Likelihood for w in (name, *_list(choices, name, where))]
    return MonitorWords(
        progress_words=_list(accrual, "progress_words", f"{where} › accrual"),
        level_words=_list(accrual, "level_words", f"{where} › accrual"),
        cumulative_units=_list(accrual, "cumulative_units", f"{where} › accrual"),
        in_progress=tuple(sorted(_list(data, "in_progress", where), key=len, reverse=True)),
        likelihood=tuple(sorted(dict.fromkeys(forms), key=lambda f: -len(f[0]))),
        source=where,
    )


@cache
def monitor_words() -> MonitorWords:
    """``rules/language/monitor.yaml``, read by the word lists' loader."""
    return words_from_mapping(load("monitor"), str(language_file("monitor.yaml")))


def read_choice(text: object, words: MonitorWords | None = None) -> Likelihood | str | None:
    """A unit's 完成目标可能性 as one of :class:`~scoring.vocab.Likelihood`; ``""`` for an empty cell; None when the
    text is not one of the listed forms (the caller names the cell)."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    t = normalize(str(text)).strip(_PUNCT)
    if not t:
        return ""
    w = words or monitor_words()
    for form, name in w.likelihood:
        if t == form:
            return name
    for form, name in w.likelihood:
        if len(form) > 1 and t.startswith(form):
            return name
    return None


def in_progress(text: object, words: MonitorWords | None = None) -> str | None:
    """The listed word saying the work is under way (``推进中``), or None."""
    if not isinstance(text, str):
        return None
    t = normalize(text)
    return next((w for w in (words or monitor_words()).in_progress if w in t), None)
