"""Rule-level unit tests on hand-set state: one decision rule at a time.

Models are small (one simulated citizen per 2,000-3,000 residents). Tests that only read
state share a module-scoped model; tests that change state build their own.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from experiments.api import build_model
from model import Parameters, Regions, SamenModel, market, membership, outcomes, participation, trust
from model import collectives as coll
from model.kinds import FacilityType, FailureCause, LocalityKind, Provider
from model.network import social_distance
from model.regions import build_localities

SCALE = 3000


def fresh(seed: int = 1, **overrides) -> SamenModel:
    return build_model("baseline", {"population_scale": SCALE, **overrides}, seed)


@pytest.fixture(scope="module")
def world() -> SamenModel:
    """A model at step 0 that the tests below only read."""
    return build_model("baseline", {"population_scale": 2000}, 7)


# ---- inequality measures (outcomes.py) ------------------------------------------------------

@pytest.mark.parametrize("values, expected", [
    ([1, 1, 1, 1], 0.0),
    ([0, 0, 0, 1], 0.75),  # (n - 1) / n: one holds everything
    ([1, 2, 3, 4], 0.25),  # sum |xi - xj| / (2 n^2 mean) = 20 / 80
    ([3, 1, 4, 2], 0.25),  # order does not matter
    ([0, 0], 0.0),
    ([5], 0.0),
])
def test_gini_hand_values(values, expected):
    assert outcomes.gini(np.array(values, float)) == pytest.approx(expected, abs=1e-12)


def test_gini_matches_mean_absolute_difference():
    x = np.random.default_rng(0).lognormal(0, 0.8, 300)
    mad = np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())
    assert outcomes.gini(x) == pytest.approx(mad, rel=1e-10)
    assert outcomes.gini(3 * x) == pytest.approx(outcomes.gini(x), rel=1e-12)  # scale invariant


def test_theil_hand_values():
    # y = (1, 3): mu = 2, T = ((1/2) ln(1/2) + (3/2) ln(3/2)) / 2
    expected = (0.5 * math.log(0.5) + 1.5 * math.log(1.5)) / 2
    assert outcomes.theil(np.array([1.0, 3.0]))[0] == pytest.approx(expected, rel=1e-12)
    # zeros contribute 0: (0, 2) gives ln 2, the maximum for n = 2
    assert outcomes.theil(np.array([0.0, 2.0]))[0] == pytest.approx(math.log(2), rel=1e-12)
    assert outcomes.theil(np.full(5, 0.7)) == pytest.approx((0.0, 0.0), abs=1e-12)
    assert outcomes.theil(np.zeros(4)) == (0.0, 0.0)
    # all inequality between the groups: T == between part
    t, b = outcomes.theil(np.array([1.0, 1.0, 3.0, 3.0]), np.array([0, 0, 1, 1]))
    assert t == pytest.approx(b, rel=1e-12) and b == pytest.approx(expected, rel=1e-12)
    # none between: between part 0
    t, b = outcomes.theil(np.array([1.0, 3.0, 1.0, 3.0]), np.array([0, 0, 1, 1]))
    assert b == pytest.approx(0.0, abs=1e-12) and t == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("with_zeros", [False, True])
def test_theil_within_plus_between_is_total(with_zeros):
    """Theil T decomposes exactly: T = sum_g s_g T_g + sum_g s_g ln(mu_g / mu)."""
    rng = np.random.default_rng(3)
    y = rng.lognormal(0, 0.6, 500) * np.repeat([0.6, 1.0, 1.4, 2.0, 0.9], 100)
    groups = np.repeat(np.arange(5), 100)
    if with_zeros:
        y[rng.random(500) < 0.2] = 0.0
    total, between = outcomes.theil(y, groups)
    within = 0.0
    for g in range(5):
        s_g = y[groups == g].sum() / y.sum()
        within += s_g * outcomes.theil(y[groups == g])[0]
    assert total == pytest.approx(within + between, rel=1e-12, abs=1e-15)
    assert 0 < between < total


def test_weighted_theil_equals_theil_of_the_repeated_values():
    rng = np.random.default_rng(5)
    y = rng.random(40)
    w = rng.integers(0, 6, 40)
    g = rng.integers(0, 3, 40)
    expanded = outcomes.theil(np.repeat(y, w), np.repeat(g, w))
    assert outcomes.theil(y, g, weights=w) == pytest.approx(expanded, rel=1e-12)


def test_reported_access_theil_is_the_theil_of_citizens_access(world):
    """theil_access(_between) in the series is outcomes.theil over every citizen's access."""
    series = world.outcome_frames()[0].iloc[0]
    per_citizen = outcomes.citizen_access(world)
    total, between = outcomes.theil(per_citizen, world.citizens.region)
    assert series["theil_access"] == pytest.approx(total, rel=1e-9)
    assert series["theil_access_between"] == pytest.approx(between, rel=1e-9)
    assert 0 < series["theil_access_between"] < series["theil_access"]


