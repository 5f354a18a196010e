"""Citizen collectives: founding, recruitment, cooperation, budget, load and failure.

Each collective is a Mesa agent (:class:`Collective`) whose state lives in one row of
:class:`CollectiveTable`; the rules below update all collectives at once with array
operations (ODD 7.8-7.12):

- founded where motivated, connected people, leaders and a need meet (M3), more easily
  where a meeting place stands (M6) and where rules are light and partnership strong (M9);
- recruit members through ties within the locality (M3);
- keep a board of at least ``board_min`` leaders; leaders carry what members do not (M4);
- contributions follow conditional cooperation, which decays unless a meeting place
  sustains communication and which heavy rules crowd out (M2);
- fail through a lost board, lack of money, or a background hazard (M3).

Membership is held by citizens (``Citizens.member_of[:, kind]``), so a member's collective
always lies in the member's own locality.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .citizens import any_per_citizen, leader_potential
from .kinds import CollectiveKind, FacilityType, FailureCause
from .tables import Table

if TYPE_CHECKING:
    from .model import SamenModel






# Per kind (ENERGY, CARE, FACILITY, NEIGHBOURHOOD); all assumptions (see docs/ODD.md).
BASE_HOURS = np.array([10.0, 15.0, 10.0, 6.0])  # board hours per week
HOURS_PER_MEMBER = np.array([0.01, 0.10, 0.02, 0.04])  # weekly hours per (resident) member
BASE_COST = np.array([5_000.0, 6_000.0, 5_000.0, 1_000.0])  # EUR per year
#: EUR per member per year besides the fee: energy sales margin, care client contributions,
#: neighbourhood activities (assumption).
MARGIN_PER_MEMBER = np.array([40.0, 60.0, 0.0, 10.0])
JOIN_RATE = np.array([0.03, 0.15, 0.15, 0.15])  # per quarter, per contact with a member
VOLUNTEERING_KIND = np.array([False, True, True, True])  # does membership mean volunteering?
KIND_FOUNDING = np.array([0.15, 0.25, 1.5, 0.25])  # founding-rate multipliers
SERVICE_HOURS = {FacilityType.SHOP: 100.0, FacilityType.CARE: 60.0, FacilityType.TRANSPORT: 40.0,
                 FacilityType.MEETING: 30.0}  # volunteer hours per week to run a service
ADMIN_HOURS_FULL_BURDEN = 10.0  # board hours per week for rules at regulatory_burden = 1
#: EUR per year for rules at regulatory_burden = 1, per kind (assumption).
COMPLIANCE_COST_FULL_BURDEN = np.array([6_000.0, 6_000.0, 4_000.0, 1_500.0])
LEADERLESS_QUARTERS = 4  # a collective without a board for a year dissolves (assumption)
START_MEMBERS = np.array([180, 90, 120, 150])  # typical size in residents (assumption after LEM 2023, NLZVE 2020)
#: Dutch counts at the start: energy coops 714 (LEM 2023), care
#: initiatives 1,471 (NLZVE 2020), about 4,000 village and neighbourhood organisations
#: (LVKK); residents' facility collectives: assumption.
START_COUNTS = np.array([714, 1_471, 300, 4_000])




class CollectiveTable(Table):
    """One row per collective ever founded (rows are never reused)."""

    FIELDS = {
        "kind": np.uint8, "locality": np.int32, "municipality": np.int32, "active": bool,
        "founded": np.int32, "dissolved": np.int32, "cause": np.uint8, "funds": np.float64,
        "members": np.int32, "leaders": np.int32, "volunteers": np.int32,
        "cooperation": np.float64, "heard": bool, "facility": np.int32,
        "leaderless_quarters": np.int32, "leader_load": np.float64,
    }
    DEFAULTS = {"active": True, "dissolved": -1, "facility": -1, "cooperation": 0.5}

    def found(self, kind: np.ndarray, locality: np.ndarray, municipality: np.ndarray, step: int) -> np.ndarray:
        """Add newly founded collectives; return their ids."""
        return self.add(kind=kind, locality=locality, municipality=municipality, founded=step)


def board_size(board_min: int, scale: int) -> int:
    """Simulated leaders a board needs: each simulated citizen stands for ``scale`` people."""
    return max(1, int(round(board_min / scale)))




def found_collectives(m: "SamenModel", initial_counts: np.ndarray | None = None) -> int:
    """Found new collectives in localities (vectorised over localities and kinds).

    Intensity per locality and kind (after Ghorbani, Nascimento & Filatova 2020, ERSS 70:101782):
    ``lambda0 * kind_mult * (leader share / 5%) * (active share / 30%) * h(meeting place)
    * need * (1 - C/K) * (1 - 0.6 regulatory_burden) * (0.5 + partnership)``,
    and ``P(found) = 1 - exp(-intensity)``. With ``initial_counts`` the same weights place
    the Dutch start-up counts instead (initialisation).
    """
    p, loc, c, t = m.p, m.localities, m.citizens, m.collective_table
    n_loc = loc.n
    adults = m.adults_per_locality
    pot = leader_potential(m)
    leaders_avail = np.bincount(c.locality, weights=pot, minlength=n_loc)
    active = np.bincount(c.locality, weights=c.active_now & c.adult, minlength=n_loc)
    with np.errstate(divide="ignore", invalid="ignore"):
        leader_share = np.where(adults > 0, leaders_avail / adults, 0)
        active_share = np.where(adults > 0, active / adults, 0)
    if initial_counts is not None:
        active_share = np.full(n_loc, 0.3)
    has_mp = m.meeting_places_per_locality() > 0
    need, capacity = _needs(m)
    existing = np.zeros((n_loc, len(CollectiveKind)))
    live = t.view("active")
    np.add.at(existing, (t.view("locality")[live], t.view("kind")[live]), 1)
    # energy niches are counted per municipality (LEM: about one coop per local market)
    muni_existing = np.bincount(loc.municipality, weights=existing[:, CollectiveKind.ENERGY],
                                minlength=m.municipal.n)
    saturation = np.clip(1 - existing / np.maximum(capacity, 1e-9), 0, 1)
    saturation[:, CollectiveKind.ENERGY] = np.clip(
        1 - muni_existing[loc.municipality] / m.municipal.energy_niches[loc.municipality], 0, 1)
    base = ((leader_share / 0.05) * (active_share / 0.3)
            * (1 + p.infrastructure_founding_boost * has_mp)
            * (1 - 0.6 * p.regulatory_burden) * (0.5 + p.partnership))
    weight = base[:, None] * KIND_FOUNDING[None, :] * need * saturation
    weight[leaders_avail < m.board] = 0
    if initial_counts is not None:
        chosen = _place_initial(weight, initial_counts, m.rng)
    else:
        prob = 1 - np.exp(-p.founding_rate * weight)
        chosen = np.argwhere(m.rng.random(prob.shape) < prob)
    if len(chosen) == 0:
        return 0
    return _create(m, chosen[:, 0], chosen[:, 1], pot)


def _needs(m: "SamenModel") -> tuple[np.ndarray, np.ndarray]:
    """Need (0-2) and room K per locality and kind."""
    loc = m.localities
    n_loc = loc.n
    need = np.zeros((n_loc, len(CollectiveKind)))
    cap = np.zeros_like(need)
    old = m.old_per_locality
    with np.errstate(divide="ignore", invalid="ignore"):
        old_share = np.where(loc.n_citizens > 0, old / loc.n_citizens, 0)
    access = m.locality_access
    need[:, CollectiveKind.ENERGY] = 1.0
    cap[:, CollectiveKind.ENERGY] = 1.0
    need[:, CollectiveKind.CARE] = (old_share / 0.2) * np.where(access[:, FacilityType.CARE], 0.4, 1.0)
    cap[:, CollectiveKind.CARE] = 1 + loc.residents // 20_000
    lost = m.recent_closures()
    need[:, CollectiveKind.FACILITY] = np.minimum(lost, 2)
    cap[:, CollectiveKind.FACILITY] = lost
    need[:, CollectiveKind.NEIGHBOURHOOD] = 1.0
    cap[:, CollectiveKind.NEIGHBOURHOOD] = 1 + loc.residents // 4_000
    return need, cap


def _place_initial(weight: np.ndarray, counts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    rows = []
    for k, count in enumerate(counts):
        w = weight[:, k]
        nz = np.flatnonzero(w > 0)
        if len(nz) == 0 or count <= 0:
            continue
        pick = rng.choice(nz, size=int(count), p=w[nz] / w[nz].sum(), replace=True)
        rows.append(np.column_stack([pick, np.full(len(pick), k)]))
    return np.concatenate(rows) if rows else np.zeros((0, 2), dtype=np.int64)


def _create(m: "SamenModel", locs: np.ndarray, kinds: np.ndarray, pot: np.ndarray,
            rescue: bool = True) -> int:
    """Create collectives with a founding board drawn from the locality's potential leaders.

    A new facility collective reopens a recently closed local facility (``rescue``), unless
    it is founded to take over a service being handed over (then the caller gives it one).
    """
    c, t, loc = m.citizens, m.collective_table, m.localities
    made_loc, made_kind = [], []
    for i in m.rng.permutation(len(locs)):
        here, k = int(locs[i]), int(kinds[i])
        s, e = loc.start[here], loc.start[here] + loc.n_citizens[here]
        cand = s + np.flatnonzero(pot[s:e] & (c.member_of[s:e, k] < 0))
        if len(cand) < m.board:
            continue
        board = m.rng.choice(cand, size=m.board, replace=False)
        cid = t.n + len(made_loc)  # the row t.add gives it below
        c.leader_of[board] = cid
        c.member_of[board, k] = cid
        pot[board] = False
        made_loc.append(here)
        made_kind.append(k)
    if not made_loc:
        return 0
    made_loc = np.array(made_loc)
    ids = t.found(np.array(made_kind), made_loc, loc.municipality[made_loc], m.quarter)
    for cid, here, k in zip(ids.tolist(), made_loc.tolist(), made_kind, strict=True):
        if k == CollectiveKind.FACILITY and rescue:
            m.rescue_facility(cid, here)
    return len(ids)












def update_cooperation(m: "SamenModel") -> None:
    """Conditional cooperation (Fischbacher & Gaechter 2010, AER 100(1); Ostrom 2000, JEP 14(3)).

    The mean contribution of a collective's members next quarter is the mix, over its
    members' types, of: conditional cooperators matching ``slope * current`` (plus a small
    warm-glow floor), free riders 0, hump-shaped ``min(current, 1 - current)`` and
    unconditional cooperators 1. A meeting place adds ``communication_boost`` to the slope;
    regulation removes ``crowding_out * regulatory_burden``.
    """
    p, c, t = m.p, m.citizens, m.collective_table
    n = t.n
    if n == 0:
        return
    member = c.member_of >= 0
    coop_type = np.broadcast_to(c.coop_type[:, None], member.shape)[member]
    counts = np.bincount(c.member_of[member] * 4 + coop_type, minlength=4 * n).reshape(n, 4).astype(np.float64)
    total = counts.sum(axis=1)
    mix = np.divide(counts, total[:, None], out=np.full_like(counts, 0.25), where=total[:, None] > 0)
    has_mp = m.meeting_places_per_locality()[t.view("locality")] > 0
    slope = p.cooperator_slope + p.communication_boost * has_mp - p.crowding_out * p.regulatory_burden
    cur = t.view("cooperation")
    nxt = (mix[:, 0] * np.clip(slope * cur + 0.1, 0, 1) + mix[:, 2] * np.minimum(cur, 1 - cur)
           + mix[:, 3] * 1.0)
    t.cooperation[:n] = np.where(t.view("active"), 0.5 * cur + 0.5 * nxt, cur)


def update_load_and_budget(m: "SamenModel") -> None:
    """Weekly work a collective needs, who carries it, and its quarterly budget (M3, M4).

    Work = board hours + hours per member + service hours + rule hours. Active members
    cover ``volunteer_hours * cooperation`` each; the rest falls on the board, whose load
    per board member is the remainder divided over ``board_min`` seats (fewer if the board
    is short). Money: fees, energy margin, grants and service income minus base cost,
    compliance cost and the running cost of any facility the collective runs.
    """
    p, c, t, f = m.p, m.citizens, m.collective_table, m.facilities
    n = t.n
    if n == 0:
        c.load[:] = 0
        return
    scale = p.population_scale
    kind = t.view("kind")
    members_res = t.view("members") * scale
    fac = t.view("facility")
    runs = fac >= 0
    service_hours = np.zeros(n)
    service_cost = np.zeros(n)
    service_income = np.zeros(n)
    if runs.any():
        fid = fac[runs]
        ftype = f.type[fid]
        service_hours[runs] = np.array([SERVICE_HOURS.get(FacilityType(int(x)), 30.0) for x in ftype])
        service_cost[runs] = f.cost[fid] * p.collective_cost_ratio
        service_income[runs] = m.facility_income(fid)
    work = (BASE_HOURS[kind] + HOURS_PER_MEMBER[kind] * members_res + service_hours
            + ADMIN_HOURS_FULL_BURDEN * p.regulatory_burden)
    volunteer_cover = t.view("volunteers") * scale * p.volunteer_hours * t.view("cooperation")
    residual = np.maximum(work - volunteer_cover, 0)
    board_fill = np.minimum(t.view("leaders") / m.board, 1.0)
    load = np.divide(residual, p.board_min * board_fill, out=np.full(n, np.inf), where=board_fill > 0)
    t.leader_load[:n] = np.where(t.view("active"), load, 0)
    # citizens' weekly load this quarter
    c.load[:] = 0
    member_any = any_per_citizen((c.member_of >= 0) & VOLUNTEERING_KIND) & c.active_now
    c.load[member_any] = p.volunteer_hours
    lead = c.leader_of >= 0
    c.load[lead] += np.minimum(t.leader_load[c.leader_of[lead]], 80).astype(np.float32)
    # money, per quarter
    income = (members_res * (p.member_fee_eur + MARGIN_PER_MEMBER[kind]) + service_income
              + t.view("heard") * p.grant_per_collective_eur) / 4
    cost = (BASE_COST[kind] + COMPLIANCE_COST_FULL_BURDEN[kind] * p.regulatory_burden + service_cost) / 4
    t.funds[:n] += np.where(t.view("active"), income - cost, 0)


def dissolve_failing(m: "SamenModel") -> None:
    """Dissolve failing collectives and record why.

    A collective fails without a board for LEADERLESS_QUARTERS, in debt for a year's costs, or
    by the background hazard; the cause recorded is leaders before money before background.
    """
    p, t = m.p, m.collective_table
    n = t.n
    if n == 0:
        return
    active = t.view("active")
    no_board = t.view("leaders") == 0
    t.leaderless_quarters[:n] = np.where(no_board & active, t.view("leaderless_quarters") + 1, 0)
    kind = t.view("kind")
    yearly_cost = BASE_COST[kind] + COMPLIANCE_COST_FULL_BURDEN[kind] * p.regulatory_burden
    broke = t.view("funds") < -yearly_cost
    hazard_year = np.where(kind == CollectiveKind.ENERGY, p.failure_hazard_energy, p.failure_hazard_other)
    background = m.rng.random(n) < 1 - (1 - hazard_year) ** 0.25
    cause = np.select([t.view("leaderless_quarters") >= LEADERLESS_QUARTERS, broke, background],
                      [FailureCause.LEADERS, FailureCause.MONEY, FailureCause.BACKGROUND], FailureCause.NONE)
    ending = np.flatnonzero(active & (cause != FailureCause.NONE))
    if len(ending):
        m.dissolve(ending, cause[ending])



