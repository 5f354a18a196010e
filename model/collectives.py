"""Citizen collectives at real size: founding, cooperation, money and dissolution (ODD 7.8-7.12).

A collective is a row of :class:`CollectiveTable`. Its members, volunteers and board are
counted in **residents** (they do not depend on ``population_scale``); membership flows
(joining, leaving, co-opting a board) and work, load and burnout are in membership.py.

- Founded where motivated, connected people, leaders and a need meet (after Ghorbani,
  Nascimento & Filatova 2020, ERSS 70:101782: a board is needed, initiators are the
  bottleneck), more easily with meeting places in reach (Klinenberg 2018), light rules and
  strong partnership; a logistic saturation caps the collectives a locality holds.
- Contributions follow conditional cooperation, which decays unless face-to-face
  communication (meeting places) sustains it, and which heavy rules crowd out (Fischbacher &
  Gaechter 2010, AER 100(1); Ostrom 2000, JEP 14(3) and Scand. Political Studies 23(1)).
- Money: fees, margins, grants and service income against fixed costs (lower with a venue
  in reach), compliance costs and the running cost of any service the collective runs.
- A collective ends when its board stays below quorum, its debt grows too large, or by a
  background hazard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from .grouping import sum_by_pair
from .kinds import (
    ACCESS_TYPES,
    NEVER,
    QUARTERS_PER_YEAR,
    CollectiveKind,
    CoopType,
    FacilityType,
    FailureCause,
    quarterly,
)
from .parameters import KIND_NAMES, Parameters
from .tables import Table

if TYPE_CHECKING:
    from .model import SamenModel

#: Iterations that find the rest point of the cooperation map (it converges geometrically).
FIXED_POINT_ITERATIONS = 30
#: Whether membership of a kind means volunteering at all (energy membership is an investment).
VOLUNTEERING_KIND = np.array([False, True, True, True])


def start_counts(p: Parameters) -> np.ndarray:
    """Collectives placed at the start, by kind (``start_energy_cooperatives`` ...).

    By default the Dutch counts of 1 January 2024 (ODD 5.1). Residents' facility collectives
    (shops, buurtbussen, centres) arise from closures during the spin-up and the run, so none
    is placed at the start.
    """
    return np.array([p.start_energy_cooperatives, p.start_care_collectives, 0,
                     p.start_neighbourhood_organisations])


def energy_founding_factor(m: "SamenModel", muni_energy: np.ndarray) -> np.ndarray:
    """Per locality: national support times the pull of examples nearby on founding an energy cooperative.

    ``energy_policy_support * (1 + energy_imitation * share of the province's municipalities
    with an energy cooperative)``: imitation in the sense of Bass (1969); the niche term
    (1 - C/K) of :func:`found_collectives` makes the count saturate.
    """
    p, mun = m.p, m.municipal
    region = mun.view("region")
    covered = np.bincount(region, weights=muni_energy > 0, minlength=m.regions.n)
    share = covered / np.maximum(np.bincount(region, minlength=m.regions.n), 1)
    return p.energy_policy_support * (1 + p.energy_imitation * share[region][m.localities.municipality])


def per_kind(p: Parameters, stem: str) -> np.ndarray:
    """The four declarations ``<stem>_energy`` ... ``<stem>_neighbourhood`` as an array by kind."""
    return np.array([getattr(p, f"{stem}_{k}") for k in KIND_NAMES])


class CollectiveTable(Table):
    """One row per collective ever founded (rows are never reused); people in residents."""

    FIELDS = {
        "kind": np.uint8, "locality": np.int32, "municipality": np.int32, "active": bool,
        "founded": np.int32, "dissolved": np.int32, "cause": np.uint8, "funds": np.float64,
        "members": np.int64, "volunteers": np.int64, "board": np.int64,
        "cooperation": np.float64,
        # members' shares of the four contribution types (CoopType order), in residents
        "mix_conditional": np.float64, "mix_free_rider": np.float64, "mix_hump": np.float64,
        "mix_unconditional": np.float64,
        "heard": bool, "denied": bool, "facility": np.int32,
        "leaderless_quarters": np.int32, "board_load": np.float64, "volunteer_load": np.float64,
        "unmet_hours": np.float64, "board_burnout": np.float64, "volunteer_burnout": np.float64,
        "rounding": np.float64,
        # citizens of the sample standing for its members, for those with a volunteer or board
        # role, and for its board (kept by membership.sync_citizens and release)
        "sample_members": np.int64, "sample_engaged": np.int64, "sample_board": np.int64,
    }
    DEFAULTS = {"active": True, "dissolved": NEVER, "facility": -1}

    @property
    def passive(self) -> np.ndarray:
        """Members who neither volunteer nor sit on the board (live rows)."""
        return self.view("members") - self.view("volunteers") - self.view("board")

    @property
    def mix(self) -> np.ndarray:
        """Members' shares of the contribution types, ``(n, 4)`` in :class:`CoopType` order."""
        return np.column_stack([self.view(c) for c in MIX_COLUMNS])

    def set_mix(self, rows: np.ndarray, mix: np.ndarray) -> None:
        """Set the type shares of ``rows`` from an ``(len(rows), 4)`` array."""
        for k, c in enumerate(MIX_COLUMNS):
            getattr(self, c)[rows] = mix[:, k]