# ---- network (network.py) ----------------------------------------------------------------

def _edges(m):
    net = m.network
    src = np.repeat(np.arange(m.citizens.n), net.degree)
    return src, net.indices.astype(np.int64)


def test_network_is_symmetric_without_self_loops_or_duplicates(world):
    n = world.citizens.n
    net = world.network
    assert net.indptr[0] == 0 and net.indptr[-1] == len(net.indices) == len(net.bridging)
    assert (np.diff(net.indptr) >= 0).all()
    src, dst = _edges(world)
    assert ((dst >= 0) & (dst < n)).all()
    assert not (src == dst).any(), "self-loop"
    key = src * n + dst
    assert len(np.unique(key)) == len(key), "duplicate tie"
    np.testing.assert_array_equal(np.sort(key), np.sort(dst * n + src))  # every tie both ways
    # bridging flags agree for both directions of a tie
    order_fw = np.argsort(key)
    order_bw = np.argsort(dst * n + src)
    np.testing.assert_array_equal(net.bridging[order_fw], net.bridging[order_bw])


def test_network_mean_degree_near_parameter_where_localities_are_large():
    """With localities of tens of citizens, the mean degree is within 10% of mean_degree."""
    frame = pd.DataFrame({"province": ["A", "B"], "population_2024": [200_000, 150_000],
                          "municipalities_2024": [2, 2], "village_share": [0.0, 0.0],
                          "town_share": [0.0, 0.0]})
    for degree in (6.0, 12.0):
        m = SamenModel(Parameters(population_scale=100, mean_degree=degree), Regions.from_frame(frame), 1)
        assert m.network.degree.mean() == pytest.approx(degree, rel=0.10)


def test_network_mean_degree_near_parameter_in_default_world(world):
    """mean_degree is 'ties per citizen' whatever population_scale: in the default world at
    1 citizen per 2,000 residents the built network must still come near it."""
    assert world.network.degree.mean() == pytest.approx(world.p.mean_degree, rel=0.25)


def test_ties_are_mostly_local_and_homophilous(world):
    c, loc = world.citizens, world.localities
    src, dst = _edges(world)
    assert (c.municipality[src] == c.municipality[dst]).all(), "ties stay in the municipality"
    # random distinct pairs within the same locality: the baseline for homophily
    rng = np.random.default_rng(0)
    i = rng.integers(0, c.n, 100_000)
    li = c.locality[i]
    j = loc.start[li] + (rng.random(len(i)) * loc.n_citizens[li]).astype(np.int64)
    keep = i != j
    random_d = social_distance(c, i[keep], j[keep]).mean()
    local = c.locality[src] == c.locality[dst]
    tie_d = social_distance(c, src[local], dst[local]).mean()
    assert tie_d < random_d - 0.03


def test_stronger_homophily_gives_more_similar_ties():
    d = {}
    for alpha in (0.0, 6.0):
        m = fresh(2, homophily=alpha)
        src, dst = _edges(m)
        d[alpha] = social_distance(m.citizens, src, dst).mean()
    assert d[6.0] < d[0.0] - 0.03


# ---- citizens' rules (participation.py, trust.py, membership.py) ----------------------------

def test_asymmetric_step_falls_faster_than_it_rises():
    level = np.full(4, 0.5, dtype=np.float32)
    target = np.array([0.7, 0.3, 0.5, 2.0], dtype=np.float32)
    out = trust._asymmetric_step(level, target, 0.04, 0.10)
    np.testing.assert_allclose(out, [0.5 + 0.04 * 0.2, 0.5 - 0.10 * 0.2, 0.5, 0.5 + 0.04 * 1.5], rtol=1e-6)
    assert (0.5 - out[1]) > (out[0] - 0.5)
    assert out.dtype == np.float32
    # clipped to [0, 1]
    clipped = trust._asymmetric_step(np.array([0.99, 0.01], np.float32),
                                         np.array([5.0, -5.0], np.float32), 1.0, 1.0)
    np.testing.assert_array_equal(clipped, [1.0, 0.0])


