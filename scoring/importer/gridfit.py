"""Run-together table text as rows of cells: the reading that fits the header's columns best.

The body of a table whose cell borders were lost in extraction is a string with cut points
(:func:`scoring.importer.pieces.cut_points`). Which of them end a cell, and which column each cell
stands in, is chosen for the whole body at once by a dynamic programme over the cut points: each
reading has a cost, the sum of

- how badly each cell fits its column's role (a level name in a level column costs nothing, a
  description in a value column costs much; :data:`FIT`);
- the cut points used (a number split into two costs a little) and kept inside a cell (a line break
  little, a blank line never);
- the columns left empty (the name never; a value column more than a text column; a column that the
  other rows fill, more);
- rows that read as an indicator name without any value, and pieces placed in no column.

Rows follow the header's column order; a row may begin at a level column or at the name (the
columns before are merged cells above). The cheapest reading wins; a row whose reading ties with
another is marked so that the report asks a person to check it. Each cut point looks at most
:data:`SPAN` cut points ahead, so the work grows linearly with the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scoring.importer.piecekinds import (
    BLANK,
    DESC,
    EMPTY,
    LEVEL,
    NAME,
    NATURE,
    NUMBER,
    ORDINAL,
    SHAPE,
    SOFT,
    TEXT,
    UNIT,
    VALUE,
    WORD,
    fold,
    kind_of,
    level_name,
)
from scoring.importer.pieces import NEVER, Cut, holds_row
from scoring.language import levels

SPAN = 12         # cut points a cell may span
JUNK = 4.0        # a piece placed in no column
NO_VALUE = 3.0    # a row with a name and no value
NEW_ROW = 0.01    # a row goes on unless something says that a new one begins
MAX_HOLD = 6.0    # a cell that keeps more evidence of cuts inside it than this is not read
BEAM = 12.0       # states dearer than the best at the same cut point by more than this are dropped
CONT = 1.0        # a line that goes on with the name of the row above, where that name reads as cut off
WRAPPED_VALUE = 0.5  # …a line that holds a value, a number or a target phrase alone: a cell wrapped below its row
CONT_WHOLE = 3.5  # …where it reads as whole (dearer than a row of its own with no value)
EPS = 1e-9
MEASURED_NUMBER = 4.0   # a bare number in a column of quantities with units (:func:`_measured`)

# role → kind → cost of such a piece in such a column (missing: NEVER).
FIT: dict[str, dict[str, float]] = {
    "level": {LEVEL: 0.0, SHAPE: 1.0, EMPTY: 0.0},
    "name": {NAME: 0.0, TEXT: 0.3, SOFT: 0.8, SHAPE: 1.0, WORD: 2.5, DESC: 3.0, BLANK: 2.0, VALUE: 5.0, NUMBER: 6.0,
             UNIT: 5.0, NATURE: 6.0, EMPTY: 0.0},
    "value": {VALUE: 0.0, WORD: 0.2, NUMBER: 0.3, SOFT: 0.6, BLANK: 0.5, TEXT: 1.2, NAME: 2.0, DESC: 2.0, SHAPE: 3.0,
              NATURE: 3.0, UNIT: 1.0, EMPTY: 0.0},     # a unit alone: a template's value never filled in (公里)
    "number": {NUMBER: 0.0, BLANK: 0.3, ORDINAL: 0.3, VALUE: 2.0, EMPTY: 0.0},
    "text": {DESC: 0.0, BLANK: 0.3, TEXT: 0.5, SOFT: 0.8, NAME: 1.0, WORD: 1.0, VALUE: 1.2, NUMBER: 1.5, SHAPE: 2.0,
             LEVEL: 4.0, EMPTY: 0.0},
    "unit": {UNIT: 0.0, BLANK: 0.5, EMPTY: 0.0},
    "nature": {NATURE: 0.0, BLANK: 0.5, EMPTY: 0.0},
}
FIT["name2"] = FIT["name"]
SKIP = {"level1": 0.0, "level2": 0.0, "level": 0.0, "name2": 0.0, "value": 0.5, "number": 0.5, "text": 0.0,
        "unit": 0.2, "nature": 0.2}


@dataclass(frozen=True)
class Column:
    """A column of the header: its text as written and the role of its cells."""

    header: str
    role: str      # level1, level2, level, name, name2, value, number, text, unit, nature
    core: bool = False


@dataclass
class FitRow:
    """One row read from the body: the span of the text in each column it fills."""

    cells: dict[int, tuple[int, int]] = field(default_factory=dict)
    junk: list[tuple[int, int]] = field(default_factory=list)
    used: list[Cut] = field(default_factory=list)     # cut points that end cells in this row
    tied: bool = False
    start: int = 0
    more: list[tuple[int, int]] = field(default_factory=list)   # lines below the row that go on with its name


def clean(text: str) -> str:
    """A cell's text: a line break inside it removed (a wrapped cell), runs of spaces as one."""
    return re.sub(r"[ \t\u3000\u00a0]+", " ", re.sub(r"[ \t]*\r?\n[ \t]*", "", text)).strip(" |")


