"""Scenario cards: what a workshop room sees when it picks a scenario.

A card is one TOML file in ``experiments/workshops/`` (a facilitator may edit them or add
their own) with a short description and one or two discussion questions in Dutch and
English, the name of a scenario (``experiments/scenarios/<name>.toml``, default
``baseline``) and an optional ``[parameters]`` table applied on top of that scenario. Its
title is the scenario's display name (``title``/``title_nl`` of the scenario file, the one
place the brief names scenarios too) unless the card gives its own::

    title_en = "The manifesto"     # optional: default the scenario's title
    title_nl = "Het manifest"
    description_en = "..."
    description_nl = "..."
    questions_en = ["...", "..."]
    questions_nl = ["...", "..."]
    scenario = "manifesto"

    [parameters]          # optional
    allocation = "needs_based"

Every problem with a card raises :class:`~experiments.errors.SamenError` naming the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from model.parameters import ParameterError, Parameters

from ..errors import SamenError
from ..scenarios import Scenario, load_scenario, scenario_names, scenario_parameters
from ..tomlfile import FILE, Fields, parse_toml

REQUIRED_KEYS = ("description_en", "description_nl", "questions_en", "questions_nl")
ALLOWED_KEYS = ("title_en", "title_nl", *REQUIRED_KEYS, "scenario", "parameters")
#: The card every comparison is made against, and the one shown first.
BASELINE_CARD = "baseline"


@dataclass(frozen=True)
class Card:
    """A validated scenario card."""

    name: str
    title: Mapping[str, str]  # by language
    description: Mapping[str, str]
    questions: Mapping[str, tuple[str, ...]]
    scenario: Scenario
    overrides: Mapping[str, Any] = field(default_factory=dict)
    path: str = ""

    def parameters(self, extra: Mapping[str, Any] | None = None) -> Parameters:
        """The card's scenario with its own overrides, then ``extra``, applied."""
        return scenario_parameters(self.scenario, {**self.overrides, **(extra or {})})


def _shipped_dir():
    return resources.files("experiments").joinpath("workshops")


def card_names() -> list[str]:
    """Names of the shipped cards, ``baseline`` first, then alphabetically."""
    names = sorted(p.name[:-5] for p in _shipped_dir().iterdir() if p.name.endswith(".toml"))
    return sorted(names, key=lambda n: n != BASELINE_CARD)


def load_cards(folder: str | Path | None = None) -> list[Card]:
    """Every card of ``folder`` (default: the shipped ones), baseline first."""
    if folder is None:
        return [parse_card(_shipped_dir().joinpath(f"{n}.toml").read_text(encoding="utf-8"), n,
                           f"experiments/workshops/{n}.toml") for n in card_names()]
    folder = Path(folder)
    if not folder.is_dir():
        raise SamenError(f"card folder {folder} does not exist")
    files = sorted(folder.glob("*.toml"), key=lambda p: (p.stem != BASELINE_CARD, p.stem))
    if not files:
        raise SamenError(f"card folder {folder} holds no .toml cards")
    return [load_card(p) for p in files]


def load_card(path: str | Path) -> Card:
    """One card from a file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SamenError(f"card file {path} cannot be read: {exc}") from None
    return parse_card(text, path.stem, str(path))


def parse_card(text: str, name: str, path: str = "") -> Card:
    """Parse and validate the TOML text of a card."""
    fields = Fields(parse_toml(text, f"card file {path or name}"), f"card file {path or name}", FILE)
    fields.keys(ALLOWED_KEYS, REQUIRED_KEYS)
    description = {lang: fields.text(f"description_{lang}", nonempty=True).strip() for lang in ("en", "nl")}
    questions = {}
    for lang in ("en", "nl"):
        q = fields.get(f"questions_{lang}")
        if (not isinstance(q, list) or not 1 <= len(q) <= 2
                or not all(isinstance(x, str) and x.strip() for x in q)):
            raise fields.fail(f"questions_{lang} must be a list of one or two non-empty strings")
        questions[lang] = tuple(q)
    if len(questions["en"]) != len(questions["nl"]):
        raise fields.fail("questions_en and questions_nl must have the same number of questions")
    scenario_name = fields.get("scenario", BASELINE_CARD)
    if not isinstance(scenario_name, str) or scenario_name not in scenario_names():
        raise fields.fail(f"scenario {scenario_name!r} is not a shipped scenario; known: {', '.join(scenario_names())}")
    overrides = fields.table("parameters")
    scenario = load_scenario(scenario_name)
    title = {lang: (fields.text(f"title_{lang}", nonempty=f"title_{lang}" in fields).strip()
                    or scenario.title(lang)) for lang in ("en", "nl")}
    try:
        scenario_parameters(scenario, overrides)
    except ParameterError as exc:
        raise fields.fail(str(exc)) from None
    return Card(name=name, title=title, description=description, questions=questions, scenario=scenario,
                overrides=dict(overrides), path=path)
