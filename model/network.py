"""The social network: strong ties formed with homophily and geography, stored as CSR.

Ties form by the Social Distance Attachment rule (Talaga & Nowak 2020; domain.md M6):
a candidate pair with social distance d becomes a tie with probability
``1 / (1 + (d / b) ** alpha)``. Candidates come from one's own locality with probability
``local_tie_share`` and otherwise from elsewhere in the municipality. Candidate sampling
is vectorised over all citizens, so building costs O(citizens x mean_degree).

The graph is undirected, without self-loops or duplicate ties, held as ``indptr`` /
``indices`` (int64 / int32) arrays: 18 million citizens with 8 ties each take about 0.6 GB.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .population import Citizens
from .regions import Localities


@dataclass(frozen=True)
class Network:
    indptr: np.ndarray  # int64, length n + 1
    indices: np.ndarray  # int32
    bridging: np.ndarray  # bool, per stored tie: the two ends differ socially

    @property
    def degree(self) -> np.ndarray:
        return np.diff(self.indptr)

    def mean_over_ties(self, values: np.ndarray) -> np.ndarray:
        """Mean of ``values`` over each citizen's ties; a citizen without ties gets their own."""
        deg = self.degree
        sums = np.add.reduceat(values[self.indices], self.indptr[:-1]) if len(self.indices) else 0 * values
        sums = np.where(deg > 0, sums, 0)
        return np.where(deg > 0, sums / np.maximum(deg, 1), values).astype(values.dtype)

    def random_neighbour(self, rng: np.random.Generator, k: int = 1) -> np.ndarray:
        """k random ties per citizen (n, k); -1 for citizens without ties."""
        deg = self.degree
        n = len(deg)
        pick = (rng.random((n, k)) * deg[:, None]).astype(np.int64)
        out = np.full((n, k), -1, dtype=np.int32)
        has = deg > 0
        out[has] = self.indices[self.indptr[:-1][has, None] + pick[has]]
        return out


def social_distance(c: Citizens, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Distance in [0, 1] over education, income quintile and age band (equal weights)."""
    d_edu = np.abs(c.education[i].astype(np.int8) - c.education[j].astype(np.int8)) / 2
    d_inc = np.abs(c.income_quintile[i].astype(np.int8) - c.income_quintile[j].astype(np.int8)) / 4
    d_age = np.abs(c.age[i].astype(np.int8) - c.age[j].astype(np.int8)) / 3
    return ((d_edu + d_inc + d_age) / 3).astype(np.float32)


def is_bridging(c: Citizens, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """A bridging tie links people of another education level or distant income (>= 2 quintiles)."""
    return (c.education[i] != c.education[j]) | (
        np.abs(c.income_quintile[i].astype(np.int8) - c.income_quintile[j].astype(np.int8)) >= 2)


def build_network(c: Citizens, loc: Localities, mean_degree: float, local_share: float,
                  alpha: float, b: float, rng: np.random.Generator) -> Network:
    """Sample candidate ties, accept them by homophily, symmetrise and store as CSR."""
    n = c.n
    if n < 2:
        return Network(np.zeros(n + 1, np.int64), np.zeros(0, np.int32), np.zeros(0, bool))
    # municipality slices (citizens are sorted by municipality)
    muni = c.municipality
    m_ids, m_start, m_count = np.unique(muni, return_index=True, return_counts=True)
    m_pos = np.searchsorted(m_ids, muni)
    l_start = loc.start[c.locality]
    l_count = loc.n_citizens[c.locality]

    # acceptance probability among random pairs sets how many candidates are needed
    pilot_i = rng.integers(0, n, min(n, 20_000))
    pilot_j = l_start[pilot_i] + (rng.random(len(pilot_i)) * l_count[pilot_i]).astype(np.int64)
    p_accept = _accept_prob(social_distance(c, pilot_i, pilot_j), alpha, b).mean()
    rounds = max(1, int(round(mean_degree / 2 / max(p_accept, 1e-3))))

    src, dst = [], []
    src_all = np.arange(n, dtype=np.int64)
    for _ in range(rounds):
        local = rng.random(n) < local_share
        offset = rng.random(n)
        j = np.where(local,
                     l_start + (offset * l_count).astype(np.int64),
                     m_start[m_pos] + (offset * m_count[m_pos]).astype(np.int64))
        accept = (j != src_all) & (rng.random(n) < _accept_prob(social_distance(c, src_all, j), alpha, b))
        src.append(src_all[accept].astype(np.int32))
        dst.append(j[accept].astype(np.int32))
    src = np.concatenate(src)
    dst = np.concatenate(dst)
    # symmetrise, then drop duplicate ties
    a = np.concatenate([src, dst]).astype(np.int64)
    z = np.concatenate([dst, src]).astype(np.int64)
    key = np.unique(a * n + z)
    a = (key // n).astype(np.int32)
    z = (key % n).astype(np.int32)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(a, minlength=n), out=indptr[1:])
    return Network(indptr, z, is_bridging(c, a, z))


def _accept_prob(d: np.ndarray, alpha: float, b: float) -> np.ndarray:
    return 1.0 / (1.0 + (d / b) ** alpha)
