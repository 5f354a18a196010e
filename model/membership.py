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

from . import threads
from .citizens import top_role_of
from .collectives import VOLUNTEERING_KIND, add_members, per_kind
from .grouping import rank_within, sum_by_pair, top_k, top_per_group
from .kinds import (
    N_COLLECTIVE_KINDS,
    CollectiveKind,
    FacilityType,
    Role,
    quarterly,
)
from .participation import logit_inputs, volunteering_logit
from .threads import map_parts, run_parts, uniform
from .threads import run as run_split

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
    by_role = np.zeros((t.n, len(Role)))
    by_role[:, Role.VOLUNTEER] = t.view("volunteer_burnout")
    by_role[:, Role.BOARD] = t.view("board_burnout")
    run_split(_burnout_kernel, c.n, c.member_of, c.role, by_role, np.float32(1 - m.p.burnout_recovery),
              np.uint8(Role.VOLUNTEER), c.burnout)


@njit(cache=True, nogil=True)
def _burnout_kernel(member_of, role, by_role, keep, volunteer, burnout, lo, hi):  # pragma: no cover - compiled
    """Citizens ``lo:hi``: volunteers and board members take the largest burnout of their groups; the others recover."""
    for i in range(np.uint64(lo), np.uint64(hi)):  # unsigned: see model/threads.py
        if top_role_of(role, i) < volunteer:
            burnout[i] = burnout[i] * keep
            continue
        largest = 0.0  # a membership without a volunteer or board role counts 0
        for k in range(role.shape[1]):
            if member_of[i, k] >= 0:
                largest = max(largest, by_role[member_of[i, k], role[i, k]])
        burnout[i] = largest


def release(m: "SamenModel", ids: np.ndarray) -> None:
    """Free the citizens who stood for members of dissolved collectives.

    Only the citizens of those collectives' localities are read: a collective's citizens live
    in its locality.
    """
    c = m.citizens
    t = m.collective_table
    gone = np.zeros(t.n, dtype=bool)
    gone[ids] = True
    pool = _citizens_of(m, np.unique(t.locality[ids]))
    _release_kernel(c.member_of, c.role, pool, gone, np.uint8(Role.NONE))
    for column in SAMPLE_COLUMNS.values():
        getattr(t, column)[ids] = 0


@njit(cache=True)
def _release_kernel(member_of, role, pool, gone, none):  # pragma: no cover - compiled
    """Unflag, in place, every membership of citizens ``pool`` in a collective marked ``gone`` (one pass)."""
    for i in pool:
        for k in range(member_of.shape[1]):
            col = member_of[i, k]
            if col >= 0 and gone[col]:
                member_of[i, k] = -1
                role[i, k] = none


