"""``samen calibrate``: fit the baseline's free parameters to Dutch figures (issue 7).

Runs a calibration spec's design through the sweep engine, scores every sample by its
distance to the targets (rejection ABC, see :mod:`experiments.calibration`), writes a
report folder and prints the calibrated values as ``_p(...)`` declarations with their
provenance. A spec with ``fit_until`` (a hindcast, e.g. ``experiments/calibration/hindcast.toml``)
is fitted on its in-sample targets only, with runs that stop at ``fit_until``; check the rest
with ``samen validate --hindcast``. See ``docs/validation.md``.
"""

from __future__ import annotations

import argparse

from . import at_least

NAME = "calibrate"
HELP = "calibrate the baseline's free parameters to Dutch targets (ABC rejection over a sweep)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC", nargs="?",
                        help="calibration spec (.toml; default: experiments/calibration/baseline.toml)")
    parser.add_argument("--samples", type=int, metavar="N", help="parameter samples (overrides the spec)")
    parser.add_argument("--replications", type=int, metavar="R", help="seeded runs per sample (overrides the spec)")
    parser.add_argument("--seed", type=int, metavar="S", help="master seed (overrides the spec)")
    parser.add_argument("--out", metavar="DIR",
                        help="new or empty folder (default: results/calibration/<name>-<UTC time>)")
    parser.add_argument("--workers", type=int, metavar="W", help="local worker processes (default: every core)")
    parser.add_argument("--resume", action="store_true", help="continue an interrupted calibration in --out DIR")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def execute(args: argparse.Namespace) -> int:
    from ..calibration import load_calibration
    from ..calibration.run import default_out, run_calibration
    from ..errors import SamenError

    spec = load_calibration(args.spec).with_options(args.samples, args.replications, args.seed)
    at_least("--workers", args.workers, 1)
    if args.resume and not args.out:
        raise SamenError("--resume needs --out DIR, the folder of the calibration to resume")
    out = args.out or default_out(spec)
    result = run_calibration(spec, out, workers=args.workers, resume=args.resume,
                             progress=not args.quiet,
                             command=getattr(args, "command_line", None))
    scored, best = result["scored"], result["best"]
    print(f"calibration {spec.name}: {len(scored)} samples x {spec.replications} replications, "
          f"{int(scored['accepted'].sum())} accepted (best {spec.accept:.0%}), "
          f"{int(scored['fits'].sum())} within every tolerance, {result['failed']} failed runs")
    if spec.fit_until is not None:
        print(f"fitted on {len(spec.fit_targets)} in-sample targets (before {spec.fit_until}; runs of "
              f"{spec.fit_steps} quarters from {spec.start_year}); {len(spec.held_out)} out-of-sample targets "
              f"held out: check them with `samen validate --hindcast --spec {spec.path or spec.name}`")
    print(f"best sample {int(best['sample_id'])}: distance {best['distance']:.3f}")
    for t in spec.fit_targets:
        print(f"  {t.name:<16} target {t.value:>10g}  best {best[t.name]:>10.4g}  z {best['z_' + t.name]:+.2f}")
    print("posterior (accepted set): median [5%, 95%]")
    for row in result["posterior"].itertuples():
        print(f"  {row.parameter:<26} {row.median:.4g} [{row.p05:.4g}, {row.p95:.4g}]  "
              f"prior [{row.prior_low:g}, {row.prior_high:g}], old default {row.old_default:g}")
    print("declarations for model/parameters.py:")
    for line in result["lines"]:
        print(line)
    print(f"written to {result['report']}")
    return 1 if result["failed"] else 0
