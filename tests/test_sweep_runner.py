"""The sweep runner: identical rows whatever the executor, resumable, failures recorded.

Uses the tiny fakes of :mod:`tests.sweep_fakes` (milliseconds per run); the real model is
exercised in ``test_sweep_model.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from experiments.errors import SamenError
from experiments.sweep import load_runs, load_series, run_sweep
from tests.sweep_fakes import failing_run, fake_run, run_with_localities

ROOT = Path(__file__).resolve().parent.parent
SPEC = {"name": "fake-lhs", "seed": 11, "design": "lhs", "samples": 6, "replications": 2, "steps": 8,
        "outcomes": ["trust_government", "access", "theil_access_between"],
        "levers": {"investment_eur": [0, 2e9], "allocation": ["per_capita", "needs_based"],
                   "partnership": [0, 1]},
        "uncertainties": {"board_min": [3, 7]}}


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """The runs table without the one column that legitimately differs: wall time."""
    return frame.drop(columns=["duration_s"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The fake sweep run serially in this process."""
    out = tmp_path_factory.mktemp("ref") / "sweep"
    return run_sweep(SPEC, workers=1, out=out, run_fn=fake_run), out


def test_writes_runs_manifest_and_design(reference):
    runs, out = reference
    assert len(runs) == 12 and list(runs["run_id"]) == list(range(12))
    assert (runs["status"] == "ok").all() and runs["error"].isna().all()
    for column in ("run_id", "sample_id", "replication", "seed", "investment_eur", "allocation",
                   "partnership", "board_min", "trust_government", "trust_government_mean_last_year",
                   "access_change"):
        assert column in runs.columns
    assert runs["board_min"].dtype.kind == "i"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["counts"] == {"runs": 12, "ok": 12, "failed": 0, "missing": 0}
    assert manifest["spec"]["levers"]["partnership"] == [0.0, 1.0]
    assert {"git", "versions", "started_at", "ended_at"} <= manifest.keys()
    assert (out / "design.parquet").exists()
    pd.testing.assert_frame_equal(load_runs(out), runs)


def test_two_local_workers_give_identical_rows(reference, tmp_path):
    runs, _ = reference
    parallel = run_sweep(SPEC, workers=2, out=tmp_path / "two", run_fn=fake_run)
    pd.testing.assert_frame_equal(comparable(parallel), comparable(runs))


def test_dask_local_cluster_gives_identical_rows(reference, tmp_path):
    from distributed import LocalCluster

    runs, _ = reference
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, host="127.0.0.1",
                      protocol="tcp", dashboard_address=None) as cluster:
        on_dask = run_sweep(SPEC, scheduler=cluster.scheduler_address, out=tmp_path / "dask", run_fn=fake_run)
    pd.testing.assert_frame_equal(comparable(on_dask), comparable(runs))
    manifest = json.loads((tmp_path / "dask" / "manifest.json").read_text())
    assert manifest["sessions"][0]["executor"] == {"kind": "dask", "scheduler": cluster.scheduler_address}


def test_resume_after_losing_runs_gives_one_row_per_run(reference, tmp_path):
    runs, out = reference
    copy = tmp_path / "partial"
    shutil.copytree(out, copy)
    # As if killed mid-sweep: some parts never written, runs.parquet not yet consolidated.
    (copy / "runs.parquet").unlink()
    for part in sorted((copy / "parts").iterdir())[::3]:
        part.unlink()
    # ... and one part was half-written when the kill came.
    stale = copy / "parts" / ".run-0000.parquet.tmp-99999"
    stale.write_bytes(b"PAR1 half")
    calls = []

    def counting_run(*args):
        calls.append(args)
        return fake_run(*args)

    resumed = run_sweep(SPEC, workers=1, out=copy, resume=True, run_fn=counting_run)
    assert len(calls) == 4  # only the missing runs
    assert not stale.exists()  # the killed session's temporary is gone
    assert resumed["run_id"].is_unique
    pd.testing.assert_frame_equal(comparable(resumed), comparable(runs))
    again = run_sweep(SPEC, workers=1, out=copy, resume=True, run_fn=counting_run)
    assert len(calls) == 4 and len(again) == 12  # nothing missing: nothing rerun, no duplicates


