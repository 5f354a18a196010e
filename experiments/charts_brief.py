"""Charts of a scenarios sweep for policy readers, in Dutch or English.

Every chart takes a :class:`~experiments.brief_data.ScenarioResults` (saved results, never
a model run) and a language, and returns a matplotlib ``Figure`` with a title, axis
labels with units and a caption line naming the scenarios, replications and master seed.
:func:`save_figure` writes it as PNG (200 dpi) and SVG. Colours: the Okabe-Ito palette of
:mod:`experiments.charts` (safe for colour-blind readers); the province map uses a
vermillion-white-blue diverging scale centred at zero, built from the same palette.
All words come from :mod:`experiments.i18n`.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.colors import CenteredNorm, LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from .brief_data import ScenarioResults, group_means, paired_differences, time_bands
from .charts import DPI, PALETTE, style_axes
from .i18n import BRIEF_OUTCOMES, GROUP_OUTCOMES, OUTCOMES, join_names, number, tr

#: Page-friendly figure width (inches): fits an A4 page with 2 cm margins at full size.
WIDTH = 7.2
#: Colour of the base scenario; the others take SCENARIO_COLORS in order.
BASE_COLOR = "#555555"
SCENARIO_COLORS = (PALETTE["blue"], PALETTE["orange"], PALETTE["green"], PALETTE["vermillion"],
                   PALETTE["sky"], PALETTE["purple"], PALETTE["black"])
#: Diverging map scale: vermillion (lower) - white - blue (higher).
DIVERGING = LinearSegmentedColormap.from_list(
    "samen_diverging", [PALETTE["vermillion"], "#f7f7f7", PALETTE["blue"]])
#: Amount of money the cost-effectiveness chart divides by.
PER_EUR = 1e8


def scenario_colors(results: ScenarioResults) -> dict[str, str]:
    """A fixed colour per scenario: grey for the base, then the palette in sweep order."""
    colors = {results.base: BASE_COLOR}
    for i, name in enumerate(results.others):
        colors[name] = SCENARIO_COLORS[i % len(SCENARIO_COLORS)]
    return colors


def caption_line(results: ScenarioResults, lang: str) -> str:
    """"Scenarios: a, b and c. N replications per scenario, master seed S."""
    return tr("caption", lang, scenarios=join_names(list(results.scenarios), lang),
              replications=results.replications, seed=results.seed)


def years_text(results: ScenarioResults, lang: str) -> str:
    return number(results.years, lang, decimals=0 if results.years == int(results.years) else 2)


def _cap(text: str) -> str:
    """First letter upper case, the rest untouched (str.capitalize would lower "Theil")."""
    return text[:1].upper() + text[1:]


def _finish(fig: Figure, title: str, caption: str, legend: tuple | None = None) -> Figure:
    """Title on top, caption line at the bottom, the panels in between; ``legend``
    (handles, labels) goes in one row between the panels and the caption."""
    height = fig.get_figheight()
    bottom = (0.32 + (0.3 if legend else 0.0)) / height
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))
    if legend:
        fig.legend(*legend, loc="lower center", bbox_to_anchor=(0.5, 0.34 / height),
                   ncols=len(legend[0]), fontsize=7.5, frameon=False)
    fig.suptitle(title, fontsize=10, x=0.01, ha="left", fontweight="bold")
    fig.text(0.01, 0.12 / height, caption, fontsize=6.5, color="#444444", ha="left", va="bottom")
    return fig


def save_figure(fig: Figure, folder: Path | str, stem: str) -> dict[str, Path]:
    """Write ``stem.png`` (200 dpi) and ``stem.svg`` into ``folder``; return both paths."""
    folder = Path(folder)
    paths = {"png": folder / f"{stem}.png", "svg": folder / f"{stem}.svg"}
    fig.savefig(paths["png"], dpi=DPI)
    fig.savefig(paths["svg"])
    return paths


def _scale(outcome: str) -> float:
    return OUTCOMES[outcome].scale


