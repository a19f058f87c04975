"""The language's data: every word list under rules/language/ (units included) is read by the one loader
against its one schema, and the package configuration installs every data file (a non-editable install
finds the rules and the units)."""

from __future__ import annotations

import ast
import fnmatch
import tomllib
from pathlib import Path

import pytest

from helpers import parsed
from scoring.findings import ScoreError
from scoring.language import units
from scoring.language.vocabulary import check, load
from scoring.workspace import language_file

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = ROOT / "rules" / "language"


def test_every_word_list_is_one_file_under_rules_language_and_follows_the_schema() -> None:
    names = sorted(p.stem for p in LANGUAGE.glob("*.yaml"))
    assert "units" in names and "words" in names
    assert sorted(p.name for p in LANGUAGE.iterdir() if p.is_file()) == [f"{n}.yaml" for n in names]
    for name in names:
        assert language_file(f"{name}.yaml").resolve() == (LANGUAGE / f"{name}.yaml").resolve()
        check(load(name), name)  # raises on a misshapen file


def test_units_come_from_the_yaml_table() -> None:
    table = load("units")["units"]
    assert len(table) > 80
    for pint_name, (_definition, display, *aliases) in table.items():
        assert pint_name in units.registry() and units.is_known(display)
        assert units.canonical_unit(display) == display and all(units.ALIASES[a] for a in aliases)
    assert units.ALIASES["个小时"] == "小时" and units.ALIASES["平方米"] == "m²"
    assert units.convert(2, "小时", "分钟") == pytest.approx(120)


@pytest.mark.parametrize("data", [{"a": ["x", None]}, {"a": {"x": None}}, {"a": [["x", None]]}, [], {}, {"a": [{1: "x"}]},
                                  {"a": {" ": "x"}}, {"a": [b"x"]}])
def test_a_misshapen_word_list_is_an_error_at_its_place(data: object) -> None:
    with pytest.raises(ScoreError) as exc:
        check(data, "bad.yaml")
    assert exc.value.where.startswith("bad.yaml")


def test_no_module_reads_a_word_list_but_through_the_loader() -> None:
    """Only scoring.language.vocabulary opens rules/language/ (load_yaml); the others ask it."""
    readers = []
    for path in sorted((ROOT / "scoring").rglob("*.py")):
        tree = parsed(path)
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        if "language_file" in names and names & {"load_yaml", "read_text", "read_bytes", "open", "safe_load"}:
            readers.append(path.relative_to(ROOT).as_posix())
    assert readers == ["scoring/language/vocabulary.py"]


def test_the_package_configuration_installs_every_data_file() -> None:
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    package_dir, package_data = conf["package-dir"], conf["package-data"]
    assert set(package_data) <= set(conf["packages"])

    def folder(package: str) -> Path:
        for name, where in package_dir.items():
            if package == name or package.startswith(name + "."):
                return ROOT / where / Path(*package[len(name):].split(".")[1:])
        return ROOT / Path(*package.split("."))

    data = [p for p in (ROOT / "rules").rglob("*") if p.is_file() and p.suffix != ".py" and "__pycache__" not in p.parts]
    assert len(data) > len(list(LANGUAGE.glob("*.yaml")))
    for p in data:
        package = "scoring.rules" + "".join(f".{part}" for part in p.parent.relative_to(ROOT / "rules").parts)
        assert package in conf["packages"], p
        assert folder(package) == p.parent
        assert any(fnmatch.fnmatch(p.name, g) for g in package_data.get(package, ())), p
