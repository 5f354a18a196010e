"""Analysis of a finished (or partly finished) sweep, read from its folder, never re-run.

- :func:`sobol_indices`: first-order and total Sobol indices with bootstrap confidence
  intervals (SALib, Saltelli 2010 / Jansen estimators) for a ``sobol`` design;
- :func:`morris_indices`: Morris mu* and sigma (SALib; Campolongo et al. 2007) for a
  ``morris`` design;
- :func:`prim_box`: a PRIM scenario-discovery box for a condition on the outcomes, for any
  design (see :mod:`experiments.sweep.prim`);
- :func:`compare_scenarios`: per scenario, the median and 90% interval of each outcome over
  replications and the paired difference to the base scenario, for a ``scenarios`` design;
- :func:`policy_regret`: for a ``policies`` design, per policy and outcome the median and
  90% interval over the sampled futures and the regret (shortfall against the best policy
  in each future: its maximum and 90th percentile);
- :func:`rank_correlations` and :func:`choice_effects`: a screening of numeric and choice
  inputs (lhs and grid designs);
- :func:`replication_table`: how the 90% confidence interval of an outcome's mean (or, for
  a scenarios design, of the paired difference to the base) narrows with the number of
  replications, and how many replications a relative precision needs.

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
from .design import future_of, problem
from .prim import PrimResult, prim
from .runner import STATISTICS
from .spec import SweepSpec, load_spec

#: Confidence level of the Sobol and Morris bootstrap intervals.
CONF_LEVEL = 0.95
#: Bootstrap resamples for Sobol and Morris intervals.
RESAMPLES = 1000
#: The central interval reported for outcomes over replications (5th to 95th percentile).
INTERVAL = (0.05, 0.95)
#: Fewest replications for which a 5th-95th percentile interval over replications is stable
#: enough for a policy reader: the brief and samen compare warn below it.
MIN_REPLICATIONS = 20
#: Quantile of the regret reported besides its maximum.
REGRET_QUANTILE = 0.9


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


def output_folder(sweep: Sweep, out: str | Path | None, what: str) -> Path:
    """Where an analysis writes: ``out`` (new or empty), or by default a new folder
    ``<sweep>/analyses/<UTC time>-<what>``, so that no analysis overwrites an earlier one."""

    from ..output import check_out_dir, utc_stamp

    if out is None:
        first = out = sweep.path / "analyses" / f"{utc_stamp()}-{what}"
        n = 1
        while out.exists():
            n += 1
            out = first.with_name(f"{first.name}-{n}")
    return check_out_dir(out)


def write_record(folder: Path, sweep: Sweep, command: list[str] | None, **details: Any) -> None:
    """``analysis.json`` in an analysis folder: which sweep, which command, with what."""
    from ..output import manifest_base, write_json

    write_json({"kind": "analysis", "sweep": str(sweep.path), "sweep_name": sweep.spec.name,
                "design": sweep.spec.design, "runs_ok": len(sweep.ok), "runs": len(sweep.runs),
                **details, **manifest_base(command)}, folder / "analysis.json")


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


def index_names(prob: dict[str, Any]) -> list[str]:
    """What SALib's Sobol indices are indexed by: the factors, or with groups the groups in
    the order SALib finds them (first appearance in factor order)."""
    return list(dict.fromkeys(prob["groups"])) if "groups" in prob else list(prob["names"])


def sobol_analysis(spec, y: np.ndarray, resamples: int = RESAMPLES) -> dict[str, Any]:
    """SALib's Sobol indices of one output ``y`` (one value per design row) over ``spec``'s design:
    S1, ST and the half-widths of their bootstrap intervals, in :func:`index_names` order."""
    from SALib.analyze import sobol

    return sobol.analyze(problem(spec), y, calc_second_order=spec.second_order, num_resamples=resamples,
                         conf_level=CONF_LEVEL, seed=spec.seed % 2**32)


def sobol_indices(sweep: Sweep, outcomes: list[str], resamples: int = RESAMPLES) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol indices with bootstrap confidence intervals.

    One row per outcome and factor; with ``[groups]`` one per outcome and group, and the
    ``parameter`` column names the group (every factor of it varied together).
    """
    _require(sweep, "sobol", "Sobol indices")
    means = sample_means(sweep, outcomes)
    names = index_names(problem(sweep.spec))
    rows = []
    for o in outcomes:
        y = means[o].to_numpy(dtype=float)
        if np.ptp(y) == 0:
            continue  # a constant outcome has no variance to apportion
        res = sobol_analysis(sweep.spec, y, resamples)
        for i, name in enumerate(names):
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
    design for that). Choice parameters have no order: :func:`choice_effects` screens them.
    """
    ok = sweep.ok
    numeric = [f.name for f in sweep.spec.factors if f.kind != "choice"]
    table = pd.DataFrame(index=pd.Index(numeric, name="parameter"), columns=outcomes, dtype=float)
    for p in numeric:
        for o in outcomes:
            if ok[p].nunique() > 1 and ok[o].nunique() > 1:
                table.loc[p, o] = stats.spearmanr(ok[p], ok[o]).statistic
    return table


def condition(sweep: Sweep, where: str) -> np.ndarray:
    """Whether each successful run (in the order of ``sweep.ok``) satisfies ``where``, a
    pandas query on the runs table such as
    ``"trust_government > 0.45 and theil_access_between < 0.01"``; SamenError for a
    condition that cannot be evaluated, is not true-or-false per run, or holds for no run.
    Cheap: check a condition with it before any long analysis."""
    ok = sweep.ok.reset_index(drop=True)
    try:
        hit = ok.eval(where)
    except Exception as exc:  # pandas raises many types for a bad expression
        outcomes = ", ".join(sweep.spec.outcomes[:8]) + (", ..." if len(sweep.spec.outcomes) > 8 else "")
        raise SamenError(f"condition {where!r} cannot be evaluated ({' '.join(str(exc).split())}); "
                         f"use outcome columns such as {outcomes}, e.g. \"trust_government > 0.45\"") from None
    if not isinstance(hit, pd.Series) or not pd.api.types.is_bool_dtype(hit):
        raise SamenError(f"{where!r} is not a condition (true or false per run), e.g. \"access > 0.9\"")
    if not hit.any():
        raise SamenError(f"no successful run satisfies {where!r}; PRIM needs some")
    return hit.to_numpy(dtype=bool)


def prim_inputs(sweep: Sweep) -> list[str]:
    """The columns PRIM boxes: the varied parameters (and the scenario or policy, when named)."""
    named = ["scenario"] if sweep.spec.design in ("scenarios", "policies") else []
    inputs = named + list(sweep.spec.factor_names)
    if not inputs:
        raise SamenError("PRIM needs varied inputs; this sweep varies none")
    return inputs


def prim_box(sweep: Sweep, where: str, alpha: float = 0.05, threshold: float = 0.8) -> PrimResult:
    """The PRIM box of varied inputs in which the runs satisfying ``where`` concentrate
    (see :func:`condition`)."""
    hit = condition(sweep, where)
    inputs = prim_inputs(sweep)
    return prim(sweep.ok.reset_index(drop=True)[inputs], hit, alpha=alpha, threshold=threshold)


def prim_record(result: PrimResult, where: str, threshold: float) -> pd.DataFrame:
    """The box as one table that says what it answers: per restricted input one row with the
    condition, the box's coverage, density and mass, the runs counted, its limits and
    quasi-p-value; one row with an empty ``parameter`` when nothing is restricted."""
    box = result.box
    table = result.table if len(result.table) else pd.DataFrame(
        [{"parameter": "", "low": np.nan, "high": np.nan, "categories": "", "full_range": "", "qp_value": np.nan}])
    head = pd.DataFrame({"condition": where, "coverage": box.coverage, "density": box.density,
                         "mass": box.mass, "runs": result.n_runs, "runs_of_interest": result.n_interest,
                         "threshold": threshold}, index=table.index)
    return pd.concat([head, table], axis=1)


def choice_effects(sweep: Sweep, outcomes: list[str]) -> pd.DataFrame:
    """How much each choice parameter (e.g. ``allocation``) moves each outcome, over runs.

    The rank-based counterpart of :func:`rank_correlations` for inputs without an order:
    per choice parameter and outcome the Kruskal-Wallis test over the groups of runs that
    drew each option, its effect size epsilon squared (``H / (n - 1)``: 0 when the options
    do not matter, 1 when they order every run; comparable with a squared rank
    correlation), its p-value, and the median outcome under each option.
    """
    ok = sweep.ok
    rows = []
    for f in sweep.spec.factors:
        if f.kind != "choice":
            continue
        for o in outcomes:
            groups = {c: ok.loc[ok[f.name] == c, o].dropna().to_numpy(dtype=float) for c in f.choices}
            present = [g for g in groups.values() if len(g)]
            row = {"parameter": f.name, "outcome": o, "epsilon_squared": np.nan, "p_value": np.nan,
                   "n": int(sum(len(g) for g in present))}
            if len(present) > 1 and np.ptp(np.concatenate(present)) > 0:
                h, p = stats.kruskal(*present)
                row.update(epsilon_squared=h / (row["n"] - 1), p_value=p)
            row.update({f"median_{c}": (np.median(g) if len(g) else np.nan) for c, g in groups.items()})
            rows.append(row)
    return pd.DataFrame(rows)


def lower_is_better(outcome: str, extra: tuple[str, ...] | list[str] = ()) -> bool:
    """Whether less of ``outcome`` is better: the outcome (or its ``_change`` /
    ``_mean_last_year`` base) is declared so in :data:`experiments.i18n.OUTCOMES` or listed in
    ``extra``; otherwise more is better."""
    from ..i18n import OUTCOMES

    base = base_outcome(outcome)
    return outcome in extra or base in extra or (base in OUTCOMES and OUTCOMES[base].lower_is_better)


def base_outcome(column: str) -> str:
    """``trust_government`` for ``trust_government``, ``..._change`` and ``..._mean_last_year``."""
    for suffix in STATISTICS:
        if column.endswith(suffix):
            return column[: -len(suffix)]
    return column


def units(column: str, lang: str = "en") -> tuple[float, str, str]:
    """How the brief shows ``column``: (scale, unit of a level, unit of a difference).

    Shares become % and their differences percentage points, the Theil index x 1000
    (:data:`experiments.i18n.OUTCOMES`); a ``_change`` column is itself a difference.
    Other outcomes keep their model units (scale 1, no unit named)."""
    from ..i18n import OUTCOMES

    o = OUTCOMES.get(base_outcome(column))
    if o is None:
        return 1.0, "", ""
    level = o.change_unit[lang] if column.endswith("_change") else o.unit[lang]
    return o.scale, level, o.change_unit[lang]


def policy_regret(sweep: Sweep, outcomes: list[str], lower: tuple[str, ...] | list[str] = ()) -> pd.DataFrame:
    """Per policy and outcome of a ``policies`` design: median and 90% interval over the
    sampled futures, and the regret.

    In each future a policy's value is its mean over the replications (the same seeds for
    every policy); the best policy of that future has the highest value (the lowest for
    outcomes where :func:`lower_is_better`); a policy's shortfall is its distance to that
    best value, 0 where it is the best. ``regret_max`` is the largest shortfall over the
    futures (minimax regret, Savage 1951), ``regret_p90`` its 90th percentile (less driven
    by one extreme future), ``best_share`` the share of futures in which it is the best.
    Futures in which some policy has no successful run are left out (``futures`` counts
    those used).
    """
    _require(sweep, "policies", "regret")
    spec = sweep.spec
    ok = sweep.ok.assign(future=future_of(spec, sweep.ok["sample_id"]))
    lo, hi = INTERVAL
    rows = []
    for o in outcomes:
        per = ok.groupby(["future", "scenario"])[o].mean().unstack("scenario")
        per = per.reindex(columns=list(spec.scenarios)).dropna()
        low_better = lower_is_better(o, lower)
        best = per.min(axis=1) if low_better else per.max(axis=1)
        shortfall = per.sub(best, axis=0).abs()
        for policy in spec.scenarios:
            values, regret = per[policy], shortfall[policy]
            rows.append({"outcome": o, "policy": policy, "better": "lower" if low_better else "higher",
                         "futures": len(values), "median": values.median(), "p05": values.quantile(lo),
                         "p95": values.quantile(hi), "regret_p90": regret.quantile(REGRET_QUANTILE),
                         "regret_max": regret.max(), "best_share": float((regret == 0).mean()) if len(regret)
                         else np.nan})
    return pd.DataFrame(rows, columns=["outcome", "policy", "better", "futures", "median", "p05", "p95",
                                       "regret_p90", "regret_max", "best_share"])


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

    For a ``scenarios`` design the quantity is what the design is about: the paired
    difference of each scenario to the base, replication by replication (same seeds),
    not the outcome's level (whose noise the pairing removes, and whose mean is far from 0,
    so a relative precision of the level is reached with a handful of runs).

    Returns ``(curve, needed)``. ``curve`` has, for n = 2 .. the replications run, the CI
    half-width of the mean of the first n replications, absolute and relative to |mean|,
    as the median and the maximum over samples. ``needed`` has per sample (per compared
    scenario for a scenarios design, column ``scenario``) the replications needed for a
    half-width of ``precision`` times |mean|, from the full-sample standard deviation: the
    smallest n with ``t(n-1) * s / sqrt(n) <= precision * |mean|``; for a scenarios design
    at least :data:`MIN_REPLICATIONS`, which the 5th-95th percentile intervals of the brief
    and of ``samen compare`` need (``needed_precision`` is the figure before that floor).
    """
    samples = _replication_samples(sweep, outcome)
    if max(len(y) for y in samples.values()) < 2:
        raise SamenError("the replications helper needs at least 2 successful replications per sample")
    paired = sweep.spec.design == "scenarios"
    q = 0.5 + level / 2
    curve_rows, needed_rows = [], []
    for key, y in samples.items():
        for n in range(2, len(y) + 1):
            head = y[:n]
            half = stats.t.ppf(q, n - 1) * head.std(ddof=1) / math.sqrt(n)
            mean = head.mean()
            curve_rows.append({"sample_id": key, "n": n, "half_width": half,
                               "relative": half / abs(mean) if mean else math.inf})
        s, mean = (y.std(ddof=1), y.mean()) if len(y) > 1 else (math.nan, y.mean())
        needed = _needed(s, abs(mean) * precision, q)
        row = {"scenario": key if paired else sweep.ok.loc[sweep.ok["sample_id"] == key, "scenario"].iloc[0],
               "replications": len(y), "mean": mean, "sd": s, "needed": needed}
        if paired:
            row.update(needed_precision=needed, needed=max(needed, MIN_REPLICATIONS))
        else:
            row = {"sample_id": key, **row}
        needed_rows.append(row)
    curve = (pd.DataFrame(curve_rows).groupby("n")
             .agg(half_width_median=("half_width", "median"), half_width_max=("half_width", "max"),
                  relative_median=("relative", "median"), relative_max=("relative", "max"),
                  samples=("sample_id", "size")).reset_index())
    return curve, pd.DataFrame(needed_rows)


