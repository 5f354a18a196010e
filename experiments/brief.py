"""A policy brief from a scenarios sweep: figures, ``brief.html`` and ``brief.pdf``.

The brief is first described as a list of blocks (headings, paragraphs, the findings
table, figures with captions, the method box, the assumptions), then rendered twice: as
self-contained HTML (figures embedded as base64 PNG, no external files or fonts) and as
an A4 PDF laid out with matplotlib's ``PdfPages`` (pure pip, no system libraries). Every
sentence comes from :mod:`experiments.i18n`; every number from the saved results.
"""

from __future__ import annotations

import base64
import html
import re
import textwrap
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from . import charts_brief as cb
from .brief_data import ScenarioResults, clear_effect
from .i18n import BRIEF_OUTCOMES, OUTCOMES, join_names, number, tr

#: Charts kept shorter in the PDF (inches) because the method box and the assumptions follow
#: them on the last page.
SHORT_FIGURES = {"cost_effectiveness": 2.8}
#: Replications below which the brief warns that its intervals are rough.
MIN_REPLICATIONS = 20
#: Where the model's assumptions are listed, and under which heading.
ODD_PATH = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"
ASSUMPTIONS_HEADING = "Main assumptions and limits"


@dataclass
class Block:
    """One piece of the brief: kind is h1, meta, h2, p, note, table, bullets, assumptions,
    figure or box."""

    kind: str
    text: str = ""
    items: list[str] = field(default_factory=list)
    table: dict[str, Any] | None = None
    image: Path | None = None
    max_height: float | None = None  # inches in the PDF, for a chart that shares a page with text
    short: list[str] = field(default_factory=list)  # the PDF's shorter items (assumptions)


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


def outcome_decimals(results: ScenarioResults, outcome: str) -> int:
    """Decimals for an outcome's differences: its own, or more when the effects are tiny."""
    table = findings_frame(results)
    part = table[table["outcome"] == outcome][["median", "low", "high"]].abs()
    largest = float(part.max().max()) if len(part) else 0.0
    return max(OUTCOMES[outcome].decimals, cb.auto_decimals(largest))


def findings_frame(results: ScenarioResults, outcomes: tuple[str, ...] = BRIEF_OUTCOMES) -> pd.DataFrame:
    """Per non-base scenario and outcome: median paired difference and 90% interval, scaled
    to the shown unit (from the sweep engine's compare table), and whether it is clear."""
    comp = results.compare
    rows = []
    for scenario in results.others:
        for outcome in outcomes:
            hit = comp[(comp["scenario"] == scenario) & (comp["outcome"] == outcome)]
            if hit.empty:
                continue
            k = OUTCOMES[outcome].scale
            row = hit.iloc[0]
            low, high = float(row["diff_p05"]) * k, float(row["diff_p95"]) * k
            rows.append({"scenario": scenario, "outcome": outcome, "median": float(row["diff_median"]) * k,
                         "low": low, "high": high, "clear": clear_effect(low, high)})
    return pd.DataFrame(rows, columns=["scenario", "outcome", "median", "low", "high", "clear"])


def finding_sentence(results: ScenarioResults, row: pd.Series | dict, lang: str, decimals: int) -> str:
    """One sentence for one (scenario, outcome): higher, lower, or no clear effect."""
    o = OUTCOMES[row["outcome"]]
    fields = dict(scenario=row["scenario"], base=results.base, outcome=o.name[lang],
                  unit=o.change_unit[lang], years=cb.years_text(results, lang),
                  low=number(row["low"], lang, decimals, signed=True),
                  high=number(row["high"], lang, decimals, signed=True))
    if not row["clear"]:
        return tr("finding_none", lang, value=number(row["median"], lang, decimals, signed=True), **fields)
    key = "finding_up" if row["median"] > 0 else "finding_down"
    return tr(key, lang, value=number(abs(row["median"]), lang, decimals), **fields)


def findings_table(results: ScenarioResults, lang: str) -> dict[str, Any]:
    """The key-findings table: header, rows of cells, and which cells show no clear effect."""
    frame = findings_frame(results)
    header = [tr("table_outcome", lang), *results.others]
    rows, unclear = [], []
    for outcome in BRIEF_OUTCOMES:
        part = frame[frame["outcome"] == outcome].set_index("scenario")
        if part.empty:
            continue
        o = OUTCOMES[outcome]
        d = outcome_decimals(results, outcome)
        cells, flags = [f"{o.name[lang]} ({o.change_unit[lang]})"], [False]
        for scenario in results.others:
            if scenario not in part.index:
                cells.append("")
                flags.append(False)
                continue
            r = part.loc[scenario]
            cells.append(f"{number(r['median'], lang, d, signed=True)}\n"
                         f"[{number(r['low'], lang, d, signed=True)}; {number(r['high'], lang, d, signed=True)}]")
            flags.append(not r["clear"])
        rows.append(cells)
        unclear.append(flags)
    return {"header": header, "rows": rows, "unclear": unclear}


