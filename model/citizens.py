"""Citizens as arrays: their state, and its values at the start drawn from Dutch distributions.

One simulated citizen stands for ``population_scale`` residents. Citizens are stored
sorted by region, municipality and locality, so every locality (and municipality) is a
contiguous slice; all behaviour is vectorised over these arrays (participation.py,
trust.py, membership.py). Citizens are a *sample* of the residents: collectives count their
members in residents (collectives.py), and each citizen's role in them is drawn so that the
sample matches those counts (membership.sync_citizens).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from .kinds import N_COLLECTIVE_KINDS, N_QUINTILES, AgeBand, LocalityKind, Role
from .parameters import Parameters
from .regions import Localities, Regions
from .threads import run as run_split

if TYPE_CHECKING:
    from .model import SamenModel

#: Age-band shares (0-14, 15-34, 35-64, 65+) by locality kind (assumption after CBS 2024:
#: about 16% aged 0-14 and 20% aged 65+ nationally; villages older).
AGE_SHARES = {
    LocalityKind.NEIGHBOURHOOD: (0.16, 0.28, 0.38, 0.18),
    LocalityKind.TOWN: (0.16, 0.23, 0.40, 0.21),
    LocalityKind.VILLAGE: (0.15, 0.20, 0.41, 0.24),
}
#: Education shares (low, middle, high) of adults by locality kind (assumption after CBS:
#: people aged 15-75 about 27% low, 38% middle, 35% high).
EDUCATION_SHARES = {
    LocalityKind.NEIGHBOURHOOD: (0.25, 0.35, 0.40),
    LocalityKind.TOWN: (0.28, 0.40, 0.32),
    LocalityKind.VILLAGE: (0.30, 0.42, 0.28),
}
#: Trust at the start by education (low, middle, high): the probability of saying one trusts.
#: Others: CBS 2022, basisonderwijs 40%, hbo 80%, wo 89% (Schmeets & Exel, Statistische
#: Trends 2022, 'Vertrouwen in medemens en instituties'); low (basis + vmbo) and middle are
#: assumptions between them. National government: OECD Trust Survey 2024 (data 2023) 44%
#: overall; the gradient follows the kabinetsreactie on the Atlas van afgehaakt Nederland
#: (Kamerstuk 36200-VII nr. 17, 2022); values assumption. Local government: OECD 2024 54%
#: against 44% nationally.
TRUST_OTHERS_BY_EDU = np.array([0.48, 0.64, 0.82])
TRUST_NATIONAL_BY_EDU = np.array([0.34, 0.42, 0.53])
LOCAL_TRUST_PREMIUM = 0.10
#: Share of residents for whom distrust of politics is the dominant feeling, by province
#: (Kieskompas for NOS and regional broadcasters, January 2023, weighted n = 4,871); the
#: national share and the provinces it reports. Other provinces take the national share.
DISTRUST_DOMINANT_2023 = {"NL-ZE": 0.51, "NL-LI": 0.45, "NL-FR": 0.44, "NL-GR": 0.36, "NL-NH": 0.30}
DISTRUST_DOMINANT_NATIONAL = 0.35
#: Means of Beta draws are kept inside this range so both shapes stay positive (numerical).
BETA_MEAN_LIMITS = (0.02, 0.98)


@dataclass
class Citizens:
    """State of every simulated citizen, one array element per citizen."""

    locality: np.ndarray  # int32
    region: np.ndarray  # int16
    municipality: np.ndarray  # int32
    education: np.ndarray  # uint8, Education
    age: np.ndarray  # uint8, AgeBand
    income: np.ndarray  # float32, EUR per year
    income_quintile: np.ndarray  # uint8, 0-4
    free_time: np.ndarray  # float32, hours per week available for volunteering
    motivation: np.ndarray  # float32, civic motivation 0-1
    threshold: np.ndarray  # float32, peer threshold (share of active ties)
    trust_national: np.ndarray  # float32 0-1
    trust_local: np.ndarray  # float32 0-1
    trust_others: np.ndarray  # float32 0-1
    disposition_national: np.ndarray  # float32, fixed personal part of the trust signal (trust.py)
    disposition_local: np.ndarray  # float32
    disposition_others: np.ndarray  # float32
    weak_ties: np.ndarray  # float32, expected number of weak ties
    weak_bridging: np.ndarray  # float32, of which bridging
    member_of: np.ndarray  # int32 (n, N_COLLECTIVE_KINDS): collective id per kind or -1
    role: np.ndarray  # uint8 (n, N_COLLECTIVE_KINDS): Role in that collective
    burnout: np.ndarray  # float32 0-1
    active_history: np.ndarray  # uint8, bit k set = volunteered k quarters ago (4 bits)
    adult: np.ndarray  # bool, aged 15 or more (takes part in volunteering and surveys); fixed

    @property
    def n(self) -> int:
        """Number of simulated citizens."""
        return len(self.locality)

    @property
    def active_now(self) -> np.ndarray:
        """Volunteered this quarter."""
        return (self.active_history & 1).astype(bool)

    @property
    def volunteered_this_year(self) -> np.ndarray:
        """Volunteered in at least one of the last four quarters (CBS: in the past 12 months)."""
        return (self.active_history & HISTORY_MASK) != 0

    @property
    def top_role(self) -> np.ndarray:
        """Highest role in any collective (Role, uint8)."""
        return np.maximum.reduce([self.role[:, k] for k in range(N_COLLECTIVE_KINDS)])


#: Bits of ``active_history`` kept: four quarters, a year.
HISTORY_MASK = 0xF


def leader_potential(m: "SamenModel") -> np.ndarray:
    """Citizens who could lead: motivated adults with time, not burnt out, not leading yet.

    Higher education lowers the motivation bar (civic skills, Verba, Schlozman & Brady 1995;
    Bovens 2006 'diplomademocratie'), so leadership is scarcer where fewer are highly educated.
    """
    p, c = m.p, m.citizens
    bar = np.array([p.leader_motivation_low, p.leader_motivation_middle, p.leader_motivation_high],
                   dtype=np.float32)
    # the bounds compare in float32, as numpy compares a float32 array with a Python float
    out = np.empty(c.n, dtype=bool)
    run_split(_leader_potential_kernel, c.n, c.adult, c.education, c.motivation, bar, c.free_time,
              np.float32(p.leader_min_free_time), c.burnout, np.float32(p.leader_max_burnout), c.role,
              np.uint8(Role.BOARD), out)
    return out


@njit(inline="always")
def top_role_of(role, i):
    """Citizen ``i``'s highest role over the kinds of collective (compiled twin of :attr:`Citizens.top_role`)."""
    top = role[i, 0]
    for k in range(1, role.shape[1]):
        top = max(top, role[i, k])
    return top


