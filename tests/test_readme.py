"""The README's Python examples run as shown (those that need no files of your own)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).parents[1] / "README.md"


def _blocks_under(heading: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


@pytest.mark.parametrize("heading", ["Quickstart (Python)", "Reading exports", "The statistics"])
def test_readme_examples_run(heading, capsys):
    blocks = _blocks_under(heading)
    assert blocks, f"no python block under {heading!r}"
    for block in blocks:
        exec(compile(block, f"README.md: {heading}", "exec"), {})
    assert capsys.readouterr().out  # the examples print what they show
