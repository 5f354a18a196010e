"""SamenModel: citizens, collectives, municipalities, the national government and firms.

One step is one quarter, in six phases (``SamenModel.step``; ODD section 3):

1. **government acts**: the national government releases investment tranches, buys
   meeting places and pays their running costs; each municipality updates its budget,
   holds the yearly grant round and cuts or hands over services when over budget
   (policy acts first, as budgets are set at the start of a period);
2. **market acts**: purchase shares drift; firms close unviable outlets unless the market
   subsidy keeps them;
3. **citizens act**: they decide whether to volunteer, and meet (weak and bridging ties);
4. **collectives act**: members leave and are recruited, boards are replaced, collectives
   are founded, cooperation, load and money are updated, failing collectives dissolve;
5. **citizens respond**: burnout and trust respond to what happened this quarter;
6. **record**: outcomes are computed and stored.

Agents: the national government, each municipality and each firm are Mesa agents that take
their decisions in methods of their own (national.py, municipalities.py, market.py);
their numbers live in tables of arrays. Collectives (thousands) are rows of
``CollectiveTable`` and citizens (up to millions) are arrays, updated by vectorised rules.
"""

from __future__ import annotations

from functools import cached_property

import mesa
import numpy as np
import pandas as pd

from . import collectives as coll
from . import membership, outcomes, participation, trust
from .citizens import create_citizens, leader_potential
from .collectives import CollectiveTable
from .facilities import Facilities
from .kinds import (
    AgeBand,
    CollectiveKind,
    FacilityType,
    FailureCause,
    LocalityKind,
    Provider,
)
from .market import (
    Firm,
    close_unviable_facilities,
    drift_local_share,
    initial_market_facilities,
    market_revenue,
)
from .municipalities import (
    SERVICE_COST,
    TAKEOVER_KIND,
    Municipality,
    create_municipalities,
    grant_round,
    municipal_costs,
    run_municipalities,
)
from .national import NationalGovernment
from .network import build_network
from .parameters import Parameters
from .regions import Regions, build_localities

#: Share of a public facility's running cost that its users pay when a collective runs it
#: (bar and room hire, client contributions, fares); assumption.
USER_INCOME_SHARE = {FacilityType.CARE: 0.3, FacilityType.TRANSPORT: 0.2, FacilityType.MEETING: 0.5,
                     FacilityType.SHOP: 0.0, FacilityType.GP: 0.0}
RESCUE_WINDOW = 8  # quarters during which a closed facility can still be rescued


