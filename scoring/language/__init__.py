"""The language of target tables: numerals, units, word lists, and the reading of 指标值 into comparators."""
