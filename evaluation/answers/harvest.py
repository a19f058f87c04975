"""Harvest the clerk-typed actuals of the published 自评表 in our transcribed real tables into published2.txt.

    python evaluation/answers/harvest.py            # writes evaluation/answers/published2.txt
    python evaluation/answers/harvest.py --check    # only prints what it would write, per table

Sources: every ``evaluation/realtables/*/grid.yaml`` and ``evaluation/realtables_blind/*/grid.yaml`` (the
hand transcriptions; format in those folders' README: ``rows:`` one line a row, ``|`` between cells, ``<<`` /
``^^`` merged with the cell on the left / above), and ``/work/shared/realtables/*/source.xlsx`` (that set keeps
no grid.yaml; its workbook is the same grid, merged cells merged, numbers shown by their number format). The
blind sets ``realtables_blind2`` / ``realtables_blind3`` are never read.

A table is harvested when one header row names a 三级指标 (or 指标名称) column, a target column (指标值 / 目标值),
an actual column (实际完成值, 全年实际值, 全年完成值, 完成值) and both a 分值 (权重) and a 得分 column; tables whose
self-score has no 分值 beside it (the Hubei 年初目标值 | 实际完成值 | 得分 form) cannot give a verdict and are left
out. A row is a case when it has a name, a target (not a dash), an actual, and a number in 分值 and in 得分.
Target cells split over several columns (指标性质 | 指标值 | 度量单位) are joined as the gold does.

The expected verdict is the published score's: 得分 = 分值 → 达成; below, the national bands (得分率 ≥ 60% →
部分达成, else 未达成). Rows checked by hand where the unit's score is clearly not what the rubric gives are
listed in CHECKED below (the rubric's verdict is kept and the note says so); they are matched on
(folder, 三级指标, 实际完成值), and a CHECKED entry that matches no row is an error, so a stale one cannot hide.

Rows repeated by a transcription are kept once; a 三级 cell left empty is named （三级指标未填）; a group row whose
分值/得分 cover the rows below it (the 萧县 form: ★补助种植面积 10 | 10 over 红薯/梨树/… rows) gives those rows its
verdict when it has full marks (otherwise which row lost the points is unknown, and they are left out). The
棠溪镇 table (ah_guichi_tangxi_2022) is also in published.txt, copied from its page: the two sets overlap there.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
ROOTS = (Path("/work/shared/realtables"), REPO / "evaluation" / "realtables", REPO / "evaluation" / "realtables_blind")
OUT = HERE / "published2.txt"

NAME = re.compile(r"三级|指标名称|目标名称")
ACTUAL = re.compile(r"实际完成值|实际值|完成值|实际实现值")
TARGET = re.compile(r"指标值|目标值|标准值")
WEIGHT = re.compile(r"分值|权重|参分")
SCORE = re.compile(r"得分")
STOP = re.compile(r"^(总分|合计|总\s*分|其他需要说明|说明|备注)")
DASHES = {"", "一", "-", "—", "——", "/", "\\", "无"}

# (folder, 三级指标, 实际完成值) → (expected verdict, note): rows checked by hand where the unit's published score
# is clearly not what the rubric gives. Filled after reading every disagreement (see the module docstring).
_STRICT = "单位扣了分，实际完成值与指标值相同（或达到指标值），按评分规则应为达成"
_RUN_TOGETHER = "单位打了满分；这一行的数是从连写的数字拆出来的（见该表 grid.yaml 的 decisions），按评分规则应为未达成"
CHECKED: dict[tuple[str, str, str], tuple[str, str]] = {
    ("js_yixing_gongwei_2016", "2.财务管理", "符合财务管理制度规定"): ("达成", _STRICT + "（单位按其评价指标“财务管理规范度”自定的规则扣分）"),
    ("yn_yongde_yingyang_2022", "资金到位及时率", "100%"): ("达成", _STRICT),
    ("ah_yuan_wenwu_2022", "项目设计、招标、施工", "完成时间为2022年12月30日"): ("达成", _STRICT),
    ("nx_yinchuan_gongyong_2021", "公用经费完成时间", "2021年12月完成"): ("达成", _STRICT),
    ("nx_yinchuan_gongyong_2021", "效果显著", "改善学校的办学条件"): ("达成", _STRICT),
    ("nx_yinchuan_gongyong_2021", "使学生和老师行个更好的学习和工作环境,做到", "社会认可的办学环境."): ("达成", _STRICT),
    ("nx_yinchuan_gongyong_2021", "绿化、水电费等成本", "14.8万元"):
        ("无法判定", "单位打了满分；指标值“M.8万元”是识别错误（原文应为14.8万元），按评分规则无法判定"),
    ("cq_liangping_linye_2022", "国家级公益林管护面积", "8"): ("未达成", _RUN_TOGETHER),
    ("cq_liangping_linye_2022", "森林抚育(营林)面积", "1"): ("未达成", _RUN_TOGETHER),
    ("cq_liangping_linye_2022", "天保工程区森林资源管护面积", "50"): ("未达成", _RUN_TOGETHER),
    ("sx_jishan_gongwei_2021", "指标1:居民健康档案", "37442人"):
        ("部分达成", "单位打了满分，按评分规则应为部分达成（37442 ÷ 38508 = 97.2%）"),
    ("jx_nanchang_weishengyuan_2021", "公卫均等化签约完成率、特殊人群体检率", "签约率提高1%体检率下降1%"):
        ("未达成/无法判定", "两项目标一项达到一项未达到，单位给了一半分；说明只比较一个数不行的无法判定也算对"),
}
CHECKED_USED: set[tuple[str, str, str]] = set()


def grid_rows(folder: Path) -> tuple[list[list[str]], str] | None:
    """The table's cells (``<<`` / ``^^`` kept) and its URL, from grid.yaml or else source.xlsx."""
    g = folder / "grid.yaml"
    if g.exists():
        doc = yaml.safe_load(g.read_text(encoding="utf-8"))
        rows = [[c.strip() for c in line.split("|")] for line in str(doc.get("rows", "")).splitlines() if line.strip()]
        return rows, str(doc.get("url", ""))
    x = folder / "source.xlsx"
    if not x.exists():
        return None
    url = ""
    readme = folder / "README.md"
    if readme.exists():
        m = re.search(r"URL:\s*(\S+)", readme.read_text(encoding="utf-8"))
        url = m.group(1) if m else ""
    return xlsx_rows(x), url


