"""Membership at real size: who joins, leads and leaves, their work and burnout (ODD 7.9-7.13).

Collectives count members, volunteers and board in **residents**, so the same collective
has the same size whatever ``population_scale``; flows are binomial draws over residents:

- **stepping back and leaving**: volunteers and board members stop at ``exit_base`` (board:
  ``board_exit_base``) plus ``exit_burnout`` times their group's burnout (Allen & Mueller 2013, J. Community Psychology
  41(2): burnout predicts the intention to quit) and stay on as passive members, who lapse at
  ``member_exit_rate`` or take up volunteering again;
- **joining** through ties: a resident not yet in a collective of the kind joins with
  probability ``join_rate * appeal * P(a tie to a member)`` (recruitment through networks,
  Verba, Schlozman & Brady 1995); a share of joiners volunteers;
- **boards** are filled by co-opting people who could lead, more easily where many can;
- **work** (board work, work per member, a service the collective runs, rules) falls on
  volunteers first, the rest on the board; nobody gives more than ``max_weekly_hours``, work
  beyond that stays undone and strains everyone; load above capacity raises a group's
  burnout, a hearing in a responsive municipality relieves it.

The simulated citizens are a sample of the residents: :func:`sync_citizens` gives each
citizen a role per kind so that the sample matches the collectives' counts (persistent
stochastic rounding: a collective of ``x`` residents holds ``floor(x / scale + u)`` citizens
for a fixed ``u ~ U(0, 1)``, which is ``x / scale`` on average). Who joins is drawn with
weights that follow the resources of participation (the propensity to volunteer, flattened
by ``outreach``); who leads follows leadership potential.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from .collectives import VOLUNTEERING_KIND, add_members, per_kind
from .grouping import rank_within, sum_by_pair, top_per_group
from .kinds import (
    N_COLLECTIVE_KINDS,
    CollectiveKind,
    FacilityType,
    Role,
    quarterly,
)
from .participation import propensity

if TYPE_CHECKING:
    from .model import SamenModel


def _volunteering_flows(m: "SamenModel") -> tuple[np.ndarray, np.ndarray]:
    """Quarterly probabilities of stepping back and of taking up volunteering again.

    Quarterly probabilities that a volunteer steps back and that a passive member takes up
    volunteering again, per collective (live rows).
    """
    p, t = m.p, m.collective_table
    share = per_kind(p, "volunteer_share")[t.view("kind")]
    down = quarterly(p.exit_base + p.exit_burnout * t.view("volunteer_burnout"))
    back = quarterly(p.exit_base * np.divide(share, 1 - share, out=np.ones(t.n), where=share < 1))
    return down, np.where(share > 0, back, 0.0)


def settle_volunteers(m: "SamenModel") -> None:
    """Set volunteers to their rest point (set-up).

    Set every collective's volunteers to the rest point of stepping back and taking up
    volunteering again (set-up): ``volunteers / passive = back / down``.
    """
    t = m.collective_table
    down, back = _volunteering_flows(m)
    free = t.view("members") - t.view("board")
    share = np.divide(back, back + down, out=np.zeros(t.n), where=back + down > 0)
    t.volunteers[:t.n] = np.rint(free * share).astype(np.int64)


def leave_collectives(m: "SamenModel") -> None:
    """Volunteers and board members step back (base rate plus burnout) and stay passive members.

    Passive members lapse at ``member_exit_rate``; passive members of volunteering kinds take up
    volunteering again at ``exit_base * share / (1 - share)``, so that without burnout a
    collective keeps its kind's ``volunteer_share``.
    """
    p, t = m.p, m.collective_table
    n = t.n
    if n == 0:
        return
    active = t.view("active")
    board, volunteers, passive = t.view("board"), t.view("volunteers"), t.passive
    q_board = quarterly(p.board_exit_base + p.exit_burnout * t.view("board_burnout"))
    q_vol, q_back = _volunteering_flows(m)
    down_board = np.where(active, m.rng.binomial(board, q_board), 0)
    down_vol = np.where(active, m.rng.binomial(volunteers, q_vol), 0)
    lapse = np.where(active, m.rng.binomial(passive, quarterly(p.member_exit_rate)), 0)
    back = np.where(active, m.rng.binomial(passive - lapse, q_back), 0)
    t.board[:n] -= down_board
    t.volunteers[:n] += back - down_vol
    t.members[:n] -= lapse


def recruit_members(m: "SamenModel") -> None:
    """Residents join through ties to members, a logistic diffusion up to the collective's room.

    Room ``K`` is ``max_members_<kind>``, at most the adults of the locality (of the
    municipality for energy cooperatives, which serve a local market) left over by other
    collectives of the kind. Of the ``K - members`` who could join, each does with probability
    ``join_rate * appeal * local_tie_share * members / K`` (the chance that the tie sampled
    this quarter is a member, among those who could join). Appeal is the collective's
    cooperation times the locality's motivation (and, for volunteering kinds, its activity)
    relative to the national level at the start.
    """
    p, t, loc = m.p, m.collective_table, m.localities
    n = t.n
    if n == 0:
        return
    active = t.view("active")
    kind, where = t.view("kind"), t.view("locality")
    members = t.view("members")
    same_kind = sum_by_pair(where[active], kind[active], (loc.n, N_COLLECTIVE_KINDS), members[active])
    adults = m.adult_residents[where]
    others = same_kind[where, kind] - members
    energy = kind == CollectiveKind.ENERGY
    if energy.any():  # energy cooperatives recruit across their municipality
        muni = loc.municipality[where[energy]]
        muni_adults = np.bincount(loc.municipality, weights=m.adult_residents, minlength=m.municipal.n)
        muni_energy = np.bincount(loc.municipality, weights=same_kind[:, CollectiveKind.ENERGY],
                                  minlength=m.municipal.n)
        adults[energy] = muni_adults[muni]
        others[energy] = muni_energy[muni] - members[energy]
    room = np.minimum(per_kind(p, "max_members")[kind], np.maximum(adults - others, 0))
    room = np.maximum(room, members)
    motivation = m.locality_motivation[where] / m.reference.motivation
    activity = np.where(VOLUNTEERING_KIND[kind],
                        m.active_share()[where] / m.reference.active_share, 1.0)
    contact = p.local_tie_share * np.divide(members, room, out=np.zeros(n), where=room > 0)
    appeal = t.view("cooperation") / m.reference.cooperation * motivation * activity
    prob = np.clip(per_kind(p, "join_rate")[kind] * appeal * contact, 0, 1)
    joins = np.where(active, m.rng.binomial(np.rint(room - members).astype(np.int64), prob), 0)
    new_volunteers = m.rng.binomial(joins, per_kind(p, "volunteer_share")[kind])
    add_members(m, joins)
    t.volunteers[:n] += new_volunteers


def fill_boards(m: "SamenModel") -> None:
    """Boards short of ``board_min`` co-opt.

    Each vacancy is filled with probability ``coopt_rate * (1 - exp(-candidates / board_min))``,
    candidates being the locality's residents who could lead; volunteers step up first, then
    passive members, then newcomers.
    """
    p, t = m.p, m.collective_table
    n = t.n
    if n == 0:
        return
    loc = t.view("locality")
    deficit = np.where(t.view("active"), np.maximum(p.board_min - t.view("board"), 0), 0)
    candidates = m.potential_leaders()[loc]
    filled = m.rng.binomial(deficit, p.coopt_rate * -np.expm1(-candidates / p.board_min))
    from_volunteers = np.minimum(filled, t.view("volunteers"))
    from_passive = np.minimum(filled - from_volunteers, t.passive)
    newcomers = filled - from_volunteers - from_passive
    t.board[:n] += filled
    t.volunteers[:n] -= from_volunteers
    add_members(m, newcomers)


def service_hours(m: "SamenModel", fid: np.ndarray) -> np.ndarray:
    """Volunteer hours per week that running each of the facilities ``fid`` takes."""
    p = m.p
    hours = np.zeros(FacilityType.MEETING + 1)
    hours[[FacilityType.SHOP, FacilityType.CARE, FacilityType.TRANSPORT, FacilityType.MEETING]] = (
        p.service_hours_shop, p.service_hours_care, p.service_hours_transport, p.service_hours_meeting)
    return hours[m.facilities.type[fid]]


def work_and_burnout(m: "SamenModel", heard_weight: np.ndarray, settle: bool = False) -> None:
    """Who carries the work this quarter, and how the load moves each group's burnout.

    Board work (``board_hours`` plus rules) is the board's; member work (per member, plus a
    service the collective runs) falls on volunteers at ``volunteer_hours`` each, scaled by the
    collective's cooperation relative to its rest point at the start; the rest on the board.
    Nobody gives more than ``max_weekly_hours``: what the board cannot carry spills to the
    volunteers, and what they cannot carry stays undone and strains both groups.
    ``B <- B (1 - recovery) + gain * excess - relief * hearing``, where excess is load above
    capacity (Allen & Mueller 2013), and ``heard_weight`` is the collective's hearing times its
    municipality's responsiveness. ``settle`` sets burnout to the rest point of this
    quarter's load instead (set-up).
    """
    p, t = m.p, m.collective_table
    n = t.n
    if n == 0:
        return
    kind = t.view("kind")
    board = t.view("board").astype(np.float64)
    volunteers = t.view("volunteers").astype(np.float64)
    fac = t.view("facility")
    service = np.zeros(n)
    service[fac >= 0] = service_hours(m, fac[fac >= 0])
    board_work = per_kind(p, "board_hours")[kind] + p.admin_hours_full_burden * p.regulatory_burden
    member_work = per_kind(p, "hours_per_member")[kind] * t.view("members") + service
    own_hours = np.minimum(p.volunteer_hours * t.view("cooperation") / m.reference.cooperation, p.max_weekly_hours)
    board_need = board_work + np.maximum(member_work - volunteers * own_hours, 0)
    board_load = np.minimum(np.divide(board_need, board, out=np.zeros(n), where=board > 0), p.max_weekly_hours)
    spill = board_need - board * board_load
    extra = np.minimum(np.divide(spill, volunteers, out=np.zeros(n), where=volunteers > 0),
                       p.max_weekly_hours - own_hours)
    unmet = spill - volunteers * extra
    volunteer_load = own_hours + extra
    strain = unmet / np.maximum(board + volunteers, 1)
    active = t.view("active")
    t.board_load[:n] = np.where(active, board_load, 0)
    t.volunteer_load[:n] = np.where(active, volunteer_load, 0)
    t.unmet_hours[:n] = np.where(active, unmet, 0)
    relief = p.burnout_voice_relief * heard_weight
    board_excess = np.maximum(board_load - p.leader_capacity_hours, 0) + strain
    vol_excess = np.maximum(volunteer_load - p.volunteer_capacity_hours, 0) + strain
    for column, excess in (("board_burnout", board_excess), ("volunteer_burnout", vol_excess)):
        drive = p.burnout_gain * excess - relief
        level = drive / p.burnout_recovery if settle else getattr(t, column)[:n] * (1 - p.burnout_recovery) + drive
        getattr(t, column)[:n] = np.where(active, np.clip(level, 0, 1), 0)


def citizens_burnout(m: "SamenModel") -> None:
    """A citizen's burnout is their group's in the collective where they give most.

    It fades at ``burnout_recovery`` for those without a volunteer or board role.
    """
    c, t = m.citizens, m.collective_table
    by_role = np.zeros((t.n + 1, len(Role)))  # row t.n serves citizens without a collective
    by_role[:t.n, Role.VOLUNTEER] = t.view("volunteer_burnout")
    by_role[:t.n, Role.BOARD] = t.view("board_burnout")
    involved = np.flatnonzero(m.top_role() >= Role.VOLUNTEER)
    c.burnout *= np.float32(1 - m.p.burnout_recovery)
    c.burnout[involved] = by_role[c.member_of[involved], c.role[involved]].max(axis=1)


def release(m: "SamenModel", ids: np.ndarray) -> None:
    """Free the citizens who stood for members of dissolved collectives."""
    c = m.citizens
    t = m.collective_table
    gone = np.zeros(t.n, dtype=bool)
    gone[ids] = True
    _release_kernel(c.member_of, c.role, gone, np.uint8(Role.NONE))
    for column in SAMPLE_COLUMNS.values():
        getattr(t, column)[ids] = 0


@njit(cache=True)
def _release_kernel(member_of, role, gone, none):  # pragma: no cover - compiled
    """Unflag, in place, every membership of a collective marked ``gone`` (one pass)."""
    for i in range(member_of.shape[0]):
        for k in range(member_of.shape[1]):
            col = member_of[i, k]
            if col >= 0 and gone[col]:
                member_of[i, k] = -1
                role[i, k] = none


# ---- the citizen sample of the collectives' counts --------------------------------------------



def _weighted_key(m: "SamenModel", weight: np.ndarray) -> np.ndarray:
    """Keys whose top-k per group is a weighted sample without replacement.

    The keys are ``log(u) / w`` (Efraimidis & Spirakis 2006).
    """
    u = m.rng.random(len(weight))
    return np.log(u) / np.maximum(weight, np.finfo(float).tiny)


#: The counts of the citizen sample kept per collective, from the lowest role up.
SAMPLE_COLUMNS = {Role.MEMBER: "sample_members", Role.VOLUNTEER: "sample_engaged", Role.BOARD: "sample_board"}


def _wanted(m: "SamenModel") -> dict:
    """Citizens each collective should have at each role or above (persistent stochastic rounding)."""
    t, scale = m.collective_table, m.p.population_scale
    u, live = t.view("rounding"), t.view("active")
    residents = {Role.MEMBER: t.view("members"), Role.VOLUNTEER: t.view("volunteers") + t.view("board"),
                 Role.BOARD: t.view("board")}
    return {r: np.where(live, np.floor(x / scale + u), 0).astype(np.int64) for r, x in residents.items()}


def _citizens_of(m: "SamenModel", places: np.ndarray) -> np.ndarray:
    """Indices of the citizens of the localities ``places`` (each locality is a contiguous slice)."""
    loc = m.localities
    lengths = loc.n_citizens[places]
    starts = np.repeat(loc.start[places] - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
    return starts + np.arange(lengths.sum())


def sync_citizens(m: "SamenModel") -> None:
    """Give citizens roles so that the sample matches every collective's counts in residents.

    For each collective with ``x`` residents in a role or above it, ``floor(x / scale + u)``
    citizens of its locality hold that role or a higher one (members, then volunteers and
    board, then board). Changes are as few as possible: excess citizens leave (lowest roles
    first), missing ones join from the locality's adults (weighted by their propensity to
    volunteer raised to ``1 - outreach``), and roles move up or down inside the collective
    (leaders by leadership potential). Only collectives whose wanted counts differ from the
    sample's are touched, and only the citizens of their localities are read.
    """
    c, t = m.citizens, m.collective_table
    if t.n == 0:
        return
    want = _wanted(m)
    stale = np.zeros(t.n, dtype=bool)
    for level, column in SAMPLE_COLUMNS.items():
        stale |= want[level] != t.view(column)
    if not stale.any():
        return
    places = np.unique(t.view("locality")[stale])
    pool = _citizens_of(m, places)
    # every collective of those localities has all its citizens in the pool
    scope = np.isin(t.view("locality"), places)
    potential = m.leader_potential()[pool]
    for k in range(N_COLLECTIVE_KINDS):
        in_kind = scope & (t.view("kind") == k)
        if not (stale & in_kind).any():
            continue
        col, role = _gather_kind(c.member_of, c.role, pool, k)
        flagged = np.flatnonzero(col >= 0)
        have = np.bincount(col[flagged], minlength=t.n)
        # too many in the sample: the lowest roles leave first
        excess = np.where(in_kind, have - want[Role.MEMBER], 0)
        if (excess > 0).any():
            cand = flagged[excess[col[flagged]] > 0]
            out = cand[top_per_group(col[cand], -(role[cand] + m.rng.random(len(cand))), excess)]
            col[out] = -1
            role[out] = Role.NONE
        # too few: adults of the locality join, weighted by their resources
        deficit = np.where(in_kind, np.maximum(want[Role.MEMBER] - have, 0), 0)
        if deficit.any():
            _join(m, pool, col, role, deficit)
        _set_roles(m, col, role, in_kind, want, potential)
        _scatter_kind(c.member_of, c.role, pool, k, col, role)
    _count_sample(m, pool, np.flatnonzero(scope))


@njit(cache=True)
def _gather_kind(member_of, role, pool, k):  # pragma: no cover - compiled
    """``member_of[pool, k]`` and ``role[pool, k]`` in one pass (fancy indexing copies twice)."""
    col = np.empty(len(pool), dtype=member_of.dtype)
    r = np.empty(len(pool), dtype=role.dtype)
    for j in range(len(pool)):
        col[j] = member_of[pool[j], k]
        r[j] = role[pool[j], k]
    return col, r


@njit(cache=True)
def _scatter_kind(member_of, role, pool, k, col, r):  # pragma: no cover - compiled
    """``member_of[pool, k], role[pool, k] = col, r`` in one pass."""
    for j in range(len(pool)):
        member_of[pool[j], k] = col[j]
        role[pool[j], k] = r[j]


@njit(cache=True)
def _free_adults(pool, adult, col, locality, wanted_here):  # pragma: no cover - compiled
    """Positions in ``pool`` of adults outside the kind (``col < 0``) in a locality that wants some."""
    out = np.empty(len(pool), dtype=np.int64)
    n = 0
    for j in range(len(pool)):
        i = pool[j]
        if adult[i] and col[j] < 0 and wanted_here[locality[i]] > 0:
            out[n] = j
            n += 1
    return out[:n].copy()


def _count_sample(m: "SamenModel", pool: np.ndarray, ids: np.ndarray) -> None:
    """Recount the citizen sample of some collectives.

    Recount the sample's members, engaged and board of the collectives ``ids``, whose citizens
    are all in ``pool``.
    """
    c, t = m.citizens, m.collective_table
    counts = _count_roles(c.member_of, c.role, pool, t.n, len(SAMPLE_COLUMNS))
    for level, column in SAMPLE_COLUMNS.items():
        getattr(t, column)[ids] = counts[ids, level - Role.MEMBER]


@njit(cache=True)
def _count_roles(member_of, role, pool, n_collectives, n_levels):  # pragma: no cover - compiled
    """Per collective: citizens of ``pool`` holding at least member, volunteer, board (one pass).

    ``n_levels`` roles above NONE are counted; column ``j`` counts roles ``>= j + 1``.
    """
    counts = np.zeros((n_collectives, n_levels), dtype=np.int64)
    for i in pool:
        for k in range(member_of.shape[1]):
            col = member_of[i, k]
            if col >= 0:
                for level in range(min(role[i, k], n_levels)):
                    counts[col, level] += 1
    return counts


def _join(m: "SamenModel", pool: np.ndarray, col: np.ndarray, role: np.ndarray, deficit: np.ndarray) -> None:
    """Fill ``deficit[c]`` places of the collectives with unflagged adults of their locality.

    ``col`` and ``role`` are the kind's columns for the citizens ``pool`` (changed in place).
    Candidates are weighted by their propensity to volunteer raised to ``1 - outreach``,
    computed for the candidates alone (most of the pool is not one).
    """
    c, t, loc = m.citizens, m.collective_table, m.localities
    needy = np.flatnonzero(deficit)
    slots = np.repeat(needy, deficit[needy])  # one entry per missing citizen
    wanted_here = np.bincount(t.locality[slots], minlength=loc.n)
    free = _free_adults(pool, c.adult, col, c.locality, wanted_here)
    if len(free) == 0:
        return
    where = c.locality[pool[free]]
    weight = propensity(m, pool[free]) ** (1 - m.p.outreach)
    chosen = free[top_per_group(where, _weighted_key(m, weight), wanted_here)]
    # match the chosen (ranked by locality) to the slots (ranked by locality)
    chosen = chosen[np.argsort(c.locality[pool[chosen]], kind="stable")]
    slots = slots[np.argsort(t.locality[slots], kind="stable")]
    got = np.bincount(c.locality[pool[chosen]], minlength=loc.n)
    keep = rank_within(t.locality[slots]) < got[t.locality[slots]]
    col[chosen] = slots[keep]
    role[chosen] = Role.MEMBER


def _set_roles(m: "SamenModel", col: np.ndarray, role: np.ndarray, in_kind: np.ndarray, want: dict,
               potential: np.ndarray) -> None:
    """Move roles inside collectives to match their wanted counts.

    Move roles inside the collectives ``in_kind`` (one kind) to match their wanted counts
    (``col``, ``role`` and ``potential`` are the pool's; changed in place).

    Board first (by leadership potential), then volunteers (at random).
    """
    t = m.collective_table
    n = t.n
    for level, lower in ((Role.BOARD, Role.VOLUNTEER), (Role.VOLUNTEER, Role.MEMBER)):
        members = np.flatnonzero(col >= 0)
        at = members[role[members] >= level]
        have = np.bincount(col[at], minlength=n)
        target = want[level]
        excess = np.where(in_kind, have - target, 0)
        if (excess > 0).any():
            cand = at[excess[col[at]] > 0]
            if level == Role.VOLUNTEER:
                cand = cand[role[cand] == Role.VOLUNTEER]  # board members stay; volunteers step back
            down = cand[top_per_group(col[cand], m.rng.random(len(cand)), excess)]
            role[down] = lower
        short = np.where(in_kind, target - have, 0)
        if (short > 0).any():
            below = members[(role[members] < level) & (short[col[members]] > 0)]
            key = m.rng.random(len(below)) + role[below] + (potential[below] * len(Role) if level == Role.BOARD else 0)
            up = below[top_per_group(col[below], key, short)]
            role[up] = level