#: The table's columns of members' type shares, in :class:`CoopType` order.
MIX_COLUMNS = ("mix_conditional", "mix_free_rider", "mix_hump", "mix_unconditional")


def add_members(m: "SamenModel", newcomers: np.ndarray) -> None:
    """``newcomers`` residents join each collective (live rows), with the population's type mix.

    Their types dilute the collective's own mix. Types do not select who joins or leaves
    (nothing in the evidence says they do), so leavers leave the mix as it is.
    """
    t = m.collective_table
    n = t.n
    total = t.view("members") + newcomers
    weight = np.divide(newcomers, total, out=np.zeros(n), where=total > 0)
    keep = 1 - weight
    # column by column, in place: the same operations on each share as on the (n, 4) table
    for column, share in zip(MIX_COLUMNS, coop_mix_shares(m.p), strict=True):
        values = t.view(column)
        values[:] = values * keep + share * weight
    t.members[:n] = total


def found_collectives(m: "SamenModel", initial_counts: np.ndarray | None = None) -> int:
    """Found new collectives in localities (vectorised over localities and kinds).

    Intensity per locality and kind:
    ``founding_rate * weight_kind * (leader share / national) * (active share / national)
    * (1 + boost * meeting effect) * need * (1 - C/K) * (1 - hurdle * burden)
    * (base + partnership)``, and ``P(found) = 1 - exp(-intensity)``; a locality needs
    ``board_min`` residents who could lead. Energy cooperatives' intensity is further multiplied by
    :func:`energy_founding_factor` (national support, examples nearby). With ``initial_counts``
    the same weights place
    the Dutch start-up counts instead (initialisation).
    """
    p, loc, t = m.p, m.localities, m.collective_table
    leader_share = m.leader_share()
    active_ratio = np.ones(loc.n) if initial_counts is not None else m.active_share() / m.reference.active_share
    need, room = _needs(m)
    live = t.view("active")
    existing = sum_by_pair(t.view("locality")[live], t.view("kind")[live], (loc.n, len(CollectiveKind)))
    # energy niches are counted per municipality (about one cooperative per local market)
    muni_energy = np.bincount(loc.municipality, weights=existing[:, CollectiveKind.ENERGY], minlength=m.municipal.n)
    saturation = np.clip(1 - existing / np.maximum(room, np.finfo(float).tiny), 0, 1)
    saturation[:, CollectiveKind.ENERGY] = np.clip(
        1 - muni_energy[loc.municipality] / m.municipal.energy_niches[loc.municipality], 0, 1)
    base = ((leader_share / m.reference.leader_share) * active_ratio
            * (1 + p.infrastructure_founding_boost * m.reach.meeting_effect)
            * (1 - p.founding_burden_hurdle * p.regulatory_burden) * (p.founding_partnership_base + p.partnership))
    weight = base[:, None] * per_kind(p, "founding_weight")[None, :] * need * saturation
    weight[:, CollectiveKind.ENERGY] *= energy_founding_factor(m, muni_energy)
    weight[m.potential_leaders() < p.board_min] = 0
    if initial_counts is not None:
        chosen = _place_initial(weight, initial_counts, m.rng)
    else:
        prob = -np.expm1(-p.founding_rate * weight)
        chosen = np.argwhere(m.rng.random(prob.shape) < prob)
    if len(chosen) == 0:
        return 0
    return len(create(m, chosen[:, 0], chosen[:, 1], initial=initial_counts is not None))


def _needs(m: "SamenModel") -> tuple[np.ndarray, np.ndarray]:
    """Need (0 up to ``facility_need_cap``) and room K per locality and kind."""
    p, loc = m.p, m.localities
    need = np.zeros((loc.n, len(CollectiveKind)))
    room = np.zeros_like(need)
    old_share = m.old_share / m.reference.old_share
    care_here = m.reach.access_by_type[:, ACCESS_TYPES.index(FacilityType.CARE)] >= 1
    need[:, CollectiveKind.ENERGY] = 1.0
    room[:, CollectiveKind.ENERGY] = 1.0
    need[:, CollectiveKind.CARE] = old_share * np.where(care_here, p.care_need_with_care_point, 1.0)
    room[:, CollectiveKind.CARE] = 1 + loc.residents // p.care_niche_residents
    lost = m.recent_closures()
    need[:, CollectiveKind.FACILITY] = np.minimum(lost, p.facility_need_cap)
    room[:, CollectiveKind.FACILITY] = lost
    need[:, CollectiveKind.NEIGHBOURHOOD] = 1.0
    room[:, CollectiveKind.NEIGHBOURHOOD] = 1 + loc.residents // p.neighbourhood_niche_residents
    return need, room


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