def _level_fit(role: str, text: str, kind: str) -> float:
    if kind == SHAPE:
        return 1.0
    if kind != LEVEL:
        return 0.0 if kind == EMPTY else NEVER
    name = level_name(text)
    if role == "level":
        return 0.0
    if name in levels.AMBIGUOUS:      # 成本指标: a 二级 under 产出指标 unless its own 二级 names follow
        return 0.05 if role == "level1" else 0.0
    wanted = levels.is_level1 if role == "level1" else levels.is_level2
    return 0.0 if wanted(name) else 1.0


def piece_cost(role: str, text: str, kind: str, has_levels: bool) -> float:
    """How badly a piece fits a column's role."""
    if role in ("level1", "level2", "level"):
        return _level_fit(role, text, kind)
    if role == "unit" and kind == TEXT and len(text) <= 3 and not any(c.isdigit() for c in text):
        return 0.5                 # a counter the unit table does not know (单, 宗)
    if role in ("name", "name2") and kind == LEVEL:
        return 4.0 if has_levels else 0.5
    cost = FIT[role].get(kind, NEVER)
    s = fold(levels.squeeze(text))
    if kind == NUMBER and len(s) > 1 and s[0] == "0" and s[1] != ".":
        return NEVER               # a number never starts with 0: the cut is wrong
    if kind == VALUE and re.match(r"^[^\d]*0\d", s):
        return NEVER
    if role == "number" and kind == NUMBER and float(s.replace(",", "")) > 100:
        cost = 3.0                 # 分值 and 得分 are at most 100
    if role == "value" and kind == VALUE and "%" in s:
        m = re.search(r"(\d+(?:\.\d+)?)%", s)
        if m and float(m.group(1)) > 1000:
            cost += 2.0            # 20100%: two cells run together
    return cost


@dataclass
class Tuning:
    """What a first reading says about a body (:func:`adapt`): roles corrected by content, columns that
    nearly every row fills (dearer to leave empty), and whether each row stands on a line of its own."""

    columns: list[Column]
    skips: dict[int, float] = field(default_factory=dict)
    lines: bool = False
    measured: frozenset[int] = frozenset()    # value columns of quantities, where a bare number is points


