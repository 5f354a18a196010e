"""Writing a brief's folder: every figure as PNG and SVG, ``brief.html`` and ``brief.pdf``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ..charts import save_figure
from ..i18n import quantity, tr
from .content import build_blocks, figure_specs
from .data import ScenarioResults
from .html import render_html
from .pdf import MAX_PAGES, SENSITIVITY_PAGES, render_pdf
from .sensitivity import Sensitivity


def write_brief(results: ScenarioResults, out_dir: Path, lang: str, today: date | None = None,
                sensitivity: Sensitivity | None = None) -> dict[str, Any]:
    """Write figures (PNG + SVG), brief.html and brief.pdf into the existing folder ``out_dir``;
    with ``sensitivity`` (a grouped Sobol analysis) also the "How sure are we?" section."""
    figures_dir = out_dir / "figures"
    figures_dir.mkdir(exist_ok=True)
    figures: dict[str, Path | str] = {}
    captions: dict[str, str] = {}
    written = []
    for stem, fig, caption in figure_specs(results, lang, sensitivity):
        if isinstance(fig, str):
            figures[stem] = fig
            continue
        paths = save_figure(fig, figures_dir / stem)
        figures[stem] = paths["png"]
        captions[stem] = caption
        written += [p.relative_to(out_dir) for p in paths.values()]
    blocks = build_blocks(results, lang, figures, captions, today, sensitivity)
    (out_dir / "brief.html").write_text(render_html(blocks, lang), encoding="utf-8")
    footer = tr("footer", lang, version=results.manifest.get("samen_version") or "?",
                replications=quantity(results.replications, "replication", lang), seed=results.seed)
    max_pages = MAX_PAGES + (SENSITIVITY_PAGES if sensitivity is not None else 0)
    pages = render_pdf(blocks, out_dir / "brief.pdf", lang, footer, max_pages)
    return {"pages": pages, "figures": [str(p) for p in written], "blocks": blocks}
