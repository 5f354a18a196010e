"""Membership of collectives: who joins, who leads, who leaves, and volunteers' burnout.

- recruitment through ties within the locality (Verba, Schlozman & Brady 1995, Voice and
  Equality; ODD 7.9);
- a board of at least ``board_min`` leaders, co-opted from members or the locality;
- exit at a base rate plus burnout, and burnout from load above capacity, relieved by voice
  (Allen & Mueller 2013, J. Community Psychology 41(2):139-155; ODD 7.13).

Membership is held by citizens (``Citizens.member_of[:, kind]``), so a member's collective
always lies in the member's own locality.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .citizens import leader_potential
from .collectives import JOIN_RATE, START_MEMBERS, VOLUNTEERING_KIND
from .kinds import CollectiveKind

if TYPE_CHECKING:
    from .model import SamenModel



def add_initial_members(m: "SamenModel", ids: np.ndarray) -> None:
    """Give start-up collectives their typical membership from adults of their locality.

    The founding board already counts as members, so only the rest of ``START_MEMBERS`` is
    added (otherwise each collective starts a board too large, which at coarse scales is
    most of its membership).
    """
    c, t, loc = m.citizens, m.collective_table, m.localities
    adult = c.adult
    for cid in ids:
        k, here = int(t.kind[cid]), int(t.locality[cid])
        s, e = loc.start[here], loc.start[here] + loc.n_citizens[here]
        free = s + np.flatnonzero(adult[s:e] & (c.member_of[s:e, k] < 0))
        board = int(np.sum(c.leader_of[s:e] == cid))
        want = max(0, int(round(START_MEMBERS[k] / m.p.population_scale)) - board)
        if want and len(free):
            c.member_of[m.rng.choice(free, size=min(want, len(free)), replace=False), k] = cid


def recruit_members(m: "SamenModel") -> None:
    """Citizens join collectives of the kinds they lack through a random tie.

    A citizen joins when the tie is a member of one in their own locality (recruitment through
    networks, Verba, Schlozman & Brady 1995).
    """
    c, t = m.citizens, m.collective_table
    tie = m.network.random_neighbour(m.rng, 1)[:, 0]
    has_tie = tie >= 0
    willing = c.adult & has_tie & (c.burnout < 0.5)
    u = m.rng.random(c.n, dtype=np.float32)
    tie_member_of = c.member_of[np.maximum(tie, 0)]  # the tie's collectives, all kinds at once
    lacks = willing[:, None] & (tie_member_of >= 0) & (c.member_of < 0)
    for k in CollectiveKind:
        idx = np.flatnonzero(lacks[:, k])
        if len(idx) == 0:
            continue
        cid = tie_member_of[idx, k]
        same_place = t.locality[cid] == c.locality[idx]
        appeal = t.cooperation[cid] * (0.5 + c.motivation[idx])
        if VOLUNTEERING_KIND[k]:
            appeal = appeal * (0.5 + c.active_now[idx])
        join = same_place & (u[idx] < JOIN_RATE[k] * appeal)
        c.member_of[idx[join], k] = cid[join]


def leave_collectives(m: "SamenModel") -> None:
    """Members and leaders stop: a base exit rate plus burnout (Allen & Mueller 2013; M4)."""
    p, c = m.p, m.citizens
    rate_year = p.exit_base + p.exit_burnout * c.burnout
    leave = np.flatnonzero(m.rng.random(c.n, dtype=np.float32) < 1 - (1 - np.clip(rate_year, 0, 1)) ** 0.25)
    c.leader_of[leave] = -1
    # energy membership is an investment, not volunteering: it lapses far more slowly
    keeps_energy = m.rng.random(len(leave)) >= 0.1
    energy = c.member_of[leave, CollectiveKind.ENERGY]
    c.member_of[leave] = -1
    c.member_of[leave, CollectiveKind.ENERGY] = np.where(keeps_energy, energy, -1)


def count_members(m: "SamenModel") -> None:
    """Members, leaders and active volunteers per collective, from the citizens' arrays."""
    c, t = m.citizens, m.collective_table
    n = t.n
    member = c.member_of >= 0
    t.members[:n] = np.bincount(c.member_of[member], minlength=n)
    t.volunteers[:n] = np.bincount(c.member_of[member & c.active_now[:, None]], minlength=n)
    lead = c.leader_of >= 0
    t.leaders[:n] = np.bincount(c.leader_of[lead], minlength=n)[:n]


def replace_leaders(m: "SamenModel") -> None:
    """A collective short of board members co-opts one willing person per quarter.

    A member if one can lead, otherwise a potential leader from its locality, who joins.
    """
    c, t = m.citizens, m.collective_table
    n = t.n
    short = np.zeros(n + 1, dtype=bool)
    short[:n] = t.view("active") & (t.view("leaders") < m.board)
    pot = leader_potential(m)
    in_short = short[c.member_of]  # member_of == -1 reads short[n], always False
    for k in CollectiveKind:
        ids = c.member_of[:, k]
        cand = np.flatnonzero(pot & in_short[:, k])
        if len(cand) == 0:
            continue
        cand = cand[m.rng.permutation(len(cand))]
        _, first = np.unique(ids[cand], return_index=True)
        chosen = cand[first]
        c.leader_of[chosen] = ids[chosen]
        short[ids[chosen]] = False
        pot[chosen] = False
    still = np.flatnonzero(short[:n])
    if len(still) == 0:
        return
    # one outside recruit per locality and quarter, for one short collective there
    still = still[m.rng.permutation(len(still))]
    locs, first = np.unique(t.locality[still], return_index=True)
    wanting = np.full(m.localities.n, -1)
    wanting[locs] = still[first]
    cand = np.flatnonzero(pot & (wanting[c.locality] >= 0))
    if len(cand) == 0:
        return
    cand = cand[m.rng.permutation(len(cand))]
    _, first = np.unique(c.locality[cand], return_index=True)
    chosen = cand[first]
    cid = wanting[c.locality[chosen]]
    kinds = t.kind[cid]
    free = c.member_of[chosen, kinds] < 0
    chosen, cid, kinds = chosen[free], cid[free], kinds[free]
    c.leader_of[chosen] = cid
    c.member_of[chosen, kinds] = cid


def release(m: "SamenModel", ids: np.ndarray) -> None:
    """Free the members and leaders of dissolved collectives."""
    c = m.citizens
    gone = np.zeros(m.collective_table.n + 1, dtype=bool)  # gone[-1] (no collective) stays False
    gone[ids] = True
    c.member_of[gone[c.member_of]] = -1
    c.leader_of[gone[c.leader_of]] = -1


def update_burnout(m: "SamenModel", is_heard: np.ndarray) -> None:
    """B <- B + a * max(0, load - capacity) - b * B - c * heard (Allen & Mueller 2013; M4).

    Relief needs a hearing that counts: a heard collective in a responsive municipality.
    """
    p, c = m.p, m.citizens
    leader = c.leader_of >= 0
    capacity = np.where(leader, p.leader_capacity_hours, np.maximum(c.free_time, p.volunteer_hours))
    excess = np.maximum(c.load - capacity, 0)
    relief = p.burnout_voice_relief * (is_heard & (m.municipal.responsiveness[c.municipality] > 0))
    c.burnout = np.clip(c.burnout * (1 - p.burnout_recovery) + p.burnout_gain * excess - relief,
                        0, 1).astype(np.float32)
