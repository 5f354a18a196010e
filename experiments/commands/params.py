"""``samen params``: every model parameter with its group, default, unit, range and source
(followed by its calibration provenance for calibrated defaults)."""

from __future__ import annotations

import argparse

NAME = "params"
HELP = "list every model parameter: name, group, default, unit, allowed range, source"
GROUPS = ("lever", "uncertainty", "structural")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--group", choices=GROUPS, help="show only this group of parameters")


def _number(x) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def allowed_range(p) -> str:
    """``low..high`` for numbers, ``a|b|c`` for choices."""
    if p.kind == "choice":
        return "|".join(p.choices)
    return f"{_number(p.low)}..{_number(p.high)}"


def execute(args: argparse.Namespace) -> int:
    from model.parameters import DECLARATIONS

    header = ("name", "group", "default", "unit", "range", "source")
    rows = [
        (p.name, p.group, _number(p.default), p.unit, allowed_range(p),
         p.source + (f"; {p.calibrated}" if p.calibrated else ""))
        for p in DECLARATIONS
        if args.group is None or p.group == args.group
    ]
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header) - 1)]
    for row in (header, *rows):
        print("  ".join(f"{cell:<{w}}" for cell, w in zip(row, widths, strict=False)) + "  " + row[-1])
    return 0
