"""The one way to build and run a Samen model: for the CLI, sweeps, the dashboard and tests.

Nothing here touches the disk except reading a scenario or regions file the caller names;
:mod:`experiments.output` writes results.

    >>> from experiments.api import run
    >>> result = run("manifesto", overrides={"population_scale": 1000}, seed=1, steps=8)
    >>> result.series[["step", "cohesion", "meeting_places"]]
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from model import SamenModel
from model.parameters import Parameters
from model.regions import Regions

from .errors import SamenError
from .regions import load_regions
from .scenarios import Scenario, load_scenario, scenario_parameters

#: Default number of steps (quarters): ten years.
DEFAULT_STEPS = 40
#: Seeds are non-negative integers below this bound (fit in a signed 64-bit integer).
SEED_LIMIT = 2**63


@dataclass(frozen=True)
class RunResult:
    """Everything one run produced, in memory."""

    scenario: str
    description: str
    parameters: Parameters
    seed: int
    steps: int
    series: pd.DataFrame
    regions: pd.DataFrame
    groups: pd.DataFrame
    duration_s: float
    started_at: datetime
    overrides: Mapping[str, Any]


def new_seed() -> int:
    """A fresh seed from the operating system's entropy, reduced to 63 bits."""
    return int(np.random.SeedSequence().entropy) % SEED_LIMIT


def check_seed(seed: Any) -> int:
    """``seed`` as an int in [0, 2**63), or SamenError."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < SEED_LIMIT:
        raise SamenError(f"seed {seed!r} must be a whole number in [0, 2**63)")
    return int(seed)


def check_steps(steps: Any) -> int:
    """``steps`` as a non-negative int, or SamenError."""
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise SamenError(f"steps {steps!r} must be a whole number of at least 0 (quarters)")
    return int(steps)


def resolve_scenario(scenario: str | Path | Scenario) -> Scenario:
    """A Scenario from itself, a shipped scenario's name, or a path to a TOML file."""
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def resolve_regions(regions: Regions | str | Path | None) -> Regions:
    """Regions from itself, a CSV path, or the shipped provinces (None)."""
    return regions if isinstance(regions, Regions) else load_regions(regions)


def build_model(
    scenario: str | Path | Scenario = "baseline",
    overrides: Mapping[str, Any] | None = None,
    seed: int = 0,
    regions: Regions | str | Path | None = None,
) -> SamenModel:
    """A freshly initialised model (step 0) for a scenario with parameter overrides."""
    parameters = scenario_parameters(resolve_scenario(scenario), overrides)
    return SamenModel(parameters, resolve_regions(regions), check_seed(seed))


def run(
    scenario: str | Path | Scenario = "baseline",
    overrides: Mapping[str, Any] | None = None,
    seed: int | None = None,
    steps: int = DEFAULT_STEPS,
    regions: Regions | str | Path | None = None,
    progress: bool = False,
) -> RunResult:
    """Build a model, run it ``steps`` quarters and return its outcome tables.

    Without ``seed`` a fresh one is drawn and recorded in the result, so every run can be
    repeated exactly.
    """
    scen = resolve_scenario(scenario)
    parameters = scenario_parameters(scen, overrides)
    seed = new_seed() if seed is None else check_seed(seed)
    steps = check_steps(steps)
    world = resolve_regions(regions)
    started_at = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    model = SamenModel(parameters, world, seed)
    for _ in tqdm(range(steps), desc=f"samen {scen.name}", unit="quarter", disable=not progress,
                  leave=False):
        model.step()
    series, region_frame, groups = model.outcome_frames()
    return RunResult(
        scenario=scen.name,
        description=scen.description,
        parameters=parameters,
        seed=seed,
        steps=steps,
        series=series,
        regions=region_frame,
        groups=groups,
        duration_s=time.perf_counter() - t0,
        started_at=started_at,
        overrides=dict(overrides or {}),
    )
