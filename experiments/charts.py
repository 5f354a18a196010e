"""Charts drawn from outcome tables (never by re-running the model), and the helpers every
chart of the project shares: the run summary, the brief, the sweep analyses and the
workshop dashboard all draw with these.

Every chart is a function that takes DataFrames and returns a matplotlib ``Figure``; it
never shows it (callers save it: :func:`save_figure`, or ``fig.savefig(path, dpi=DPI)``).
Figures are built with ``matplotlib.figure.Figure`` directly, not pyplot, so no GUI backend
or global state is involved. Colours come from :data:`PALETTE` (Okabe & Ito 2008, safe for
colour-blind readers); :func:`style_axes` gives every panel the same look; the province tile
map (:func:`draw_tile_map`) colours provinces on a vermillion-white-blue scale centred at
zero, built from the same palette.
"""

from __future__ import annotations

import csv
import textwrap
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator, ScalarFormatter

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
#: Colour of the reference (base scenario, baseline policy); the others take SCENARIO_COLORS in order.
BASE_COLOR = "#555555"
SCENARIO_COLORS = (PALETTE["blue"], PALETTE["orange"], PALETTE["green"], PALETTE["vermillion"],
                   PALETTE["sky"], PALETTE["purple"], PALETTE["black"])
#: Diverging map scale: vermillion (lower) - white - blue (higher).
DIVERGING = LinearSegmentedColormap.from_list(
    "samen_diverging", [PALETTE["vermillion"], "#f7f7f7", PALETTE["blue"]])
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


#: Margins of the summary figure (fractions of the figure), room for its titles and tick labels.
SUMMARY_MARGINS = {"left": 0.055, "right": 0.985, "bottom": 0.075, "top": 0.9, "wspace": 0.22, "hspace": 0.38}


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


def dot_whisker(ax: Axes, y: float, median: float, low: float, high: float, color: str, **style) -> None:
    """A median as a dot at height ``y`` with its interval ``[low, high]`` as whiskers (``style``:
    errorbar options such as ``markersize`` or ``capsize``)."""
    ax.errorbar(median, y, xerr=[[max(median - low, 0)], [max(high - median, 0)]], fmt="o", color=color, **style)


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
    # Fixed margins, not a layout engine: the grid is the same for every run, and constrained
    # layout draws the figure several times (0.6 s of every `samen run` against 0.4 s).
    fig = Figure(figsize=(11, 6.2))
    fig.subplots_adjust(**SUMMARY_MARGINS)
    axes = fig.subplots(2, 3)
    _, xlabel = time_axis(series)
    for ax, (panel_title, columns) in zip(axes.flat, SUMMARY_PANELS, strict=True):
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


def save_figure(fig: Figure, stem: Path | str, tight: bool = False) -> dict[str, Path]:
    """Write ``stem.png`` (:data:`DPI`) and ``stem.svg``; return both paths by format.

    ``tight`` crops the saved image to what is drawn (for figures laid out without margins).
    """
    stem = Path(stem)
    paths = {"png": stem.with_name(f"{stem.name}.png"), "svg": stem.with_name(f"{stem.name}.svg")}
    crop = {"bbox_inches": "tight"} if tight else {}
    fig.savefig(paths["png"], dpi=DPI, **crop)
    fig.savefig(paths["svg"], **crop)
    return paths


def capitalise(text: str) -> str:
    """First letter upper case, the rest untouched (str.capitalize would lower "Theil")."""
    return text[:1].upper() + text[1:]


