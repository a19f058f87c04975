"""A number (from a numeric cell or found in text) as a :class:`Reading` in the target's unit,
and the checks that keep impossible or suspicious numbers from being scored silently."""

from __future__ import annotations

import math
import re

from scoring.actuals.advice import unreadable
from scoring.actuals.reading import Reading
from scoring.actuals.vocabulary import AnswerWords
from scoring.language.comparator import Comparator
from scoring.language.names import name_template
from scoring.language.normalize import normalize
from scoring.language.numerals import fmt_number
from scoring.language.units import IncompatibleUnits, factor, is_duration, is_percent
from scoring.vocab import TargetKind

TOO_LARGE = 1e15  # no count, sum of money or duration of a public project is this large
_MULTIPLIED = re.compile(r"\d(?:\.\d+)?(万|亿)")


def percent_cell(value: float, is_pct: bool) -> tuple[float, str, tuple[str, ...]]:
    """A percent-formatted cell holds 0.95 for 95 %. One holding 95 shows 9500 %: the clerk typed
    95 meaning 95 % (Excel multiplies what was there before the format was set)."""
    if not is_pct:
        return value, "", ()
    if abs(value) >= 10:
        return value, "%", (f"单元格是百分比格式，显示为 {fmt_number(value * 100)}%；按填写的数 {fmt_number(value)}% 理解",)
    return value * 100, "%", ()


WORKDAY_HOURS = 8.0  # the national profile's quantitative.workday_hours; callers pass the profile's own


def to_target_unit(value: float, unit: str, c: Comparator, written: str, words: AnswerWords,
                   workday: float = WORKDAY_HOURS) -> Reading:
    """``value`` written in ``unit`` ("" when none) as a number in the target's unit; hours against days of
    work (``36小时`` against ``不少于3天``) with ``workday`` hours a day."""
    if c.kind == TargetKind.CHANGE:
        return change_level(value, unit, c, written, words)
    target_unit = c.unit
    assumptions: list[str] = []
    if unit == target_unit:
        pass
    elif not unit:
        value = _unitless(value, c, written, assumptions)
        unit = target_unit
    elif not target_unit:
        assumptions.append(f"指标值没有写单位，按实际完成值的单位“{unit}”比较")
        target_unit = unit
    else:
        worked = _work_time(value, unit, c, written, words, workday)
        if worked is not None:
            return checked(worked, c, written, words)
        same = _same_kind(value, unit, c, words, written)
        if same is None:
            try:
                f = factor(unit, target_unit)
            except IncompatibleUnits as exc:
                return unreadable(written, f"{exc}（实际完成值“{written}”，指标值以“{target_unit}”计）", c)
            converted = value * f
            text = f"{fmt_number(converted)} {target_unit}（{written}）".replace("  ", " ")
            return checked(Reading("number", number=converted, text=text), c, written, words)
        assumptions.append(same)
    text = f"{fmt_number(value)} {target_unit}".strip() if target_unit else fmt_number(value)
    return checked(Reading("number", number=value, text=text, assumptions=tuple(assumptions)), c, written, words)


def _unitless(value: float, c: Comparator, written: str, assumptions: list[str]) -> float:
    target_unit = c.unit
    template = name_template(c.indicator)
    if template is not None and template.scale != 1 and template.unit == target_unit:  # 项目总投入（万元）
        assumptions.append(f"实际完成值 {fmt_number(value)} 没有写单位，按指标名称中的“{template.written}”理解，"
                           f"即 {fmt_number(value * template.scale)} {target_unit}")
        return value * template.scale
    multiplier = _written_multiplier(c)
    if multiplier and not is_percent(target_unit) and _closer_to_target(value * multiplier[1], value, c):
        assumptions.append(f"实际完成值 {fmt_number(value)} 没有写单位，按指标值的写法“{multiplier[0]}{target_unit}”理解，"
                           f"即 {fmt_number(value * multiplier[1])} {target_unit}")
        return value * multiplier[1]
    if is_percent(target_unit):
        bound = c.high if c.kind == TargetKind.RANGE else c.value
        if 0 < abs(value) <= 1 and (bound or 0) > 1:
            assumptions.append(f"实际完成值 {written} 没有百分号，按 {fmt_number(value * 100)}% 理解")
            return value * 100
        assumptions.append(f"实际完成值 {written} 没有百分号，按 {fmt_number(value)}% 理解")
    return value


