"""Outcomes: every reported quantity, defined once as a function of model state.

Definitions (also in docs/ODD.md, section 8 "Outcomes"). Shares are fractions in [0, 1];
trust variables are citizens' probabilities of saying they trust (0-1), so their mean
reads as the share who trust, comparable to CBS and OECD survey percentages. People are
counted in residents (``population_scale`` per citizen; collectives count their own).
Surveys cover adults (15+); access covers everyone.

Inequality is measured with Theil's T, which decomposes exactly into a within-group and a
between-group part (Theil 1967; Shorrocks 1980; OECD 2018, Regions and Cities at a Glance):
``T = mean((y/mu) ln(y/mu))``, between part ``sum_g s_g ln(mu_g / mu)`` with ``s_g`` the
group's share of the total; within = total - between. For a 0/1 variable such as
participation the total is ``-ln(mean)``: the between parts carry the information.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numba import njit
from scipy import sparse

from .citizens import HISTORY_MASK
from .kinds import N_QUINTILES, CollectiveKind, Education, FacilityType, FailureCause, LocalityKind, Provider
from .participation import bridging_of
from .threads import run_by_output

if TYPE_CHECKING:
    from .model import SamenModel

#: Variables whose inequality is decomposed (between provinces and between education levels).
THEIL_VARIABLES = ("access", "participation", "trust_local", "trust_others")

SERIES_COLUMNS = (
    "step", "year", "cohesion", "trust_government", "trust_local_government", "trust_others",
    "participation_rate", "collectives_active", "collective_members", "volunteers", "board_members",
    "energy_cooperatives", "energy_members", "municipalities_with_energy_cooperative", "village_shops",
    "meeting_places", "meeting_places_by_collectives", "meeting_place_effect", "facilities_open",
    "facilities_by_collectives", "access",
    "gini_income", "theil_access", "theil_access_between", "theil_access_between_education",
    "theil_participation", "theil_participation_between", "theil_participation_between_education",
    "theil_trust_local", "theil_trust_local_between", "theil_trust_local_between_education",
    "theil_trust_others", "theil_trust_others_between", "theil_trust_others_between_education",
    "trust_gap_education", "trust_local_gap_education", "trust_others_gap_education",
    "participation_gap_education", "volunteer_burnout", "board_burnout", "board_load", "volunteer_load",
    "dissolved_leaders", "dissolved_money", "dissolved_background", "public_spending_eur",
    "participation_low", "participation_middle", "participation_high", "trust_others_low",
    "trust_others_middle", "trust_others_high", "active_quarter", "energy_dissolved",
    "dissolved_leaders_with_members",
)
REGION_COLUMNS = (
    "step", "year", "region", "population", "cohesion", "trust_government", "trust_local_government",
    "trust_others", "participation_rate", "collectives_active", "meeting_places", "meeting_place_effect",
    "facilities_open", "access", "mean_income",
)
GROUP_COLUMNS = (
    "step", "year", "education", "income_quintile", "locality_kind", "population", "trust_government",
    "trust_local_government", "trust_others", "participation_rate", "access",
)
LOCALITY_COLUMNS = (
    "step", "year", "locality", "municipality", "region", "kind", "residents", "mean_income", "meeting_places",
    "meeting_place_effect", "facilities_open", "access", "participation_rate", "trust_local_government",
    "trust_others", "collectives_active", "investment_eur",
)

EDUCATION_NAMES = tuple(e.name.lower() for e in Education)
#: The cohesion index is the mean of these per-adult components (ODD section 8).
COHESION_PARTS = ("trust_others", "bridging", "participation")
#: The last axes of every cell array (``Strata``), after the adult axis.
CELL_TAIL = ("region", "kind", "group")
#: Axes of a cell array (adult, region, kind, group) to sum for per-region totals.
AXES_BUT_REGION = (0, 2, 3)


def cohesion(means: dict) -> np.ndarray | float:
    """The cohesion index.

    The mean of :data:`COHESION_PARTS` (trust in others, bridging share of ties, volunteered in
    the past year).
    """
    return sum(means[part] for part in COHESION_PARTS) / len(COHESION_PARTS)


#: Names of the locality kinds in outputs, in :class:`LocalityKind` order.
LOCALITY_KIND_NAMES = tuple(k.name.lower() for k in LocalityKind)


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 = equal)."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = len(x)
    if n == 0 or x.sum() == 0:
        return 0.0
    cum = np.cumsum(x)
    return float((n + 1 - 2 * (cum / cum[-1]).sum()) / n)


def theil(values: np.ndarray, groups: np.ndarray | None = None,
          weights: np.ndarray | None = None) -> tuple[float, float]:
    """Theil T index of ``values`` and its between-group part.

    ``T = sum_i w_i (y_i/mu) ln(y_i/mu) / sum_i w_i`` (zeros contribute 0), with ``w`` the
    frequency weights (default 1: one term per person); between part
    ``sum_g s_g ln(mu_g / mu)`` with ``s_g`` the group's share of the total.
    """
    y = np.asarray(values, dtype=np.float64)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=np.float64)
    if groups is None:
        groups = np.zeros(len(y), dtype=np.int64)
    n_groups = int(groups.max()) + 1 if len(groups) else 1
    count = np.bincount(groups, weights=w, minlength=n_groups)
    total = np.bincount(groups, weights=w * y, minlength=n_groups)
    ylny = np.bincount(groups, weights=w * _ylny(y), minlength=n_groups)
    return theil_from_sums(count, total, ylny)


def _ylny(y: np.ndarray) -> np.ndarray:
    y = np.asarray(y, dtype=np.float64)
    return np.where(y > 0, y * np.log(np.where(y > 0, y, 1)), 0.0)


def theil_from_sums(count: np.ndarray, total: np.ndarray, ylny: np.ndarray) -> tuple[float, float]:
    """Theil T and its between part from per-group sums of 1, y and y ln y."""
    n, s = count.sum(), total.sum()
    if n <= 0 or s <= 0:
        return 0.0, 0.0
    mu = s / n
    t = float(ylny.sum() / (n * mu) - np.log(mu))
    ok = (count > 0) & (total > 0)
    between = float(np.sum(total[ok] / s * np.log(total[ok] / count[ok] / mu)))
    return max(t, 0.0), between


def _ratio(s: np.ndarray, w: np.ndarray) -> np.ndarray:
    return np.divide(s, w, out=np.zeros(np.shape(s)), where=w > 0)


class Strata:
    """The fixed partition of citizens behind every outcome table.

    Adult (0/1) x region x locality kind x (education, income quintile), 2 x R x 3 x 15 cells.

    Age, region, locality, education and income never change during a run, so the cell of
    each citizen, the cell sizes and each locality's citizens per cell are computed once per
    model (:func:`strata`). A mean over adults by region or by group is then one ``bincount``
    of the per-citizen values into the cells, summed over the other axes.

    """

    GROUPS = len(Education) * N_QUINTILES

    def __init__(self, m: "SamenModel") -> None:
        """Cells of the citizens of ``m``."""
        c, loc = m.citizens, m.localities
        self.regions = m.regions.n
        self.shape = (2, self.regions, len(LocalityKind), self.GROUPS)
        group = c.education.astype(np.intp) * N_QUINTILES + c.income_quintile
        kind = loc.kind[c.locality].astype(np.intp)
        self.cells = int(np.prod(self.shape))
        cell = (c.adult.astype(np.intp) * self.regions + c.region) * len(LocalityKind) + kind
        self.key = cell * self.GROUPS + group
        self.count = self.to_cells(np.bincount(self.key, minlength=self.cells).astype(np.float64))
        # citizens per cell and locality (sparse: few localities reach every cell), so that
        # locality-level values such as access need no per-citizen pass
        per_pair = np.bincount(self.key * loc.n + c.locality, minlength=self.cells * loc.n)
        self.cell_localities = sparse.csr_array(per_pair.reshape(self.cells, loc.n).astype(np.float64))
        self.gini_income = gini(c.income)
        income = self.sums(c.income)
        self.mean_income_region = _ratio(income.sum(axis=AXES_BUT_REGION), self.count.sum(axis=AXES_BUT_REGION))

    def to_cells(self, flat: np.ndarray) -> np.ndarray:
        """A flat array of cell values as (adult, region, kind, group)."""
        return flat.reshape(self.shape)

    def sums(self, values: np.ndarray) -> np.ndarray:
        """Sum of per-citizen ``values`` in each cell."""
        return self.to_cells(np.bincount(self.key, weights=values, minlength=self.cells))

    def locality_sums(self, values: np.ndarray) -> np.ndarray:
        """Sum over citizens of a per-locality value in each cell."""
        return self.to_cells(self.cell_localities @ np.asarray(values, dtype=np.float64))


def strata(m: "SamenModel") -> Strata:
    """The model's :class:`Strata`, built on first use."""
    s = getattr(m, "_strata", None)
    if s is None or len(s.key) != m.citizens.n:
        s = m._strata = Strata(m)
    return s


