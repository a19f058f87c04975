"""What a run produces and the report writers read: :class:`RunResult` (``score YEAR``) and
:class:`MonitorResult` (``score monitor``), both a :class:`Result` — the year, the profile, the inputs
and their checksums, the targets, the engine's :class:`~scoring.rubric.engine.Scored` frames and the
problems found. :mod:`scoring.pipeline` and :mod:`scoring.monitor.run` make them; :mod:`scoring.reports`
imports them from here, never from the jobs that make them.

The monitoring result also carries its :class:`TimeProgress` (how much of the year lies behind the
monitoring date); the words its columns hold are :mod:`scoring.vocab`'s (WarningLevel, UNFILLED, Likelihood).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from scoring.findings import Finding
from scoring.frames import member
from scoring.language.numerals import fmt_number
from scoring.rubric.engine import Scored
from scoring.rubric.profile import Profile
from scoring.targets.model import Targets


@dataclass
class Result:
    """What every run has: the scored indicators and projects, and the problems an auditor must see."""

    year: int
    rules: str
    profile: Profile
    inputs: list[dict]
    targets: Targets
    scored: Scored
    problems: list[Finding] = field(default_factory=list)
    actuals_label: str = ""

    @property
    def indicators(self) -> pd.DataFrame:
        return self.scored.indicators

    @property
    def projects(self) -> pd.DataFrame:
        return self.scored.projects


@dataclass
class RunResult(Result):
    """``score YEAR``: one workbook, or a folder of them (one per department)."""

    project_source: dict[str, str] = field(default_factory=dict)  # project → workbook, for a folder of workbooks
    # a folder of workbooks: every workbook in it (label → "" when scored, else why not), and the target
    # projects no workbook filled (left out of the scores)
    workbooks: dict[str, str] = field(default_factory=dict)
    uncovered: list[str] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(self.project_source.values()))

    def subset(self, source: str) -> RunResult:
        """The part of a folder's result that came from one workbook: its projects and its problems."""
        names = {p for p, s in self.project_source.items() if s == source}
        ind = self.scored.indicators
        ind_sub = ind[member(ind["project"], names)].reset_index(drop=True)
        proj_sub = self.scored.projects[member(self.scored.projects["project"], names)].reset_index(drop=True)
        ids = set(ind_sub["id"])
        problems = [p for p in self.problems if p.where.startswith(source) or (p.id in ids)
                    or any(p.where.startswith(f"{n} › ") for n in names)]
        t = self.targets
        targets = Targets(projects=t.projects[member(t.projects["project"], names)].reset_index(drop=True),
                          indicators=t.indicators[member(t.indicators["project"], names)].reset_index(drop=True),
                          year=t.year, directory=t.directory)
        scored = Scored(ind_sub, proj_sub, self.scored.profile, self.scored.year)
        return RunResult(self.year, self.rules, self.profile, [i for i in self.inputs if i["path"] == source]
                         + [i for i in self.inputs if not i["path"].endswith(".xlsx")], targets, scored, problems,
                         source, {n: source for n in names})


@dataclass(kw_only=True)
class MonitorResult(Result):
    """``score monitor``: the projections scored as a year end would be, with the monitoring columns
    added to :attr:`scored` (:mod:`scoring.monitor.run`)."""

    time: TimeProgress
    assumptions: tuple[str, ...] = ()  # about the run as a whole (the monitoring date)


def month_end(d: date) -> date:
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def is_month_end(d: date) -> bool:
    return d == month_end(d)


@dataclass(frozen=True)
class TimeProgress:
    """How much of the year lies behind ``through``: ``elapsed`` of ``total`` days or months
    (:func:`scoring.monitor.progress.time_progress`)."""

    through: date
    basis: str
    elapsed: float
    total: float

    @property
    def year(self) -> int:
        return self.through.year

    @property
    def fraction(self) -> float:
        return self.elapsed / self.total

    @property
    def percent(self) -> float:
        return self.fraction * 100

    @property
    def label(self) -> str:
        """The period the workbook's columns are named after: ``1–7月``, or ``1月1日–7月15日``."""
        if is_month_end(self.through):
            return "1月" if self.through.month == 1 else f"1–{self.through.month}月"
        return f"1月1日–{self.through.month}月{self.through.day}日"

    def explanation(self) -> str:
        d = self.through
        if self.basis == "days":
            return (f"{d.year}年1月1日至{d.month}月{d.day}日共 {fmt_number(self.elapsed)} 天，全年 {fmt_number(self.total)} 天："
                    f"{fmt_number(self.elapsed)} ÷ {fmt_number(self.total)} = {self.percent:.2f}%")
        part = "" if is_month_end(d) else f"（{d.month}月未过完，不计）"
        return f"截至{d.month}月{d.day}日已过 {fmt_number(self.elapsed)} 个整月{part}：{fmt_number(self.elapsed)} ÷ 12 = {self.percent:.2f}%"
