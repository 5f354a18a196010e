"""Where a quarter's time goes, phase by phase (``python benchmarks/phases.py [SCALE ...]``).

For each ``population_scale`` (default 1800 and 100: about 10,000 citizens and the default run)
it builds the baseline (seed 1), steps 5 quarters to warm up, then times 40 quarters, measuring
each phase of ``SamenModel._quarter`` (the government, the market, citizens acting, collectives
acting, citizens responding, the two reach computations) and the recording of the outcomes, in
milliseconds per quarter. Comparing two scales shows how much of a quarter does not grow with
the number of citizens. The timers wrap the model's methods in this process only; the model's
results are unchanged. See docs/performance.md, issue 13.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager

from experiments.api import build_model
from model import model as model_module

#: Methods of SamenModel timed, in the order of a quarter.
PHASES = ("government_acts", "market_acts", "citizens_act", "collectives_act", "citizens_respond", "_record")
WARM_STEPS, STEPS = 5, 40


@contextmanager
def timers(totals: dict[str, float]):
    """Wrap each phase (and ``compute_reach``) so that its wall time adds to ``totals``."""
    def timed(function, name):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                totals[name] += time.perf_counter() - start
        return wrapper

    cls = model_module.SamenModel
    originals = {name: getattr(cls, name) for name in PHASES}
    reach = model_module.compute_reach
    try:
        for name, function in originals.items():
            setattr(cls, name, timed(function, name))
        model_module.compute_reach = timed(reach, "reach (twice)")
        yield
    finally:
        for name, function in originals.items():
            setattr(cls, name, function)
        model_module.compute_reach = reach


def phases(scale: int) -> tuple[int, float, dict[str, float]]:
    """Citizens, milliseconds per quarter and per phase at ``population_scale`` ``scale``."""
    totals = dict.fromkeys((*PHASES, "reach (twice)"), 0.0)
    model = build_model("baseline", {"population_scale": scale}, seed=1)
    with timers(totals):
        for _ in range(WARM_STEPS):
            model.step()
        for name in totals:
            totals[name] = 0.0
        start = time.perf_counter()
        for _ in range(STEPS):
            model.step()
        whole = time.perf_counter() - start
    return int(model.citizens.n), 1e3 * whole / STEPS, {k: 1e3 * v / STEPS for k, v in totals.items()}


def main(scales: list[int]) -> None:
    """Print the per-phase table for each scale."""
    results = [phases(scale) for scale in scales]
    print(f"{'ms per quarter':18s}" + "".join(f"{f'scale {s}':>14s}" for s in scales))
    print(f"{'citizens':18s}" + "".join(f"{n:>14,}" for n, _, _ in results))
    print(f"{'whole quarter':18s}" + "".join(f"{q:>14.1f}" for _, q, _ in results))
    for name in results[0][2]:
        print(f"  {name:16s}" + "".join(f"{parts[name]:>14.1f}" for _, _, parts in results))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1800, 100])
