"""Forms of 实际完成值 met in published 自评表 that the word lists alone leave open, each read as a class:
several figures against several, a bare percentage against a target in words, a fall answering a target that asks
for one, and 已 + the target's own action (``已公开`` against ``按规定公开``)."""

from __future__ import annotations

from scoring.actuals.advice import unreadable
from scoring.actuals.cleaning import clean, range_assumption
from scoring.actuals.reading import Reading
from scoring.actuals.vocabulary import AnswerWords
from scoring.language.comparator import Comparator
from scoring.language.expressions import DIRECTION_WORDS, find_quantities
from scoring.language.lexicon import Lexicon
from scoring.language.normalize import normalize
from scoring.vocab import Verdict

DECREASE = (*(w for w, d in DIRECTION_WORDS.items() if d == "decrease"), "减")
INCREASE = tuple(w for w, d in DIRECTION_WORDS.items() if d == "increase")


def several_measures(text: str, qs: list, c: Comparator, shown: str) -> str | None:
    """Why an actual cannot be set against its target when both name several measures, each with its own
    figure (``签约率提高1%体检率下降1%`` against ``签约率提高1%、体检率提高2%``): comparing the first figure alone
    would score the others unread. None when the target has one figure or is a range, or the actual has one."""
    if c.op == "between" or len(qs) < 2 or range_assumption(text, qs, shown):
        return None
    if len(find_quantities(normalize(c.text or ""))) < 2:
        return None
    written = "、".join(text[q.start:q.end] for q in qs)
    return (f"指标值“{c.text}”和实际完成值“{shown}”都写了几个数（{written}），分别是几项的目标和完成值，"
            "程序不能只比较其中一个")


def bare_percent(shown: str, words: AnswerWords) -> float | None:
    """The number of an actual that is one percentage and nothing else (``100%``), or None."""
    cleaned = clean(shown, words)
    qs = find_quantities(cleaned.text)
    if len(qs) == 1 and qs[0].unit == "%" and qs[0].start == 0 and qs[0].end == len(cleaned.text):
        return qs[0].value
    return None


def percent_against_words(value: float, shown: str, c: Comparator) -> Reading:
    """A bare percentage answering a target written in words with no level to measure it by
    (``100%`` against ``控制在预算中``): 100 % is all of it done; any other share has nothing to be set against."""
    if value == 100:
        return Reading("verdict", verdict=Verdict.MET, text=Verdict.MET,
                       assumptions=(f"定性指标的实际完成值“{shown}”表示全部做到，按“达成”理解",))
    return unreadable(shown, f"定性指标的实际完成值“{shown}”是百分数，指标值“{c.text}”没有给出达成的门槛，无法比较", c,
                      "请写明做到的情况（如 达成、部分达成），或把指标值改写成百分数")


def fall_wanted(decided: tuple[str, ...], target: str, lex: Lexicon) -> Verdict | None:
    """An answer that only names a fall (``减少``, ``下降``) or only denies one (``未降低``), against a target that
    asks for a fall and not a rise (``水电费开支有下降``): 达成 or 未达成; None otherwise (the word lists decide).

    >>> from scoring.language.lexicon import default_lexicon
    >>> lex = default_lexicon()
    >>> fall_wanted(("减少",), "水电费开支有下降", lex), fall_wanted(("未降低",), "有下降", lex)
    (<Verdict.MET: '达成'>, <Verdict.NOT_MET: '未达成'>)
    >>> fall_wanted(("减少",), "服务人次增加", lex) is None
    True
    """
    falls = set(DECREASE)
    if not decided or not any(w in target for w in falls) or any(w in target for w in INCREASE):
        return None
    negators = sorted(lex.negators, key=len, reverse=True)
    denied = [w for w in decided if any(w.startswith(n) and w[len(n):] in falls for n in negators)]
    if len(denied) == len(decided):
        return Verdict.NOT_MET
    return Verdict.MET if all(w in falls for w in decided) else None


def done_action(t: str, target: str, words: AnswerWords) -> str:
    """The action an answer says is done (``已公开`` → ``公开``) when the target names it (``按规定公开``), else "".

    >>> from scoring.actuals.vocabulary import answer_words
    >>> done_action("已公开", "按规定公开", answer_words()), done_action("已上报", "按规定公开", answer_words())
    ('公开', '')
    """
    done = next((m for m in words.done if t.startswith(m)), None)
    action = t[len(done):].rstrip("。.，,；;！!了") if done else ""
    return action if len(action) >= 2 and action in target else ""
