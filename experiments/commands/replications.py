"""``samen replications``: how many replications an outcome needs for a settled 90% interval.

For a ``scenarios`` design it sizes what the design is about, the paired difference of each
scenario to the base, and never answers fewer than the brief's minimum. Writes into a new
folder (``--out``, or ``DIR/analyses/<UTC time>-replications``).
"""

from __future__ import annotations

import argparse

NAME = "replications"
HELP = ("how the confidence interval of an outcome's mean (scenarios: of the paired difference) "
        "narrows with replications, and how many are needed")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", help="a sweep folder written by `samen sweep`")
    parser.add_argument("--outcome", required=True, metavar="NAME", help="outcome column, e.g. trust_government")
    parser.add_argument("--precision", type=float, default=0.05, metavar="R",
                        help="wanted CI half-width relative to |mean| (default: 0.05, i.e. +-5%%)")
    parser.add_argument("--out", metavar="DIR2",
                        help="new or empty folder for the tables and chart "
                             "(default: DIR/analyses/<UTC time>-replications)")


def execute(args: argparse.Namespace) -> int:
    import math

    from ..charts import save_figure
    from ..errors import SamenError
    from ..output import atomic_dir
    from ..sweep import analysis, charts

    if not 0 < args.precision < 1:
        raise SamenError(f"--precision {args.precision} must be between 0 and 1 (e.g. 0.05)")
    sweep = analysis.load_sweep(args.dir)
    (outcome,) = analysis.outcome_names(sweep, [args.outcome])
    out = analysis.output_folder(sweep, args.out, "replications")
    curve, needed = analysis.replication_table(sweep, outcome, precision=args.precision)
    paired = sweep.spec.design == "scenarios"
    what = f"the paired difference to {sweep.spec.scenario}" if paired else "the mean"
    print(f"{outcome}: half-width of the 90% CI of {what} after n replications "
          f"(over {needed.shape[0]} {'scenarios' if paired else 'samples'})")
    print(analysis.format_table(curve))
    worst = needed["needed"].max()
    label = "scenario" if paired else "sample_id"
    print(f"\nreplications needed for a half-width of {args.precision:.0%} of |{'difference' if paired else 'mean'}| "
          f"(median {needed['needed'].median():g}, worst {worst:g}):")
    columns = [label, "replications", "mean", "sd", *(["needed_precision"] if paired else []), "needed"]
    print(analysis.format_table(needed.sort_values("needed", ascending=False).head(10)[columns]))
    if paired:
        print(f"(needed is at least {analysis.MIN_REPLICATIONS}: the 90% intervals of samen compare and the "
              f"brief are percentiles over replications)")
    have = int(needed["replications"].min())
    verdict = ("enough" if worst <= have else f"not enough: run at least {worst:g}" if math.isfinite(worst)
               else f"not enough: {'a difference' if paired else 'the mean'} of 0 cannot be measured "
                    f"to a relative precision")
    print(f"\nthe sweep has {have} replications per {'scenario' if paired else 'sample'}: {verdict}")
    stem = f"replications_{outcome}"
    with atomic_dir(out) as tmp:
        curve.to_csv(tmp / f"{stem}.csv", index=False)
        needed.to_csv(tmp / f"{stem}_needed.csv", index=False)
        paths = [p.name for p in save_figure(charts.replications_figure(curve, outcome, args.precision),
                                             tmp / stem, tight=True).values()]
        analysis.write_record(tmp, sweep, getattr(args, "command_line", None), outcome=outcome,
                              precision=args.precision, paired=paired,
                              files=[f"{stem}.csv", f"{stem}_needed.csv", *paths, "analysis.json"])
    print(f"written to {out}: {stem}.csv, {stem}_needed.csv, {', '.join(paths)}, analysis.json")
    return 0
