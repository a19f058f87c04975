"""The import report: what was read, which column was taken as which field, what a person must check."""

from __future__ import annotations

from scoring.findings import WARNING
from scoring.importer.headers import FIELD_NAMES, ROW_META_NAMES
from scoring.workspace import IMPORT_REPORT_FILE

KIND_NAMES = {
    "latex": "LaTeX 还原", "markup": "去除标记", "split": "拆开的名称", "shift": "错位归位",
    "carry": "沿用上方名称", "skip": "跳过的行", "infer": "按名称推定", "missing": "缺少指标值",
    "extra": "多余单元格", "ambiguous": "无法判定", "unknown": "词表外的名称", "meta": "项目信息",
    "goal": "绩效目标", "duplicate": "重复指标", "kept": "保留人工修正", "encoding": "编码", "trailer": "表后的行",
    "title": "标题行", "unplaced": "未导入的行", "joined": "合并单元格", "ocr": "识别错误", "points": "分值",
    "placeholder": "模板占位", "actuals": "实际完成值", "separator": "分隔符", "file": "无法读取的文件",
    "columns": "按内容认列", "section": "分节行", "level1": "一级指标对照",
}


def render(f) -> str:
    """``[需核对·种类] 位置：说明`` and the row as written on the next line."""
    tag = "需核对" if f.severity == WARNING else "修复"
    message, _, source = f.message.partition("（原文：")
    head = f"[{tag}·{KIND_NAMES.get(f.code, f.code)}] {f.where}：{message}"
    return head + (f"\n    原文：{source[:-1]}" if source else "")


def columns_line(table) -> str:
    """Which column of the table was taken as which field, e.g. ``第3列“指标名称”→三级指标``."""
    hdr = table.header
    if hdr is None:
        return "  列：没有找到指标表头"
    fields = {hdr.l1: "level1", hdr.l2: "level2", hdr.l3: "level3", **{c: f for f, c in hdr.slots.items()}}
    parts = []
    for c in sorted(k for k in fields if k >= 0):
        text = hdr.labels.get(c)
        if text is None:
            continue
        name = FIELD_NAMES[fields[c]] + ("（名称和指标值同在一格）" if hdr.no_level3 and c == hdr.l3 else "")
        parts.append(f"第{c + 1}列“{text}”→{name}")
    line = "  列：" + "，".join(parts)
    if not hdr.has_levels:
        line += "；没有一级、二级指标列"
    if hdr.row_meta:
        line += "；每行的项目信息：" + "，".join(f"第{c + 1}列“{hdr.labels.get(c, '')}”→{ROW_META_NAMES.get(f, f)}"
                                          for c, f in sorted(hdr.row_meta.items()))
    aside = [f"第{c + 1}列" + (f"“{hdr.labels[c]}”" if hdr.labels.get(c) else "") + f"（{why}）"
             for c, why in sorted(hdr.aside.items()) if c not in hdr.row_meta]
    ignored = [f"第{c + 1}列“{t}”" for c, t in sorted(hdr.labels.items()) if t and c not in fields and c not in hdr.aside]
    if aside or ignored:
        line += "；未采用的列：" + "、".join([*aside, *ignored])
    return line + f"（表头在 {table.header_row.where}）"


def level1_line(table) -> str | None:
    """The 一级 names written outside the national four and the national 一级 each was read as."""
    pairs = sorted({(r["level1_original"], r["level1"]) for r in table.indicators if r.get("level1_original")})
    if not pairs:
        return None
    return "  一级指标对照（原表写法→全国一级）：" + "，".join(f"“{w}”→“{n or '（空）'}”" for w, n in pairs)


def render_report(result, year: int) -> str:
    """The import report (Chinese), grouped by table, for a person to review."""
    t = result.targets
    fixes = len(result.findings) - result.review_count
    src = "、".join(p.name for p in result.sources) or "（未知）"
    lines = [
        f"{year}年度绩效目标导入报告",
        f"来源：{src}",
        f"结果：{len(t.projects)} 个项目，{len(t.indicators)} 个指标；自动修复 {fixes} 处，需要人工核对 {result.review_count} 处。",
        "说明：“修复”是按名称和词表做出的确定修正；“需核对”是程序无法确定的地方，请对照原件处理，",
        "      改动写进 indicators.csv 的 note 列（“人工修正：…”）或 projects.yaml 的 note 字段。",
        "",
    ]
    if result.actuals_file:
        lines += [f"公开的自评表中有实际完成值：{len(result.actuals)} 个指标的实际完成值、得分写在 {result.actuals_file}，"
                  "可以对照填入实际值工作簿。", ""]
    if result.general:
        lines += ["== 文件 =="] + [render(f) for f in result.general] + [""]
    pid = dict(zip(t.projects["project"], t.projects["project_id"], strict=False))
    n_ind = t.indicators.groupby("project_id", sort=False).size().to_dict() if len(t.indicators) else {}
    for table in result.tables:
        name = table.project.get("project", "")
        reps = table.findings
        review = sum(f.severity == WARNING for f in reps)
        key = pid.get(name, "")
        head = f"== {name}（{key}，{n_ind.get(key, 0)} 个指标）"
        head += f"：修复 {len(reps) - review} 处，需核对 {review} 处 ==" if reps else "：无修复 =="
        lines += [head, columns_line(table)]
        mapping = level1_line(table)
        if mapping:
            lines.append(mapping)
        lines += [render(f) for f in reps]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def summary(result) -> str:
    """One line for the terminal: what was imported, and how many rows a person must look at."""
    t = result.targets
    unplaced = sum(f.code in ("unplaced", "skip") and f.severity == WARNING for f in result.findings)
    text = f"{len(t.projects)} 个项目，{len(t.indicators)} 个指标"
    if unplaced:
        text += f"；{unplaced} 行未能放入任何指标（导入报告中标为“需核对”，写明了位置和原因）"
    return text


def check_command(year: int, out: str, default: str) -> str:
    """The ``score check`` line for the folder just written (``--dir`` unless it is the default)."""
    from pathlib import Path

    return f"score check {year}" + ("" if Path(out) == Path(default) else f" --dir {out}")


def terminal_summary(result, year: int, out: str, default: str) -> str:
    """What ``score import`` prints: tables, projects, indicators, the rows not placed, where the report is,
    and the next command for the folder used. The full report is in the file."""
    import os

    t = result.targets
    unplaced = [f for f in result.findings if f.code in ("unplaced", "skip") and f.severity == WARNING]
    lines = [f"导入完成：{len(result.tables)} 张表，{len(t.projects)} 个项目，{len(t.indicators)} 个指标；"
             f"{len(unplaced)} 行未能放入任何指标；需要人工核对 {result.review_count} 处。"]
    for table in result.tables[:20]:
        review = sum(f.severity == WARNING for f in table.findings)
        lines.append(f"  {table.project.get('project', '')}：{len(table.indicators)} 个指标"
                     + (f"，需核对 {review} 处" if review else ""))
    if len(result.tables) > 20:
        lines.append(f"  ……另有 {len(result.tables) - 20} 张表")
    if unplaced:
        lines.append("未能放入指标的行：")
        lines += [f"  {f.where}：{f.message.partition('（原文：')[0]}" for f in unplaced[:10]]
        if len(unplaced) > 10:
            lines.append(f"  ……另有 {len(unplaced) - 10} 行，见导入报告")
    lines.append(f"已写入 {out}；完整的导入报告：{os.path.join(out, IMPORT_REPORT_FILE)}")
    lines.append(f"下一步：核对导入报告中标为“需核对”的地方，然后运行 {check_command(year, out, default)}")
    return "\n".join(lines)
