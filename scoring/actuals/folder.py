"""A folder of actuals workbooks, one per department: read in parallel, merged into one answer set."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.actuals.budget import BLANK_AMOUNT
from scoring.actuals.opening import OTHER_SPREADSHEETS, SAVE_AS_XLSX, other_format
from scoring.actuals.workbook import Actuals, is_blank, read_actuals
from scoring.findings import ERROR, WARNING, Finding, ScoreError
from scoring.processes import map_in_processes


def _read_one(job: tuple[str, str, set[str]]) -> tuple[str, Actuals | None, ScoreError | None]:
    path, label, pct = job
    try:
        return label, read_actuals(path, label=label, percent_ids=pct), None
    except ScoreError as exc:
        return label, None, exc
    except (MemoryError, RecursionError) as exc:  # past the guard's limits but still too much: skip it
        return label, None, ScoreError(f"工作簿过大或结构异常，读取时内存不足（{type(exc).__name__}）", where=label,
                                       hint="请在 Excel 中删除多余的行、列和格式后保存，或把数据拆分到多个工作簿")


def _crashed(job: tuple[str, str, set[str]]) -> tuple[str, None, ScoreError]:
    """A workbook whose worker process died while reading it (aborted, killed, out of memory)."""
    _, label, _ = job
    return label, None, ScoreError("读取这个工作簿的进程异常退出（工作簿可能已损坏或过大）", where=label,
                                   hint="请用 Excel 打开并重新保存，删除多余的行、列和格式；其余工作簿已照常计分")


def workbooks_in(folder: Path) -> list[Path]:
    """The .xlsx files of a folder, in name order, without Excel's lock files (~$…)."""
    return sorted(p for p in folder.iterdir() if p.suffix.lower() == ".xlsx" and not p.name.startswith(("~$", ".")))


def others_in(folder: Path) -> list[tuple[Path, str, str]]:
    """The other spreadsheets of a folder (.xls, .ods, .et, .csv…), which are not read: each with what
    it is and what to do (:func:`scoring.actuals.opening.other_format`)."""
    out = []
    for p in sorted(folder.iterdir()):
        if p.suffix.lower() in OTHER_SPREADSHEETS and not p.name.startswith(("~$", ".")) and p.is_file():
            what, todo = other_format(p) or (f"{p.suffix} 文件", SAVE_AS_XLSX)
            out.append((p, what, todo))
    return out


def _not_read(label: str, others: list[tuple[Path, str, str]]) -> list[Finding]:
    return [Finding(f"{label.rstrip('/')}/{p.name}", f"不是 Excel 工作簿（.xlsx），而是{what}：未读取", ERROR, todo)
            for p, what, todo in others]



def _others_blank_amount(p: Finding, row_project: dict[str, str], owners: dict[str, str]) -> bool:
    """A blank amount on a 预算执行 row of a project this workbook did not fill: the rest of the city's
    template a department was given, not its answer (the project's own workbook, or the run's
    "没有找到项目" warning, speaks for it)."""
    if p.code != BLANK_AMOUNT:
        return False
    m = re.fullmatch(r"(.*) › [A-Z]+(\d+)", p.where)
    name = row_project.get(f"{m[1]} › 第{m[2]}行") if m else None
    return name is not None and owners.get(name) != p.where.split(" › ", 1)[0]


def refuse_duplicates(values: pd.DataFrame, budgets: pd.DataFrame, label: str,
                      project_of: dict[str, str] | None = None) -> dict[str, str]:
    """Refuse (exit 2, naming both files) when two workbooks fill the same project: an 实际完成值 or a
    全年执行数 typed in both (a copy such as ``甲 (1).xlsx``, or two departments answering for one project).
    Blank rows (the rest of the city's template a department was given) do not count.
    Without ``project_of``, each 指标编号 stands for itself. Returns each filled project's workbook."""
    where: dict[str, list[str]] = {}
    filled = ~values["actual"].map(is_blank).to_numpy(dtype=bool)
    for ident, src in zip(values["id"].to_numpy(dtype=object)[filled], values["source"].to_numpy(dtype=object)[filled],
                          strict=True):
        key = project_of.get(ident) if project_of is not None else ident
        if key is not None and src not in where.setdefault(key, []):
            where[key].append(src)
    spent = budgets["spent"].notna().to_numpy(dtype=bool)
    known = None if project_of is None else set(project_of.values())
    for name, src in zip(budgets["project"].to_numpy(dtype=object)[spent], budgets["source"].to_numpy(dtype=object)[spent],
                         strict=True):
        if (known is None or name in known) and src not in where.setdefault(name, []):
            where[name].append(src)
    pairs: dict[tuple[str, ...], list[str]] = {}
    for key, srcs in where.items():
        if len(srcs) > 1:
            pairs.setdefault(tuple(srcs), []).append(key)
    if not pairs:
        return {key: srcs[0] for key, srcs in where.items()}
    lines = []
    for srcs, keys in list(pairs.items())[:5]:
        what = "项目" if project_of is not None else "指标编号"
        shown = "”“".join(keys[:3]) + ("”等" if len(keys) > 3 else "”")
        files = "”和“".join(Path(s).name for s in srcs)
        lines.append(f"“{files}”都填写了{what}“{shown}（共 {len(keys)} 个）")
    raise ScoreError("同一个项目由不止一个工作簿填写，无法确定用哪一份：" + "；".join(lines), where=label,
                     hint="请删除重复的工作簿（例如“… (1).xlsx”这样的副本），或删去其中一份里这些项目的实际值和执行数，再重新运行")


