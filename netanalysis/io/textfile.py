"""Decode text files saved by spreadsheets and exporters; find the delimiter and header.

Files arrive as UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text"), or a
Windows code page (cp1252, Latin-1) when someone re-saved them. This module turns bytes
into text and says which encoding it chose, so the load summary can report it.

Lines are split the way CSV readers split them: on ``\\n``, ``\\r\\n`` and ``\\r`` only
(:func:`split_lines`), so that a line index found here is a line for the CSV reader too.

Examples:
    >>> decode("café".encode("cp1252"))
    ('café', 'cp1252')
    >>> sniff_delimiter("a;b;c\\n1;2;3\\n")
    ';'
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter

__all__ = [
    "decode",
    "detect_encoding",
    "find_header_line",
    "line_offset",
    "locate_header",
    "sniff_delimiter",
    "split_lines",
]

_DELIMITERS = (",", ";", "\t", "|")
_SEP_LINE = re.compile(r"^sep=(.)\s*$", re.IGNORECASE)


def _utf8_prefix_ok(data: bytes) -> bool:
    """True if ``data`` is valid UTF-8, allowing a multi-byte character cut at the end."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(data: bytes, *, complete: bool = True) -> str:
    """Name the encoding of ``data``: a BOM decides, else UTF-8 if it decodes, else cp1252.

    Args:
        data: the bytes of a file, or its first bytes.
        complete: False when ``data`` is only the start of a file (a character cut at
            the end is then not an error).

    Examples:
        >>> detect_encoding(codecs.BOM_UTF8 + b"a,b")
        'utf-8-sig'
        >>> detect_encoding("x".encode("utf-16"))
        'utf-16'
        >>> detect_encoding("café".encode("utf-8")[:-1], complete=False)
        'utf-8'
        >>> detect_encoding("Zoë".encode("latin-1"))
        'cp1252'
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:4096]
    # UTF-16 without BOM: every other byte is NUL in mostly-ASCII text.
    if len(head) >= 4 and head[1::2].count(0) > 0.4 * len(head[1::2]):
        return "utf-16-le"
    if len(head) >= 4 and head[0::2].count(0) > 0.4 * len(head[0::2]):
        return "utf-16-be"
    if _utf8_prefix_ok(data) if not complete else _is_utf8(data):
        return "utf-8"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode(data: bytes, *, complete: bool = True) -> tuple[str, str]:
    """Decode bytes to text with :func:`detect_encoding`; return (text, encoding).

    A byte-order mark is removed. With ``complete=False`` (the first bytes of a file), a
    character cut at the end is dropped instead of failing.

    Examples:
        >>> decode(codecs.BOM_UTF8 + "Zoë".encode())
        ('Zoë', 'utf-8-sig')
        >>> decode(b"a\\x00b\\x00c")[0][:2]  # truncated UTF-16: no exception
        'ab'
    """
    encoding = detect_encoding(data, complete=complete)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict" if complete else "replace")
    try:
        text = decoder.decode(data, final=complete)
    except UnicodeDecodeError:
        # e.g. an odd number of bytes in what looked like UTF-16: keep what decodes.
        text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(data, final=True)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, encoding


def split_lines(text: str) -> list[str]:
    """Split on ``\\n``, ``\\r\\n`` and ``\\r`` only, keeping the line ends.

    Unlike :meth:`str.splitlines`, form feeds and Unicode separators inside a value do
    not end a line (CSV readers do not split there either).

    Examples:
        >>> split_lines("a,b\\r\\nc\\x0cd\\n\\ne")
        ['a,b\\r\\n', 'c\\x0cd\\n', '\\n', 'e']
    """
    return io.StringIO(text, newline="").readlines()


def line_offset(text: str, index: int) -> int:
    """Character offset where line ``index`` (from :func:`split_lines`) starts.

    Examples:
        >>> line_offset("ab\\ncd\\nef", 2)
        6
    """
    return sum(len(line) for line in split_lines(text)[:index])


def _fields(lines: list[str], delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(lines)), delimiter=delimiter))


def sniff_delimiter(text: str) -> str:
    """Choose the delimiter among comma, semicolon, tab and pipe from the first lines.

    The delimiter is the one whose most common row width (above one field) is shared by
    the most rows, then the widest (quotes respected). Lines before the header
    (an export's notes) do not mislead it, because they do not share the table's width.

    Examples:
        >>> sniff_delimiter("Notes:\\nExported, with care\\n\\nName\\tDate\\tStage\\nAl\\t1\\tx\\n")
        '\\t'
    """
    lines = [line for line in split_lines(text)[:60] if line.strip()][:30]
    if not lines:
        return ","
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        try:
            rows = _fields(lines, delimiter)
        except csv.Error:
            continue
        widths = Counter(len(r) for r in rows if len(r) > 1)
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda kv: (kv[1], kv[0]))
        score = (count, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def find_header_line(text: str, delimiter: str, *, max_preamble: int = 10) -> int:
    """Index (in :func:`split_lines`) of the header line: the first line that starts the table.

    Exports such as LinkedIn's ``Connections.csv`` start with a few lines of notes before
    the header; this skips them. The header is the first line with more than one field,
    every field named, whose width the next lines share.

    Examples:
        >>> find_header_line('Notes:\\n"Some text, with a comma"\\n\\na,b,c\\n1,2,3\\n', ",")
        3
        >>> find_header_line("a,b\\n1,2\\n", ",")
        0
    """
    lines = split_lines(text)
    if not lines:
        return 0
    first = _safe_fields(lines[:1], delimiter)
    if first and len(first[0]) > 1:
        return 0
    for start in range(min(max_preamble, len(lines))):
        if not lines[start].strip():
            continue
        rows = [r for r in _safe_fields(lines[start : start + 6], delimiter) if r]
        if not rows:
            continue
        width = len(rows[0])
        if (
            width > 1
            and all(cell.strip() for cell in rows[0])
            and (len(rows) == 1 or sum(len(r) == width for r in rows[1:]) >= (len(rows) - 1) / 2)
        ):
            return start
    return 0


def _safe_fields(lines: list[str], delimiter: str) -> list[list[str]]:
    try:
        return _fields(lines, delimiter)
    except csv.Error:
        return []


def locate_header(text: str) -> tuple[str, int, bool]:
    """The delimiter and header line of a text table: ``(delimiter, index, declared)``.

    Excel may write a first line ``sep=;`` that names the delimiter (``declared``);
    otherwise the delimiter is sniffed. ``index`` is the header's line in
    :func:`split_lines` (notes before the header are skipped).

    Examples:
        >>> locate_header("sep=;\\nLead;Date\\nA1;2024-03-01\\n")
        (';', 1, True)
        >>> locate_header("Lead,Date\\nA1,2024-03-01\\n")
        (',', 0, False)
    """
    lines = split_lines(text)
    declared = _SEP_LINE.match(lines[0]) if lines else None
    if declared:
        delimiter = declared.group(1)
        return delimiter, 1 + find_header_line("".join(lines[1:]), delimiter), True
    delimiter = sniff_delimiter(text)
    return delimiter, find_header_line(text, delimiter), False
