"""PRIM scenario discovery: a box of inputs in which a condition on the outcomes holds.

The Patient Rule Induction Method (Friedman & Fisher 1999), as used for scenario discovery
by Bryant & Lempert (2010) and the EMA Workbench (Kwakkel 2017): start from the box that
holds every run and repeatedly *peel* off the slice -- the lowest or highest ``alpha``
share of runs along one numeric input, or one category of a choice input -- whose removal
raises the share of runs of interest (the box's *density*) most. Peeling stops when the
box would hold fewer than ``mass_min`` of the runs. Each box of this peeling trajectory
trades coverage (share of all runs of interest inside the box) against density; the box
reported is the one with the highest coverage among those reaching ``threshold`` density
(the EMA Workbench's default choice), else the densest. Pasting (re-growing the box after
peeling) is left out to keep this small, so a box can be slightly tighter than the EMA
Workbench's.

Each restricted input gets a quasi-p-value as in the EMA Workbench: a one-sided binomial
test of whether the box's density could be reached by the box without that restriction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import binomtest


@dataclass
class Box:
    """Limits per input (``(low, high)`` for numbers, a set of categories for choices)."""

    limits: dict[str, tuple[float, float] | frozenset]
    coverage: float = 0.0
    density: float = 0.0
    mass: float = 0.0
    restricted: list[str] = field(default_factory=list)

    def contains(self, x: pd.DataFrame) -> np.ndarray:
        inside = np.ones(len(x), dtype=bool)
        for name, lim in self.limits.items():
            col = x[name]
            if isinstance(lim, frozenset):
                inside &= col.isin(lim).to_numpy()
            else:
                inside &= ((col >= lim[0]) & (col <= lim[1])).to_numpy()
        return inside


@dataclass
class PrimResult:
    box: Box
    trajectory: pd.DataFrame  # one row per peel: coverage, density, mass, restricted count
    n_runs: int
    n_interest: int
    table: pd.DataFrame  # restricted inputs: name, low, high or categories, full range, qp


def prim(x: pd.DataFrame, y: np.ndarray, alpha: float = 0.05, mass_min: float = 0.05,
         threshold: float = 0.8) -> PrimResult:
    """Find a box in inputs ``x`` (numeric or string columns) where boolean ``y`` is dense."""
    y = np.asarray(y, dtype=bool)
    if len(x) != len(y) or len(y) == 0:
        raise ValueError("x and y must have the same, non-zero length")
    total_interest = int(y.sum())
    full = {c: (frozenset(x[c].unique()) if _is_categorical(x[c]) else (float(x[c].min()), float(x[c].max())))
            for c in x.columns}
    box = Box(dict(full))
    boxes = [_measure(box, x, y, total_interest, full)]
    while True:
        inside = box.contains(x)
        if y[inside].all():
            break
        best = None
        for name in x.columns:
            for candidate in _peels(box, name, x[name][inside], alpha):
                keep = candidate.contains(x)
                n_keep = int(keep.sum())
                if n_keep < mass_min * len(y) or n_keep == int(inside.sum()):
                    continue
                density = y[keep].mean()
                if best is None or (density, n_keep) > (best[0], best[1]):
                    best = (density, n_keep, candidate)
        if best is None or best[0] <= y[inside].mean():
            break
        box = best[2]
        boxes.append(_measure(box, x, y, total_interest, full))
    trajectory = pd.DataFrame([{"coverage": b.coverage, "density": b.density, "mass": b.mass,
                                "restricted": len(b.restricted)} for b in boxes])
    dense = [i for i, b in enumerate(boxes) if b.density >= threshold]
    if dense:
        chosen = boxes[max(dense, key=lambda i: (boxes[i].coverage, -i))]
    else:
        chosen = boxes[int(trajectory["density"].idxmax())]
    return PrimResult(chosen, trajectory, len(y), total_interest, _box_table(chosen, x, y, full))


def _is_categorical(col: pd.Series) -> bool:
    return not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col)


def _peels(box: Box, name: str, values: pd.Series, alpha: float):
    lim = box.limits[name]
    if isinstance(lim, frozenset):
        if len(lim) > 1:
            for category in sorted(lim, key=str):
                yield Box({**box.limits, name: lim - {category}})
        return
    lo_cut, hi_cut = np.quantile(values.to_numpy(dtype=float), [alpha, 1 - alpha]) if len(values) else (lim[0], lim[1])
    # Peel strictly above or below the quantile so that a slice of tied values goes at once.
    above = values[values > lo_cut]
    below = values[values < hi_cut]
    if len(above):
        yield Box({**box.limits, name: (float(above.min()), lim[1])})
    if len(below):
        yield Box({**box.limits, name: (lim[0], float(below.max()))})


def _measure(box: Box, x: pd.DataFrame, y: np.ndarray, total_interest: int, full) -> Box:
    inside = box.contains(x)
    n = int(inside.sum())
    box.mass = n / len(y)
    box.density = float(y[inside].mean()) if n else 0.0
    box.coverage = float(y[inside].sum() / total_interest) if total_interest else 0.0
    box.restricted = [c for c in x.columns if box.limits[c] != full[c]]
    return box


def _box_table(box: Box, x: pd.DataFrame, y: np.ndarray, full) -> pd.DataFrame:
    rows = []
    inside = box.contains(x)
    for name in box.restricted:
        lim, whole = box.limits[name], full[name]
        without = Box({**box.limits, name: whole}).contains(x)
        n_without, k_without = int(without.sum()), int(y[without].sum())
        k_in, n_in = int(y[inside].sum()), int(inside.sum())
        # Could the box without this restriction have produced the box's density by chance?
        qp = binomtest(k_in, n_in, k_without / n_without, alternative="greater").pvalue if n_in else np.nan
        if isinstance(lim, frozenset):
            rows.append({"parameter": name, "low": np.nan, "high": np.nan,
                         "categories": ", ".join(sorted(map(str, lim))),
                         "full_range": ", ".join(sorted(map(str, whole))), "qp_value": qp})
        else:
            rows.append({"parameter": name, "low": lim[0], "high": lim[1], "categories": "",
                         "full_range": f"[{whole[0]:g}, {whole[1]:g}]", "qp_value": qp})
    return pd.DataFrame(rows, columns=["parameter", "low", "high", "categories", "full_range", "qp_value"])
