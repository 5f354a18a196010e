"""Issue 12's checks of the model as built: allocation, scale, start-up, and the Morris specs.

Each check runs the model through :func:`experiments.api.build_model` with seeds from
:func:`experiments.api.child_seeds` and writes CSV files (``runs.csv`` with one row per run
and ``summary.csv``) to ``--out``; docs/validation.md reports them. Runs go through the sweep
runner's process pool (:func:`experiments.sweep.runner.local_map`, ``--workers``).

    python -m experiments.calibration.checks allocation --out DIR [--seeds 10 --scale 500]
    python -m experiments.calibration.checks scale-start --out DIR [--scales 20 100 1000 --seeds 3]
    python -m experiments.calibration.checks scale-differences --out DIR --scale 100 [--seeds 10]
    python -m experiments.calibration.checks startup --out DIR [--scale 300 --seeds 3]
    python -m experiments.calibration.checks morris-specs [--scale 1000 --trajectories 6]
    python -m experiments.calibration.checks sobol-specs [--samples 64]

- ``allocation``: the manifesto's levers with ``allocation`` ``needs_based`` and ``per_capita``
  on the same seeds (paired): the share of the new meeting places (rows added to the facility
  table after step 0) that stand in localities without a meeting place at step 0, and gaps
  between places and groups after ten years; per measure the median and 90% interval of each
  rule and of the paired difference, and whether that interval excludes 0 (beyond seed noise).
- ``scale-start``: collectives and members at step 0 (after the spin-up) per
  ``population_scale``, by kind.
- ``scale-differences``: the manifesto-minus-baseline difference (same seed) of the mean over
  the last simulated year of cohesion, trust in local government, trust in others,
  participation and access (and of the other Morris outcomes: their seed-to-seed spread is the
  noise floor of the screening); runs one after the other within a worker, each timed.
- ``startup``: the baseline's series averaged over seeds; for every column, the first
  quarter's change against three times the median absolute quarterly change over quarters
  4-40; lists those that exceed it, and applies the same test to every later quarter as a
  placebo (``placebo.csv``: how often the criterion fires where there is no start).
- ``morris-specs``: writes ``experiments/sweeps/sensitivity-baseline.toml`` and
  ``sensitivity-manifesto.toml``, a Morris design over every uncertainty parameter
  (:data:`model.parameters.UNCERTAINTIES`) with the ranges of :func:`screening_range`.
- ``sobol-specs``: writes ``experiments/sweeps/sobol-baseline.toml`` and ``sobol-manifesto.toml``,
  a grouped Sobol design (issue 14) over every uncertainty parameter with the same ranges, at the
  default population_scale; each parameter's group (its mechanism) is :func:`uncertainty_group`.
"""

from __future__ import annotations

import argparse
import fnmatch
import math
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from model.kinds import CollectiveKind, FacilityType
from model.parameters import PARAMS, UNCERTAINTIES

from ..api import DEFAULT_STEPS, build_model, child_seeds
from ..brief.data import interval as _interval
from ..errors import SamenError
from ..progress import Progress
from ..sweep.runner import mean_last_year, ordered_map
from ..sweep.spec import OUTCOMES, _shipped_dir

#: Outcomes whose manifesto-minus-baseline difference the scale check compares.
SCALE_OUTCOMES = ("cohesion", "trust_local_government", "trust_others", "participation_rate", "access")
#: Outcomes of the Morris screening (the mission outcomes first).
MORRIS_OUTCOMES = ("cohesion", "trust_government", "trust_local_government", "trust_others",
                   "participation_gap_education", "trust_gap_education", "theil_access_between",
                   "participation_rate", "access", "collectives_active", "meeting_place_effect")
#: Relative half-width of a screening range around the default (see :func:`screening_range`).
SCREENING_SPREAD = 0.5
#: Screening ranges that the rule does not give, with the reason (docs/validation.md).
SCREENING_EXCEPTIONS: dict[str, tuple[float, float]] = {
    # the three shares must not sum above 1 (Parameters checks it); Fischbacher, Gaechter & Fehr
    # 2001 found 50%, 30% and 14%
    "conditional_cooperator_share": (0.4, 0.55),
    "free_rider_share": (0.2, 0.32),
    "hump_share": (0.07, 0.13),
    # a default near 0 makes +/- 50% meaninglessly narrow; the fund's real trend is uncertain by
    # about a percent a year (VNG on the 'ravijnjaar 2026')
    "municipal_fund_trend": (-0.01, 0.005),
}


