"""The main job: one year's targets + the actuals workbook + a rubric profile → results.

Data flows one way: :func:`join` (pure) lines the actuals up with the targets by 指标编号,
:func:`scoring.rubric.engine.score_indicators` scores them, :func:`collect_problems` (pure) lists what an
auditor must look at. :func:`run_year` is the edge that reads files; the report writers in
:mod:`scoring.reports.year_report` take its :class:`~scoring.results.RunResult`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from scoring.actuals.folder import others_in, read_folder, workbooks_in
from scoring.actuals.opening import refuse_other_format
from scoring.actuals.workbook import (
    EXCEL_ERRORS,
    SHEET_INDICATORS,
    Actuals,
    Opened,
    is_blank,
    open_actuals,
    read_actuals,
)
from scoring.files import sha256_of
from scoring.findings import ERROR, WARNING, Finding, ScoreError, place
from scoring.frames import distinct, member, per_distinct
from scoring.language.comparator import cell_text
from scoring.language.expressions import parse, read_quantity
from scoring.language.lexicon import Lexicon
from scoring.language.numerals import fmt_number
from scoring.language.units import is_percent, registry
from scoring.problems import collect_problems, narrative_problems
from scoring.results import RunResult
from scoring.rubric.engine import Scored, score_indicators
from scoring.rubric.explain import not_judged
from scoring.rubric.inputs import engine_input
from scoring.rubric.profile import Profile
from scoring.rubric.profile_file import load_profile
from scoring.targets.model import Targets, indicator_kinds
from scoring.targets.names import CODE as SAME_NAME
from scoring.targets.store import load_targets
from scoring.vocab import NUMERIC, TargetKind
from scoring.xlsx import check_xlsx

if TYPE_CHECKING:
    from scoring.review.run import Review


def percent_ids(targets: Targets, year: int | None, lexicon: Lexicon | None = None) -> set[str]:
    """Indicators whose target is a percentage (their numeric cells' formats matter), read with ``lexicon``
    (the profile's word lists) as the engine reads them."""
    kinds = indicator_kinds(targets, year, lexicon)
    return set(kinds["id"][kinds["percent"] | (kinds["kind"] == TargetKind.CHANGE)])  # a change's level may be a percent cell


def _negative(v: object) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, int | float):
        return v < 0
    if isinstance(v, str) and v.strip()[:1] in ("-", "－", "负", "−"):
        q = read_quantity(v.replace("负", "-").replace("−", "-"))
        return q is not None and q[0] < 0
    return False


def negative_counts(df: pd.DataFrame, year: int | None, lexicon: Lexicon | None = None) -> np.ndarray:
    """Rows whose actual is negative where the target counts or measures something (次, 人, 小时, m²…):
    such a value is a typing error, not a result. A negative percentage (a fall) is left to the rules."""
    actual = df["actual"].to_numpy(dtype=object)
    return _counts_or_durations(df, per_distinct(_negative, actual).astype(bool) if len(actual) else
                                np.zeros(0, dtype=bool), year, lexicon)


def _counts_or_durations(df: pd.DataFrame, negative: np.ndarray, year: int | None,
                         lexicon: Lexicon | None = None) -> np.ndarray:
    """Of the rows ``negative`` marks, those whose target counts or measures something."""
    out = np.zeros(len(negative), dtype=bool)
    rows = np.flatnonzero(negative)
    for i, target, name in zip(rows.tolist(), df["annual_value"].to_numpy(dtype=object)[rows].tolist(),
                               df["level3"].to_numpy(dtype=object)[rows].tolist(), strict=True):
        c = parse(target, name, year, lexicon)
        out[i] = c.kind in NUMERIC and bool(c.unit) and not is_percent(c.unit)
    return out


def _cell_problem(v: object) -> str:
    if isinstance(v, float) and not math.isfinite(v):
        return "单元格的数值无效（NaN 或无穷大）"
    if isinstance(v, str) and v.strip().upper() in EXCEL_ERRORS:
        return f"单元格是 Excel 错误值“{v.strip()}”（公式出错）"
    return ""


def _maybe_cell_problem(actual: np.ndarray) -> np.ndarray:
    """Where :func:`_cell_problem` can find something: a float (NaN, infinity) or a text with ``#``."""
    return np.fromiter(((isinstance(v, float) and not math.isfinite(v)) or (isinstance(v, str) and "#" in v)
                        for v in actual), dtype=bool, count=len(actual))


def display_actual(v: object, percent_cell: bool) -> str:
    """The actual as the user sees it in Excel: 0.92 in a percent cell shows as 92%."""
    if percent_cell and isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v):
        return f"{fmt_number(round(v * 100, 10))}%"
    return cell_text(v)


