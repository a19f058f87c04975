"""The monitoring workbook's layout (绩效监控填报表, ``score template YEAR --monitor``): its sheets and
header rows. :mod:`scoring.reports.monitor_template` writes it, :mod:`scoring.monitor.form_reader` reads it.

``label`` is the period the columns are named after (:attr:`scoring.results.TimeProgress.label`, ``1–7月``).
"""

from __future__ import annotations

from scoring.actuals.opening import SHEET_BUDGET

__all__ = ["SHEET_BUDGET", "SHEET_INDICATORS", "budget_header", "indicator_header"]

SHEET_INDICATORS = "指标执行情况"


def budget_header(label: str) -> tuple[str, ...]:
    return ("项目名称", "年初预算数", "全年预算数", f"{label}执行数", "全年预计执行数", "偏差原因分析", "拟采取的措施")


def indicator_header(label: str) -> tuple[str, ...]:
    return ("指标编号", "项目名称", "一级指标", "二级指标", "三级指标", "年度指标值", f"{label}实际完成值",
            "全年预计完成值", "完成目标可能性", "偏差原因分析", "拟采取的措施")
