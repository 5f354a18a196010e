"""Analysis of sweep folders: Sobol, Morris, PRIM, scenario comparison, replications."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments.cli import main
from experiments.errors import SamenError
from experiments.sweep import run_sweep
from experiments.sweep.prim import prim
from tests.sweep_fakes import fake_run

FACTORS = {"levers": {"investment_eur": [0, 2e9], "allocation": ["per_capita", "needs_based"],
                      "partnership": [0, 1]},
           "uncertainties": {"trust_down_ratio": [1.5, 4]}}
OUTCOMES = ["trust_government", "theil_access_between"]


@pytest.fixture(scope="module")
def sobol_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("sobol") / "s"
    run_sweep({"name": "s", "seed": 3, "design": "sobol", "samples": 32, "replications": 2, "steps": 8,
               "outcomes": OUTCOMES, **FACTORS}, workers=1, out=out, run_fn=fake_run)
    return out


def test_analyze_prints_sobol_indices_with_intervals_and_a_prim_box(sobol_dir, capsys, tmp_path):
    where = "theil_access_between < 0.012 and trust_government > 0.4"
    code = main(["analyze", str(sobol_dir), "--resamples", "200", "--where", where, "--out", str(tmp_path / "a")])
    out = capsys.readouterr().out
    assert code == 0
    assert "Sobol indices (95% bootstrap intervals)" in out and "PRIM box for:" in out
    folder = tmp_path / "a"
    table = pd.read_csv(folder / "sobol.csv")
    assert set(table["outcome"]) == set(OUTCOMES) and len(table) == 8
    assert (table["S1_low"] <= table["S1"]).all() and (table["S1"] <= table["S1_high"]).all()
    row = table[(table["outcome"] == "theil_access_between")].set_index("parameter")
    # The fake's gap depends on investment and partnership only.
    assert row.loc["partnership", "ST"] > 0.2 and row.loc["investment_eur", "ST"] > 0.1
    assert row.loc["trust_down_ratio", "ST"] < 0.1
    assert f"{row.loc['partnership', 'S1']:.3f} [" in out
    box = pd.read_csv(folder / "prim_box.csv")
    assert "partnership" in set(box["parameter"])
    # The box records what it answers: the condition, its coverage, density and limits.
    assert (box["condition"] == where).all() and box["coverage"].between(0, 1).all()
    assert box["density"].iloc[0] >= 0.8 and {"low", "high", "qp_value", "mass"} <= set(box.columns)
    for name in ("sobol.png", "sobol.svg", "prim_trajectory.csv", "analysis.json"):
        assert (folder / name).exists()
    assert not (sobol_dir / "sobol.csv").exists()  # the sweep folder is left as it was


def test_analyses_never_overwrite_each_other(sobol_dir, capsys):
    for _ in range(2):
        assert main(["analyze", str(sobol_dir), "--resamples", "20", "--outcome", "trust_government"]) == 0
    folders = sorted((sobol_dir / "analyses").iterdir())
    assert len(folders) >= 2 and all((f / "sobol.csv").is_file() for f in folders)
    taken = folders[0]
    assert main(["analyze", str(sobol_dir), "--out", str(taken)]) == 2
    assert "not empty" in capsys.readouterr().err


def test_a_mistyped_condition_stops_before_the_analysis(sobol_dir, capsys, tmp_path):
    assert main(["analyze", str(sobol_dir), "--where", "trust_govenment > 0.4", "--out", str(tmp_path / "x")]) == 2
    out, err = capsys.readouterr()
    assert "cannot be evaluated" in err and "Sobol" not in out and not (tmp_path / "x").exists()


def test_bad_where_and_outcome_are_user_errors(sobol_dir, capsys):
    assert main(["analyze", str(sobol_dir), "--where", "happiness > 1"]) == 2
    assert "cannot be evaluated" in capsys.readouterr().err
    assert main(["analyze", str(sobol_dir), "--outcome", "happiness"]) == 2
    assert "unknown outcome 'happiness'" in capsys.readouterr().err
    assert main(["compare", str(sobol_dir)]) == 2
    assert "needs a 'scenarios' or 'policies' design" in capsys.readouterr().err


def test_morris_indices(tmp_path, capsys):
    out = tmp_path / "m"
    run_sweep({"name": "m", "seed": 4, "design": "morris", "samples": 8, "steps": 4, "outcomes": OUTCOMES,
               **FACTORS}, workers=1, out=out, run_fn=fake_run)
    assert main(["analyze", str(out), "--outcome", "theil_access_between", "--resamples", "100",
                 "--out", str(tmp_path / "a")]) == 0
    assert "Morris mu*" in capsys.readouterr().out
    table = pd.read_csv(tmp_path / "a" / "morris.csv").set_index("parameter")
    assert table.loc["partnership", "mu_star"] > table.loc["trust_down_ratio", "mu_star"]
    assert (tmp_path / "a" / "morris.png").exists()


def test_compare_and_replications(tmp_path, capsys):
    out = tmp_path / "c"
    run_sweep({"name": "c", "seed": 5, "design": "scenarios", "steps": 8, "replications": 8,
               "scenarios": ["baseline", "manifesto", "austerity"], "outcomes": OUTCOMES},
              workers=1, out=out, run_fn=fake_run)
    assert main(["compare", str(out), "--out", str(tmp_path / "cmp")]) == 0
    printed = capsys.readouterr().out
    assert "base scenario baseline" in printed and "manifesto" in printed
    # The brief's units: trust in % and its differences in percentage points, no 1e-06.
    assert "levels in %, differences in percentage points" in printed and "e-0" not in printed
    assert "warning: 8 replications per scenario" in printed
    assert (tmp_path / "cmp" / "compare.png").is_file()
    table = pd.read_csv(tmp_path / "cmp" / "compare.csv")
    manifesto = table[(table["scenario"] == "manifesto") & (table["outcome"] == "trust_government")].iloc[0]
    # Same seeds per replication: the fake's noise cancels and the paired difference is exact.
    assert manifesto["diff_median"] == pytest.approx(0.05 * 1.1, abs=1e-9)
    assert manifesto["diff_p05"] == pytest.approx(manifesto["diff_p95"], abs=1e-9)
    assert manifesto["p05"] < manifesto["median"] < manifesto["p95"]
    assert main(["replications", str(out), "--outcome", "trust_government", "--precision", "0.01",
                 "--out", str(tmp_path / "rep")]) == 0
    printed = capsys.readouterr().out
    assert "replications needed" in printed and "paired difference to baseline" in printed
    needed = pd.read_csv(tmp_path / "rep" / "replications_trust_government_needed.csv")
    # The paired differences, one row per compared scenario, never below the brief's 20.
    assert sorted(needed["scenario"]) == ["austerity - baseline", "manifesto - baseline"]
    assert (needed["needed"] >= 20).all()
    assert (tmp_path / "rep" / "replications_trust_government.png").exists()


def test_lhs_analysis_gives_rank_correlations(tmp_path, capsys):
    out = tmp_path / "l"
    run_sweep({"name": "l", "seed": 6, "design": "lhs", "samples": 30, "steps": 4, "outcomes": OUTCOMES,
               **FACTORS}, workers=1, out=out, run_fn=fake_run)
    assert main(["analyze", str(out), "--out", str(tmp_path / "a")]) == 0
    assert "Kruskal-Wallis" in capsys.readouterr().out
    corr = pd.read_csv(tmp_path / "a" / "correlations.csv", index_col="parameter")
    assert corr.loc["partnership", "theil_access_between"] < -0.5
    # The choice lever is screened too, by its options (the fake's needs_based adds 0.05).
    choices = pd.read_csv(tmp_path / "a" / "choices.csv").set_index(["parameter", "outcome"])
    row = choices.loc[("allocation", "trust_government")]
    assert row["median_needs_based"] > row["median_per_capita"] and row["epsilon_squared"] > 0.1


def test_prim_finds_a_planted_box():
    rng = np.random.default_rng(0)
    x = pd.DataFrame({"a": rng.uniform(0, 1, 2000), "b": rng.uniform(0, 1, 2000),
                      "c": rng.choice(["p", "q", "r"], 2000)})
    y = (x["a"] > 0.6) & (x["b"] < 0.5) & (x["c"] != "r")
    result = prim(x, y.to_numpy(), threshold=0.9)
    limits = result.box.limits
    assert limits["a"][0] == pytest.approx(0.6, abs=0.05)
    assert limits["b"][1] == pytest.approx(0.5, abs=0.05)
    assert limits["c"] == frozenset({"p", "q"})
    assert result.box.density >= 0.9 and result.box.coverage > 0.7
    assert set(result.table["parameter"]) == {"a", "b", "c"}


def test_analysis_of_a_missing_folder_is_a_user_error(tmp_path):
    from experiments.sweep.analysis import load_sweep

    with pytest.raises(SamenError, match="does not exist"):
        load_sweep(tmp_path / "none")


def test_replications_of_a_scenarios_design_size_the_paired_difference(tmp_path, capsys):
    """Levels need 2 replications; the difference the design is about needs more."""
    from experiments.sweep.analysis import load_sweep, replication_table
    from tests.brief_fixtures import make_sweep

    out = tmp_path / "b"
    make_sweep(out, replications=8)
    _, needed = replication_table(load_sweep(out), "trust_government", precision=0.05)
    noisy = needed.set_index("scenario").loc["contract-only - baseline"]
    assert noisy["needed_precision"] > 20 and noisy["needed"] == noisy["needed_precision"]


def test_compare_of_a_policies_sweep_reports_median_interval_and_regret(tmp_path, capsys):
    out = tmp_path / "p"
    run_sweep({"name": "p", "seed": 3, "design": "policies", "samples": 8, "replications": 2, "steps": 4,
               "policies": ["baseline", "manifesto", "austerity"], "outcomes": OUTCOMES,
               "uncertainties": {"partnership": [0, 1]}}, workers=1, out=out, run_fn=fake_run)
    assert main(["compare", str(out), "--out", str(tmp_path / "c")]) == 0
    printed = capsys.readouterr().out
    assert "regret p90" in printed and "regret max" in printed and "lower is better" in printed
    table = pd.read_csv(tmp_path / "c" / "regret.csv").set_index(["outcome", "policy"])
    trust = table.loc["trust_government"]
    # The fake's manifesto is 0.05 above baseline in every future: always the best, no regret.
    assert trust.loc["manifesto", "regret_max"] == pytest.approx(0, abs=1e-12)
    assert trust.loc["manifesto", "best_share"] == 1
    assert trust.loc["baseline", "regret_max"] == pytest.approx(0.05 * 1.1, abs=1e-9)
    assert trust.loc["austerity", "regret_p90"] > trust.loc["baseline", "regret_p90"]
    assert (trust["p05"] <= trust["median"]).all() and (trust["median"] <= trust["p95"]).all()
    assert (trust["futures"] == 8).all()
    assert (tmp_path / "c" / "regret.png").is_file()