# ---- the citizen sample of the collectives' counts --------------------------------------------


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
    if len(places) == loc.n:  # every locality: all citizens, in order (the 1:1 country's usual case)
        return np.arange(m.citizens.n)
    lengths = loc.n_citizens[places]
    starts = np.repeat(loc.start[places] - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
    return starts + np.arange(lengths.sum())


def _pool_parts(m: "SamenModel", pool: np.ndarray) -> list[tuple[int, int]]:
    """The pool's positions split as model/threads.py splits citizens, each range whole localities.

    The pool is whole localities, each a run of consecutive citizens (:func:`_citizens_of`),
    so a range ends where the locality of its last position ends.
    """
    loc, cuts = m.localities, [0]
    for _, hi in threads.ranges(len(pool))[:-1]:
        if hi <= cuts[-1]:
            continue
        last = m.citizens.locality[pool[hi - 1]]
        end = hi + (loc.start[last] + loc.n_citizens[last] - 1 - pool[hi - 1])  # past that locality
        if cuts[-1] < end < len(pool):
            cuts.append(int(end))
    cuts.append(len(pool))
    return list(zip(cuts[:-1], cuts[1:], strict=True))


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
    # the pool is every citizen when every locality is stale: no copy then
    potential = m.leader_potential() if len(pool) == c.n else m.leader_potential()[pool]
    parts = _pool_parts(m, pool)
    for k in range(N_COLLECTIVE_KINDS):
        in_kind = scope & (t.view("kind") == k)
        if not (stale & in_kind).any():
            continue
        col, role, have = _gather_kind(m, pool, parts, k)
        # too many in the sample: the lowest roles leave first
        excess = np.where(in_kind, have - want[Role.MEMBER], 0)
        if (excess > 0).any():
            cand = _members_of(col, excess > 0)
            out = cand[top_per_group(col[cand], -(role[cand] + m.rng.random(len(cand))), excess)]
            col[out] = -1
            role[out] = Role.NONE
        # too few: adults of the locality join, weighted by their resources
        deficit = np.where(in_kind, np.maximum(want[Role.MEMBER] - have, 0), 0)
        if deficit.any():
            _join(m, pool, parts, col, role, deficit)
        _set_roles(m, col, role, in_kind, want, potential)
        run_parts(_scatter_kind, parts, c.member_of, c.role, pool, k, col, role)
    _count_sample(m, pool, parts, np.flatnonzero(scope))


def _gather_kind(m: "SamenModel", pool: np.ndarray, parts: list, k: int) -> tuple[np.ndarray, ...]:
    """``member_of[pool, k]``, ``role[pool, k]`` and the citizens per collective (split over ``parts``)."""
    c, n_collectives = m.citizens, m.collective_table.n
    col = np.empty(len(pool), dtype=c.member_of.dtype)
    r = np.empty(len(pool), dtype=c.role.dtype)
    have = np.zeros((len(parts), n_collectives), dtype=np.int64)
    run_parts(_gather_kernel, parts, c.member_of, c.role, pool, k, col, r, have)
    return col, r, have.sum(axis=0)  # counts: their sum does not depend on the split


@njit(cache=True, nogil=True)
def _gather_kernel(member_of, role, pool, k, col, r, have, part, lo, hi):  # pragma: no cover - compiled
    """Pool positions ``lo:hi``: ``col``, ``r`` and ``have[part]`` of :func:`_gather_kind`, in one pass."""
    for j in range(np.uint64(lo), np.uint64(hi)):  # unsigned: see model/threads.py
        col[j] = member_of[pool[j], k]
        r[j] = role[pool[j], k]
        if col[j] >= 0:
            have[part, col[j]] += 1


@njit(cache=True)
def _members_of(col, selected):  # pragma: no cover - compiled
    """Positions ``j`` (ascending) whose collective ``col[j]`` is ``selected`` (``-1``: none)."""
    out = np.empty(len(col), dtype=np.int64)
    n = 0
    for j in range(len(col)):
        if col[j] >= 0 and selected[col[j]]:
            out[n] = j
            n += 1
    return out[:n].copy()


@njit(cache=True, nogil=True)
def _scatter_kind(member_of, role, pool, k, col, r, part, lo, hi):  # pragma: no cover - compiled
    """``member_of[pool, k], role[pool, k] = col, r`` for pool positions ``lo:hi``, in one pass."""
    for j in range(np.uint64(lo), np.uint64(hi)):  # unsigned: see model/threads.py
        member_of[pool[j], k] = col[j]
        role[pool[j], k] = r[j]


@njit(inline="always")
def _is_free(i, j, adult, col, locality, wanted_here):
    """Citizen ``i`` (pool position ``j``) is an adult outside the kind in a locality that wants some."""
    return adult[i] & (col[j] < 0) & (wanted_here[locality[i]] > 0)  # branch-free: faster on mixed data


@njit(cache=True, nogil=True)
def _count_free(pool, adult, col, locality, wanted_here, counts, part, lo, hi):  # pragma: no cover - compiled
    """``counts[part]``: how many of pool positions ``lo:hi`` are free (:func:`_is_free`)."""
    n = 0
    for j in range(np.uint64(lo), np.uint64(hi)):  # unsigned: see model/threads.py
        if _is_free(pool[j], j, adult, col, locality, wanted_here):
            n += 1
    counts[part] = n


@njit(inline="always")
def _numpy_power(x, e):
    """``x ** e`` as numpy computes it for a float array and a scalar (sqrt, square, reciprocal)."""
    if e == 0.5:
        return np.sqrt(x)
    if e == 2.0:
        return x * x
    if e == -1.0:
        return 1.0 / x
    return x ** e


@njit(inline="always")
def _key(i, u, exponent, place, locality, edu_coef, education, age_coef, age, motivation, mot_ref, trust_others,
         trust_ref, threshold, burnout, b_mot, b_trust, b_peer, b_burn):
    """Citizen ``i``'s sampling key ``log(u) / max(propensity ** exponent, tiny)``, as numpy computes it."""
    x = volunteering_logit(i, 0.0, place, locality, edu_coef, education, age_coef, age, motivation, mot_ref,
                           trust_others, trust_ref, threshold, burnout, b_mot, b_trust, b_peer, b_burn)
    weight = _numpy_power(1.0 / (1.0 + np.exp(-x)), exponent)
    return np.log(u) / max(weight, np.finfo(np.float64).tiny)


#: Below this key a weighted key's bound ``exp(key)`` loses precision (subnormal): no pruning.
_PRUNE_FLOOR = -700.0
#: Relative margin on ``exp(floor)``: far above the rounding of ``exp`` and ``log`` (about 1e-16),
#: so a draw pruned below it certainly has ``log(u)`` below the floor.
_PRUNE_MARGIN = 1e-9


@njit(cache=True, nogil=True, error_model="numpy")
def _weighted_choice(pool, adult, col, wanted_here, u, exponent, place, locality, edu_coef, education, age_coef,
                     age, motivation, mot_ref, trust_others, trust_ref, threshold, burnout, b_mot, b_trust, b_peer,
                     b_burn, lo, hi):  # pragma: no cover - compiled
    """Pool positions of ``wanted_here[l]`` free adults of each locality ``l`` in positions ``lo:hi``.

    A weighted sample; ``lo`` and ``hi`` are whole localities apart (:func:`_pool_parts`).
    The ``len(u)`` free adults (:func:`_is_free`, in pool order) get keys ``log(u) / w``
    (Efraimidis & Spirakis 2006), ``w`` their propensity to volunteer (the logit without
    peers) to the power ``exponent``; each locality keeps its largest keys, ordered by locality,
    then descending key, ties by position: exactly ``free[top_per_group(locality, key,
    wanted_here)]``. The pool runs locality by locality.

    Most keys are never computed. With ``exponent >= 0``, ``w <= 1`` and a key is at most
    ``log(u)``; once a locality has ``k`` keys, the ``k``-th largest so far is a floor for
    its final ``k``-th largest key, and an adult whose ``log(u)`` lies below the floor cannot
    be chosen: only the others' propensities are computed (a few per locality).
    """
    out = np.empty(len(u), dtype=np.int64)
    kept = np.empty(len(u), dtype=np.int64)  # the locality's adults with a key, in position order
    kept_neg = np.empty(len(u))
    heap = np.empty(1)  # the k largest keys so far, smallest first (a binary min-heap)
    n_out = n_kept = size = k = 0
    here, cut, f = -1, 0.0, 0
    prune = exponent >= 0
    for j in range(lo, hi):
        i = pool[j]
        if not _is_free(i, j, adult, col, locality, wanted_here):
            continue
        if locality[i] != here:  # a new locality: choose the last one's
            n_out = _emit(out, n_out, kept[:n_kept], kept_neg[:n_kept], k)
            here, k, n_kept, size, cut = locality[i], wanted_here[locality[i]], 0, 0, 0.0
            heap = np.empty(min(k, len(u)))
        draw = u[f]
        f += 1
        if draw < cut:
            continue
        key = _key(i, draw, exponent, place, locality, edu_coef, education, age_coef, age, motivation, mot_ref,
                   trust_others, trust_ref, threshold, burnout, b_mot, b_trust, b_peer, b_burn)
        kept[n_kept], kept_neg[n_kept] = j, -key
        n_kept += 1
        if size < k:
            _heap_push(heap, size, key)
            size += 1
        elif key > heap[0]:
            _heap_replace_top(heap, size, key)
        else:
            continue
        if prune and size == k and heap[0] > _PRUNE_FLOOR:
            cut = np.exp(heap[0]) * (1 - _PRUNE_MARGIN)  # a draw below it has log(u) < floor
    return out[:_emit(out, n_out, kept[:n_kept], kept_neg[:n_kept], k)].copy()


@njit(inline="always")
def _emit(out, n_out, members, neg, k):
    """Append the ``k`` of ``members`` with the largest keys (smallest ``neg``) to ``out``."""
    chosen = top_k(members, neg, k)
    out[n_out:n_out + len(chosen)] = chosen
    return n_out + len(chosen)


@njit(inline="always")
def _heap_push(heap, size, x):
    """Add ``x`` to the min-heap ``heap[:size]``."""
    c = size
    heap[c] = x
    while c > 0 and heap[(c - 1) // 2] > heap[c]:
        parent = (c - 1) // 2
        heap[c], heap[parent] = heap[parent], heap[c]
        c = parent


@njit(inline="always")
def _heap_replace_top(heap, size, x):
    """Replace the smallest value of the min-heap ``heap[:size]`` with ``x``."""
    heap[0] = x
    c = 0
    while True:
        smallest, left, right = c, 2 * c + 1, 2 * c + 2
        if left < size and heap[left] < heap[smallest]:
            smallest = left
        if right < size and heap[right] < heap[smallest]:
            smallest = right
        if smallest == c:
            return
        heap[c], heap[smallest] = heap[smallest], heap[c]
        c = smallest


def _count_sample(m: "SamenModel", pool: np.ndarray, parts: list, ids: np.ndarray) -> None:
    """Recount the citizen sample of some collectives.

    Recount the sample's members, engaged and board of the collectives ``ids``, whose citizens
    are all in ``pool`` (split over ``parts``, :func:`_pool_parts`).
    """
    c, t = m.citizens, m.collective_table
    counts = np.zeros((len(parts), t.n, len(SAMPLE_COLUMNS)), dtype=np.int64)
    run_parts(_count_roles, parts, c.member_of, c.role, pool, counts)
    counts = counts.sum(axis=0)  # counts: their sum does not depend on the split
    for level, column in SAMPLE_COLUMNS.items():
        getattr(t, column)[ids] = counts[ids, level - Role.MEMBER]


@njit(cache=True, nogil=True)
def _count_roles(member_of, role, pool, counts, part, lo, hi):  # pragma: no cover - compiled
    """``counts[part]``: per collective, citizens of pool positions ``lo:hi`` by role (one pass).

    Column ``j`` counts those holding a role ``>= j + 1``: at least member, volunteer, board.
    """
    n_levels = counts.shape[2]
    for j in range(np.uint64(lo), np.uint64(hi)):  # unsigned: see model/threads.py
        i = pool[j]
        for k in range(member_of.shape[1]):
            col = member_of[i, k]
            if col >= 0:
                for level in range(min(role[i, k], n_levels)):
                    counts[part, col, level] += 1


def _join(m: "SamenModel", pool: np.ndarray, parts: list, col: np.ndarray, role: np.ndarray,
          deficit: np.ndarray) -> None:
    """Fill ``deficit[c]`` places of the collectives with unflagged adults of their locality.

    ``col`` and ``role`` are the kind's columns for the citizens ``pool`` (changed in place;
    ``parts``: the pool's ranges, :func:`_pool_parts`). Candidates are weighted by their
    propensity to volunteer raised to ``1 - outreach`` (:func:`_weighted_choice`).
    """
    c, t, loc = m.citizens, m.collective_table, m.localities
    needy = np.flatnonzero(deficit)
    slots = np.repeat(needy, deficit[needy])  # one entry per missing citizen
    wanted_here = np.bincount(t.locality[slots], minlength=loc.n)
    free = np.zeros(len(parts), dtype=np.int64)
    run_parts(_count_free, parts, pool, c.adult, col, c.locality, wanted_here, free)
    if free.sum() == 0:
        return
    # one draw per free adult in pool order, as if drawn in one pass; each part its own share
    u = uniform(m.rng, int(free.sum()))
    first = np.r_[0, np.cumsum(free)]
    inputs = logit_inputs(m)

    def choose(part: int, lo: int, hi: int) -> np.ndarray:
        return _weighted_choice(pool, c.adult, col, wanted_here, u[first[part]:first[part + 1]], 1 - m.p.outreach,
                                *inputs, lo, hi)

    # the chosen come ranked by locality; match them to the slots, ranked by locality
    chosen = np.concatenate(map_parts(choose, parts))
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
    members = np.flatnonzero(col >= 0)  # roles move, memberships do not
    for level, lower in ((Role.BOARD, Role.VOLUNTEER), (Role.VOLUNTEER, Role.MEMBER)):
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
