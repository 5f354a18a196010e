"""Samen's simulation: citizens (arrays), collectives, government and market (Mesa agents).

No file I/O happens here; ``experiments`` loads data and writes results.
"""

from .model import SamenModel
from .parameters import PARAMS, ParameterError, Parameters
from .regions import Regions, RegionsError

#: Version of the model's results: bumped, with a line in CHANGELOG.md, whenever a change alters
#: what the model produces for some scenario and seed (tests/test_regression.py notices).
MODEL_VERSION = "2.2.0"

__all__ = ["MODEL_VERSION", "SamenModel", "Parameters", "ParameterError", "PARAMS", "Regions", "RegionsError"]