def screening_range(name: str, priors: dict[str, tuple[float, float]] | None = None) -> tuple[float, float]:
    """The range of ``name`` in the Morris screening.

    The default plus or minus :data:`SCREENING_SPREAD` of itself, inside the declared range;
    a default of 0 gets the lowest tenth of the declared range; integers the whole numbers
    inside, at least one step either side; calibrated parameters their calibration prior; :data:`SCREENING_EXCEPTIONS`
    as listed.
    """
    if name in SCREENING_EXCEPTIONS:
        return SCREENING_EXCEPTIONS[name]
    if priors and name in priors:
        return priors[name]
    p = PARAMS[name]
    d = float(p.default)
    if d == 0:
        low, high = p.low, p.low + 0.1 * (p.high - p.low)
    else:
        low, high = sorted((d * (1 - SCREENING_SPREAD), d * (1 + SCREENING_SPREAD)))
        if p.kind == "int":
            low, high = min(math.ceil(low), d - 1), max(math.floor(high), d + 1)
        low, high = max(low, p.low), min(high, p.high)
    if p.kind == "int":
        return int(low), int(high)
    return float(f"{low:.6g}"), float(f"{high:.6g}")


#: The mechanism (named after the ODD's submodels) each uncertainty parameter belongs to in the
#: grouped Sobol analysis: exact names, or ``prefix_*`` for a family of parameters (per kind of
#: collective, per education level). Every name in UNCERTAINTIES matches exactly one group
#: (:func:`uncertainty_group`; a test checks it), so a new uncertainty must be placed here.
UNCERTAINTY_GROUPS: dict[str, tuple[str, ...]] = {
    "participation": ("participation_intercept", "beta_*", "threshold_mean", "threshold_sd"),
    "meeting_and_ties": ("homophily", "homophily_distance", "meeting_rate", "active_meeting_boost",
                         "meeting_place_meeting_boost", "bridging_share_*", "weak_tie_decay"),
    "cooperation": ("conditional_cooperator_share", "free_rider_share", "hump_share", "cooperator_slope",
                    "warm_glow", "cooperation_smoothing", "communication_boost", "crowding_out"),
    "founding": ("founding_*", "energy_imitation", "infrastructure_founding_boost", "care_need_with_care_point",
                 "*_niche_residents", "facility_need_cap", "rescue_window"),
    "membership_and_boards": ("board_min", "leaderless_*", "leader_motivation_*", "leader_min_free_time",
                              "leader_max_burnout", "join_rate_*", "max_members_*", "volunteer_share_*",
                              "outreach", "coopt_rate", "exit_base", "board_exit_base", "exit_burnout",
                              "member_exit_rate"),
    "work_and_burnout": ("board_hours_*", "hours_per_member_*", "service_hours_*", "admin_hours_full_burden",
                         "volunteer_hours", "volunteer_capacity_hours", "leader_capacity_hours",
                         "max_weekly_hours", "burnout_*"),
    "money_of_collectives": ("startup_grant_years", "member_fee_eur", "margin_per_member_*", "base_cost_*",
                             "compliance_cost_*", "venue_saving_share", "collective_cost_ratio", "user_share_*",
                             "handover_budget_share", "debt_tolerance_years", "failure_hazard_*",
                             "grant_per_collective_eur"),
    "municipalities": ("municipal_fund_trend", "responsiveness_*", "grant_approval_*", "grant_responsiveness_base",
                       "hearing_persistence", "reopen_reserve", "ask_weight"),
    "trust_in_government": ("trust_up_rate", "trust_down_ratio", "voice_*", "resident_voice", "heard_voice",
                            "denial_voice_loss", "performance_weight", "closure_trust_loss", "opening_trust_gain",
                            "event_memory_decay", "national_spillover", "national_performance_weight"),
    "trust_in_others": ("influence_rate", "confidence_bound", "repulsion_*", "trust_others_rate",
                        "bridging_weight", "participation_trust_weight"),
    "market": ("market_*", "gp_drift_factor"),
    "reach_and_meeting_places": ("meeting_reach_discount", "service_reach_discount", "meeting_place_saturation",
                                 "need_access_weight", "need_income_weight"),
}
#: Sobol base samples of the shipped grouped specs: 64 x (12 groups + 2) = 896 runs per scenario.
SOBOL_SAMPLES = 64


