"""Hindcast: run the past and compare it with what was observed (issue 14, item 3).

``samen validate --hindcast`` runs a calibration spec's scenario (default
:data:`DEFAULT_SPEC`, ``hindcast.toml``: scenario ``hindcast-2012``, 1 January 2012 to 1
January 2024) with the spec's ``[parameters]`` for ``replications`` seeds (replication r gets
:func:`experiments.api.child_seed` ``(seed, r)``), through the sweep runner's process pool
(:func:`experiments.sweep.runner.ordered_map`), and measures every target of the spec in
every replication (:meth:`experiments.calibration.Target.compute`).

Split: the spec's ``fit_until`` divides the targets. Those whose ``to_year`` lies before it
are *in sample*: ``samen calibrate`` fitted them, and from runs that stopped at ``fit_until``.
The others are *out of sample*: the calibration never saw them, nor simulated their years, so
they are the test (a spec without ``fit_until`` has every target in sample).

Pass rule: a target passes when its data value lies within the simulated 90% interval (the
5% and 95% quantiles over replications) widened on each side by the target's tolerance,
``p05 - tolerance <= value <= p95 + tolerance``. The tolerance stands for the data's own
uncertainty and the gap between what a survey asks and what the model measures (e.g. trust
in the Tweede Kamer against trust in national government); the interval for the model's
randomness.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..api import child_seeds
from ..errors import SamenError
from ..sweep.runner import ordered_map
from . import SPEC_DIR, CalibrationSpec, Target
from .measures import run_measured
from .validation import format_value as validation_value

DEFAULT_SPEC = SPEC_DIR / "hindcast.toml"
PASS_RULE = ("a target passes when its data value lies within the simulated 90% interval "
             "(5%-95% over replications) widened on each side by its tolerance")
FILES = ("hindcast.csv", "hindcast.md", "series.csv", "hindcast.png", "manifest.json")
#: Titles and y-axis labels of the figure's panels; shares are drawn as percentages.
LABELS = {
    "energy_cooperatives": ("Energy cooperatives", "cooperatives"),
    "energy_members": ("Members of energy cooperatives", "residents"),
    "municipalities_with_energy_cooperative": ("Municipalities with an energy cooperative", "share of municipalities"),
    "village_shops": ("Village shops", "shops"),
    "participation_rate": ("Volunteered in the past 12 months", "share of adults"),
    "trust_government": ("Trust in national government (data: Tweede Kamer)", "share who trust"),
    "trust_local_government": ("Trust in local government", "share who trust"),
    "trust_others": ("Trust in other people", "share who trust"),
}
SHARES = {"municipalities_with_energy_cooperative", "participation_rate", "trust_government",
          "trust_local_government", "trust_others"}
MONTHS = {0.0: "1 Jan", 0.25: "1 Apr", 0.5: "1 Jul", 0.75: "1 Oct"}


# ---- the rule and the labels -----------------------------------------------------------------
def passes(value: float, tolerance: float, p05: float, p95: float) -> bool:
    """The pass rule (module docstring): ``p05 - tolerance <= value <= p95 + tolerance``."""
    return bool(np.isfinite(p05) and np.isfinite(p95) and p05 - tolerance <= value <= p95 + tolerance)


def years_label(t: Target) -> str:
    """When a target is measured: ``2017`` or ``2012-2016`` for means and growth, the date
    (``1 Jan 2017``, ``1 Oct 2022``) for a state at one date."""
    if t.statistic in ("start", "at"):
        year = math.floor(t.from_year)
        return f"{MONTHS.get(round(t.from_year - year, 2), f'{t.from_year:g}')} {year}"
    if t.from_year == t.to_year:
        return f"{t.from_year:g}"
    return f"{t.from_year:g}-{t.to_year:g}"


def split_text(spec: CalibrationSpec) -> str:
    """The split in words, for the printed output and the manifest."""
    if spec.fit_until is None:
        return "no fit_until: every target is in sample"
    return (f"in sample: targets before 1 Jan {spec.fit_until} (fitted by samen calibrate, on runs that stop "
            f"there); out of sample: from 1 Jan {spec.fit_until} on (never seen by the calibration)")


def columns(spec: CalibrationSpec) -> list[str]:
    """The compared columns of the national series, in the order of the spec's targets."""
    return list(dict.fromkeys(t.measure for t in spec.targets))


# ---- checks -------------------------------------------------------------------------------------
def check_steps(spec: CalibrationSpec, steps: int) -> None:
    """SamenError unless ``steps`` quarters reach every target (names the first that is too late)."""
    late = [t for t in spec.targets if t.steps_needed(spec.start_year) > steps]
    if late:
        t = max(late, key=lambda t: t.steps_needed(spec.start_year))
        raise SamenError(f"--steps {steps} does not reach the targets: {t.name} ({years_label(t)}) needs "
                         f"{t.steps_needed(spec.start_year)} quarters from {spec.start_year}")


