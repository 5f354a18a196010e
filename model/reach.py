"""What lies within reach of a locality: meeting places (dose and reach) and services (access).

People use what stands in their own locality, and what stands elsewhere in their
municipality at a distance cost (``*_reach_discount``, a step-wise distance decay; contact
probability falls steeply with distance, Illenberger et al.).

**Meeting places** follow the two-step floating catchment area method (Luo & Wang 2003,
Environment and Planning B 30(6)): each place's capacity is shared among the residents in
its catchment, and a locality's *reach* is the sum of the shares of the places in its
catchment: capacity per resident within reach. Its *effect* saturates,
``1 - exp(-reach / meeting_place_saturation)``, so a first place in a village without one
does most and a tenth place in a city district little. Every meeting-place mechanism
(meeting rate, bridging share, founding, cooperation, volunteering, a collective's costs)
scales with this effect (0-1).

**Access** to a shop, GP, care point and bus line is 1 for a type present in one's own
locality, ``service_reach_discount`` for one present elsewhere in the municipality, 0
otherwise; ``access`` is the mean over the four types.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .kinds import ACCESS_TYPES, FacilityType

if TYPE_CHECKING:
    from .model import SamenModel


def in_reach(values: np.ndarray, municipality: np.ndarray, n_municipalities: int,
             discount: float) -> np.ndarray:
    """Per locality: its own value plus ``discount`` times the other localities' of its municipality."""
    values = np.asarray(values, dtype=np.float64)
    total = np.bincount(municipality, weights=values, minlength=n_municipalities)
    return values + discount * (total[municipality] - values)


@dataclass(frozen=True)
class Reach:
    """Per-locality reach of meeting places and access to services, for one state of the facilities."""

    meeting_places: np.ndarray  # open meeting places in the locality (count)
    meeting_reach: np.ndarray  # capacity per resident within reach (2SFCA)
    meeting_effect: np.ndarray  # 1 - exp(-reach / saturation), 0-1
    access_by_type: np.ndarray  # (localities, 4): 1, discount or 0 per access type
    access: np.ndarray  # mean over the access types, 0-1


def compute_reach(m: "SamenModel") -> Reach:
    """Reach of meeting places and access to services for every locality, from open facilities."""
    p, loc, f = m.p, m.localities, m.facilities
    n_muni = m.municipal.n
    places = f.present(loc.n, FacilityType.MEETING).astype(np.float64)
    residents = loc.residents.astype(np.float64)
    # step 1: residents in each place's catchment (a place stands in a locality, so per locality)
    demand = in_reach(residents, loc.municipality, n_muni, p.meeting_reach_discount)
    share = np.divide(places * p.meeting_place_capacity, demand, out=np.zeros(loc.n), where=demand > 0)
    # step 2: the shares of all places in one's catchment
    reach = in_reach(share, loc.municipality, n_muni, p.meeting_reach_discount)
    effect = -np.expm1(-reach / p.meeting_place_saturation)
    present = f.access_matrix(loc.n)
    by_type = np.empty((loc.n, len(ACCESS_TYPES)))
    for j in range(len(ACCESS_TYPES)):
        here = present[:, j]
        in_muni = np.bincount(loc.municipality, weights=here, minlength=n_muni)[loc.municipality] > 0
        by_type[:, j] = np.where(here, 1.0, np.where(in_muni, p.service_reach_discount, 0.0))
    return Reach(places, reach, effect, by_type, by_type.mean(axis=1))