def uncertainty_group(name: str) -> str:
    """The group of :data:`UNCERTAINTY_GROUPS` that ``name`` matches; SamenError unless exactly one."""
    hits = [g for g, patterns in UNCERTAINTY_GROUPS.items()
            if any(fnmatch.fnmatchcase(name, p) for p in patterns)]
    if len(hits) != 1:
        where = f"{len(hits)} groups ({', '.join(hits)})" if hits else "no group"
        raise SamenError(f"uncertainty {name} matches {where} of UNCERTAINTY_GROUPS in "
                         "experiments/calibration/checks.py; place it in exactly one")
    return hits[0]


def grouped_uncertainties(names=UNCERTAINTIES) -> dict[str, list[str]]:
    """``names`` by :func:`uncertainty_group`, groups in the order of UNCERTAINTY_GROUPS."""
    groups: dict[str, list[str]] = {g: [] for g in UNCERTAINTY_GROUPS}
    for name in names:
        groups[uncertainty_group(name)].append(name)
    return {g: members for g, members in groups.items() if members}


def _uncertainty_lines(priors: dict[str, tuple[float, float]]) -> list[str]:
    """``[uncertainties]``: every uncertainty with its :func:`screening_range`."""
    lines = ["[uncertainties]"]
    for name in UNCERTAINTIES:
        low, high = screening_range(name, priors)
        lines.append(f"{name} = [{low!r}, {high!r}]")
    return lines


def sobol_spec_text(scenario: str, samples: int, seed: int, steps: int) -> str:
    """The TOML text of one of the two paired grouped Sobol sweeps (default population_scale)."""
    from . import load_calibration

    priors = dict(load_calibration().free)
    groups = grouped_uncertainties()
    runs = samples * (len(groups) + 2)
    lines = [
        "# Grouped Sobol analysis of the manifesto-minus-baseline difference over EVERY uncertainty",
        "# parameter (model.parameters.UNCERTAINTIES), issue 14 \"How sure we are\" (docs/sweeps.md). Every",
        "# parameter varies over the Morris specs' range; [groups] assigns each to one mechanism, and the",
        "# first-order and total indices are per mechanism. Two sweeps with the same design, seed and",
        "# common random numbers, differing only in the scenario:",
        "#   samen sweep experiments/sweeps/sobol-baseline.toml --workers 2 --out results/sweeps/sobol-baseline",
        "#   samen sweep experiments/sweeps/sobol-manifesto.toml --workers 2 --out results/sweeps/sobol-manifesto",
        "#   python -m experiments.calibration.sensitivity --sobol results/sweeps/sobol-baseline \\",
        "#       results/sweeps/sobol-manifesto --out docs/figures/sobol",
        "# (add --resume to a samen sweep to continue it; --scheduler ADDRESS runs it on Dask.)",
        f"# {samples} samples x ({len(groups)} groups + 2) = {runs} runs per scenario at the default",
        "# population_scale. Ranges and groups: experiments/calibration/checks.py (screening_range,",
        "# UNCERTAINTY_GROUPS). Regenerate with",
        "#   python -m experiments.calibration.checks sobol-specs",
        f'name = "sobol-{scenario}"',
        f'description = "Grouped Sobol analysis of every uncertainty, {scenario} (paired with the other scenario)."',
        f'scenario = "{scenario}"',
        f"steps = {steps}",
        "replications = 1",
        f"seed = {seed}",
        'design = "sobol"',
        f"samples = {samples}",
        "second_order = false",
        "common_random_numbers = true",
        "outcomes = [" + ", ".join(f'"{o}"' for o in MORRIS_OUTCOMES) + "]",
        "",
        *_uncertainty_lines(priors),
        "",
        "[groups]",
        *(f"{g} = [" + ", ".join(f'"{n}"' for n in members) + "]" for g, members in groups.items()),
        "",
    ]
    return "\n".join(lines)


