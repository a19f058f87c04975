"""Helpers the test modules share."""

from __future__ import annotations

import io
import sys

import cli


def run_cli(argv: list[str], capsys, monkeypatch=None, stdin: str = "") -> tuple[int, str, str]:
    """Run ``score`` in-process: the exit code, standard output and standard error.
    With ``monkeypatch``, ``stdin`` is what the command reads from standard input."""
    if monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err
