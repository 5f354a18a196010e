"""The model's main assumptions, read from ``docs/ODD.md`` for the brief's last section.

A small Markdown reader: the top-level bullets under the heading :data:`ASSUMPTIONS_HEADING`,
each with its indented lines and sub-bullets joined, emphasis, code marks and link targets
removed. The brief shows every bullet in HTML and a short lead of each in the PDF.
"""

from __future__ import annotations

import re
from pathlib import Path

#: Where the model's assumptions are listed, and under which heading.
ODD_PATH = Path(__file__).resolve().parents[2] / "docs" / "ODD.md"
ASSUMPTIONS_HEADING = "Main assumptions and limits"


def read_assumptions(path: Path | None = None) -> list[tuple[str, str]]:
    """The bullets under the heading "Main assumptions and limits" of docs/ODD.md.

    Returns ``(lead, text)`` per top-level bullet: ``lead`` is its bold opening phrase (or
    its first sentence), ``text`` the whole bullet with indented lines and sub-bullets
    joined. Markdown emphasis, code marks and link targets are removed. An absent file or
    heading gives an empty list.
    """
    try:
        lines = (path or ODD_PATH).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    start = level = None
    for i, line in enumerate(lines):
        m = re.match(r"^(#+)\s+(.*)$", line)
        if m and ASSUMPTIONS_HEADING.lower() in m.group(2).lower():
            start, level = i + 1, len(m.group(1))
            break
    if start is None:
        return []
    bullets: list[str] = []
    for line in lines[start:]:
        m = re.match(r"^(#+)\s", line)
        if m and len(m.group(1)) <= level:
            break
        top = re.match(r"^(?:[-*+]|\d+[.)])\s+(.*)$", line)
        if top:
            bullets.append(top.group(1).strip())
        elif bullets and line.strip() and line.startswith((" ", "\t")):
            sub = re.match(r"^\s+(?:[-*+]|\d+[.)])\s+(.*)$", line)
            joint = "; " if sub and not bullets[-1].rstrip().endswith((":", ";")) else " "
            bullets[-1] += joint + (sub.group(1) if sub else line).strip()
        elif bullets and line.strip():  # unindented text after the list ends it
            break
    out = []
    for bullet in bullets:
        bold = re.match(r"^\*\*(.+?)\*\*", bullet)
        text = _plain(bullet)
        sentences = re.split(r"(?<=[.!?])\s", text)
        lead = _plain(bold.group(1)).rstrip(".:") + "." if bold else sentences[0]
        label = bool(bold) and bold.group(1).rstrip().endswith(".")
        if (label or not bold) and len(lead.split()) < 5 and len(sentences) > 1:  # add what it means
            rest = text[len(_plain(bold.group(1))):].lstrip(" .:") if bold else sentences[1]
            lead = f"{lead} {re.split(r'(?<=[.!?:;])\s', rest, maxsplit=1)[0]}"
        lead = lead.rstrip(" :;")
        out.append((lead if lead.endswith((".", "!", "?", ")")) else lead + ".", text))
    return out


def _plain(text: str) -> str:
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|\*|`)(.+?)\1", r"\2", text)
    return text.strip()
