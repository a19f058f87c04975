"""The one normaliser of extraction damage: what PDF/Word extraction leaves in a cell.

Markup tags (``<br/>``, ``<b>``), LaTeX (``$\\geq 31000\\text{m}^2$``), full-width forms and
variant symbols (``＞＝``, ``≧``), and white space that Chinese text does not carry. Every
reader of text (targets, the importer, level names, answers) goes through these functions, so
one kind of damage is repaired in one place.
"""

from __future__ import annotations

import re
import unicodedata
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
_SYMBOLS = [(">=", "≥"), ("=>", "≥"), ("≧", "≥"), ("⩾", "≥"), ("<=", "≤"), ("=<", "≤"), ("≦", "≤"), ("⩽", "≤"),
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
