"""绩效自评 scoring library: target expressions, units, targets, actuals, rubric, engine, reports."""

__version__ = "0.1.0"