@njit(cache=True, nogil=True)
def _leader_potential_kernel(adult, education, motivation, bar, free_time, min_free_time, burnout, max_burnout,
                             role, board, out, lo, hi):  # pragma: no cover - compiled
    """:func:`leader_potential`'s conditions for citizens ``lo:hi`` (top role: the highest over kinds)."""
    for i in range(np.uint64(lo), np.uint64(hi)):  # unsigned (threads.py); branch-free is faster here
        out[i] = (adult[i] & (motivation[i] > bar[education[i]]) & (free_time[i] >= min_free_time)
                  & (burnout[i] < max_burnout) & (top_role_of(role, i) < board))


@njit(cache=True)
def count_by_locality(locality, mask, adult, n_localities):  # pragma: no cover - compiled
    """Per locality: adults for whom ``mask`` holds; and the national counts of both (one pass).

    The per-locality counts are float64, as ``np.bincount`` with weights gives them. Citizens
    come locality by locality, so a run's count is kept in a register and stored once per run
    (adding to memory for every citizen chains each addition to the one before); any order
    gives the same counts.
    """
    counts = np.zeros(n_localities)
    hits = 0
    adults = 0
    run, in_run = -1, 0
    for i in range(len(locality)):
        hit = adult[i] & mask[i]  # branch-free: the mask is random across citizens
        adults += adult[i]
        hits += hit
        if locality[i] != run:
            if run >= 0:
                counts[run] += in_run
            run, in_run = locality[i], 0
        in_run += hit
    if run >= 0:
        counts[run] += in_run
    return counts, hits, adults


def regional_trust_shift(regions: Regions, p: Parameters) -> np.ndarray:
    """Shift of trust in government per region from the 2023 distrust shares (0 where unknown)."""
    share = np.array([DISTRUST_DOMINANT_2023.get(code, DISTRUST_DOMINANT_NATIONAL) for code in regions.codes])
    return -p.regional_distrust_to_trust * (share - DISTRUST_DOMINANT_NATIONAL)


