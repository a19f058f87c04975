"""The one normaliser of extraction damage: what PDF/Word extraction leaves in a cell.

Markup tags (``<br/>``, ``<b>``), LaTeX (``$\\geq 31000\\text{m}^2$``), full-width forms and
variant symbols (``＞＝``, ``≧``), and white space that Chinese text does not carry. Every
reader of text (targets, the importer, level names, answers) goes through these functions, so
one kind of damage is repaired in one place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$|\\\((.+?)\\\)", re.S)
_LATEX_CMDS = {
    "geq": "≥", "ge": "≥", "geqslant": "≥", "leq": "≤", "le": "≤", "leqslant": "≤", "gt": ">", "lt": "<",
    "neq": "≠", "ne": "≠", "times": "×", "div": "÷", "pm": "±", "sim": "~", "approx": "≈", "cdot": "·",
    "degree": "°", "circ": "°", "mu": "μ", "le_": "≤", "%": "%", "$": "$", "&": "&", "#": "#", "_": "_",
    ",": "", ";": "", ":": "", "!": "", " ": "", "quad": "", "qquad": "", "left": "", "right": "",
}
_TEXT_CMD = re.compile(r"\\(?:text|mathrm|textrm|mbox|mathit|mathbf|textbf|operatorname|rm)\s*\{([^{}]*)\}")
_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_SUP = re.compile(r"\^\s*\{?\s*([0-9])\s*\}?")
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_CMD = re.compile(r"\\([a-zA-Z]+|.)")
_BARE_CMD = re.compile(r"\\(geq|leq|geqslant|leqslant|ge|le|gt|lt|neq|times|pm|sim|approx)(?![a-zA-Z])\s*|\\%")


def _math_to_text(m: str) -> tuple[str, bool]:
    """A LaTeX math span as plain text; the flag says whether something could not be read."""
    s = _TEXT_CMD.sub(r"\1", m)
    s = _FRAC.sub(r"\1/\2", s)
    s = _SUP.sub(lambda g: g.group(1).translate(_SUPERSCRIPTS), s)
    unknown = False

    def cmd(g: re.Match) -> str:
        nonlocal unknown
        name = g.group(1)
        if name in _LATEX_CMDS:
            return _LATEX_CMDS[name]
        unknown = True
        return g.group(0)

    s = _CMD.sub(cmd, s)
    s = s.replace("{", "").replace("}", "")
    s = re.sub(r"\s+", "", s)
    return s, unknown


def _ascii_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def delatex(text: str) -> tuple[str, bool]:
    """Replace LaTeX left by PDF extraction with the characters it stands for.

    ``$\\geq 31000\\text{m}^2$`` → ``≥31000m²``; ``宣传考核分数 $\\geq 90$ 分`` → ``宣传考核分数≥90分``:
    the spaces extraction puts around a formula are dropped (kept only between Latin words).
    Returns the text and whether some LaTeX could not be read.
    """
    if "$" not in text and "\\" not in text:
        return text, False
    out: list[str] = []
    pos = 0
    unknown = False
    for m in _MATH.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        plain, bad = _math_to_text(inner)
        unknown |= bad
        left = text[pos:m.start()]
        stripped = left.rstrip()
        keep = left != stripped and stripped and plain and _ascii_letter(stripped[-1]) and _ascii_letter(plain[0])
        out.append(stripped + (" " if keep else ""))
        out.append(plain)
        pos = m.end()
        rest = text[pos:]
        rs = rest.lstrip()
        if rest != rs and not (plain and rs and _ascii_letter(plain[-1]) and _ascii_letter(rs[0])):
            pos += len(rest) - len(rs)
    out.append(text[pos:])
    s = "".join(out)
    if "\\" in s:
        s = _BARE_CMD.sub(lambda g: _LATEX_CMDS.get(g.group(1), "%") if g.group(1) else "%", s)
        unknown |= bool(re.search(r"\\[a-zA-Z]", s))
    if s.count("$") % 2 == 1 and re.search(r"\\[a-zA-Z]", text):
        s = s.replace("$", "")  # a formula cut off by the extraction: unbalanced dollar
        unknown = True
    return s, unknown


def clean(text: str) -> tuple[str, list[str]]:
    """A cell as data: outer whitespace, markup and LaTeX removed. Returns the notes on what changed."""
    notes: list[str] = []
    s = (text or "").strip()
    if "<" in s and _TAG.search(s):
        s2 = _TAG.sub("", s).strip()
        notes.append(f"去掉了提取留下的标记：“{s}”→“{s2}”")
        s = s2
    if "$" in s or "\\" in s:
        s2, bad = delatex(s)
        if s2 != s:
            notes.append(f"LaTeX“{s}”还原为“{s2}”")
        if bad:
            notes.append(f"“{s}”中有无法还原的 LaTeX，已按原样保留")
        s = s2.strip()
    return s, notes


_LEFTOVER_LATEX = [(re.compile(r"\^\{?2\}?"), "²"), (re.compile(r"\^\{?3\}?"), "³"),
                   (re.compile(r"\\[,;:! ]"), ""), (re.compile(r"\\[a-zA-Z]+"), "")]
_SYMBOLS = [(">=", "≥"), ("=>", "≥"), ("≧", "≥"), ("═", "="), ("⩾", "≥"), ("<=", "≤"), ("=<", "≤"), ("≦", "≤"), ("⩽", "≤"),
            ("﹥", ">"), ("﹤", "<"), ("〉", ">"), ("〈", "<")]
SYMBOL_SPELLINGS: tuple[tuple[str, str], ...] = tuple(_SYMBOLS)   # other spellings of ≥ ≤ > < (>=, ≧…)
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)  # pure; an answer or a target is normalised several times on its way
def normalize(text: str) -> str:
    """The text with extraction noise removed and one spelling per symbol; meaning unchanged.

    >>> normalize("<b>≥ 90 %</b>"), normalize("＞＝９５％"), normalize("$≥ 31000m^2$")
    ('≥90%', '≥95%', '≥31000m2')
    >>> normalize("不少于 2 次"), normalize("≦3次"), normalize("up to 5 TB")
    ('不少于2次', '≤3次', 'up to5TB')
    >>> normalize("（含）")
    '(含)'
    """
    t = text
    if "<" in t:
        t = _TAG.sub("", t)
    if "\\" in t or "$" in t or "^" in t:
        t, _ = delatex(t)
        for pattern, repl in _LEFTOVER_LATEX:
            t = pattern.sub(repl, t)
        t = t.replace("$", "").replace("{", "").replace("}", "")
    t = unicodedata.normalize("NFKC", t)
    for a, b in _SYMBOLS:
        if a in t:
            t = t.replace(a, b)
    # White space carries no meaning in Chinese text, except between two Latin words.
    if _SPACE.search(t):
        t = _SPACE.sub(lambda m: " " if _latin_around(t, m.start(), m.end()) else "", t.strip())
    return t.replace("(", "(").replace(")", ")")


def _latin_around(t: str, start: int, end: int) -> bool:
    return start > 0 and end < len(t) and t[start - 1].isascii() and t[start - 1].isalpha() and t[end].isascii() and t[end].isalpha()


# ---------------------------------------------------------------------------------------------
# look-alike characters
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Lookalikes:
    """A text with its look-alike characters folded (``text``), what was folded (``notes``, each an
    assumption to record), and why its number cannot be read at all (``problem``; None when it can)."""

    text: str
    notes: tuple[str, ...] = ()
    problem: str | None = None


# signs extraction or typing puts for the comparisons they stand for: each means exactly one
_NEGATED = {"≯": ("≤", "不大于，即不超过"), "≮": ("≥", "不小于，即不少于"), "≰": (">", "不小于等于，即大于"),
            "≱": ("<", "不大于等于，即小于")}
_DIGIT_LETTERS = {"O": "0", "o": "0", "l": "1", "I": "1"}  # letters that look like a digit
_INSIDE = re.compile(r"(?<=[0-9])([OolI]+)(?=[0-9])|(?<=[0-9]\.)([OolI]+)(?=[0-9])|(?<=[0-9])([OolI]+)(?=\.[0-9])")
_EDGE = re.compile(r"(?<![A-Za-z])([OolI]+)(?=\.?[0-9])|(?<=[0-9])([OolI]+)(?![A-Za-z])")
_LETTER_POINT = re.compile(r"(?<![A-Za-z0-9])([A-Za-z])\.(?=[0-9])")  # M.8万元: a digit read as a letter (No.5 is not)
_BAD_COMMA = re.compile(r"(?<![0-9,])[0-9]+(?:,[0-9]+)+")
_DOTS = re.compile(r"(?<![0-9.])[0-9]+(?:\.[0-9]+){2,}")
_DATE_DOTS = re.compile(r"(?:19|20)[0-9]{2}\.[0-9]{1,2}\.[0-9]{1,2}")
_LETTERED_PERCENT = re.compile(r"[0-9][A-Za-z]+(?:[0-9.]*)[%‰]")


@lru_cache(maxsize=1 << 14)
def lookalikes(text: str) -> Lookalikes:
    """Fold what only looks like a digit or a comparison where its meaning is certain; refuse where it
    is not. ``text`` is normalised (:func:`normalize`). Folded, each recorded as an assumption:

    - ``≯`` (not greater than) is ``≤`` (不超过), ``≮`` is ``≥`` (不少于), ``≰`` is ``>``, ``≱`` is ``<``;
    - a letter O, o, l or I *between two digits* (``1O0``, ``2O23``, ``9.l5``) is the digit it looks
      like: a number cannot hold a letter there, and no unit or word starts inside a number.

    Refused (the reason says what to write):

    - such a letter at the edge of a number (``l00%``, ``9O%``, ``10O人次``): ``l`` may be 1 or the
      start of a word, ``O`` a 0 or a letter: which number was meant is not certain;
    - letters inside a percentage (``9S%``): a unit cannot stand before ``%``;
    - a lone letter right before a decimal point (``M.8万元``): the number's integer part was not recognised;
    - a comma between digits that is not a thousands separator (``95,5%``: a decimal comma, or two
      numbers?); two decimal points in one number (``95.5.5%``) except a date (``2023.12.31``).

    >>> lookalikes("≯5次").text, lookalikes("≥1O0%").text, lookalikes("2O23年").text
    ('≤5次', '≥100%', '2023年')
    >>> lookalikes("≥l00%").problem is not None, lookalikes(">9O%").problem is not None
    (True, True)
    >>> [lookalikes(t).problem is None for t in ("≥95%", "1,000人", "12,345.6元", "2023.12.31前", "5G基站", "No.5")]
    [True, True, True, True, True, True]
    >>> [lookalikes(t).problem is None for t in ("95,5%", "95.5.5%", "≥9S%", "1,23万", "M.8万元")]
    [False, False, False, False, False]
    """
    notes: list[str] = []
    if not _NEGATED.keys().isdisjoint(text):
        for sign, (meant, words) in _NEGATED.items():
            if sign in text:
                text = text.replace(sign, meant)
                notes.append(f"“{sign}”（{words}）按“{meant}”理解")
    if re.search(r"[OolI]", text) and re.search(r"[0-9]", text):
        folded = _INSIDE.sub(lambda m: "".join(_DIGIT_LETTERS[c] for c in m.group(0)), text)
        if folded != text:
            for m in _INSIDE.finditer(text):
                letters = m.group(0)
                notes.append(f"数字中夹着字母“{letters}”（“{text[max(m.start() - 3, 0):m.end() + 3]}”），"
                             f"按形似的数字“{''.join(_DIGIT_LETTERS[c] for c in letters)}”理解")
            text = folded
        edge = _EDGE.search(text)
        if edge is not None:
            letters = edge.group(1) or edge.group(2)
            around = text[max(edge.start() - 4, 0):edge.end() + 4]
            return Lookalikes(text, tuple(notes), f"“{around}”中数字旁有字母“{letters}”（形似数字"
                              f"“{''.join(_DIGIT_LETTERS[c] for c in letters)}”），无法确定数值；请改为数字")
    problem = _number_problem(text)
    return Lookalikes(text, tuple(notes), problem)


def _number_problem(text: str) -> str | None:
    """Why a number in ``text`` cannot be read as written (see :func:`lookalikes`), or None."""
    headless = _LETTER_POINT.search(text)
    if headless is not None:
        return (f"“{text[max(headless.start() - 3, 0):headless.end() + 4]}”中小数点前是字母“{headless.group(1)}”，"
                "数字的整数部分没有认出来，无法确定数值；请改为数字")
    if "," in text:
        for m in _BAD_COMMA.finditer(text):
            head, *groups = m.group(0).split(",")
            if len(head) > 3 or any(len(g) != 3 for g in groups):
                return (f"数字“{m.group(0)}”中的逗号不是千位分隔符（千位分隔每三位一组），无法确定是小数点还是两个数；"
                        "请写成一个数，如 95.5")
    if text.count(".") >= 2:
        for m in _DOTS.finditer(text):
            if not _DATE_DOTS.fullmatch(m.group(0)) and text[m.end():m.end() + 1] != "版" and \
                    text[max(m.start() - 1, 0):m.start()] not in ("V", "v"):
                return f"数字“{m.group(0)}”有两个以上的小数点，无法确定数值；请写成一个数，如 95.5"
    m = _LETTERED_PERCENT.search(text)
    if m is not None:
        return f"“{m.group(0)}”中数字与字母混在一起，无法确定数值；请改为数字"
    return None


_ANY_SPACE = re.compile(r"[\s\u3000\u00a0]+")


def squeeze(text: str) -> str:
    """A cell as a label: markup and all whitespace (line breaks of split headers) removed."""
    return _ANY_SPACE.sub("", _TAG.sub("", text or ""))


# ---------------------------------------------------------------------------------------------
# traditional characters
# ---------------------------------------------------------------------------------------------

@cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _traditional_chars() -> frozenset[str]:
    """Every character OpenCC's t2s changes on its own (about 4,000): a cheap test before converting."""
    chars = [chr(i) for i in (*range(0x3400, 0xA000), *range(0xF900, 0xFB00))]
    converted = _converter().convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # a phrase across the separators: fall back to one at a time
        converted = [_converter().convert(c) for c in chars]
    return frozenset(c for c, s in zip(chars, converted, strict=True) if c != s)


