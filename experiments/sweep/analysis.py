"""Analysis of a finished (or partly finished) sweep, read from its folder, never re-run.

- :func:`sobol_indices`: first-order and total Sobol indices with bootstrap confidence
  intervals (SALib, Saltelli 2010 / Jansen estimators) for a ``sobol`` design;
- :func:`morris_indices`: Morris mu* and sigma (SALib; Campolongo et al. 2007) for a
  ``morris`` design;
- :func:`prim_box`: a PRIM scenario-discovery box for a condition on the outcomes, for any
  design (see :mod:`experiments.sweep.prim`);
- :func:`compare_scenarios`: per scenario, the median and 90% interval of each outcome over
  replications and the paired difference to the base scenario, for a ``scenarios`` design;
- :func:`replication_table`: how the 90% confidence interval of an outcome's mean narrows
  with the number of replications, and how many replications a relative precision needs.

Sensitivity indices use each sample's mean over its successful replications, so they
measure the effect of the inputs on the expected outcome, with seed noise averaged out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import SamenError
from . import store
from .design import problem
from .prim import PrimResult, prim
from .runner import STATISTICS
from .spec import SweepSpec, load_spec

#: Confidence level of the Sobol and Morris bootstrap intervals.
CONF_LEVEL = 0.95
#: Bootstrap resamples for Sobol and Morris intervals.
RESAMPLES = 1000
#: The central interval reported for outcomes over replications (5th to 95th percentile).
INTERVAL = (0.05, 0.95)


@dataclass
class Sweep:
    """A sweep folder read back: its spec, runs, raw design and manifest."""

    path: Path
    spec: SweepSpec
    runs: pd.DataFrame
    design: pd.DataFrame
    manifest: dict[str, Any]

    @property
    def ok(self) -> pd.DataFrame:
        return self.runs[self.runs["status"] == "ok"]


def load_sweep(path: str | Path) -> Sweep:
    """Read a sweep folder written by :func:`experiments.sweep.run_sweep`."""
    path = Path(path)
    if not path.is_dir():
        raise SamenError(f"sweep folder {path} does not exist")
    manifest = store.read_manifest(path)
    spec = load_spec(manifest["spec"])
    runs = store.load_runs(path)
    if runs.empty:
        raise SamenError(f"sweep folder {path} holds no finished runs yet")
    design_file = path / store.DESIGN
    design = pd.read_parquet(design_file) if design_file.exists() else pd.DataFrame()
    return Sweep(path, spec, runs, design, manifest)


def outcome_names(sweep: Sweep, requested: list[str] | None) -> list[str]:
    """Validated outcome columns: the requested ones, or every kept outcome (last value)."""
    if not requested:
        return list(sweep.spec.outcomes)
    known = [c for c in sweep.runs.columns if c in sweep.spec.outcomes
             or any(c == f"{o}{s}" for o in sweep.spec.outcomes for s in STATISTICS)]
    for name in requested:
        if name not in known:
            raise SamenError(f"unknown outcome {name!r} in {sweep.path}; kept outcomes: "
                             f"{', '.join(sweep.spec.outcomes)} (each also with suffix "
                             f"{', '.join(STATISTICS)})")
    return list(dict.fromkeys(requested))


def sample_means(sweep: Sweep, outcomes: list[str]) -> pd.DataFrame:
    """Each sample's mean of ``outcomes`` over its successful replications, by sample_id.

    Raises SamenError when some sample has no successful run: Sobol and Morris estimators
    need every sample.
    """
    means = sweep.ok.groupby("sample_id")[outcomes].mean()
    n_samples = len(sweep.design) if len(sweep.design) else int(sweep.runs["sample_id"].max()) + 1
    missing = sorted(set(range(n_samples)) - set(means.index))
    if missing:
        raise SamenError(f"{len(missing)} of {n_samples} samples have no successful run "
                         f"(e.g. sample {missing[0]}); finish the sweep with `samen sweep SPEC --out "
                         f"{sweep.path} --resume` (add --retry-failed for failed runs)")
    return means.sort_index()


def _require(sweep: Sweep, design: str, command: str) -> None:
    if sweep.spec.design != design:
        raise SamenError(f"{command} needs a {design!r} design; {sweep.path} is a {sweep.spec.design!r} design")


def sobol_indices(sweep: Sweep, outcomes: list[str], resamples: int = RESAMPLES) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol indices with bootstrap confidence intervals."""
    from SALib.analyze import sobol

    _require(sweep, "sobol", "Sobol indices")
    means = sample_means(sweep, outcomes)
    prob = problem(sweep.spec)
    rows = []
    for o in outcomes:
        y = means[o].to_numpy(dtype=float)
        if np.ptp(y) == 0:
            continue  # a constant outcome has no variance to apportion
        res = sobol.analyze(prob, y, calc_second_order=sweep.spec.second_order,
                            num_resamples=resamples, conf_level=CONF_LEVEL, seed=sweep.spec.seed % 2**32)
        for i, name in enumerate(prob["names"]):
            rows.append({"outcome": o, "parameter": name,
                         "S1": res["S1"][i], "S1_low": res["S1"][i] - res["S1_conf"][i],
                         "S1_high": res["S1"][i] + res["S1_conf"][i],
                         "ST": res["ST"][i], "ST_low": res["ST"][i] - res["ST_conf"][i],
                         "ST_high": res["ST"][i] + res["ST_conf"][i]})
    return pd.DataFrame(rows, columns=["outcome", "parameter", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"])


def morris_indices(sweep: Sweep, outcomes: list[str], resamples: int = RESAMPLES) -> pd.DataFrame:
    """Morris mu (mean elementary effect), mu* (mean absolute effect, with bootstrap CI) and sigma."""
    from SALib.analyze import morris

    _require(sweep, "morris", "Morris indices")
    means = sample_means(sweep, outcomes)
    prob = problem(sweep.spec)
    x = sweep.design[prob["names"]].to_numpy(dtype=float)
    rows = []
    for o in outcomes:
        y = means[o].to_numpy(dtype=float)
        res = morris.analyze(prob, x, y, num_resamples=resamples, conf_level=CONF_LEVEL,
                             num_levels=sweep.spec.levels, seed=sweep.spec.seed % 2**32)
        for i, name in enumerate(prob["names"]):
            rows.append({"outcome": o, "parameter": name, "mu": res["mu"][i],
                         "mu_star": res["mu_star"][i],
                         "mu_star_low": res["mu_star"][i] - res["mu_star_conf"][i],
                         "mu_star_high": res["mu_star"][i] + res["mu_star_conf"][i],
                         "sigma": res["sigma"][i]})
    return pd.DataFrame(rows, columns=["outcome", "parameter", "mu", "mu_star", "mu_star_low",
                                       "mu_star_high", "sigma"])


def rank_correlations(sweep: Sweep, outcomes: list[str]) -> pd.DataFrame:
    """Spearman rank correlation of each numeric varied parameter with each outcome, over runs.

    A quick screening for lhs and grid designs (not a variance decomposition: use a sobol
    design for that). Choice parameters are left out: their categories have no order.
    """
    ok = sweep.ok
    numeric = [f.name for f in sweep.spec.factors if f.kind != "choice"]
    table = pd.DataFrame(index=pd.Index(numeric, name="parameter"), columns=outcomes, dtype=float)
    for p in numeric:
        for o in outcomes:
            if ok[p].nunique() > 1 and ok[o].nunique() > 1:
                table.loc[p, o] = stats.spearmanr(ok[p], ok[o]).statistic
    return table


def prim_box(sweep: Sweep, where: str, alpha: float = 0.05, threshold: float = 0.8) -> PrimResult:
    """The PRIM box of varied inputs in which the runs satisfying ``where`` concentrate.

    ``where`` is a pandas query on the runs table, e.g.
    ``"trust_government > 0.45 and theil_access_between < 0.01"``.
    """
    ok = sweep.ok.reset_index(drop=True)
    try:
        hit = ok.eval(where)
    except Exception as exc:  # pandas raises many types for a bad expression
        outcomes = ", ".join(sweep.spec.outcomes)
        raise SamenError(f"condition {where!r} cannot be evaluated ({' '.join(str(exc).split())}); "
                         f"use outcome columns such as {outcomes}, e.g. \"trust_government > 0.45\"") from None
    if not isinstance(hit, pd.Series) or not pd.api.types.is_bool_dtype(hit):
        raise SamenError(f"{where!r} is not a condition (true or false per run), e.g. \"access > 0.9\"")
    inputs = list(sweep.spec.factor_names) or (["scenario"] if sweep.spec.design == "scenarios" else [])
    if not inputs:
        raise SamenError("PRIM needs varied inputs; this sweep varies none")
    if not hit.any():
        raise SamenError(f"no successful run satisfies {where!r}; PRIM needs some")
    return prim(ok[inputs], hit.to_numpy(), alpha=alpha, threshold=threshold)


def compare_scenarios(sweep: Sweep, outcomes: list[str]) -> pd.DataFrame:
    """Median and 90% interval per scenario and outcome, and the paired difference to the base.

    Runs of different scenarios with the same replication index share a seed (common random
    numbers), so the difference is taken replication by replication and its median and 90%
    interval reported, together with a t-interval of the mean difference. Replications
    missing in either scenario are left out of the pairing.
    """
    _require(sweep, "scenarios", "samen compare")
    spec = sweep.spec
    ok = sweep.ok
    base = spec.scenario
    lo, hi = INTERVAL
    rows = []
    for o in outcomes:
        wide = ok.pivot_table(index="replication", columns="scenario", values=o, aggfunc="first")
        for scen in spec.scenarios:
            if scen not in wide.columns:
                continue
            values = wide[scen].dropna()
            row = {"outcome": o, "scenario": scen, "n": len(values), "median": values.median(),
                   "p05": values.quantile(lo), "p95": values.quantile(hi)}
            if scen != base and base in wide.columns:
                diff = (wide[scen] - wide[base]).dropna()
                row.update({"diff_n": len(diff), "diff_median": diff.median(),
                            "diff_p05": diff.quantile(lo), "diff_p95": diff.quantile(hi),
                            "diff_mean": diff.mean(), **_mean_ci(diff.to_numpy(), "diff_mean")})
            rows.append(row)
    return pd.DataFrame(rows, columns=["outcome", "scenario", "n", "median", "p05", "p95", "diff_n",
                                       "diff_median", "diff_p05", "diff_p95", "diff_mean",
                                       "diff_mean_low", "diff_mean_high"])


def _mean_ci(values: np.ndarray, prefix: str, level: float = 0.90) -> dict[str, float]:
    n = len(values)
    if n < 2:
        return {f"{prefix}_low": math.nan, f"{prefix}_high": math.nan}
    half = stats.t.ppf(0.5 + level / 2, n - 1) * values.std(ddof=1) / math.sqrt(n)
    return {f"{prefix}_low": values.mean() - half, f"{prefix}_high": values.mean() + half}


def replication_table(sweep: Sweep, outcome: str, precision: float = 0.05,
                      level: float = 0.90) -> tuple[pd.DataFrame, pd.DataFrame]:
    """How the ``level`` CI of an outcome's mean narrows with replications, per sample.

    Returns ``(curve, needed)``. ``curve`` has, for n = 2 .. the replications run, the CI
    half-width of the mean of the first n replications, absolute and relative to |mean|,
    as the median and the maximum over samples. ``needed`` has per sample (scenario for a
    scenarios design) the replications needed for a half-width of ``precision`` times
    |mean|, from the full-sample standard deviation: the smallest n with
    ``t(n-1) * s / sqrt(n) <= precision * |mean|``.
    """
    ok = sweep.ok.sort_values(["sample_id", "replication"])
    if ok.groupby("sample_id").size().max() < 2:
        raise SamenError("the replications helper needs at least 2 successful replications per sample")
    q = 0.5 + level / 2
    curve_rows, needed_rows = [], []
    for sample_id, group in ok.groupby("sample_id"):
        y = group[outcome].to_numpy(dtype=float)
        for n in range(2, len(y) + 1):
            head = y[:n]
            half = stats.t.ppf(q, n - 1) * head.std(ddof=1) / math.sqrt(n)
            mean = head.mean()
            curve_rows.append({"sample_id": sample_id, "n": n, "half_width": half,
                               "relative": half / abs(mean) if mean else math.inf})
        s, mean = y.std(ddof=1), y.mean()
        needed_rows.append({"sample_id": sample_id, "scenario": group["scenario"].iloc[0],
                            "replications": len(y), "mean": mean, "sd": s,
                            "needed": _needed(s, abs(mean) * precision, q)})
    curve = (pd.DataFrame(curve_rows).groupby("n")
             .agg(half_width_median=("half_width", "median"), half_width_max=("half_width", "max"),
                  relative_median=("relative", "median"), relative_max=("relative", "max"),
                  samples=("sample_id", "size")).reset_index())
    return curve, pd.DataFrame(needed_rows)


def _needed(sd: float, target: float, q: float, limit: int = 100_000) -> float:
    if sd == 0:
        return 2
    if target == 0:
        return math.inf
    n = max(2, math.ceil((stats.norm.ppf(q) * sd / target) ** 2))
    while n < limit and stats.t.ppf(q, n - 1) * sd / math.sqrt(n) > target:
        n += 1
    return n


def format_table(frame: pd.DataFrame, digits: int = 3) -> str:
    """A DataFrame as aligned text, numbers with ``digits`` significant digits."""
    def fmt(v: Any) -> str:
        if isinstance(v, (float, np.floating)):
            if math.isnan(v):
                return ""
            if math.isinf(v):
                return "inf"
            return f"{v:,.0f}" if abs(v) >= 10**digits else f"{v:.{digits}g}"
        return str(v)

    cells = [[str(c) for c in frame.columns]] + [[fmt(v) for v in row] for row in frame.itertuples(index=False)]
    widths = [max(len(r[i]) for r in cells) for i in range(len(frame.columns))]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    lines = ["  ".join(c.rjust(w) if num else c.ljust(w) for c, w, num in zip(r, widths, numeric, strict=True)).rstrip()
             for r in cells]
    lines.insert(1, "-" * max(len(line) for line in lines))
    return "\n".join(lines)
