"""Facilities and meeting places: one table of arrays, whoever provides them.

A facility stands in a locality and is provided by the market (a firm), a municipality or
a collective. Types: ``SHOP`` (village shop or supermarket), ``GP`` (general practice),
``CARE`` (local care and welfare point, Wmo), ``TRANSPORT`` (a bus line or buurtbus) and
``MEETING`` (community centre, dorpshuis or buurthuis: the social infrastructure).
Access counts the first four; meeting places are counted apart.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class FacilityType(IntEnum):
    SHOP = 0
    GP = 1
    CARE = 2
    TRANSPORT = 3
    MEETING = 4


ACCESS_TYPES = (FacilityType.SHOP, FacilityType.GP, FacilityType.CARE, FacilityType.TRANSPORT)


class Provider(IntEnum):
    MARKET = 0
    MUNICIPALITY = 1
    COLLECTIVE = 2


class Facilities:
    """Growable table of facilities; every array is indexed by facility id."""

    FIELDS = {
        "type": np.uint8, "locality": np.int32, "provider": np.uint8, "owner": np.int32,
        "open": bool, "cost": np.float64, "revenue_base": np.float64, "local_share": np.float64,
        "threshold": np.float64, "payment": np.float64, "funded_until": np.int32, "closed_step": np.int32,
    }

    def __init__(self, capacity: int = 1024) -> None:
        self.n = 0
        for name, dtype in self.FIELDS.items():
            setattr(self, name, np.zeros(capacity, dtype=dtype))

    def add(self, **columns: np.ndarray) -> np.ndarray:
        """Append facilities given as equal-length arrays; return their ids."""
        k = len(next(iter(columns.values())))
        self._reserve(self.n + k)
        ids = np.arange(self.n, self.n + k)
        for name in self.FIELDS:
            arr = getattr(self, name)
            arr[ids] = columns.get(name, -1 if name in ("funded_until", "closed_step", "owner") else 0)
        self.open[ids] = columns.get("open", True)
        self.n += k
        return ids

    def _reserve(self, size: int) -> None:
        cap = len(self.type)
        if size <= cap:
            return
        new_cap = max(size, 2 * cap)
        for name in self.FIELDS:
            old = getattr(self, name)
            new = np.zeros(new_cap, dtype=old.dtype)
            new[:cap] = old
            setattr(self, name, new)

    def view(self, name: str) -> np.ndarray:
        """The live part of a column."""
        return getattr(self, name)[: self.n]

    def present(self, n_localities: int, ftype: FacilityType) -> np.ndarray:
        """Number of open facilities of a type per locality."""
        sel = self.view("open") & (self.view("type") == ftype)
        return np.bincount(self.view("locality")[sel], minlength=n_localities)

    def access_matrix(self, n_localities: int) -> np.ndarray:
        """(localities, len(ACCESS_TYPES)) bool: which access types each locality has."""
        return np.stack([self.present(n_localities, t) > 0 for t in ACCESS_TYPES], axis=1)
