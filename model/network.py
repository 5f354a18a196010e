"""The social network: strong ties formed with homophily and geography, stored as CSR.

Ties form by the Social Distance Attachment rule (Talaga & Nowak 2020, JASSS 23(2):6):
a candidate pair with social distance d becomes a tie with probability
``1 / (1 + (d / b) ** alpha)``. Candidates come from one's own locality with probability
``local_tie_share`` and otherwise from elsewhere in the municipality. Each round draws its
random numbers for all citizens at once and picks and accepts candidates in one compiled
pass, so building costs O(citizens x mean_degree) plus one sort of the tie keys.

The graph is undirected, without self-loops or duplicate ties, held as ``indptr`` /
``indices`` (int64 / int32) arrays: 18 million citizens with 8 ties each take about 0.6 GB.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numba import njit

from .citizens import Citizens
from .kinds import N_QUINTILES, AgeBand, Education
from .regions import Localities
from .threads import map_parts, ranges, run_parts, uniform
from .threads import run as run_split


@dataclass(frozen=True)
class Network:
    """The strong ties: undirected, no self-loops or duplicates, in CSR form."""

    indptr: np.ndarray  # int64, length n + 1
    indices: np.ndarray  # int32
    bridging: np.ndarray  # bool, per stored tie: the two ends differ socially

    @cached_property
    def degree(self) -> np.ndarray:
        """Ties per citizen (int32; the graph never changes, so it is computed once)."""
        return np.diff(self.indptr).astype(np.int32)

    def bridging_ties(self) -> np.ndarray:
        """Bridging ties per citizen (float32, as the outcomes and trust read it)."""
        n = len(self.indptr) - 1
        out = np.empty(n, dtype=np.float32)
        run_split(_row_counts, n, self.indptr, self.bridging, out)
        return out


@njit(cache=True, nogil=True)
def _row_counts(indptr, flags, out, lo, hi):  # pragma: no cover - compiled
    """``out[i]``: how many of row ``i``'s flags are set, for rows ``lo:hi``."""
    for i in range(np.uint64(lo), np.uint64(hi)):  # unsigned: see model/threads.py
        count = 0
        for e in range(indptr[i], indptr[i + 1]):
            count += flags[e]
        out[i] = count


