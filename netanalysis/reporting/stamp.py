"""The reproducibility stamp: versions, input fingerprints, parameters, the command.

Everything needed to make the same report again: the netanalysis version and the versions
of its dependencies (and of the plotly.js embedded), the SHA-256 of every input file (a
folder: of every file in it, as :func:`netanalysis.load` walks it), a fingerprint of the
events analysed, every parameter (``as_of`` and seeds included), and the exact command
when the report was made from the command line. The same inputs and parameters give the
same stamp, byte for byte; only the optional generation time differs.

The stamp is shown in the report's last section and also embedded as JSON
(``<script type="application/json" id="na-stamp">``), which :func:`read_stamp` reads back:
a report says which data and settings made it, and a script can check that.

Examples:
    >>> import pandas as pd
    >>> frame_sha256(pd.DataFrame({"a": [1, 2]})) == frame_sha256(pd.DataFrame({"a": [1, 2]}))
    True
    >>> len(file_sha256(__file__))
    64
    >>> st = Stamp((("netanalysis", "0.1.0"),), (InputFile("log.csv", 10, "ab" * 32),),
    ...            "cd" * 32, (("by", "channel"),), "netanalysis report log.csv", None)
    >>> read_stamp("<html>" + stamp_script(st) + "</html>")["parameters"]
    {'by': 'channel'}
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, requires, version
from pathlib import Path
from typing import Any

import pandas as pd

from netanalysis.errors import InputError
from netanalysis.reporting.privacy import display_name

__all__ = [
    "STAMP_FORMAT",
    "InputFile",
    "Stamp",
    "dependency_versions",
    "file_sha256",
    "frame_sha256",
    "input_files",
    "read_stamp",
    "stamp_script",
]

#: Version of the embedded stamp's JSON layout (``"format"`` in the JSON).
STAMP_FORMAT = 1
#: The id of the ``<script type="application/json">`` element holding the stamp.
STAMP_ID = "na-stamp"

_CHUNK = 1 << 20
_REQUIREMENT = re.compile(r"^([A-Za-z0-9_.\-]+)")


@dataclass(frozen=True)
class InputFile:
    """One input file: how the report names it, its size and SHA-256."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Stamp:
    """What the reproducibility section shows.

    Attributes:
        versions: package -> version (netanalysis first, then its dependencies).
        inputs: the input files (empty when the data were passed in memory).
        events_sha256: fingerprint of the events analysed (after privacy filtering).
        parameters: name -> value as shown (strings).
        command: the command line (paths as the report names them), or None.
        generated: the generation time (ISO, UTC), or None without timestamp.
    """

    versions: tuple[tuple[str, str], ...]
    inputs: tuple[InputFile, ...]
    events_sha256: str
    parameters: tuple[tuple[str, str], ...]
    command: str | None
    generated: str | None

    def to_dict(self) -> dict[str, Any]:
        """The stamp as :func:`read_stamp` returns it (plain JSON types)."""
        return {
            "format": STAMP_FORMAT,
            "versions": dict(self.versions),
            "inputs": [{"name": f.name, "bytes": f.size, "sha256": f.sha256} for f in self.inputs],
            "events_sha256": self.events_sha256,
            "parameters": dict(self.parameters),
            "command": self.command,
            "generated": self.generated,
        }


def stamp_script(stamp: Stamp) -> str:
    """The stamp as a ``<script type="application/json" id="na-stamp">`` element.

    ``<``, ``>`` and ``&`` are written as JSON escapes, so no value can end the element
    or be read as markup; the browser never runs it (it is data).
    """
    text = json.dumps(stamp.to_dict(), ensure_ascii=False, indent=1)
    for char in "<>&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return f'<script type="application/json" id="{STAMP_ID}">\n{text}\n</script>'


_STAMP_ELEMENT = re.compile(
    rf'<script type="application/json" id="{STAMP_ID}">(?P<json>.*?)</script>', re.S
)


