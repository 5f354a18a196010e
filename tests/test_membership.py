"""Collectives at real size (membership.py, collectives.create): counts in residents, the
citizen sample that stands for them, work capped per person, burnout of boards and of
ordinary volunteers, and exits that follow burnout. Unit tests on hand-set rows of a small
model's collective table.
"""

from __future__ import annotations

import numpy as np
import pytest

from experiments.api import build_model
from model import collectives as coll
from model import membership
from model.grouping import top_per_group
from model.kinds import CollectiveKind, Role
from model.participation import propensity

#: Round numbers for the work rule, so that the expected loads can be worked out by hand.
WORK = {"board_hours_neighbourhood": 6.0, "hours_per_member_neighbourhood": 0.04, "admin_hours_full_burden": 10.0,
        "regulatory_burden": 0.5, "volunteer_hours": 4.0, "volunteer_capacity_hours": 5.0,
        "leader_capacity_hours": 4.0, "max_weekly_hours": 20.0, "burnout_gain": 0.04, "burnout_recovery": 0.15,
        "burnout_voice_relief": 0.05}


def small(seed: int = 1, scale: int = 3000, **overrides):
    return build_model("baseline", {"population_scale": scale, "spinup_quarters": 2, **overrides}, seed)


def neighbourhood_rows(m, k: int) -> np.ndarray:
    t = m.collective_table
    rows = np.flatnonzero(t.view("active") & (t.view("kind") == CollectiveKind.NEIGHBOURHOOD)
                          & (t.view("facility") < 0))[:k]
    assert len(rows) == k
    return rows


def set_rows(m, rows, members, volunteers, board, burnout=0.0):
    t = m.collective_table
    t.members[rows] = members
    t.volunteers[rows] = volunteers
    t.board[rows] = board
    t.cooperation[rows] = m.reference.cooperation  # volunteers give volunteer_hours each
    t.board_burnout[rows] = burnout
    t.volunteer_burnout[rows] = burnout


# ---- founding at real size ------------------------------------------------------------------

@pytest.mark.parametrize("scale", [300, 3000])
def test_a_new_collective_has_a_board_of_board_min_residents_whatever_the_scale(scale):
    m = small(scale=scale, board_min=7, founding_members=40.0)
    loc = int(np.argmax(m.adult_residents))  # room for 40 founders
    ids = coll.create(m, np.array([loc, loc]), np.array([CollectiveKind.CARE, CollectiveKind.NEIGHBOURHOOD]),
                      rescue=False)
    t = m.collective_table
    np.testing.assert_array_equal(t.board[ids], 7)
    np.testing.assert_array_equal(t.members[ids], 40)
    assert (t.volunteers[ids] <= 40 - 7).all()
    assert t.active[ids].all() and (t.founded[ids] == m.quarter).all()
    assert ((t.rounding[ids] >= 0) & (t.rounding[ids] < 1)).all()


def test_founders_are_at_most_the_adults_of_a_small_locality():
    m = small(board_min=5, founding_members=1000.0)
    loc = int(np.argmin(np.where(m.adult_residents > 0, m.adult_residents, np.inf)))
    cid = coll.create(m, np.array([loc]), np.array([CollectiveKind.NEIGHBOURHOOD]), rescue=False)[0]
    assert m.collective_table.members[cid] == max(5, int(m.adult_residents[loc]))


# ---- the citizen sample (sync_citizens) -------------------------------------------------------

def _flagged(m, level: Role) -> np.ndarray:
    c, t = m.citizens, m.collective_table
    have = np.zeros(t.n, dtype=np.int64)
    for k in CollectiveKind:
        sel = (c.member_of[:, k] >= 0) & (c.role[:, k] >= level)
        have += np.bincount(c.member_of[sel, k], minlength=t.n)
    return have


def test_the_sample_times_the_scale_matches_the_residents_in_each_role():
    """Each collective of x residents in a role holds floor(x / scale + u) citizens, x / scale on
    average: summed over collectives, flagged citizens x scale is the residents' count up to the
    rounding noise (sd sqrt(n / 12) citizens), where the locality's sample has adults to spare
    (ten citizens or more). A locality of one or two citizens cannot always hold its
    collectives' members (ODD 7.15): the whole sample falls short by a few per cent."""
    m = small(scale=300)
    t, scale = m.collective_table, m.p.population_scale
    roomy = t.view("active") & (m.localities.n_citizens[t.view("locality")] >= 10)
    n = int(roomy.sum())
    counts = {Role.MEMBER: t.view("members"), Role.VOLUNTEER: t.view("volunteers") + t.view("board"),
              Role.BOARD: t.view("board")}
    for level, residents in counts.items():
        sample = _flagged(m, level)[roomy].sum() * scale
        assert abs(sample - residents[roomy].sum()) < 4 * np.sqrt(n / 12) * scale, level.name
    live = t.view("active")
    assert _flagged(m, Role.MEMBER)[live].sum() * scale == pytest.approx(t.view("members")[live].sum(), rel=0.06)