def morris_spec_text(scenario: str, scale: int, trajectories: int, seed: int, steps: int) -> str:
    """The TOML text of one of the two paired sensitivity sweeps."""
    from . import load_calibration

    priors = dict(load_calibration().free)
    lines = [
        "# Morris screening of EVERY uncertainty parameter (model.parameters.UNCERTAINTIES) of the",
        "# manifesto-minus-baseline difference (issue 12; docs/validation.md, \"Sensitivity\"). Two sweeps",
        "# with the same design, seed and common random numbers, differing only in the scenario:",
        "#   samen sweep experiments/sweeps/sensitivity-baseline.toml --workers 2 --out results/sweeps/sens-baseline",
        "#   samen sweep experiments/sweeps/sensitivity-manifesto.toml --workers 2 --out results/sweeps/sens-manifesto",
        "#   python -m experiments.calibration.sensitivity results/sweeps/sens-baseline \\",
        "#       results/sweeps/sens-manifesto --out docs/figures/sensitivity",
        f"# {trajectories} trajectories x ({len(UNCERTAINTIES)} + 1) = "
        f"{trajectories * (len(UNCERTAINTIES) + 1)} runs per scenario at one simulated citizen per",
        f"# {scale} residents. Ranges: default +/- {SCREENING_SPREAD:.0%} inside the declared range; calibrated",
        "# parameters over their calibration prior; the cooperator shares as listed in",
        "# experiments/calibration/checks.py (SCREENING_EXCEPTIONS). Regenerate with",
        "#   python -m experiments.calibration.checks morris-specs",
        f'name = "sensitivity-{scenario}"',
        f'description = "Morris screening of every uncertainty, {scenario} (paired with the other scenario)."',
        f'scenario = "{scenario}"',
        f"steps = {steps}",
        "replications = 1",
        f"seed = {seed}",
        'design = "morris"',
        f"samples = {trajectories}",
        "levels = 4",
        "common_random_numbers = true",
        "outcomes = [" + ", ".join(f'"{o}"' for o in MORRIS_OUTCOMES) + "]",
        "",
        *_uncertainty_lines(priors),
    ]
    lines += ["", "[parameters]", f"population_scale = {scale}", ""]
    return "\n".join(lines)


# ---- the runs --------------------------------------------------------------------------------
def _weighted(frame: pd.DataFrame, by: str, value: str, weight: str) -> pd.Series:
    w = frame[weight].astype(float)
    return (frame[value] * w).groupby(frame[by]).sum() / w.groupby(frame[by]).sum()


def allocation_run(args) -> dict[str, Any]:
    """One manifesto run with the allocation rule ``rule``: where the new places went, what they did."""
    rule, scale, seed, steps = args
    t0 = time.perf_counter()
    m = build_model("manifesto", {"population_scale": scale, "allocation": rule}, seed=seed)
    f, loc = m.facilities, m.localities
    n0 = f.n
    meeting = f.view("open") & (f.view("type") == FacilityType.MEETING)
    places0 = np.bincount(f.view("locality")[meeting], minlength=loc.n)
    none0 = places0 == 0
    reach0 = m.reach.meeting_effect.copy()
    for _ in range(steps):
        m.step()
    series, _, groups = m.outcome_frames()
    local = m.locality_frame()
    kind = f.view("type")[n0:]
    new = n0 + np.flatnonzero(kind == FacilityType.MEETING)
    new_loc = f.view("locality")[new]
    inv = m.investment_received
    res = loc.residents.astype(float)
    gain = m.reach.meeting_effect - reach0
    reach_kind = _weighted(local, "kind", "meeting_place_effect", "residents")
    last = groups[groups["step"] == groups["step"].max()]
    access_kind = _weighted(last, "locality_kind", "access", "population")
    out = {
        "rule": rule, "seed": seed, "scale": scale,
        "localities": int(loc.n), "localities_without_place": int(none0.sum()),
        "new_places": len(new),
        "new_places_funded": int((f.view("funded_until")[new] >= 0).sum()),
        "share_new_to_without": float(none0[new_loc].mean()) if len(new) else math.nan,
        "share_without_that_got_one": (float(np.isin(np.flatnonzero(none0), new_loc).mean())
                                       if none0.any() else math.nan),
        "share_investment_to_without": float(inv[none0].sum() / inv.sum()) if inv.sum() > 0 else math.nan,
        "new_places_open_at_end": float(f.view("open")[new].mean()) if len(new) else math.nan,
        "effect_gain_without": float(np.average(gain[none0], weights=res[none0])) if none0.any() else math.nan,
        "effect_gain_with": float(np.average(gain[~none0], weights=res[~none0])),
        "effect_gap_village_neighbourhood": float(reach_kind["village"] - reach_kind["neighbourhood"]),
        "access_gap_village_neighbourhood": float(access_kind["village"] - access_kind["neighbourhood"]),
        **mean_last_year(series, ("meeting_place_effect", "access", "participation_rate", "trust_local_government",
                              "trust_others", "cohesion", "participation_gap_education", "trust_local_gap_education",
                              "theil_access_between", "theil_participation_between", "theil_trust_local_between",
                              "theil_trust_others_between")),
        "seconds": time.perf_counter() - t0,
    }
    return out


