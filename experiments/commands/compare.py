"""``samen compare``: scenarios side by side, or policies with their regret.

For a ``scenarios`` design: per outcome and scenario the median and 90% interval over
replications, and the difference to the base paired by replication. For a ``policies``
design: per policy and outcome the median and 90% interval over the sampled futures and
the regret (shortfall against the best policy in each future). Numbers are shown in the
brief's units (%, percentage points); the CSV keeps the model's units. Writes into a new
folder (``--out``, or ``DIR/analyses/<UTC time>-compare``): ``compare.csv`` or
``regret.csv``, a chart and ``analysis.json``.
"""

from __future__ import annotations

import argparse

NAME = "compare"
HELP = "scenarios (paired differences to the base) or policies (median, 90% interval, regret) side by side"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", help="a sweep folder of a design = \"scenarios\" or \"policies\" spec")
    parser.add_argument("--outcome", action="append", default=[], metavar="NAME",
                        help="outcome column to compare (repeatable; default: every kept outcome)")
    parser.add_argument("--lower-is-better", action="append", default=[], metavar="NAME",
                        help="policies: an outcome where less is better (repeatable; regional inequality "
                             "of access is so already)")
    parser.add_argument("--out", metavar="DIR2",
                        help="new or empty folder for the table and chart (default: DIR/analyses/<UTC time>-compare)")


def execute(args: argparse.Namespace) -> int:
    from ..charts import save_figure
    from ..errors import SamenError
    from ..output import atomic_dir
    from ..sweep import analysis, charts

    sweep = analysis.load_sweep(args.dir)
    spec = sweep.spec
    if spec.design not in ("scenarios", "policies"):
        raise SamenError(f"samen compare needs a 'scenarios' or 'policies' design; {sweep.path} is a "
                         f"{spec.design!r} design (use `samen analyze {sweep.path}`)")
    outcomes = analysis.outcome_names(sweep, args.outcome)
    lower = analysis.outcome_names(sweep, args.lower_is_better) if args.lower_is_better else []
    out = analysis.output_folder(sweep, args.out, "compare")
    shown = args.outcome or _chart_outcomes(outcomes)
    if spec.design == "scenarios":
        table = analysis.compare_scenarios(sweep, outcomes)
        name, figure = "compare", charts.compare_figure(table, spec.scenario, shown)
        print(f"sweep {spec.name}: {len(spec.scenarios)} scenarios x {spec.replications} replications, "
              f"{spec.steps} quarters; base scenario {spec.scenario}")
        print("median and 90% interval (5th-95th percentile) over replications; difference to the base "
              "paired by replication (same seed): its median, 90% interval and 90% CI of the mean")
        _print_scenarios(table, analysis)
    else:
        table = analysis.policy_regret(sweep, outcomes, lower)
        name, figure = "regret", charts.regret_figure(table, shown)
        print(f"sweep {spec.name}: {len(spec.scenarios)} policies x {spec.samples} futures x "
              f"{spec.replications} replications, {spec.steps} quarters")
        print("per policy: median and 90% interval over the futures (each future's mean over its replications); "
              "regret: shortfall against the best policy in each future, its 90th percentile and maximum; "
              "best in: share of futures in which the policy is the best")
        _print_policies(table, analysis)
    few = spec.replications < analysis.MIN_REPLICATIONS and spec.design == "scenarios"
    if few:
        print(f"\nwarning: {spec.replications} replications per scenario: the 90% intervals are rough "
              f"(the brief asks for at least {analysis.MIN_REPLICATIONS}); "
              f"`samen replications {sweep.path} --outcome {outcomes[0]}` sizes them")
    with atomic_dir(out) as tmp:
        table.to_csv(tmp / f"{name}.csv", index=False)
        paths = save_figure(figure, tmp / name, tight=True)
        analysis.write_record(tmp, sweep, getattr(args, "command_line", None), outcomes=outcomes,
                              lower_is_better=lower, files=[f"{name}.csv", *(p.name for p in paths.values()),
                                                            "analysis.json"])
    print(f"\nwritten to {out}: {name}.csv, {', '.join(p.name for p in paths.values())}, analysis.json")
    return 0


def _chart_outcomes(outcomes: list[str]) -> list[str]:
    """The outcomes charted by default: the brief's, when kept, else the first six."""
    from ..i18n import BRIEF_OUTCOMES

    chosen = [o for o in BRIEF_OUTCOMES if o in outcomes]
    return chosen or outcomes[:6]


def _print_scenarios(table, analysis) -> None:
    for outcome, part in table.groupby("outcome", sort=False):
        scale, unit, change = analysis.units(outcome)
        shown = part[["scenario", "n"]].copy()
        shown["median"] = part["median"] * scale
        shown["90% interval"] = _intervals(part["p05"] * scale, part["p95"] * scale, analysis)
        shown["difference"] = part["diff_median"] * scale
        shown["90% interval "] = _intervals(part["diff_p05"] * scale, part["diff_p95"] * scale, analysis)
        shown["mean difference [90% CI]"] = [
            "" if d != d else f"{analysis.plain_number(d)} {_interval(lo, hi, analysis)}"
            for d, lo, hi in zip(part["diff_mean"] * scale, part["diff_mean_low"] * scale,
                                 part["diff_mean_high"] * scale, strict=True)]
        print(f"\n{outcome}" + (f" (levels in {unit}, differences in {change})" if unit else ""))
        print(analysis.format_table(shown))


def _print_policies(table, analysis) -> None:
    for outcome, part in table.groupby("outcome", sort=False):
        scale, unit, change = analysis.units(outcome)
        shown = part[["policy"]].copy()
        shown["median"] = part["median"] * scale
        shown["90% interval"] = _intervals(part["p05"] * scale, part["p95"] * scale, analysis)
        shown["regret p90"] = part["regret_p90"] * scale
        shown["regret max"] = part["regret_max"] * scale
        shown["best in"] = [f"{v:.0%}" for v in part["best_share"]]
        better = part["better"].iloc[0]
        print(f"\n{outcome} ({better} is better; {part['futures'].iloc[0]} futures"
              + (f"; levels in {unit}, regret in {change})" if unit else ")"))
        print(analysis.format_table(shown))


def _interval(lo: float, hi: float, analysis) -> str:
    return "" if lo != lo else f"[{analysis.plain_number(lo)}, {analysis.plain_number(hi)}]"


def _intervals(low, high, analysis) -> list[str]:
    return [_interval(lo, hi, analysis) for lo, hi in zip(low, high, strict=True)]
