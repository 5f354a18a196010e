"""Scenarios: named sets of parameter overrides, one TOML file each.

A scenario file has a display name (``title`` in English, ``title_nl`` in Dutch: how the
brief and the workshop cards name it), a one-line ``description`` (English),
``description_nl`` (Dutch) and a ``[parameters]`` table whose keys are parameter names from
:mod:`model.parameters`; every parameter it does not name keeps its declared default. It may
list dated national events that move trust in the national government (for hindcasts and
teaching), each an ``[[events]]`` table with ``year`` (decimal year, e.g. 2026.25 for 1 April
2026), ``size`` (trust, e.g. -0.05 for a scandal, +0.14 for a crisis rally), ``quarters`` (how
long it takes to fade to 37%) and an optional ``name``. It may list its history of policy as
dated changes, each a ``[[policy]]`` table with ``year`` (decimal), an optional ``name`` and
the new values of parameters a run can change while it runs
(:data:`model.parameters.DATED_PARAMETERS`: the levers except the one-off budgets, and
``energy_policy_support``); and its horizon ``steps`` (quarters; default 40), which runs use
unless told otherwise. The shipped scenarios live in
``experiments/scenarios/``; a user may pass the path of their own file instead of a name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from model.parameters import DATED_PARAMETERS, LEVERS, ParameterError, Parameters, PolicyChange
from model.trust import TrustEvent

from .errors import SamenError
from .tomlfile import FILE, Fields, load_toml, parse_toml

ALLOWED_KEYS = ("title", "title_nl", "description", "description_nl", "parameters", "events", "policy",
                "steps")
EVENT_KEYS = ("year", "size", "quarters", "name")
POLICY_KEYS = ("year", "name", *DATED_PARAMETERS)


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: its name, descriptions and parameter overrides."""

    name: str
    description: str
    description_nl: str
    overrides: Mapping[str, Any] = field(default_factory=dict)
    path: str = ""
    title_en: str = ""
    title_nl: str = ""
    events: tuple[TrustEvent, ...] = ()
    policy: tuple[PolicyChange, ...] = ()
    #: The scenario's horizon in quarters (None: the default horizon).
    steps: int | None = None

    def title(self, lang: str = "en") -> str:
        """The display name in ``lang`` ("en" or "nl"), falling back to English, then to the name."""
        return (self.title_nl if lang == "nl" else "") or self.title_en or self.name

    def describe(self, lang: str = "en") -> str:
        """The one-line description in ``lang`` ("en" or "nl"), falling back to English."""
        return (self.description_nl if lang == "nl" else "") or self.description


def _shipped_dir():
    return resources.files("experiments").joinpath("scenarios")


def scenario_names() -> list[str]:
    """Names of the shipped scenarios, sorted, ``baseline`` first."""
    names = sorted(p.name[:-5] for p in _shipped_dir().iterdir() if p.name.endswith(".toml"))
    return sorted(names, key=lambda n: n != "baseline")


def policy_scenario_names() -> list[str]:
    """The shipped scenarios that compare policies from today's start: those that set levers only
    (the hindcast, which sets its start year's state, is not one of them)."""
    return [s.name for s in list_scenarios() if set(s.overrides) <= set(LEVERS)]


def list_scenarios() -> list[Scenario]:
    """Every shipped scenario, in the order of :func:`scenario_names`."""
    return [load_scenario(name) for name in scenario_names()]


def load_scenario(name_or_path: str | Path) -> Scenario:
    """A shipped scenario by name, or a scenario file by path (anything ending in .toml
    or naming an existing file).

    Raises :class:`SamenError` for an unknown name (listing the known ones), a missing or
    malformed file, and parameter values the declarations do not allow (naming the file).
    """
    text = str(name_or_path)
    as_path = Path(text)
    if isinstance(name_or_path, Path) or text.endswith(".toml") or as_path.is_file():
        return scenario_from_data(load_toml(as_path, f"scenario file {text}"), name=as_path.stem, path=text)
    names = scenario_names()
    if text not in names:
        raise SamenError(
            f"unknown scenario {text!r}; known scenarios: {', '.join(names)} (or give a path to a .toml file)"
        )
    resource = _shipped_dir().joinpath(f"{text}.toml")
    return parse_scenario(resource.read_text(encoding="utf-8"), name=text, path=f"experiments/scenarios/{text}.toml")


