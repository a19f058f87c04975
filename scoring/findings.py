"""Errors the user can act on.

Every error that reaches the user is a :class:`ScoreError`: a Chinese message that names
the place (file, sheet, cell or line), says what is wrong and how to fix it. The CLI prints
the message and exits with ``exit_code``; it never shows a traceback for bad input.
"""

from __future__ import annotations


class ScoreError(Exception):
    """A problem with the user's input or setup, explained in Chinese."""

    exit_code = 2

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        head = f"{self.where}：{self.message}" if self.where else self.message
        return f"{head}\n  处理建议：{self.hint}" if self.hint else head


def place(*parts: object) -> str:
    """Join a location the way users read it: ``actuals/2023.xlsx › 指标实际值 › F12``."""
    return " › ".join(str(p) for p in parts if p not in (None, ""))
