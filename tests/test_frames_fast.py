"""The fast column operations say what the pandas expressions they replace say (issue 14)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import examples
from scoring.frames import member
from scoring.pipeline import main_source

words = st.sampled_from(["甲", "乙", "丙", "", " ", "P00001-01", "1", "NaN"])


@settings(max_examples=examples(200), deadline=None)
@given(values=st.lists(words, max_size=30), pool=st.lists(words, max_size=8))
def test_member_is_isin(values, pool):
    s = pd.Series(values, dtype="str")
    assert member(s, pool).tolist() == s.isin(pool).tolist()
    assert member(pd.Index(values, dtype=object), set(pool)).tolist() == pd.Index(values, dtype=object).isin(pool).tolist()


rows = st.lists(st.tuples(st.sampled_from(["甲", "乙", "丙", "丁"]),
                          st.none() | st.sampled_from(["a.xlsx", "b.xlsx", "c.xlsx"])), max_size=40)


@settings(max_examples=examples(300), deadline=None)
@given(rows=rows)
def test_main_source_is_the_most_frequent_source_first_met_on_ties(rows):
    project = pd.Series([p for p, _ in rows], dtype="str")
    source = pd.Series([s for _, s in rows], dtype=object)
    expected = (pd.DataFrame({"project": project, "source": source}).dropna()
                .groupby("project")["source"].agg(lambda x: x.value_counts().index[0]))
    got = main_source(project, source)
    assert list(got.items()) == list(expected.items())


def test_main_source_tie_goes_to_the_first_met():
    got = main_source(pd.Series(["甲"] * 4), pd.Series(["b.xlsx", "a.xlsx", "a.xlsx", "b.xlsx"]))
    assert got.to_dict() == {"甲": "b.xlsx"}


def test_indicator_kinds_is_the_parse_of_each_row():
    from pathlib import Path

    from scoring.language.expressions import parse
    from scoring.language.units import is_percent
    from scoring.targets.model import Targets, indicator_kinds
    from scoring.targets.store import load_targets

    t = load_targets(Path(__file__).resolve().parent.parent / "targets" / "2023")
    ind = pd.concat([t.indicators, t.indicators.iloc[::-3]], ignore_index=True)  # repeated pairs, other order
    got = indicator_kinds(Targets(t.projects, ind, year=2023), 2023)
    comps = [parse(v, l3, 2023) for l3, v in zip(ind["level3"], ind["annual_value"], strict=True)]
    assert got["id"].tolist() == ind["id"].tolist()
    assert got["kind"].tolist() == [c.kind for c in comps]
    assert got["percent"].tolist() == [c.kind in ("quantitative", "range") and is_percent(c.unit) for c in comps]
    assert got["percent"].any() and not got["percent"].all()
    assert len(indicator_kinds(Targets(t.projects, ind.iloc[0:0], year=2023), 2023)) == 0


# distinct / per_distinct: a function of the row, once per distinct row (issue 14)

from datetime import date, datetime  # noqa: E402

import numpy as np  # noqa: E402

from scoring.frames import distinct, per_distinct  # noqa: E402

cells = st.sampled_from([1, 1.0, True, False, 0, 0.0, 2.5, float("nan"), None, "1", "", "达成", "1.0",
                         date(2023, 1, 1), datetime(2023, 1, 1), (1, 2), ("甲",)])
floats = st.sampled_from([0.0, -0.0, 1.0, 2.5, float("nan"), float("inf"), -1e300, 1 / 3])


def _shown(x):
    """What a function of the value may see: its type and value (0.0 and -0.0 alike in an object column)."""
    if isinstance(x, float) and x == 0:
        return ("float", 0.0)
    return (type(x).__name__, repr(x))


@settings(max_examples=examples(300), deadline=None)
@given(rows=st.lists(st.tuples(cells, floats, st.booleans(), st.integers(-2, 2)), max_size=40))
def test_per_distinct_is_the_function_of_each_row(rows):
    obj = np.empty(len(rows), dtype=object)
    obj[:] = [r[0] for r in rows]
    flo = np.array([r[1] for r in rows], dtype=float)
    boo = np.array([r[2] for r in rows], dtype=bool)
    ints = pd.Series([r[3] for r in rows], dtype="int64")
    calls = []

    def f(o, x, b, i):
        calls.append(1)
        return (_shown(o), repr(x), type(x).__name__, b, type(b).__name__, i, type(i).__name__)

    got = per_distinct(f, obj, flo, boo, ints)
    want = [(_shown(o), repr(float(x)), "float", bool(b), "bool", int(i), "int")
            for o, x, b, i in zip(obj.tolist(), flo.tolist(), boo.tolist(), ints.tolist(), strict=True)]
    assert got.dtype == object and got.shape == (len(rows),)
    assert list(got) == want
    codes, first = distinct(obj, flo, boo, ints)
    assert len(calls) == len(first) == len(set(codes.tolist()))
    assert codes[first].tolist() == list(range(len(first)))  # numbered in order of first appearance
    assert all(codes[:i].max(initial=-1) < codes[i] for i in first.tolist())


def test_distinct_keeps_apart_what_a_dict_would_merge_by_type_and_floats_by_bits():
    obj = np.array([1, 1.0, True, "1", None, float("nan"), None], dtype=object)
    assert distinct(obj)[0].tolist() == [0, 1, 2, 3, 4, 5, 4]
    assert distinct(np.array([0.0, -0.0, 0.0, float("nan")]))[0].tolist() == [0, 1, 0, 2]
    assert distinct(np.array(["a", np.str_("a"), "b", "a"], dtype=object))[0].tolist() == [0, 0, 1, 0]  # text is text
    assert distinct(pd.Series(["a", None, "b", "a"], dtype="str"))[0].tolist() == [0, 1, 2, 0]
    codes, first = distinct(np.zeros(0))
    assert codes.tolist() == [] and first.tolist() == []
    assert per_distinct(len, np.zeros(0, dtype=object)).tolist() == []


def test_per_distinct_keeps_tuples_whole():
    got = per_distinct(lambda x: (x, x), np.array(["a", "b", "a"], dtype=object))
    assert got.shape == (3,) and got.tolist() == [("a", "a"), ("b", "b"), ("a", "a")]
    assert got[0] is got[2]  # one result object per distinct row
