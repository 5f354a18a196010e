"""Hindcast (issue 14, item 3): the split spec (``fit_until``, statistic ``at``), calibration that
fits and simulates only the in-sample years, the pass rule, and ``samen validate --hindcast`` end
to end."""

from __future__ import annotations

import json
import math
import re
import tomllib

import numpy as np
import pandas as pd
import pytest

from experiments.calibration import Target, load_calibration, parse_calibration
from experiments.calibration.hindcast import (
    DEFAULT_SPEC,
    FILES,
    check_steps,
    markdown,
    passes,
    summary_line,
    table,
    years_label,
)
from experiments.calibration.run import REPORT_FILES, provenance, targets_table
from experiments.cli import main
from experiments.errors import SamenError
from experiments.sweep.store import load_series

from .test_cli import assert_user_error

#: A small split spec: one target before fit_until (in), one at it and one after (out).
SPLIT = """
name = "split"
scenario = "hindcast-2012"
start_year = 2012
steps = 12
fit_until = 2013
samples = 2
seed = 11
[parameters]
population_scale = 5000
[free]
participation_intercept = [-2.6, -1.6]
[targets.volunteering_2012]
measure = "participation_rate"
from_year = 2012
to_year = 2012
value = 0.49
tolerance = 0.03
source = "CBS"
[targets.coops_2013]
measure = "energy_cooperatives"
statistic = "at"
from_year = 2013.0
value = 200
tolerance = 20
source = "LEM"
[targets.trust_2014q4]
measure = "trust_government"
statistic = "at"
from_year = 2014.75
value = 0.35
tolerance = 0.05
source = "CBS"
"""

IN_SAMPLE = {"energy_coops_2016", "energy_coops_2017", "energy_coops_2018", "energy_members_2016",
             "energy_members_2017", "volunteering_2012_2018", "trust_parliament_2012_2016", "trust_parliament_2017",
             "trust_others_2012", "trust_others_2016", "trust_others_2017", "village_shops_2012_2018"}


def split_data() -> dict:
    return tomllib.loads(SPLIT)


@pytest.fixture(scope="module")
def hindcast_spec():
    return load_calibration(DEFAULT_SPEC)


# ---- the spec -----------------------------------------------------------------------------------
def test_the_hindcast_spec_loads_with_its_split(hindcast_spec):
    spec = hindcast_spec
    assert (spec.name, spec.scenario, spec.start_year, spec.steps, spec.fit_until) == (
        "hindcast", "hindcast-2012", 2012, 48, 2019)
    assert spec.parameters == {"population_scale": 1000}
    assert set(spec.free) == {"participation_intercept", "founding_rate", "market_drift", "join_rate_energy",
                              "founding_weight_energy", "energy_imitation"}
    assert spec.free["energy_imitation"] == (0.0, 8.0)
    assert {t.measure for t in spec.targets} == {
        "energy_cooperatives", "energy_members", "municipalities_with_energy_cooperative", "participation_rate",
        "trust_government", "trust_others", "trust_local_government", "village_shops"}
    assert len(spec.targets) == 37
    # every target is reachable, sourced from a publication (never a file) and within its tolerance rule
    assert max(t.steps_needed(spec.start_year) for t in spec.targets) == spec.steps
    assert all(t.source.strip() and not re.search(r"\.(csv|parquet|toml|xlsx?|json)\b", t.source)
               for t in spec.targets)
    by_name = {t.name: t for t in spec.targets}
    assert by_name["energy_coops_2024"].value == 714 and by_name["energy_coops_2024"].tolerance == pytest.approx(71.4)
    assert by_name["energy_members_2016"].tolerance == pytest.approx(0.15 * 37_500)
    q4 = by_name["trust_parliament_2022q4"]
    assert (q4.statistic, q4.from_year, q4.to_year) == ("at", 2022.75, 2022.75)
    assert "Tweede Kamer" in by_name["trust_parliament_2020"].source
    assert "closest quantity" in by_name["trust_parliament_2020"].source


def test_in_and_out_of_sample_follow_fit_until(hindcast_spec):
    spec = hindcast_spec
    assert {t.name for t in spec.fit_targets} == IN_SAMPLE
    assert {t.name for t in spec.held_out} == {t.name for t in spec.targets} - IN_SAMPLE
    # a count at 1 January of fit_until (the end of the last fitted year) is held out: to_year is not before it
    assert not spec.in_sample(next(t for t in spec.targets if t.name == "energy_coops_2019"))
    assert all(t.to_year < 2019 for t in spec.fit_targets) and all(t.to_year >= 2019 for t in spec.held_out)