#: Per-citizen values summed into cells in one pass (:func:`_citizen_sums`), in this order.
CITIZEN_SUMS = ("trust_others", "bridging", "participation", "trust_national", "trust_local",
                "ylny_trust_local", "ylny_trust_others")


@njit(inline="always")
def _xlnx(x):
    return x * np.log(x) if x > 0 else 0.0


@njit(cache=True, nogil=True)
def _citizen_sums(key, trust_others, degree, strong_bridging, weak_ties, weak_bridging, history, history_mask,
                  trust_national, trust_local, out, part):  # pragma: no cover - compiled
    """Add to ``out`` the :data:`CITIZEN_SUMS` values over the citizens of each cell.

    Rows 0-3 (``part`` 0), rows 4-6 (``part`` 1) or all (``part`` -1) in one pass; each row is
    summed in citizen order, so two threads taking one part each give the same sums.
    """
    first, second = part != 1, part != 0
    for i in range(len(key)):
        k = key[i]
        if first:
            out[0, k] += trust_others[i]
            out[1, k] += bridging_of(degree[i], strong_bridging[i], weak_ties[i], weak_bridging[i])
            out[2, k] += (history[i] & history_mask) != 0
            out[3, k] += trust_national[i]
        if second:
            out[4, k] += trust_local[i]
            out[5, k] += _xlnx(trust_local[i])
            out[6, k] += _xlnx(trust_others[i])


