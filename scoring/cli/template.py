"""``score template``: the workbook users fill (and ``--monitor``'s mid-year form)."""

from __future__ import annotations

import argparse

from scoring import workspace
from scoring.cli.output import write_out
from scoring.cli.parser import command, year_arg
from scoring.findings import ScoreError


def _configure_template(p: argparse.ArgumentParser) -> None:
    p.add_argument("year", type=year_arg, metavar="YEAR", help="评价年度，例如 2023")
    p.add_argument("--targets", help=f"绩效目标目录（默认 {workspace.targets_dir('YEAR').as_posix()}）")
    p.add_argument("--out", help=f"输出路径（默认 {workspace.ACTUALS_TEMPLATE}）")
    p.add_argument("--baseline", help=f"上年实际值工作簿，用于预填变化类指标的“基数（上年实际值）”（默认 {workspace.actuals_workbook('YEAR-1').as_posix()}，存在时）")
    p.add_argument("--department", help="只包含这个主管部门（或用款单位）的项目：给各部门分别生成模板")
    p.add_argument("--force", action="store_true", help="输出文件已存在时覆盖它（默认拒绝，以免覆盖已填写的工作簿）")
    p.add_argument("--monitor", action="store_true", help="生成年中绩效运行监控填报表（须同时给 --through）")
    p.add_argument("--through", help="监控截止日期，例如 2023-07-31（与 --monitor 一起用）")
    p.add_argument("--review", action="store_true",
                   help="“指标实际值”表加上复核人员填写的“复核完成值”“复核意见”两列（score review 计算复核得分和偏离度）")
    p.add_argument("--rules", help="评分规则：名称或 YAML 文件路径（默认 national）；按其词表读指标值，与评分时一致")


@command("template", "根据绩效目标生成实际值填报模板（Excel）", _configure_template)
def cmd_template(args: argparse.Namespace) -> int:
    from pathlib import Path

    from scoring.cli.monitor import monitor_template
    from scoring.files import protected_inputs
    from scoring.reports.template import guard_output, write_template
    from scoring.targets.model import for_department
    from scoring.targets.store import load_targets

    if args.review and (args.monitor or args.through):
        raise ScoreError("--review 只用于年末的实际值填报模板", where="--review", hint="生成监控填报表时请去掉 --review")
    if (args.monitor or args.through) and not (args.monitor and args.through):
        return monitor_template(args)  # --monitor and --through go together: its usage error comes first
    targets_dir = Path(args.targets) if args.targets else workspace.targets_dir(args.year)
    out = Path(args.out or (workspace.MONITOR_TEMPLATE if args.monitor else workspace.ACTUALS_TEMPLATE))
    inputs = [f for f in targets_dir.rglob("*") if f.is_file()] if targets_dir.is_dir() else []
    guard_output(out, inputs, args.force)  # both templates: never over an existing file without --force
    if args.monitor or args.through:
        return monitor_template(args)
    targets = load_targets(targets_dir)
    if args.department:
        targets = for_department(targets, args.department)
    from scoring.actuals.baseline import prefill

    last = Path(args.baseline) if args.baseline else workspace.actuals_workbook(args.year - 1)
    if args.baseline and not last.is_file():
        raise ScoreError("找不到上年实际值工作簿", where=str(last), hint="请检查 --baseline 的路径")
    from scoring.rubric.profile_file import load_profile

    lexicon = load_profile(args.rules).lexicon
    bases = prefill(targets, last, args.year, lexicon) if last.is_file() else {}
    with protected_inputs(targets_dir, last):  # never written over the targets or last year's workbook
        out = write_template(targets, out, args.year, baselines=bases, review=args.review, lexicon=lexicon)
    write_out(f"已生成填报模板：{out}（{len(targets.projects)} 个项目、{len(targets.indicators)} 个指标）"
              + (f"；{len(bases)} 个变化类指标的基数取自 {last}" if bases else "")
              + ("；含复核人员填写的“复核完成值”“复核意见”两列" if args.review else ""))
    return 0
