"""Where the data shipped with the package lives.

The repository's ``rules/`` folder (rubric profiles, and the language's word lists under
``rules/language/``) is installed as the package ``scoring.rules`` and read through
:mod:`importlib.resources`, so an installed copy finds its data wherever it lies.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def rules_dir() -> Path:
    """The folder of the rubric profiles (``rules/*.yaml``)."""
    return Path(str(files("scoring.rules")))


def language_file(name: str) -> Path:
    """A word list of the language: ``rules/language/<name>``."""
    return rules_dir() / "language" / name
