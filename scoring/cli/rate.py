"""``score rate``: score one indicator (or lines of standard input) and show the arithmetic."""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass

from scoring import workspace
from scoring.cli.output import write_out
from scoring.cli.parser import command, year_arg
from scoring.findings import ScoreError

RATE_DEFAULT_WEIGHT = 10.0
MAX_WEIGHT = 100.0  # as scoring.targets.store.MAX_WEIGHT: a project's full marks


def _weight_ok(weight: float) -> bool:
    return 0 < weight <= MAX_WEIGHT


STDIN_COLUMNS = "指标名<TAB>指标值<TAB>实际完成值<TAB>分值<TAB>基数<TAB>评分标准"


@dataclass(frozen=True)
class RateItem:
    """One indicator to score: from the options, or one line of standard input (``error`` when it cannot be)."""

    line: int
    indicator: str = ""
    target: str = ""
    actual: str = ""
    weight: float | None = None  # None: the default weight
    baseline: float | None = None
    criteria: str = ""
    error: str | None = None


def _configure_rate(p: argparse.ArgumentParser) -> None:
    p.add_argument("--target", help=f"年度指标值原文（如“≥2次”）；不给时从标准输入逐行读取“{STDIN_COLUMNS}”"
                                     "（分值、基数、评分标准可省）")
    p.add_argument("--actual", help="实际完成值（如“3”“96%%”“2023年11月30日”“部分达成 70%%”）")
    p.add_argument("--weight", type=float, help=f"分值，不给时按 {RATE_DEFAULT_WEIGHT:g} 分计")
    p.add_argument("--baseline", help="基数（上年实际值），用于“同比下降4%%”“比上年提高2个百分点”这类变化目标")
    p.add_argument("--criteria", help="该指标自己的评分标准（如“每少1次扣1分，扣完为止”），按它计分；看不懂时按评分规则计分并提示")
    p.add_argument("--indicator", help="三级指标名称，用于判断裸值的方向和满意度指标")
    p.add_argument("--rules", default=workspace.DEFAULT_PROFILE, help="评分规则：名称（national、sichuan、integrated）或 YAML 文件路径")
    p.add_argument("--year", type=year_arg, help="评价年度，用于“每年12月31日前”这类时限（不给时按完成日期所在年度）")
    p.add_argument("--json", action="store_true", help="每个指标输出一行 JSON")


def _rate_baseline(text: str | None) -> float | None:
    """A 基数 given to ``score rate``: a number (``90%`` is the level 90), None when blank; ValueError otherwise."""
    if text is None or not text.strip():
        return None
    value = float(text.strip().replace(",", "").removesuffix("%").removesuffix("％"))
    if value != value:
        raise ValueError
    return value


def _rate_weight(text: str) -> float:
    """A 分值 given to ``score rate``: a positive finite number; ValueError otherwise."""
    weight = float(text.strip())
    if not _weight_ok(weight):
        raise ValueError
    return weight


def _rate_items(args: argparse.Namespace) -> list[RateItem]:
    """The indicators to score: the one the options give, or one per line of standard input."""
    if args.target is not None:
        try:
            base = _rate_baseline(args.baseline)
        except ValueError:
            raise ScoreError(f"--baseline 应当是数值，现在是“{args.baseline}”", hint="例如：--baseline 100") from None
        if args.actual is None:
            raise ScoreError("给了 --target 但没有 --actual", hint="例如：score rate --target '≥2次' --actual 3")
        if args.weight is not None and not _weight_ok(args.weight):
            raise ScoreError(f"--weight 应当是 0 到 {MAX_WEIGHT:g} 之间的正数，现在是 {args.weight:g}", where="--weight")
        return [RateItem(1, args.indicator or "", args.target, args.actual, args.weight, base, args.criteria or "")]
    if args.actual is not None:
        raise ScoreError("给了 --actual 但没有 --target", hint="两者一起给，或都不给而从标准输入逐行读取")
    return [item for number, line in enumerate(sys.stdin, start=1) if (item := _stdin_item(number, line, args))]


def _stdin_item(number: int, line: str, args: argparse.Namespace) -> RateItem | None:
    """One line of standard input (None for a blank line): 3 to 6 tab-separated columns."""
    line = line.rstrip("\r\n")
    if not line.strip():
        return None
    fields = line.split("\t")
    if not 3 <= len(fields) <= 6:
        return RateItem(number, error=f"第 {number} 行应为“{STDIN_COLUMNS}”（分值、基数、评分标准可省），现在有 {len(fields)} 列")
    fields += [""] * (6 - len(fields))
    name, target, actual, weight_text, base_text, criteria = fields
    weight, error = args.weight, None
    if weight_text.strip():
        try:
            weight = _rate_weight(weight_text)
        except ValueError:
            error = f"第 {number} 行的分值“{weight_text.strip()}”不是 0 到 {MAX_WEIGHT:g} 之间的正数"
    base = None
    try:
        base = _rate_baseline(base_text)
    except ValueError:
        error = error or f"第 {number} 行的基数“{base_text.strip()}”不是数值"
    return RateItem(number, name.strip() or (args.indicator or ""), target, actual, weight, base,
                    criteria.strip() or (args.criteria or ""), error)