#: Outcomes whose paired difference ``pair_run`` records (the scale outcomes first).
PAIR_OUTCOMES = SCALE_OUTCOMES + tuple(o for o in MORRIS_OUTCOMES if o not in SCALE_OUTCOMES)


def pair_run(args) -> dict[str, Any]:
    """Baseline and manifesto on one seed at one scale; the last-year means of both, timed."""
    scale, seed, steps = args
    out: dict[str, Any] = {"scale": scale, "seed": seed}
    for scenario in ("baseline", "manifesto"):
        t0 = time.perf_counter()
        m = build_model(scenario, {"population_scale": scale}, seed=seed)
        for _ in range(steps):
            m.step()
        series, _, _ = m.outcome_frames()
        for c, v in mean_last_year(series, PAIR_OUTCOMES).items():
            out[f"{scenario}_{c}"] = v
        out[f"{scenario}_seconds"] = time.perf_counter() - t0
        out["citizens"] = int(m.citizens.n)
        del m
    for c in PAIR_OUTCOMES:
        out[f"difference_{c}"] = out[f"manifesto_{c}"] - out[f"baseline_{c}"]
    return out


def start_run(args) -> dict[str, Any]:
    """Collectives and members at step 0 at one scale, by kind."""
    scale, seed = args
    t0 = time.perf_counter()
    m = build_model("baseline", {"population_scale": scale}, seed=seed)
    series, _, _ = m.outcome_frames()
    t = m.collective_table
    active, kind = t.view("active"), t.view("kind")
    out = {"scale": scale, "seed": seed, "citizens": int(m.citizens.n)}
    for c in ("collectives_active", "collective_members", "volunteers", "board_members", "energy_cooperatives",
              "energy_members", "participation_rate"):
        out[c] = series[c].iloc[0]
    for k in CollectiveKind:
        sel = active & (kind == k)
        out[f"{k.name.lower()}_collectives"] = int(sel.sum())
        out[f"{k.name.lower()}_members"] = int(t.view("members")[sel].sum())
    out["seconds"] = time.perf_counter() - t0
    return out


def baseline_series(args) -> pd.DataFrame:
    """The baseline's national series for one seed."""
    scale, seed, steps = args
    m = build_model("baseline", {"population_scale": scale}, seed=seed)
    for _ in range(steps):
        m.step()
    return m.outcome_frames()[0].assign(seed=seed)


# ---- summaries -------------------------------------------------------------------------------
def interval(values) -> dict[str, float]:
    """Median and 90% interval (5% and 95% quantiles) of ``values``."""
    median, p05, p95 = _interval(values)
    return {"median": median, "p05": p05, "p95": p95}


ALLOCATION_MEASURES = (
    "new_places", "share_new_to_without", "share_without_that_got_one", "share_investment_to_without",
    "new_places_open_at_end", "effect_gain_without", "effect_gain_with", "effect_gap_village_neighbourhood",
    "access_gap_village_neighbourhood", "meeting_place_effect", "access", "participation_rate",
    "trust_local_government", "trust_others", "cohesion", "participation_gap_education",
    "trust_local_gap_education", "theil_access_between", "theil_participation_between",
    "theil_trust_local_between", "theil_trust_others_between",
)


def allocation_summary(runs: pd.DataFrame) -> pd.DataFrame:
    """Per measure: each rule's median [90%], the paired difference needs_based - per_capita, and
    whether the difference's 90% interval excludes 0 and how many seeds share its sign."""
    a = runs[runs["rule"] == "needs_based"].set_index("seed")
    b = runs[runs["rule"] == "per_capita"].set_index("seed")
    seeds = a.index.intersection(b.index)
    rows = []
    for c in ALLOCATION_MEASURES:
        d = (a.loc[seeds, c] - b.loc[seeds, c]).to_numpy(dtype=float)
        iv = interval(d)
        rows.append({
            "measure": c,
            **{f"needs_based_{k}": v for k, v in interval(a.loc[seeds, c]).items()},
            **{f"per_capita_{k}": v for k, v in interval(b.loc[seeds, c]).items()},
            **{f"difference_{k}": v for k, v in iv.items()},
            "seeds": len(seeds), "seeds_positive": int((d > 0).sum()), "seeds_negative": int((d < 0).sum()),
            "beyond_noise": bool(iv["p05"] > 0 or iv["p95"] < 0),
        })
    return pd.DataFrame(rows)


