"""``samen scenarios``: the shipped scenarios with their one-line descriptions."""

from __future__ import annotations

import argparse

NAME = "scenarios"
HELP = "list the shipped scenarios with their descriptions"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=("en", "nl"), default="en",
                        help="language of the descriptions (default: en)")


def execute(args: argparse.Namespace) -> int:
    from ..scenarios import list_scenarios

    scenarios = list_scenarios()
    width = max(len(s.name) for s in scenarios)
    for s in scenarios:
        print(f"{s.name:<{width}}  {s.describe(args.lang)}")
    return 0
