"""Read the project's TOML files (scenarios, workshop cards, sweep and calibration specs) with
one set of checks and one error style.

:func:`load_toml` and :func:`parse_toml` turn a file or text into a dict; :class:`Fields`
then reads its keys: unknown and missing keys, whole numbers, numbers, flags, strings,
names, choices and tables. Every problem becomes one :class:`~experiments.errors.SamenError`
line ``<where>: <what is wrong>`` naming the file, so the CLI can print it and exit 2.

Each kind of file keeps the words its users (and tests) know: a :class:`Wording` says how it
reports an unknown or missing key and a bad whole number. Short files (:data:`FILE`:
scenarios, cards) name every offending key; specs (:data:`SPEC`, :data:`CALIBRATION`) name
the first one and list what is allowed.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import SamenError

#: Default of a field that must be given.
REQUIRED = object()
#: What a ``name`` may look like: it becomes part of folder names.
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def parse_toml(text: str, where: str) -> dict[str, Any]:
    """Parse TOML text; ``where`` names its source in the error ("scenario file x.toml")."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SamenError(f"{where} is not valid TOML: {exc}") from None


def load_toml(path: Path, where: str, missing: str | None = None) -> dict[str, Any]:
    """Read and parse a TOML file; ``missing`` is the message when it does not exist."""
    if not path.exists():
        raise SamenError(missing or f"{where} does not exist")
    if path.is_dir():
        raise SamenError(f"{where} is a folder, not a TOML file")
    try:
        text = path.read_text(encoding="utf-8")  # also a pipe or a device such as /dev/null
    except (OSError, UnicodeDecodeError) as exc:
        raise SamenError(f"{where} cannot be read: {exc}") from None
    if not text.strip():
        raise SamenError(f"{where} is empty")
    return parse_toml(text, where)


@dataclass(frozen=True)
class Wording:
    """How a kind of file words its key and whole-number errors (``str.format`` templates).

    Fields: ``{first}`` the first offending key, ``{keys}`` all of them, ``{allowed}`` and
    ``{required}`` the allowed and required keys; ``{key}``, ``{value}`` and ``{minimum}``
    for a whole number.
    """

    unknown: str
    missing: str
    whole: str


#: Sweep specs: the first unknown or missing key, with the allowed or required keys.
SPEC = Wording(unknown="unknown key {first!r}; allowed keys: {allowed}",
               missing="missing key {first!r} (required: {required})",
               whole="{key} = {value!r} must be a whole number of at least {minimum}")
#: Calibration specs.
CALIBRATION = replace(SPEC, missing="missing key {first!r}",
                      whole="{key} must be a whole number of at least {minimum}, not {value!r}")
#: Scenario files and workshop cards: every unknown or missing key at once.
FILE = replace(SPEC, unknown="unknown key(s) {keys}; allowed: {allowed}", missing="missing key(s) {keys}")


def is_whole(value: Any) -> bool:
    """A TOML integer (not a boolean)."""
    return isinstance(value, int) and not isinstance(value, bool)


def as_number(value: Any, label: str, fail: Callable[[str], SamenError]) -> float:
    """``value`` as a finite float, or ``fail("<label> must be a number, not <value>")``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise fail(f"{label} must be a number, not {value!r}")
    return float(value)


class Fields:
    """The keys of one parsed TOML table, read with checks.

    ``where`` names the table in every message (``"spec x.toml"``); :meth:`within` reads a
    nested table (``[targets.volunteering]``) whose messages carry both names.
    """

    def __init__(self, data: Mapping[str, Any], where: str, wording: Wording = SPEC, separator: str = ": "):
        self.data = data
        self.where = where
        self.wording = wording
        self._separator = separator

    def fail(self, message: str) -> SamenError:
        """The error to raise: ``<where>: <message>``."""
        return SamenError(f"{self.where}{self._separator}{message}")

    def within(self, label: str, data: Mapping[str, Any]) -> Fields:
        """The nested table ``label`` (e.g. ``[targets.x]``): messages ``<where>: <label> <message>``."""
        return Fields(data, f"{self.where}: {label}", self.wording, separator=" ")

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def get(self, key: str, default: Any = None) -> Any:
        """The raw value of ``key``, unchecked."""
        return self.data.get(key, default)

    def _value(self, key: str, default: Any) -> Any:
        if key in self.data:
            return self.data[key]
        if default is REQUIRED:
            raise self.fail(self.wording.missing.format(first=key, keys=key, required=key))
        return default

    def keys(self, allowed: Sequence[str], required: Sequence[str] = ()) -> None:
        """Refuse keys outside ``allowed`` (sorted, first reported first), then absent ``required`` ones."""
        unknown = sorted(set(self.data) - set(allowed))
        if unknown:
            raise self.fail(self.wording.unknown.format(first=unknown[0], keys=", ".join(unknown),
                                                        allowed=", ".join(allowed)))
        missing = [k for k in required if k not in self.data]
        if missing:
            raise self.fail(self.wording.missing.format(first=missing[0], keys=", ".join(missing),
                                                        required=", ".join(required)))

    def whole(self, key: str, minimum: int, default: Any = REQUIRED) -> int:
        """A whole number of at least ``minimum``."""
        value = self._value(key, default)
        if not is_whole(value) or value < minimum:
            raise self.fail(self.wording.whole.format(key=key, value=value, minimum=minimum))
        return value

    def number(self, key: str, default: Any = REQUIRED) -> float:
        """A finite number, as a float."""
        return as_number(self._value(key, default), key, self.fail)

    def flag(self, key: str, default: bool) -> bool:
        """``true`` or ``false``."""
        value = self._value(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{key} = {value!r} must be true or false")
        return value

    def text(self, key: str, default: Any = "", nonempty: bool = False) -> str:
        """A string (with ``nonempty``: one with more than white space)."""
        value = self._value(key, default)
        if nonempty and not (isinstance(value, str) and value.strip()):
            raise self.fail(f"{key} must be a non-empty string")
        if not isinstance(value, str):
            raise self.fail(f"{key} must be a string")
        return value

    def name(self, key: str = "name") -> str:
        """A name fit for a folder: letters, digits, ``_``, ``.`` and ``-``."""
        value = self._value(key, REQUIRED)
        if not isinstance(value, str) or not NAME_PATTERN.fullmatch(value):
            raise self.fail(f"{key} {value!r} must be a non-empty string of letters, digits, '_', '.' and '-'")
        return value

    def choice(self, key: str, choices: Sequence[str], default: Any = REQUIRED) -> str:
        """One of ``choices``."""
        value = self._value(key, default)
        if value not in choices:
            raise self.fail(f"unknown {key} {value!r}; use one of {', '.join(choices)}")
        return value

    def table(self, key: str, message: str | None = None, nonempty: bool = False) -> dict[str, Any]:
        """A table (``nonempty``: with at least one entry); ``message`` says what it should hold."""
        value = self._value(key, {})
        if not isinstance(value, dict) or (nonempty and not value):
            raise self.fail(message or f"[{key}] must be a table of NAME = VALUE")
        return value
