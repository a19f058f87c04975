"""What an indicator's name (三级指标) tells about its value: the unit or template in its brackets
(``满意度（%）``, ``苗木成活率(≥**%)``), the direction of a bare value (``故障次数`` → 不超过), a zero
target written as the negation of a bad event (``无重大安全事故``, ``零事故``), and the unit of an
amount whose unit was left out (``≤620万/月`` under ``运营成本`` is 元 a month).

The words are data: ``rules/language/words.yaml`` (directions, through the profile's
:class:`~scoring.language.lexicon.Lexicon`), ``operators.yaml`` (zero targets), ``names.yaml`` (money).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from scoring.language import vocabulary as vocab
from scoring.language.lexicon import Lexicon
from scoring.language.normalize import normalize, to_simplified
from scoring.language.numerals import fmt_number, match_multiplier
from scoring.language.quantities import PREFIX_OPS, SUFFIX_OPS
from scoring.language.units import canonical_unit


def read_text(text: str) -> str:
    """The text as the parser reads it: normalised, traditional characters folded.

    >>> read_text("不少於 ３萬 人次")
    '不少于3万人次'
    """
    return to_simplified(normalize(text))


@lru_cache(maxsize=65536)
def clean_name(name: str) -> str:
    """The name without its trailing bracket (``满意度（%）`` → ``满意度``)."""
    n = read_text(name)
    return re.sub(r"\([^()]*\)$", "", n)


# ----------------------------------------------------------------------------------------------
# the bracket: a unit (万元) or a template (≥**%)
# ----------------------------------------------------------------------------------------------

_BRACKET = re.compile(r"\(([^()]{1,12})\)$")
_PLACEHOLDER = re.compile(r"[*＊×_＿○?？]+|[xX]{2,}")
_OP_WORDS = sorted({**PREFIX_OPS, **{k: v for k, v in SUFFIX_OPS.items() if len(k) > 1}}, key=len, reverse=True)


@dataclass(frozen=True, slots=True)
class NameTemplate:
    """The bracket of a name: ``unit`` (display name, "" when none) times ``scale`` (万元 → 元 ×10000),
    and ``op`` when it is a template with an operator (``≥**%`` → ``>=``); ``written`` as in the name."""

    unit: str
    scale: float
    op: str | None
    written: str


@lru_cache(maxsize=65536)
def name_template(indicator: str | None) -> NameTemplate | None:
    """The unit, and the operator of a template, in the brackets that end a name.

    >>> name_template("用水总量（亿立方米）")
    NameTemplate(unit='m³', scale=100000000.0, op=None, written='亿立方米')
    >>> t = name_template("苗木成活率(≥**%)"); (t.unit, t.op)
    ('%', '>=')
    >>> t = name_template("补助成本（≤**元/株）"); (t.unit, t.op)
    ('元/棵', '<=')
    >>> t = name_template("项目总投入(≥**万元)"); (t.unit, t.scale, t.op)
    ('元', 10000.0, '>=')
    >>> name_template("完成率(年度)") is None, name_template("服务人次") is None
    (True, True)
    """
    if not indicator:
        return None
    m = _BRACKET.search(read_text(indicator))
    if not m:
        return None
    inner = m.group(1)
    body, placeholder = _PLACEHOLDER.subn("", inner)
    op = None
    for word in _OP_WORDS:
        if body.startswith(word):
            op, body = PREFIX_OPS.get(word), body[len(word):]
            break
        if body.endswith(word) and placeholder:
            op, body = SUFFIX_OPS.get(word), body[: -len(word)]
            break
    if op is not None and not placeholder:
        return None  # (≥90%) is a target written into the name, not a template: it is not read here
    found = _unit(body)
    if found is None:
        return None
    return NameTemplate(found[0], found[1], op, inner)


def _unit(text: str) -> tuple[str, float] | None:
    unit = canonical_unit(text)
    if unit:
        return unit, 1.0
    factor, used = match_multiplier(text, 0)
    if used:
        unit = canonical_unit(text[used:])
        if unit:
            return unit, factor
    return None


def unit_from_name(indicator: str | None) -> tuple[str, float] | None:
    """The unit an indicator's name gives in brackets: ``满意度（%）`` → %, ``用水总量（亿立方米）`` → 立方米 ×1e8."""
    t = name_template(indicator)
    return (t.unit, t.scale) if t else None


# ----------------------------------------------------------------------------------------------
# the direction of a bare value
# ----------------------------------------------------------------------------------------------

