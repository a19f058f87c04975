"""The engine's input, read once per distinct value and spread to arrays.

Each distinct (三级指标, 指标值) pair is parsed once into a :class:`Comparator`; each distinct
(target, actual cell) pair is read once into a :class:`Reading`. :class:`Targets` and
:class:`Actuals` hold what the formulas need of them, one array element per indicator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from scoring.actuals.values import Reading, read_actual
from scoring.frames import distinct
from scoring.language.comparator import Comparator
from scoring.language.expressions import parse
from scoring.rubric.codes import KindCode, Op, ReadKind
from scoring.rubric.profile import Profile
from scoring.vocab import BANDED, TargetKind

INDICATOR_COLUMNS = {
    "id": None, "project": "", "level1": "", "level2": "", "level3": "", "annual_value": "",
    "weight": np.nan, "actual": None, "actual_is_percent": False, "reason_text": "", "cell": "",
}


Column = Sequence | np.ndarray | pd.Series | str | float | bool
"""One value per indicator, or one value for all of them."""


def engine_input(*, id: Column, project: Column, level3: Column, annual_value: Column, actual: Column,
                 level1: Column = "", level2: Column = "", weight: Column = np.nan, actual_is_percent: Column = False,
                 reason_text: Column = "", cell: Column = "", project_id: Column | None = None,
                 criteria: Column | None = None, evidence: Column | None = None, baseline: Column | None = None,
                 input_problem: Column | None = None, carry: Mapping[str, Column] | None = None) -> pd.DataFrame:
    """The engine's indicator table (:func:`scoring.rubric.engine.score_indicators`), one row per indicator,
    each column in its type: texts as objects, ``weight`` and ``baseline`` as floats (NaN: none), ``actual``
    the raw cells as objects, ``actual_is_percent`` as bools. The optional columns (the 评分标准 ``criteria``,
    the 基数 ``baseline``; ``project_id``, ``evidence`` and the reader's ``input_problem``, which the engine
    carries to the reports) are left out when not given, as are ``carry``'s: the caller's own columns
    (the monitoring fields), carried through the engine untouched, after the others.

    >>> df = engine_input(id=[1, 2], project="p", level3=["次数", "时限"], annual_value=["≥2次", "6月底前"],
    ...                   actual=[3, None], weight=[10, "x"])
    >>> list(df.columns), df["weight"].tolist(), df["actual"].tolist()
    (['id', 'project', 'level1', 'level2', 'level3', 'annual_value', 'weight', 'actual', 'actual_is_percent', \
'reason_text', 'cell'], [10.0, nan], [3, None])
    """
    n = len(id)
    columns: dict[str, object] = {"id": _objects(id, n)}
    if project_id is not None:
        columns["project_id"] = np.asarray(project_id)
    columns |= {"project": _objects(project, n), "level1": _objects(level1, n), "level2": _objects(level2, n),
                "level3": _objects(level3, n), "annual_value": _objects(annual_value, n),
                "weight": _floats(weight, n)}
    if criteria is not None:
        columns["criteria"] = _objects(criteria, n)
    columns |= {"actual": _objects(actual, n), "actual_is_percent": _bools(actual_is_percent, n),
                "reason_text": _objects(reason_text, n)}
    if evidence is not None:
        columns["evidence"] = _objects(evidence, n)
    if baseline is not None:
        columns["baseline"] = _floats(baseline, n)
    columns["cell"] = _objects(cell, n)
    if input_problem is not None:
        columns["input_problem"] = _objects(input_problem, n)
    for name, values in (carry or {}).items():
        columns[name] = _objects(values, n)
    return pd.DataFrame(columns)


def _objects(values: Column, n: int) -> np.ndarray:
    """``values`` as ``n`` objects (one value repeated when it is not per indicator): tuples, dates and
    None stay what they are."""
    if isinstance(values, pd.Series):
        values = values.to_numpy(dtype=object)
    if isinstance(values, np.ndarray) and values.ndim == 1:
        return values if values.dtype == object else values.astype(object)
    out = np.empty(n, dtype=object)
    if isinstance(values, str) or not isinstance(values, Sequence | np.ndarray):
        out[:] = [values] * n
    else:
        out[:] = list(values)  # element by element: tuples of one length must not become a 2-D array
    return out


def _bools(values: Column, n: int) -> np.ndarray:
    if isinstance(values, np.ndarray | pd.Series) and values.dtype.kind == "b":
        return np.asarray(values, dtype=bool)
    return np.asarray(_objects(values, n), dtype=bool)


def _floats(values: Column, n: int) -> np.ndarray:
    """Numbers as floats; what is not a number is NaN."""
    if isinstance(values, np.ndarray | pd.Series) and values.dtype.kind in "fiub":
        return np.asarray(values, dtype=float)
    return pd.to_numeric(pd.Series(_objects(values, n), dtype=object), errors="coerce").to_numpy(dtype=float)


def prepare(indicators: pd.DataFrame) -> pd.DataFrame:
    """The indicator table with every column the engine reads, in its type: a new frame (the engine adds
    its results to it), never the caller's. Columns are replaced, never written into, so the frame
    need not be a deep copy: with copy-on-write (pandas 3) ``reset_index`` shares the caller's arrays
    until they change, without it (pandas 2) it copies them."""
    df = indicators.reset_index(drop=True)
    for col, default in INDICATOR_COLUMNS.items():
        if col not in df.columns:
            df[col] = range(1, len(df) + 1) if col == "id" else default
    for col in ("project", "level1", "level2", "level3", "annual_value", "reason_text", "cell"):
        df[col] = df[col].astype(object).where(df[col].notna(), "").astype(str)
    df["weight"] = pd.to_numeric(df["weight"], errors="coerce").astype(float)
    df["actual_is_percent"] = df["actual_is_percent"].fillna(False).astype(bool)
    df["actual"] = df["actual"].astype(object)
    return df


def group_codes(*cols: pd.Series) -> np.ndarray:
    """One integer per distinct combination of the columns (first-seen order)."""
    key = np.zeros(len(cols[0]), dtype=np.int64)
    for col in cols:
        codes, uniques = pd.factorize(col, use_na_sentinel=False)
        key = key * (len(uniques) + 1) + codes
        key, _ = pd.factorize(key)
        key = key.astype(np.int64)
    return key


def spread(values: list, index: np.ndarray, dtype=object) -> np.ndarray:
    """``values`` (one per distinct item) as one element per indicator."""
    if not len(index):
        return np.zeros(0, dtype=dtype)
    arr = np.empty(len(values), dtype=dtype)
    if dtype is object:
        for i, v in enumerate(values):  # element by element: tuples stay tuples
            arr[i] = v
    else:
        arr[:] = values
    return arr[index]


@dataclass(frozen=True)
class Targets:
    """What each indicator's target asks for, one element per indicator."""

    comparators: list[Comparator]  # one per distinct target
    index: np.ndarray  # indicator → its comparator
    kind: np.ndarray  # KindCode
    op: np.ndarray  # Op
    value: np.ndarray  # A (the lower bound of a range); NaN when none
    high: np.ndarray  # the upper bound of a range
    strict_low: np.ndarray
    strict_high: np.ndarray


