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


def test_analyze_prints_sobol_indices_with_intervals_and_a_prim_box(sobol_dir, capsys):
    code = main(["analyze", str(sobol_dir), "--resamples", "200",
                 "--where", "theil_access_between < 0.012 and trust_government > 0.4"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Sobol indices (95% bootstrap intervals)" in out and "PRIM box for:" in out
    table = pd.read_csv(sobol_dir / "sobol.csv")
    assert set(table["outcome"]) == set(OUTCOMES) and len(table) == 8
    assert (table["S1_low"] <= table["S1"]).all() and (table["S1"] <= table["S1_high"]).all()
    row = table[(table["outcome"] == "theil_access_between")].set_index("parameter")
    # The fake's gap depends on investment and partnership only.
    assert row.loc["partnership", "ST"] > 0.2 and row.loc["investment_eur", "ST"] > 0.1
    assert row.loc["trust_down_ratio", "ST"] < 0.1
    assert f"{row.loc['partnership', 'S1']:.3f} [" in out
    box = pd.read_csv(sobol_dir / "prim_box.csv")
    assert "partnership" in set(box["parameter"])
    for name in ("sobol.png", "sobol.svg", "prim_trajectory.csv"):
        assert (sobol_dir / name).exists()


def test_bad_where_and_outcome_are_user_errors(sobol_dir, capsys):
    assert main(["analyze", str(sobol_dir), "--where", "happiness > 1"]) == 2
    assert "cannot be evaluated" in capsys.readouterr().err
    assert main(["analyze", str(sobol_dir), "--outcome", "happiness"]) == 2
    assert "unknown outcome 'happiness'" in capsys.readouterr().err
    assert main(["compare", str(sobol_dir)]) == 2
    assert "needs a 'scenarios' design" in capsys.readouterr().err


def test_morris_indices(tmp_path, capsys):
    out = tmp_path / "m"
    run_sweep({"name": "m", "seed": 4, "design": "morris", "samples": 8, "steps": 4, "outcomes": OUTCOMES,
               **FACTORS}, workers=1, out=out, run_fn=fake_run)
    assert main(["analyze", str(out), "--outcome", "theil_access_between", "--resamples", "100"]) == 0
    assert "Morris mu*" in capsys.readouterr().out
    table = pd.read_csv(out / "morris.csv").set_index("parameter")
    assert table.loc["partnership", "mu_star"] > table.loc["trust_down_ratio", "mu_star"]
    assert (out / "morris.png").exists()


def test_compare_and_replications(tmp_path, capsys):
    out = tmp_path / "c"
    run_sweep({"name": "c", "seed": 5, "design": "scenarios", "steps": 8, "replications": 8,
               "scenarios": ["baseline", "manifesto", "austerity"], "outcomes": OUTCOMES},
              workers=1, out=out, run_fn=fake_run)
    assert main(["compare", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "base scenario baseline" in printed and "manifesto" in printed
    table = pd.read_csv(out / "compare.csv")
    manifesto = table[(table["scenario"] == "manifesto") & (table["outcome"] == "trust_government")].iloc[0]
    # Same seeds per replication: the fake's noise cancels and the paired difference is exact.
    assert manifesto["diff_median"] == pytest.approx(0.05 * 1.1, abs=1e-9)
    assert manifesto["diff_p05"] == pytest.approx(manifesto["diff_p95"], abs=1e-9)
    assert manifesto["p05"] < manifesto["median"] < manifesto["p95"]
    assert main(["replications", str(out), "--outcome", "trust_government", "--precision", "0.01"]) == 0
    printed = capsys.readouterr().out
    assert "replications needed" in printed
    needed = pd.read_csv(out / "replications_trust_government_needed.csv")
    assert len(needed) == 3 and (needed["needed"] >= 2).all()
    assert (out / "replications_trust_government.png").exists()


def test_lhs_analysis_gives_rank_correlations(tmp_path, capsys):
    out = tmp_path / "l"
    run_sweep({"name": "l", "seed": 6, "design": "lhs", "samples": 30, "steps": 4, "outcomes": OUTCOMES,
               **FACTORS}, workers=1, out=out, run_fn=fake_run)
    assert main(["analyze", str(out)]) == 0
    corr = pd.read_csv(out / "correlations.csv", index_col="parameter")
    assert corr.loc["partnership", "theil_access_between"] < -0.5


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