def infer_direction(indicator: str | None, unit: str, value: float, lex: Lexicon) -> tuple[str, str]:
    """The operator a bare value means, and the sentence that records why.

    >>> from scoring.language.lexicon import default_lexicon
    >>> infer_direction("苗木成活率(≥**%)", "%", 85.0, default_lexicon())
    ('>=', '裸值“85%”按指标名称中的“≥**%”理解：不低于')
    >>> infer_direction("设备故障次数", "次", 2.0, default_lexicon())[0]
    '<='
    """
    shown = f"{fmt_number(value)}{unit}"
    template = name_template(indicator)
    if template is not None and template.op is not None:
        word = {">=": "不低于", ">": "大于", "<=": "不超过", "<": "小于", "==": "等于"}[template.op]
        return template.op, f"裸值“{shown}”按指标名称中的“{template.written}”理解：{word}"
    if value == 0:
        return "<=", f"裸值“{shown}”是零目标，按“不超过0”（即不得发生）理解"
    name = clean_name(indicator or "")
    if name:
        for suffix in sorted(lex.at_least_suffixes, key=len, reverse=True):
            if name.endswith(suffix):
                return ">=", f"裸值“{shown}”按“不低于”理解：指标“{indicator}”是“{suffix}”类的正向指标"
        for word in lex.equal_words:
            if word in name:
                return "==", f"裸值“{shown}”按“等于”理解：指标“{indicator}”含“{word}”"
        for word in sorted(lex.at_most_words, key=len, reverse=True):
            if word in name:
                return "<=", f"裸值“{shown}”按“不超过”理解：指标“{indicator}”含“{word}”（坏事件、时长或成本）"
        for word in sorted(lex.at_least_words, key=len, reverse=True):
            if word in name:
                return ">=", f"裸值“{shown}”按“不低于”理解：指标“{indicator}”含“{word}”（正向的数量或比率）"
    if unit in lex.at_most_units:
        return "<=", f"裸值“{shown}”是时长，按“不超过”理解"
    op = lex.default_op
    word = "不低于" if op == ">=" else "等于"
    why = f"指标名称“{indicator}”看不出方向" if name else "没有指标名称可判断方向"
    return op, f"裸值“{shown}”按“{word}”理解：{why}"


# ----------------------------------------------------------------------------------------------
# zero targets in words: 无重大安全事故, 零事故, 杜绝安全事故发生
# ----------------------------------------------------------------------------------------------

_ZERO_BEFORE = vocab.words("operators", "zero_before")
_ZERO_AFTER = vocab.words("operators", "zero_after")
_ZERO_EVENTS = vocab.words("operators", "zero_events")
_ZERO_LONGEST = 12  # the bad event named after the negation: a short noun phrase, not a sentence


def zero_event(t: str, lex: Lexicon) -> str | None:
    """The bad event a text says must not happen (``零事故`` → 事故), or None.

    The text is a negation (``rules/language/operators.yaml`` ``zero_before``) followed by a short phrase that
    ends with a bad event (``words.yaml`` ``at_most_words``): ``无有效投诉`` under ``有效投诉`` is a zero target, not
    the name copied into the value.

    >>> from scoring.language.lexicon import default_lexicon
    >>> lex = default_lexicon()
    >>> zero_event("无重大安全事故", lex), zero_event("零事故", lex), zero_event("杜绝泄密事件发生", lex)
    ('事故', '事故', '泄密')
    >>> zero_event("无纸化办公", lex), zero_event("无差异化服务", lex), zero_event("安全事故", lex)
    (None, None, None)
    >>> zero_event("全年无质量问题", lex), zero_event("无重大负面舆情", lex)
    ('质量问题', '舆情')
    """
    head = next((w for w in _ZERO_BEFORE if t.startswith(w)), None)
    if head is None:
        return None
    rest = t[len(head):]
    forms = [rest]  # 无质量问题: 质量问题 is the event; 无泄密事件发生: 泄密 is
    while any(f.endswith(w) and len(f) > len(w) for f in forms[-1:] for w in _ZERO_AFTER):
        last = forms[-1]
        forms.append(next(last[: -len(w)] for w in _ZERO_AFTER if last.endswith(w) and len(last) > len(w)))
    if len(rest) > _ZERO_LONGEST or any(not _is_word_char(c) for c in rest):
        return None
    events = sorted((*lex.at_most_words, *_ZERO_EVENTS), key=len, reverse=True)
    return next((w for f in forms for w in events if f.endswith(w)), None)


def _is_word_char(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


# ----------------------------------------------------------------------------------------------
# the unit of an amount written without one: ≤620万/月 under 运营成本
# ----------------------------------------------------------------------------------------------

MONEY_WORDS = vocab.words("names", "money_words")


def numerator_from_name(indicator: str | None) -> tuple[str, float, str] | None:
    """The unit a name gives to an amount written without its unit: (unit, scale, why) or None.
    The bracket first (``运营成本（万元）``), else a money word (``成本``, ``补助``) → 元.

    >>> numerator_from_name("运营成本"), numerator_from_name("参观人数")
    (('元', 1.0, '指标“运营成本”是金额（含“成本”）'), None)
    """
    template = name_template(indicator)
    if template is not None and template.unit and "/" not in template.unit:
        return template.unit, template.scale, f"指标名称中的单位“{template.written}”"
    name = clean_name(indicator or "")
    word = next((w for w in MONEY_WORDS if w in name), None)
    if word is None:
        return None
    return "元", 1.0, f"指标“{indicator}”是金额（含“{word}”）"
