"""Charts drawn from outcome tables (never by re-running the model).

Every chart is a function that takes DataFrames and returns a matplotlib ``Figure``; it
never shows or saves (callers do: ``fig.savefig(path, dpi=DPI)``). Figures are built with
``matplotlib.figure.Figure`` directly, not pyplot, so no GUI backend or global state is
involved. Colours come from :data:`PALETTE` (Okabe & Ito 2008, safe for colour-blind
readers); :func:`style_axes` gives every panel the same look.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

#: Okabe-Ito colour-blind-safe palette, in the order lines are drawn.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
COLORS = tuple(PALETTE.values())
#: Resolution for saved figures.
DPI = 200

#: Panels of the summary figure: title (with unit), then (column, legend label) pairs.
SUMMARY_PANELS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Cohesion (index 0-1)", (("cohesion", "cohesion"),)),
    ("Trust (share who trust, 0-1)", (
        ("trust_government", "national government"),
        ("trust_local_government", "local government"),
        ("trust_others", "other people"),
    )),
    ("Participation (share volunteering, 0-1)", (("participation_rate", "participation"),)),
    ("Access to facilities (share of residents, 0-1)", (("access", "access"),)),
    ("Meeting places (number)", (("meeting_places", "meeting places"),)),
    ("Active collectives (number)", (("collectives_active", "collectives"),)),
)


def time_axis(frame: pd.DataFrame) -> tuple[pd.Series, str]:
    """The x values and label: calendar year when the table has it, else the step."""
    if "year" in frame.columns:
        return frame["year"], "year"
    return frame["step"], "step (quarter)"


def style_axes(ax: Axes, title: str, xlabel: str = "", ylabel: str = "") -> None:
    """The shared look of a panel: small title, light grid, no top/right spines."""
    ax.set_title(title, fontsize=9, loc="left")
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def plot_lines(ax: Axes, frame: pd.DataFrame, columns: Sequence[tuple[str, str]]) -> None:
    """One line per (column, label), against time; a legend when there is more than one."""
    x, _ = time_axis(frame)
    for i, (column, label) in enumerate(columns):
        ax.plot(x, frame[column], color=COLORS[i % len(COLORS)], linewidth=1.6, label=label)
    if len(columns) > 1:
        ax.legend(fontsize=7, frameon=False)


def summary_figure(series: pd.DataFrame, title: str = "") -> Figure:
    """Main national outcomes over time as a 2x3 grid of small multiples.

    Shares are drawn on a fixed 0-1 axis so that panels and runs compare at a glance.
    """
    fig = Figure(figsize=(11, 6.2), layout="constrained")
    axes = fig.subplots(2, 3)
    _, xlabel = time_axis(series)
    for ax, (panel_title, columns) in zip(axes.flat, SUMMARY_PANELS):
        plot_lines(ax, series, columns)
        style_axes(ax, panel_title, xlabel=xlabel)
        if "0-1" in panel_title:
            ax.set_ylim(0, 1)
        else:  # counts: from zero, with headroom so a flat line does not hide in the frame
            top = max(float(series[c].max()) for c, _ in columns)
            ax.set_ylim(0, top * 1.1 if top > 0 else 1)
        if xlabel == "year" and series["year"].max() - series["year"].min() >= 2:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if title:
        fig.suptitle(title, fontsize=11)
    return fig
