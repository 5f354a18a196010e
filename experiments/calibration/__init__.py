"""Calibration: free parameters, Dutch targets and a distance, run through the sweep engine.

A calibration spec (TOML, e.g. ``experiments/calibration/baseline.toml``) names

- the baseline (``scenario``, ``start_year``, ``steps``, fixed ``[parameters]``);
- the design (``lhs`` or ``sobol``, ``samples``, ``replications``, ``seed``) and the share of
  samples to keep (``accept``);
- ``[free]``: each free parameter's prior range ``[low, high]`` (uniform);
- ``[targets.NAME]``: a ``measure`` (a column of the national series, ``series.parquet``),
  a ``statistic`` over the
  simulated years ``from_year``-``to_year`` (``mean``: mean over the quarters of those
  years; ``growth``: yearly relative change from the first quarter of ``from_year`` to the
  first quarter of ``to_year``; ``start``: the value on 1 January of ``from_year``, step 0
  for the start year; ``at``: the value at the decimal year ``from_year``, which must fall on
  a simulated quarter: 2022.75 is 1 October 2022), the Dutch ``value``, a ``tolerance`` and
  its ``source``;
- optionally ``fit_until`` (a year, for a hindcast): targets whose ``to_year`` lies before it
  are *in sample* and the only ones ``samen calibrate`` fits, the others are *out of sample*
  and left to ``samen validate --hindcast``. Fitting simulates only the quarters before 1
  January of ``fit_until`` (:attr:`CalibrationSpec.fit_steps`), so the out-of-sample years are
  never simulated while fitting and the split cannot be tuned across. ``steps`` must still
  reach every target. Without ``fit_until`` every target is fitted over ``steps``.

Scoring (rejection ABC with a quantile threshold, Beaumont et al. 2002 / Hartig et al.
2011): each target gives ``z = (simulated - value) / tolerance`` from the mean over the
sample's replications; the distance of a sample is ``sqrt(mean(z**2))``. The ``accept``
share of samples with the smallest distance is the accepted set; its per-parameter median
is the calibrated value, its 5-95% range the posterior interval. A sample "fits" when every
``|z| <= 1``.

The folder holds everything that confronts the model with Dutch figures: this spec and its
scoring, :mod:`.measures` (quantities read from model state), :mod:`.run` (``samen
calibrate``), :mod:`.validation` (``samen validate``: patterns the calibration did not use)
and :mod:`.sensitivity` (does the manifesto-minus-baseline difference survive the plausible
range of the uncertain parameters?).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from model.outcomes import SERIES_COLUMNS
from model.parameters import PARAMS

from ..tomlfile import CALIBRATION, Fields, as_number, is_whole, load_toml

SPEC_DIR = Path(__file__).resolve().parent
DEFAULT_SPEC = SPEC_DIR / "baseline.toml"
KEYS = ("name", "description", "scenario", "start_year", "steps", "fit_until", "design", "samples",
        "replications", "seed", "accept", "parameters", "free", "targets")
REQUIRED = ("name", "start_year", "seed", "free", "targets")
TARGET_KEYS = ("measure", "statistic", "from_year", "to_year", "value", "tolerance", "source")
TARGET_REQUIRED = ("measure", "value", "tolerance", "source")
STATISTICS = ("mean", "growth", "start", "at")
#: Statistics that read the state at one date, ``from_year`` (``to_year`` equals it).
POINT_STATISTICS = ("start", "at")
DESIGNS = ("lhs", "sobol")
MEASURES = tuple(c for c in SERIES_COLUMNS if c not in ("step", "year"))


@dataclass(frozen=True)
class Target:
    """One Dutch figure the baseline should reproduce."""

    name: str
    measure: str
    statistic: str
    from_year: float
    to_year: float
    value: float
    tolerance: float
    source: str

    def compute(self, series: pd.DataFrame) -> float:
        """The target's statistic of one run's series (with a ``year`` column)."""
        year = series["year"].to_numpy()
        col = series[self.measure].to_numpy(dtype=float)
        if self.statistic in POINT_STATISTICS:
            at = np.flatnonzero(np.isclose(year, self.from_year))
            return float(col[at[0]]) if len(at) else math.nan
        if self.statistic == "mean":
            sel = (year >= self.from_year) & (year < self.to_year + 1)
            return float(col[sel].mean()) if sel.any() else math.nan
        start = np.flatnonzero(np.isclose(year, self.from_year))
        end = np.flatnonzero(np.isclose(year, self.to_year))
        if not len(start) or not len(end) or col[start[0]] <= 0:
            return math.nan
        return float((col[end[0]] / col[start[0]]) ** (1 / (self.to_year - self.from_year)) - 1)

    def steps_needed(self, start_year: int) -> int:
        """Quarters a run from ``start_year`` must simulate to measure this target: up to
        1 January after ``to_year`` for a mean over its quarters, up to ``to_year`` itself for a
        date (``start``, ``at``, the end of a growth)."""
        end = self.to_year + 1 if self.statistic == "mean" else self.to_year
        return int(math.ceil(round((end - start_year) * 4, 6)))

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("name",) + TARGET_KEYS}


@dataclass(frozen=True)
class CalibrationSpec:
    """A validated calibration spec (see the module docstring)."""

    name: str
    description: str
    scenario: str
    start_year: int
    steps: int
    design: str
    samples: int
    replications: int
    seed: int
    accept: float
    parameters: Mapping[str, Any]
    free: Mapping[str, tuple[float, float]]
    targets: tuple[Target, ...]
    path: str = ""
    extra: dict = field(default_factory=dict)
    fit_until: int | None = None

    def in_sample(self, target: Target) -> bool:
        """Whether ``samen calibrate`` fits ``target``: every target without ``fit_until``,
        else those whose ``to_year`` lies before it."""
        return self.fit_until is None or target.to_year < self.fit_until

    def sample(self, target: Target) -> str:
        """``in`` for a target the calibration fits, ``out`` for one it never sees."""
        return "in" if self.in_sample(target) else "out"

    @property
    def fit_targets(self) -> tuple[Target, ...]:
        """The in-sample targets: what the calibration fits."""
        return tuple(t for t in self.targets if self.in_sample(t))

    @property
    def held_out(self) -> tuple[Target, ...]:
        """The out-of-sample targets (none without ``fit_until``)."""
        return tuple(t for t in self.targets if not self.in_sample(t))

    @property
    def fit_steps(self) -> int:
        """Quarters each calibration run simulates: ``steps``, or with ``fit_until`` only those
        before 1 January of ``fit_until`` (the out-of-sample years are never simulated)."""
        return self.steps if self.fit_until is None else (self.fit_until - self.start_year) * 4

    def with_options(self, samples: int | None = None, replications: int | None = None,
                     seed: int | None = None) -> "CalibrationSpec":
        """A copy with command-line overrides, checked like the spec's own values."""
        data = self.to_dict()
        for key, value in (("samples", samples), ("replications", replications), ("seed", seed)):
            if value is not None:
                data[key] = value
        return parse_calibration(data, where=f"calibration spec {self.path or self.name}", path=self.path)

    def sweep_dict(self) -> dict[str, Any]:
        """The sweep-engine spec that runs this calibration's design."""
        return {
            "name": f"calibration-{self.name}", "description": self.description,
            "scenario": self.scenario, "steps": self.fit_steps, "replications": self.replications,
            "seed": self.seed, "design": self.design, "samples": self.samples,
            "common_random_numbers": True, "outcomes": ["participation_rate"], "keep_series": True,
            "uncertainties": {k: list(v) for k, v in self.free.items()},
            "parameters": {**self.parameters, "start_year": self.start_year},
        }

    def to_dict(self) -> dict[str, Any]:
        data = {
            "name": self.name, "description": self.description, "scenario": self.scenario,
            "start_year": self.start_year, "steps": self.steps, "design": self.design,
            "samples": self.samples, "replications": self.replications, "seed": self.seed,
            "accept": self.accept, "parameters": dict(self.parameters),
            "free": {k: list(v) for k, v in self.free.items()},
            "targets": {t.name: {k: getattr(t, k) for k in TARGET_KEYS} for t in self.targets},
        }
        if self.fit_until is not None:  # only a split spec has the key: other manifests stay as they were
            data["fit_until"] = self.fit_until
        return data


