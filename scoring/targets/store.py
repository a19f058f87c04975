"""Targets as data: the 绩效目标表 of one year, as people review and correct it.

A year's targets live in ``targets/<year>/``:

- ``projects.yaml``: a list of projects (metadata and the long goal texts), one mapping each;
- ``indicators.csv``: one row per 三级指标 in document order (UTF-8, header row);
- ``import_report.txt``: what ``score import`` repaired and what it asks a person to check;
- ``source/``: the document it was imported from, so every ``source`` line can be looked up.

A hand correction is written into the ``note`` column (``人工修正：…``) so it shows in the
file and in the diff. :func:`load_targets` returns both tables as pandas DataFrames;
:func:`save_targets` writes a directory atomically, never over an input (:mod:`scoring.targets.swap`).
``indicators.csv`` is opened in Excel: a text that Excel would run as a formula is written with a
leading apostrophe and read back without it (:mod:`scoring.csvcells`).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from scoring.csvcells import defuse_frame, may_need_restore, restore_frame
from scoring.findings import ERROR, WARNING, Finding, ScoreError, place
from scoring.frames import member
from scoring.language import levels
from scoring.targets import cache as projects_cache
from scoring.targets.model import (
    INDICATOR_COLUMNS,
    INDICATOR_LABELS,
    INDICATOR_REQUIRED,
    INDICATOR_TEXT,
    PROJECT_COLUMNS,
    PROJECT_LABELS,
    Targets,
    fmt_weight,
    projects_frame,
)
from scoring.targets.names import CODE as SAME_NAME
from scoring.targets.names import distinct_names
from scoring.targets.swap import carry_over, check_destination, replace_dir, restore_swap
from scoring.workspace import IMPORT_REPORT_FILE, INDICATORS_FILE, PROJECTS_FILE, SOURCE_DIR
from scoring.yaml_input import TARGETS_YAML_BYTES, parse_yaml, read_text

MANAGED = (PROJECTS_FILE, INDICATORS_FILE, IMPORT_REPORT_FILE)
OPTIONAL_COLUMNS = ("criteria", "level1_original")  # written to indicators.csv only when not empty


MAX_WEIGHT = 100.0  # one indicator's 分值: a project's full marks are 100
YAML_NULLS = ("~", "null", "Null", "NULL")   # a value changed by a person: re-import keeps the row as the person left it

YAML_HEADER = """\
# {year}年度项目绩效目标：项目信息（由 score import 生成，可以人工核对、修改）。
# 每个项目一节：project_id 项目编号（不要改）、project 项目名称、type 项目类型、level 项目等级、
# department 主管部门、unit 用款单位、start_year/end_year 实施周期、budget 当年预算金额（元）、
# period_goal 实施周期总目标、annual_goal 年度目标、note 备注（人工修正写“人工修正：…”）、source 原文位置。
# 三级指标见同目录的 indicators.csv。
"""


# ---------------------------------------------------------------------------------------------
# save
# ---------------------------------------------------------------------------------------------

def dump_projects(projects: pd.DataFrame, year: int | None = None) -> str:
    records = []
    for row in projects.itertuples(index=False):
        r = row._asdict()
        rec: dict[str, object] = {}
        for col in PROJECT_COLUMNS:
            v = r[col]
            if col in ("start_year", "end_year"):
                rec[col] = None if pd.isna(v) else int(v)
            elif col == "budget":
                rec[col] = None if pd.isna(v) else (int(v) if float(v).is_integer() else float(v))
            else:
                rec[col] = "" if v is None or (isinstance(v, float) and v != v) else str(v)
        records.append(rec)
    # The C dumper writes the same text as the Python one, four times faster.
    body = yaml.dump(records, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True, sort_keys=False, width=10**9,
                     default_flow_style=False) if records else "[]\n"
    # One blank line between projects, so the file and its diff read project by project.
    body = body.replace("\n- ", "\n\n- ")
    return YAML_HEADER.format(year=year if year is not None else "") + body


def dump_indicators(indicators: pd.DataFrame, *, listing: bool = False) -> str:
    """indicators.csv as text; an optional column (``criteria``, ``level1_original``) only when some indicator
    has a value in it. Every text Excel would read as a formula gets its apostrophe (:mod:`scoring.csvcells`),
    as in every file the tool writes; ``listing``: the listing ``score targets --format csv`` prints, which
    programs read, defuses only what Excel could run (``=HYPERLINK(…)``) and keeps ``=116人`` as written."""
    columns = [c for c in INDICATOR_COLUMNS
               if c not in OPTIONAL_COLUMNS or (c in indicators.columns and not _blank(indicators[c]).all())]
    out = defuse_frame(indicators.loc[:, columns], skip=("weight",), code_only=listing)
    out["weight"] = [fmt_weight(x) for x in indicators["weight"].to_numpy(dtype="float64")]
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def save_targets(targets: Targets, directory: str | os.PathLike, *, report: str | None = None,
                 sources: Iterable[str | os.PathLike] = (), extra: Mapping[str, str] | None = None) -> Path:
    """Write ``targets`` to ``directory`` atomically (and ``extra`` files, name → text, with them).

    Everything is written to a temporary directory beside it, which then replaces the old one;
    on any failure the old directory is left as it was. Files in the old directory that this
    module does not manage (a README, earlier source documents) are carried over.
    """
    directory = Path(directory)
    check_destination(directory, (*MANAGED, *(extra or ())))
    parent = directory.parent
    parent.mkdir(parents=True, exist_ok=True)
    restore_swap(directory)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.tmp-", dir=parent))
    try:
        if directory.is_dir():
            for entry in directory.iterdir():
                if entry.name in MANAGED or entry.name in (extra or {}) or projects_cache.CACHE_FILE in entry.name:
                    continue
                carry_over(entry, tmp / entry.name)
        for src in sources:
            src = Path(src)
            (tmp / SOURCE_DIR).mkdir(exist_ok=True)
            dest = tmp / SOURCE_DIR / src.name
            if not (dest.exists() and dest.read_bytes() == src.read_bytes()):
                shutil.copyfile(src, dest)
        (tmp / PROJECTS_FILE).write_text(dump_projects(targets.projects, targets.year), encoding="utf-8")
        (tmp / INDICATORS_FILE).write_text(dump_indicators(targets.indicators), encoding="utf-8")
        if report is not None:
            (tmp / IMPORT_REPORT_FILE).write_text(report, encoding="utf-8")
        for name, text in (extra or {}).items():
            (tmp / name).write_text(text, encoding="utf-8")
        os.chmod(tmp, 0o755)
        replace_dir(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return directory


# ---------------------------------------------------------------------------------------------
# load
# ---------------------------------------------------------------------------------------------

def year_of(directory: Path) -> int | None:
    return int(directory.name) if re.fullmatch(r"\d{4}", directory.name) else None


def load_targets(directory: str | os.PathLike, year: int | None = None, *, cache: bool | None = None,
                 distinct: bool = True) -> Targets:
    """Load a targets directory; raise :class:`ScoreError` naming file and line on any schema error.

    Warnings (an unknown 二级 name…) are kept in ``targets.problems`` for ``score check``.
    ``cache``: keep and use the columnar copy of projects.yaml (:mod:`scoring.targets.cache`);
    None (the default) does so for a large file only. ``distinct``: two projects of one name are called apart
    (:mod:`scoring.targets.names`); False keeps the names as the files write them (to write the files again).
    """
    targets = read_targets(directory, year, cache=cache, distinct=distinct)
    errors = [p for p in targets.problems if p.severity == ERROR]
    if errors:
        first = errors[0]
        more = f"（另有 {len(errors) - 1} 处错误）" if len(errors) > 1 else ""
        year = targets.year or "YEAR"
        raise ScoreError(first.message + more, where=first.where,
                         hint=first.hint or f"修改后运行 score check {year} 查看全部问题")
    return targets


def read_targets(directory: str | os.PathLike, year: int | None = None, *, cache: bool | None = None,
                 distinct: bool = True) -> Targets:
    """Load without raising on row-level problems: they are returned in ``problems``.

    Unreadable files (missing, not YAML/CSV, wrong columns) still raise: nothing can be checked.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ScoreError("找不到目标目录", where=str(directory),
                         hint="先用 score import 导入绩效目标表；或指定目标目录：score YEAR --targets 目录，score targets YEAR --targets 目录")
    pfile, ifile = directory / PROJECTS_FILE, directory / INDICATORS_FILE
    problems: list[Finding] = []
    projects, project_lines = _read_projects(pfile, problems, cache)
    indicators, weight_text = _read_indicators(ifile, problems)
    targets = Targets(projects=projects, indicators=indicators, year=year or year_of(directory), directory=directory,
                      problems=problems, project_lines=project_lines)
    _validate(targets, pfile, ifile, project_lines, weight_text)
    if distinct:
        _call_apart(targets, pfile)
    return targets


