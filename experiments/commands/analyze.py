"""``samen analyze``: sensitivity indices, screening tables and a PRIM box from a sweep folder.

Writes into a new folder (``--out``, or ``DIR/analyses/<UTC time>-analyze``; nothing is
overwritten): ``sobol.csv`` or ``morris.csv`` with their chart, ``correlations.csv`` and
``choices.csv`` (lhs and grid), ``prim_box.csv`` and ``prim_trajectory.csv`` (``--where``)
and ``analysis.json``. A ``--where`` condition is checked before anything else runs.
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
    parser.add_argument("--out", metavar="DIR2",
                        help="new or empty folder for the tables and charts (default: DIR/analyses/<UTC time>-analyze)")


def execute(args: argparse.Namespace) -> int:
    from ..charts import save_figure
    from ..errors import SamenError
    from ..output import atomic_dir
    from ..sweep import analysis, charts
    from . import at_least

    if not 0 < args.threshold <= 1:
        raise SamenError(f"--threshold {args.threshold} must be in (0, 1]")
    at_least("--resamples", args.resamples, 10)
    sweep = analysis.load_sweep(args.dir)
    outcomes = analysis.outcome_names(sweep, args.outcome)
    if args.where:
        analysis.condition(sweep, args.where)  # a mistyped condition stops here, before the work
    out = analysis.output_folder(sweep, args.out, "analyze")
    design = sweep.spec.design
    n_ok, n = len(sweep.ok), len(sweep.runs)
    print(f"sweep {sweep.spec.name}: {design} design, {n_ok} of {n} stored runs ok "
          f"({sweep.manifest.get('counts', {}).get('runs', n)} planned)")
    tables, figures = {}, {}
    if design == "sobol":
        table = analysis.sobol_indices(sweep, outcomes, resamples=args.resamples)
        _print_indices(table, ("S1", "ST"), "Sobol indices (95% bootstrap intervals)", analysis)
        tables["sobol"] = table
        if len(table):
            figures["sobol"] = charts.sobol_figure(table)
    elif design == "morris":
        table = analysis.morris_indices(sweep, outcomes, resamples=args.resamples)
        _print_indices(table, ("mu_star",), "Morris mu* (95% bootstrap intervals) and sigma", analysis)
        tables["morris"] = table
        figures["morris"] = charts.morris_figure(table)
    elif design in ("lhs", "grid"):
        table = analysis.rank_correlations(sweep, outcomes)
        if len(table):
            print("\nSpearman rank correlation of each numeric varied parameter with each outcome (over runs)")
            print(analysis.format_table(table.reset_index()))
            tables["correlations"] = table.reset_index()
        choices = analysis.choice_effects(sweep, outcomes)
        if len(choices):
            print("\nChoice parameters: Kruskal-Wallis effect size (epsilon squared, 0-1) and median per option")
            print(analysis.format_table(choices))
            tables["choices"] = choices
    elif not args.where:
        print(f"a {design} design: use `samen compare {sweep.path}` for its table")
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
        tables["prim_box"] = analysis.prim_record(result, args.where, args.threshold)
        tables["prim_trajectory"] = result.trajectory.rename_axis("peel").reset_index()
    if not tables and not figures:
        return 0
    written = []
    with atomic_dir(out) as tmp:
        for name, table in tables.items():
            table.to_csv(tmp / f"{name}.csv", index=False)
            written.append(f"{name}.csv")
        for name, fig in figures.items():
            written += [p.name for p in save_figure(fig, tmp / name, tight=True).values()]
        analysis.write_record(tmp, sweep, getattr(args, "command_line", None), outcomes=outcomes,
                              where=args.where, threshold=args.threshold, resamples=args.resamples,
                              files=[*written, "analysis.json"])
    print(f"\nwritten to {out}: {', '.join(written)}, analysis.json")
    return 0


def _print_indices(table, keys, title, analysis) -> None:
    print(f"\n{title}")
    for outcome, part in table.groupby("outcome", sort=False):
        shown = part[["parameter"]].copy()
        for key in keys:
            shown[key] = [f"{v:.3f} [{lo:.3f}, {hi:.3f}]" for v, lo, hi in
                          zip(part[key], part[f"{key}_low"], part[f"{key}_high"], strict=True)]
        if "sigma" in part:
            shown["sigma"] = part["sigma"].map(lambda v: analysis.plain_number(v, 4))
        print(f"\n{outcome}")
        print(analysis.format_table(shown))
