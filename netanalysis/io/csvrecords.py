"""A tolerant CSV reader that keeps line numbers and survives a broken quote.

Exports hold free text (LinkedIn's ``CONTENT`` column: newlines, HTML, quotes). When a
quote is broken, a strict reader fails and a lenient one silently glues rows together.
This reader parses record by record with Python's ``csv`` module in strict mode; a record
that cannot be split into the header's fields is reported with the line it starts on,
and reading resumes at the next line that starts a well-formed record. Everything else
loads.

Examples:
    >>> data = b'id,text,n\\r\\n1,"two\\nlines",3\\r\\n2,"broken "quote,4\\r\\n3,fine,5\\r\\n'
    >>> out = read_records(data, source="m.csv", is_header=lambda cells: "id" in cells)
    >>> [(r.number, r.line, r.cells[1]) for r in out.records]
    [(1, 2, 'two\\nlines'), (3, 5, 'fine')]
    >>> out.bad[0].number, out.bad[0].line, out.bad[0].reason.startswith("broken quoting")
    (2, 4, True)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from netanalysis.errors import EmptySourceError, InputError, UnknownFormatError
from netanalysis.io.textfile import decode, sniff_delimiter

__all__ = ["BadRecord", "CsvRecords", "Record", "read_records"]

#: Longest record, in physical lines; past it a record is treated as broken.
MAX_RECORD_LINES = 5000
_HEADER_SEARCH = 12


@dataclass(frozen=True)
class Record:
    """A well-formed record: its 1-based data row, the line it starts on, its cells."""

    number: int
    line: int
    cells: list[str]


@dataclass(frozen=True)
class BadRecord:
    """A record that could not be read: row number, first line, why, first line's cells."""

    number: int
    line: int
    reason: str
    cells: list[str]


@dataclass
class CsvRecords:
    """What :func:`read_records` read."""

    header: list[str]
    records: list[Record]
    bad: list[BadRecord]
    encoding: str
    delimiter: str
    header_line: int
    notes: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return len(self.records) + len(self.bad)


class _TooLong(Exception):
    pass


class _Feed:
    """Feeds physical lines to csv.reader and remembers where it is."""

    def __init__(self, lines: list[str], start: int) -> None:
        self.lines = lines
        self.pos = start
        self.limit = len(lines)
        self.started = start

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self.pos >= self.limit:
            raise StopIteration
        if self.pos - self.started >= MAX_RECORD_LINES:
            raise _TooLong
        line = self.lines[self.pos]
        self.pos += 1
        return line


def _lenient_cells(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])


def read_records(
    data: bytes,
    *,
    source: str,
    is_header: Callable[[list[str]], bool],
    is_plausible: Callable[[list[str]], bool] | None = None,
) -> CsvRecords:
    """Read a CSV file record by record, rejecting broken records with their line numbers.

    Args:
        data: the file's bytes (UTF-8 with or without BOM, UTF-16, cp1252, Latin-1;
            comma, semicolon, tab or pipe separated; LF or CRLF).
        source: file name, for messages.
        is_header: recognises the header among the first lines (preambles are skipped).
        is_plausible: after a broken record, a line restarts reading only when the
            record it starts has the header's width and passes this check (e.g. its date
            cell looks like a date).

    Raises:
        UnknownFormatError: no header line recognised in the first lines.
        InputError: the bytes cannot be decoded as text.
    """
    if not data.strip():
        raise EmptySourceError("the file is empty", file=source)
    try:
        text, encoding = decode(data)
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(
            f"the file cannot be decoded as text ({exc})",
            file=source,
            hint="save it again as CSV (UTF-8)",
        ) from exc
    delimiter = sniff_delimiter(text[:65536])
    lines = io.StringIO(text, newline="").readlines()
    header_index, header = _find_header(lines, delimiter, is_header)
    if header_index is None:
        raise UnknownFormatError(
            "no known header found in the first lines",
            file=source,
            hint="check that this is the file you meant",
        )
    width = len(header)
    records: list[Record] = []
    bad: list[BadRecord] = []
    number = 0
    pos = header_index + 1
    while pos < len(lines):
        # A C-level reader over the remaining lines; on a broken record, resume after it.
        reader = csv.reader(iter(lines[pos:]), delimiter=delimiter, strict=True)
        restart = len(lines)
        while True:
            start = pos + reader.line_num
            reason = None
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                reason, cells = f"broken quoting: {exc}", []
            if reason is None and pos + reader.line_num - start > MAX_RECORD_LINES:
                reason = f"a quoted field runs over more than {MAX_RECORD_LINES} lines"
            if reason is None and not "".join(cells).strip():
                continue  # blank line
            if reason is None and len(cells) != width:
                reason = f"the row has {len(cells)} fields but the header has {width}"
            number += 1
            if reason is None:
                records.append(Record(number, start + 1, cells))
                continue
            cells = _lenient_cells(lines[start], delimiter)
            bad.append(BadRecord(number, start + 1, reason, cells))
            # Resume at the next line that starts a plausible record.
            restart = _resync(lines, start + 1, delimiter, width, is_plausible)
            break
        pos = restart
    notes = []
    if encoding != "utf-8":
        notes.append(f"read as {encoding} (the file was probably saved by a spreadsheet)")
    if delimiter != ",":
        notes.append(f"fields separated by {delimiter!r}")
    if header_index:
        notes.append(f"skipped {header_index} line(s) before the header")
    return CsvRecords(header, records, bad, encoding, delimiter, header_index + 1, notes)


def _find_header(
    lines: list[str], delimiter: str, is_header: Callable[[list[str]], bool]
) -> tuple[int | None, list[str]]:
    for index, line in enumerate(lines[:_HEADER_SEARCH]):
        cells = [c.strip().lstrip("\ufeff") for c in _lenient_cells(line, delimiter)]
        if len(cells) > 1 and is_header(cells):
            return index, cells
    return None, []


def _resync(
    lines: list[str],
    start: int,
    delimiter: str,
    width: int,
    is_plausible: Callable[[list[str]], bool] | None,
) -> int:
    """First line at or after ``start`` that begins a well-formed, plausible record."""
    for index in range(start, len(lines)):
        if not lines[index].strip():
            continue
        feed = _Feed(lines, index)
        try:
            cells = next(csv.reader(feed, delimiter=delimiter, strict=True))
        except (csv.Error, _TooLong, StopIteration):
            continue
        if len(cells) == width and (is_plausible is None or is_plausible(cells)):
            return index
    return len(lines)