def shown(cell) -> str:
    """A cell's value as the workbook shows it (numbers by their number format)."""
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, bool) or not isinstance(v, int | float):
        return str(v).strip()
    fmt = cell.number_format or "General"
    decimals = len(m.group(1)) if (m := re.search(r"0\.(0+)", fmt)) else 0
    if "%" in fmt:
        return f"{v * 100:.{decimals}f}%"
    if fmt == "General":
        return str(int(v)) if float(v).is_integer() else str(v)
    return f"{v:,.{decimals}f}" if "," in fmt else f"{v:.{decimals}f}"


def xlsx_rows(path: Path) -> list[list[str]]:
    import openpyxl

    ws = openpyxl.load_workbook(path).worksheets[0]
    rows = [[shown(c) for c in r] for r in ws.iter_rows()]
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    rows[r - 1][c - 1] = "<<" if r == rng.min_row else "^^"
    return rows


def resolve(rows: list[list[str]]) -> list[list[tuple[str, bool]]]:
    """Each cell's text with merges followed, and whether it is the continuation of a merge."""
    out: list[list[tuple[str, bool]]] = []
    for i, row in enumerate(rows):
        res: list[tuple[str, bool]] = []
        for j, c in enumerate(row):
            if c == "<<" and j:
                res.append((res[j - 1][0], True))
            elif c == "^^" and i and j < len(out[i - 1]):
                res.append((out[i - 1][j][0], True))
            else:
                res.append((c.replace("\\n", "").replace("\\s", ""), False))
        out.append(res)
    return out


def columns(labels: list[str]) -> dict[str, list[int]] | None:
    """The columns of each role in a header row, or None when the row is not an indicator header."""
    def find(pat: re.Pattern, exclude: re.Pattern | None = None) -> list[int]:
        return [j for j, t in enumerate(labels) if pat.search(t) and not (exclude and exclude.search(t))]

    name = find(NAME)
    actual = find(ACTUAL, re.compile("未完成|原因|情况"))
    target = [j for j in find(TARGET, re.compile("实际|完成|分值")) if j not in actual]
    target = [j for j in target if target and j - target[0] == target.index(j)]   # the first run of columns only
    score = find(SCORE, re.compile("执行率"))
    weight = [j for j in find(re.compile("分值")) if j not in score] or [j for j in find(WEIGHT) if j not in score]
    if not (name and actual and target and score and weight):
        return None
    return {"name": name[:1], "target": target, "actual": actual[:1], "weight": weight[-1:], "score": score[:1]}