class SamenModel(mesa.Model):
    """The society model. Build it through ``experiments.api.build_model`` (one factory)."""

    def __init__(self, parameters: Parameters, regions: Regions, seed: int) -> None:
        """Build the world for ``parameters`` and ``regions`` from ``seed`` and record step 0."""
        super().__init__(rng=int(seed))
        self.p = p = parameters
        self.regions = regions
        self.quarter = 0
        self.board = coll.board_size(p.board_min, p.population_scale)
        rng = self.rng
        self.localities = loc = build_localities(regions, p.population_scale, rng)
        self.citizens = create_citizens(regions, loc, p, rng)
        self.network = build_network(self.citizens, loc, p.mean_degree, p.local_tie_share,
                                     p.homophily, p.homophily_distance, rng)
        self.degree = self.network.degree.astype(np.float32)
        src = np.repeat(np.arange(self.citizens.n), self.network.degree)
        self.strong_bridging = np.bincount(src, weights=self.network.bridging,
                                           minlength=self.citizens.n).astype(np.float32)
        self.closures_now = np.zeros(loc.n, dtype=np.int32)
        self.municipal = create_municipalities(self)
        self.municipalities = self.agents_by_type[Municipality]  # in row order
        self.national = NationalGovernment(self)
        self._create_market()
        self.facilities = Facilities(capacity=4 * loc.n + 64)
        self.facilities.add(**initial_market_facilities(self), provider=np.uint8(Provider.MARKET))
        self._create_public_services()
        self.collective_table = CollectiveTable()
        self._initialise_collectives()
        self.municipal.budget[:] = municipal_costs(self) * (1 + p.municipal_budget_slack)
        trust.init_dispositions(self)
        self._rows: list[dict] = []
        self._region_rows: list[dict] = []
        self._group_rows: list[dict] = []
        self._record(0.0)

    # ---- set-up ------------------------------------------------------------------------
    def _create_market(self) -> None:
        """One firm per sector (shops, GP practices) and region."""
        self.firms: list[Firm] = []
        self.firm_index: dict[FacilityType, np.ndarray] = {}
        for sector in (FacilityType.SHOP, FacilityType.GP):
            first = len(self.firms)
            self.firms += [Firm(self, first + r, sector, r) for r in range(self.regions.n)]
            self.firm_index[sector] = np.arange(first, len(self.firms), dtype=np.int32)

    def _create_public_services(self) -> None:
        """Care points, bus lines and meeting places standing at the start (assumptions.

        Care in places of 2,500+ and half the villages of 1,000+; a bus line everywhere but in
        30% of villages; a meeting place per 5,000 residents and in 80% of villages).
        """
        loc, rng = self.localities, self.rng
        village = loc.kind == LocalityKind.VILLAGE
        u = rng.random((3, loc.n))
        care = (loc.residents >= 2_500) | (village & (loc.residents >= 1_000) & (u[0] < 0.5))
        bus = ~village | (u[1] < 0.7)
        n_meeting = np.where(village, (u[2] < 0.8).astype(int), np.maximum(1, loc.residents // 5_000))
        for ftype, where, cost in ((FacilityType.CARE, care, SERVICE_COST[FacilityType.CARE]),
                                   (FacilityType.TRANSPORT, bus, SERVICE_COST[FacilityType.TRANSPORT])):
            idx = np.flatnonzero(where)
            self._add_public(ftype, idx, cost)
        self._add_public(FacilityType.MEETING, np.repeat(np.arange(loc.n), n_meeting),
                         self.p.meeting_place_running_eur)

    def _add_public(self, ftype: FacilityType, localities: np.ndarray, cost: float) -> np.ndarray:
        k = len(localities)
        return self.facilities.add(
            type=np.full(k, ftype, dtype=np.uint8), locality=localities,
            provider=np.full(k, Provider.MUNICIPALITY, dtype=np.uint8), cost=np.full(k, cost))

    def _initialise_collectives(self) -> None:
        """Place the Dutch start-up counts, give them members, and settle participation."""
        start = coll.START_COUNTS.astype(float).copy()
        start[CollectiveKind.FACILITY] = 0  # residents' rescues follow closures in the run
        before = self.collective_table.n
        coll.found_collectives(self, initial_counts=start)
        membership.add_initial_members(self, np.arange(before, self.collective_table.n))
        for _ in range(4):  # a year of participation history
            participation.decide_participation(self)
        membership.count_members(self)
        rate, share = participation.meeting_rates(self)
        self.citizens.weak_ties[:] = rate / max(self.p.weak_tie_decay, 1e-6)
        self.citizens.weak_bridging[:] = rate * share / max(self.p.weak_tie_decay, 1e-6)
        self.municipal.budget[:] = np.inf  # the first grant round knows no budget limit
        grant_round(self)

    # ---- queries used by the rules ------------------------------------------------------
    @cached_property
    def adults_per_locality(self) -> np.ndarray:
        """Adult citizens per locality (ages never change during a run)."""
        return np.bincount(self.citizens.locality, weights=self.citizens.adult, minlength=self.localities.n)

    @cached_property
    def old_per_locality(self) -> np.ndarray:
        """Citizens aged 65+ per locality."""
        return np.bincount(self.citizens.locality, weights=self.citizens.age == AgeBand.OLD,
                           minlength=self.localities.n)

    def meeting_places_per_locality(self) -> np.ndarray:
        """Open meeting places per locality."""
        return self.facilities.present(self.localities.n, FacilityType.MEETING)

    @property
    def locality_access(self) -> np.ndarray:
        """(localities, 4) bool: shop, GP, care, transport present in the locality."""
        return self.facilities.access_matrix(self.localities.n)

    def locality_mean_income(self) -> np.ndarray:
        """Mean income of the citizens of each locality (EUR per year)."""
        c, n = self.citizens, self.localities.n
        total = np.bincount(c.locality, weights=c.income, minlength=n)
        return np.divide(total, self.localities.n_citizens, out=np.zeros(n), where=self.localities.n_citizens > 0)

    def locality_application_score(self) -> np.ndarray:
        """Quality of a locality's applications: potential leaders and highly educated share."""
        c, n = self.citizens, self.localities.n
        adults = np.bincount(c.locality, weights=c.adult, minlength=n)
        pot = np.bincount(c.locality, weights=leader_potential(self), minlength=n)
        high = np.bincount(c.locality, weights=c.adult & (c.education == 2), minlength=n)
        return np.divide(pot + high, adults, out=np.zeros(n), where=adults > 0)

    def recent_closures(self) -> np.ndarray:
        """Closed, not yet rescued facilities (not GP practices) per locality, recent ones."""
        f = self.facilities
        sel = (~f.view("open") & (f.view("type") != FacilityType.GP)
               & (f.view("closed_step") >= self.quarter - RESCUE_WINDOW) & (f.view("closed_step") >= 0))
        return np.bincount(f.view("locality")[sel], minlength=self.localities.n)

    def facility_income(self, fid: np.ndarray) -> np.ndarray:
        """Yearly income a provider collective draws from its facilities (EUR)."""
        f = self.facilities
        user = np.array([USER_INCOME_SHARE[FacilityType(int(x))] for x in f.type[fid]])
        market = np.isin(f.type[fid], (FacilityType.SHOP, FacilityType.GP))
        return np.where(market, market_revenue(self, fid), f.cost[fid] * user + f.payment[fid])

    # ---- events ---------------------------------------------------------------------------
    def close_facility(self, fids: np.ndarray) -> None:
        """Close facilities.

        They stop serving, their payments stop, a collective running one no longer does, and
        their localities feel the closure this quarter.
        """
        f, t = self.facilities, self.collective_table
        fids = np.asarray(fids, dtype=np.int64)
        if len(fids) == 0:
            return
        f.open[fids] = False
        f.closed_step[fids] = self.quarter
        f.payment[fids] = 0
        np.add.at(self.closures_now, f.locality[fids], 1)
        run_by = fids[f.provider[fids] == Provider.COLLECTIVE]
        runners = f.collective[run_by]
        t.facility[runners[t.facility[runners] == run_by]] = -1

    def rescue_facility(self, cid: int, locality: int) -> bool:
        """A new facility collective reopens the locality's most recently closed facility."""
        f = self.facilities
        cand = np.flatnonzero(~f.view("open") & (f.view("locality") == locality)
                              & (f.view("type") != FacilityType.GP)
                              & (f.view("closed_step") >= self.quarter - RESCUE_WINDOW))
        if len(cand) == 0:
            return False
        fid = int(cand[np.argmax(f.closed_step[cand])])
        self._give_to_collective(fid, cid, payment=0.0)
        return True

    def hand_over(self, fid: int) -> bool:
        """Right to challenge: a local collective (existing or new) takes a public service over."""
        f, t = self.facilities, self.collective_table
        here = int(f.locality[fid])
        kind = TAKEOVER_KIND[FacilityType(int(f.type[fid]))]
        cand = np.flatnonzero(t.view("active") & (t.view("locality") == here) & (t.view("kind") == kind)
                              & (t.view("facility") < 0))
        if len(cand) == 0:
            before = t.n
            coll._create(self, np.array([here]), np.array([int(kind)]), leader_potential(self), rescue=False)
            if t.n == before:
                return False
            cand = np.array([before])
        self._give_to_collective(fid, int(cand[0]), payment=self.p.handover_budget_share * f.cost[fid])
        return True

    def _give_to_collective(self, fid: int, cid: int, payment: float) -> None:
        f = self.facilities
        f.open[fid] = True
        f.provider[fid] = Provider.COLLECTIVE
        f.firm[fid] = -1
        f.collective[fid] = cid
        f.payment[fid] = payment
        f.closed_step[fid] = -1
        f.funded_until[fid] = -1
        self.collective_table.facility[cid] = fid

    def add_meeting_place(self, locality: int, funded_quarters: int) -> None:
        """A new municipal meeting place whose running cost the investment pays for a while."""
        fid = self._add_public(FacilityType.MEETING, np.array([locality]), self.p.meeting_place_running_eur)
        self.facilities.funded_until[fid] = self.quarter + funded_quarters

    def dissolve(self, ids: np.ndarray, causes: np.ndarray) -> None:
        """End collectives: record why, close what they ran, free their members and leaders."""
        t = self.collective_table
        t.active[ids] = False
        t.dissolved[ids] = self.quarter
        t.cause[ids] = causes
        fac = t.facility[ids]
        self.close_facility(fac[fac >= 0])
        t.facility[ids] = -1
        membership.release(self, ids)

    # ---- the step ---------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one quarter: the six phases in the order of the module docstring."""
        self.closures_now[:] = 0
        self.government_acts()
        self.market_acts()
        self.citizens_act()
        self.collectives_act()
        self.citizens_respond()
        self.quarter += 1
        # the market subsidy is paid in the market phase, so national spending is read last
        self._record(self.municipal_spending + self.national.spent_this_step)

    def government_acts(self) -> None:
        """The national government's investment, then every municipality's budget and services."""
        self.national.step()
        self.municipal_spending = run_municipalities(self)

    def market_acts(self) -> None:
        """Purchase shares drift; firms close what no longer pays."""
        drift_local_share(self)
        close_unviable_facilities(self)

    def citizens_act(self) -> None:
        """Citizens decide whether to volunteer this quarter, and meet."""
        participation.decide_participation(self)
        participation.meet(self)

    def collectives_act(self) -> None:
        """Membership changes, boards are filled, collectives are founded, work and fail."""
        membership.leave_collectives(self)
        membership.recruit_members(self)
        membership.count_members(self)
        membership.replace_leaders(self)
        coll.found_collectives(self)
        membership.count_members(self)
        coll.update_cooperation(self)
        coll.update_load_and_budget(self)
        coll.dissolve_failing(self)
        membership.count_members(self)

    def citizens_respond(self) -> None:
        """Burnout and trust respond to this quarter; one look-up of who was heard serves both."""
        is_heard = trust.heard(self)
        membership.update_burnout(self, is_heard)
        trust.update_trust(self, is_heard)

    # ---- outcomes -----------------------------------------------------------------------------
    def _record(self, spending: float) -> None:
        sums = outcomes.cell_sums(self)
        self._rows.append(outcomes.national(self, spending, sums))
        self._region_rows.append(outcomes.by_region(self, sums))
        self._group_rows.append(outcomes.by_group(self, sums))

    def outcome_frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """National, per-region and per-group series, one row per recorded step."""
        series = pd.DataFrame(self._rows, columns=list(outcomes.SERIES_COLUMNS))
        regions = pd.concat([pd.DataFrame(r) for r in self._region_rows], ignore_index=True)
        groups = pd.concat([pd.DataFrame(g) for g in self._group_rows], ignore_index=True)
        return series, regions[list(outcomes.REGION_COLUMNS)], groups[list(outcomes.GROUP_COLUMNS)]

    def failure_causes(self) -> pd.Series:
        """Dissolved collectives by cause (for validation of pattern 4)."""
        t = self.collective_table
        gone = ~t.view("active")
        return pd.Series(t.view("cause")[gone]).map(lambda x: FailureCause(x).name.lower()).value_counts()


__all__ = ["SamenModel"]
