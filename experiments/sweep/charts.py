"""Charts of sweep analyses, drawn from the analysis tables (colours: Okabe-Ito).

Like :mod:`experiments.charts`, each function returns a matplotlib ``Figure`` and never
shows it; callers save it with :func:`experiments.charts.save_figure` (``tight=True``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..charts import PALETTE, SCENARIO_COLORS, dot_whisker, include_zero, style_axes


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


def _shown(outcome: str) -> tuple[float, str, str]:
    from .analysis import units

    return units(outcome)


def compare_figure(table: pd.DataFrame, base: str, outcomes: list[str]) -> Figure:
    """Per outcome, each scenario's median paired difference to ``base`` with its 90%
    interval (the ``samen compare`` table), in the brief's units."""
    outcomes = [o for o in outcomes if o in set(table["outcome"])]
    scenarios = [s for s in dict.fromkeys(table["scenario"]) if s != base]
    fig, axes = _grid(len(outcomes), height=0.45 * len(scenarios) + 1.3)
    for ax, outcome in zip(axes, outcomes, strict=True):
        scale, _, change = _shown(outcome)
        part = table[(table["outcome"] == outcome) & (table["scenario"] != base)].set_index("scenario")
        for i, name in enumerate(scenarios):
            if name in part.index:
                row = part.loc[name]
                m, lo, hi = (row["diff_median"] * scale, row["diff_p05"] * scale, row["diff_p95"] * scale)
                dot_whisker(ax, i, m, lo, hi, SCENARIO_COLORS[i % len(SCENARIO_COLORS)], capsize=2.5)
        ax.axvline(0, color=PALETTE["black"], linewidth=0.7)
        ax.set_yticks(range(len(scenarios)), scenarios, fontsize=7)
        ax.set_ylim(len(scenarios) - 0.5, -0.5)
        style_axes(ax, outcome, xlabel=f"difference from {base}" + (f" ({change})" if change else ""))
        include_zero(ax)
    fig.suptitle("Paired difference from the base: median and 90% interval over replications", fontsize=9)
    return fig


def regret_figure(table: pd.DataFrame, outcomes: list[str]) -> Figure:
    """Per outcome (rows): each policy's median and 90% interval over the futures (left)
    and its regret, 90th percentile and maximum (right), in the brief's units."""
    outcomes = [o for o in outcomes if o in set(table["outcome"])]
    policies = list(dict.fromkeys(table["policy"]))
    fig = Figure(figsize=(8.4, (0.4 * len(policies) + 1.2) * len(outcomes) + 0.4), layout="constrained")
    axes = fig.subplots(len(outcomes), 2, squeeze=False)
    y = np.arange(len(policies))
    for r, outcome in enumerate(outcomes):
        scale, unit, change = _shown(outcome)
        part = table[table["outcome"] == outcome].set_index("policy").reindex(policies)
        left, right = axes[r]
        for i, name in enumerate(policies):
            m, lo, hi = (part.loc[name, k] * scale for k in ("median", "p05", "p95"))
            dot_whisker(left, i, m, lo, hi, SCENARIO_COLORS[i % len(SCENARIO_COLORS)], capsize=2.5)
        left.set_yticks(y, policies, fontsize=7)
        left.set_ylim(len(policies) - 0.5, -0.5)
        better = part["better"].iloc[0]
        style_axes(left, f"{outcome} ({better} is better)", xlabel=unit or "value")
        right.barh(y - 0.18, part["regret_p90"] * scale, height=0.36, color=PALETTE["blue"], label="90th percentile")
        right.barh(y + 0.18, part["regret_max"] * scale, height=0.36, color=PALETTE["orange"], label="maximum")
        right.set_yticks(y, [])
        right.set_ylim(len(policies) - 0.5, -0.5)
        style_axes(right, "regret: shortfall against the best policy per future", xlabel=change or "shortfall")
        if r == 0:
            right.legend(fontsize=7, frameon=False)
    return fig
