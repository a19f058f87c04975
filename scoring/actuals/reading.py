"""What one 实际完成值 was read as (:class:`Reading`); what to write instead when it could not be read is
:mod:`scoring.actuals.advice`'s."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reading:
    """An actual value as the engine uses it; ``text`` is how it was read, for the report.

    ``kind``: number, date, growth, verdict, unreadable, missing. ``level``: for a number read
    against a level target (``满意``), the percentage that level is taken to mean (the engine
    compares the number with it). ``late``: the answer says the work was finished late, without a
    date. ``notes``: things an auditor must look at although the value is scored (flags).
    ``hint``: for unreadable and missing values, what to write instead.
    """

    kind: str
    number: float | None = None
    date: str | None = None
    verdict: str | None = None
    percent: float | None = None
    sign: int = 0
    text: str = ""
    assumptions: tuple[str, ...] = ()
    reason: str | None = None
    explicit: bool = False  # a verdict written out (达成 …), not read from free text
    level: float | None = None
    late: bool = False
    notes: tuple[str, ...] = ()
    hint: str | None = None
