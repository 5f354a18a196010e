"""The one way to build and run a Samen model: for the CLI, sweeps, the brief, validation, the
dashboard and tests.

Every run is a :class:`RunRequest`: scenario, parameter overrides, seed, steps and regions,
checked once when the request is made, with the run's :class:`~model.parameters.Parameters`
built once. :func:`build_model` and :func:`run` are shorthands that make the request and
carry it out. Seeds derived from a master seed (replications, rounds, sweep runs) all come
from :func:`child_seed`.

Nothing here touches the disk except reading a scenario or regions file the caller names;
:mod:`experiments.output` writes results.

    >>> from experiments.api import run
    >>> result = run("manifesto", overrides={"population_scale": 1000}, seed=1, steps=8)
    >>> result.series[["step", "cohesion", "meeting_places"]]
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from model import SamenModel
from model.model import todays_policy
from model.parameters import Parameters, PolicyChange
from model.regions import Regions
from model.trust import TrustEvent

from .defaults import DEFAULT_STEPS, LOCALITY_CHOICES, MIN_STEPS, SEED_LIMIT
from .errors import SamenError
from .memory import retain_freed_memory
from .regions import load_regions
from .scenarios import Scenario, load_scenario, scenario_parameters

__all__ = ["DEFAULT_STEPS", "MIN_STEPS", "SEED_LIMIT", "RunRequest", "RunResult", "build_model", "check_seed",
           "check_steps", "child_seed", "child_seeds", "new_seed", "run"]


def new_seed() -> int:
    """A fresh seed from the operating system's entropy, reduced to 63 bits."""
    return int(np.random.SeedSequence().entropy) % SEED_LIMIT


def child_seed(master: int, *position: int) -> int:
    """The seed at ``position`` below the master seed: the one rule for derived seeds.

    ``child_seed(m, i)`` is the seed of ``SeedSequence(m).spawn(n)[i]`` (for any ``n > i``),
    ``child_seed(m, i, j)`` that of ``SeedSequence(m).spawn(...)[i].spawn(...)[j]``, and so on:
    the child's first 64-bit word of state, shifted right by one bit to fit in 63 bits. A seed
    depends only on the master seed and its position, never on how many siblings there are or
    the order in which they run.
    """
    state = np.random.SeedSequence(master, spawn_key=position).generate_state(1, dtype=np.uint64)[0]
    return int(state >> np.uint64(1))


def child_seeds(master: int, n: int) -> list[int]:
    """The seeds of the first ``n`` children of ``master`` (:func:`child_seed`)."""
    return [child_seed(master, i) for i in range(n)]


