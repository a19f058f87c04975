"""The ``score monitor --json`` document: the shape of ``score YEAR --json`` (the projections scored
as a year-end result would be) plus the monitoring fields.

Top level: ``through``, ``time_progress`` {basis, elapsed, total, percent, explanation}, ``assumptions``.
Each project: ``budget_progress`` {spent, rate, time_progress, gap, expected, projected_rate, warning,
reasons, notes}, ``warning``, ``warning_reasons``; its ``budget`` block is the projected year end.
Each indicator: ``likelihood`` (the unit's choice or null), ``computed_likelihood`` (or null: not
assessable), ``likelihood_reason``, ``warning``, ``warning_reasons``, ``current`` (the 1–N月 value as
written), ``expected`` (the unit's 全年预计 as written), ``projection``, ``projection_source``,
``accrual``, ``progress``, ``measures``; ``actual`` is the 1–N月 value and ``verdict``/``score`` are
those of the projection.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from scoring.language.numerals import json_number
from scoring.reports.json_report import indicator_rows, project_json
from scoring.results import MonitorResult


def _text(x: object) -> str | None:
    return x if isinstance(x, str) and x else None


def _splice(obj_text: str, extra: dict) -> str:
    """``{...}`` with more keys at its end."""
    return obj_text[:-1] + ", " + json.dumps(extra, ensure_ascii=False)[1:]


def _indicator_extra(r) -> dict:
    return {"likelihood": r.likelihood, "computed_likelihood": r.computed_likelihood,
            "likelihood_reason": r.likelihood_reason, "warning": r.warning, "warning_reasons": list(r.warning_reasons),
            "current": _text(r.current_display), "expected": _text(r.expected_display), "projection": r.projection,
            "projection_source": r.projection_source, "accrual": r.accrual, "progress": json_number(r.progress),
            "measures": _text(r.measures)}


def _project_extra(p, result: MonitorResult) -> dict:
    return {"budget_progress": {"spent": json_number(p["spent_so_far"]), "rate": json_number(p["budget_rate"]),
                                "time_progress": json_number(result.time.fraction), "gap": json_number(p["budget_gap"]),
                                "expected": json_number(p["expected_spending"]), "projected_rate": json_number(p["budget_projected_rate"]),
                                "warning": p["budget_warning"], "reasons": list(p["budget_reasons"]),
                                "notes": list(p["budget_notes"]), "reason": _text(p["budget_reason_text"]),
                                "measures": _text(p["measures"])},
            "warning": p["warning"], "warning_reasons": list(p["warning_reasons"])}


def iter_monitor_json(result: MonitorResult) -> Iterable[str]:
    ind = result.indicators
    if "evidence" not in ind.columns:  # the monitoring form has no 佐证材料 column
        ind = ind.assign(evidence="")
    rows = [_splice(text, _indicator_extra(r)) for text, r in zip(indicator_rows(ind), ind.itertuples(index=False), strict=True)]
    order: dict[str, list[int]] = {}
    for i, name in enumerate(ind["project"].to_numpy(dtype=object)):
        order.setdefault(name, []).append(i)
    tp = result.time
    head = {"year": result.year, "rules": result.rules, "inputs": result.inputs, "through": tp.through.isoformat(),
            "time_progress": {"basis": tp.basis, "elapsed": json_number(tp.elapsed), "total": json_number(tp.total),
                              "percent": round(tp.percent, 4), "label": tp.label, "explanation": tp.explanation()},
            "assumptions": list(result.assumptions)}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "projects": ['
    for i, (_, p) in enumerate(result.projects.iterrows()):
        text = project_json(p, [rows[k] for k in order.get(p["project"], [])])
        yield ("" if i == 0 else ",") + "\n" + _splice(text, _project_extra(p, result))
    yield '\n], "problems": ' + json.dumps([pr.to_json() for pr in result.problems], ensure_ascii=False) + "}\n"
