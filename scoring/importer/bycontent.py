"""A table whose header words are all unknown: its header found by what the rows below it hold.

Used only when no row of a table is an indicator header by its words. A row of short labels is the
header when, below it, one column holds targets (≥95%, 12期, 2023年底前) and a column to its left holds
names that are no level names; columns of level names further left are the 一级/二级 columns. Every
column so decided is named in the import report, and the table is flagged for review.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from scoring.importer.headers import FIELD_NAMES, VALUE_FIELDS, Header, fields_of, label, meta_field
from scoring.importer.linekinds import is_trailer
from scoring.importer.roles import kind_of, share
from scoring.language.normalize import squeeze

MIN_ROWS = 2          # rows below the header that must bear it out
TARGET_SHARE = 0.6    # of a column's cells that read as targets
NAME_SHARE = 0.6      # of the leaf column's cells that read as names
MAX_HEADER_ROW = 200  # a header stands near the top of its table


def _columns(body: Sequence[Sequence[str]]) -> dict[int, Counter]:
    width = max((len(r) for r in body), default=0)
    return {c: Counter(kind_of(r[c].strip()) for r in body if c < len(r) and r[c] and r[c].strip())
            for c in range(width)}


def content_header(rows: Sequence[Sequence[str]]) -> tuple[int, Header, str] | None:
    """(index of the header row, the header, the sentence for the report), or None."""
    for h, head in enumerate(rows[:MAX_HEADER_ROW]):
        texts = [t for t in head if t and t.strip()]
        if len(texts) < 2 or any(len(squeeze(t)) > 20 or kind_of(t) in ("target", "number") for t in texts):
            continue
        if any(meta_field(t) or is_trailer(t) for t in texts):
            continue
        body: list[Sequence[str]] = []
        for r in rows[h + 1:h + 80]:
            cells = [t for t in r if t and t.strip()]
            if cells and is_trailer(cells[0]):
                break
            if len(cells) == 1 and kind_of(cells[0]) == "level":
                continue   # a section row (产出指标, 一、投入目标): it says nothing of the columns
            if cells:
                body.append(r)
        if len(body) < MIN_ROWS:
            continue
        kinds = _columns(body)
        target = next((c for c, k in sorted(kinds.items()) if sum(k.values()) >= MIN_ROWS
                       and share(k, "target", "number") >= TARGET_SHARE), None)
        if target is None:
            continue
        names = [c for c, k in kinds.items() if c < target and sum(k.values()) >= MIN_ROWS
                 and share(k, "name", "text", "target") >= NAME_SHARE and share(k, "level") < 0.6]
        if not names:
            continue
        leaf = max(names)
        levels_ = sorted(c for c, k in kinds.items() if c < leaf and share(k, "level") >= 0.6)
        l1 = levels_[0] if levels_ else -1
        l2 = levels_[1] if len(levels_) > 1 else l1
        labels = {c: t.strip() for c, t in enumerate(head) if t and t.strip()}
        slots = {"annual_value": target}
        for c, t in labels.items():
            found = fields_of(t)
            if c > leaf and c != target and found and found[0][0] in VALUE_FIELDS and found[0][0] not in slots:
                slots[found[0][0]] = c
        hdr = Header(l1, l2, leaf, dict(sorted(slots.items(), key=lambda kv: kv[1])), labels,
                     fields={c: (f, 0) for f, c in slots.items()})
        named = [f"第{c + 1}列“{label(labels.get(c, '')) or '（无表头）'}”→{FIELD_NAMES[f]}"
                 for f, c in (("level1", l1), ("level2", l2), ("level3", leaf), *slots.items()) if c >= 0]
        return h, hdr, ("表头的列名不在词表中，按各列内容认定表头和各列：" + "，".join(dict.fromkeys(named))
                        + "；请核对，常用列名可加到 rules/language/headers.yaml")
    return None
