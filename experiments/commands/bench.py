"""``samen bench``: time Samen at several sizes against Mesa's BoltzmannWealth example."""

from __future__ import annotations

import argparse

NAME = "bench"
HELP = "benchmark: build and step time, citizen-steps per second and peak memory per size, vs Mesa"


def configure(parser: argparse.ArgumentParser) -> None:
    from ..bench import configure as bench_configure

    bench_configure(parser)


def execute(args: argparse.Namespace) -> int:
    from ..bench import execute as bench_execute
    from ..errors import SamenError

    if args.steps is not None and args.steps < 1:
        raise SamenError(f"--steps {args.steps} must be at least 1")
    if args.sizes is not None and min(args.sizes) < 100:
        raise SamenError("--sizes must be citizen counts of at least 100")
    return bench_execute(args)
