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
from model.kinds import FacilityType, FailureCause, LocalityKind, Provider, Role
from model.network import social_distance
from model.reach import compute_reach
from model.regions import build_localities

SCALE = 3000


def fresh(seed: int = 1, **overrides) -> SamenModel:
    """A small model at step 0; a short spin-up unless a test needs the settled start."""
    return build_model("baseline", {"population_scale": SCALE, "spinup_quarters": 4, **overrides}, seed)


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


def citizen_values(m, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Each person's value of a decomposed variable, and who counts (access: everyone; else adults)."""
    c = m.citizens
    values = {"access": m.reach.access[c.locality], "participation": c.volunteered_this_year.astype(np.float64),
              "trust_local": c.trust_local, "trust_others": c.trust_others}[name]
    people = np.ones(c.n, dtype=bool) if name == "access" else c.adult
    return np.asarray(values, dtype=np.float64)[people], people


@pytest.mark.parametrize("name", outcomes.THEIL_VARIABLES)
def test_reported_theil_parts_are_the_theil_of_citizens_values(world, name):
    """theil_<v>, its between-province and its between-education part in the series are
    outcomes.theil over every counted person's own value."""
    series = world.outcome_frames()[0].iloc[0]
    c = world.citizens
    values, people = citizen_values(world, name)
    total, between = outcomes.theil(values, c.region[people].astype(np.int64))
    total_edu, between_edu = outcomes.theil(values, c.education[people].astype(np.int64))
    assert total == pytest.approx(total_edu, rel=1e-12)
    assert series[f"theil_{name}"] == pytest.approx(total, rel=1e-7)
    assert series[f"theil_{name}_between"] == pytest.approx(between, rel=1e-6, abs=1e-13)
    assert series[f"theil_{name}_between_education"] == pytest.approx(between_edu, rel=1e-6, abs=1e-13)
    assert 0 < series[f"theil_{name}_between"] < series[f"theil_{name}"]
    assert 0 < series[f"theil_{name}_between_education"] < series[f"theil_{name}"]


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


def test_step0_trust_is_at_rest_in_expectation():
    """Dispositions make each person's surveyed trust the rest point of their step-0 signals and
    of the expected influence of their ties: the expected change is 0 for everyone."""
    m = fresh(4, spinup_quarters=24)
    p, c = m.p, m.citizens
    local, national, others = trust.trust_signals(m)
    up, down = p.trust_up_rate, min(1.0, p.trust_up_rate * p.trust_down_ratio)
    for name, level, disposition, signal in (
            ("local", c.trust_local, c.disposition_local, local),
            ("national", c.trust_national, c.disposition_national, national),
            ("others", c.trust_others, c.disposition_others, others)):
        gap = (disposition + signal).astype(np.float64) - level
        rate = np.full(c.n, p.trust_others_rate) if name == "others" else np.where(gap > 0, up, down)
        expected = rate * gap + trust._expected_influence(m, level)
        np.testing.assert_allclose(expected, 0.0, atol=1e-6, err_msg=name)
        assert np.abs(gap).max() > 1e-3, f"{name}: a trivial rest point (no signal or influence)"


def test_one_quarter_of_trust_moves_people_but_not_the_mean():
    """A quarter's update draws one tie per person: people move, the mean stays (to 1e-4)."""
    m = fresh(4, spinup_quarters=24)
    c = m.citizens
    before = [c.trust_local.copy(), c.trust_national.copy(), c.trust_others.copy()]
    trust.update_trust(m)
    for b, a in zip(before, (c.trust_local, c.trust_national, c.trust_others), strict=True):
        change = a.astype(np.float64) - b
        assert abs(change.mean()) < 1e-4
        assert np.abs(change).max() > 1e-3  # social influence from the sampled tie


def test_without_social_influence_step0_trust_does_not_move():
    m = fresh(4)
    m.p = m.p.replace(influence_rate=0.0)
    trust.set_dispositions(m)
    c = m.citizens
    before = (c.trust_local.copy(), c.trust_national.copy(), c.trust_others.copy())
    trust.update_trust(m)
    for b, a in zip(before, (c.trust_local, c.trust_national, c.trust_others), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_remembered_closure_lowers_local_trust_and_a_share_of_national_trust():
    """A closure in memory lowers the local signal by closure_trust_loss and the national one by
    national_spillover times that; trust at rest falls at the down rate; elsewhere nothing moves."""
    m = fresh(4)
    m.p = m.p.replace(influence_rate=0.0)  # the signal alone
    trust.set_dispositions(m)
    p, c = m.p, m.citizens
    loc = int(np.argmax(m.localities.n_citizens))
    before_local, before_nat = c.trust_local.copy(), c.trust_national.copy()
    inside = (c.locality == loc) & (before_nat > 0.01)
    m.closure_memory[loc] += 1
    trust.update_trust(m)
    down = min(1.0, p.trust_up_rate * p.trust_down_ratio)
    drop_local = (before_local - c.trust_local)[inside]
    drop_nat = (before_nat - c.trust_national)[inside]
    np.testing.assert_allclose(drop_local, down * p.closure_trust_loss, rtol=1e-3, atol=1e-6)
    np.testing.assert_allclose(drop_nat, down * p.national_spillover * p.closure_trust_loss, rtol=1e-3, atol=1e-6)
    assert (drop_local > drop_nat).all()
    outside = c.locality != loc
    np.testing.assert_allclose(c.trust_local[outside], before_local[outside], atol=1e-6)
    np.testing.assert_allclose(c.trust_national[outside], before_nat[outside], atol=1e-6)


def test_closures_and_openings_enter_a_fading_memory():
    m = fresh(4, event_memory_decay=0.2)
    m.closure_memory[:] = 1.0
    m.opening_memory[:] = 0.5
    m.closures_now[:] = 0
    m.openings_now[:] = 0
    m.closures_now[3] = 2
    m.openings_now[5] = 1
    trust.remember_events(m)
    expected_closed = np.full(m.localities.n, 0.8)
    expected_closed[3] += 2
    expected_opened = np.full(m.localities.n, 0.4)
    expected_opened[5] += 1
    np.testing.assert_allclose(m.closure_memory, expected_closed)
    np.testing.assert_allclose(m.opening_memory, expected_opened)


def test_meeting_place_raises_volunteering_logit_by_beta_infrastructure_times_its_effect():
    m = fresh(6, beta_infrastructure=0.7)
    c = m.citizens
    mp = m.meeting_places_per_locality()
    empty = np.flatnonzero((mp == 0) & (m.localities.n_citizens > 0))
    assert len(empty), "need a locality without a meeting place"
    loc = int(empty[0])
    peer = np.zeros(c.n)
    before, effect_before = participation.participation_logit(m, peer), m.reach.meeting_effect.copy()
    m.add_meeting_place(loc, funded_quarters=0)
    m.reach = compute_reach(m)
    after = participation.participation_logit(m, peer)
    gain = m.reach.meeting_effect - effect_before
    assert gain[loc] > 0.1
    np.testing.assert_allclose(after - before, 0.7 * gain[c.locality], rtol=1e-4, atol=1e-6)
    inside = c.locality == loc
    assert (after[inside] > before[inside]).all()


def test_peer_threshold_and_burnout_shift_the_logit():
    m = fresh(6)
    p, c = m.p, m.citizens
    c.burnout[:] = 0.0
    base = participation.participation_logit(m, np.zeros(c.n))
    full = participation.participation_logit(m, np.ones(c.n))
    # a threshold of 0 is always reached (an instigator); the others need active ties
    np.testing.assert_allclose((full - base)[c.threshold > 0], p.beta_peer, rtol=1e-5)
    np.testing.assert_allclose((full - base)[c.threshold == 0], 0.0, atol=1e-6)
    c.burnout[:] = 0.5
    tired = participation.participation_logit(m, np.zeros(c.n))
    np.testing.assert_allclose(base - tired, -0.5 * p.beta_burnout, rtol=1e-5)


def test_meeting_places_in_reach_raise_meeting_rate_and_bridging_share_by_their_effect():
    m = fresh(6)
    p, c = m.p, m.citizens
    rate, share = participation.meeting_rates(m)
    effect = m.reach.meeting_effect[c.locality]
    expected = (p.meeting_rate * (1 + p.meeting_place_meeting_boost * effect)
                * (1 + p.active_meeting_boost * c.active_now))
    np.testing.assert_allclose(rate, expected, rtol=1e-6)
    np.testing.assert_allclose(
        share, p.bridging_share_base + (p.bridging_share_meeting_place - p.bridging_share_base) * effect, rtol=1e-6)
    # the range of effects reaches from none to nearly full: the rule is exercised both ways
    assert effect.min() < 0.2 and effect.max() > 0.8


def test_meeting_adds_the_quarters_rates_to_the_decayed_weak_ties_exactly():
    """The one-pass kernel gives, bit for bit, the update written with meeting_rates in float32."""
    m = fresh(6)
    c, d = m.citizens, m.p.weak_tie_decay
    c.weak_ties[::3] += 1.7  # off the rest point, so that decay and rates both show
    c.active_history[::2] |= 1  # some citizens active this quarter
    rate, share = participation.meeting_rates(m)
    ties, bridging = c.weak_ties.copy(), c.weak_bridging.copy()
    ties *= 1 - d
    bridging *= 1 - d
    ties += rate
    bridging += rate * share
    participation.meet(m)
    assert c.weak_ties.dtype == np.float32 and np.array_equal(c.weak_ties, ties)
    assert np.array_equal(c.weak_bridging, bridging)


# ---- collectives (collectives.py) ---------------------------------------------------------

def test_dissolving_frees_the_citizens_standing_for_it_and_closes_its_facility():
    m = fresh(8, population_scale=300)  # fine enough that a collective holds a few citizens
    c, t, f = m.citizens, m.collective_table, m.facilities
    flagged = np.bincount(c.member_of[c.member_of >= 0], minlength=t.n)
    municipal = f.view("open") & (f.view("provider") == Provider.MUNICIPALITY)
    has_service = np.bincount(f.view("locality")[municipal], minlength=m.localities.n) > 0
    # an active collective with citizens standing for it, in a locality with a municipal service
    cid = int(np.flatnonzero(t.view("active") & (flagged >= 2) & has_service[t.view("locality")])[0])
    kind, loc = int(t.kind[cid]), int(t.locality[cid])
    members = np.flatnonzero(c.member_of[:, kind] == cid)
    assert (c.role[members, kind] > Role.NONE).all()
    fid = int(np.flatnonzero(municipal & (f.view("locality") == loc))[0])
    m._give_to_collective(fid, cid, payment=1000.0)
    other = c.member_of != cid
    others_before = c.member_of[other].copy()
    m.closures_now[:] = 0
    n_agents = len(m.agents)  # collectives are table rows, not Mesa agents
    m.dissolve(np.array([cid]), np.array([FailureCause.MONEY]))
    assert not (c.member_of == cid).any()
    assert (c.role[members, kind] == Role.NONE).all()
    assert not t.active[cid] and t.dissolved[cid] == m.quarter and t.cause[cid] == FailureCause.MONEY
    assert t.facility[cid] == -1
    assert not f.open[fid] and f.closed_step[fid] == m.quarter and f.payment[fid] == 0
    assert m.closures_now[loc] == 1
    assert len(m.agents) == n_agents
    np.testing.assert_array_equal(c.member_of[other], others_before)


def test_recruitment_grows_collectives_within_their_room_and_the_sample_follows_locally():
    m = fresh(9)
    c, t, p = m.citizens, m.collective_table, m.p
    members_before = t.view("members").copy()
    flagged_before = c.member_of.copy()
    for _ in range(3):
        membership.recruit_members(m)
    grown = t.view("members") - members_before
    assert (grown >= 0).all() and grown.sum() > 0
    room = coll.per_kind(p, "max_members")[t.view("kind")]
    assert (t.view("members") <= np.maximum(room, members_before)).all()
    membership.sync_citizens(m)
    new = (flagged_before < 0) & (c.member_of >= 0)
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


@pytest.mark.parametrize("overrides", [{}, {"regulatory_burden": 0.9, "partnership": 0.8}, {"warm_glow": 0.0}])
def test_cooperation_rest_point_is_next_contribution_iterated_bit_for_bit(overrides):
    p = Parameters(**overrides)
    effect = np.array([0.0, 0.1, 0.5, 0.93, 1.0])
    mix, slope = coll.coop_mix_shares(p), coll.cooperation_slope(p, effect)
    level = np.full(len(effect), p.warm_glow)
    for _ in range(coll.FIXED_POINT_ITERATIONS):
        level = coll.next_contribution(mix, level, slope, p.warm_glow)
    rest = coll.cooperation_rest_point(p, effect)
    assert rest.tobytes() == level.tobytes()
    assert np.abs(coll.next_contribution(mix, rest, slope, p.warm_glow) - rest).max() < 1e-9  # at rest
    assert coll.cooperation_rest_point(p).shape == () and float(coll.cooperation_rest_point(p)) == rest[0]


def test_compiled_leader_potential_and_locality_share_equal_their_numpy_definitions(world):
    """The fused kernels give exactly what the numpy expressions gave (issue 13)."""
    from model.citizens import leader_potential

    m, p, c = world, world.p, world.citizens
    bar = np.array([p.leader_motivation_low, p.leader_motivation_middle, p.leader_motivation_high],
                   dtype=np.float32)[c.education]
    expected = (c.adult & (c.motivation > bar) & (c.free_time >= p.leader_min_free_time)
                & (c.burnout < p.leader_max_burnout) & (c.top_role < Role.BOARD))
    assert np.array_equal(leader_potential(m), expected) and expected.any() and not expected.all()
    mask = expected
    sums = np.bincount(c.locality, weights=mask & c.adult, minlength=m.localities.n)
    national = float((mask & c.adult).sum() / max(c.adult.sum(), 1))
    assert m.locality_share(mask).tobytes() == m._shrunk(sums, national).tobytes()


def test_network_rounds_and_dedupe_give_the_numpy_formulation_bit_for_bit(monkeypatch):
    """The compiled candidate rounds and CSR dedupe equal the vectorised numpy code they replace
    (tie keys sorted in three ranges, as three threads sort them)."""
    from model import network, threads

    monkeypatch.setattr(threads, "MIN_PER_THREAD", 500)
    monkeypatch.setattr(threads, "_threads", 3)

    rng = np.random.default_rng(11)
    n = 3_000
    l_count = rng.integers(1, 40, n)
    l_start = np.maximum(np.arange(n) - rng.integers(0, 40, n), 0)
    m_size = np.full(n, n // 3)
    m_first = (np.arange(n) // (n // 3)) * (n // 3)
    code = rng.integers(0, 60, n).astype(np.uint8)
    table = rng.random((60, 60), dtype=np.float32)
    u_local, offset, u_accept = rng.random(n, dtype=np.float32), rng.random(n), rng.random(n, dtype=np.float32)
    share = 0.7
    local = (u_local < share) & (l_count >= network.MIN_LOCAL_CANDIDATES)
    j = np.where(local, l_start + (offset * l_count).astype(np.int64), m_first + (offset * m_size).astype(np.int64))
    accept = (j != np.arange(n)) & (u_accept < table[code, code[j]])
    inputs = (u_local, offset, u_accept, np.float32(share), l_start, l_count, m_first, m_size,
              np.int64(network.MIN_LOCAL_CANDIDATES), code, table)
    src, dst = network._accepted_ties(*inputs, 0, n)
    assert np.array_equal(src, np.flatnonzero(accept).astype(np.int32)) and src.dtype == np.int32
    assert np.array_equal(dst, j[accept].astype(np.int32)) and 0 < len(src) < n
    halves = [network._accepted_ties(*inputs, 0, 1_234), network._accepted_ties(*inputs, 1_234, n)]
    assert np.array_equal(np.concatenate([h[0] for h in halves]), src)  # ranges join in citizen order
    key = network._sorted_tie_keys([src[:100], src[100:]], [dst[:100], dst[100:]], n)
    indptr, z, a_code, z_code = network._dedupe_csr(key, n, code)
    unique = np.unique(np.concatenate([src.astype(np.int64) * n + dst, dst.astype(np.int64) * n + src]))
    a = unique // n
    assert np.array_equal(z, (unique - a * n).astype(np.int32))
    assert np.array_equal(indptr, np.concatenate(([0], np.cumsum(np.bincount(a, minlength=n)))))
    assert np.array_equal(a_code, code[a]) and np.array_equal(z_code, code[unique - a * n])
