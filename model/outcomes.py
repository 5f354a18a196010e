"""Outcomes: every reported quantity, defined once as a function of model state.

Definitions (also in docs/ODD.md, section 7 "Outcomes"). Shares are fractions in [0, 1];
trust variables are citizens' probabilities of saying they trust (0-1), so their mean
reads as the share who trust, comparable to CBS and OECD survey percentages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from .citizens import any_per_citizen
from .kinds import Education, FacilityType, Provider
from .participation import bridging_share

if TYPE_CHECKING:
    from .model import SamenModel


SERIES_COLUMNS = (
    "step", "year", "cohesion", "trust_government", "trust_local_government", "trust_others",
    "participation_rate", "collectives_active", "collective_members", "meeting_places",
    "facilities_open", "facilities_by_collectives", "access", "gini_income", "theil_access",
    "theil_access_between", "trust_gap_education", "volunteer_burnout", "public_spending_eur",
)
REGION_COLUMNS = (
    "step", "region", "population", "cohesion", "trust_government", "trust_local_government",
    "trust_others", "participation_rate", "collectives_active", "meeting_places",
    "facilities_open", "access", "mean_income",
)
GROUP_COLUMNS = (
    "step", "education", "income_quintile", "population", "trust_government",
    "trust_local_government", "trust_others", "participation_rate", "access",
)

EDUCATION_NAMES = tuple(e.name.lower() for e in Education)


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 = equal)."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = len(x)
    if n == 0 or x.sum() == 0:
        return 0.0
    cum = np.cumsum(x)
    return float((n + 1 - 2 * (cum / cum[-1]).sum()) / n)




def citizen_access(m: "SamenModel") -> np.ndarray:
    """Share of the four access types (shop, GP, care, transport) in one's own locality."""
    return m.locality_access.mean(axis=1)[m.citizens.locality]


