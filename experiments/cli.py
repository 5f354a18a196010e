"""The ``samen`` command line: subcommands are the modules of :mod:`experiments.commands`.

Bad user input (any exception :func:`experiments.errors.is_user_error` accepts, or an
argparse usage error) ends with exit code 2 and a single line ``samen: error: ...`` on
stderr. Commands are listed in the order of work (:data:`experiments.commands.ORDER`).
Building the parser imports only the light command modules, never the model, so that
``samen --help`` answers at once; each command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import pkgutil
import sys
from types import ModuleType

from . import commands
from .errors import is_user_error

PROG = "samen"


class UsageError(Exception):
    """An argparse usage error, raised instead of argparse's own exit."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line instead of usage + message + exit
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def command_modules() -> list[ModuleType]:
    """Every subcommand module in experiments.commands: those of :data:`commands.ORDER` in
    that order, then any other by name."""
    found = []
    names = [info.name for info in pkgutil.iter_modules(commands.__path__) if not info.name.startswith("_")]
    rank = {name: i for i, name in enumerate(commands.ORDER)}
    for name in sorted(names, key=lambda n: (rank.get(n, len(rank)), n)):
        module = importlib.import_module(f"{commands.__name__}.{name}")
        if all(hasattr(module, attr) for attr in ("NAME", "HELP", "configure", "execute")):
            found.append(module)
    return found


def version_text() -> str:
    """``samen X (model Y), Python Z``: the package and model versions."""
    import platform
    from importlib import metadata

    from model import MODEL_VERSION

    try:
        package = metadata.version("samen")
    except metadata.PackageNotFoundError:
        package = "(not installed)"
    return f"{PROG} {package} (model {MODEL_VERSION}), Python {platform.python_version()}"


class _Version(argparse.Action):
    """``--version``: print :func:`version_text` (the model is loaded only when asked)."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show the versions of samen and of the model, and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(version_text())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Samen: an agent-based model of the Dutch do-it-together society. "
                                            "Commands in the order of work; `samen COMMAND --help` for each.")
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in command_modules():
        # argparse %-formats help strings: escape so that HELP may say "90%".
        cmd = sub.add_parser(module.NAME, help=module.HELP.replace("%", "%%"), description=module.HELP)
        module.configure(cmd)
        cmd.set_defaults(execute=module.execute)
    return parser


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


#: Environment variable that caps the threads a run's citizen passes use (model/threads.py).
THREADS_VARIABLE = "SAMEN_THREADS"


def threads_from_environment(environ) -> None:
    """Apply ``SAMEN_THREADS`` (a whole number, at least 1) if set; results do not depend on it."""
    value = environ.get(THREADS_VARIABLE)
    if value is None:
        return
    if not value.strip().isdigit() or int(value) < 1:
        raise UsageError(f"{THREADS_VARIABLE}={value!r} is not allowed: use a whole number of at least 1")
    from model.threads import set_threads  # imports the model: only when asked

    set_threads(int(value))


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        threads_from_environment(os.environ)
        args.command_line = [PROG, *argv]
        return int(args.execute(args) or 0)
    except UsageError as exc:
        print(f"{PROG}: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except SystemExit as exc:  # --help and --version exit through argparse
        return exc.code if isinstance(exc.code, int) else 0
    except Exception as exc:
        if not is_user_error(exc):
            raise
        print(f"{PROG}: error: {_one_line(exc)}", file=sys.stderr)
        return 2


#: Garbage-collector thresholds of the ``samen`` program (Python's default: 700, 10, 10).
#: Imports create about 170,000 long-lived objects and a run little cyclic garbage, so with
#: 700 the collector ran 531 times in a default ``samen run`` and walked every imported object
#: at each full collection (0.38 s of collections; the run took 0.5-0.8 s less with 50,000,
#: docs/performance.md). Collections still run, so a long command (a sweep, the dashboard)
#: still frees its cyclic garbage.
GC_THRESHOLDS = (50_000, 10, 10)


def console() -> int:
    """The ``samen`` program: :func:`main` with fewer garbage collections, and a frozen heap at exit.

    It raises the collector's thresholds (:data:`GC_THRESHOLDS`) before anything is imported.
    At exit the interpreter's last garbage collections walk every object the imports created
    (numpy, pandas, Mesa, matplotlib, numba), which cost a ``samen run`` about 0.35 s of its
    6 s (docs/performance.md). Frozen objects are skipped by those collections; reference
    counting still finalises them, so files, temporary folders and atexit handlers close as
    before. Only the program does this: tests call :func:`main` in one long process.
    """
    gc.set_threshold(*GC_THRESHOLDS)
    code = main()
    gc.freeze()
    return code


if __name__ == "__main__":
    sys.exit(console())
