"""Where things are: the data shipped with the program, the working folder's default paths, and the
names of the files the tool writes. Every module takes a path or a file name from here.

The data shipped with the program is the repository's ``rules/`` folder (rubric profiles, and the
language's word lists under ``rules/language/``), installed as the package ``scoring.rules`` and read
through :mod:`importlib.resources`, so an installed copy finds it wherever it lies.

A working folder (the current folder, unless an option names another path)::

    targets/<年度>/                  绩效目标：projects.yaml、indicators.csv、import_report.txt
    actuals/<年度>.xlsx              实际值工作簿（score YEAR、score review）
    actuals/<年度>_monitor.xlsx      监控填报表（score monitor）
    reports/<年度>/                  报告

>>> [p.as_posix() for p in (targets_dir(2023), actuals_workbook(2023), monitor_workbook(2023), reports_dir(2023))]
['targets/2023', 'actuals/2023.xlsx', 'actuals/2023_monitor.xlsx', 'reports/2023']
>>> report_name(2023), audit_name(2023), detail_csv_name(2023), summary_name(2023)
('绩效自评报告_2023.xlsx', '指标明细_2023.xlsx', '指标明细_2023.csv', '绩效自评汇总_2023.xlsx')
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

# ---- the data shipped with the program -------------------------------------------------------

DEFAULT_PROFILE = "national"  # the rubric profile used when --rules is not given (rules/national.yaml)


def rules_dir() -> Path:
    """The folder of the rubric profiles (``rules/*.yaml``)."""
    return Path(str(files("scoring.rules")))


def language_file(name: str) -> Path:
    """A word list of the language: ``rules/language/<name>``."""
    return rules_dir() / "language" / name


# ---- the working folder --------------------------------------------------------------------------

TARGETS = "targets"
ACTUALS = "actuals"
REPORTS = "reports"


def targets_dir(year: int | str) -> Path:
    """The targets of a year: ``targets/<year>``."""
    return Path(TARGETS) / str(year)


def actuals_workbook(year: int | str) -> Path:
    """The year's 实际值工作簿: ``actuals/<year>.xlsx`` (last year's: the baseline of a change target)."""
    return Path(ACTUALS) / f"{year}.xlsx"


def monitor_workbook(year: int | str) -> Path:
    """The year's 监控填报表: ``actuals/<year>_monitor.xlsx``."""
    return Path(ACTUALS) / f"{year}_monitor.xlsx"


def reports_dir(year: int | str) -> Path:
    """Where the reports of a year go: ``reports/<year>``."""
    return Path(REPORTS) / str(year)


ACTUALS_TEMPLATE = "actuals_template.xlsx"  # score template
MONITOR_TEMPLATE = "monitor_template.xlsx"  # score template --monitor
# the names the example commands of a notice suggest (score template --out …, then --actuals …)
FILLED_ACTUALS = "实际值.xlsx"
FILLED_MONITOR = "监控填报表.xlsx"

# ---- a targets folder (score import writes it, every command reads it) -------------------------

PROJECTS_FILE = "projects.yaml"
INDICATORS_FILE = "indicators.csv"
IMPORT_REPORT_FILE = "import_report.txt"
SOURCE_DIR = "source"  # copies of the imported tables
IMPORTED_ACTUALS_FILE = "自评表实际完成值.csv"  # the actuals a published 自评表 gave, beside its targets

# ---- reports -----------------------------------------------------------------------------------


def report_name(year: int) -> str:
    """The report workbook of ``score YEAR`` (自评表 per project, summary)."""
    return f"绩效自评报告_{year}.xlsx"


def audit_name(year: int) -> str:
    """The audit workbook of ``score YEAR`` (one row per indicator, the problems)."""
    return f"指标明细_{year}.xlsx"


def detail_csv_name(year: int) -> str:
    """``score YEAR --format csv``: the 指标明细 table as CSV."""
    return f"指标明细_{year}.csv"


def summary_name(year: int) -> str:
    """The summary of a folder run (every unit's workbook)."""
    return f"绩效自评汇总_{year}.xlsx"


def review_name(year: int | str) -> str:
    """The workbook of ``score review``."""
    return f"复核意见_{year}.xlsx"


def monitor_report_name(year: int, period: str) -> str:
    """The workbook of ``score monitor`` for the period monitored (``1-7月``).

    >>> monitor_report_name(2023, "1–7月")
    '绩效运行监控_2023_1-7月.xlsx'
    """
    return f"绩效运行监控_{year}_{period.replace('–', '-')}.xlsx"
