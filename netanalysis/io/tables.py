"""Read tabular files (CSV/TSV, XLSX, Parquet, JSON, JSON lines) into raw tables.

A raw table keeps the file's own column names and values (text, or typed values where the
format has types). Rows are numbered from 1 after the header, by position: row ``n`` is
the ``n``-th record below the header (blank records included), so that in a spreadsheet
it sits ``n`` rows below the header. Blank rows (every cell empty) are formatting, not
data: they are skipped and counted in the notes, not in ``rows_read``.

Row shape policy (text files):

- a row with *more* fields than the header is rejected with its row number and raw
  fields (the values cannot be matched to columns), unless the extra fields are empty
  (a trailing delimiter, as some spreadsheets write);
- a row with *fewer* fields is padded: its missing last cells are read as empty (many
  tools drop trailing empty cells). A required value left empty then rejects the row
  with that reason; the padded rows are listed in the notes;
- when *most* rows are wider than the header, the header is what is short: the extra
  columns are named ``column_<n>`` (and said in the notes) rather than every row rejected.

Cells are text as written; empty cells and the texts ``N/A``, ``#N/A``, ``NULL``, ``NaN``
read as missing (normalisation then removes surrounding spaces from the values it uses,
and reads blank values as missing). Text that looks like a formula (``=HYPERLINK(...)``)
stays text; netanalysis never evaluates formulas. In XLSX a formula cell gives the
value the spreadsheet last computed and shows (as a CSV export would); a formula that was
never computed (a file written by a program) is kept as its formula text, and the notes
say so.

Examples:
    >>> table = read_table(b"date;stage\\n2024-03-01;applied\\n", source="log.csv")
    >>> table.format, table.rows_read, list(table.frame.columns)
    ('csv', 1, ['date', 'stage'])
    >>> table = read_table(b"lead,stage\\nA1,applied\\n\\nA2,applied,,\\nA3\\n", source="x.csv")
    >>> table.source_rows.tolist(), table.frame["lead"].tolist()
    ([1, 3, 4], ['A1', 'A2', 'A3'])
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import zip_longest
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from netanalysis.errors import EmptySourceError, InputError, ParameterError, UnknownFormatError
from netanalysis.io.rejects import Rejections
from netanalysis.io.textfile import decode, detect_encoding, locate_header, split_lines

__all__ = ["NULL_TEXTS", "RawTable", "read_table", "sniff_format"]

#: Cell texts read as missing in text formats (after removing surrounding spaces).
NULL_TEXTS: tuple[str, ...] = ("", "#N/A", "N/A", "n/a", "NULL", "null", "NaN", "nan")

_HEAD_BYTES = 256 * 1024

_ENCODING_NAMES = {
    "utf-8-sig": "UTF-8 with a byte-order mark",
    "utf-16": "UTF-16 with a byte-order mark",
    "utf-16-le": "UTF-16 little-endian, no byte-order mark",
    "utf-16-be": "UTF-16 big-endian, no byte-order mark",
    "cp1252": "Windows Latin-1",
    "latin-1": "ISO Latin-1",
}


def _encoding_note(encoding: str) -> str:
    name = _ENCODING_NAMES.get(encoding, encoding)
    return f"read as {encoding} ({name}: the file was probably saved by a spreadsheet)"


_SHOWN_ROWS = 10


@dataclass
class RawTable:
    """A file's rows before mapping: columns as in the file, rows numbered from 1.

    Attributes:
        frame: one row per data row kept by the reader; text columns are ``str``.
        source_rows: the 1-based row number of each frame row.
        rows_read: data rows in the file (blank rows not counted).
        rejections: rows the reader could not use (too many fields, malformed JSON).
        format: ``csv``, ``tsv``, ``xlsx``, ``parquet``, ``json`` or ``jsonl``.
        notes: what the reader decided (encoding, delimiter, padded rows, ...).
    """

    frame: pd.DataFrame
    source_rows: np.ndarray
    rows_read: int
    rejections: Rejections
    format: str
    notes: list[str] = field(default_factory=list)


def sniff_format(data: bytes) -> str:
    """Name the format of a file from its first bytes (never from its name).

    Returns one of ``zip``, ``xlsx``, ``parquet``, ``json``, ``mbox``, ``ics``, ``text``,
    ``binary`` (anything else that is not text), ``empty``.

    Examples:
        >>> sniff_format(b"PAR1...."), sniff_format(b"BEGIN:VCALENDAR\\r\\n")
        ('parquet', 'ics')
        >>> sniff_format(b"\\xef\\xbb\\xbf\\r\\n")  # a spreadsheet's empty CSV: only a BOM
        'empty'
    """
    if data.startswith(b"PAR1"):
        return "parquet"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        head = data[:65536]
        if b"[Content_Types].xml" in head and b"xl/" in head:
            return "xlsx"
        return "zip"
    text, encoding = decode(data[:4096], complete=len(data) <= 4096)
    if "\x00" in text and not encoding.startswith("utf-16"):
        return "binary"
    stripped = text.strip().lstrip("\ufeff").strip()
    if not stripped:
        return "empty"
    if stripped.startswith("BEGIN:VCALENDAR"):
        return "ics"
    if stripped.startswith("From ") and "\n" in stripped:
        return "mbox"
    if stripped[0] in "[{":
        return "json"
    return "text"


def read_table(data: bytes | os.PathLike[str], *, source: str) -> RawTable:
    """Read one tabular file into a :class:`RawTable`.

    Args:
        data: the file's bytes, or its path (a big CSV or Parquet file is then read
            without holding its bytes in memory).
        source: the name used in messages and in the ``source`` column.

    Raises:
        EmptySourceError: the file has no data rows (empty, header only, empty sheet).
        UnknownFormatError: the content is not a table netanalysis can read.

    Examples:
        >>> read_table(b"lead,stage\\n", source="log.csv")
        Traceback (most recent call last):
        ...
        netanalysis.errors.EmptySourceError: log.csv: the file has a header but no data rows. Hint: check that you exported the right sheet or file.
    """
    if isinstance(data, str):
        raise ParameterError(
            "read_table takes the file's bytes or its path as a pathlib.Path, not a str."
        )
    path = Path(data) if isinstance(data, os.PathLike) else None
    head = _head(path) if path is not None else data[:_HEAD_BYTES]  # type: ignore[index]
    kind = sniff_format(head)
    if kind == "empty":
        raise EmptySourceError(
            "the file is empty", file=source, hint="export the data again or remove the file"
        )
    if kind not in ("parquet", "xlsx", "json", "text"):
        raise UnknownFormatError(
            f"this is a {kind} file, not a table",
            file=source,
            hint="load it with kind='auto' so netanalysis picks the right reader",
        )
    if kind == "text":
        table = _read_text(None if path is not None else data, path, head, source)  # type: ignore[arg-type]
    elif kind == "parquet":
        table = _read_parquet(path if path is not None else data, source)  # type: ignore[arg-type]
    else:
        raw = path.read_bytes() if path is not None else data
        table = (_read_xlsx if kind == "xlsx" else _read_json)(raw, source)  # type: ignore[arg-type]
    if table.rows_read == 0:
        if kind == "json":
            problem = "the file holds no records"
        elif kind == "xlsx":
            problem = "the workbook has a header but no data rows"
        else:
            problem = "the file has a header but no data rows"
        raise EmptySourceError(
            problem, file=source, hint="check that you exported the right sheet or file"
        )
    return table


def _head(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(_HEAD_BYTES)


def _unique_names(names: list[Any]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, raw in enumerate(names):
        name = ("" if raw is None else str(raw)).strip() or f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


def _rows_note(label: str, rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:_SHOWN_ROWS])
    more = f" and {len(rows) - _SHOWN_ROWS} more" if len(rows) > _SHOWN_ROWS else ""
    return f"{len(rows)} {label} (row {shown}{more})"


# --------------------------------------------------------------------------------------
# Text (CSV, TSV, semicolon, pipe)
# --------------------------------------------------------------------------------------


def _read_text(data: bytes | None, path: Path | None, head: bytes, source: str) -> RawTable:
    complete = data is not None or len(head) < _HEAD_BYTES
    encoding = detect_encoding(head if data is None else data, complete=complete)
    notes: list[str] = []
    if encoding not in ("utf-8", "utf-8-sig"):
        data, encoding = _to_utf8(data if data is not None else path.read_bytes())  # type: ignore[union-attr]
        path, head = None, data[:_HEAD_BYTES]
    if encoding != "utf-8":
        notes.append(_encoding_note(encoding))
    bom = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    head_text, _ = decode(head[bom:], complete=complete)
    lines = split_lines(head_text)
    delimiter, header_index, declared = locate_header(head_text)
    header_line = lines[header_index] if header_index < len(lines) else ""
    cells = next(csv.reader([header_line.rstrip("\r\n")], delimiter=delimiter), [])
    names = _unique_names(cells)
    if not names:
        raise EmptySourceError("the file has no header", file=source)
    unnamed = [name for name, cell in zip(names, cells) if not cell.strip()]
    offset = bom + len("".join(lines[:header_index]).encode("utf-8"))
    if delimiter != ",":
        notes.append(f"fields separated by {delimiter!r}")
    if header_index > (1 if declared else 0):
        notes.append(f"skipped {header_index - bool(declared)} line(s) before the header")
    fmt = "tsv" if delimiter == "\t" else "csv"
    try:
        arrow = _read_text_fast(data, path, offset, delimiter, names)
    except _NotUTF8:
        data, encoding = _to_utf8(data if data is not None else path.read_bytes())  # type: ignore[union-attr]
        notes.insert(0, _encoding_note(encoding))
        return _finish_text(_read_text(data, None, data[:_HEAD_BYTES], source), notes, fmt)
    if arrow is not None:
        return _finish_text(_from_arrow(arrow, source, fmt), notes, fmt, unnamed)
    if data is None:
        data = path.read_bytes()  # type: ignore[union-attr]
    try:
        text = data[offset:].decode("utf-8")
    except UnicodeDecodeError:  # bad bytes only in rows pyarrow skipped
        data, encoding = _to_utf8(data)
        notes.insert(0, _encoding_note(encoding))
        return _finish_text(_read_text(data, None, data[:_HEAD_BYTES], source), notes, fmt)
    table = _read_text_exact(text, source, delimiter, names, fmt)
    return _finish_text(table, notes, fmt, unnamed)


def _finish_text(
    table: RawTable, notes: list[str], fmt: str, unnamed: Sequence[str] = ()
) -> RawTable:
    """Merge the notes; drop columns with neither a name nor a value (a trailing delimiter)."""
    empty = [c for c in unnamed if c in table.frame and table.frame[c].isna().all()]
    if empty:
        table.frame = table.frame.drop(columns=empty)
    table.notes = list(dict.fromkeys([*notes, *table.notes]))
    table.format = fmt
    return table


class _NotUTF8(Exception):
    pass


def _to_utf8(data: bytes) -> tuple[bytes, str]:
    text, encoding = decode(data)
    return text.encode("utf-8"), encoding


def _read_text_fast(
    data: bytes | None, path: Path | None, offset: int, delimiter: str, names: list[str]
) -> pa.Table | None:
    """pyarrow's multithreaded reader; None when a row has the wrong width (read exactly).

    It first reads without allowing newlines inside quoted values (fast, parallel);
    pyarrow detects when that assumption breaks, and the file is then read again
    allowing them.
    """
    for newlines_in_values in (False, True):
        ragged: list[int] = []

        def on_invalid(row: pacsv.InvalidRow, ragged: list[int] = ragged) -> str:
            ragged.append(row.actual_columns)
            return "skip"

        if data is not None:
            stream: Any = pa.BufferReader(memoryview(data)[offset:])
        else:
            stream = pa.OSFile(str(path))
            stream.seek(offset)
        try:
            table = pacsv.read_csv(
                stream,
                read_options=pacsv.ReadOptions(skip_rows=1, column_names=names),
                parse_options=pacsv.ParseOptions(
                    delimiter=delimiter,
                    newlines_in_values=newlines_in_values,
                    ignore_empty_lines=False,
                    invalid_row_handler=on_invalid,
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={name: pa.large_string() for name in names},
                    null_values=list(NULL_TEXTS),
                    strings_can_be_null=True,
                ),
            )
        except pa.ArrowInvalid as exc:
            if "utf8" in str(exc).lower():
                raise _NotUTF8 from exc
            continue
        finally:
            stream.close()
        if not ragged:
            return table
    return None


def _from_arrow(table: pa.Table, source: str, fmt: str) -> RawTable:
    n = table.num_rows
    notes: list[str] = []
    empty = None
    for column in table.columns:
        nulls = column.is_null()
        empty = nulls if empty is None else pc.and_(empty, nulls)
    numbers = np.arange(1, n + 1, dtype=np.int64)
    if empty is not None and pc.any(empty).as_py():
        blank = empty.to_numpy(zero_copy_only=False)
        # Blank lines at the end of a file are not rows at all.
        last = np.flatnonzero(~blank)
        inner = int(blank[: last[-1] + 1].sum()) if len(last) else 0
        table = table.filter(pc.invert(empty))
        numbers = numbers[~blank]
        if inner:
            notes.append(f"{inner} blank row(s) skipped")
    frame = table.to_pandas()
    return RawTable(frame, numbers, len(frame), Rejections(source), fmt, notes)


def _read_text_exact(
    text: str, source: str, delimiter: str, names: list[str], fmt: str
) -> RawTable:
    """Python's csv reader, record by record: exact row numbers for ragged rows.

    When most rows are wider than the header (a header missing its last names), the
    header is widened with ``column_<n>`` names instead of rejecting those rows.
    """
    if csv.field_size_limit() < sys.maxsize // 2:
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    number = 0
    try:
        next(reader, None)  # the header
        records = []
        for number, record in enumerate(reader, start=1):  # noqa: B007
            records.append(record)
    except csv.Error as exc:
        raise InputError(
            f"the file cannot be read as a table ({exc})",
            file=source,
            row=number + 1,
            hint="open it in a spreadsheet and save it again as CSV",
        ) from exc
    notes = []
    # Width of a row up to its last non-empty cell (trailing delimiters do not count).
    widths = Counter(
        max(i for i, cell in enumerate(r) if cell.strip()) + 1
        for r in records
        if any(cell.strip() for cell in r)
    )
    if widths:
        common, count = widths.most_common(1)[0]
        if common > len(names) and count > sum(widths.values()) / 2:
            added = [f"column_{i}" for i in range(len(names) + 1, common + 1)]
            notes.append(
                f"the header names {len(names)} columns but most rows have {common} fields: "
                f"the extra columns are named {', '.join(added)}"
            )
            names = _unique_names([*names, *([None] * len(added))])
    rejections = Rejections(source)
    width = len(names)
    rows: list[list[str | None]] = []
    numbers: list[int] = []
    padded: list[int] = []
    blank = 0
    pending_blank = 0
    for number, record in enumerate(records, start=1):
        if not any(record):  # as pyarrow: a row of empty cells is blank
            pending_blank += 1
            continue
        blank += pending_blank
        pending_blank = 0
        if len(record) > width:
            if any(cell.strip() for cell in record[width:]):
                rejections.add(
                    number,
                    f"the row has {len(record)} fields but the header has {width}: its "
                    "values cannot be matched to columns",
                    raw={
                        (names[i] if i < width else f"extra_{i - width + 1}"): v
                        for i, v in enumerate(record)
                    },
                )
                continue
            record = record[:width]  # empty trailing fields: a trailing delimiter
        elif len(record) < width:
            padded.append(number)
            record = record + [""] * (width - len(record))
        rows.append([None if cell in NULL_TEXTS else cell for cell in record])
        numbers.append(number)
    frame = pd.DataFrame(
        {name: pd.Series([r[i] for r in rows], dtype="str") for i, name in enumerate(names)}
    )
    if blank:
        notes.append(f"{blank} blank row(s) skipped")
    if padded:
        notes.append(
            _rows_note("row(s) had fewer fields than the header", padded)
            + ": their missing last cells were read as empty"
        )
    return RawTable(
        frame=frame,
        source_rows=np.asarray(numbers, dtype=np.int64),
        rows_read=len(numbers) + len(rejections),
        rejections=rejections,
        format=fmt,
        notes=notes,
    )


def _null_texts(frame: pd.DataFrame) -> pd.DataFrame:
    """Blank cells and null texts (``N/A``, ``NULL``, ...) become missing; text stays as is."""
    for column in frame.columns:
        if frame[column].dtype == "str":
            stripped = frame[column].str.strip()
            frame[column] = frame[column].where(~stripped.isin(NULL_TEXTS))
    return frame


# --------------------------------------------------------------------------------------
# Typed formats
# --------------------------------------------------------------------------------------


def _read_parquet(data: bytes | Path, source: str) -> RawTable:
    try:
        table = pq.read_table(data if isinstance(data, Path) else io.BytesIO(data))
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"the Parquet file cannot be read ({exc})", file=source) from exc
    frame = table.to_pandas()
    frame.columns = _unique_names(list(frame.columns))
    n = len(frame)
    return RawTable(frame, np.arange(1, n + 1), n, Rejections(source), "parquet")


def _sheet_has_formulas(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(
                b"<f>" in archive.read(name) or b"<f " in archive.read(name)
                for name in archive.namelist()
                if name.startswith("xl/worksheets/") and name.endswith(".xml")
            )
    except (zipfile.BadZipFile, KeyError):
        return False


def _sheet_rows(data: bytes, *, data_only: bool) -> dict[str, list[tuple[Any, ...]]]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    finally:
        book.close()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_index(rows: list[tuple[Any, ...]]) -> int:
    """First row (of the first ten) that looks like a header: several named cells."""
    counts = [sum(not _blank(v) for v in row) for row in rows[:20]]
    widest = max(counts, default=0)
    for i, count in enumerate(counts[:10]):
        if count >= 2 and count >= widest / 2:
            return i
    return next((i for i, c in enumerate(counts) if c), 0)


def _cell_text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes, source: str) -> RawTable:
    try:
        sheets = _sheet_rows(data, data_only=True)
        formulas = _sheet_rows(data, data_only=False) if _sheet_has_formulas(data) else {}
    except Exception as exc:  # openpyxl raises many kinds
        raise InputError(
            f"the Excel file cannot be read ({type(exc).__name__}: {exc})",
            file=source,
            hint="open it in Excel and save it again, or export the sheet as CSV",
        ) from exc
    notes: list[str] = []
    names_with_data = [name for name, rows in sheets.items() if any(map(any, rows))]
    if not names_with_data:
        return RawTable(pd.DataFrame(), np.zeros(0, np.int64), 0, Rejections(source), "xlsx")
    name = names_with_data[0]
    rows = sheets[name]
    if len(sheets) > 1:
        others = [n for n in sheets if n != name]
        notes.append(f"read sheet {name!r}; other sheets not read: {others}")
    # A formula never computed has no cached value: keep its text, never evaluate it.
    uncomputed = 0
    if name in formulas:
        merged = []
        for row, text_row in zip_longest(rows, formulas[name], fillvalue=()):
            cells = []
            for value, text in zip_longest(row, text_row):
                if value is None and isinstance(text, str) and text.startswith("="):
                    uncomputed += 1
                    value = text
                cells.append(value)
            merged.append(tuple(cells))
        rows = merged
    if uncomputed:
        notes.append(
            f"{uncomputed} formula cell(s) had no computed value (the file was not saved by "
            "a spreadsheet): kept as formula text, never evaluated"
        )
    start = _header_index(rows)
    if start:
        notes.append(f"skipped {start} row(s) above the header")
    width = max((len(r) for r in rows[start:]), default=0)
    header = list(rows[start]) + [None] * (width - len(rows[start]))
    body = [tuple(r) + (None,) * (width - len(r)) for r in rows[start + 1 :]]
    keep = [not all(_blank(v) for v in r) for r in body]
    numbers = np.flatnonzero(np.asarray(keep, dtype=bool)) + 1
    body = [r for r, k in zip(body, keep) if k]
    inner_blank = int(numbers[-1] - len(numbers)) if len(numbers) else 0
    if inner_blank:
        notes.append(f"{inner_blank} blank row(s) skipped")
    columns: dict[str, pd.Series] = {}
    for i, column_name in enumerate(_unique_names(header)):
        values = [r[i] for r in body]
        present = [v for v in values if not _blank(v)]
        if header[i] is None and not present:
            continue  # an unnamed, empty column: formatting
        if present and all(isinstance(v, datetime) for v in present):
            columns[column_name] = pd.Series(
                [v if not _blank(v) else None for v in values], dtype="datetime64[us]"
            )
        else:
            columns[column_name] = pd.Series(
                [None if _blank(v) else _cell_text(v) for v in values], dtype="str"
            )
    frame = _null_texts(pd.DataFrame(columns, index=pd.RangeIndex(len(body))))
    return RawTable(frame, numbers.astype(np.int64), len(frame), Rejections(source), "xlsx", notes)


def _json_text(value: Any) -> str | None:
    """A JSON value as cell text: nested values as JSON, numbers as written."""
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _read_json(data: bytes, source: str) -> RawTable:
    text, _ = decode(data)
    stripped = text.strip()
    rejections = Rejections(source)
    items: list[Any] = []
    item_rows: list[int] = []
    fmt = "json"
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError as exc:
        whole, error = None, exc
    else:
        error = None
    if isinstance(whole, list):
        items = whole
        item_rows = list(range(1, len(items) + 1))
    elif isinstance(whole, dict):
        lists = [v for v in whole.values() if isinstance(v, list)]
        items = lists[0] if len(lists) == 1 else [whole]
        item_rows = list(range(1, len(items) + 1))
    elif stripped.startswith("["):
        assert error is not None
        raise InputError(
            f"the JSON file cannot be parsed ({error.msg} at line {error.lineno})",
            file=source,
            hint="check the file is complete, or export it again",
        )
    else:
        fmt = "jsonl"
        for line_number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                items.append(exc)
            item_rows.append(line_number)
    records: list[dict[str, Any]] = []
    numbers: list[int] = []
    for number, item in zip(item_rows, items):
        if isinstance(item, dict):
            records.append(item)
            numbers.append(number)
        elif isinstance(item, json.JSONDecodeError):
            rejections.add(number, f"malformed JSON ({item.msg})", raw=None)
        else:
            rejections.add(number, "the record is not a JSON object", raw=json.dumps(item))
    keys = list(dict.fromkeys(k for record in records for k in record))
    names = _unique_names(keys)
    frame = pd.DataFrame(
        {
            name: pd.Series([_json_text(r.get(key)) for r in records], dtype="str")
            for name, key in zip(names, keys)
        },
        index=pd.RangeIndex(len(records)),
    )
    frame = _null_texts(frame)
    return RawTable(frame, np.asarray(numbers, dtype=np.int64), len(items), rejections, fmt)
