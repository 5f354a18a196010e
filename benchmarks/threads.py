"""What the second core gives: the citizen passes split over threads (model/threads.py).

``python benchmarks/threads.py [POPULATION_SCALE]`` (default 18: about a million citizens).

Builds the baseline (seed 1) and steps it once; then, for one thread and for every thread this
process may use, times each pass that model/threads.py splits (medians of 9 calls, after one
warm call), and times 10 quarters from copies of the same state, checking that the quarters
end in the same state bit for bit. It measures; the model is left with its default number of
threads. See docs/performance.md, issue 13.
"""

from __future__ import annotations

import copy
import statistics
import sys
import time

import numpy as np

from experiments.api import build_model
from model import citizens, membership, outcomes, participation, threads, trust

REPEATS = 9
QUARTERS = 10

#: The split passes, each as the model calls it (the participation pass includes its draws).
PASSES = {
    "participation": participation.decide_participation,
    "trust targets": trust.trust_targets,
    "trust update (with targets)": trust.update_trust,
    "outcome sums": outcomes.cell_sums,
    "who could lead": citizens.leader_potential,
    "burnout": membership.citizens_burnout,
}


def median_ms(call) -> float:
    """Median milliseconds of ``call()`` over :data:`REPEATS` calls, after one warm call."""
    call()
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return 1e3 * statistics.median(times)


def state(model) -> list[np.ndarray]:
    """The citizens' arrays and the national series: what a quarter changes."""
    c = model.citizens
    series = model.outcome_frames()[0].to_numpy(dtype=float)
    return [c.active_history, c.trust_local, c.trust_national, c.trust_others, c.burnout, c.weak_ties, series]


def quarters(start, n_threads: int) -> tuple[float, list[np.ndarray]]:
    """Milliseconds per quarter over :data:`QUARTERS` quarters from a copy of ``start``, and its end state."""
    threads.set_threads(n_threads)
    model = copy.deepcopy(start)
    t0 = time.perf_counter()
    for _ in range(QUARTERS):
        model.step()
    return 1e3 * (time.perf_counter() - t0) / QUARTERS, state(model)


def main(scale: int = 18) -> None:
    """Print each split pass and a quarter on 1 and on every available thread at ``scale``."""
    default = threads.threads()
    counts = sorted({1, min(threads.MAX_THREADS, threads.available_cores())})
    model = build_model("baseline", {"population_scale": scale}, seed=1)
    model.step()
    print(f"{model.citizens.n:,} citizens; medians of {REPEATS} calls, ms")
    print(f"{'pass':30s}" + "".join(f"{f'{n} thread' + ('s' if n > 1 else ''):>12s}" for n in counts))
    try:
        for name, function in PASSES.items():
            times = []
            for n in counts:
                threads.set_threads(n)
                times.append(median_ms(lambda f=function: f(model)))
            print(f"{name:30s}" + "".join(f"{t:12.1f}" for t in times))
        ends = [quarters(model, n) for n in counts]
    finally:
        threads.set_threads(default)
    print(f"{f'quarter (mean of {QUARTERS})':30s}" + "".join(f"{ms:12.1f}" for ms, _ in ends))
    same = all(np.array_equal(a, b) for _, end in ends[1:] for a, b in zip(ends[0][1], end, strict=True))
    print(f"end states {'identical' if same else 'DIFFERENT'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 18)
