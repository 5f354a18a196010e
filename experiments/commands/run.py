"""``samen run``: run one scenario and write its results folder.

Every input is checked (as one :class:`~experiments.api.RunRequest`) before anything is
created, so bad input leaves no folder behind; the folder itself is written atomically (see
:mod:`experiments.output`).
"""

from __future__ import annotations

import argparse
import sys

from ..defaults import DEFAULT_STEPS, LOCALITY_CHOICES, MIN_STEPS
from . import at_least

NAME = "run"
HELP = "run one scenario and write its tables, manifest and summary chart"

#: Outcomes shown in the start-versus-end table: (column, label).
TABLE_OUTCOMES = (
    ("cohesion", "cohesion (0-1)"),
    ("trust_government", "trust in national government"),
    ("trust_local_government", "trust in local government"),
    ("trust_others", "trust in other people"),
    ("participation_rate", "participation rate"),
    ("access", "access to facilities"),
    ("meeting_places", "meeting places"),
    ("collectives_active", "active collectives"),
    ("facilities_open", "facilities open"),
)
#: Outcomes that count things (shown as whole numbers).
COUNTS = ("meeting_places", "collectives_active", "facilities_open")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", default="baseline", metavar="NAME|FILE",
                        help="a shipped scenario (see `samen scenarios`) or a .toml file (default: baseline)")
    parser.add_argument("--seed", type=int, metavar="N",
                        help="random seed, a whole number >= 0 (default: a fresh one, recorded in the manifest)")
    parser.add_argument("--steps", type=int, metavar="N",
                        help=f"quarters to simulate (default: the scenario's horizon, else {DEFAULT_STEPS}, ten "
                             "years; 0 writes the initial state)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", dest="set",
                        help="override a parameter (repeatable; see `samen params`)")
    parser.add_argument("--regions", metavar="FILE",
                        help="CSV file of regions with the columns of the shipped provinces.csv "
                             "(default: the 12 Dutch provinces)")
    parser.add_argument("--out", metavar="DIR",
                        help="new or empty folder for the results "
                             "(default: results/runs/<UTC time>-<scenario>-seed<seed>)")
    parser.add_argument("--localities", choices=LOCALITY_CHOICES, default="last",
                        help="per-locality outcomes in localities.parquet: of the last step (default) "
                             "or of every step")
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no table")


def execute(args: argparse.Namespace) -> int:
    # Imported here (they load the model and matplotlib) so that `samen --help` starts fast.
    from model.parameters import parse_assignments

    from ..api import RunRequest
    from ..output import check_out_dir, default_run_dir, write_run

    if args.steps is not None:
        at_least("--steps", args.steps, MIN_STEPS)  # the API's rule, in the words of an option
    request = RunRequest(args.scenario, parse_assignments(args.set), args.seed, args.steps, args.regions,
                         args.localities)
    out_dir = check_out_dir(args.out if args.out else default_run_dir(request.scenario.name, request.seed))

    result = request.run(progress=not args.quiet and sys.stderr.isatty())
    write_run(result, out_dir, command=getattr(args, "command_line", None), regions_file=args.regions)
    if not args.quiet:
        print(start_end_table(result.series))
        print(f"\n{result.scenario}, seed {result.seed}, {result.steps} quarters in {result.duration_s:.1f} s")
    print(f"results written to {out_dir}")
    return 0


def start_end_table(series) -> str:
    """Start and end values of the main outcomes as aligned text."""
    first, last = series.iloc[0], series.iloc[-1]
    when = "year" if "year" in series.columns else "step"
    head = ("outcome", f"start ({when} {first[when]:g})", f"end ({when} {last[when]:g})", "change")
    rows = [head]
    for column, label in TABLE_OUTCOMES:
        if column in series.columns:
            a, b = float(first[column]), float(last[column])
            count = column in COUNTS
            rows.append((label, _fmt(a, count), _fmt(b, count), _fmt(b - a, count, signed=True)))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [f"{r[0]:<{widths[0]}}  " + "  ".join(f"{c:>{w}}" for c, w in zip(r[1:], widths[1:], strict=True))
             for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def _fmt(x: float, count: bool, signed: bool = False) -> str:
    sign = "+" if signed else ""
    x = x + 0.0  # no "-0.000"
    return f"{x:{sign},.0f}" if count else f"{round(x, 3) + 0.0:{sign}.3f}"
