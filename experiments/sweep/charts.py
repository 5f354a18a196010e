"""Charts of sweep analyses, drawn from the analysis tables (colours: Okabe-Ito).

Like :mod:`experiments.charts`, each function returns a matplotlib ``Figure`` and never
shows it; callers save it with :func:`experiments.charts.save_figure` (``tight=True``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..charts import PALETTE, style_axes


def _grid(n: int, width: float = 4.2, height: float = 3.0) -> tuple[Figure, list]:
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    fig = Figure(figsize=(width * cols, height * rows), layout="constrained")
    axes = [fig.add_subplot(rows, cols, i + 1) for i in range(n)]
    return fig, axes


def sobol_figure(table: pd.DataFrame) -> Figure:
    """Per outcome, first-order (S1) and total (ST) indices per parameter with their intervals."""
    outcomes = list(dict.fromkeys(table["outcome"]))
    fig, axes = _grid(len(outcomes), height=0.5 + 0.35 * table["parameter"].nunique() + 1.2)
    for ax, outcome in zip(axes, outcomes, strict=True):
        part = table[table["outcome"] == outcome]
        pos = np.arange(len(part))
        bars = (("S1", "first order", PALETTE["blue"]), ("ST", "total", PALETTE["orange"]))
        for offset, (key, label, colour) in zip((-0.18, 0.18), bars, strict=True):
            err = np.vstack([part[key] - part[f"{key}_low"], part[f"{key}_high"] - part[key]])
            ax.barh(pos + offset, part[key], height=0.36, xerr=err, color=colour, label=label,
                    error_kw={"elinewidth": 0.8, "capsize": 2})
        ax.set_yticks(pos, part["parameter"], fontsize=7)
        ax.invert_yaxis()
        ax.axvline(0, color=PALETTE["black"], linewidth=0.6)
        style_axes(ax, outcome, xlabel="Sobol index (95% bootstrap interval)")
        ax.legend(fontsize=7, frameon=False)
    return fig


def morris_figure(table: pd.DataFrame) -> Figure:
    """Per outcome, Morris mu* against sigma, one labelled point per parameter."""
    outcomes = list(dict.fromkeys(table["outcome"]))
    fig, axes = _grid(len(outcomes))
    for ax, outcome in zip(axes, outcomes, strict=True):
        part = table[table["outcome"] == outcome]
        ax.scatter(part["mu_star"], part["sigma"], color=PALETTE["blue"], s=18, zorder=3)
        for row in part.itertuples():
            ax.annotate(row.parameter, (row.mu_star, row.sigma), fontsize=6, xytext=(3, 3),
                        textcoords="offset points")
        style_axes(ax, outcome, xlabel="mu* (mean absolute elementary effect)", ylabel="sigma")
    return fig


def replications_figure(curve: pd.DataFrame, outcome: str, precision: float) -> Figure:
    """Relative half-width of the 90% CI of the mean against the number of replications."""
    fig = Figure(figsize=(5, 3.2), layout="constrained")
    ax = fig.add_subplot()
    ax.plot(curve["n"], curve["relative_median"], color=PALETTE["blue"], marker="o", markersize=3,
            label="median over samples")
    ax.plot(curve["n"], curve["relative_max"], color=PALETTE["vermillion"], marker="s", markersize=3,
            linestyle="--", label="worst sample")
    ax.axhline(precision, color=PALETTE["black"], linewidth=0.7, linestyle=":", label=f"target {precision:g}")
    style_axes(ax, f"{outcome}: 90% CI half-width / |mean|", xlabel="replications", ylabel="relative half-width")
    ax.legend(fontsize=7, frameon=False)
    return fig
