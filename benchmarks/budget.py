"""Can issue 13's remaining targets be met on this machine? A lower bound against each budget.

``python benchmarks/budget.py [REPEATS]`` (default 3) sets each target's time budget against a
lower bound on what a run must spend. A whole default run may take 2 s. A ratio target (20x
Mesa at the default scale, 50x at about a million citizens) allows a whole ``samen run``
process at most ``citizens * quarters / (ratio * Mesa's rate)`` seconds, Mesa's rate being that
of a whole BoltzmannWealth process measured in the same session (as ``samen bench
--end-to-end``). The sweep target allows one second per run per worker.

The lower bound keeps what grows with the number of citizens at today's cost and sets to zero
everything that does not: it is what a run would take if the collectives, governments, market,
reach, recording and Python's overhead cost nothing at all. Measured side by side, medians of
``REPEATS``:

- the import floor: a whole process that only imports what ``samen run`` needs (the model, the
  results writer, its chart library and parquet) and exits;
- in this process, the baseline (seeds 1 to ``REPEATS``) at the target's scale and at
  ``population_scale`` 1800 (about 10,000 citizens): its build, its spin-up quarters, the 40
  recorded quarters and writing its results folder, on every thread and, for the sweep
  (whose workers run one thread each), on one.

``bound = import floor + sum over build, spin-up and quarters of (cost at the scale - cost at
scale 1800)``; for a sweep run, the 40 quarters plus a sixth of a start (six scenarios share
one), without imports or writing. If the bound exceeds the budget, the target cannot be met by
removing fixed costs: only faster citizen passes (compiled, threaded kernels already) would do.
See docs/performance.md, issue 13.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import astuple, dataclass
from pathlib import Path

from experiments import api
from experiments.api import DEFAULT_STEPS, RunRequest
from experiments.bench.endtoend import MESA_AGENTS, mesa_process, samen_process
from experiments.output import write_run
from model import threads
from model.model import SamenModel

#: ``population_scale`` of about 10,000 citizens: what does not grow with citizens, measured.
SMALL_SCALE = 1800
#: Issue 13's targets: (label, population_scale, ratio to Mesa); and the sweep's runs per second.
RATIO_TARGETS = (("default run, 20x Mesa", 100, 20.0), ("about 1 M citizens, 50x Mesa", 18, 50.0))
SWEEP_RUNS_PER_SECOND = 1.0
#: Issue 13's wall time for a whole default run (seconds).
DEFAULT_RUN_S = 2.0
#: Scenarios of the scenarios sweep that share one start (one seed).
SCENARIOS_PER_START = 6
#: What a ``samen run`` process imports (the model; the writer, its chart library and parquet),
#: under the program's garbage-collector thresholds (experiments.cli.console).
IMPORTS = ("import gc, experiments.cli as cli; gc.set_threshold(*cli.GC_THRESHOLDS); "
           "import experiments.api, experiments.output, model.model, pyarrow.parquet")


@dataclass(frozen=True)
class Costs:
    """Seconds of one baseline run inside a process: build, spin-up, recorded quarters, writing."""

    build: float
    spinup: float
    quarters: float
    write: float

    def minus(self, other: "Costs") -> "Costs":
        """What grows with citizens: these costs less ``other``'s (a small world), at least 0."""
        return Costs(*(max(a - b, 0.0) for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[float, float, float, float]:
        """Build, spin-up, quarters and writing, in that order."""
        return astuple(self)


def run_costs(scale: int, seed: int, work: Path) -> Costs:
    """Build, spin up, step and write one baseline run at ``scale``, timing each part."""
    spent = {"build": 0.0, "spinup": 0.0}
    build, quarter = SamenModel._build, SamenModel._quarter

    def timed_build(model):
        t0 = time.perf_counter()
        build(model)
        spent["build"] += time.perf_counter() - t0

    def timed_quarter(model):
        t0 = time.perf_counter()
        quarter(model)
        if not model._begun:  # the spin-up (the start is not yet recorded)
            spent["spinup"] += time.perf_counter() - t0

    api._starts.clear()  # build this run's start, not a kept one
    SamenModel._build, SamenModel._quarter = timed_build, timed_quarter
    try:
        request = RunRequest("baseline", {"population_scale": scale}, seed=seed)
        t0 = time.perf_counter()
        result = request.run()
        whole = time.perf_counter() - t0
    finally:
        SamenModel._build, SamenModel._quarter = build, quarter
    t0 = time.perf_counter()
    write_run(result, work / f"run-{scale}-{seed}-{threads.threads()}")
    written = time.perf_counter() - t0
    return Costs(spent["build"], spent["spinup"], whole - spent["build"] - spent["spinup"], written)


def median_costs(scale: int, repeats: int, work: Path) -> Costs:
    """Medians of each part over seeds 1 to ``repeats``."""
    runs = [run_costs(scale, seed, work) for seed in range(1, repeats + 1)]
    return Costs(*(statistics.median(part) for part in zip(*(r.astuple() for r in runs), strict=True)))


def import_floor(repeats: int) -> float:
    """Median wall seconds of a process that imports what ``samen run`` needs, then exits."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", IMPORTS], check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def ratio_budget(citizens: int, ratio: float, mesa_rate: float, quarters: int = DEFAULT_STEPS) -> float:
    """Wall seconds a whole run of ``citizens`` may take to reach ``ratio`` times ``mesa_rate``."""
    return citizens * quarters / (ratio * mesa_rate)


def whole_run_bound(floor: float, growing: Costs) -> float:
    """The least a whole ``samen run`` process can take if nothing but the citizens cost time."""
    return floor + sum(growing.astuple())


def sweep_run_bound(growing_one_thread: Costs) -> float:
    """The least one sweep run can take on one thread: its quarters and its share of a start."""
    g = growing_one_thread
    return g.quarters + (g.build + g.spinup) / SCENARIOS_PER_START


def verdict(bound: float, budget: float) -> str:
    """Whether a run bounded below by ``bound`` seconds can fit in ``budget``, in words."""
    return "within reach" if bound <= budget else f"OUT OF REACH by {bound - budget:.2f} s"


def main(repeats: int) -> None:
    """Measure and print each target's budget, today's cost and the lower bound."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        mesa = [mesa_process(DEFAULT_STEPS, seed) for seed in range(1, repeats + 1)]
        mesa_rate = MESA_AGENTS * DEFAULT_STEPS / statistics.median(p.wall_s for p in mesa)
        floor = import_floor(repeats)
        print(f"Mesa BoltzmannWealth, whole process: {mesa_rate:,.0f} agent-steps/s "
              f"(median of {repeats}); import floor of a samen run: {floor:.2f} s")
        small = median_costs(SMALL_SCALE, repeats, work)
        for label, scale, ratio in RATIO_TARGETS:
            whole = [samen_process(scale, DEFAULT_STEPS, seed, work) for seed in range(1, repeats + 1)]
            citizens = whole[0].individuals
            costs = median_costs(scale, repeats, work)
            growing = costs.minus(small)
            budget = ratio_budget(citizens, ratio, mesa_rate)
            bound = whole_run_bound(floor, growing)
            wall = statistics.median(p.wall_s for p in whole)
            print(f"\n{label} ({citizens:,} citizens, {threads.threads()} threads)")
            print(f"  budget for a whole process      {budget:6.2f} s")
            print(f"  today, whole process (median)   {wall:6.2f} s")
            print("  in process: build, spin-up, quarters, writing: "
                  + ", ".join(f"{x:.2f}" for x in costs.astuple()) + " s")
            print("  of which grows with citizens:                  "
                  + ", ".join(f"{x:.2f}" for x in growing.astuple()) + " s")
            print(f"  rest of a fresh process (kernels loaded, memory first touched, exit): "
                  f"{wall - floor - sum(costs.astuple()):.2f} s")
            print(f"  lower bound (import floor + growing part) {bound:6.2f} s: {verdict(bound, budget)}")
            if scale == 100:
                print(f"  against a whole default run in {DEFAULT_RUN_S:g} s: {verdict(bound, DEFAULT_RUN_S)}")
        all_threads = threads.threads()
        threads.set_threads(1)
        try:
            one, one_small = median_costs(100, repeats, work), median_costs(SMALL_SCALE, repeats, work)
        finally:
            threads.set_threads(all_threads)
        budget, bound = 1 / SWEEP_RUNS_PER_SECOND, sweep_run_bound(one.minus(one_small))
        today = one.quarters + (one.build + one.spinup) / SCENARIOS_PER_START
        print("\nscenarios sweep at the default scale, one thread per worker")
        print(f"  budget per run                  {budget:6.2f} s")
        print(f"  today, in process (quarters and a sixth of a start) {today:.2f} s")
        print(f"  lower bound (growing part of quarters and a sixth of a start) {bound:.2f} s: "
              f"{verdict(bound, budget)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
