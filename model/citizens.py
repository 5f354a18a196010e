"""Citizens as arrays: their state, and its values at the start drawn from Dutch distributions.

One simulated citizen stands for ``population_scale`` residents. Citizens are stored
sorted by region, municipality and locality, so every locality (and municipality) is a
contiguous slice; all behaviour is vectorised over these arrays (participation.py,
trust.py, membership.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .kinds import N_COLLECTIVE_KINDS, AgeBand, LocalityKind
from .parameters import Parameters
from .regions import Localities, Regions

if TYPE_CHECKING:
    from .model import SamenModel




#: Age-band shares by locality kind (assumption; NL 2024 about 16% 0-14, 20% 65+, villages older).
AGE_SHARES = {
    LocalityKind.NEIGHBOURHOOD: (0.16, 0.28, 0.38, 0.18),
    LocalityKind.TOWN: (0.16, 0.23, 0.40, 0.21),
    LocalityKind.VILLAGE: (0.15, 0.20, 0.41, 0.24),
}
#: Education shares (low, middle, high) of adults by locality kind (assumption; NL 15-75
#: about 27% low, 38% middle, 35% high).
EDUCATION_SHARES = {
    LocalityKind.NEIGHBOURHOOD: (0.25, 0.35, 0.40),
    LocalityKind.TOWN: (0.28, 0.40, 0.32),
    LocalityKind.VILLAGE: (0.30, 0.42, 0.28),
}
MEAN_INCOME_EUR = 32_000.0  # mean standardised disposable income per resident (assumption)
INCOME_SIGMA = 0.47  # log-income noise; with education effects gives Gini about 0.285 (CBS 2022)
EDUCATION_INCOME_EFFECT = np.array([-0.22, 0.0, 0.25])  # log-income shift (assumption)
#: Initial trust, by education (low, middle, high): probability of saying one trusts.
#: Others: CBS 2022 basisonderwijs 40%, hbo 80%, wo 89% (Schmeets & Exel, Statistische Trends
#: 2022, 'Vertrouwen in medemens en instituties'); national government:
#: OECD 2023 44% overall, higher for the higher educated (kabinetsreactie 2022); local
#: government 10 points above national (OECD 2023: 54% vs 44%).
TRUST_OTHERS_BY_EDU = np.array([0.48, 0.64, 0.82])
TRUST_NATIONAL_BY_EDU = np.array([0.34, 0.42, 0.53])
LOCAL_TRUST_PREMIUM = 0.10
#: Regions where distrust dominates (Kieskompas for NOS and regional broadcasters, January
#: 2023, n = 4,871): lower starting trust.
LOW_TRUST_REGIONS = {"NL-ZE": -0.06, "NL-LI": -0.04, "NL-FR": -0.03, "NL-GR": -0.04, "NL-DR": -0.03}


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
    coop_type: np.ndarray  # uint8, CoopType
    threshold: np.ndarray  # float32, peer threshold (share of active ties)
    trust_national: np.ndarray  # float32 0-1
    trust_local: np.ndarray  # float32 0-1
    trust_others: np.ndarray  # float32 0-1
    disposition_national: np.ndarray  # float32, personal trust component (see citizens.py)
    disposition_local: np.ndarray  # float32
    disposition_others: np.ndarray  # float32
    weak_ties: np.ndarray  # float32, expected number of weak ties
    weak_bridging: np.ndarray  # float32, of which bridging
    member_of: np.ndarray  # int32 (n, N_COLLECTIVE_KINDS): collective id per kind or -1
    leader_of: np.ndarray  # int32, collective id or -1
    load: np.ndarray  # float32, volunteer hours per week this quarter
    burnout: np.ndarray  # float32 0-1
    active_history: np.ndarray  # uint8, bit k set = volunteered k quarters ago (4 bits)

    @property
    def n(self) -> int:
        """Number of simulated citizens."""
        return len(self.locality)

    @property
    def adult(self) -> np.ndarray:
        """Aged 15 or more."""
        return self.age != AgeBand.CHILD

    @property
    def active_now(self) -> np.ndarray:
        """Volunteered this quarter."""
        return (self.active_history & 1).astype(bool)

    @property
    def volunteered_this_year(self) -> np.ndarray:
        """Volunteered in at least one of the last four quarters."""
        return (self.active_history & 0xF) != 0


def any_per_citizen(mask: np.ndarray) -> np.ndarray:
    """Row-wise ``any`` of an (n, 4) bool array such as ``member_of >= 0``.

    Reads each row of four bytes as one uint32, which is several times faster than
    ``mask.any(axis=1)`` (numpy reduces short rows slowly).
    """
    if mask.ndim == 2 and mask.shape[1] == 4 and mask.dtype == bool and mask.flags.c_contiguous:
        return mask.view(np.uint32)[:, 0] != 0
    return mask.any(axis=1)


def leader_potential(m: "SamenModel") -> np.ndarray:
    """Citizens who could lead: motivated adults with time, not burnt out, not leading yet.

    Higher education lowers the motivation bar (civic skills, Verba et al. 1995; Bovens
    2006 'diplomademocratie'), so leadership is scarcer where fewer are highly educated.
    """
    c = m.citizens
    bar = np.array([0.62, 0.55, 0.48], dtype=np.float32)[c.education]
    return (c.adult & (c.motivation > bar) & (c.free_time >= 2.0) & (c.burnout < 0.3)
            & (c.leader_of < 0))


def create_citizens(regions: Regions, loc: Localities, p: Parameters, rng: np.random.Generator) -> Citizens:
    """Draw every citizen's attributes; trust starts at Dutch survey levels."""
    n = int(loc.n_citizens.sum())
    locality = np.repeat(np.arange(loc.n, dtype=np.int32), loc.n_citizens)
    kind = loc.kind[locality]
    region = loc.region[locality].astype(np.int16)

    age = _categorical_by_kind(kind, AGE_SHARES, rng)
    education = _categorical_by_kind(kind, EDUCATION_SHARES, rng)
    income_index = regions.income_index[region]
    log_income = (np.log(MEAN_INCOME_EUR * income_index) - INCOME_SIGMA**2 / 2
                  + EDUCATION_INCOME_EFFECT[education] + rng.normal(0, INCOME_SIGMA, n))
    income = np.exp(log_income).astype(np.float32)
    ranks = np.empty(n, dtype=np.int64)
    ranks[np.argsort(income, kind="stable")] = np.arange(n)
    quintile = (ranks * 5 // max(n, 1)).astype(np.uint8)

    # free time: retirees have more, the young and the middle-aged less (assumption)
    age_time = np.array([0.0, 4.0, 3.5, 7.0], dtype=np.float32)
    free_time = (age_time[age] * rng.lognormal(0, 0.5, n)).astype(np.float32)
    motivation = np.clip(rng.beta(2.0, 3.0, n) + 0.05 * (education.astype(float) - 1), 0, 1).astype(np.float32)
    shares = np.array([p.conditional_cooperator_share, p.free_rider_share, p.hump_share])
    shares = np.append(shares, max(0.0, 1 - shares.sum()))
    coop_type = rng.choice(4, size=n, p=shares / shares.sum()).astype(np.uint8)
    threshold = np.clip(rng.normal(p.threshold_mean, p.threshold_sd, n), 0, 1).astype(np.float32)

    region_shift = np.array([LOW_TRUST_REGIONS.get(c, 0.0) for c in regions.codes])[region]
    trust_others = _beta_around(TRUST_OTHERS_BY_EDU[education] + 0.5 * region_shift, rng)
    trust_national = _beta_around(TRUST_NATIONAL_BY_EDU[education] + region_shift, rng)
    trust_local = np.clip(trust_national + LOCAL_TRUST_PREMIUM + rng.normal(0, 0.05, n), 0, 1).astype(np.float32)

    z = np.zeros(n, dtype=np.float32)
    return Citizens(
        locality=locality, region=region, municipality=loc.municipality[locality],
        education=education, age=age, income=income, income_quintile=quintile,
        free_time=free_time, motivation=motivation, coop_type=coop_type, threshold=threshold,
        trust_national=trust_national, trust_local=trust_local, trust_others=trust_others,
        disposition_national=z.copy(), disposition_local=z.copy(), disposition_others=z.copy(),
        weak_ties=z.copy(), weak_bridging=z.copy(),
        member_of=np.full((n, N_COLLECTIVE_KINDS), -1, dtype=np.int32),
        leader_of=np.full(n, -1, dtype=np.int32), load=z.copy(), burnout=z.copy(),
        active_history=np.zeros(n, dtype=np.uint8),
    )


def _categorical_by_kind(kind: np.ndarray, table: dict, rng: np.random.Generator) -> np.ndarray:
    cum = np.cumsum(np.array([table[k] for k in LocalityKind]), axis=1)
    u = rng.random(len(kind))
    return (u[:, None] >= cum[kind]).sum(axis=1).astype(np.uint8).clip(0, cum.shape[1] - 1)


def _beta_around(mean: np.ndarray, rng: np.random.Generator, concentration: float = 6.0) -> np.ndarray:
    m = np.clip(mean, 0.02, 0.98)
    return rng.beta(m * concentration, (1 - m) * concentration).astype(np.float32)