def _mean_by(values: np.ndarray, groups: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    w = np.bincount(groups, weights=weights, minlength=n)
    s = np.bincount(groups, weights=values * weights, minlength=n)
    return np.divide(s, w, out=np.zeros(n), where=w > 0)


def _ratio(s: np.ndarray, w: np.ndarray) -> np.ndarray:
    return np.divide(s, w, out=np.zeros(np.shape(s)), where=w > 0)


class Strata:
    """The fixed partition of citizens behind every outcome table.

    Adult (0/1) x region x (education, income quintile), 2 x R x 15 cells.

    Age, region, education and income never change during a run, so the cell of each
    citizen, the cell sizes and each locality's citizens per cell are computed once per
    model (:func:`strata`). A mean over adults by region or by group is then one
    ``bincount`` of the per-citizen values into the cells, summed over the other axis.

    """

    GROUPS = 15

    def __init__(self, m: "SamenModel") -> None:
        """Cells of the citizens of ``m``."""
        c, loc = m.citizens, m.localities
        self.regions = m.regions.n
        group = c.education.astype(np.intp) * 5 + c.income_quintile
        self.cells = 2 * self.regions * self.GROUPS
        self.key = (c.adult.astype(np.intp) * self.regions + c.region) * self.GROUPS + group
        self.count = self.to_cells(np.bincount(self.key, minlength=self.cells).astype(np.float64))
        # citizens per cell and locality (sparse: few localities reach every cell), so that
        # locality-level values such as access need no per-citizen pass
        per_pair = np.bincount(self.key * loc.n + c.locality, minlength=self.cells * loc.n)
        self.cell_localities = sparse.csr_array(per_pair.reshape(self.cells, loc.n).astype(np.float64))
        self.gini_income = gini(c.income)
        income = self.sums(c.income)
        self.mean_income_region = _ratio(income.sum(axis=(0, 2)), self.count.sum(axis=(0, 2)))

    def to_cells(self, flat: np.ndarray) -> np.ndarray:
        """A flat array of cell values as (adult, region, group)."""
        return flat.reshape(2, self.regions, self.GROUPS)

    def sums(self, values: np.ndarray) -> np.ndarray:
        """Sum of per-citizen ``values`` in each cell, shape (2, regions, 15)."""
        return self.to_cells(np.bincount(self.key, weights=values, minlength=self.cells))

    def locality_sums(self, values: np.ndarray) -> np.ndarray:
        """Sum over citizens of a per-locality value in each cell, shape (2, regions, 15)."""
        return self.to_cells(self.cell_localities @ np.asarray(values, dtype=np.float64))


def strata(m: "SamenModel") -> Strata:
    """The model's :class:`Strata`, built on first use."""
    s = getattr(m, "_strata", None)
    if s is None or len(s.key) != m.citizens.n:
        s = m._strata = Strata(m)
    return s


def cohesion_components(m: "SamenModel") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per citizen: trust in others, bridging share, volunteered this year (0/1)."""
    c = m.citizens
    return c.trust_others, bridging_share(m), c.volunteered_this_year.astype(np.float32)


def cell_sums(m: "SamenModel") -> dict[str, np.ndarray]:
    """Cell sums (see :class:`Strata`) of every per-citizen outcome at this step.

    ``national``, ``by_region`` and ``by_group`` share them; pass them in to compute them
    once per step.
    """
    c, s = m.citizens, strata(m)
    trust_o, bridge, part = cohesion_components(m)
    return {
        "trust_others": s.sums(trust_o), "bridging": s.sums(bridge), "participation": s.sums(part),
        "trust_national": s.sums(c.trust_national), "trust_local": s.sums(c.trust_local),
        "access": s.locality_sums(m.locality_access.mean(axis=1)),
    }


def national(m: "SamenModel", public_spending_eur: float, sums: dict | None = None) -> dict:
    """One row of the national series (columns SERIES_COLUMNS). Surveys cover adults (15+)."""
    c, f, t = m.citizens, m.facilities, m.collective_table
    s, sums = strata(m), sums if sums is not None else cell_sums(m)
    n_adult = max(s.count[1].sum(), 1.0)
    adult_mean = {k: float(v[1].sum() / n_adult) for k, v in sums.items()}
    n_all = s.count.sum()
    access_loc = m.locality_access.mean(axis=1)
    total_theil, between = theil(access_loc, m.localities.region, weights=m.localities.n_citizens)
    edu_trust = _ratio(sums["trust_national"][1].sum(axis=0).reshape(3, 5).sum(axis=1),
                       s.count[1].sum(axis=0).reshape(3, 5).sum(axis=1))
    open_ = f.view("open")
    ftype = f.view("type")
    adult = c.adult
    members = (any_per_citizen(c.member_of >= 0) & adult).sum()
    role = adult & ((c.leader_of >= 0) | (c.load > 0))
    row = {
        "step": m.quarter,
        "year": m.p.start_year + m.quarter / 4,
        "cohesion": (adult_mean["trust_others"] + adult_mean["bridging"] + adult_mean["participation"]) / 3,
        "trust_government": adult_mean["trust_national"],
        "trust_local_government": adult_mean["trust_local"],
        "trust_others": adult_mean["trust_others"],
        "participation_rate": adult_mean["participation"],
        "collectives_active": int(t.view("active").sum()),
        "collective_members": int(members) * m.p.population_scale,
        "meeting_places": int((open_ & (ftype == FacilityType.MEETING)).sum()),
        "facilities_open": int((open_ & (ftype != FacilityType.MEETING)).sum()),
        "facilities_by_collectives": int((open_ & (f.view("provider") == Provider.COLLECTIVE)).sum()),
        "access": float(sums["access"].sum() / n_all) if c.n else 0.0,
        "gini_income": s.gini_income,
        "theil_access": total_theil,
        "theil_access_between": between,
        "trust_gap_education": float(edu_trust[Education.HIGH] - edu_trust[Education.LOW]),
        "volunteer_burnout": float(c.burnout[role].mean()) if role.any() else 0.0,
        "public_spending_eur": float(public_spending_eur),
    }
    return row


def theil(values: np.ndarray, groups: np.ndarray | None = None,
          weights: np.ndarray | None = None) -> tuple[float, float]:
    """Theil T index of ``values`` and its between-group part.

    ``T = sum_i w_i (y_i/mu) ln(y_i/mu) / sum_i w_i`` (zeros contribute 0), with ``w`` the
    frequency weights (default 1: one term per person; the model passes citizens per
    locality for a value that is constant within localities); between part
    ``sum_g s_g ln(mu_g / mu)`` with ``s_g`` the group's share of the total. Generalised-entropy
    indices decompose exactly into within and between parts (Theil 1967; Shorrocks 1980;
    OECD 2018, Regions and Cities at a Glance).
    """
    y = np.asarray(values, dtype=np.float64)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=np.float64)
    total_w = w.sum()
    mu = (w @ y) / total_w if total_w > 0 else 0.0
    if mu <= 0:
        return 0.0, 0.0
    r = y / mu
    total = float(w @ np.where(r > 0, r * np.log(np.where(r > 0, r, 1)), 0.0) / total_w)
    if groups is None:
        return total, 0.0
    size = np.bincount(groups, weights=w)
    sums = np.bincount(groups, weights=w * y)
    ok = (size > 0) & (sums > 0)
    mu_g = sums[ok] / size[ok]
    between = float(np.sum(sums[ok] / sums.sum() * np.log(mu_g / mu)))
    return total, between


def by_region(m: "SamenModel", sums: dict | None = None) -> dict[str, np.ndarray]:
    """Columns of the per-region table for this step (REGION_COLUMNS)."""
    f, loc, t = m.facilities, m.localities, m.collective_table
    s, sums = strata(m), sums if sums is not None else cell_sums(m)
    n = m.regions.n
    adults = s.count[1].sum(axis=1)
    mean = {k: _ratio(v[1].sum(axis=1), adults) for k, v in sums.items()}
    open_ = f.view("open")
    f_region = loc.region[f.view("locality")]
    meeting = open_ & (f.view("type") == FacilityType.MEETING)
    population = s.count.sum(axis=(0, 2))
    return {
        "step": np.full(n, m.quarter),
        "region": np.array(m.regions.names, dtype=object),
        "population": population.astype(np.int64) * m.p.population_scale,
        "cohesion": (mean["trust_others"] + mean["bridging"] + mean["participation"]) / 3,
        "trust_government": mean["trust_national"],
        "trust_local_government": mean["trust_local"],
        "trust_others": mean["trust_others"],
        "participation_rate": mean["participation"],
        "collectives_active": np.bincount(loc.region[t.view("locality")[t.view("active")]], minlength=n),
        "meeting_places": np.bincount(f_region[meeting], minlength=n),
        "facilities_open": np.bincount(f_region[open_ & ~meeting], minlength=n),
        "access": _ratio(sums["access"].sum(axis=(0, 2)), population),
        "mean_income": s.mean_income_region,
    }


def by_group(m: "SamenModel", sums: dict | None = None) -> dict[str, np.ndarray]:
    """Columns of the per-group table (education x income quintile, adults) for this step."""
    s, sums = strata(m), sums if sums is not None else cell_sums(m)
    k = Strata.GROUPS
    adults = s.count[1].sum(axis=0)
    mean = {name: _ratio(v[1].sum(axis=0), adults) for name, v in sums.items()}
    return {
        "step": np.full(k, m.quarter),
        "education": np.array([EDUCATION_NAMES[i // 5] for i in range(k)], dtype=object),
        "income_quintile": np.array([i % 5 + 1 for i in range(k)]),
        "population": adults.astype(np.int64) * m.p.population_scale,
        "trust_government": mean["trust_national"],
        "trust_local_government": mean["trust_local"],
        "trust_others": mean["trust_others"],
        "participation_rate": mean["participation"],
        "access": mean["access"],
    }