def _call_apart(t: Targets, pfile: Path) -> None:
    """Give two projects of one name the names :func:`scoring.targets.names.distinct_names` tells them apart by,
    in both tables, and say so at each project."""
    renames = distinct_names(t.projects)
    if not renames:
        return
    new = dict(zip(t.projects["project_id"].iloc[[k for k, _, _ in renames]], [n for _, _, n in renames], strict=True))
    for k, old, name in renames:
        others = "、".join(f"第{t.project_lines[j]}行" if j < len(t.project_lines) else t.projects["project_id"].iat[j]
                          for j, o, _ in renames if o == old and j != k)
        where = place(pfile, f"第{t.project_lines[k]}行") if k < len(t.project_lines) else str(pfile)
        t.problems.append(Finding(where, f"项目“{old}”（{t.projects['project_id'].iat[k]}）与{others}的项目同名，"
                                         f"为免两个项目的预算执行和指标合在一起计分，填报模板、评分和报告中称作“{name}”", WARNING,
                                  hint="如果是同一个项目，把两节合并为一节；如果是不同的项目，给它们取不同的项目名称",
                                  code=SAME_NAME))
    t.projects["project"] = t.projects["project"].astype(object).where(
        ~t.projects["project_id"].isin(new), t.projects["project_id"].map(new)).astype("str")
    hit = t.indicators["project_id"].isin(new)
    t.indicators.loc[hit, "project"] = t.indicators.loc[hit, "project_id"].map(new)


