"""Sensitivity of the manifesto-minus-baseline difference (issues 7, 12 and 14, docs/validation.md).

Reads two Morris sweeps with the same design, seed and common random numbers, one under the
baseline and one under the manifesto (``experiments/sweeps/sensitivity-*.toml``, every
uncertainty parameter), and for each outcome (the mean over the last simulated year) reports

- Morris mu*, mu and sigma of the baseline outcome and of the paired difference
  (manifesto minus baseline, sample by sample), via SALib;
- the range of the difference over the design (minimum, 5%, median, 95%, maximum), the
  share of samples in which it is positive or negative (does its sign survive across the
  plausible range?), and whether it is constant over the design.

Run (writes ``difference.csv``, ``morris.csv``, ``top.csv`` (the 15 largest mu* of each
difference) and ``sensitivity.png`` to ``--out``):

    python -m experiments.calibration.sensitivity BASE_DIR POLICY_DIR --out docs/figures/sensitivity

With ``--sobol`` it reads two grouped Sobol sweeps instead (``experiments/sweeps/sobol-*.toml``,
issue 14: every uncertainty varies, grouped by mechanism) and writes ``difference.csv`` (as
above), ``sobol.csv`` (per outcome and group the first-order and total Sobol indices of the
paired difference, S1 and ST, with the half-widths S1_conf and ST_conf of their 95% bootstrap
intervals) and ``sobol.png`` (one panel per mission outcome). ``samen brief --sensitivity DIR``
turns that folder into the brief's "How sure are we?" section. An outcome whose difference is
the same in every sample has no variance to apportion: it gets no Sobol rows and is reported
as constant.

    python -m experiments.calibration.sensitivity --sobol BASE_DIR POLICY_DIR --out docs/figures/sobol
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import SamenError
from ..i18n import MISSION_OUTCOMES  # the outcomes sobol.png shows, one panel each
from ..sweep.analysis import CONF_LEVEL, RESAMPLES, index_names, load_sweep, sample_means, sobol_analysis
from ..sweep.design import problem

SUFFIX = "_mean_last_year"
#: Parameters listed per outcome in ``top.csv``.
TOP = 15
#: Columns of ``sobol.csv``.
SOBOL_COLUMNS = ["outcome", "group", "S1", "S1_conf", "ST", "ST_conf"]
#: What the two paired sweeps must be, per mode.
DESIGN_NAMES = {"morris": "Morris", "sobol": "Sobol"}


def paired(base_dir: str | Path, policy_dir: str | Path, design: str = "morris"):
    """The two sweeps, checked to share their design (and groups), seed and common random
    numbers; returns (base, policy, outcomes)."""
    base, policy = load_sweep(base_dir), load_sweep(policy_dir)
    for s in (base, policy):
        if s.spec.design != design:
            raise SamenError(f"{s.path} is not a {DESIGN_NAMES[design]} sweep")
    names = list(problem(base.spec)["names"])
    if (problem(base.spec) != problem(policy.spec) or not base.design[names].equals(policy.design[names])
            or base.spec.seed != policy.spec.seed):
        raise SamenError("the two sweeps must share their design and seed (same spec but the scenario)")
    if not (base.spec.common_random_numbers and policy.spec.common_random_numbers):
        raise SamenError("both sweeps need common_random_numbers = true to pair their runs")
    outcomes = [o + SUFFIX for o in base.spec.outcomes if o in policy.spec.outcomes]
    return base, policy, outcomes


def difference_row(name: str, baseline: np.ndarray, d: np.ndarray) -> dict:
    """One row of ``difference.csv``: the difference's range over the design, the share of
    samples on either side of 0 (does its sign survive?), and whether it is constant."""
    return {"outcome": name, "runs": len(d), "baseline_median": float(np.median(baseline)),
            "difference_min": float(d.min()), "difference_p05": float(np.quantile(d, 0.05)),
            "difference_median": float(np.median(d)), "difference_p95": float(np.quantile(d, 0.95)),
            "difference_max": float(d.max()), "share_positive": float(np.mean(d > 0)),
            "share_negative": float(np.mean(d < 0)), "constant": bool(d.max() == d.min())}


def analyse(base_dir, policy_dir, resamples: int = RESAMPLES) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(difference summary per outcome, Morris indices of baseline and difference)."""
    from SALib.analyze import morris

    base, policy, outcomes = paired(base_dir, policy_dir)
    yb = sample_means(base, outcomes)
    yp = sample_means(policy, outcomes)
    diff = yp - yb
    prob = problem(base.spec)
    x = base.design[prob["names"]].to_numpy(dtype=float)
    summary, rows = [], []
    for o in outcomes:
        name = o.removesuffix(SUFFIX)
        d = diff[o].to_numpy(dtype=float)
        summary.append(difference_row(name, yb[o].to_numpy(dtype=float), d))
        for label, y in (("baseline", yb[o].to_numpy(dtype=float)), ("difference", d)):
            res = morris.analyze(prob, x, y, num_resamples=resamples, conf_level=CONF_LEVEL,
                                 num_levels=base.spec.levels, seed=base.spec.seed % 2**32)
            for i, pname in enumerate(prob["names"]):
                rows.append({"outcome": name, "of": label, "parameter": pname, "mu": res["mu"][i],
                             "mu_star": res["mu_star"][i], "mu_star_conf": res["mu_star_conf"][i],
                             "sigma": res["sigma"][i]})
    return pd.DataFrame(summary), pd.DataFrame(rows)