class Grid:
    """The dynamic programme for one table body."""

    def __init__(self, text: str, cuts: list[Cut], columns: list[Column], dense: bool = False,
                 tuning: Tuning | None = None, pieces: dict | None = None, lines: bool = False):
        self.text = text
        self.columns = tuning.columns if tuning else columns
        self.nodes = [Cut(0, 0, "start"), *(c for c in cuts if 0 < c.end and c.start < len(text)),
                      Cut(len(text), len(text), "end")]
        self.name_col = next(i for i, c in enumerate(self.columns) if c.role == "name")
        self.has_levels = any(c.role.startswith("level") for c in self.columns)
        self.dense = dense
        self.lines = lines or bool(tuning and tuning.lines)
        self.skip = [self._skip(k, tuning.skips if tuning else None) for k in range(len(self.columns))]
        self._pieces: dict[tuple[int, int], tuple[str, str]] = {} if pieces is None else pieces
        self._fit_cache: dict[tuple[str, str], list[float]] = {}
        self.measured = tuning.measured if tuning else frozenset()

    def _skip(self, k: int, skips: dict[int, float] | None) -> float:
        col = self.columns[k]
        if col.role == "name":
            return NEVER
        base = SKIP[col.role] + (0.5 if col.core else 0.0)
        if self.dense:            # every cell is written, the empty ones too: none is left out
            base = max(base, 2.0)
        return max(base, (skips or {}).get(k, 0.0))

    def piece(self, i: int, j: int) -> tuple[str, str]:
        key = (i, j)
        if key not in self._pieces:
            text = clean(self.text[self.nodes[i].start:self.nodes[j].end])
            self._pieces[key] = (text, kind_of(text))
        return self._pieces[key]

    def _start_cost(self, i: int) -> float:
        why = self.nodes[i].why
        if why in ("start", "newline", "blank", "cell"):
            return 0.0
        return (2.0 if self.lines else 0.0) + (0.1 if why == "space" else 0.2)

    def _go_on_cost(self, i: int) -> float:
        """A row that goes on after a line break, where each row stands on a line of its own."""
        return 3.0 if self.lines and self.nodes[i].why == "newline" else 0.0

    def _close(self, c: int, has_value: bool) -> float:
        cost = NO_VALUE if c >= self.name_col and not has_value else 0.0
        if self.dense and c >= 0:
            cost += sum(self.skip[c + 1:])
        return cost

    def run(self) -> tuple[float, list[FitRow]]:
        n, m = len(self.nodes), len(self.columns)
        # best[i][(c, v)] = (cost, back, tied); c = -1 before the first cell, v: the row has a value.
        best: list[dict[tuple[int, int], tuple[float, tuple | None, bool]]] = [{} for _ in range(n)]
        best[0][(-1, 0)] = (0.0, None, False)
        prefix = [0.0]
        for k in range(m):
            prefix.append(prefix[-1] + self.skip[k])
        value_col = [col.role == "value" or (bool(self.measured) and col.role == "number") for col in self.columns]
        name_col = self.name_col

        def offer(j: int, state: tuple[int, int], cost: float, back: tuple, tied: bool = False) -> None:
            old = best[j].get(state)
            if old is None or cost < old[0] - EPS:
                best[j][state] = (cost, back, tied)
            elif cost <= old[0] + EPS and old[1] != back:
                best[j][state] = (old[0], old[1], True)

        for i in range(n - 1):
            if not best[i]:
                continue
            floor = min(x[0] for x in best[i].values()) + BEAM
            states = {k: x for k, x in best[i].items() if x[0] <= floor}
            best[i] = states
            closers = sorted((cost + self._close(c, v), (c, v)) for (c, v), (cost, _b, _t) in states.items() if c >= 0)
            close_tied = len(closers) > 1 and closers[1][0] <= closers[0][0] + EPS
            start = self._start_cost(i) + NEW_ROW
            go_on = self._go_on_cost(i)
            crossing = 0.0
            at_line = self.lines and self.nodes[i].why == "newline" and self.nodes[i].hold < NEVER   # not “|” rows
            for j in range(i + 1, min(n, i + SPAN + 1)):
                if j > i + 1:
                    node = self.nodes[j - 1]
                    at_line = at_line and node.why not in ("newline", "blank", "cell")
                    crossing += max(3.0, node.hold) if self.lines and node.why == "newline" else node.hold
                    if crossing > MAX_HOLD:
                        break
                used = crossing + (self.nodes[j].cost if j < n - 1 else 0.0)
                text, kind = self.piece(i, j)
                if kind == TEXT and len(text) <= 3 and j < n - 1 and self.piece(j, j + 1)[1] in (LEVEL, SHAPE):
                    kind = SHAPE      # 投入 | 成本目标: a short word before a level name is a level of its own
                viable = [(c2, f) for c2, f in enumerate(self._fits(text, kind)) if f < NEVER]
                junk = 1.0 if kind == EMPTY else 0.2 if kind in (BLANK, ORDINAL) else JUNK
                counts = kind in (VALUE, NUMBER, WORD, SOFT, TEXT, UNIT)     # 公里 alone: a value never filled in
                whole_line = at_line and (j == n - 1 or self.nodes[j].why in ("newline", "blank"))
                on = min(go_on, WRAPPED_VALUE) if whole_line and kind in (VALUE, NUMBER, WORD) else go_on
                for (c, v), (cost, _b, _t) in states.items():
                    base = cost + used + (on if c >= 0 else 0.0)
                    offer(j, (c, v), base + junk, (i, c, v, None, False))
                    if whole_line and c >= name_col and kind not in (LEVEL, VALUE, NUMBER, EMPTY, BLANK):
                        offer(j, (c, v), cost + used + self._go_on_name(best, i, (c, v), len(text)),
                              (i, c, v, "more", False))
                    for c2, f in viable:
                        if c2 > c and not (c < name_col < c2):      # the same row goes on
                            offer(j, (c2, max(v, int(counts and value_col[c2]))), base + f + prefix[c2] - prefix[c + 1],
                                  (i, c, v, c2, False))
                if closers:                                         # a new row
                    ccost, (c, v) = closers[0]
                    base = ccost + used + start
                    if kind in (ORDINAL, BLANK):                    # …that begins with its number, dropped
                        offer(j, (-1, 0), base + junk, (i, c, v, None, True), close_tied)
                    for c2, f in viable:
                        if c2 <= name_col:
                            offer(j, (c2, int(counts and value_col[c2])), base + f + prefix[c2], (i, c, v, c2, True),
                                  close_tied)
        final = sorted((cost + self._close(c, v), (c, v)) for (c, v), (cost, _b, _t) in best[n - 1].items())
        if not final:
            return float("inf"), []
        total, state = final[0]
        return total, self._rows(best, n - 1, state)

    def _go_on_name(self, best, i: int, state: tuple[int, int], size: int) -> float:
        """The cost of a line of ``size`` characters that goes on with the name of the row above it (a name
        wrapped below its row, as PDF text of a narrow table has it): low when that name reads as cut off
        (``…基础设施建``, ``…贫困村收``), dear when it reads as whole (``景观建设成本``): then the line more
        likely begins the next row; never when the line is longer than the name above (a cell wraps at its
        width, so what goes on below is never longer than its first line)."""
        j = i
        while True:
            _cost, back, _tied = best[j][state]
            if back is None:
                return CONT_WHOLE
            k, c, v, c2, _new = back
            if c2 == self.name_col:
                text, kind = self.piece(k, j)
                if size > len(text):
                    return NEVER
                return CONT_WHOLE if kind in (NAME, LEVEL, SHAPE) or text.endswith((")", "）")) else CONT
            j, state = k, (c, v)

    def _fits(self, text: str, kind: str) -> list[float]:
        key = (text, kind)
        if key not in self._fit_cache:
            self._fit_cache[key] = [MEASURED_NUMBER if kind == NUMBER and k in self.measured
                                    else piece_cost(col.role, text, kind, self.has_levels)
                                    for k, col in enumerate(self.columns)]
        return self._fit_cache[key]

    def _rows(self, best, j: int, state: tuple[int, int]) -> list[FitRow]:
        steps = []
        while True:
            _cost, back, tied = best[j][state]
            if back is None:
                break
            i, c, v, c2, new = back
            steps.append((i, j, c2, new, tied))
            j, state = i, (c, v)
        rows: list[FitRow] = []
        for i, j, c2, new, tied in reversed(steps):
            if new or not rows:
                rows.append(FitRow(start=self.nodes[i].start))
            row = rows[-1]
            span = (self.nodes[i].start, self.nodes[j].end)
            if c2 == "more":
                row.more.append(span)
                continue
            if c2 is None:
                if self.piece(i, j)[1] != EMPTY:
                    row.junk.append(span)
            else:
                row.cells[c2] = span
            row.tied = row.tied or tied
            if j < len(self.nodes) - 1:
                row.used.append(self.nodes[j])
        return rows


