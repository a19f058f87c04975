"""Import 绩效目标表 documents into targets data, repairing what extraction breaks.

Sources: the text extracted from a PDF (tables headed ``# 项目绩效目标表``, tab-separated cells)
and Excel workbooks (.xlsx, the same table with merged cells). Both become rows of cells
(:class:`Row`); everything after that is a pure function of the rows.

Repairs are made by meaning, never by column position alone: a cell is recognised as a
一级/二级 name from the vocabulary in :mod:`scoring.language.levels` wherever it stands; the remaining
cells of an indicator row are the 三级 name followed by its values, placed into the value
columns by order and by their distance to the header's columns. Every repair is recorded as a
:class:`Repair` (the source line, what moved where, why); what cannot be decided is recorded
with ``review=True`` so that a person checks it, and is never guessed silently.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scoring.findings import ScoreError, place
from scoring.language import levels
from scoring.language.normalize import clean, squeeze
from scoring.targets.ids import indicator_key, new_indicator_id, new_project_id, project_key
from scoring.targets.model import HAND_FIX, REVIEWED, Targets, fmt_weight, indicators_frame, projects_frame

# ---------------------------------------------------------------------------------------------
# rows and repairs
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of a source document: its cells as written, and where it is."""

    file: str
    line: int
    cells: tuple[str, ...]
    sheet: str | None = None

    @property
    def where(self) -> str:
        return place(self.file, self.sheet, f"第{self.line}行")

    @property
    def ref(self) -> str:
        """The ``source`` stored with each record: ``file:line`` or ``file:sheet:line``."""
        return f"{self.file}:{self.sheet}:{self.line}" if self.sheet else f"{self.file}:{self.line}"

    @property
    def text(self) -> str:
        return " ⇥ ".join(c.strip() for c in self.cells).rstrip(" ⇥")


KIND_NAMES = {
    "latex": "LaTeX 还原", "markup": "去除标记", "split": "拆开的名称", "shift": "错位归位",
    "carry": "沿用上方名称", "skip": "跳过空行", "infer": "按名称推定", "missing": "缺少指标值",
    "extra": "多余单元格", "ambiguous": "无法判定", "unknown": "未知名称", "meta": "项目信息",
    "goal": "绩效目标", "duplicate": "重复指标", "kept": "保留人工修正", "encoding": "编码",
}


@dataclass(frozen=True)
class Repair:
    """One thing the importer changed or could not decide."""

    where: str
    project: str
    kind: str
    message: str
    source: str = ""
    review: bool = False  # True: a person must check this against the original document

    def render(self) -> str:
        tag = "需核对" if self.review else "修复"
        head = f"[{tag}·{KIND_NAMES.get(self.kind, self.kind)}] {self.where}：{self.message}"
        return head + (f"\n    原文：{self.source}" if self.source else "")


@dataclass
class ImportResult:
    targets: Targets
    repairs: list[Repair] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)

    @property
    def review_count(self) -> int:
        return sum(r.review for r in self.repairs)


def _norm_label(text: str) -> str:
    """A metadata label for matching: no markup or whitespace, half-width parentheses."""
    return squeeze(text).replace("（", "(").replace("）", ")").replace("：", "").replace(":", "")


# ---------------------------------------------------------------------------------------------
# reading sources (the only functions that touch files)
# ---------------------------------------------------------------------------------------------

def read_rows(path: str | Path) -> tuple[list[Row], list[str]]:
    """The rows of a source document, and notes on how it was read (encoding)."""
    path = Path(path)
    if not path.is_file():
        raise ScoreError("找不到文件", where=str(path))
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        if path.suffix.lower() in (".docx", ".doc"):
            raise ScoreError("这是 Word 文件，不能直接导入", where=str(path),
                             hint="把其中的绩效目标表复制到 Excel 另存为 .xlsx，或导出为文本后再导入")
        return xlsx_rows(path), []
    if data[:5] == b"%PDF-":
        raise ScoreError("这是 PDF 原件，不能直接导入", where=str(path),
                         hint="先提取 PDF 中的表格文本（每张表以“# 项目绩效目标表”开头、单元格以制表符分隔），再导入提取出的文本")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ScoreError("这是旧版 Excel/Word（.xls/.doc）文件", where=str(path), hint="在 Excel 中另存为 .xlsx 后再导入")
    return text_rows(data, path.name)


def text_rows(data: bytes, name: str) -> tuple[list[Row], list[str]]:
    notes: list[str] = []
    if b"\x00" in data[:65536] or _binary(data[:65536]):
        raise ScoreError("不是文本文件（像是二进制文件），无法读取", where=place(name, "第1行"),
                         hint="导入 PDF 提取出的文本（.txt）或 Excel 工作簿（.xlsx）")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("gb18030")
            notes.append("文件不是 UTF-8 编码，按 GB18030（GBK）读取")
        except UnicodeDecodeError:
            line = data[: exc.start].count(b"\n") + 1
            raise ScoreError("文件编码无法识别（既不是 UTF-8 也不是 GBK）", where=place(name, f"第{line}行"),
                             hint="用文本编辑器另存为 UTF-8 编码") from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [Row(name, i, tuple(line.split("\t"))) for i, line in enumerate(lines, 1)], notes


