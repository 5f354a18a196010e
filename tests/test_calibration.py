"""Calibration (issues 7 and 12): spec checking, targets' statistics, the distance, the measures
(outputs first), a tiny end-to-end run through the sweep engine, the provenance of calibrated
parameters and the Morris screening's specs."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.api import build_model
from experiments.calibration import (
    DEFAULT_SPEC,
    Target,
    chosen_values,
    load_calibration,
    parse_calibration,
    posterior,
    score,
)
from experiments.calibration.checks import SCREENING_EXCEPTIONS, morris_spec_text, screening_range
from experiments.calibration.measures import run_measured
from experiments.calibration.run import REPORT_FILES, declaration_line, provenance
from experiments.cli import main
from experiments.errors import SamenError
from experiments.sweep.spec import load_spec
from model.kinds import Education
from model.outcomes import SERIES_COLUMNS
from model.parameters import PARAMS, UNCERTAINTIES, Param, Parameters, _p

from .test_cli import assert_user_error

TINY = """
name = "tiny"
start_year = 2024
steps = 4
samples = 3
seed = 7
[parameters]
population_scale = 2000
[free]
participation_intercept = [-3.0, -2.0]
market_drift = [0.02, 0.09]
[targets.volunteering]
measure = "participation_rate"
value = 0.49
tolerance = 0.03
source = "CBS"
[targets.shops]
measure = "village_shops"
statistic = "growth"
value = -0.046
tolerance = 0.01
source = "Locatus"
"""


def tiny_data() -> dict:
    import tomllib

    return tomllib.loads(TINY)


def test_shipped_spec_is_valid_and_names_every_issue_target():
    spec = load_calibration()
    assert spec.path == str(DEFAULT_SPEC)
    measures = {t.measure for t in spec.targets}
    assert {"participation_rate", "trust_others", "trust_government", "trust_local_government",
            "gini_income", "energy_cooperatives", "energy_members", "village_shops",
            "collectives_active"} <= measures
    assert all(t.source for t in spec.targets)
    assert spec.start_year == 2024
    assert {"participation_intercept", "founding_rate", "market_drift"} <= set(spec.free)
    # the Dutch start counts are compared with step 0 (after the spin-up)
    starts = {t.measure: t.value for t in spec.targets if t.statistic == "start"}
    assert starts["collectives_active"] == 714 + 1_471 + 4_000
    assert starts["energy_cooperatives"] == 714


#: What validation compares besides the calibration targets (experiments.calibration.measures).
COMPARED = ("participation_low", "participation_middle", "participation_high", "trust_others_low",
            "trust_others_middle", "trust_others_high", "active_quarter", "energy_dissolved",
            "dissolved_leaders_with_members")


def test_everything_the_calibration_compares_is_an_output():
    """Issue 14: targets and validation measures are columns of the national series."""
    assert set(COMPARED) <= set(SERIES_COLUMNS)
    assert all(t.measure in SERIES_COLUMNS for t in load_calibration().targets)


@pytest.mark.parametrize(("change", "needle"), [
    (lambda d: d.update(colour="red"), "unknown key 'colour'"),
    (lambda d: d.pop("targets"), "missing key 'targets'"),
    (lambda d: d["free"].update(no_such=[0, 1]), "unknown parameter 'no_such'"),
    (lambda d: d["free"].update(market_drift=[0.02, 0.5]), "market_drift"),
    (lambda d: d["free"].update(market_drift=[0.05]), "must be [low, high]"),
    (lambda d: d["free"].update(allocation=["a", "b"]), "is a choice"),
    (lambda d: d["targets"]["shops"].update(measure="happiness"), "unknown measure 'happiness'"),
    (lambda d: d["targets"]["shops"].update(statistic="median"), "unknown statistic 'median'"),
    (lambda d: d["targets"]["shops"].update(tolerance=0), "tolerance must be positive"),
    (lambda d: d["targets"]["shops"].update(to_year=2040), "within the simulated years"),
    (lambda d: d["targets"]["volunteering"].update(statistic="start", to_year=2025), "statistic start reads one date"),
    (lambda d: d["targets"]["volunteering"].update(statistic="start", from_year=2026), "within the simulated years"),
    (lambda d: d["targets"]["shops"].pop("source"), "missing key 'source'"),
    (lambda d: d.update(accept=1.5), "accept"),
    (lambda d: d.update(design="morris"), "unknown design 'morris'"),
    (lambda d: d.update(design="sobol"), "power of 2"),
])
def test_bad_specs_are_rejected_with_the_reason(change, needle):
    data = tiny_data()
    change(data)
    with pytest.raises(SamenError, match=None) as info:
        parse_calibration(data, where="spec t")
    assert needle in str(info.value)
    assert str(info.value).startswith("spec t: ")


def test_target_statistics():
    series = pd.DataFrame({"year": 2024 + np.arange(9) / 4, "x": [1, 1, 1, 1, 3, 3, 3, 3, 4.0]})
    mean = Target("m", "x", "mean", 2024, 2024, 0, 1, "s")
    assert mean.compute(series) == 1.0
    both = Target("m", "x", "mean", 2024, 2025, 0, 1, "s")
    assert both.compute(series) == 2.0
    growth = Target("g", "x", "growth", 2024, 2026, 0, 1, "s")
    assert growth.compute(series) == pytest.approx(4 ** 0.5 - 1)
    start = Target("s", "x", "start", 2025, 2025, 0, 1, "s")
    assert start.compute(series) == 3.0
    assert math.isnan(Target("s", "x", "start", 2027, 2027, 0, 1, "s").compute(series))


def test_distance_ranks_and_accepts_the_closest():
    targets = (Target("a", "x", "mean", 2024, 2024, 1.0, 0.5, "s"),
               Target("b", "y", "mean", 2024, 2024, 10.0, 2.0, "s"))
    stats = pd.DataFrame({"sample_id": [0, 1, 2, 3], "p": [0.1, 0.2, 0.3, 0.4],
                          "a": [1.0, 1.5, 3.0, math.nan], "b": [10.0, 12.0, 10.0, 10.0]})
    out = score(stats, targets, accept=0.5)
    assert out["z_a"].tolist()[:3] == [0.0, 1.0, 4.0]
    assert out["distance"].tolist()[:3] == pytest.approx([0.0, 1.0, math.sqrt(8)])
    assert math.isinf(out["distance"][3])  # a missing statistic is never accepted
    assert out["accepted"].tolist() == [True, True, False, False]
    assert out["fits"].tolist() == [True, True, False, False]
    assert out["rank"].tolist() == [1, 2, 3, 4]


def test_posterior_and_chosen_values_come_from_the_accepted_set():
    spec = parse_calibration(tiny_data())
    scored = pd.DataFrame({"sample_id": range(4), "participation_intercept": [-2.1, -2.2, -2.9, -2.95],
                           "market_drift": [0.05, 0.07, 0.02, 0.03], "distance": [0.1, 0.3, 2, 3],
                           "accepted": [True, True, False, False]})
    post = posterior(scored, spec).set_index("parameter")
    assert post.loc["participation_intercept", "median"] == pytest.approx(-2.15)
    assert post.loc["market_drift", "best"] == 0.05
    assert chosen_values(post.reset_index()) == {"participation_intercept": -2.15, "market_drift": 0.06}


def test_declaration_line_is_a_valid_declaration():
    p = PARAMS["market_drift"]
    line = declaration_line(p, 0.07, "calibrated to x by `samen calibrate` on 2026-11-28")
    made = eval(line, {"_p": _p})  # our own generated code
    assert isinstance(made, Param)
    assert (made.name, made.default, made.low, made.high) == ("market_drift", 0.07, p.low, p.high)
    assert made.source == p.source
    assert made.calibrated.startswith("calibrated to x")


def test_provenance_keeps_only_options_that_change_the_result():
    spec = parse_calibration(tiny_data())
    text = provenance(spec, ["samen", "calibrate", "s.toml", "--samples", "8", "--out", "d", "--workers", "2",
                             "--quiet"], "2026-11-28")
    assert text == "calibrated to volunteering, shops by `samen calibrate s.toml --samples 8` on 2026-11-28"


def test_measured_run_is_the_series_with_every_measure():
    series = run_measured("baseline", {"population_scale": 2000}, 3, 4)
    assert list(series.columns) == list(SERIES_COLUMNS)
    assert len(series) == 5 and series[list(COMPARED)].notna().all().all()
    assert (series["energy_cooperatives"] > 0).all()
    assert (series["participation_low"] < series["participation_high"]).all()
    assert (series["trust_others_low"] < series["trust_others_high"]).all()
    # counts since step 0, never above the outputs they refine
    assert series.loc[0, ["energy_dissolved", "dissolved_leaders_with_members"]].tolist() == [0, 0]
    assert (series["dissolved_leaders_with_members"] <= series["dissolved_leaders"]).all()
    gone = series[["dissolved_leaders", "dissolved_money", "dissolved_background"]].sum(axis=1)
    assert (series["energy_dissolved"] <= gone).all()
    assert series["energy_dissolved"].is_monotonic_increasing
    assert ((series["active_quarter"] > 0) & (series["active_quarter"] <= series["participation_rate"])).all()


def test_education_measures_are_the_citizens_means():
    """The series' columns by education equal the mean over the citizens of each level, and
    the population-weighted means of the per-group table."""
    m = build_model("baseline", {"population_scale": 2000}, seed=4)
    series, _, groups = m.outcome_frames()
    got = series.iloc[0]
    c = m.citizens
    g = groups.assign(part=groups["participation_rate"] * groups["population"],
                      trust=groups["trust_others"] * groups["population"]).groupby("education").sum()
    for level in Education:
        sel = c.adult & (c.education == level)
        name = level.name.lower()
        assert got[f"participation_{name}"] == pytest.approx(c.volunteered_this_year[sel].mean(), rel=1e-9)
        assert got[f"trust_others_{name}"] == pytest.approx(c.trust_others[sel].mean(), rel=1e-5)
        assert got[f"participation_{name}"] == pytest.approx(g.loc[name, "part"] / g.loc[name, "population"])
        assert got[f"trust_others_{name}"] == pytest.approx(g.loc[name, "trust"] / g.loc[name, "population"])
    assert got["participation_high"] - got["participation_low"] == pytest.approx(got["participation_gap_education"])
    assert got["active_quarter"] == pytest.approx(c.active_now[c.adult].mean())


def test_calibrate_end_to_end(tmp_path, capsys):
    spec = tmp_path / "tiny.toml"
    spec.write_text(TINY, encoding="utf-8")
    out = tmp_path / "cal"
    code = main(["calibrate", str(spec), "--out", str(out), "--workers", "1", "--quiet", "--samples", "3"])
    text = capsys.readouterr().out
    assert code == 0
    assert sorted(p.name for p in (out / "report").iterdir()) == sorted(REPORT_FILES)
    samples = pd.read_csv(out / "report" / "samples.csv")
    assert len(samples) == 3 and samples["accepted"].sum() == 1
    assert (samples["distance"].diff().dropna() >= 0).all()  # sorted by rank
    manifest = json.loads((out / "report" / "manifest.json").read_text())
    assert manifest["kind"] == "calibration" and manifest["samples"] == 3
    assert set(manifest["chosen"]) == {"participation_intercept", "market_drift"}
    assert "_p('participation_intercept'" in text and "calibrated='calibrated to volunteering, shops" in text
    # a second run into the same folder is refused; resuming a finished one too
    assert main(["calibrate", str(spec), "--out", str(out), "--quiet"]) == 2
    assert main(["calibrate", str(spec), "--out", str(out), "--quiet", "--resume"]) == 2


@pytest.mark.parametrize(("argv", "needle"), [
    (["calibrate", "nowhere.toml"], "nowhere.toml does not exist"),
    (["calibrate", "--samples", "1"], "samples = 1 must be a whole number of at least 2"),
    (["calibrate", "--seed", "-3"], "seed"),
    (["calibrate", "--workers", "0"], "--workers"),
    (["calibrate", "--resume"], "--resume needs --out"),
    (["calibrate", "--samples", "many"], "invalid int value"),
])
def test_calibrate_rejects_bad_input(capsys, in_tmp, argv, needle):
    assert_user_error(capsys, argv, needle, in_tmp)


def test_bad_toml_is_a_user_error(capsys, in_tmp):
    (in_tmp / "bad.toml").write_text("name = [", encoding="utf-8")
    assert_user_error(capsys, ["calibrate", "bad.toml"], "is not valid TOML", in_tmp)


CALIBRATED = tuple(load_calibration().free)


@pytest.mark.parametrize("name", CALIBRATED)
def test_calibrated_parameters_carry_their_provenance(name):
    text = PARAMS[name].calibrated
    assert text.startswith("calibrated to volunteering")
    assert "`samen calibrate experiments/calibration/baseline.toml" in text
    assert "posterior 5-95%" in PARAMS[name].source


def test_params_command_shows_the_provenance(capsys):
    assert main(["params", "--group", "uncertainty"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("market_drift ")]
    assert len(lines) == 1 and "calibrated to volunteering" in lines[0]
    uncalibrated = [p for p in PARAMS.values() if not p.calibrated]
    assert uncalibrated and all(p.name not in CALIBRATED for p in uncalibrated)


def test_the_screening_covers_every_uncertainty_within_its_declared_range():
    priors = dict(load_calibration().free)
    for name in UNCERTAINTIES:
        p = PARAMS[name]
        low, high = screening_range(name, priors)
        assert p.low <= low < high <= p.high, name
        if p.default != 0 and name not in priors and name not in SCREENING_EXCEPTIONS:
            assert low <= p.default <= high, name
    # every corner of the cooperator shares is a valid parameter set
    Parameters(**{k: v[1] for k, v in SCREENING_EXCEPTIONS.items()})


@pytest.mark.parametrize("scenario", ["baseline", "manifesto"])
def test_the_shipped_sensitivity_specs_are_the_generated_ones(scenario, tmp_path):
    """experiments/sweeps/sensitivity-*.toml list every uncertainty (regenerate them with
    `python -m experiments.calibration.checks morris-specs` when a parameter is added)."""
    shipped = load_spec(Path(__file__).resolve().parents[1] / "experiments" / "sweeps" / f"sensitivity-{scenario}.toml")
    assert set(shipped.factor_names) == set(UNCERTAINTIES)
    text = morris_spec_text(scenario, shipped.parameters["population_scale"], shipped.samples, shipped.seed,
                            shipped.steps)
    (tmp_path / "spec.toml").write_text(text, encoding="utf-8")
    assert load_spec(tmp_path / "spec.toml").to_dict() == shipped.to_dict()
