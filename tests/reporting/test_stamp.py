"""read_stamp: the reproducibility stamp read back from a report, as the page shows it."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from report_helpers import DRAWS

import netanalysis as na
from netanalysis.errors import InputError
from netanalysis.reporting import read_stamp
from netanalysis.reporting.stamp import InputFile, Stamp, stamp_script


def _rows(html: str) -> dict[str, str]:
    """The name -> value rows of the stamp section's tables, as the page shows them."""
    import html as html_module

    section = html.split('<section id="stamp">', 1)[1].split("</section>", 1)[0]
    pairs = re.findall(r'<th scope="row">([^<]*)</th><td[^>]*>([^<]*)</td>', section)
    return {html_module.unescape(k): html_module.unescape(v) for k, v in pairs}


def test_read_stamp_gives_what_the_page_shows(sample_html: str, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(sample_html, encoding="utf-8")
    stamp = read_stamp(path)
    assert stamp == read_stamp(str(path)) == read_stamp(sample_html)
    assert stamp["format"] == 1
    shown = _rows(sample_html)
    for name, value in stamp["parameters"].items():
        assert shown[name] == value, name
    for name, value in stamp["versions"].items():
        assert shown[name] == value, name
    assert shown["SHA-256 of the events analysed"] == stamp["events_sha256"]
    assert stamp["parameters"]["draws"] == str(DRAWS)
    assert stamp["command"] is None
    assert stamp["generated"] is None
    folder = na.datasets.path("sample_seeker")
    assert stamp["inputs"] == [
        {
            "name": f"sample_seeker/{name}",
            "bytes": (folder / name).stat().st_size,
            "sha256": hashlib.sha256((folder / name).read_bytes()).hexdigest(),
        }
        for name in ("networking_log.csv", "tracker.xlsx")
    ]


def test_stamp_json_cannot_close_its_element_and_reads_back_exactly() -> None:
    tricky = '</script><script>alert(1)</script> & <!-- "quoted" ' + "é"
    stamp = Stamp(
        versions=(("netanalysis", "0.1.0"), ("python", "3.11")),
        inputs=(InputFile("a/b.csv", 12, "ab" * 32),),
        events_sha256="cd" * 32,
        parameters=(("title", tricky), ("by", "channel")),
        command=f"netanalysis report b.csv --title '{tricky}'",
        generated="2024-07-01T00:00:00+00:00",
    )
    element = stamp_script(stamp)
    body = element.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert not set("<>&") & set(body)
    page = f"<html><body><p>x</p>{element}</body></html>"
    assert read_stamp(page) == stamp.to_dict()
    assert read_stamp(page)["parameters"]["title"] == tricky


def test_read_stamp_errors_are_clear(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no reproducibility stamp found"):
        read_stamp("<html><body>a page</body></html>")
    damaged = '<script type="application/json" id="na-stamp">{"parameters": </script>'
    with pytest.raises(InputError, match="damaged"):
        read_stamp(damaged)
    with pytest.raises(InputError, match="damaged"):
        read_stamp('<script type="application/json" id="na-stamp">[1, 2]</script>')
    other = tmp_path / "other.html"
    other.write_text("<p>not a report</p>", encoding="utf-8")
    with pytest.raises(InputError, match=r"other\.html: no reproducibility stamp"):
        read_stamp(other)
    with pytest.raises(FileNotFoundError):
        read_stamp(tmp_path / "missing.html")
    with pytest.raises(InputError, match="path or its HTML text"):
        read_stamp(b"<html>")  # type: ignore[arg-type]


def test_the_stamp_says_how_to_read_it(sample_html: str) -> None:
    assert "netanalysis.reporting.read_stamp(&#x27;report.html&#x27;)" in sample_html