def analyse_sobol(base_dir, policy_dir, resamples: int = RESAMPLES) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(difference summary per outcome, Sobol indices of the paired difference per group).

    The difference is taken sample by sample (same raw design, same seeds), so its variance
    over the design is what the uncertainties do to the manifesto's effect, not seed noise
    between the scenarios. A constant difference is left out of the indices (``constant``
    in the summary says so)."""
    base, policy, outcomes = paired(base_dir, policy_dir, "sobol")
    yb = sample_means(base, outcomes)
    diff = sample_means(policy, outcomes) - yb
    groups = index_names(problem(base.spec))
    summary, rows = [], []
    for o in outcomes:
        name = o.removesuffix(SUFFIX)
        d = diff[o].to_numpy(dtype=float)
        summary.append(difference_row(name, yb[o].to_numpy(dtype=float), d))
        if summary[-1]["constant"]:
            continue
        res = sobol_analysis(base.spec, d, resamples)
        for i, group in enumerate(groups):
            rows.append({"outcome": name, "group": group, **{k: float(res[k][i]) for k in SOBOL_COLUMNS[2:]}})
    return pd.DataFrame(summary), pd.DataFrame(rows, columns=SOBOL_COLUMNS)


def group_label(group: str) -> str:
    """A group's name as a chart label: ``trust_in_government`` -> ``trust in government``."""
    return group.replace("_", " ")