def create_citizens(regions: Regions, loc: Localities, p: Parameters, rng: np.random.Generator) -> Citizens:
    """Draw every citizen's attributes; trust starts at Dutch survey levels."""
    n = int(loc.n_citizens.sum())
    locality = np.repeat(np.arange(loc.n, dtype=np.int32), loc.n_citizens)
    kind = loc.kind[locality]
    region = loc.region[locality].astype(np.int16)

    age = _categorical_by_kind(kind, AGE_SHARES, rng)
    education = _categorical_by_kind(kind, EDUCATION_SHARES, rng)
    income_index = regions.income_index[region]
    education_effect = np.array([p.income_effect_low, 0.0, p.income_effect_high])
    log_income = (np.log(p.mean_income_eur * income_index) - p.income_sigma**2 / 2
                  + education_effect[education] + rng.normal(0, p.income_sigma, n))
    income = np.exp(log_income).astype(np.float32)
    quintile = income_quintiles(income)

    # free time: retirees have more, the young and the middle-aged less
    age_time = np.array([0.0, p.free_time_young, p.free_time_middle, p.free_time_old], dtype=np.float32)
    free_time = (age_time[age] * rng.lognormal(0, p.free_time_spread, n)).astype(np.float32)
    motivation = np.clip(rng.beta(p.motivation_alpha, p.motivation_beta, n)
                         + p.motivation_education_step * (education.astype(float) - 1), 0, 1).astype(np.float32)
    threshold = np.clip(rng.normal(p.threshold_mean, p.threshold_sd, n), 0, 1).astype(np.float32)

    shift = regional_trust_shift(regions, p)[region] + p.start_trust_national_shift
    trust_others = _beta_around(TRUST_OTHERS_BY_EDU[education] + p.start_trust_others_shift,
                                p.trust_concentration, rng)
    trust_national = _beta_around(TRUST_NATIONAL_BY_EDU[education] + shift, p.trust_concentration, rng)
    trust_local = np.clip(trust_national + LOCAL_TRUST_PREMIUM, 0, 1).astype(np.float32)

    z = np.zeros(n, dtype=np.float32)
    return Citizens(
        locality=locality, region=region, municipality=loc.municipality[locality],
        education=education, age=age, income=income, income_quintile=quintile,
        free_time=free_time, motivation=motivation, threshold=threshold,
        trust_national=trust_national, trust_local=trust_local, trust_others=trust_others,
        disposition_national=z.copy(), disposition_local=z.copy(), disposition_others=z.copy(),
        weak_ties=z.copy(), weak_bridging=z.copy(),
        member_of=np.full((n, N_COLLECTIVE_KINDS), -1, dtype=np.int32),
        role=np.zeros((n, N_COLLECTIVE_KINDS), dtype=np.uint8), burnout=z.copy(),
        active_history=np.zeros(n, dtype=np.uint8), adult=age != AgeBand.CHILD,
    )


def _categorical_by_kind(kind: np.ndarray, table: dict, rng: np.random.Generator) -> np.ndarray:
    """A category per citizen from the shares of its kind of locality (one uniform draw each)."""
    cum = np.cumsum(np.array([table[k] for k in LocalityKind]), axis=1)
    return _categories_kernel(kind, cum, rng.random(len(kind)))


@njit(cache=True)
def _categories_kernel(kind, cum, u):  # pragma: no cover - compiled
    """The number of cumulative shares of one's kind at or below one's draw, at most the last category.

    One pass, without the (citizens x categories) table that comparing all at once builds.
    """
    out = np.empty(len(kind), dtype=np.uint8)
    last = cum.shape[1] - 1
    for i in range(len(kind)):
        below = 0
        for j in range(cum.shape[1]):
            below += u[i] >= cum[kind[i], j]
        out[i] = min(below, last)
    return out


def income_quintiles(income: np.ndarray) -> np.ndarray:
    """Each citizen's income quintile, ``rank * 5 // n`` (uint8), ranks as a stable sort gives them.

    Ties rank by position. Found without sorting: the quintile is the number of the four
    cut-off ranks ``ceil(j * n / 5)`` a citizen's rank reaches, and the citizen at each cut-off
    rank comes from a selection (``np.partition``) and the position order of its equals.
    """
    n = len(income)
    cuts = [c for c in (-(-j * n // N_QUINTILES) for j in range(1, N_QUINTILES)) if c < n]
    if not cuts:
        return np.zeros(n, dtype=np.uint8)
    values = np.partition(income, cuts)[cuts]
    firsts = np.array([np.flatnonzero(income == v)[c - np.count_nonzero(income < v)]
                       for c, v in zip(cuts, values, strict=True)])
    out = np.empty(n, dtype=np.uint8)
    run_split(_quintiles_kernel, n, income, values, firsts, out)
    return out


@njit(cache=True, nogil=True)
def _quintiles_kernel(income, values, firsts, out, lo, hi):  # pragma: no cover - compiled
    """Citizens ``lo:hi``: how many cut-offs (value, first position) their (income, position) reaches."""
    for i in range(lo, hi):
        q = 0
        for j in range(len(values)):
            if income[i] > values[j] or (income[i] == values[j] and i >= firsts[j]):
                q += 1
        out[i] = q


def _beta_around(mean: np.ndarray, concentration: float, rng: np.random.Generator) -> np.ndarray:
    m = np.clip(mean, *BETA_MEAN_LIMITS)
    return rng.beta(m * concentration, (1 - m) * concentration).astype(np.float32)
