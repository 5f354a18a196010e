"""What the brief says, in order: a list of :class:`Block` built from saved results.

Headings, paragraphs, the findings table and one sentence per finding, figures with
captions, "How sure are we?" (when a grouped Sobol analysis is given), the method box and
the assumptions. Every sentence comes from
:mod:`experiments.i18n`, every number from the saved results; :mod:`.html` and :mod:`.pdf`
render the same blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from ..charts import auto_decimals, capitalise
from ..i18n import (
    BRIEF_OUTCOMES,
    MISSION_OUTCOMES,
    OUTCOMES,
    assumption_group,
    join_names,
    number,
    quantity,
    tr,
    whole_number,
)
from ..sweep.analysis import MIN_REPLICATIONS
from . import charts as cb
from .assumptions import load_assumptions
from .data import ScenarioResults, clear_effect
from .sensitivity import Sensitivity

#: Charts kept shorter in the PDF (inches) because the method box and the assumptions follow
#: them on the last page.
SHORT_FIGURES = {"cost_effectiveness": 2.8}
#: The stem of the "How sure are we?" chart: drawn in its own section, not with the other charts.
SENSITIVITY_STEM = "sensitivity"
#: The scenarios the grouped Sobol analysis compares: the policy and the base it is paired with.
SENSITIVITY_PAIR = ("manifesto", "baseline")
#: Groups named per outcome and overall: those with the largest total Sobol index.
TOP_GROUPS = 2


@dataclass
class Block:
    """One piece of the brief: kind is h1, meta, h2, p, note, table, bullets, assumptions,
    figure or box."""

    kind: str
    text: str = ""
    items: list[str] = field(default_factory=list)
    table: dict[str, Any] | None = None
    image: Path | None = None
    max_height: float | None = None  # inches in the PDF, for a chart that shares a page with text
    short: list[str] = field(default_factory=list)  # the PDF's shorter items (assumptions)



def outcome_decimals(results: ScenarioResults, outcome: str) -> int:
    """Decimals for an outcome's differences: its own, or more when the effects are tiny."""
    table = findings_frame(results)
    part = table[table["outcome"] == outcome][["median", "low", "high"]].abs()
    largest = float(part.max().max()) if len(part) else 0.0
    return max(OUTCOMES[outcome].decimals, auto_decimals(largest))


def findings_frame(results: ScenarioResults, outcomes: tuple[str, ...] = BRIEF_OUTCOMES) -> pd.DataFrame:
    """Per non-base scenario and outcome: median paired difference and 90% interval, scaled
    to the shown unit (from the sweep engine's compare table), and whether it is clear."""
    comp = results.compare
    rows = []
    for scenario in results.others:
        for outcome in outcomes:
            hit = comp[(comp["scenario"] == scenario) & (comp["outcome"] == outcome)]
            if hit.empty:
                continue
            k = OUTCOMES[outcome].scale
            row = hit.iloc[0]
            low, high = float(row["diff_p05"]) * k, float(row["diff_p95"]) * k
            rows.append({"scenario": scenario, "outcome": outcome, "median": float(row["diff_median"]) * k,
                         "low": low, "high": high, "clear": clear_effect(low, high)})
    return pd.DataFrame(rows, columns=["scenario", "outcome", "median", "low", "high", "clear"])


def finding_sentence(results: ScenarioResults, row: pd.Series | dict, lang: str, decimals: int) -> str:
    """One sentence for one (scenario, outcome): higher, lower, or no clear effect."""
    o = OUTCOMES[row["outcome"]]
    fields = dict(scenario=results.quoted(row["scenario"], lang), base=results.quoted(results.base, lang),
                  outcome=o.name[lang],
                  unit=o.change_unit[lang], years=cb.years_text(results, lang),
                  low=number(row["low"], lang, decimals, signed=True),
                  high=number(row["high"], lang, decimals, signed=True))
    if not row["clear"]:
        return tr("finding_none", lang, value=number(row["median"], lang, decimals, signed=True), **fields)
    key = "finding_up" if row["median"] > 0 else "finding_down"
    return tr(key, lang, value=number(abs(row["median"]), lang, decimals), **fields)


