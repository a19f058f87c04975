"""The fast column operations say what the pandas expressions they replace say (issue 14)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.frames import member
from scoring.pipeline import main_source

words = st.sampled_from(["甲", "乙", "丙", "", " ", "P00001-01", "1", "NaN"])


@settings(max_examples=200, deadline=None)
@given(values=st.lists(words, max_size=30), pool=st.lists(words, max_size=8))
def test_member_is_isin(values, pool):
    s = pd.Series(values, dtype="str")
    assert member(s, pool).tolist() == s.isin(pool).tolist()
    assert member(pd.Index(values, dtype=object), set(pool)).tolist() == pd.Index(values, dtype=object).isin(pool).tolist()


rows = st.lists(st.tuples(st.sampled_from(["甲", "乙", "丙", "丁"]),
                          st.none() | st.sampled_from(["a.xlsx", "b.xlsx", "c.xlsx"])), max_size=40)


@settings(max_examples=300, deadline=None)
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