def test_calibration_fits_only_in_sample_targets_on_runs_that_stop_at_fit_until(hindcast_spec):
    spec = hindcast_spec
    assert spec.fit_steps == 28  # 2012-2018: the out-of-sample years are never simulated while fitting
    assert spec.sweep_dict()["steps"] == 28
    assert max(t.steps_needed(spec.start_year) for t in spec.fit_targets) <= spec.fit_steps
    text = provenance(spec, ["samen", "calibrate", "hindcast.toml"], "2026-11-29")
    assert all(t.name in text for t in spec.fit_targets) and not any(t.name in text for t in spec.held_out)
    split = targets_table(spec).set_index("name")["sample"]
    assert set(split[split == "in"].index) == IN_SAMPLE
    # --samples etc. keep the split
    assert spec.with_options(samples=8).fit_until == 2019


def test_a_spec_without_fit_until_fits_everything_as_before():
    data = split_data()
    del data["fit_until"]
    spec = parse_calibration(data)
    assert spec.fit_until is None and spec.fit_targets == spec.targets and spec.held_out == ()
    assert spec.fit_steps == spec.steps == spec.sweep_dict()["steps"]
    assert "fit_until" not in spec.to_dict() and "sample" not in targets_table(spec)


def test_target_steps_needed():
    assert Target("m", "x", "mean", 2012, 2018, 0, 1, "s").steps_needed(2012) == 28
    assert Target("a", "x", "at", 2019, 2019, 0, 1, "s").steps_needed(2012) == 28
    assert Target("a", "x", "at", 2022.75, 2022.75, 0, 1, "s").steps_needed(2012) == 43
    assert Target("g", "x", "growth", 2019, 2024, 0, 1, "s").steps_needed(2012) == 48


def test_statistic_at_reads_the_state_at_a_decimal_year():
    series = pd.DataFrame({"year": 2012 + np.arange(9) / 4, "x": np.arange(9.0)})
    assert Target("a", "x", "at", 2013.75, 2013.75, 0, 1, "s").compute(series) == 7.0
    assert Target("a", "x", "at", 2012.0, 2012.0, 0, 1, "s").compute(series) == 0.0
    assert math.isnan(Target("a", "x", "at", 2015.0, 2015.0, 0, 1, "s").compute(series))


@pytest.mark.parametrize(("change", "needle"), [
    (lambda d: d.update(fit_until=2012), "fit_until must be a whole year after start_year 2012"),
    (lambda d: d.update(fit_until=2016), "at most 2015"),
    (lambda d: d.update(fit_until=2013.5), "fit_until must be a whole year"),
    (lambda d: d.update(fit_until=True), "fit_until must be a whole year"),
    (lambda d: d["targets"].pop("volunteering_2012"), "leaves no target to fit"),
    (lambda d: d["targets"]["coops_2013"].update(to_year=2014), "statistic at reads one date"),
    (lambda d: d["targets"]["coops_2013"].update(from_year=2013.1), "must be a whole year or a quarter"),
    (lambda d: d["targets"]["trust_2014q4"].update(from_year=2015.25), "within the simulated years"),
])
def test_bad_split_specs_are_rejected_with_the_reason(change, needle):
    data = split_data()
    change(data)
    with pytest.raises(SamenError) as info:
        parse_calibration(data, where="spec t")
    assert needle in str(info.value) and str(info.value).startswith("spec t: ")


