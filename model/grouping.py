"""Vectorised choices within groups: rank items inside their group, keep the top few per group.

Rules often pick "the k most suitable people of each locality" or "one place per
collective"; doing that in one compiled pass over all groups keeps them free of Python loops.
"""

from __future__ import annotations

import numpy as np
from numba import njit


def rank_within(sorted_groups: np.ndarray) -> np.ndarray:
    """Position of each element within its run of equal values (the array is sorted by group)."""
    n = len(sorted_groups)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    first = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    return np.arange(n) - np.repeat(first, np.diff(np.r_[first, n]))


def sum_by_pair(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int],
                weights: np.ndarray | None = None) -> np.ndarray:
    """A ``shape`` float array of the ``weights`` (default 1) summed per ``(rows[i], cols[i])``.

    ``np.add.at`` does the same, in the same order, many times slower.
    """
    flat = np.bincount(np.asarray(rows, dtype=np.int64) * shape[1] + cols, weights=weights,
                       minlength=shape[0] * shape[1])
    return flat.astype(np.float64).reshape(shape)


def top_per_group(group: np.ndarray, key: np.ndarray, quota: np.ndarray) -> np.ndarray:
    """Positions of the ``quota[g]`` largest ``key`` values within each ``group`` value g.

    Ordered by group, then by descending key, ties by position: exactly
    ``order[rank_within(group[order]) < quota[group[order]]]`` with
    ``order = np.lexsort((-key, group))`` (``tests/test_grouping.py`` checks it), but without
    sorting everything. At the 1:1 country a group is a locality of thousands of candidates
    and the quota a handful, and the full sort took a third of the run.
    """
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64)
    return _top_kernel(np.ascontiguousarray(group, dtype=np.int64), np.ascontiguousarray(key, dtype=np.float64),
                       np.ascontiguousarray(quota, dtype=np.int64))


@njit(cache=True)
def _top_kernel(group, key, quota):  # pragma: no cover - compiled
    n, n_groups = len(group), len(quota)
    # a stable counting sort by group: positions of each group in their original order
    start = np.zeros(n_groups + 1, dtype=np.int64)
    ordered = True
    for i in range(n):
        start[group[i] + 1] += 1
        if i > 0 and group[i] < group[i - 1]:
            ordered = False
    for g in range(n_groups):
        start[g + 1] += start[g]
    if ordered:  # already by group (candidates read locality by locality): the sort is the identity
        by_group = np.arange(n)
    else:
        fill = start[:-1].copy()
        by_group = np.empty(n, dtype=np.int64)
        for i in range(n):
            by_group[fill[group[i]]] = i
            fill[group[i]] += 1
    out = np.empty(n, dtype=np.int64)
    m = 0
    for g in range(n_groups):
        lo, hi = start[g], start[g + 1]
        k = min(quota[g], hi - lo)
        if k <= 0:
            continue
        out[m:m + k] = top_k(by_group[lo:hi], -key[by_group[lo:hi]], k)
        m += k
    return out[:m]


@njit(cache=True)
def top_k(members, neg, k):  # pragma: no cover - compiled
    """The ``k`` of ``members`` (in position order) with the smallest ``neg``, ties by position."""
    if k < len(members):
        # keep every candidate at or above the k-th largest key (ties included), in position
        # order, so that the stable sort below breaks ties by position as lexsort does
        threshold = np.partition(neg, k - 1)[k - 1]
        near_top = neg <= threshold
        members, neg = members[near_top], neg[near_top]
    return members[np.argsort(neg, kind="mergesort")[:k]]