def load_calibration(path: str | Path | None = None) -> CalibrationSpec:
    """Read and validate a calibration spec (default: the shipped baseline calibration)."""
    path = Path(path) if path is not None else DEFAULT_SPEC
    where = f"calibration spec {path}"
    data = load_toml(path, where)
    return parse_calibration(data, where=where, path=str(path))


def parse_calibration(data: dict[str, Any], where: str = "calibration spec", path: str = "") -> CalibrationSpec:
    """Validate parsed TOML data; raise SamenError naming the first problem."""
    from ..sweep.spec import parse_spec

    fields = Fields(data, where, CALIBRATION)
    fields.keys(KEYS, REQUIRED)
    name = fields.name()
    start_year = fields.whole("start_year", 0)
    try:
        PARAMS["start_year"].coerce(start_year)
    except ValueError as exc:
        raise fields.fail(str(exc)) from None
    steps = fields.whole("steps", 4, 12)
    design = fields.choice("design", DESIGNS, "lhs")
    accept = fields.number("accept", 0.1)
    if not 0 < accept <= 1:
        raise fields.fail(f"accept = {accept:g} must be a share in (0, 1]")
    ranges = _free_ranges(fields)
    targets = _targets(fields, start_year, steps)
    fit_until = _fit_until(fields, start_year, steps, targets)
    fixed = fields.table("parameters")
    if "start_year" in fixed:
        raise fields.fail("give start_year once, as the top-level key start_year")
    sweep = {
        "name": f"calibration-{name}", "scenario": fields.get("scenario", "baseline"),
        "steps": steps, "replications": fields.get("replications", 1), "seed": fields.get("seed"),
        "design": design, "samples": fields.get("samples", 64),
        "uncertainties": {k: list(v) for k, v in ranges.items()},
        "parameters": {**fixed, "start_year": start_year},
        "outcomes": ["participation_rate"],
    }
    checked = parse_spec(sweep, where=where)
    description = fields.text("description")
    return CalibrationSpec(
        name=name, description=description, scenario=checked.scenario, start_year=start_year,
        steps=steps, design=design, samples=checked.samples, replications=checked.replications,
        seed=checked.seed, accept=accept,
        parameters={k: v for k, v in checked.parameters.items() if k != "start_year"},
        free=ranges, targets=targets, path=path, fit_until=fit_until,
    )


