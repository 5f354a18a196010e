"""``samen brief``: compare scenarios and write a policy brief (HTML, PDF and figures).

The runs go through the sweep engine (design "scenarios", common random numbers), stored
in the brief's own ``sweep/`` subfolder; ``--from DIR`` reads an existing scenarios sweep
instead. ``--sensitivity DIR`` adds "How sure are we?" from a grouped Sobol analysis
(:mod:`experiments.brief.sensitivity`; by default the one in docs/figures/sobol, if any).
Every option is checked before anything runs or is written, and the brief's folder appears
whole or not at all (see :func:`experiments.output.atomic_dir`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..defaults import DEFAULT_STEPS
from . import at_least

NAME = "brief"
HELP = "run scenarios (or read a scenarios sweep) and write a policy brief: brief.html, brief.pdf, figures"

DEFAULT_SCENARIOS = ("baseline", "manifesto", "investment-only", "contract-only")
DEFAULT_REPLICATIONS = 20
#: Master seed of a brief's sweep unless --seed is given: briefs are reproducible by default.
DEFAULT_SEED = 20261128


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenarios", metavar="A,B,C",
                        help="comma-separated scenarios; the first is the base everything is compared "
                             f"with (default: {','.join(DEFAULT_SCENARIOS)})")
    parser.add_argument("--from", dest="source", metavar="DIR",
                        help="read an existing design = \"scenarios\" sweep instead of running one")
    parser.add_argument("--replications", type=int, metavar="N",
                        help=f"replications per scenario (default: {DEFAULT_REPLICATIONS})")
    parser.add_argument("--steps", type=int, metavar="N", help=f"quarters to simulate (default: {DEFAULT_STEPS})")
    parser.add_argument("--seed", type=int, metavar="N", help=f"master seed (default: {DEFAULT_SEED})")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", dest="set",
                        help="parameter for every scenario, e.g. population_scale=2000 (repeatable)")
    parser.add_argument("--sensitivity", metavar="DIR",
                        help="folder with sobol.csv and difference.csv of `python -m "
                             "experiments.calibration.sensitivity --sobol` for the 'How sure are we?' "
                             "section (default: docs/figures/sobol if it exists, else the section is left out)")
    parser.add_argument("--lang", default="nl", metavar="nl|en", help="language of the brief (default: nl)")
    parser.add_argument("--workers", type=int, metavar="N", help="local worker processes (default: every core)")
    parser.add_argument("--out", metavar="DIR",
                        help="new or empty folder for the brief (default: results/briefs/<UTC time>-<lang>)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def execute(args: argparse.Namespace) -> int:
    from model.parameters import parse_assignments

    from ..api import RunRequest
    from ..brief.data import load_scenario_sweep
    from ..brief.sensitivity import find_sensitivity
    from ..brief.write import write_brief
    from ..errors import SamenError
    from ..i18n import LANGUAGES
    from ..output import atomic_dir, check_out_dir, utc_stamp
    from ..sweep import load_spec, run_sweep

    if args.lang not in LANGUAGES:
        raise SamenError(f"unknown language {args.lang!r}; use {' or '.join(LANGUAGES)}")
    sensitivity = find_sensitivity(args.sensitivity)
    if args.source:
        given = [flag for flag, value in (("--scenarios", args.scenarios), ("--replications", args.replications),
                                          ("--steps", args.steps), ("--seed", args.seed), ("--set", args.set),
                                          ("--workers", args.workers)) if value]
        if given:
            raise SamenError(f"--from reads a finished sweep; {', '.join(given)} cannot be used with it")
        results = load_scenario_sweep(args.source)
        spec = None
    else:
        names = [s.strip() for s in (args.scenarios.split(",") if args.scenarios else DEFAULT_SCENARIOS)]
        if any(not n for n in names):
            raise SamenError(f"--scenarios {args.scenarios!r} has an empty name; give A,B,C")
        if len(set(names)) < 2:
            raise SamenError("--scenarios needs at least two different scenarios: a base and one to compare")
        overrides = parse_assignments(args.set)
        for name in names:  # every scenario with the common parameters must make a valid run
            RunRequest(name, overrides, seed=0)
        replications = DEFAULT_REPLICATIONS if args.replications is None else args.replications
        at_least("--replications", replications, 2, "intervals need several runs")
        steps = at_least("--steps", DEFAULT_STEPS if args.steps is None else args.steps, 1)
        at_least("--workers", args.workers, 1)
        spec = load_spec({
            "name": "brief", "design": "scenarios", "scenarios": names, "scenario": names[0],
            "replications": replications, "steps": steps,
            "seed": DEFAULT_SEED if args.seed is None else args.seed,
            "keep_series": True, "parameters": overrides,
            "description": "scenarios run by samen brief",
        })
        results = None
    out_dir = check_out_dir(args.out or Path("results/briefs") / f"{utc_stamp()}-{args.lang}")

    with atomic_dir(out_dir) as tmp:
        if spec is not None:
            runs = run_sweep(spec, workers=args.workers, out=tmp / "sweep",
                             progress=not args.quiet,
                             command=getattr(args, "command_line", None))
            failed = runs[runs["status"] != "ok"]
            if len(failed):
                print(f"warning: {len(failed)} of {len(runs)} runs failed and are left out "
                      f"(first error: {failed['error'].iloc[0]})", file=sys.stderr)
            results = load_scenario_sweep(tmp / "sweep")
            # The brief names its results by their final place, not the temporary folder.
            results = _relocated(results, out_dir / "sweep")
        info = write_brief(results, tmp, args.lang, sensitivity=sensitivity)
    print(f"brief written to {out_dir}: brief.html, brief.pdf ({info['pages']} pages), "
          f"{len(info['figures'])} figure files")
    return 0


def _relocated(results, path: Path):
    from dataclasses import replace

    return replace(results, path=path)
