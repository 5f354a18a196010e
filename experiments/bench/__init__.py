"""Benchmarks, run by ``samen bench`` (method and latest figures: ``docs/performance.md``).

- :mod:`.model`: build and step time, citizen-steps per second and peak memory per size,
  against Mesa's ``BoltzmannWealth`` example (``samen bench [--quick]``);
- :mod:`.sweep`: runs per minute of a default-scale sweep on local worker processes
  (``samen bench --sweep``).
"""
