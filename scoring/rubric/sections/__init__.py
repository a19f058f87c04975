"""Sections of a rubric profile (``rules/*.yaml``) beyond the scoring rules themselves: ``monitor:``
(score monitor), ``review:`` (score review) and ``criteria:`` (an indicator's own 评分标准). Each module
holds its section's settings type and the function that reads and checks it; the profile
(:mod:`scoring.rubric.profile`) carries them."""
