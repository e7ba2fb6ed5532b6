"""Helpers shared by the reporting tests (a module of its own: test modules import it,
which they cannot safely do with conftest.py when several test folders run together)."""

from __future__ import annotations

import html as html_module
import re

#: Fewer posterior draws than the default keep the tests fast; results stay seeded.
DRAWS = 2_000


def visible_text(html: str) -> str:
    """The page's text: scripts, styles and tags removed, spaces folded."""
    text = re.sub(r"<script[^>]*>.*?</script>", " ", html, flags=re.S)
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", html_module.unescape(text))


def content(html: str) -> str:
    """The page without the embedded plotly.js (the part netanalysis writes)."""
    return re.sub(
        r"<script>/\*\*.*?</script>", "<script>plotly.js</script>", html, count=1, flags=re.S
    )
