"""Citizen passes split over threads (model/threads.py): the split, and results that do not depend on it."""

from __future__ import annotations

import numpy as np
import pytest

from experiments.api import build_model
from experiments.cli import main
from experiments.sweep.runner import share_cores
from model import threads


@pytest.fixture
def restore_threads():
    before = threads.threads()
    yield
    threads.set_threads(before)


@pytest.mark.parametrize("n, count, smallest", [(10, 4, 1), (1_000, 3, 100), (999, 2, 500), (150, 2, 100)])
def test_ranges_cover_every_citizen_once_in_at_most_one_range_per_thread(monkeypatch, restore_threads, n, count,
                                                                         smallest):
    monkeypatch.setattr(threads, "MIN_PER_THREAD", smallest)
    threads.set_threads(count)
    parts = threads.ranges(n)
    assert parts[0][0] == 0 and parts[-1][1] == n
    assert all(hi == lo for (_, hi), (lo, _) in zip(parts[:-1], parts[1:], strict=True))  # contiguous
    assert len(parts) == max(1, min(count, n // smallest))
    assert max(hi - lo for lo, hi in parts) - min(hi - lo for lo, hi in parts) <= 1


def test_threads_are_at_least_one_and_at_most_the_cap(restore_threads):
    with pytest.raises(ValueError, match="at least 1"):
        threads.set_threads(0)
    threads.set_threads(10 * threads.MAX_THREADS)
    assert threads.threads() == threads.MAX_THREADS


def test_an_error_in_a_thread_reaches_the_caller(monkeypatch, restore_threads):
    monkeypatch.setattr(threads, "MIN_PER_THREAD", 1)
    threads.set_threads(2)
    seen = []

    def kernel(out, lo, hi):
        seen.append((lo, hi))
        if lo > 0:
            raise RuntimeError("second range failed")

    with pytest.raises(RuntimeError, match="second range"):
        threads.run(kernel, 10, None)
    assert sorted(seen) == [(0, 5), (5, 10)]


def test_map_parts_returns_each_ranges_result_in_range_order():
    parts = [(0, 3), (3, 5), (5, 9)]
    assert threads.map_parts(lambda part, lo, hi: (part, lo, hi), parts) == [(0, 0, 3), (1, 3, 5), (2, 5, 9)]


def _end_state(scale: int, steps: int) -> list[np.ndarray]:
    m = build_model("manifesto", {"population_scale": scale}, seed=4)
    for _ in range(steps):
        m.step()
    c = m.citizens
    series, regions, groups = m.outcome_frames()
    return [c.active_history, c.trust_local, c.trust_national, c.trust_others, c.burnout, c.weak_ties,
            c.weak_bridging, c.member_of, c.role, m.sampled_tie, series.to_numpy(float), regions.select_dtypes("number")
            .to_numpy(float), groups.select_dtypes("number").to_numpy(float)]


def test_a_run_is_bit_for_bit_the_same_on_one_thread_and_on_several(monkeypatch, restore_threads):
    """Every split pass (the network's build too) and every split draw runs on 1, 2 and 3 threads
    (ranges of 150 citizens or draws or more): the same run, bit for bit."""
    monkeypatch.setattr(threads, "MIN_PER_THREAD", 150)
    monkeypatch.setattr(threads, "MIN_DRAWS_PER_THREAD", 150)
    ends = []
    for count in (1, 2, 3):
        threads.set_threads(count)
        ends.append(_end_state(3000, 6))
    for other in ends[1:]:
        for a, b in zip(ends[0], other, strict=True):
            np.testing.assert_array_equal(a, b)


def test_sweep_workers_share_the_cores(monkeypatch, restore_threads):
    monkeypatch.setattr(threads, "available_cores", lambda: 8)
    share_cores(2)
    assert threads.threads() == 4
    share_cores(16)
    assert threads.threads() == 1


@pytest.mark.parametrize("value", ["0", "two", "-1", ""])
def test_a_wrong_samen_threads_is_one_readable_line(monkeypatch, capsys, value):
    monkeypatch.setenv("SAMEN_THREADS", value)
    assert main(["params"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "SAMEN_THREADS" in err and "at least 1" in err


def test_samen_threads_sets_the_threads(monkeypatch, restore_threads, capsys):
    monkeypatch.setenv("SAMEN_THREADS", "1")
    assert main(["params"]) == 0
    assert threads.threads() == 1


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("earlier", [0, 1, 2, 7])
@pytest.mark.parametrize("shape, count", [(1_001, 2), ((333, 3), 3), (10, 2), (4_000, 1)])
def test_uniform_draws_by_threads_are_rng_random(monkeypatch, restore_threads, dtype, earlier, shape, count):
    """The same numbers and the same generator afterwards as one ``rng.random`` call, whatever came before."""
    monkeypatch.setattr(threads, "MIN_DRAWS_PER_THREAD", 100)
    threads.set_threads(count)
    a, b = np.random.default_rng(11), np.random.default_rng(11)
    for rng in (a, b):
        rng.random(earlier, dtype=np.float32)  # an odd count leaves half an output for the next float32
    expected = a.random(shape, dtype=dtype)
    got = threads.uniform(b, shape, dtype)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)
    assert b.bit_generator.state == a.bit_generator.state
    np.testing.assert_array_equal(b.random(5, dtype=np.float32), a.random(5, dtype=np.float32))


def test_bridging_ties_are_counted_per_citizen_as_bincount_counts_them(monkeypatch, restore_threads):
    monkeypatch.setattr(threads, "MIN_PER_THREAD", 100)
    threads.set_threads(3)
    net = build_model("baseline", {"population_scale": 3000}, seed=2).network
    n = len(net.indptr) - 1
    expected = np.bincount(np.repeat(np.arange(n), net.degree), weights=net.bridging, minlength=n)
    np.testing.assert_array_equal(net.bridging_ties(), expected.astype(np.float32))


@pytest.mark.parametrize("ties", [True, False])
@pytest.mark.parametrize("n", [1, 2, 4, 5, 6, 11, 97, 1_000])
def test_income_quintiles_are_the_ranks_of_a_stable_sort(monkeypatch, restore_threads, n, ties):
    """Selection instead of sorting: the same quintiles, ties ranked by position."""
    from model.citizens import income_quintiles

    monkeypatch.setattr(threads, "MIN_PER_THREAD", 10)
    threads.set_threads(3)
    rng = np.random.default_rng(n)
    income = (rng.integers(0, max(2, n // 7), n) if ties else rng.lognormal(10, 0.5, n)).astype(np.float32)
    ranks = np.empty(n, dtype=np.int64)
    ranks[np.argsort(income, kind="stable")] = np.arange(n)
    np.testing.assert_array_equal(income_quintiles(income), (ranks * 5 // n).astype(np.uint8))