def test_sync_is_persistent_and_follows_the_counts():
    m = small(scale=300)
    c, t, scale = m.citizens, m.collective_table, m.p.population_scale
    member_of, role = c.member_of.copy(), c.role.copy()
    membership.sync_citizens(m)  # nothing changed: nobody moves (the rounding u is kept)
    np.testing.assert_array_equal(c.member_of, member_of)
    np.testing.assert_array_equal(c.role, role)
    # a collective with volunteers and board in the sample loses its passive members
    have = _flagged(m, Role.MEMBER)
    roomy = m.localities.n_citizens[t.view("locality")] >= 20  # adults to spare for recruits (7.15)
    rows = np.flatnonzero(t.view("active") & roomy & (have >= 2) & (_flagged(m, Role.VOLUNTEER) >= 1)
                          & (_flagged(m, Role.VOLUNTEER) < have))
    cid = int(rows[0])
    kind = int(t.kind[cid])
    t.members[cid] = t.volunteers[cid] + t.board[cid]
    membership.sync_citizens(m)
    inside = c.member_of[:, kind] == cid
    assert inside.sum() == np.floor(t.members[cid] / scale + t.rounding[cid])
    assert (c.role[inside, kind] >= Role.VOLUNTEER).all()  # the lowest roles left first
    # and grows again when the collective recruits
    t.members[cid] += 5 * scale
    membership.sync_citizens(m)
    assert (c.member_of[:, kind] == cid).sum() == np.floor(t.members[cid] / scale + t.rounding[cid])


# ---- work, load and burnout -------------------------------------------------------------------

def test_volunteers_carry_member_work_at_their_hours_and_stay_fresh_below_capacity():
    m = small(**WORK)
    t = m.collective_table
    row = neighbourhood_rows(m, 1)
    # 100 members need 4 h; 10 volunteers give 4 h each; the board's 6 + 5 (rules) h fall on 5
    set_rows(m, row, members=100, volunteers=10, board=5, burnout=0.2)
    membership.work_and_burnout(m, np.zeros(t.n))
    assert t.volunteer_load[row][0] == pytest.approx(4.0)
    assert t.board_load[row][0] == pytest.approx(11.0 / 5)
    assert t.unmet_hours[row][0] == pytest.approx(0.0)
    assert t.volunteer_burnout[row][0] == pytest.approx(0.2 * 0.85)
    assert t.board_burnout[row][0] == pytest.approx(0.2 * 0.85)


def test_ordinary_volunteers_burn_out_when_their_load_exceeds_capacity():
    m = small(**WORK)
    t = m.collective_table
    row = neighbourhood_rows(m, 1)
    # 1,275 members need 51 h: 8 volunteers give 32, the one board member 11 + 19 = 30 but at
    # most 20; the 10 left spill to the volunteers (1.25 h each): 5.25 h, above their 5
    set_rows(m, row, members=1275, volunteers=8, board=1, burnout=0.0)
    membership.work_and_burnout(m, np.zeros(t.n))
    assert t.board_load[row][0] == pytest.approx(20.0)
    assert t.volunteer_load[row][0] == pytest.approx(5.25)
    assert t.unmet_hours[row][0] == pytest.approx(0.0, abs=1e-12)
    assert t.volunteer_burnout[row][0] == pytest.approx(0.04 * 0.25)
    assert t.board_burnout[row][0] == pytest.approx(0.04 * 16.0)


