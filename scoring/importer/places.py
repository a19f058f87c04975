"""A table whose targets stand in one column per place (专项转移支付 / 区域 tables: 区域目标值 over 新罗区 | 永定区 |
…, or the villages' names in the header itself): read as one table per place, each place a project.

Pure: rows in, rows out. The header is checked by the header reader itself (:func:`.headers.header_of`) with the
first place's column standing for the 指标值 column, so a row of place names is taken only where the columns left of
it are a real indicator header. The place words are data (``rules/language/headers.yaml`` ``place_suffixes``).
"""

from __future__ import annotations

from dataclasses import replace

from scoring.importer.headers import fields_of, header_of, meta_field, shaped_fields, vocabulary
from scoring.importer.rows import Row
from scoring.language.normalize import squeeze
from scoring.targets.model import fmt_weight

MAX_HEADER_ROW = 60


def is_place(text: str) -> bool:
    """A column header naming a place: short, ending in a place word, no header word.

    >>> [is_place(t) for t in ("新罗区", "西坪镇尧山村", "漳平市", "三级指标", "指标值", "实施单位", "")]
    [True, True, True, False, False, False, False]
    """
    s = squeeze(text)
    return (2 <= len(s) <= 12 and s.endswith(tuple(vocabulary()["place_suffixes"])) and not fields_of(s)
            and not shaped_fields(s) and meta_field(s) is None)


def by_place(rows: list[Row]) -> tuple[list[list[Row]], str]:
    """The table as one table per place, and the sentence for the import report; else ``([rows], "")``."""
    for i, row in enumerate(rows[:MAX_HEADER_ROW]):
        places = [c for c, t in enumerate(row.cells) if is_place(t)] if row.grid else []
        if len(places) < 2 or places != list(range(places[0], places[0] + len(places))):
            continue
        above = rows[i - 1] if i else None
        grouped = (above is not None and above.grid and places[0] < len(above.cells)
                   and _value_word(above.cells[places[0]])
                   and not any(t.strip() for t in above.cells[places[0] + 1:places[-1] + 1]))
        head = above if grouped else row
        cells = list(head.cells) + [""] * (len(row.cells) - len(head.cells))
        first = places[0]
        probe = [("指标值" if c == first else "" if c in places else t) for c, t in enumerate(cells)]
        hdr = header_of(probe)
        if hdr is None or hdr.slots.get("annual_value") != first or hdr.l3 >= first:
            continue
        names = [squeeze(row.cells[c]) for c in places]
        top = i - 1 if grouped else i
        tables = [_one_place(rows, top, i, places, c, name, probe) for c, name in zip(places, names, strict=True)]
        return tables, (f"指标值按地区分列（{'、'.join(names)}），每个地区作一个项目导入，项目名称后加地区名；"
                        "各地区的指标相同、指标值各自取本列")
    return [rows], ""


def _value_word(text: str) -> bool:
    found = fields_of(text) or shaped_fields(text)
    return bool(found) and found[0][0] in ("annual_value", "period_value")


def _one_place(rows: list[Row], top: int, places_row: int, places: list[int], keep: int, name: str,
               probe: list[str]) -> list[Row]:
    """The rows of one place's table: the project named after the place, the header with its column as 指标值,
    the other places' cells left empty."""
    header = tuple(("指标值" if c == keep else t) if c not in places or c == keep else "" for c, t in enumerate(probe))
    out: list[Row] = []
    named = False
    for k, row in enumerate(rows):
        if k == top:
            out.append(replace(row, cells=header, written=None))
        elif k < top and not named and any(meta_field(t) == "project" for t in row.cells):
            out.append(_edit(row, lambda cells: _named(cells, name)))
            named = True
        elif k > places_row:
            out.append(_edit(row, lambda cells: tuple(t if c not in places or c == keep else ""
                                                       for c, t in enumerate(cells))))
        elif k != places_row:
            out.append(row)
    if not named:
        out.insert(top, replace(rows[top], cells=("项目名称", name), written=None))
    return out


def _edit(row: Row, change) -> Row:
    """The row with ``change`` made to its cells and, when kept, to its cells as written."""
    return replace(row, cells=change(row.cells), written=change(row.written) if row.written is not None else None)


def _named(cells: tuple[str, ...], place: str) -> tuple[str, ...]:
    """A 项目名称 row with the place added to the name: 宗教管理经费 → 宗教管理经费（新罗区）."""
    at = next(c for c, t in enumerate(cells) if meta_field(t) == "project")
    value = next((c for c in range(at + 1, len(cells)) if cells[c].strip()), None)
    if value is None:
        return cells
    return tuple(f"{t.strip()}（{place}）" if c == value else t for c, t in enumerate(cells))


def place_table(table, why: str) -> None:
    """Say how a place's table was made; the table's 资金总额 is all places' together, never one place's budget."""
    table.note(None, "columns", why)
    total = table.project.get("budget")
    if total is not None:
        table.project["budget"] = None
        table.note(None, "meta", f"表上的资金总额（{fmt_weight(total)} 元）是各地区合计，不是本地区的预算金额：本地区的预算金额"
                                 "留空，请在 projects.yaml 中填写", review=True)
