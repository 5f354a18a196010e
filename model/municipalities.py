"""Municipalities: local services on a budget that follows national decisions (ODD 7.3).

Each municipality is a Mesa agent (:class:`Municipality`) that takes its own decisions; its
numbers are a row of :class:`MunicipalTable`. Its service budget follows the municipal fund:
a real trend under today's policy (``municipal_fund_trend``: rising costs against a fund that
does not keep up) plus the national decision ``municipal_budget_change``. From it the
municipality pays its own care points, bus lines and meeting places (also the places a
national investment built, once that stops paying), payments to collectives running
handed-over services, and grants.

Each quarter it balances its budget: over budget, it gives up the services of least value
per euro, where value is the residents served, raised by what they and their collectives
ask (``ask_weight * responsiveness * ask``); each cut is first offered to a local collective
with probability ``partnership`` (right to challenge: Wmo 2015, bill 36210), which gets
``handover_budget_share`` of the budget, else the service closes. Once a year, with budget
room, it reopens the recently closed service of most value it can afford, and decides the
grant applications of its collectives. Responsiveness is the municipality's political
culture (heterogeneous) plus what partnership adds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from .kinds import QUARTERS_PER_YEAR, CollectiveKind, FacilityType, Provider
from .reach import in_reach
from .tables import Table

if TYPE_CHECKING:
    from .model import SamenModel

#: Which collective kind can take over a public service.
TAKEOVER_KIND = {FacilityType.CARE: CollectiveKind.CARE, FacilityType.TRANSPORT: CollectiveKind.FACILITY,
                 FacilityType.MEETING: CollectiveKind.NEIGHBOURHOOD}


class MunicipalTable(Table):
    """One row per municipality: its region, residents, political culture and budget."""

    FIELDS = {"region": np.int32, "residents": np.float64, "culture": np.float64,
              "budget": np.float64, "energy_niches": np.float64, "round_quarter": np.int8}


class Municipality(mesa.Agent):
    """A municipality; its numbers are row ``idx`` of ``model.municipal``."""

    def __init__(self, model: "SamenModel", idx: int) -> None:
        """The agent of municipality ``idx``."""
        super().__init__(model)
        self.idx = idx

    @property
    def budget(self) -> float:
        """Yearly service budget (EUR)."""
        return float(self.model.municipal.budget[self.idx])

    @property
    def responsiveness(self) -> float:
        """How much the council listens to residents and collectives (0-1)."""
        return float(self.model.responsiveness()[self.idx])

    def update_budget(self, yearly_change: float) -> None:
        """The budget follows the municipal fund and national decisions, a quarter's worth."""
        self.model.municipal.budget[self.idx] *= (1 + yearly_change) ** (1 / QUARTERS_PER_YEAR)

    def balance_budget(self, ids: np.ndarray, cost: float, value: np.ndarray) -> None:
        """Over budget.

        Give up own services ``ids`` of least ``value`` per euro until costs fit; each is first
        offered to a local collective (right to challenge), else it closes.
        """
        m = self.model
        p, f = m.p, m.facilities
        gap = cost - m.municipal.budget[self.idx]
        if gap <= 0 or len(ids) == 0:
            return
        for fid in ids[np.argsort(value / f.cost[ids], kind="stable")]:
            if gap <= 0:
                break
            if m.rng.random() < p.partnership and m.hand_over(int(fid)):
                gap -= f.cost[fid] * (1 - p.handover_budget_share)
            else:
                m.close_facility(np.array([fid]))
                gap -= f.cost[fid]

    def reopen_services(self, closed: np.ndarray, cost: float, value: np.ndarray) -> None:
        """Reopen a closed service when the budget has room.

        With room in the budget beyond a reserve, reopen the recently closed public service of
        most value that fits.
        """
        m, f = self.model, self.model.facilities
        room = m.municipal.budget[self.idx] * (1 - m.p.reopen_reserve) - cost
        fits = closed[f.cost[closed] <= room]
        if len(fits) == 0:
            return
        best = int(fits[np.argmax(value[np.searchsorted(closed, fits)] / f.cost[fits])])
        m.reopen_facility(best)


def create_municipalities(m: "SamenModel") -> MunicipalTable:
    """Create the municipalities: their table and their agents.

    The municipalities' table (political culture drawn around ``responsiveness_base``) and one
    :class:`Municipality` agent per row.
    """
    p, loc, regions = m.p, m.localities, m.regions
    n = int(regions.municipalities.sum())
    table = MunicipalTable(capacity=n)
    residents = np.bincount(loc.municipality, weights=loc.residents, minlength=n)
    table.add(region=np.repeat(np.arange(regions.n), regions.municipalities),
              culture=p.responsiveness_base + m.rng.normal(0, p.responsiveness_sd, n),
              residents=residents, energy_niches=1 + residents / p.energy_niche_residents,
              round_quarter=m.rng.integers(0, QUARTERS_PER_YEAR, n))
    for i in range(n):
        Municipality(m, i)
    return table


def responsiveness(m: "SamenModel") -> np.ndarray:
    """Each municipality's responsiveness now: culture plus what partnership adds (0-1)."""
    return np.clip(m.municipal.view("culture") + m.p.responsiveness_partnership * m.p.partnership, 0, 1)


def municipally_paid(m: "SamenModel") -> np.ndarray:
    """Per facility row: an open service the municipality runs and pays (the investment no longer does)."""
    f = m.facilities
    return f.view("open") & (f.view("provider") == Provider.MUNICIPALITY) & (f.view("funded_until") <= m.quarter)


