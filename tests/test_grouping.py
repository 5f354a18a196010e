"""The compiled choices within groups give exactly what their sorting definitions give."""

import numpy as np
import pytest

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


@pytest.mark.parametrize("seed", range(40))
def test_top_per_group_equals_the_lexsort_definition(seed):
    """Random groups, quotas (negative, zero, above the group's size) and keys with ties and -inf."""
    rng = np.random.default_rng(seed)
    n, n_groups = int(rng.integers(0, 400)), int(rng.integers(1, 15))
    group = rng.integers(0, n_groups, n)
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
    counts = _count_roles(member_of, role, pool, n_collectives, 3)
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
