"""The ``--json`` document: the whole result, streamed as text (a province's run is large)."""

from __future__ import annotations

import json
from collections.abc import Iterable

import numpy as np
import pandas as pd

from scoring.language.comparator import cell_text
from scoring.language.numerals import json_number
from scoring.reports.forms import narratives
from scoring.results import RunResult
from scoring.vocab import TargetKind

_JSON_INDICATOR = (("id", "id"), ("level1", "level1"), ("level2", "level2"), ("level3", "level3"),
                   ("target", "annual_value"), ("reading", "reading"), ("actual", "actual_display"),
                   ("actual_normalised", "actual_normalised"), ("verdict", "verdict"), ("weight", "weight"),
                   ("score", "score"), ("ratio", "ratio"), ("explanation", "explanation"),
                   ("assumptions", "assumptions"), ("flags", "flags"), ("cell", "cell"), ("reason", "reason_text"),
                   ("evidence", "evidence"))



class IndicatorJson:
    """Each indicator as a JSON object (text), its values taken column-wise once: a province has a million.

    The objects are made for the rows asked for (:meth:`texts`), project by project, so the whole
    document never holds a million dicts and their texts at once (``score YEAR --json`` at 1,000,000
    indicators peaked at 3.1 GiB when every row was made first)."""

    def __init__(self, ind: pd.DataFrame):
        cols = []
        for key, col in _JSON_INDICATOR:
            values = ind[col].to_numpy(dtype=object)
            if col in ("weight", "score", "ratio"):
                values = [json_number(v) for v in values]
            elif col == "reason_text":
                values = [v or None for v in values]
            elif col == "evidence":
                values = [cell_text(v) or None for v in values]
            cols.append((key, values))
        self.keys = [k for k, _ in cols]
        self.columns = [v for _, v in cols]
        self.changes = _changes(ind)
        self.criteria = _criteria(ind)

    def texts(self, rows: Iterable[int]) -> list[str]:
        dumps, keys, columns, changes, criteria = json.dumps, self.keys, self.columns, self.changes, self.criteria
        out = []
        for i in rows:
            row = dict(zip(keys, (c[i] for c in columns), strict=True))
            row["assumptions"], row["flags"] = list(row["assumptions"]), list(row["flags"])
            if i in changes:  # a change target (同比下降4%) also gives its baseline and the change achieved
                row["baseline"], row["change"] = changes[i]
            if i in criteria:
                row.update(criteria[i])
            out.append(dumps(row, ensure_ascii=False))
        return out


def indicator_rows(ind: pd.DataFrame) -> list[str]:
    """Every indicator as a JSON object (text), in the frame's order."""
    return IndicatorJson(ind).texts(range(len(ind)))


def _changes(ind: pd.DataFrame) -> dict[int, tuple]:
    """Row → (baseline, change achieved; null when unknown) for the change targets; other rows have no such keys."""
    if "change" not in ind.columns or "comparator" not in ind.columns:
        return {}
    comps = ind["comparator"].to_numpy(dtype=object)
    base, change = ind["baseline"].to_numpy(dtype=float), ind["change"].to_numpy(dtype=float)
    return {i: (json_number(base[i]), json_number(change[i]))
            for i, c in enumerate(comps) if getattr(c, "kind", None) == TargetKind.CHANGE}


def _criteria(ind: pd.DataFrame) -> dict[int, dict]:
    """Row → its ``criteria`` (the text), ``criteria_reading`` (the rule as read, or why it could not be) and
    ``scored_by`` (评分标准, or 口径 with why), for the indicators with their own 评分标准; others have no such keys."""
    if "criteria_rule" not in ind.columns:
        return {}
    rules = ind["criteria_rule"].to_numpy(dtype=object)
    texts, basis = ind["criteria"].to_numpy(dtype=object), ind["criteria_basis"].to_numpy(dtype=object)
    return {int(i): {"criteria": texts[i], "criteria_reading": rules[i].to_json(), "scored_by": basis[i]}
            for i in np.flatnonzero(rules != None)}  # noqa: E711  (an object array: element by element)


def project_json(p: pd.Series, indicators_json: list[str], narrative: str | None = None) -> str:
    subtotals = {c.removeprefix("subtotal_"): json_number(p[c]) for c in p.index if c.startswith("subtotal_")}
    head = {
        "project": p["project"],
        "budget": {"initial": json_number(p["initial_budget"]), "full_year": json_number(p["full_budget"]),
                   "spent": json_number(p["spent"]), "execution_rate": json_number(p["execution_rate"]),
                   "weight": json_number(p["budget_weight"]), "score": json_number(p["budget_score"]),
                   "explanation": p["budget_explanation"], "reason": cell_text(p.get("budget_reason")) or None},
        "subtotals": subtotals,
        "total": json_number(p["total"]),
        "grade": p["grade"],
        "flags": list(p["flags"]),
        "narrative": narrative or None,
    }
    return json.dumps(head, ensure_ascii=False)[:-1] + ', "indicators": [' + ", ".join(indicators_json) + "]}"



def iter_json(result: RunResult) -> Iterable[str]:
    """The ``--json`` document, as chunks of text (streamed: a province's run is large)."""
    ind = result.indicators
    rows = IndicatorJson(ind)
    order: dict[str, list[int]] = {}
    for i, name in enumerate(ind["project"].to_numpy(dtype=object)):
        order.setdefault(name, []).append(i)
    head = {"year": result.year, "rules": result.rules, "inputs": result.inputs}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "projects": ['
    proj = result.projects
    texts = narratives(result)
    for i, (_, p) in enumerate(proj.iterrows()):
        members = order.get(p["project"], [])
        yield ("" if i == 0 else ",") + "\n" + project_json(p, rows.texts(members), texts.get(p["project"]))
    yield '\n], "problems": ' + json.dumps([pr.to_json() for pr in result.problems], ensure_ascii=False) + "}\n"
