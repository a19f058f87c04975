"""Read one 实际完成值 (actual value) against the target it answers.

``read_actual(raw, comparator, is_percent=False, year=None, lexicon=None) -> Reading`` is pure
and cached. ``raw`` is the cell as read from Excel: ``str``, ``int``/``float``, ``bool``,
``datetime``/``date``, ``None`` or NaN. The result (:class:`~scoring.actuals.reading.Reading`) is:

- ``number``: a number in the target's unit (``3.2万人次`` against ``≥30000人次`` → 32000; ``1天``
  against ``≤24小时`` → 24; ``三场`` against ``≥2次`` → 3, recorded). A percent cell or text
  ``96%`` is 96 %; a plain number against a percent target is a percentage *with a recorded
  assumption*. Against a level target (``满意``, ``合格``) a percentage is compared with the
  level's threshold (``level``). Approximations (``约30万``) keep their number, recorded.
- ``date``: an ISO date (deadline targets).
- ``growth``: a change against last year (directional targets), and its sign.
- ``verdict``: 达成 / 部分达成 / 未达成 with an optional percentage of the weight, written out or
  read from free text through the word lists (an assumption); ``late`` for ``逾期完成``.
- ``unreadable`` / ``missing``: with a Chinese ``reason`` and a ``hint`` saying what to write.
  Formulas typed as text, stray characters (``½``, ``见附件3``, ``+1+1``, ``1e308``), dates
  against numbers and numbers impossible for the indicator (a 满意度 over 100 %, a negative
  count) end here: never scored silently.

Whether a reading fits the target (a verdict against a quantitative target, a percentage outside
its band) is the engine's decision, since it depends on the profile. The vocabulary is data:
``rules/language/answers.yaml`` (:mod:`scoring.actuals.vocabulary`).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from functools import lru_cache

from scoring.actuals.advice import hint_for, unreadable
from scoring.actuals.judge import judge_text
from scoring.actuals.numbers import (
    WORKDAY_HOURS,
    checked,
    growth_from_number,
    level_number,
    percent_cell,
    to_target_unit,
    with_assumptions,
)
from scoring.actuals.reading import Reading
from scoring.actuals.text import from_text
from scoring.actuals.vocabulary import AnswerWords, answer_words
from scoring.language.comparator import Comparator
from scoring.language.lexicon import Lexicon, default_lexicon
from scoring.language.normalize import normalize
from scoring.language.numerals import fmt_number
from scoring.vocab import WORDED, TargetKind, Verdict

MAX_ACTUAL_CHARS = 2_000  # a 实际完成值 is a figure or a sentence; longer text is not read (issue 13)
__all__ = ["Reading", "hint_for", "is_missing", "judge_text", "read_actual"]


def is_missing(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    if type(raw).__name__ in ("NaTType", "NAType"):
        return True
    return isinstance(raw, str) and raw.strip() in answer_words().missing


def read_actual(raw: object, comparator: Comparator, is_percent: bool = False, year: int | None = None,
                lexicon: Lexicon | None = None, *, cached: bool = True, workday: float = WORKDAY_HOURS) -> Reading:
    """The reading of one actual value against ``comparator`` (see the module docstring).
    ``cached=False``: the caller reads each distinct value once (the engine), so the readings are
    not kept (hashing the comparator and the word lists for the cache cost more than it saved).
    ``workday``: the hours of a working day (the profile's ``quantitative.workday_hours``), for hours
    answering days of work.

    >>> from scoring.language.expressions import parse
    >>> read_actual("3.2万人次", parse("≥30000人次", "服务人次")).number
    32000.0
    >>> r = read_actual("36小时", parse("不少于3天", "培训时长"), workday=8)
    >>> r.text, r.notes[0][:20]
    ('4.5 天（36小时）', '实际完成值以“小时”计、指标值以“天”计')
    >>> read_actual("下降5%", parse("低于20%", "营业收入增长率")).number
    -5.0
    >>> read_actual("7月份", parse("9月前", "完成时间", 2023), year=2023).date
    '2023-07-31'
    >>> read_actual("未发生", parse("无重大安全事故", "重大安全事故")).number
    0.0

    One example per kind of reading (number, date, growth, verdict, unreadable, missing):

    >>> r = read_actual(0.95, parse("≥90%", "合格率"), is_percent=True)  # a percent-formatted cell
    >>> r.kind, r.number, r.assumptions, read_actual(0.95, parse("≥90%", "合格率")).assumptions
    ('number', 95.0, (), ('实际完成值 0.95 没有百分号，按 95% 理解',))
    >>> r = read_actual("2023年6月28日完成", parse("2023年6月30日前", "完成时间"))
    >>> r.kind, r.date
    ('date', '2023-06-28')
    >>> r = read_actual("增长5%", parse("逐步提高", "营业收入"))
    >>> r.kind, r.number, r.sign
    ('growth', 5.0, 1)
    >>> r = read_actual("部分达成 75%", parse("按时完成", "工作完成情况"))
    >>> r.kind, r.verdict, r.percent
    ('verdict', '部分达成', 75.0)
    >>> r = read_actual("见附件3", parse("≥3次", "培训次数"))
    >>> r.kind, r.reason
    ('unreadable', '实际完成值“见附件3”没有写出完成值（只写了“待统计”“见附件”之类）')
    >>> r = read_actual(None, parse("≥3次", "培训次数"))
    >>> r.kind, r.reason, r.hint
    ('missing', '未填写实际完成值', '请填写以“次”计的数值，如 3次')
    """
    if is_missing(raw):
        return Reading("missing", reason="未填写实际完成值", hint=hint_for(comparator))
    lex = lexicon or default_lexicon()
    if isinstance(raw, datetime):
        raw = raw.date()
    if hasattr(raw, "to_pydatetime"):  # pandas Timestamp
        raw = raw.to_pydatetime().date()
    if hasattr(raw, "item") and not isinstance(raw, str | bytes):  # numpy scalar
        raw = raw.item()
    try:
        read = _read if cached else _read.__wrapped__
        return read(raw, type(raw).__name__, comparator, bool(is_percent), year, lex, answer_words(), workday)
    except TypeError:  # unhashable (a list in a cell): not a value
        return unreadable(str(raw), f"实际完成值“{raw}”不是数值、日期或文字", comparator)


@lru_cache(maxsize=65536)
def _read(raw: object, _type: str, c: Comparator, is_pct: bool, year: int | None, lex: Lexicon,
          words: AnswerWords, workday: float) -> Reading:
    kind = c.kind
    if kind == TargetKind.INVALID:
        return unreadable(_display(raw), f"指标值无效：{c.reason}", c)
    if isinstance(raw, date):
        if kind == TargetKind.DEADLINE:
            return Reading("date", date=raw.isoformat(), text=raw.isoformat())
        return unreadable(raw.isoformat(), f"实际完成值是日期 {raw.isoformat()}，而指标值不是时限（可能是 Excel 把数字自动转成了日期）", c)
    if isinstance(raw, bool):
        if kind in WORDED:
            v = Verdict.MET if raw else Verdict.NOT_MET
            return Reading("verdict", verdict=v, text=v, assumptions=(f"实际完成值“{'是' if raw else '否'}”按“{v}”理解",))
        return unreadable(str(raw), "实际完成值是“是/否”，定量指标需要数值", c)
    if isinstance(raw, int | float):
        if not math.isfinite(raw):
            return unreadable(str(raw), "实际完成值不是有限的数", c)
        return _from_number(float(raw), c, is_pct, str(fmt_number(float(raw))), words, workday)
    if not isinstance(raw, str):
        return unreadable(str(raw), f"实际完成值“{raw}”不是数值、日期或文字", c)
    if len(raw) > MAX_ACTUAL_CHARS:  # hostile input (issue 13): judging a 1 MB cell took a minute
        return unreadable(raw[:100] + "…", f"实际完成值有 {len(raw):,} 字，过长，不是一个实际完成值（最多 {MAX_ACTUAL_CHARS:,} 字）；"
                          "请只填写完成的数量、比率、日期或“达成/部分达成/未达成”，说明写在“偏差原因分析及改进措施”一列", c)
    return from_text(raw, c, year, lex, words, workday)


def _display(raw: object) -> str:
    if isinstance(raw, float):
        return fmt_number(raw)
    return str(raw).strip()


def _from_number(value: float, c: Comparator, is_pct: bool, written: str, words: AnswerWords,
                 workday: float = WORKDAY_HOURS) -> Reading:
    """A numeric cell. A percent-formatted one holds a fraction (0.95 → 95 %)."""
    if abs(value) >= 1e15:
        return checked(Reading("number", number=value), c, written, words)
    value, unit, cell_assumptions = percent_cell(value, is_pct)
    if is_pct:
        written = f"{fmt_number(value)}%"
    if c.kind == TargetKind.QUALITATIVE:
        level = words.level_of(normalize(c.text))
        r = level_number(value, unit, c, level, written, words, bare=True) if level else None
        if r is not None:
            return _with(r, cell_assumptions)
        return unreadable(written, f"定性指标的实际完成值应为判定（达成/部分达成/未达成）或文字说明，不能只填数值“{written}”", c)
    if c.kind == TargetKind.DEADLINE:
        return unreadable(written, f"时限指标的实际完成值应为完成日期，“{written}”不是日期", c)
    if c.kind == TargetKind.DIRECTIONAL:
        return _with(growth_from_number(value, unit, written, c), cell_assumptions)
    return _with(to_target_unit(value, unit, c, written, words, workday), cell_assumptions)


def _with(r: Reading, assumptions: tuple[str, ...]) -> Reading:
    return with_assumptions(r, *assumptions)
