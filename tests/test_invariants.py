"""Invariants over short runs: people and euros conserved, shares in [0, 1], consistent
membership, well-formed outcome tables, on several seeds and lever settings.

Each run is checked after every step, so a violation is caught in the quarter it appears.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.api import build_model
from model.kinds import CollectiveKind
from model.outcomes import GROUP_COLUMNS, REGION_COLUMNS, SERIES_COLUMNS

SCALE = 2000
STEPS = 8
SEEDS = (1, 2, 3)
MANIFESTO_LIKE = {"investment_eur": 1e9, "partnership": 0.8, "regulatory_burden": 0.2}
#: Lever settings: today's defaults, the manifesto under each allocation rule, austerity,
#: and investment together with a market subsidy (both national pots at once).
SETTINGS = {
    "baseline": {},
    **{f"manifesto-{rule}": {**MANIFESTO_LIKE, "allocation": rule}
       for rule in ("per_capita", "needs_based", "matching", "competitive")},
    "austerity": {"municipal_budget_change": -0.1},
    "investment+subsidy": {"investment_eur": 2e8, "market_subsidy_eur": 2e8},
}
SHARE_COLUMNS = ("cohesion", "trust_government", "trust_local_government", "trust_others",
                 "participation_rate", "access", "volunteer_burnout")


def check_state(m) -> None:
    """Every invariant of one model state (raises AssertionError naming the first violated)."""
    c, t, p, g = m.citizens, m.collective_table, m.p, m.national
    n_expected = int(sum(round(int(pop) / p.population_scale) for pop in m.regions.population))
    assert c.n == n_expected
    for name in ("locality", "region", "municipality", "trust_national", "trust_local",
                 "trust_others", "burnout", "load", "leader_of", "member_of"):
        assert len(getattr(c, name)) == n_expected, name

    for name in ("trust_national", "trust_local", "trust_others", "burnout", "motivation"):
        x = getattr(c, name)
        assert np.isfinite(x).all() and (x >= 0).all() and (x <= 1).all(), name
    assert np.isfinite(c.load).all() and (c.load >= 0).all()
    coop = t.view("cooperation")
    assert ((coop >= 0) & (coop <= 1)).all()
    assert np.isfinite(t.view("funds")).all()

    # membership: a member's collective is active and in the member's own locality
    active = t.view("active")
    for k in CollectiveKind:
        ids = c.member_of[:, k]
        sel = ids >= 0
        assert active[ids[sel]].all(), f"member of a dissolved collective ({k.name})"
        assert (t.locality[ids[sel]] == c.locality[sel]).all(), f"member outside own locality ({k.name})"
        assert (t.kind[ids[sel]] == k).all(), f"membership column {k.name} holds another kind"
    lead = np.flatnonzero(c.leader_of >= 0)
    cid = c.leader_of[lead]
    assert active[cid].all(), "leader of a dissolved collective"
    assert (c.member_of[lead, t.kind[cid]] == cid).all(), "leader is not a member of what they lead"
    # Mesa agents are the deciding actors: the national government, municipalities, firms
    assert len(m.agents) == 1 + m.municipal.n + len(m.firms)

    # euros: the investment is conserved and never overspent
    total = g.unallocated + g.available + g.reserved + g.spent
    assert total == pytest.approx(p.investment_eur, rel=1e-9, abs=1e-6)
    assert min(g.unallocated, g.available, g.reserved, g.spent) >= -1e-6
    assert g.spent <= p.investment_eur * (1 + 1e-12)
    sub = g.subsidy_unallocated + g.subsidy_pot + g.subsidy_spent
    assert sub == pytest.approx(p.market_subsidy_eur, rel=1e-9, abs=1e-6)
    assert g.subsidy_spent <= p.market_subsidy_eur * (1 + 1e-12)
    assert min(g.subsidy_unallocated, g.subsidy_pot, g.subsidy_spent) >= -1e-6


def check_frames(m, steps: int) -> None:
    series, regions, groups = m.outcome_frames()
    n_regions = m.regions.n
    assert list(series.columns) == list(SERIES_COLUMNS)
    assert list(regions.columns) == list(REGION_COLUMNS)
    assert list(groups.columns) == list(GROUP_COLUMNS)
    assert len(series) == steps + 1
    assert len(regions) == n_regions * (steps + 1) and n_regions == 12
    assert len(groups) == 15 * (steps + 1)
    assert list(series["step"]) == list(range(steps + 1))
    assert (regions.groupby("step").size() == n_regions).all()
    assert (groups.groupby("step").size() == 15).all()
    for name, frame in (("series", series), ("regions", regions), ("groups", groups)):
        assert not frame.isna().any().any(), f"NaN in {name}"
        numeric = frame.select_dtypes("number")
        assert np.isfinite(numeric.to_numpy(float)).all(), f"inf in {name}"
    for col in SHARE_COLUMNS:
        assert series[col].between(0, 1).all(), col
    for frame in (regions, groups):
        for col in set(SHARE_COLUMNS) & set(frame.columns):
            assert frame[col].between(0, 1).all(), col
    assert (series["theil_access_between"] >= -1e-12).all()
    assert (series["theil_access_between"] <= series["theil_access"] + 1e-12).all()

    # people: residents represented are the same every step and add up across tables
    scale = m.p.population_scale
    residents = int(m.regions.population.sum())
    per_step = regions.groupby("step")["population"].sum()
    assert (per_step == m.citizens.n * scale).all()
    assert abs(per_step.iloc[0] - residents) <= n_regions * scale / 2
    expected_region_pop = np.array([round(int(x) / scale) * scale for x in m.regions.population])
    for _, frame in regions.groupby("step"):
        np.testing.assert_array_equal(frame["population"].to_numpy(), expected_region_pop)
    adults = int(m.citizens.adult.sum()) * scale
    assert (groups.groupby("step")["population"].sum() == adults).all()

    # counts agree between the national and the regional table
    for col in ("meeting_places", "facilities_open", "collectives_active"):
        np.testing.assert_array_equal(regions.groupby("step")[col].sum().to_numpy(),
                                      series[col].to_numpy(), err_msg=col)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("setting", list(SETTINGS))
def test_invariants_hold_every_step(setting, seed):
    m = build_model("baseline", {"population_scale": SCALE, **SETTINGS[setting]}, seed)
    check_state(m)
    for _ in range(STEPS):
        m.step()
        check_state(m)
    check_frames(m, STEPS)


@pytest.mark.parametrize("setting", ["baseline", "manifesto-per_capita"])
def test_spending_matches_the_national_accounts(setting):
    """public_spending_eur counts the national money spent in a quarter: summed over the run it
    is at least the investment actually spent (municipal spending comes on top)."""
    m = build_model("baseline", {"population_scale": SCALE, **SETTINGS[setting]}, 5)
    for _ in range(STEPS):
        m.step()
    series, _, _ = m.outcome_frames()
    assert (series["public_spending_eur"] >= 0).all()
    assert series["public_spending_eur"].iloc[1:].sum() >= m.national.spent - 1e-6


def test_market_subsidy_pays_only_what_it_has():
    """market-led: the subsidy pot keeps facilities open but never spends beyond its budget."""
    m = build_model("market-led", {"population_scale": SCALE, "market_subsidy_eur": 5e6}, 4)
    for _ in range(STEPS):
        m.step()
        check_state(m)
    assert 0 < m.national.subsidy_spent <= 5e6


def test_frames_are_pandas_with_stable_dtypes():
    m = build_model("baseline", {"population_scale": SCALE}, 1)
    m.step()
    series, regions, groups = m.outcome_frames()
    assert isinstance(series, pd.DataFrame)
    assert set(regions["region"].iloc[:12]) == set(m.regions.names)
    assert sorted(set(groups["education"])) == ["high", "low", "middle"]
    assert sorted(set(groups["income_quintile"])) == [1, 2, 3, 4, 5]
