"""A tiny synthetic scenarios sweep for the chart and brief tests (no model runs).

:func:`fake_run` stands in for the model as the sweep's run function: it returns a
national series, province and group tables (as the model's run result does) whose values
are set by hand, so the tests know the answer:

- ``manifesto`` raises trust in national government by 3 points (+-0.2) everywhere: a clear effect;
- ``contract-only`` changes it by noise of +-1 point around 0: its 90% interval crosses zero;
- ``investment-only`` lowers access by 2 points: a clear negative effect.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.outcomes import GROUP_COLUMNS, REGION_COLUMNS, SERIES_COLUMNS

PROVINCES = ("Groningen", "Fryslân", "Drenthe", "Overijssel", "Flevoland", "Gelderland", "Utrecht",
             "Noord-Holland", "Zuid-Holland", "Zeeland", "Noord-Brabant", "Limburg")
SCENARIOS = ["baseline", "manifesto", "investment-only", "contract-only"]
TRUST_EFFECT = {"manifesto": 0.03}
ACCESS_EFFECT = {"investment-only": -0.02}


def _effects(scenario: str, rng: np.random.Generator) -> tuple[float, float]:
    trust = TRUST_EFFECT.get(scenario, 0.0) + rng.uniform(-0.002, 0.002)
    if scenario == "contract-only":
        trust = rng.uniform(-0.01, 0.01)
    return trust, ACCESS_EFFECT.get(scenario, 0.0) + rng.uniform(-0.002, 0.002)


def fake_run(scenario: str, overrides: dict, seed: int, steps: int) -> dict[str, pd.DataFrame]:
    """Synthetic series, province and group tables; replication noise shared via the seed."""
    shared = np.random.default_rng(seed)  # the same in every scenario (common random numbers)
    own = np.random.default_rng([seed, sum(map(ord, scenario))])
    base_level = 0.40 + shared.uniform(-0.02, 0.02)
    trust_effect, access_effect = _effects(scenario, own)
    t = np.arange(steps + 1)
    ramp = t / max(steps, 1)
    series = pd.DataFrame({c: np.zeros(len(t)) for c in SERIES_COLUMNS})
    series["step"] = t
    series["year"] = 2024 + t / 4
    series["cohesion"] = 0.55 + 0.001 * shared.standard_normal() + 0.0 * ramp
    series["trust_government"] = base_level + trust_effect * ramp
    series["trust_local_government"] = base_level + 0.1 + 0.5 * trust_effect * ramp
    series["trust_others"] = 0.65
    series["participation_rate"] = 0.5 + 0.01 * ramp * (scenario == "manifesto")
    series["access"] = 0.94 + access_effect * ramp
    series["theil_access_between"] = 0.001 + 0.0001 * shared.standard_normal()
    regions = []
    for step in t:
        for i, name in enumerate(PROVINCES):
            row = {c: 0.0 for c in REGION_COLUMNS}
            row.update(step=step, region=name, population=100 + i,
                       trust_government=base_level + trust_effect * ramp[step] * (0.5 + i / 11),
                       access=0.9 + access_effect * ramp[step], cohesion=0.55, participation_rate=0.5)
            regions.append(row)
    groups = []
    for step in t:
        for e, edu in enumerate(("low", "middle", "high")):
            for q in range(1, 6):
                row = {c: 0.0 for c in GROUP_COLUMNS}
                row.update(step=step, education=edu, income_quintile=q, population=50 + 10 * e + q,
                           trust_government=base_level + trust_effect * ramp[step] * (1 + e / 2),
                           participation_rate=0.3 + 0.1 * e + 0.005 * q * ramp[step] * (scenario != "baseline"),
                           access=0.9)
                groups.append(row)
    return {"series": series, "regions": pd.DataFrame(regions), "groups": pd.DataFrame(groups)}


def make_sweep(out, replications: int = 8, steps: int = 3, seed: int = 5, outcomes: list[str] | None = None) -> None:
    """Write a scenarios sweep of :func:`fake_run` into ``out`` with the real sweep engine."""
    from experiments.sweep import run_sweep

    spec = {"name": "fake-brief", "design": "scenarios", "scenarios": SCENARIOS,
            "replications": replications, "steps": steps, "seed": seed, "keep_series": True,
            "parameters": {"population_scale": 2000}}
    if outcomes:
        spec["outcomes"] = outcomes
    run_sweep(spec, out=out, workers=1, run_fn=fake_run)


def fake_sweep_folder(tmp_path_factory):
    """The synthetic sweep folder, written once per test session (shared by test modules)."""
    out = tmp_path_factory.getbasetemp() / "fake-scenarios-sweep"
    if not (out / "runs.parquet").exists():
        make_sweep(out)
    return out