def _parameters_text(values: dict[str, Any], lang: str) -> str:
    if not values:
        return tr("method_none", lang)
    return ", ".join(f"{k} = {v:g}" if isinstance(v, float) else f"{k} = {v}" for k, v in values.items())


def method_lines(results: ScenarioResults, lang: str) -> list[str]:
    """The "how this was computed" box: version, commit, runs, seeds, scenario parameters."""
    m = results.manifest
    git = m.get("git") or {}
    commit = (git.get("commit") or "?")[:12]
    if git.get("dirty"):
        commit += " (+ " + tr("uncommitted", lang) + ")"
    seeds = results.seeds
    shown = ", ".join(str(s) for s in seeds[:3]) + (f", ... ({len(seeds)})" if len(seeds) > 3 else "")
    lines = [
        tr("method_model", lang, version=m.get("samen_version") or "?", commit=commit),
        tr("method_runs", lang, n_scenarios=len(results.scenarios), replications=results.replications,
           steps=results.steps, years=cb.years_text(results, lang), seed=results.seed),
        tr("method_seeds", lang, seeds=shown),
    ]
    for name in results.scenarios:
        lines.append(tr("method_scenario", lang, name=name,
                        description=results.descriptions.get(name, {}).get(lang, ""),
                        parameters=_parameters_text(results.overrides.get(name, {}), lang)))
    lines.append(tr("method_common", lang, parameters=_parameters_text(results.common, lang)))
    lines.append(tr("method_source", lang, path=str(results.path)))
    return lines


def figure_specs(results: ScenarioResults, lang: str) -> list[tuple[str, Any, str]]:
    """(stem, figure or skip reason, caption) for every chart the results allow."""
    base = results.base
    specs: list[tuple[str, Any, str]] = []
    if results.series is not None:
        specs.append(("over_time", cb.over_time_figure(results, lang), tr("over_time_caption", lang)))
    else:
        specs.append(("over_time", tr("missing_series", lang), ""))
    specs.append(("difference", cb.difference_figure(results, lang), tr("difference_caption", lang)))
    if results.regions is not None:
        o = OUTCOMES["trust_government"]
        specs.append(("provinces", cb.province_map_figure(results, lang, "trust_government"),
                      tr("map_caption", lang, unit=o.change_unit[lang], base=base)))
    else:
        specs.append(("provinces", tr("missing_regions", lang), ""))
    if results.groups is not None:
        specs.append(("who_gains", cb.who_gains_figure(results, lang), tr("groups_caption", lang)))
    else:
        specs.append(("who_gains", tr("missing_groups", lang), ""))
    try:
        fig, skipped = cb.cost_effectiveness_figure(results, lang)
    except ValueError:
        specs.append(("cost_effectiveness", tr("missing_investment", lang), ""))
    else:
        caption = (tr("cost_caption", lang, base=base, skipped=join_names(skipped, lang)) if skipped
                   else tr("cost_caption_all", lang, base=base))
        specs.append(("cost_effectiveness", fig, caption))
    return specs


def build_blocks(results: ScenarioResults, lang: str, figures: dict[str, Path | str],
                 captions: dict[str, str], today: date | None = None) -> list[Block]:
    """The brief's content in order; ``figures`` maps a chart stem to its PNG or a skip reason."""
    today = today or date.today()
    years = cb.years_text(results, lang)
    version = results.manifest.get("samen_version") or "?"
    blocks = [
        Block("h1", tr("brief_title", lang)),
        Block("meta", tr("date_line", lang, date=today.isoformat(), version=version)),
        Block("h2", tr("question_heading", lang)),
        Block("p", tr("question", lang, years=years, scenarios=join_names(list(results.others), lang),
                      base=results.base, replications=results.replications)),
        Block("h2", tr("findings_heading", lang)),
        Block("p", tr("findings_intro", lang, base=results.base, years=years,
                      replications=results.replications)
              + (" " + tr("few_replications", lang, replications=results.replications)
                 if results.replications < MIN_REPLICATIONS else "")),
        Block("table", table=findings_table(results, lang)),
    ]
    frame = findings_frame(results)
    decimals = {o: outcome_decimals(results, o) for o in set(frame["outcome"])}
    sentences = [finding_sentence(results, row, lang, decimals[row["outcome"]])
                 for _, row in frame.iterrows()]
    blocks.append(Block("note", tr("table_legend", lang)))
    blocks.append(Block("bullets", items=sentences))
    blocks.append(Block("h2", tr("charts_heading", lang)))
    for stem, target in figures.items():
        if isinstance(target, Path):
            blocks.append(Block("figure", captions.get(stem, ""), image=target,
                                max_height=SHORT_FIGURES.get(stem)))
        else:
            blocks.append(Block("note", tr("skipped_chart", lang, reason=target)))
    blocks.append(Block("box", tr("method_heading", lang), items=method_lines(results, lang)))
    assumptions = read_assumptions()
    blocks.append(Block("h2", tr("limits_heading", lang)))
    if assumptions:
        blocks.append(Block("assumptions", tr("limits_source", lang),
                            items=[text for _, text in assumptions],
                            short=[lead for lead, _ in assumptions]))
    else:
        blocks.append(Block("p", tr("limits_missing", lang)))
    return blocks


