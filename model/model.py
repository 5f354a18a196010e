"""SamenModel: citizens, collectives, municipalities, the national government and firms.

**Start.** Every scenario of a seed starts from one state: the world is built and run for
``spinup_quarters`` under today's policy (every lever at its default), so that start-up
transients settle; then the scenario's levers switch on and step 0 is recorded. Levers act
from the first step on; row 0 of every output is the same for every scenario.

**A quarter** runs in six phases (``SamenModel.step``; ODD section 3):

1. **government acts**: the national government releases investment tranches, buys meeting
   places and pays their running costs; each municipality updates its budget, holds the
   yearly grant round, cuts or hands over services when over budget, and reopens one when it
   has room (policy acts first, as budgets are set at the start of a period);
2. **market acts**: purchase shares drift; firms close unviable outlets unless the market
   subsidy keeps them;
3. **citizens act**: they decide whether to volunteer, and meet (weak and bridging ties);
4. **collectives act**: members leave and join, boards are filled, collectives are founded,
   cooperation, work, load, burnout and money are updated, failing collectives dissolve,
   and the citizen sample is matched to the collectives' counts;
5. **citizens respond**: burnout follows their roles, closures and openings are remembered,
   trust moves;
6. **record**: outcomes are computed and stored.

Agents: the national government, each municipality and each firm are Mesa agents that take
their decisions in methods of their own (national.py, municipalities.py, market.py); their
numbers live in tables of arrays. Collectives (thousands) are rows of ``CollectiveTable`` and
citizens (up to millions) are arrays, updated by vectorised rules.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import mesa
import numpy as np
import pandas as pd

from . import collectives as coll
from . import membership, outcomes, participation, trust
from .citizens import AGE_SHARES, count_by_locality, create_citizens, leader_potential
from .collectives import CollectiveTable
from .facilities import Facilities
from .grouping import rank_within
from .kinds import (
    NEVER,
    QUARTERS_PER_YEAR,
    AgeBand,
    CollectiveKind,
    Education,
    FacilityType,
    FailureCause,
    LocalityKind,
    Provider,
)
from .market import (
    Firm,
    close_unviable_facilities,
    drift_local_share,
    gross_margin,
    initial_market_facilities,
)
from .municipalities import (
    TAKEOVER_KIND,
    Municipality,
    create_municipalities,
    grant_round,
    municipal_costs,
    responsiveness,
    run_municipalities,
)
from .national import NationalGovernment
from .network import build_network
from .parameters import DATED_PARAMETERS, LEVERS, PARAMS, Parameters, PolicyChange
from .reach import compute_reach
from .regions import Regions, build_localities
from .trust import TrustEvent


@dataclass(frozen=True)
class Reference:
    """National levels at the start that rules measure localities against (fixed for a run)."""

    motivation: float  # mean civic motivation of adults
    trust_others: float  # mean trust in others of adults
    leader_share: float  # share of adults who could lead
    active_share: float  # share of adults active in a quarter
    old_share: float  # share of residents aged 65+
    access: float  # mean access to services of residents
    cooperation: float  # contribution level of a collective at rest under today's policy
    responsiveness: np.ndarray  # each municipality's responsiveness under today's policy


def _stack(rows: list[dict[str, np.ndarray]]) -> pd.DataFrame:
    """One table of the column dicts ``rows`` (one per recorded step), stacked in order."""
    return pd.DataFrame({name: np.concatenate([r[name] for r in rows]) for name in rows[0]})


class SamenModel(mesa.Model):
    """The society model. Build it through ``experiments.api.build_model`` (one factory)."""

    def __init__(self, parameters: Parameters, regions: Regions, seed: int,
                 events: Iterable[TrustEvent] = (), keep_localities: str = "last",
                 policy: Iterable[PolicyChange] = ()) -> None:
        """Build the world under today's policy, run the spin-up, then switch on ``parameters``' levers.

        ``events``: dated national events (trust.TrustEvent) of the scenario; ``policy``: its dated
        changes of policy (parameters.PolicyChange), applied from their dates. ``keep_localities``:
        "last" keeps per-locality outcomes of the current step only (:meth:`locality_frame`),
        "every" of every recorded step. The same as ``SamenModel.start(parameters, regions,
        seed).branch(parameters, events, keep_localities, policy)``.
        """
        self._start(parameters, regions, seed)
        self._begin(parameters, events, keep_localities, policy)

    @classmethod
    def start(cls, parameters: Parameters, regions: Regions, seed: int) -> "SamenModel":
        """The common start of every scenario: built under today's policy, spun up, not recorded.

        It is the start for ``parameters`` (levers aside), ``regions`` and ``seed``. Branch
        scenarios from it with :meth:`branch`; a start depends on the parameters only through
        those that are not levers (:func:`todays_policy`).
        """
        model = cls.__new__(cls)
        model._start(parameters, regions, seed)
        return model

    def branch(self, parameters: Parameters, events: Iterable[TrustEvent] = (),
               keep_localities: str = "last", policy: Iterable[PolicyChange] = ()) -> "SamenModel":
        """A copy of this start with ``parameters``' levers switched on and step 0 recorded.

        The start itself is left untouched, so any number of scenarios can branch from it; each
        branch equals ``SamenModel(parameters, regions, seed, events, keep_localities, policy)``.
        """
        if self._begun:
            raise ValueError("branch from a start (SamenModel.start), not from a running model")
        model = copy.deepcopy(self)
        model._begin(parameters, events, keep_localities, policy)
        return model

    def _start(self, parameters: Parameters, regions: Regions, seed: int) -> None:
        super().__init__(rng=int(seed))
        self.p = todays_policy(parameters)
        self.regions = regions
        self.events: tuple[TrustEvent, ...] = ()
        self.policy: tuple[PolicyChange, ...] = ()
        self.quarter = -self.p.spinup_quarters
        self._memo: dict = {}
        self._begun = False
        self._build()
        for _ in range(self.p.spinup_quarters):
            self._quarter()
        trust.set_dispositions(self)  # today's trust is the rest point of today's world
        outcomes.strata(self)  # the fixed partition behind the outcomes: branches copy it

    def _begin(self, parameters: Parameters, events: Iterable[TrustEvent], keep_localities: str,
               policy: Iterable[PolicyChange] = ()) -> None:
        if keep_localities not in ("last", "every"):
            raise ValueError(f"keep_localities={keep_localities!r}: use 'last' or 'every'")
        self.apply_levers(parameters)
        self.events = tuple(events)
        self.policy = tuple(sorted(policy, key=lambda change: change.year))
        undated = sorted({name for change in self.policy for name in change.changes} - set(DATED_PARAMETERS))
        if undated:
            raise ValueError(f"a dated policy change cannot set {', '.join(undated)}")
        self._policy_applied = 0
        self._begun = True
        self._rows: list[dict] = []
        self._region_rows: list[dict] = []
        self._group_rows: list[dict[str, np.ndarray]] = []
        self._locality_frames: list[pd.DataFrame] = []
        self.keep_localities = keep_localities
        # row 0 reports the spending of the quarter before the start (the spin-up's last)
        self._record(self.municipal_spending)

    # ---- set-up ------------------------------------------------------------------------
    def _build(self) -> None:
        p, rng = self.p, self.rng
        self.localities = loc = build_localities(self.regions, p.population_scale, rng)
        self.citizens = create_citizens(self.regions, loc, p, rng)
        self.network = build_network(self.citizens, loc, p.mean_degree, p.local_tie_share,
                                     p.homophily, p.homophily_distance, rng)
        self.degree = self.network.degree.astype(np.float32)
        self.strong_bridging = self.network.bridging_ties()
        self.closures_now = np.zeros(loc.n, dtype=np.int32)
        self.openings_now = np.zeros(loc.n, dtype=np.int32)
        self.closure_memory = np.zeros(loc.n)
        self.opening_memory = np.zeros(loc.n)
        self.investment_received = np.zeros(loc.n)
        self.municipal = create_municipalities(self)
        self.municipalities = self.agents_by_type[Municipality]  # in row order
        self.national = NationalGovernment(self)
        self._create_market()
        self.facilities = Facilities(capacity=len(FacilityType) * loc.n)
        self.facilities.add(**initial_market_facilities(self), provider=np.uint8(Provider.MARKET))
        self._create_public_services()
        self.reach = compute_reach(self)
        self.collective_table = CollectiveTable()
        self._initialise_collectives()
        self.municipal.budget[:] = np.inf  # the first grant round knows no budget limit
        grant_round(self)
        self.municipal.budget[:] = municipal_costs(self) * (1 + p.municipal_budget_slack)
        self.municipal_spending = float(municipal_costs(self).sum()) / QUARTERS_PER_YEAR
        for _ in range(QUARTERS_PER_YEAR):  # load, burnout and volunteering settle together
            membership.work_and_burnout(self, self._heard_weight(), settle=True)
            membership.settle_volunteers(self)
        membership.sync_citizens(self)
        membership.citizens_burnout(self)

    def _create_market(self) -> None:
        """One firm per sector (shops, GP practices) and region."""
        self.firms: list[Firm] = []
        self.firm_index: dict[FacilityType, np.ndarray] = {}
        for sector in (FacilityType.SHOP, FacilityType.GP):
            first = len(self.firms)
            self.firms += [Firm(self, first + r, sector, r) for r in range(self.regions.n)]
            self.firm_index[sector] = np.arange(first, len(self.firms), dtype=np.int32)

    def _create_public_services(self) -> None:
        """Care points, bus lines and meeting places standing at the start (ODD 5.5)."""
        p, loc, rng = self.p, self.localities, self.rng
        village = loc.kind == LocalityKind.VILLAGE
        u_care, u_bus, u_meeting = rng.random(loc.n), rng.random(loc.n), rng.random(loc.n)
        care = (loc.residents >= p.care_point_min_residents) | (
            village & (loc.residents >= p.village_care_min_residents) & (u_care < p.village_care_share))
        bus = ~village | (u_bus < p.village_bus_share)
        n_meeting = np.where(village, (u_meeting < p.village_meeting_place_share).astype(int),
                             np.maximum(1, loc.residents // p.residents_per_meeting_place))
        self._add_public(FacilityType.CARE, np.flatnonzero(care), p.care_cost_eur)
        self._add_public(FacilityType.TRANSPORT, np.flatnonzero(bus), p.transport_cost_eur)
        self._add_public(FacilityType.MEETING, np.repeat(np.arange(loc.n), n_meeting), p.meeting_place_running_eur)

    def _add_public(self, ftype: FacilityType, localities: np.ndarray, cost: float) -> np.ndarray:
        k = len(localities)
        return self.facilities.add(
            type=np.full(k, ftype, dtype=np.uint8), locality=localities,
            provider=np.full(k, Provider.MUNICIPALITY, dtype=np.uint8), cost=np.full(k, cost))

    def _initialise_collectives(self) -> None:
        """Place the Dutch collectives and settle the population around them.

        Place the Dutch start counts with their members, draw the citizens who stand for them,
        and give the population a year of participation history and its weak ties.
        """
        c = self.citizens
        adult = c.adult
        self.reference = Reference(
            motivation=float(c.motivation[adult].mean()), trust_others=float(c.trust_others[adult].mean()),
            leader_share=float(self.leader_potential()[adult].mean()), active_share=1.0,
            old_share=float(np.average(self.old_share, weights=self.localities.residents)),
            access=float(np.average(self.reach.access, weights=self.localities.residents)),
            cooperation=float(coll.cooperation_rest_point(self.p)), responsiveness=self.responsiveness())
        coll.found_collectives(self, initial_counts=coll.start_counts(self.p))
        membership.sync_citizens(self)
        self.forget()
        for _ in range(QUARTERS_PER_YEAR):  # a year of participation history
            participation.decide_participation(self)
            self.forget()
        self.reference = Reference(**{**self.reference.__dict__,
                                      "active_share": float(c.active_now[adult].mean())})
        participation.settle_weak_ties(self)

    def apply_levers(self, parameters: Parameters) -> None:
        """Switch on the scenario's levers at step 0 (the rest must equal the start's)."""
        differs = [name for name in PARAMS if name not in LEVERS
                   and getattr(parameters, name) != getattr(self.p, name)]
        if differs:
            raise ValueError(f"only levers may change at step 0, not {', '.join(differs)}")
        self.p = parameters
        self.quarter = 0
        self.national.set_budgets()

    # ---- queries used by the rules ------------------------------------------------------
    @property
    def year(self) -> float:
        """Calendar time of the current step (1 January of ``start_year`` is step 0)."""
        return self.p.start_year + self.quarter / QUARTERS_PER_YEAR

    @cached_property
    def adult_residents(self) -> np.ndarray:
        """Residents aged 15+ per locality (the age mix of the locality's kind)."""
        child = np.array([AGE_SHARES[k][AgeBand.CHILD] for k in LocalityKind])
        return self.localities.residents * (1 - child[self.localities.kind])

    @cached_property
    def old_share(self) -> np.ndarray:
        """Share of residents aged 65+ per locality (the age mix of the locality's kind)."""
        old = np.array([AGE_SHARES[k][AgeBand.OLD] for k in LocalityKind])
        return old[self.localities.kind]

    @cached_property
    def locality_motivation(self) -> np.ndarray:
        """Mean civic motivation of each locality's adults (estimated; motivation never changes)."""
        return self.locality_mean(self.citizens.motivation)

    @cached_property
    def _adult_citizens(self) -> np.ndarray:
        return np.bincount(self.citizens.locality, weights=self.citizens.adult, minlength=self.localities.n)

    def locality_share(self, mask: np.ndarray) -> np.ndarray:
        """Share of each locality's adults for whom ``mask`` holds, estimated from its citizens.

        A locality holds few simulated citizens at coarse ``population_scale``, so its share is
        shrunk towards the national one as if ``locality_prior_citizens`` more citizens with the
        national share had been sampled (a beta-binomial estimate); with many citizens the
        locality's own share dominates.
        """
        c = self.citizens
        counts, hits, adults = count_by_locality(c.locality, np.asarray(mask, dtype=bool), c.adult, self.localities.n)
        return self._shrunk(counts, hits / max(adults, 1))

    def locality_mean(self, values: np.ndarray) -> np.ndarray:
        """Mean of ``values`` over each locality's adults (estimated).

        Mean of ``values`` over each locality's adults, shrunk towards the national mean like
        :meth:`locality_share`.
        """
        c = self.citizens
        w = c.adult.astype(np.float64)
        national = float(np.average(values, weights=w)) if w.sum() else 0.0
        return self._shrunk(np.bincount(c.locality, weights=values * w, minlength=self.localities.n), national)

    def _shrunk(self, sums: np.ndarray, national: float) -> np.ndarray:
        prior = self.p.locality_prior_citizens
        return (sums + prior * national) / (self._adult_citizens + prior)

    def remembered(self, key: str, compute):
        """A value computed once until :meth:`forget`.

        ``compute()``, computed once until :meth:`forget` (state the rules read many times
        between two changes of the citizens' state).
        """
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def forget(self, *keys: str) -> None:
        """Drop remembered values (``keys``, or all): the citizens' state has changed."""
        if keys:
            for key in keys:
                self._memo.pop(key, None)
        else:
            self._memo.clear()

    def leader_potential(self) -> np.ndarray:
        """Citizens who could lead now (citizens.leader_potential)."""
        return self.remembered("leader_potential", lambda: leader_potential(self))

    def leader_share(self) -> np.ndarray:
        """Per locality: the estimated share of adults who could lead now."""
        return self.remembered("leader_share", lambda: self.locality_share(self.leader_potential()))

    def potential_leaders(self) -> np.ndarray:
        """Per locality: residents who could lead now (a collective needs ``board_min`` of them)."""
        return self.remembered("potential_leaders", lambda: self.leader_share() * self.adult_residents)

    def active_share(self) -> np.ndarray:
        """Per locality: the estimated share of adults active this quarter."""
        return self.remembered("active_share", lambda: self.locality_share(self.citizens.active_now))

    def responsiveness(self) -> np.ndarray:
        """Each municipality's responsiveness now (municipalities.responsiveness)."""
        return responsiveness(self)

    def heard_share(self) -> np.ndarray:
        """Per locality: members of heard collectives (residents) per adult resident, at most 1."""
        t = self.collective_table
        heard = t.view("heard")
        members = np.bincount(t.view("locality")[heard], weights=t.view("members")[heard],
                              minlength=self.localities.n)
        return np.clip(np.divide(members, self.adult_residents, out=np.zeros(self.localities.n),
                                 where=self.adult_residents > 0), 0, 1)

    def national_access(self) -> float:
        """Residents' mean access to services now."""
        return float(np.average(self.reach.access, weights=self.localities.residents))

    def funded_places(self) -> np.ndarray:
        """Meeting places the national investment has funded per locality (so far)."""
        f = self.facilities
        funded = (f.view("type") == FacilityType.MEETING) & (f.view("funded_until") != NEVER)
        return np.bincount(f.view("locality")[funded], minlength=self.localities.n)

    def meeting_places_per_locality(self) -> np.ndarray:
        """Open meeting places per locality."""
        return self.facilities.present(self.localities.n, FacilityType.MEETING)

    def locality_mean_income(self) -> np.ndarray:
        """Mean income of the citizens of each locality (EUR per year)."""
        c, n = self.citizens, self.localities.n
        total = np.bincount(c.locality, weights=c.income, minlength=n)
        return np.divide(total, self.localities.n_citizens, out=np.zeros(n), where=self.localities.n_citizens > 0)

    def locality_application_score(self) -> np.ndarray:
        """Quality of a locality's applications: potential leaders and the highly educated share."""
        c = self.citizens
        high = c.education == Education.HIGH
        return self.leader_share() + self.locality_share(high)

    def _closed_recently(self) -> np.ndarray:
        f = self.facilities
        closed = f.view("closed_step")
        return ~f.view("open") & (closed != NEVER) & (closed >= self.quarter - self.p.rescue_window)

    def rescuable(self) -> np.ndarray:
        """Recently closed facilities (not GP practices) that residents could run without losing money.

        What users pay (or a shop's revenue) and a founding membership's fees cover the running
        cost at ``collective_cost_ratio`` and a facility collective's fixed costs (the business
        case a rescue starts from).
        """
        p, f = self.p, self.facilities
        cand = np.flatnonzero(self._closed_recently() & (f.view("type") != FacilityType.GP))
        kind = CollectiveKind.FACILITY
        fees = p.founding_members * (p.member_fee_eur + coll.per_kind(p, "margin_per_member")[kind])
        fixed = coll.fixed_cost(p, np.full(len(cand), kind), self.reach.meeting_effect[f.locality[cand]])
        viable = self.facility_income(cand) + fees >= f.cost[cand] * p.collective_cost_ratio + fixed
        return cand[viable]

    def recent_closures(self) -> np.ndarray:
        """Rescuable recent closures (:meth:`rescuable`) per locality."""
        return np.bincount(self.facilities.locality[self.rescuable()], minlength=self.localities.n)

    def reopenable(self) -> np.ndarray:
        """Recently closed public services (care, bus, meeting place) a municipality could reopen."""
        f = self.facilities
        public = np.isin(f.view("type"), (FacilityType.CARE, FacilityType.TRANSPORT, FacilityType.MEETING))
        return np.flatnonzero(self._closed_recently() & public & (f.view("provider") == Provider.MUNICIPALITY))

    def facility_income(self, fid: np.ndarray) -> np.ndarray:
        """Yearly income a provider collective draws from its facilities (EUR).

        A shop's gross margin; for public services, what users pay plus the municipality's
        payment.
        """
        p, f = self.p, self.facilities
        user = np.zeros(FacilityType.MEETING + 1)
        user[[FacilityType.CARE, FacilityType.TRANSPORT, FacilityType.MEETING]] = (
            p.user_share_care, p.user_share_transport, p.user_share_meeting)
        market = np.isin(f.type[fid], (FacilityType.SHOP, FacilityType.GP))
        return np.where(market, gross_margin(self, fid), f.cost[fid] * user[f.type[fid]] + f.payment[fid])

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

    def _open(self, fid: int) -> None:
        f = self.facilities
        f.open[fid] = True
        f.closed_step[fid] = NEVER
        f.funded_until[fid] = NEVER
        self.openings_now[f.locality[fid]] += 1

    def reopen_facility(self, fid: int) -> None:
        """A municipality reopens a recently closed public service at its own cost."""
        f = self.facilities
        self._open(fid)
        f.provider[fid] = Provider.MUNICIPALITY
        f.collective[fid] = -1

    def rescue_facilities(self, cids: np.ndarray) -> None:
        """New facility collectives rescue recently closed facilities.

        New facility collectives reopen their locality's most recently closed rescuable facility
        (:meth:`rescuable`), one each; where several are founded in one locality, the most
        recent closures go first.
        """
        f, t = self.facilities, self.collective_table
        if len(cids) == 0:
            return
        cand = self.rescuable()
        cand = cand[np.isin(f.locality[cand], t.locality[cids])]
        if len(cand) == 0:
            return
        # rank closures within their locality, most recent first; rank founders likewise
        cand = cand[np.lexsort((-f.closed_step[cand], f.locality[cand]))]
        cids = cids[np.argsort(t.locality[cids], kind="stable")]
        pairs_f = rank_within(f.locality[cand])
        pairs_c = rank_within(t.locality[cids])
        key_f = f.locality[cand].astype(np.int64) * (len(cids) + 1) + pairs_f
        key_c = t.locality[cids].astype(np.int64) * (len(cids) + 1) + pairs_c
        hit = np.isin(key_c, key_f)
        fids = cand[np.searchsorted(key_f, key_c[hit])]
        for fid, cid in zip(fids.tolist(), cids[hit].tolist(), strict=True):
            self._open(fid)
            self._give_to_collective(fid, cid, payment=0.0)

    def hand_over(self, fid: int) -> bool:
        """Right to challenge: a local collective (existing or new) takes a public service over."""
        p, f, t = self.p, self.facilities, self.collective_table
        here = int(f.locality[fid])
        kind = TAKEOVER_KIND[FacilityType(int(f.type[fid]))]
        cand = np.flatnonzero(t.view("active") & (t.view("locality") == here) & (t.view("kind") == kind)
                              & (t.view("facility") < 0))
        if len(cand) == 0:
            if self.potential_leaders()[here] < p.board_min:
                return False
            cand = coll.create(self, np.array([here]), np.array([int(kind)]), rescue=False)
        self._give_to_collective(fid, int(cand[0]), payment=p.handover_budget_share * f.cost[fid])
        return True

    def _give_to_collective(self, fid: int, cid: int, payment: float) -> None:
        f = self.facilities
        f.provider[fid] = Provider.COLLECTIVE
        f.firm[fid] = -1
        f.collective[fid] = cid
        f.payment[fid] = payment
        f.funded_until[fid] = NEVER
        self.collective_table.facility[cid] = fid

    def add_meeting_place(self, locality: int, funded_quarters: int) -> None:
        """A new municipal meeting place whose running cost the investment pays for a while."""
        fid = self._add_public(FacilityType.MEETING, np.array([locality]), self.p.meeting_place_running_eur)
        self.facilities.funded_until[fid] = self.quarter + funded_quarters
        self.openings_now[locality] += 1

    def dissolve(self, ids: np.ndarray, causes: np.ndarray) -> None:
        """End collectives: record why, close what they ran, free the citizens standing for them.

        A dissolved collective is neither heard nor turned down any more, so readers of those
        flags need no check of ``active``.
        """
        t = self.collective_table
        t.active[ids] = False
        t.heard[ids] = False
        t.denied[ids] = False
        t.dissolved[ids] = self.quarter
        t.cause[ids] = causes
        fac = t.facility[ids]
        self.close_facility(fac[fac >= 0])
        t.facility[ids] = -1
        membership.release(self, ids)
        self.forget()

    # ---- the step ---------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one quarter and record its outcomes."""
        self._apply_dated_policy()
        self._quarter()
        # the market subsidy is paid in the market phase, so national spending is read last
        self._record(self.municipal_spending + self.national.spent_this_step)

    def _apply_dated_policy(self) -> None:
        """Apply the scenario's dated policy changes whose date has come (before the quarter acts)."""
        while self._policy_applied < len(self.policy) and self.policy[self._policy_applied].year <= self.year:
            self.p = self.p.replace(**self.policy[self._policy_applied].changes)
            self._policy_applied += 1

    def _quarter(self) -> None:
        """One quarter: the six phases in the order of the module docstring (recording apart)."""
        self.forget()
        self.closures_now[:] = 0
        self.openings_now[:] = 0
        self.government_acts()
        self.market_acts()
        self.reach = compute_reach(self)
        self.citizens_act()
        self.collectives_act()
        self.reach = compute_reach(self)
        self.citizens_respond()
        self.quarter += 1

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
        self.forget("active_share")  # who is active changed; roles, burnout and leaders did not
        participation.meet(self)

    def collectives_act(self) -> None:
        """Membership flows, boards, founding, cooperation, work and money; failures; the sample."""
        membership.leave_collectives(self)
        membership.recruit_members(self)
        membership.fill_boards(self)
        coll.found_collectives(self)
        coll.update_cooperation(self)
        membership.work_and_burnout(self, self._heard_weight())
        coll.update_budget(self)
        coll.dissolve_failing(self)
        membership.sync_citizens(self)
        self.forget()

    def _heard_weight(self) -> np.ndarray:
        """Per collective: heard this year times its municipality's responsiveness (0-1)."""
        t = self.collective_table
        return t.view("heard") * self.responsiveness()[t.view("municipality")]

    def citizens_respond(self) -> None:
        """Burnout follows roles; closures and openings are remembered; trust moves."""
        membership.citizens_burnout(self)
        self.forget()
        trust.remember_events(self)
        if self.quarter >= 0:  # during the spin-up trust keeps its surveyed values
            trust.update_trust(self)

    # ---- outcomes -----------------------------------------------------------------------------
    def _record(self, spending: float) -> None:
        sums = outcomes.cell_sums(self)
        self._rows.append(outcomes.national(self, spending, sums))
        self._region_rows.append(outcomes.by_region(self, sums))
        self._group_rows.append(outcomes.group_columns(self, sums))
        if self.keep_localities == "every":
            self._locality_frames.append(outcomes.by_locality(self))

    def outcome_frames(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """National, per-region and per-group series, one row (set) per recorded step."""
        series = pd.DataFrame(self._rows, columns=list(outcomes.SERIES_COLUMNS))
        regions, groups = _stack(self._region_rows), _stack(self._group_rows)
        return series, regions[list(outcomes.REGION_COLUMNS)], groups[list(outcomes.GROUP_COLUMNS)]

    def locality_frame(self) -> pd.DataFrame:
        """Per-locality outcomes.

        Every recorded step if ``keep_localities == "every"`` (set it before stepping), else the
        current step.
        """
        if self.keep_localities == "every" and self._locality_frames:
            return pd.concat(self._locality_frames, ignore_index=True)
        return outcomes.by_locality(self)

    def failure_causes(self) -> pd.Series:
        """Dissolved collectives by cause."""
        t = self.collective_table
        gone = ~t.view("active")
        return pd.Series(t.view("cause")[gone]).map(lambda x: FailureCause(x).name.lower()).value_counts()


def todays_policy(parameters: Parameters) -> Parameters:
    """``parameters`` with every lever at its default: the policy the start is built under."""
    return parameters.replace(**{name: PARAMS[name].default for name in LEVERS})


__all__ = ["SamenModel", "todays_policy", "CollectiveKind"]
