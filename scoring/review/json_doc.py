"""``score review --json``: one document, ``{"year", "findings", "projects"}`` (and ``"units"`` for a folder's
batch), findings and projects in the ranking's order. Deterministic: the same inputs give the same bytes."""

from __future__ import annotations

import json

from scoring.language.numerals import json_number
from scoring.review.run import COUNT_COLUMNS, Review

DEVIATION_DECIMALS = 4  # a fraction: 0.1234 = 12.34%


def _deviation(x: float) -> float | None:
    return json_number(round(x, DEVIATION_DECIMALS)) if x == x else None


def _entry(row, with_unit: bool) -> dict:
    out = {"project": row.project, "total": json_number(row.total), "review_total": json_number(row.review_total),
           "deviation": _deviation(row.deviation), "counts": {k: int(getattr(row, k)) for k in COUNT_COLUMNS}}
    if with_unit:
        out["unit"] = row.unit
    return out


def review_document(review: Review) -> dict:
    batch = review.units is not None
    doc = {"year": review.year, "findings": [f.to_json() for f in review.findings],
           "projects": [_entry(r, batch) for r in review.projects.itertuples(index=False)]}
    if batch:
        doc["units"] = [{"unit": u.unit, "projects": int(u.projects), "reviewed": int(u.reviewed),
                         "total": json_number(round(u.total, 2)), "review_total": json_number(round(u.review_total, 2)),
                         "deviation": _deviation(u.deviation), "counts": {k: int(getattr(u, k)) for k in COUNT_COLUMNS}}
                        for u in review.units.itertuples(index=False)]
    return doc


def review_json(review: Review) -> str:
    """The document as text: one finding or project per line (a golden file diffs line by line)."""
    doc = review_document(review)
    dumps = json.dumps

    def block(items: list[dict]) -> str:
        return "[\n" + ",\n".join("  " + dumps(x, ensure_ascii=False) for x in items) + "\n]" if items else "[]"

    parts = [f'"year": {dumps(doc["year"])}', f'"findings": {block(doc["findings"])}',
             f'"projects": {block(doc["projects"])}']
    if "units" in doc:
        parts.append(f'"units": {block(doc["units"])}')
    return "{" + ",\n".join(parts) + "}\n"
