"""``samen replications``: how many replications an outcome needs for a settled 90% interval."""

from __future__ import annotations

import argparse

NAME = "replications"
HELP = "how the confidence interval of an outcome's mean narrows with replications, and how many are needed"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", help="a sweep folder written by `samen sweep`")
    parser.add_argument("--outcome", required=True, metavar="NAME", help="outcome column, e.g. trust_government")
    parser.add_argument("--precision", type=float, default=0.05, metavar="R",
                        help="wanted CI half-width relative to |mean| (default: 0.05, i.e. +-5%%)")


def execute(args: argparse.Namespace) -> int:
    import math

    from ..charts import save_figure
    from ..errors import SamenError
    from ..sweep import analysis, charts

    if not 0 < args.precision < 1:
        raise SamenError(f"--precision {args.precision} must be between 0 and 1 (e.g. 0.05)")
    sweep = analysis.load_sweep(args.dir)
    (outcome,) = analysis.outcome_names(sweep, [args.outcome])
    curve, needed = analysis.replication_table(sweep, outcome, precision=args.precision)
    print(f"{outcome}: half-width of the 90% CI of the mean after n replications "
          f"(over {needed.shape[0]} samples)")
    print(analysis.format_table(curve))
    worst = needed["needed"].max()
    label = "scenario" if sweep.spec.design == "scenarios" else "sample_id"
    print(f"\nreplications needed for a half-width of {args.precision:.0%} of |mean| "
          f"(median over samples {needed['needed'].median():g}, worst {worst:g}):")
    print(analysis.format_table(needed.sort_values("needed", ascending=False).head(10)[
        [label, "replications", "mean", "sd", "needed"]]))
    have = int(needed["replications"].min())
    verdict = ("enough" if worst <= have else f"not enough: run at least {worst:g}" if math.isfinite(worst)
               else "not enough: the mean is 0, a relative precision cannot be reached")
    print(f"\nthe sweep has {have} replications per sample: {verdict}")
    stem = f"replications_{outcome}"
    curve.to_csv(sweep.path / f"{stem}.csv", index=False)
    needed.to_csv(sweep.path / f"{stem}_needed.csv", index=False)
    paths = save_figure(charts.replications_figure(curve, outcome, args.precision), sweep.path / stem,
                        tight=True).values()
    print(f"written to {sweep.path}: {stem}.csv, {stem}_needed.csv, {', '.join(p.name for p in paths)}")
    return 0
