"""Sweeps of the real model at a small scale (1 citizen per 2,000 residents, 3 quarters)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from experiments.cli import main
from experiments.sweep import run_sweep

SPEC_TOML = """
name = "small-lhs"
seed = 7
design = "lhs"
samples = 3
replications = 1
steps = 3
outcomes = ["trust_government", "access", "meeting_places", "theil_access_between"]
[levers]
investment_eur = [0, 2e9]
allocation = ["per_capita", "needs_based"]
[uncertainties]
trust_down_ratio = [1.5, 4]
[parameters]
population_scale = 2000
"""


@pytest.fixture(scope="module")
def spec_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("spec") / "small-lhs.toml"
    path.write_text(SPEC_TOML)
    return path


@pytest.fixture(scope="module")
def two_workers(spec_file, tmp_path_factory):
    """The CLI sweep with 2 local worker processes."""
    out = tmp_path_factory.mktemp("cli") / "sweep"
    assert main(["sweep", str(spec_file), "--workers", "2", "--out", str(out), "--quiet"]) == 0
    return out


def test_cli_sweep_writes_the_files(two_workers):
    runs = pd.read_parquet(two_workers / "runs.parquet")
    assert len(runs) == 3 and (runs["status"] == "ok").all(), runs["error"].tolist()
    assert runs["trust_government"].between(0, 1).all()
    assert runs["seed"].is_unique
    manifest = json.loads((two_workers / "manifest.json").read_text())
    assert manifest["counts"]["ok"] == 3 and manifest["spec"]["parameters"] == {"population_scale": 2000}


def test_real_model_identical_in_process_and_on_dask(two_workers, spec_file, tmp_path):
    from distributed import LocalCluster

    reference = pd.read_parquet(two_workers / "runs.parquet").drop(columns="duration_s")
    serial = run_sweep(spec_file, workers=1, out=tmp_path / "serial").drop(columns="duration_s")
    pd.testing.assert_frame_equal(serial, reference)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, host="127.0.0.1",
                      protocol="tcp", dashboard_address=None) as cluster:
        on_dask = run_sweep(spec_file, scheduler=cluster.scheduler_address, out=tmp_path / "dask")
    pd.testing.assert_frame_equal(on_dask.drop(columns="duration_s"), reference)


def test_analyze_real_sweep_with_where(two_workers, capsys):
    assert main(["analyze", str(two_workers), "--where", "access > 0"]) == 0
    out = capsys.readouterr().out
    assert "Spearman" in out and "PRIM box for: access > 0" in out


POLICIES_TOML = """
name = "small-policies"
seed = 8
design = "policies"
policies = ["baseline", "manifesto", "austerity"]
samples = 8
replications = 1
steps = 2
outcomes = ["trust_government", "access", "theil_access_between"]
[uncertainties]
trust_down_ratio = [1.5, 4]
collective_cost_ratio = [0.5, 1.2]
[parameters]
population_scale = 2000
"""


def test_policies_sweep_of_the_model_same_rows_locally_and_on_dask_then_regret(tmp_path, capsys):
    """3 policies x 8 futures: identical rows in this process and on Dask; compare gives regret."""
    from distributed import LocalCluster

    spec = tmp_path / "policies.toml"
    spec.write_text(POLICIES_TOML)
    local = run_sweep(spec, workers=1, out=tmp_path / "local").drop(columns="duration_s")
    assert len(local) == 24 and (local["status"] == "ok").all(), local["error"].tolist()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, host="127.0.0.1",
                      protocol="tcp", dashboard_address=None) as cluster:
        on_dask = run_sweep(spec, scheduler=cluster.scheduler_address, out=tmp_path / "dask")
    pd.testing.assert_frame_equal(on_dask.drop(columns="duration_s"), local)
    assert main(["compare", str(tmp_path / "local"), "--out", str(tmp_path / "cmp")]) == 0
    printed = capsys.readouterr().out
    for policy in ("baseline", "manifesto", "austerity"):
        assert policy in printed
    assert "90% interval" in printed and "regret p90" in printed and "regret max" in printed
    regret = pd.read_csv(tmp_path / "cmp" / "regret.csv")
    assert len(regret) == 9 and (regret["regret_max"] >= 0).all()
    # In every future some policy is the best (no regret): the shares add up to at least 1.
    assert (regret.groupby("outcome")["best_share"].sum() >= 1 - 1e-9).all()
