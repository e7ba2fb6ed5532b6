"""Charts in the report: plotly figures as JSON, drawn by one script with plotly.js.

Each chart is a ``<div class="na-plot" id="na-fig-<name>">`` followed by its figure as
JSON in a ``<script type="application/json">`` block; one script at the end of the page
draws every chart with the plotly.js embedded once in the page. Ids are fixed names (not
random), and figures are serialised by plotly's own JSON encoder, so the same figure gives
the same bytes. Widths are removed from layouts so charts follow the page width (phones,
print); a chart that fails to draw says so in place and on the console.

Examples:
    >>> import plotly.graph_objects as go
    >>> block = figure_block(go.Figure(go.Bar(x=["a"], y=[1])), "demo", "A bar.")
    >>> 'id="na-fig-demo"' in block and "</script>" in block
    True
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from netanalysis.reporting.analysis import Outcome, attempt

__all__ = ["RENDER_SCRIPT", "figure_block", "figure_json", "make_figure"]

#: Draws every ``div.na-plot`` from its JSON (run once, at the end of the page).
RENDER_SCRIPT = """
(function () {
  "use strict";
  var narrow = window.matchMedia && window.matchMedia("(max-width: 40rem)").matches;
  var config = {responsive: true, displaylogo: false, scrollZoom: false,
                displayModeBar: narrow ? false : "hover",
                modeBarButtonsToRemove: ["select2d", "lasso2d"]};
  var plots = Array.prototype.slice.call(document.querySelectorAll("div.na-plot"));
  function fail(div, message) {
    div.setAttribute("data-rendered", "failed");
    div.textContent = "This chart could not be drawn (" + message + "); the table beside it holds the same numbers.";
    console.error("netanalysis: chart " + div.id + " could not be drawn: " + message);
  }
  if (typeof window.Plotly === "undefined") {
    plots.forEach(function (div) { fail(div, "plotly.js did not load"); });
    return;
  }
  plots.forEach(function (div) {
    try {
      var source = document.getElementById(div.id + "-json");
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(div, figure.data, figure.layout, config).then(
        function () { div.setAttribute("data-rendered", "yes"); },
        function (err) { fail(div, String(err && err.message || err)); }
      );
    } catch (err) {
      fail(div, String(err && err.message || err));
    }
  });
  function resizeAll() {
    plots.forEach(function (div) {
      if (div.getAttribute("data-rendered") === "yes") { window.Plotly.Plots.resize(div); }
    });
  }
  function openDetails() {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) {
      d.setAttribute("open", "");
    });
    resizeAll();
  }
  window.addEventListener("beforeprint", openDetails);
  if (window.matchMedia) {
    var media = window.matchMedia("print");
    if (media.addEventListener) { media.addEventListener("change", resizeAll); }
  }
})();
"""

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def figure_json(fig: Any) -> str:
    """The figure as JSON safe inside a ``<script>`` block, width left to the page."""
    layout = fig.layout
    layout.width = None
    layout.autosize = True
    text = fig.to_json()
    for char, escaped in _JSON_ESCAPES.items():
        text = text.replace(char, escaped)
    return text


def figure_block(fig: Any, name: str, caption: str) -> str:
    """HTML for one chart: the drawing area, its caption and its JSON.

    Args:
        fig: a plotly Figure.
        name: a fixed name, unique in the report (the element id is ``na-fig-<name>``).
        caption: one sentence saying what the chart shows (also its accessible label).
    """
    ident = f"na-fig-{name}"
    label = html.escape(caption, quote=True)
    return (
        f'<figure class="na-figure">'
        f'<div class="na-plot" id="{ident}" role="img" aria-label="{label}"></div>'
        f'<script type="application/json" id="{ident}-json">{figure_json(fig)}</script>'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def make_figure(func: Callable[[], Any]) -> Outcome[Any]:
    """Build a figure, recording why not when it cannot be drawn."""
    return attempt(func)
