"""Mid-year monitoring (绩效运行监控): time and budget progress, projections to year end, the
likelihood of meeting each target and the warnings (``score monitor``)."""