def cell_sums(m: "SamenModel") -> dict[str, np.ndarray]:
    """Cell sums of every per-citizen outcome at this step.

    Cell sums (see :class:`Strata`) of every per-citizen outcome at this step, and of ``y ln y``
    for the variables whose Theil index is decomposed.
    """
    c, s = m.citizens, strata(m)
    sums = np.zeros((len(CITIZEN_SUMS), s.cells))
    run_by_output(_citizen_sums, c.n, 2, s.key, c.trust_others, m.degree, m.strong_bridging, c.weak_ties,
                  c.weak_bridging, c.active_history, HISTORY_MASK, c.trust_national, c.trust_local, sums)
    out = {name: s.to_cells(row) for name, row in zip(CITIZEN_SUMS, sums, strict=True)}
    access = m.reach.access
    out["access"] = s.locality_sums(access)
    out["meeting_place_effect"] = s.locality_sums(m.reach.meeting_effect)
    out["ylny_access"] = s.locality_sums(_ylny(access))
    out["ylny_participation"] = np.zeros(s.shape)  # 1 ln 1 = 0 ln 0 = 0
    return out


def _theil_parts(s: Strata, sums: dict, name: str) -> tuple[float, float, float]:
    """Theil T of a variable and its between-province and between-education parts.

    Over adults; access over everyone.
    """
    people = slice(None) if name == "access" else 1
    arrays = [a[people] for a in (s.count, sums[name], sums[f"ylny_{name}"])]
    region_axis = arrays[0].ndim - len(CELL_TAIL)
    by_region = [a.sum(axis=tuple(x for x in range(a.ndim) if x != region_axis)) for a in arrays]
    by_education = [a.reshape(-1, len(Education), N_QUINTILES).sum(axis=(0, 2)) for a in arrays]
    total, between_regions = theil_from_sums(*by_region)
    _, between_education = theil_from_sums(*by_education)
    return total, between_regions, between_education


def _mean_by_education(s: Strata, sums: dict, name: str) -> np.ndarray:
    """Mean of a variable among adults of each education level (low, middle, high)."""
    total = sums[name][1].sum(axis=(0, 1)).reshape(len(Education), N_QUINTILES).sum(axis=1)
    count = s.count[1].sum(axis=(0, 1)).reshape(len(Education), N_QUINTILES).sum(axis=1)
    return _ratio(total, count)


