"""The Python API: one model factory, runs in memory, reproducible by seed."""

from __future__ import annotations

import pytest
from pandas.testing import assert_frame_equal

from experiments.api import RunResult, build_model, run
from experiments.errors import SamenError
from experiments.regions import load_regions
from model import SamenModel
from model.outcomes import GROUP_COLUMNS, REGION_COLUMNS, SERIES_COLUMNS
from model.parameters import ParameterError

from .conftest import FAST_OVERRIDES


def test_build_model_applies_scenario_and_overrides():
    model = build_model("manifesto", overrides=FAST_OVERRIDES, seed=3)
    assert isinstance(model, SamenModel)


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
