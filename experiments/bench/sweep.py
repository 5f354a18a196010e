"""Runs per minute of a default-scale sweep on local worker processes (``samen bench --sweep``).

An LHS over the main levers (investment, allocation, partnership, regulatory burden) at the
model's default population scale (or ``scale``); the results go to a temporary folder that is
removed afterwards. Wall time includes starting the worker pool.
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


@dataclass(frozen=True)
class SweepTiming:
    """What a sweep benchmark measured."""

    runs: int
    ok: int
    steps: int
    workers: int
    wall_s: float
    mean_run_s: float  # mean time of one run inside a worker

    @property
    def runs_per_minute(self) -> float:
        return 60 * self.runs / self.wall_s

    def summary(self) -> str:
        return (f"{self.runs} runs ({self.ok} ok) of {self.steps} quarters with {self.workers} workers in "
                f"{self.wall_s:.1f} s: {self.runs_per_minute:.1f} runs per minute; mean run "
                f"{self.mean_run_s:.2f} s in a worker")


def sweep_benchmark(runs: int, steps: int, workers: int, scale: int | None = None,
                    progress: bool = False) -> SweepTiming:
    """Run an LHS sweep of ``runs`` runs of ``steps`` quarters on ``workers`` processes."""
    spec = {
        "name": "bench", "seed": 1, "design": "lhs", "samples": runs, "replications": 1,
        "steps": steps,
        "levers": {"investment_eur": [0, 2e9], "allocation": ["per_capita", "needs_based", "matching", "competitive"],
                   "partnership": [0.1, 0.9], "regulatory_burden": [0.1, 0.8]},
        "parameters": {} if scale is None else {"population_scale": scale},
    }
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        table = run_sweep(spec, workers=workers, out=Path(tmp) / "bench", progress=progress)
        wall = time.perf_counter() - t0
    return SweepTiming(len(table), int((table["status"] == "ok").sum()), steps, workers, wall,
                       float(table["duration_s"].mean()))