def _read_projects(pfile: Path, problems: list[Finding], cache: bool | None = None) -> tuple[pd.DataFrame, list[int]]:
    """The projects table and each project's line, from the cache when it is fresh, else parsed."""
    if not pfile.is_file():
        raise ScoreError("缺少项目文件", where=str(pfile), hint="目标目录应有 projects.yaml 和 indicators.csv")
    text = read_text(pfile, "项目文件", max_bytes=TARGETS_YAML_BYTES)  # a regular UTF-8 file, bounded
    if not projects_cache.wanted(len(text), cache):
        return _parse_projects(pfile, text, problems)
    key = projects_cache.digest(text.encode("utf-8"))
    cached = projects_cache.load(pfile, key)
    if cached is not None:
        projects, lines, found = cached
        problems.extend(found)
        return projects, lines
    found: list[Finding] = []
    projects, lines = _parse_projects(pfile, text, found)
    projects_cache.save(pfile, key, projects, lines, found)
    problems.extend(found)
    return projects, lines


def _parse_projects(pfile: Path, text: str, problems: list[Finding]) -> tuple[pd.DataFrame, list[int]]:
    # every scalar as text (the base loader, no type guessing): a 项目名称 such as 2023 stays text;
    # numbers and years are converted below. Aliases and too deep a nesting are refused.
    data = parse_yaml(text, pfile, what="项目文件", text_only=True)
    if data is None:
        data = []
    if isinstance(data, dict) and isinstance(data.get("projects"), list):
        data = data["projects"]
    if not isinstance(data, list):
        raise ScoreError("项目文件应当是项目的列表（每个项目以“- project_id: …”开头）", where=str(pfile))
    lines = _item_lines(text, len(data))
    records = []
    for i, item in enumerate(data):
        where = place(pfile, f"第{lines[i]}行")
        if not isinstance(item, dict):
            problems.append(Finding(where, "这一项不是项目（应当是“键: 值”的映射）"))
            continue
        unknown = [k for k in item if k not in PROJECT_COLUMNS]
        if unknown:
            problems.append(Finding(where, f"未知的字段：{'、'.join(map(str, unknown))}（将被忽略）", WARNING,
                                    hint=f"可用字段：{'、'.join(PROJECT_COLUMNS)}"))
        rec = {}
        for col in PROJECT_COLUMNS:
            v = item.get(col)
            if v in YAML_NULLS:
                v = None
            if col in ("start_year", "end_year"):
                if v not in (None, "") and not (isinstance(v, int) or (isinstance(v, str) and v.strip().isdigit())):
                    problems.append(Finding(where, f"{col}（{PROJECT_LABELS[col]}）应当是年份，现在是“{v}”"))
                    v = None
            elif col == "budget":
                if v not in (None, ""):
                    try:
                        v = float(str(v).replace(",", ""))
                    except ValueError:
                        problems.append(Finding(where, f"budget（预算金额）应当是数字（元），现在是“{v}”"))
                        v = None
            rec[col] = v
        records.append(rec)
        lines[len(records) - 1] = lines[i]
    return projects_frame(records), lines[: len(records)]


