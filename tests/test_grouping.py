"""Compiled kernels give exactly what their numpy definitions give: choices within groups, counts, categories."""

import numpy as np
import pytest

from model.citizens import _categories_kernel, count_by_locality
from model.grouping import rank_within, sum_by_pair, top_per_group
from model.kinds import Role
from model.membership import _count_roles


def _top_per_group_by_sorting(group, key, quota):
    """The definition: sort by group, then by descending key (ties by position); keep the first quota[g]."""
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((-key, group))
    g = group[order]
    return order[rank_within(g) < quota[g]]


def test_rank_within_counts_positions_inside_runs():
    assert rank_within(np.array([0, 0, 2, 2, 2, 5])).tolist() == [0, 1, 0, 1, 2, 0]


def test_top_per_group_keeps_the_largest_keys_of_each_group_in_order():
    group = np.array([1, 0, 1, 1, 0, 2])
    key = np.array([0.5, 0.1, 0.9, 0.2, 0.7, 0.3])
    quota = np.array([1, 2, 0])
    # group 0: the larger of 0.1 and 0.7; group 1: 0.9 then 0.5; group 2: none
    assert top_per_group(group, key, quota).tolist() == [4, 2, 0]


@pytest.mark.parametrize("ordered", [False, True], ids=["shuffled", "by-group"])
@pytest.mark.parametrize("seed", range(40))
def test_top_per_group_equals_the_lexsort_definition(seed, ordered):
    """Random groups (shuffled, or already by group: the fast path), quotas (negative, zero,
    above the group's size) and keys with ties and -inf."""
    rng = np.random.default_rng(seed)
    n, n_groups = int(rng.integers(0, 400)), int(rng.integers(1, 15))
    group = rng.integers(0, n_groups, n)
    if ordered:
        group = np.sort(group)
    key = rng.integers(-3, 3, n).astype(float) if seed % 2 else rng.random(n)
    key[rng.random(n) < 0.1] = -np.inf
    quota = rng.integers(-1, 8, n_groups)
    assert np.array_equal(top_per_group(group, key, quota), _top_per_group_by_sorting(group, key, quota))


def test_count_roles_counts_each_role_and_the_roles_above_it():
    rng = np.random.default_rng(3)
    n, n_collectives = 500, 12
    member_of = np.where(rng.random((n, 4)) < 0.4, rng.integers(0, n_collectives, (n, 4)), -1).astype(np.int32)
    role = np.where(member_of >= 0, rng.integers(Role.MEMBER, Role.BOARD + 1, (n, 4)), Role.NONE).astype(np.uint8)
    pool = np.sort(rng.choice(n, 300, replace=False))
    counts = np.zeros((2, n_collectives, 3), dtype=np.int64)
    _count_roles(member_of, role, pool, counts, 0, 0, 120)  # two parts, as threads would count
    _count_roles(member_of, role, pool, counts, 1, 120, len(pool))
    counts = counts.sum(axis=0)
    col, r = member_of[pool].ravel(), role[pool].ravel()
    for i, level in enumerate((Role.MEMBER, Role.VOLUNTEER, Role.BOARD)):
        expected = np.bincount(col[(col >= 0) & (r >= level)], minlength=n_collectives)
        assert counts[:, i].tolist() == expected.tolist()


def test_sum_by_pair_equals_add_at():
    rng = np.random.default_rng(5)
    rows, cols = rng.integers(0, 7, 300), rng.integers(0, 4, 300)
    weights = rng.integers(0, 200, 300)
    for w in (None, weights):
        expected = np.zeros((7, 4))
        np.add.at(expected, (rows, cols), 1 if w is None else w)
        assert np.array_equal(sum_by_pair(rows, cols, (7, 4), w), expected)


@pytest.mark.parametrize("ordered", [False, True], ids=["shuffled", "by-locality"])
def test_count_by_locality_equals_bincount(ordered):
    """The run-length counting gives np.bincount's float counts whatever the order of citizens."""
    rng = np.random.default_rng(11)
    n, n_localities = 5000, 40
    locality = rng.integers(0, n_localities - 3, n).astype(np.int32)  # the last localities stay empty
    if ordered:
        locality = np.sort(locality)
    mask, adult = rng.random(n) < 0.3, rng.random(n) < 0.8
    counts, hits, adults = count_by_locality(locality, mask, adult, n_localities)
    expected = np.bincount(locality, weights=mask & adult, minlength=n_localities)
    assert counts.dtype == np.float64 and np.array_equal(counts, expected)
    assert (hits, adults) == (int((mask & adult).sum()), int(adult.sum()))
    empty = count_by_locality(locality[:0], mask[:0], adult[:0], n_localities)
    assert not empty[0].any() and empty[1:] == (0, 0)


def test_categories_kernel_equals_comparing_with_every_cumulative_share():
    """One draw per citizen against its kind's cumulative shares: the kernel gives what the
    (citizens x categories) comparison gives, a draw at or above the last share included."""
    rng = np.random.default_rng(4)
    cum = np.cumsum(rng.dirichlet(np.ones(4), size=3), axis=1)
    cum[1, -1] = 0.9999  # shares that sum to just under 1
    kind = rng.integers(0, 3, 4000).astype(np.uint8)
    u = rng.random(4000)
    u[:5], kind[:5] = 0.99995, 1
    expected = (u[:, None] >= cum[kind]).sum(axis=1).astype(np.uint8).clip(0, cum.shape[1] - 1)
    assert np.array_equal(_categories_kernel(kind, cum, u), expected)