def wrap(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters."""
    return "\n".join(textwrap.wrap(text, width))


def auto_decimals(magnitude: float, digits: int = 2) -> int:
    """Decimals that show ``digits`` significant digits of ``magnitude`` (at most 4)."""
    if not np.isfinite(magnitude) or magnitude <= 0:
        return 1
    return int(min(max(digits - 1 - np.floor(np.log10(magnitude)), 0), 4))


class LocaleFormatter(ScalarFormatter):
    """Tick labels with the language's decimal mark (0,5 in Dutch), never an offset or
    scientific notation (a policy reader should read the number on the axis as it is)."""

    def __init__(self, lang: str) -> None:
        super().__init__(useOffset=False)
        self.set_scientific(False)
        self.lang = lang

    def __call__(self, x, pos=None) -> str:
        text = super().__call__(x, pos)
        return text.replace(".", ",") if self.lang == "nl" else text


def localise_axes(fig: Figure, lang: str) -> None:
    """Give every numeric axis of ``fig`` (colour bars included) the language's decimal mark.

    Axes with their own labels (categories, scenario names) keep them: only matplotlib's
    default number formatter is replaced.
    """
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is ScalarFormatter:
                axis.set_major_formatter(LocaleFormatter(lang))


def ensure_span(ax: Axes, span: float, axis: str = "y") -> None:
    """Widen the ``axis`` range to at least ``span`` around its middle, so that a change
    smaller than that (seed noise, say) does not fill the panel as if it were large."""
    low, high = ax.get_ylim() if axis == "y" else ax.get_xlim()
    if high - low >= span:
        return
    middle = (low + high) / 2
    limits = (middle - span / 2, middle + span / 2)
    ax.set_ylim(*limits) if axis == "y" else ax.set_xlim(*limits)


def include_zero(ax: Axes) -> None:
    """Widen the x range to hold zero, with a little room around the data, and few enough
    ticks that long decimals do not run into each other (for charts of differences)."""
    lo, hi = ax.get_xlim()
    lo, hi = min(lo, 0), max(hi, 0)
    pad = 0.08 * (hi - lo or 1)
    ax.set_xlim(lo - pad, hi + pad)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))


def province_tiles() -> pd.DataFrame:
    """Tile positions of the twelve provinces joined to their names (shipped data)."""
    data = resources.files("experiments").joinpath("data")
    with data.joinpath("province_tiles.csv").open(encoding="utf-8") as fh:
        tiles = pd.DataFrame(list(csv.DictReader(fh)))
    with data.joinpath("provinces.csv").open(encoding="utf-8") as fh:
        names = pd.DataFrame(list(csv.DictReader(fh)))[["province", "iso_code"]]
    tiles[["col", "row"]] = tiles[["col", "row"]].astype(int)
    return tiles.merge(names, on="iso_code", how="left")


def draw_tile_map(ax: Axes, tiles: pd.DataFrame, values: Mapping[str, float], norm: Normalize,
                  label: Callable[[str, float], str], cmap=DIVERGING, fontsize: float = 6.5,
                  unclear: Mapping[str, bool] | None = None,
                  note: Callable[[str, float], str] | None = None) -> None:
    """Draw the province tiles on ``ax``: each coloured by ``cmap(norm(value))`` (grey when a
    province has no value) and labelled with its code and ``label(province, value)``.

    ``values`` maps province names to numbers (a Series or dict). Provinces for which
    ``unclear`` is true (an interval that includes zero) are drawn pale and hatched;
    ``note(province, value)``, if given, is a smaller line at the bottom of the tile.
    """
    ncol, nrow = tiles["col"].max() + 1, tiles["row"].max() + 1
    unclear = unclear or {}
    for tile in tiles.itertuples():
        value = values.get(tile.province, np.nan)
        color = cmap(norm(value)) if np.isfinite(value) else "#dddddd"
        faint = bool(unclear.get(tile.province, False))
        ax.add_patch(Rectangle((tile.col, tile.row), 0.94, 0.94, facecolor=color,
                               edgecolor="white", linewidth=1, alpha=0.45 if faint else 1.0))
        if faint:
            ax.add_patch(Rectangle((tile.col, tile.row), 0.94, 0.94, facecolor="none", edgecolor="#c8c8c8",
                                   linewidth=0, hatch="//"))
        dark = np.isfinite(value) and abs(norm(value) - 0.5) > 0.3 and not faint
        text = f"{tile.iso_code[3:]}\n{label(tile.province, value)}" if np.isfinite(value) else tile.iso_code[3:]
        ink = "white" if dark else "#222222"
        ax.text(tile.col + 0.47, tile.row + (0.4 if note else 0.47), text, ha="center", va="center",
                fontsize=fontsize, color=ink)
        if note and np.isfinite(value):
            ax.text(tile.col + 0.47, tile.row + 0.8, note(tile.province, value), ha="center", va="center",
                    fontsize=fontsize * 0.76, color=ink)
    ax.set_xlim(-0.1, ncol + 0.05)
    ax.set_ylim(nrow + 0.05, -0.1)
    ax.set_aspect("equal")
    ax.axis("off")