def test_resume_refuses_a_different_spec(reference, tmp_path):
    from experiments.errors import SamenError

    _, out = reference
    copy = tmp_path / "other"
    shutil.copytree(out, copy)
    with pytest.raises(SamenError, match="spec differs.*key 'samples'"):
        run_sweep({**SPEC, "samples": 7}, workers=1, out=copy, resume=True, run_fn=fake_run)


def test_failed_runs_are_recorded_and_the_sweep_goes_on(tmp_path, capsys):
    runs = run_sweep(SPEC, workers=1, out=tmp_path / "f", run_fn=failing_run)
    failed = runs[runs["status"] == "failed"]
    assert len(runs) == 12 and 0 < len(failed) < 12
    assert (failed["partnership"] > 0.5).all()
    assert failed["error"].str.startswith("ValueError: partnership").all()
    assert failed["trust_government"].isna().all()
    manifest = json.loads((tmp_path / "f" / "manifest.json").read_text())
    assert manifest["counts"]["failed"] == len(failed)
    # Once the cause is fixed, --retry-failed reruns exactly those.
    fixed = run_sweep(SPEC, workers=1, out=tmp_path / "f", resume=True, retry_failed=True, run_fn=fake_run)
    assert (fixed["status"] == "ok").all() and len(fixed) == 12


def test_cli_reports_failures_with_exit_code_1(tmp_path, capsys):
    from experiments.cli import main

    spec = tmp_path / "spec.toml"
    spec.write_text('name = "f"\nseed = 3\ndesign = "lhs"\nsamples = 4\nsteps = 4\n'
                    '[levers]\npartnership = [0.4, 1]\n')
    code = main(["sweep", str(spec), "--out", str(tmp_path / "out"), "--workers", "1",
                 "--run-function", "tests.sweep_fakes:failing_run"])
    out = capsys.readouterr().out
    assert code == 1 and "failed" in out and "ValueError: partnership" in out


def test_a_dying_worker_process_is_retried(tmp_path, monkeypatch):
    monkeypatch.setenv("SAMEN_FAKE_DIE_ONCE", str(tmp_path / "died"))
    from tests.sweep_fakes import dying_run

    runs = run_sweep({**SPEC, "samples": 2}, workers=2, out=tmp_path / "d", run_fn=dying_run)
    assert (tmp_path / "died").exists()
    assert len(runs) == 4 and (runs["status"] == "ok").all()


def test_keep_series_writes_each_runs_series(tmp_path):
    runs = run_sweep({**SPEC, "keep_series": True, "samples": 2}, workers=1, out=tmp_path / "s", run_fn=fake_run)
    series = load_series(tmp_path / "s", 3)
    assert len(series) == SPEC["steps"] + 1 and (series["run_id"] == 3).all()
    assert series["trust_government"].iloc[-1] == pytest.approx(runs.loc[3, "trust_government"])


@pytest.mark.parametrize("keep_localities", [False, True])
def test_localities_are_kept_only_on_request(tmp_path, keep_localities):
    """Thousands of rows per run: a sweep stores localities only with keep_localities."""
    out = tmp_path / "s"
    run_sweep({**SPEC, "keep_series": True, "keep_localities": keep_localities, "samples": 2}, workers=1,
              out=out, run_fn=run_with_localities)
    assert len(load_series(out, 1)) == SPEC["steps"] + 1
    assert (out / "localities").is_dir() == keep_localities
    if keep_localities:
        assert load_series(out, 1, table="localities")["access"].tolist() == [0.2, 0.5, 0.9]
    else:
        with pytest.raises(SamenError, match="was keep_localities = true"):
            load_series(out, 1, table="localities")


def test_keep_localities_needs_keep_series(tmp_path):
    with pytest.raises(SamenError, match="set keep_series = true as well"):
        run_sweep({**SPEC, "keep_localities": True, "samples": 2}, workers=1, out=tmp_path / "s", run_fn=fake_run)
    assert not (tmp_path / "s").exists()


