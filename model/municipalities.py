"""Municipalities: local services on a budget, grants to collectives, cuts and hand-overs.

Each municipality is a Mesa agent (:class:`Municipality`) that takes its own decisions; its
numbers are a row of :class:`MunicipalTable`, so that rules over all municipalities stay
array operations. A municipality runs care points, bus lines and community centres on a
budget that changes by ``municipal_budget_change`` a year. When costs exceed the budget it
closes the services with the highest cost per resident, but first offers each to a local
collective with probability ``partnership`` (right to challenge: Wmo 2015 and bill 36210,
Wet versterking participatie op decentraal niveau), passing on ``handover_budget_share``
of its budget. Once a year collectives apply for a grant; the answer (heard or not) feeds
members' sense of voice (OECD 2024 Trust Survey; ODD 7.3).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from .kinds import CollectiveKind, FacilityType, Provider
from .tables import Table

if TYPE_CHECKING:
    from .model import SamenModel

#: Yearly running cost of municipal services (EUR, assumption) and which collective kind can
#: take one over.
SERVICE_COST = {FacilityType.CARE: 150_000.0, FacilityType.TRANSPORT: 80_000.0}
TAKEOVER_KIND = {FacilityType.CARE: CollectiveKind.CARE, FacilityType.TRANSPORT: CollectiveKind.FACILITY,
                 FacilityType.MEETING: CollectiveKind.NEIGHBOURHOOD, FacilityType.SHOP: CollectiveKind.FACILITY}
ENERGY_NICHE_RESIDENTS = 40_000  # one energy-coop niche per municipality plus one per 40,000 (assumption)


class MunicipalTable(Table):
    """One row per municipality: its region, residents, political culture and budget."""

    FIELDS = {"region": np.int32, "residents": np.float64, "responsiveness": np.float64,
              "budget": np.float64, "energy_niches": np.float64}


class Municipality(mesa.Agent):
    """A municipality; its numbers are row ``idx`` of ``model.municipal``."""

    def __init__(self, model: "SamenModel", idx: int) -> None:
        """The agent of municipality ``idx``."""
        super().__init__(model)
        self.idx = idx

    @property
    def region(self) -> int:
        """Index of the municipality's region."""
        return int(self.model.municipal.region[self.idx])

    @property
    def budget(self) -> float:
        """Yearly service budget (EUR)."""
        return float(self.model.municipal.budget[self.idx])

    @property
    def responsiveness(self) -> float:
        """How much the council listens to residents and collectives (0-1)."""
        return float(self.model.municipal.responsiveness[self.idx])

    def update_budget(self, yearly_change: float) -> None:
        """The budget follows the national decision on municipal funds, a quarter's worth."""
        self.model.municipal.budget[self.idx] *= (1 + yearly_change) ** 0.25

    def hold_grant_round(self, ids: np.ndarray, approval: float, slack: float,
                         keep_luck: np.ndarray, new_luck: np.ndarray) -> None:
        """Decide the applications of collectives ``ids``.

        Approval rises with partnership and responsiveness and falls with regulation and a tight
        budget; a hearing, once given, mostly lasts (relations persist). Approved collectives
        are 'heard' for a year.
        """
        t = self.model.collective_table
        prob = approval * min(slack, 1.0) * (0.5 + self.model.municipal.responsiveness[self.idx])
        keep = t.heard[ids] & (keep_luck < np.clip(0.8 + 0.2 * prob, 0, 1))
        t.heard[ids] = t.active[ids] & (keep | (new_luck < np.clip(prob, 0, 1)))

    def balance_budget(self, cost: float) -> None:
        """When services cost more than the budget, cut (or hand over) until they fit."""
        gap = cost - self.model.municipal.budget[self.idx]
        if gap > 0:
            self.cut_services(gap)

    def cut_services(self, gap: float) -> None:
        """Close or hand over the municipality's own services, most expensive per resident first."""
        m = self.model
        p, f, loc = m.p, m.facilities, m.localities
        ids = np.flatnonzero(f.view("open") & (f.view("provider") == Provider.MUNICIPALITY)
                             & (f.view("funded_until") <= m.quarter)
                             & (loc.municipality[f.view("locality")] == self.idx))
        if len(ids) == 0:
            return
        per_resident = f.cost[ids] / np.maximum(loc.residents[f.locality[ids]], 1)
        for fid in ids[np.argsort(-per_resident, kind="stable")]:
            if gap <= 0:
                break
            if m.rng.random() < p.partnership and m.hand_over(int(fid)):
                gap -= f.cost[fid] * (1 - p.handover_budget_share)
            else:
                m.close_facility(np.array([fid]))
                gap -= f.cost[fid]


