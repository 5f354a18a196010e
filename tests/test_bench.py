"""``samen bench``: its options are checked before anything runs, and both benchmarks measure."""

from __future__ import annotations

import pytest

from experiments.bench.model import measure, scale_for
from experiments.cli import main

from .test_cli import assert_user_error


@pytest.mark.parametrize(("argv", "needle"), [
    (["bench", "--steps", "0"], "--steps 0 must be at least 1"),
    (["bench", "--sizes", "10,1e4"], "--sizes must be citizen counts of at least 100"),
    (["bench", "--runs", "3"], "only --sweep uses --runs"),
    (["bench", "--workers", "2", "--scale", "500"], "only --sweep uses --workers, --scale"),
    (["bench", "--sweep", "--quick"], "--sweep measures runs per minute; --quick cannot be used with it"),
    (["bench", "--sweep", "--runs", "1"], "--runs 1 must be at least 2"),
    (["bench", "--sweep", "--workers", "0"], "--workers 0 must be at least 1"),
    (["bench", "--sweep", "--scale", "0"], "population_scale=0 is out of range"),
    (["bench", "--sizes", "many"], "invalid citizen_counts value"),
])
def test_bench_rejects_bad_options(capsys, in_tmp, argv, needle):
    assert_user_error(capsys, argv, needle, in_tmp)


def test_one_measurement_runs_in_a_child_process():
    m = measure("samen", scale_for(2_000), steps=1)
    assert 1_000 < m.citizens < 4_000 and m.steps == 1
    assert m.build_s > 0 and m.step_s > 0 and m.peak_mib > m.base_mib > 0


def test_sweep_benchmark_prints_runs_per_minute(capsys, in_tmp):
    assert main(["bench", "--sweep", "--runs", "2", "--steps", "1", "--scale", "9000", "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 runs (2 ok) of 1 quarters with 1 workers in ") and "runs per minute" in out
    assert list(in_tmp.iterdir()) == []  # the sweep's folder was temporary
