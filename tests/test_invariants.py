"""Invariants over short runs: people and euros conserved, shares in [0, 1], consistent
membership, well-formed outcome tables, on several seeds and lever settings.

Each run is checked after every step, so a violation is caught in the quarter it appears.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from experiments.api import build_model
from model.kinds import CollectiveKind, Role
from model.outcomes import GROUP_COLUMNS, LOCALITY_COLUMNS, REGION_COLUMNS, SERIES_COLUMNS, THEIL_VARIABLES

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


def active_rows(t) -> np.ndarray:
    return np.append(t.view("active"), False)


def check_sample(m) -> None:
    """After each quarter the citizens with a role match the collectives' resident counts.

    A collective of ``x`` residents at a level (members; volunteers and board; board) holds
    ``floor(x / scale + u)`` citizens at that level or above (membership.sync_citizens), fewer
    only when its locality has no adult left to draw.
    """
    c, t, scale = m.citizens, m.collective_table, m.p.population_scale
    u, live = t.view("rounding"), t.view("active")
    want = {
        Role.MEMBER: np.floor(t.view("members") / scale + u),
        Role.VOLUNTEER: np.floor((t.view("volunteers") + t.view("board")) / scale + u),
        Role.BOARD: np.floor(t.view("board") / scale + u),
    }
    have = {}
    for level in want:
        have[level] = np.zeros(t.n, dtype=np.int64)
        for k in CollectiveKind:
            sel = (c.member_of[:, k] >= 0) & (c.role[:, k] >= level)
            have[level] += np.bincount(c.member_of[sel, k], minlength=t.n)
        want[level] = np.where(live, want[level], 0).astype(np.int64)
        assert (have[level] <= want[level]).all(), f"more citizens at {level.name} than the counts ask"
    for level in (Role.VOLUNTEER, Role.BOARD):
        np.testing.assert_array_equal(have[level], np.minimum(want[level], have[Role.MEMBER]), err_msg=level.name)
    short = np.flatnonzero(have[Role.MEMBER] < want[Role.MEMBER])
    for cid in short:  # only where no adult of the locality is left to join
        k, where = int(t.kind[cid]), int(t.locality[cid])
        free = (c.locality == where) & c.adult & (c.member_of[:, k] < 0)
        assert not free.any(), f"collective {cid} lacks members while its locality has free adults"


def check_state(m) -> None:
    """Every invariant of one model state (raises AssertionError naming the first violated)."""
    c, t, p, g = m.citizens, m.collective_table, m.p, m.national
    n_expected = int(sum(round(int(pop) / p.population_scale) for pop in m.regions.population))
    assert c.n == n_expected
    for field in dataclasses.fields(c):
        assert len(getattr(c, field.name)) == n_expected, field.name

    for name in ("trust_national", "trust_local", "trust_others", "burnout", "motivation"):
        x = getattr(c, name)
        assert np.isfinite(x).all() and (x >= 0).all() and (x <= 1).all(), name
    coop = t.view("cooperation")
    assert ((coop >= 0) & (coop <= 1)).all()
    assert np.isfinite(t.view("funds")).all()

    # collectives count residents: board and volunteers are members, nobody gives more than
    # max_weekly_hours, burnout is a share
    board, volunteers, members = t.view("board"), t.view("volunteers"), t.view("members")
    assert (board >= 0).all() and (volunteers >= 0).all() and (t.passive >= 0).all()
    for name in ("board_load", "volunteer_load"):
        load = t.view(name)
        assert np.isfinite(load).all() and (load >= 0).all(), name
        assert (load <= p.max_weekly_hours + 1e-9).all(), f"{name} above max_weekly_hours"
    assert (t.view("unmet_hours") >= -1e-9).all()
    for name in ("board_burnout", "volunteer_burnout"):
        x = t.view(name)
        assert ((x >= 0) & (x <= 1)).all(), name
    assert (members >= board + volunteers).all()

    # the citizen sample: a member's collective is active, of the column's kind and in the
    # member's own locality; a role goes with a membership
    for k in CollectiveKind:
        ids = c.member_of[:, k]
        sel = ids >= 0
        assert active_rows(t)[ids[sel]].all(), f"member of a dissolved collective ({k.name})"
        assert (t.locality[ids[sel]] == c.locality[sel]).all(), f"member outside own locality ({k.name})"
        assert (t.kind[ids[sel]] == k).all(), f"membership column {k.name} holds another kind"
        assert ((c.role[:, k] > Role.NONE) == sel).all(), f"role and membership disagree ({k.name})"
        assert c.adult[sel].all(), f"a child stands for a member ({k.name})"
    check_sample(m)
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
    n_groups = 3 * 5 * 3  # education x income quintile x locality kind
    assert len(groups) == n_groups * (steps + 1)
    assert list(series["step"]) == list(range(steps + 1))
    assert (regions.groupby("step").size() == n_regions).all()
    assert (groups.groupby("step").size() == n_groups).all()
    assert not groups.duplicated(["step", "education", "income_quintile", "locality_kind"]).any()
    for name, frame in (("series", series), ("regions", regions), ("groups", groups)):
        assert not frame.isna().any().any(), f"NaN in {name}"
        numeric = frame.select_dtypes("number")
        assert np.isfinite(numeric.to_numpy(float)).all(), f"inf in {name}"
    for col in SHARE_COLUMNS:
        assert series[col].between(0, 1).all(), col
    for frame in (regions, groups):
        for col in set(SHARE_COLUMNS) & set(frame.columns):
            assert frame[col].between(0, 1).all(), col
    for name in THEIL_VARIABLES:
        total = series[f"theil_{name}"]
        assert (total >= 0).all(), name
        for part in ("between", "between_education"):
            between = series[f"theil_{name}_{part}"]
            assert ((between >= -1e-12) & (between <= total + 1e-12)).all(), f"theil_{name}_{part}"

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
    # people in collectives are residents: the series sums the collectives' own counts
    t = m.collective_table
    live = t.view("active")
    last = series.iloc[-1]
    assert last["collective_members"] == t.view("members")[live].sum()
    assert last["volunteers"] == t.view("volunteers")[live].sum()
    assert last["board_members"] == t.view("board")[live].sum()
    assert last["board_members"] <= last["collective_members"]

    # where it happens: one row per locality, adding up to the national counts
    localities = m.locality_frame()
    assert list(localities.columns) == list(LOCALITY_COLUMNS)
    assert len(localities) == m.localities.n and (localities["step"] == steps).all()
    np.testing.assert_array_equal(localities["locality"], np.arange(m.localities.n))
    for col in ("meeting_places", "facilities_open", "collectives_active"):
        assert localities[col].sum() == last[col], col
    assert localities["residents"].sum() == m.regions.population.sum()
    g = m.national
    invested = m.p.investment_eur - g.unallocated - g.available
    assert localities["investment_eur"].sum() == pytest.approx(invested, rel=1e-9, abs=1e-3)


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
