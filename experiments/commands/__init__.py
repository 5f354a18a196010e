"""Subcommands of the ``samen`` CLI, one module each, found by :mod:`experiments.cli`.

A command module defines ``NAME`` (the subcommand), ``HELP`` (one line),
``configure(parser)`` (adds its arguments to an argparse parser) and
``execute(args) -> int`` (the exit code). Raise :class:`experiments.errors.SamenError`
for bad user input: the CLI prints it as one line and exits with code 2. Adding a command
is adding a module here (and its name to :data:`ORDER`); ``cli.py`` needs no change.

Keep a command module's top level light (argparse, the standard library, small
experiments modules such as :mod:`experiments.defaults`): import the model, pandas or
matplotlib inside ``execute``, so that ``samen --help`` starts in a fraction of a second.
"""

from __future__ import annotations

from ..errors import SamenError

#: The commands in the order of work, as ``samen --help`` lists them: look, run one, sweep,
#: read the sweep, write for others, calibrate, teach, measure. Unlisted ones follow by name.
ORDER = ("scenarios", "params", "run", "specs", "sweep", "analyze", "compare", "replications", "export",
         "brief", "calibrate", "validate", "workshop", "bench")


def at_least(flag: str, value: int | None, minimum: int, why: str = "") -> int | None:
    """``value`` unchanged, or SamenError "<flag> <value> must be at least <minimum> (<why>)".

    ``None`` (an option not given) passes.
    """
    if value is not None and value < minimum:
        raise SamenError(f"{flag} {value} must be at least {minimum}" + (f" ({why})" if why else ""))
    return value