def difference_summary(runs: pd.DataFrame) -> pd.DataFrame:
    """Per scale and outcome: median, 90% interval and standard deviation over seeds of the
    paired difference (every ``difference_<outcome>`` column of ``runs``)."""
    rows = []
    outcomes = [c.removeprefix("difference_") for c in runs.columns if c.startswith("difference_")]
    for scale, g in runs.groupby("scale"):
        for c in outcomes:
            rows.append({"scale": scale, "outcome": c, "seeds": len(g), **interval(g[f"difference_{c}"]),
                         "sd": float(g[f"difference_{c}"].std()),
                         "baseline_median": float(g[f"baseline_{c}"].median())})
    out = pd.DataFrame(rows)
    if out["scale"].nunique() == 2:
        lo, hi = sorted(out["scale"].unique())
        a, b = out[out["scale"] == lo].set_index("outcome"), out[out["scale"] == hi].set_index("outcome")
        overlap = (a["p05"] <= b["p95"]) & (b["p05"] <= a["p95"])
        out["intervals_overlap"] = out["outcome"].map(overlap)
    return out


def startup_table(series: pd.DataFrame, factor: float = 3.0) -> pd.DataFrame:
    """Per column of the seed-averaged series: first quarter's change, median |change| over
    quarters 4-40, their ratio, and whether the first exceeds ``factor`` times the median.

    ``placebo_share`` applies the same test to every later quarter (4-40) in place of the
    first: the share of those quarters whose change also exceeds ``factor`` times the median.
    A start-up jump is a first quarter that stands out against these placebo quarters; a
    column that exceeds in many later quarters too is trending or noisy, not jumping.
    ``first_rank`` is the first quarter's place among quarters 1-40 by absolute change (1 =
    the largest).
    """
    mean, change, median = _quarterly_changes(series)
    rows = []
    for c in mean.columns:
        first = float(change[c].loc[1])
        later = change[c].loc[4:40].abs()
        med = float(median[c])
        ratio = abs(first) / med if med > 0 else (math.inf if abs(first) > 0 else 0.0)
        placebo = float((later > factor * med).mean()) if med > 0 else float((later > 0).mean())
        rank = int((change[c].loc[1:40].abs() > abs(first)).sum()) + 1
        rows.append({"column": c, "step0": float(mean[c].loc[0]), "first_change": first,
                     "median_abs_change_q4_40": med, "ratio": ratio, "exceeds": bool(abs(first) > factor * med),
                     "placebo_share": placebo, "first_rank": rank})
    return pd.DataFrame(rows)


def placebo_quarters(series: pd.DataFrame, factor: float = 3.0) -> pd.Series:
    """For every quarter 1-40 as if it were the first: how many columns exceed ``factor`` times
    their median |change| over quarters 4-40 (the criterion of :func:`startup_table`)."""
    _, change, med = _quarterly_changes(series)
    change = change.loc[1:40].abs()
    return (change.gt(factor * med) & med.gt(0)).sum(axis=1).rename("columns_exceeding")


