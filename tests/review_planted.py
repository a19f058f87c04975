"""A year with planted defects: each project carries the defects a 财政 reviewer's working papers list
again and again, a control project carries none, and :data:`PLANTED` says what must be found
(code, project, 三级指标 or None for the project itself).

    python tests/review_planted.py OUT_DIR     # writes OUT_DIR/targets and OUT_DIR/actuals.xlsx
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from review_fixtures import write_projects

from scoring.review.registry import Project, Row

SHARED_REASON = "受疫情及上级工作安排调整影响，部分活动未能按计划开展；下一年度将加强统筹，确保按期完成。"

YOUTH = Project("青年创业服务专项", (
    Row("产出指标", "数量指标", "服务青年人数", "≥250人", 748, "", ""),                          # evidence_missing, target_too_low
    Row("产出指标", "数量指标", "创业补贴发放金额", "≥30万元", "31万元", "", "补贴发放明细表"),      # money_as_quantity
    Row("产出指标", "质量指标", "补贴发放准确率", "100%", "96%", "暂无", "复核台账"),               # reason_missing
    Row("产出指标", "成本指标", "场地租赁费", "不少于5万元", "5.2万元", "", "租赁合同、付款凭证"),   # cost_direction
    Row("效益指标", "社会效益指标", "服务青年人数", "≥250人", 748, "", "服务台账"),                 # duplicate_indicator
    Row("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "很满意", "", "回访记录"),     # satisfaction_no_survey
), full_budget=1_000_000, spent=800)                                                              # execution_output_gap: 0.08%

PUBLICITY = Project("宣传教育经费", (
    Row("产出指标", "数量指标", "宣传活动场次", "≥6场", 6, "", "活动通知、照片"),
    Row("产出指标", "时效指标", "宣传品按时发放率", "100%", "90%", SHARED_REASON, "发放签收单"),       # copied_text
    Row("效益指标", "社会效益指标", "群众知晓度", "明显提高", "达成", "", ""),                      # unsupported_score
    Row("效益指标", "可持续影响指标", "长效机制", "建立", "达成", "", "制度文件"),                   # verdict_only
    Row("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "92%", "", "问卷统计表"),
), full_budget=200_000, spent=260_000)                                                            # execution_over_100

SYSTEMS = Project("信息系统运维经费", (
    Row("产出指标", "数量指标", "巡检次数", "≥12次", None, "", "巡检记录"),                          # actual_missing
    Row("产出指标", "质量指标", "系统可用率", "≥99%", "99.5%", "", "运维报告"),
    Row("产出指标", "时效指标", "故障处理及时率", "≥95%", "90%", SHARED_REASON, "工单记录"),          # copied_text
    Row("产出指标", "成本指标", "预算执行率", "≥90%", "100%", "", "财务明细账"),                     # rate_mismatch
    Row("满意度指标", "服务对象满意度指标", "用户满意度", "≥90%", "95%", "", "问卷统计表"),
), full_budget=500_000, spent=350_000, budget_reason="部分设备采购延至次年。")

PROPERTY = Project("物业管理经费", (
    Row("产出指标", "数量指标", "保洁面积", "≥5000平方米", 5000, "", "物业合同"),
    Row("产出指标", "质量指标", "设施完好率", "≥95%", "98%", "", "巡查记录"),
    Row("效益指标", "社会效益指标", "办公环境", "整洁有序", "全年保洁考核均为合格，无安全事故", "", "考核表"),
    Row("满意度指标", "服务对象满意度指标", "职工满意度", "≥90%", "95%", "", "问卷统计表"),
))                                                                                                # all_full_marks

TRAINING = Project("干部培训经费", (
    Row("产出指标", "数量指标", "培训场次", "≥8场", 8, "", "签到表", review=5, note="签到表只能核实5场"),  # review_changed
    Row("产出指标", "质量指标", "培训合格率", "≥90%", "95%", "", "成绩单", review="95%"),
    Row("效益指标", "社会效益指标", "干部履职能力", "有效提升", "结业测评平均分提高10分，履职能力有效提升", "",
        "测评表", review="未达成", note="无培训前测评，提升幅度无法核实"),                        # deviation
    Row("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "93%", "", "问卷统计表",
        note="问卷样本仅20份，请扩大样本"),                                                       # reviewer_note
    Row("产出指标", "时效指标", "培训按期完成率", "100%", "95%", "一期培训因讲师临时出差顺延两周；已建立讲师备选库。",
        "培训台账"),
), full_budget=300_000, spent=290_000)

CONTROL = Project("档案数字化经费", (
    Row("产出指标", "数量指标", "数字化档案卷数", "≥3000卷", 3200, "", "验收单"),
    Row("产出指标", "质量指标", "扫描合格率", "≥98%", "99%", "", "抽检记录"),
    Row("产出指标", "时效指标", "按期完成率", "100%", "96%", "第四季度扫描设备故障停机一周；已与厂家签订备机协议。", "进度表"),
    Row("效益指标", "社会效益指标", "档案查阅效率", "有效提高", "平均调档时间由30分钟缩短到5分钟，查阅效率有效提高", "",
        "调档登记"),
    Row("满意度指标", "服务对象满意度指标", "查档人员满意度", "≥90%", "94%", "", "问卷统计表"),
), full_budget=400_000, spent=388_000)

PROJECTS = (YOUTH, PUBLICITY, SYSTEMS, PROPERTY, TRAINING, CONTROL)

# (code, project, 三级指标 or None)
PLANTED = (
    ("evidence_missing", YOUTH.name, "服务青年人数"),
    ("target_too_low", YOUTH.name, "服务青年人数"),
    ("money_as_quantity", YOUTH.name, "创业补贴发放金额"),
    ("reason_missing", YOUTH.name, "补贴发放准确率"),
    ("cost_direction", YOUTH.name, "场地租赁费"),
    ("duplicate_indicator", YOUTH.name, "服务青年人数"),
    ("satisfaction_no_survey", YOUTH.name, "服务对象满意度"),
    ("execution_output_gap", YOUTH.name, None),
    ("copied_text", PUBLICITY.name, "宣传品按时发放率"),
    ("copied_text", SYSTEMS.name, "故障处理及时率"),
    ("unsupported_score", PUBLICITY.name, "群众知晓度"),
    ("verdict_only", PUBLICITY.name, "长效机制"),
    ("execution_over_100", PUBLICITY.name, None),
    ("actual_missing", SYSTEMS.name, "巡检次数"),
    ("rate_mismatch", SYSTEMS.name, "预算执行率"),
    ("all_full_marks", PROPERTY.name, None),
    ("review_changed", TRAINING.name, "培训场次"),
    ("review_changed", TRAINING.name, "干部履职能力"),
    ("deviation", TRAINING.name, None),
    ("reviewer_note", TRAINING.name, "学员满意度"),
)


def write_planted(root: Path) -> tuple[Path, Path]:
    return write_projects(PROJECTS, root)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "planted")
    print(*write_planted(out))
