"""The ``samen`` command line: subcommands are the modules of :mod:`experiments.commands`.

Bad user input (any exception in :data:`experiments.errors.USER_ERRORS`, or an argparse
usage error) ends with exit code 2 and a single line ``samen: error: ...`` on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from types import ModuleType

from . import commands
from .errors import USER_ERRORS

PROG = "samen"


class UsageError(Exception):
    """An argparse usage error, raised instead of argparse's own exit."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line instead of usage + message + exit
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def command_modules() -> list[ModuleType]:
    """Every subcommand module in experiments.commands, sorted by module name."""
    found = []
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        if all(hasattr(module, attr) for attr in ("NAME", "HELP", "configure", "execute")):
            found.append(module)
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Samen: an agent-based model of the Dutch do-it-together society.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in command_modules():
        # argparse %-formats help strings: escape so that HELP may say "90%".
        cmd = sub.add_parser(module.NAME, help=module.HELP.replace("%", "%%"), description=module.HELP)
        module.configure(cmd)
        cmd.set_defaults(execute=module.execute)
    return parser


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        args.command_line = [PROG, *argv]
        return int(args.execute(args) or 0)
    except (UsageError, *USER_ERRORS) as exc:
        print(f"{PROG}: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except SystemExit as exc:  # --help and --version exit through argparse
        return exc.code if isinstance(exc.code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
