"""Reading a ``scenarios`` sweep for charts and the brief, and the statistics they show.

The sweep engine (:mod:`experiments.sweep`) stores, with ``keep_series = true``, every
run's tables: the national series, the provinces and the groups (``series/``,
``regions/``, ``groups/`` in the sweep folder). :func:`load_scenario_sweep` reads them
back by column name, so tables with extra columns (or extra grouping columns, such as a
locality kind) load unchanged. A sweep without them still loads: the charts that need them
are then left out, with a note saying how to keep them.

All differences to the base scenario are paired by replication: the scenarios design
gives replication r of every scenario the same seed (common random numbers), so
``value[scenario, r] - value[base, r]`` removes the noise the scenarios share. The 90%
interval is the 5th to 95th percentile of those differences over replications.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import SamenError

#: Interval of every chart and table: the central 90% of replications.
LOW_Q, HIGH_Q = 0.05, 0.95


@dataclass(frozen=True)
class ScenarioResults:
    """A loaded scenarios sweep: its description and outcome tables (ok runs only).

    ``compare``: the sweep engine's :func:`~experiments.sweep.analysis.compare_scenarios`
    table (what ``samen compare`` prints), the source of the brief's findings.

    ``runs``: one row per run (``scenario``, ``replication``, ``seed`` and each outcome at
    the last step). ``series``: national series of every run, long, with ``scenario`` and
    ``replication`` (None when the sweep kept none). ``regions`` and ``groups``: the
    province and group tables at the last step (None when not stored).
    """

    path: Path
    manifest: dict[str, Any]
    base: str
    scenarios: tuple[str, ...]
    replications: int
    seed: int
    steps: int
    common: dict[str, Any]
    runs: pd.DataFrame
    series: pd.DataFrame | None = None
    regions: pd.DataFrame | None = None
    groups: pd.DataFrame | None = None
    compare: pd.DataFrame | None = None
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    descriptions: dict[str, dict[str, str]] = field(default_factory=dict)
    spending: dict[str, float] = field(default_factory=dict)
    titles: dict[str, dict[str, str]] = field(default_factory=dict)

    def title(self, scenario: str, lang: str) -> str:
        """The scenario's display name in ``lang`` (its scenario file's title), else its name."""
        return self.titles.get(scenario, {}).get(lang) or scenario

    def titled(self, scenarios, lang: str) -> list[str]:
        return [self.title(s, lang) for s in scenarios]

    def quoted(self, scenario: str, lang: str) -> str:
        """The display name in quotes, for running text: ‘Het manifest’."""
        return f"\u2018{self.title(scenario, lang)}\u2019"

    def outcomes(self, wanted: tuple[str, ...], table: str = "runs") -> tuple[str, ...]:
        """Those of ``wanted`` that ``table`` (runs, series, regions or groups) holds: a sweep
        may keep only some outcomes."""
        frame = getattr(self, table)
        return tuple(o for o in wanted if frame is not None and o in frame.columns)

    @property
    def others(self) -> tuple[str, ...]:
        """Every scenario but the base, in the sweep's order."""
        return tuple(s for s in self.scenarios if s != self.base)

    @property
    def years(self) -> float:
        return self.steps / 4

    @property
    def seeds(self) -> list[int]:
        """The seed of each replication (the same for every scenario)."""
        base_runs = self.runs[self.runs["scenario"] == self.base].sort_values("replication")
        return [int(s) for s in base_runs["seed"]]


