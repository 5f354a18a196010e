"""``samen bench``: time Samen at several sizes against Mesa's BoltzmannWealth example, or
(``--sweep``) time a sweep on local worker processes. See :mod:`experiments.bench`."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from . import at_least

NAME = "bench"
HELP = "benchmark: build and step time, citizen-steps per second and peak memory per size, vs Mesa"


def citizen_counts(text: str) -> tuple[int, ...]:
    return tuple(int(float(x)) for x in text.split(","))


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes (2000, 20000), 4 steps, Mesa at 10,000 agents; under a minute, "
                             "no targets checked")
    parser.add_argument("--sizes", type=citizen_counts, metavar="N,N,...",
                        help="citizen counts to measure (default: 1e4,1e5,1e6,1e7)")
    parser.add_argument("--steps", type=int, metavar="N", help="steps per size or run (default: 40; quick: 4)")
    parser.add_argument("--json", metavar="FILE", help="also write the measurements as JSON")
    parser.add_argument("--sweep", action="store_true",
                        help="instead: runs per minute of an LHS sweep over the main levers on local processes")
    parser.add_argument("--runs", type=int, metavar="N", help="--sweep: number of runs (default: 200)")
    parser.add_argument("--workers", type=int, metavar="N", help="--sweep: worker processes (default: 2)")
    parser.add_argument("--scale", type=int, metavar="S",
                        help="--sweep: residents per simulated citizen (default: the model's default)")


def execute(args: argparse.Namespace) -> int:
    from ..errors import SamenError

    at_least("--steps", args.steps, 1)
    if args.sweep:
        return _sweep(args)
    given = [flag for flag, value in (("--runs", args.runs), ("--workers", args.workers), ("--scale", args.scale))
             if value is not None]
    if given:
        raise SamenError(f"only --sweep uses {', '.join(given)}")
    if args.sizes is not None and min(args.sizes) < 100:
        raise SamenError("--sizes must be citizen counts of at least 100")
    from ..bench.model import run_benchmark

    report = run_benchmark(quick=args.quick, sizes=args.sizes, steps=args.steps,
                           progress=lambda s: print(s, file=sys.stderr, flush=True))
    print(report.table())
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"machine": report.machine, "quick": report.quick,
                       "sizes": [asdict(r) for r in report.sizes], "mesa": asdict(report.mesa),
                       "default": asdict(report.default) if report.default else None,
                       "ratio": report.ratio}, fh, indent=2)
    return 0


def _sweep(args: argparse.Namespace) -> int:
    from model.parameters import PARAMS

    from ..api import DEFAULT_STEPS
    from ..bench.sweep import DEFAULT_RUNS, DEFAULT_WORKERS, sweep_benchmark
    from ..errors import SamenError

    given = [flag for flag, value in (("--quick", args.quick), ("--sizes", args.sizes), ("--json", args.json))
             if value]
    if given:
        raise SamenError(f"--sweep measures runs per minute; {', '.join(given)} cannot be used with it")
    runs = at_least("--runs", DEFAULT_RUNS if args.runs is None else args.runs, 2)
    workers = at_least("--workers", DEFAULT_WORKERS if args.workers is None else args.workers, 1)
    scale = None if args.scale is None else PARAMS["population_scale"].coerce(args.scale)
    timing = sweep_benchmark(runs, args.steps or DEFAULT_STEPS, workers, scale,
                             progress=sys.stderr.isatty())
    print(timing.summary())
    return 0
