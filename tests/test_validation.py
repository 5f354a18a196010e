"""Validation (issues 7 and 12): every pattern is computed from a tiny set of runs, the table and
its files are written, bad input ends with exit code 2, and the summaries of issue 12's checks
(allocation, scale, start-up) compute what docs/validation.md says they do."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from experiments.api import child_seeds
from experiments.calibration import load_calibration
from experiments.calibration.checks import (
    ALLOCATION_MEASURES,
    SCALE_OUTCOMES,
    allocation_summary,
    difference_summary,
    placebo_quarters,
    startup_table,
)
from experiments.calibration.validation import PATTERNS, SHOCK_STEP, markdown, replication, validate
from experiments.cli import main

from .test_cli import assert_user_error

TINY = {"population_scale": 2000, "start_year": 2024}


@pytest.fixture(scope="module")
def runs():
    return replication("baseline", TINY, child_seeds(5, 1)[0], 12, True, ("baseline", "austerity"))


def test_every_pattern_is_measured_from_the_runs(runs):
    values = {p.key: p.measure(runs) for p in PATTERNS}
    missing = [k for k, v in values.items() if not np.isfinite(v)]
    # leader failures may not happen in 3 years at this scale; every other pattern has a value
    assert set(missing) <= {"p4_members_remain"}, missing
    assert {p.key[:2] for p in PATTERNS} >= {"p1", "p2", "p3", "p4", "p5", "l1", "l2", "l3"}


def test_controlled_experiments_change_only_after_the_shock(runs):
    base = runs["baseline"].set_index("step")
    for name in ("bad_news", "good_news", "handover"):
        run = runs[name].set_index("step")
        assert run.loc[:SHOCK_STEP, "trust_government"].equals(base.loc[:SHOCK_STEP, "trust_government"])
    assert runs["bad_news"].set_index("step").loc[SHOCK_STEP + 4, "trust_government"] < \
        base.loc[SHOCK_STEP + 4, "trust_government"]
    assert runs["good_news"].set_index("step").loc[SHOCK_STEP + 4, "trust_government"] > \
        base.loc[SHOCK_STEP + 4, "trust_government"]
    # the hand-over gives services to collectives
    assert (runs["handover"].set_index("step").loc[SHOCK_STEP + 1, "facilities_by_collectives"]
            > base.loc[SHOCK_STEP + 1, "facilities_by_collectives"])


def test_pattern_measures_read_the_right_quantities(runs):
    by_key = {p.key: p for p in PATTERNS}
    s = runs["baseline"]
    low, mid = s["participation_low"].iloc[4:].mean(), s["participation_middle"].iloc[4:].mean()
    expected = math.log(low / (1 - low)) - math.log(mid / (1 - mid))
    assert by_key["p1_low"].measure(runs) == pytest.approx(expected)
    assert by_key["p5_gini"].measure(runs) == 0.0  # incomes are fixed (ODD section 10)
    assert by_key["l3_quarter_share"].measure(runs) == pytest.approx(s["active_quarter"].iloc[4:].mean())
    h, b = runs["handover"].set_index("step"), s.set_index("step")
    step = SHOCK_STEP + 1
    expected = ((h.loc[step, "board_load"] - b.loc[step, "board_load"])
                - (h.loc[step, "volunteer_load"] - b.loc[step, "volunteer_load"]))
    assert by_key["p4_handover_load"].measure(runs) == pytest.approx(expected)
    last = s.iloc[-1]
    gone = last["dissolved_leaders"] + last["dissolved_money"] + last["dissolved_background"]
    assert by_key["p4_leaders"].measure(runs) == pytest.approx(last["dissolved_leaders"] / gone)


def test_validate_table_has_every_pattern_and_calibration_target():
    table, per_rep = validate(replications=2, seed=3, steps=12, overrides={"population_scale": 3000})
    spec = load_calibration()
    assert len(table) == len(PATTERNS) + len(spec.targets)
    assert len(per_rep) == 2
    assert {"pattern", "source", "target", "median", "p05", "p95", "passed"} <= set(table.columns)
    ok = table.dropna(subset=["median"])
    assert (ok["p05"] <= ok["median"]).all() and (ok["median"] <= ok["p95"]).all()
    assert ok["passed"].tolist() == [bool(r.low <= r.median <= r.high) for r in ok.itertuples()]
    text = markdown(table)
    assert text.count("\n") == len(table) + 2
    assert text.count("| pass |") + text.count("| **fail** |") == len(table)


def test_validate_command_writes_its_folder(tmp_path, capsys):
    out = tmp_path / "val"
    code = main(["validate", "--replications", "1", "--scale", "3000", "--steps", "12", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["validation.csv", "validation.md", "replications.csv", "validation.png", "manifest.json"])
    table = pd.read_csv(out / "validation.csv")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "validation" and manifest["patterns"] == len(table)
    assert manifest["passed"] == int(table["passed"].sum())
    assert f"patterns pass; written to {out}" in printed


@pytest.mark.parametrize(("argv", "needle"), [
    (["validate", "--replications", "0"], "--replications"),
    (["validate", "--scale", "0"], "population_scale"),
    (["validate", "--steps", "4"], "--steps"),
    (["validate", "--workers", "0"], "--workers"),
    (["validate", "--seed", "-1"], "--seed"),
    (["validate", "--spec", "none.toml"], "none.toml does not exist"),
    (["validate", "--replications", "x"], "invalid int value"),
])
def test_validate_rejects_bad_input(capsys, in_tmp, argv, needle):
    assert_user_error(capsys, argv, needle, in_tmp)


def test_validate_refuses_a_non_empty_out(capsys, in_tmp):
    (in_tmp / "full").mkdir()
    (in_tmp / "full" / "x").write_text("x")
    assert_user_error(capsys, ["validate", "--out", "full"], "not empty", in_tmp)


def test_allocation_summary_pairs_seeds_and_flags_differences_beyond_noise():
    seeds = range(10)
    rows = []
    for seed in seeds:
        for rule, shift in (("needs_based", 0.3), ("per_capita", 0.0)):
            row = {"rule": rule, "seed": seed}
            row.update({c: float(seed) for c in ALLOCATION_MEASURES})  # the seed's own level
            row["share_new_to_without"] = 0.1 * seed + shift  # needs_based always 0.3 higher
            row["access"] = float(seed) + (0.01 if seed % 2 else -0.01) * (rule == "needs_based")  # noise
            rows.append(row)
    out = allocation_summary(pd.DataFrame(rows)).set_index("measure")
    share = out.loc["share_new_to_without"]
    assert share["difference_median"] == pytest.approx(0.3)
    assert share["beyond_noise"] and share["seeds_positive"] == 10
    assert share["needs_based_median"] == pytest.approx(0.75)
    assert not out.loc["access", "beyond_noise"]
    assert out.loc["access", "seeds_positive"] == 5


def test_difference_summary_compares_the_intervals_of_two_scales():
    rows = []
    for scale, centre in ((25, 0.0), (100, 1.0)):
        for i in range(10):
            row = {"scale": scale, "seed": i}
            for c in SCALE_OUTCOMES:
                d = centre + 0.01 * i if c == "access" else 0.01 * i
                row.update({f"baseline_{c}": 1.0, f"manifesto_{c}": 1.0 + d, f"difference_{c}": d})
            rows.append(row)
    out = difference_summary(pd.DataFrame(rows)).set_index(["scale", "outcome"])
    assert out.loc[(100, "access"), "median"] == pytest.approx(1.045)
    assert not out.loc[(25, "access"), "intervals_overlap"]
    assert out.loc[(25, "cohesion"), "intervals_overlap"] and out.loc[(100, "cohesion"), "intervals_overlap"]


def test_startup_table_flags_a_first_quarter_jump():
    from model.outcomes import SERIES_COLUMNS

    steps = np.arange(41)
    frame = pd.DataFrame({c: 0.01 * steps for c in SERIES_COLUMNS})
    frame["step"] = steps
    frame.loc[1:, "cohesion"] += 0.5  # a jump in the first quarter
    frame["gini_income"] = 0.28  # constant: no change at all
    table = startup_table(pd.concat([frame.assign(seed=1), frame.assign(seed=2)])).set_index("column")
    assert table.loc["cohesion", "exceeds"] and table.loc["cohesion", "ratio"] == pytest.approx(51)
    assert not table.loc["trust_others", "exceeds"] and table.loc["trust_others", "ratio"] == pytest.approx(1)
    assert not table.loc["gini_income", "exceeds"] and table.loc["gini_income", "ratio"] == 0
    assert table.loc["cohesion", "first_rank"] == 1 and table.loc["cohesion", "placebo_share"] == 0


def test_placebo_quarters_count_the_criterion_where_there_is_no_start():
    from model.outcomes import SERIES_COLUMNS

    steps = np.arange(41)
    frame = pd.DataFrame({c: 0.01 * steps for c in SERIES_COLUMNS})
    frame["step"] = steps
    frame.loc[1:, "cohesion"] += 0.5  # a jump in the first quarter
    frame.loc[20:, "trust_others"] += 0.5  # and one in quarter 20, where no start is
    frame.loc[20:, "access"] -= 0.5
    counts = placebo_quarters(frame.assign(seed=1))
    assert counts.loc[1] == 1 and counts.loc[20] == 2 and counts.drop([1, 20]).eq(0).all()
    table = startup_table(frame.assign(seed=1)).set_index("column")
    assert table.loc["trust_others", "placebo_share"] == pytest.approx(1 / 37)
