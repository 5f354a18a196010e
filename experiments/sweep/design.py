"""Designs: from a spec's ranges to a table of samples, and from samples to seeded runs.

Every factor is sampled on a numeric axis, the *raw* value, and then mapped to a value the
model accepts:

- a float parameter is sampled on ``[low, high]`` and used as is;
- an integer parameter is sampled on ``[low - 0.5, high + 0.5]`` and rounded half up
  (then clipped), so every whole number in the range gets the same share of samples;
- a choice parameter with k choices is sampled on ``[0, k]`` and its category is
  ``floor(raw)`` (the upper edge belongs to the last choice). Sobol and Morris therefore
  treat a choice as a uniform variable over its categories: its index measures how much
  the outcome varies with the choice, and a Morris elementary effect of a choice is the
  effect of moving to another category, in units of the whole category axis. The order
  of the listed choices matters only for Morris (neighbouring categories are one step).

The raw matrix is what SALib analyses (``problem()`` gives its bounds) and is saved as
``design.parquet`` beside the runs; ``runs.parquet`` holds the mapped values.

Seeds (``run_seed``): the design's own sampler draws from
``SeedSequence(master, spawn_key=(0,))`` and run ``(sample, replication)`` gets
:func:`experiments.api.child_seed` ``(master, 1, sample, replication)``, the seed of
``SeedSequence(master).spawn(2)[1].spawn(S)[sample].spawn(R)[replication]``, independent of S
and R. A seed therefore depends only on the master seed and the run's position, never on the
executor, the number of workers or the order runs finish in. With
``common_random_numbers`` (the default of the scenarios design) every sample's
replication r gets the seed of position ``(1, r)``: scenarios are compared on the same
random draws, so their differences can be paired by replication.

The ``policies`` design crosses named scenarios (the policies) with a Latin hypercube of
``samples`` futures over the uncertainties: sample ``p * samples + f`` is policy p in
future f (column ``future``), every policy gets the same uncertainty values in future f,
and run (future f, replication r) gets the seed of position ``(1, f, r)`` whatever the
policy. A policy's shortfall against the best policy in a future is then a difference on
the same draws (robust decision making: Lempert et al. 2006; regret as in Savage 1951).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..api import child_seed
from .spec import Factor, SweepSpec


@dataclass(frozen=True)
class RunTask:
    """One run of a sweep: its position, seed and the inputs of the run function."""

    run_id: int
    sample_id: int
    replication: int
    seed: int
    scenario: str
    overrides: dict[str, Any]  # the fixed [parameters] plus this sample's varied values
    values: dict[str, Any]  # this sample's varied values only
    steps: int


def run_seed(master: int, sample_id: int, replication: int, common: bool = False) -> int:
    """The seed of run (sample_id, replication): a 63-bit integer (see the module docstring)."""
    return child_seed(master, 1, replication) if common else child_seed(master, 1, sample_id, replication)


def _design_seed(master: int) -> int:
    """The sampler's seed: 32 bits, because SALib's samplers seed numpy's legacy generator."""
    ss = np.random.SeedSequence(master, spawn_key=(0,))
    return int(ss.generate_state(1, dtype=np.uint32)[0])


def raw_bounds(f: Factor) -> tuple[float, float]:
    """The interval on which ``f`` is sampled (see the module docstring)."""
    if f.kind == "choice":
        return 0.0, float(len(f.choices))
    if f.kind == "int":
        return f.low - 0.5, f.high + 0.5
    return float(f.low), float(f.high)


def problem(spec: SweepSpec) -> dict[str, Any]:
    """The SALib problem of the spec's factors, in raw units; with ``[groups]`` also each
    factor's group, so that SALib samples and analyses groups instead of single factors."""
    prob: dict[str, Any] = {"num_vars": len(spec.factors), "names": list(spec.factor_names),
                            "bounds": [list(raw_bounds(f)) for f in spec.factors]}
    if spec.groups:
        prob["groups"] = list(spec.factor_groups)
    return prob


def to_value(f: Factor, raw: float) -> Any:
    """The model value of a raw sample of factor ``f``."""
    if f.kind == "choice":
        return f.choices[min(int(np.floor(raw)), len(f.choices) - 1)]
    if f.kind == "int":
        return int(min(max(np.floor(raw + 0.5), f.low), f.high))
    return float(raw)