def read_folder(folder: Path, label: str, pct: set[str], workers: int | None = None, progress=None,
                project_of: dict[str, str] | None = None) -> Actuals:
    """Every workbook of a folder (one per department), read in parallel worker processes when
    there are several. A workbook that cannot be read is reported and skipped; the others count.
    Two workbooks that both fill a project (``project_of``: 指标编号 → project) are refused
    (:func:`refuse_duplicates`): which one is the unit's answer cannot be guessed."""
    files = workbooks_in(folder)
    others = others_in(folder)
    if not files:
        found = "；".join(f"{p.name} 是{what}" for p, what, _ in others[:5])
        raise ScoreError("文件夹中没有 Excel 工作簿（.xlsx）" + (f"（{found}）" if found else ""), where=label,
                         hint=(f"请把这些文件{SAVE_AS_XLSX}" if others else
                               "请把各部门填好的实际值工作簿放进这个文件夹，或用 --actuals 指定一个工作簿"))
    jobs = [(str(f), f"{label.rstrip('/')}/{f.name}", pct) for f in files]
    # each workbook in a worker process: one that kills its worker is reported and skipped, never the run
    results = map_in_processes(_read_one, jobs, workers, on_crash=_crashed)
    values, budgets, sources, narratives = [], [], [], []
    problems = _not_read(label, others)
    narrative_cells: dict[str, str] | None = None
    cells_by_source: dict[tuple[str, str], str] = {}
    for name, actuals, error in results:
        if error is not None:
            problems.append(Finding(error.where or name, f"工作簿无法读取，已跳过：{error.message}", ERROR, error.hint))
            continue
        values.append(actuals.values.assign(source=name))
        budgets.append(actuals.budgets.assign(source=name))
        narratives.append(actuals.narratives)
        if actuals.narrative_cells is not None:
            narrative_cells = {**actuals.narrative_cells, **(narrative_cells or {})}  # the first workbook's cell
            cells_by_source.update({(p, name): c for p, c in actuals.narrative_cells.items()})
        problems.extend(actuals.problems)
        sources.append(name)
        if progress:
            progress(f"已读取 {name}（{len(actuals.values):,} 行）")
    if not sources:
        raise ScoreError("文件夹中的工作簿都无法读取", where=label,
                         hint="；".join(f"{p.where}：{p.message}" for p in problems[:5]))
    v = pd.concat(values, ignore_index=True)
    b = pd.concat(budgets, ignore_index=True)
    owners = refuse_duplicates(v, b, label, project_of)
    row_project = dict(zip(b["cell"].to_numpy(dtype=object), b["project"].to_numpy(dtype=object), strict=True))
    problems = [p for p in problems if not _others_blank_amount(p, row_project, owners)]
    if narrative_cells is not None:  # each project's cell in the workbook that filled it
        narrative_cells.update({p: c for (p, src), c in cells_by_source.items() if owners.get(p) == src})
    # Departments often get the whole city's template and fill only their own rows: among the
    # copies of one 指标编号, the filled one counts (two filled copies were refused above).
    filled = ~v["actual"].map(is_blank).to_numpy(dtype=bool)
    v = v.assign(_filled=filled)
    dup = v["id"].duplicated(keep=False).to_numpy()
    if dup.any():
        order = np.lexsort((np.arange(len(v)), ~filled))  # filled first, then reading order
        ranked = v.iloc[order]
        keep = ~ranked["id"].duplicated(keep="first")
        chosen = ranked[keep].set_index("id")["source"]
        twice = ranked[~keep & ranked["_filled"]]
        for ident, where in zip(twice["id"], twice["cell"], strict=True):
            problems.append(Finding(where, f"指标编号“{ident}”在另一个工作簿中也填了实际值，采用“{chosen[ident]}”中的",
                                    WARNING, "同一个指标只应由一个部门填报", ident))
        v = ranked[keep].sort_index()
    v = v.drop(columns="_filled").reset_index(drop=True)
    b = b.iloc[np.lexsort((np.arange(len(b)), b["spent"].isna().to_numpy(), b["full_budget"].isna().to_numpy()))]
    b = b.drop_duplicates("project", keep="first").sort_index().reset_index(drop=True)
    merged = Actuals(path=str(folder), label=label, values=v, budgets=b, problems=problems, sources=sources,
                     narrative_cells=narrative_cells)
    texts = [n for n in narratives if len(n)]
    if texts:  # a project's narrative from the first workbook that wrote one
        merged.narratives = pd.concat(texts, ignore_index=True).drop_duplicates("project").reset_index(drop=True)
    return merged