def test_nobody_gives_more_than_max_weekly_hours_and_undone_work_strains_everyone():
    m = small(**WORK)
    t = m.collective_table
    row = neighbourhood_rows(m, 1)
    # 2,000 members need 80 h: 2 volunteers give 8; the board's 11 + 72 h are too much for 2
    set_rows(m, row, members=2000, volunteers=2, board=2, burnout=0.1)
    membership.work_and_burnout(m, np.zeros(t.n))
    assert t.board_load[row][0] == pytest.approx(20.0)
    assert t.volunteer_load[row][0] == pytest.approx(20.0)
    assert t.unmet_hours[row][0] == pytest.approx(83.0 - 40.0 - 32.0)
    strain = 11.0 / 4
    assert t.board_burnout[row][0] == pytest.approx(0.1 * 0.85 + 0.04 * (16.0 + strain))
    assert t.volunteer_burnout[row][0] == pytest.approx(0.1 * 0.85 + 0.04 * (15.0 + strain))
    live = t.view("active")
    assert (t.view("board_load")[live] <= 20.0 + 1e-9).all()
    assert (t.view("volunteer_load")[live] <= 20.0 + 1e-9).all()


def test_a_hearing_relieves_burnout_and_settle_gives_the_rest_point():
    m = small(**WORK)
    t = m.collective_table
    rows = neighbourhood_rows(m, 2)
    set_rows(m, rows, members=1275, volunteers=8, board=1, burnout=0.0)
    heard = np.zeros(t.n)
    heard[rows[1]] = 1.0
    membership.work_and_burnout(m, heard)
    np.testing.assert_allclose(t.board_burnout[rows], [0.64, 0.64 - 0.05])
    membership.work_and_burnout(m, np.zeros(t.n), settle=True)
    np.testing.assert_allclose(t.volunteer_burnout[rows], 0.04 * 0.25 / 0.15)  # drive / recovery
    np.testing.assert_allclose(t.board_burnout[rows], 1.0)  # 0.64 / 0.15, capped at 1


def test_citizens_take_the_burnout_of_their_group_and_others_recover():
    m = small(scale=300)
    c, t = m.citizens, m.collective_table
    top = c.top_role
    volunteer = int(np.flatnonzero(top == Role.VOLUNTEER)[0])
    kind_v = int(np.flatnonzero(c.role[volunteer] == Role.VOLUNTEER)[0])
    cid_v = c.member_of[volunteer, kind_v]
    board = int(np.flatnonzero((top == Role.BOARD) & (c.member_of != cid_v).all(axis=1))[0])
    kind_b = int(np.flatnonzero(c.role[board] == Role.BOARD)[0])
    outsider = int(np.flatnonzero(c.adult & (top == Role.NONE))[0])
    t.volunteer_burnout[:] = 0.0
    t.board_burnout[:] = 0.0
    t.volunteer_burnout[cid_v] = 0.7
    t.board_burnout[c.member_of[board, kind_b]] = 0.6
    c.burnout[outsider] = 0.4
    membership.citizens_burnout(m)
    assert c.burnout[volunteer] == pytest.approx(0.7)
    assert c.burnout[board] == pytest.approx(0.6)
    assert c.burnout[outsider] == pytest.approx(0.4 * (1 - m.p.burnout_recovery))


# ---- flows: leaving with burnout, co-opting boards ---------------------------------------------

def test_exits_rise_with_burnout():
    """Without passive members nobody lapses or returns: the fall of volunteers and board is the
    binomial exit alone, at quarterly(base + exit_burnout * burnout)."""
    m = small(seed=2)
    p, t = m.p, m.collective_table
    rows = np.flatnonzero(t.view("active"))
    t.volunteers[rows] = 200
    t.board[rows] = 100
    t.members[rows] = 300
    tired = rows[rows % 2 == 1]
    fresh = rows[rows % 2 == 0]
    t.volunteer_burnout[rows] = 0.0
    t.board_burnout[rows] = 0.0
    t.volunteer_burnout[tired] = 0.8
    t.board_burnout[tired] = 0.8
    membership.leave_collectives(m)
    for group, burnout in ((fresh, 0.0), (tired, 0.8)):
        left = 1 - t.volunteers[group].sum() / (200 * len(group))
        stepped_down = 1 - t.board[group].sum() / (100 * len(group))
        assert left == pytest.approx(membership.quarterly(p.exit_base + p.exit_burnout * burnout), rel=0.05)
        assert stepped_down == pytest.approx(
            membership.quarterly(p.board_exit_base + p.exit_burnout * burnout), rel=0.05)
    assert (t.members[rows] == 300).all()  # they stay on as passive members