def national(m: "SamenModel", public_spending_eur: float, sums: dict | None = None) -> dict:
    """One row of the national series (columns SERIES_COLUMNS)."""
    f, t, loc = m.facilities, m.collective_table, m.localities
    s, sums = strata(m), sums if sums is not None else cell_sums(m)
    n_adult = max(s.count[1].sum(), 1.0)
    adult_mean = {k: float(v[1].sum() / n_adult) for k, v in sums.items()}
    n_all = max(s.count.sum(), 1.0)
    open_ = f.view("open")
    ftype = f.view("type")
    active = t.view("active")
    kind = t.view("kind")
    energy = active & (kind == CollectiveKind.ENERGY)
    gone, cause = ~active & (t.view("dissolved") >= 0), t.view("cause")
    people = (t.view("board") + t.view("volunteers"))[active].astype(np.float64)
    board = t.view("board")[active].astype(np.float64)
    vols = t.view("volunteers")[active].astype(np.float64)
    row = {
        "step": m.quarter,
        "year": m.year,
        "cohesion": cohesion(adult_mean),
        "trust_government": adult_mean["trust_national"],
        "trust_local_government": adult_mean["trust_local"],
        "trust_others": adult_mean["trust_others"],
        "participation_rate": adult_mean["participation"],
        "collectives_active": int(active.sum()),
        "collective_members": int(t.view("members")[active].sum()),
        "volunteers": int(vols.sum()),
        "board_members": int(board.sum()),
        "energy_cooperatives": int(energy.sum()),
        "energy_members": int(t.view("members")[energy].sum()),
        "municipalities_with_energy_cooperative": float(
            len(np.unique(t.view("municipality")[energy])) / max(m.municipal.n, 1)),
        "village_shops": int((open_ & (ftype == FacilityType.SHOP)
                              & (loc.kind[f.view("locality")] == LocalityKind.VILLAGE)).sum()),
        "meeting_places": int((open_ & (ftype == FacilityType.MEETING)).sum()),
        "meeting_places_by_collectives": int((open_ & (ftype == FacilityType.MEETING)
                                              & (f.view("provider") == Provider.COLLECTIVE)).sum()),
        "meeting_place_effect": float(sums["meeting_place_effect"].sum() / n_all),
        "facilities_open": int((open_ & (ftype != FacilityType.MEETING)).sum()),
        "facilities_by_collectives": int((open_ & (ftype != FacilityType.MEETING)
                                          & (f.view("provider") == Provider.COLLECTIVE)).sum()),
        "access": float(sums["access"].sum() / n_all),
        "gini_income": s.gini_income,
    }
    for name in THEIL_VARIABLES:
        total, between, between_edu = _theil_parts(s, sums, name)
        row[f"theil_{name}"] = total
        row[f"theil_{name}_between"] = between
        row[f"theil_{name}_between_education"] = between_edu
    by_education = {name: _mean_by_education(s, sums, name)
                     for name in ("trust_national", "trust_local", "trust_others", "participation")}
    for name, column in (("trust_national", "trust_gap_education"), ("trust_local", "trust_local_gap_education"),
                         ("trust_others", "trust_others_gap_education"),
                         ("participation", "participation_gap_education")):
        row[column] = float(by_education[name][Education.HIGH] - by_education[name][Education.LOW])
    burnout = (t.view("board_burnout") * t.view("board") + t.view("volunteer_burnout") * t.view("volunteers"))[active]
    row["volunteer_burnout"] = float(burnout.sum() / people.sum()) if people.sum() else 0.0
    row["board_burnout"] = float(np.average(t.view("board_burnout")[active], weights=board)) if board.sum() else 0.0
    row["board_load"] = float(np.average(t.view("board_load")[active], weights=board)) if board.sum() else 0.0
    row["volunteer_load"] = float(np.average(t.view("volunteer_load")[active], weights=vols)) if vols.sum() else 0.0
    since_start = gone & (t.view("dissolved") >= 0)
    for cause_name in ("leaders", "money", "background"):
        row[f"dissolved_{cause_name}"] = int((since_start & (cause == FailureCause[cause_name.upper()])).sum())
    row["public_spending_eur"] = float(public_spending_eur)
    # what calibration and validation compare with Dutch figures, so that any run can be
    # checked against data without the validation code (issue 14)
    for variable in ("participation", "trust_others"):
        for level, value in zip(EDUCATION_NAMES, by_education[variable], strict=True):
            row[f"{variable}_{level}"] = float(value)
    adults = np.count_nonzero(m.citizens.adult)
    # a count over a count is the mean of the adults' flags, bit for bit, without copying them
    row["active_quarter"] = np.count_nonzero(m.citizens.active_now & m.citizens.adult) / adults if adults else 0.0
    row["energy_dissolved"] = int((since_start & (kind == CollectiveKind.ENERGY)).sum())
    row["dissolved_leaders_with_members"] = int((since_start & (cause == FailureCause.LEADERS)
                                                 & (t.view("members") > t.view("board"))).sum())
    return row


