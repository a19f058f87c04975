"""Free text → a verdict, through the word lists (``rules/language/answers.yaml``).

A negator negates what follows it up to the next punctuation mark, and only that: ``未超出``,
``没有发生安全事故``, ``无违规`` say a bad thing did not happen (positive); ``不及时``,
``未能有效保障`` deny a good thing (negative). A bad thing named without a negator (``超支3万元``)
is negative.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from scoring.actuals.vocabulary import AnswerWords, answer_words
from scoring.language.lexicon import Lexicon, default_lexicon
from scoring.language.normalize import normalize
from scoring.vocab import Verdict

PUNCTUATION = set("，,。.；;：:！!？?、\n")
VERDICT_OF = (("negative", Verdict.NOT_MET), ("partial", Verdict.PARTLY_MET), ("positive", Verdict.MET))  # strongest first


@dataclass(frozen=True)
class Judgement:
    """``verdict`` (None when no listed word decided), the words that decided, and the negators
    that stood alone (``无``, ``没有``: their meaning depends on the target)."""

    verdict: Verdict | None
    words: tuple[str, ...] = ()
    bare_negators: tuple[str, ...] = ()


@lru_cache(maxsize=64)
def _word_table(lex: Lexicon, words: AnswerWords) -> tuple[tuple[str, str], ...]:
    """(word, class) longest first. A word in several lists takes the strongest class:
    negative > partial > positive > adverse > negator."""
    table: dict[str, str] = {}
    for cls, ws in (("negator", lex.negators), ("adverse", words.adverse), ("positive", lex.positive),
                    ("partial", lex.partial), ("negative", lex.negative)):
        for w in ws:
            table[w] = cls
    return tuple(sorted(table.items(), key=lambda kv: -len(kv[0])))


def _tokens(t: str, table: tuple[tuple[str, str], ...]) -> list[tuple[str, str, int]]:
    """(word, class, position) left to right, the longest listed word at each place."""
    found: list[tuple[str, str, int]] = []
    i = 0
    while i < len(t):
        for w, cls in table:
            if t.startswith(w, i):
                found.append((w, cls, i))
                i += len(w)
                break
        else:
            i += 1
    return found


def judge_text(text: str, lex: Lexicon | None = None, words: AnswerWords | None = None) -> tuple[Verdict | None, tuple[str, ...]]:
    """Free text → (a banded :class:`Verdict` or None, the words that decided).

    >>> judge_text("未超出")
    (<Verdict.MET: '达成'>, ('未超出',))
    >>> judge_text("响应不及时")
    (<Verdict.NOT_MET: '未达成'>, ('不及时',))
    >>> judge_text("超支3万元")
    (<Verdict.NOT_MET: '未达成'>, ('超支',))
    """
    j = judge(text, lex, words)
    return j.verdict, j.words


def judge(text: str, lex: Lexicon | None = None, words: AnswerWords | None = None) -> Judgement:
    lex = lex or default_lexicon()
    words = words or answer_words()
    t = normalize(text)
    classes: list[tuple[str, str]] = []
    bare: list[str] = []
    for negator, scope in _scopes(t, _tokens(t, _word_table(lex, words))):
        if negator is None:
            classes += [(w, "negative" if cls == "adverse" else cls) for w, cls in scope]
        elif not scope:
            bare.append(negator)
        elif any(cls in ("adverse", "negative") for _, cls in scope):
            # 未发生安全问题: the negator denies the bad thing; 安全 only names which one
            classes += [(f"{negator}{w}", "positive") for w, cls in scope if cls in ("adverse", "negative")]
        else:
            classes += [(f"{negator}{w}", "negative") for w, _ in scope]
    for cls, verdict in VERDICT_OF:
        decided = tuple(w for w, c in classes if c == cls)
        if decided:
            return Judgement(verdict, decided, tuple(bare))
    return Judgement(None, (), tuple(bare))


def _scopes(t: str, tokens: list[tuple[str, str, int]]) -> list[tuple[str | None, list[tuple[str, str]]]]:
    """The tokens grouped by the negator in force (None: none), a negator's scope ending at the
    next punctuation mark or the next negator."""
    groups: list[tuple[str | None, list[tuple[str, str]]]] = [(None, [])]
    scope_end = 0
    for w, cls, pos in tokens:
        if groups[-1][0] is not None and any(c in PUNCTUATION for c in t[scope_end:pos]):
            groups.append((None, []))
        if cls == "negator":
            groups.append((w, []))
            scope_end = pos + len(w)
            continue
        groups[-1][1].append((w, cls))
        scope_end = pos + len(w) if groups[-1][0] is not None else scope_end
    return groups