def raw_matrix(spec: SweepSpec) -> np.ndarray:
    """The raw sample matrix (samples x factors) of the spec's design; empty for scenarios,
    the futures (not yet crossed with the policies) for policies."""
    d = len(spec.factors)
    if spec.design == "scenarios":
        return np.zeros((len(spec.scenarios), 0))
    if spec.design == "grid":
        axes = [_grid_axis(f, spec.levels) for f in spec.factors]
        return np.array(list(itertools.product(*axes)), dtype=float).reshape(-1, d)
    seed = _design_seed(spec.seed)
    if spec.design in ("lhs", "policies"):  # policies: the futures, crossed with the policies later
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d, rng=np.random.default_rng(seed)).random(spec.samples)
        lo, hi = np.array([raw_bounds(f) for f in spec.factors]).T
        return lo + unit * (hi - lo)
    if spec.design == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem(spec), spec.samples, calc_second_order=spec.second_order, seed=seed)
    if spec.design == "morris":
        from SALib.sample import morris

        return morris.sample(problem(spec), spec.samples, num_levels=spec.levels, seed=seed)
    raise ValueError(f"unknown design {spec.design!r}")


def _grid_axis(f: Factor, levels: int) -> list[float]:
    if f.kind == "choice":
        return [i + 0.5 for i in range(len(f.choices))]  # the middle of each category
    if f.values:
        return sorted(f.values)
    axis = np.linspace(f.low, f.high, levels)
    if f.kind == "int":
        axis = np.unique(np.floor(axis + 0.5))
    return [float(v) for v in axis]


def sample_count(spec: SweepSpec) -> int:
    """How many samples the spec's design has (each runs ``replications`` times); a grouped
    Sobol design counts its groups, not its factors."""
    k = len(spec.groups) if spec.groups else len(spec.factors)
    if spec.design == "scenarios":
        return len(spec.scenarios)
    if spec.design == "grid":
        return len(raw_matrix(spec))
    if spec.design == "sobol":
        return spec.samples * (2 * k + 2 if spec.second_order else k + 2)
    if spec.design == "morris":
        return spec.samples * (k + 1)
    if spec.design == "policies":
        return len(spec.scenarios) * spec.samples
    return spec.samples


def run_count(spec: SweepSpec) -> int:
    """How many runs the sweep has: samples times replications."""
    return sample_count(spec) * spec.replications


def build_design(spec: SweepSpec) -> pd.DataFrame:
    """The design table: ``sample_id``, ``scenario`` (``future`` for policies) and one raw
    column per factor."""
    raw = raw_matrix(spec)
    frame = pd.DataFrame(raw, columns=list(spec.factor_names))
    if spec.design == "policies":
        futures = frame
        frame = pd.concat([futures.assign(scenario=p, future=np.arange(len(futures), dtype=np.int64))
                           for p in spec.scenarios], ignore_index=True)
        frame = frame[["scenario", "future", *spec.factor_names]]
    else:
        frame.insert(0, "scenario", list(spec.scenarios) if spec.design == "scenarios" else spec.scenario)
    frame.insert(0, "sample_id", np.arange(len(frame), dtype=np.int64))
    return frame


def future_of(spec: SweepSpec, sample_id):
    """The future (uncertainty sample) of ``sample_id`` in a policies design: :func:`build_design`
    lays policies out one after the other, each over the same ``spec.samples`` futures."""
    return sample_id % spec.samples


def sample_values(spec: SweepSpec, design: pd.DataFrame) -> list[dict[str, Any]]:
    """The model values of every sample of ``design``, in sample order."""
    return [{f.name: to_value(f, row[f.name]) for f in spec.factors}
            for row in design.to_dict("records")]


def build_tasks(spec: SweepSpec, design: pd.DataFrame) -> list[RunTask]:
    """Every run of the sweep, ordered by ``run_id = sample_id * replications + replication``."""
    tasks = []
    values = sample_values(spec, design)
    # Policies share the seeds of their future; other designs seed by sample (or by
    # replication alone with common random numbers).
    seed_sample = design["future"] if spec.design == "policies" else design["sample_id"]
    common = spec.common_random_numbers and spec.design != "policies"
    for sample_id, scenario, vals, position in zip(design["sample_id"], design["scenario"], values, seed_sample,
                                                   strict=True):
        for rep in range(spec.replications):
            tasks.append(RunTask(
                run_id=int(sample_id) * spec.replications + rep,
                sample_id=int(sample_id),
                replication=rep,
                seed=run_seed(spec.seed, int(position), rep, common),
                scenario=str(scenario),
                overrides={**spec.parameters, **vals},
                values=vals,
                steps=spec.steps,
            ))
    return tasks
