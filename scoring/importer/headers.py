"""The words of a 绩效目标表 (``rules/language/headers.yaml``): which header is which column, which
label is which piece of project information (the rows that are no indicators: :mod:`.linekinds`).

Columns are recognised by their header text, never by their position: :func:`find_header` reads
one header row, or two when the first groups the columns under 中期/年度 (or 指标值 over
中期/年度), and returns a :class:`Header` that names the column of every field.

>>> label("指标值（或计划水平）："), label("绩效指标(90分)")
('指标值', '绩效指标')
>>> meta_field("项目支出名称"), meta_field("一级项目名称")
('project', 'parent')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from scoring.language import levels
from scoring.language.vocabulary import load

VALUE_FIELDS = ("period_value", "annual_value", "weight", "note", "description", "nature", "unit", "actual",
                "score", "reason", "period_level3", "seq", "criteria", "dated")
NAME_FIELDS = ("level1", "level2", "level3")
FIELD_NAMES = {"level1": "一级指标", "level2": "二级指标", "level3": "三级指标", "period_value": "实施周期指标值",
               "annual_value": "当年度指标值", "weight": "分值", "note": "备注", "description": "指标描述",
               "nature": "指标性质", "unit": "度量单位", "actual": "实际完成值", "score": "得分",
               "reason": "偏差原因", "period_level3": "中期三级指标",
               "seq": "序号（不导入）", "criteria": "评分标准", "dated": "带年份的数值"}


@lru_cache(maxsize=1 << 16)
def label(text: str) -> str:
    """A cell as a label: no white space, points, bracketed alternatives, required-field stars or trailing
    colon; half-width brackets.

    >>> label("*指标值"), label("＊年度绩效总目标：")
    ('指标值', '年度绩效总目标')
    """
    s = levels.bare(text).replace("（", "(").replace("）", ")")
    return s.strip("*＊※").rstrip(":：")


@cache
def vocabulary() -> dict:
    data = load("headers")
    columns = {f: [label(w) for w in words] for f, words in data["columns"].items()}
    index: dict[str, list[tuple[str, int]]] = {}   # header word → (field, priority), fields in file order
    for f, words in columns.items():
        for w in dict.fromkeys(words):
            index.setdefault(w, []).append((f, words.index(w)))
    meta = {label(w): f for f, words in data["meta"].items() for w in words}
    return {"columns": columns, "index": index, "meta": meta, "period": tuple(data["period_words"]),
            "annual": tuple(data["annual_words"]), "side": {label(w) for w in data["side_labels"]},
            "funds": {k: tuple(label(w) for w in v) for k, v in data["funds"].items()},
            "trailers": tuple(label(w) for w in data["trailers"]), "titles": tuple(data["titles"]),
            "caption": re.compile(data["captions"]), "place_suffixes": tuple(data["place_suffixes"]),
            "endings": tuple(label(w) for w in data["trailer_endings"]),
            "info": tuple(re.compile(p) for p in data["info_rows"]),
            "department_titles": tuple(data["department_titles"]), "content": data["content"],
            "dated_actual": tuple(data["dated_actual_words"]),
            "split": data["split_name_value"], "trailer_contains": tuple(data["trailer_contains"]),
            "goals": {k: frozenset(label(w) for w in v) for k, v in data["goals"].items()},
            "period_years": {k: frozenset(label(w) for w in v) for k, v in data["period_years"].items()},
            "shapes": tuple({k: (v if k == "field" else tuple(label(w) for w in v)) for k, v in shape.items()}
                            for shape in data["column_shapes"])}


_YEAR_PREFIX = re.compile(r"^(?:19|20)\d{2}年度?")
_BRACKETS = re.compile(r"\([^()]*\)")


@lru_cache(maxsize=1 << 14)
def fields_of(text: str) -> tuple[tuple[str, int], ...]:
    """(field, priority) of every column field whose vocabulary has this header; lower priority is better.

    A year in front (``2024年度指标值``) or a bracket (``指标值(2024年)``) does not hide a known header.

    >>> fields_of("2024年度指标值")[0][0], fields_of("指标值（2024年）")[0][0], fields_of("项目名称")
    ('annual_value', 'annual_value', ())
    """
    n = label(text)
    index = vocabulary()["index"]
    for candidate in (n, _YEAR_PREFIX.sub("", n), _BRACKETS.sub("", n)):
        if candidate in index:
            return tuple(index[candidate])
    return scrambled(n)


def scrambled(n: str) -> tuple[tuple[str, int], ...]:
    """The fields of the one header word of four or more characters whose characters these are in another
    order: OCR reads a header cell wrapped over two lines column by column (参考 / 分值 → ``考值参分``).

    >>> scrambled("考值参分")[0][0], scrambled("值分考参分"), scrambled("指标值")
    ('weight', (), ())
    """
    if len(n) < 4:
        return ()
    words = _anagrams().get("".join(sorted(n)), ())
    return tuple(vocabulary()["index"][words[0]]) if len(words) == 1 else ()


@cache
def _anagrams() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for w in vocabulary()["index"]:
        if len(w) >= 4:
            key = "".join(sorted(w))
            out[key] = (*out.get(key, ()), w)
    return out


SHAPE_PRIORITY = 50     # a header read by its shape (headers.yaml column_shapes) ranks after every vocabulary word


@lru_cache(maxsize=1 << 14)
def shaped_fields(text: str) -> tuple[tuple[str, int], ...]:
    """(field, priority) of a header the vocabulary does not have, by how it is built (headers.yaml ``column_shapes``).

    >>> [shaped_fields(t)[0][0] for t in ("三级绩效指标", "一级指标类型", "计划完成值", "标准分", "中期目标值", "目标(值)")]
    ['level3', 'level1', 'annual_value', 'weight', 'period_value', 'annual_value']
    >>> shaped_fields("项目名称") + shaped_fields("通过采购服务，完成年度目标") + shaped_fields("分解目标")
    ()
    """
    whole = label(text)
    for n in dict.fromkeys((_BRACKETS.sub("", whole) or whole, re.sub(r"[()]", "", whole))):
        for k, s in enumerate(() if len(n) > 12 or _SENTENCE.search(n) or meta_field(n) else vocabulary()["shapes"]):
            if (n in s.get("is", (n,)) and n.startswith(s.get("starts", ("",))) and n.endswith(s.get("ends", ("",)))
                    and any(w in n for w in s.get("contains", ("",)))
                    and not any(n.endswith(w) for w in s.get("not_ends", ()))):
                return ((s["field"], SHAPE_PRIORITY + k),)
    return ()


_DATED = re.compile(r"((?:19|20)\d{2})年?度?")


def dated(text: str) -> tuple[int, bool] | None:
    """(year, is an actual) for a column headed with a year (``2021年实际``, ``预期2022年``), else None.

    >>> dated("2021年实际"), dated("预期2022年"), dated("2022年目标值"), dated("指标值")
    ((2021, True), (2022, False), (2022, False), None)
    """
    n = label(text)
    m = _DATED.search(n)
    if not m:
        return None
    rest = n[:m.start()] + n[m.end():]
    if len(rest) > 8 or any(c.isdigit() for c in rest):
        return None
    return int(m.group(1)), any(w in rest for w in vocabulary()["dated_actual"])


MONEY_UNIT = re.compile(r"^(?:金额|资金)?单位[:：](?:人民币)?(?:万元|元)$")


def meta_field(text: str) -> str | None:
    """The project field a label names; a stamp note after it (``实施单位（盖章）``) does not hide it."""
    s = label(text)
    return vocabulary()["meta"].get(s) or vocabulary()["meta"].get(re.sub(r"\((?:盖章|签字|签章|公章)\)$", "", s))


def is_side_label(text: str) -> bool:
    return label(text) in vocabulary()["side"]


def context_of(text: str) -> str | None:
    """``period`` or ``annual`` when a header names the 中期 or 年度 group, else None."""
    s = label(text)
    if any(w in s for w in vocabulary()["period"]):
        return "period"
    if any(w in s for w in vocabulary()["annual"]):
        return "annual"
    return None


@dataclass
class Header:
    """Where the fields of an indicator row stand (0-based columns)."""

    l1: int
    l2: int
    l3: int
    slots: dict[str, int]                       # value-like field → column, in column order
    labels: dict[int, str] = field(default_factory=dict)   # column → header as written (for the report)
    rows: int = 1                               # header rows read
    no_level3: bool = False                     # no 三级 column: name and target share the 指标值 cell
    offsets: tuple[int, ...] | None = None      # display columns of the cells (text split at spaces)
    ignored: list[str] = field(default_factory=list)   # header cells not taken as any field
    fields: dict[int, tuple[str, int]] = field(default_factory=dict)  # column → (field, priority) by the words
    aside: dict[int, str] = field(default_factory=dict)   # column → why its cells are not read as a field
    keep: dict[int, str] = field(default_factory=dict)    # aside columns whose text goes into the note: → label
    level1_text: str = ""                        # the 一级 header as written (一级目标, 绩效目标…)
    row_meta: dict[int, str] = field(default_factory=dict)  # column → project field each row carries (项目名称…)
    no_value: bool = False                      # no target column at all (a 评价 table: 分值 and 评分标准 only)

    @property
    def has_levels(self) -> bool:
        """Whether the table has a 一级 or 二级 column at all (else levels come from section rows or nowhere)."""
        return self.l1 >= 0 or self.l2 >= 0


def _column_fields(upper: list[str], lower: list[str] | None) -> dict[int, tuple[str, int, str]]:
    """column → (field, priority, header text) for one header row or a pair of rows."""
    out: dict[int, tuple[str, int, str]] = {}
    width = max(len(upper), len(lower or []))
    group = ""
    for c in range(width):
        top = upper[c].strip() if c < len(upper) else ""
        low = (lower[c].strip() if lower and c < len(lower) else "")
        if lower is not None:
            group = top or (group if low else "")
            top = group
        text = top if top == low else "".join(t for t in (top, low) if t)
        if not text or is_side_label(text):
            continue
        cands = (fields_of(low) or ([("dated", 0)] if lower is not None and dated(low) else [])
                 or fields_of(top) or fields_of(text))
        ctx = context_of(top) or context_of(low) if lower is not None else context_of(text)
        if not cands and ctx:   # 中期目标 / 年度目标 / 实施期 as the header of a value column
            stripped = label(text)
            for w in vocabulary()[ctx]:
                stripped = stripped.replace(w, "")
            rest = stripped.replace("目标", "").replace("值", "")
            cands = fields_of("指标值") if rest in ("", "指标") else fields_of(stripped)
        if not cands and dated(low or text):
            cands = [("dated", 0)]
        if not cands:
            cands = shaped_fields(low) if lower is not None and low else ()
            cands = cands or shaped_fields(top) or shaped_fields(text)
        if not cands:
            out[c] = ("", 99, text)
            continue
        f, prio = cands[0]
        if ctx == "period" and f in ("annual_value", "period_value"):
            f = "period_value"
        elif ctx == "period" and f == "level3":
            f = "period_level3"
        elif ctx == "annual" and f == "period_value":
            f = "annual_value"
        out[c] = (f, prio, text)
    return out


def _left_of_names(cols: dict[int, tuple[str, int, str]]) -> dict[int, tuple[str, int, str]]:
    """Values stand right of the indicator names: a value column known only by its shape (``自评权重``) left of
    the 三级 column ranks after one of the same field right of it (``标准分``)."""
    leaf = [c for c, (f, _p, _t) in cols.items() if f == "level3"]
    if not leaf:
        return cols
    return {c: (f, p + SHAPE_PRIORITY if f in VALUE_FIELDS and p >= SHAPE_PRIORITY and c < min(leaf) else p, t)
            for c, (f, p, t) in cols.items()}


def _assign(cols: dict[int, tuple[str, int, str]]) -> dict[str, int] | None:
    """Field → column, one column per field: the better-ranked header wins; the rest become descriptions."""
    chosen: dict[str, tuple[int, int]] = {}
    for c, (f, prio, _t) in sorted(cols.items()):
        if not f:
            continue
        if f in chosen and chosen[f][1] <= prio:
            if f == "annual_value" and "period_value" not in chosen and chosen[f][1] == prio:
                chosen["period_value"] = chosen[f]     # two equal 指标值 columns: 实施周期, then 当年度
                chosen[f] = (c, prio)
            elif f == "annual_value" and "description" not in chosen:
                chosen["description"] = (c, prio)
            continue
        if f in chosen and f == "annual_value" and "description" not in chosen:
            chosen["description"] = chosen[f]
        chosen[f] = (c, prio)
    return {f: c for f, (c, _p) in chosen.items()}


ROW_META_NAMES = {"project": "项目名称", "department": "主管部门", "unit": "实施单位", "budget": "预算金额",
                  "annual_goal": "年度目标", "period_goal": "实施周期目标"}


def row_meta_field(text: str) -> str | None:
    """The project field a header cell left of the indicator columns names (单位名称, 项目名称, 预算数, 年度目标):
    each row below carries it (several projects listed under one header).

    >>> row_meta_field("项目名称"), row_meta_field("预算数"), row_meta_field("年度目标"), row_meta_field("三级指标")
    ('project', 'budget', 'annual_goal', None)
    """
    fld = meta_field(text)
    if fld:
        return fld
    n = label(text)
    if any(w in n for w in vocabulary()["funds"]["labels"]):
        return "budget"
    kind = goal_label(text)[0]
    return "annual_goal" if kind == "section" else f"{kind}_goal" if kind in ("period", "annual") else None


def _row_meta(upper: list[str], cols: dict[int, tuple[str, int, str]]) -> dict[int, str]:
    """Columns left of every name column whose header names project information (several projects under one header)."""
    names = [c for c, (f, _p, _t) in cols.items() if f in NAME_FIELDS]
    if not names:
        return {}
    out = {}
    for c, t in enumerate(upper[:min(names)]):
        fld = row_meta_field(t) if t and t.strip() else None
        if fld:
            out[c] = fld
    return out if any(f == "project" for f in out.values()) else {}


def header_of(upper: list[str], lower: list[str] | None = None) -> Header | None:
    """The header in one row (or two), or None when the row is no indicator header. Project information
    in the header row (项目名称 | 预算数 | 一级指标 | …) is read from every row when it stands left of the names."""
    cols = _left_of_names(_column_fields(upper, lower))
    row_meta = _row_meta(upper, cols)
    for c in row_meta:
        cols.pop(c, None)
    found = _assign(cols)
    for c, (f, _p, text) in sorted(cols.items()):   # a header word of two fields takes the other when one is taken
        if f and c not in found.values():
            alt = next((g for g, _q in fields_of(text)[1:] if g not in found), None)
            if alt:
                found[alt] = c
                cols[c] = (alt, _p, text)
    no_value = bool(found) and not ({"annual_value", "period_value", "dated"} & set(found))
    if not found or (no_value and not _rating_only(found)):
        return None
    last_name = max((found[f] for f in NAME_FIELDS if f in found), default=-1)   # 责任单位 right of the names: a column
    if not (set(NAME_FIELDS) & set(found)) or any(meta_field(t) for c, t in enumerate(upper)
                                                  if t and t.strip() and c not in row_meta and c < last_name):
        return None
    if not ({"level1", "level2"} & set(found)) and ("level3" not in found or len(found) < 2):
        return None
    if "annual_value" not in found and not no_value:
        found["annual_value"] = found.pop("period_value") if "period_value" in found else found["dated"]
    l3 = found.get("level3")
    no_level3 = l3 is None
    if no_level3:
        l3 = found["annual_value"]
    l1 = found.get("level1", found["level2"] - 1 if "level2" in found else -1)
    l2 = found.get("level2", (l1 + l3) // 2 if l1 >= 0 else -1)
    slots = {f: c for f, c in found.items() if f in VALUE_FIELDS and not (no_level3 and f == "annual_value")}
    labels = {c: t for c, (_f, _p, t) in cols.items()}
    used = set(found.values())
    ignored = [t for c, (_f, _p, t) in sorted(cols.items()) if c not in used]
    labels.update({c: upper[c].strip() for c in row_meta})
    aside = {c: f"每一行所属项目的{ROW_META_NAMES.get(f, '项目信息')}，按行读取" for c, f in row_meta.items()}
    return Header(l1, l2, l3, dict(sorted(slots.items(), key=lambda kv: kv[1])), labels,
                  rows=2 if lower is not None else 1, no_level3=no_level3, ignored=ignored,
                  fields={c: (f, p) for c, (f, p, _t) in cols.items() if f}, aside=aside, row_meta=row_meta,
                  no_value=no_value)


def _rating_only(found: dict[str, int]) -> bool:
    """A 评价 table (部门整体 自评: 一级 | 二级 | 三级 | 指标分值 | 评分标准 | 自评得分) has no target column:
    a header with every level of name and a 分值 or 评分标准 column is still the indicator header."""
    return "level3" in found and bool({"level1", "level2"} & set(found)) and bool({"weight", "criteria"} & set(found))


_SENTENCE = re.compile(r"[，,。；;！!？?]")


def is_subheader(cells: list[str]) -> bool:
    """A row made only of header words (the second row of a two-row header). A cell naming the 中期/年度 group
    is a short label: a goal written out (``…，服务周期2023.07-2024.01，…``) is no header word.

    >>> is_subheader(["本年度绩效目标", "通过采购服务，服务周期2023.07-2024.01，空气质量优良"])
    False
    """
    words = [t for t in cells if t and t.strip()]
    return bool(words) and all(fields_of(t) or (context_of(t) and len(label(t)) <= 20 and not _SENTENCE.search(t))
                               or dated(t) for t in words)


def find_header(cells: list[str], below: list[str] | None) -> Header | None:
    """The header starting at this row: two rows when the next row is a sub-header, else this row alone."""
    grouped = sum(bool(t and t.strip()) for t in cells) > 1   # a lone word (单位 | | …) groups no columns
    if below is not None and grouped and is_subheader(below) and is_subheader(cells):
        hdr = header_of(cells, below)
        if hdr is not None:
            return hdr
    hdr = header_of(cells)
    if hdr is None and below is not None:
        joined = wrapped_header(cells, below)
        if joined is not None:
            hdr = header_of(joined)
            if hdr is not None:
                hdr.rows = 2
                hdr.labels = {c: joined[c] for c in hdr.labels if c < len(joined)} | {
                    c: t for c, t in hdr.labels.items() if c >= len(joined)}
    return hdr


def wrapped_header(cells: list[str], below: list[str]) -> list[str] | None:
    """A header whose cells wrapped onto the next line in extracted text (``三级指标 年度 实际 分值`` over
    ``指标值 完成值``): the next line's words, in order, end the cells the vocabulary does not know, and each
    joined cell is a header word. Returns the joined cells, or None.

    >>> wrapped_header(["三级指标", "年度", "实际", "分值"], ["指标值", "完成值"])
    ['三级指标', '年度指标值', '实际完成值', '分值']
    >>> wrapped_header(["三级指标", "年度", "分值"], ["指标值", "完成值"]) is None
    True
    """
    tails = [t.strip() for t in below if t and t.strip()]
    open_ = [c for c, t in enumerate(cells) if t and t.strip() and not fields_of(t) and not is_side_label(t)
             and len(label(t)) <= 6]
    if not tails or len(tails) != len(open_) or len(tails) * 2 > sum(bool(t and t.strip()) for t in cells):
        return None
    out = list(cells)
    for c, tail in zip(open_, tails, strict=True):
        out[c] = cells[c].strip() + tail
        if not fields_of(out[c]):
            return None
    return out


_GOAL_YEAR = re.compile(r"^((?:19|20)\d{2})年度?(.+)$")


def goal_label(text: str) -> tuple[str | None, int | None]:
    """Which goal a label introduces (``section``, ``period``, ``annual``, ``done``) and the year it names.

    >>> goal_label("2023年度目标"), goal_label("中期目标（2024年—2026年）"), goal_label("按时完成")
    (('annual', 2023), ('period', None), (None, None))
    """
    n = re.sub(r"\(.*?\)", "", label(text))
    year = None
    m = _GOAL_YEAR.match(n)
    if m:
        year, n = int(m.group(1)), "年度" + m.group(2)
    kind = next((k for k, words in vocabulary()["goals"].items() if n in words), None)
    return kind, (year if kind else None)