def sobol_figure(table: pd.DataFrame, outcomes: tuple[str, ...] = MISSION_OUTCOMES):
    """Per mission outcome in ``table`` one panel: the total index ST of each group (bar, 95%
    whisker) with the first-order S1 beside it, groups sorted by ST, largest on top."""
    from matplotlib.figure import Figure

    from ..charts import PALETTE

    shown = [o for o in outcomes if o in set(table["outcome"])]
    if not shown:
        raise SamenError(f"sobol.csv has no rows for the mission outcomes ({', '.join(outcomes)}); "
                         "are their differences all constant?")
    n_groups = table["group"].nunique()
    cols = min(len(shown), 3)
    rows = -(-len(shown) // cols)
    fig = Figure(figsize=(4.6 * cols, (0.32 * n_groups + 1.2) * rows), layout="constrained")
    for k, outcome in enumerate(shown):
        ax = fig.add_subplot(rows, cols, k + 1)
        part = table[table["outcome"] == outcome].sort_values("ST", ascending=True)
        y = np.arange(len(part))
        for offset, key, label, colour in ((0.19, "ST", "total (ST)", PALETTE["orange"]),
                                           (-0.19, "S1", "first order (S1)", PALETTE["blue"])):
            ax.barh(y + offset, part[key], height=0.38, xerr=part[f"{key}_conf"], color=colour, label=label,
                    error_kw={"elinewidth": 0.8, "capsize": 2})
        ax.set_yticks(y, [group_label(g) for g in part["group"]], fontsize=7)
        ax.axvline(0, color=PALETTE["black"], linewidth=0.6)
        ax.set_title(f"{outcome}: manifesto - baseline", fontsize=9)
        ax.set_xlabel("Sobol index (95% bootstrap interval)", fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
        if k == 0:
            ax.legend(fontsize=7, frameon=False, loc="lower right")
    return fig


def top(indices: pd.DataFrame, n: int = TOP) -> pd.DataFrame:
    """The ``n`` parameters with the largest mu* of each outcome's difference, ranked."""
    d = indices[indices["of"] == "difference"].sort_values(["outcome", "mu_star"], ascending=[True, False])
    d = d.groupby("outcome", sort=False).head(n).copy()
    d["rank"] = d.groupby("outcome").cumcount() + 1
    return d[["outcome", "rank", "parameter", "mu_star", "mu_star_conf", "mu", "sigma"]]


def figure(summary: pd.DataFrame, indices: pd.DataFrame, rows: int = 5):
    """Left: each outcome's difference over the design (dot: median; thick: 5-95%; thin: minimum
    to maximum), scaled by its largest absolute value. Right: the mu* of the difference,
    normalised by the outcome's largest mu*, for the parameters among the ``rows`` largest of
    any outcome."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = indices[indices["of"] == "difference"].copy()
    d["norm"] = d["mu_star"] / d.groupby("outcome")["mu_star"].transform("max").replace(0, np.nan)
    shown = sorted(set(top(indices, rows)["parameter"]))
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, max(4.2, 0.22 * len(shown) + 1.5)),
                               gridspec_kw={"width_ratios": [1, 1.4]})
    n = len(summary)
    for i, r in enumerate(summary.itertuples()):
        y = n - 1 - i
        scale = max(abs(r.difference_min), abs(r.difference_max), 1e-12)
        a.plot([r.difference_min / scale, r.difference_max / scale], [y, y], color="tab:blue", lw=0.8)
        a.plot([r.difference_p05 / scale, r.difference_p95 / scale], [y, y], color="tab:blue", lw=3)
        a.plot([r.difference_median / scale], [y], "o", color="navy")
        a.annotate(f"{r.share_positive:.0%} > 0", (1.05, y), fontsize=7, va="center")
    a.axvline(0, color="0.5", lw=0.8)
    a.set_yticks(range(n))
    a.set_yticklabels(list(summary["outcome"])[::-1], fontsize=8)
    a.set_xlim(-1.1, 1.5)
    a.set_xlabel("manifesto - baseline, scaled to its largest |value| over the design")
    a.set_title("Difference over the design (median, 5-95%, min-max)", fontsize=9)
    grid = d.pivot(index="parameter", columns="outcome", values="norm").loc[shown, list(summary["outcome"])]
    im = b.imshow(grid.to_numpy(dtype=float), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    b.set_xticks(range(grid.shape[1]))
    b.set_xticklabels(grid.columns, rotation=40, ha="right", fontsize=7)
    b.set_yticks(range(grid.shape[0]))
    b.set_yticklabels(grid.index, fontsize=7)
    b.set_title(f"Morris mu* of the difference (1 = most influential; top {rows} of any outcome)", fontsize=9)
    fig.colorbar(im, ax=b, fraction=0.04)
    fig.tight_layout()
    return fig


def write_sobol(summary: pd.DataFrame, table: pd.DataFrame, out: Path) -> None:
    """``difference.csv``, ``sobol.csv`` and ``sobol.png`` in ``out``; prints the summary, the
    two groups with the largest ST per outcome, and which outcomes are constant."""
    figure = sobol_figure(table)  # before writing: a table without mission outcomes stops here
    out.mkdir(parents=True, exist_ok=True)
    summary.to_csv(out / "difference.csv", index=False)
    table.to_csv(out / "sobol.csv", index=False, float_format="%.5g")
    figure.savefig(out / "sobol.png", dpi=150)
    pd.set_option("display.width", 200)
    print(summary.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    leaders = table.sort_values(["outcome", "ST"], ascending=[True, False]).groupby("outcome").head(2)
    print(leaders.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    for name in summary.loc[summary["constant"], "outcome"]:
        print(f"{name}: the difference is constant over the design; no Sobol indices")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m experiments.calibration.sensitivity", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base")
    parser.add_argument("policy")
    parser.add_argument("--sobol", action="store_true",
                        help="two grouped Sobol sweeps: write difference.csv, sobol.csv, sobol.png")
    parser.add_argument("--out", required=True, help="folder for difference.csv, morris.csv, sensitivity.png")
    args = parser.parse_args(argv)
    try:
        if args.sobol:
            write_sobol(*analyse_sobol(args.base, args.policy), Path(args.out))
            return 0
        summary, indices = analyse(args.base, args.policy)
    except SamenError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    summary.to_csv(out / "difference.csv", index=False)
    indices.to_csv(out / "morris.csv", index=False, float_format="%.5g")
    ranked = top(indices)
    ranked.to_csv(out / "top.csv", index=False, float_format="%.5g")
    figure(summary, indices).savefig(out / "sensitivity.png", dpi=100)
    pd.set_option("display.width", 200)
    print(summary.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    print(ranked[ranked["rank"] <= 5].to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