def check_seed(seed: Any) -> int:
    """``seed`` as an int in [0, 2**63), or SamenError."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < SEED_LIMIT:
        raise SamenError(f"seed {seed!r} must be a whole number in [0, 2**63)")
    return int(seed)


def check_localities(choice: Any) -> str:
    """``choice`` if it is one of :data:`LOCALITY_CHOICES`, or SamenError."""
    if choice not in LOCALITY_CHOICES:
        raise SamenError(f"localities {choice!r} is not allowed: use one of {', '.join(LOCALITY_CHOICES)}")
    return choice


def check_steps(steps: Any) -> int:
    """``steps`` as an int of at least :data:`MIN_STEPS`, or SamenError."""
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < MIN_STEPS:
        raise SamenError(f"steps {steps!r} must be a whole number of at least {MIN_STEPS} (quarters)")
    return int(steps)


@dataclass(frozen=True, eq=False)
class RunRequest:
    """One run of the model, checked once.

    Make it with what the user gave: ``scenario`` a shipped scenario's name, a path to a
    scenario file or a :class:`~experiments.scenarios.Scenario`; ``overrides`` parameter
    values applied on top of the scenario's; ``seed`` (None draws a fresh one, recorded
    here); ``steps`` (quarters, at least :data:`MIN_STEPS`); ``regions`` a
    :class:`~model.regions.Regions`, a CSV path, or None for the shipped provinces. Making
    the request loads and checks all of them in that order and builds the run's
    :attr:`parameters`; a bad value raises :class:`~experiments.errors.SamenError` or
    :class:`~model.parameters.ParameterError` with one line saying what is wrong. After
    that ``scenario`` is a Scenario, ``seed`` an int and ``regions`` a Regions.
    """

    scenario: Scenario | str | Path = "baseline"
    overrides: Mapping[str, Any] = field(default_factory=dict)
    seed: int | None = None
    #: Quarters to run; None: the scenario's horizon (its ``steps``), else :data:`DEFAULT_STEPS`.
    steps: int | None = None
    regions: Regions | str | Path | None = None
    #: Per-locality outcomes to keep: "last" (the final step) or "every" (every step).
    localities: str = "last"
    #: The run's complete parameters: the scenario's with the overrides applied.
    parameters: Parameters = field(init=False, repr=False)

    def __post_init__(self) -> None:
        scenario = self.scenario if isinstance(self.scenario, Scenario) else load_scenario(self.scenario)
        overrides = dict(self.overrides or {})
        checked = {
            "scenario": scenario,
            "overrides": overrides,
            "parameters": scenario_parameters(scenario, overrides),
            "steps": check_steps(self.steps if self.steps is not None else scenario.steps or DEFAULT_STEPS),
            "seed": new_seed() if self.seed is None else check_seed(self.seed),
            "regions": self.regions if isinstance(self.regions, Regions) else load_regions(self.regions),
            "localities": check_localities(self.localities),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)  # frozen: set once, here

    def build(self) -> SamenModel:
        """A freshly initialised model (step 0) for this request.

        Scenarios that differ only in their levers share a start: it is built and spun up once
        per process (:func:`shared_start`) and each build branches from a copy of it.
        """
        start = shared_start(self.parameters, self.regions, self.seed)
        if start is None:  # too large to keep a copy of: build it in place
            retain_freed_memory()  # its big temporaries are reused, not mapped anew (experiments.memory)
            return SamenModel(self.parameters, self.regions, self.seed, events=self.scenario.events,
                              keep_localities=self.localities, policy=self.scenario.policy)
        return start.branch(self.parameters, events=self.scenario.events, keep_localities=self.localities,
                            policy=self.scenario.policy)

    def run(self, progress: bool = False) -> RunResult:
        """Build the model, run it :attr:`steps` quarters and return its outcome tables."""
        started_at = datetime.now(timezone.utc)
        t0 = time.perf_counter()
        model = self.build()
        for _ in tqdm(range(self.steps), desc=f"samen {self.scenario.name}", unit="quarter",
                      disable=not progress, leave=False):
            model.step()
        series, region_frame, groups = model.outcome_frames()
        return RunResult(
            localities=model.locality_frame(),
            scenario=self.scenario.name,
            description=self.scenario.description,
            parameters=self.parameters,
            seed=self.seed,
            steps=self.steps,
            series=series,
            regions=region_frame,
            groups=groups,
            duration_s=time.perf_counter() - t0,
            started_at=started_at,
            overrides=self.overrides,
            citizens=int(model.citizens.n),
            events=self.scenario.events,
            policy=self.scenario.policy,
        )


#: Starts kept per process (most recently used last), and the largest world (in simulated
#: citizens) whose start is kept: a start of the 1:1 country would double its memory.
START_CACHE_SIZE = 2
START_CACHE_MAX_CITIZENS = 2_000_000
_starts: OrderedDict[tuple, SamenModel] = OrderedDict()


def _regions_key(regions: Regions) -> tuple:
    arrays = (regions.population, regions.municipalities, regions.village_share, regions.town_share,
              regions.income_index)
    return (regions.names, regions.codes, *(np.asarray(a).tobytes() for a in arrays))


def shared_start(parameters: Parameters, regions: Regions, seed: int) -> SamenModel | None:
    """The spun-up start for these parameters (levers aside), regions and seed, built once per
    process and reused by every scenario that shares it; ``None`` for worlds larger than
    :data:`START_CACHE_MAX_CITIZENS` (they are built in place, without a copy)."""
    if regions.population.sum() / parameters.population_scale > START_CACHE_MAX_CITIZENS:
        return None
    key = (_regions_key(regions), todays_policy(parameters), int(seed))
    start = _starts.pop(key, None) or SamenModel.start(parameters, regions, seed)
    _starts[key] = start
    while len(_starts) > START_CACHE_SIZE:
        _starts.popitem(last=False)
    return start


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
    #: Per-locality outcomes (``localities.parquet``): the last step, or every step on request.
    localities: pd.DataFrame | None = None
    #: Simulated citizens (each stands for ``population_scale`` residents).
    citizens: int | None = None
    #: The scenario's dated national events and dated policy changes (inputs, recorded in the manifest).
    events: tuple[TrustEvent, ...] = ()
    policy: tuple[PolicyChange, ...] = ()

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every outcome table by name (``series`` first): what a results folder and a sweep
        that keeps series store, one ``<name>.parquet`` each (``localities`` when kept)."""
        tables = {"series": self.series, "regions": self.regions, "groups": self.groups}
        if self.localities is not None:
            tables["localities"] = self.localities
        return tables


def build_model(
    scenario: str | Path | Scenario = "baseline",
    overrides: Mapping[str, Any] | None = None,
    seed: int = 0,
    regions: Regions | str | Path | None = None,
) -> SamenModel:
    """A freshly initialised model (step 0) for a scenario with parameter overrides."""
    return RunRequest(scenario, overrides or {}, seed, MIN_STEPS, regions).build()


def run(
    scenario: str | Path | Scenario = "baseline",
    overrides: Mapping[str, Any] | None = None,
    seed: int | None = None,
    steps: int | None = None,
    regions: Regions | str | Path | None = None,
    progress: bool = False,
    localities: str = "last",
) -> RunResult:
    """Run a scenario ``steps`` quarters and return its outcome tables (see :class:`RunRequest`).

    Without ``seed`` a fresh one is drawn and recorded in the result, so every run can be
    repeated exactly.
    """
    return RunRequest(scenario, overrides or {}, seed, steps, regions, localities).run(progress)