def by_region(m: "SamenModel", sums: dict | None = None) -> dict[str, np.ndarray]:
    """Columns of the per-region table for this step (REGION_COLUMNS)."""
    f, loc, t = m.facilities, m.localities, m.collective_table
    s, sums = strata(m), sums if sums is not None else cell_sums(m)
    n = m.regions.n
    adults = s.count[1].sum(axis=(1, 2))
    mean = {k: _ratio(v[1].sum(axis=(1, 2)), adults) for k, v in sums.items()}
    open_ = f.view("open")
    f_region = loc.region[f.view("locality")]
    meeting = open_ & (f.view("type") == FacilityType.MEETING)
    population = s.count.sum(axis=AXES_BUT_REGION)
    return {
        "step": np.full(n, m.quarter),
        "year": np.full(n, m.year),
        "region": np.array(m.regions.names, dtype=object),
        "population": population.astype(np.int64) * m.p.population_scale,
        "cohesion": cohesion(mean),
        "trust_government": mean["trust_national"],
        "trust_local_government": mean["trust_local"],
        "trust_others": mean["trust_others"],
        "participation_rate": mean["participation"],
        "collectives_active": np.bincount(loc.region[t.view("locality")[t.view("active")]], minlength=n),
        "meeting_places": np.bincount(f_region[meeting], minlength=n),
        "meeting_place_effect": _ratio(sums["meeting_place_effect"].sum(axis=AXES_BUT_REGION), population),
        "facilities_open": np.bincount(f_region[open_ & ~meeting], minlength=n),
        "access": _ratio(sums["access"].sum(axis=AXES_BUT_REGION), population),
        "mean_income": s.mean_income_region,
    }


def by_group(m: "SamenModel", sums: dict | None = None) -> pd.DataFrame:
    """The per-group table for this step: adults by education x income quintile x locality kind."""
    return pd.DataFrame(group_columns(m, sums))


def group_columns(m: "SamenModel", sums: dict | None = None) -> dict[str, np.ndarray]:
    """The columns of :func:`by_group`.

    A recording model keeps these and builds one table at the end: a DataFrame per step would
    cost more than the step's sums.
    """
    s, sums = strata(m), sums if sums is not None else cell_sums(m)
    adults = s.count[1].sum(axis=0)  # (kind, group)
    mean = {name: _ratio(v[1].sum(axis=0), adults) for name, v in sums.items()}
    kinds, groups = np.meshgrid(np.arange(len(LocalityKind)), np.arange(Strata.GROUPS), indexing="ij")
    kinds, groups = kinds.ravel(), groups.ravel()
    return {
        "step": np.full(len(kinds), m.quarter),
        "year": np.full(len(kinds), m.year),
        "education": np.array([EDUCATION_NAMES[g // N_QUINTILES] for g in groups], dtype=object),
        "income_quintile": groups % N_QUINTILES + 1,
        "locality_kind": np.array([LOCALITY_KIND_NAMES[k] for k in kinds], dtype=object),
        "population": adults.ravel().astype(np.int64) * m.p.population_scale,
        "trust_government": mean["trust_national"].ravel(),
        "trust_local_government": mean["trust_local"].ravel(),
        "trust_others": mean["trust_others"].ravel(),
        "participation_rate": mean["participation"].ravel(),
        "access": mean["access"].ravel(),
    }


def by_locality(m: "SamenModel") -> pd.DataFrame:
    """Where it happens: one row per locality at this step (LOCALITY_COLUMNS)."""
    c, f, t, loc = m.citizens, m.facilities, m.collective_table, m.localities
    n = loc.n
    adult = c.adult.astype(np.float64)
    adults = np.bincount(c.locality, weights=adult, minlength=n)

    def mean(x):
        return np.divide(np.bincount(c.locality, weights=x * adult, minlength=n), adults,
                         out=np.full(n, np.nan), where=adults > 0)

    open_ = f.view("open") & (f.view("type") != FacilityType.MEETING)
    return pd.DataFrame({
        "step": np.full(n, m.quarter),
        "year": np.full(n, m.year),
        "locality": np.arange(n),
        "municipality": loc.municipality,
        "region": np.array(m.regions.names, dtype=object)[loc.region],
        "kind": np.array(LOCALITY_KIND_NAMES, dtype=object)[loc.kind],
        "residents": loc.residents,
        "mean_income": m.locality_mean_income(),
        "meeting_places": m.reach.meeting_places.astype(np.int64),
        "meeting_place_effect": m.reach.meeting_effect,
        "facilities_open": np.bincount(f.view("locality")[open_], minlength=n),
        "access": m.reach.access,
        "participation_rate": mean(c.volunteered_this_year.astype(np.float64)),
        "trust_local_government": mean(c.trust_local),
        "trust_others": mean(c.trust_others),
        "collectives_active": np.bincount(t.view("locality")[t.view("active")], minlength=n),
        "investment_eur": m.investment_received,
    })


__all__ = ["SERIES_COLUMNS", "REGION_COLUMNS", "GROUP_COLUMNS", "LOCALITY_COLUMNS"]
