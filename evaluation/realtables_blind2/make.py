#!/usr/bin/env python3
"""Build every format of the second blind set with ``../realtables/make.py`` (the same writers), pointed at this folder.

    python evaluation/realtables_blind2/make.py [FOLDER ...]     # needs LibreOffice (soffice) for xls, pdf, docx
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("realtables_make", HERE.parent / "realtables" / "make.py")
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)
make.HERE = HERE  # folders are looked up beside this script

if __name__ == "__main__":
    sys.exit(make.main())
