"""``score review``: what a 财政 reviewer finds in a self-evaluation (自评质量检查), and the 复核.

- :mod:`.settings`: the profile's ``review:`` thresholds (imported by the profile loader; this package's
  ``__init__`` imports nothing else, so the profile stays light).
- :mod:`.registry`: a review rule is a documented unit (code, P0/P1/P2, what it checks, why a reviewer
  cares, how to fix it, an example that fires and one that stays silent), as ``score check``'s rules are.
- :mod:`.data`: the run's results as the rules see them (:class:`~.data.ReviewData`, plain data).
- :mod:`.score_rules`, :mod:`.indicator_rules`, :mod:`.project_rules`: the rules.
- :mod:`.reviewed`: the reviewer's 复核完成值 scored by the same engine; 复核得分 and 偏离度.
- :mod:`.run`: ``score review`` end to end (:func:`scoring.pipeline.review_year` scores it); :mod:`.json_doc`: its ``--json``.
"""
