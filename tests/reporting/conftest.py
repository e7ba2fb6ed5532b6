"""Reports shared by the reporting tests (each is built once per session)."""

from __future__ import annotations

import re

import pytest

import netanalysis as na

#: Fewer posterior draws than the default keep the tests fast; results stay seeded.
DRAWS = 2_000


@pytest.fixture(scope="session")
def sample_html() -> str:
    """The report on the bundled one-seeker sample, without generation time."""
    return na.report(na.datasets.path("sample_seeker"), timestamp=False, draws=DRAWS)


def visible_text(html: str) -> str:
    """The page's text: scripts, styles and tags removed, spaces folded."""
    text = re.sub(r"<script[^>]*>.*?</script>", " ", html, flags=re.S)
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    import html as html_module

    return re.sub(r"\s+", " ", html_module.unescape(text))


def content(html: str) -> str:
    """The page without the embedded plotly.js (the part netanalysis writes)."""
    return re.sub(
        r"<script>/\*\*.*?</script>", "<script>plotly.js</script>", html, count=1, flags=re.S
    )
