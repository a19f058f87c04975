"""Issue 24: an indicator judged 无法判定 carries why (``unknown_reason``) and what to write instead
(``hint``, with its code ``hint_code``) as data on its row; reports read those, never the explanation."""

from __future__ import annotations

import pandas as pd

from scoring.answers.advice import BASELINE_HINT, ZERO_HINT, Advice
from scoring.reports.forms import unjudged_note
from scoring.rubric.engine import score_indicators
from scoring.rubric.explain import not_judged
from scoring.rubric.inputs import engine_input
from scoring.verdicts import Verdict

ROWS = [  # (三级指标, 指标值, 实际完成值, 基数, the advice expected when 无法判定)
    ("开展活动数量", "≥2次", 3, None, Advice.NONE),  # judged
    ("开展活动数量", "≥2次", None, None, Advice.READING),  # blank: the reader says what to write
    ("开展活动数量", "≥2次", "见附件", None, Advice.READING),  # an attachment named: the reader's own advice
    ("覆盖率", "≥90%", "达成", None, Advice.KIND),  # a bare verdict on a quantitative target
    ("单位成本", "同比下降4%", 100, None, Advice.BASELINE),  # a change without its 基数
    ("单位成本", "同比下降4%", 100, 0, Advice.ZERO_BASELINE),  # a change against a 基数 of 0
]


def _scored() -> pd.DataFrame:
    df = engine_input(id=[f"I{k}" for k in range(len(ROWS))], project="项目", level1="产出指标", level2="数量指标",
                      level3=[r[0] for r in ROWS], annual_value=[r[1] for r in ROWS], weight=10.0,
                      actual=[r[2] for r in ROWS], baseline=[r[3] for r in ROWS])
    return score_indicators(df, None, None, 2023).indicators


def test_each_unjudged_row_carries_its_reason_and_advice_as_data():
    ind = _scored()
    codes = ind["hint_code"].tolist()
    assert codes == [r[4] for r in ROWS]
    unknown = (ind["verdict"] == Verdict.UNKNOWN).to_numpy()
    assert unknown.tolist() == [r[4] != Advice.NONE for r in ROWS]
    for expl, why, hint in zip(ind["explanation"][unknown], ind["unknown_reason"][unknown], ind["hint"][unknown],
                               strict=True):
        assert why and hint and expl == not_judged(why)  # the explanation is made from the reason, not the reverse
    assert (ind["unknown_reason"][~unknown] == "").all() and (ind["hint"][~unknown] == "").all()
    assert ind["hint"].iat[4] == BASELINE_HINT and ind["hint"].iat[5] == ZERO_HINT
    assert "基数 0 → 实际 100" in ind["unknown_reason"].iat[5]  # a change says what it was taken from


def test_the_forms_note_reads_the_reason_field():
    ind = _scored()
    ind["unknown_reason"] = [f"理由{k}" if v == Verdict.UNKNOWN else "" for k, v in enumerate(ind["verdict"])]
    note = unjudged_note(ind)
    assert note.startswith("无法判定、记 0 分的指标：开展活动数量（理由1）、")
    assert "→ 0 分" not in note and "无法判定：" not in note