CSS = """
body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;max-width:52em;margin:2em auto;
padding:0 1em;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}
.meta{color:#555;font-size:.9em}.note{color:#7a4b00;background:#fff6e0;padding:.4em .6em;font-size:.9em}
table{border-collapse:collapse;font-size:.88em;margin:.6em 0}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}td.unclear{color:#777;font-style:italic}
figure{margin:1.2em 0}figure img{width:100%;height:auto}figcaption{font-size:.85em;color:#444}
.box{background:#f3f6fa;border:1px solid #c9d6e6;padding:.6em 1em;font-size:.85em}
.box h2{border:none;margin-top:.2em}
"""


def render_html(blocks: list[Block], lang: str) -> str:
    """Self-contained HTML of the blocks (figures embedded as base64 PNG)."""
    e = html.escape
    out = [f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">',
           f"<title>{e(blocks[0].text)}</title><style>{CSS}</style></head><body>"]
    for b in blocks:
        if b.kind == "h1":
            out.append(f"<h1>{e(b.text)}</h1>")
        elif b.kind == "meta":
            out.append(f'<p class="meta">{e(b.text)}</p>')
        elif b.kind == "h2":
            out.append(f"<h2>{e(b.text)}</h2>")
        elif b.kind == "p":
            out.append(f"<p>{e(b.text)}</p>")
        elif b.kind == "note":
            out.append(f'<p class="note">{e(b.text)}</p>')
        elif b.kind == "bullets":
            out.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in b.items) + "</ul>")
        elif b.kind == "assumptions":
            out.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in b.items) + "</ul>")
            out.append(f'<p class="meta">{e(b.text)}</p>')
        elif b.kind == "table":
            t = b.table
            head = "".join(f"<th>{e(h)}</th>" for h in t["header"])
            body = []
            for cells, flags in zip(t["rows"], t["unclear"]):
                tds = "".join(f'<td{" class=unclear" if f else ""}>{"<br>".join(e(x) for x in c.split(chr(10)))}</td>'
                              for c, f in zip(cells, flags))
                body.append(f"<tr>{tds}</tr>")
            out.append(f'<table class="findings"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')
        elif b.kind == "figure":
            data = base64.b64encode(b.image.read_bytes()).decode("ascii")
            out.append(f'<figure><img alt="{e(b.image.stem)}" src="data:image/png;base64,{data}">'
                       f"<figcaption>{e(b.text)}</figcaption></figure>")
        elif b.kind == "box":
            out.append(f'<div class="box"><h2>{e(b.text)}</h2><ul>'
                       + "".join(f"<li>{e(i)}</li>" for i in b.items) + "</ul></div>")
    out.append("</body></html>\n")
    return "\n".join(out)


# A4 layout of the PDF, in inches.
A4 = (8.27, 11.69)
MARGIN = 0.75
TEXT_WIDTH = A4[0] - 2 * MARGIN


