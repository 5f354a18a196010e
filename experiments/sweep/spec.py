"""Experiment specs: one TOML file that says what to vary, how, and how often.

A spec names a base scenario, the parameters to vary (``[levers]`` for what policy
chooses, ``[uncertainties]`` for what nobody controls, as in the EMA Workbench), a design
that turns those ranges into samples, and how many seeded replications each sample gets::

    name = "investment-lhs"
    scenario = "baseline"        # parameters not varied come from it
    steps = 40                   # optional; default: experiments.api.DEFAULT_STEPS (40)
    replications = 10
    seed = 20261128              # master seed of the design and of every run
    design = "lhs"               # grid | lhs | sobol | morris | scenarios | policies
    samples = 64                 # lhs, sobol, morris; policies: the sampled futures
    outcomes = ["trust_government", "access"]   # optional; default: every outcome
    keep_series = false          # optional; true writes each run's time series
    keep_localities = false      # optional; with keep_series, also each run's localities

    [levers]
    investment_eur = [0, 2e9]                    # [low, high] for numbers
    allocation = ["per_capita", "needs_based"]   # the choices to draw from

    [uncertainties]
    trust_down_ratio = [1.5, 4]

    [parameters]                 # optional: fixed values for every run
    population_scale = 1000

    [groups]                     # optional, design "sobol" only: indices per group of factors
    policy = ["investment_eur", "allocation"]
    trust = ["trust_down_ratio"]

With ``[groups]`` every varied parameter belongs to exactly one group, still varies over its
own range, and Saltelli's design draws the parameters of a group together: it needs
``samples x (2G + 2)`` runs (``samples x (G + 2)`` without second order) for G groups instead
of one block per parameter, and the Sobol indices say how much each group of assumptions (a
mechanism) drives an outcome (Jacques et al. 2006, Reliab. Eng. Syst. Saf. 91; SALib ``groups``).

Every check happens in :func:`load_spec` before anything runs or is written; the first
problem found is raised as one :class:`~experiments.errors.SamenError` that names it and
says what is allowed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from model.outcomes import SERIES_COLUMNS
from model.parameters import PARAMS, ParameterError, Parameters, unknown_message

from ..api import DEFAULT_STEPS
from ..errors import SamenError
from ..tomlfile import SPEC, Fields, load_toml, parse_toml

DESIGNS = ("grid", "lhs", "sobol", "morris", "scenarios", "policies")
#: Designs that draw a number of samples (``samples`` is required for them, forbidden otherwise).
SAMPLED_DESIGNS = ("lhs", "sobol", "morris", "policies")
#: Designs that compare named scenarios: the list key each takes.
NAMED_DESIGNS = {"scenarios": "scenarios", "policies": "policies"}
#: Outcomes a sweep can keep: every national series column except the time columns.
OUTCOMES = tuple(c for c in SERIES_COLUMNS if c not in ("step", "year"))
KEYS = ("name", "scenario", "steps", "replications", "seed", "design", "samples", "scenarios", "policies",
        "levels", "second_order", "common_random_numbers", "outcomes", "keep_series", "keep_localities",
        "levers", "uncertainties", "parameters", "groups", "description")
REQUIRED = ("name", "seed", "design")
#: Fewest groups a grouped Sobol design needs: one group has no variance to apportion.
MIN_GROUPS = 2
#: Default number of levels of a grid axis and of the Morris grid.
DEFAULT_LEVELS = {"grid": 3, "morris": 4}


@dataclass(frozen=True)
class Factor:
    """One varied parameter: a numeric range ``[low, high]`` or a tuple of choices.

    ``values`` holds explicit grid values when a grid spec lists more than two numbers.
    """

    name: str
    group: str  # "lever" or "uncertainty": the spec table it was given in
    kind: str  # the declaration's kind: float, int or choice
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    values: tuple[float, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        if self.kind == "choice":
            return {"choices": list(self.choices)}
        out: dict[str, Any] = {"low": self.low, "high": self.high}
        if self.values:
            out["values"] = list(self.values)
        return out


@dataclass(frozen=True)
class SweepSpec:
    """A validated experiment spec (see the module docstring for the keys)."""

    name: str
    scenario: str
    steps: int
    replications: int
    seed: int
    design: str
    samples: int | None
    scenarios: tuple[str, ...]  # design scenarios: the scenarios; design policies: the policies
    levels: int | None
    second_order: bool
    common_random_numbers: bool
    outcomes: tuple[str, ...]
    keep_series: bool
    factors: tuple[Factor, ...]
    parameters: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    path: str = ""
    keep_localities: bool = False
    #: ``[groups]`` of a sobol design: group name -> its factors (empty: one index per factor).
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def factor_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.factors)

    @property
    def factor_groups(self) -> tuple[str, ...]:
        """The group of each factor, in factor order (empty without ``[groups]``)."""
        group_of = {name: group for group, names in self.groups.items() for name in names}
        return tuple(group_of[name] for name in self.factor_names) if group_of else ()

    def to_dict(self) -> dict[str, Any]:
        """The resolved spec as plain TOML/JSON-able data; ``load_spec`` of it gives it back."""
        out: dict[str, Any] = {
            "name": self.name, "description": self.description, "scenario": self.scenario,
            "steps": self.steps, "replications": self.replications, "seed": self.seed,
            "design": self.design, "common_random_numbers": self.common_random_numbers,
            "outcomes": list(self.outcomes), "keep_series": self.keep_series,
            "keep_localities": self.keep_localities,
        }
        if self.samples is not None:
            out["samples"] = self.samples
        if self.design in NAMED_DESIGNS:
            out[NAMED_DESIGNS[self.design]] = list(self.scenarios)
        if self.levels is not None:
            out["levels"] = self.levels
        if self.design == "sobol":
            out["second_order"] = self.second_order
        for group, table in (("lever", "levers"), ("uncertainty", "uncertainties")):
            out[table] = {f.name: _spec_form(f) for f in self.factors if f.group == group}
        out["parameters"] = dict(self.parameters)
        if self.groups:
            out["groups"] = {group: list(names) for group, names in self.groups.items()}
        return out


def _spec_form(f: Factor) -> list:
    if f.kind == "choice":
        return list(f.choices)
    return list(f.values) if f.values else [f.low, f.high]


def _shipped_dir():
    return resources.files("experiments").joinpath("sweeps")


def shipped_spec_names() -> list[str]:
    """Names of the specs shipped in ``experiments/sweeps/``, sorted."""
    return sorted(p.name[:-5] for p in _shipped_dir().iterdir() if p.name.endswith(".toml"))


def spec_path(name: str):
    """The file of the shipped spec ``name`` (a path or package resource), or SamenError."""
    if name not in shipped_spec_names():
        raise SamenError(f"no shipped spec {name!r}; shipped specs: {', '.join(shipped_spec_names())} "
                         f"(see `samen specs`), or give the path of a .toml file")
    return _shipped_dir().joinpath(f"{name}.toml")


def load_spec(source: str | Path | Mapping[str, Any]) -> SweepSpec:
    """Read and validate a spec from a TOML file path, the name of a shipped spec
    (``"investment-lhs"``, see :func:`shipped_spec_names`) or an already parsed mapping."""
    if isinstance(source, Mapping):
        return parse_spec(dict(source), where="spec")
    path = Path(source)
    text = str(source)
    if not path.exists() and not text.endswith(".toml") and "/" not in text and text in shipped_spec_names():
        where = f"shipped spec {text}"
        return parse_spec(parse_toml(spec_path(text).read_text(encoding="utf-8"), where), where=where,
                          path=f"experiments/sweeps/{text}.toml")
    where = f"spec {path}"
    missing = f"spec file {path} does not exist"
    if not text.endswith(".toml") and "/" not in text:
        missing += f" and is not a shipped spec ({', '.join(shipped_spec_names())}; see `samen specs`)"
    data = load_toml(path, where, missing=missing)
    return parse_spec(data, where=where, path=str(path))


def parse_spec(data: dict[str, Any], where: str = "spec", path: str = "") -> SweepSpec:
    """Validate parsed TOML data; raise SamenError on the first problem.

    The checks run in the order of the keys in the module docstring, so a spec with
    several problems always reports the same one first.
    """
    fields = Fields(data, where, SPEC)
    fields.keys(KEYS, REQUIRED)
    name = fields.name()
    description = fields.text("description")
    steps, replications, seed = _run_counts(fields)
    design = fields.choice("design", DESIGNS)
    samples = _samples(fields, design)
    scenario, scenarios = _scenarios(fields, design)
    levels, second_order, crn, keep_series, keep_localities = _options(fields, design)
    outcomes = _outcomes(fields)
    factors = _factors(fields, design)
    fixed = _fixed_parameters(fields, {f.name for f in factors})
    groups = _groups(fields, design, [f.name for f in factors])
    return SweepSpec(
        name=name, scenario=scenario, steps=steps, replications=replications, seed=seed,
        design=design, samples=samples, scenarios=scenarios, levels=levels,
        second_order=second_order, common_random_numbers=crn, outcomes=outcomes,
        keep_series=keep_series, factors=factors, parameters=fixed,
        description=description, path=path, keep_localities=keep_localities, groups=groups,
    )


def _run_counts(fields: Fields) -> tuple[int, int, int]:
    """``steps``, ``replications`` and the master ``seed``."""
    steps = fields.whole("steps", 1, DEFAULT_STEPS)
    replications = fields.whole("replications", 1, 1)
    seed = fields.whole("seed", 0)
    if seed >= 2**63:
        raise fields.fail(f"seed {seed} must be below 2**63")
    return steps, replications, seed


def _samples(fields: Fields, design: str) -> int | None:
    """``samples``: required by the sampled designs, refused by the others."""
    if design in SAMPLED_DESIGNS:
        if fields.get("samples") is None:
            raise fields.fail(f"design {design!r} needs samples = N (the number of samples to draw)")
        samples = fields.whole("samples", 2)
        if design == "sobol" and samples & (samples - 1):
            raise fields.fail(f"design 'sobol' needs samples to be a power of 2 (e.g. 32, 64, 128), not {samples}")
        return samples
    if fields.get("samples") is not None:
        why = "the grid is the product of the levels" if design == "grid" else "one sample per scenario"
        raise fields.fail(f"samples is not used by design {design!r}: remove it ({why})")
    return None


def _scenarios(fields: Fields, design: str) -> tuple[str, tuple[str, ...]]:
    """The base ``scenario`` and, for designs "scenarios" and "policies", the compared
    ``scenarios`` or ``policies``; all loadable."""
    from ..scenarios import load_scenario

    scenario = fields.get("scenario", "baseline")
    if not isinstance(scenario, str):
        raise fields.fail("scenario must be the name of a scenario (see `samen scenarios`) or a .toml path")
    scenarios: tuple[str, ...] = ()
    key = NAMED_DESIGNS.get(design)
    if key:
        raw = fields.get(key)
        if not isinstance(raw, list) or len(raw) < 2 or not all(isinstance(s, str) for s in raw):
            raise fields.fail(f"design {design!r} needs {key} = [\"baseline\", \"manifesto\", ...], "
                              "two or more scenario names")
        if len(set(raw)) != len(raw):
            raise fields.fail(f"{key} lists a scenario twice")
        scenarios = tuple(raw)
        if "scenario" not in fields:
            scenario = scenarios[0]
        elif scenario not in scenarios:
            raise fields.fail(f"the base scenario {scenario!r} must be one of {key} ({', '.join(scenarios)})")
    for other, used_by in NAMED_DESIGNS.items():
        if used_by != key and used_by in fields:
            raise fields.fail(f"{used_by} is only used by design {other!r}, not {design!r}")
    try:
        for s in (scenario, *scenarios):
            load_scenario(s)
    except (SamenError, ParameterError) as exc:
        raise fields.fail(str(exc)) from None
    return scenario, scenarios


def _options(fields: Fields, design: str) -> tuple[int | None, bool, bool, bool, bool]:
    """``levels``, ``second_order``, ``common_random_numbers``, ``keep_series`` and ``keep_localities``."""
    levels = fields.get("levels")
    if design in DEFAULT_LEVELS:
        levels = DEFAULT_LEVELS[design] if levels is None else fields.whole("levels", 2)
    elif levels is not None:
        raise fields.fail(f"levels is only used by designs grid and morris, not {design!r}")
    second_order = fields.flag("second_order", False)
    if "second_order" in fields and design != "sobol":
        raise fields.fail(f"second_order is only used by design 'sobol', not {design!r}")
    crn = fields.flag("common_random_numbers", design in NAMED_DESIGNS)
    if design == "policies" and not crn:
        raise fields.fail("design 'policies' runs every policy on the same futures and seeds: "
                          "remove common_random_numbers = false")
    keep_series = fields.flag("keep_series", False)
    keep_localities = fields.flag("keep_localities", False)
    if keep_localities and not keep_series:
        raise fields.fail("keep_localities stores each run's localities next to its series: "
                          "set keep_series = true as well")
    return levels, second_order, crn, keep_series, keep_localities


def _outcomes(fields: Fields) -> tuple[str, ...]:
    """The outcome columns to keep (default: all of :data:`OUTCOMES`), without repeats."""
    outcomes = fields.get("outcomes", list(OUTCOMES))
    if not isinstance(outcomes, list) or not outcomes or not all(isinstance(o, str) for o in outcomes):
        raise fields.fail("outcomes must be a non-empty list of outcome names")
    for o in outcomes:
        if o not in OUTCOMES:
            raise fields.fail(f"unknown outcome {o!r}; known outcomes: {', '.join(OUTCOMES)}")
    return tuple(dict.fromkeys(outcomes))


def _factors(fields: Fields, design: str) -> tuple[Factor, ...]:
    """The varied parameters of ``[levers]`` and ``[uncertainties]``, as the design needs them."""
    factors = []
    for table, group in (("levers", "lever"), ("uncertainties", "uncertainty")):
        entries = fields.table(table, f"[{table}] must be a table of NAME = [low, high] or NAME = [\"choice\", ...]")
        for pname, value in entries.items():
            factors.append(_factor(pname, value, group, design, f"[{table}] {pname}", fields.fail))
    names = [f.name for f in factors]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise fields.fail(f"{twice[0]} is varied in both [levers] and [uncertainties]; give it once")
    if design == "policies":
        if any(f.group == "lever" for f in factors):
            raise fields.fail("design 'policies' takes its levers from the named policies: remove [levers] "
                              "(what nobody controls goes in [uncertainties])")
        if not factors:
            raise fields.fail("design 'policies' needs [uncertainties]: the futures every policy is tried in")
    if design == "scenarios" and factors:
        raise fields.fail("design 'scenarios' compares whole scenarios: remove [levers] and [uncertainties] "
                          "(use [parameters] for fixed values)")
    if design not in NAMED_DESIGNS and not factors:
        raise fields.fail(f"design {design!r} needs at least one parameter to vary in [levers] or [uncertainties]")
    if design == "sobol" and len(factors) < 2:
        raise fields.fail("design 'sobol' needs at least two varied parameters")
    return tuple(factors)


def _fixed_parameters(fields: Fields, varied: set[str]) -> dict[str, Any]:
    """``[parameters]``: fixed values for every run, each declared, not varied, and valid together."""
    fixed = dict(fields.table("parameters"))
    for pname, value in fixed.items():
        if pname not in PARAMS:
            raise fields.fail(f"[parameters] {unknown_message(pname)}")
        if pname in varied:
            raise fields.fail(f"{pname} is both varied and fixed in [parameters]; give it once")
        try:
            fixed[pname] = PARAMS[pname].coerce(value)
        except ParameterError as exc:
            raise fields.fail(f"[parameters] {exc}") from None
    try:
        Parameters(**fixed)
    except ParameterError as exc:
        raise fields.fail(f"[parameters] {exc}") from None
    return fixed


def _groups(fields: Fields, design: str, factors: list[str]) -> dict[str, tuple[str, ...]]:
    """``[groups]`` of a sobol design: every varied parameter in exactly one group, at least
    :data:`MIN_GROUPS` groups; empty when the spec has none."""
    if "groups" not in fields:
        return {}
    if design != "sobol":
        raise fields.fail(f"[groups] is only used by design 'sobol', not {design!r}")
    table = fields.table("groups", "[groups] must be a table of GROUP = [\"parameter\", ...]", nonempty=True)
    group_of: dict[str, str] = {}
    for group, names in table.items():
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise fields.fail(f"[groups] {group} must be a non-empty list of varied parameter names")
        for name in names:
            if name not in factors:
                raise fields.fail(f"[groups] {group} lists {name}, which is not varied in [levers] or "
                                  "[uncertainties]")
            if name in group_of:
                where = "twice" if group_of[name] == group else f"in both {group_of[name]} and {group}"
                raise fields.fail(f"[groups] {name} is listed {where}; give every parameter one group")
            group_of[name] = group
    for name in factors:
        if name not in group_of:
            raise fields.fail(f"[groups] {name} is in no group; every varied parameter needs exactly one")
    if len(table) < MIN_GROUPS:
        raise fields.fail(f"[groups] needs at least {MIN_GROUPS} groups: one group has no variance to apportion")
    return {group: tuple(names) for group, names in table.items()}


def _factor(name: str, value: Any, group: str, design: str, label: str, fail) -> Factor:
    if name not in PARAMS:
        raise fail(unknown_message(name))
    decl = PARAMS[name]
    if decl.kind == "choice":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(f"{label} must be a list of choices, e.g. {list(decl.choices[:2])}; allowed: {decl.allowed()}")
        for v in value:
            if v not in decl.choices:
                raise fail(f"{label}: {v!r} is not allowed; use {decl.allowed()}")
        if len(set(value)) < 2:
            raise fail(f"{label} lists fewer than two different choices: nothing to vary "
                       f"(fix a single value in [parameters] instead)")
        if len(set(value)) != len(value):
            raise fail(f"{label} lists a choice twice")
        return Factor(name, group, decl.kind, choices=tuple(value))
    numeric = (isinstance(value, list) and value
               and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value))
    if not numeric or not (len(value) == 2 or (design == "grid" and len(value) > 2)):
        extra = " (a grid may list three or more values)" if design == "grid" else ""
        raise fail(f"{label} must be [low, high]{extra}; allowed: {decl.allowed()} ({decl.unit})")
    for v in value:
        if not math.isfinite(v):
            raise fail(f"{label}: {v} is not a finite number")
        if decl.kind == "int" and not float(v).is_integer():
            raise fail(f"{label}: {v} must be a whole number ({decl.allowed()})")
        if not decl.low <= v <= decl.high:
            raise fail(f"{label}: {v:g} is outside the declared range; use {decl.allowed()} ({decl.unit})")
    if len(value) == 2:
        low, high = value
        if low == high:
            raise fail(f"{label} = [{low:g}, {high:g}] is an empty range: low must be below high "
                       f"(fix a single value in [parameters] instead)")
        if low > high:
            raise fail(f"{label} = [{low:g}, {high:g}] is inverted: give [low, high] with low < high")
        return Factor(name, group, decl.kind, low=_num(low, decl.kind), high=_num(high, decl.kind))
    if len(set(value)) != len(value):
        raise fail(f"{label} lists a value twice")
    vals = tuple(_num(v, decl.kind) for v in value)
    return Factor(name, group, decl.kind, low=min(vals), high=max(vals), values=vals)


def _num(v: float, kind: str) -> float | int:
    return int(v) if kind == "int" else float(v)