def test_sigkill_midway_then_resume_completes_with_one_row_per_run(reference, tmp_path):
    """Kill the whole sweep (parent and workers) with SIGKILL, then --resume."""
    spec = tmp_path / "spec.toml"
    spec.write_text('name = "fake-lhs"\nseed = 11\ndesign = "lhs"\nsamples = 6\nreplications = 2\nsteps = 8\n'
                    'outcomes = ["trust_government", "access", "theil_access_between"]\n'
                    '[levers]\ninvestment_eur = [0, 2e9]\nallocation = ["per_capita", "needs_based"]\n'
                    'partnership = [0, 1]\n[uncertainties]\nboard_min = [3, 7]\n')
    out = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SAMEN_FAKE_SLEEP": "0.4"}
    cmd = [sys.executable, "-m", "experiments.cli", "sweep", str(spec), "--out", str(out), "--quiet",
           "--workers", "2", "--run-function", "tests.sweep_fakes:slow_run"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(list((out / "parts").glob("run-*.parquet"))) < 3:
            assert proc.poll() is None, "the sweep ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert not (out / "runs.parquet").exists()
    done = len(list((out / "parts").glob("run-*.parquet")))
    assert 3 <= done < 12
    env["SAMEN_FAKE_SLEEP"] = "0"
    result = subprocess.run([*cmd[:-4], "--workers", "1", "--resume", "--run-function",
                             "tests.sweep_fakes:slow_run"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    runs = pd.read_parquet(out / "runs.parquet")
    assert list(runs["run_id"]) == list(range(12))
    pd.testing.assert_frame_equal(comparable(runs), comparable(reference[0]))
    assert not list(out.glob("**/.*.tmp-*"))  # no temporary files left visible as results


def test_local_map_gives_every_result_once_whatever_the_workers():
    from experiments.sweep.runner import local_map

    items = [-3, 1, -2, 5, 0]
    serial = list(local_map(abs, items, workers=1))
    assert serial == [(0, 3), (1, 1), (2, 2), (3, 5), (4, 0)]  # in order, in this process
    assert sorted(local_map(abs, items, workers=2)) == serial  # as they finish, in a pool


def test_local_map_without_died_raises_when_workers_keep_dying():
    from concurrent.futures.process import BrokenProcessPool

    from experiments.sweep.runner import local_map

    with pytest.raises(BrokenProcessPool):
        list(local_map(os._exit, [1], workers=2, retries=0))


def test_a_sweep_into_a_log_file_writes_progress_lines_while_it_runs(tmp_path):
    """`samen sweep SPEC > log 2>&1`: plain lines (runs done, failed, rate, time left) as it goes."""
    spec = tmp_path / "slow.toml"
    spec.write_text('name = "slow"\nseed = 1\ndesign = "lhs"\nsamples = 40\nsteps = 2\n'
                    'outcomes = ["access"]\n[levers]\npartnership = [0, 1]\n', encoding="utf-8")
    log = tmp_path / "log"
    env = {**os.environ, "SAMEN_FAKE_SLEEP": "0.1", "PYTHONPATH": str(ROOT)}
    with open(log, "w") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "experiments.cli", "sweep", str(spec), "--workers", "1",
                                 "--out", str(tmp_path / "out"), "--run-function", "tests.sweep_fakes:slow_run"],
                                stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
        try:
            seen = ""
            deadline = time.monotonic() + 120
            while proc.poll() is None and time.monotonic() < deadline:
                seen = log.read_text()
                if "/40 runs (" in seen and "runs/min" in seen:
                    break
                time.sleep(0.1)
            assert proc.poll() is None, f"no progress line before the sweep ended: {log.read_text()!r}"
        finally:
            proc.wait(timeout=120)
    lines = [line for line in log.read_text().splitlines() if line.startswith("sweep slow: ") and " runs (" in line]
    assert 10 <= len(lines) <= 25  # one per 5%, not one per run
    assert "failed" in lines[1] and "left" in lines[1]
    assert lines[-1].startswith("sweep slow: 40/40 runs (100%), 0 failed")


def test_api_errors_speak_of_arguments_not_of_command_line_flags(tmp_path):
    from experiments.errors import SamenError
    from experiments.output import check_out_dir

    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    attempts = [lambda: run_sweep(SPEC, workers=0, out=tmp_path / "a", run_fn=fake_run),
                lambda: run_sweep(SPEC, resume=True, run_fn=fake_run),
                lambda: run_sweep(SPEC, out=tmp_path / "full", run_fn=fake_run),
                lambda: check_out_dir(tmp_path / "full")]
    for attempt in attempts:
        with pytest.raises(SamenError) as info:
            attempt()
        assert "--" not in str(info.value), str(info.value)


def test_runs_of_one_seed_run_next_to_each_other(tmp_path, monkeypatch):
    """So that a worker builds each seed's spun-up start once for all its scenarios."""
    from experiments.sweep import runner

    seen = []
    original = runner._local_results

    def spy(tasks, *args, **kwargs):
        seen.extend((t.seed, t.scenario) for t in tasks)
        return original(tasks, *args, **kwargs)

    monkeypatch.setattr(runner, "_local_results", spy)
    spec = {"name": "order", "seed": 3, "steps": 1, "design": "scenarios", "scenario": "baseline",
            "scenarios": ["baseline", "manifesto"], "replications": 3,
            "parameters": {"population_scale": 9000}}
    table = runner.run_sweep(spec, workers=1, out=tmp_path / "order", progress=False)
    seeds = [seed for seed, _ in seen]
    assert len(seen) == 6 and len(set(seeds)) == 3 and seeds == sorted(seeds)
    assert [s for _, s in seen[:2]] == ["baseline", "manifesto"]  # the design's order within a seed
    assert (table["status"] == "ok").all() and list(table["run_id"]) == sorted(table["run_id"])


def test_start_batches_send_a_seeds_few_runs_together_and_many_runs_apart():
    from experiments.sweep.design import RunTask
    from experiments.sweep.runner import start_batches

    def task(run_id, seed):
        return RunTask(run_id, run_id, 0, seed, "baseline", {}, {}, 1)

    few = [task(i, seed) for i, seed in enumerate([1, 1, 1, 2, 2, 3])]
    assert [[t.run_id for t in b] for b in start_batches(few)] == [[0, 1, 2], [3, 4], [5]]
    many = [task(i, 7) for i in range(5)]
    assert [[t.run_id for t in b] for b in start_batches(many, max_batch=4)] == [[0], [1], [2], [3], [4]]
    assert start_batches([]) == []


def test_each_seed_of_a_scenarios_sweep_runs_in_one_worker(tmp_path, monkeypatch):
    """So that a seed's spun-up start is built once, not once per worker (issue 13).

    Runs take 0.3 s, so the second worker (ready after its imports) joins while the first is
    inside a seed: runs sent one by one would split that seed between the two.
    """
    from tests.sweep_fakes import pid_logging_run

    log = tmp_path / "pids"
    monkeypatch.setenv("SAMEN_FAKE_PID_LOG", str(log))
    monkeypatch.setenv("SAMEN_FAKE_SLEEP", "0.3")
    spec = {"name": "pids", "seed": 5, "steps": 2, "design": "scenarios", "scenario": "baseline",
            "scenarios": ["baseline", "manifesto", "austerity"], "replications": 4, "outcomes": ["access"]}
    table = run_sweep(spec, workers=2, out=tmp_path / "s", run_fn=pid_logging_run)
    assert (table["status"] == "ok").all() and len(table) == 12
    pids_of_seed: dict[str, set[str]] = {}
    for line in log.read_text().splitlines():
        seed, pid = line.split()
        pids_of_seed.setdefault(seed, set()).add(pid)
    assert len(pids_of_seed) == 4 and all(len(p) == 1 for p in pids_of_seed.values())
