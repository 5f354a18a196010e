"""Charts of a scenarios sweep for policy readers, in Dutch or English.

Every chart takes a :class:`~experiments.brief.data.ScenarioResults` (saved results, never
a model run) and a language, and returns a matplotlib ``Figure`` with a title, axis
labels with units and a caption line naming the scenarios, replications and master seed.
Colours, the province tile map and :func:`~experiments.charts.save_figure` (PNG at 200 dpi
and SVG) come from :mod:`experiments.charts`, shared with the workshop dashboard. All words
come from :mod:`experiments.i18n`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import CenteredNorm
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..charts import (
    BASE_COLOR,
    DIVERGING,
    SCENARIO_COLORS,
    auto_decimals,
    capitalise,
    dot_whisker,
    draw_tile_map,
    ensure_span,
    include_zero,
    localise_axes,
    province_tiles,
    style_axes,
    wrap,
)
from ..i18n import (
    BRIEF_OUTCOMES,
    GROUP_OUTCOMES,
    MISSION_OUTCOMES,
    OUTCOMES,
    assumption_group,
    join_names,
    number,
    quantity,
    tr,
    whole_number,
)
from .data import ScenarioResults, clear_effect, group_means, interval, paired_differences, time_bands

#: Page-friendly figure width (inches): fits an A4 page with 2 cm margins at full size.
WIDTH = 7.2
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
    return tr("caption", lang, scenarios=join_names(results.titled(results.scenarios, lang), lang),
              replications=quantity(results.replications, "replication", lang), seed=results.seed)


def wrapped_titles(results: ScenarioResults, scenarios, lang: str, width: int = 18) -> list[str]:
    """Display names broken into lines of at most ``width`` characters, for tick labels."""
    return [wrap(t, width) for t in results.titled(scenarios, lang)]


def years_text(results: ScenarioResults, lang: str) -> str:
    """The horizon with its unit: "1 year", "10 years", "2,5 jaar"."""
    return quantity(results.years, "year", lang)


def _finish(fig: Figure, title: str, caption: str, lang: str, legend: tuple | None = None) -> Figure:
    """Title on top, caption line at the bottom, the panels in between; ``legend``
    (handles, labels) goes in one row between the panels and the caption; every number on an
    axis with the language's decimal mark."""
    localise_axes(fig, lang)
    height = fig.get_figheight()
    bottom = (0.32 + (0.3 if legend else 0.0)) / height
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))
    if legend:
        fig.legend(*legend, loc="lower center", bbox_to_anchor=(0.5, 0.34 / height),
                   ncols=len(legend[0]), fontsize=7.5, frameon=False)
    fig.suptitle(wrap(title, int(fig.get_figwidth() * 12.5)), fontsize=10, x=0.01, ha="left", fontweight="bold")
    fig.text(0.01, 0.12 / height, caption, fontsize=6.5, color="#444444", ha="left", va="bottom")
    return fig


def _scale(outcome: str) -> float:
    return OUTCOMES[outcome].scale