def adapt(grid: Grid, rows: list[FitRow]) -> Tuning | None:
    """What the first reading says about the columns and rows: a value column that holds descriptions is a
    text column; a column that nearly every indicator row fills costs more to leave empty; when nearly every
    row begins a line, a row does not go on past a line break. None: nothing to change."""
    named = [r for r in rows if grid.name_col in r.cells]
    if not named:
        return None
    columns = list(grid.columns)
    values = [k for k, c in enumerate(columns) if c.role == "value"]
    changed = False
    for k in values:
        kinds = [kind_of(clean(grid.text[a:b])) for r in named if k in r.cells for a, b in [r.cells[k]]]
        kinds = [x for x in kinds if x != EMPTY]
        if len(values) > 1 and len(kinds) >= 2 and sum(x == DESC for x in kinds) * 2 > len(kinds):
            columns[k] = Column(columns[k].header, "text")
            values = [x for x in values if x != k]
            changed = True
    measured = frozenset(_measured(grid, named, columns))
    skips: dict[int, float] = {}
    for k, col in enumerate(columns):
        if col.role in ("value", "number") and k not in measured:   # a row of points leaves the quantities empty
            share = sum(k in r.cells for r in named) / len(named)
            if share >= 0.6 and len(named) >= 3:
                skips[k] = round(2.5 * share, 3)
                changed = True
    changed = changed or bool(measured)
    starts = {n.start for n in grid.nodes if n.why in ("start", "newline", "blank", "cell")}
    at_line = sum(r.start in starts for r in rows)
    lines = not grid.dense and len(rows) >= 3 and at_line >= 0.8 * len(rows) and \
        sum(n.why == "newline" for n in grid.nodes) >= 2
    return Tuning(columns, skips, lines, measured) if changed or lines else None


