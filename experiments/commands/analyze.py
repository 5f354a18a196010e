"""``samen analyze``: sensitivity indices and a PRIM box from a sweep folder.

Writes its tables as CSV into the sweep folder (``sobol.csv``, ``morris.csv``,
``correlations.csv``, ``prim_box.csv``, ``prim_trajectory.csv``) and the index chart as
``sobol.png``/``.svg`` or ``morris.png``/``.svg``.
"""

from __future__ import annotations

import argparse

NAME = "analyze"
HELP = "Sobol or Morris indices, rank correlations and a PRIM box (--where) from a sweep folder"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", help="a sweep folder written by `samen sweep`")
    parser.add_argument("--outcome", action="append", default=[], metavar="NAME",
                        help="outcome column to analyse (repeatable; default: every kept outcome)")
    parser.add_argument("--where", metavar="EXPR",
                        help="condition on outcomes for a PRIM box, e.g. "
                             "\"trust_government > 0.45 and theil_access_between < 0.01\"")
    parser.add_argument("--threshold", type=float, default=0.8, metavar="D",
                        help="PRIM: smallest density of the reported box (default: 0.8)")
    parser.add_argument("--resamples", type=int, default=1000, metavar="N",
                        help="bootstrap resamples for Sobol and Morris intervals (default: 1000)")


def execute(args: argparse.Namespace) -> int:
    from ..charts import save_figure
    from ..errors import SamenError
    from ..sweep import analysis, charts
    from . import at_least

    if not 0 < args.threshold <= 1:
        raise SamenError(f"--threshold {args.threshold} must be in (0, 1]")
    at_least("--resamples", args.resamples, 10)
    sweep = analysis.load_sweep(args.dir)
    outcomes = analysis.outcome_names(sweep, args.outcome)
    design = sweep.spec.design
    n_ok, n = len(sweep.ok), len(sweep.runs)
    print(f"sweep {sweep.spec.name}: {design} design, {n_ok} of {n} stored runs ok "
          f"({sweep.manifest.get('counts', {}).get('runs', n)} planned)")
    written = []
    if design == "sobol":
        table = analysis.sobol_indices(sweep, outcomes, resamples=args.resamples)
        _print_indices(table, ("S1", "ST"), "Sobol indices (95% bootstrap intervals)", analysis)
        table.to_csv(sweep.path / "sobol.csv", index=False)
        written.append("sobol.csv")
        if len(table):
            figure = save_figure(charts.sobol_figure(table), sweep.path / "sobol", tight=True)
            written += [p.name for p in figure.values()]
    elif design == "morris":
        table = analysis.morris_indices(sweep, outcomes, resamples=args.resamples)
        _print_indices(table, ("mu_star",), "Morris mu* (95% bootstrap intervals) and sigma", analysis)
        table.to_csv(sweep.path / "morris.csv", index=False)
        figure = save_figure(charts.morris_figure(table), sweep.path / "morris", tight=True)
        written += ["morris.csv", *(p.name for p in figure.values())]
    elif design in ("lhs", "grid"):
        table = analysis.rank_correlations(sweep, outcomes)
        print("\nSpearman rank correlation of each varied parameter with each outcome (over runs)")
        print(analysis.format_table(table.reset_index()))
        table.to_csv(sweep.path / "correlations.csv")
        written.append("correlations.csv")
    elif not args.where:
        print("a scenarios design: use `samen compare DIR` for the scenario table")
    if args.where:
        result = analysis.prim_box(sweep, args.where, threshold=args.threshold)
        box = result.box
        print(f"\nPRIM box for: {args.where}")
        print(f"{result.n_interest} of {result.n_runs} ok runs satisfy it; the box holds "
              f"{box.mass:.0%} of the runs, covers {box.coverage:.0%} of those of interest, "
              f"density {box.density:.0%}")
        if result.table.empty:
            print("no restriction found: the condition does not concentrate in any part of the input space")
        else:
            print(analysis.format_table(result.table))
        result.table.to_csv(sweep.path / "prim_box.csv", index=False)
        result.trajectory.to_csv(sweep.path / "prim_trajectory.csv", index_label="peel")
        written += ["prim_box.csv", "prim_trajectory.csv"]
    if written:
        print(f"\nwritten to {sweep.path}: {', '.join(written)}")
    return 0


def _print_indices(table, keys, title, analysis) -> None:
    print(f"\n{title}")
    for outcome, part in table.groupby("outcome", sort=False):
        shown = part[["parameter"]].copy()
        for key in keys:
            shown[key] = [f"{v:.3f} [{lo:.3f}, {hi:.3f}]" for v, lo, hi in
                          zip(part[key], part[f"{key}_low"], part[f"{key}_high"], strict=True)]
        if "sigma" in part:
            shown["sigma"] = part["sigma"].map(lambda v: f"{v:.4g}")
        print(f"\n{outcome}")
        print(analysis.format_table(shown))
