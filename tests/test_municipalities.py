"""Municipalities that choose (municipalities.py): a budget that follows the municipal fund and
national decisions, cuts by least value per euro, the right to challenge, reopening within
budget, yearly grant rounds in each municipality's own quarter, and what a national
investment leaves them when its funding ends.
"""

from __future__ import annotations

import numpy as np
import pytest

from experiments.api import build_model
from model import collectives as coll
from model.kinds import FacilityType, Provider
from model.municipalities import TAKEOVER_KIND, grant_round, municipal_costs

SCALE = 3000


def small(seed: int = 1, **overrides):
    return build_model("baseline", {"population_scale": SCALE, "spinup_quarters": 2, **overrides}, seed)


def own_services(m, municipality: int | None = None) -> np.ndarray:
    """Open services the municipality pays for itself (not funded by the national investment)."""
    f, loc = m.facilities, m.localities
    own = f.view("open") & (f.view("provider") == Provider.MUNICIPALITY) & (f.view("funded_until") <= m.quarter)
    ids = np.flatnonzero(own)
    if municipality is not None:
        ids = ids[loc.municipality[f.locality[ids]] == municipality]
    return ids


def municipality_with_services(m, k: int) -> int:
    f, loc = m.facilities, m.localities
    counts = np.bincount(loc.municipality[f.locality[own_services(m)]], minlength=m.municipal.n)
    assert counts.max() >= k
    return int(np.argmax(counts))


def cut_setup(m, costs, gap):
    """k services of one municipality with hand-set costs, and a budget ``gap`` below its costs."""
    idx = municipality_with_services(m, len(costs))
    ids = own_services(m, idx)[:len(costs)]
    m.facilities.cost[ids] = costs
    cost = float(municipal_costs(m)[idx])
    m.municipal.budget[idx] = cost - gap
    return m.municipalities.to_list()[idx], ids, cost


def test_over_budget_the_least_value_per_euro_closes_first_until_the_gap_is_closed():
    m = small()
    m.p = m.p.replace(partnership=0.0)  # no right to challenge: cuts close
    mun, ids, cost = cut_setup(m, [100e3, 200e3, 300e3, 400e3], gap=350e3)
    value = np.array([50.0, 400.0, 90.0, 800.0])  # per euro: 0.5, 2, 0.3, 2
    m.closures_now[:] = 0
    mun.balance_budget(ids, cost, value)
    f = m.facilities
    np.testing.assert_array_equal(f.open[ids], [False, True, False, True])  # 300k (0.3), then 100k (0.5)
    assert (f.closed_step[ids[[0, 2]]] == m.quarter).all()
    assert municipal_costs(m)[mun.idx] <= m.municipal.budget[mun.idx]
    assert m.closures_now.sum() == 2


def test_within_budget_nothing_is_cut():
    m = small()
    mun, ids, cost = cut_setup(m, [100e3, 200e3], gap=-1.0)
    mun.balance_budget(ids, cost, np.ones(2))
    assert m.facilities.open[ids].all()


def test_with_full_partnership_a_collective_takes_the_service_over():
    """Right to challenge: the cut service is offered to a local collective first, which gets
    handover_budget_share of its cost; the municipality saves the rest."""
    m = small()
    m.p = m.p.replace(partnership=1.0)
    p, f, t = m.p, m.facilities, m.collective_table
    mun, ids, cost = cut_setup(m, [100e3, 200e3, 300e3, 400e3], gap=50e3)
    value = np.array([50.0, 400.0, 90.0, 800.0])
    target = ids[2]  # least value per euro; saving 300k x (1 - share) closes a 50k gap
    kind = TAKEOVER_KIND[FacilityType(int(f.type[target]))]
    coll.create(m, np.array([f.locality[target]]), np.array([int(kind)]), rescue=False)  # one can take it
    t.facility[:t.n][(t.view("locality") == f.locality[target]) & (t.view("kind") == kind)] = -1
    mun.balance_budget(ids, cost, value)
    assert f.open[ids].all()  # nothing closed
    assert f.provider[target] == Provider.COLLECTIVE
    runner = f.collective[target]
    assert t.active[runner] and t.kind[runner] == kind and t.facility[runner] == target
    assert t.locality[runner] == f.locality[target]
    assert f.payment[target] == pytest.approx(p.handover_budget_share * 300e3)
    assert (f.provider[ids[[0, 1, 3]]] == Provider.MUNICIPALITY).all()  # the gap was closed: it stopped
    assert municipal_costs(m)[mun.idx] == pytest.approx(cost - (1 - p.handover_budget_share) * 300e3)