def social_distance(c: Citizens, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Distance in [0, 1] over education, income quintile and age band (equal weights)."""
    return _distance(c.education[i], c.education[j], c.income_quintile[i], c.income_quintile[j],
                     c.age[i], c.age[j])


def _distance(edu_i, edu_j, q_i, q_j, age_i, age_j) -> np.ndarray:
    """Mean of the three differences, each divided by its largest possible value."""
    d_edu = np.abs(edu_i.astype(np.int8) - edu_j.astype(np.int8)) / (len(Education) - 1)
    d_inc = np.abs(q_i.astype(np.int8) - q_j.astype(np.int8)) / (N_QUINTILES - 1)
    d_age = np.abs(age_i.astype(np.int8) - age_j.astype(np.int8)) / (len(AgeBand) - 1)
    return ((d_edu + d_inc + d_age) / DISTANCE_DIMENSIONS).astype(np.float32)


def _bridging(edu_i, edu_j, q_i, q_j) -> np.ndarray:
    return (edu_i != edu_j) | (np.abs(q_i.astype(np.int8) - q_j.astype(np.int8)) >= BRIDGING_QUINTILES)


#: A citizen's social position (education, income quintile, age band) as one code 0-59:
#: distance and bridging depend on the pair of codes only, so they are looked up in 60 x 60
#: tables instead of computed per candidate tie.
_CODE_EDU, _CODE_Q, _CODE_AGE = (x.ravel().astype(np.uint8) for x in np.meshgrid(
    np.arange(len(Education)), np.arange(N_QUINTILES), np.arange(len(AgeBand)), indexing="ij"))
#: Social distance averages three dimensions: education, income quintile, age band.
DISTANCE_DIMENSIONS = 3
#: A tie bridges incomes when the two are at least this many quintiles apart (assumption).
BRIDGING_QUINTILES = 2
#: Random pairs drawn to estimate how often a candidate tie is accepted (set-up only).
PILOT_PAIRS = 20_000
#: Floor of that acceptance estimate, so an extreme homophily cannot ask for endless rounds.
MIN_ACCEPTANCE = 1e-3


def social_code(c: Citizens) -> np.ndarray:
    """Code 0-59 of each citizen's (education, income quintile, age band)."""
    return ((c.education * N_QUINTILES + c.income_quintile) * len(AgeBand) + c.age).astype(np.uint8)


def _pair_table(f, *columns) -> np.ndarray:
    return f(*[x for col in columns for x in (col[:, None], col[None, :])])


def build_network(c: Citizens, loc: Localities, mean_degree: float, local_share: float,
                  alpha: float, b: float, rng: np.random.Generator) -> Network:
    """Sample candidate ties, accept them by homophily, symmetrise and store as CSR."""
    n = c.n
    if n < 2:
        return Network(np.zeros(n + 1, np.int64), np.zeros(0, np.int32), np.zeros(0, bool))
    # municipality slices (citizens are sorted by municipality)
    muni = c.municipality
    m_count = np.bincount(muni)
    m_start = np.concatenate(([0], np.cumsum(m_count)[:-1]))
    m_first, m_size = m_start[muni], m_count[muni]
    l_start = loc.start[c.locality]
    l_count = loc.n_citizens[c.locality]
    code = social_code(c)
    accept_table = _accept_prob(_pair_table(_distance, _CODE_EDU, _CODE_Q, _CODE_AGE), alpha, b)

    # acceptance probability among random pairs sets how many candidates are needed
    # (a pilot of the very draw used below, so self-draws in small places count too)
    pilot_i = rng.integers(0, n, min(n, PILOT_PAIRS))
    pilot_j = _candidates(rng, pilot_i, l_start, l_count, m_first, m_size, local_share)
    p_accept = ((pilot_j != pilot_i) * _accept_prob(social_distance(c, pilot_i, pilot_j), alpha, b)).mean()
    rounds = max(1, int(round(mean_degree / 2 / max(p_accept, MIN_ACCEPTANCE))))

    src, dst = [], []
    share32 = np.float32(local_share)  # numpy compares the float32 draws in float32
    for _ in range(rounds):
        # the same draws, in the same order, as _candidates and the acceptance test
        u_local = uniform(rng, n, np.float32)
        offset = uniform(rng, n)
        u_accept = uniform(rng, n, np.float32)
        inputs = (u_local, offset, u_accept, share32, l_start, l_count, m_first, m_size,
                  np.int64(MIN_LOCAL_CANDIDATES), code, accept_table)
        # each range's ties, in citizen order when joined
        accepted = map_parts(lambda _, lo, hi, inputs=inputs: _accepted_ties(*inputs, lo, hi), ranges(n))
        src.extend(a for a, _ in accepted)
        dst.extend(b for _, b in accepted)
    # symmetrise, then drop duplicate ties: sort the int64 keys src * n + dst and keep the
    # first of each run (np.unique does the same but is far slower on 10^8 keys)
    key = _sorted_tie_keys(src, dst, n)
    del src, dst
    indptr, z, a_code, z_code = _dedupe_csr(key, n, code)
    del key
    bridging_table = _pair_table(_bridging, _CODE_EDU, _CODE_Q)
    return Network(indptr, z, bridging_table[a_code, z_code])


@njit(cache=True, nogil=True)
def _accepted_ties(u_local, offset, u_accept, local_share, l_start, l_count, m_first, m_size, min_local, code,
                   accept_table, lo, hi):  # pragma: no cover - compiled
    """One round of candidate ties (:func:`_candidates` for citizens ``lo:hi``) and their acceptance.

    Returns the accepted (src, dst) pairs as int32, in citizen order.
    """
    src = np.empty(hi - lo, dtype=np.int32)
    dst = np.empty(hi - lo, dtype=np.int32)
    k = 0
    for i in range(lo, hi):
        j = _candidate(i, u_local[i], offset[i], local_share, l_start, l_count, m_first, m_size, min_local)
        if j != i and u_accept[i] < accept_table[code[i], code[j]]:
            src[k] = i
            dst[k] = j
            k += 1
    return src[:k].copy(), dst[:k].copy()


def _sorted_tie_keys(src: list[np.ndarray], dst: list[np.ndarray], n: int) -> np.ndarray:
    """Keys ``src * n + dst`` of every accepted tie in both directions, sorted (int64).

    The keys are laid out by the range of citizens (model/threads.py) their first end falls in,
    and each range's keys are sorted in its own thread: together, the sorted whole.
    """
    cuts = np.array([lo for lo, _ in ranges(n)[1:]], dtype=np.int64)
    key, starts = _tie_keys_kernel(np.concatenate(src), np.concatenate(dst), np.int64(n), cuts)
    run_parts(_sort_part, list(zip(starts[:-1], starts[1:], strict=True)), key)
    return key


def _sort_part(key: np.ndarray, part: int, lo: int, hi: int) -> None:
    key[lo:hi].sort()  # numpy sorts without holding the GIL


@njit(cache=True)
def _tie_keys_kernel(src, dst, n, cuts):  # pragma: no cover - compiled
    """Every tie as drawn and reversed, as int64 keys grouped by the part of their first end.

    Part ``p`` holds the keys whose first end lies in ``[cuts[p - 1], cuts[p])``; returns the
    keys and where each part starts (and, last, where they end).
    """
    m = len(src)
    count = np.zeros(len(cuts) + 2, dtype=np.int64)
    for e in range(m):
        count[np.searchsorted(cuts, src[e], side="right") + 1] += 1
        count[np.searchsorted(cuts, dst[e], side="right") + 1] += 1
    starts = np.cumsum(count)
    fill = starts[:-1].copy()
    key = np.empty(2 * m, dtype=np.int64)
    for e in range(m):
        a, b = np.int64(src[e]), np.int64(dst[e])
        p = np.searchsorted(cuts, a, side="right")
        key[fill[p]] = a * n + b
        fill[p] += 1
        p = np.searchsorted(cuts, b, side="right")
        key[fill[p]] = b * n + a
        fill[p] += 1
    return key, starts


@njit(cache=True)
def _dedupe_csr(key, n, code):  # pragma: no cover - compiled
    """From sorted keys: CSR ``indptr`` and ``indices`` without duplicates, and both ends' codes."""
    m = 0
    for e in range(len(key)):
        if e == 0 or key[e] != key[e - 1]:
            m += 1
    indptr = np.zeros(n + 1, dtype=np.int64)
    z = np.empty(m, dtype=np.int32)
    a_code = np.empty(m, dtype=code.dtype)
    z_code = np.empty(m, dtype=code.dtype)
    k = 0
    for e in range(len(key)):
        if e == 0 or key[e] != key[e - 1]:
            a = key[e] // n
            b = key[e] - a * n
            z[k] = b
            a_code[k] = code[a]
            z_code[k] = code[b]
            indptr[a + 1] += 1
            k += 1
    for i in range(n):
        indptr[i + 1] += indptr[i]
    return indptr, z, a_code, z_code




#: Localities with fewer simulated citizens than this draw all candidates from the
#: municipality: at coarse population_scale a village holds one or two citizens, and
#: drawing "locally" would mostly give oneself or the same tie again.
MIN_LOCAL_CANDIDATES = 5


def _candidates(rng, i, l_start, l_count, m_first, m_size, local_share) -> np.ndarray:
    """One candidate tie per citizen in ``i``: in the locality or elsewhere in the municipality."""
    u_local = rng.random(len(i), dtype=np.float32)
    offset = rng.random(len(i))
    return _candidates_kernel(np.asarray(i, dtype=np.int64), u_local, offset, np.float32(local_share), l_start,
                              l_count, m_first, m_size, np.int64(MIN_LOCAL_CANDIDATES))


@njit(inline="always")
def _candidate(i, u_local, offset, local_share, l_start, l_count, m_first, m_size, min_local):
    """Citizen ``i``'s candidate tie: someone of the locality or of the municipality.

    Local with probability ``local_share`` when the locality holds enough citizens;
    ``offset`` picks who. ``u_local`` and ``local_share`` are float32, as numpy compared them.
    """
    if u_local < local_share and l_count[i] >= min_local:
        return l_start[i] + np.int64(offset * l_count[i])
    return m_first[i] + np.int64(offset * m_size[i])


@njit(cache=True)
def _candidates_kernel(who, u_local, offset, local_share, l_start, l_count, m_first, m_size,
                       min_local):  # pragma: no cover - compiled
    out = np.empty(len(who), dtype=np.int64)
    for k in range(len(who)):
        out[k] = _candidate(who[k], u_local[k], offset[k], local_share, l_start, l_count, m_first, m_size,
                            min_local)
    return out


def _accept_prob(d: np.ndarray, alpha: float, b: float) -> np.ndarray:
    return 1.0 / (1.0 + (d / b) ** alpha)
