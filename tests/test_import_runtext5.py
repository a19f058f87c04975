"""score import on extracted text: classes of the third and second blind sets' text inputs
(``evaluation/realtables_blind3``, ``evaluation/realtables_blind2``, now developed on) that the text reader did not
read, each tested on the real text where it was found and on a short text of the same class written differently.
"""

from __future__ import annotations

import re
from pathlib import Path

from scoring.importer import import_sources

ROOT = Path(__file__).resolve().parent.parent
BLIND3 = ROOT / "evaluation" / "realtables_blind3"


def real(folder: str, root: Path = BLIND3):
    path = root / folder
    return import_sources([path / "source.txt"], int((path / "year.txt").read_text(encoding="utf-8").strip()))


def text_import(tmp_path: Path, text: str, year: int = 2023):
    p = tmp_path / "t.txt"
    p.write_text(text, encoding="utf-8")
    return import_sources([p], year)


def pairs(result) -> list[tuple[str, str]]:
    ind = result.targets.indicators
    return [(re.sub(r"\s+", "", n), re.sub(r"\s+", "", v)) for n, v in zip(ind["level3"], ind["annual_value"], strict=True)]


# -- traditional characters in run-together text: names and values kept as written ----------------------------
def test_run_together_traditional_text_keeps_names_as_written():
    """宁德 自评报告's 定量目标 table in traditional characters, run together on one line: read in simplified
    characters, imported as written (人才驛站, not 人才驿站), as the grid formats of the same table are."""
    got = pairs(real("fj_ningde_rencai_2023"))
    for pair in [("當年人才驛站組織活動數量", ">=28次"), ("每年人才驛站服務人次", ">=500人"),
                 ("各類人才對我市人才政策的知曉率", ">=95%"), ("人才驛站補助資金到位率", ">=100%")]:
        assert pair in got
    assert not [n for n, _v in got if "驿" in n or "类" in n]


def test_traditional_text_with_a_header_line_keeps_names_as_written(tmp_path):
    text = ("項目名稱 社區圖書館運營\n一級指標二級指標三級指標年度指標值\n產出指標數量指標開放天數≥300天\n"
            "質量指標圖書借閱滿意度≥90%\n效益指標社會效益指標惠及讀者人數≥5000人\n")
    result = text_import(tmp_path, text)
    assert pairs(result) == [("開放天數", "≥300天"), ("圖書借閱滿意度", "≥90%"), ("惠及讀者人數", "≥5000人")]
    ind = result.targets.indicators
    assert list(ind["level2"]) == ["数量指标", "质量指标", "社会效益指标"]     # levels: the national names
    assert list(result.targets.projects["project"]) == ["社區圖書館運營"]
