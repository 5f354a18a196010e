"""Outcomes: every reported quantity, defined once as a function of model state.

Definitions (also in docs/ODD.md, section 7 "Outcomes"). Shares are fractions in [0, 1];
trust variables are citizens' probabilities of saying they trust (0-1), so their mean
reads as the share who trust, comparable to CBS and OECD survey percentages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .citizens import bridging_share
from .facilities import FacilityType, Provider
from .population import Education

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


def theil(values: np.ndarray, groups: np.ndarray | None = None) -> tuple[float, float]:
    """Theil T index and its between-group part (domain.md M10).

    ``T = mean((y/mu) ln(y/mu))`` (zeros contribute 0); between part
    ``sum_g s_g ln(mu_g / mu)`` with ``s_g`` the group's share of the total.
    """
    y = np.asarray(values, dtype=np.float64)
    mu = y.mean() if len(y) else 0.0
    if mu <= 0:
        return 0.0, 0.0
    r = y / mu
    total = float(np.mean(np.where(r > 0, r * np.log(np.where(r > 0, r, 1)), 0.0)))
    if groups is None:
        return total, 0.0
    size = np.bincount(groups)
    sums = np.bincount(groups, weights=y)
    ok = (size > 0) & (sums > 0)
    mu_g = sums[ok] / size[ok]
    between = float(np.sum(sums[ok] / y.sum() * np.log(mu_g / mu)))
    return total, between


def citizen_access(m: "SamenModel") -> np.ndarray:
    """Share of the four access types (shop, GP, care, transport) in one's own locality."""
    return m.locality_access.mean(axis=1)[m.citizens.locality]


def _mean_by(values: np.ndarray, groups: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    w = np.bincount(groups, weights=weights, minlength=n)
    s = np.bincount(groups, weights=values * weights, minlength=n)
    return np.divide(s, w, out=np.zeros(n), where=w > 0)


def cohesion_components(m: "SamenModel") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per citizen: trust in others, bridging share, volunteered this year (0/1)."""
    c = m.citizens
    return c.trust_others, bridging_share(m), c.volunteered_this_year.astype(np.float32)


def national(m: "SamenModel", public_spending_eur: float) -> dict:
    """One row of the national series (columns SERIES_COLUMNS). Surveys cover adults (15+)."""
    c, f, t = m.citizens, m.facilities, m.collective_table
    adult = c.adult
    a = adult.astype(np.float64)
    n_adult = max(a.sum(), 1.0)
    trust_o, bridge, part = cohesion_components(m)
    access = citizen_access(m)
    open_ = f.view("open")
    ftype = f.view("type")
    members = ((c.member_of >= 0).any(axis=1) & adult).sum()
    role = adult & ((c.leader_of >= 0) | (c.load > 0))
    total_theil, between = theil(access, c.region.astype(np.int64))
    edu_trust = _mean_by(c.trust_national, c.education.astype(np.int64), a, 3)
    row = {
        "step": m.quarter,
        "year": m.p.start_year + m.quarter / 4,
        "cohesion": float((trust_o @ a + bridge @ a + part @ a) / (3 * n_adult)),
        "trust_government": float(c.trust_national @ a / n_adult),
        "trust_local_government": float(c.trust_local @ a / n_adult),
        "trust_others": float(trust_o @ a / n_adult),
        "participation_rate": float(part @ a / n_adult),
        "collectives_active": int(t.view("active").sum()),
        "collective_members": int(members) * m.p.population_scale,
        "meeting_places": int((open_ & (ftype == FacilityType.MEETING)).sum()),
        "facilities_open": int((open_ & (ftype != FacilityType.MEETING)).sum()),
        "facilities_by_collectives": int((open_ & (f.view("provider") == Provider.COLLECTIVE)).sum()),
        "access": float(access.mean()) if c.n else 0.0,
        "gini_income": gini(c.income),
        "theil_access": total_theil,
        "theil_access_between": between,
        "trust_gap_education": float(edu_trust[Education.HIGH] - edu_trust[Education.LOW]),
        "volunteer_burnout": float(c.burnout[role].mean()) if role.any() else 0.0,
        "public_spending_eur": float(public_spending_eur),
    }
    return row


def by_region(m: "SamenModel") -> dict[str, np.ndarray]:
    """Columns of the per-region table for this step (REGION_COLUMNS)."""
    c, f, loc, t = m.citizens, m.facilities, m.localities, m.collective_table
    n = m.regions.n
    reg = c.region.astype(np.int64)
    a = c.adult.astype(np.float64)
    trust_o, bridge, part = cohesion_components(m)
    open_ = f.view("open")
    f_region = loc.region[f.view("locality")]
    meeting = open_ & (f.view("type") == FacilityType.MEETING)
    return {
        "step": np.full(n, m.quarter),
        "region": np.array(m.regions.names, dtype=object),
        "population": np.bincount(reg, minlength=n) * m.p.population_scale,
        "cohesion": (_mean_by(trust_o, reg, a, n) + _mean_by(bridge, reg, a, n) + _mean_by(part, reg, a, n)) / 3,
        "trust_government": _mean_by(c.trust_national, reg, a, n),
        "trust_local_government": _mean_by(c.trust_local, reg, a, n),
        "trust_others": _mean_by(trust_o, reg, a, n),
        "participation_rate": _mean_by(part, reg, a, n),
        "collectives_active": np.bincount(loc.region[t.view("locality")[t.view("active")]], minlength=n),
        "meeting_places": np.bincount(f_region[meeting], minlength=n),
        "facilities_open": np.bincount(f_region[open_ & ~meeting], minlength=n),
        "access": _mean_by(citizen_access(m), reg, np.ones(c.n), n),
        "mean_income": _mean_by(c.income, reg, np.ones(c.n), n),
    }


def by_group(m: "SamenModel") -> dict[str, np.ndarray]:
    """Columns of the per-group table (education x income quintile, adults) for this step."""
    c = m.citizens
    g = (c.education.astype(np.int64) * 5 + c.income_quintile).astype(np.int64)
    a = c.adult.astype(np.float64)
    _, _, part = cohesion_components(m)
    k = 15
    return {
        "step": np.full(k, m.quarter),
        "education": np.array([EDUCATION_NAMES[i // 5] for i in range(k)], dtype=object),
        "income_quintile": np.array([i % 5 + 1 for i in range(k)]),
        "population": np.bincount(g, weights=a, minlength=k).astype(np.int64) * m.p.population_scale,
        "trust_government": _mean_by(c.trust_national, g, a, k),
        "trust_local_government": _mean_by(c.trust_local, g, a, k),
        "trust_others": _mean_by(c.trust_others, g, a, k),
        "participation_rate": _mean_by(part, g, a, k),
        "access": _mean_by(citizen_access(m), g, a, k),
    }