def create(m: "SamenModel", locs: np.ndarray, kinds: np.ndarray, initial: bool = False,
           rescue: bool = True) -> np.ndarray:
    """Add collectives with a founding board of ``board_min`` residents; return their ids.

    At the start (``initial``) a collective gets its kind's typical membership (log-normal
    around ``start_members_<kind>``, at most the locality's adults) and a share of volunteers.
    A new facility collective reopens a recently closed local facility (``rescue``), unless it
    is founded to take over a service being handed over (then the caller gives it one).
    """
    p, loc, t = m.p, m.localities, m.collective_table
    locs, kinds = np.asarray(locs, dtype=np.int64), np.asarray(kinds, dtype=np.int64)
    board = np.full(len(locs), p.board_min, dtype=np.int64)
    members = np.maximum(board, np.minimum(np.rint(p.founding_members), m.adult_residents[locs])).astype(np.int64)
    volunteers = m.rng.binomial(members - board, per_kind(p, "volunteer_share")[kinds])
    if initial:
        sigma = p.start_size_sd
        size = per_kind(p, "start_members")[kinds] * m.rng.lognormal(-sigma**2 / 2, sigma, len(locs))
        members = np.clip(np.rint(size), p.board_min, np.maximum(m.adult_residents[locs], p.board_min)).astype(np.int64)
        volunteers = m.rng.binomial(members - board, per_kind(p, "volunteer_share")[kinds])
    ids = t.add(kind=kinds, locality=locs, municipality=loc.municipality[locs], founded=m.quarter,
                members=members, volunteers=volunteers, board=board,
                cooperation=cooperation_rest_point(p, m.reach.meeting_effect[locs]),
                rounding=m.rng.random(len(locs)))
    # who the first members are is a draw of real size: a small collective's mix varies more
    t.set_mix(ids, m.rng.multinomial(members, coop_mix_shares(p)) / np.maximum(members, 1)[:, None])
    t.funds[ids] = p.startup_grant_years * fixed_cost(p, kinds, m.reach.meeting_effect[locs])
    if rescue:
        m.rescue_facilities(ids[kinds == CollectiveKind.FACILITY])
    return ids


def cooperation_rest_point(p: Parameters, meeting_effect: np.ndarray | float = 0.0) -> np.ndarray:
    """Rest point of a collective's contribution level.

    Contribution level a collective with the population's mix of types settles at, given the
    meeting-place effect in its locality (new collectives start there; hours and appeal are
    measured against the level without meeting places).
    """
    mix = coop_mix_shares(p)
    slope = np.asarray(cooperation_slope(p, np.asarray(meeting_effect)), dtype=np.float64)
    # update_cooperation's map (next_contribution) iterated in one compiled pass: a contraction,
    # and called for every collective founded one at a time (hand-overs, rescues)
    level = _rest_point_kernel(slope.ravel(), float(mix[CoopType.CONDITIONAL]), float(mix[CoopType.HUMP]),
                               float(mix[CoopType.UNCONDITIONAL]), float(p.warm_glow), FIXED_POINT_ITERATIONS)
    return level.reshape(slope.shape)


@njit(cache=True)
def _rest_point_kernel(slope, conditional, hump, unconditional, warm_glow, iterations):  # pragma: no cover
    """:func:`next_contribution` iterated from the warm glow, per slope.

    With the population's mix, ``iterations`` times; the same operations in the same order as
    :func:`next_contribution`, so the same bits (``tests/test_rules.py`` pins it).
    """
    out = np.empty(len(slope))
    for i in range(len(slope)):
        level = warm_glow
        for _ in range(iterations):
            level = (conditional * min(max(slope[i] * level + warm_glow, 0.0), 1.0)
                     + hump * min(level, 1.0 - level) + unconditional)
        out[i] = level
    return out


def cooperation_slope(p: Parameters, meeting_effect: np.ndarray) -> np.ndarray:
    """Conditional cooperators' response to the others' contribution.

    Meeting places in reach raise it; regulation crowds it out.
    """
    return p.cooperator_slope + p.communication_boost * meeting_effect - p.crowding_out * p.regulatory_burden