# ---- running ----------------------------------------------------------------------------------
def _one(job) -> pd.DataFrame:
    scenario, overrides, seed, steps, cols = job
    series = run_measured(scenario, overrides, seed, steps)
    return series[["step", "year", *cols]]


def run_replications(spec: CalibrationSpec, replications: int, seed: int, steps: int, overrides: dict,
                     workers: int = 1, progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """The compared columns of every replication, stacked: ``replication``, ``seed``, ``step``,
    ``year`` and one column per compared measure."""
    overrides = {"start_year": spec.start_year, **overrides}
    seeds = child_seeds(seed, replications)
    cols = columns(spec)
    frames = ordered_map(_one, [(spec.scenario, overrides, s, steps, cols) for s in seeds], workers, progress)
    return pd.concat([f.assign(replication=r, seed=s) for r, (f, s) in enumerate(zip(frames, seeds, strict=True))],
                     ignore_index=True)[["replication", "seed", "step", "year", *cols]]


def table(spec: CalibrationSpec, series: pd.DataFrame) -> pd.DataFrame:
    """One row per target: what is compared, the data, the simulated median and 90% interval
    over replications, in or out of sample, and whether it passes."""
    runs = [frame for _, frame in series.groupby("replication", sort=True)]
    rows = []
    for t in spec.targets:
        values = np.array([t.compute(run) for run in runs], dtype=float)
        values = values[np.isfinite(values)]
        median, p05, p95 = (float(np.quantile(values, q)) if len(values) else math.nan for q in (0.5, 0.05, 0.95))
        rows.append({"pattern": t.name, "column": t.measure, "statistic": t.statistic, "source": t.source,
                     "years": years_label(t), "from_year": t.from_year, "to_year": t.to_year, "data": t.value,
                     "tolerance": t.tolerance, "n": len(values), "median": median, "p05": p05, "p95": p95,
                     "sample": spec.sample(t), "passed": passes(t.value, t.tolerance, p05, p95)})
    return pd.DataFrame(rows)


def hindcast(spec: CalibrationSpec, replications: int, seed: int, steps: int, overrides: dict,
             workers: int = 1, progress: Callable[[int], None] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the hindcast; return (table, series of every replication)."""
    if replications < 1:
        raise SamenError(f"--replications {replications} must be at least 1")
    check_steps(spec, steps)
    series = run_replications(spec, replications, seed, steps, overrides, workers, progress)
    return table(spec, series), series


# ---- reporting --------------------------------------------------------------------------------
def format_value(x: float, column: str = "", growth: bool = False) -> str:
    """Shares and growth rates as percentages, the rest as the validation table writes numbers."""
    if not np.isfinite(x):
        return "n/a"
    if growth:
        return f"{x:+.1%}/yr"
    if column in SHARES:
        return f"{x:.1%}"
    return validation_value(x)


def counts(result: pd.DataFrame) -> dict[str, int]:
    """Passed and total, overall and per sample."""
    ins, outs = result[result["sample"] == "in"], result[result["sample"] == "out"]
    return {"passed": int(result["passed"].sum()), "targets": len(result),
            "in_passed": int(ins["passed"].sum()), "in_targets": len(ins),
            "out_passed": int(outs["passed"].sum()), "out_targets": len(outs)}


def summary_line(result: pd.DataFrame) -> str:
    """``N of M pass (in sample: a of b; out of sample: c of d)``."""
    c = counts(result)
    return (f"{c['passed']} of {c['targets']} pass (in sample: {c['in_passed']} of {c['in_targets']}; "
            f"out of sample: {c['out_passed']} of {c['out_targets']})")


def markdown(result: pd.DataFrame) -> str:
    """The table as Markdown: pattern, source, years, data, median [5%, 95%], in/out, result."""
    lines = ["| Pattern | Source | Years | Data | Simulated median [5%, 95%] | Sample | Result |",
             "|---|---|---|---|---|---|---|"]
    for r in result.itertuples():
        def fmt(x, r=r):
            return format_value(x, r.column, r.statistic == "growth")

        data = f"{fmt(r.data)} +/- {fmt(r.tolerance).lstrip('+')}"
        sim = f"{fmt(r.median)} [{fmt(r.p05)}, {fmt(r.p95)}]" if r.n > 1 else f"{fmt(r.median)} ({r.n} run)"
        lines.append(f"| {r.pattern} | {r.source} | {r.years} | {data} | {sim} | {r.sample} | "
                     f"{'pass' if r.passed else '**fail**'} |")
    return "\n".join(lines) + "\n"


def _data_point(ax, r, color: str, bands: pd.DataFrame) -> None:
    """One target on its column's panel: a date or a period's mean as a marker with the
    tolerance as error bar; a growth rate as the data's trend line from the simulated median at
    its first year, with the tolerance as a dashed fan."""
    if r.statistic == "growth":
        start = bands.loc[np.isclose(bands.index, r.from_year), "median"]
        if not len(start):
            return
        x = np.linspace(r.from_year, r.to_year, 20)
        level = float(start.iloc[0])
        ax.plot(x, level * (1 + r.data) ** (x - r.from_year), color=color, lw=2)
        for edge in (r.data - r.tolerance, r.data + r.tolerance):
            ax.plot(x, level * (1 + edge) ** (x - r.from_year), color=color, lw=0.8, ls="--")
        return
    if r.statistic == "mean":
        mid, half = (r.from_year + r.to_year + 1) / 2, (r.to_year + 1 - r.from_year) / 2
        ax.errorbar(mid, r.data, xerr=half, yerr=r.tolerance, fmt="s", color=color, ms=4, capsize=2, lw=1)
        return
    ax.errorbar(r.from_year, r.data, yerr=r.tolerance, fmt="o", color=color, ms=4, capsize=2, lw=1)


def figure(result: pd.DataFrame, series: pd.DataFrame, spec: CalibrationSpec):
    """One panel per compared column: the simulated 5-95% band over replications and the median,
    the data with their tolerances (green pass, vermillion fail), the split as a vertical line
    and the out-of-sample years shaded."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

    from ..charts import PALETTE, style_axes

    cols = columns(spec)
    ncols = min(len(cols), 3)
    nrows = -(-len(cols) // ncols)
    fig = Figure(figsize=(4.6 * ncols, 3.3 * nrows + 0.8), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    end = float(series["year"].max())
    for ax, column in zip(axes.flat, cols, strict=False):
        bands = series.groupby("year")[column].quantile([0.05, 0.5, 0.95]).unstack()
        bands.columns = ["p05", "median", "p95"]
        if spec.fit_until is not None and spec.fit_until < end:
            ax.axvspan(spec.fit_until, end, color="0.93", lw=0)
            ax.axvline(spec.fit_until, color="0.4", lw=0.8, ls=":")
        ax.fill_between(bands.index, bands["p05"], bands["p95"], color=PALETTE["sky"], alpha=0.45, lw=0)
        ax.plot(bands.index, bands["median"], color=PALETTE["blue"], lw=1.4)
        for r in result[result["column"] == column].itertuples():
            _data_point(ax, r, PALETTE["green"] if r.passed else PALETTE["vermillion"], bands)
        title, unit = LABELS.get(column, (column.replace("_", " ").capitalize(), ""))
        style_axes(ax, title, xlabel="year", ylabel=unit)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if column in SHARES:
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        else:
            ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:,.0f}"))
            ax.set_ylim(bottom=0)
    for ax in list(axes.flat)[len(cols):]:
        ax.set_visible(False)
    handles = [Patch(color=PALETTE["sky"], alpha=0.45, label="simulated 5-95%"),
               Line2D([], [], color=PALETTE["blue"], label="simulated median"),
               Line2D([], [], color=PALETTE["green"], marker="o", ls="", label="data, pass (+/- tolerance)"),
               Line2D([], [], color=PALETTE["vermillion"], marker="o", ls="", label="data, fail (+/- tolerance)")]
    if spec.fit_until is not None:
        handles.append(Patch(color="0.93", label=f"out of sample (from {spec.fit_until})"))
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8, frameon=False)
    runs = series["replication"].nunique()
    fig.suptitle(f"Hindcast {spec.scenario}: {runs} replications against the data ({summary_line(result)})",
                 fontsize=10)
    return fig


def manifest(spec: CalibrationSpec, result: pd.DataFrame, *, replications: int, seed: int, steps: int,
             overrides: dict, seeds: Sequence[int]) -> dict[str, Any]:
    """What the hindcast folder's manifest records besides :func:`experiments.output.manifest_base`."""
    return {"kind": "hindcast", "scenario": spec.scenario, "start_year": spec.start_year,
            "fit_until": spec.fit_until, "split": split_text(spec), "pass_rule": PASS_RULE,
            "replications": replications, "seed": seed, "seeds": list(seeds), "steps": steps,
            "overrides": overrides, "spec_path": spec.path, "spec": spec.to_dict(), **counts(result),
            "files": list(FILES)}
