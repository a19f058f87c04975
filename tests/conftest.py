import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# tests import helpers that live beside them (seed_values.py)
sys.path.insert(0, str(Path(__file__).parent))

# Hypothesis profiles. A property test spells its full count of examples through helpers.examples(n) (or
# takes hypothesis' 100): the default profile runs a fifth of it (each property is also pinned by example
# tests); the thorough profile runs the full counts:  HYPOTHESIS_PROFILE=thorough pytest
settings.register_profile("default", max_examples=20, deadline=None)
settings.register_profile("thorough", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _in_one_process(request, monkeypatch):
    """An in-process run writes its two workbooks one after the other and checks the workbook here,
    instead of starting a fresh interpreter beside it for each (a second of imports each time). What
    is written is the same either way (tests/test_side_by_side.py); the tests marked ``processes``
    (the second processes themselves) and every ``score`` started as a process keep the real thing."""
    if request.node.get_closest_marker("processes"):
        return
    import scoring.precheck
    import scoring.processes

    monkeypatch.setattr(scoring.processes, "can_run_beside", lambda: False)

    def check_here(self, path, label):
        self.path, self.label, self._proc = str(path), label, None

    monkeypatch.setattr(scoring.precheck.Precheck, "__init__", check_here)
