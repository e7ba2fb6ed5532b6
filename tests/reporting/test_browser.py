"""The report in a real browser: headless Chromium draws every chart, offline, without errors.

Chromium is driven over its DevTools pipe (tests/reporting/_chromium.py, no packages). The
page is opened from a file as a desktop (1280 px) and as a phone (390 px); each time every
chart must have drawn its SVG with its data, the console must stay free of errors, no
request may leave the page (only the file itself and data:/blob: URLs), and the page must
not scroll sideways on the phone. Screenshots are written to build/test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _chromium import browser, find_chromium
from report_helpers import DRAWS

import netanalysis as na

pytestmark = pytest.mark.browser

CHROMIUM = find_chromium()
ARTIFACTS = Path(__file__).resolve().parents[2] / "build" / "test-artifacts"

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium not found (apt-get install chromium; .ci/run installs it)",
)

ALL_DRAWN = """(() => {
  const plots = [...document.querySelectorAll('div.na-plot')];
  return plots.length > 0 && plots.every(p => p.hasAttribute('data-rendered')) ? plots.length : 0;
})()"""

CHARTS = """(() => [...document.querySelectorAll('div.na-plot')].map(d => ({
  id: d.id,
  rendered: d.getAttribute('data-rendered'),
  svg: !!d.querySelector('svg.main-svg'),
  traces: (d._fullData || []).length,
  expected: JSON.parse(document.getElementById(d.id + '-json').textContent).data.length,
  marks: d.querySelectorAll('g.trace path, g.trace rect, g.trace image, g.trace text, ' +
                            '.sankey-link, .sankey-node rect, .hm image').length,
  width: d.getBoundingClientRect().width,
})))()"""


def _allowed(url: str, page: str) -> bool:
    return url == page or url.startswith(("data:", "blob:", "about:"))


def _check_page(b: object, page: str, width: int) -> list[dict]:
    b.wait_until(ALL_DRAWN, timeout=60)  # type: ignore[attr-defined]
    charts = b.evaluate(CHARTS)  # type: ignore[attr-defined]
    assert [c["id"] for c in charts] == [
        f"na-fig-{n}"
        for n in ("funnel", "sankey", "activity", "forest", "matrix", "survival", "posterior")
    ]
    for chart in charts:
        assert chart["rendered"] == "yes", chart
        assert chart["svg"], chart
        assert chart["traces"] == chart["expected"] > 0, chart
        assert chart["marks"] > 0, chart
        assert 0 < chart["width"] <= width, chart
    scroll = b.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert scroll <= width, f"the page scrolls sideways at {width} px ({scroll} px wide)"
    log = b.log  # type: ignore[attr-defined]
    assert log.errors() == []
    leaving = [u for u in log.requests if not _allowed(u, page)]
    assert leaving == []
    return charts


@needs_chromium
def test_report_draws_offline_on_desktop_and_phone(tmp_path: Path) -> None:
    command = "netanalysis report sample_seeker --draws 2000 -o a-long-name-for-the-report.html"
    path = na.report(
        na.datasets.path("sample_seeker"), tmp_path / "report.html", draws=DRAWS, command=command
    )
    assert isinstance(path, Path)
    page = path.resolve().as_uri()
    assert CHROMIUM is not None
    with browser(CHROMIUM) as b:
        b.viewport(1280, 900, mobile=False)
        b.navigate(page)
        _check_page(b, page, 1280)
        b.screenshot(ARTIFACTS / "report-desktop.png")
        b.viewport(390, 844, mobile=True)
        b.navigate(page)
        _check_page(b, page, 390)
        b.screenshot(ARTIFACTS / "report-phone.png")
    assert (ARTIFACTS / "report-phone.png").stat().st_size > 10_000


@needs_chromium
def test_the_checks_can_fail(tmp_path: Path) -> None:
    """A page with a console error, an exception and a request out is caught on each."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><body><img src='http://127.0.0.1:9/x.png'>"
        "<script>console.error('boom'); null.x;</script></body></html>",
        encoding="utf-8",
    )
    assert CHROMIUM is not None
    with browser(CHROMIUM) as b:
        b.navigate(bad.resolve().as_uri())
        b.evaluate("1")  # let the events arrive
        errors = b.log.errors()
        assert any("boom" in e for e in errors)
        assert any("TypeError" in e for e in errors)
        assert "http://127.0.0.1:9/x.png" in b.log.requests
