"""``samen specs``: the sweep specs shipped with Samen, usable by name (``samen sweep NAME``)."""

from __future__ import annotations

import argparse

NAME = "specs"
HELP = "list the shipped sweep specs (use one by name: samen sweep investment-lhs)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", metavar="NAME", help="print this spec's TOML text instead of the list")


def execute(args: argparse.Namespace) -> int:
    from ..sweep.design import run_count
    from ..sweep.spec import load_spec, shipped_spec_names, spec_path

    if args.name:
        print(spec_path(args.name).read_text(encoding="utf-8"), end="")
        return 0
    rows = [("name", "design", "runs", "description")]
    for name in shipped_spec_names():
        spec = load_spec(name)
        rows.append((name, spec.design, f"{run_count(spec):,}", spec.description))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        print(f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}")
    print("\nRun one by name (samen sweep NAME --out DIR), or copy it (samen specs NAME > my.toml) and edit it.")
    return 0