def test_boards_coopt_volunteers_first():
    m = small(coopt_rate=1.0, board_min=5)
    t = m.collective_table
    rows = neighbourhood_rows(m, 50)
    set_rows(m, rows, members=100, volunteers=20, board=0)
    candidates = (m.leader_share() * m.adult_residents)[t.locality[rows]]
    membership.fill_boards(m)
    assert (t.board[rows] <= 5).all()
    np.testing.assert_array_equal(t.volunteers[rows], 20 - t.board[rows])  # volunteers step up
    np.testing.assert_array_equal(t.members[rows], 100)
    expected = 5 * -np.expm1(-candidates / 5)
    assert t.board[rows].sum() == pytest.approx(expected.sum(), rel=0.15)


# ---- the members' contribution types, in residents ---------------------------------------------

def test_type_mix_is_a_draw_of_real_size_at_founding_whatever_the_scale():
    """A collective's mix of contribution types is a multinomial draw of its first members: the
    shares sum to one, average the population's, and spread as for that many residents (not as
    for the few citizens of the sample)."""
    for scale in (300, 3000):
        m = small(scale=scale, founding_members=20.0)
        t = m.collective_table
        locs = np.repeat(np.flatnonzero(m.adult_residents >= 50)[:50], 40)
        ids = coll.create(m, locs, np.full(len(locs), CollectiveKind.NEIGHBOURHOOD), rescue=False)
        mix = t.mix[ids]
        assert mix.sum(axis=1) == pytest.approx(np.ones(len(ids)))
        shares = coll.coop_mix_shares(m.p)
        assert mix.mean(axis=0) == pytest.approx(shares, abs=0.02)
        spread = np.sqrt(shares * (1 - shares) / 20)  # a multinomial share of 20 residents
        assert mix.std(axis=0) == pytest.approx(spread, rel=0.15)


def test_newcomers_dilute_the_mix_towards_the_populations():
    m = small()
    t = m.collective_table
    row = neighbourhood_rows(m, 1)
    only_free_riders = np.array([[0.0, 1.0, 0.0, 0.0]])
    t.set_mix(row, only_free_riders)
    t.members[row] = 30
    newcomers = np.zeros(t.n, dtype=np.int64)
    newcomers[row] = 10
    coll.add_members(m, newcomers)
    expected = 0.75 * only_free_riders[0] + 0.25 * coll.coop_mix_shares(m.p)
    assert t.mix[row][0] == pytest.approx(expected)
    assert t.members[row][0] == 40


def test_cooperation_follows_the_mix_in_residents_not_the_citizen_sample():
    """Free riders pull a collective's contributions down; who in the sample is a member does not
    matter any more."""
    import copy

    m = small()
    t = m.collective_table
    rows = neighbourhood_rows(m, 2)
    t.set_mix(rows, np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]]))
    t.cooperation[rows] = 0.5
    emptied = copy.deepcopy(m)
    emptied.citizens.member_of[:] = -1
    coll.update_cooperation(m)
    coll.update_cooperation(emptied)
    np.testing.assert_array_equal(emptied.collective_table.view("cooperation"), t.view("cooperation"))
    conditional, free_riders = t.cooperation[rows]
    assert free_riders == pytest.approx(0.5 * (1 - m.p.cooperation_smoothing))  # they give nothing
    assert conditional > free_riders


# ---- the compiled sampling of joiners --------------------------------------------------------

@pytest.mark.parametrize("exponent", [0.0, 0.5, 0.8, 1.0, 2.0, -1.0])
def test_numpy_power_is_numpys_power_of_an_array_by_a_scalar(exponent):
    """numpy takes sqrt, square and reciprocal for some exponents; the kernel must do the same."""
    x = np.random.default_rng(2).random(200)
    assert np.array_equal(np.array([membership._numpy_power(v, exponent) for v in x]), x ** exponent)


def _weighted_choice_by_definition(m, pool, col, wanted_here, u, exponent):
    """Every free adult's key log(u) / max(propensity ** exponent, tiny), the top per locality."""
    c = m.citizens
    free = np.flatnonzero(c.adult[pool] & (col < 0) & (wanted_here[c.locality[pool]] > 0))
    weight = propensity(m, pool[free]) ** exponent
    with np.errstate(divide="ignore"):  # a draw of 0 has the key -inf
        key = np.log(u) / np.maximum(weight, np.finfo(float).tiny)
    return free[top_per_group(c.locality[pool[free]], key, wanted_here)]