def test_a_service_nobody_can_take_over_closes_even_with_full_partnership():
    m = small()
    m.p = m.p.replace(partnership=1.0)
    f, t = m.facilities, m.collective_table
    mun, ids, cost = cut_setup(m, [100e3, 200e3], gap=50e3)
    # no collective of the locality can take it, and too few could lead to found one
    t.active[:t.n][np.isin(t.view("locality"), f.locality[ids])] = False
    m.leader_share = lambda: np.zeros(m.localities.n)
    mun.balance_budget(ids, cost, np.array([1.0, 100.0]))  # the first has least value per euro
    assert not f.open[ids[0]] and f.provider[ids[0]] == Provider.MUNICIPALITY
    assert f.open[ids[1]]


def _closed_services(m, costs):
    idx = municipality_with_services(m, len(costs))
    ids = np.sort(own_services(m, idx)[:len(costs)])
    m.facilities.cost[ids] = costs
    m.close_facility(ids)
    return m.municipalities.to_list()[idx], ids


@pytest.mark.parametrize(("room", "reopened"), [(250e3, 1), (50e3, None), (1e9, 2), (100e3, 0)])
def test_reopening_takes_the_most_value_per_euro_that_fits_the_budget(room, reopened):
    m = small()
    mun, ids = _closed_services(m, [100e3, 200e3, 300e3])
    value = np.array([100.0, 500.0, 900.0])  # per euro: 1, 2.5, 3
    cost = float(municipal_costs(m)[mun.idx])
    m.municipal.budget[mun.idx] = (cost + room) / (1 - m.p.reopen_reserve)  # room beyond the reserve
    m.openings_now[:] = 0
    mun.reopen_services(ids, cost, value)
    f = m.facilities
    expected = np.zeros(3, dtype=bool)
    if reopened is not None:
        expected[reopened] = True
    np.testing.assert_array_equal(f.open[ids], expected)
    assert m.openings_now.sum() == expected.sum()
    assert municipal_costs(m)[mun.idx] <= m.municipal.budget[mun.idx]


@pytest.mark.parametrize("change", [0.0, -0.04, 0.03])
def test_the_budget_follows_the_fund_trend_and_the_national_decision(change):
    m = build_model("baseline", {"population_scale": SCALE, "spinup_quarters": 2,
                                 "municipal_budget_change": change}, 4)
    before = m.municipal.view("budget").copy()
    m.step()
    quarterly = (1 + m.p.municipal_fund_trend + change) ** 0.25
    np.testing.assert_allclose(m.municipal.view("budget"), before * quarterly, rtol=1e-12)
    assert m.p.municipal_fund_trend < 0  # today's policy: a fund that does not keep up


def test_a_municipality_over_budget_has_nothing_of_its_own_left_to_cut():
    """Under austerity municipalities cut until their costs fit the shrinking budget."""
    m = build_model("austerity", {"population_scale": SCALE, "spinup_quarters": 2}, 5)
    start = len(own_services(m))
    for _ in range(8):
        m.step()
        over = np.flatnonzero(municipal_costs(m) > m.municipal.view("budget") + 1e-6)
        for idx in over:
            assert len(own_services(m, idx)) == 0, f"municipality {idx} over budget with services left"
    assert len(own_services(m)) < 0.98 * start  # the cuts happened


def test_grant_rounds_are_held_by_each_municipality_in_its_own_quarter():
    m = small()
    t = m.collective_table
    holding = m.municipal.view("round_quarter") == 1
    assert 0 < holding.sum() < m.municipal.n
    t.heard[:t.n] = False
    t.denied[:t.n] = False
    grant_round(m, holding)
    decided = t.view("heard") | t.view("denied")
    in_round = holding[t.view("municipality")] & t.view("active")
    np.testing.assert_array_equal(decided, in_round)
    assert t.view("heard")[in_round].any() and t.view("denied")[in_round].any()


def test_responsiveness_is_culture_plus_partnership():
    m = small()
    expected = np.clip(m.municipal.view("culture") + m.p.responsiveness_partnership * m.p.partnership, 0, 1)
    np.testing.assert_allclose(m.responsiveness(), expected)
    assert m.municipal.view("culture").std() > 0  # political culture differs between municipalities


def test_a_funded_place_becomes_a_municipal_cost_when_the_investment_stops_paying():
    m = small()
    loc = int(np.argmax(m.localities.residents))
    idx = int(m.localities.municipality[loc])
    before = municipal_costs(m)[idx]
    m.add_meeting_place(loc, funded_quarters=4)
    assert municipal_costs(m)[idx] == pytest.approx(before)
    m.quarter += 4
    assert municipal_costs(m)[idx] == pytest.approx(before + m.p.meeting_place_running_eur)
