"""Subcommands of the ``samen`` CLI, one module each, found by :mod:`experiments.cli`.

A command module defines ``NAME`` (the subcommand), ``HELP`` (one line),
``configure(parser)`` (adds its arguments to an argparse parser) and
``execute(args) -> int`` (the exit code). Raise :class:`experiments.errors.SamenError`
for bad user input: the CLI prints it as one line and exits with code 2. Adding a command
is adding a module here; ``cli.py`` needs no change.
"""

from __future__ import annotations

from ..errors import SamenError


def at_least(flag: str, value: int | None, minimum: int, why: str = "") -> int | None:
    """``value`` unchanged, or SamenError "<flag> <value> must be at least <minimum> (<why>)".

    ``None`` (an option not given) passes.
    """
    if value is not None and value < minimum:
        raise SamenError(f"{flag} {value} must be at least {minimum}" + (f" ({why})" if why else ""))
    return value

