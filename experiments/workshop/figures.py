"""The dashboard's figures: live charts, the province map, one village, a round's comparison.

Like :mod:`experiments.charts`, whose colours, tile map and helpers it shares with the
brief, each function takes tables and returns a matplotlib ``Figure`` (no pyplot, no global
state), with every word from :mod:`experiments.i18n`.
:func:`png` turns a figure into the bytes the browser shows.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.colors import CenteredNorm
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Patch, Rectangle
from matplotlib.ticker import MaxNLocator

from .. import charts
from ..i18n import OUTCOMES, number, tr, whole_number

#: Outcomes of the live charts (the issue's list: cohesion, trust in national and local
#: government, access and the between-region gap).
LIVE_OUTCOMES = ("cohesion", "trust_government", "trust_local_government", "access", "theil_access_between")
#: Outcomes the province map can show (those recorded per province).
MAP_OUTCOMES = ("trust_government", "trust_local_government", "cohesion", "trust_others",
                "participation_rate", "access")
#: Outcomes a round can be ranked on.
ROUND_OUTCOMES = tuple(OUTCOMES)
#: Provider colours of the village view (Okabe-Ito).
PROVIDER_COLORS = {"market": charts.PALETTE["orange"], "municipality": charts.PALETTE["blue"],
                   "collective": charts.PALETTE["green"]}
CLOSED_COLOR = "#e4e4e4"
COLLECTIVE_COLORS = {"energy": charts.PALETTE["yellow"], "care": charts.PALETTE["purple"],
                     "facility": charts.PALETTE["green"], "neighbourhood": charts.PALETTE["sky"]}
FACILITY_ORDER = ("meeting", "shop", "gp", "care", "transport")
#: Collectives drawn in the village view (two rows); the rest are counted.
MAX_COLLECTIVES_SHOWN = 10
DPI = 90


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes at screen resolution."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def live_figure(series: pd.DataFrame, baseline: pd.DataFrame, lang: str, label: str) -> Figure:
    """One panel per live outcome: the running model (coloured) over the baseline run
    with the same seed (faint grey), against the calendar year."""
    # A fixed layout: constrained layout would cost more than the model step itself.
    fig = Figure(figsize=(9.6, 4.6))
    fig.subplots_adjust(left=0.06, right=0.975, top=0.93, bottom=0.07, wspace=0.28, hspace=0.42)
    axes = fig.subplots(2, 3).flat
    last_year = max(float(series["year"].max()), float(baseline["year"].max()))
    first_year = float(series["year"].min())
    for ax, outcome in zip(axes, LIVE_OUTCOMES, strict=False):
        o = OUTCOMES[outcome]
        ax.plot(baseline["year"], baseline[outcome] * o.scale, color=charts.BASE_COLOR, alpha=0.35,
                linewidth=1.4, label=tr("ws_baseline_line", lang))
        ax.plot(series["year"], series[outcome] * o.scale, color=charts.PALETTE["blue"], linewidth=2.0, label=label)
        ax.plot(series["year"].iloc[-1:], series[outcome].iloc[-1:] * o.scale, "o", color=charts.PALETTE["blue"],
                markersize=4)
        charts.style_axes(ax, charts.capitalise(o.label(lang)))
        ax.set_xlim(first_year, max(last_year, first_year + 1))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        # At least one unit of the shown precision on the axis, so that noise in the
        # last decimal does not look like a trend.
        low, high = ax.get_ylim()
        span = max(high - low, 10.0 ** (1 - o.decimals))
        middle = (low + high) / 2
        ax.set_ylim(middle - 0.55 * span, middle + 0.55 * span)
    legend_ax = list(fig.axes)[-1]
    legend_ax.axis("off")
    handles, labels = fig.axes[0].get_legend_handles_labels()
    legend_ax.legend(handles, labels, loc="center", fontsize=9, frameon=False)
    charts.localise_axes(fig, lang)
    return fig


def province_map_figure(regions: pd.DataFrame, outcome: str, lang: str) -> Figure:
    """The twelve provinces: labels give the outcome now, colours its change since step 0."""
    o = OUTCOMES[outcome]
    now_step = int(regions["step"].max())
    now = regions[regions["step"] == now_step].set_index("region")[outcome] * o.scale
    start = regions[regions["step"] == 0].set_index("region")[outcome] * o.scale
    change = now - start
    limit = float(np.nanmax(np.abs(change))) if len(change) else 0.0
    # Full colour needs a change of at least one unit of the shown precision (1 percentage
    # point for shares), so that noise in the second decimal does not paint a province red.
    norm = CenteredNorm(vcenter=0.0, halfrange=max(limit, 10.0 ** (1 - o.decimals)))
    decimals = o.decimals
    change_decimals = max(o.decimals, charts.auto_decimals(limit))
    fig = Figure(figsize=(4.4, 4.9))
    fig.subplots_adjust(left=0.02, right=0.98, top=0.92, bottom=0.1)
    ax = fig.subplots()
    tiles = charts.province_tiles()
    labels = {p: f"{number(now[p], lang, decimals)}\n({number(change[p], lang, change_decimals, signed=True)})"
              for p in now.index}
    charts.draw_tile_map(ax, tiles, change, norm, lambda province, _value: labels[province], fontsize=7.5)
    ax.set_title(charts.capitalise(o.label(lang)), fontsize=10, loc="left")
    fig.text(0.02, 0.015, charts.wrap(tr("ws_map_caption", lang, unit=o.change_unit[lang]), 70), fontsize=7,
             color="#444444", ha="left", va="bottom")
    return fig


def village_figure(village, lang: str) -> Figure:
    """One village or neighbourhood: its meeting places and facilities coloured by provider
    (closed ones grey), and its collectives sized by members."""
    fig = Figure(figsize=(4.6, 4.9))
    fig.subplots_adjust(left=0.02, right=0.98, top=0.9, bottom=0.08)
    ax = fig.subplots()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.set_aspect("equal", adjustable="box")  # round circles
    ax.axis("off")
    kind = tr(f"ws_kind_{village.kind}", lang)
    residents = whole_number(village.residents, lang)
    fig.suptitle(tr("ws_village_title", lang, kind=kind, number=village.locality, region=village.region,
                    residents=residents), fontsize=10, x=0.02, y=0.985, ha="left")
    ax.text(0, 9.6, tr("ws_facilities", lang), fontsize=9, fontweight="bold", va="top")
    f = village.facilities.copy()
    f["order"] = f["type"].map({t: i for i, t in enumerate(FACILITY_ORDER)})
    f = f.sort_values(["order", "open"], ascending=[True, False])
    x, y = 0.0, 8.0
    if not (f["open"] & (f["type"] == "meeting")).any():  # the absence is the story here
        ax.add_patch(Rectangle((x, y), 1.8, 1.1, facecolor="white", edgecolor="#888888", linewidth=0.8,
                               linestyle="--"))
        ax.text(x + 0.9, y + 0.55, charts.wrap(tr("ws_no_meeting", lang), 14), ha="center", va="center", fontsize=6.5,
                color="#555555")
        x += 2.0
    for row in f.itertuples():
        color = PROVIDER_COLORS[row.provider] if row.open else CLOSED_COLOR
        ax.add_patch(Rectangle((x, y), 1.8, 1.1, facecolor=color, edgecolor="#555555", linewidth=0.6,
                               hatch=None if row.open else "///"))
        name = tr(f"ws_facility_{row.type}", lang)
        ax.text(x + 0.9, y + 0.55, name if row.open else f"{name}\n{tr('ws_closed', lang)}",
                ha="center", va="center", fontsize=6.5, color="white" if row.open else "#333333",
                bbox=None if row.open else {"facecolor": CLOSED_COLOR, "edgecolor": "none", "pad": 1})
        x += 2.0
        if x > 8.1:
            x, y = 0.0, y - 1.3
    if x > 0:
        y -= 1.3
    top = y + 0.8
    ax.text(0, top, tr("ws_collectives", lang), fontsize=9, fontweight="bold", va="top")
    c = village.collectives.sort_values(["kind", "members"], ascending=[True, False])
    cx, cy = 1.0, top - 1.4
    biggest = max(int(c["members"].max()) if len(c) else 1, 1)
    for row in c.head(MAX_COLLECTIVES_SHOWN).itertuples():
        radius = 0.3 + 0.5 * np.sqrt(row.members / biggest)
        ax.add_patch(Circle((cx, cy), radius, facecolor=COLLECTIVE_COLORS[row.kind], edgecolor="#333333",
                            linewidth=1.4 if row.runs_facility else 0.5))
        members = whole_number(row.members, lang)
        ax.text(cx, cy - radius - 0.25, f"{tr(f'ws_collective_{row.kind}', lang)}\n{members}", ha="center",
                va="top", fontsize=6)
        cx += 2.0
        if cx > 9.0:
            cx, cy = 1.0, cy - 2.3
    if c.empty:
        ax.text(0, top - 1.0, tr("ws_none", lang), fontsize=8, color="#555555")
    elif len(c) > MAX_COLLECTIVES_SHOWN:
        ax.text(10, top, tr("ws_more", lang, n=len(c) - MAX_COLLECTIVES_SHOWN), fontsize=8, color="#555555",
                ha="right", va="top")
    handles = [Patch(facecolor=PROVIDER_COLORS[p], label=tr(f"ws_provider_{p}", lang)) for p in PROVIDER_COLORS]
    handles.append(Patch(facecolor=CLOSED_COLOR, hatch="///", edgecolor="#555555", label=tr("ws_closed", lang)))
    fig.legend(handles=handles, loc="lower center", ncols=4, fontsize=7, frameon=False)
    fig.text(0.02, 0.925, tr("ws_village_note", lang), fontsize=6.5, color="#555555", ha="left", va="top")
    return fig


def comparison_figure(comparison: pd.DataFrame, outcomes: list[str], lang: str) -> Figure:
    """Per chosen outcome, each table's difference from the baseline at the end of the
    horizon (mean over the round's seeds), as horizontal bars with the seeds' range."""
    tables = list(dict.fromkeys(comparison["table"]))
    n = max(len(outcomes), 1)
    fig = Figure(figsize=(3.2 * min(n, 3), (0.45 * len(tables) + 1.3) * -(-n // 3)), layout="constrained")
    axes = list(fig.subplots(-(-n // 3), min(n, 3), squeeze=False).flat)
    for ax, outcome in zip(axes, outcomes, strict=False):
        o = OUTCOMES[outcome]
        part = comparison[comparison["outcome"] == outcome].set_index("table")
        for i, table in enumerate(tables):
            row = part.loc[table]
            color = charts.SCENARIO_COLORS[i % len(charts.SCENARIO_COLORS)]
            ax.barh(i, row["difference"] * o.scale, color=color, height=0.6)
            ax.plot([row["difference_low"] * o.scale, row["difference_high"] * o.scale], [i, i],
                    color="#333333", linewidth=1)
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_yticks(range(len(tables)), tables if ax.get_subplotspec().is_first_col() else [])
        ax.set_ylim(len(tables) - 0.5, -0.5)
        xlabel = o.change_unit[lang] + (f" ({tr('ws_lower_better', lang)})" if o.lower_is_better else "")
        charts.style_axes(ax, charts.wrap(charts.capitalise(o.name[lang]), 34), xlabel=xlabel)
        charts.include_zero(ax)
    for ax in axes[len(outcomes):]:
        ax.axis("off")
    fig.suptitle(charts.wrap(tr("ws_comparison_title", lang), 28 * min(n, 3)), fontsize=10, x=0.01, ha="left",
                 fontweight="bold")
    charts.localise_axes(fig, lang)
    return fig