def join(targets: Targets, actuals: Actuals, lexicon: Lexicon | None = None
         ) -> tuple[pd.DataFrame, pd.DataFrame, list[Finding]]:
    """The engine's input: every target indicator with its actual (matched by 指标编号), the budgets,
    and the problems the matching found (rows missing from the workbook, unknown 指标编号)."""
    ind = targets.indicators
    vals = actuals.values.drop_duplicates("id", keep="first").set_index("id")
    problems: list[Finding] = []
    ids = ind["id"].to_numpy(dtype=object)
    pos = vals.index.get_indexer(ids)  # the index is unique: each id's row, -1 when the workbook has none
    present = pos >= 0
    sub = vals.reindex(ids)
    raw = sub["actual"].to_numpy(dtype=object)
    actual = raw.copy()
    problem = sub["problem"].fillna("").to_numpy(dtype=object).copy()
    cells = sub["cell"].to_numpy(dtype=object).copy()
    label = actuals.label
    for i in np.flatnonzero(~present):
        cells[i] = place(label, SHEET_INDICATORS, f"（缺少指标编号 {ids[i]} 的行）")
        problem[i] = "工作簿中没有这个指标的行，无法判定"
        actual[i] = None
    # what is read of each cell value, once per distinct value (a province has a million cells, far fewer values)
    codes, first = distinct(raw)
    distinct_values = raw[first].tolist()
    checked = np.array([_cell_problem(v) for v in distinct_values], dtype=object)[codes]
    fresh = (checked != "") & (problem == "")
    problem[fresh] = checked[fresh]
    for i in np.flatnonzero(problem != ""):
        if not present[i] or fresh[i]:
            hint = ("请按模板补上这一行" if not present[i] else
                    "请修正这个单元格的公式，或直接填写实际完成值" if "Excel 错误值" in problem[i] else "请改为数值或文字")
            problems.append(Finding(cells[i], problem[i], ERROR, hint, ids[i]))
    usable = problem == ""
    actual[~usable] = None
    hit = np.zeros(len(vals), dtype=bool)
    hit[pos[present]] = True
    for ident in vals.index[~hit]:
        problems.append(Finding(vals.at[ident, "cell"], f"未知的指标编号“{ident}”：目标表中没有这个指标，未计分", WARNING,
                                "请确认是否用了其他年度或其他单位的模板", ident))
    df = engine_input(
        id=ids, project_id=ind["project_id"].to_numpy(), project=ind["project"].to_numpy(),
        level1=ind["level1"].to_numpy(), level2=ind["level2"].to_numpy(), level3=ind["level3"].to_numpy(),
        annual_value=ind["annual_value"].to_numpy(), weight=ind["weight"].to_numpy(dtype=float),
        criteria=ind["criteria"].to_numpy(dtype=object) if "criteria" in ind.columns else "",
        actual=actual, actual_is_percent=sub["actual_is_percent"].fillna(False).to_numpy(dtype=bool),
        reason_text=sub["reason_text"].fillna("").to_numpy(dtype=object),
        evidence=sub["evidence"].fillna("").to_numpy(dtype=object),
        baseline=(pd.to_numeric(sub["baseline"], errors="coerce").to_numpy(dtype=float) if "baseline" in sub.columns
                  else np.full(len(ids), np.nan)),
        cell=cells, input_problem=problem)
    negative_value = np.array([_negative(v) for v in distinct_values], dtype=bool)[codes] & usable
    negative = _counts_or_durations(df, negative_value, targets.year, lexicon)
    for i in np.flatnonzero(negative & (df["input_problem"].to_numpy(dtype=object) == "")):
        reason = f"实际完成值“{display_actual(df['actual'].iat[i], False)}”是负数，而这个指标计的是数量或时长"
        df.at[i, "input_problem"] = reason
        df.at[i, "actual"] = None
        problems.append(Finding(df.at[i, "cell"], reason, ERROR, "请填写非负的数值", df.at[i, "id"]))
    # the actual as the user sees it: text as typed, numbers as Excel shows them (once per value and format)
    pct = df["actual_is_percent"].to_numpy(dtype=bool)
    shown_codes, shown_first = distinct(codes, pct)
    df["actual_display"] = np.array([v if type(v) is str else display_actual(v, p) for v, p in
                                     zip(raw[shown_first].tolist(), pct[shown_first].tolist(), strict=True)],
                                    dtype=object)[shown_codes].tolist()
    budgets = _budgets(targets, actuals, problems)
    return df, budgets, problems


