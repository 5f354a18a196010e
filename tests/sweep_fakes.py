"""Tiny stand-ins for the model, for testing the sweep machinery in milliseconds.

Module-level functions, so that spawned worker processes and Dask workers can import them.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from model.outcomes import SERIES_COLUMNS


def fake_run(scenario: str, overrides: dict, seed: int, steps: int) -> pd.DataFrame:
    """A deterministic series: outcomes depend on the seed, the scenario and a few parameters."""
    rng = np.random.default_rng(seed)
    invest = float(overrides.get("investment_eur", 0.0)) / 1e9
    partnership = float(overrides.get("partnership", 0.3))
    rule = {"per_capita": 0.0, "needs_based": 0.05}.get(overrides.get("allocation", "per_capita"), 0.02)
    shift = {"baseline": 0.0, "manifesto": 0.05, "austerity": -0.04}.get(scenario, 0.01)
    steps_axis = np.arange(steps + 1)
    frame = pd.DataFrame({c: np.zeros(steps + 1) for c in SERIES_COLUMNS})
    frame["step"] = steps_axis
    frame["year"] = 2024 + steps_axis / 4
    level = 0.4 + 0.03 * invest + 0.1 * partnership ** 2 + rule + shift
    for i, column in enumerate(c for c in SERIES_COLUMNS if c not in ("step", "year")):
        frame[column] = level * (1 + 0.1 * i) + 0.002 * steps_axis + rng.normal(0, 0.01, steps + 1)
    frame["theil_access_between"] = 0.02 - 0.004 * invest - 0.01 * partnership + rng.normal(0, 0.001, steps + 1)
    return frame


def failing_run(scenario: str, overrides: dict, seed: int, steps: int) -> pd.DataFrame:
    """Fails for high partnership, otherwise like :func:`fake_run`."""
    if float(overrides.get("partnership", 0.0)) > 0.5:
        raise ValueError(f"partnership {overrides['partnership']:.3f} is too high for this fake")
    return fake_run(scenario, overrides, seed, steps)


def slow_run(scenario: str, overrides: dict, seed: int, steps: int) -> pd.DataFrame:
    """Like :func:`fake_run` but takes a moment, so that a sweep can be killed midway."""
    import time

    time.sleep(float(os.environ.get("SAMEN_FAKE_SLEEP", "0.2")))
    return fake_run(scenario, overrides, seed, steps)


def dying_run(scenario: str, overrides: dict, seed: int, steps: int) -> pd.DataFrame:
    """Kills its own process the first time it is called (marker file in SAMEN_FAKE_DIE_ONCE)."""
    marker = os.environ["SAMEN_FAKE_DIE_ONCE"]
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return fake_run(scenario, overrides, seed, steps)
    os.close(fd)
    os._exit(1)


def run_with_localities(scenario: str, overrides: dict, seed: int, steps: int) -> dict[str, pd.DataFrame]:
    """:func:`fake_run`'s series plus a small per-locality table, as the model returns."""
    return {"series": fake_run(scenario, overrides, seed, steps),
            "localities": pd.DataFrame({"step": steps, "locality": [0, 1, 2], "access": [0.2, 0.5, 0.9]})}


def pid_logging_run(scenario: str, overrides: dict, seed: int, steps: int) -> pd.DataFrame:
    """Like :func:`fake_run`, and appends "seed pid" to the file in SAMEN_FAKE_PID_LOG: which
    process ran which seed's runs."""
    with open(os.environ["SAMEN_FAKE_PID_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{seed} {os.getpid()}\n")
    return slow_run(scenario, overrides, seed, steps)
