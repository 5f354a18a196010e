"""The brief as one self-contained HTML page: figures embedded as base64 PNG, no external
files or fonts."""

from __future__ import annotations

import base64
import html

from .content import Block

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
            for cells, flags in zip(t["rows"], t["unclear"], strict=True):
                tds = "".join(f'<td{" class=unclear" if f else ""}>{"<br>".join(e(x) for x in c.split(chr(10)))}</td>'
                              for c, f in zip(cells, flags, strict=True))
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
