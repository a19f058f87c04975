"""The ``score`` command line: one module per command (parse, rate, targets, run, template, monitor),
the parser and its registry (:mod:`.parser`), what is printed (:mod:`.output`, :mod:`.render`) and the entry
point (:mod:`.main`). Arguments, terminal output and exit codes only; the work is done by the library."""