def _replication_samples(sweep: Sweep, outcome: str) -> dict[Any, np.ndarray]:
    """The values whose mean the replications estimate, in replication order: per sample
    the outcome, or for a scenarios design per compared scenario the paired difference to
    the base."""
    ok = sweep.ok.sort_values(["sample_id", "replication"])
    if sweep.spec.design != "scenarios":
        return {sample_id: group[outcome].to_numpy(dtype=float) for sample_id, group in ok.groupby("sample_id")}
    wide = ok.pivot_table(index="replication", columns="scenario", values=outcome, aggfunc="first")
    base = sweep.spec.scenario
    if base not in wide.columns:
        raise SamenError(f"{sweep.path} has no successful run of its base scenario {base!r}")
    return {f"{s} - {base}": (wide[s] - wide[base]).dropna().to_numpy(dtype=float)
            for s in sweep.spec.scenarios if s != base and s in wide.columns}


def _needed(sd: float, target: float, q: float, limit: int = 100_000) -> float:
    if sd == 0:
        return 2
    if target == 0:
        return math.inf
    n = max(2, math.ceil((stats.norm.ppf(q) * sd / target) ** 2))
    while n < limit and stats.t.ppf(q, n - 1) * sd / math.sqrt(n) > target:
        n += 1
    return n


def plain_number(v: float, digits: int = 3) -> str:
    """``v`` with ``digits`` significant digits and never in scientific notation:
    0.00000102, 0.0452, 3.14, 1,234."""
    if math.isnan(v):
        return ""
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0 or abs(v) >= 10 ** (digits - 1):
        return f"{v:,.0f}"
    decimals = digits - 1 - math.floor(math.log10(abs(v)))
    return f"{round(v, decimals) + 0.0:.{decimals}f}"


def format_table(frame: pd.DataFrame, digits: int = 3) -> str:
    """A DataFrame as aligned text, numbers with ``digits`` significant digits (no 1e-06)."""
    def fmt(v: Any) -> str:
        if isinstance(v, (float, np.floating)):
            return plain_number(float(v), digits)
        return str(v)

    cells = [[str(c) for c in frame.columns]] + [[fmt(v) for v in row] for row in frame.itertuples(index=False)]
    widths = [max(len(r[i]) for r in cells) for i in range(len(frame.columns))]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    lines = ["  ".join(c.rjust(w) if num else c.ljust(w) for c, w, num in zip(r, widths, numeric, strict=True)).rstrip()
             for r in cells]
    lines.insert(1, "-" * max(len(line) for line in lines))
    return "\n".join(lines)