def _same_kind(value: float, unit: str, c: Comparator, words: AnswerWords, written: str) -> str | None:
    """The assumption under which ``unit`` counts as the target's unit, or None."""
    target_unit = c.unit
    shown = f"{fmt_number(value)}{unit}"
    if words.same_count(unit, target_unit):
        return f"“{unit}”与“{target_unit}”同为计数，“{shown}”按 {fmt_number(value)}{target_unit} 计"
    if value == 0 and c.value == 0:  # 0起 against a zero target in 次: none of anything is none
        return f"“{shown}”即没有发生，按 0{target_unit} 计"
    for per, whole in ((target_unit, unit), (unit, target_unit)):  # 0.55元 against 每羽不超过0.6元 (元/羽)
        if per.startswith(f"{whole}/") and not per.endswith(("/天", "/日", "/年", "/月")):
            return f"“{shown}”按每{per.split('/', 1)[1]}的数理解，即 {fmt_number(value)}{target_unit}"
    if target_unit in (f"{unit}/天", f"{unit}/日") and any(w in written for w in words.per_day):
        return f"“{written}”是每天的数，按 {fmt_number(value)}{target_unit} 计"
    if unit.endswith("/年") and unit[:-2] == target_unit:
        return f"“{shown}”是年度数，按 {fmt_number(value)}{target_unit} 计"
    if unit == "分" and is_percent(target_unit) and 0 <= value <= 100 and \
            any(w in (c.indicator or "") for w in words.score_as_percent):
        return f"“{shown}”是百分制的得分，按 {fmt_number(value)}% 计"
    return None


_DAYS = ("天", "工作日")
_SUB_DAY = ("小时", "分钟")


def _work_time(value: float, unit: str, c: Comparator, written: str, words: AnswerWords,
               workday: float) -> Reading | None:
    """Time worked against days of work (``不少于3天`` of training, ``驻村不少于200个工作日``): a 工作日 is one
    天 of work (``3个工作日`` against ``不少于3天`` is 3 天, recorded); hours and days convert at ``workday``
    hours a day (``36小时`` is 4.5 天, recorded and flagged). None for anything else, and for a time limit or a
    calendar duration (``5个工作日内办结``, ``运行天数``): a calendar day is not a working day there."""
    target_unit = c.unit
    if c.op not in (">=", ">", "==", "between") or words.elapsed(c.indicator or ""):
        return None
    if unit in _DAYS and target_unit in _DAYS:
        said = (f"“{written}”是投入的工作时间：1 个工作日即 1 天的工作，按 {fmt_number(value)}{target_unit} 计"
                "（不是日历天数）")
        return Reading("number", number=value, text=f"{fmt_number(value)} {target_unit}（{written}）", assumptions=(said,))
    if unit in _SUB_DAY and target_unit in _DAYS:
        hours = value * factor(unit, "小时")
        converted = hours / workday
    elif unit in _DAYS and target_unit in _SUB_DAY:
        hours = value * workday
        converted = hours * factor("小时", target_unit)
    else:
        return None
    said = (f"“{written}”按每个工作日 {fmt_number(workday)} 小时折算为 {fmt_number(round(converted, 6))}{target_unit}"
            "（评分规则 quantitative.workday_hours）")
    note = (f"实际完成值以“{unit}”计、指标值以“{target_unit}”计：按每个工作日 {fmt_number(workday)} 小时折算，"
            "请复核是否应按其他口径换算")
    text = f"{fmt_number(round(converted, 6))} {target_unit}（{written}）"
    return Reading("number", number=converted, text=text, assumptions=(said,), notes=(note,))


def change_level(value: float, unit: str, c: Comparator, written: str, words: AnswerWords) -> Reading:
    """A number answering a change target (``比上年提高2个百分点``, ``同比下降4%``): this year's level,
    compared with the 基数 by the engine, in the level's unit (a percentage for 个百分点; the
    target's unit for an absolute change; as written for a relative one)."""
    if c.unit == "个百分点":
        level = "%"
    elif c.unit == "%":
        level = c.baseline.unit if c.baseline is not None and c.baseline.value is not None else ""
    else:
        level = c.unit
    assumptions: tuple[str, ...] = ()
    if unit and level and unit != level:
        try:
            value, unit = value * factor(unit, level), level
        except IncompatibleUnits as exc:
            return unreadable(written, f"{exc}（实际完成值“{written}”，基数以“{level}”计）", c)
        assumptions = (f"实际完成值“{written}”按 {fmt_number(value)}{level} 计",)
    shown = f"{fmt_number(value)} {unit or level}".strip()
    return checked(Reading("number", number=value, text=shown, assumptions=assumptions), c, written, words)


