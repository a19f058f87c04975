"""The vocabulary of 实际完成值 (``rules/language/answers.yaml``) as one immutable value.

The four ``qualitative:`` lists (positive, partial, negative, negators) live in the
:class:`~scoring.language.lexicon.Lexicon` so that a profile's ``words: qualitative:`` can override
them; everything else a clerk's answer is read with is here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from scoring.findings import ScoreError
from scoring.language.vocabulary import hash_once, load, state_without_hash
from scoring.workspace import language_file

ANSWERS_FILE = language_file("answers.yaml")


@dataclass(frozen=True)
class AnswerWords:
    missing: frozenset[str]
    pending: tuple[str, ...]
    not_measured: tuple[str, ...]
    zero: tuple[str, ...]
    approximate_before: tuple[str, ...]
    approximate_after: tuple[str, ...]
    references: tuple[str, ...]
    count_families: tuple[frozenset[str], ...]
    bounded_rates: tuple[str, ...]
    flag_over_100: tuple[str, ...]
    levels: tuple[tuple[str, float], ...]
    score_as_percent: tuple[str, ...]
    late: tuple[str, ...]
    within: tuple[str, ...]
    timely: tuple[str, ...]
    per_day: tuple[str, ...]
    adverse: tuple[str, ...]
    signed_rates: tuple[tuple[str, str], ...] = ()  # (rate word, its own direction), longest first
    negative_words: tuple[str, ...] = ()
    elapsed_time: tuple[str, ...] = ()
    done: tuple[str, ...] = ()  # 已, 已经: the target's own action, done (已公开 against 按规定公开)

    __hash__ = hash_once
    __getstate__ = state_without_hash

    def same_count(self, unit: str, target_unit: str) -> bool:
        """Whether two count units are of one family (场 and 次, 人 and 人次)."""
        return any(unit in f and target_unit in f for f in self.count_families)

    def level_of(self, target_text: str) -> tuple[str, float] | None:
        """The level word of a qualitative target (``满意`` → (满意, 90)), or None."""
        for word, threshold in self.levels:
            if word in target_text:
                return word, threshold
        return None

    def bounded(self, indicator: str) -> bool:
        """A rate that cannot exceed 100 % (满意度, 合格率, 及时率 …), by the indicator's name."""
        name = _bare_name(indicator)
        return name.endswith(self.bounded_rates)

    def rate_direction(self, indicator: str) -> str | None:
        """The direction a signed rate counts as positive (增长率 → increase, 降幅 → decrease), or None."""
        name = _bare_name(indicator)
        return next((d for w, d in self.signed_rates if name.endswith(w)), None)

    def elapsed(self, indicator: str) -> bool:
        """A duration measured on the calendar (运行天数, 响应时间), not as time worked."""
        return any(w in (indicator or "") for w in self.elapsed_time)

    def flags_over_100(self, indicator: str) -> bool:
        name = _bare_name(indicator)
        return name.endswith(self.flag_over_100)


@lru_cache(maxsize=65536)
def _bare_name(indicator: str) -> str:
    """An indicator name without a trailing bracket (``满意度（%）`` → ``满意度``)."""
    name = (indicator or "").strip()
    for open_, close in (("（", "）"), ("(", ")")):
        if name.endswith(close) and open_ in name:
            name = name[: name.rindex(open_)].strip()
    return name


def _words(data: dict, key: str) -> tuple[str, ...]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise ScoreError(f"{key} 应当是词语的列表", where=str(ANSWERS_FILE))
    return tuple(value)


@cache
def answer_words() -> AnswerWords:
    """The answer vocabulary shipped in ``rules/language/answers.yaml``."""
    data = load_answers_yaml()
    approx = data.get("approximate") or {}
    levels = data.get("levels") or {}
    if not isinstance(levels, dict):
        raise ScoreError("levels 应当是“等级词: 门槛”的映射", where=str(ANSWERS_FILE))
    families = data.get("count_families") or []
    return AnswerWords(
        missing=frozenset(_words(data, "missing")), pending=_words(data, "pending"),
        not_measured=_words(data, "not_measured"), zero=_words(data, "zero"),
        approximate_before=_words(approx, "before"), approximate_after=_words(approx, "after"),
        references=_words(data, "references"),
        count_families=tuple(frozenset(str(u) for u in f) for f in families),
        bounded_rates=_words(data, "bounded_rates"), flag_over_100=_words(data, "flag_over_100"),
        levels=tuple((str(k), float(v)) for k, v in levels.items()),
        score_as_percent=_words(data, "score_as_percent"), late=_words(data, "late"), within=_words(data, "within"),
        timely=_words(data, "timely"), per_day=_words(data, "per_day"),
        adverse=_words(data, "adverse"),
        signed_rates=tuple(sorted(((str(k), str(v)) for k, v in (data.get("signed_rates") or {}).items()),
                                  key=lambda kv: -len(kv[0]))),
        negative_words=_words(data, "negative_words"), elapsed_time=_words(data, "elapsed_time"),
        done=tuple(sorted(_words(data, "done"), key=len, reverse=True)))


def load_answers_yaml() -> dict:
    """``rules/language/answers.yaml``: the words clerks answer with."""
    return load("answers")