def test_calibrate_simulates_only_the_in_sample_quarters(tmp_path, capsys):
    spec_file = tmp_path / "split.toml"
    spec_file.write_text(SPLIT, encoding="utf-8")
    out = tmp_path / "cal"
    assert main(["calibrate", str(spec_file), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "fitted on 1 in-sample targets (before 2013; runs of 4 quarters from 2012); 2 out-of-sample" in text
    report = out / "report"
    assert sorted(p.name for p in report.iterdir()) == sorted(REPORT_FILES)
    samples = pd.read_csv(report / "samples.csv")
    assert "volunteering_2012" in samples and "coops_2013" not in samples and "trust_2014q4" not in samples
    manifest = json.loads((report / "manifest.json").read_text())
    assert manifest["fit_steps"] == 4 and manifest["held_out_targets"] == ["coops_2013", "trust_2014q4"]
    assert manifest["spec"]["fit_until"] == 2013
    for run_id in (0, 1):  # each run stopped at 1 January of fit_until
        series = load_series(out / "sweep", run_id)
        assert series["step"].max() == 4 and series["year"].max() == 2013.0


# ---- the pass rule and the table ------------------------------------------------------------------
@pytest.mark.parametrize(("value", "tolerance", "p05", "p95", "expected"), [
    (0.50, 0.03, 0.45, 0.55, True),  # inside the interval
    (0.575, 0.03, 0.45, 0.55, True),  # beyond the interval, within the widened upper edge
    (0.585, 0.03, 0.45, 0.55, False),
    (0.425, 0.03, 0.45, 0.55, True),  # within the widened lower edge
    (0.415, 0.03, 0.45, 0.55, False),
    (0.50, 0.03, math.nan, math.nan, False),  # nothing simulated never passes
])
def test_pass_rule_widens_the_simulated_interval_by_the_tolerance(value, tolerance, p05, p95, expected):
    assert passes(value, tolerance, p05, p95) is expected


def test_table_on_hand_made_replications():
    spec = parse_calibration(split_data())
    # three replications; trust in government at 1 Oct 2014 is 0.20, 0.30, 0.40
    frames = []
    for r, level in enumerate((0.20, 0.30, 0.40)):
        year = 2012 + np.arange(13) / 4
        frames.append(pd.DataFrame({"replication": r, "step": range(13), "year": year,
                                    "participation_rate": 0.49 + 0.01 * r, "energy_cooperatives": 100.0,
                                    "trust_government": level}))
    result = table(spec, pd.concat(frames, ignore_index=True)).set_index("pattern")
    trust = result.loc["trust_2014q4"]
    assert (trust["median"], trust["p05"], trust["p95"]) == pytest.approx((0.30, 0.21, 0.39))
    assert trust["passed"] and trust["sample"] == "out" and trust["years"] == "1 Oct 2014"
    coops = result.loc["coops_2013"]  # 100 against 200 +/- 20: outside
    assert not coops["passed"] and coops["sample"] == "out" and coops["years"] == "1 Jan 2013"
    vol = result.loc["volunteering_2012"]
    assert vol["passed"] and vol["sample"] == "in" and vol["years"] == "2012" and vol["n"] == 3
    assert summary_line(result.reset_index()) == "2 of 3 pass (in sample: 1 of 1; out of sample: 1 of 2)"
    text = markdown(result.reset_index())
    assert text.count("\n") == 3 + 2 and text.count("| **fail** |") == 1
    assert "| coops_2013 | LEM | 1 Jan 2013 | 200 +/- 20 | 100 [100, 100] | out | **fail** |" in text


def test_years_labels():
    assert years_label(Target("m", "x", "mean", 2012, 2016, 0, 1, "s")) == "2012-2016"
    assert years_label(Target("m", "x", "mean", 2017, 2017, 0, 1, "s")) == "2017"
    assert years_label(Target("a", "x", "at", 2022.75, 2022.75, 0, 1, "s")) == "1 Oct 2022"
    assert years_label(Target("g", "x", "growth", 2019, 2024, 0, 1, "s")) == "2019-2024"


def test_steps_must_reach_every_target(hindcast_spec):
    check_steps(hindcast_spec, 48)
    with pytest.raises(SamenError, match=r"--steps 40 does not reach the targets: \w+ \(1 Jan 2024\) needs 48"):
        check_steps(hindcast_spec, 40)


# ---- samen validate --hindcast ------------------------------------------------------------------
def _hindcast(out, capsys) -> str:
    code = main(["validate", "--hindcast", "--scale", "5000", "--replications", "2", "--steps", "48",
                 "--seed", "5", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    return printed


def test_validate_hindcast_end_to_end_is_reproducible(tmp_path, capsys, hindcast_spec):
    first = _hindcast(tmp_path / "a", capsys)
    _hindcast(tmp_path / "b", capsys)
    a = tmp_path / "a"
    assert sorted(p.name for p in a.iterdir()) == sorted(FILES)
    for name in ("hindcast.csv", "series.csv", "hindcast.md"):
        assert (a / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    result = pd.read_csv(a / "hindcast.csv")
    assert result["pattern"].tolist() == [t.name for t in hindcast_spec.targets]
    assert set(result.loc[result["sample"] == "in", "pattern"]) == IN_SAMPLE
    assert ((result["p05"] <= result["median"]) & (result["median"] <= result["p95"])).all()
    series = pd.read_csv(a / "series.csv")
    assert sorted(series["replication"].unique()) == [0, 1] and series["step"].max() == 48
    assert series["year"].min() == 2012.0 and series["year"].max() == 2024.0
    manifest = json.loads((a / "manifest.json").read_text())
    assert manifest["kind"] == "hindcast" and manifest["fit_until"] == 2019
    assert manifest["overrides"] == {"population_scale": 5000} and manifest["steps"] == 48
    assert manifest["passed"] == int(result["passed"].sum()) and manifest["targets"] == 37
    ins = result[result["sample"] == "in"]
    line = (f"{int(result['passed'].sum())} of 37 pass (in sample: {int(ins['passed'].sum())} of 12; "
            f"out of sample: {int(result['passed'].sum() - ins['passed'].sum())} of 25)")
    assert line in first.splitlines()
    assert "pass rule: a target passes when its data value lies within the simulated 90% interval" in first
    assert "split: in sample: targets before 1 Jan 2019" in first


@pytest.mark.parametrize(("argv", "needle"), [
    (["validate", "--hindcast", "--replications", "0"], "--replications"),
    (["validate", "--hindcast", "--steps", "40"], "--steps 40 does not reach the targets"),
    (["validate", "--hindcast", "--spec", "none.toml"], "none.toml does not exist"),
    (["validate", "--hindcast", "--scale", "0"], "population_scale"),
    (["validate", "--hindcast", "--workers", "0"], "--workers"),
])
def test_validate_hindcast_rejects_bad_input(capsys, in_tmp, argv, needle):
    assert_user_error(capsys, argv, needle, in_tmp)
