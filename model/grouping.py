"""Vectorised choices within groups: rank items inside their group, keep the top few per group.

Rules often pick "the k most suitable people of each locality" or "one place per
collective"; doing that with one sort over all groups keeps them free of Python loops.
"""

from __future__ import annotations

import numpy as np


def rank_within(sorted_groups: np.ndarray) -> np.ndarray:
    """Position of each element within its run of equal values (the array is sorted by group)."""
    n = len(sorted_groups)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    first = np.flatnonzero(np.r_[True, sorted_groups[1:] != sorted_groups[:-1]])
    return np.arange(n) - np.repeat(first, np.diff(np.r_[first, n]))


def top_per_group(group: np.ndarray, key: np.ndarray, quota: np.ndarray) -> np.ndarray:
    """Positions of the ``quota[g]`` largest ``key`` values within each ``group`` value g."""
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((-key, group))
    g = group[order]
    return order[rank_within(g) < quota[g]]
