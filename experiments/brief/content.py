"""What the brief says, in order: a list of :class:`Block` built from saved results.

Headings, paragraphs, the findings table and one sentence per finding, figures with
captions, the method box and the assumptions. Every sentence comes from
:mod:`experiments.i18n`, every number from the saved results; :mod:`.html` and :mod:`.pdf`
render the same blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from ..charts import auto_decimals
from ..i18n import BRIEF_OUTCOMES, OUTCOMES, join_names, number, quantity, tr, whole_number
from ..sweep.analysis import MIN_REPLICATIONS
from . import charts as cb
from .assumptions import load_assumptions
from .data import ScenarioResults, clear_effect

#: Charts kept shorter in the PDF (inches) because the method box and the assumptions follow
#: them on the last page.
SHORT_FIGURES = {"cost_effectiveness": 2.8}


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


def method_lines(results: ScenarioResults, lang: str) -> list[str]:
    """The "how this was computed" box: version, commit, runs, seeds, scenario parameters."""
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
    return lines


def figure_specs(results: ScenarioResults, lang: str) -> list[tuple[str, Any, str]]:
    """(stem, figure or skip reason, caption) for every chart the results allow."""
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
    return specs


def build_blocks(results: ScenarioResults, lang: str, figures: dict[str, Path | str],
                 captions: dict[str, str], today: date | None = None) -> list[Block]:
    """The brief's content in order; ``figures`` maps a chart stem to its PNG or a skip reason."""
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
        if isinstance(target, Path):
            blocks.append(Block("figure", captions.get(stem, ""), image=target,
                                max_height=SHORT_FIGURES.get(stem)))
        else:
            blocks.append(Block("note", tr("skipped_chart", lang, reason=target)))
    blocks.append(Block("box", tr("method_heading", lang), items=method_lines(results, lang)))
    assumptions = load_assumptions()
    blocks.append(Block("h2", tr("limits_heading", lang)))
    blocks.append(Block("assumptions", tr("limits_source", lang),
                        items=[f"{a.lead[lang]} {a.text[lang]}" for a in assumptions],
                        short=[a.lead[lang] for a in assumptions]))
    return blocks
