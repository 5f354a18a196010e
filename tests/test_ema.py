"""The EMA Workbench (the ``ema`` extra, installed by ``make test``) runs on a Samen sweep."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from experiments.ema import to_ema
from experiments.sweep import load_runs, run_sweep
from tests.sweep_fakes import fake_run

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # "ipyparallel not installed": not needed here
    from ema_workbench.analysis import feature_scoring, prim


@pytest.fixture(scope="module")
def lhs_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("ema") / "lhs"
    run_sweep({"name": "ema", "seed": 2, "design": "lhs", "samples": 200, "steps": 4,
               "outcomes": ["trust_government", "theil_access_between"],
               "levers": {"investment_eur": [0, 2e9], "allocation": ["per_capita", "needs_based"],
                          "partnership": [0, 1]},
               "uncertainties": {"board_min": [3, 7]}}, workers=1, out=out, run_fn=fake_run)
    return out


def test_to_ema_gives_the_experiments_and_outcomes_pair(lhs_dir):
    experiments, outcomes = to_ema(lhs_dir)
    runs = load_runs(lhs_dir)
    assert len(experiments) == len(runs) == 200
    assert list(experiments.columns) == ["investment_eur", "allocation", "partnership", "board_min",
                                         "scenario", "policy", "model"]
    assert isinstance(experiments["allocation"].dtype, pd.CategoricalDtype)
    assert list(experiments["allocation"].cat.categories) == ["per_capita", "needs_based"]
    assert (experiments["policy"] == "baseline").all() and (experiments["model"] == "samen").all()
    assert set(outcomes) >= {"trust_government", "trust_government_change", "theil_access_between"}
    np.testing.assert_array_equal(outcomes["trust_government"], runs["trust_government"].to_numpy())


# EMA Workbench 3.0 calls DataFrame.drop(inplace=True), which pandas 3.1 deprecates. That is
# EMA's to fix; only that warning, raised inside ema_workbench, is let through here.
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.drop:DeprecationWarning:ema_workbench")
def test_ema_prim_and_feature_scoring_run_on_a_samen_sweep(lhs_dir):
    experiments, outcomes = to_ema(lhs_dir)
    x = experiments.drop(columns=["scenario", "policy", "model"])
    # The fake's regional gap falls with partnership: low gaps live at high partnership.
    y = outcomes["theil_access_between"] < np.quantile(outcomes["theil_access_between"], 0.25)
    box = prim.Prim(x, y).find_box()
    trajectory = box.peeling_trajectory
    assert ((trajectory["coverage"] > 0.8) & (trajectory["density"] > 0.7)).any()
    limits = box.box_lims[-1]
    assert limits.loc[0, "partnership"] > 0.2 and limits.loc[0, "investment_eur"] > 0  # lower limits raised
    scores = feature_scoring.get_feature_scores_all(x, outcomes)
    assert scores.loc["partnership", "theil_access_between"] == scores["theil_access_between"].max()


def test_to_ema_of_a_policies_sweep_names_policies_and_futures(tmp_path):
    out = tmp_path / "p"
    run_sweep({"name": "p", "seed": 3, "design": "policies", "samples": 5, "steps": 2,
               "policies": ["baseline", "manifesto"], "outcomes": ["access"],
               "uncertainties": {"partnership": [0, 1]}}, workers=1, out=out, run_fn=fake_run)
    experiments, outcomes = to_ema(out, outcomes=["access"])
    assert list(outcomes) == ["access"]
    assert sorted(set(experiments["policy"])) == ["baseline", "manifesto"]
    assert sorted(set(experiments["scenario"])) == [0, 1, 2, 3, 4]
    by_future = experiments.groupby("scenario")["partnership"].nunique()
    assert (by_future == 1).all()  # every policy met the same future