def over_time_figure(results: ScenarioResults, lang: str,
                     outcomes: tuple[str, ...] = BRIEF_OUTCOMES) -> Figure:
    """Median line and 90% band over replications per scenario, one panel per outcome."""
    if results.series is None:
        raise ValueError("the results hold no time series")
    outcomes = results.outcomes(outcomes, "series")
    bands = time_bands(results.series, outcomes)
    colors = scenario_colors(results)
    ncols = 3
    nrows = -(-(len(outcomes) + 1) // ncols)
    fig = Figure(figsize=(WIDTH, 1.95 * nrows + 0.7), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).flat
    xcol = "year" if "year" in bands.columns else "step"
    for ax, outcome in zip(axes, outcomes, strict=False):
        k = _scale(outcome)
        for name in results.scenarios:
            part = bands[bands["scenario"] == name]
            ax.fill_between(part[xcol], part[f"{outcome}_low"] * k, part[f"{outcome}_high"] * k,
                            color=colors[name], alpha=0.18, linewidth=0)
            ax.plot(part[xcol], part[f"{outcome}_median"] * k, color=colors[name], linewidth=1.5,
                    label=results.title(name, lang))
        style_axes(ax, capitalise(OUTCOMES[outcome].label(lang)), xlabel=tr(xcol, lang))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
        ensure_span(ax, OUTCOMES[outcome].min_span)
    rest = list(fig.axes)[len(outcomes):]
    for ax in rest:
        ax.axis("off")
    handles, labels = fig.axes[0].get_legend_handles_labels()
    target = rest[0] if rest else fig.axes[0]
    target.legend(handles, labels, loc="center", fontsize=8, frameon=False,
                  title=tr("over_time_caption", lang), title_fontsize=6.5)
    return _finish(fig, tr("over_time_title", lang), caption_line(results, lang), lang)


def _dot_whisker(ax, y, median, low, high, color) -> None:
    dot_whisker(ax, y, median, low, high, color, markersize=4.5, elinewidth=1.6, capsize=2.5)


def seed_noise(results: ScenarioResults, outcomes) -> dict[str, tuple[float, float]]:
    """Per outcome, the base scenario's own seed-to-seed spread at the end: its 5th and 95th
    percentile over replications minus its median. A difference inside this band is no
    larger than what changing the seed alone does to the base."""
    base = results.runs[results.runs["scenario"] == results.base]
    spread = {}
    for o in outcomes:
        median, low, high = interval(base[o])
        spread[o] = (low - median, high - median)
    return spread


def difference_figure(results: ScenarioResults, lang: str,
                      outcomes: tuple[str, ...] = BRIEF_OUTCOMES) -> Figure:
    """Dot-and-whisker: median paired difference to the base with its 90% interval."""
    outcomes = results.outcomes(outcomes)
    diffs = paired_differences(results.runs, results.base, outcomes)
    colors = scenario_colors(results)
    others = list(results.others)
    ncols = 3
    nrows = -(-len(outcomes) // ncols)
    fig = Figure(figsize=(WIDTH, (0.35 * len(others) + 1.2) * nrows + 0.7), layout="constrained")
    axes = list(fig.subplots(nrows, ncols, squeeze=False).flat)
    noise = seed_noise(results, outcomes)
    for ax, outcome in zip(axes, outcomes, strict=False):
        k = _scale(outcome)
        part = diffs[diffs["outcome"] == outcome].set_index("scenario")
        low, high = noise[outcome]
        ax.axvspan(low * k, high * k, color=BASE_COLOR, alpha=0.14, linewidth=0, zorder=0)
        for i, name in enumerate(others):
            if name in part.index:
                row = part.loc[name]
                _dot_whisker(ax, i, row["median"] * k, row["low"] * k, row["high"] * k, colors[name])
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_yticks(range(len(others)), wrapped_titles(results, others, lang)
                      if ax.get_subplotspec().is_first_col() else [])
        ax.set_ylim(len(others) - 0.5, -0.5)
        o = OUTCOMES[outcome]
        style_axes(ax, capitalise(o.name[lang]), xlabel=o.change_unit[lang])
        include_zero(ax)
        ensure_span(ax, o.change_span, "x")
    for ax in axes[len(outcomes):]:
        ax.axis("off")
    if len(axes) > len(outcomes):
        axes[len(outcomes)].text(0, 0.5, wrap(tr("difference_caption", lang, base=results.title(results.base, lang)),
                                              30), fontsize=6.5,
                                 va="center", ha="left", transform=axes[len(outcomes)].transAxes)
    title = tr("difference_title", lang, base=results.title(results.base, lang), years=years_text(results, lang))
    return _finish(fig, title, caption_line(results, lang), lang)


def province_map_figure(results: ScenarioResults, lang: str, outcome: str = "trust_government") -> Figure:
    """Tile map per non-base scenario, coloured by the median change per province."""
    if results.regions is None:
        raise ValueError("the results hold no outcomes per province")
    o = OUTCOMES[outcome]
    diffs = paired_differences(results.regions, results.base, [outcome], by=["region"])
    for column in ("median", "low", "high"):
        diffs[column] = diffs[column] * o.scale
    diffs["value"] = diffs["median"]
    tiles = province_tiles()
    others = list(results.others)
    limit = float(np.nanmax(np.abs(diffs["value"]))) if len(diffs) else 1.0
    decimals = max(o.decimals, auto_decimals(limit))
    norm = CenteredNorm(vcenter=0.0, halfrange=limit if limit > 0 else 1.0)
    ncols = min(len(others), 3)
    nrows = -(-len(others) // ncols)
    fig = Figure(figsize=(WIDTH, 2.55 * nrows + 0.9), layout="constrained")
    axes = list(fig.subplots(nrows, ncols, squeeze=False).flat)
    for ax, name in zip(axes, others, strict=False):
        part = diffs[diffs["scenario"] == name].set_index("region")
        unclear = {p: not clear_effect(r.low, r.high) for p, r in part.iterrows()}

        def interval_text(province, _value, part=part):
            low, high = (number(part.loc[province, k], lang, decimals, signed=True).lstrip("+")
                         for k in ("low", "high"))
            return f"{low}\u2026{high}"

        draw_tile_map(ax, tiles, part["value"], norm, lambda _p, value: number(value, lang, decimals, signed=True),
                      fontsize=5.4, unclear=unclear, note=interval_text)
        ax.set_title(results.title(name, lang), fontsize=9, loc="left")
    for ax in axes[len(others):]:
        ax.axis("off")
    mappable = _scalar_mappable(norm)
    bar = fig.colorbar(mappable, ax=axes[:len(others)], orientation="horizontal", shrink=0.6,
                       aspect=35, pad=0.02)
    bar.set_label(o.change_label(lang), fontsize=7.5)
    bar.ax.tick_params(labelsize=7)
    title = tr("map_title", lang, outcome=o.name[lang], base=results.title(results.base, lang),
               years=years_text(results, lang))
    return _finish(fig, title, caption_line(results, lang), lang)


def _millions(eur: float, lang: str) -> str:
    """Whole millions with a thousands separator: 1,000 (en) or 1.000 (nl)."""
    return whole_number(eur / 1e6, lang)


def _scalar_mappable(norm):
    from matplotlib.cm import ScalarMappable

    return ScalarMappable(norm=norm, cmap=DIVERGING)


def who_gains_figure(results: ScenarioResults, lang: str,
                     outcomes: tuple[str, ...] = GROUP_OUTCOMES) -> Figure:
    """Change against the base by education level and by income quintile (Matthew effect)."""
    if results.groups is None:
        raise ValueError("the results hold no outcomes per group")
    outcomes = results.outcomes(outcomes, "groups")
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
                                    capsize=2, label=results.title(name, lang) if j == 0 else None)
            ax.axhline(0, color="#333333", linewidth=0.8)
            labels = [tr(f"edu_{cat}", lang) for cat in cats] if by == "education" else [str(q) for q in cats]
            ax.set_xticks(range(len(cats)), labels)
            style_axes(ax, capitalise(o.name[lang]), xlabel=tr(by, lang),
                       ylabel=o.change_unit[lang])
            ensure_span(ax, o.change_span)
    title = tr("groups_title", lang, base=results.title(results.base, lang), years=years_text(results, lang))
    return _finish(fig, title, caption_line(results, lang), lang, legend=axes[0, 0].get_legend_handles_labels())


def cost_effectiveness(results: ScenarioResults, outcomes: tuple[str, ...] = BRIEF_OUTCOMES
                       ) -> tuple[pd.DataFrame, list[str]]:
    """Paired differences per EUR 100 million of extra spending, and the scenarios skipped.

    Extra spending is ``investment_eur + market_subsidy_eur`` of the scenario minus that of
    the base; scenarios that spend nothing extra cannot be divided by it and are skipped.
    """
    base_spend = results.spending.get(results.base, 0.0)
    outcomes = results.outcomes(outcomes)
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


def cost_caption(results: ScenarioResults, skipped: list[str], lang: str) -> str:
    """What the cost-effectiveness chart compares, naming the spending scenarios it leaves out."""
    base = results.title(results.base, lang)
    if skipped:
        return tr("cost_caption", lang, base=base, skipped=join_names(results.titled(skipped, lang), lang))
    return tr("cost_caption_all", lang, base=base)


def cost_effectiveness_figure(results: ScenarioResults, lang: str,
                              outcomes: tuple[str, ...] = BRIEF_OUTCOMES) -> tuple[Figure, list[str]]:
    """Change per EUR 100 million per spending scenario; returns the figure and skipped names."""
    diffs, skipped = cost_effectiveness(results, outcomes)
    outcomes = results.outcomes(outcomes)
    paying = list(dict.fromkeys(diffs["scenario"]))
    if not paying:
        raise ValueError("no scenario spends extra money")
    colors = scenario_colors(results)
    ncols = 3
    nrows = -(-len(outcomes) // ncols)
    fig = Figure(figsize=(WIDTH, (0.3 * len(paying) + 1.0) * nrows + 0.8), layout="constrained")
    axes = list(fig.subplots(nrows, ncols, squeeze=False).flat)
    for ax, outcome in zip(axes, outcomes, strict=False):
        o = OUTCOMES[outcome]
        part = diffs[diffs["outcome"] == outcome].set_index("scenario")
        for i, name in enumerate(paying):
            row = part.loc[name]
            _dot_whisker(ax, i, row["median"] * o.scale, row["low"] * o.scale, row["high"] * o.scale,
                         colors[name])
        ax.axvline(0, color="#333333", linewidth=0.8)
        amounts = [tr("invested", lang, amount=_millions(results.spending[n], lang)) for n in paying]
        labels = [f"{t}\n({a})" for t, a in zip(wrapped_titles(results, paying, lang), amounts, strict=True)]
        ax.set_yticks(range(len(paying)), labels if ax.get_subplotspec().is_first_col() else [])
        ax.set_ylim(len(paying) - 0.5, -0.5)
        style_axes(ax, capitalise(o.name[lang]), xlabel=tr("cost_axis", lang, unit=o.change_unit[lang]))
        include_zero(ax)
    for ax in axes[len(outcomes):]:
        ax.axis("off")
    note = cost_caption(results, skipped, lang)
    if len(axes) > len(outcomes):
        axes[len(outcomes)].text(0, 0.5, wrap(note, 30), fontsize=6.5, va="center", ha="left",
                                 transform=axes[len(outcomes)].transAxes)
    title = tr("cost_title", lang, years=years_text(results, lang))
    return _finish(fig, title, caption_line(results, lang), lang), skipped


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
    return _finish(fig, tr("sensitivity_title", lang, outcome=name, method=method), caption, lang)


def group_order(sobol: pd.DataFrame, outcomes) -> list[str]:
    """The groups of a grouped Sobol table by their total index averaged over ``outcomes``,
    largest first: the order of the brief's chart and of its "matters most" sentence."""
    part = sobol[sobol["outcome"].isin(list(outcomes))]
    return list(part.groupby("group", sort=False)["ST"].mean().sort_values(ascending=False, kind="stable").index)


def assumption_groups_figure(sobol: pd.DataFrame, lang: str, base: str, source: str = "",
                             outcomes: tuple[str, ...] = MISSION_OUTCOMES) -> Figure:
    """Per mission outcome, the total Sobol index (bar with 95% whisker) and the first-order
    index (dot) of each group of assumptions for the paired difference from ``base``; the
    groups share one order (largest mean ST on top), so only the first column names them."""
    outcomes = tuple(o for o in outcomes if o in set(sobol["outcome"]))
    if not outcomes:
        raise ValueError("the Sobol table has no rows for the mission outcomes")
    groups = group_order(sobol, outcomes)
    ncols = min(len(outcomes), 3)
    nrows = -(-len(outcomes) // ncols)
    fig = Figure(figsize=(WIDTH, (0.16 * len(groups) + 0.75) * nrows + 0.9), layout="constrained")
    axes = list(fig.subplots(nrows, ncols, squeeze=False, sharex=True).flat)
    y = np.arange(len(groups))
    for ax, outcome in zip(axes, outcomes, strict=False):
        part = sobol[sobol["outcome"] == outcome].set_index("group").reindex(groups)
        ax.barh(y, part["ST"], xerr=part["ST_conf"], height=0.7, color=SCENARIO_COLORS[1], ecolor="#333333",
                capsize=1.5, error_kw={"elinewidth": 0.7}, label=tr("sobol_total", lang))
        ax.plot(part["S1"], y, "o", color=SCENARIO_COLORS[0], markersize=3, label=tr("sobol_first", lang))
        ax.set_yticks(y, [assumption_group(g, lang) for g in groups] if ax.get_subplotspec().is_first_col() else [],
                      fontsize=6.5)
        ax.set_ylim(len(groups) - 0.5, -0.5)
        ax.axvline(0, color="#333333", linewidth=0.8)
        first_of_last_row = ax.get_subplotspec().is_last_row() and ax.get_subplotspec().is_first_col()
        style_axes(ax, wrap(capitalise(OUTCOMES[outcome].name[lang]), 26),
                   xlabel=tr("index_axis", lang) if first_of_last_row else "")
    for ax in axes[len(outcomes):]:
        ax.axis("off")
    legend = axes[0].get_legend_handles_labels()
    caption = tr("sensitivity_caption", lang, path=source) if source else ""
    return _finish(fig, tr("sensitivity_chart_title", lang, base=base), caption, lang, legend=legend)