def parse_scenario(content: str, name: str, path: str = "") -> Scenario:
    """Parse and validate the TOML text of a scenario file."""
    return scenario_from_data(parse_toml(content, f"scenario file {path or name}"), name, path)


def scenario_from_data(data: dict[str, Any], name: str, path: str = "") -> Scenario:
    """Validate the parsed TOML of a scenario file."""
    where = f"scenario file {path or name}"
    fields = Fields(data, where, FILE)
    fields.keys(ALLOWED_KEYS)
    description, description_nl = data.get("description", ""), data.get("description_nl", "")
    if not isinstance(description, str) or not isinstance(description_nl, str):
        raise fields.fail("description and description_nl must be strings")
    title_en, title_nl = fields.text("title").strip(), fields.text("title_nl").strip()
    overrides = fields.table("parameters")
    try:
        Parameters(**overrides)
    except ParameterError as exc:
        raise ParameterError(f"{where}: {exc}") from None
    steps = fields.whole("steps", 1, None) if "steps" in data else None
    return Scenario(name, description, description_nl, dict(overrides), path, title_en, title_nl,
                    _events(data, fields), _policy(data, fields, overrides), steps)


def _table_list(data: dict[str, Any], fields: Fields, key: str) -> list[dict[str, Any]]:
    """The ``[[key]]`` tables of a scenario file (none if absent), or a one-line error."""
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(e, dict) for e in items):
        raise fields.fail(f"{key} must be a list of [[{key}]] tables")
    return items


def _events(data: dict[str, Any], fields: Fields) -> tuple[TrustEvent, ...]:
    """The scenario's ``[[events]]``, checked: a decimal year, a size, a fading time."""
    events = []
    for i, item in enumerate(_table_list(data, fields, "events"), start=1):
        event = fields.within(f"event {i}", item)
        event.keys(EVENT_KEYS, required=("year", "size", "quarters"))
        quarters = event.number("quarters")
        if not quarters > 0:
            raise event.fail(f"quarters = {quarters:g} must be above 0")
        events.append(TrustEvent(year=event.number("year"), size=event.number("size"),
                                 quarters=quarters, name=event.text("name")))
    return tuple(events)


def _policy(data: dict[str, Any], fields: Fields, overrides: Mapping[str, Any]) -> tuple[PolicyChange, ...]:
    """The scenario's ``[[policy]]``, checked: a decimal year and dated parameters whose values,
    applied in date order on top of ``[parameters]``, the declarations allow."""
    changes = []
    for i, item in enumerate(_table_list(data, fields, "policy"), start=1):
        change = fields.within(f"policy change {i}", item)
        change.keys(POLICY_KEYS, required=("year",))
        values = {k: v for k, v in item.items() if k not in ("year", "name")}
        if not values:
            raise change.fail(f"sets no parameter; give one or more of {', '.join(DATED_PARAMETERS)}")
        changes.append(PolicyChange(year=change.number("year"), changes=values, name=change.text("name")))
    changes.sort(key=lambda c: c.year)
    current = dict(overrides)
    for c in changes:
        current.update(c.changes)
        try:
            Parameters(**current)
        except ParameterError as exc:
            raise fields.fail(f"policy change of {c.year:g}: {exc}") from None
    return tuple(changes)


def scenario_parameters(scenario: Scenario, overrides: Mapping[str, Any] | None = None) -> Parameters:
    """The scenario's parameters with ``overrides`` (e.g. from ``--set``) applied on top."""
    return Parameters(**{**scenario.overrides, **(overrides or {})})
