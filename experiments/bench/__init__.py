"""Benchmarks, run by ``samen bench`` (method and latest figures: ``docs/performance.md``).

- :mod:`.model`: build and step time, citizen-steps per second and peak memory per size,
  against Mesa's ``BoltzmannWealth`` example (``samen bench [--quick]``);
- :mod:`.endtoend`: whole ``samen run`` processes (default scale and about a million
  citizens) against whole Mesa processes, medians of alternating repeats, optionally
  appended to a history file (``samen bench --end-to-end --history benchmarks/history.jsonl``);
- :mod:`.sweep`: runs per minute of a default-scale sweep on local worker processes
  (``samen bench --sweep``);
- :mod:`.trend`: the history file drawn as issue 13's targets over the measured commits
  (``samen bench --trend``).
"""
