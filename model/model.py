"""SamenModel: citizens, collectives, municipalities, the national government and firms.

One step is one quarter. The order within a step (and why):

1. the national government releases investment tranches, pays funded running costs and
   buys meeting places (policy acts first, as budgets are set at the start of a period);
2. municipalities run their services on their budget, hold the yearly grant round and
   cut or hand over services when over budget;
3. the market drifts and closes unviable facilities;
4. citizens decide whether to volunteer and meet (weak and bridging ties);
5. collectives lose and recruit members, replace leaders, are founded, update their
   cooperation, load and budget, and dissolve when they fail;
6. citizens' burnout and trust respond to what happened this quarter;
7. outcomes are recorded.

Agents: Mesa agents give every government, firm and collective an identity
(``model.agents_by_type``); their numbers live in arrays that the rules update all at once
(see collectives.py, government.py, market.py). Citizens are arrays only (population.py).
"""

from __future__ import annotations

from functools import cached_property

import mesa
import numpy as np
import pandas as pd

from . import citizens as behaviour
from . import collectives as coll
from . import outcomes
from .collectives import Collective, CollectiveKind, CollectiveTable, FailureCause
from .facilities import ACCESS_TYPES, Facilities, FacilityType, Provider
from .government import (SERVICE_COST, TAKEOVER_KIND, Municipality, NationalGovernment,
                         municipal_costs, run_municipalities)
from .market import Firm, close_unviable_facilities, drift_local_share, initial_market_facilities, market_revenue
from .network import build_network
from .parameters import Parameters
from .population import AgeBand, create_citizens
from .regions import LocalityKind, Regions, build_localities

#: Share of a public facility's running cost that its users pay when a collective runs it
#: (bar and room hire, client contributions, fares); assumption.
USER_INCOME_SHARE = {FacilityType.CARE: 0.3, FacilityType.TRANSPORT: 0.2, FacilityType.MEETING: 0.5,
                     FacilityType.SHOP: 0.0, FacilityType.GP: 0.0}
RESCUE_WINDOW = 8  # quarters during which a closed facility can still be rescued
ENERGY_NICHE_RESIDENTS = 40_000  # one energy-coop niche per municipality plus one per 40,000 (assumption)


