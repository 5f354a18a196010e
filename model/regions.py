"""Regions, municipalities and localities: the model's geography.

A region is a row of the regions table (by default the 12 Dutch provinces, CBS 70072ned,
1 January 2024). Each region is divided into localities of three kinds (urban
neighbourhood, town, village), grouped into the region's municipalities. Facilities,
meeting places and collectives stand in localities; citizens live in one.

The mix of city and countryside per province is an assumption (see PROFILES and
docs/ODD.md, "Input data"): it is chosen so that about 13% of the Dutch live in villages
below 4,000 inhabitants, matching SCP 2014's 2.3 million living in villages of at most
3,000 inhabitants or the countryside (SCP 2014, Sociaal Vitaal Platteland).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .kinds import LocalityKind


class RegionsError(ValueError):
    """A regions table that cannot describe a world."""


#: Assumed profile per province (ISO code): share of residents in villages (< 4,000
#: inhabitants), share in towns (4,000-40,000) and a relative mean-income index.
#: Income index from the relative pattern of CBS regional income figures (2000, 2005: Utrecht and
#: Noord-Holland about +8%, Fryslan and Groningen about -10%); the rest assumption.
PROFILES: dict[str, tuple[float, float, float]] = {
    "NL-GR": (0.30, 0.25, 0.91),
    "NL-FR": (0.35, 0.40, 0.90),
    "NL-DR": (0.35, 0.40, 0.97),
    "NL-OV": (0.18, 0.45, 0.97),
    "NL-FL": (0.08, 0.30, 0.98),
    "NL-GE": (0.15, 0.45, 1.00),
    "NL-UT": (0.07, 0.35, 1.08),
    "NL-NH": (0.07, 0.30, 1.08),
    "NL-ZH": (0.05, 0.30, 1.00),
    "NL-ZE": (0.35, 0.50, 0.98),
    "NL-NB": (0.13, 0.50, 1.00),
    "NL-LI": (0.15, 0.50, 0.95),
}
#: Profile for a region without one (national mix, assumption).
DEFAULT_PROFILE = (0.13, 0.40, 1.00)

#: Locality sizes (residents): lognormal median, sigma and clip range per kind (assumption;
#: CBS 2011: two in three of 2,164 population cores have fewer than 2,000 inhabitants).
LOCALITY_SIZE = {
    LocalityKind.NEIGHBOURHOOD: (7_000, 0.4, 2_000, 20_000),
    LocalityKind.TOWN: (10_000, 0.6, 4_000, 40_000),
    LocalityKind.VILLAGE: (1_200, 0.7, 200, 4_000),
}

REQUIRED_COLUMNS = ("province", "population_2024", "municipalities_2024")


@dataclass(frozen=True)
class Regions:
    """The regions table, validated: names, codes, residents and municipality counts."""

    names: tuple[str, ...]
    codes: tuple[str, ...]
    population: np.ndarray  # residents per region (int64)
    municipalities: np.ndarray  # municipalities per region (int64)
    village_share: np.ndarray
    town_share: np.ndarray
    income_index: np.ndarray

    @property
    def n(self) -> int:
        """Number of regions."""
        return len(self.names)

    @classmethod
    def from_frame(cls, df: pd.DataFrame) -> "Regions":
        """Validate a table with the columns of provinces.csv and build Regions.

        Optional columns ``village_share``, ``town_share`` and ``income_index`` override
        the built-in profile; otherwise the profile is looked up by ``iso_code``.
        """
        missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
        if missing:
            raise RegionsError(
                f"missing column(s) {', '.join(missing)}; a regions file needs "
                f"{', '.join(REQUIRED_COLUMNS)} (optional: iso_code, cbs_code, village_share, "
                "town_share, income_index)"
            )
        if len(df) == 0:
            raise RegionsError("the regions table has no rows")
        names = tuple(str(x) for x in df["province"])
        if len(set(names)) != len(names):
            raise RegionsError("region names in column 'province' must be unique")
        population = _positive_ints(df, "population_2024")
        municipalities = _positive_ints(df, "municipalities_2024")
        codes = tuple(str(x) for x in df["iso_code"]) if "iso_code" in df.columns else names
        profiles = np.array([PROFILES.get(c, DEFAULT_PROFILE) for c in codes], dtype=float)
        for j, col in enumerate(("village_share", "town_share", "income_index")):
            if col in df.columns:
                values = pd.to_numeric(df[col], errors="coerce").to_numpy(float)
                if np.isnan(values).any():
                    raise RegionsError(f"column {col!r} must hold numbers")
                profiles[:, j] = values
        if ((profiles[:, :2] < 0) | (profiles[:, 0] + profiles[:, 1] > 1)[:, None]).any():
            raise RegionsError("village_share and town_share must be >= 0 and sum to at most 1")
        if (profiles[:, 2] <= 0).any():
            raise RegionsError("income_index must be positive")
        return cls(names, codes, population, municipalities,
                   profiles[:, 0].copy(), profiles[:, 1].copy(), profiles[:, 2].copy())


def _positive_ints(df: pd.DataFrame, col: str) -> np.ndarray:
    values = pd.to_numeric(df[col], errors="coerce").to_numpy(float)
    if np.isnan(values).any() or (values < 1).any() or (values != np.round(values)).any():
        raise RegionsError(f"column {col!r} must hold whole numbers of at least 1")
    return values.astype(np.int64)


@dataclass(frozen=True)
class Localities:
    """Per-locality arrays. Citizens of locality l are ``start[l]:start[l] + n_citizens[l]``."""

    region: np.ndarray  # int32
    municipality: np.ndarray  # int32, global municipality index
    kind: np.ndarray  # uint8, LocalityKind
    residents: np.ndarray  # int64, residents represented
    n_citizens: np.ndarray  # int64, simulated citizens
    start: np.ndarray  # int64

    @property
    def n(self) -> int:
        """Number of localities."""
        return len(self.region)


def build_localities(regions: Regions, scale: int, rng: np.random.Generator) -> Localities:
    """Divide each region into localities and municipalities; apportion simulated citizens.

    Sizes are drawn per kind until the kind's share of the region's residents is used up;
    the last locality of each kind takes the remainder. Citizens are apportioned by the
    largest-remainder method so that each region gets exactly round(residents / scale).
    """
    region, muni, kind, size = [], [], [], []
    muni_offset = 0
    for r in range(regions.n):
        pop = int(regions.population[r])
        shares = {
            LocalityKind.VILLAGE: regions.village_share[r],
            LocalityKind.TOWN: regions.town_share[r],
            LocalityKind.NEIGHBOURHOOD: 1 - regions.village_share[r] - regions.town_share[r],
        }
        sizes_r, kinds_r = [], []
        for k, share in shares.items():
            target = int(round(pop * share))
            s = _draw_sizes(target, k, rng)
            sizes_r.extend(s)
            kinds_r.extend([k] * len(s))
        sizes_r = np.array(sizes_r, dtype=np.int64)
        sizes_r[-1] += pop - sizes_r.sum()  # exact regional total
        n_muni = int(regions.municipalities[r])
        muni_r = _assign_municipalities(np.array(kinds_r), n_muni, rng)
        order = np.lexsort((np.arange(len(muni_r)), muni_r))  # localities grouped by municipality
        region.append(np.full(len(sizes_r), r))
        muni.append(muni_r[order] + muni_offset)
        kind.append(np.array(kinds_r)[order])
        size.append(sizes_r[order])
        muni_offset += n_muni
    region = np.concatenate(region).astype(np.int32)
    residents = np.concatenate(size).astype(np.int64)
    n_cit = np.zeros(len(residents), dtype=np.int64)
    for r in range(regions.n):
        idx = np.flatnonzero(region == r)
        n_cit[idx] = _apportion(residents[idx], int(round(regions.population[r] / scale)))
    start = np.concatenate(([0], np.cumsum(n_cit)[:-1])).astype(np.int64)
    return Localities(region, np.concatenate(muni).astype(np.int32),
                      np.concatenate(kind).astype(np.uint8), residents, n_cit, start)


def _draw_sizes(target: int, kind: LocalityKind, rng: np.random.Generator) -> list[int]:
    if target <= 0:
        return []
    median, sigma, lo, hi = LOCALITY_SIZE[kind]
    sizes, total = [], 0
    while total < target:
        batch = np.clip(rng.lognormal(np.log(median), sigma, 64), lo, hi).astype(np.int64)
        for s in batch:
            s = int(min(s, target - total))
            sizes.append(s)
            total += s
            if total >= target:
                break
    if len(sizes) > 1 and sizes[-1] < lo:  # fold a tiny remainder into its neighbour
        last = sizes.pop()
        sizes[-1] += last
    return sizes


def _assign_municipalities(kinds: np.ndarray, n_muni: int, rng: np.random.Generator) -> np.ndarray:
    """Every municipality gets at least one locality; the others are spread at random."""
    n = len(kinds)
    order = rng.permutation(n)
    # urban localities first so that most municipalities have a town or neighbourhood core
    order = order[np.argsort(kinds[order] == LocalityKind.VILLAGE, kind="stable")]
    muni = np.empty(n, dtype=np.int64)
    first = min(n, n_muni)
    muni[order[:first]] = np.arange(first)
    if n > first:
        muni[order[first:]] = rng.integers(0, n_muni, n - first)
    return muni


def _apportion(weights: np.ndarray, total: int) -> np.ndarray:
    quota = weights / weights.sum() * total
    base = np.floor(quota).astype(np.int64)
    rest = total - base.sum()
    if rest > 0:
        base[np.argsort(-(quota - base), kind="stable")[:rest]] += 1
    return base