@command("rate", "给一个指标打分并显示算式（如 --target ≥2次 --actual 3）；不给 --target 时逐行读标准输入", _configure_rate)
def cmd_rate(args: argparse.Namespace) -> int:
    from scoring.language.numerals import json_number
    from scoring.rubric.engine import score_indicators
    from scoring.rubric.inputs import engine_input
    from scoring.rubric.profile_file import load_profile

    profile = load_profile(args.rules)
    items = _rate_items(args)
    good = [it for it in items if it.error is None]
    frame = engine_input(
        id=[it.line for it in good], project="score rate", level3=[it.indicator for it in good],
        annual_value=[it.target for it in good],
        weight=[RATE_DEFAULT_WEIGHT if it.weight is None else it.weight for it in good],
        actual=[it.actual for it in good], cell=[f"第 {it.line} 行" if args.target is None else "" for it in good],
        baseline=[math.nan if it.baseline is None else it.baseline for it in good],
        criteria=[it.criteria for it in good])
    rows = score_indicators(frame, None, profile, args.year).indicators if good else None
    by_line = {} if rows is None else {int(r["id"]): r for r in rows.to_dict("records")}
    failed = False
    if not args.json and args.target is not None and good:
        _print_rate(by_line[1], args.weight is None, profile)
        return 0
    for it in items:
        if it.error:
            failed = True
            write_out(json.dumps({"line": it.line, "error": it.error}, ensure_ascii=False) if args.json
                      else f"错误：{it.error}", raw=args.json)
            continue
        r = by_line[it.line]
        if args.json:
            ratio = r["ratio"]
            write_out(json.dumps({
                "indicator": it.indicator or None, "verdict": r["verdict"], "score": r["score"], "weight": r["weight"],
                "ratio": None if ratio is None or math.isnan(ratio) else round(float(ratio), 6),
                "explanation": r["explanation"], "assumptions": list(r["assumptions"]), "flags": list(r["flags"]),
                "actual": r["actual_normalised"], "target": r["comparator"].to_json(),
                "default_weight": it.weight is None, "needs_reason": bool(r["needs_reason"]), "rules": profile.name,
                "hint": r["hint"] or None, "baseline": json_number(r["baseline"]), "change": json_number(r["change"]),
                "criteria": it.criteria or None, "criteria_reading": criteria_json(r["criteria_rule"]),
                "scored_by": r["criteria_basis"],
            }, ensure_ascii=False), raw=True)
        else:
            notes = "；".join(r["assumptions"] + r["flags"] + ((f"处理建议：{r['hint']}",) if r["hint"] else ()))
            write_out("\t".join([it.indicator, r["reading"], r["actual_normalised"], r["verdict"],
                                 f"{r['score']:.{profile.decimals}f}/{r['weight']:g}", r["explanation"], notes]))
    return 2 if failed else 0


def criteria_json(rule) -> dict | None:
    """A row's criteria reading for ``--json`` (None when it has no criteria)."""
    return None if rule is None else rule.to_json()


def _print_rate(r: dict, default_weight: bool, profile) -> None:
    from scoring.criteria.rule import BY_CRITERIA

    c = r["comparator"]
    lines = []
    if r["level3"]:
        lines.append(f"指标：{r['level3']}")
    lines.append(f"指标值：{c.text}  →  读作 {c.reading()}（{c.kind.label}）")
    shown = r["actual_normalised"] or "（空）"
    lines.append(f"实际完成值：{r['actual']}  →  读作 {shown}")
    rule = r["criteria_rule"]
    if rule is not None:
        if rule.kind == "unreadable":
            lines.append(f"评分标准：{r['criteria']}  →  无法解读（{rule.reason}），按评分规则计分")
        else:
            fits = "" if r["criteria_basis"] == BY_CRITERIA else "；不适用于本指标，按评分规则计分"
            lines.append(f"评分标准：{r['criteria']}  →  读作 {rule.describe()}{fits}")
    lines.append(f"判定：{r['verdict']}")
    weight_note = f"（未给 --weight，按 {RATE_DEFAULT_WEIGHT:g} 分计）" if default_weight else ""
    lines.append(f"得分：{r['score']:.{profile.decimals}f} / {r['weight']:g}{weight_note}")
    lines.append(f"算式：{r['explanation']}")
    if r["assumptions"]:
        lines.append("假设：")
        lines += [f"  - {a}" for a in r["assumptions"]]
    if r["flags"]:
        lines.append("提示：")
        lines += [f"  - {f}" for f in r["flags"]]
    if r["hint"]:
        lines.append(f"处理建议：{r['hint']}")
    if r["needs_reason"]:
        lines.append("须填写偏差原因分析及改进措施。")
    lines.append(f"评分规则：{profile.describe()}")
    for line in lines:
        write_out(line)