def over_time_figure(results: ScenarioResults, lang: str,
                     outcomes: tuple[str, ...] = BRIEF_OUTCOMES) -> Figure:
    """Median line and 90% band over replications per scenario, one panel per outcome."""
    if results.series is None:
        raise ValueError("the results hold no time series")
    bands = time_bands(results.series, outcomes)
    colors = scenario_colors(results)
    ncols = 3
    nrows = -(-(len(outcomes) + 1) // ncols)
    fig = Figure(figsize=(WIDTH, 1.95 * nrows + 0.7), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).flat
    xcol = "year" if "year" in bands.columns else "step"
    for ax, outcome in zip(axes, outcomes):
        k = _scale(outcome)
        for name in results.scenarios:
            part = bands[bands["scenario"] == name]
            ax.fill_between(part[xcol], part[f"{outcome}_low"] * k, part[f"{outcome}_high"] * k,
                            color=colors[name], alpha=0.18, linewidth=0)
            ax.plot(part[xcol], part[f"{outcome}_median"] * k, color=colors[name], linewidth=1.5,
                    label=name)
        style_axes(ax, _cap(OUTCOMES[outcome].label(lang)), xlabel=tr(xcol, lang))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    rest = list(fig.axes)[len(outcomes):]
    for ax in rest:
        ax.axis("off")
    handles, labels = fig.axes[0].get_legend_handles_labels()
    target = rest[0] if rest else fig.axes[0]
    target.legend(handles, labels, loc="center", fontsize=8, frameon=False,
                  title=tr("over_time_caption", lang), title_fontsize=6.5)
    return _finish(fig, tr("over_time_title", lang), caption_line(results, lang))


def _dot_whisker(ax, y, median, low, high, color, size=4.5) -> None:
    ax.errorbar(median, y, xerr=[[max(median - low, 0)], [max(high - median, 0)]], fmt="o",
                color=color, markersize=size, elinewidth=1.6, capsize=2.5)


def difference_figure(results: ScenarioResults, lang: str,
                      outcomes: tuple[str, ...] = BRIEF_OUTCOMES) -> Figure:
    """Dot-and-whisker: median paired difference to the base with its 90% interval."""
    diffs = paired_differences(results.runs, results.base, outcomes)
    colors = scenario_colors(results)
    others = list(results.others)
    ncols = 3
    nrows = -(-len(outcomes) // ncols)
    fig = Figure(figsize=(WIDTH, (0.35 * len(others) + 1.2) * nrows + 0.7), layout="constrained")
    axes = list(fig.subplots(nrows, ncols, squeeze=False).flat)
    for ax, outcome in zip(axes, outcomes):
        k = _scale(outcome)
        part = diffs[diffs["outcome"] == outcome].set_index("scenario")
        for i, name in enumerate(others):
            if name in part.index:
                row = part.loc[name]
                _dot_whisker(ax, i, row["median"] * k, row["low"] * k, row["high"] * k, colors[name])
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_yticks(range(len(others)), others if ax.get_subplotspec().is_first_col() else [])
        ax.set_ylim(len(others) - 0.5, -0.5)
        o = OUTCOMES[outcome]
        style_axes(ax, _cap(o.name[lang]), xlabel=o.change_unit[lang])
        _symmetric_margin(ax)
    for ax in axes[len(outcomes):]:
        ax.axis("off")
    if len(axes) > len(outcomes):
        axes[len(outcomes)].text(0, 0.5, _wrap(tr("difference_caption", lang), 30), fontsize=6.5,
                                 va="center", ha="left", transform=axes[len(outcomes)].transAxes)
    title = tr("difference_title", lang, base=results.base, years=years_text(results, lang))
    return _finish(fig, title, caption_line(results, lang))


def _symmetric_margin(ax) -> None:
    """Make sure zero is inside the x range, with a little room around the whiskers, and
    few enough ticks that long decimals do not run into each other."""
    lo, hi = ax.get_xlim()
    lo, hi = min(lo, 0), max(hi, 0)
    pad = 0.08 * (hi - lo or 1)
    ax.set_xlim(lo - pad, hi + pad)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def province_tiles() -> pd.DataFrame:
    """Tile positions of the twelve provinces joined to their names (shipped data)."""
    data = resources.files("experiments").joinpath("data")
    with data.joinpath("province_tiles.csv").open(encoding="utf-8") as fh:
        tiles = pd.DataFrame(list(csv.DictReader(fh)))
    with data.joinpath("provinces.csv").open(encoding="utf-8") as fh:
        names = pd.DataFrame(list(csv.DictReader(fh)))[["province", "iso_code"]]
    tiles[["col", "row"]] = tiles[["col", "row"]].astype(int)
    return tiles.merge(names, on="iso_code", how="left")


def province_map_figure(results: ScenarioResults, lang: str, outcome: str = "trust_government") -> Figure:
    """Tile map per non-base scenario, coloured by the median change per province."""
    if results.regions is None:
        raise ValueError("the results hold no outcomes per province")
    o = OUTCOMES[outcome]
    diffs = paired_differences(results.regions, results.base, [outcome], by=["region"])
    diffs["value"] = diffs["median"] * o.scale
    tiles = province_tiles()
    others = list(results.others)
    limit = float(np.nanmax(np.abs(diffs["value"]))) if len(diffs) else 1.0
    decimals = max(o.decimals, auto_decimals(limit))
    norm = CenteredNorm(vcenter=0.0, halfrange=limit if limit > 0 else 1.0)
    ncols = min(len(others), 3)
    nrows = -(-len(others) // ncols)
    fig = Figure(figsize=(WIDTH, 2.55 * nrows + 0.9), layout="constrained")
    axes = list(fig.subplots(nrows, ncols, squeeze=False).flat)
    for ax, name in zip(axes, others):
        values = diffs[diffs["scenario"] == name].set_index("region")["value"]
        draw_tile_map(ax, tiles, values, norm,
                      lambda _province, value: number(value, lang, decimals, signed=True))
        ax.set_title(name, fontsize=9, loc="left")
    for ax in axes[len(others):]:
        ax.axis("off")
    mappable = _scalar_mappable(norm)
    bar = fig.colorbar(mappable, ax=axes[:len(others)], orientation="horizontal", shrink=0.6,
                       aspect=35, pad=0.02)
    bar.set_label(o.change_label(lang), fontsize=7.5)
    bar.ax.tick_params(labelsize=7)
    title = tr("map_title", lang, outcome=o.name[lang], base=results.base, years=years_text(results, lang))
    return _finish(fig, title, caption_line(results, lang))


def draw_tile_map(ax, tiles: pd.DataFrame, values, norm, label, cmap=DIVERGING,
                  fontsize: float = 6.5) -> None:
    """Draw the province tiles on ``ax``: each coloured by ``cmap(norm(value))`` (grey when a
    province has no value) and labelled with its code and ``label(province, value)``.

    ``values`` maps province names to numbers (a Series or dict); the workshop dashboard
    draws its live map with this too.
    """
    ncol, nrow = tiles["col"].max() + 1, tiles["row"].max() + 1
    for tile in tiles.itertuples():
        value = values.get(tile.province, np.nan)
        color = cmap(norm(value)) if np.isfinite(value) else "#dddddd"
        ax.add_patch(Rectangle((tile.col, tile.row), 0.94, 0.94, facecolor=color,
                               edgecolor="white", linewidth=1))
        dark = np.isfinite(value) and abs(norm(value) - 0.5) > 0.3
        text = f"{tile.iso_code[3:]}\n{label(tile.province, value)}" if np.isfinite(value) else tile.iso_code[3:]
        ax.text(tile.col + 0.47, tile.row + 0.47, text, ha="center", va="center", fontsize=fontsize,
                color="white" if dark else "#222222")
    ax.set_xlim(-0.1, ncol + 0.05)
    ax.set_ylim(nrow + 0.05, -0.1)
    ax.set_aspect("equal")
    ax.axis("off")


def auto_decimals(magnitude: float, digits: int = 2) -> int:
    """Decimals that show ``digits`` significant digits of ``magnitude`` (at most 4)."""
    if not np.isfinite(magnitude) or magnitude <= 0:
        return 1
    return int(min(max(digits - 1 - np.floor(np.log10(magnitude)), 0), 4))


def _millions(eur: float, lang: str) -> str:
    """Whole millions with a thousands separator: 1,000 (en) or 1.000 (nl)."""
    text = f"{eur / 1e6:,.0f}"
    return text.replace(",", ".") if lang == "nl" else text


def _scalar_mappable(norm):
    from matplotlib.cm import ScalarMappable

    return ScalarMappable(norm=norm, cmap=DIVERGING)


def who_gains_figure(results: ScenarioResults, lang: str,
                     outcomes: tuple[str, ...] = GROUP_OUTCOMES) -> Figure:
    """Change against the base by education level and by income quintile (Matthew effect)."""
    if results.groups is None:
        raise ValueError("the results hold no outcomes per group")
    colors = scenario_colors(results)
    others = list(results.others)
    fig = Figure(figsize=(WIDTH, 2.3 * len(outcomes) + 0.8), layout="constrained")
    axes = fig.subplots(len(outcomes), 2, squeeze=False)
    edu_order = ["low", "middle", "high"]
    for r, outcome in enumerate(outcomes):
        o = OUTCOMES[outcome]
        for c, by in enumerate(("education", "income_quintile")):
            ax = axes[r, c]
            means = group_means(results.groups, by, [outcome])
            diffs = paired_differences(means, results.base, [outcome], by=[by])
            cats = edu_order if by == "education" else sorted(diffs[by].unique())
            width = 0.7 / max(len(others), 1)
            for i, name in enumerate(others):
                part = diffs[diffs["scenario"] == name].set_index(by)
                for j, cat in enumerate(cats):
                    if cat in part.index:
                        row = part.loc[cat]
                        x = j - 0.35 + width * (i + 0.5)
                        ax.errorbar(x, row["median"] * o.scale,
                                    yerr=[[max(row["median"] - row["low"], 0) * o.scale],
                                          [max(row["high"] - row["median"], 0) * o.scale]],
                                    fmt="o", color=colors[name], markersize=3.5, elinewidth=1.3,
                                    capsize=2, label=name if j == 0 else None)
            ax.axhline(0, color="#333333", linewidth=0.8)
            labels = [tr(f"edu_{cat}", lang) for cat in cats] if by == "education" else [str(q) for q in cats]
            ax.set_xticks(range(len(cats)), labels)
            style_axes(ax, _cap(o.name[lang]), xlabel=tr(by, lang),
                       ylabel=o.change_unit[lang])
    title = tr("groups_title", lang, base=results.base, years=years_text(results, lang))
    return _finish(fig, title, caption_line(results, lang), legend=axes[0, 0].get_legend_handles_labels())


def cost_effectiveness(results: ScenarioResults, outcomes: tuple[str, ...] = BRIEF_OUTCOMES
                       ) -> tuple[pd.DataFrame, list[str]]:
    """Paired differences per EUR 100 million of extra spending, and the scenarios skipped.

    Extra spending is ``investment_eur + market_subsidy_eur`` of the scenario minus that of
    the base; scenarios that spend nothing extra cannot be divided by it and are skipped.
    """
    base_spend = results.spending.get(results.base, 0.0)
    diffs = paired_differences(results.runs, results.base, outcomes)
    extra = {s: results.spending.get(s, 0.0) - base_spend for s in results.others}
    paying = [s for s in results.others if extra[s] > 0]
    skipped = [s for s in results.others if extra[s] <= 0]
    diffs = diffs[diffs["scenario"].isin(paying)].copy()
    units = diffs["scenario"].map(extra) / PER_EUR
    for col in ("median", "low", "high"):
        diffs[col] = diffs[col] / units
    diffs["spend_eur"] = diffs["scenario"].map(extra)
    return diffs.reset_index(drop=True), skipped


def cost_effectiveness_figure(results: ScenarioResults, lang: str,
                              outcomes: tuple[str, ...] = BRIEF_OUTCOMES) -> tuple[Figure, list[str]]:
    """Change per EUR 100 million per spending scenario; returns the figure and skipped names."""
    diffs, skipped = cost_effectiveness(results, outcomes)
    paying = list(dict.fromkeys(diffs["scenario"]))
    if not paying:
        raise ValueError("no scenario spends extra money")
    colors = scenario_colors(results)
    ncols = 3
    nrows = -(-len(outcomes) // ncols)
    fig = Figure(figsize=(WIDTH, (0.3 * len(paying) + 1.0) * nrows + 0.8), layout="constrained")
    axes = list(fig.subplots(nrows, ncols, squeeze=False).flat)
    for ax, outcome in zip(axes, outcomes):
        o = OUTCOMES[outcome]
        part = diffs[diffs["outcome"] == outcome].set_index("scenario")
        for i, name in enumerate(paying):
            row = part.loc[name]
            _dot_whisker(ax, i, row["median"] * o.scale, row["low"] * o.scale, row["high"] * o.scale,
                         colors[name])
        ax.axvline(0, color="#333333", linewidth=0.8)
        amounts = [tr("invested", lang, amount=_millions(results.spending[n], lang)) for n in paying]
        labels = [f"{n}\n({a})" for n, a in zip(paying, amounts)]
        ax.set_yticks(range(len(paying)), labels if ax.get_subplotspec().is_first_col() else [])
        ax.set_ylim(len(paying) - 0.5, -0.5)
        style_axes(ax, _cap(o.name[lang]), xlabel=tr("cost_axis", lang, unit=o.change_unit[lang]))
        _symmetric_margin(ax)
    for ax in axes[len(outcomes):]:
        ax.axis("off")
    note = (tr("cost_caption", lang, base=results.base, skipped=join_names(skipped, lang)) if skipped
            else tr("cost_caption_all", lang, base=results.base))
    if len(axes) > len(outcomes):
        axes[len(outcomes)].text(0, 0.5, _wrap(note, 30), fontsize=6.5, va="center", ha="left",
                                 transform=axes[len(outcomes)].transAxes)
    title = tr("cost_title", lang, years=years_text(results, lang))
    return _finish(fig, title, caption_line(results, lang)), skipped


#: Index columns recognised in an analysis CSV of :mod:`experiments.sweep.analysis`, per method.
SENSITIVITY_COLUMNS = {
    "Sobol": (("S1", "sobol_first"), ("ST", "sobol_total")),
    "Morris": (("mu_star", "morris_mu_star"),),
}


def sensitivity_figure(table: pd.DataFrame, lang: str, outcome: str, source: str = "") -> Figure:
    """Horizontal bars of Sobol (S1, ST) or Morris (mu*) indices with their intervals.

    ``table`` is ``sobol.csv`` or ``morris.csv`` written by ``samen analyze``: columns
    ``outcome``, ``parameter``, and per index ``X``, ``X_low``, ``X_high`` (95% bootstrap
    interval; a SALib-style ``X_conf`` half-width is accepted too).
    """
    frame = table.copy()
    if "outcome" in frame.columns:
        frame = frame[frame["outcome"] == outcome]
    method = next((m for m, cols in SENSITIVITY_COLUMNS.items() if cols[0][0] in frame.columns), None)
    if method is None or frame.empty:
        raise ValueError(f"the table has no Sobol (S1, ST) or Morris (mu_star) rows for {outcome!r}")
    cols = [c for c in SENSITIVITY_COLUMNS[method] if c[0] in frame.columns]
    frame = frame.sort_values(cols[-1][0], ascending=True)
    n = len(frame)
    fig = Figure(figsize=(WIDTH * 0.8, 0.3 * n * len(cols) + 1.5), layout="constrained")
    ax = fig.subplots()
    height = 0.8 / len(cols)
    y = np.arange(n)
    for i, (col, key) in enumerate(cols):
        value = frame[col].to_numpy(dtype=float)
        if f"{col}_low" in frame.columns:
            err = np.vstack([value - frame[f"{col}_low"].to_numpy(dtype=float),
                             frame[f"{col}_high"].to_numpy(dtype=float) - value]).clip(min=0)
        elif f"{col}_conf" in frame.columns:
            err = frame[f"{col}_conf"].to_numpy(dtype=float)
        else:
            err = None
        ax.barh(y - 0.4 + height * (i + 0.5), value, height=height * 0.9, xerr=err,
                color=SCENARIO_COLORS[i], ecolor="#333333", capsize=2, label=tr(key, lang))
    ax.set_yticks(y, frame["parameter"].astype(str))
    ax.axvline(0, color="#333333", linewidth=0.8)
    xlabel = tr("index_axis", lang) if method == "Sobol" else tr("morris_mu_star", lang)
    o = OUTCOMES.get(outcome)
    name = o.name[lang] if o else outcome
    style_axes(ax, "", xlabel=xlabel, ylabel=tr("parameter", lang))
    ax.legend(fontsize=7, frameon=False, loc="lower right")
    caption = tr("sensitivity_caption", lang, path=source) if source else ""
    return _finish(fig, tr("sensitivity_title", lang, outcome=name, method=method), caption)
