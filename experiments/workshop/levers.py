"""Lever widgets described from the parameter declarations (:data:`model.parameters.PARAMS`).

The dashboard draws one slider or selector per policy lever; its label, unit, range and
default come from the declaration, never from here. This module only decides how a value
is shown (money in millions of euros, shares as given) and the slider's step, which is a
round number near a hundredth of the declared range.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from model.parameters import LEVERS, PARAMS, Parameters

from ..i18n import declared_text, number, whole_number


@dataclass(frozen=True)
class LeverSpec:
    """What a widget needs to show one lever."""

    name: str
    kind: str  # float, int or choice
    label: str
    unit: str  # in the language of the specs
    default: Any
    low: float | None
    high: float | None
    step: float | None
    choices: tuple[str, ...]

    @property
    def is_money(self) -> bool:
        return PARAMS[self.name].unit.startswith("EUR")


def nice_step(low: float, high: float, kind: str) -> float:
    """The largest 1, 2 or 5 times a power of ten at most a hundredth of the range
    (at least 1 for integers)."""
    span = (high - low) / 100
    if kind == "int":
        return max(1, int(nice_step(low, high, "float"))) if span >= 1 else 1
    exponent = math.floor(math.log10(span))
    for mantissa in (5, 2, 1):
        step = mantissa * 10.0**exponent
        if step <= span * (1 + 1e-9):
            return float(f"{step:.12g}")
    return 10.0**exponent


def lever_specs(lang: str) -> list[LeverSpec]:
    """One spec per lever, in declaration order."""
    specs = []
    for name in LEVERS:
        p = PARAMS[name]
        label = p.label_nl if lang == "nl" else p.label_en
        step = None if p.kind == "choice" else nice_step(p.low, p.high, p.kind)
        specs.append(LeverSpec(name, p.kind, label, declared_text(p.unit, lang), p.default, p.low, p.high, step,
                               p.choices))
    return specs


def snap(spec: LeverSpec, value: Any) -> Any:
    """``value`` on the slider's grid and inside the range, as the lever's type."""
    if spec.kind == "choice":
        return value
    value = min(max(float(value), spec.low), spec.high)
    snapped = spec.low + round((value - spec.low) / spec.step) * spec.step
    snapped = min(max(snapped, spec.low), spec.high)
    return int(round(snapped)) if spec.kind == "int" else float(f"{snapped:.10g}")


def format_value(spec: LeverSpec, value: Any, lang: str) -> str:
    """A lever value as people read it: money in millions of euros, numbers with the
    language's decimal mark, choices in words."""
    if spec.kind == "choice":
        return declared_text(str(value), lang)
    if spec.is_money:
        millions = whole_number(float(value) / 1e6, lang)
        return f"{millions} mln euro" if lang == "nl" else f"EUR {millions} million"
    if spec.kind == "int":
        return str(int(value))
    decimals = max(0, -math.floor(math.log10(spec.step))) if spec.step else 2
    return number(float(value), lang, decimals=decimals)


def lever_values(parameters: Parameters) -> dict[str, Any]:
    """The lever values of a parameter set."""
    return {name: getattr(parameters, name) for name in LEVERS}


def changed_levers(values: Mapping[str, Any]) -> dict[str, Any]:
    """The levers in ``values`` that differ from their declared defaults."""
    return {k: v for k, v in values.items() if k in PARAMS and v != PARAMS[k].default}
