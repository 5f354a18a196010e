"""User-facing errors: anything raised as SamenError ends the CLI with exit code 2 and one line."""

from model.parameters import ParameterError


class SamenError(Exception):
    """A bad option, file or specification given by the user (exit code 2, no traceback)."""


#: Exceptions the CLI reports as one line with exit code 2.
USER_ERRORS = (SamenError, ParameterError)