def findings_table(results: ScenarioResults, lang: str) -> dict[str, Any]:
    """The key-findings table: header, rows of cells, and which cells show no clear effect."""
    frame = findings_frame(results)
    header = [tr("table_outcome", lang), *results.titled(results.others, lang)]
    rows, unclear = [], []
    for outcome in BRIEF_OUTCOMES:
        part = frame[frame["outcome"] == outcome].set_index("scenario")
        if part.empty:
            continue
        o = OUTCOMES[outcome]
        d = outcome_decimals(results, outcome)
        cells, flags = [f"{o.name[lang]} ({o.change_unit[lang]})"], [False]
        for scenario in results.others:
            if scenario not in part.index:
                cells.append("")
                flags.append(False)
                continue
            r = part.loc[scenario]
            cells.append(f"{number(r['median'], lang, d, signed=True)}\n"
                         f"[{number(r['low'], lang, d, signed=True)}; {number(r['high'], lang, d, signed=True)}]")
            flags.append(not r["clear"])
        rows.append(cells)
        unclear.append(flags)
    return {"header": header, "rows": rows, "unclear": unclear}


def _parameters_text(values: dict[str, Any], lang: str) -> str:
    """``name = value`` per parameter (the names are what ``--set`` takes), values in the
    language's notation: 1.000.000.000 and 0,8 in Dutch."""
    if not values:
        return tr("method_none", lang)
    return ", ".join(f"{k} = {_value_text(v, lang)}" for k, v in values.items())


