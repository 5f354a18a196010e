"""Facilities and meeting places: one table, whoever provides them.

A facility stands in a locality and is provided by the market (a firm), a municipality or
a collective. Types (``kinds.FacilityType``): ``SHOP`` (village shop or supermarket),
``GP`` (general practice), ``CARE`` (local care and welfare point, Wmo), ``TRANSPORT`` (a
bus line or buurtbus) and ``MEETING`` (community centre, dorpshuis or buurthuis: the social
infrastructure). Access counts the first four; meeting places are counted apart.
"""

from __future__ import annotations

import numpy as np

from .kinds import ACCESS_TYPES, NEVER, FacilityType
from .tables import Table


class Facilities(Table):
    """Every facility ever opened, one row each; ``provider`` says who runs it.

    ``firm`` is the running firm's index (market facilities) and ``collective`` the running
    collective's row (collective-run ones), -1 otherwise; a municipal facility belongs to
    the municipality of its locality.
    """

    FIELDS = {
        "type": np.uint8, "locality": np.int32, "provider": np.uint8, "firm": np.int32,
        "collective": np.int32, "open": bool, "cost": np.float64, "revenue_base": np.float64,
        "local_share": np.float64, "threshold": np.float64, "payment": np.float64,
        "funded_until": np.int32, "closed_step": np.int32,
    }
    DEFAULTS = {"firm": -1, "collective": -1, "open": True, "funded_until": NEVER, "closed_step": NEVER}

    def present(self, n_localities: int, ftype: FacilityType) -> np.ndarray:
        """Number of open facilities of a type per locality."""
        sel = self.view("open") & (self.view("type") == ftype)
        return np.bincount(self.view("locality")[sel], minlength=n_localities)

    def access_matrix(self, n_localities: int) -> np.ndarray:
        """(localities, len(ACCESS_TYPES)) bool: which access types each locality has."""
        return np.stack([self.present(n_localities, t) > 0 for t in ACCESS_TYPES], axis=1)