def number(text: str) -> float | None:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*分?\s*", text)
    return float(m.group(1)) if m else None


def verdict(weight: float, score: float) -> str:
    if score >= weight:
        return "达成"
    return "部分达成" if score >= 0.6 * weight else "未达成"


def harvest(folder: Path) -> tuple[list[str], str]:
    """The case lines of one table (after a section line), and why a table gave none."""
    got = grid_rows(folder)
    if got is None:
        return [], "没有表格"
    raw, url = got
    cells = resolve(raw)
    for h, row in enumerate(cells):
        labels = [t for t, _ in row]
        nxt = [t for t, _ in cells[h + 1]] if h + 1 < len(cells) else []
        two = nxt and any(re.search(r"三级|指标性质|度量单位", t) for t in nxt)
        if two:
            labels = [a if a == b else f"{a} {b}" for a, b in zip(labels, nxt + [""] * len(labels), strict=False)]
        cols = columns(labels)
        if cols:
            break
    else:
        return [], "没有带分值和得分的实际完成值列"
    lines, seen, group = [], set(), None
    for r in range(h + (2 if two else 1), len(cells)):
        row = cells[r]
        text = [t for t, _ in row]
        if not text or STOP.match(text[0]) or all(m for _, m in row[1:]):
            if text and STOP.match(text[0]):
                break
            continue

        def get(role: str, row=row) -> str:
            parts, last = [], None
            for j in cols[role]:
                t = row[j][0].strip() if j < len(row) else ""
                if t and t != last:
                    parts.append(t)
                last = t
            return "".join(parts) if role == "target" else (parts[0] if parts else "")

        name, target, actual = get("name"), get("target"), get("actual")
        w, s = number(get("weight")), number(get("score"))
        name = re.sub(r"\s+", "", name)
        if not name and target not in DASHES and actual:   # a row whose 三级 cell was left empty
            name = "（三级指标未填）"
        if name and w and s is not None and target in DASHES and not actual:
            group = (name, w, s)   # a group row: its points cover the rows below it that have no points
            continue
        if w is None and s is None and group and not any(row[j][1] for j in cols["score"]):
            w, s = group[1], group[2]
            if s < w:   # which of the rows lost the points is not known
                continue
        else:
            group = None
        if not name or target in DASHES or not actual or w is None or s is None or w == 0:
            continue
        key = (folder.name, name, actual)
        if key in seen:   # a row repeated by the transcription (the page printed it twice)
            continue
        seen.add(key)
        expected, note = verdict(w, s), f"{folder.name} {fmt(s)}/{fmt(w)}"
        if key in CHECKED:
            expected, extra = CHECKED[key]
            note += f"：{extra}"
            CHECKED_USED.add(key)
        flat = [x.replace("|", "｜").replace("\n", " ") for x in (name, target, actual)]
        lines.append(" | ".join([*flat, "t", expected, "", note]))
    return lines, url


def fmt(x: float) -> str:
    return str(int(x)) if x.is_integer() else str(x)



def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="print per table, write nothing")
    args = ap.parse_args(argv)
    out = [
        "# 公开发布的自评表（第二批）：从本仓库转录的真实表格（grid.yaml / source.xlsx）中由 harvest.py 抽出的每一行",
        "# （三级指标 | 年度指标值 | 实际完成值，照原文），格式同 cases.txt。期望判定按公开的得分：得满分为“达成”，",
        "# 未得满分按国家口径的档次（得分率 60% 及以上为部分达成）；单位的得分明显不合评分规则的行经人工核对，",
        "# 保留按评分规则的判定并在说明里写明。说明一栏：出处文件夹 得分/分值。重新生成：python evaluation/answers/harvest.py",
        "",
    ]
    for root in (r for r in ROOTS if r.is_dir()):
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            lines, url = harvest(folder)
            if args.check:
                print(f"{len(lines):3d}  {root.name}/{folder.name}  {url}")   # the URL, or why none
            if lines:
                out.append(f"# --- {root.name}/{folder.name}（{url}）")
                out.extend(lines)
    stale = set(CHECKED) - CHECKED_USED
    if stale:
        print(f"CHECKED 中有对不上任何一行的条目：{sorted(stale)}", file=sys.stderr)
        return 1
    if not args.check:
        OUT.write_text("\n".join(out) + "\n", encoding="utf-8")
        print(f"{sum(1 for x in out if x and not x.startswith('#'))} 行 → {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
