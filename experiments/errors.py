"""User-facing errors: anything raised as SamenError ends the CLI with exit code 2 and one line.

The model's :class:`~model.parameters.ParameterError` counts too. It is looked up only
once the model is loaded, so that ``samen --help`` does not import the model (and Mesa).
"""

from __future__ import annotations

import sys


class SamenError(Exception):
    """A bad option, file or specification given by the user (exit code 2, no traceback)."""


def is_user_error(exc: BaseException) -> bool:
    """Whether the CLI reports ``exc`` as one line with exit code 2."""
    if isinstance(exc, SamenError):
        return True
    parameters = sys.modules.get("model.parameters")  # not loaded: it cannot have raised
    return parameters is not None and isinstance(exc, parameters.ParameterError)


def __getattr__(name: str):
    if name == "USER_ERRORS":  # the exception types of is_user_error, for ``except`` and isinstance
        from model.parameters import ParameterError

        return (SamenError, ParameterError)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
