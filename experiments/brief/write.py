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
from .pdf import render_pdf


def write_brief(results: ScenarioResults, out_dir: Path, lang: str, today: date | None = None) -> dict[str, Any]:
    """Write figures (PNG + SVG), brief.html and brief.pdf into the existing folder ``out_dir``."""
    figures_dir = out_dir / "figures"
    figures_dir.mkdir(exist_ok=True)
    figures: dict[str, Path | str] = {}
    captions: dict[str, str] = {}
    written = []
    for stem, fig, caption in figure_specs(results, lang):
        if isinstance(fig, str):
            figures[stem] = fig
            continue
        paths = save_figure(fig, figures_dir / stem)
        figures[stem] = paths["png"]
        captions[stem] = caption
        written += [p.relative_to(out_dir) for p in paths.values()]
    blocks = build_blocks(results, lang, figures, captions, today)
    (out_dir / "brief.html").write_text(render_html(blocks, lang), encoding="utf-8")
    footer = tr("footer", lang, version=results.manifest.get("samen_version") or "?",
                replications=quantity(results.replications, "replication", lang), seed=results.seed)
    pages = render_pdf(blocks, out_dir / "brief.pdf", lang, footer)
    return {"pages": pages, "figures": [str(p) for p in written], "blocks": blocks}
