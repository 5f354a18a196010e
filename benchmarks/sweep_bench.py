"""Benchmark: runs per minute of a default-scale sweep with local worker processes.

    python benchmarks/sweep_bench.py                 # 200 runs of 40 quarters, 2 workers
    python benchmarks/sweep_bench.py --runs 20       # a quicker estimate

An LHS over the main levers (investment, allocation, partnership, regulatory burden) at
the model's default population scale; the results go to a temporary folder that is removed
afterwards. Prints runs per minute of wall time (pool start-up included) and the mean time
of one run inside a worker.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from experiments.sweep import run_sweep  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="number of runs (default: 200)")
    parser.add_argument("--steps", type=int, default=40, help="quarters per run (default: 40)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default: 2)")
    parser.add_argument("--population-scale", type=int, default=None,
                        help="residents per simulated citizen (default: the model's default)")
    args = parser.parse_args()
    spec = {
        "name": "bench", "seed": 1, "design": "lhs", "samples": args.runs, "replications": 1,
        "steps": args.steps,
        "levers": {"investment_eur": [0, 2e9], "allocation": ["per_capita", "needs_based", "matching", "competitive"],
                   "partnership": [0.1, 0.9], "regulatory_burden": [0.1, 0.8]},
        "parameters": {} if args.population_scale is None else {"population_scale": args.population_scale},
    }
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        runs = run_sweep(spec, workers=args.workers, out=Path(tmp) / "bench", progress=True)
        wall = time.perf_counter() - t0
    ok = int((runs["status"] == "ok").sum())
    print(f"{len(runs)} runs ({ok} ok) of {args.steps} quarters with {args.workers} workers in {wall:.1f} s: "
          f"{60 * len(runs) / wall:.1f} runs per minute; mean run {runs['duration_s'].mean():.2f} s in a worker")


if __name__ == "__main__":
    main()