def read_stamp(report: str | os.PathLike[str]) -> dict[str, Any]:
    """Read the reproducibility stamp back from a report made by :func:`netanalysis.report`.

    Args:
        report: the report's path, or its HTML text.

    Returns:
        A dict: ``format`` (layout version), ``versions`` (package -> version),
        ``inputs`` (one ``{"name", "bytes", "sha256"}`` per input file), ``events_sha256``,
        ``parameters`` (name -> value as shown in the report), ``command`` (or None) and
        ``generated`` (the generation time, or None).

    Raises:
        InputError: the text holds no netanalysis stamp (not a netanalysis report, or
            one made before the stamp was embedded), or the stamp is damaged.

    Examples:
        >>> read_stamp("<html><body>no stamp</body></html>")
        Traceback (most recent call last):
        ...
        netanalysis.errors.InputError: <HTML text>: no reproducibility stamp found. Hint: ...
    """
    if isinstance(report, os.PathLike) or (isinstance(report, str) and "<" not in report):
        label = str(report)
        with open(report, encoding="utf-8") as handle:
            text = handle.read()
    elif isinstance(report, str):
        label, text = "<HTML text>", report
    else:
        raise InputError(
            "read_stamp() takes a report's path or its HTML text",
            value=type(report).__name__,
            hint="pass the path of the .html file the report was written to",
        )
    found = _STAMP_ELEMENT.search(text)
    if found is None:
        raise InputError(
            "no reproducibility stamp found",
            file=label,
            hint=(
                f'a netanalysis report holds it in <script id="{STAMP_ID}">; make the '
                "report again with na.report or `netanalysis report`"
            ),
        )
    try:
        stamp = json.loads(found.group("json"))
    except json.JSONDecodeError as exc:
        raise InputError(
            f"the reproducibility stamp is damaged ({exc.msg})",
            file=label,
            hint="make the report again with na.report or `netanalysis report`",
        ) from None
    if not isinstance(stamp, dict) or "parameters" not in stamp:
        raise InputError(
            "the reproducibility stamp is damaged (not a stamp)",
            file=label,
            hint="make the report again with na.report or `netanalysis report`",
        )
    return stamp


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes (hex)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def frame_sha256(frame: pd.DataFrame) -> str:
    """SHA-256 of a frame's column names, dtypes and values (row order matters).

    Values are hashed with :func:`pandas.util.hash_pandas_object` (stable across runs
    and machines for the same pandas version).
    """
    digest = hashlib.sha256()
    for column in frame.columns:
        digest.update(f"{column}\0{frame[column].dtype}\0".encode())
    if len(frame):
        hashed = pd.util.hash_pandas_object(frame, index=False, categorize=True)
        digest.update(hashed.to_numpy().tobytes())
    return digest.hexdigest()


def _walk(path: Path) -> Iterable[Path]:
    if path.is_file():
        yield path
        return
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        relative = file.relative_to(path)
        if any(part.startswith(".") or part == "__MACOSX" for part in relative.parts):
            continue
        yield file


def input_files(paths: Sequence[Path]) -> tuple[InputFile, ...]:
    """Every file of the inputs (folders walked like :func:`netanalysis.load` walks them)."""
    out = []
    for root in paths:
        for file in _walk(root):
            out.append(
                InputFile(
                    name=display_name(str(file), paths),
                    size=file.stat().st_size,
                    sha256=file_sha256(file),
                )
            )
    return tuple(out)


def dependency_versions() -> tuple[tuple[str, str], ...]:
    """netanalysis, Python, the required dependencies and the embedded plotly.js.

    Examples:
        >>> dict(dependency_versions())["netanalysis"] != ""
        True
    """
    rows: list[tuple[str, str]] = [("netanalysis", _version("netanalysis"))]
    rows.append(("python", platform.python_version()))
    names: list[str] = []
    for requirement in requires("netanalysis") or []:
        if "extra ==" in requirement:
            continue
        match = _REQUIREMENT.match(requirement)
        if match:
            names.append(match.group(1))
    for name in sorted(dict.fromkeys(names), key=str.lower):
        rows.append((name, _version(name)))
    try:
        from plotly.offline import get_plotlyjs_version

        rows.append(("plotly.js (embedded)", get_plotlyjs_version()))
    except ImportError:  # pragma: no cover - plotly is a dependency
        pass
    return tuple(rows)


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def show_value(value: Any) -> str:
    """A parameter value as the stamp writes it.

    Examples:
        >>> show_value(None), show_value(("contacted", "offer")), show_value({"b": 1, "a": 2})
        ('None', 'contacted, offer', 'a=2, b=1')
    """
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={show_value(v)}" for k, v in sorted(value.items(), key=str))
    if isinstance(value, (list, tuple)):
        return ", ".join(show_value(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
