"""Rewrite the parameter table in docs/ODD.md from the declarations in model/parameters.py.

The table sits between the markers ``<!-- params:start -->`` and ``<!-- params:end -->``;
everything outside them is left alone. Run from the repository root:

    PYTHONPATH=. python docs/make_parameter_table.py

``tests/test_docs.py`` calls :func:`render` and checks that the file's block is current.
"""

from __future__ import annotations

import sys
from pathlib import Path

from model.parameters import DECLARATIONS, Param

START = "<!-- params:start -->"
END = "<!-- params:end -->"
ODD = Path(__file__).resolve().parent / "ODD.md"
GROUP_ORDER = ("lever", "structural", "uncertainty")


def _number(x: float | int) -> str:
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int) or float(x).is_integer():
        x = int(x)
        return f"{x:,}" if abs(x) < 1e7 else f"{float(x):g}"
    return f"{x:g}"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def _default(p: Param) -> str:
    return f"`{p.default}`" if p.kind == "choice" else _number(p.default)


def _range(p: Param) -> str:
    if p.kind == "choice":
        return ", ".join(f"`{c}`" for c in p.choices)
    kind = "integer " if p.kind == "int" else ""
    return f"{kind}[{_number(p.low)}, {_number(p.high)}]"


def render() -> str:
    """The markdown that belongs between the markers (without the markers)."""
    lines = [
        "",
        f"{len(DECLARATIONS)} parameters. Generated from `model/parameters.py` by "
        "`docs/make_parameter_table.py`; do not edit by hand.",
        "",
        "| Name | Group | Default | Unit | Allowed range | Meaning | Source |",
        "|---|---|---|---|---|---|---|",
    ]
    ordered = sorted(DECLARATIONS, key=lambda p: GROUP_ORDER.index(p.group))  # stable
    for p in ordered:
        lines.append("| " + " | ".join([
            f"`{p.name}`", p.group, _default(p), _cell(p.unit), _range(p),
            _cell(p.description),
            _cell(p.source + (f"; **{p.calibrated}**" if p.calibrated else "")),
        ]) + " |")
    lines.append("")
    return "\n".join(lines)


def current_block(text: str) -> str:
    """The text between the markers in ``text``; ValueError if the markers are missing."""
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise ValueError(f"ODD.md needs exactly one {START} ... {END} block")
    return text[text.index(START) + len(START):text.index(END)]


def rewrite(path: Path = ODD) -> bool:
    """Replace the block in ``path`` with :func:`render`; return True if it changed."""
    text = path.read_text(encoding="utf-8")
    old = current_block(text)
    new = render()
    if old == new:
        return False
    head, tail = text.split(START, 1)
    _, tail = tail.split(END, 1)
    path.write_text(head + START + new + END + tail, encoding="utf-8")
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ODD
    changed = rewrite(target)
    print(f"{target}: parameter table {'rewritten' if changed else 'already up to date'}")
