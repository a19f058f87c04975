#!/usr/bin/env python3
"""Build every format of the third blind set: the first blind set's wrapper of ``../realtables/make.py``, re-aimed.

    python evaluation/realtables_blind3/make.py [FOLDER ...]     # needs LibreOffice (soffice) for xls, pdf, docx
"""
from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
make = runpy.run_path(str(HERE.parent / "realtables_blind" / "make.py"))["make"]
make.HERE = HERE  # folders are looked up beside this script, not beside the first blind set's

if __name__ == "__main__":
    sys.exit(make.main())
