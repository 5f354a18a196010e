"""Sensitivity of the manifesto-minus-baseline difference (issues 7 and 12, docs/validation.md).

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
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import SamenError
from ..sweep.analysis import CONF_LEVEL, load_sweep, sample_means
from ..sweep.design import problem

SUFFIX = "_mean_last_year"
#: Parameters listed per outcome in ``top.csv``.
TOP = 15


def paired(base_dir: str | Path, policy_dir: str | Path):
    """The two sweeps, checked to share their design; returns (base, policy, outcomes)."""
    base, policy = load_sweep(base_dir), load_sweep(policy_dir)
    for s in (base, policy):
        if s.spec.design != "morris":
            raise SamenError(f"{s.path} is not a Morris sweep")
    names = list(problem(base.spec)["names"])
    if (names != list(problem(policy.spec)["names"]) or not base.design[names].equals(policy.design[names])
            or base.spec.seed != policy.spec.seed):
        raise SamenError("the two sweeps must share their design and seed (same spec but the scenario)")
    if not (base.spec.common_random_numbers and policy.spec.common_random_numbers):
        raise SamenError("both sweeps need common_random_numbers = true to pair their runs")
    outcomes = [o + SUFFIX for o in base.spec.outcomes if o in policy.spec.outcomes]
    return base, policy, outcomes


def analyse(base_dir, policy_dir, resamples: int = 1000) -> tuple[pd.DataFrame, pd.DataFrame]:
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
        summary.append({"outcome": name, "runs": len(d), "baseline_median": float(yb[o].median()),
                        "difference_min": float(d.min()), "difference_p05": float(np.quantile(d, 0.05)),
                        "difference_median": float(np.median(d)), "difference_p95": float(np.quantile(d, 0.95)),
                        "difference_max": float(d.max()), "share_positive": float(np.mean(d > 0)),
                        "share_negative": float(np.mean(d < 0)), "constant": bool(d.max() == d.min())})
        for label, y in (("baseline", yb[o].to_numpy(dtype=float)), ("difference", d)):
            res = morris.analyze(prob, x, y, num_resamples=resamples, conf_level=CONF_LEVEL,
                                 num_levels=base.spec.levels, seed=base.spec.seed % 2**32)
            for i, pname in enumerate(prob["names"]):
                rows.append({"outcome": name, "of": label, "parameter": pname, "mu": res["mu"][i],
                             "mu_star": res["mu_star"][i], "mu_star_conf": res["mu_star_conf"][i],
                             "sigma": res["sigma"][i]})
    return pd.DataFrame(summary), pd.DataFrame(rows)


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m experiments.calibration.sensitivity", description=__doc__)
    parser.add_argument("base")
    parser.add_argument("policy")
    parser.add_argument("--out", required=True, help="folder for difference.csv, morris.csv, sensitivity.png")
    args = parser.parse_args(argv)
    try:
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