class _PdfWriter:
    """Flows blocks top-down onto A4 matplotlib pages; a block that does not fit starts a page."""

    def __init__(self, pdf, footer: str, lang: str, max_image_height: float, images: dict[Path, Any]):
        self.pdf, self.footer, self.lang, self.images = pdf, footer, lang, images
        self.max_image_height = max_image_height
        self.pages: list = []
        self.fig = None
        self.y = 0.0

    def new_page(self):
        from matplotlib.figure import Figure

        self.fig = Figure(figsize=A4)
        self.pages.append(self.fig)
        self.y = A4[1] - MARGIN

    def room(self) -> float:
        return self.y - MARGIN

    def ensure(self, height: float) -> None:
        if self.fig is None or height > self.room():
            self.new_page()

    def text(self, text: str, size: float, x: float = MARGIN, width: float = TEXT_WIDTH,
             weight: str = "normal", color: str = "#1a1a1a", style: str = "normal",
             before: float = 0.0, after: float = 0.06) -> None:
        lines = _wrap_inches(text, size, width)
        line_h = size * 1.38 / 72
        height = before + line_h * len(lines) + after
        self.ensure(height)
        self.y -= before
        for line in lines:
            self.y -= line_h
            self.fig.text(x / A4[0], self.y / A4[1], line, fontsize=size, fontweight=weight,
                          color=color, fontstyle=style, va="bottom", ha="left")
        self.y -= after

    def table(self, t: dict[str, Any]) -> None:
        ncols = len(t["header"])
        first = min(2.3, TEXT_WIDTH * 0.34)
        other = (TEXT_WIDTH - first) / max(ncols - 1, 1)
        xs = [MARGIN] + [MARGIN + first + i * other for i in range(ncols - 1)]
        size = 7.5
        line_h = size * 1.35 / 72
        row_heights = [max(len(_wrap_inches(c, size, (first if j == 0 else other) - 0.1))
                           for j, c in enumerate(row)) * line_h + 0.08 for row in t["rows"]]
        head_h = line_h + 0.1
        self.ensure(head_h + sum(row_heights) + 0.1)
        fig = self.fig
        self.y -= head_h
        for j, h in enumerate(t["header"]):
            fig.text(xs[j] / A4[0], (self.y + 0.04) / A4[1], h, fontsize=size, fontweight="bold",
                     va="bottom", ha="left")
        fig.add_artist(_hline(self.y))
        for cells, flags, h in zip(t["rows"], t["unclear"], row_heights):
            top = self.y - 0.04
            for j, (cell, flag) in enumerate(zip(cells, flags)):
                wrapped = _wrap_inches(cell, size, (first if j == 0 else other) - 0.1)
                for k, line in enumerate(wrapped):
                    fig.text(xs[j] / A4[0], (top - (k + 1) * line_h) / A4[1], line, fontsize=size,
                             color="#777777" if flag else "#1a1a1a",
                             fontstyle="italic" if flag else "normal", va="bottom", ha="left")
            self.y -= h
            fig.add_artist(_hline(self.y, color="#dddddd"))
        self.y -= 0.12

    def image(self, path: Path, caption: str, max_height: float | None = None) -> None:
        import matplotlib.image as mpimg

        if path not in self.images:
            self.images[path] = mpimg.imread(path)
        img = self.images[path]
        h_px, w_px = img.shape[:2]
        width = TEXT_WIDTH
        height = width * h_px / w_px
        cap_lines = _wrap_inches(caption, 7, TEXT_WIDTH) if caption else []
        cap_h = len(cap_lines) * 7 * 1.38 / 72 + 0.15
        usable = min(A4[1] - 2 * MARGIN - cap_h, self.max_image_height, max_height or self.max_image_height)
        if height > usable:  # shrink to fit, keeping the aspect ratio, centred
            height, width = usable, usable * w_px / h_px
        self.ensure(height + cap_h)
        left = MARGIN + (TEXT_WIDTH - width) / 2
        ax = self.fig.add_axes((left / A4[0], (self.y - height) / A4[1], width / A4[0], height / A4[1]))
        ax.imshow(img, interpolation="lanczos")
        ax.axis("off")
        self.y -= height + 0.05
        for line in cap_lines:
            self.y -= 7 * 1.38 / 72
            self.fig.text(MARGIN / A4[0], self.y / A4[1], line, fontsize=7, color="#444444",
                          va="bottom", ha="left")
        self.y -= 0.15

    def box(self, heading: str, items: list[str]) -> None:
        size = 6.8
        line_h = size * 1.38 / 72
        wrapped = [_wrap_inches(i, size, TEXT_WIDTH - 0.45) for i in items]
        height = 0.3 + 10 * 1.38 / 72 + sum(len(w) for w in wrapped) * line_h + 0.025 * len(items)
        self.ensure(height)
        from matplotlib.patches import FancyBboxPatch

        top = self.y
        self.fig.add_artist(FancyBboxPatch(
            (MARGIN / A4[0], (top - height) / A4[1]), TEXT_WIDTH / A4[0], height / A4[1],
            boxstyle="square,pad=0", facecolor="#f3f6fa", edgecolor="#c9d6e6",
            transform=self.fig.transFigure))
        self.y -= 0.12
        self.text(heading, 10, x=MARGIN + 0.15, width=TEXT_WIDTH - 0.3, weight="bold", after=0.05)
        for lines in wrapped:
            for k, line in enumerate(lines):
                self.y -= line_h
                self.fig.text((MARGIN + (0.15 if k == 0 else 0.3)) / A4[0], self.y / A4[1],
                              ("\u2022 " if k == 0 else "") + line, fontsize=size, va="bottom", ha="left")
            self.y -= 0.025
        self.y = top - height - 0.15

    def finish(self) -> int:
        if self.pdf is None:
            return len(self.pages)
        for i, fig in enumerate(self.pages, start=1):
            page = tr("page", self.lang, page=i, pages=len(self.pages))
            fig.text(MARGIN / A4[0], 0.4 / A4[1], self.footer, fontsize=6.5, color="#777777")
            fig.text(1 - MARGIN / A4[0], 0.4 / A4[1], page, fontsize=6.5, color="#777777", ha="right")
            self.pdf.savefig(fig)
        return len(self.pages)


