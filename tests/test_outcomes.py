"""Outcome tables (outcomes.py): the Theil decomposition from group sums, groups by education x
income quintile x locality kind that add up to the national means, and ``localities.parquet``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.api import build_model, run
from experiments.cli import main
from experiments.errors import SamenError
from model import outcomes
from model.outcomes import LOCALITY_COLUMNS

from .conftest import FAST


@pytest.fixture(scope="module")
def stepped():
    """A small model two quarters on (groups and regions of steps 0-2)."""
    m = build_model("manifesto", {"population_scale": 2000, "spinup_quarters": 4}, 3)
    for _ in range(2):
        m.step()
    return m


# ---- Theil from sums ------------------------------------------------------------------------------

@pytest.mark.parametrize("zeros", [False, True])
def test_theil_from_group_sums_equals_theil_of_the_values(zeros):
    rng = np.random.default_rng(11)
    y = rng.lognormal(0, 0.5, 600) * np.repeat([0.5, 1.0, 1.5, 3.0], 150)
    if zeros:
        y[rng.random(600) < 0.3] = 0.0
    groups = rng.integers(0, 7, 600)
    count = np.bincount(groups, minlength=7).astype(float)
    total = np.bincount(groups, weights=y, minlength=7)
    ylny = np.bincount(groups, weights=np.where(y > 0, y * np.log(np.where(y > 0, y, 1)), 0), minlength=7)
    assert outcomes.theil_from_sums(count, total, ylny) == pytest.approx(outcomes.theil(y, groups), rel=1e-12)
    # one group: no between part, the same total
    t, b = outcomes.theil_from_sums(count.sum(keepdims=True), total.sum(keepdims=True), ylny.sum(keepdims=True))
    assert t == pytest.approx(outcomes.theil(y)[0], rel=1e-12) and b == pytest.approx(0.0, abs=1e-15)


def test_theil_from_sums_of_nothing_is_zero():
    assert outcomes.theil_from_sums(np.zeros(3), np.zeros(3), np.zeros(3)) == (0.0, 0.0)
    # empty groups are skipped in the between part
    count, total, ylny = np.array([2.0, 0.0, 2.0]), np.array([2.0, 0.0, 6.0]), np.array([0.0, 0.0, 6 * np.log(3)])
    t, b = outcomes.theil_from_sums(count, total, ylny)
    assert (t, b) == pytest.approx(outcomes.theil(np.array([1.0, 1.0, 3.0, 3.0]), np.array([0, 0, 1, 1])))


def test_theil_of_a_zero_one_variable_is_minus_log_of_its_mean():
    y = np.array([1, 1, 0, 0, 0, 1, 0, 0], dtype=float)
    assert outcomes.theil(y)[0] == pytest.approx(-np.log(y.mean()), rel=1e-12)


# ---- groups and regions add up --------------------------------------------------------------------

def test_group_rows_add_up_to_the_national_means(stepped):
    """Groups are adults by education x income quintile x locality kind: weighted by their
    population they give the national means of the adult measures."""
    series, regions, groups = stepped.outcome_frames()
    assert set(groups["locality_kind"]) == {"neighbourhood", "town", "village"}
    for step, rows in groups.groupby("step"):
        row = series.set_index("step").loc[step]
        w = rows["population"]
        assert w.sum() == stepped.citizens.adult.sum() * stepped.p.population_scale
        for group_col, series_col in (("trust_government", "trust_government"),
                                      ("trust_local_government", "trust_local_government"),
                                      ("trust_others", "trust_others"),
                                      ("participation_rate", "participation_rate")):
            assert np.average(rows[group_col], weights=w) == pytest.approx(row[series_col], rel=1e-9), group_col
        # access covers everyone in the series, adults in the groups: close, not equal
        assert np.average(rows["access"], weights=w) == pytest.approx(row["access"], abs=0.01)
    for step, rows in regions.groupby("step"):
        row = series.set_index("step").loc[step]
        assert np.average(rows["access"], weights=rows["population"]) == pytest.approx(row["access"], rel=1e-9)
        assert np.average(rows["meeting_place_effect"], weights=rows["population"]) == pytest.approx(
            row["meeting_place_effect"], rel=1e-9)


def test_education_gaps_are_high_minus_low(stepped):
    c = stepped.citizens
    row = stepped.outcome_frames()[0].iloc[-1]
    adult = c.adult
    high, low = adult & (c.education == 2), adult & (c.education == 0)
    for col, values in (("trust_gap_education", c.trust_national), ("trust_local_gap_education", c.trust_local),
                        ("trust_others_gap_education", c.trust_others),
                        ("participation_gap_education", c.volunteered_this_year.astype(float))):
        assert row[col] == pytest.approx(values[high].mean() - values[low].mean(), rel=1e-6), col


# ---- localities.parquet -------------------------------------------------------------------------------

def test_locality_rows_describe_each_locality(stepped):
    m = stepped
    frame = m.locality_frame()
    assert list(frame.columns) == list(LOCALITY_COLUMNS)
    assert len(frame) == m.localities.n and (frame["step"] == m.quarter).all()
    np.testing.assert_array_equal(frame["residents"], m.localities.residents)
    np.testing.assert_array_equal(frame["meeting_places"], m.meeting_places_per_locality())
    np.testing.assert_allclose(frame["access"], m.reach.access)
    # citizen-weighted locality access is the national access
    series = m.outcome_frames()[0].iloc[-1]
    assert np.average(frame["access"], weights=m.localities.n_citizens) == pytest.approx(series["access"], rel=1e-9)
    c = m.citizens
    peopled = np.bincount(c.locality, weights=c.adult, minlength=m.localities.n) > 0
    assert frame["trust_others"][peopled].notna().all() and frame["trust_others"][~peopled].isna().all()
    assert frame["investment_eur"].sum() == pytest.approx(m.p.investment_eur - m.national.unallocated
                                                         - m.national.available)
    assert frame["investment_eur"].sum() > 0


def test_a_run_keeps_localities_of_the_last_or_of_every_step():
    last = run("baseline", {"population_scale": 2000, "spinup_quarters": 2}, seed=4, steps=2)
    every = run("baseline", {"population_scale": 2000, "spinup_quarters": 2}, seed=4, steps=2, localities="every")
    n = last.localities["locality"].nunique()
    assert len(last.localities) == n and set(last.localities["step"]) == {2}
    assert len(every.localities) == 3 * n and list(every.localities.groupby("step").size()) == [n, n, n]
    pd.testing.assert_frame_equal(every.localities[every.localities["step"] == 2].reset_index(drop=True),
                                  last.localities, check_exact=True)
    with pytest.raises(SamenError, match="localities 'some'"):
        run("baseline", {"population_scale": 2000}, seed=4, steps=1, localities="some")


@pytest.mark.parametrize("choice, steps_kept", [(None, [2]), ("every", [0, 1, 2])])
def test_samen_run_writes_localities_parquet(capsys, in_tmp, choice, steps_kept):
    argv = ["run", *FAST, "--steps", "2", "--seed", "3", "--out", "out", "--quiet"]
    if choice:
        argv += ["--localities", choice]
    assert main(argv) == 0
    frame = pd.read_parquet(in_tmp / "out" / "localities.parquet")
    assert list(frame.columns) == list(LOCALITY_COLUMNS)
    n = frame["locality"].nunique()
    assert sorted(set(frame["step"])) == steps_kept and len(frame) == n * len(steps_kept)
    assert not frame.duplicated(["step", "locality"]).any()


def test_samen_run_refuses_an_unknown_localities_choice(capsys, in_tmp):
    assert main(["run", *FAST, "--localities", "some"]) == 2
    assert "invalid choice" in capsys.readouterr().err
    assert list(in_tmp.iterdir()) == []
