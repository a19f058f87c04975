"""Rows of a sheet that are no indicators by what they say: a table's title or number (…绩效目标表, 表十二), a
unit-code line (``207101天津市河北区人民法院``), and the rows after a table (合计, 填表人：…, （盖章）, a date, a page
number). The words are in ``rules/language/headers.yaml`` (titles, captions, info_rows, trailers).

>>> is_trailer("填表人：张敏"), is_trailer("（盖章）"), is_trailer("受益学生人数")
(True, True, False)
"""

from __future__ import annotations

import re

from scoring.importer.headers import MONEY_UNIT, label, meta_field, vocabulary
from scoring.language import levels


def is_info_row(text: str) -> bool:
    """A line that only names a unit by its code (``207101天津市河北区人民法院``): never an indicator."""
    s = levels.squeeze(text)
    return any(p.match(s) for p in vocabulary()["info"])


def is_info_line(texts: list[str]) -> bool:
    """A unit-code line, alone or with the money unit beside it (``207101天津市河北区人民法院 | 单位:万元``).

    >>> is_info_line(["207101天津市河北区人民法院", "单位：万元"]), is_info_line(["207101某局", "≥95%"])
    (True, False)
    >>> is_info_line(["207101天津市河北区人民法院", "207101天津市河北区人民法院"])   # copied across the row
    True
    """
    return bool(texts) and is_info_row(texts[0]) and all(MONEY_UNIT.match(label(t)) or t.strip() == texts[0].strip()
                                                          for t in texts[1:])   # or the line copied across the row


def is_title(text: str) -> bool:
    """A table's title (…绩效目标表) or its number (表十二, 附表3).

    >>> is_title("2023年一般性项目绩效目标表(一级项目)"), is_title("表十二"), is_title("附表2-1"), is_title("表彰次数")
    (True, True, True, False)
    """
    s = label(text)
    return bool(vocabulary()["caption"].match(s)) or (
        any(t in s for t in vocabulary()["titles"]) and meta_field(text) is None and len(s) <= 40
        and not s.endswith(("。", ".", "；")))


_DATE = re.compile(r"^\d{4}年(\d{1,2}月(\d{1,2}日)?)?$|^\d{4}[-./]\d{1,2}[-./]\d{1,2}$")
_PAGE = re.compile(r"^(?:第\d+页.*|-\d+-|\d+/\d+|Page\d+.*)$", re.I)


def is_trailer(text: str) -> bool:
    """A cell that starts a row after the table: 合计, 填表人：…, （盖章）, a date, a page number.

    The word must be the whole cell or be followed by a colon or a bracket: 说明会召开次数 is an indicator.
    """
    raw = levels.squeeze(text).replace("（", "(").replace("）", ")")
    s = raw.strip("()")
    if not s:
        return False
    if _DATE.match(s) or _PAGE.match(s) or any(w in s for w in vocabulary()["trailer_contains"]):
        return True
    if label(s).endswith(vocabulary()["endings"]):
        return True
    return any(s == w or (s.startswith(w) and s[len(w):len(w) + 1] in (":", "：", "(")) for w in vocabulary()["trailers"])
