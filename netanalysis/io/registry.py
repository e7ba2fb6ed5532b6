"""The loaders netanalysis knows, and how a source is matched to one.

A loader claims a folder (e.g. an unzipped LinkedIn export) or a file, judged by content:
the first bytes and, for text tables, the header. Loaders are tried in registration
order; the generic long/wide table loader comes last and takes any table.

To add a format, write ``read(item, options) -> list[SourceResult]`` and register it::

    register(Loader(name="myformat", read=read, claims_file=lambda probe: ...))

Examples:
    >>> item = Item("log.csv", data=b"lead,stage,date\\nA1,applied,2024-03-01\\n")
    >>> probe = Probe.of(item)
    >>> probe.format, probe.header
    ('text', ['lead', 'stage', 'date'])
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from netanalysis.io.options import LoadOptions
from netanalysis.io.result import SourceResult
from netanalysis.io.tables import sniff_format
from netanalysis.io.textfile import decode, locate_header, split_lines

__all__ = ["Item", "Loader", "Probe", "loaders", "register"]

_PROBE_BYTES = 65536


class Item:
    """One thing to load: a file's bytes, a folder, a member of an archive, or a frame.

    ``label`` is what the ``source`` column shows (the path as given, with ``::member``
    for archive members); ``path`` is set for files and folders on disk; ``frame`` holds
    an in-memory DataFrame. For a file on disk given without ``data``, the bytes are read
    on first use of :attr:`data` (readers of big tables use :attr:`path` directly and
    never hold the bytes).

    Examples:
        >>> Item("notes.txt", data=b"hello").head(2)
        b'he'
    """

    def __init__(
        self,
        label: str,
        data: bytes | None = None,
        path: Path | None = None,
        frame: Any = None,
    ) -> None:
        self.label = label
        self._data = data
        self.path = path
        self.frame = frame

    @property
    def data(self) -> bytes | None:
        """The file's bytes (read from :attr:`path` on first use), or None."""
        if self._data is None and self.path is not None and self.path.is_file():
            self._data = self.path.read_bytes()
        return self._data

    @data.setter
    def data(self, value: bytes | None) -> None:
        self._data = value

    @property
    def in_memory(self) -> bool:
        """True when the bytes are already in memory (not only on disk)."""
        return self._data is not None

    def head(self, size: int = _PROBE_BYTES) -> bytes:
        """The first ``size`` bytes, without reading the whole file."""
        if self._data is not None:
            return self._data[:size]
        if self.path is not None and self.path.is_file():
            with open(self.path, "rb") as handle:
                return handle.read(size)
        return b""

    @property
    def is_dir(self) -> bool:
        return self.path is not None and self.path.is_dir()

    @property
    def is_file(self) -> bool:
        """True for bytes in memory or a file on disk."""
        return self._data is not None or (self.path is not None and self.path.is_file())

    def __repr__(self) -> str:
        what = "frame" if self.frame is not None else "folder" if self.is_dir else "file"
        return f"Item({self.label!r}, {what})"


@dataclass
class Probe:
    """What detectors look at: the format from the first bytes, and a text table's header."""

    item: Item
    format: str
    head: bytes = b""

    @cached_property
    def header(self) -> list[str]:
        """Column names of a text table (after any preamble), else []."""
        if self.format != "text":
            return []
        text, _ = decode(self.head, complete=len(self.head) < _PROBE_BYTES)
        delimiter, index, _ = locate_header(text)
        lines = split_lines(text)
        if index >= len(lines):
            return []
        return [
            c.strip() for c in next(csv.reader(io.StringIO(lines[index]), delimiter=delimiter), [])
        ]

    @classmethod
    def of(cls, item: Item) -> Probe:
        if not item.is_file:
            return cls(item, "folder")
        head = item.head(_PROBE_BYTES)
        return cls(item, sniff_format(head), head)


@dataclass(frozen=True)
class Loader:
    """A reader for one kind of source.

    Attributes:
        name: the ``kind=`` that selects it.
        read: reads one item into source results (one per file or member).
        claims_file: True if a file probe is this loader's format.
        claims_dir: True if a folder as a whole is this loader's (e.g. an export folder).
        options: names of the format-specific options it accepts (``me=``, ...).
        description: one line for ``netanalysis validate --help`` and the docs.
    """

    name: str
    read: Callable[[Item, LoadOptions], list[SourceResult]]
    claims_file: Callable[[Probe], bool] = lambda probe: False
    claims_dir: Callable[[Path], bool] = lambda path: False
    options: tuple[str, ...] = ()
    description: str = ""


_LOADERS: list[Loader] = []
_builtins_registered = False


def register(loader: Loader, *, before_generic: bool = True) -> None:
    """Add a loader; by default it is tried before the generic table loaders.

    Registering a loader under an existing name replaces it.
    """
    global _LOADERS
    _LOADERS = [x for x in _LOADERS if x.name != loader.name]
    generic = [x for x in _LOADERS if x.name in ("table", "long", "wide")]
    specific = [x for x in _LOADERS if x not in generic]
    _LOADERS = [*specific, loader, *generic] if before_generic else [*specific, *generic, loader]


def loaders() -> list[Loader]:
    """The registered loaders, in the order they are tried."""
    _ensure_builtins()
    return list(_LOADERS)


def _ensure_builtins() -> None:
    global _builtins_registered
    if _builtins_registered:
        return
    _builtins_registered = True
    from netanalysis.io import builtin

    builtin.register_all()
