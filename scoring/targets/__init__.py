"""Targets as data: one year's 绩效目标表 as people review it (``targets/<year>/``)."""
