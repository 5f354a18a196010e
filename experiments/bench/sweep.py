"""Runs per minute of a default-scale sweep on local worker processes (``samen bench --sweep``).

Two designs: an LHS over the main levers (investment, allocation, partnership, regulatory
burden), or (``scenarios``) the six shipped scenarios over paired seeds, where every seed's
start is built once and shared by its scenarios (issue 13's sweep target: 6 scenarios x 10
seeds on 2 workers). Both run at the model's default population scale (or ``scale``); the
results go to a temporary folder that is removed afterwards. Wall time includes starting the
worker pool.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..sweep import run_sweep

#: Runs and workers of ``samen bench --sweep`` unless told otherwise.
DEFAULT_RUNS = 200
DEFAULT_WORKERS = 2
#: The shipped scenarios, in the order of ``experiments/sweeps/policy-scenarios.toml``.
SCENARIOS = ("baseline", "manifesto", "investment-only", "contract-only", "market-led", "austerity")


@dataclass(frozen=True)
class SweepTiming:
    """What a sweep benchmark measured."""

    runs: int
    ok: int
    steps: int
    workers: int
    wall_s: float
    mean_run_s: float  # mean time of one run inside a worker

    design: str = "lhs"

    @property
    def runs_per_minute(self) -> float:
        return 60 * self.runs / self.wall_s

    @property
    def runs_per_second_per_worker(self) -> float:
        return self.runs / self.wall_s / self.workers

    def summary(self) -> str:
        return (f"{self.runs} runs ({self.ok} ok, {self.design} design) of {self.steps} quarters with "
                f"{self.workers} workers in {self.wall_s:.1f} s: {self.runs_per_minute:.1f} runs per minute, "
                f"{self.runs_per_second_per_worker:.2f} runs per second per worker; mean run "
                f"{self.mean_run_s:.2f} s in a worker")


def sweep_benchmark(runs: int, steps: int, workers: int, scale: int | None = None,
                    progress: bool = False, design: str = "lhs") -> SweepTiming:
    """Run a sweep of about ``runs`` runs of ``steps`` quarters on ``workers`` processes.

    ``design`` "lhs" samples the levers ``runs`` times; "scenarios" runs the six shipped
    scenarios over ``runs // 6`` paired seeds.
    """
    spec = {"name": "bench", "seed": 1, "steps": steps,
            "parameters": {} if scale is None else {"population_scale": scale}}
    if design == "scenarios":
        spec |= {"design": "scenarios", "scenario": "baseline", "scenarios": list(SCENARIOS),
                 "replications": max(1, runs // len(SCENARIOS))}
    else:
        spec |= {"design": "lhs", "samples": runs, "replications": 1,
                 "levers": {"investment_eur": [0, 2e9],
                            "allocation": ["per_capita", "needs_based", "matching", "competitive"],
                            "partnership": [0.1, 0.9], "regulatory_burden": [0.1, 0.8]}}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        table = run_sweep(spec, workers=workers, out=Path(tmp) / "bench", progress=progress)
        wall = time.perf_counter() - t0
    return SweepTiming(len(table), int((table["status"] == "ok").sum()), steps, workers, wall,
                       float(table["duration_s"].mean()), design)
