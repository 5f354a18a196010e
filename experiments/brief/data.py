"""Reading a ``scenarios`` sweep for charts and the brief, and the statistics they show.

The sweep engine (:mod:`experiments.sweep`) stores each run's national series; the brief
also needs the per-province and per-group outcomes. :func:`brief_run` is a sweep run
function that carries them in the stored series file as extra columns, one per
(province, outcome) and (education, income quintile, outcome), named
``region:<province>:<column>`` and ``group:<education>:<quintile>:<column>``. The sweep
only summarises the outcome columns it knows, so the extra columns ride along untouched;
:func:`load_scenario_sweep` turns them back into long tables. A sweep run by ``samen
sweep`` (plain series) still loads: the province map and the group chart are then left out.

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

REGION_PREFIX = "region:"
GROUP_PREFIX = "group:"
#: Province and group outcomes carried by :func:`brief_run` (besides population).
REGION_OUTCOMES = ("population", "cohesion", "trust_government", "trust_local_government",
                   "participation_rate", "access")
GROUP_OUTCOMES = ("population", "trust_government", "trust_local_government", "participation_rate",
                  "access")
#: The columns that name a group in ``groups.parquet`` (population-weight rows to aggregate).
GROUP_KEYS = ("education", "income_quintile", "locality_kind")
#: Interval of every chart and table: the central 90% of replications.
LOW_Q, HIGH_Q = 0.05, 0.95


def brief_run(scenario: str, overrides: dict, seed: int, steps: int) -> pd.DataFrame:
    """Sweep run function: the model's national series plus province and group columns."""
    from ..api import run

    result = run(scenario, overrides=overrides, seed=seed, steps=steps, progress=False)
    return with_tables(result.series, result.regions, result.groups)


def with_tables(series: pd.DataFrame, regions: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """``series`` with the region and group tables pivoted into extra columns (by step)."""
    reg = regions.pivot(index="step", columns="region", values=list(REGION_OUTCOMES))
    reg.columns = [f"{REGION_PREFIX}{region}:{col}" for col, region in reg.columns]
    grp = groups.assign(cell=groups[list(GROUP_KEYS)].astype(str).agg(":".join, axis=1))
    grp = grp.pivot(index="step", columns="cell", values=list(GROUP_OUTCOMES))
    grp.columns = [f"{GROUP_PREFIX}{cell}:{col}" for col, cell in grp.columns]
    wide = pd.concat([reg, grp], axis=1).reset_index()
    return series.merge(wide, on="step", how="left")


def split_tables(series: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame | None]:
    """Undo :func:`with_tables`: (national series, regions long, groups long) with ``run_id``.

    The long tables have ``run_id, step, region|GROUP_KEYS`` and one column
    per outcome; ``None`` when the series carries no such columns.
    """
    keys = [c for c in ("run_id", "step") if c in series.columns]
    reg_cols = [c for c in series.columns if c.startswith(REGION_PREFIX)]
    grp_cols = [c for c in series.columns if c.startswith(GROUP_PREFIX)]
    national = series.drop(columns=reg_cols + grp_cols)

    def long(cols: list[str], prefix: str, names: list[str]) -> pd.DataFrame | None:
        if not cols:
            return None
        melted = series[keys + cols].melt(id_vars=keys, var_name="key", value_name="value")
        parts = melted["key"].str[len(prefix):].str.rsplit(":", n=1, expand=True)
        melted["cell"], melted["outcome"] = parts[0], parts[1]
        table = melted.pivot_table(index=keys + ["cell"], columns="outcome", values="value",
                                   aggfunc="first").reset_index()
        table.columns.name = None
        cells = table.pop("cell").str.split(":", expand=True)
        for i, name in enumerate(names):
            table.insert(len(keys) + i, name, cells[i])
        return table

    regions = long(reg_cols, REGION_PREFIX, ["region"])
    groups = long(grp_cols, GROUP_PREFIX, list(GROUP_KEYS))
    if groups is not None:
        groups["income_quintile"] = groups["income_quintile"].astype(int)
    return national, regions, groups


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
    from ..sweep.store import load_runs, read_manifest

    path = Path(path)
    if not path.is_dir():
        raise SamenError(f"--from {path}: no such folder")
    manifest = read_manifest(path)
    spec = manifest.get("spec")
    if manifest.get("kind") != "sweep" or not isinstance(spec, dict):
        raise SamenError(f"--from {path} is not a sweep folder (its manifest.json has no sweep spec)")
    if spec.get("design") != "scenarios":
        raise SamenError(f"--from {path} is a {spec.get('design')!r} sweep; a brief needs a "
                         f"design = \"scenarios\" sweep")
    runs = load_runs(path)
    if "status" in runs.columns:
        runs = runs[runs["status"] == "ok"]
    scenarios = tuple(spec["scenarios"])
    base = spec.get("scenario", scenarios[0])
    if base not in set(runs["scenario"]):
        raise SamenError(f"--from {path} has no finished run of its base scenario {base!r}")
    runs = runs[runs["scenario"].isin(scenarios)].reset_index(drop=True)
    if not spec.get("common_random_numbers", True):
        raise SamenError(f"--from {path} was run without common random numbers; differences "
                         f"cannot be paired by replication")

    series = regions = groups = None
    series_dir = path / "series"
    files = sorted(series_dir.glob("run-*.parquet")) if series_dir.is_dir() else []
    ok_ids = set(runs["run_id"].astype(int))
    frames = [pd.read_parquet(f) for f in files]
    frames = [f for f in frames if len(f) and int(f["run_id"].iloc[0]) in ok_ids]
    if frames:
        national, reg, grp = split_tables(pd.concat(frames, ignore_index=True))
        who = runs[["run_id", "scenario", "replication"]]
        series = who.merge(national, on="run_id")
        last = series.groupby("run_id")["step"].transform("max") == series["step"]
        last_steps = series.loc[last, ["run_id", "step"]]
        if reg is not None:
            regions = who.merge(reg.merge(last_steps, on=["run_id", "step"]), on="run_id")
        if grp is not None:
            groups = who.merge(grp.merge(last_steps, on=["run_id", "step"]), on="run_id")

    from ..i18n import OUTCOMES
    from ..sweep import analysis

    sweep = analysis.load_sweep(path)
    compare = analysis.compare_scenarios(sweep, [o for o in OUTCOMES if o in runs.columns])

    common = dict(spec.get("parameters", {}))
    overrides, descriptions, spending = {}, {}, {}
    for name in scenarios:
        try:
            scenario = load_scenario(name)
        except SamenError:
            overrides[name], descriptions[name], spending[name] = {}, {"en": "", "nl": ""}, 0.0
            continue
        overrides[name] = dict(scenario.overrides)
        descriptions[name] = {"en": scenario.describe("en"), "nl": scenario.describe("nl")}
        params = scenario_parameters(scenario, common)
        spending[name] = float(params.investment_eur) + float(params.market_subsidy_eur)
    return ScenarioResults(
        path=path, manifest=manifest, base=base, scenarios=scenarios,
        replications=int(spec.get("replications", runs["replication"].nunique())),
        seed=int(spec["seed"]), steps=int(spec.get("steps", 0)), common=common, runs=runs,
        series=series, regions=regions, groups=groups, compare=compare, overrides=overrides,
        descriptions=descriptions, spending=spending,
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