@pytest.mark.parametrize("case", range(8))
def test_weighted_choice_is_the_top_of_every_key_without_computing_them_all(case):
    """The pruned kernel chooses exactly the adults the full computation of keys chooses: quotas
    from one to more than a locality's free adults, a pool of some localities or all, outreach
    from 0 to 1 (numpy's square root at 0.5), and draws with ties and zeros."""
    m = small(seed=4 + case, scale=300 if case % 2 else 3000)
    c, rng = m.citizens, np.random.default_rng(case)
    places = np.sort(rng.choice(m.localities.n, m.localities.n // 3, replace=False)) if case % 4 else None
    pool = np.arange(c.n) if places is None else membership._citizens_of(m, places)
    col = c.member_of[pool, case % 4].copy()
    wanted_here = rng.choice([0, 1, 2, 5, 40, 10_000], m.localities.n).astype(np.int64)
    free = np.zeros(1, dtype=np.int64)
    membership._count_free(pool, c.adult, col, c.locality, wanted_here, free, 0, 0, len(pool))
    u = rng.random(free[0])
    if case == 3:
        u[1::2] = u[::2][:len(u[1::2])]  # ties in the draws
        u[::50] = 0.0  # log(0): a key of -inf
    exponent = (0.0, 0.5, 0.8, 1.0)[case % 4]
    got = membership._weighted_choice(pool, c.adult, col, wanted_here, u, exponent, *membership.logit_inputs(m),
                                      0, len(pool))
    expected = _weighted_choice_by_definition(m, pool, col, wanted_here, u, exponent)
    assert len(expected) > 0 and np.array_equal(got, expected)


def test_citizens_burnout_is_the_largest_of_their_groups_bit_for_bit():
    """The one-pass kernel gives what the former numpy rule gives: a volunteer or board member
    takes the largest burnout of their groups (0 for a plain membership), the others recover."""
    m = small(seed=6, scale=500)
    c, t = m.citizens, m.collective_table
    rng = np.random.default_rng(6)
    t.volunteer_burnout[:t.n] = rng.random(t.n)
    t.board_burnout[:t.n] = rng.random(t.n)
    c.burnout[:] = rng.random(c.n, dtype=np.float32)
    by_role = np.zeros((t.n + 1, len(Role)))  # row t.n serves citizens without a collective
    by_role[:t.n, Role.VOLUNTEER] = t.view("volunteer_burnout")
    by_role[:t.n, Role.BOARD] = t.view("board_burnout")
    involved = np.flatnonzero(c.top_role >= Role.VOLUNTEER)
    expected = c.burnout * np.float32(1 - m.p.burnout_recovery)
    expected[involved] = by_role[c.member_of[involved], c.role[involved]].max(axis=1)
    membership.citizens_burnout(m)
    assert len(involved) > 50 and c.burnout.tobytes() == expected.tobytes()


def test_the_pool_splits_into_whole_localities_and_joining_by_parts_is_joining_at_once(monkeypatch):
    """Ranges of the pool end where a locality ends; choosing in each range with its share of the
    draws gives the choice made over the whole pool at once."""
    from model import threads

    m = small(seed=9, scale=300)
    c, rng = m.citizens, np.random.default_rng(9)
    places = np.sort(rng.choice(m.localities.n, m.localities.n // 2, replace=False))
    pool = membership._citizens_of(m, places)
    monkeypatch.setattr(threads, "MIN_PER_THREAD", len(pool) // 5)
    monkeypatch.setattr(threads, "_threads", 4)
    parts = membership._pool_parts(m, pool)
    assert len(parts) > 1 and parts[0][0] == 0 and parts[-1][1] == len(pool)
    here = c.locality[pool]
    assert all(here[lo - 1] != here[lo] for lo, _ in parts[1:])  # a range starts a locality
    col = c.member_of[pool, 1].copy()
    wanted_here = rng.choice([0, 1, 3, 40], m.localities.n).astype(np.int64)
    free = np.zeros(len(parts), dtype=np.int64)
    for part, (lo, hi) in enumerate(parts):
        membership._count_free(pool, c.adult, col, c.locality, wanted_here, free, part, lo, hi)
    u = rng.random(free.sum())
    inputs = (pool, c.adult, col, wanted_here)
    whole = membership._weighted_choice(*inputs, u, 0.5, *membership.logit_inputs(m), 0, len(pool))
    first = np.r_[0, np.cumsum(free)]
    by_parts = np.concatenate([membership._weighted_choice(*inputs, u[first[k]:first[k + 1]], 0.5,
                                                           *membership.logit_inputs(m), lo, hi)
                               for k, (lo, hi) in enumerate(parts)])
    assert len(whole) > 0 and np.array_equal(by_parts, whole)