def municipal_costs(m: "SamenModel") -> np.ndarray:
    """Yearly cost per municipality.

    Services it runs (unless the investment still pays), payments to collectives running handed-
    over services, and grants.
    """
    f, t, loc = m.facilities, m.collective_table, m.localities
    n = m.municipal.n
    muni = loc.municipality[f.view("locality")]
    own = municipally_paid(m)
    handed = f.view("open") & (f.view("provider") == Provider.COLLECTIVE)
    cost = (np.bincount(muni[own], weights=f.view("cost")[own], minlength=n)
            + np.bincount(muni[handed], weights=f.view("payment")[handed], minlength=n))
    granted = t.view("heard")
    cost += np.bincount(t.view("municipality")[granted], minlength=n) * m.p.grant_per_collective_eur
    return cost


def service_value(m: "SamenModel", fid: np.ndarray) -> np.ndarray:
    """Value of public services to their municipality.

    The residents in their catchment (one's own locality, and the rest of the municipality at
    ``meeting_reach_discount`` for meeting places or ``service_reach_discount`` for other
    services, as in reach.py), raised by what residents ask through heard collectives, weighted
    by responsiveness.
    """
    p, f, loc = m.p, m.facilities, m.localities
    meeting = in_reach(loc.residents, loc.municipality, m.municipal.n, p.meeting_reach_discount)
    service = in_reach(loc.residents, loc.municipality, m.municipal.n, p.service_reach_discount)
    here = f.locality[fid]
    served = np.where(f.type[fid] == FacilityType.MEETING, meeting[here], service[here])
    ask = m.heard_share()[f.locality[fid]]
    resp = m.responsiveness()[loc.municipality[f.locality[fid]]]
    return served * (1 + p.ask_weight * resp * ask)


def grant_round(m: "SamenModel", holding: np.ndarray | None = None) -> None:
    """Municipalities decide their collectives' grant applications.

    Municipalities decide the grant applications of their collectives (each once a year, in its
    own quarter; ``holding``: which municipalities hold their round now, default all).
    """
    p, t = m.p, m.collective_table
    n = t.n
    if n == 0:
        return
    holding = np.ones(m.municipal.n, dtype=bool) if holding is None else holding
    slack = np.clip(m.municipal.view("budget") / np.maximum(municipal_costs(m), 1.0), 0, 1)
    approval = float(np.clip(p.grant_approval_base + p.grant_approval_partnership * p.partnership
                             - p.grant_approval_burden * p.regulatory_burden, 0, 1))
    keep_luck, new_luck = m.rng.random(n), m.rng.random(n)
    # per municipality: approval rises with partnership and responsiveness and falls with
    # regulation and a tight budget
    prob = np.minimum(approval * slack * (p.grant_responsiveness_base + m.responsiveness()), 1.0)
    municipality = t.view("municipality")
    ids = np.flatnonzero(holding[municipality])
    _decide_applications(m, ids, prob[municipality[ids]], keep_luck[ids], new_luck[ids])


def _decide_applications(m: "SamenModel", ids: np.ndarray, prob: np.ndarray, keep_luck: np.ndarray,
                         new_luck: np.ndarray) -> None:
    """Decide the applications of collectives ``ids``, each with its municipality's ``prob``.

    A hearing, once given, mostly lasts; approved collectives are heard for a year, the others
    turned down.
    """
    p, t = m.p, m.collective_table
    keep = t.heard[ids] & (keep_luck < p.hearing_persistence + (1 - p.hearing_persistence) * prob)
    heard = t.active[ids] & (keep | (new_luck < prob))
    t.heard[ids] = heard
    t.denied[ids] = t.active[ids] & ~heard


def _by_municipality(municipality: np.ndarray, n: int) -> list[np.ndarray]:
    """Row ids grouped by municipality (ascending within each)."""
    order = np.argsort(municipality, kind="stable")
    bounds = np.searchsorted(municipality[order], np.arange(n + 1))
    return [order[bounds[i]:bounds[i + 1]] for i in range(n)]


def run_municipalities(m: "SamenModel") -> float:
    """One quarter of municipal government; returns municipal spending this quarter (EUR)."""
    p, f, loc = m.p, m.facilities, m.localities
    m.municipalities.do("update_budget", p.municipal_fund_trend + p.municipal_budget_change)
    # each municipality has its own quarter for the yearly round (subsidy calendars differ),
    # so the country shows no pulse once a year
    yearly = m.municipal.view("round_quarter") == m.quarter % QUARTERS_PER_YEAR
    if yearly.any():
        grant_round(m, yearly)
    cost = municipal_costs(m)
    own = np.flatnonzero(municipally_paid(m))
    over = cost > m.municipal.view("budget")
    if over.any():
        own = own[over[loc.municipality[f.locality[own]]]]
        value = service_value(m, own)
        groups = _by_municipality(loc.municipality[f.locality[own]], m.municipal.n)
        for mun in m.municipalities:
            if over[mun.idx]:
                ids = groups[mun.idx]
                mun.balance_budget(own[ids], cost[mun.idx], value[ids])
        cost = municipal_costs(m)
    closed = m.reopenable()
    if len(closed):
        room = m.municipal.view("budget") * (1 - p.reopen_reserve) - cost
        muni = loc.municipality[f.locality[closed]]
        closed = closed[(f.cost[closed] <= room[muni]) & yearly[muni]]
        if len(closed):
            value = service_value(m, closed)
            groups = _by_municipality(loc.municipality[f.locality[closed]], m.municipal.n)
            for mun in m.municipalities:
                ids = groups[mun.idx]
                if len(ids):
                    mun.reopen_services(closed[ids], cost[mun.idx], value[ids])
            cost = municipal_costs(m)
    return float(cost.sum()) / QUARTERS_PER_YEAR