def _binary(chunk: bytes) -> bool:
    if not chunk:
        return False
    controls = sum(1 for b in chunk if b < 32 and b not in (9, 10, 13, 12))
    return controls > max(8, len(chunk) // 100)


def xlsx_rows(path: Path) -> list[Row]:
    """Rows of every sheet; a merged cell's value is filled from its top-left cell down its rows.

    Across the columns of a merged range the value is written once (in its first column), as
    PDF extraction does: a 二级 name merged over the 三级 column is not repeated as a 三级 name.
    """
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:
        raise ScoreError(f"无法打开 Excel 工作簿：{type(exc).__name__}", where=str(path),
                         hint="确认文件是 .xlsx 格式且没有损坏、没有加密") from None
    rows: list[Row] = []
    for ws in wb.worksheets:
        grid = [[_cell_text(c) for c in r] for r in ws.iter_rows()]
        for rng in ws.merged_cells.ranges:
            top = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_row - 1 < len(grid) else ""
            for r in range(rng.min_row, rng.max_row + 1):
                if r - 1 >= len(grid):
                    continue
                row = grid[r - 1]
                for c in range(rng.min_col, rng.max_col + 1):
                    if c - 1 < len(row):
                        row[c - 1] = top if c == rng.min_col else ""
        for i, cells in enumerate(grid, 1):
            rows.append(Row(path.name, i, tuple(cells), sheet=ws.title))
    return rows


def _cell_text(cell) -> str:
    """An Excel cell as the text a person sees: 0.95 formatted as a percent reads ``95%``."""
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, dt.datetime | dt.date):
        return f"{v.year}年{v.month}月{v.day}日"
    if isinstance(v, int | float):
        fmt = cell.number_format or ""
        if "%" in fmt:
            return fmt_weight(round(v * 100, 10)) + "%"
        return fmt_weight(float(v))
    return str(v)


# ---------------------------------------------------------------------------------------------
# table structure
# ---------------------------------------------------------------------------------------------

META_LABELS = {
    "项目名称": "project", "项目类型": "type", "项目等级": "level", "项目级次": "level", "项目级别": "level",
    "主管部门": "department", "主管单位": "department", "用款单位": "unit", "实施单位": "unit",
    "项目单位": "unit", "预算单位": "unit", "项目实施单位": "unit", "实施周期": "period", "项目周期": "period",
}
_BUDGET = re.compile(r"^(?:(\d{4})年度?)?(?:项目)?(?:预算金额|预算资金|预算数|资金总额|年度预算|预算)\((元|万元)\)$"
                     r"|^(?:(\d{4})年度?)(?:项目)?(?:预算金额|预算资金|预算数|资金总额)$")
_GOALS = ("总体绩效目标", "总体目标", "绩效目标", "年度总体目标")
_PERIOD_GOAL = re.compile(r"^(?:实施周期总?目标|总目标|中长期目标|实施周期目标)$")
_ANNUAL_GOAL = re.compile(r"^(?:(\d{4})年度?|年度|当年度|本年度)(?:总体)?(?:绩效)?目标$")
_HEADING = re.compile(r"绩效目标(?:申报|批复|审核)?表")
_PAGE = re.compile(r"^(?:第\s*\d+\s*页.*|-\s*\d+\s*-|\d+\s*/\s*\d+|Page\s*\d+.*)$", re.I)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")

SLOT_NAMES = {"level3": "三级指标", "period_value": "实施周期指标值", "annual_value": "当年度指标值",
              "weight": "分值", "note": "备注"}
_VALUE_HEADERS = {
    "period_value": ("实施周期指标值", "周期指标值", "中长期指标值", "实施期指标值", "总体指标值"),
    "annual_value": ("当年度指标值", "年度指标值", "本年度指标值", "当年指标值", "指标值"),
    "weight": ("分值", "权重", "指标分值", "权重(%)", "分值(分)"),
    "note": ("备注", "说明", "指标说明", "备注说明"),
}


@dataclass
class Header:
    """Columns of the indicator header (0-based)."""

    l1: int
    l2: int
    l3: int
    slots: dict[str, int]  # period_value / annual_value / weight / note → column


def _nonempty(row: Row) -> list[tuple[int, str]]:
    return [(c, t.strip()) for c, t in enumerate(row.cells) if t and t.strip()]


def _is_heading(row: Row) -> bool:
    """A table's title: ``# 项目绩效目标表`` (Markdown from extraction) or a lone title cell."""
    cells = _nonempty(row)
    if not cells or len(cells) > 1:
        return False
    first = cells[0][1]
    return bool(_HEADING.search(squeeze(first))) and _meta_field(first) is None


def _is_other_heading(row: Row) -> bool:
    """A Markdown heading that is not a table title (``# 附件2``): it ends the current table."""
    cells = _nonempty(row)
    return len(cells) == 1 and cells[0][0] == 0 and cells[0][1].startswith("#") and not _is_heading(row)


def _meta_field(text: str) -> str | None:
    n = _norm_label(text)
    if n in META_LABELS:
        return META_LABELS[n]
    if _BUDGET.match(n):
        return "budget"
    return None


