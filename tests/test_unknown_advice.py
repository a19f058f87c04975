"""Issue 24: an indicator judged 无法判定 carries why (``unknown_reason``) and what to write instead
(``hint``, with its code ``hint_code``) as data on its row; reports read those, never the explanation."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import examples
from scoring.actuals.advice import BASELINE_HINT, ZERO_HINT, Advice
from scoring.reports.forms import unjudged_note
from scoring.rubric.engine import score_indicators
from scoring.rubric.explain import not_judged
from scoring.rubric.inputs import engine_input
from scoring.vocab import Verdict

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


TARGETS = [("开展活动次数", "≥2次"), ("满意度", "≥90%"), ("群众满意度", "满意"), ("完成时间", "2023年12月31日前"),
           ("收入", "较上年增长"), ("覆盖率", "90%-95%"), ("访问量", "同比增长4%"), ("指标", ""), ("质量", "合格"),
           ("收入", "比上年提高2个百分点")]
ACTUALS = [None, "", 0, 3, 95, "96%", "达成", "部分达成 70%", "见附件", "已按时完成", "增长5%", "满意", "#DIV/0!",
           "2023年11月30日", "abc"]


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(st.sampled_from(TARGETS), st.sampled_from(ACTUALS),
                               st.sampled_from([None, 0.0, 100.0])), min_size=1, max_size=20),
       profile=st.sampled_from(["national", "sichuan", "integrated"]))
def test_advice_and_reason_exactly_on_the_unjudged_rows(rows, profile):
    from scoring.rubric.profile_file import load_profile

    df = engine_input(id=list(range(1, len(rows) + 1)), project="项目", level3=[r[0][0] for r in rows],
                      annual_value=[r[0][1] for r in rows], actual=[r[1] for r in rows], weight=10.0,
                      baseline=[r[2] for r in rows])
    ind = score_indicators(df, None, load_profile(profile), 2023).indicators
    unknown = (ind["verdict"] == Verdict.UNKNOWN).to_numpy()
    assert ((ind["hint_code"] != Advice.NONE).to_numpy() == unknown).all()
    assert ((ind["hint"] != "").to_numpy() == unknown).all()
    assert ((ind["unknown_reason"] != "").to_numpy() == unknown).all()
    assert [e for e, u in zip(ind["explanation"], unknown, strict=True) if u] == \
        [not_judged(r) for r, u in zip(ind["unknown_reason"], unknown, strict=True) if u]


def test_an_unreadable_criteria_remark_stays_in_the_explanation_not_in_the_reason():
    df = engine_input(id=[1], project="项目", level3=["开展活动次数"], annual_value=["≥2次"], actual=[None], weight=10.0,
                      criteria=["随便写的一句话没有规则"])
    row = score_indicators(df, None, None, 2023).indicators.iloc[0]
    assert row["verdict"] == Verdict.UNKNOWN and row["explanation"].startswith("评分标准无法解读")
    assert row["unknown_reason"] == "未填写实际完成值"  # the forms' note says why, without the remark (it used to)