def load_scenario_sweep(path: str | Path) -> ScenarioResults:
    """Load a finished ``scenarios`` sweep folder; SamenError if it is not one."""
    from ..scenarios import load_scenario, scenario_parameters
    from ..sweep import analysis
    from ..sweep.store import load_table, read_manifest

    design = read_manifest(Path(path))["spec"].get("design")
    if design != "scenarios":
        raise SamenError(f"{path} is a {design!r} sweep; a brief needs a design = \"scenarios\" sweep")
    sweep = analysis.load_sweep(path)
    path, spec, manifest = sweep.path, sweep.spec, sweep.manifest
    if not spec.common_random_numbers:
        raise SamenError(f"{path} was run without common random numbers; differences "
                         f"cannot be paired by replication")
    runs = sweep.ok
    if spec.scenario not in set(runs["scenario"]):
        raise SamenError(f"{path} has no finished run of its base scenario {spec.scenario!r}")
    runs = runs[runs["scenario"].isin(spec.scenarios)].reset_index(drop=True)

    who = runs[["run_id", "scenario", "replication"]]
    ok_ids = set(runs["run_id"].astype(int))
    series = regions = groups = None
    national = load_table(path, "series", ok_ids)
    if national is not None:
        series = who.merge(national, on="run_id")
        last = series.groupby("run_id")["step"].transform("max") == series["step"]
        last_steps = series.loc[last, ["run_id", "step"]]
        tables = {}
        for name in ("regions", "groups"):
            table = load_table(path, name, ok_ids)
            tables[name] = None if table is None else who.merge(table.merge(last_steps, on=["run_id", "step"]),
                                                               on="run_id")
        regions, groups = tables["regions"], tables["groups"]

    from ..i18n import OUTCOMES

    compare = analysis.compare_scenarios(sweep, [o for o in OUTCOMES if o in runs.columns])
    common = dict(spec.parameters)
    overrides, descriptions, spending, titles = {}, {}, {}, {}
    for name in spec.scenarios:
        try:
            scenario = load_scenario(name)
        except SamenError:
            overrides[name], descriptions[name], spending[name] = {}, {"en": "", "nl": ""}, 0.0
            continue
        overrides[name] = dict(scenario.overrides)
        descriptions[name] = {"en": scenario.describe("en"), "nl": scenario.describe("nl")}
        titles[name] = {"en": scenario.title("en"), "nl": scenario.title("nl")}
        params = scenario_parameters(scenario, common)
        spending[name] = float(params.investment_eur) + float(params.market_subsidy_eur)
    return ScenarioResults(
        path=path, manifest=manifest, base=spec.scenario, scenarios=spec.scenarios,
        replications=spec.replications, seed=spec.seed, steps=spec.steps, common=common, runs=runs,
        series=series, regions=regions, groups=groups, compare=compare, overrides=overrides,
        descriptions=descriptions, spending=spending, titles=titles,
    )


def interval(values: pd.Series | np.ndarray) -> tuple[float, float, float]:
    """(median, 5th percentile, 95th percentile) of ``values``."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) == 0:
        return (np.nan, np.nan, np.nan)
    return float(np.median(v)), float(np.quantile(v, LOW_Q)), float(np.quantile(v, HIGH_Q))


def paired_differences(table: pd.DataFrame, base: str, outcomes: list[str] | tuple[str, ...],
                       by: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """Median and 90% interval of ``scenario - base`` per scenario (and ``by`` cells).

    ``table`` has ``scenario``, ``replication``, the ``by`` columns and the outcomes.
    Returns long rows: scenario, *by, outcome, median, low, high, n (replications paired).
    """
    keys = ["replication", *by]
    base_vals = table[table["scenario"] == base].set_index(keys)[list(outcomes)]
    rows = []
    for scenario, part in table[table["scenario"] != base].groupby("scenario", sort=False):
        diff = part.set_index(keys)[list(outcomes)] - base_vals
        diff = diff.dropna(how="all").reset_index()
        cells = diff.groupby(list(by), sort=True) if by else [((), diff)]
        for cell, sub in cells:
            cell = cell if isinstance(cell, tuple) else (cell,)
            for outcome in outcomes:
                median, low, high = interval(sub[outcome])
                rows.append({"scenario": scenario, **dict(zip(by, cell, strict=True)), "outcome": outcome,
                             "median": median, "low": low, "high": high,
                             "n": int(sub[outcome].notna().sum())})
    return pd.DataFrame(rows, columns=["scenario", *by, "outcome", "median", "low", "high", "n"])


def clear_effect(low: float, high: float) -> bool:
    """True when the 90% interval lies entirely on one side of zero."""
    return bool((low > 0 and high > 0) or (low < 0 and high < 0))


def time_bands(series: pd.DataFrame, outcomes: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """Per scenario and step: median, 5th and 95th percentile of each outcome over runs."""
    grouped = series.groupby(["scenario", "step"], sort=False)
    out = grouped[list(outcomes)].median()
    out.columns = [f"{c}_median" for c in out.columns]
    low = grouped[list(outcomes)].quantile(LOW_Q)
    high = grouped[list(outcomes)].quantile(HIGH_Q)
    for c in outcomes:
        out[f"{c}_low"] = low[c]
        out[f"{c}_high"] = high[c]
    if "year" in series.columns:
        out["year"] = grouped["year"].first()
    return out.reset_index()


def group_means(groups: pd.DataFrame, by: str, outcomes: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """Population-weighted mean of each outcome per run and ``by`` (education or quintile)."""
    g = groups.copy()
    w = g["population"].astype(float)
    for o in outcomes:
        g[o] = g[o].astype(float) * w
    g["_w"] = w
    sums = g.groupby(["scenario", "replication", by], sort=False)[[*outcomes, "_w"]].sum()
    for o in outcomes:
        sums[o] = sums[o] / sums["_w"].where(sums["_w"] > 0)
    return sums.drop(columns="_w").reset_index()