def _fit_until(fields: Fields, start_year: int, steps: int, targets: tuple[Target, ...]) -> int | None:
    """``fit_until``: a year after the start and within the simulated years, with at least one
    target before it (something to fit)."""
    if "fit_until" not in fields:
        return None
    value = fields.get("fit_until")
    end = start_year + steps / 4
    if not is_whole(value) or not start_year < value <= end:
        raise fields.fail(f"fit_until must be a whole year after start_year {start_year} and at most "
                          f"{end:g} (the end of the simulated years), not {value!r}")
    if not any(t.to_year < value for t in targets):
        raise fields.fail(f"fit_until = {value} leaves no target to fit: every to_year is {value} or later")
    return value


def _free_ranges(fields: Fields) -> dict[str, tuple[float, float]]:
    """``[free]``: each free parameter's prior range ``(low, high)``; numeric parameters only."""
    free = fields.table("free", "[free] must name at least one parameter as NAME = [low, high]", nonempty=True)
    ranges = {}
    for pname, value in free.items():
        if pname in PARAMS and PARAMS[pname].kind == "choice":
            raise fields.fail(f"[free] {pname} is a choice; only numeric parameters can be calibrated")
        if not (isinstance(value, list) and len(value) == 2):
            raise fields.fail(f"[free] {pname} must be [low, high]")
        ranges[pname] = (as_number(value[0], f"[free] {pname} low", fields.fail),
                         as_number(value[1], f"[free] {pname} high", fields.fail))
    return ranges


