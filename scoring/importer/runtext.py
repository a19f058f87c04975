"""Text from PDF/Word whose table cells are not separated by tabs or aligned spaces: the cells as rows.

Three shapes, told apart by content (``text_rows`` sends a text here only when no line splits into an
indicator header at tabs or runs of spaces):

- **run together**: ``一级指标二级指标绩效标准当年预期实现值数量指标办公大楼日常维修维护次数反映……2280次…``,
  or cells separated by single spaces, or one cell a line between blank lines (a line of spaces alone is an
  empty cell) — the header words (``rules/language/headers.yaml``) give the columns in order, and the body
  is cut into cells and rows by :mod:`scoring.importer.gridfit` from the evidence of
  :mod:`scoring.importer.pieces` (level names, values, descriptions, target phrases);
- **column by column** (a PDF read one column at a time): ``三级指标 新建高校(校区) 工程质量达标率(%)`` /
  ``年度目标值`` / ``7 100% 100%`` / … — each header word followed by its column's cells, lined up by
  position (:func:`columnwise`).

Above the header, labels of the project information (``项目名称``, ``主管部门``…) start their own rows. What
is read is a grid with the header's columns, as an Excel sheet of the same table would be; the table reader
places it. Every row read is a note in the import report that says how it was cut; a row that reads as no
indicator (a name with no value, pieces that fit no column, two equally good readings) is a warning at
file › 第N行 with the reason, and is not guessed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from scoring.findings import INFO, WARNING, Finding
from scoring.importer.digitruns import digit_splits, numeric_kinds
from scoring.importer.gridfit import Column, FitRow, best_reading, clean
from scoring.importer.headers import label, meta_field
from scoring.importer.linekinds import is_title
from scoring.importer.piecekinds import (
    BLANK,
    NAME,
    NUMBER,
    ORDINAL,
    SHAPE,
    SOFT,
    TEXT,
    VALUE,
    WORD,
    fold,
    info_label,
    kind_of,
)
from scoring.importer.pieces import NEVER, WHY, Cut, cut_points
from scoring.importer.projectcols import project_bodies, project_labels
from scoring.importer.rows import Row
from scoring.importer.textheader import (
    LEAD_LEVELS,
    Source,
    header_runs,
    leading_unknown,
    level_words,
    roles,
    spaced_reads,
    trailing_unknown,
    valid_run,
)
from scoring.importer.textplaces import column_splits, place_tokens, with_places
from scoring.importer.texttrailer import label_pattern, side_before, table_end, title_end, trailer_rows
from scoring.language.expressions import parse
from scoring.language.normalize import in_traditional, to_simplified, unfold, unfolding
from scoring.vocab import TargetKind

MAX_TEXT = 300_000     # characters: a document of many tables, thousands of indicators
MAX_BODY = 150_000     # characters of one table's rows cut into cells (about 15 s; 2,000 indicators run together)


def read(text: str, name: str, spaced: list[Row] | None = None) -> tuple[list[Row], list[Finding]] | None:
    """The rows of a text whose cells are run together or laid out column by column, with the notes on
    how it was cut; None when the text is not such a table: no indicator header is found in it this way,
    or its lines split at tabs or runs of spaces (``spaced``) already hold one. A text in traditional
    characters is read in simplified ones; each row keeps its cells as written (``Row.written``, as
    :func:`scoring.importer.sources.read_rows` does for a grid), so the names and values are put back."""
    found = _read(text, name, spaced)
    if found is None or len(text) > MAX_TEXT or not in_traditional(text):
        return found
    lines = text.split("\n")
    table = unfolding(zip(lines, map(to_simplified, lines), strict=True))
    return [replace(r, written=tuple(unfold(c, table) for c in r.cells)) for r in found[0]], found[1]


def _read(text: str, name: str, spaced: list[Row] | None) -> tuple[list[Row], list[Finding]] | None:
    if len(text) > MAX_TEXT:
        return None        # more text than any table's: not cut
    text, notes = prepare(text, name)
    if spaced is not None and spaced_reads(spaced):
        return None
    src = Source(text, name)
    if not any(w in text for w in level_words()):
        from scoring.importer.indented import indented

        found = indented(src)           # no level header: the levels may be told by indentation alone
        return (found[0], [*notes, *found[1]]) if found else None
    src.bars = sum(_PIPED.search(line) is not None for line in src.text.split("\n")) >= 3
    runs = [r for r in header_runs(src) if valid_run(r)]
    from scoring.importer.boxorder import boxorder

    boxed = None if src.bars else boxorder(src, strict=bool(runs))   # names and values in text-box order
    if boxed:
        return boxed[0], [*notes, *boxed[1]]
    if not runs and not src.bars:
        src, runs = _unwrapped(src, notes)
    if not runs:
        from scoring.importer.columnwise import columnwise

        found = None if src.bars else columnwise(src)
        return (found[0], [*notes, *found[1]]) if found else None
    rows: list[Row] = []
    notes.append(Finding(name, ("表格的单元格以“|”分隔（网页表格转成的文字），合并单元格没有留下记号，" if src.bars else
                                "文件中的表格没有制表符或对齐的空格分隔单元格（单元格连写、以单个空格分隔或一行一格），")
                         + "按表头词、层级名称和指标值的写法切分单元格、归入各列；每一行怎样切分见下方说明", INFO,
                         code="separator"))
    last = 0
    for n, run in enumerate(runs):
        skip = None
        head = [t for t in run]
        tail = trailing_unknown(src, run)
        places = place_tokens(src, run)
        if places:
            head, tail = with_places(head, places), None   # 区域目标值 over 新罗区 永定区…: a value column each
        if tail:
            head.append(tail)
        first = next(k for k, t in enumerate(head) if t.field not in (None, "side"))
        side, cols = head[:first], head[first:]
        while cols[-1].field == "side":
            skip = cols.pop()      # the side label again, as the first cell of the rows (merged down): not a column
        if not side:
            lead = leading_unknown(src, cols[0])
            head = cols = [*lead, *cols]
        start = head[0].a
        projects = None if src.bars else project_labels(src, start)    # 项目名称 项目单位 … 一级指标 …
        if projects and side:
            projects, side = (projects[0], [*projects[1], *(t.text for t in side)]), []  # 年度绩效目标: a project column
        rows.extend(meta_rows(src, last, projects[0] if projects else start))
        if side:
            rows.append(Row(name, src.line(start), tuple(t.text for t in side), grid=True, cut=True))
        hstart = cols[0].a
        rows.append(Row(name, src.line(hstart), (*(projects[1] if projects else ()), *(t.text for t in cols)),
                        grid=True, cut=True))
        body_start = max(*(t.b for t in cols), skip.b if skip is not None else 0)   # a wrapped header cell ends last
        while body_start < len(src.text) and src.text[body_start] in " \t\n\u3000":
            body_start += 1
        body_end = runs[n + 1][0].a if n + 1 < len(runs) else len(src.text)
        if n + 1 < len(runs):
            body_end = side_before(src, body_start, body_end)   # 年度绩效目标2(40分) goes with the next header
        body_end, trailer_at = table_end(src, body_start, body_end) if body_end - body_start <= MAX_BODY \
            else (body_end, None)
        hypotheses = roles(cols)
        found = project_bodies(src, body_start, body_end, len(projects[1]),
                               lambda a, b, h=hypotheses: read_body(src, a, b, h)) if projects else None
        if projects and found is None:
            rows[-1] = Row(name, src.line(hstart), tuple(t.text for t in cols), grid=True, cut=True)
        body_rows, body_notes = found or read_body(src, body_start, body_end, hypotheses)
        if body_rows and len(body_rows[0].cells) == len(rows[-1].cells) + len(LEAD_LEVELS):   # read under them
            at = len(projects[1]) if projects and found else 0
            head = rows[-1].cells
            rows[-1] = replace(rows[-1], cells=(*head[:at], *("" for _c in LEAD_LEVELS), *head[at:]))
        rows.extend(body_rows)
        notes.extend(body_notes)
        if trailer_at is not None:
            rows.extend(trailer_rows(src, trailer_at, runs[n + 1][0].a if n + 1 < len(runs) else len(src.text)))
            last = runs[n + 1][0].a if n + 1 < len(runs) else len(src.text)
        else:
            last = body_end
    if last < len(src.text):
        rows.extend(meta_rows(src, last, len(src.text)))      # the title and labels of a table cut off
    if not any(r.grid and len(r.cells) > 2 for r in rows):
        return None
    return rows, notes


_WRAP_SPACE = re.compile(r"(?<=[^\s|]) (?=[^\s|])")


def _unwrapped(src: Source, notes: list[Finding]) -> tuple[Source, list]:
    """Text whose cells ran together and whose line breaks inside a cell became single spaces (``绩 效 指 标``,
    ``一级 指标二级 指标三级指标年度指标 值``): when no header is found as written but one is without those
    spaces, the text is read without them (said in a note); else as written, with no header."""
    joined = _WRAP_SPACE.sub("", src.text)
    if joined == src.text:
        return src, []
    other = Source(joined, src.name)
    runs = [r for r in header_runs(other) if valid_run(r)]
    if not runs:
        return src, []
    notes.append(Finding(src.name, "单元格内的折行在文字中成了单个空格（如“绩 效 指 标”“年度指标 值”），照原样找不到指标表头；"
                                   "去掉这些单个空格后按连写的单元格读取", INFO, code="separator"))
    return other, runs


_PIPED = re.compile(r"\S\s*\|\s*\S")
_CHUNK_MARK = re.compile(r"\n(\d{1,2})、")   # a stored text's chunks: each after the first on a new line, “2、”…
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)")


def prepare(text: str, name: str) -> tuple[str, list[Finding]]:
    """The text as the readers take it, and what was changed: traditional characters folded to simplified
    (OpenCC), the pinyin that some web copies put after characters (``學(xué)校``) taken out."""
    notes: list[Finding] = []
    if in_traditional(text):
        text = to_simplified(text)
        notes.append(Finding(name, "文件是繁体字：按简体字切分和识别（OpenCC 繁简转换），导入的名称和指标值保持原文的繁体字", INFO,
                             code="encoding"))
    marks = list(_CHUNK_MARK.finditer(text))
    if marks and [int(m.group(1)) for m in marks] == list(range(2, len(marks) + 2)) \
            and "1、" not in text[:marks[0].start()]:
        text = _CHUNK_MARK.sub("", text)
        notes.append(Finding(name, f"文字分成 {len(marks) + 1} 段存放，第2段起每段开头另起一行写着段号（“2、”“3、”），"
                                   "不是表格内容：段号和它前面的换行已去掉，前后文字接着读", INFO, code="separator"))
    glosses = len(_PINYIN.findall(text))
    if glosses >= 3:
        text = _PINYIN.sub("", text)
        notes.append(Finding(name, f"文字中有 {glosses} 处汉字后面加注的拼音（如“学(xué)”），是网页转载时加上的，已去掉",
                             INFO, code="encoding"))
    return text, notes
















def read_body(src: Source, start: int, end: int, hypotheses: list[list[Column]]) -> tuple[list[Row], list[Finding]]:
    """The indicator rows of one table body, with a note on each (or a warning where it cannot be read)."""
    body = src.text[start:end]
    if len(body) > MAX_BODY:
        return [], [Finding(src.where(start), f"表头下的文字有 {len(body):,} 个字符，超过逐格切分的上限 {MAX_BODY:,}，"
                            "没有切分；请把表格分成几个文件，或导入带制表符的文本、Excel 工作簿", WARNING,
                            code="unplaced")]
    cuts = _weigh(body, cut_points(body, src.bars, _hints(hypotheses)))
    if hypotheses:
        h = hypotheses[0]
        cuts = _split_runs(body, cuts, column_splits(body, h)
                           | digit_splits(body, numeric_kinds(h), any(c.role == "unit" for c in h)))
    dense = any(c.why == "cell" for c in cuts)
    notes: list[Finding] = []
    if not hypotheses:
        return [], [Finding(src.where(start), "表头中没有指标名称列（三级指标），无法切分表格的各行", WARNING, code="unplaced")]
    columns, fitted, _cost = best_reading(body, cuts, hypotheses, dense)
    rows: list[Row] = []
    stops = end == len(src.text) and not src.text[-1:].isspace()     # the text stops inside this body
    for n, fr in enumerate(fitted):
        row, note = _row(src, start, body, columns, fr, last=stops and n == len(fitted) - 1)
        if row is not None:
            rows.append(row)
        notes.append(note)
    return rows, notes


def _hints(hypotheses: list[list[Column]]) -> frozenset[str]:
    """What the header says about the cuts to look for: ``echo`` where a text column follows the names (the
    指标内容 restates the name), ``units`` where a 计量单位 or 指标性质 column stands apart."""
    out = set()
    for h in hypotheses:
        if any(c.role == "name" and k + 1 < len(h) and h[k + 1].role == "text" for k, c in enumerate(h)):
            out.add("echo")
        if any(c.role in ("unit", "nature") for c in h):
            out.add("units")
    return frozenset(out)


def _split_runs(body: str, cuts: list[Cut], found: dict[tuple[int, int], tuple[str, ...]]) -> list[Cut]:
    """The cuts of a body with each string of digits that holds several columns (:mod:`.digitruns`) cut where
    its split says, and nowhere else inside it."""
    if not found:
        return cuts
    inside = [c for c in cuts if not any(a < c.end < b for a, b in found)]
    at = {c.end for c in inside}
    for (a, _b), pieces in found.items():
        p = a
        for piece in pieces:
            p += len(piece)
            if p not in at:
                inside.append(Cut(p, p, "columns", 0.0, 3.0))
        if a not in at:
            inside.append(Cut(a, a, "columns", 0.0, 3.0))
    return sorted(inside, key=lambda c: c.end)


_EXPLICIT = ("space", "newline", "blank", "cell", "bar")
_INFERRED = ("value", "desc", "phrase", "repeat", "echo", "unit")


def _weigh(body: str, cuts: list[Cut]) -> list[Cut]:
    """How firmly the evidence inside a stretch of text holds, by how the text sets its cells apart.

    Where nearly every separator is a blank line or “|” (one cell a paragraph, a web table), a stretch is
    one cell: only white space and “|” cut. Where the stretches between white space are short (cells apart
    at single spaces), a cut inferred inside a stretch holds it together only a little and no number is
    split (``困难台胞432人、高龄台胞1792人`` stays one cell). Text run together keeps every cut.
    """
    white = [c for c in cuts if c.why in _EXPLICIT]
    if len(white) < 4:
        return cuts
    hard = sum(c.why in ("blank", "cell", "bar") or c.hold >= NEVER for c in white)
    if hard >= 0.8 * len(white):
        return [c for c in cuts if c.why in _EXPLICIT or c.why == "level"]
    stretches = body.split()
    if sum(map(len, stretches)) > 20 * len(stretches) or sum(c.why == "space" for c in white) < len(white) / 4:
        return cuts        # long stretches, or short ones only because line breaks wrap cells: run together
    weight = {**dict.fromkeys(_INFERRED, 0.1), "space": 1.5}
    return [Cut(c.end, c.start, c.why, c.cost, c.hold * weight.get(c.why, 1.0)) for c in cuts
            if c.why != "digits"]


def _row(src: Source, base: int, body: str, columns: list[Column], fr: FitRow, last: bool
         ) -> tuple[Row | None, Finding]:
    """The grid row of one reading, and its note. A name whose value reads as no target is imported as
    written when white space set its cells apart; when the cells were cut by inference, or it is the last
    piece of a text that stops there, it is not imported and the warning says why."""
    cells = [""] * len(columns)
    for k, (a, b) in fr.cells.items():
        cells[k] = clean(body[a:b])
    name_k = next((k for k, c in enumerate(columns) if c.role == "name"), None)
    more = [(a, b) for a, b in fr.more if not (last and b >= len(body))]   # a text that stops there: cut off
    wrapped = [clean(body[a:b]) for a, b in more]
    if wrapped and name_k is not None:
        cells[name_k] += "".join(wrapped)          # the name goes on in the line(s) below its row
    where = src.where(base + fr.start)
    shown = "｜".join(f"{columns[k].header}“{cells[k]}”" for k in sorted(fr.cells) if cells[k])
    why = "、".join(dict.fromkeys(WHY[c.why] for c in fr.used if c.why in WHY and c.why not in ("space", "newline")))
    if wrapped:
        why = "、".join(x for x in (why, "名称在下一行接续：" + "、".join(f"“{t}”" for t in wrapped)) if x)
    dropped = [clean(body[a:b]) for a, b in [*fr.junk, *(x for x in fr.more if x not in more)]]
    junk = "、".join(f"“{t}”" for t in dropped if kind_of(t) not in (BLANK, ORDINAL))
    marks = "、".join(f"“{t}”" for t in dropped if kind_of(t) in (BLANK, ORDINAL))
    name = next((cells[k] for k, c in enumerate(columns) if c.role in ("name2", "name") and cells[k]), "")
    values = [cells[k] for k, c in enumerate(columns) if c.role == "value" and cells[k]]
    row = Row(src.name, src.line(base + fr.start), tuple(cells), grid=True, cut=True)
    if name and len(fr.cells) == 1 and _section(name):
        return row, Finding(where, f"“{name}”独占一行，像是分段标题（一、…／1.…／…目标），交给表格读取",
                            INFO, code="separator")
    ends_text = last and max(b for _a, b in fr.cells.values()) >= len(body)
    if name and ends_text and kind_of(cells[max(fr.cells)]) not in (VALUE, NUMBER, WORD):
        return None, Finding(where, f"原文在“{cells[max(fr.cells)]}”处截断，这一段没有作为指标导入：{shown}", WARNING,
                             code="unplaced")
    points = [cells[k] for k, c in enumerate(columns) if c.role == "number" and kind_of(cells[k]) == NUMBER]
    if name and not values and points and not last:
        return row, Finding(where, f"切分为 {shown}；这一行只有分值／得分，没有指标值，按没有目标值的指标导入", INFO,
                            code="separator")
    if name and not any(_target(v) for v in values):
        explicit = all(c.why in _EXPLICIT for c in fr.used)
        if values and explicit and not last:
            return row, Finding(where, f"切分为 {shown}；指标值“{values[0]}”读不出目标，按原文导入，请对照原件核对",
                                WARNING, code="separator")
        why_not = (f"指标值“{values[0]}”读不出目标" + ("（原文在这里截断）" if last else "")) if values \
            else "没有指标值" + ("（原文在这里截断）" if last else "")
        return None, Finding(where, f"“{name}”{why_not}，这一段没有作为指标导入：{shown}"
                             + (f"；放不进任何列的文字：{junk}" if junk else ""), WARNING, code="unplaced")
    if junk:
        return row, Finding(where, f"切分为 {shown}；这些文字放不进任何列，未导入：{junk}", WARNING, code="unplaced")
    if fr.tied:
        return row, Finding(where, f"这一段有两种同样合理的切分，按 {shown} 读取，请对照原件核对", WARNING,
                            code="ambiguous")
    return row, Finding(where, f"切分为 {shown}" + (f"（依据：{why}）" if why else "")
                        + (f"；占位符号、行的编号{marks}不是内容，略去" if marks else ""), INFO, code="separator")


_SECTION = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.．、](?!\d))")


def _section(text: str) -> bool:
    """A row that is only a heading of the rows below it: 一、投入目标, 1.数量目标, (二)效益目标."""
    return bool(_SECTION.match(text)) or kind_of(text) == SHAPE


def _target(text: str) -> bool:
    """Whether a value cell reads as a target: a value, a number, a target phrase, or words that the target
    grammar reads (a single character that is no listed target is a piece cut off, not a target)."""
    kind = kind_of(text)
    if kind in (VALUE, NUMBER, WORD, SOFT):
        return True
    return kind in (TEXT, NAME) and len(text.strip()) >= 2 and parse(text).kind != TargetKind.INVALID


# --------------------------------------------------------------------------------------------------
# above the header: the project information
# --------------------------------------------------------------------------------------------------



def meta_rows(src: Source, start: int, end: int) -> list[Row]:
    """The lines above a header as rows: a title alone; each label of the project information (项目名称,
    主管部门, 资金, 目标…) starts a row of its own with the text up to the next label; a label that is not
    imported (项目类别, 立项依据…) stays in the row before it, as in the table; pieces apart at single
    spaces stay apart."""
    out: list[Row] = []
    text = src.text[start:end]
    pos = start
    for line in text.split("\n"):
        cells: list[str] = []
        for chunk in (line.replace("|", " ") if src.bars else line).split():
            for piece in _split_labels(chunk):
                if is_title(piece) or meta_field(piece) or (_is_label(piece) and not info_label(piece)):
                    if cells:
                        out.append(Row(src.name, src.line(pos), tuple(cells), grid=True, cut=True))
                    cells = [piece]
                    if is_title(piece):
                        out.append(Row(src.name, src.line(pos), tuple(cells), grid=True, cut=True))
                        cells = []
                else:
                    cells.append(piece)
        if cells:
            out.append(Row(src.name, src.line(pos), tuple(cells), grid=True, cut=True))
        pos += len(line) + 1
    return out


def _is_label(text: str) -> bool:
    m = label_pattern().match(fold(text))
    return bool(m) and m.end() >= len(label(text)) - 1




def _split_labels(chunk: str) -> list[str]:
    """A run-together stretch of project information cut before each label and after a title."""
    folded = fold(chunk)
    marks = {0, len(chunk)}
    for m in label_pattern().finditer(folded):
        marks.add(m.start())
        marks.add(m.end())
    for m in title_end().finditer(folded):
        start = max((k for k in marks if k < m.start() - 16), default=0)   # 省级部门预算项目支出绩效目标表: one title
        marks = {k for k in marks if not start < k < m.end()}
        marks.add(m.end())
    cut = sorted(marks)
    pieces = [chunk[a:b] for a, b in itertools.pairwise(cut) if chunk[a:b].strip(":：")]
    return pieces