def _item_lines(text: str, n: int) -> list[int]:
    """The line (1-based) where each top-level list item starts; cheap, no YAML composing."""
    found = [i + 1 for i, line in enumerate(text.splitlines()) if line.startswith("- ")]
    if len(found) < n:
        found += [found[-1] if found else 1] * (n - len(found))
    return found


def _read_indicators(ifile: Path, problems: list[Finding]) -> tuple[pd.DataFrame, pd.Series]:
    if not ifile.is_file():
        raise ScoreError("缺少指标文件", where=str(ifile), hint="目标目录应有 projects.yaml 和 indicators.csv")
    try:
        try:
            df = pd.read_csv(ifile, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig")
        except UnicodeDecodeError:
            # Excel's plain "CSV (逗号分隔)" on a Chinese Windows writes GBK.
            df = pd.read_csv(ifile, dtype=str, keep_default_na=False, na_filter=False, encoding="gb18030")
            problems.append(Finding(str(ifile), "文件是 GBK 编码，已按 GBK 读取", WARNING,
                                    hint="在 Excel 中另存为“CSV UTF-8（逗号分隔）”，以免生僻字出错"))
    except UnicodeDecodeError:
        raise ScoreError("CSV 的编码无法识别（既不是 UTF-8 也不是 GBK）", where=str(ifile),
                         hint="在 Excel 中另存为“CSV UTF-8（逗号分隔）”") from None
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        where = place(ifile, f"第{m.group(1)}行") if m else str(ifile)
        raise ScoreError(f"CSV 格式错误：{exc}", where=where, hint="检查这一行的逗号和引号") from None
    except pd.errors.EmptyDataError:
        raise ScoreError("指标文件是空的（至少要有表头）", where=str(ifile)) from None
    df.columns = [str(c).strip() for c in df.columns]
    if may_need_restore(ifile.read_bytes()):
        restore_frame(df)  # '=… as this module wrote it (scoring.csvcells): the text as it was
    missing = [c for c in INDICATOR_REQUIRED if c not in df.columns]
    if missing:
        raise ScoreError(f"指标文件缺少列：{'、'.join(missing)}", where=place(ifile, "第1行"),
                         hint=f"表头应当是：{','.join(INDICATOR_COLUMNS)}")
    for col in INDICATOR_TEXT:
        if col not in df.columns:
            df[col] = ""
    weight_text = df["weight"] if "weight" in df.columns else pd.Series([""] * len(df), dtype="str")
    stripped = np.array([v.strip() or None for v in weight_text.to_numpy(dtype=object)], dtype=object)
    weight = pd.to_numeric(pd.Series(stripped, dtype=object), errors="coerce").astype("float64")
    weight = weight.where(np.isfinite(weight))  # inf / 1e999 is not a weight: reported as 不是数字
    out = df.loc[:, list(INDICATOR_TEXT)].astype("str")
    out.insert(INDICATOR_COLUMNS.index("weight"), "weight", weight.to_numpy())
    return out.reset_index(drop=True), weight_text


def _blank(column: pd.Series) -> np.ndarray:
    """Which values are empty or only spaces. Two loops in C (``==`` on the object array and
    ``map(str.isspace)``): pandas' ``.str.strip()`` on Python-backed strings, or a generator,
    takes seconds at a million rows."""
    values = column.to_numpy(dtype=object)
    try:
        return (values == "") | np.fromiter(map(str.isspace, values), dtype=bool, count=len(values))
    except TypeError:  # a value that is not text
        return np.fromiter((not isinstance(v, str) or not v.strip() for v in values), dtype=bool, count=len(values))


def _validate(t: Targets, pfile: Path, ifile: Path, project_lines: list[int], weight_text: pd.Series) -> None:
    """Row-level schema checks, vectorised: 100,000 rows take milliseconds."""
    problems = t.problems
    p, ind = t.projects, t.indicators

    def pwhere(i: int) -> str:
        return place(pfile, f"第{project_lines[i]}行") if i < len(project_lines) else str(pfile)

    def iwhere(i: int) -> str:
        return place(ifile, f"第{i + 2}行")

    for i in np.flatnonzero(_blank(p["project_id"])):
        problems.append(Finding(pwhere(i), "缺少 project_id（项目编号）"))
    for i in np.flatnonzero(_blank(p["project"])):
        problems.append(Finding(pwhere(i), "缺少 project（项目名称）"))
    dup = p["project_id"].duplicated(keep="first") & (p["project_id"] != "")
    for i in np.flatnonzero(dup.to_numpy()):
        problems.append(Finding(pwhere(i), f"项目编号 {p['project_id'].iat[i]} 重复"))
    bad_years = (p["start_year"].notna() & p["end_year"].notna() & (p["start_year"] > p["end_year"])).to_numpy(
        dtype=bool, na_value=False)
    for i in np.flatnonzero(bad_years):
        problems.append(Finding(pwhere(i), f"实施周期起始年度 {p['start_year'].iat[i]} 晚于到期年度 {p['end_year'].iat[i]}"))

    if len(ind) == 0:
        return
    for col in ("id", "project_id", "level3"):
        for i in np.flatnonzero(_blank(ind[col])):
            problems.append(Finding(iwhere(i), f"{col}（{INDICATOR_LABELS[col]}）为空"))
    no_level1 = _blank(ind["level1"])
    for i in np.flatnonzero(no_level1):
        problems.append(Finding(iwhere(i), "level1（一级指标）为空：原表没有一级指标，评分时按“未填一级指标”计",
                                WARNING, hint=f"填写一级指标：{'、'.join(levels.LEVEL1)}"))
    dup = ind["id"].duplicated(keep="first") & (ind["id"] != "")
    for i in np.flatnonzero(dup.to_numpy()):
        first = int(np.flatnonzero((ind["id"] == ind["id"].iat[i]).to_numpy())[0])
        problems.append(Finding(iwhere(i), f"指标编号 {ind['id'].iat[i]} 与第{first + 2}行重复",
                                hint="指标编号必须唯一；新增指标可把编号留空后重新导入，或另取一个编号"))
    known = set(p["project_id"])
    unknown = ~member(ind["project_id"], known) & (ind["project_id"] != "").to_numpy()
    for i in np.flatnonzero(unknown):
        problems.append(Finding(iwhere(i), f"项目编号 {ind['project_id'].iat[i]} 在 {PROJECTS_FILE} 中不存在"))
    names = dict(zip(p["project_id"], p["project"], strict=False))
    expected = ind["project_id"].map(names).fillna("")
    mismatch = (ind["project"] != "") & (expected != "") & (ind["project"] != expected)
    for i in np.flatnonzero(mismatch.to_numpy()):
        problems.append(Finding(iwhere(i), f"项目名称“{ind['project'].iat[i]}”与项目编号 {ind['project_id'].iat[i]} "
                                           f"的名称“{expected.iat[i]}”不一致"))
    # a 一级 written outside the national four is accepted when levels.yaml knows its national synonym
    synonyms = {v for v in set(ind["level1"]) - set(levels.LEVEL1) if levels.national_level1(v)[1] in ("same", "alias")}
    l1_ok = ind["level1"].isin(levels.LEVEL1) | pd.Series(no_level1) | ind["level1"].isin(synonyms)
    for i in np.flatnonzero((~l1_ok).to_numpy()):
        problems.append(Finding(iwhere(i), f"未知的一级指标“{ind['level1'].iat[i]}”",
                                hint=f"一级指标只能是：{'、'.join(levels.LEVEL1)}"))
    level1, level2 = ind["level1"].to_numpy(dtype=object), ind["level2"].to_numpy(dtype=object)
    pairs = set(zip(level1, level2, strict=True))
    bad_pairs = {(a, b) for a, b in pairs if a in levels.LEVEL2 and b and not levels.level2_fits(a, b)}
    if bad_pairs:
        mask = pd.Series([(a, b) in bad_pairs for a, b in zip(level1, level2, strict=True)])
        for i in np.flatnonzero(mask.to_numpy()):
            a, b = ind["level1"].iat[i], ind["level2"].iat[i]
            problems.append(Finding(iwhere(i), f"二级指标“{b}”不属于一级指标“{a}”", WARNING,
                                    hint=f"“{a}”下的二级指标：{'、'.join(levels.LEVEL2[a])}"))
    wt = weight_text.reset_index(drop=True)
    bad_w = ~_blank(wt) & ind["weight"].isna().to_numpy()
    for i in np.flatnonzero(bad_w):
        problems.append(Finding(iwhere(i), f"分值“{wt.iat[i]}”不是数字"))
    neg = (ind["weight"] < 0).to_numpy()
    for i in np.flatnonzero(neg):
        problems.append(Finding(iwhere(i), f"分值 {fmt_weight(ind['weight'].iat[i])} 是负数"))
    too_big = (ind["weight"] > MAX_WEIGHT).to_numpy()
    for i in np.flatnonzero(too_big):
        problems.append(Finding(iwhere(i), f"分值“{wt.iat[i]}”超过 {MAX_WEIGHT:g}（一个项目满分 {MAX_WEIGHT:g} 分）",
                                hint="请填写这个指标的分值，如 10"))
    if too_big.any():  # an error: no sum or check downstream sees the number (1e308 overflows them)
        ind.loc[too_big, "weight"] = np.nan


def indicator_location(targets: Targets, row: int) -> str:
    """Where indicator row ``row`` (0-based) is: ``targets/2023/indicators.csv › 第N行``."""
    base = targets.directory / INDICATORS_FILE if targets.directory else Path(INDICATORS_FILE)
    return place(base, f"第{row + 2}行")


def project_location(targets: Targets, row: int) -> str:
    base = targets.directory / PROJECTS_FILE if targets.directory else Path(PROJECTS_FILE)
    lines = targets.project_lines
    return place(base, f"第{lines[row]}行") if row < len(lines) else str(base)