def _targets(fields: Fields, start_year: int, steps: int) -> tuple[Target, ...]:
    """``[targets.NAME]`` tables, each measured within the simulated years."""
    raw = fields.table("targets", "[targets] must hold at least one [targets.NAME] table", nonempty=True)
    horizon_end = start_year + steps / 4
    targets = []
    for tname, table in raw.items():
        label = f"[targets.{tname}]"
        if not isinstance(table, dict):
            raise fields.fail(f"{label} must be a table with keys {', '.join(TARGET_KEYS)}")
        target = fields.within(label, table)
        target.keys(TARGET_KEYS, TARGET_REQUIRED)
        measure = target.get("measure")
        if measure not in MEASURES:
            raise target.fail(f"unknown measure {measure!r}; known measures: {', '.join(MEASURES)}")
        statistic = target.choice("statistic", STATISTICS, "mean")
        growth = statistic == "growth"
        at_start = statistic in POINT_STATISTICS
        from_year = target.number("from_year", start_year)
        to_year = target.number("to_year", from_year if at_start else math.floor(horizon_end) - (0 if growth else 1))
        if at_start and to_year != from_year:
            date = "1 January of from_year" if statistic == "start" else "from_year"
            raise target.fail(f"statistic {statistic} reads one date, {date}: leave out to_year "
                              f"or give to_year = from_year ({from_year:g})")
        if statistic == "at" and not float((from_year - start_year) * 4).is_integer():
            raise target.fail(f"statistic at reads the state at a quarter: from_year = {from_year:g} must be "
                              f"a whole year or a quarter past one (.25, .5, .75)")
        last = horizon_end if growth or at_start else horizon_end - 1
        if not start_year <= from_year <= to_year <= last or (growth and from_year == to_year):
            raise target.fail(f"years {from_year:g}-{to_year:g} must lie within the simulated years "
                              f"{start_year}-{last:g}" + (" and differ" if growth else ""))
        tolerance = target.number("tolerance")
        if tolerance <= 0:
            raise target.fail("tolerance must be positive")
        source = target.get("source")
        if not isinstance(source, str) or not source.strip():
            raise target.fail("source must name where the figure comes from")
        targets.append(Target(tname, measure, statistic, from_year, to_year, target.number("value"),
                              tolerance, source))
    return tuple(targets)


def score(stats: pd.DataFrame, targets: tuple[Target, ...], accept: float) -> pd.DataFrame:
    """Add ``z_<target>``, ``distance``, ``fits``, ``rank`` and ``accepted`` to per-sample stats.

    ``stats`` has one row per sample and one column per target name (the simulated
    statistic). A sample with a missing statistic gets distance infinity (never accepted).
    """
    out = stats.copy()
    z = pd.DataFrame({f"z_{t.name}": (out[t.name] - t.value) / t.tolerance for t in targets})
    out = pd.concat([out, z], axis=1)
    dist = np.sqrt((z.to_numpy(dtype=float) ** 2).mean(axis=1))
    out["distance"] = np.where(np.isfinite(dist), dist, np.inf)
    out["fits"] = (z.abs() <= 1).all(axis=1).to_numpy()
    out["rank"] = out["distance"].rank(method="first").astype(int)
    keep = max(1, int(math.ceil(accept * len(out))))
    out["accepted"] = (out["rank"] <= keep) & np.isfinite(out["distance"])
    return out


def posterior(scored: pd.DataFrame, spec: CalibrationSpec) -> pd.DataFrame:
    """Per free parameter: prior range, accepted-set median and 5-95% range, best sample."""
    acc = scored[scored["accepted"]]
    best = scored.loc[scored["distance"].idxmin()]
    rows = []
    for pname, (low, high) in spec.free.items():
        values = acc[pname].astype(float)
        rows.append({"parameter": pname, "prior_low": low, "prior_high": high,
                     "old_default": PARAMS[pname].default, "median": float(values.median()),
                     "p05": float(values.quantile(0.05)), "p95": float(values.quantile(0.95)),
                     "best": float(best[pname])})
    return pd.DataFrame(rows)


def chosen_values(post: pd.DataFrame) -> dict[str, Any]:
    """The calibrated values: accepted-set medians, rounded to 3 significant digits."""
    out = {}
    for row in post.itertuples():
        decl = PARAMS[row.parameter]
        v = float(f"{row.median:.3g}")
        out[row.parameter] = int(round(v)) if decl.kind == "int" else v
    return out