def next_contribution(mix: np.ndarray, level: np.ndarray, slope: np.ndarray, warm_glow: float) -> np.ndarray:
    """Mean contribution next quarter of members with type shares ``mix`` (types first) at ``level``.

    Conditional cooperators match ``slope * level`` plus a warm glow, free riders give 0,
    hump-shaped contributors ``min(level, 1 - level)``, unconditional cooperators 1.
    """
    return (mix[CoopType.CONDITIONAL] * np.clip(slope * level + warm_glow, 0, 1)
            + mix[CoopType.HUMP] * np.minimum(level, 1 - level) + mix[CoopType.UNCONDITIONAL])


def coop_mix_shares(p: Parameters) -> np.ndarray:
    """Population shares of the four contribution types (the rest are unconditional)."""
    shares = np.array([p.conditional_cooperator_share, p.free_rider_share, p.hump_share])
    return np.append(shares, max(0.0, 1 - shares.sum())) / max(1.0, shares.sum())


def update_cooperation(m: "SamenModel") -> None:
    """Conditional cooperation (Fischbacher & Gaechter 2010; Ostrom 2000).

    The mean contribution of a collective's members next quarter is the mix, over its
    members' types, of: conditional cooperators matching ``slope * current`` plus a warm
    glow, free riders 0, hump-shaped ``min(current, 1 - current)`` and unconditional
    cooperators 1. Meeting places in reach add ``communication_boost`` to the slope (scaled
    by their effect); regulation removes ``crowding_out * regulatory_burden``. The mix is
    that of the collective's members in residents (drawn at founding, diluted by newcomers),
    so it does not depend on ``population_scale``.
    """
    p, t = m.p, m.collective_table
    n = t.n
    if n == 0:
        return
    slope = cooperation_slope(p, m.reach.meeting_effect[t.view("locality")])
    cur = t.view("cooperation")
    nxt = next_contribution(t.mix.T, cur, slope, p.warm_glow)
    t.cooperation[:n] = np.where(t.view("active"), cur + p.cooperation_smoothing * (nxt - cur), cur)


def fixed_cost(p: Parameters, kind: np.ndarray, meeting_effect: np.ndarray) -> np.ndarray:
    """Yearly fixed cost of collectives of ``kind``.

    Base cost, less with a venue in reach (``venue_saving_share`` times the meeting-place
    effect), plus the cost of rules.
    """
    venue = 1 - p.venue_saving_share * meeting_effect
    return per_kind(p, "base_cost")[kind] * venue + per_kind(p, "compliance_cost")[kind] * p.regulatory_burden


def fixed_costs(m: "SamenModel") -> np.ndarray:
    """Yearly fixed cost of every collective (:func:`fixed_cost`)."""
    t = m.collective_table
    return fixed_cost(m.p, t.view("kind"), m.reach.meeting_effect[t.view("locality")])


def update_budget(m: "SamenModel") -> None:
    """A quarter's money.

    Fees, margins, grants and service income against fixed costs and the running cost of any
    service the collective runs (at ``collective_cost_ratio``).
    """
    p, t, f = m.p, m.collective_table, m.facilities
    n = t.n
    if n == 0:
        return
    kind = t.view("kind")
    fac = t.view("facility")
    runs = fac >= 0
    service_cost = np.zeros(n)
    service_income = np.zeros(n)
    if runs.any():
        fid = fac[runs]
        service_cost[runs] = f.cost[fid] * p.collective_cost_ratio
        service_income[runs] = m.facility_income(fid)
    income = (t.view("members") * (p.member_fee_eur + per_kind(p, "margin_per_member")[kind]) + service_income
              + t.view("heard") * p.grant_per_collective_eur)
    cost = fixed_costs(m) + service_cost
    t.funds[:n] += np.where(t.view("active"), (income - cost) / QUARTERS_PER_YEAR, 0)


def dissolve_failing(m: "SamenModel") -> None:
    """Dissolve failing collectives and record why.

    Dissolve collectives without a board for ``leaderless_quarters``, in debt for more than
    ``debt_tolerance_years`` of fixed costs, or by the background hazard; record the cause
    (leaders before money before background).
    """
    p, t = m.p, m.collective_table
    n = t.n
    if n == 0:
        return
    active = t.view("active")
    no_board = t.view("board") < p.leaderless_board_share * p.board_min
    t.leaderless_quarters[:n] = np.where(no_board & active, t.view("leaderless_quarters") + 1, 0)
    broke = t.view("funds") < -p.debt_tolerance_years * fixed_costs(m)
    kind = t.view("kind")
    hazard_year = np.where(kind == CollectiveKind.ENERGY, p.failure_hazard_energy, p.failure_hazard_other)
    background = m.rng.random(n) < quarterly(hazard_year)
    cause = np.select([t.view("leaderless_quarters") >= p.leaderless_quarters, broke, background],
                      [FailureCause.LEADERS, FailureCause.MONEY, FailureCause.BACKGROUND], FailureCause.NONE)
    ending = np.flatnonzero(active & (cause != FailureCause.NONE))
    if len(ending):
        m.dissolve(ending, cause[ending])
