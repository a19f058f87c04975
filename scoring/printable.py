"""Text from users' files made safe to print on a terminal.

A cell can hold an escape sequence (``\\x1b]0;…`` retitles the window, ``\\x1b[2J`` clears the
screen, ``\\x1b[8m`` hides what follows), a bidirectional override that shows text in another order
than it is, or a megabyte of text. :func:`clean` shows control characters as visible escapes
(``\\x1b``) instead of obeying them, and shortens an overlong line, saying so.

>>> clean("达成\\x1b[2J\\x1b]0;pwned\\x07")
'达成\\\\x1b[2J\\\\x1b]0;pwned\\\\x07'
>>> clean("第一行\\n第二行\\t制表")
'第一行\\n第二行\\t制表'
>>> clean("好" * 10, limit=4)
'好好好好…（此行共 10 字，已截断）'
"""

from __future__ import annotations

import re

LINE_LIMIT = 500

# C0 controls but tab and newline, DEL, C1 controls, bidirectional embeddings/overrides/isolates
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(m: re.Match) -> str:
    ch = m.group()
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def clean(text: object, limit: int = LINE_LIMIT) -> str:
    """``text`` with control characters shown as escapes and each line cut at ``limit`` characters."""
    s = _UNSAFE.sub(_visible, str(text))
    if len(s) <= limit:
        return s
    return "\n".join(line if len(line) <= limit else f"{line[:limit]}…（此行共 {len(line):,} 字，已截断）"
                     for line in s.split("\n"))
