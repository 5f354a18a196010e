"""``samen compare``: outcomes per scenario and paired differences to the base scenario."""

from __future__ import annotations

import argparse

NAME = "compare"
HELP = "median and 5-95th percentile range per scenario, and paired differences to the base (scenarios design)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", help="a sweep folder of a design = \"scenarios\" spec")
    parser.add_argument("--outcome", action="append", default=[], metavar="NAME",
                        help="outcome column to compare (repeatable; default: every kept outcome)")


def execute(args: argparse.Namespace) -> int:
    from ..sweep import analysis

    sweep = analysis.load_sweep(args.dir)
    outcomes = analysis.outcome_names(sweep, args.outcome)
    table = analysis.compare_scenarios(sweep, outcomes)
    spec = sweep.spec
    print(f"sweep {spec.name}: {len(spec.scenarios)} scenarios x {spec.replications} replications, "
          f"{spec.steps} quarters; base scenario {spec.scenario}")
    print("median and 5-95% interval over replications; difference to the base paired by "
          "replication (same seed), its median, 5-95% interval and 90% CI of the mean")
    for outcome, part in table.groupby("outcome", sort=False):
        shown = part[["scenario", "n", "median", "p05", "p95", "diff_median", "diff_p05", "diff_p95",
                      "diff_mean", "diff_mean_low", "diff_mean_high"]]
        print(f"\n{outcome}")
        print(analysis.format_table(shown))
    table.to_csv(sweep.path / "compare.csv", index=False)
    print(f"\nwritten to {sweep.path / 'compare.csv'}")
    return 0
