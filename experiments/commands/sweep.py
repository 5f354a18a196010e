"""``samen sweep``: run an experiment spec locally or on a Dask cluster, resumably.

The spec, the output folder and the scheduler are all checked before anything is written;
see ``docs/sweeps.md`` and :mod:`experiments.sweep`.
"""

from __future__ import annotations

import argparse
import importlib
import time

from . import at_least

NAME = "sweep"
HELP = "run a parameter sweep from a TOML spec (local processes or a Dask cluster), resumably"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC",
                        help="experiment spec: a .toml file, or the name of a shipped one (see `samen specs`)")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="local worker processes (default: every core; 1 runs in this process)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on the Dask cluster whose scheduler is at ADDRESS, e.g. tcp://10.0.0.5:8786")
    parser.add_argument("--connect-timeout", type=float, default=10, metavar="SECONDS",
                        help="how long to try to reach the --scheduler (default: 10)")
    parser.add_argument("--out", metavar="DIR",
                        help="new or empty folder for the results (default: results/sweeps/<name>-<UTC time>)")
    parser.add_argument("--resume", action="store_true",
                        help="continue the sweep in --out DIR: run only the runs it does not hold yet")
    parser.add_argument("--retry-failed", action="store_true",
                        help="with --resume, also rerun the runs recorded as failed")
    parser.add_argument("--retries", type=int, default=2, metavar="N",
                        help="times a run is retried when its worker process dies (default: 2)")
    parser.add_argument("--run-function", metavar="MODULE:FUNCTION",
                        help="run this function instead of the model (for testing the machinery)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def load_function(text: str):
    """The function named ``module:function``, or SamenError."""
    from ..errors import SamenError

    module_name, _, attr = text.partition(":")
    try:
        fn = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError, ValueError) as exc:
        raise SamenError(f"--run-function {text!r} cannot be loaded: {exc}") from None
    if not callable(fn):
        raise SamenError(f"--run-function {text!r} is not a function")
    return fn


def execute(args: argparse.Namespace) -> int:
    from ..errors import SamenError
    from ..sweep import load_spec, run_sweep
    from ..sweep.runner import default_out, model_run

    at_least("--retries", args.retries, 0)
    at_least("--workers", args.workers, 1)
    if args.retry_failed and not args.resume:
        raise SamenError("--retry-failed only makes sense with --resume")
    if args.resume and not args.out:
        raise SamenError("--resume needs --out DIR, the folder of the sweep to resume")
    spec = load_spec(args.spec)
    run_fn = load_function(args.run_function) if args.run_function else model_run
    out = args.out or default_out(spec)
    t0 = time.perf_counter()
    runs = run_sweep(spec, workers=args.workers, scheduler=args.scheduler, out=out,
                     resume=args.resume, retry_failed=args.retry_failed, run_fn=run_fn,
                     progress=not args.quiet, retries=args.retries,
                     command=getattr(args, "command_line", None), connect_timeout=args.connect_timeout)
    wall = time.perf_counter() - t0
    failed = runs[runs["status"] != "ok"]
    print(f"sweep {spec.name}: {len(runs)} runs stored, {len(runs) - len(failed)} ok, "
          f"{len(failed)} failed ({wall:.1f} s) -> {out}")
    if len(failed):
        for row in failed.head(5).itertuples():
            print(f"  run {row.run_id} (sample {row.sample_id}, replication {row.replication}): {row.error}")
        if len(failed) > 5:
            print(f"  ... and {len(failed) - 5} more (see the error column of {out}/runs.parquet)")
        print("rerun them with --resume --retry-failed once the cause is fixed")
        return 1
    return 0