def _hline(y: float, color: str = "#333333"):
    from matplotlib.lines import Line2D

    return Line2D([MARGIN / A4[0], (A4[0] - MARGIN) / A4[0]], [y / A4[1]] * 2, color=color, linewidth=0.6)


def _wrap_inches(text: str, size: float, width: float) -> list[str]:
    """Wrap ``text`` (keeping its own line breaks) to ``width`` inches at ``size`` points.

    DejaVu Sans averages about 0.55 em per character in running text.
    """
    chars = max(int(width * 72 / (size * 0.55)), 10)
    out: list[str] = []
    for para in text.split("\n"):
        out.extend(textwrap.wrap(para, chars) or [""])
    return out


#: Tallest a figure may be on a PDF page (inches) at each try: two charts share a page.
IMAGE_HEIGHTS = (4.3, 4.1, 3.9, 3.6, 3.3, 3.0)
#: Most pages the PDF may have; a longer layout is redone with smaller figures.
MAX_PAGES = 4


def render_pdf(blocks: list[Block], path: Path, lang: str, footer: str) -> int:
    """Write the blocks as an A4 PDF of at most MAX_PAGES pages if it can; return the pages."""
    images: dict[Path, Any] = {}
    height = IMAGE_HEIGHTS[-1]
    for height in IMAGE_HEIGHTS:  # lay out without writing until the pages fit
        if _layout(blocks, None, lang, footer, height, images) <= MAX_PAGES:
            break
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(path, metadata={"Title": blocks[0].text, "Creator": "Samen"}) as pdf:
        return _layout(blocks, pdf, lang, footer, height, images)


def _layout(blocks: list[Block], pdf, lang: str, footer: str, image_height: float,
            images: dict[Path, Any]) -> int:
    """Lay the blocks out on pages (saved into ``pdf`` unless None); return the page count."""
    w = _PdfWriter(pdf, footer, lang, image_height, images)
    for b in blocks:
        if b.kind == "h1":
            w.text(b.text, 16, weight="bold", after=0.05)
        elif b.kind == "meta":
            w.text(b.text, 8, color="#555555", after=0.15)
        elif b.kind == "h2":
            if w.fig is not None and w.room() < 1.2:
                w.new_page()
            w.text(b.text, 11.5, weight="bold", before=0.1, after=0.06)
        elif b.kind == "p":
            w.text(b.text, 8.5, after=0.1)
        elif b.kind == "note":
            w.text(b.text, 7.5, color="#7a4b00", style="italic", after=0.1)
        elif b.kind == "bullets":
            for item in b.items:
                w.text("\u2022 " + item, 7.5, after=0.025)
            w.y -= 0.08
        elif b.kind == "assumptions":  # the leads only: the full list is in the HTML
            for item in b.short:
                w.text("\u2022 " + item, 7.2, after=0.015)
            w.text(b.text, 6.5, color="#555555", before=0.02)
        elif b.kind == "table":
            w.table(b.table)
        elif b.kind == "figure":
            w.image(b.image, b.text)
        elif b.kind == "box":
            w.box(b.text, b.items)
    return w.finish()


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
        paths = cb.save_figure(fig, figures_dir, stem)
        figures[stem] = paths["png"]
        captions[stem] = caption
        written += [p.relative_to(out_dir) for p in paths.values()]
    blocks = build_blocks(results, lang, figures, captions, today)
    (out_dir / "brief.html").write_text(render_html(blocks, lang), encoding="utf-8")
    footer = f"Samen {results.manifest.get('samen_version') or ''} \u00b7 " + cb.caption_line(results, lang)
    pages = render_pdf(blocks, out_dir / "brief.pdf", lang, footer)
    return {"pages": pages, "figures": [str(p) for p in written], "blocks": blocks}