def _header(row: Row) -> Header | None:
    cols = {_norm_label(t): c for c, t in _nonempty(row)}
    if "一级指标" not in cols or "三级指标" not in cols:
        return None
    l1, l3 = cols["一级指标"], cols["三级指标"]
    l2 = cols.get("二级指标", (l1 + l3) // 2)
    slots: dict[str, int] = {}
    for slot, names in _VALUE_HEADERS.items():
        for name in names:
            if name in cols and cols[name] > l3 and cols[name] not in slots.values():
                slots[slot] = cols[name]
                break
    if "annual_value" not in slots:
        return None
    return Header(l1, l2, l3, dict(sorted(slots.items(), key=lambda kv: kv[1])))


def split_tables(rows: Sequence[Row]) -> list[list[Row]]:
    """Tables in document order: a table starts at a heading or at a second 项目名称 row."""
    tables: list[list[Row]] = []
    current: list[Row] | None = None
    has_name = False
    for row in rows:
        if _is_heading(row):
            current = [row]
            tables.append(current)
            has_name = False
            continue
        if _is_other_heading(row):
            current = None
            continue
        cells = _nonempty(row)
        if cells and _meta_field(cells[0][1]) == "project":
            if current is None or has_name:
                current = []
                tables.append(current)
            has_name = True
        if current is not None:
            current.append(row)
    return tables


# ---------------------------------------------------------------------------------------------
# one table
# ---------------------------------------------------------------------------------------------

@dataclass
class _State:
    l1: str | None = None
    l2: str | None = None
    l1_row: int | None = None


class _Table:
    """Parses one table's rows into a project record and indicator records, noting repairs."""

    def __init__(self, rows: list[Row], year: int):
        self.rows = rows
        self.year = year
        self.project: dict[str, object] = {}
        self.indicators: list[dict[str, object]] = []
        self.repairs: list[Repair] = []
        self.header: Header | None = None
        self.state = _State()
        self.carried: list[int] = []

    # -- recording ------------------------------------------------------------------------
    def note(self, row: Row | None, kind: str, message: str, review: bool = False, source: bool = True) -> None:
        rep = Repair(row.where if row else "", str(self.project.get("project", "")), kind, message,
                     row.text if (row and source) else "", review)
        if rep not in self.repairs[-4:]:  # the same LaTeX in the period and annual cells: once
            self.repairs.append(rep)

    def cleaned(self, row: Row) -> list[tuple[int, str]]:
        out = []
        for c, raw in enumerate(row.cells):
            if not raw or not raw.strip():
                continue
            text, notes = clean(raw)
            for n in notes:
                self.note(row, "latex" if "LaTeX" in n else "markup", n, review="无法还原" in n)
            if text:
                out.append((c, text))
        return out

    # -- driver ---------------------------------------------------------------------------
    def parse(self) -> None:
        section = "meta"
        goal_mode: str | None = None
        goals: dict[str, list[str]] = {"period_goal": [], "annual_goal": []}
        heading = self.rows[0]
        for idx, row in enumerate(self.rows):
            if not _nonempty(row) or (idx == 0 and _is_heading(row)):
                continue
            if section != "indicators":
                header = _header(row)
                if header:
                    self.header = header
                    section = "indicators"
                    continue
            if section == "indicators":
                self.indicator_row(row, idx)
                continue
            cells = self.cleaned(row)
            if not cells:
                continue
            first = _norm_label(cells[0][1])
            fld = _meta_field(cells[0][1])
            if fld and section in ("meta", "goals"):
                self.meta_row(row, fld, cells)
                continue
            if first in _GOALS or section == "goals":
                section = "goals"
                for _c, text in cells:
                    n = _norm_label(text)
                    if n in _GOALS:
                        continue
                    if _PERIOD_GOAL.match(n):
                        goal_mode = "period_goal"
                        continue
                    m = _ANNUAL_GOAL.match(n)
                    if m:
                        goal_mode = "annual_goal"
                        y = m.group(1)
                        if y and int(y) != self.year:
                            self.note(row, "goal", f"年度目标标注的是{y}年度，与导入年度{self.year}不同；按原文导入",
                                      review=True)
                        continue
                    if goal_mode is None:
                        goal_mode = "annual_goal"
                        self.note(row, "goal", "总体绩效目标没有分“实施周期总目标”和“年度目标”，这段文字按年度目标导入",
                                  review=True)
                    goals[goal_mode].append(text)
                continue
            self.note(row, "skip", "这一行不是已知的项目信息，也不在绩效目标或指标部分，未导入", review=True)
        if not self.project.get("project"):
            raise ScoreError("这张绩效目标表没有“项目名称”", where=heading.where,
                             hint="检查提取的文本：每张表应有一行“项目名称<TAB>名称”")
        self.project["period_goal"] = "".join(goals["period_goal"])
        self.project["annual_goal"] = "".join(goals["annual_goal"])
        if self.header is None:
            self.note(heading, "missing", "这张表没有指标表头（一级指标/二级指标/三级指标/指标值），没有导入任何指标",
                      review=True, source=False)
        for fld, label in (("type", "项目类型"), ("department", "主管部门"), ("unit", "用款单位")):
            if not self.project.get(fld):
                self.note(heading, "meta", f"没有找到“{label}”", review=True, source=False)
        if self.project.get("budget") is None:
            self.note(heading, "meta", f"没有找到{self.year}年预算金额", review=True, source=False)
        if self.carried:
            lines = "、".join(str(n) for n in self.carried)
            self.repairs.append(Repair(place(heading.file, heading.sheet, "指标部分"), str(self.project["project"]),
                                       "carry", f"这些行没有写一级/二级指标，沿用上方的名称（合并单元格）：第{lines}行"))
        self._duplicates()

    # -- metadata -------------------------------------------------------------------------
    def meta_row(self, row: Row, fld: str, cells: list[tuple[int, str]]) -> None:
        values = [t for _c, t in cells[1:]]
        if fld == "period":
            self.period_row(row, values)
            return
        if fld == "budget":
            self.budget_row(row, cells[0][1], values)
            return
        value = next((v for v in values if v), "")
        if len(set(values)) > 1 and fld != "project":
            self.note(row, "extra", f"“{cells[0][1]}”后面有多个单元格，取第一个“{value}”", review=True)
        if fld == "project" and len(set(values)) > 1:
            self.note(row, "extra", f"项目名称后面有多个单元格，取第一个“{value}”", review=True)
        self.project[fld] = value
        if fld == "project":
            self.project["source"] = row.ref
            if not value:
                raise ScoreError("“项目名称”后面是空的", where=row.where, hint="补上项目名称后重新导入")

    def period_row(self, row: Row, values: list[str]) -> None:
        start = end = None
        for i, v in enumerate(values):
            n = _norm_label(v)
            nxt = values[i + 1] if i + 1 < len(values) else ""
            if n in ("起始年度", "开始年度", "起始年份", "开始年份") and _YEAR.search(nxt):
                start = int(_YEAR.search(nxt).group(1))
            elif n in ("到期年度", "结束年度", "终止年度", "截止年度", "到期年份", "结束年份") and _YEAR.search(nxt):
                end = int(_YEAR.search(nxt).group(1))
        if start is None or end is None:
            years = [int(y) for v in values for y in _YEAR.findall(v)]
            if start is None and years:
                start = years[0]
            if end is None and len(years) > 1:
                end = years[-1]
        if start is None or end is None:
            self.note(row, "meta", "实施周期读不全（起始或到期年度缺失）", review=True)
        self.project["start_year"], self.project["end_year"] = start, end

    def budget_row(self, row: Row, label: str, values: list[str]) -> None:
        m = _BUDGET.match(_norm_label(label))
        year = m.group(1) or m.group(3)
        unit = m.group(2) or "元"
        if year and int(year) != self.year:
            raise ScoreError(f"预算金额是{year}年的，与导入年度 {self.year} 不一致", where=row.where,
                             hint=f"确认导入的是 {self.year} 年的绩效目标表，或用 --year {year}")
        text = next((v for v in values if v), "")
        number = re.sub(r"[,，\s元]", "", text)
        try:
            amount = float(number)
        except ValueError:
            self.note(row, "meta", f"预算金额“{text}”不是数字，未导入", review=True)
            return
        if unit == "万元":
            amount *= 10000
            self.note(row, "meta", f"预算金额单位是万元，{text} 万元换算为 {fmt_weight(amount)} 元")
        if "budget" in self.project:
            self.note(row, "extra", "这张表有两行预算金额，取后一行", review=True)
        self.project["budget"] = amount

    # -- indicators -----------------------------------------------------------------------
    def indicator_row(self, row: Row, idx: int) -> None:
        hdr = self.header
        assert hdr is not None
        cells = [(c, t) for c, t in self.cleaned(row) if squeeze(t) != "绩效指标"]
        if not cells:
            return
        items = self._join_split_labels(row, cells)
        # Labels lead the row; the first content cell is the 三级 name; the rest are values.
        k = next((i for i, it in enumerate(items) if it[2] is None), len(items))
        later = [j for j in range(k, len(items)) if items[j][2] is not None]
        if later:
            self._content_before_label(row, items, k, later[0])
            items = [(c, t, None) if i >= k else (c, t, lab) for i, (c, t, lab) in enumerate(items)]
        labels, content = items[:k], [(c, t) for c, t, _ in items[k:]]
        if not labels and len(content) == 1 and (content[0][0] < hdr.l1 or _PAGE.match(content[0][1])):
            self.note(row, "skip", f"“{content[0][1]}”不像指标行（只有一个单元格，且在指标列之外），未导入", review=True)
            return
        content = self._unknown_label(row, labels, content)
        l1_here, l2_here, shift = self._levels(row, idx, labels)
        if not content:
            if l2_here:
                self.note(row, "skip", f"二级指标“{self.state.l2}”下没有三级指标，跳过（不生成指标）")
            elif l1_here:
                self.note(row, "skip", f"一级指标“{self.state.l1}”这一行没有三级指标，跳过（不生成指标）")
            return
        if self.state.l1 is None:
            raise ScoreError("这一行之前没有一级指标，无法判断指标属于哪个一级指标", where=row.where,
                             hint=f"在这一行写上一级指标（{'、'.join(levels.LEVEL1)}）后重新导入")
        if not (l1_here and l2_here):
            self.carried.append(row.line)
        record = self._place_values(row, content, shift)
        if self.state.l2 is None:
            self.note(row, "missing", f"指标“{record['level3']}”没有二级指标", review=True)
        record.update(project=self.project.get("project", ""), level1=self.state.l1, level2=self.state.l2 or "",
                      source=row.ref)
        self.indicators.append(record)

    def _join_split_labels(self, row: Row, cells: list[tuple[int, str]]) -> list[tuple[int, str, str | None]]:
        items: list[tuple[int, str, str | None]] = []
        i = 0
        while i < len(cells):
            c, t = cells[i]
            lab = levels.canonical(t)
            if i + 1 < len(cells):
                t2 = cells[i + 1][1]
                joined = levels.canonical(t + t2)
                if joined and levels.canonical(t2) is None and (lab is None or squeeze(t2) in ("指标", "标")):
                    self.note(row, "split", f"名称被拆在两格（第{c + 1}列“{t}”、第{cells[i + 1][0] + 1}列“{t2}”），"
                                            f"按“{joined}”读取")
                    items.append((c, joined, joined))
                    i += 2
                    continue
            if lab and t != lab:
                why = "被拆开（提取时插入了换行/空格）" if squeeze(t) == lab else "是词表中的别名"
                self.note(row, "split", f"名称“{t}”{why}，按“{lab}”读取")
            items.append((c, lab or t, lab))
            i += 1
        return items

    def _content_before_label(self, row: Row, items, k: int, j: int) -> None:
        _c, t, _ = items[k]
        lab = items[j][2]
        if levels.looks_like_label(t) and not any(levels.is_level1(it[2] or "") for it in items[:k]) \
                and lab in levels.ALL_LEVEL2 and lab not in levels.AMBIGUOUS:
            raise ScoreError(f"未知的一级指标名称“{t}”", where=row.where,
                             hint=f"一级指标只能是：{'、'.join(levels.LEVEL1)}；其他写法请加到 scoring/levels.py 的词表")
        if levels.looks_like_label(t):
            raise ScoreError(f"无法识别的指标层级名称“{t}”（它写在“{lab}”的前面）", where=row.where,
                             hint="改成词表中的一级/二级指标名称，或把这个写法加到 scoring/levels.py 的词表")
        self.note(row, "ambiguous", f"“{lab}”写在三级指标“{t}”之后，不当作层级名称，按原文作为内容", review=True)

    def _unknown_label(self, row: Row, labels, content: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """A label-shaped cell not in the vocabulary, standing where a level name stands."""
        hdr = self.header
        if not content or not levels.looks_like_label(content[0][1]):
            return content
        c, t = content[0]
        value_slots = len(hdr.slots)
        label_only = len(content) == 1
        too_many = len(content) > value_slots + 1
        if not (label_only or too_many) or c >= hdr.l3:
            return content
        if c <= hdr.l1 and not any(levels.is_level1(lab) for _c, _t, lab in labels):
            raise ScoreError(f"未知的一级指标名称“{t}”", where=row.where,
                             hint=f"一级指标只能是：{'、'.join(levels.LEVEL1)}；其他写法请加到 scoring/levels.py 的词表")
        name = squeeze(t)
        self.note(row, "unknown", f"“{t}”不在二级指标词表中，按原文作为二级指标", review=True)
        self.state.l2 = name
        return content[1:]

    def _levels(self, row: Row, idx: int, labels) -> tuple[bool, bool, int | None]:
        """Apply the row's 一级/二级 names to the carried state; return which were present and the shift."""
        hdr = self.header
        l1_here = l2_here = False
        shift: int | None = None
        names = [lab for _c, _t, lab in labels]
        for pos, (c, _t, lab) in enumerate(labels):
            nxt = names[pos + 1] if pos + 1 < len(names) else None
            role = self._role(lab, nxt, idx)
            if role == 1:
                if l1_here:
                    self.note(row, "ambiguous", f"一行里有两个一级指标名称，取后一个“{lab}”", review=True)
                self.state.l1, self.state.l2 = lab, None
                l1_here = True
                expected = hdr.l1
            else:
                parent = levels.PARENT.get(lab)
                if lab in levels.AMBIGUOUS:
                    parent = self.state.l1 if self.state.l1 and levels.level2_fits(self.state.l1, lab) else "产出指标"
                if self.state.l1 != parent and parent:
                    if l1_here:
                        self.note(row, "ambiguous", f"二级指标“{lab}”不属于一级指标“{self.state.l1}”，"
                                                    f"按二级指标名称改为“{parent}”", review=True)
                    elif self.state.l1 is None:
                        self.note(row, "infer", f"没有一级指标，按二级指标“{lab}”推定为“{parent}”")
                    else:
                        self.note(row, "infer", f"二级指标“{lab}”不属于上方的一级指标“{self.state.l1}”，"
                                                f"一级指标按名称推定为“{parent}”")
                    self.state.l1 = parent
                self.state.l2 = lab
                l2_here = True
                expected = hdr.l2
            shift = c - expected
            if c != expected:
                level = "一级" if role == 1 else "二级"
                self.note(row, "shift", f"{level}指标“{lab}”位于第{c + 1}列（{self._col_name(c)}），"
                                        f"应在第{expected + 1}列，按名称归位")
        return l1_here, l2_here, shift

    def _role(self, lab: str, nxt: str | None, idx: int) -> int:
        """1 for a 一级 name, 2 for a 二级 name; 成本指标 is either, decided by what follows it."""
        if lab not in levels.AMBIGUOUS:
            return 1 if levels.is_level1(lab) else 2
        if nxt and levels.level2_fits(lab, nxt):
            return 1
        if nxt and levels.is_level2(nxt):
            return 1 if not levels.level2_fits(self.state.l1 or "", lab) else 2
        if self.state.l1 and levels.level2_fits(self.state.l1, lab):
            return 2
        # Look ahead: a 一级 成本指标 is followed by its own 二级 names (经济成本指标…).
        for row in self.rows[idx + 1:]:
            for _c, t in _nonempty(row):
                n = levels.canonical(t)
                if n and n != lab:
                    return 1 if levels.level2_fits(lab, n) else 2
        return 2

    def _col_name(self, c: int) -> str:
        hdr = self.header
        names = {hdr.l1: "一级指标列", hdr.l2: "二级指标列", hdr.l3: "三级指标列"}
        names.update({col: f"{SLOT_NAMES[s]}列" for s, col in hdr.slots.items()})
        return names.get(c, "表外的列" if c > max(names) else "“绩效指标”列" if c < hdr.l1 else "空列")

    def _place_values(self, row: Row, content: list[tuple[int, str]], shift: int | None) -> dict[str, object]:
        """Put the row's content cells into 三级 name and value columns (see :func:`place_values`)."""
        hdr = self.header
        rec: dict[str, object] = {"level3": "", "period_value": "", "annual_value": "", "weight": None, "note": ""}
        slots = list(hdr.slots.items())  # [(slot, col)] in column order
        first_value_col = min(col for _s, col in slots)
        name_c, name = content[0]
        values = content[1:]
        if name_c >= first_value_col + (shift or 0) and len(content) <= len(slots) and len(content) < 3:
            # The first cell stands in a value column: the 三级 name is missing, not this cell.
            self.note(row, "missing", "这一行没有三级指标名称（第一个单元格在指标值列），请对照原件补上", review=True)
            name, values = "", content
        else:
            rec["level3"] = name
            if name_c != hdr.l3:
                self.note(row, "shift", f"三级指标“{name}”位于第{name_c + 1}列（{self._col_name(name_c)}），"
                                        f"应在第{hdr.l3 + 1}列，按内容顺序归入三级指标")
        displaced = (shift not in (None, 0)) or (bool(rec["level3"]) and name_c != hdr.l3)
        shifts = [shift] if shift is not None else sorted({0, name_c - hdr.l3})
        assignment, extras, tie = place_values(values, slots, shifts, displaced)
        moved = []
        for (c, text), slot in assignment:
            if slot == "weight":
                w = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*分?\s*", text)
                if not w:
                    self.note(row, "ambiguous", f"分值“{text}”不是数字，移到备注", review=True)
                    extras.append((c, text))
                    continue
                rec["weight"] = float(w.group(1))
            else:
                rec[slot] = text
            if c != hdr.slots[slot]:
                moved.append(f"“{text}”从第{c + 1}列（{self._col_name(c)}）归入{SLOT_NAMES[slot]}")
        if moved:
            self.note(row, "shift", "；".join(moved))
        if tie:
            self.note(row, "ambiguous", "指标值应放进哪一列无法确定，按最可能的位置放置："
                      + "；".join(f"{SLOT_NAMES[s]}=“{t}”" for (_c, t), s in assignment), review=True)
        if extras:
            extra = "；".join(t for _c, t in extras)
            rec["note"] = (f"{rec['note']}；" if rec["note"] else "") + f"原文多余单元格：{extra}"
            self.note(row, "extra", f"多出的单元格“{extra}”放不进任何列，记入备注", review=True)
        label = rec["level3"] or "（无名称）"
        if not rec["annual_value"]:
            only = f"只有一个指标值“{rec['period_value']}”，按位置归为实施周期指标值；" if rec["period_value"] else ""
            self.note(row, "missing", f"指标“{label}”的当年度指标值缺失（{only}可能是提取时错位截断），"
                                      "请对照原件补上", review=True)
        elif "period_value" in hdr.slots and not rec["period_value"]:
            self.note(row, "missing", f"指标“{label}”的实施周期指标值缺失", review=True)
        return rec

    def _duplicates(self) -> None:
        seen: dict[str, list[dict]] = {}
        for rec in self.indicators:
            seen.setdefault(squeeze(str(rec["level3"])), []).append(rec)
        for name, recs in seen.items():
            if name and len(recs) > 1:
                where = "、".join(str(r["source"]).rsplit(":", 1)[-1] for r in recs)
                self.repairs.append(Repair(place(self.rows[0].file, self.rows[0].sheet, f"第{where}行"),
                                           str(self.project["project"]), "duplicate",
                                           f"三级指标“{name}”在本项目中出现 {len(recs)} 次，均按原文导入；"
                                           "请对照原件确认是否重复", "", True))


CORE_SLOTS = ("period_value", "annual_value")


def place_values(values: list[tuple[int, str]], slots: list[tuple[str, int]], shifts: Sequence[int],
                 displaced: bool) -> tuple[list[tuple[tuple[int, str], str]], list[tuple[int, str]], bool]:
    """Place a row's value cells into the header's value columns.

    - A row that is not displaced and whose cells all stand in value columns: as they stand.
    - As many cells as the core values (实施周期/当年度) or more, up to all columns: in order,
      since extraction moves cells but does not reorder them.
    - Fewer cells than core values (a cell lost by a shifted row): by distance to the columns
      moved by the row's shift; when the candidate shifts disagree or two places are equally
      near, the result is flagged as undecided.
    - More cells than columns: in order; the rest are returned as extras.

    Returns ([(cell, slot)], extra cells, undecided).
    """
    n, m = len(values), len(slots)
    if n == 0:
        return [], [], False
    cols = {col: slot for slot, col in slots}
    if not displaced and all(c in cols for c, _t in values):
        return [(v, cols[v[0]]) for v in values], [], False
    core = [s for s, _c in slots if s in CORE_SLOTS]
    if len(core) <= n <= m or n > m:
        return [(v, slots[j][0]) for j, v in enumerate(values[:m])], list(values[m:]), n > m
    results = []
    for shift in shifts:
        options = []
        for chosen in itertools.combinations(range(m), n):
            cost = sum(abs(values[i][0] - (slots[j][1] + shift)) for i, j in enumerate(chosen))
            cost += sum(0.5 for j in chosen if slots[j][0] not in CORE_SLOTS)  # core values first
            options.append((cost, chosen))
        options.sort(key=lambda o: o[0])
        tie = len(options) > 1 and options[1][0] == options[0][0]
        results.append((options[0][1], tie))
    chosen, tie = results[0]
    undecided = tie or any(r[0] != chosen for r in results[1:])
    return [(values[i], slots[j][0]) for i, j in enumerate(chosen)], [], undecided


# ---------------------------------------------------------------------------------------------
# whole documents
# ---------------------------------------------------------------------------------------------

def import_rows(rows: Sequence[Row], year: int, previous: Targets | None = None,
                name: str = "") -> ImportResult:
    """Rows of one or more documents → targets and repairs. Pure: no file access."""
    tables = split_tables(rows)
    if not tables:
        first = next((r for r in rows if _nonempty(r)), None)
        where = first.where if first else (name or "输入")
        raise ScoreError("没有找到项目绩效目标表（没有“项目名称”行，也没有“# 项目绩效目标表”标题）", where=where,
                         hint="导入 PDF 提取出的表格文本（单元格以制表符分隔）或 .xlsx 工作簿")
    projects: list[dict] = []
    indicators: list[dict] = []
    repairs: list[Repair] = []
    for n, t_rows in enumerate(tables):
        table = _Table(t_rows, year)
        table.parse()
        projects.append(table.project)
        for rec in table.indicators:
            rec["_table"] = n
        indicators.extend(table.indicators)
        repairs.extend(table.repairs)
    _assign_ids(projects, indicators, previous, repairs)
    targets = Targets(projects=projects_frame(projects), indicators=indicators_frame(indicators), year=year)
    return ImportResult(targets, repairs)


def import_sources(paths: Iterable[str | Path], year: int, previous: Targets | None = None) -> ImportResult:
    """Read and import documents (text or .xlsx); ``previous`` keeps its ids and hand fixes."""
    rows: list[Row] = []
    notes: list[Repair] = []
    paths = [Path(p) for p in paths]
    names = [p.name for p in paths]
    if len(set(names)) != len(names):
        raise ScoreError("有两个来源文件同名", where="、".join(map(str, paths)), hint="来源文件名必须不同（它们记在原文位置里）")
    for p in paths:
        r, enc = read_rows(p)
        rows.extend(r)
        notes.extend(Repair(p.name, "", "encoding", n) for n in enc)
    result = import_rows(rows, year, previous, name=", ".join(names))
    result.repairs[:0] = notes
    result.sources = paths
    return result


def _assign_ids(projects: list[dict], indicators: list[dict], previous: Targets | None,
                repairs: list[Repair]) -> None:
    """Give every project and indicator its id: the previous one when the content matches, else a new one.

    A previous record whose note holds a hand fix (``人工修正``) is kept as it was; a review note
    (``人工核对``) is carried over.
    """
    taken: set[str] = set()
    prev_p: dict[str, list[dict]] = {}
    prev_by_name: dict[str, list[dict]] = {}
    prev_i: dict[str, list[dict]] = {}
    if previous is not None:
        for rec in previous.projects.to_dict("records"):
            prev_p.setdefault(project_key(rec["project"], rec["unit"] or rec["department"]), []).append(rec)
            prev_by_name.setdefault(squeeze(rec["project"]), []).append(rec)
            taken.add(rec["project_id"])
        for rec in previous.indicators.to_dict("records"):
            prev_i.setdefault(rec["project_id"], []).append(rec)
            taken.add(rec["id"])
    used: set[str] = set()
    for p in projects:
        key = project_key(str(p.get("project", "")), str(p.get("unit") or p.get("department") or ""))
        cands = [r for r in prev_p.get(key, []) if r["project_id"] not in used]
        if not cands:
            cands = [r for r in prev_by_name.get(squeeze(str(p.get("project", ""))), [])
                     if r["project_id"] not in used]
            cands = cands if len(cands) == 1 else []
        if cands:
            old = cands[0]
            p["project_id"] = old["project_id"]
            if HAND_FIX in (old.get("note") or ""):
                for k, v in old.items():
                    if k not in ("source",):
                        p[k] = None if v is None or (isinstance(v, float) and v != v) else v
                repairs.append(Repair(str(p.get("source", "")), str(p["project"]), "kept",
                                      f"项目信息有人工修正，保留原有内容：{old['note']}"))
            elif REVIEWED in (old.get("note") or ""):
                p["note"] = old["note"]
        else:
            p["project_id"] = new_project_id(key, taken)
        used.add(p["project_id"])
        taken.add(p["project_id"])
    seen_keys: dict[str, dict[str, int]] = {}
    used_i: set[str] = set()
    for rec in indicators:
        owner = projects[rec.pop("_table")]
        pid = owner["project_id"]
        rec["project_id"] = pid
        rec["project"] = owner["project"]
        key = indicator_key(str(rec["level1"]), str(rec["level2"]), str(rec["level3"]))
        old = _match_previous(rec, key, prev_i.get(pid, []), used_i)
        if old is not None:
            rec["id"] = old["id"]
            seen_keys.setdefault(pid, {})[key] = seen_keys.setdefault(pid, {}).get(key, 0) + 1
            if HAND_FIX in (old.get("note") or ""):
                for k in ("level1", "level2", "level3", "period_value", "annual_value", "weight", "note"):
                    rec[k] = old[k]
                repairs.append(Repair(str(rec["source"]), str(rec["project"]), "kept",
                                      f"指标 {old['id']} 有人工修正，保留原有内容：{old['note']}"))
            elif REVIEWED in (old.get("note") or "") and old["note"] not in str(rec["note"]):
                rec["note"] = f"{old['note']}；{rec['note']}" if rec["note"] else old["note"]
        else:
            rec["id"] = new_indicator_id(pid, key, taken, seen_keys.setdefault(pid, {}))
        used_i.add(rec["id"])
        taken.add(rec["id"])


def _match_previous(rec: dict, key: str, olds: list[dict], used: set[str]) -> dict | None:
    free = [o for o in olds if o["id"] not in used]
    same_key = [o for o in free if indicator_key(o["level1"], o["level2"], o["level3"]) == key]
    for cond in (lambda o: o["source"] == rec["source"],
                 lambda o: (o["period_value"], o["annual_value"]) == (rec["period_value"], rec["annual_value"]),
                 lambda o: True):
        hit = next((o for o in same_key if cond(o)), None)
        if hit is not None:
            return hit
    return next((o for o in free if o["source"] == rec["source"] and HAND_FIX in (o.get("note") or "")), None)


# ---------------------------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------------------------

def render_report(result: ImportResult, year: int) -> str:
    """The import report (Chinese), grouped by project, for a person to review."""
    t = result.targets
    fixes = len(result.repairs) - result.review_count
    src = "、".join(p.name for p in result.sources) or "（未知）"
    lines = [
        f"{year}年度绩效目标导入报告",
        f"来源：{src}",
        f"结果：{len(t.projects)} 个项目，{len(t.indicators)} 个指标；自动修复 {fixes} 处，需要人工核对 {result.review_count} 处。",
        "说明：“修复”是按名称和词表做出的确定修正；“需核对”是程序无法确定的地方，请对照原件处理，",
        "      改动写进 indicators.csv 的 note 列（“人工修正：…”）或 projects.yaml 的 note 字段。",
        "",
    ]
    general = [r for r in result.repairs if not r.project]
    if general:
        lines += ["== 文件 =="] + [r.render() for r in general] + [""]
    pid = dict(zip(t.projects["project"], t.projects["project_id"], strict=False))
    n_ind = t.indicators.groupby("project_id", sort=False).size().to_dict() if len(t.indicators) else {}
    for name in t.projects["project"]:
        reps = [r for r in result.repairs if r.project == name]
        review = sum(r.review for r in reps)
        head = f"== {name}（{pid[name]}，{n_ind.get(pid[name], 0)} 个指标）"
        head += f"：修复 {len(reps) - review} 处，需核对 {review} 处 ==" if reps else "：无修复 =="
        lines.append(head)
        lines += [r.render() for r in reps]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def import_into(sources: Iterable[str | Path], year: int, out: str | Path) -> tuple[ImportResult, str, str | None]:
    """Import ``sources`` into the targets directory ``out`` (atomically), keeping its ids and hand fixes.

    Returns the result, the report text (also saved as ``import_report.txt``), and a notice
    when an existing directory could not be read (its ids and hand fixes are then not kept).
    """
    from scoring.targets.store import INDICATORS_FILE, PROJECTS_FILE, load_targets, save_targets

    out = Path(out)
    previous = None
    notice = None
    if any((out / name).exists() for name in (PROJECTS_FILE, INDICATORS_FILE)):
        try:
            previous = load_targets(out)
        except ScoreError as exc:
            notice = (f"现有目录 {out} 无法读取，原有编号和人工修正不能沿用：{exc.message}"
                      + (f"（{exc.where}）" if exc.where else ""))
    result = import_sources(sources, year, previous)
    result.targets.year = year
    report = render_report(result, year)
    save_targets(result.targets, out, report=report, sources=result.sources)
    result.targets.directory = out
    return result, report, notice
