"""The rubric: profiles (``rules/*.yaml``), half-up rounding, and the vectorised scoring engine."""