def checked(r: Reading, c: Comparator, written: str, words: AnswerWords) -> Reading:
    """``r`` unless its number is impossible for this indicator (then unreadable, with the advice);
    a rate over 100 % where that can happen but must be looked at gets a note."""
    v = r.number
    if v is None:
        return r
    name = c.indicator or ""
    if not math.isfinite(v) or abs(v) >= TOO_LARGE:
        return unreadable(written, f"实际完成值“{written}”大得不合理，不像是完成值", c)
    if is_percent(c.unit) and words.bounded(name) and not 0 <= v <= 100:
        what = "负数" if v < 0 else f"{fmt_number(v)}%，超过 100%"
        return unreadable(written, f"“{name}”不可能是{what}（实际完成值“{written}”）", c,
                          "请填写 0 到 100 之间的百分比，如 96%")
    if v < 0 and c.unit and not is_percent(c.unit):
        kind = "时长" if is_duration(c.unit) else "数量"
        return unreadable(written, f"实际完成值“{written}”是负数，而这个指标计的是{kind}", c, "请填写非负的数值")
    if is_percent(c.unit) and v > 100 and words.flags_over_100(name):
        note = f"{name or '预算执行率'}为 {fmt_number(v)}%，超过 100%：支出超过了预算，请核对执行数与预算数"
        return Reading(**{**_fields(r), "notes": (*r.notes, note)})
    return r


def _fields(r: Reading) -> dict:
    return {k: getattr(r, k) for k in Reading.__slots__}


def with_assumptions(r: Reading, *extra: str) -> Reading:
    return Reading(**{**_fields(r), "assumptions": (*extra, *r.assumptions)}) if extra else r


def _written_multiplier(c: Comparator) -> tuple[str, float] | None:
    """The multiplier the target was written with (``≤90万元`` → (万, 10000)), or None."""
    m = _MULTIPLIED.search(normalize(c.text or ""))
    if not m:
        return None
    return m.group(1), 1e4 if m.group(1) == "万" else 1e8


def _closer_to_target(scaled: float, plain: float, c: Comparator) -> bool:
    """Whether ``scaled`` is nearer the target than ``plain`` (by ratio): 90 against ≤90万元 is 90 万元."""
    target = c.value if c.value else c.high
    if not target or target <= 0 or plain <= 0:
        return False
    return abs(math.log(scaled) - math.log(target)) < abs(math.log(plain) - math.log(target))  # no underflow (5e-324)


def growth_from_number(value: float, unit: str, written: str, c: Comparator | None = None) -> Reading:
    """A number answering a directional target: a growth rate in %."""
    assumptions: list[str] = []
    if unit not in ("%",):
        if unit:
            return unreadable(written, f"方向指标的实际完成值应为增长率（%）或写明本年与上年的数值，“{written}”不能判断方向", c)
        assumptions.append(f"实际完成值 {written} 按较上年的增长率 {fmt_number(value)}% 理解")
    sign = (value > 0) - (value < 0)
    return Reading("growth", number=value, sign=sign, text=f"较上年 {signed(value)}%", assumptions=tuple(assumptions))


def signed(x: float) -> str:
    return ("+" if x > 0 else "") + fmt_number(x)


def _rate_like(name: str) -> bool:
    """An indicator measured as a percentage (满意度, 合格率): a bare number answering it is one."""
    name = name.split("（")[0].split("(")[0]
    return name.endswith(("率", "度")) or "满意" in name


def level_number(value: float, unit: str, c: Comparator, level: tuple[str, float], written: str,
                 words: AnswerWords, bare: bool) -> Reading | None:
    """A number answering a level target (``满意``, ``合格``): a percentage compared with the
    level's threshold. None when the number is not a percentage (``4人全部合格``)."""
    word, threshold = level
    assumptions = [f"定性目标“{normalize(c.text)}”遇到数值，按“{word}”即不低于 {fmt_number(threshold)}% 比较"]
    if unit == "分" and any(w in (c.indicator or "") + c.text for w in words.score_as_percent) and 0 <= value <= 100:
        assumptions.append(f"“{written}”是百分制的得分，按 {fmt_number(value)}% 计")
    elif unit != "%":
        if unit or not bare or not _rate_like(c.indicator or ""):
            return None
        if 0 < value <= 1:
            value = value * 100
        assumptions.append(f"实际完成值 {written} 没有百分号，按 {fmt_number(value)}% 理解")
    if not 0 <= value <= 100:
        return unreadable(written, f"“{normalize(c.text)}”类的目标不可能是 {fmt_number(value)}%，超过 100%（实际完成值“{written}”）", c,
                          "请填写 0 到 100 之间的百分比，如 96%")
    return Reading("number", number=value, text=f"{fmt_number(value)} %", assumptions=tuple(assumptions), level=threshold)
