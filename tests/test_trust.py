"""Trust with signals of its own (trust.py): social influence with bounded confidence and
optional repulsion, dated national events, closures felt locally, voice, and bridging contact.

Unit tests on hand-set arrays, and twin models: two models built from the same seed share
their whole state (the common start), so a change made to one of them shows alone in the
difference.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from experiments.api import build_model
from experiments.regions import load_regions
from model import Parameters, SamenModel, trust
from model.kinds import FacilityType
from model.participation import bridging_share
from model.trust import TrustEvent

SCALE = 3000


def small(seed: int = 1, **overrides) -> SamenModel:
    return build_model("baseline", {"population_scale": SCALE, "spinup_quarters": 4, **overrides}, seed)


# ---- social influence (Flache et al. 2017) -----------------------------------------------------

def test_influence_assimilates_within_the_bound_and_repels_beyond_it():
    m = SimpleNamespace(p=Parameters(influence_rate=0.1, confidence_bound=0.3, repulsion_rate=0.2,
                                     repulsion_bound=0.6))
    level = np.array([0.50, 0.60, 0.30, 0.95, 0.20, 0.70, 0.40], dtype=np.float32)
    tie = np.array([1, 0, 3, 2, 5, -1, 6])
    moved = trust._influence(m, level, tie)
    expected = [0.50 + 0.1 * 0.1,  # close: a tenth of the way towards the tie
                0.60 - 0.1 * 0.1,
                0.30 - 0.2 * 0.65,  # far (0.65 > 0.6): pushed away from the tie
                1.0,  # 0.95 + 0.2 * 0.65, clipped
                0.20,  # 0.5 apart: between the bounds, no influence
                0.70,  # no tie
                0.40]  # its own tie: no difference
    np.testing.assert_allclose(moved, expected, rtol=1e-6)
    assert moved.dtype == np.float32
    # without repulsion, distant ties leave one alone
    m.p = m.p.replace(repulsion_rate=0.0)
    np.testing.assert_allclose(trust._influence(m, level, tie)[[2, 3]], [0.30, 0.95], rtol=1e-6)


def test_repulsion_pushes_distant_ties_apart():
    """Two people far apart drift further apart with repulsion, closer without it."""
    start = np.array([0.25, 0.85], dtype=np.float32)
    ties = np.array([1, 0])
    gaps = {}
    for repulsion in (0.0, 0.1):
        m = SimpleNamespace(p=Parameters(influence_rate=0.05, confidence_bound=0.7, repulsion_rate=repulsion,
                                         repulsion_bound=0.5))
        level = start.copy()
        for _ in range(3):
            level = trust._influence(m, level, ties)
        gaps[repulsion] = float(level[1] - level[0])
    assert gaps[0.1] > 0.6 + 0.1  # pushed apart (0.6 x 1.2 each round)
    assert gaps[0.0] < 0.6 - 0.05  # with the bound wide, assimilation only


def test_expected_influence_is_the_mean_pull_over_ones_ties():
    p = Parameters(influence_rate=0.1, confidence_bound=0.3, repulsion_rate=0.2, repulsion_bound=0.6)
    # ties 0 - 1, 0 - 2, 1 - 2; citizen 3 has none
    net = SimpleNamespace(indptr=np.array([0, 2, 4, 6, 6]), indices=np.array([1, 2, 0, 2, 0, 1], dtype=np.int32))
    m = SimpleNamespace(p=p, network=net)
    level = np.array([0.5, 0.65, 0.0, 0.3], dtype=np.float32)
    expected = [(0.1 * 0.15 + 0.0) / 2,  # towards 1; 2 is 0.5 away, between the bounds
                (0.1 * -0.15 + 0.2 * 0.65) / 2,  # towards 0, pushed away from 2 (0.65 apart)
                (0.0 - 0.2 * 0.65) / 2,
                0.0]
    np.testing.assert_allclose(trust._expected_influence(m, level), expected, atol=1e-7)


# ---- national events ------------------------------------------------------------------------------

def test_national_events_fade_with_their_time_constant():
    events = (TrustEvent(year=2025.0, size=-0.08, quarters=4, name="scandal"),
              TrustEvent(year=2026.0, size=0.14, quarters=8, name="rally"),
              TrustEvent(year=2023.5, size=-0.3, quarters=40, name="before the start"))
    m = SimpleNamespace(events=events, year=2024.75, p=Parameters(start_year=2024))
    assert trust.national_events(m) == 0.0  # before any event (the one before step 0 is ignored)
    m.year = 2025.0
    assert trust.national_events(m) == pytest.approx(-0.08)
    m.year = 2026.0
    assert trust.national_events(m) == pytest.approx(-0.08 * math.exp(-1) + 0.14)
    m.year = 2028.0  # 12 quarters after the first (time constant 4), 8 after the second (8)
    assert trust.national_events(m) == pytest.approx(-0.08 * math.exp(-3) + 0.14 * math.exp(-1))


def twins_with_event(year_after_start: float, size: float, seed: int = 6):
    regions = load_regions()
    p = Parameters(population_scale=SCALE, spinup_quarters=4)
    event = TrustEvent(year=p.start_year + year_after_start, size=size, quarters=4, name="test")
    return p, SamenModel(p, regions, seed), SamenModel(p, regions, seed, events=(event,))


def national_rate(p: Parameters, size: float) -> float:
    return p.trust_up_rate if size > 0 else min(1.0, p.trust_up_rate * p.trust_down_ratio)


@pytest.mark.parametrize("size", [-0.1, 0.14])
def test_an_event_moves_national_trust_by_about_its_size_times_the_rate(size):
    """An event in the second quarter (a rally up, a scandal down): in the quarter it happens
    national trust moves by about rate x size (up or down rate); local trust does not move."""
    p, plain, shocked = twins_with_event(0.25, size)
    for m in (plain, shocked):
        m.step()
    np.testing.assert_array_equal(shocked.citizens.trust_national, plain.citizens.trust_national)  # not yet
    for m in (plain, shocked):
        m.step()
    adult = shocked.citizens.adult
    moved = (shocked.citizens.trust_national.astype(np.float64) - plain.citizens.trust_national)[adult]
    # the asymmetric rate acts on the whole gap to the target (ties' pull included), so the mean
    # lies near, not at, rate x size
    assert moved.mean() == pytest.approx(national_rate(p, size) * size, rel=0.2)
    assert (np.sign(moved[np.abs(moved) > 1e-6]) == np.sign(size)).mean() > 0.99
    np.testing.assert_array_equal(shocked.citizens.trust_local, plain.citizens.trust_local)
    series = shocked.outcome_frames()[0]["trust_government"] - plain.outcome_frames()[0]["trust_government"]
    assert series.iloc[1] == 0 and series.iloc[2] == pytest.approx(moved.mean(), rel=1e-3)


def test_an_event_at_the_start_is_not_absorbed_into_the_dispositions():
    """A scenario's event dated at step 0 (1 January of the start year) is part of the scenario,
    like its levers: the state at step 0 is the one without it (the common start), and it
    moves national trust in the first quarter. (Solved into the dispositions, as it once was, it
    would never act, and as it faded trust would move the other way.)"""
    p, plain, shocked = twins_with_event(0.0, -0.1)
    np.testing.assert_array_equal(shocked.citizens.disposition_national, plain.citizens.disposition_national)
    for m in (plain, shocked):
        m.step()
    moved = (shocked.citizens.trust_national.astype(np.float64) - plain.citizens.trust_national)
    assert moved[shocked.citizens.adult].mean() == pytest.approx(national_rate(p, -0.1) * -0.1, rel=0.2)


# ---- closures felt locally -------------------------------------------------------------------------

def test_a_closure_in_a_locality_lowers_its_local_trust():
    """Twin models; in one, a meeting place closes. Its locality's target of local trust falls
    by closure_trust_loss: trust falls at the down rate, or (where ties pull it down, so that
    its target lies above it) its rise slows at the up rate. National trust falls by
    national_spillover of that; elsewhere only social influence carries a trace."""
    a, b = small(7), small(7)
    f, c = a.facilities, a.citizens
    meeting = f.view("open") & (f.view("type") == FacilityType.MEETING)
    has_place = np.bincount(f.view("locality")[meeting], minlength=a.localities.n) > 0
    loc = int(np.argmax(np.where(has_place, a.localities.n_citizens, 0)))
    a.close_facility(np.flatnonzero(meeting & (f.view("locality") == loc))[:1])
    for m in (a, b):
        m.citizens_respond()
    p = a.p
    up, down = p.trust_up_rate, min(1.0, p.trust_up_rate * p.trust_down_ratio)
    inside = c.locality == loc
    assert inside.sum() >= 5
    for name, loss in (("trust_local", p.closure_trust_loss),
                       ("trust_national", p.national_spillover * p.closure_trust_loss)):
        drop = getattr(b.citizens, name).astype(np.float64) - getattr(c, name)
        assert (drop[inside] >= 0.95 * up * loss).all(), name
        assert (drop[inside] <= 1.05 * down * loss).all(), name
        assert drop[inside].mean() > (up + down) / 2 * loss, name  # most at rest: the down rate
        assert np.abs(drop[~inside]).max() <= p.influence_rate * down * loss * 1.05, name
    assert a.closure_memory[loc] == pytest.approx(b.closure_memory[loc] + 1)


# ---- voice and bridging ------------------------------------------------------------------------

def test_a_hearing_raises_the_voice_of_the_collectives_members():
    m = small(8, population_scale=300)
    c, t = m.citizens, m.collective_table
    t.heard[:t.n] = False
    t.denied[:t.n] = False
    before = trust.voice(m)
    cid = int(np.flatnonzero(t.view("active") & (np.bincount(c.member_of[c.member_of >= 0], minlength=t.n) > 0))[0])
    members = (c.member_of == cid).any(axis=1)
    t.heard[cid] = True
    heard = trust.voice(m)
    gain = m.p.heard_voice * m.responsiveness()[c.municipality]
    np.testing.assert_allclose(heard[members], np.minimum(before[members] + gain[members], 1), rtol=1e-5)
    np.testing.assert_array_equal(heard[~members], before[~members])
    t.heard[cid] = False
    t.denied[cid] = True
    denied = trust.voice(m)
    np.testing.assert_allclose(denied[members], np.maximum(before[members] - m.p.denial_voice_loss, 0), rtol=1e-5)


def test_more_bridging_contact_raises_trust_in_others():
    m = small(9)
    m.p = m.p.replace(influence_rate=0.0)
    trust.set_dispositions(m)
    c = m.citizens
    half = np.arange(c.n) % 2 == 0
    before_share = bridging_share(m)
    before = c.trust_others.copy()
    c.weak_bridging[half] = c.weak_ties[half]  # every weak tie now bridges
    gain_share = bridging_share(m) - before_share
    trust.update_trust(m)
    rise = c.trust_others.astype(np.float64) - before
    expected = m.p.trust_others_rate * m.p.bridging_weight * gain_share
    sel = half & (before < 0.99)
    np.testing.assert_allclose(rise[sel], expected[sel], atol=1e-6)
    assert rise[half].mean() > 0
    np.testing.assert_allclose(rise[~half], 0.0, atol=1e-6)


def test_expected_influence_equals_the_edge_list_sums_bit_for_bit():
    """The one-pass kernel gives the bits of the former edge-list formula (np.bincount)."""
    rng = np.random.default_rng(5)
    n = 500
    degree = rng.integers(0, 9, n)
    indptr = np.concatenate(([0], np.cumsum(degree)))
    indices = rng.integers(0, n, indptr[-1]).astype(np.int32)
    p = Parameters(influence_rate=0.07, confidence_bound=0.25, repulsion_rate=0.03, repulsion_bound=0.55)
    m = SimpleNamespace(p=p, network=SimpleNamespace(indptr=indptr, indices=indices))
    level = rng.random(n, dtype=np.float32)
    src = np.repeat(np.arange(n), degree)
    diff = level[indices].astype(np.float64) - level[src]
    pull = (p.influence_rate * (np.abs(diff) < p.confidence_bound)
            - p.repulsion_rate * (np.abs(diff) > p.repulsion_bound)) * diff
    total = np.bincount(src, weights=pull, minlength=n)
    expected = np.divide(total, degree, out=np.zeros(n), where=degree > 0)
    assert trust._expected_influence(m, level).tobytes() == expected.tobytes()


def test_trust_moves_towards_disposition_plus_signal_bit_for_bit():
    """The targets the update kernel gets (signals and dispositions added in one pass) are the
    float32 sums of the dispositions and trust_signals, as numpy adds them."""
    m = small(seed=3)
    m.step()
    c = m.citizens
    local, national, others = trust.trust_signals(m)
    targets = trust.trust_targets(m)
    for got, disposition, signal in zip(targets, (c.disposition_local, c.disposition_national,
                                                  c.disposition_others), (local, national, others), strict=True):
        assert got.dtype == np.float32 and got.tobytes() == (disposition + signal).tobytes()
    # a step moves trust: the targets are not the trust itself
    assert not np.array_equal(targets[1], c.trust_national)