def test_initial_trust_is_a_rest_point():
    """Dispositions make the starting trust the rest point of the starting signals."""
    m = fresh(4)
    c = m.citizens
    before = (c.trust_local.copy(), c.trust_national.copy(), c.trust_others.copy())
    trust.update_trust(m)
    for b, a in zip(before, (c.trust_local, c.trust_national, c.trust_others), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_closure_lowers_local_trust_more_than_national():
    m = fresh(4)
    c = m.citizens
    loc = int(np.argmax(m.localities.n_citizens))
    inside = c.locality == loc
    before_local, before_nat = c.trust_local.copy(), c.trust_national.copy()
    m.closures_now[loc] = 1
    trust.update_trust(m)
    drop_local = (before_local - c.trust_local)[inside]
    drop_nat = (before_nat - c.trust_national)[inside]
    p = m.p
    w = p.social_weight
    down = min(1.0, p.trust_up_rate * p.trust_down_ratio)
    np.testing.assert_allclose(drop_local, down * (1 - w) * p.closure_shock, rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(drop_nat, down * (1 - w) * 0.5 * p.closure_shock, rtol=1e-3, atol=1e-5)
    np.testing.assert_allclose(c.trust_local[~inside], before_local[~inside], atol=1e-5)


def _non_members(m) -> np.ndarray:
    c = m.citizens
    return np.flatnonzero(c.adult & (c.leader_of < 0) & (c.member_of < 0).all(axis=1))


def test_update_burnout_rises_above_capacity_only():
    m = fresh(5)
    p, c = m.p, m.citizens
    over, under = _non_members(m)[:2]
    cap = np.maximum(c.free_time, p.volunteer_hours)
    c.burnout[:] = 0.2
    c.load[:] = 0
    c.load[over] = cap[over] + 5
    c.load[under] = cap[under] - 1
    membership.update_burnout(m, trust.heard(m))
    assert c.burnout[over] == pytest.approx(0.2 * (1 - p.burnout_recovery) + p.burnout_gain * 5, rel=1e-5)
    assert c.burnout[under] == pytest.approx(0.2 * (1 - p.burnout_recovery), rel=1e-5)
    assert c.burnout[over] > 0.2 > c.burnout[under]


def test_update_burnout_of_leaders_uses_leader_capacity_and_voice_relief():
    m = fresh(5)
    p, c, t = m.p, m.citizens, m.collective_table
    leader = int(np.flatnonzero(c.leader_of >= 0)[0])
    cid = int(c.leader_of[leader])
    mun = int(c.municipality[leader])
    c.burnout[:] = 0.0
    c.load[:] = 0
    c.load[leader] = p.leader_capacity_hours + 10
    t.heard[cid] = False
    membership.update_burnout(m, trust.heard(m))
    unheard = float(c.burnout[leader])
    assert unheard == pytest.approx(p.burnout_gain * 10, rel=1e-5)
    c.burnout[:] = 0.0
    t.heard[cid] = True
    m.municipal.responsiveness[mun] = 1.0
    membership.update_burnout(m, trust.heard(m))
    assert c.burnout[leader] == pytest.approx(p.burnout_gain * 10 - p.burnout_voice_relief, rel=1e-5)


def test_meeting_place_raises_volunteering_logit_by_beta_infrastructure():
    m = fresh(6, beta_infrastructure=0.7)
    c = m.citizens
    mp = m.meeting_places_per_locality()
    empty = np.flatnonzero((mp == 0) & (m.localities.n_citizens > 0))
    assert len(empty), "need a locality without a meeting place"
    loc = int(empty[0])
    peer = np.zeros(c.n)
    before = participation.participation_logit(m, peer)
    m.add_meeting_place(loc, funded_quarters=0)
    after = participation.participation_logit(m, peer)
    inside = c.locality == loc
    np.testing.assert_allclose((after - before)[inside], 0.7, rtol=1e-5)
    np.testing.assert_array_equal(after[~inside], before[~inside])


def test_peer_threshold_and_burnout_shift_the_logit():
    m = fresh(6)
    p, c = m.p, m.citizens
    base = participation.participation_logit(m, np.zeros(c.n))
    full = participation.participation_logit(m, np.ones(c.n))
    # a threshold of 0 is always reached (an instigator); the others need active ties
    np.testing.assert_allclose((full - base)[c.threshold > 0], p.beta_peer, rtol=1e-5)
    np.testing.assert_allclose((full - base)[c.threshold == 0], 0.0, atol=1e-6)
    c.burnout[:] = 0.5
    tired = participation.participation_logit(m, np.zeros(c.n))
    np.testing.assert_allclose(base - tired, 1.5, rtol=1e-5)


def test_meeting_place_raises_meeting_rate_and_bridging_share():
    m = fresh(6)
    p, c = m.p, m.citizens
    rate, share = participation.meeting_rates(m)
    has_mp = (m.meeting_places_per_locality() > 0)[c.locality]
    active = c.active_now
    expected = p.meeting_rate * (1 + p.meeting_place_meeting_boost * has_mp) * (0.5 + active)
    np.testing.assert_allclose(rate, expected, rtol=1e-6)
    np.testing.assert_allclose(share, np.where(has_mp, p.bridging_share_meeting_place, p.bridging_share_base),
                               rtol=1e-6)


# ---- collectives (collectives.py) ---------------------------------------------------------

@pytest.mark.parametrize("board_min, scale, expected", [
    (5, 1, 5), (15, 1, 15), (10, 2, 5), (9, 3, 3), (5, 100, 1), (5, 10_000, 1), (1, 1, 1),
])
def test_board_size(board_min, scale, expected):
    assert coll.board_size(board_min, scale) == expected


def test_dissolving_frees_members_leaders_and_facility():
    m = fresh(8)
    c, t, f = m.citizens, m.collective_table, m.facilities
    counts = np.bincount(c.leader_of[c.leader_of >= 0], minlength=t.n)

    def free_adults(cid: int) -> np.ndarray:
        return np.flatnonzero((c.locality == t.locality[cid]) & c.adult & (c.member_of[:, t.kind[cid]] < 0))

    # a led collective whose locality has two adults left to join it (localities are tiny here)
    cid = next(int(i) for i in np.flatnonzero(t.view("active") & (counts >= 1)) if len(free_adults(i)) >= 2)
    kind = int(t.kind[cid])
    loc = int(t.locality[cid])
    # give it two ordinary members besides its board
    free = free_adults(cid)[:2]
    assert len(free) == 2
    c.member_of[free, kind] = cid
    # let it run the locality's meeting place, which must close with it
    fid = int(np.flatnonzero(f.view("open") & (f.view("locality") == loc)
                             & (f.view("provider") == Provider.MUNICIPALITY))[0])
    m._give_to_collective(fid, cid, payment=1000.0)
    other = c.member_of[:, kind] != cid
    others_before = c.member_of[other].copy()
    n_agents = len(m.agents)  # collectives are table rows, not Mesa agents
    m.dissolve(np.array([cid]), np.array([FailureCause.MONEY]))
    assert not (c.member_of == cid).any()
    assert not (c.leader_of == cid).any()
    assert not t.active[cid] and t.dissolved[cid] == m.quarter and t.cause[cid] == FailureCause.MONEY
    assert t.facility[cid] == -1
    assert not f.open[fid] and f.closed_step[fid] == m.quarter and f.payment[fid] == 0
    assert m.closures_now[loc] == 1
    assert len(m.agents) == n_agents
    np.testing.assert_array_equal(c.member_of[other], others_before)


def test_recruitment_stays_within_locality():
    m = fresh(9)
    c, t = m.citizens, m.collective_table
    before = c.member_of.copy()
    for _ in range(3):
        membership.recruit_members(m)
    new = (before < 0) & (c.member_of >= 0)
    assert new.any()
    rows, kinds = np.nonzero(new)
    cid = c.member_of[rows, kinds]
    assert (t.locality[cid] == c.locality[rows]).all()
    assert (t.kind[cid] == kinds).all()


# ---- market (market.py) ---------------------------------------------------------------------

def _two_market_facilities(m):
    """Make every market facility viable, then one fail (revenue at half its threshold)."""
    f = m.facilities
    ids = np.flatnonzero(f.view("open") & (f.view("provider") == Provider.MARKET))
    f.local_share[ids] = 2 * f.threshold[ids] / f.revenue_base[ids]
    low, high, low2 = (int(i) for i in ids[:3])
    f.local_share[low] = 0.5 * f.threshold[low] / f.revenue_base[low]
    f.local_share[high] = 1.01 * f.threshold[high] / f.revenue_base[high]
    return low, high, low2


def test_unviable_facility_closes_without_subsidy_and_viable_one_stays():
    m = fresh(10)
    f = m.facilities
    low, high, _ = _two_market_facilities(m)
    n_open = int(f.view("open").sum())
    market.close_unviable_facilities(m)
    assert not f.open[low] and f.closed_step[low] == m.quarter
    assert m.closures_now[f.locality[low]] >= 1
    assert f.open[high]
    assert int(f.view("open").sum()) == n_open - 1
    assert m.national.subsidy_spent == 0


def test_market_subsidy_keeps_facility_open_and_conserves_money():
    m = fresh(10)
    f, g = m.facilities, m.national
    low, high, _ = _two_market_facilities(m)
    gap = f.threshold[low] - market.market_revenue(m, np.array([low]))[0]
    g.subsidy_pot = gap + 100.0
    market.close_unviable_facilities(m)
    assert f.open[low] and f.open[high]
    assert f.funded_until[low] == m.quarter + 4
    assert g.subsidy_pot == pytest.approx(100.0, abs=1e-6)
    assert g.subsidy_spent == pytest.approx(gap, rel=1e-12)
    # while funded it is not judged again, and nothing more is paid
    market.close_unviable_facilities(m)
    assert f.open[low] and g.subsidy_spent == pytest.approx(gap, rel=1e-12)


def test_market_subsidy_rescues_cheapest_first_and_never_overdraws():
    m = fresh(10)
    f, g = m.facilities, m.national
    low, _, low2 = _two_market_facilities(m)
    f.local_share[low2] = 0.2 * f.threshold[low2] / f.revenue_base[low2]
    gaps = f.threshold[[low, low2]] - market.market_revenue(m, np.array([low, low2]))
    cheap, dear = (low, low2) if gaps[0] < gaps[1] else (low2, low)
    pot = gaps.max()  # enough for either alone, not for both
    assert pot < gaps.sum()
    g.subsidy_pot = pot
    market.close_unviable_facilities(m)
    assert f.open[cheap] and not f.open[dear]
    assert g.subsidy_spent == pytest.approx(gaps.min(), rel=1e-12)
    assert g.subsidy_pot == pytest.approx(pot - gaps.min(), rel=1e-12)


def test_drift_lowers_local_purchase_shares():
    m = fresh(10, market_drift=0.2)
    f = m.facilities
    market_types = np.isin(f.view("type"), (FacilityType.SHOP, FacilityType.GP))
    before = f.view("local_share").copy()
    for _ in range(4):
        market.drift_local_share(m)
    ratio = f.view("local_share")[market_types] / before[market_types]
    shop = f.view("type")[market_types] == FacilityType.SHOP
    assert np.median(ratio[shop]) == pytest.approx(0.8, abs=0.02)  # one year of 20% drift
    assert np.median(ratio[~shop]) == pytest.approx((1 - 0.2 / 3), abs=0.02)  # GPs drift at a third


# ---- regions (regions.py) ---------------------------------------------------------------------

@pytest.mark.parametrize("scale", [1000, 2000, 7])
def test_build_localities_apportions_exactly(scale):
    regions = build_model("baseline", {"population_scale": 3000}, 0).regions
    if scale == 7:  # a fine scale on a small world
        regions = Regions.from_frame(pd.DataFrame({"province": ["A", "B", "C"],
                                                   "population_2024": [12_345, 50_001, 7_777],
                                                   "municipalities_2024": [2, 5, 1]}))
    loc = build_localities(regions, scale, np.random.default_rng(1))
    for r in range(regions.n):
        sel = loc.region == r
        assert loc.n_citizens[sel].sum() == round(int(regions.population[r]) / scale)
        assert loc.residents[sel].sum() == regions.population[r]
    assert (loc.residents > 0).all() and (loc.n_citizens >= 0).all()
    np.testing.assert_array_equal(loc.start, np.concatenate(([0], np.cumsum(loc.n_citizens)[:-1])))
    # every municipality has a locality and belongs to one region
    n_muni = int(regions.municipalities.sum())
    assert set(np.unique(loc.municipality)) == set(range(n_muni))
    first = np.concatenate(([0], np.cumsum(regions.municipalities)))
    for r in range(regions.n):
        munis = loc.municipality[loc.region == r]
        assert munis.min() >= first[r] and munis.max() < first[r + 1]
    assert set(np.unique(loc.kind)) <= {k.value for k in LocalityKind}
    # localities are grouped by region then municipality (citizens are contiguous slices)
    assert (np.diff(loc.region) >= 0).all() and (np.diff(loc.municipality) >= 0).all()