def _budgets(targets: Targets, actuals: Actuals, problems: list[Finding]) -> pd.DataFrame:
    b = actuals.budgets.set_index("project")
    names = targets.projects["project"].to_numpy()
    if "note" not in b.columns:
        b = b.assign(note="")
    out = b.reindex(names)[["initial_budget", "full_budget", "spent", "reason_text", "note"]].reset_index(names="project")
    out["reason_text"] = out["reason_text"].fillna("")
    out["note"] = out["note"].fillna("")
    for name in names[~member(names, b.index)]:
        problems.append(Finding(place(actuals.label, "预算执行"), f"没有项目“{name}”的预算执行数据，预算执行率得 0 分", ERROR,
                                "请在“预算执行”表中补上这个项目的一行"))
    for name in b.index[~member(b.index, names)]:
        problems.append(Finding(b.at[name, "cell"], f"未知的项目“{name}”：目标表中没有这个项目，未计分", WARNING))
    # the targets' 年度预算金额 is the budget approved at the start of the year, when the sheet leaves it out
    fallback = targets.projects["budget"].to_numpy(dtype=float)
    out["initial_budget"] = np.where(np.isnan(out["initial_budget"].to_numpy(dtype=float)), fallback,
                                     out["initial_budget"].to_numpy(dtype=float))
    return out


def apply_input_problems(scored: Scored) -> None:
    """Indicators whose cell could not be used say why, in place of a generic 'missing'."""
    ind = scored.indicators
    bad = ind["input_problem"].to_numpy(dtype=object) != ""
    if not bad.any():
        return
    expl = ind["explanation"].to_numpy(dtype=object).copy()
    flags = ind["flags"].to_numpy(dtype=object).copy()
    why = ind["unknown_reason"].to_numpy(dtype=object).copy()
    reasons = ind["input_problem"].to_numpy(dtype=object)
    for i in np.flatnonzero(bad).tolist():
        reason = why[i] = reasons[i]
        expl[i] = not_judged(reason)
        flags[i] = (reason, *[f for f in flags[i] if "未填写" not in f])
    ind["explanation"] = expl
    ind["flags"] = flags
    ind["unknown_reason"] = why


def covered(targets: Targets, actuals: Actuals) -> tuple[Targets, list[Finding], dict[str, str]]:
    """The targets of the projects a folder of workbooks covers, the projects it leaves out, and
    which workbook each project came from (the one holding most of its rows)."""
    ind = targets.indicators
    vals = actuals.values
    filled = vals[~vals["actual"].map(is_blank).to_numpy(dtype=bool)]
    src = filled.set_index("id")["source"]
    by_project = main_source(ind["project"], ind["id"].map(src))
    b = actuals.budgets
    # a 全年执行数 typed (a 全年预算数 may be the reader's copy of the prefilled 年初预算数: not an answer)
    budget_source = b[b["spent"].notna()].drop_duplicates("project").set_index("project")["source"]
    project_source = {**budget_source.to_dict(), **by_project.to_dict()}
    keep = member(targets.projects["project"], project_source)
    problems = [Finding(place(actuals.label), f"没有找到项目“{name}”的实际值（各工作簿中它的行都是空白，或没有它的行），未计分", WARNING,
                        "请确认该部门的工作簿已放入文件夹且能正常打开")
                for name in targets.projects["project"][~keep]]
    in_sub = member(ind["project"], project_source)
    sub = Targets(projects=targets.projects[keep].reset_index(drop=True),
                  indicators=ind[in_sub].reset_index(drop=True),
                  year=targets.year, directory=targets.directory)
    # rows of projects no workbook filled are other departments' blank template rows: not unknown ids
    ids = ind["id"].to_numpy(dtype=object)
    other_ids = set(ids[~in_sub]) - set(ids[in_sub])
    actuals.values = vals[~member(vals["id"], other_ids)].reset_index(drop=True)
    actuals.budgets = b[member(b["project"], project_source) | ~member(b["project"], targets.projects["project"])]
    return sub, problems, project_source


