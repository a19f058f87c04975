"""What ``score YEAR`` prints, as data the CLI renders: the run's header (which files were scored,
whether the actuals are the bundled example data) and the problems grouped by project, each group
saying a piece of advice once for the rows that share it."""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from scoring.actuals.workbook import SHEET_GUIDE
from scoring.findings import Finding
from scoring.printable import clean
from scoring.results import RunResult
from scoring.vocab import Severity

EXAMPLE_MARK = "示例数据"
OTHER_GROUP = "工作簿与其他"


def is_example_workbook(path: str | Path) -> bool:
    """Whether an actuals workbook says it holds invented data (the first cells of 填报说明, where
    ``bench/example_actuals.py`` writes 示例数据). Unreadable → False: the run itself reports why."""
    try:
        import python_calamine

        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        if SHEET_GUIDE not in wb.sheet_names:
            return False
        rows = wb.get_sheet_by_name(SHEET_GUIDE).to_python(nrows=3)
    except Exception:  # a damaged workbook is the reader's business, not the header's
        return False
    return any(isinstance(v, str) and EXAMPLE_MARK in v for row in rows for v in row)


def safe(text: object) -> str:
    """Text from a cell as one terminal line: control characters (escape sequences) shown, not obeyed
    (:func:`scoring.printable.clean`), line breaks and tabs as spaces.

    >>> safe("a\\x1b[31mb\\tc")
    'a\\\\x1b[31mb c'
    """
    return clean(str(text).replace("\t", " ").replace("\r", " ").replace("\n", " "))


def short_where(where: str, label: str) -> str:
    """A place without the actuals file's name, which the header already says.

    >>> short_where("actuals/2023.xlsx › 指标实际值 › G3", "actuals/2023.xlsx")
    '指标实际值 › G3'
    >>> short_where("in/dept/a.xlsx › 指标实际值 › G3", "in/dept/")
    'a.xlsx › 指标实际值 › G3'
    """
    if not label:
        return where
    for prefix in (f"{label} › ", f"{label.rstrip('/')}/"):
        if where.startswith(prefix):
            return where[len(prefix):]
    return where


@dataclass
class Group:
    """The problems of one project (or of the workbook as a whole), in runs of shared advice."""

    name: str
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == Severity.ERROR)

    def runs(self) -> list[tuple[str | None, list[Finding]]]:
        """The findings ordered by advice (first seen first), as (advice, findings) runs."""
        order: dict[str | None, list[Finding]] = {}
        for f in self.findings:
            order.setdefault(f.hint, []).append(f)
        return list(order.items())


def group_problems(result: RunResult, problems: list[Finding] | None = None) -> list[Group]:
    """Problems (``problems``, else all the run's) by project (indicator ids and ``project › …`` places
    tell which), each project's errors before its warnings. What belongs to no project (a workbook
    skipped, an unknown project) comes first, as it touches everything; then projects with errors,
    then by number of problems."""
    ind = result.indicators
    project_of = dict(zip(ind["id"].to_numpy(dtype=object), ind["project"].to_numpy(dtype=object), strict=True))
    names = set(result.projects["project"])
    longest = max(map(len, names), default=0)
    groups: dict[str, list[Finding]] = {}
    for f in result.problems if problems is None else problems:
        name = project_of.get(f.id) if f.id else None
        if name is None:
            head = f.where.split(" › ", 1)[0]
            name = head if head in names else quoted_name(f.message, names, longest) or OTHER_GROUP
        groups.setdefault(name, []).append(f)
    out = [Group(n, sorted(fs, key=lambda f: f.severity != Severity.ERROR)) for n, fs in groups.items()]
    out.sort(key=lambda g: (g.name != OTHER_GROUP, -g.errors, -len(g.findings)))
    return out


COSTLESS_WHAT = {
    "reason-missing": "个指标失分，但没有填写偏差原因分析及改进措施",
    "over-reason-missing": "个指标超额完成（目标可能定得过低），但没有填写偏差原因分析及改进措施",
    "budget-reason-missing": "个项目执行率偏低，但没有填写预算执行的偏差原因",
    "baseline-unused": "个基数不是数值（这些指标的得分不用基数）",
    "narrative-missing": "个项目的年度总体目标完成情况没有填写（自评表的“实际完成情况”是空白）",
}
COSTLESS_SHOWN = 3  # places named in the summary line


def costless_summary(findings: list[Finding], label: str = "", others: bool = True) -> str:
    """One line for the warnings that cost no points: how many of each kind, and where the first are
    (``others``: other problems were listed above).

    >>> costless_summary([Finding("a.xlsx › 指标实际值 › H3", "x", code="reason-missing")], "a.xlsx")
    '另有 1 个警告不影响得分：1 个指标失分，但没有填写偏差原因分析及改进措施（指标实际值 › H3）；请补写说明'
    """
    kinds: dict[str, list[Finding]] = {}
    for f in findings:
        kinds.setdefault(f.code, []).append(f)
    parts = []
    for code, fs in kinds.items():
        where = "、".join(safe(short_where(f.where, label)) for f in fs[:COSTLESS_SHOWN])
        if len(fs) == 1 and code not in COSTLESS_WHAT:
            parts.append(f"{safe(fs[0].message)}（{where}）")
            continue
        more = " 等" if len(fs) > COSTLESS_SHOWN else ""
        parts.append(f"{len(fs):,} {COSTLESS_WHAT.get(code, '个其他警告')}（{where}{more}）")
    return f"{'另有 ' if others else ''}{len(findings):,} 个警告不影响得分：" + "；".join(parts) + "；请补写说明"


def quoted_name(message: str, names: set[str], longest: int) -> str | None:
    """The first project name quoted in ``message`` (“…”; a name may hold quotes itself): a look-up
    per quoted span no longer than the ``longest`` name, not a search for every name (100,000
    projects × 100,000 problems took hours).

    >>> quoted_name("没有找到项目“乙”的实际值", {"甲", "乙"}, 1), quoted_name("项目“关于“丙”的经费”缺少预算", {"关于“丙”的经费"}, 8)
    ('乙', '关于“丙”的经费')
    """
    if "“" not in message:
        return None
    closes = [j for j, ch in enumerate(message) if ch == "”"]
    for i, ch in enumerate(message):
        if ch == "“":
            for j in closes[bisect.bisect_right(closes, i):]:
                if j - i - 1 > longest:
                    break
                if message[i + 1:j] in names:
                    return message[i + 1:j]
    return None


def suggest_year(word: str, targets_root: Path | None = None) -> int | None:
    """The four-digit year a short or odd year meant, or None when ``word`` is no year at all.
    Two digits are this century's; otherwise the closest year that has ``targets/<year>/``.

    >>> suggest_year("23"), suggest_year("023"), suggest_year("2023年度"), suggest_year("templat")
    (2023, 2023, 2023, None)
    """
    text = unicodedata.normalize("NFKC", word).strip().removesuffix("年度").removesuffix("年").strip()
    if not re.fullmatch(r"\d{1,8}", text):
        return None
    if len(text) == 4:
        return int(text)
    if int(text) < 100 and len(text) <= 3:
        return 2000 + int(text)
    known = sorted(p.name for p in targets_root.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name)) \
        if targets_root is not None and targets_root.is_dir() else []
    close = difflib.get_close_matches(text, known, n=1, cutoff=0.5)
    return int(close[0]) if close else None
