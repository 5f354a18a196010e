"""Government: the national government (investment, market subsidies) and municipalities.

The national government pays the investment in social infrastructure out in equal
quarterly tranches over ``investment_years`` and buys meeting places at a stated price:
capital plus the running cost for ``investment_years`` years, reserved when a place is
built. Where it builds follows the ``allocation`` rule (domain.md M7, M9). Money is
conserved: ``spent + reserved + available + unallocated == investment_eur`` at every step.

Municipalities (one Mesa agent each; their numbers live in arrays of the model) run care
points, bus lines and community centres on a budget that changes by
``municipal_budget_change`` a year. When costs exceed the budget they close the services
with the highest cost per resident, but first offer each to a local collective with
probability ``partnership`` (right to challenge; domain.md M9), passing on
``handover_budget_share`` of its budget. Once a year collectives apply for a grant; the
answer (heard or not) feeds members' sense of voice and fairness (domain.md M5).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from .collectives import CollectiveKind
from .facilities import FacilityType, Provider

if TYPE_CHECKING:
    from .model import SamenModel


class NationalGovernment(mesa.Agent):
    """Holds the national budgets; spends them by the levers' rules."""

    def __init__(self, model: "SamenModel") -> None:
        super().__init__(model)
        p = model.p
        self.unallocated = float(p.investment_eur)  # not yet released or not yet spent
        self.available = 0.0  # released, waiting for a place to be bought
        self.reserved = 0.0  # running costs set aside for places already built
        self.spent = 0.0
        self.places_built = 0
        self.subsidy_unallocated = float(p.market_subsidy_eur)
        self.subsidy_pot = 0.0
        self.subsidy_spent = 0.0
        self.spent_this_step = 0.0

    @property
    def unit_price(self) -> float:
        """Price of one funded meeting place: capital + running cost over the funding period."""
        p = self.model.p
        return p.meeting_place_capital_eur + p.meeting_place_running_eur * p.investment_years

    def release_tranches(self) -> None:
        p, q = self.model.p, self.model.quarter
        quarters = 4 * p.investment_years
        if q < quarters:
            tranche = p.investment_eur / quarters if q < quarters - 1 else self.unallocated
            tranche = min(tranche, self.unallocated)
            self.unallocated -= tranche
            self.available += tranche
            sub = p.market_subsidy_eur / quarters if q < quarters - 1 else self.subsidy_unallocated
            sub = min(sub, self.subsidy_unallocated)
            self.subsidy_unallocated -= sub
            self.subsidy_pot += sub

    def pay_running_costs(self) -> None:
        """Pay this quarter's running cost of every place still within its funding period."""
        m = self.model
        f = m.facilities
        funded = (f.view("open") & (f.view("type") == FacilityType.MEETING)
                  & (f.view("provider") == Provider.MUNICIPALITY) & (f.view("funded_until") > m.quarter))
        cost = float(f.view("cost")[funded].sum()) / 4
        cost = min(cost, self.reserved)
        self.reserved -= cost
        self.spent += cost
        self.spent_this_step += cost

    def build_meeting_places(self) -> int:
        """Buy as many places as the released money allows, where the allocation rule says."""
        m, p = self.model, self.model.p
        price = self.unit_price
        capital = p.meeting_place_capital_eur
        n_afford = int(self.available // price) if price > 0 else 0
        if n_afford == 0:
            return 0
        chosen, local_share = choose_localities(m, n_afford)
        for l, collective in zip(chosen, local_share):
            contribution = 0.0
            if collective >= 0:  # matching: the collective pays its share of the capital
                contribution = min(p.matching_share * price, capital)
                m.collective_table.funds[collective] -= contribution
            self.available -= price - contribution
            self.reserved += price - capital
            self.spent += capital - contribution
            self.spent_this_step += capital - contribution
            m.add_meeting_place(int(l), funded_quarters=4 * p.investment_years)
            self.places_built += 1
        return len(chosen)

    def pay_market_subsidy(self, gap_per_year: np.ndarray) -> np.ndarray:
        """Top up failing market facilities (in the given order) while the pot lasts.

        Returns a bool array: which of them are kept open for another year."""
        kept = np.zeros(len(gap_per_year), dtype=bool)
        for i, gap in enumerate(gap_per_year):
            if gap <= self.subsidy_pot:
                self.subsidy_pot -= gap
                self.subsidy_spent += gap
                self.spent_this_step += gap
                kept[i] = True
        return kept

    def step(self) -> None:
        self.spent_this_step = 0.0
        self.release_tranches()
        # build first, so that a place's first quarter is paid like every other
        self.build_meeting_places()
        self.pay_running_costs()


def choose_localities(m: "SamenModel", n: int) -> tuple[np.ndarray, np.ndarray]:
    """Localities for n new meeting places under the allocation rule.

    Returns the localities and, under ``matching``, the collective that pays its share
    (-1 otherwise). One new place per locality per quarter.
    """
    p, loc = m.p, m.localities
    has_people = loc.n_citizens > 0
    mp = m.meeting_places_per_locality()
    weight = loc.residents / (1.0 + mp)
    payer = np.full(loc.n, -1)
    rule = p.allocation
    if rule == "needs_based":
        access = m.locality_access.mean(axis=1)
        income = m.locality_mean_income()
        rel_income = np.divide(income[has_people].mean(), income, out=np.ones(loc.n), where=income > 0)
        weight = loc.residents * (1.5 - access) * rel_income * np.where(mp == 0, 2.0, 1.0)
    elif rule in ("matching", "competitive"):
        t = m.collective_table
        live = np.flatnonzero(t.view("active") & (t.view("kind") != CollectiveKind.ENERGY))
        if rule == "matching":
            price = m.national.unit_price
            need = min(p.matching_share * price, p.meeting_place_capital_eur)
            live = live[t.funds[live] >= need]
            weight = np.zeros(loc.n)
            # richest collective per locality applies
            order = live[np.argsort(-t.funds[live], kind="stable")]
            locs, first = np.unique(t.locality[order], return_index=True)
            payer[locs] = order[first]
            weight[locs] = loc.residents[locs]
        else:
            # applications scored by leadership capacity: leaders and the highly educated
            score = m.locality_application_score()
            weight = np.zeros(loc.n)
            applicants = np.unique(t.locality[live])
            weight[applicants] = score[applicants]
            ranked = applicants[np.argsort(-weight[applicants], kind="stable")][:n]
            return ranked, payer[ranked]
    weight = np.where(has_people, weight, 0.0)
    nz = np.flatnonzero(weight > 0)
    if len(nz) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    k = min(n, len(nz))
    chosen = m.rng.choice(nz, size=k, replace=False, p=weight[nz] / weight[nz].sum())
    return chosen, payer[chosen]


class Municipality(mesa.Agent):
    """A municipality; its budget and responsiveness are rows of the model's arrays."""

    def __init__(self, model: "SamenModel", idx: int, region: int) -> None:
        super().__init__(model)
        self.idx = idx
        self.region = region

    @property
    def budget(self) -> float:
        return float(self.model.municipal_budget[self.idx])

    @property
    def responsiveness(self) -> float:
        return float(self.model.responsiveness[self.idx])


def municipal_costs(m: "SamenModel") -> np.ndarray:
    """Yearly cost per municipality: services it runs (unless the investment still pays),
    payments to collectives running handed-over services, and grants."""
    f, t, loc = m.facilities, m.collective_table, m.localities
    muni = loc.municipality[f.view("locality")]
    open_ = f.view("open")
    own = open_ & (f.view("provider") == Provider.MUNICIPALITY) & (f.view("funded_until") <= m.quarter)
    handed = open_ & (f.view("provider") == Provider.COLLECTIVE)
    cost = (np.bincount(muni[own], weights=f.view("cost")[own], minlength=m.n_municipalities)
            + np.bincount(muni[handed], weights=f.view("payment")[handed], minlength=m.n_municipalities))
    granted = t.view("active") & t.view("heard")
    cost += np.bincount(t.view("municipality")[granted], minlength=m.n_municipalities) * m.p.grant_per_collective_eur
    return cost


def run_municipalities(m: "SamenModel") -> float:
    """One quarter of municipal government; returns municipal spending this quarter (EUR)."""
    p = m.p
    m.municipal_budget *= (1 + p.municipal_budget_change) ** 0.25
    if m.quarter % 4 == 0:
        grant_round(m)
    cost = municipal_costs(m)
    for mun in np.flatnonzero(cost > m.municipal_budget):
        cut_services(m, int(mun), cost[mun] - m.municipal_budget[mun])
    return float(municipal_costs(m).sum()) / 4


def grant_round(m: "SamenModel") -> None:
    """Collectives apply; approval rises with partnership and falls with regulation and a
    tight budget. Approved collectives are 'heard' for the coming year."""
    p, t = m.p, m.collective_table
    n = t.n
    if n == 0:
        return
    slack = np.clip(m.municipal_budget / np.maximum(municipal_costs(m), 1.0), 0, 1.5)
    prob = np.clip(0.25 + 0.6 * p.partnership - 0.2 * p.regulatory_burden, 0, 1) * np.minimum(
        slack[t.view("municipality")], 1.0) * (0.5 + m.responsiveness[t.view("municipality")])
    # a hearing, once given, mostly lasts (relations persist); others get one with prob
    keep = t.view("heard") & (m.rng.random(n) < np.clip(0.8 + 0.2 * prob, 0, 1))
    t.heard[:n] = t.view("active") & (keep | (m.rng.random(n) < np.clip(prob, 0, 1)))


def cut_services(m: "SamenModel", mun: int, gap: float) -> None:
    """Close (or hand over) the municipality's services, most expensive per resident first."""
    p, f, loc = m.p, m.facilities, m.localities
    ids = np.flatnonzero(f.view("open") & (f.view("provider") == Provider.MUNICIPALITY)
                         & (f.view("funded_until") <= m.quarter)
                         & (loc.municipality[f.view("locality")] == mun))
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


#: Yearly running cost of municipal services (EUR, assumption) and which collective kind can
#: take one over.
SERVICE_COST = {FacilityType.CARE: 150_000.0, FacilityType.TRANSPORT: 80_000.0}
TAKEOVER_KIND = {FacilityType.CARE: CollectiveKind.CARE, FacilityType.TRANSPORT: CollectiveKind.FACILITY,
                 FacilityType.MEETING: CollectiveKind.NEIGHBOURHOOD, FacilityType.SHOP: CollectiveKind.FACILITY}
