"""The page: one self-contained HTML file, readable on a phone, printable, offline.

Everything the page needs is inside it: the styles, plotly.js (once, from
:func:`plotly.offline.get_plotlyjs`) and the charts' data. A Content-Security-Policy in
the page forbids every request to the network (no CDN, no web fonts, no images from
elsewhere), so a report opened from an email or a USB stick behaves the same everywhere.
Fonts are the reader's system fonts.

Also the small HTML helpers every section uses (:func:`table`, :func:`paragraph`, ...),
which escape every value they are given.

Examples:
    >>> import pandas as pd
    >>> "<td class=\\"num\\">3</td>" in table(pd.DataFrame({"n": [3]}))
    True
    >>> paragraph("a < b")
    '<p>a &lt; b</p>'
"""

from __future__ import annotations

import functools
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "CSP",
    "Section",
    "bullet_list",
    "definition_table",
    "esc",
    "missing",
    "page",
    "paragraph",
    "table",
]

#: No request may leave the page: scripts and styles are inline, images only data: URLs.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'; form-action 'none'; "
    "base-uri 'none'"
)

CSS = """
:root { --ink: #1f2430; --muted: #5b6270; --line: #d9dde3; --soft: #f4f6f8;
        --accent: #0b5cad; --warn: #8a5a00; --warn-bg: #fff7e6; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5; font-size: 16px;
       font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       "Noto Sans", "Liberation Sans", "DejaVu Sans", sans-serif; }
main, header.na-top, footer { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
header.na-top { padding-top: 1.5rem; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0 0 .25rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 .75rem; padding-top: .5rem;
     border-top: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
p, li { overflow-wrap: break-word; }
a { color: var(--accent); }
.na-sub { color: var(--muted); margin: 0; }
nav.na-toc { margin: 1rem 0 0; font-size: .95rem; }
nav.na-toc ol { margin: 0; padding-left: 1.25rem; columns: 2; column-gap: 2rem; }
.na-headline { background: var(--soft); border-left: 4px solid var(--accent);
               padding: .75rem 1rem .75rem 1.75rem; margin: 1rem 0; }
.na-headline li { margin: .4rem 0; }
.na-missing { color: var(--muted); font-style: italic; }
.na-warn { background: var(--warn-bg); color: var(--warn); padding: .5rem 1rem .5rem 2rem;
           border-radius: 4px; font-size: .95rem; }
.na-finding { margin: .75rem 0; }
.na-scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: .75rem 0;
             max-width: 100%;
             /* a shadow at an edge with more table beyond it (scroll sideways) */
             background:
               linear-gradient(to right, #fff 30%, rgba(255,255,255,0)) left / 2rem 100% no-repeat local,
               linear-gradient(to left, #fff 30%, rgba(255,255,255,0)) right / 2rem 100% no-repeat local,
               radial-gradient(farthest-side at 0 50%, rgba(0,0,0,.2), rgba(0,0,0,0)) left / .8rem 100% no-repeat scroll,
               radial-gradient(farthest-side at 100% 50%, rgba(0,0,0,.2), rgba(0,0,0,0)) right / .8rem 100% no-repeat scroll; }
table.na-table { border-collapse: collapse; font-size: .9rem; min-width: 50%; }
table.na-table caption { text-align: left; color: var(--muted); padding: 0 0 .25rem;
                         font-size: .9rem; }
table.na-table th, table.na-table td { padding: .3rem .6rem; border-bottom: 1px solid var(--line);
                                       text-align: left; vertical-align: top; white-space: nowrap; }
table.na-table td.wrap { white-space: normal; min-width: 14rem; }
table.na-table td.mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas,
                         "DejaVu Sans Mono", monospace; font-size: .8rem; }
table.na-table th { background: var(--soft); font-weight: 600; }
table.na-table td.num, table.na-table th.num { text-align: right;
                                               font-variant-numeric: tabular-nums; }
table.na-table tr.na-total td { font-weight: 600; }
table.na-defs th { width: 30%; }
table.na-defs td { white-space: normal; overflow-wrap: anywhere; }
code, .na-mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas,
                 "DejaVu Sans Mono", monospace; font-size: .85em; overflow-wrap: anywhere; }
pre.na-mono { white-space: pre-wrap; background: var(--soft); padding: .5rem .75rem;
              border-radius: 4px; }
figure.na-figure { margin: 1rem 0; }
.na-plot { width: 100%; min-height: 320px; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: .25rem; }
details { margin: .5rem 0; }
summary { cursor: pointer; color: var(--accent); }
footer { color: var(--muted); font-size: .85rem; padding-bottom: 2rem; margin-top: 2rem; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  h1 { font-size: 1.4rem; }
  h2 { font-size: 1.2rem; }
  nav.na-toc ol { columns: 1; }
  main, header.na-top, footer { padding: 0 .75rem; }
  table.na-table { font-size: .8rem; }
  table.na-table th, table.na-table td { padding: .25rem .4rem; }
  table.na-defs th { white-space: normal; width: 35%; }
  .na-plot { min-height: 280px; }
}
@media print {
  @page { margin: 1.5cm; }
  body { font-size: 10.5pt; color: #000; }
  nav.na-toc, .modebar-container { display: none !important; }
  main, header.na-top, footer { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  figure.na-figure, table.na-table, .na-headline { break-inside: avoid; page-break-inside: avoid; }
  .na-scroll { overflow: visible; background: none; }
  table.na-table th, table.na-table td { white-space: normal; }
  a.na-more { display: none; }
  a { color: inherit; text-decoration: none; }
}
"""


