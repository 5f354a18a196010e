"""The hindcast's inputs: start-year state, dated policy, the energy founding factor, horizon."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.api import RunRequest, build_model, run
from experiments.errors import SamenError
from experiments.scenarios import load_scenario, policy_scenario_names, scenario_names
from model import collectives as coll
from model.kinds import CollectiveKind
from model.parameters import DATED_PARAMETERS, ParameterError, Parameters, PolicyChange

SMALL = {"population_scale": 5000, "spinup_quarters": 0}


def _scenario(tmp_path, text: str):
    path = tmp_path / "s.toml"
    path.write_text('description = "t"\ndescription_nl = "t"\n' + text, encoding="utf-8")
    return load_scenario(path)


def test_hindcast_is_shipped_with_its_horizon_and_not_a_policy_scenario():
    hindcast = load_scenario("hindcast-2012")
    assert "hindcast-2012" in scenario_names() and "hindcast-2012" not in policy_scenario_names()
    assert "manifesto" in policy_scenario_names()
    assert hindcast.steps == 48 and hindcast.overrides["start_year"] == 2012
    assert [round(c.year) for c in hindcast.policy] == [2014, 2015, 2018]
    assert RunRequest("hindcast-2012", {"population_scale": 5000}, 1).steps == 48
    assert RunRequest("hindcast-2012", {"population_scale": 5000}, 1, steps=8).steps == 8
    assert RunRequest("baseline", {}, 1).steps == 40


def test_the_hindcast_runs_from_2012_to_2024_and_repeats_exactly():
    a = run("hindcast-2012", {"population_scale": 5000}, seed=3)
    b = run("hindcast-2012", {"population_scale": 5000}, seed=3)
    assert a.series["year"].iloc[0] == 2012.0 and a.series["year"].iloc[-1] == 2024.0
    for column in ("energy_cooperatives", "energy_members", "municipalities_with_energy_cooperative",
                   "village_shops", "participation_rate", "trust_others", "trust_government",
                   "trust_local_government"):
        assert column in a.series
    pd.testing.assert_frame_equal(a.series, b.series, check_exact=True)


def test_policy_changes_are_read_in_date_order(tmp_path):
    s = _scenario(tmp_path, "[[policy]]\nyear = 2030.0\npartnership = 0.9\n"
                            "[[policy]]\nyear = 2026.5\nname = \"cut\"\nmunicipal_budget_change = -0.05\n")
    assert [c.year for c in s.policy] == [2026.5, 2030.0]
    assert s.policy[0] == PolicyChange(2026.5, {"municipal_budget_change": -0.05}, "cut")


@pytest.mark.parametrize("text, needle", [
    ("[[policy]]\nyear = 2026.0\ninvestment_eur = 1e9\n", "investment_eur"),
    ("[[policy]]\nyear = 2026.0\npartnership = 3.0\n", "partnership"),
    ("[[policy]]\npartnership = 0.5\n", "year"),
    ("[[policy]]\nyear = 2026.0\n", "sets no parameter"),
    ("policy = 3\n", "[[policy]]"),
])
def test_bad_policy_changes_are_refused_in_one_line(tmp_path, text, needle):
    with pytest.raises((SamenError, ParameterError)) as err:
        _scenario(tmp_path, text)
    assert needle in str(err.value) and "\n" not in str(err.value)


def test_a_dated_change_applies_from_its_date_and_not_before(tmp_path):
    s = _scenario(tmp_path, "[[policy]]\nyear = 2025.0\npartnership = 0.9\nenergy_policy_support = 2.0\n")
    m = build_model(s, SMALL, seed=1)
    seen = []
    for _ in range(8):
        m.step()
        seen.append((m.year, m.p.partnership, m.p.energy_policy_support))
    assert [p for y, p, _ in seen if y <= 2025.0] == [0.3] * 4
    assert all(p == 0.9 and e == 2.0 for y, p, e in seen if y > 2025.0)


def test_a_dated_change_cannot_set_a_start_parameter():
    model = build_model("baseline", SMALL, seed=1)
    assert "population_scale" not in DATED_PARAMETERS and "investment_eur" not in DATED_PARAMETERS
    with pytest.raises(ValueError, match="population_scale"):
        model._begin(model.p, (), "last", (PolicyChange(2025.0, {"population_scale": 10}),))


def test_start_counts_are_placed_and_trust_starts_shifted():
    shifted = {**SMALL, "start_energy_cooperatives": 100, "start_care_collectives": 7,
               "start_neighbourhood_organisations": 50, "start_trust_national_shift": -0.1,
               "start_trust_others_shift": -0.1}
    m = build_model("baseline", shifted, seed=2)
    base = build_model("baseline", SMALL, seed=2)
    t = m.collective_table
    counts = np.bincount(t.view("kind")[t.view("active")], minlength=len(CollectiveKind))
    assert list(counts) == [100, 7, 0, 50]
    adult = m.citizens.adult
    for name in ("trust_national", "trust_others"):
        drop = getattr(base.citizens, name)[adult].mean() - getattr(m.citizens, name)[adult].mean()
        assert 0.07 < drop < 0.12, name


def test_energy_founding_factor_is_support_times_imitation_of_the_province():
    m = build_model("baseline", {**SMALL, "energy_imitation": 2.0, "energy_policy_support": 0.5}, seed=1)
    t = m.collective_table
    live = t.view("active") & (t.view("kind") == CollectiveKind.ENERGY)
    muni_energy = np.bincount(t.view("municipality")[live], minlength=m.municipal.n).astype(float)
    factor = coll.energy_founding_factor(m, muni_energy)
    region = m.municipal.view("region")
    for r in range(m.regions.n):
        munis = region == r
        share = (muni_energy[munis] > 0).mean()
        here = munis[m.localities.municipality]
        np.testing.assert_allclose(factor[here], 0.5 * (1 + 2.0 * share))
    assert Parameters().energy_imitation == 0 and Parameters().energy_policy_support == 1


def test_imitation_speeds_founding_of_energy_cooperatives():
    def count(imitation):
        r = run("hindcast-2012", {"population_scale": 5000, "energy_imitation": imitation}, seed=1, steps=8)
        return r.series["energy_cooperatives"].iloc[-1]

    assert count(6.0) > count(0.0)


def _growth(series: pd.Series, start: float, end: float) -> float:
    return float((series[end] / series[start]) ** (1 / (end - start)) - 1)


def test_energy_cooperatives_take_off_then_slow_while_members_keep_growing():
    """Issue 14: the count grows and saturates from founding (niches and examples nearby), and
    members keep growing after it slows; without founding there is no growth at all."""
    s = run("hindcast-2012", {"population_scale": 5000}, seed=2).series.set_index("year")
    take_off = _growth(s["energy_cooperatives"], 2014.0, 2018.0)
    late = _growth(s["energy_cooperatives"], 2020.0, 2024.0)
    members_late = _growth(s["energy_members"], 2020.0, 2024.0)
    assert take_off > 0.10 and late < take_off / 2 and members_late > 2 * late
    none = run("hindcast-2012", {"population_scale": 5000, "founding_weight_energy": 0.0}, seed=2).series
    assert none["energy_cooperatives"].iloc[-1] <= none["energy_cooperatives"].iloc[0]
