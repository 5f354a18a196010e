"""``samen validate``: run the calibrated baseline and check it against Dutch patterns.

Prints and writes (``results/validation/<UTC time>/``: ``validation.csv``, ``validation.md``,
``replications.csv``, ``validation.png``, ``manifest.json``) a table of pattern, source,
target, simulated median and 90% interval over replications, and pass or fail. See
:mod:`experiments.calibration.validation` and ``docs/validation.md``.

``samen validate --hindcast`` instead runs the hindcast spec's scenario (default
``experiments/calibration/hindcast.toml``: 2012-2024) and compares every target with the data,
in and out of sample (the spec's ``fit_until``); it writes ``results/validation/<UTC
time>-hindcast/``: ``hindcast.csv``, ``hindcast.md``, ``series.csv``, ``hindcast.png``,
``manifest.json``. See :mod:`experiments.calibration.hindcast`.
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime, timezone
from pathlib import Path

from ..defaults import DEFAULT_STEPS
from . import at_least

NAME = "validate"
HELP = "run the calibrated baseline N times and test it against Dutch patterns (table: pass/fail)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--replications", type=int, default=10, metavar="N",
                        help="seeded replications of the baseline and its experiments (default: 10)")
    parser.add_argument("--seed", type=int, default=20261128, metavar="S", help="master seed (default: 20261128)")
    parser.add_argument("--steps", type=int, metavar="N",
                        help=f"quarters per baseline run (default: {DEFAULT_STEPS}; with --hindcast the spec's steps)")
    parser.add_argument("--scale", type=int, metavar="S",
                        help="residents per simulated citizen (default: the calibration spec's population_scale)")
    parser.add_argument("--spec", metavar="FILE",
                        help="calibration spec whose targets to check (default: experiments/calibration/baseline.toml; "
                             "with --hindcast experiments/calibration/hindcast.toml)")
    parser.add_argument("--workers", type=int, default=1, metavar="W", help="local worker processes (default: 1)")
    parser.add_argument("--out", metavar="DIR", help="new or empty folder (default: results/validation/<UTC time>, "
                                                     "with --hindcast results/validation/<UTC time>-hindcast)")
    parser.add_argument("--hindcast", action="store_true",
                        help="run the hindcast spec's past years instead and compare every target, in and out of "
                             "sample (the spec's fit_until)")


def spec_overrides(spec, scale: int | None) -> dict:
    """The calibration spec's fixed parameters, with ``--scale`` as ``population_scale`` if given."""
    from model.parameters import PARAMS

    overrides = dict(spec.parameters)
    if scale is not None:
        overrides["population_scale"] = PARAMS["population_scale"].coerce(scale)
    return overrides


def execute(args: argparse.Namespace) -> int:
    from ..calibration import load_calibration
    from ..calibration.validation import figure, markdown, validate
    from ..errors import SamenError
    from ..output import atomic_dir, write_json

    at_least("--replications", args.replications, 1)
    at_least("--workers", args.workers, 1)
    if args.seed < 0 or args.seed >= 2**63:
        raise SamenError(f"--seed {args.seed} must be a whole number in [0, 2**63)")
    if args.hindcast:
        return execute_hindcast(args)
    args.steps = DEFAULT_STEPS if args.steps is None else args.steps
    at_least("--steps", args.steps, 12, "three years: the calibration window")
    spec = load_calibration(args.spec)
    overrides = spec_overrides(spec, args.scale)
    out, started = _new_out(args.out, "")
    (table, per_rep), wall = _under_progress(
        "validation", args.replications,
        lambda report: validate(args.replications, args.seed, args.steps, overrides, args.workers, args.spec, report))
    md = markdown(table)
    with atomic_dir(out) as tmp:
        table.to_csv(tmp / "validation.csv", index=False)
        per_rep.to_csv(tmp / "replications.csv", index=False)
        (tmp / "validation.md").write_text(md, encoding="utf-8")
        figure(table).savefig(tmp / "validation.png", dpi=110)
        write_json({"kind": "validation", "replications": args.replications, "seed": args.seed,
                    "steps": args.steps, "scenario": spec.scenario, "start_year": spec.start_year,
                    "overrides": overrides, "spec_path": spec.path,
                    "passed": int(table["passed"].sum()), "patterns": len(table),
                    "files": ["validation.csv", "validation.md", "replications.csv", "validation.png",
                              "manifest.json"],
                    **_timing(started, wall, args)}, tmp / "manifest.json")
    print(f"validation of {spec.scenario} from {spec.start_year}: {args.replications} replications, "
          f"seed {args.seed}, scale {_scale(overrides)} ({wall:.0f} s)")
    print(md, end="")
    print(f"{int(table['passed'].sum())} of {len(table)} patterns pass; written to {out}")
    return 0