def _measured(grid: Grid, named: list[FitRow], columns: list[Column]) -> list[int]:
    """Value columns whose cells are quantities with their unit (5.5亩, 80头) in nearly every row, with a
    points column (分值, 得分) after them: there a bare number (``★补助种植面积 10 10``) is the row's points,
    not its target."""
    out = []
    for k, col in enumerate(columns):
        if col.role != "value" or not any(c.role == "number" for c in columns[k + 1:]):
            continue
        texts = [clean(grid.text[a:b]) for r in named if k in r.cells for a, b in [r.cells[k]]]
        kinds = [kind_of(t) for t in texts if t]
        quantities = sum(x == VALUE and re.search(r"\d", t) is not None and not re.search(r"[%≥≤<>=]", t)
                         for t, x in zip([t for t in texts if t], kinds, strict=True))
        if len(kinds) >= 4 and quantities >= 0.6 * len(kinds):
            out.append(k)
    return out


def rows_are_lines(text: str) -> bool:
    """Whether each line of a body is a row: most lines hold three or more stretches apart at white space, or
    most lines hold a name and, after it, a value of the target grammar (a row run together on its line).

    >>> rows_are_lines("产出指标 数量指标 出差人数 正向 = 8 4\\n产出指标 数量指标 出差人次 正向 = 24 人/次 4\\n"
    ...                "产出指标 质量指标 工作任务完成率 正向 = 100 % 4")
    True
    >>> rows_are_lines("三级指标 新建高校(校区)\\n开工率(%)\\n年度目标值\\n7 100%")
    False
    >>> rows_are_lines("数量指标补助人数250人计划标准\\n质量指标补贴覆盖率100%历史标准\\n对象合规率100%计划标准")
    True
    """
    lines = [line.split() for line in text.split("\n") if line.strip()]
    wide = sum(len(parts) >= 3 for parts in lines)
    if wide >= 3 and wide >= 0.6 * len(lines):
        return True
    whole = sum(holds_row("".join(parts)) for parts in lines)
    return whole >= 3 and whole >= 0.6 * len(lines)


def best_reading(text: str, cuts: list[Cut], hypotheses: list[list[Column]], dense: bool = False
                 ) -> tuple[list[Column], list[FitRow], float]:
    """The cheapest reading of a body over a few hypotheses of the columns' roles; the winner is read again
    with what its first reading says about the columns (:func:`adapt`)."""
    found: tuple[list[Column], list[FitRow], float, Grid] | None = None
    pieces: dict = {}
    lines = not dense and rows_are_lines(text)
    for columns in hypotheses:
        grid = Grid(text, cuts, columns, dense, pieces=pieces, lines=lines)
        cost, rows = grid.run()
        if rows and (found is None or cost < found[2] - EPS):
            found = (columns, rows, cost, grid)
    if found is None:
        return hypotheses[0], [], float("inf")
    columns, rows, cost, grid = found
    tuning = adapt(grid, rows)
    if tuning is not None:
        cost2, rows2 = Grid(text, cuts, columns, dense, tuning, pieces, lines).run()
        if rows2:
            return tuning.columns, rows2, cost2
    return columns, rows, cost
