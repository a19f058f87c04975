"""``score check``: lint a year's targets before anything is scored against them.

Every registered rule (:mod:`scoring.checks.indicator_rules`, :mod:`scoring.checks.project_rules`)
runs over every indicator or project; each breach becomes a :class:`~scoring.findings.Finding`
with its place (file and line), the rule's code and severity: 错误 (the targets cannot be scored
as they are) or 警告 (scorable, but a person should look). Every 当年度指标值 is read with the
parser the engine uses.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from scoring.checks import criteria_rules, indicator_rules, project_rules  # noqa: F401  (they register their rules)
from scoring.checks.rules import RULES, Breach, IndicatorCase, ProjectCase, Rule
from scoring.findings import ERROR, Finding, place
from scoring.language.lexicon import Lexicon
from scoring.targets.model import Targets
from scoring.targets.store import project_location, read_targets
from scoring.workspace import INDICATORS_FILE


def check_dir(directory: str | os.PathLike, year: int | None = None, lexicon: Lexicon | None = None
              ) -> tuple[Targets, list[Finding]]:
    """Read a targets directory and lint it (``lexicon``: the profile's word lists, as the engine reads the
    targets with). Unreadable files raise :class:`ScoreError`."""
    targets = read_targets(directory, year)
    return targets, check_targets(targets, targets.year, lexicon)


def _findings(r: Rule, where: str, breaches: Iterable[Breach]) -> list[Finding]:
    return [Finding(b[2] if len(b) > 2 else where, b[0], r.severity, b[1], code=r.code) for b in breaches]


def check_targets(targets: Targets, year: int | None = None, lexicon: Lexicon | None = None) -> list[Finding]:
    """Every rule over every indicator, then over every project; schema problems of the files first."""
    findings = [Finding(p.where, p.message, p.severity, p.hint, code="schema") for p in targets.problems]
    findings += once_per_table(_indicator_findings(targets, year, lexicon), targets)
    findings += _project_findings(targets, year)
    return findings


PER_TABLE = "period_empty"  # a table without a 实施周期 column leaves every indicator's empty: said once


def once_per_table(findings: list[Finding], targets: Targets) -> list[Finding]:
    """The findings of :data:`PER_TABLE` said once for a project none of whose indicators has the value
    (its table has no such column), and once for the whole file when no project has it; an indicator
    left empty in a project whose others have it is still named on its own."""
    ind = targets.indicators
    pids = ind["project_id"].to_numpy(dtype=object)
    flagged = [f.code == PER_TABLE for f in findings]
    if not any(flagged):
        return findings
    where = _indicator_where(targets)
    row_of = {where(i): i for i in range(len(ind))}
    hit: dict[str, list[int]] = defaultdict(list)
    for f, is_per_table in zip(findings, flagged, strict=True):
        if is_per_table and f.where in row_of:
            hit[pids[row_of[f.where]]].append(row_of[f.where])
    size = Counter(pids.tolist())
    whole = {pid for pid, rows in hit.items() if len(rows) == size.get(pid)}
    rule = RULES[PER_TABLE]
    hint = "目标表只有年度指标值时无须处理；周期值与年度值是否一致无法检查"
    out = [f for f, is_per_table in zip(findings, flagged, strict=True)
           if not (is_per_table and f.where in row_of and pids[row_of[f.where]] in whole)]
    if len(whole) == len(size):
        out.append(Finding(where(0).rsplit(" › ", 1)[0], f"全部 {len(ind)} 个指标都没有实施周期指标值（目标表只有年度指标值）",
                           rule.severity, hint, code=PER_TABLE))
        return out
    names = dict(zip(targets.projects["project_id"], targets.projects["project"], strict=False))
    for k, pid in enumerate(targets.projects["project_id"]):
        if pid in whole:
            out.append(Finding(project_location(targets, k), f"项目“{names[pid]}”（{pid}）的 {size[pid]} 个指标都没有"
                               "实施周期指标值（目标表只有年度指标值）", rule.severity, hint, code=PER_TABLE))
    return out


def _indicator_where(targets: Targets):
    ifile = (targets.directory / INDICATORS_FILE) if targets.directory else Path(INDICATORS_FILE)
    return lambda i: place(ifile, f"第{i + 2}行")


def _indicator_findings(targets: Targets, year: int | None, lexicon: Lexicon | None = None) -> list[Finding]:
    from scoring.language.expressions import parse

    ind, proj = targets.indicators, targets.projects
    where = _indicator_where(targets)
    names = dict(zip(proj["project_id"], proj["project"], strict=False))
    rules = [r for r in RULES.values() if r.scope == "indicator"]
    out: list[Finding] = []
    cols = (ind[c].to_numpy(dtype=object) for c in ("id", "project_id", "level2", "level3", "period_value",
                                                    "annual_value", "criteria", "weight"))
    for i, (ident, pid, level2, level3, period, annual, criteria, weight) in enumerate(zip(*cols, strict=True)):
        case = IndicatorCase(where(i), f"“{names.get(pid, pid)}”的指标“{level3}”（{ident}）", level2, level3,
                             (period or "").strip(), (annual or "").strip(), parse(annual, level3 or None, year, lexicon),
                             year, lexicon, (criteria or "").strip(), float(weight))
        for r in rules:
            out += _findings(r, case.where, r.check(case))
    return out


def _project_findings(targets: Targets, year: int | None) -> list[Finding]:
    ind = targets.indicators
    rows_of: dict[str, list[int]] = defaultdict(list)
    for i, pid in enumerate(ind["project_id"].to_numpy(dtype=object)):
        rows_of[pid].append(i)
    arrays = (ind["level1"].to_numpy(dtype=object), ind["level3"].to_numpy(dtype=object),
              ind["weight"].to_numpy(dtype="float64"))
    rules = [r for r in RULES.values() if r.scope == "project"]
    out: list[Finding] = []
    for k, row in enumerate(targets.projects.itertuples(index=False)):
        case = ProjectCase(project_location(targets, k), f"项目“{row.project}”（{row.project_id}）", row,
                           rows_of.get(row.project_id, []), *arrays, _indicator_where(targets), year)
        for r in rules:
            out += _findings(r, case.where, r.check(case))
    return out


def describe_rules() -> str:
    """Every rule with its code, severity, summary and examples (``score check --list``)."""
    blocks = []
    for r in RULES.values():
        lines = [f"{r.code}（{r.severity}，{'每个指标' if r.scope == 'indicator' else '每个项目'}）：{r.summary}"]
        for label, ex in (("反例", r.bad), ("正例", r.good)):
            rows = "；".join(f"{l1}/{l2 or '（空）'}/{l3}：周期“{pv}”、年度“{av}”" for l1, l2, l3, pv, av in ex.rows[:2])
            extra = "，".join(f"{k}={v}" for k, v in ex.project)
            weights = f"，分值 {list(ex.weights)}" if ex.weights else ""
            shown = [x for x in (ex.criteria or ())[:2] if x]
            criteria = f"，评分标准“{'”“'.join(shown)}”" if shown else ""
            lines.append(f"  {label}：{rows or '（没有指标）'}{weights}{criteria}{'，' + extra if extra else ''}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def summary(findings: list[Finding]) -> tuple[int, int]:
    errors = sum(f.severity == ERROR for f in findings)
    return errors, len(findings) - errors
