"""What the tool tells the user about their input: one diagnostic type, one exception, one way to say where.

- :class:`Finding`: one thing found in the inputs (a bad cell, a missing reason, a dubious target), with
  its place (``actuals/2023.xlsx › 指标实际值 › F12``), what is wrong, how bad, and how to fix it.
  Readers collect findings lazily (as pandera collects failures) and go on with the rest; reports and
  the terminal render them through the methods here.
- :class:`ScoreError`: a problem that stops a command (exit 2): a Chinese message that names the
  place and the fix. The CLI prints it; it never shows a traceback for bad input.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.vocab import Severity

ERROR = Severity.ERROR
WARNING = Severity.WARNING
INFO = Severity.INFO


@dataclass(frozen=True)
class Finding:
    """One finding. ``code`` names the check that made it (stable, for tests and filters);
    ``id`` is the indicator it concerns, when there is one."""

    where: str
    message: str
    severity: Severity = ERROR
    hint: str | None = None
    id: str | None = None
    code: str = ""

    def render(self) -> str:
        """``where：message`` and, on the next line, the advice."""
        text = f"{self.where}：{self.message}"
        return f"{text}\n      处理建议：{self.hint}" if self.hint else text

    def render_line(self) -> str:
        """One line with the severity first, the advice in brackets (``score check``)."""
        text = f"{self.severity}：{self.where}：{self.message}"
        return f"{text}（{self.hint}）" if self.hint else text

    def to_json(self) -> dict:
        return {"where": self.where, "message": self.message, "severity": str(self.severity), "hint": self.hint,
                "id": self.id}


class ScoreError(Exception):
    """A problem with the user's input or setup, explained in Chinese."""

    exit_code = 2

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(self.render())

    def __reduce__(self):  # pickled whole (from a worker process), not as its rendered text
        return _score_error, (type(self), self.message, self.where, self.hint)

    def render(self) -> str:
        head = f"{self.where}：{self.message}" if self.where else self.message
        return f"{head}\n  处理建议：{self.hint}" if self.hint else head


def place(*parts: object) -> str:
    """Join a location the way users read it: ``actuals/2023.xlsx › 指标实际值 › F12``.

    >>> place("actuals/2023.xlsx", "指标实际值", "F12")
    'actuals/2023.xlsx › 指标实际值 › F12'
    >>> place("targets/2023/projects.yaml", None, "")
    'targets/2023/projects.yaml'
    """
    return " › ".join(str(p) for p in parts if p not in (None, ""))


def _score_error(cls: type[ScoreError], message: str, where: str | None, hint: str | None) -> ScoreError:
    return cls(message, where=where, hint=hint)
