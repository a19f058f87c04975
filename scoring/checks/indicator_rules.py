"""The rules about one indicator: its 当年度指标值, and that value against the 实施周期指标值."""

from __future__ import annotations

from collections.abc import Iterator

from scoring.checks.rules import SATISFACTION_ROW as SAT
from scoring.checks.rules import Breach, Example, IndicatorCase, rule
from scoring.findings import ERROR, WARNING
from scoring.vocab import NUMERIC, TargetKind

_LOOSER = {">=": 1, ">": 1, "<=": -1, "<": -1}
_NOT_CUMULATIVE = ("%", "‰", "分", "秒", "分钟", "小时", "天", "日", "工作日", "周", "月", "个月", "季度", "年")


def _cumulative(unit: str) -> bool:
    """Counts, money, areas add up over the years of a period; rates, scores and durations do not."""
    return bool(unit) and unit not in _NOT_CUMULATIVE and "/" not in unit


def _one(*rows) -> Example:
    return Example((*rows, SAT))


@rule("annual_invalid", "indicator", ERROR, "当年度指标值无法解读（空白、复制了指标名称、在比较词后被截断）",
      bad=_one(("产出指标", "数量指标", "设备故障次数", "", "业务平台设备故障次数")),
      good=_one(("产出指标", "数量指标", "设备故障次数", "", "≤2次")))
def annual_invalid(c: IndicatorCase) -> Iterator[Breach]:
    if c.annual.kind == TargetKind.INVALID:
        yield (f"{c.label}：当年度指标值“{c.annual_text}”无效：{c.annual.reason}",
               "对照绩效目标表原件改正 annual_value，并在 note 中写明“人工修正：…”")


@rule("level2_empty", "indicator", WARNING, "指标没有二级指标",
      bad=_one(("产出指标", "", "活动次数", "", "≥2次")), good=_one(("产出指标", "数量指标", "活动次数", "", "≥2次")))
def level2_empty(c: IndicatorCase) -> Iterator[Breach]:
    if not c.level2:
        yield f"{c.label}：没有二级指标", None


@rule("period_empty", "indicator", WARNING, "实施周期指标值为空",
      bad=_one(("产出指标", "数量指标", "活动次数", "", "≥2次")), good=_one(("产出指标", "数量指标", "活动次数", "≥6次", "≥2次")))
def period_empty(c: IndicatorCase) -> Iterator[Breach]:
    if not c.period_text:
        yield f"{c.label}：实施周期指标值为空", None


@rule("period_cut", "indicator", WARNING, "实施周期指标值像是被截断的当年度指标值（PDF 提取截掉了结尾）",
      bad=_one(("效益指标", "社会效益指标", "品牌", "正面报道和市政府认", "正面报道和市政府认可")),
      good=_one(("效益指标", "社会效益指标", "品牌", "正面报道和市政府认可", "正面报道和市政府认可")))
def period_cut(c: IndicatorCase) -> Iterator[Breach]:
    if c.period_cut:
        yield (f"{c.label}：实施周期指标值“{c.period_text}”像是被截断的“{c.annual_text}”",
               "PDF 提取可能截掉了结尾；对照原件补全")


@rule("period_invalid", "indicator", WARNING, "实施周期指标值无法解读",
      bad=_one(("产出指标", "数量指标", "设备故障次数", "业务平台设备故障次数", "≤2次")),
      good=_one(("产出指标", "数量指标", "设备故障次数", "≤6次", "≤2次")))
def period_invalid(c: IndicatorCase) -> Iterator[Breach]:
    if c.period_text and not c.period_cut and c.period is not None and c.period.kind == TargetKind.INVALID:
        yield f"{c.label}：实施周期指标值“{c.period_text}”无效：{c.period.reason}", None


@rule("period_kind", "indicator", WARNING, "实施周期指标值与当年度指标值的类型不同（如一个是数量、一个是定性）",
      bad=_one(("产出指标", "质量指标", "合格率", "≥90%", "及时")),
      good=_one(("产出指标", "质量指标", "合格率", "≥90%", "≥95%")))
def period_kind(c: IndicatorCase) -> Iterator[Breach]:
    if c.comparable and c.period.kind != c.annual.kind:
        yield (f"{c.label}：实施周期指标值“{c.period_text}”（{c.period.kind.label}）与当年度指标值"
               f"“{c.annual_text}”（{c.annual.kind.label}）的类型不同", None)


def _same_kind(c: IndicatorCase) -> bool:
    return c.comparable and c.period.kind == c.annual.kind


@rule("period_unit", "indicator", WARNING, "实施周期指标值与当年度指标值的单位不同",
      bad=_one(("产出指标", "时效指标", "响应时间", "≤2天", "≤24小时")),
      good=_one(("产出指标", "时效指标", "响应时间", "≤48小时", "≤24小时")))
def period_unit(c: IndicatorCase) -> Iterator[Breach]:
    p, a = c.period, c.annual
    if _same_kind(c) and p.kind in NUMERIC and p.unit and a.unit and p.unit != a.unit:
        yield f"{c.label}：实施周期指标值的单位“{p.unit}”与当年度指标值的单位“{a.unit}”不同", None


def _directions(c: IndicatorCase) -> tuple[int, int] | None:
    """The looser direction (+1 at least, −1 at most) of period and annual, when both are numbers in one unit."""
    p, a = c.period, c.annual
    if not (_same_kind(c) and p.kind == TargetKind.QUANTITATIVE and p.unit == a.unit
            and p.value is not None and a.value is not None):
        return None
    return _LOOSER.get(p.op or "", 0), _LOOSER.get(a.op or "", 0)


@rule("period_direction", "indicator", WARNING, "实施周期指标值与当年度指标值的方向相反（一个“不低于”、一个“不超过”）",
      bad=_one(("产出指标", "数量指标", "投诉次数", "≤6次", "≥2次")),
      good=_one(("产出指标", "数量指标", "投诉次数", "≤6次", "≤2次")))
def period_direction(c: IndicatorCase) -> Iterator[Breach]:
    d = _directions(c)
    if d and d[0] and d[1] and d[0] != d[1]:
        yield f"{c.label}：实施周期指标值“{c.period_text}”与当年度指标值“{c.annual_text}”的方向相反", None


@rule("annual_stricter", "indicator", WARNING,
      "当年度指标值严于整个实施周期（累计的数量一年超过整个周期，比率、时长一年严于周期）",
      bad=_one(("产出指标", "数量指标", "活动次数", "≥6次", "≥8次")),
      good=_one(("产出指标", "数量指标", "活动次数", "≥6次", "≥2次")))
def annual_stricter(c: IndicatorCase) -> Iterator[Breach]:
    d = _directions(c)
    if not d or not d[0] or (d[1] and d[0] != d[1]):
        return
    p, a = c.period, c.annual
    if _cumulative(a.unit):
        # A count over the period adds up the years: one year cannot need (or allow) more.
        if a.value > p.value:
            yield (f"{c.label}：当年度指标值“{c.annual_text}”超过整个实施周期的“{c.period_text}”",
                   "数量按实施周期累计，一年的目标一般不超过整个周期；确认是否填反或笔误")
    elif (a.value - p.value) * d[0] > 0 or (a.value == p.value and a.op in (">", "<") and p.op in (">=", "<=")):
        yield (f"{c.label}：当年度指标值“{c.annual_text}”比整个实施周期的“{c.period_text}”还严",
               "比率、时长类目标一年不应严于整个实施周期；确认是否填反或笔误")
