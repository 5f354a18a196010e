"""The model's main assumptions and limits in plain words, for the brief's last section.

They live in ``assumptions.toml`` beside this module (package data, so an installed Samen
writes the same section as a checkout), in Dutch and English: per assumption a ``lead``
(what the PDF shows) and a ``text`` (what follows it in the HTML). The technical version,
with its evidence, is section 10 of ``docs/ODD.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..tomlfile import FILE, Fields, parse_toml

FILE_NAME = "assumptions.toml"
KEYS = ("lead_en", "text_en", "lead_nl", "text_nl")


@dataclass(frozen=True)
class Assumption:
    lead: dict[str, str]  # by language
    text: dict[str, str]


@cache
def load_assumptions() -> tuple[Assumption, ...]:
    """Every assumption of the shipped file, in its order."""
    where = f"experiments/brief/{FILE_NAME}"
    data = parse_toml(resources.files(__package__).joinpath(FILE_NAME).read_text(encoding="utf-8"), where)
    out = []
    for i, entry in enumerate(data.get("assumption", []), start=1):
        fields = Fields(entry, f"{where}: assumption {i}", FILE)
        fields.keys(KEYS, KEYS)
        out.append(Assumption(lead={lang: fields.text(f"lead_{lang}", nonempty=True).strip() for lang in ("en", "nl")},
                              text={lang: fields.text(f"text_{lang}", nonempty=True).strip()
                                    for lang in ("en", "nl")}))
    return tuple(out)