def _value_text(value: Any, lang: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if float(value).is_integer():
        return whole_number(value, lang)
    return number(value, lang, decimals=max(auto_decimals(abs(value), 3), 1)).rstrip("0")


def method_lines(results: ScenarioResults, lang: str, sensitivity: Sensitivity | None = None) -> list[str]:
    """The "how this was computed" box: version, commit, runs, seeds, scenario parameters, and
    where the "How sure are we?" analysis was read (its source, like the sweep's)."""
    m = results.manifest
    git = m.get("git") or {}
    commit = (git.get("commit") or "?")[:12]
    if git.get("dirty"):
        commit += " (+ " + tr("uncommitted", lang) + ")"
    seeds = results.seeds
    shown = ", ".join(str(s) for s in seeds[:3]) + (f", ... ({len(seeds)})" if len(seeds) > 3 else "")
    lines = [
        tr("method_model", lang, version=m.get("samen_version") or "?", commit=commit),
        tr("method_runs", lang, n_scenarios=quantity(len(results.scenarios), "scenario", lang),
           replications=quantity(results.replications, "replication", lang),
           steps=quantity(results.steps, "quarter", lang), years=cb.years_text(results, lang), seed=results.seed),
        tr("method_seeds", lang, seeds=shown),
    ]
    for name in results.scenarios:
        lines.append(tr("method_scenario", lang, name=f"{results.title(name, lang)} ({name})",
                        description=results.descriptions.get(name, {}).get(lang, ""),
                        parameters=_parameters_text(results.overrides.get(name, {}), lang)))
    lines.append(tr("method_common", lang, parameters=_parameters_text(results.common, lang)))
    lines.append(tr("method_source", lang, path=str(results.path)))
    if sensitivity is not None:
        lines.append(tr("method_sensitivity", lang, path=str(sensitivity.path), samples=sensitivity.samples))
    return lines


def _pair_names(results: ScenarioResults, lang: str) -> dict[str, str]:
    """The quoted names of the analysed policy and its base, as the brief names them."""
    policy, base = SENSITIVITY_PAIR
    return {"policy": results.quoted(policy, lang), "base": results.quoted(base, lang)}


def top_groups(sobol: pd.DataFrame, outcome: str, lang: str, n: int = TOP_GROUPS) -> str:
    """The ``n`` groups with the largest total index for ``outcome``, named in ``lang``."""
    return join_names([assumption_group(g, lang) for g in cb.group_order(sobol, [outcome])[:n]], lang)


def sensitivity_sentences(sensitivity: Sensitivity, results: ScenarioResults, lang: str) -> list[str]:
    """Per mission outcome in the analysis: in what share of the design the policy's difference
    keeps the direction of its median, and the groups it depends on most."""
    names = _pair_names(results, lang)
    diff = sensitivity.difference.set_index("outcome")
    sentences = []
    for outcome in MISSION_OUTCOMES:
        if outcome not in diff.index:
            continue
        row = diff.loc[outcome]
        label = capitalise(OUTCOMES[outcome].name[lang])
        if bool(row["constant"]):
            sentences.append(tr("sensitivity_constant", lang, outcome=label, base=names["base"]))
            continue
        if outcome not in set(sensitivity.sobol["outcome"]):
            continue
        up = row["difference_median"] > 0 or (row["difference_median"] == 0
                                                and row["share_positive"] >= row["share_negative"])
        share = row["share_positive"] if up else row["share_negative"]
        sentences.append(tr("sensitivity_outcome", lang, outcome=label, base=names["base"],
                            direction=tr("sensitivity_higher" if up else "sensitivity_lower", lang),
                            share=number(100 * share, lang, 0),
                            groups=top_groups(sensitivity.sobol, outcome, lang)))
    return sentences


def most_sentence(sensitivity: Sensitivity, lang: str) -> str:
    """"Which assumptions matter most: ..." over the mission outcomes (mean total index)."""
    groups = cb.group_order(sensitivity.sobol, MISSION_OUTCOMES)[:TOP_GROUPS]
    return tr("sensitivity_most", lang, groups=join_names([assumption_group(g, lang) for g in groups], lang))


def sensitivity_blocks(sensitivity: Sensitivity | None, results: ScenarioResults, lang: str,
                       image: Path | str | None, caption: str) -> list[Block]:
    """"How sure are we?": intro, one sentence per mission outcome, the groups that matter most
    and the chart; without an analysis, one note saying how to add it."""
    if sensitivity is None:
        return [Block("note", tr("sensitivity_missing", lang))]
    blocks = [
        Block("h2", tr("sensitivity_heading", lang)),
        Block("p", tr("sensitivity_intro", lang, groups=sensitivity.sobol["group"].nunique(),
                      samples=whole_number(sensitivity.samples, lang), **_pair_names(results, lang))),
        Block("bullets", items=sensitivity_sentences(sensitivity, results, lang)),
        Block("p", most_sentence(sensitivity, lang)),
    ]
    if isinstance(image, Path):
        blocks.append(Block("figure", caption, image=image))
    elif image:
        blocks.append(Block("note", tr("skipped_chart", lang, reason=image)))
    return blocks


def figure_specs(results: ScenarioResults, lang: str,
                 sensitivity: Sensitivity | None = None) -> list[tuple[str, Any, str]]:
    """(stem, figure or skip reason, caption) for every chart the results (and the grouped
    Sobol analysis, when given) allow."""
    base = results.base
    specs: list[tuple[str, Any, str]] = []
    if results.series is not None:
        specs.append(("over_time", cb.over_time_figure(results, lang), tr("over_time_caption", lang)))
    else:
        specs.append(("over_time", tr("missing_series", lang), ""))
    specs.append(("difference", cb.difference_figure(results, lang),
                  tr("difference_caption", lang, base=results.title(base, lang))))
    if results.regions is not None:
        o = OUTCOMES["trust_government"]
        specs.append(("provinces", cb.province_map_figure(results, lang, "trust_government"),
                      tr("map_caption", lang, unit=o.change_unit[lang], base=results.title(base, lang))))
    else:
        specs.append(("provinces", tr("missing_regions", lang), ""))
    if results.groups is not None:
        specs.append(("who_gains", cb.who_gains_figure(results, lang), tr("groups_caption", lang)))
    else:
        specs.append(("who_gains", tr("missing_groups", lang), ""))
    try:
        fig, skipped = cb.cost_effectiveness_figure(results, lang)
    except ValueError:
        specs.append(("cost_effectiveness", tr("missing_investment", lang), ""))
    else:
        specs.append(("cost_effectiveness", fig, cb.cost_caption(results, skipped, lang)))
    if sensitivity is not None:
        specs.append(_sensitivity_spec(sensitivity, results, lang))
    return specs


def _sensitivity_spec(sensitivity: Sensitivity, results: ScenarioResults, lang: str) -> tuple[str, Any, str]:
    """The "How sure are we?" chart, or why it cannot be drawn (no mission outcome varies)."""
    try:
        fig = cb.assumption_groups_figure(sensitivity.sobol, lang, _pair_names(results, lang)["base"],
                                          source=str(sensitivity.path / "sobol.csv"))
    except ValueError:
        return SENSITIVITY_STEM, tr("sensitivity_no_chart", lang), ""
    return SENSITIVITY_STEM, fig, tr("sensitivity_chart_caption", lang)


def build_blocks(results: ScenarioResults, lang: str, figures: dict[str, Path | str],
                 captions: dict[str, str], today: date | None = None,
                 sensitivity: Sensitivity | None = None) -> list[Block]:
    """The brief's content in order; ``figures`` maps a chart stem to its PNG or a skip reason
    (:data:`SENSITIVITY_STEM` goes in "How sure are we?", after the other charts)."""
    today = today or date.today()
    years = cb.years_text(results, lang)
    version = results.manifest.get("samen_version") or "?"
    blocks = [
        Block("h1", tr("brief_title", lang)),
        Block("meta", tr("date_line", lang, date=today.isoformat(), version=version)),
        Block("h2", tr("question_heading", lang)),
        Block("p", tr("question", lang, years=years,
                      scenarios=join_names([results.quoted(s, lang) for s in results.others], lang),
                      base=results.quoted(results.base, lang), replications=results.replications)),
        Block("h2", tr("findings_heading", lang)),
        Block("p", tr("findings_intro", lang, base=results.quoted(results.base, lang), years=years,
                      replications=quantity(results.replications, "replication", lang))
              + (" " + tr("few_replications", lang, replications=quantity(results.replications, "replication", lang))
                 if results.replications < MIN_REPLICATIONS else "")),
        Block("table", table=findings_table(results, lang)),
    ]
    frame = findings_frame(results)
    decimals = {o: outcome_decimals(results, o) for o in set(frame["outcome"])}
    sentences = [finding_sentence(results, row, lang, decimals[row["outcome"]])
                 for _, row in frame.iterrows()]
    blocks.append(Block("note", tr("table_legend", lang)))
    blocks.append(Block("bullets", items=sentences))
    blocks.append(Block("h2", tr("charts_heading", lang)))
    for stem, target in figures.items():
        if stem == SENSITIVITY_STEM:
            continue
        if isinstance(target, Path):
            blocks.append(Block("figure", captions.get(stem, ""), image=target,
                                max_height=SHORT_FIGURES.get(stem)))
        else:
            blocks.append(Block("note", tr("skipped_chart", lang, reason=target)))
    blocks += sensitivity_blocks(sensitivity, results, lang, figures.get(SENSITIVITY_STEM),
                                 captions.get(SENSITIVITY_STEM, ""))
    blocks.append(Block("box", tr("method_heading", lang), items=method_lines(results, lang, sensitivity)))
    assumptions = load_assumptions()
    blocks.append(Block("h2", tr("limits_heading", lang)))
    blocks.append(Block("assumptions", tr("limits_source", lang),
                        items=[f"{a.lead[lang]} {a.text[lang]}" for a in assumptions],
                        short=[a.lead[lang] for a in assumptions]))
    return blocks
