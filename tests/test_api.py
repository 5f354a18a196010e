"""The Python API: one model factory, runs in memory, reproducible by seed."""

from __future__ import annotations

import dataclasses

import pytest
from pandas.testing import assert_frame_equal

from experiments.api import MIN_STEPS, RunRequest, RunResult, build_model, run
from experiments.errors import SamenError
from experiments.regions import load_regions
from experiments.scenarios import Scenario, load_scenario, scenario_parameters
from model.model import todays_policy
from model.outcomes import GROUP_COLUMNS, REGION_COLUMNS, SERIES_COLUMNS
from model.parameters import LEVERS, PARAMS, ParameterError, Parameters
from model.regions import Regions

from .conftest import FAST_OVERRIDES


def test_build_model_applies_scenario_and_overrides():
    overrides = {**FAST_OVERRIDES, "partnership": 0.65}
    model = build_model("manifesto", overrides=overrides, seed=3)
    assert model.p.investment_eur == 1e9  # from the manifesto scenario
    assert model.p.regulatory_burden == 0.2  # from the manifesto scenario
    assert model.p.partnership == 0.65  # the override wins over the scenario's 0.8
    assert model.p.population_scale == 2000  # an override of a parameter the scenario leaves alone
    assert model.p.homophily == PARAMS["homophily"].default  # named by neither: its default
    assert model.p == scenario_parameters(load_scenario("manifesto"), overrides)
    # The overrides reach the built state, not just the parameters.
    coarser = build_model("manifesto", overrides={**overrides, "population_scale": 4000}, seed=3)
    assert 0 < coarser.citizens.n < model.citizens.n
    assert model.citizens.n == build_model("manifesto", overrides=overrides, seed=3).citizens.n


def test_run_returns_frames_without_writing(in_tmp):
    result = run("baseline", overrides=FAST_OVERRIDES, seed=5, steps=3)
    assert isinstance(result, RunResult)
    assert result.scenario == "baseline" and result.seed == 5 and result.steps == 3
    assert result.parameters.population_scale == 2000
    assert list(result.series["step"]) == [0, 1, 2, 3]
    assert set(SERIES_COLUMNS) <= set(result.series.columns)
    assert set(REGION_COLUMNS) <= set(result.regions.columns)
    assert set(GROUP_COLUMNS) <= set(result.groups.columns)
    assert result.duration_s > 0
    assert list(in_tmp.iterdir()) == []  # no disk writes


def test_same_seed_same_result_different_seed_differs():
    a = run("manifesto", overrides=FAST_OVERRIDES, seed=9, steps=4)
    b = run("manifesto", overrides=FAST_OVERRIDES, seed=9, steps=4)
    for name in ("series", "regions", "groups"):
        assert_frame_equal(getattr(a, name), getattr(b, name))
    c = run("manifesto", overrides=FAST_OVERRIDES, seed=10, steps=4)
    assert not a.series.equals(c.series)


def test_run_without_seed_picks_and_records_one():
    result = run(overrides=FAST_OVERRIDES, steps=1)
    assert isinstance(result.seed, int) and 0 <= result.seed < 2**63


def test_regions_can_be_given_as_object():
    regions = load_regions()
    result = run(overrides=FAST_OVERRIDES, seed=1, steps=1, regions=regions)
    assert set(result.regions["region"]) == set(regions.names)


def test_progress_bar_runs(capsys):
    run(overrides=FAST_OVERRIDES, seed=1, steps=2, progress=True)
    assert "quarter" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"scenario": "nope"}, SamenError),
        ({"overrides": {"partnership": -1}}, ParameterError),
        ({"overrides": {"nonsense": 1}}, ParameterError),
        ({"seed": -3}, SamenError),
        ({"seed": 1.5}, SamenError),
        ({"steps": -1}, SamenError),
    ],
)
def test_run_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        run(**{"overrides": FAST_OVERRIDES, "steps": 1, **kwargs})


def test_a_request_resolves_every_input_once():
    request = RunRequest("manifesto", FAST_OVERRIDES, seed=4, steps=2)
    assert isinstance(request.scenario, Scenario) and request.scenario.name == "manifesto"
    assert isinstance(request.regions, Regions) and len(request.regions.names) == 12
    assert request.overrides == FAST_OVERRIDES and request.seed == 4 and request.steps == 2
    assert request.parameters == scenario_parameters(request.scenario, FAST_OVERRIDES)
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.seed = 5
    fresh = RunRequest(overrides=FAST_OVERRIDES)
    assert isinstance(fresh.seed, int) and 0 <= fresh.seed < 2**63  # drawn once, kept


def test_parameters_are_built_once_per_run(monkeypatch):
    scenario = load_scenario("manifesto")  # loading validates the file: not part of the run
    built = []
    original = Parameters.__init__

    def counting(self, **values):
        built.append(values)
        original(self, **values)

    monkeypatch.setattr(Parameters, "__init__", counting)
    request = RunRequest(scenario, FAST_OVERRIDES, seed=1, steps=1)
    assert len(built) == 1  # the request's own parameters
    result = request.run()
    model = request.build()
    assert result.parameters is request.parameters and model.p is request.parameters
    # each model builds its start under today's policy: one more set per model, the request's
    # values with every lever at its default, and nothing else is rebuilt
    assert len(built) == 1 + 2
    today = todays_policy(request.parameters)
    for values in built[1:3]:
        assert Parameters(**values) == today
        assert all(values[name] == PARAMS[name].default for name in LEVERS)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"scenario": "nope"}, SamenError, "unknown scenario 'nope'; known scenarios: baseline"),
    ({"overrides": {"partnership": -1}}, ParameterError, "partnership=-1 is out of range: use a number in [0, 1]"),
    ({"overrides": {"nonsense": 1}}, ParameterError, "unknown parameter 'nonsense'"),
    ({"seed": -3}, SamenError, "seed -3 must be a whole number in [0, 2**63)"),
    ({"seed": 1.5}, SamenError, "seed 1.5 must be a whole number in [0, 2**63)"),
    ({"steps": -1}, SamenError, f"steps -1 must be a whole number of at least {MIN_STEPS} (quarters)"),
    ({"steps": True}, SamenError, "steps True must be a whole number"),
    ({"regions": "nowhere.csv"}, SamenError, "regions file nowhere.csv does not exist"),
    # Several problems: the first in the order scenario, parameters, steps, seed, regions.
    ({"scenario": "nope", "seed": -1, "steps": -1}, SamenError, "unknown scenario 'nope'"),
    ({"overrides": {"partnership": 2}, "steps": -1}, ParameterError, "partnership=2"),
    ({"steps": -1, "seed": -1}, SamenError, "steps -1"),
])
def test_a_bad_request_is_refused_with_one_readable_line(in_tmp, kwargs, error, message):
    with pytest.raises(error) as info:
        RunRequest(**{"overrides": FAST_OVERRIDES, **kwargs})
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_zero_steps_is_the_initial_state():
    result = run("baseline", overrides=FAST_OVERRIDES, seed=2, steps=0)
    assert list(result.series["step"]) == [0] and result.steps == 0
    assert set(result.regions["step"]) == {0}
