"""``samen export``: every table of a run or sweep folder as CSV (UTF-8, seeds as text)."""

from __future__ import annotations

import argparse

NAME = "export"
HELP = "write every table of a run or sweep folder as CSV (UTF-8, seeds as text) for R and spreadsheets"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", metavar="DIR", help="a folder written by samen run, sweep, brief, ...")
    parser.add_argument("--out", metavar="DIR2", help="new or empty folder for the CSV files (default: DIR/csv)")


def execute(args: argparse.Namespace) -> int:
    from ..export import export_folder

    out, written = export_folder(args.dir, args.out)
    print(f"{len(written)} files written to {out}: {', '.join(written)}")
    return 0