def _quarterly_changes(series: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """The seed-averaged series, its change per quarter, and each column's median absolute
    change over quarters 4-40 (the yardstick of the start-up criterion)."""
    mean = series.groupby("step")[list(OUTCOMES)].mean()
    change = mean.diff()
    return mean, change, change.loc[4:40].abs().median()


# ---- command line ----------------------------------------------------------------------------
def _run_all(fn, jobs, workers, name):
    progress = Progress(len(jobs), name)
    results = ordered_map(fn, jobs, workers, lambda done: progress.update())
    progress.close()
    return results


def _write_sobol_specs(args) -> int:
    """Write the two grouped Sobol specs, each checked by loading it back (exit 2 on a problem)."""
    from ..sweep.design import run_count
    from ..sweep.spec import load_spec

    try:
        for scenario in ("baseline", "manifesto"):
            path = Path(args.dir) / f"sobol-{scenario}.toml"
            path.write_text(sobol_spec_text(scenario, args.samples, args.seed, args.steps), encoding="utf-8")
            spec = load_spec(path)
            print(f"wrote {path}: {len(spec.factors)} uncertainties in {len(spec.groups)} groups, "
                  f"{run_count(spec)} runs")
    except SamenError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m experiments.calibration.checks",
                                     description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="check", required=True)
    for name in ("allocation", "scale-start", "scale-differences", "startup"):
        p = sub.add_parser(name)
        p.add_argument("--out", required=True, help="folder for runs.csv and summary.csv")
        p.add_argument("--seed", type=int, default=20261129, help="master seed (default: 20261129)")
        p.add_argument("--seeds", type=int, help="seeds (replications)")
        p.add_argument("--workers", type=int, default=1)
        p.add_argument("--steps", type=int, default=DEFAULT_STEPS)
        p.add_argument("--scale", type=int, help="population_scale")
        if name == "scale-start":
            p.add_argument("--scales", type=int, nargs="+", default=[20, 100, 1000])
    p = sub.add_parser("morris-specs")
    p.add_argument("--scale", type=int, default=1000)
    p.add_argument("--trajectories", type=int, default=6)
    p.add_argument("--seed", type=int, default=20261129)
    p.add_argument("--steps", type=int, default=DEFAULT_STEPS)
    p.add_argument("--dir", default=str(_shipped_dir()), help="where to write the two specs")
    p = sub.add_parser("sobol-specs")
    p.add_argument("--samples", type=int, default=SOBOL_SAMPLES, help="Sobol base samples (a power of 2)")
    p.add_argument("--seed", type=int, default=20261129)
    p.add_argument("--steps", type=int, default=DEFAULT_STEPS)
    p.add_argument("--dir", default=str(_shipped_dir()), help="where to write the two specs")
    args = parser.parse_args(argv)
    pd.set_option("display.width", 220)
    pd.set_option("display.max_columns", 30)
    if args.check == "morris-specs":
        for scenario in ("baseline", "manifesto"):
            path = Path(args.dir) / f"sensitivity-{scenario}.toml"
            path.write_text(morris_spec_text(scenario, args.scale, args.trajectories, args.seed, args.steps),
                            encoding="utf-8")
            print(f"wrote {path}")
        return 0
    if args.check == "sobol-specs":
        return _write_sobol_specs(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    if args.check == "allocation":
        seeds = child_seeds(args.seed, args.seeds or 10)
        jobs = [(rule, args.scale or 500, s, args.steps) for s in seeds for rule in ("needs_based", "per_capita")]
        runs = pd.DataFrame(_run_all(allocation_run, jobs, args.workers, args.check))
        summary = allocation_summary(runs)
    elif args.check == "scale-start":
        seeds = list(range(1, (args.seeds or 3) + 1))
        jobs = [(scale, s) for scale in args.scales for s in seeds]
        runs = pd.DataFrame(_run_all(start_run, jobs, args.workers, args.check))
        summary = runs.groupby("scale").mean(numeric_only=True).drop(columns=["seed"]).reset_index()
    elif args.check == "scale-differences":
        seeds = child_seeds(args.seed, args.seeds or 10)
        jobs = [(args.scale or 100, s, args.steps) for s in seeds]
        runs = pd.DataFrame(_run_all(pair_run, jobs, args.workers, args.check))
        summary = difference_summary(runs)
    else:
        seeds = child_seeds(args.seed, args.seeds or 3)
        jobs = [(args.scale or 300, s, args.steps) for s in seeds]
        frames = _run_all(baseline_series, jobs, args.workers, args.check)
        runs = pd.concat(frames, ignore_index=True)
        summary = startup_table(runs)
        counts = placebo_quarters(runs)
        counts.to_csv(out / "placebo.csv")
        later = counts.loc[4:40]
        print(f"columns exceeding in quarter 1: {counts.loc[1]}; in quarters 4-40 (placebo): median "
              f"{later.median():.0f}, max {later.max()}, {int((later >= counts.loc[1]).sum())} of "
              f"{len(later)} quarters with at least as many (placebo.csv)")
    runs.to_csv(out / "runs.csv", index=False)
    summary.to_csv(out / "summary.csv", index=False)
    print(summary.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    print(f"{args.check}: {len(runs)} rows in {time.perf_counter() - t0:.0f} s; written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
