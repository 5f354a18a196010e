"""Read the project's TOML files (scenarios, cards, sweep and calibration specs) with one error style.

Every problem becomes a SamenError naming the file and what is wrong, so the CLI can print one
line and exit 2.
"""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from .errors import SamenError


def parse_toml(text: str, where: str) -> dict[str, Any]:
    """Parse TOML text; ``where`` names its source in the error ("scenario file x.toml")."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SamenError(f"{where} is not valid TOML: {exc}") from None


def load_toml(path: Path, where: str, missing: str | None = None) -> dict[str, Any]:
    """Read and parse a TOML file; ``missing`` is the message when it does not exist."""
    if not path.is_file():
        raise SamenError(missing or f"{where} does not exist")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SamenError(f"{where} cannot be read: {exc}") from None
    return parse_toml(text, where)