def folder_workbooks(folder: Path, label: str, read: list[str], project_source: dict[str, str]) -> dict[str, str]:
    """Every workbook of a folder (by label, in name order) → "" when it was scored, else why not."""
    used = set(project_source.values())
    out = {}
    for f in workbooks_in(folder):
        name = f"{label.rstrip('/')}/{f.name}"
        out[name] = "" if name in used else "没有填写任何项目" if name in read else "无法读取，已跳过"
    for f, _, _ in others_in(folder):
        out[f"{label.rstrip('/')}/{f.name}"] = "不是 .xlsx，未读取"
    return out


def main_source(project: pd.Series, source: pd.Series) -> pd.Series:
    """Per project (sorted by name), the source holding most of its rows; a tie goes to the source
    met first. Rows without a source do not count. (What ``groupby(project)`` + ``value_counts``
    gives, without a Python call per project: a province has tens of thousands.)"""
    df = pd.DataFrame({"project": project.to_numpy(dtype=object), "source": source.to_numpy(dtype=object)}).dropna()
    if df.empty:
        return pd.Series(dtype=object, name="source")
    df["order"] = np.arange(len(df))
    counts = df.groupby(["project", "source"], sort=False)["order"].agg(["size", "min"]).reset_index()
    counts = counts.sort_values(["size", "min"], ascending=[False, True], kind="stable")
    best = counts.drop_duplicates("project", keep="first").set_index("project")["source"].sort_index()
    best.index.name = "project"
    return best


