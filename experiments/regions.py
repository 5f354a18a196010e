"""Reading a regions table: the shipped Dutch provinces or a user's CSV file.

The shipped file ``experiments/data/provinces.csv`` holds the 12 provinces with their
population and number of municipalities on 1 January 2024 (CBS 70072ned). A user's file
needs the same columns (see :data:`model.regions.REQUIRED_COLUMNS`).
"""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path

import pandas as pd

from model.regions import Regions, RegionsError

from .errors import SamenError

#: Name of the shipped default regions table inside the ``experiments`` package.
DEFAULT_REGIONS = "data/provinces.csv"


def default_regions_text() -> str:
    """The shipped provinces table as CSV text."""
    return resources.files("experiments").joinpath(DEFAULT_REGIONS).read_text(encoding="utf-8")


def load_regions(path: str | Path | None = None) -> Regions:
    """Read and validate a regions table; the shipped provinces when ``path`` is None.

    Any problem with a user's file (missing, unreadable, not CSV, wrong columns or values)
    raises :class:`SamenError` with one line naming the file and what is wrong.
    """
    if path is None:
        return Regions.from_frame(pd.read_csv(io.StringIO(default_regions_text())))
    path = Path(path)
    try:
        frame = pd.read_csv(path)
    except FileNotFoundError:
        raise SamenError(f"regions file {path} does not exist") from None
    except IsADirectoryError:
        raise SamenError(f"regions file {path} is a directory, not a CSV file") from None
    except PermissionError:
        raise SamenError(f"regions file {path} cannot be read (permission denied)") from None
    except UnicodeDecodeError:
        raise SamenError(f"regions file {path} is not UTF-8 text") from None
    except pd.errors.EmptyDataError:
        raise SamenError(f"regions file {path} is empty") from None
    except (pd.errors.ParserError, OSError, ValueError) as exc:
        raise SamenError(f"regions file {path} is not a readable CSV table: {_first_line(exc)}") from None
    try:
        return Regions.from_frame(frame)
    except RegionsError as exc:
        raise SamenError(f"regions file {path}: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