class SamenModel(mesa.Model):
    """The society model. Build it through ``experiments.api.build_model`` (one factory)."""

    def __init__(self, parameters: Parameters, regions: Regions, seed: int) -> None:
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
        self._create_government()
        self._create_market()
        self.facilities = Facilities(capacity=4 * loc.n + 64)
        self.facilities.add(**initial_market_facilities(self), provider=np.uint8(Provider.MARKET))
        self._create_public_services()
        self.collective_table = CollectiveTable()
        self._collective_agents: dict[int, Collective] = {}
        self._initialise_collectives()
        self.municipal_budget = municipal_costs(self) * (1 + p.municipal_budget_slack)
        behaviour.init_dispositions(self)
        self._rows: list[dict] = []
        self._region_rows: list[dict] = []
        self._group_rows: list[dict] = []
        self._record(0.0)

    # ---- set-up ------------------------------------------------------------------------
    def _create_government(self) -> None:
        p, loc = self.p, self.localities
        self.n_municipalities = int(self.regions.municipalities.sum())
        muni_region = np.repeat(np.arange(self.regions.n), self.regions.municipalities)
        self.municipalities = [Municipality(self, i, int(muni_region[i])) for i in range(self.n_municipalities)]
        # responsiveness (voice): partnership plus local political culture (assumption)
        self.responsiveness = np.clip(0.2 + 0.7 * p.partnership
                                      + self.rng.normal(0, 0.1, self.n_municipalities), 0, 1)
        residents = np.bincount(loc.municipality, weights=loc.residents, minlength=self.n_municipalities)
        self.energy_niches = 1 + residents / ENERGY_NICHE_RESIDENTS
        self.national = NationalGovernment(self)

    def _create_market(self) -> None:
        self.firm_ids = {}
        for sector in (FacilityType.SHOP, FacilityType.GP):
            firms = [Firm(self, sector, r) for r in range(self.regions.n)]
            self.firm_ids[sector] = np.array([f.unique_id for f in firms], dtype=np.int32)

    def _create_public_services(self) -> None:
        """Care points, bus lines and meeting places standing at the start (assumptions:
        care in places of 2,500+ and half the villages of 1,000+; a bus line everywhere but
        in 30% of villages; a meeting place per 5,000 residents and in 80% of villages)."""
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
            provider=np.full(k, Provider.MUNICIPALITY, dtype=np.uint8),
            owner=self.localities.municipality[localities], cost=np.full(k, cost))

    def _initialise_collectives(self) -> None:
        """Place the Dutch start-up counts, give them members, and settle participation."""
        start = coll.START_COUNTS.astype(float).copy()
        start[CollectiveKind.FACILITY] = 0  # residents' rescues follow closures in the run
        before = self.collective_table.n
        coll.found_collectives(self, initial_counts=start)
        coll.add_initial_members(self, np.arange(before, self.collective_table.n))
        for _ in range(4):  # a year of participation history
            behaviour.decide_participation(self)
        coll.count_members(self)
        rate, share = behaviour.meeting_rates(self)
        self.citizens.weak_ties[:] = rate / max(self.p.weak_tie_decay, 1e-6)
        self.citizens.weak_bridging[:] = rate * share / max(self.p.weak_tie_decay, 1e-6)
        from .government import grant_round  # noqa: PLC0415 - set-up only
        self.municipal_budget = np.full(self.n_municipalities, np.inf)
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
        return self.facilities.present(self.localities.n, FacilityType.MEETING)

    @property
    def locality_access(self) -> np.ndarray:
        """(localities, 4) bool: shop, GP, care, transport present in the locality."""
        return self.facilities.access_matrix(self.localities.n)

    def locality_mean_income(self) -> np.ndarray:
        c, n = self.citizens, self.localities.n
        total = np.bincount(c.locality, weights=c.income, minlength=n)
        return np.divide(total, self.localities.n_citizens, out=np.zeros(n), where=self.localities.n_citizens > 0)

    def locality_application_score(self) -> np.ndarray:
        """Quality of a locality's applications: potential leaders and highly educated share."""
        c, n = self.citizens, self.localities.n
        adults = np.bincount(c.locality, weights=c.adult, minlength=n)
        pot = np.bincount(c.locality, weights=coll.leader_potential(self), minlength=n)
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
    def register_collective(self, cid: int) -> None:
        self._collective_agents[cid] = Collective(self, cid)

    def close_facility(self, fids: np.ndarray) -> None:
        f, t = self.facilities, self.collective_table
        fids = np.asarray(fids, dtype=np.int64)
        if len(fids) == 0:
            return
        f.open[fids] = False
        f.closed_step[fids] = self.quarter
        f.payment[fids] = 0
        np.add.at(self.closures_now, f.locality[fids], 1)
        run_by = fids[f.provider[fids] == Provider.COLLECTIVE]
        owners = f.owner[run_by]
        t.facility[owners[t.facility[owners] == run_by]] = -1

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
        f, t, loc = self.facilities, self.collective_table, self.localities
        l = int(f.locality[fid])
        kind = TAKEOVER_KIND[FacilityType(int(f.type[fid]))]
        cand = np.flatnonzero(t.view("active") & (t.view("locality") == l) & (t.view("kind") == kind)
                              & (t.view("facility") < 0))
        if len(cand) == 0:
            before = t.n
            coll._create(self, np.array([l]), np.array([int(kind)]), coll.leader_potential(self), rescue=False)
            if t.n == before:
                return False
            cand = np.array([before])
        self._give_to_collective(fid, int(cand[0]), payment=self.p.handover_budget_share * f.cost[fid])
        return True

    def _give_to_collective(self, fid: int, cid: int, payment: float) -> None:
        f = self.facilities
        f.open[fid] = True
        f.provider[fid] = Provider.COLLECTIVE
        f.owner[fid] = cid
        f.payment[fid] = payment
        f.closed_step[fid] = -1
        f.funded_until[fid] = -1
        self.collective_table.facility[cid] = fid

    def add_meeting_place(self, locality: int, funded_quarters: int) -> None:
        fid = self._add_public(FacilityType.MEETING, np.array([locality]), self.p.meeting_place_running_eur)
        self.facilities.funded_until[fid] = self.quarter + funded_quarters

    def dissolve(self, ids: np.ndarray, causes: np.ndarray) -> None:
        t = self.collective_table
        t.active[ids] = False
        t.dissolved[ids] = self.quarter
        t.cause[ids] = causes
        fac = t.facility[ids]
        self.close_facility(fac[fac >= 0])
        t.facility[ids] = -1
        coll.release(self, ids)
        for cid in ids:
            agent = self._collective_agents.pop(int(cid), None)
            if agent is not None:
                agent.remove()

    # ---- the step ---------------------------------------------------------------------------
    def step(self) -> None:
        self.closures_now[:] = 0
        self.national.step()
        municipal_spending = run_municipalities(self)
        drift_local_share(self)
        close_unviable_facilities(self)
        behaviour.decide_participation(self)
        behaviour.meet(self)
        coll.leave_collectives(self)
        coll.recruit_members(self)
        coll.count_members(self)
        coll.replace_leaders(self)
        coll.found_collectives(self)
        coll.count_members(self)
        coll.update_cooperation(self)
        coll.update_load_and_budget(self)
        coll.dissolve_failing(self)
        coll.count_members(self)
        is_heard = behaviour.heard(self)  # one look-up serves burnout and trust
        behaviour.update_burnout(self, is_heard)
        behaviour.update_trust(self, is_heard)
        self.quarter += 1
        self._record(municipal_spending + self.national.spent_this_step)

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


__all__ = ["SamenModel", "ACCESS_TYPES"]