def read_targets(df: pd.DataFrame, profile: Profile, year: int | None) -> Targets:
    if len(df):
        index = group_codes(df["level3"], df["annual_value"])
        _, first = np.unique(index, return_index=True)
        l3 = df["level3"].to_numpy(dtype=object)
        av = df["annual_value"].to_numpy(dtype=object)
        comps = [parse(av[i], l3[i] or None, year, profile.lexicon) for i in first]
    else:
        index, comps = np.zeros(0, dtype=np.int64), []

    def col(f, dtype):
        return spread([f(c) for c in comps], index, dtype)

    def num(x):
        return np.nan if x is None else x

    return Targets(comps, index, kind=col(lambda c: KindCode.of(c.kind), np.int8), op=col(lambda c: Op.of(c.op), np.int8),
                   value=col(lambda c: num(c.value), float), high=col(lambda c: num(c.high), float),
                   strict_low=col(lambda c: c.strict_low, bool), strict_high=col(lambda c: c.strict_high, bool))


@dataclass(frozen=True)
class Actuals:
    """How each indicator's actual value was read, one element per indicator."""

    readings: list[Reading]  # one per distinct (target, cell)
    index: np.ndarray  # indicator → its reading
    kind: np.ndarray  # ReadKind
    number: np.ndarray  # B as read, with its sign (a negative count was made unreadable); NaN when not a number
    day: np.ndarray  # a date's ordinal; NaN when not a date
    sign: np.ndarray  # the direction of a growth reading
    verdict: np.ndarray  # index into BANDED, -1 when not a verdict
    percent: np.ndarray  # the percentage given with a verdict; NaN when none
    reason: np.ndarray  # why it is unreadable, "" otherwise
    deadline: np.ndarray  # the target's deadline as an ordinal (it may need the reading's year); NaN
    assumptions: np.ndarray  # tuples: the target's assumptions and the reading's
    level: np.ndarray  # the threshold (%) a number answering a level target (满意) is compared with; NaN
    late: np.ndarray  # the answer says the work was finished late, without a date
    notes: np.ndarray  # tuples: flags the reading raised although the value is scored


