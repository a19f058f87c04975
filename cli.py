"""`score`: the command line of 绩效自评 — a thin entry point; the commands live in :mod:`scoring.cli`."""

from __future__ import annotations

import sys

from scoring.cli.main import GC_THRESHOLDS, build_parser, entry, exit_now, main

__all__ = ["GC_THRESHOLDS", "build_parser", "entry", "exit_now", "main"]

if __name__ == "__main__":
    sys.exit(entry())
