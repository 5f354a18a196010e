"""Samen's simulation: citizens (arrays), collectives, government and market (Mesa agents).

No file I/O happens here; ``experiments`` loads data and writes results.
"""

from .model import SamenModel
from .parameters import PARAMS, ParameterError, Parameters
from .regions import Regions, RegionsError

__all__ = ["SamenModel", "Parameters", "ParameterError", "PARAMS", "Regions", "RegionsError"]