def read_actuals(df: pd.DataFrame, targets: Targets, profile: Profile, year: int | None) -> Actuals:
    readings, index, assumptions, deadlines = _read_distinct(df, targets, profile, year)

    def col(f, dtype):
        return spread([f(r) for r in readings], index, dtype)

    def num(x):
        return np.nan if x is None else x

    return Actuals(
        readings, index, kind=col(lambda r: ReadKind.of(r.kind), np.int8), number=col(lambda r: num(r.number), float),
        day=col(lambda r: np.nan if r.date is None else date.fromisoformat(r.date).toordinal(), float),
        sign=col(lambda r: r.sign, np.int8), verdict=col(lambda r: BANDED.index(r.verdict) if r.verdict else -1, np.int8),
        percent=col(lambda r: num(r.percent), float), reason=col(lambda r: r.reason or "", object),
        deadline=deadlines[index] if len(index) else np.zeros(0), assumptions=assumptions,
        level=col(lambda r: num(r.level), float), late=col(lambda r: r.late, bool), notes=col(lambda r: r.notes, object))


def with_levels(t: Targets, a: Actuals) -> Targets:
    """A number answering a level target (``满意`` with ``95%``) is scored as ``≥ threshold %``."""
    lv = ~np.isnan(a.level)
    if not lv.any():
        return t
    return replace(t, kind=np.where(lv, KindCode.QUANTITATIVE, t.kind).astype(np.int8),
                   op=np.where(lv, Op.AT_LEAST, t.op).astype(np.int8), value=np.where(lv, a.level, t.value),
                   high=np.where(lv, np.nan, t.high))


def _read_distinct(df, targets: Targets, profile: Profile, year: int | None):
    if not len(df):
        return [], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object), np.zeros(0)
    raw = df["actual"].to_numpy(dtype=object)
    comp_idx = targets.index
    pct = df["actual_is_percent"].to_numpy()
    # one reading per target and cell value of one type (True and 1 hash alike, and read differently)
    inverse, first = distinct(comp_idx, raw, pct)
    readings: list[Reading] = []
    assumptions = np.empty(len(first), dtype=object)
    deadlines = np.full(len(first), np.nan)
    for k, i in enumerate(first):
        c = targets.comparators[comp_idx[i]]
        r = read_actual(raw[i], c, bool(pct[i]), year, profile.lexicon, cached=False, workday=profile.workday_hours)
        readings.append(r)
        extra: tuple[str, ...] = ()
        if c.kind == TargetKind.DEADLINE:
            deadlines[k] = deadline_ordinal(c, year)
            if deadlines[k] != deadlines[k] and r.date and (c.date or "").startswith("--"):
                # no year scored given: 每年12月31日前 is read in the year of the completion date
                deadlines[k] = deadline_ordinal(c, int(r.date[:4]))
                extra = (f"未给评价年度，时限“{c.text.strip()}”按完成日期所在的 {r.date[:4]} 年理解",)
        assumptions[k] = tuple(c.assumptions) + tuple(r.assumptions) + extra
    return readings, inverse, assumptions[inverse], deadlines


def deadline_ordinal(c: Comparator, year: int | None) -> float:
    """A deadline target's day as an ordinal; NaN when it has no year and none is given."""
    if c.kind != TargetKind.DEADLINE or not c.date:
        return np.nan
    d = c.date
    if d.startswith("--"):
        if year is None:
            return np.nan
        d = f"{year:04d}{d[1:]}"
    try:
        return float(date.fromisoformat(d).toordinal())
    except ValueError:
        return np.nan


def is_satisfaction(df: pd.DataFrame) -> np.ndarray:
    """满意度 indicators: by their 一级 or their name."""
    l1 = df["level1"].str.contains("满意", regex=False).to_numpy(dtype=bool)
    l3 = df["level3"].str.contains("满意", regex=False).to_numpy(dtype=bool)
    return l1 | l3
