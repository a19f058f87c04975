"""The text of one cell as a target: OCR damage repaired, 指标性质 + 指标值 + 度量单位 joined, a name and
a target that share one cell told apart. Pure functions of strings.
"""

from __future__ import annotations

import re

from scoring.importer.headers import context_of, vocabulary
from scoring.language.normalize import normalize, squeeze
from scoring.language.units import canonical_unit

_SYMBOL_OPS = frozenset("≥≤=><")
_WORD_OPS = {"大于等于": "≥", "小于等于": "≤", "等于": "=", "大于": ">", "小于": "<"}
_OCR = [(re.compile(r"[>＞]\s+[=＝]"), "≥"), (re.compile(r"[<＜]\s+[=＝]"), "≤"),
        (re.compile(r"(?<=[\d≥≤><=.])[Oo](?=[\d%％.万千百]|$)"), "0"), (re.compile(r"(?<=\d)[Oo]"), "0"),
        (re.compile(r"(?<=[≥≤><=])[lI|](?=\d)"), "1"), (re.compile(r"(?<=\d)[lI|](?=\d)"), "1")]


def is_operator(text: str) -> bool:
    """A cell that is only a comparison (the 指标性质/计算符号 column): ``≥``, ``＝``, ``大于等于``, and every
    other spelling the target reader folds (``≧``, ``>=``, ``═``, ``﹦``, ``﹥``: :func:`scoring.language.normalize.normalize`).

    >>> [is_operator(s) for s in ("≥", "＝", "﹦", "═", ">=", "大于等于", "定性", "95")]
    [True, True, True, True, True, True, False, False]
    """
    s = squeeze(text)
    return bool(s) and (s in _WORD_OPS or normalize(s) in _SYMBOL_OPS)


def repair_ocr(text: str) -> str:
    """A target with the OCR damage of single cells repaired: ``> =`` → ``≥``, ``9O%`` → ``90%``, ``l500`` → ``1500``.

    >>> repair_ocr("> =12次"), repair_ocr("≥9O%"), repair_ocr("≤l500元/户"), repair_ocr("O次")
    ('≥12次', '≥90%', '≤1500元/户', 'O次')
    """
    for pattern, repl in _OCR:
        text = pattern.sub(repl, text)
    return text


def split_name_value(text: str) -> tuple[str, str]:
    """A cell holding both the name and the target (tables without a 三级 column).

    >>> split_name_value("居民电子健康档案建档率≥90%")
    ('居民电子健康档案建档率', '≥90%')
    >>> split_name_value("资金下达及时率100%"), split_name_value("城乡差距逐步缩小")
    (('资金下达及时率', '100%'), ('城乡差距', '逐步缩小'))
    """
    words = vocabulary()["split"]
    hits = [text.find(w) for w in words["comparators"] if text.find(w) > 0]
    if hits:
        at = min(hits)
        return text[:at], text[at:]
    m = re.search(r"(\d[\d,.]*\s*(?:%|％|‰|[^\d\s]{0,6}))$", text)
    if m and m.start() > 0 and not re.search(r"\d", text[:m.start()][-1:]):
        return text[:m.start()], text[m.start():]
    for w in words["trends"]:
        if text.endswith(w) and len(text) > len(w):
            return text[: -len(w)], w
    return text, ""


def fill_placeholder(holder: str, value: str) -> str:
    """A bare number put into the template placeholder of its name: ``(≥**%)`` and ``95`` → ``≥95%``.

    >>> fill_placeholder("(≥**%)", "95"), fill_placeholder("（**个）", "3"), fill_placeholder("(≥**%)", "≥95%")
    ('≥95%', '3个', '≥95%')
    """
    inner = holder.strip()[1:-1]
    if not re.fullmatch(r"\d[\d,]*(?:\.\d+)?", value.strip()) or "*" not in inner:
        return value
    return re.sub(r"\*+", value.strip(), inner, count=1).replace("*", "")


def header_unit(header: str) -> str:
    """The unit a header gives its column: ``指标值(%)`` → ``%``, ``目标值（万元）`` → ``万元``; a bracket naming the
    period (``指标值(年度)``, ``指标值(长期)``) gives none.

    >>> header_unit("指标值(%)"), header_unit("目标值（万元）"), header_unit("指标值(年度)"), header_unit("指标值(长期)")
    ('%', '万元', '', '')
    """
    m = re.search(r"[(（]\s*([%％‰]|[^()（）\d]{1,4})\s*[)）]\s*$", header or "")
    if not m or m.group(1).startswith(("或", "含", "注")) or context_of(m.group(1)):
        return ""
    return m.group(1)


def join_target(nature: str, value: str, unit: str) -> str:
    """指标性质 + 指标值 + 度量单位 as one target: ``≥`` ``320`` ``万平方米`` → ``≥320万平方米``. The operator is
    kept as written (``≧``, ``═``, ``＝``): the reader of targets folds its spelling, the targets keep the table's.

    >>> join_target("≥", "95", "%"), join_target("定性", "明显改善", ""), join_target("＝", "100", "%")
    ('≥95%', '明显改善', '＝100%')
    >>> join_target("≧", "735", "人次"), join_target("═", "100", "%"), join_target("﹦", "72890", "元")
    ('≧735人次', '═100%', '﹦72890元')

    A 定性 row printed one column to the left (项目持续期 | 定性 | 基本建立 | empty, under 度量单位 | 指标性质 |
    指标值): the type word stands where the unit or the 指标性质 should, the target beside it, the 指标值 cell is
    empty. The target is that text:

    >>> join_target("基本建立", "", "定性"), join_target("定性", "", "好")
    ('基本建立', '好')
    >>> join_target("定性", "", "万元") == join_target("", "", "万元")   # a unit beside 定性 is no target
    True
    """
    kinds = vocabulary()["content"]["kinds"]
    if not value.strip() and {squeeze(nature), squeeze(unit)} & set(kinds):
        other = squeeze(unit) if squeeze(nature) in kinds else squeeze(nature)
        if other and other not in kinds and not is_operator(other) and canonical_unit(other.lstrip("万亿千百")) is None:
            return other
    op = squeeze(nature) if is_operator(nature) else ""
    v = value.strip()
    if op and not (normalize(v[:2])[:1] in _SYMBOL_OPS or re.match(r"不|大于|小于|低于|高于|超过|少于|至少|达到", v)):
        v = op + v
    u = unit.strip()
    if u and u not in ("/", "-", "—", "无") and not (v.endswith(u) and not re.fullmatch(r"[\d,.]+", u)):
        v += u
    return v
