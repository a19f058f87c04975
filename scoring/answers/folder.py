"""A folder of actuals workbooks, one per department: read in parallel, merged into one answer set."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from scoring.answers.workbook import Actuals, is_blank, read_actuals
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



def read_folder(folder: Path, label: str, pct: set[str], workers: int | None = None, progress=None) -> Actuals:
    """Every workbook of a folder (one per department), read in parallel worker processes when
    there are several. A workbook that cannot be read is reported and skipped; the others count."""
    files = workbooks_in(folder)
    if not files:
        raise ScoreError("文件夹中没有 Excel 工作簿（.xlsx）", where=label,
                         hint="请把各部门填好的实际值工作簿放进这个文件夹，或用 --actuals 指定一个工作簿")
    jobs = [(str(f), f"{label.rstrip('/')}/{f.name}", pct) for f in files]
    # each workbook in a worker process: one that kills its worker is reported and skipped, never the run
    results = map_in_processes(_read_one, jobs, workers, on_crash=_crashed)
    values, budgets, problems, sources, narratives = [], [], [], [], []
    for name, actuals, error in results:
        if error is not None:
            problems.append(Finding(error.where or name, f"工作簿无法读取，已跳过：{error.message}", ERROR, error.hint))
            continue
        values.append(actuals.values.assign(source=name))
        budgets.append(actuals.budgets.assign(source=name))
        narratives.append(actuals.narratives)
        problems.extend(actuals.problems)
        sources.append(name)
        if progress:
            progress(f"已读取 {name}（{len(actuals.values):,} 行）")
    if not sources:
        raise ScoreError("文件夹中的工作簿都无法读取", where=label,
                         hint="；".join(f"{p.where}：{p.message}" for p in problems[:5]))
    v = pd.concat(values, ignore_index=True)
    # Departments often get the whole city's template and fill only their own rows: among the
    # copies of one 指标编号, the filled one counts; two filled copies are a problem.
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
    b = pd.concat(budgets, ignore_index=True)
    b = b.iloc[np.lexsort((np.arange(len(b)), b["full_budget"].isna().to_numpy()))]
    b = b.drop_duplicates("project", keep="first").sort_index().reset_index(drop=True)
    merged = Actuals(path=str(folder), label=label, values=v, budgets=b, problems=problems, sources=sources)
    texts = [n for n in narratives if len(n)]
    if texts:  # a project's narrative from the first workbook that wrote one
        merged.narratives = pd.concat(texts, ignore_index=True).drop_duplicates("project").reset_index(drop=True)
    return merged
