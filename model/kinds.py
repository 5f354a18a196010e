"""Every discrete kind in the model, in one place that every rule can import.

The values are small integers so that arrays of them (``uint8``) index lookup tables
directly; the names are what outputs and documentation show.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class LocalityKind(IntEnum):
    """Where people live: an urban neighbourhood, a town (4,000-40,000) or a village (< 4,000)."""

    NEIGHBOURHOOD = 0
    TOWN = 1
    VILLAGE = 2


class Education(IntEnum):
    """Highest completed education (CBS: low = up to vmbo/mbo-1, high = hbo/wo)."""

    LOW = 0
    MIDDLE = 1
    HIGH = 2


class AgeBand(IntEnum):
    """Age bands; children count as residents but do not volunteer or answer surveys."""

    CHILD = 0  # 0-14
    YOUNG = 1  # 15-34
    MIDDLE = 2  # 35-64
    OLD = 3  # 65+


class CoopType(IntEnum):
    """Contribution types in public-goods games (Fischbacher, Gaechter & Fehr 2001)."""

    CONDITIONAL = 0
    FREE_RIDER = 1
    HUMP = 2
    UNCONDITIONAL = 3


class CollectiveKind(IntEnum):
    """What a citizen collective does."""

    ENERGY = 0
    CARE = 1
    FACILITY = 2  # village shop, buurtbus or community centre run by residents
    NEIGHBOURHOOD = 3


class FailureCause(IntEnum):
    """Why a collective dissolved (NONE while it is active)."""

    NONE = 0
    LEADERS = 1  # board below minimum (burnout or exit)
    MONEY = 2
    BACKGROUND = 3


class FacilityType(IntEnum):
    """Facilities people need nearby, and meeting places (the social infrastructure)."""

    SHOP = 0
    GP = 1
    CARE = 2
    TRANSPORT = 3
    MEETING = 4


#: The facility types that make up ``access`` (meeting places are counted apart).
ACCESS_TYPES = (FacilityType.SHOP, FacilityType.GP, FacilityType.CARE, FacilityType.TRANSPORT)


class Provider(IntEnum):
    """Who runs a facility."""

    MARKET = 0
    MUNICIPALITY = 1
    COLLECTIVE = 2


N_COLLECTIVE_KINDS = len(CollectiveKind)
#: Income quintiles (0-4).
N_QUINTILES = 5


class Role(IntEnum):
    """A citizen's part in a collective of one kind: higher roles include the lower ones."""

    NONE = 0
    MEMBER = 1  # pays, takes part now and then
    VOLUNTEER = 2  # gives hours every week
    BOARD = 3  # leads: governance work falls on the board


#: Quarters in a year: yearly rates r become quarterly ones as 1 - (1 - r) ** (1 / 4).
QUARTERS_PER_YEAR = 4


def quarterly(rate_per_year):
    """Probability per quarter of an event with the given probability per year."""
    return -np.expm1(np.log1p(-np.clip(rate_per_year, 0, 1 - np.finfo(float).eps)) / QUARTERS_PER_YEAR)


#: Step stamp of something that has not happened (never funded, never closed); the model's
#: clock runs negative during the spin-up, so -1 cannot serve.
NEVER = -(2**31)
