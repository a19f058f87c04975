"""An indicator's own 评分标准: read into a rule that is plain data, scored by pure functions.

Tables often write, beside each indicator, how it is scored (评分标准, 评(扣)分标准, 评分规则, 计分方法):
``每超过一个百分点扣0.5分，扣完为止``, ``≥90%计5分；80%（含）-90%计4分；……低于60%不得分``,
``完成得4分，基本完成得2分，未完成不得分``. Such an indicator is scored by its own rule instead of the
profile's formula.

- :mod:`~scoring.criteria.rule`: the rule as data (:class:`~scoring.criteria.rule.Rule`, or
  :class:`~scoring.criteria.rule.Unreadable` with the reason), how it reads back in words;
- :mod:`~scoring.criteria.reading`: a criteria text → a rule (the words are data:
  ``rules/language/criteria.yaml``, read by :mod:`~scoring.criteria.words`);
- :mod:`~scoring.criteria.conditions`: the condition of one band (``80%（含）-90%``, ``逾期1个月以内``);
- :mod:`~scoring.criteria.score`: a rule and one indicator's numbers → score, verdict and arithmetic;
- :mod:`~scoring.rubric.by_criteria`: the engine's one hook, rows with criteria only;
- :mod:`~scoring.rubric.sections.criteria`: the profile's ``criteria:`` section.
"""