@dataclass(frozen=True)
class Section:
    """One section of the report: anchor id, title (in the contents) and HTML body."""

    ident: str
    title: str
    body: str


def esc(value: object) -> str:
    """Escape a value for HTML text (``None`` and NaN print as a dash)."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return html.escape(str(value))


def paragraph(text: str, cls: str | None = None) -> str:
    """A paragraph of plain text."""
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{esc(text)}</p>"


def missing(text: str) -> str:
    """A sentence saying what cannot be shown and why."""
    return paragraph(text, "na-missing")


def bullet_list(items: Iterable[str], cls: str | None = None, *, raw: bool = False) -> str:
    """A list; ``raw=True`` when the items are HTML already."""
    items = list(items)
    if not items:
        return ""
    attr = f' class="{cls}"' if cls else ""
    body = "".join(f"<li>{item if raw else esc(item)}</li>" for item in items)
    return f"<ul{attr}>{body}</ul>"


def table(
    frame: pd.DataFrame,
    *,
    caption: str | None = None,
    numeric: Sequence[str] | None = None,
    wrap: Sequence[str] = (),
    mono: Sequence[str] = (),
    total: bool = False,
) -> str:
    """A table of already formatted values (strings or numbers), escaped, scrollable.

    Args:
        frame: the rows to show; the index is not shown.
        caption: a line above the table.
        numeric: columns aligned right (default: those with numbers).
        wrap: columns of long text that may wrap (other cells keep to one line; the
            table scrolls sideways on a narrow screen).
        mono: columns in a fixed-width font (hashes).
        total: style the last row as a total.
    """
    if numeric is None:
        numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c].dtype)]
    classes = {
        str(c): " ".join(
            name
            for name, chosen in (("num", numeric), ("wrap", wrap), ("mono", mono))
            if str(c) in {str(x) for x in chosen}
        )
        for c in frame.columns
    }
    head = "".join(
        f'<th scope="col"{_cls("num" if "num" in classes[str(c)] else "")}>{esc(c)}</th>'
        for c in frame.columns
    )
    rows = []
    n = len(frame)
    for i, values in enumerate(frame.itertuples(index=False, name=None)):
        cells = "".join(
            f"<td{_cls(classes[str(c)])}>{esc(_plain(v))}</td>"
            for c, v in zip(frame.columns, values)
        )
        row_cls = ' class="na-total"' if total and i == n - 1 else ""
        rows.append(f"<tr{row_cls}>{cells}</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (
        f'<div class="na-scroll"><table class="na-table">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _cls(names: str) -> str:
    return f' class="{names}"' if names else ""


def _plain(value: object) -> object:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return value


def definition_table(rows: Iterable[tuple[str, str]], *, mono: bool = False) -> str:
    """Two columns: a name and its value (the stamp, the parameters)."""
    cls = ' class="na-mono"' if mono else ""
    body = "".join(f'<tr><th scope="row">{esc(k)}</th><td{cls}>{esc(v)}</td></tr>' for k, v in rows)
    return f'<div class="na-scroll"><table class="na-table na-defs"><tbody>{body}</tbody></table></div>'


@functools.cache
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    # A script element ends at the first "</script"; plotly.js has none, but be safe.
    return get_plotlyjs().replace("</script", "<\\/script")


def page(
    *,
    title: str,
    subtitle: str,
    headline: str,
    sections: Sequence[Section],
    footer: str,
    generator: str,
    render_script: str,
) -> str:
    """The whole HTML document."""
    toc = "".join(f'<li><a href="#{s.ident}">{esc(s.title)}</a></li>' for s in sections)
    body = "\n".join(
        f'<section id="{s.ident}"><h2>{esc(s.title)}</h2>\n{s.body}\n</section>' for s in sections
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="generator" content="{esc(generator)}">
<meta name="referrer" content="no-referrer">
<title>{esc(title)}</title>
<style>{CSS}</style>
</head>
<body>
<header class="na-top">
<h1>{esc(title)}</h1>
<p class="na-sub">{esc(subtitle)}</p>
<nav class="na-toc" aria-label="Contents"><ol>{toc}</ol></nav>
</header>
<main>
{headline}
<noscript><p class="na-missing">The charts need JavaScript; every number is also in the tables.</p></noscript>
{body}
</main>
<footer>{footer}</footer>
<script>{_plotly_js()}</script>
<script>{render_script}</script>
</body>
</html>
"""