def run_year(year: int, *, targets_dir: str | Path, actuals_path: str | Path, rules: str | Path | None = None,
             actuals_label: str | None = None, progress=None, workers: int | None = None,
             opening: Callable[[], Opened] | None = None,
             answers: Callable[[Actuals], Actuals] | None = None) -> RunResult:
    """Read, join, score. ``actuals_path`` is one workbook or a folder of them (one per department).
    ``progress(text)`` is told of each stage when given. ``opening``: the workbook already being
    checked and opened (:class:`scoring.precheck.Opening`), called to wait for it instead of opening it here.
    ``answers``: given the answers as read, the answers to score (``score review`` scores a reviewer's
    复核完成值 this way: :func:`scoring.review.reviewed.reviewed_answers`)."""
    def tell(text: str) -> None:
        if progress:
            progress(text)

    label = actuals_label or str(actuals_path)
    folder = Path(actuals_path).is_dir()
    tell("读取绩效目标")
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The workbook is checked (the guard, before any reader opens it), then opened and parsed
        # beside the targets: calamine parses without the GIL. A broken targets folder is still
        # the error reported first, as the targets come first.
        unsafe = None
        if not folder and opening is None:
            try:
                refuse_other_format(actuals_path, label)
                found = check_xlsx(actuals_path, label=label)
                opening = pool.submit(open_actuals, actuals_path, label, checked=found).result
            except ScoreError as exc:
                unsafe = exc
        targets = load_targets(targets_dir)
        profile = load_profile(rules)
        pct = percent_ids(targets, year, profile.lexicon)
        if not folder:
            registry()  # built now, while the workbook is still being parsed, not when the first unit is read
        extra: list[Finding] = []
        project_source: dict[str, str] = {}
        workbooks: dict[str, str] = {}
        uncovered: list[str] = []
        if folder:
            tell("读取实际值工作簿（文件夹）")
            project_of = dict(zip(targets.indicators["id"].to_numpy(dtype=object),
                                  targets.indicators["project"].to_numpy(dtype=object), strict=True))
            actuals = read_folder(Path(actuals_path), label, pct, workers, progress, project_of)
            all_projects = list(targets.projects["project"])
            targets, extra, project_source = covered(targets, actuals)
            uncovered = [p for p in all_projects if p not in project_source]
            workbooks = folder_workbooks(Path(actuals_path), label, actuals.sources, project_source)
            files = [Path(actuals_path) / Path(s).name for s in actuals.sources]
            inputs = [{"path": s, "sha256": sha256_of(f)} for s, f in zip(actuals.sources, files, strict=True)]
        else:
            tell("读取实际值工作簿")
            if unsafe is not None:
                raise unsafe
            actuals = read_actuals(actuals_path, label=label, percent_ids=pct, opened=opening())
            inputs = [{"path": label, "sha256": sha256_of(actuals_path)}]
        del opening
    if answers is not None:
        actuals = answers(actuals)
    df, budgets, join_problems = join(targets, actuals, profile.lexicon)
    read_problems, narratives, narrative_cells = actuals.problems, actuals.narratives, actuals.narrative_cells
    del actuals  # its rows live on in df: free them before the engine copies df (a province has a million)
    tell(f"评分（{len(df):,} 个指标）")
    scored = score_indicators(df, budgets, profile, year)
    del df  # the engine's frame is the result's
    apply_input_problems(scored)
    attach_narratives(scored.projects, narratives)
    problems = collect_problems(scored, join_problems + extra, read_problems, budgets)
    problems += narrative_problems(scored.projects, narrative_cells, label, project_source)
    problems += [p for p in targets.problems if p.code == SAME_NAME]  # the report says why a name has a unit added
    for f in sorted(Path(targets_dir).glob("*")):
        if f.is_file() and f.suffix in (".yaml", ".csv"):
            inputs.append({"path": str(Path(targets_dir) / f.name), "sha256": sha256_of(f)})
    return RunResult(year=year, rules=profile_name(profile, rules), profile=profile, inputs=inputs, targets=targets,
                     scored=scored, problems=problems, actuals_label=label, project_source=project_source,
                     workbooks=workbooks, uncovered=uncovered)


def attach_narratives(projects: pd.DataFrame, narratives: pd.DataFrame) -> None:
    """The unit's own 年度总体目标完成情况 per project, as column ``narrative`` ("" where none was written)."""
    texts = dict(zip(narratives["project"], narratives["narrative"], strict=True))
    projects["narrative"] = pd.Series([texts.get(p, "") for p in projects["project"]], index=projects.index,
                                      dtype=object)


def profile_name(profile: Profile, rules: str | Path | None) -> str:
    name = getattr(profile, "name", None)
    return str(name or rules or "national")


def review_year(year: int, *, targets_dir: str | Path, actuals_path: str | Path, rules: str | Path | None = None,
                actuals_label: str | None = None, codes: Iterable[str] | None = None, progress=None) -> Review:
    """``score review`` end to end: score, 复核, review (:func:`scoring.review.run.review_of`).
    ``codes``: the review rules to run (all when None)."""
    from scoring.review.reviewed import review_notes, reviewed_answers
    from scoring.review.run import review_of

    kept: dict[str, pd.DataFrame | None] = {}

    def keep(actuals: Actuals) -> Actuals:  # the reviewer's cells, seen on the way to the engine
        kept["notes"] = review_notes(actuals)
        return actuals

    run = run_year(year, targets_dir=targets_dir, actuals_path=actuals_path, rules=rules, actuals_label=actuals_label,
                   progress=progress, answers=keep)
    notes = kept.get("notes")
    second = None
    if notes is not None and notes["filled"].any():
        if progress:
            progress("按复核完成值评分")
        second = run_year(year, targets_dir=targets_dir, actuals_path=actuals_path, rules=rules,
                          actuals_label=actuals_label, answers=reviewed_answers)
    return review_of(run, notes, second, codes)