def execute_hindcast(args: argparse.Namespace) -> int:
    """``--hindcast``: the spec's scenario over its past years against every target; table,
    series, figure and manifest in one new folder."""
    from ..calibration import load_calibration
    from ..calibration.hindcast import (
        DEFAULT_SPEC,
        FILES,
        PASS_RULE,
        check_steps,
        figure,
        hindcast,
        manifest,
        markdown,
        split_text,
        summary_line,
    )
    from ..output import atomic_dir, write_json

    spec = load_calibration(args.spec or DEFAULT_SPEC)
    steps = spec.steps if args.steps is None else args.steps
    at_least("--steps", steps, 1)
    check_steps(spec, steps)  # before the progress bar starts (hindcast() checks again for API callers)
    overrides = spec_overrides(spec, args.scale)
    out, started = _new_out(args.out, "-hindcast")
    (result, series), wall = _under_progress(
        "hindcast", args.replications,
        lambda report: hindcast(spec, args.replications, args.seed, steps, overrides, args.workers, report))
    md = markdown(result)
    seeds = series.groupby("replication")["seed"].first().tolist()
    with atomic_dir(out) as tmp:
        result.to_csv(tmp / "hindcast.csv", index=False)
        (tmp / "hindcast.md").write_text(md, encoding="utf-8")
        series.to_csv(tmp / "series.csv", index=False)
        figure(result, series, spec).savefig(tmp / "hindcast.png", dpi=110)
        write_json({**manifest(spec, result, replications=args.replications, seed=args.seed, steps=steps,
                               overrides=overrides, seeds=seeds),
                    **_timing(started, wall, args)}, tmp / "manifest.json")
    print(f"hindcast of {spec.scenario} from {spec.start_year}, {steps} quarters: {args.replications} replications, "
          f"seed {args.seed}, scale {_scale(overrides)} ({wall:.0f} s)")
    print(f"split: {split_text(spec)}")
    print(f"pass rule: {PASS_RULE}")
    print(md, end="")
    print(summary_line(result))
    print(f"written to {out} ({', '.join(FILES)})")
    return 0


def _new_out(out: str | None, suffix: str) -> tuple[Path, datetime]:
    """The output folder (``--out``, or ``results/validation/<UTC time><suffix>``), checked to be
    new or empty before anything runs, and the time the command started."""
    from ..output import check_out_dir, utc_stamp

    started = datetime.now(timezone.utc)
    path = Path(out or f"results/validation/{utc_stamp(started)}{suffix}")
    check_out_dir(path)
    return path, started


def _under_progress(label: str, replications: int, run):
    """``run(report)`` under a progress bar of ``replications``; its result and wall time (s)."""
    from ..progress import Progress

    t0 = time.perf_counter()
    bar = Progress(replications, label, unit="replication")
    result = run(lambda done: bar.update(done - bar.done))
    bar.close()
    return result, time.perf_counter() - t0


def _timing(started: datetime, wall: float, args: argparse.Namespace) -> dict:
    """The manifest's fields on when and how the command ran."""
    from ..output import manifest_base

    return {"duration_s": round(wall, 1), "started_at": started.isoformat(timespec="seconds"),
            **manifest_base(getattr(args, "command_line", None))}


def _scale(overrides: dict) -> int:
    """The population scale the runs use."""
    from model.parameters import PARAMS

    return overrides.get("population_scale", PARAMS["population_scale"].default)
