"""The ``--json`` document: the whole result, streamed as text (a province's run is large)."""

from __future__ import annotations

import json
from collections.abc import Iterable

import numpy as np
import pandas as pd

from scoring.language.comparator import cell_text
from scoring.language.numerals import json_number
from scoring.pipeline import RunResult
from scoring.reports.forms import narratives

_JSON_INDICATOR = (("id", "id"), ("level1", "level1"), ("level2", "level2"), ("level3", "level3"),
                   ("target", "annual_value"), ("reading", "reading"), ("actual", "actual_display"),
                   ("actual_normalised", "actual_normalised"), ("verdict", "verdict"), ("weight", "weight"),
                   ("score", "score"), ("ratio", "ratio"), ("explanation", "explanation"),
                   ("assumptions", "assumptions"), ("flags", "flags"), ("cell", "cell"), ("reason", "reason_text"),
                   ("evidence", "evidence"))



def indicator_rows(ind: pd.DataFrame) -> list[str]:
    """Each indicator as a JSON object (text), built column-wise: a province has a million."""
    cols = []
    for key, col in _JSON_INDICATOR:
        values = ind[col].to_numpy(dtype=object)
        if col in ("weight", "score", "ratio"):
            values = [json_number(v) for v in values]
        elif col in ("assumptions", "flags"):
            values = [list(v) for v in values]
        elif col == "reason_text":
            values = [v or None for v in values]
        elif col == "evidence":
            values = [cell_text(v) or None for v in values]
        cols.append((key, values))
    keys = [k for k, _ in cols]
    dumps = json.dumps
    rows = [dict(zip(keys, row, strict=True)) for row in zip(*(v for _, v in cols), strict=True)]
    _with_changes(ind, rows)
    _with_criteria(ind, rows)
    return [dumps(r, ensure_ascii=False) for r in rows]


def _with_changes(ind: pd.DataFrame, rows: list[dict]) -> None:
    """A change target (同比下降4%) also gives its ``baseline`` and the ``change`` achieved (null when unknown);
    other indicators do not have these keys."""
    if "change" not in ind.columns or "comparator" not in ind.columns:
        return
    comps = ind["comparator"].to_numpy(dtype=object)
    base, change = ind["baseline"].to_numpy(dtype=float), ind["change"].to_numpy(dtype=float)
    for i, c in enumerate(comps):
        if getattr(c, "kind", None) == "change":
            rows[i]["baseline"], rows[i]["change"] = json_number(base[i]), json_number(change[i])



def _with_criteria(ind: pd.DataFrame, rows: list[dict]) -> None:
    """An indicator with its own 评分标准 also gives ``criteria`` (the text), ``criteria_reading`` (the rule as
    read, or why it could not be) and ``scored_by`` (评分标准, or 口径 with why); others do not have these keys."""
    if "criteria_rule" not in ind.columns:
        return
    rules = ind["criteria_rule"].to_numpy(dtype=object)
    texts, basis = ind["criteria"].to_numpy(dtype=object), ind["criteria_basis"].to_numpy(dtype=object)
    for i in np.flatnonzero(rules != None):  # noqa: E711  (an object array: element by element)
        rows[i]["criteria"], rows[i]["criteria_reading"] = texts[i], rules[i].to_json()
        rows[i]["scored_by"] = basis[i]


def project_json(p: pd.Series, indicators_json: list[str], narrative: str | None = None) -> str:
    subtotals = {c.removeprefix("subtotal_"): json_number(p[c]) for c in p.index if c.startswith("subtotal_")}
    head = {
        "project": p["project"],
        "budget": {"initial": json_number(p["initial_budget"]), "full_year": json_number(p["full_budget"]),
                   "spent": json_number(p["spent"]), "execution_rate": json_number(p["execution_rate"]),
                   "weight": json_number(p["budget_weight"]), "score": json_number(p["budget_score"]),
                   "explanation": p["budget_explanation"]},
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
    rows = indicator_rows(ind)
    order: dict[str, list[int]] = {}
    for i, name in enumerate(ind["project"].to_numpy(dtype=object)):
        order.setdefault(name, []).append(i)
    head = {"year": result.year, "rules": result.rules, "inputs": result.inputs}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "projects": ['
    proj = result.projects
    texts = narratives(result)
    for i, (_, p) in enumerate(proj.iterrows()):
        members = order.get(p["project"], [])
        yield ("" if i == 0 else ",") + "\n" + project_json(p, [rows[k] for k in members], texts.get(p["project"]))
    yield '\n], "problems": ' + json.dumps([pr.to_json() for pr in result.problems], ensure_ascii=False) + "}\n"
