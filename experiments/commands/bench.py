"""``samen bench``: time Samen at several sizes against Mesa's BoltzmannWealth example,
(``--end-to-end``) whole ``samen run`` processes against whole Mesa processes, (``--country``)
whole runs of the 1:1 country, or (``--sweep``) a sweep on local worker processes; or
(``--trend``) chart the history of those records. See :mod:`experiments.bench`."""

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
                        help="instead: runs per minute of a sweep on local processes (see --design)")
    parser.add_argument("--design", choices=("lhs", "scenarios"),
                        help="--sweep: an LHS over the main levers (default), or the six scenarios over "
                             "paired seeds (--runs 60: 6 scenarios x 10 seeds)")
    parser.add_argument("--end-to-end", action="store_true",
                        help="instead: whole `samen run` processes (default scale and ~1 M citizens) against "
                             "whole Mesa BoltzmannWealth processes, alternated, medians")
    parser.add_argument("--country", action="store_true",
                        help="instead: whole `samen run` processes of the 1:1 country (population_scale 1, "
                             "about 18 M citizens; minutes each, 6-7 GiB) against 4 minutes and 8 GiB")
    parser.add_argument("--trend", action="store_true",
                        help="instead: chart issue 13's targets over the commits in the history file "
                             "(--history, default the project's benchmarks/history.jsonl) into a new folder "
                             "(--out)")
    parser.add_argument("--out", metavar="DIR",
                        help="--trend: new or empty folder for trend.png, trend.svg and a manifest "
                             "(default: results/bench/trend-<UTC time>)")
    parser.add_argument("--repeats", type=int, metavar="N",
                        help="--end-to-end or --country: repeats (default: 3; --country: 1)")
    parser.add_argument("--history", metavar="FILE",
                        help="--end-to-end, --country or --sweep: append the record to this history file "
                             "(JSON lines; the project's is benchmarks/history.jsonl); --trend: read it")
    parser.add_argument("--runs", type=int, metavar="N", help="--sweep: number of runs (default: 200)")
    parser.add_argument("--workers", type=int, metavar="N", help="--sweep: worker processes (default: 2)")
    parser.add_argument("--scale", type=int, metavar="S",
                        help="--sweep: residents per simulated citizen (default: the model's default)")


def _given(args: argparse.Namespace, *flags: str) -> list[str]:
    """Those of the options ``flags`` that were given on the command line (a switch: set)."""
    return [flag for flag in flags if getattr(args, flag[2:].replace("-", "_")) not in (None, False)]


def execute(args: argparse.Namespace) -> int:
    from ..errors import SamenError

    at_least("--steps", args.steps, 1)
    if args.sweep + args.end_to_end + args.country + args.trend > 1:
        raise SamenError("choose one of --sweep, --end-to-end, --country and --trend")
    if args.trend:
        return _trend(args)
    if args.out is not None:
        raise SamenError("only --trend uses --out")
    if args.sweep:
        return _sweep(args)
    if args.end_to_end or args.country:
        return _whole_processes(args)
    given = _given(args, "--runs", "--workers", "--scale", "--design")
    if given:
        raise SamenError(f"only --sweep uses {', '.join(given)}")
    given = _given(args, "--repeats", "--history")
    if given:
        raise SamenError(f"only --end-to-end or --country (or --sweep and --trend for --history) uses "
                         f"{', '.join(given)}")
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
    from ..bench.sweep import DEFAULT_RUNS, DEFAULT_WORKERS, SCENARIOS, sweep_benchmark
    from ..errors import SamenError

    given = _given(args, "--quick", "--sizes", "--json", "--repeats")
    if given:
        raise SamenError(f"--sweep measures runs per minute; {', '.join(given)} cannot be used with it")
    design = args.design or "lhs"
    minimum = len(SCENARIOS) if design == "scenarios" else 2
    runs = at_least("--runs", DEFAULT_RUNS if args.runs is None else args.runs, minimum)
    workers = at_least("--workers", DEFAULT_WORKERS if args.workers is None else args.workers, 1)
    scale = None if args.scale is None else PARAMS["population_scale"].coerce(args.scale)
    timing = sweep_benchmark(runs, args.steps or DEFAULT_STEPS, workers, scale,
                             progress=sys.stderr.isatty(), design=design)
    print(timing.summary())
    if args.history:
        from ..bench.endtoend import append_history, provenance
        from ..bench.model import machine

        record = {"kind": "sweep", "machine": machine(), **asdict(timing),
                  "runs_per_second_per_worker": round(timing.runs_per_second_per_worker, 3), **provenance()}
        print(f"appended to {append_history(record, args.history)}")
    return 0


def _whole_processes(args: argparse.Namespace) -> int:
    """``--end-to-end`` or ``--country``: whole ``samen run`` processes, timed from outside."""
    from ..api import DEFAULT_STEPS
    from ..bench.endtoend import append_history, run_country, run_end_to_end
    from ..errors import SamenError

    mode = "--country" if args.country else "--end-to-end"
    given = _given(args, "--quick", "--sizes", "--runs", "--workers", "--scale", "--design")
    if given:
        raise SamenError(f"{mode} times whole processes; {', '.join(given)} cannot be used with it")
    repeats = at_least("--repeats", (1 if args.country else 3) if args.repeats is None else args.repeats, 1)
    run = run_country if args.country else run_end_to_end
    report = run(repeats, args.steps or DEFAULT_STEPS, progress=lambda s: print(s, file=sys.stderr, flush=True))
    print(report.table())
    record = report.record()
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(record, fh, indent=2)
    if args.history:
        print(f"appended to {append_history(record, args.history)}")
    return 0


def _trend(args: argparse.Namespace) -> int:
    """``--trend``: the history file as a chart of issue 13's targets."""
    from pathlib import Path

    from ..bench.endtoend import HISTORY
    from ..bench.trend import write_trend
    from ..errors import SamenError
    from ..output import PROJECT_ROOT, check_out_dir, utc_stamp

    given = _given(args, "--quick", "--sizes", "--steps", "--json", "--design", "--repeats", "--runs", "--workers",
                   "--scale")
    if given:
        raise SamenError(f"--trend draws the history file; {', '.join(given)} cannot be used with it")
    out = check_out_dir(args.out if args.out else Path("results/bench") / f"trend-{utc_stamp()}")
    folder = write_trend(args.history or PROJECT_ROOT / HISTORY, out, command=getattr(args, "command_line", None))
    print(f"trend chart written to {folder / 'trend.png'}")
    return 0