def to_simplified(text: str) -> str:
    """Traditional characters folded to simplified with OpenCC (t2s); text without any is returned as is.

    >>> to_simplified("不少於30萬人次")
    '不少于30万人次'
    >>> to_simplified("每羽不超過0.6元")
    '每羽不超过0.6元'
    >>> to_simplified("≥90%")
    '≥90%'
    """
    if text.isascii() or _traditional_chars().isdisjoint(text):
        return text
    return _converter().convert(text)


def unfolding(pairs) -> dict[str, str]:
    """From (as written, as folded by :func:`to_simplified`) pairs of one document: each simplified character
    back to the traditional one the document wrote for it (the one it wrote most often). Pairs whose lengths
    differ (a phrase converted as a whole) teach nothing.

    >>> table = unfolding([("績效指標", "绩效指标"), ("項目驗收合格率", "项目验收合格率")])
    >>> unfold("项目绩效", table), unfold("≥95%", table)
    ('項目績效', '≥95%')
    """
    seen: dict[str, dict[str, int]] = {}
    for written, folded in pairs:
        if written != folded and len(written) == len(folded):
            for w, f in zip(written, folded, strict=True):
                if w != f:
                    counts = seen.setdefault(f, {})
                    counts[w] = counts.get(w, 0) + 1
    return {f: max(ws, key=ws.__getitem__) for f, ws in seen.items()}


def unfold(text: str, table: dict[str, str]) -> str:
    """``text`` with the characters :func:`unfolding` learnt put back as the document wrote them."""
    return "".join(table.get(c, c) for c in text) if table else text


TRADITIONAL_SHARE = 0.1   # of a document's CJK characters changed by t2s: written in traditional characters


def in_traditional(text: str) -> bool:
    """Whether a document's text is written in traditional characters: a tenth or more of the CJK characters
    of its first 100,000 characters are folded by :func:`to_simplified` (a simplified text with a stray
    traditional name is not).

    >>> in_traditional("績效指標 年度指標值 不少於30萬人次"), in_traditional("绩效指标 年度指标值 乾隆路改造")
    (True, False)
    """
    head = text[:100_000]
    simple = to_simplified(head)
    if simple == head:
        return False
    cjk = sum("\u4e00" <= c <= "\u9fff" for c in head)
    return sum(a != b for a, b in zip(head, simple, strict=False)) >= TRADITIONAL_SHARE * cjk
