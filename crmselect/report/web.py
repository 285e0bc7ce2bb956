"""The paper as one self-contained HTML file: the same content as the PDF, charts inline as SVG.

Every text is escaped (``html.escape``); the SVG comes from matplotlib with its text drawn as paths and its
comments taken out (:mod:`crmselect.report.charts`).  No script, no external resource.
"""

from __future__ import annotations

from html import escape

from crmselect.report.content import Block, Bullets, Callout, Figure, Mono, Pairs, Paper, Paragraph, Section, Table

STYLE = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","DejaVu Sans",system-ui,sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1b1b1b;line-height:1.45;font-size:15px}
h1{color:#1f4e79;font-size:1.6rem;margin-bottom:.2rem}h2{color:#1f4e79;font-size:1.2rem;margin-top:2rem;
border-bottom:1px solid #c8d3df}.subtitle{color:#555;margin-top:0}
.callout{border:1px solid #1f4e79;background:#eef3f8;padding:.6rem .8rem;border-radius:4px;font-weight:bold;
white-space:pre-line}.callout.warning{border-color:#b45309;background:#fdf3e7}.callout.good{border-color:#2f6b2f}
table{border-collapse:collapse;margin:.6rem 0;font-size:.85rem;display:block;overflow-x:auto;max-width:100%}
caption{text-align:left;font-weight:bold;padding-bottom:.3rem}
th{border-bottom:2px solid #1f4e79;text-align:left;padding:3px 6px}
td{border-bottom:1px solid #ddd;padding:3px 6px;vertical-align:top}.num{text-align:right;white-space:nowrap}
tr.struck td{color:#777;background:#f0f0f0}tr.bold td{font-weight:bold}table.small{font-size:.78rem}
figure{margin:1rem 0}figure svg{max-width:100%;height:auto}figcaption{font-size:.8rem;color:#444}
pre{background:#f5f5f5;padding:.5rem;font-size:.72rem;overflow-x:auto}nav ol{columns:2}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:bold}
@media print{h2{page-break-after:avoid}figure,table{page-break-inside:avoid}}
"""


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, Callout):
        return f'<p class="callout {escape(block.tone)}">{escape(block.text)}</p>'
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Pairs):
        return "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in block.items) + "</dl>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        return (f'<figure style="max-width:{int(block.width_pct)}%">{block.svg}'
                f"<figcaption>{escape(block.caption)}</figcaption></figure>")
    if isinstance(block, Mono):
        return "<pre>" + escape("\n".join(block.lines)) + "</pre>"
    raise TypeError(f"unknown block {type(block).__name__}")


def _table(table: Table) -> str:
    def cell(tag: str, i: int, text: str) -> str:
        kind = ' class="num"' if i in table.numeric else ""
        return f"<{tag}{kind}>{escape(text)}</{tag}>"

    parts = [f'<table class="{"small" if table.small else ""}">']
    if table.caption:
        parts.append(f"<caption>{escape(table.caption)}</caption>")
    parts.append("<thead><tr>" + "".join(cell("th", i, c) for i, c in enumerate(table.columns)) + "</tr></thead>")
    parts.append("<tbody>")
    for r, row in enumerate(table.rows):
        classes = " ".join(name for name, on in (("struck", r in table.struck), ("bold", r in table.bold)) if on)
        opening = f'<tr class="{classes}">' if classes else "<tr>"
        parts.append(opening + "".join(cell("td", i, value) for i, value in enumerate(row)) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _section(section: Section, level: int = 2) -> str:
    anchor = f' id="{escape(section.anchor)}"' if section.anchor else ""
    body = "".join(_block(block) for block in section.blocks)
    return f"<section{anchor}><h{level}>{escape(section.title)}</h{level}>{body}</section>"


def render_html(paper: Paper) -> bytes:
    """One HTML document (UTF-8 bytes) with the paper's text escaped and its charts inline."""
    contents = "".join(f'<li><a href="#{escape(s.anchor)}">{escape(s.title)}</a></li>' for s in paper.sections)
    page = (
        f'<!DOCTYPE html>\n<html lang="{escape(paper.lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(paper.title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{escape(paper.title)}</h1><p class=\"subtitle\">{escape(paper.subtitle)}</p></header>"
        f"<main>{_section(paper.summary)}"
        f"<nav><h2>{escape(paper.labels.get('contents', ''))}</h2><ol>{contents}</ol></nav>"
        + "".join(_section(section) for section in paper.sections)
        + f"</main><footer><p class=\"subtitle\">{escape(paper.footer)}</p></footer></body></html>\n"
    )
    return page.encode("utf-8")


__all__ = ["render_html"]
