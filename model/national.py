"""The national government: the investment in social infrastructure and the market subsidy.

It pays the investment out in equal quarterly tranches over ``investment_years`` and buys
meeting places at a stated price: capital plus the running cost for ``investment_years``
years, reserved when a place is built. Where it builds follows the ``allocation`` rule
(ODD 7.1-7.2). Money is conserved: ``spent + reserved + available + unallocated ==
investment_eur`` at every step. The market subsidy tops up failing market facilities,
cheapest rescue first, while its pot lasts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from .kinds import QUARTERS_PER_YEAR, CollectiveKind, FacilityType, Provider

if TYPE_CHECKING:
    from .model import SamenModel


class NationalGovernment(mesa.Agent):
    """Holds the national budgets; spends them by the levers' rules."""

    def __init__(self, model: "SamenModel") -> None:
        """The national government with the budgets of ``model.p``."""
        super().__init__(model)
        self.set_budgets()

    def set_budgets(self) -> None:
        """Open the investment and subsidy budgets of the current levers (at step 0)."""
        p = self.model.p
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
        """Move this quarter's tranche of the investment and of the subsidy into the pots."""
        p, q = self.model.p, self.model.quarter
        quarters = QUARTERS_PER_YEAR * p.investment_years
        if 0 <= q < quarters:
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
        cost = float(f.view("cost")[funded].sum()) / QUARTERS_PER_YEAR
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
        for here, collective in zip(chosen, local_share, strict=True):
            contribution = 0.0
            if collective >= 0:  # matching: the collective pays its share of the capital
                contribution = min(p.matching_share * price, capital)
                m.collective_table.funds[collective] -= contribution
            self.available -= price - contribution
            self.reserved += price - capital
            self.spent += capital - contribution
            self.spent_this_step += capital - contribution
            m.add_meeting_place(int(here), funded_quarters=QUARTERS_PER_YEAR * p.investment_years)
            m.investment_received[here] += price - contribution
            self.places_built += 1
        return len(chosen)

    def pay_market_subsidy(self, gap_per_year: np.ndarray) -> np.ndarray:
        """Top up failing market facilities (in the given order) while the pot lasts.

        Returns a bool array: which of them are kept open for another year.
        """
        kept = np.zeros(len(gap_per_year), dtype=bool)
        for i, gap in enumerate(gap_per_year):
            if gap <= self.subsidy_pot:
                self.subsidy_pot -= gap
                self.subsidy_spent += gap
                self.spent_this_step += gap
                kept[i] = True
        return kept

    def step(self) -> None:
        """A quarter: release tranches, build meeting places, pay funded running costs."""
        self.spent_this_step = 0.0
        self.release_tranches()
        # build first, so that a place's first quarter is paid like every other
        self.build_meeting_places()
        self.pay_running_costs()


def choose_localities(m: "SamenModel", n: int) -> tuple[np.ndarray, np.ndarray]:
    """Localities for n new meeting places under the allocation rule (ODD 7.2).

    Returns the localities and, under ``matching``, the collective that pays its share
    (-1 otherwise). One new place per locality per quarter.

    - ``per_capita``: by residents, spread over the places a locality has (residents / (1 + places));
    - ``needs_based``: by need, not size: ``(1 - meeting effect) * (1 + w_a (1 - access))
      * (national mean income / local mean income) ** w_i`` (the national mean weighted by residents);
    - ``matching``: where a local collective can pay ``matching_share`` (the richest applies),
      by residents;
    - ``competitive``: the best applications win, scored by local leadership capacity (the
      'capacity-to-apply' rule that the Matthew-effect literature expects to favour the well off)
      and divided by one plus the places the investment already funded there.
    """
    p, loc = m.p, m.localities
    has_people = loc.n_citizens > 0
    places = m.reach.meeting_places
    payer = np.full(loc.n, -1)
    rule = p.allocation
    if rule == "per_capita":
        weight = loc.residents / (1.0 + places)
    elif rule == "needs_based":
        income = m.locality_mean_income()
        national = np.average(income[has_people], weights=loc.residents[has_people])
        poverty = np.divide(national, income, out=np.ones(loc.n), where=income > 0)
        weight = ((1 - m.reach.meeting_effect) * (1 + p.need_access_weight * (1 - m.reach.access))
                  * poverty ** p.need_income_weight)
    else:
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
            # the best applications win; a place this investment already funded applies again
            # with a weaker case (its score divided by one plus the places it received)
            score = m.locality_application_score() / (1 + m.funded_places())
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
