"""The dashboard's running model and its baseline reference, built through :mod:`experiments.api`.

The dashboard runs the same world as ``samen run`` (:data:`DASHBOARD_SCALE`, the default
``population_scale``): one step takes about 40 ms there, well under 100 ms (docs: README,
"Workshop dashboard"), so what a workshop sees is what ``samen run`` and the brief report for
the same scenario, levers and seed. One seed drives the whole run.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from model.kinds import CollectiveKind, FacilityType, LocalityKind, Provider
from model.parameters import PARAMS, Parameters

from ..api import DEFAULT_STEPS, RunRequest, build_model, check_seed
from .cards import BASELINE_CARD, Card

#: Residents per simulated citizen in the dashboard: the model's default, as ``samen run``
#: (measured: median 40 ms per step and 3 ms per snapshot over 40 steps of the baseline on
#: the 2-core reference machine; docs/performance.md).
DASHBOARD_SCALE = PARAMS["population_scale"].default
#: Quarters the charts show ahead (ten years) and that the baseline reference covers.
HORIZON = DEFAULT_STEPS
#: Seed the dashboard starts with.
DEFAULT_SEED = 1
#: Baseline references kept in memory (one model each; the least recently used goes).
MAX_REFERENCES = 8


def dashboard_overrides(levers: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Lever values plus the dashboard's population scale."""
    return {**(levers or {}), "population_scale": DASHBOARD_SCALE}


@dataclass(frozen=True)
class Snapshot:
    """What the views draw, copied out of the model under its lock."""

    step: int
    year: float
    series: pd.DataFrame
    regions: pd.DataFrame  # per province, every step so far
    region_names: tuple[str, ...]


class LiveRun:
    """One model stepped by hand, safe to step from a play thread while views read it."""

    def __init__(self, card: Card, levers: Mapping[str, Any], seed: int) -> None:
        self.card = card
        self.levers = dict(levers)
        request = RunRequest(card.scenario, {**card.overrides, **dashboard_overrides(self.levers)},
                             check_seed(seed), HORIZON)
        self.seed = request.seed
        self.parameters: Parameters = request.parameters
        self.model = request.build()
        self._lock = threading.Lock()

    @property
    def step_count(self) -> int:
        return self.model.quarter

    def step(self, n: int = 1) -> None:
        with self._lock:
            for _ in range(n):
                self.model.step()

    def snapshot(self) -> Snapshot:
        with self._lock:
            series, regions, _ = self.model.outcome_frames()
            m = self.model
            return Snapshot(m.quarter, float(series["year"].iloc[-1]), series, regions, m.regions.names)

    def localities(self, region: int) -> pd.DataFrame:
        """Villages, then towns, of a region, each largest first: index, kind, residents.
        (Villages first: that is where shops and buses close and collectives step in.)"""
        with self._lock:
            loc = self.model.localities
            idx = np.flatnonzero((loc.region == region) & (loc.kind != LocalityKind.NEIGHBOURHOOD))
            frame = pd.DataFrame({"locality": idx, "kind": [LocalityKind(int(k)).name.lower() for k in loc.kind[idx]],
                                  "residents": loc.residents[idx], "village": loc.kind[idx] == LocalityKind.VILLAGE})
        frame = frame.sort_values(["village", "residents", "locality"], ascending=[False, False, True])
        return frame.drop(columns="village").reset_index(drop=True)

    def village(self, locality: int) -> "Village":
        """What stands in one locality now."""
        with self._lock:
            return village_state(self.model, locality)


@dataclass(frozen=True)
class Village:
    """One locality on the ground: its facilities (meeting places included) and collectives."""

    locality: int
    region: str
    kind: str
    residents: int
    step: int
    year: float
    facilities: pd.DataFrame  # type, provider, open (bool), closed_step
    collectives: pd.DataFrame  # kind, members (residents), runs_facility (bool)


def village_state(model, locality: int) -> Village:
    """The facilities and active collectives of ``locality`` in ``model`` now."""
    loc, f, t = model.localities, model.facilities, model.collective_table
    here = np.flatnonzero(f.view("locality") == locality)
    facilities = pd.DataFrame({
        "type": [FacilityType(int(x)).name.lower() for x in f.type[here]],
        "provider": [Provider(int(x)).name.lower() for x in f.provider[here]],
        "open": f.open[here].astype(bool),
        "closed_step": f.closed_step[here],
    })
    cids = np.flatnonzero(t.view("active") & (t.view("locality") == locality))
    collectives = pd.DataFrame({
        "kind": [CollectiveKind(int(x)).name.lower() for x in t.kind[cids]],
        "members": t.members[cids].astype(np.int64),  # residents already
        "runs_facility": t.facility[cids] >= 0,
    })
    return Village(int(locality), model.regions.names[int(loc.region[locality])],
                   LocalityKind(int(loc.kind[locality])).name.lower(), int(loc.residents[locality]),
                   model.quarter, model.p.start_year + model.quarter / 4, facilities, collectives)


class BaselineReference:
    """The baseline card's run with the same seed and scale, extended on demand; one per
    seed for the whole server, as it is the same for every session."""

    _cache: dict[int, "BaselineReference"] = {}
    _cache_lock = threading.Lock()

    def __init__(self, card: Card, seed: int) -> None:
        self.model = build_model(card.scenario, overrides={**card.overrides, **dashboard_overrides()}, seed=seed)
        self._lock = threading.Lock()
        self._series: pd.DataFrame | None = None

    @classmethod
    def for_seed(cls, baseline: Card, seed: int) -> "BaselineReference":
        if baseline.name != BASELINE_CARD:
            raise ValueError("the reference is the baseline card")
        with cls._cache_lock:
            ref = cls._cache.pop(seed, None) or cls(baseline, seed)
            cls._cache[seed] = ref  # most recently used last
            while len(cls._cache) > MAX_REFERENCES:
                cls._cache.pop(next(iter(cls._cache)))
            return ref

    def series(self, steps: int) -> pd.DataFrame:
        """National series from step 0 to ``steps``."""
        with self._lock:
            if self.model.quarter < steps or self._series is None:
                while self.model.quarter < steps:
                    self.model.step()
                self._series, _, _ = self.model.outcome_frames()
            series = self._series
        return series[series["step"] <= steps].reset_index(drop=True)