def create_municipalities(m: "SamenModel") -> MunicipalTable:
    """The municipalities' table (responsiveness.

    Partnership plus local political culture, an assumption) and one :class:`Municipality` agent
    per row.
    """
    p, loc, regions = m.p, m.localities, m.regions
    n = int(regions.municipalities.sum())
    table = MunicipalTable(capacity=n)
    residents = np.bincount(loc.municipality, weights=loc.residents, minlength=n)
    table.add(region=np.repeat(np.arange(regions.n), regions.municipalities),
              responsiveness=np.clip(0.2 + 0.7 * p.partnership + m.rng.normal(0, 0.1, n), 0, 1),
              residents=residents, energy_niches=1 + residents / ENERGY_NICHE_RESIDENTS)
    for i in range(n):
        Municipality(m, i)
    return table


def municipal_costs(m: "SamenModel") -> np.ndarray:
    """Yearly cost per municipality.

    Services it runs (unless the investment still pays), payments to collectives running handed-
    over services, and grants.
    """
    f, t, loc = m.facilities, m.collective_table, m.localities
    n = m.municipal.n
    muni = loc.municipality[f.view("locality")]
    open_ = f.view("open")
    own = open_ & (f.view("provider") == Provider.MUNICIPALITY) & (f.view("funded_until") <= m.quarter)
    handed = open_ & (f.view("provider") == Provider.COLLECTIVE)
    cost = (np.bincount(muni[own], weights=f.view("cost")[own], minlength=n)
            + np.bincount(muni[handed], weights=f.view("payment")[handed], minlength=n))
    granted = t.view("active") & t.view("heard")
    cost += np.bincount(t.view("municipality")[granted], minlength=n) * m.p.grant_per_collective_eur
    return cost


def grant_round(m: "SamenModel") -> None:
    """Every municipality decides the grant applications of its collectives (once a year)."""
    p, t = m.p, m.collective_table
    n = t.n
    if n == 0:
        return
    slack = np.clip(m.municipal.budget / np.maximum(municipal_costs(m), 1.0), 0, 1.5)
    approval = float(np.clip(0.25 + 0.6 * p.partnership - 0.2 * p.regulatory_burden, 0, 1))
    keep_luck, new_luck = m.rng.random(n), m.rng.random(n)
    order = np.argsort(t.view("municipality"), kind="stable")
    bounds = np.searchsorted(t.view("municipality")[order], np.arange(m.municipal.n + 1))
    for mun in m.municipalities:
        ids = order[bounds[mun.idx]:bounds[mun.idx + 1]]
        if len(ids):
            mun.hold_grant_round(ids, approval, slack[mun.idx], keep_luck[ids], new_luck[ids])


def run_municipalities(m: "SamenModel") -> float:
    """One quarter of municipal government; returns municipal spending this quarter (EUR)."""
    m.municipalities.do("update_budget", m.p.municipal_budget_change)
    if m.quarter % 4 == 0:
        grant_round(m)
    cost = municipal_costs(m)
    for mun in m.municipalities:
        mun.balance_budget(cost[mun.idx])
    return float(municipal_costs(m).sum()) / 4
