"""What the command line prints: one cleaned line, a rich console, a table cell from users' files."""

from __future__ import annotations

import os
import sys

from scoring.printable import clean


def write_out(text: str = "", *, raw: bool = False) -> None:
    """One line on standard output; text from users' files is cleaned of control characters
    (``raw`` for JSON, which escapes its own)."""
    sys.stdout.write((text if raw else clean(text)) + "\n")


def console(stderr: bool = False, live: bool = False):
    """A rich console. ``live``: for the progress bar, drawn as on a terminal when SCORE_PROGRESS=1 asks."""
    from rich.console import Console

    force = True if live and os.environ.get("SCORE_PROGRESS") else None
    return Console(stderr=stderr, highlight=False, soft_wrap=False, force_terminal=force)


def cell(text: object) -> str:
    """A table cell from users' files: control characters shown, not obeyed; rich markup escaped."""
    from rich.markup import escape

    return escape(clean("" if text is None else text))

