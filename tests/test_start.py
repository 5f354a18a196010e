"""A common start (issue 12): every scenario of a seed starts from one state, built under
today's policy and run through the spin-up; its levers switch on at step 0. Then: no start-up
jump in the baseline, trust at rest at step 0, and collectives whose size does not depend on
how finely people are sampled.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from experiments.api import build_model, run
from experiments.regions import load_regions
from experiments.scenarios import load_scenario, policy_scenario_names, scenario_parameters
from model import Parameters, SamenModel
from model.kinds import NEVER
from model.model import todays_policy
from model.parameters import LEVERS, PARAMS

SCALE = 3000
#: Enough spin-up to found, dissolve and close things before step 0; the common start does
#: not depend on its length.
SPINUP = 8


@pytest.fixture(scope="module")
def starts():
    """Every shipped policy scenario built from seed 5 (the hindcast has its own start)."""
    return {name: build_model(name, {"population_scale": SCALE, "spinup_quarters": SPINUP}, 5)
            for name in policy_scenario_names()}


def test_shipped_scenarios_differ_in_their_levers_only(starts):
    params = {name: m.p for name, m in starts.items()}
    base = params["baseline"]
    assert len({tuple(p.to_dict().items()) for p in params.values()}) == len(params)  # they differ
    for p in params.values():
        assert todays_policy(p) == todays_policy(base)


def test_step0_rows_are_identical_in_every_scenario(starts):
    base = starts["baseline"].outcome_frames()
    for name, m in starts.items():
        frames = m.outcome_frames()
        for kind, a, b in zip(("series", "regions", "groups"), base, frames, strict=True):
            assert len(b) and set(b["step"]) == {0}
            assert_frame_equal(a, b, check_exact=True, obj=f"{name} {kind}")
        assert_frame_equal(starts["baseline"].locality_frame(), m.locality_frame(), check_exact=True)


def test_the_state_at_step0_is_identical_in_every_scenario(starts):
    base = starts["baseline"]
    for name, m in starts.items():
        for field in dataclasses.fields(base.citizens):
            np.testing.assert_array_equal(getattr(m.citizens, field.name), getattr(base.citizens, field.name),
                                          err_msg=f"{name}: citizens.{field.name}")
        for table in ("collective_table", "facilities", "municipal"):
            a, b = getattr(base, table), getattr(m, table)
            assert a.n == b.n, f"{name}: {table} rows"
            for column in a.FIELDS:
                np.testing.assert_array_equal(a.view(column), b.view(column), err_msg=f"{name}: {table}.{column}")
        np.testing.assert_array_equal(m.network.indices, base.network.indices)
        for memory in ("closure_memory", "opening_memory", "investment_received"):
            np.testing.assert_array_equal(getattr(m, memory), getattr(base, memory), err_msg=memory)
        assert m.quarter == 0 and _same_reference(m.reference, base.reference)


def _same_reference(a, b) -> bool:
    return all(np.array_equal(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))


def test_levers_act_from_the_first_step(starts):
    """Same start, different futures: the manifesto builds in its first quarter, austerity cuts."""
    runs = {}
    for name in ("baseline", "manifesto", "austerity"):
        m = build_model(name, {"population_scale": SCALE, "spinup_quarters": SPINUP}, 5)
        m.step()
        runs[name] = m
    assert runs["manifesto"].national.places_built > 0 and runs["baseline"].national.places_built == 0
    budget = {name: m.municipal.view("budget").sum() for name, m in runs.items()}
    assert budget["austerity"] < budget["baseline"]


def test_apply_levers_refuses_a_change_that_is_not_a_lever():
    m = build_model("baseline", {"population_scale": SCALE, "spinup_quarters": 0}, 1)
    with pytest.raises(ValueError, match="homophily"):
        m.apply_levers(m.p.replace(homophily=3.0))
    with pytest.raises(ValueError, match="trust_up_rate"):
        m.apply_levers(m.p.replace(partnership=0.9, trust_up_rate=0.1))
    m.apply_levers(m.p.replace(partnership=0.9, investment_eur=5e8))
    assert m.p.partnership == 0.9 and m.national.unallocated == 5e8


def test_todays_policy_resets_the_levers_and_keeps_the_rest():
    p = scenario_parameters(load_scenario("manifesto"), {"homophily": 3.0, "population_scale": 2000})
    today = todays_policy(p)
    for name in PARAMS:
        expected = PARAMS[name].default if name in LEVERS else getattr(p, name)
        assert getattr(today, name) == expected, name
    assert today == todays_policy(Parameters(homophily=3.0, population_scale=2000))


def test_the_spinup_runs_before_step0_and_is_not_reported():
    m = build_model("baseline", {"population_scale": SCALE, "spinup_quarters": 12}, 2)
    t, f = m.collective_table, m.facilities
    assert m.quarter == 0 and m.year == m.p.start_year
    founded, dissolved = t.view("founded"), t.view("dissolved")
    assert founded.min() == -12  # the start's collectives, placed when the clock read -12
    assert ((founded > -12) & (founded < 0)).any()  # founded during the spin-up
    gone = dissolved != NEVER
    assert gone.any() and (dissolved[gone] < 0).all()  # dissolved during the spin-up, before step 0
    closed = f.view("closed_step")
    assert ((closed != NEVER) & (closed < 0)).any()
    series = m.outcome_frames()[0]
    assert list(series["step"]) == [0] and series["year"].iloc[0] == m.p.start_year
    for cause in ("leaders", "money", "background"):
        assert series[f"dissolved_{cause}"].iloc[0] == 0  # counted since step 0


# ---- no start-up jump ---------------------------------------------------------------------------

#: The mission outcomes whose first quarter must not jump (issue 12, done-when).
MISSION = ("cohesion", "trust_government", "trust_local_government", "trust_others", "participation_rate",
           "access", "meeting_places", "collectives_active", "trust_gap_education", "trust_local_gap_education",
           "trust_others_gap_education", "participation_gap_education",
           *(f"theil_{v}_{part}" for v in ("access", "participation", "trust_local", "trust_others")
             for part in ("between", "between_education")))
#: Mission outcomes that count things (whole numbers).
COUNTS = ("meeting_places", "collectives_active")
JUMP_SEEDS = (1, 2, 3)
JUMP_SCALE = 300


@pytest.fixture(scope="module")
def baseline_runs() -> list[pd.DataFrame]:
    """Ten years of the baseline with the default spin-up, three seeds."""
    return [run("baseline", {"population_scale": JUMP_SCALE}, seed=s, steps=40).series for s in JUMP_SEEDS]


@pytest.mark.slow
def test_no_outcome_jumps_in_the_first_quarter(baseline_runs):
    """Done-when: averaged over seeds, no mission outcome moves more in the first quarter than
    three times its median quarterly change over quarters 4-40.

    A noisy first quarter is not a jump: the standard error of the first change over the seeds
    is allowed on top, so that only a shift shared by the seeds fails. Counts resolve to one
    unit: a count whose median change is below one (it mostly stands still) is compared with one.
    """
    mean = sum(s[list(MISSION)] for s in baseline_runs) / len(baseline_runs)
    change = mean.diff()
    firsts = np.array([s[list(MISSION)].diff().iloc[1].to_numpy() for s in baseline_runs])
    noise = firsts.std(axis=0, ddof=1) / np.sqrt(len(baseline_runs))
    jumps = {}
    for i, name in enumerate(MISSION):
        first = abs(change[name].iloc[1])
        typical = change[name].iloc[4:41].abs().median()
        if name in COUNTS:
            typical = max(typical, 1.0)
        if first > 3 * typical + noise[i]:
            jumps[name] = (round(first, 8), round(typical, 8), firsts[:, i].round(8).tolist())
    assert not jumps, f"first-quarter change above 3x the median quarterly change (first, median, per seed): {jumps}"


@pytest.mark.slow
def test_mean_trust_is_at_rest_in_the_first_quarter(baseline_runs):
    """Dispositions are solved at step 0: mean trust moves by less than 0.05 pp in the first
    quarter of the baseline (its typical later change is several times that)."""
    for series in baseline_runs:
        for name in ("trust_government", "trust_local_government", "trust_others"):
            assert abs(series[name].iloc[1] - series[name].iloc[0]) < 5e-4, name


# ---- collectives at real size ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def step0_by_scale() -> dict[int, pd.Series]:
    return {scale: build_model("baseline", {"population_scale": scale}, 1).outcome_frames()[0].iloc[0]
            for scale in (100, 300, 1000)}


@pytest.mark.parametrize("column", ["collectives_active", "collective_members", "board_members"])
def test_collectives_and_members_at_step0_do_not_depend_on_the_scale(step0_by_scale, column):
    values = {scale: row[column] for scale, row in step0_by_scale.items()}
    assert max(values.values()) <= 1.05 * min(values.values()), values


def test_people_in_collectives_are_counted_in_residents(step0_by_scale):
    """About a million members, and boards of up to board_min residents each, at every scale."""
    board_min = PARAMS["board_min"].default
    for row in step0_by_scale.values():
        assert 5e5 < row["collective_members"] < 2e6
        per_board = row["board_members"] / row["collectives_active"]
        assert 0.5 * board_min < per_board <= board_min
        assert row["board_members"] < row["volunteers"] + row["board_members"] <= row["collective_members"]


def test_a_branch_equals_a_model_built_in_place_and_leaves_its_start_untouched():
    regions = load_regions()
    p = scenario_parameters(load_scenario("manifesto"), {"population_scale": SCALE, "spinup_quarters": SPINUP})
    start = SamenModel.start(p, regions, 5)
    first, second = start.branch(p), start.branch(p)
    direct = SamenModel(p, regions, 5)
    for m in (first, second, direct):
        for _ in range(2):
            m.step()
    for a, b, c in zip(first.outcome_frames(), second.outcome_frames(), direct.outcome_frames(), strict=True):
        assert_frame_equal(a, c, check_exact=True)
        assert_frame_equal(b, c, check_exact=True)
    with pytest.raises(ValueError, match="branch from a start"):
        first.branch(p)


def test_models_from_the_api_share_a_start_but_not_their_state():
    overrides = {"population_scale": SCALE, "spinup_quarters": SPINUP}
    a, b = build_model("baseline", overrides, 9), build_model("baseline", overrides, 9)
    assert a.citizens is not b.citizens and a.collective_table is not b.collective_table
    a.step()
    assert a.quarter == 1 and b.quarter == 0
    assert len(b.outcome_frames()[0]) == 1
    assert_frame_equal(build_model("baseline", overrides, 9).outcome_frames()[0], b.outcome_frames()[0],
                       check_exact=True)
