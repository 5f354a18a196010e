"""The brief as an A4 PDF, laid out with matplotlib's ``PdfPages`` (pure pip, no system
libraries).

Blocks flow top-down onto pages; a block that does not fit starts a new page. Figures are
shrunk step by step (:data:`IMAGE_HEIGHTS`) until the brief fits in :data:`MAX_PAGES` pages
(one more, :data:`SENSITIVITY_PAGES`, with the "How sure are we?" section).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from ..i18n import tr
from .content import Block

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
        for cells, flags, h in zip(t["rows"], t["unclear"], row_heights, strict=True):
            top = self.y - 0.04
            for j, (cell, flag) in enumerate(zip(cells, flags, strict=True)):
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
#: Pages the "How sure are we?" section may add: its chart and sentences do not fit beside
#: five charts, the method box and the assumptions in four pages.
SENSITIVITY_PAGES = 1


def render_pdf(blocks: list[Block], path: Path, lang: str, footer: str, max_pages: int = MAX_PAGES) -> int:
    """Write the blocks as an A4 PDF of at most ``max_pages`` pages if it can; return the pages."""
    images: dict[Path, Any] = {}
    height = IMAGE_HEIGHTS[-1]
    for height in IMAGE_HEIGHTS:  # lay out without writing until the pages fit
        if _layout(blocks, None, lang, footer, height, images) <= max_pages:
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
