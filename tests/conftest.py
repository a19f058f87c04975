import sys
from pathlib import Path

# tests import helpers that live beside them (seed_values.py)
sys.path.insert(0, str(Path(__file__).parent))
