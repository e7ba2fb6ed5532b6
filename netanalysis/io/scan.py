"""``na.scan``: a lazy DuckDB frame over big CSV/Parquet event logs, normalised like ``na.load``.

``na.load`` reads a log into pandas; for logs of millions of rows, ``na.scan`` keeps them
on disk and lets DuckDB (embedded, no server) do the work. The file's columns are mapped
and its labels normalised exactly as ``na.load`` does it (the same column synonyms and
alias tables, applied once per distinct label, then looked up in SQL), rows that cannot be
used are set aside with the same reasons, and every netanalysis function accepts the
result: ``na.funnel(na.scan("logs/*.parquet"))`` computes the counts inside DuckDB and
brings back only the small table.

Semantics, as in ``na.load``: an unknown stage rejects the row (with the reason); an
unknown channel becomes ``other`` with the raw label kept in ``channel_raw``; times with a
zone are converted to UTC, times without one are read in ``tz``. Unlike ``na.load``, exact
duplicate events are not removed (no result changes: every statistic reduces to one row
per lead first) and only long logs (one row per event) are read.

Examples:
    >>> import netanalysis as na, pandas as pd, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for i, stages in enumerate([["applied", "interview"], ["ghosted", "applied"]]):
    ...     pd.DataFrame({"Lead": [f"L{i}", f"L{i}"], "Status": stages, "Via": "Indeed",
    ...                   "Date": ["2024-03-01", "2024-03-08"]}
    ...                  ).to_parquet(folder / f"part-{i}.parquet")
    >>> lazy = na.scan(folder / "*.parquet")
    >>> na.funnel(lazy)  # doctest: +NORMALIZE_WHITESPACE
               contacted  responded  interview  offer
    channel
    job_board          2          1          1      0
    >>> lazy.summary()[["rows_read", "rows_kept", "rows_rejected"]].sum().tolist()
    [4, 3, 1]
    >>> lazy.rejected()["reason"].str[:23].tolist()
    ["unknown stage 'ghosted'"]
    >>> import shutil; shutil.rmtree(folder)
"""

from __future__ import annotations

import glob as globlib
import html
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from netanalysis.errors import InputError, MissingColumnsError, ParameterError, check_choice
from netanalysis.io.mapping import guess_mapping
from netanalysis.io.normalize import finalize_events
from netanalysis.io.options import LoadOptions
from netanalysis.io.rejects import Rejections, empty_rejected
from netanalysis.io.result import SUMMARY_COLUMNS
from netanalysis.results import frame_to_html
from netanalysis.schema import (
    CHANNELS,
    DIRECTION_ALIASES,
    DIRECTIONS,
    EVENT_COLUMNS,
    MODE_OF,
    MODES,
    STAGES,
    channel_of,
    normalize_label,
    stage_of,
)

if TYPE_CHECKING:
    import duckdb
    import narwhals as nw

__all__ = ["ScanFrame", "scan"]

Format = Literal["auto", "parquet", "csv"]

_PARQUET = (".parquet", ".pq", ".parq")
_CSV = (".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz", ".txt.gz")
# Characters str.strip() removes that matter in practice (DuckDB's trim() takes only spaces).
_WS = " \t\n\r\x0b\x0c"
# Internal column names; a file is unlikely to use them.
_SRC, _ROW, _KEPT = "_na_source", "_na_row", "_na_kept"
_ZONE_RE = r"(Z|[+-]\d{2}:?\d{2}|\bUTC|\bGMT)\s*$"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: object) -> str:
    if value is None:
        return "NULL"
    return "'" + str(value).replace("'", "''") + "'"


def _text(expr: str) -> str:
    """SQL: the value as stripped text, NULL when empty (as ``na.load`` reads text)."""
    return f"NULLIF(TRIM(CAST({expr} AS VARCHAR), {_lit(_WS)}), '')"


def _files(source: Any) -> list[str]:
    """Expand a path, folder, glob pattern or list of them to the files to read."""
    entries = [source] if isinstance(source, (str, os.PathLike)) else list(source)
    if not entries:
        raise ParameterError("scan() needs a file, a folder or a glob pattern. Got an empty list.")
    files: list[str] = []
    for entry in entries:
        text = os.fspath(entry)
        if any(ch in text for ch in "*?["):
            matched = sorted(globlib.glob(text, recursive=True))
            if not matched:
                raise InputError(
                    "the pattern matches no file",
                    file=text,
                    hint="check the pattern and the working folder",
                )
            files.extend(m for m in matched if Path(m).is_file())
        elif Path(text).is_dir():
            found = sorted(
                str(p)
                for p in Path(text).rglob("*")
                if p.is_file() and p.name.lower().endswith(_PARQUET + _CSV)
            )
            if not found:
                raise InputError(
                    "the folder has no CSV or Parquet file",
                    file=text,
                    hint="pass the files or a glob pattern such as 'logs/*.parquet'",
                )
            files.extend(found)
        elif Path(text).is_file():
            files.append(text)
        else:
            raise InputError(
                "no such file or folder", file=text, hint="check the path and the working folder"
            )
    return files


def _format_of(files: list[str], format: str) -> str:
    if format != "auto":
        return format
    kinds = set()
    for file in files:
        name = file.lower()
        if name.endswith(_PARQUET):
            kinds.add("parquet")
        elif name.endswith(_CSV):
            kinds.add("csv")
        else:
            raise InputError(
                "scan() reads CSV and Parquet files; this name has neither suffix",
                file=file,
                hint="pass format='csv' or format='parquet', or use na.load for other formats",
            )
    if len(kinds) > 1:
        raise ParameterError(
            "scan() reads one format at a time; the files mix CSV and Parquet. "
            "Scan them separately, or convert the CSV files to Parquet."
        )
    return kinds.pop()


def _reader_sql(files: list[str], format: str, read_options: Mapping[str, Any]) -> str:
    """SQL of the raw rows with the file name and the 1-based row number in the file."""
    extra = "".join(f", {k}={_option(v)}" for k, v in read_options.items())
    if format == "parquet":
        listed = "[" + ", ".join(_lit(f) for f in files) + "]"
        return (
            f"SELECT * EXCLUDE (file_row_number), file_row_number + 1 AS {_ROW} "
            f"FROM read_parquet({listed}, filename={_lit(_SRC)}, file_row_number=true, "
            f"union_by_name=true{extra})"
        )
    # CSV readers give no row number: number each file's rows in reading order.
    parts = [
        f"SELECT *, row_number() OVER () AS {_ROW} FROM read_csv({_lit(f)}, all_varchar=true, "
        f"header=true, filename={_lit(_SRC)}{extra})"
        for f in files
    ]
    return " UNION ALL BY NAME ".join(f"({p})" for p in parts)


def _option(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return _lit(value)


def _values(rows: list[tuple[object, ...]], alias: str, names: Sequence[str]) -> str:
    """A small inline table ``(VALUES (...), ...) AS alias(names)``; one NULL row if empty."""
    if not rows:
        rows = [tuple(None for _ in names)]
    body = ", ".join("(" + ", ".join(_lit(v) for v in row) + ")" for row in rows)
    return f"(VALUES {body}) AS {alias}({', '.join(names)})"


class ScanFrame:
    """A lazy, normalised events table over files, computed by DuckDB when asked.

    Every netanalysis function accepts it. Attributes and methods:

    - ``relation``: the DuckDB relation of the kept events (canonical columns, ``mode``,
      ``channel_raw``, then the file's other columns); ``lazy()``: the same as a narwhals
      ``LazyFrame`` (filter or add columns with narwhals, then pass it on).
    - ``summary()``: rows read / kept / rejected per file (one pass, nothing kept in memory).
    - ``rejected(limit=None)``: the rejected rows with their reasons, as ``na.load`` gives
      them (source, source_row, reason, raw, column, value).
    - ``to_pandas()``: the events as ``na.load(...).events`` would hold them (all in memory).
    - ``files``, ``format``, ``mapping``, ``notes``.
    """

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        files: list[str],
        format: str,
        normalized_sql: str,
        columns: list[str],
        raw_columns: list[str],
        mapping: dict[str, str],
        guessed: dict[str, str],
        notes: list[str],
        channel_labels: Counter[str],
    ) -> None:
        self._con = connection
        self.files = tuple(files)
        self.format = format
        self._normalized = normalized_sql
        self._columns = columns
        self._raw_columns = raw_columns
        self.mapping = dict(mapping)
        self._guessed = dict(guessed)
        self._file_column = {dst: src for src, dst in mapping.items()}
        self.notes = tuple(notes)
        self._channel_labels = channel_labels
        #: Values the normalised columns can hold (lets na.funnel pick groups in one pass).
        self.known_labels: dict[str, tuple[str, ...]] = {
            "channel": tuple(CHANNELS),
            "mode": tuple(MODES),
            "stage": tuple(STAGES),
            "direction": tuple(DIRECTIONS),
        }

    # -- the events ---------------------------------------------------------------------

    @property
    def relation(self) -> duckdb.DuckDBPyRelation:
        """The kept events as a DuckDB relation (lazy: nothing runs until it is used)."""
        selected = ", ".join(_ident(c) for c in self._columns)
        return self._con.sql(f"SELECT {selected} FROM ({self._normalized}) WHERE {_KEPT}")

    @property
    def columns(self) -> list[str]:
        """Column names of the events."""
        return list(self._columns)

    def lazy(self) -> nw.LazyFrame[Any]:
        """The events as a narwhals ``LazyFrame`` backed by DuckDB."""
        import narwhals as nw

        return nw.from_native(self.relation)

    def __narwhals_lazyframe__(self) -> Any:
        """Let ``narwhals.from_native`` (and so every netanalysis function) accept a scan."""
        return self.lazy()._compliant_frame

    def to_pandas(self) -> pd.DataFrame:
        """All kept events in memory, with the dtypes of ``na.load(...).events``."""
        frame = self.relation.order("source, source_row").df()
        return finalize_events(frame)

    def head(self, n: int = 5) -> pd.DataFrame:
        """The first ``n`` kept events (in file order), as pandas."""
        return finalize_events(self.relation.order("source, source_row").limit(n).df())

    # -- accounting -----------------------------------------------------------------------

    def summary(self) -> pd.DataFrame:
        """Per file: rows read, kept and rejected (``rows_read == rows_kept + rows_rejected``).

        Columns as ``na.load(...).summary``; ``duplicates`` is 0 (scan does not look for
        exact duplicate events, which change no result).
        """
        counts = self._con.sql(
            f"SELECT {_SRC} AS source, count(*) AS n, "
            f"count(*) FILTER (WHERE {_KEPT}) AS kept "
            f"FROM ({self._normalized}) GROUP BY ALL"
        ).df()
        by_file = {str(s): (int(n), int(k)) for s, n, k in counts.itertuples(index=False)}
        notes = "; ".join(dict.fromkeys(self._all_notes()))
        guessed = ", ".join(f"{src} -> {dst}" for src, dst in self._guessed.items())
        rows = []
        for file in self.files:
            n, kept = by_file.get(file, (0, 0))
            values = {
                "source": file,
                "loader": "scan",
                "format": self.format,
                "rows_read": n,
                "rows_kept": kept,
                "rows_rejected": n - kept,
                "events": kept,
                "duplicates": 0,
                "guessed": guessed,
                "notes": notes,
            }
            rows.append({c: values.get(c, "") for c in SUMMARY_COLUMNS})
        out = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
        for column in ("rows_read", "rows_kept", "rows_rejected", "events", "duplicates"):
            out[column] = out[column].astype("int64")
        return out

    def rejected(self, limit: int | None = None) -> pd.DataFrame:
        """The rejected rows, in file order: ``source, source_row, reason, raw, column, value``.

        Args:
            limit: at most this many rows (None: all of them; ``summary()`` counts them
                without reading them).
        """
        raw = ", ".join(_raw(i) for i in range(len(self._raw_columns)))
        query = (
            f"SELECT {_SRC}, {_ROW}, _na_lead, stage, _na_stage_label, "
            f"_na_time, _na_time_raw, _na_direction_label, {raw} "
            f"FROM ({self._normalized}) WHERE NOT {_KEPT} ORDER BY {_SRC}, {_ROW}"
        )
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        rows = self._con.sql(query).df()
        if rows.empty:
            return empty_rejected()
        rows = rows.rename(columns={_raw(i): c for i, c in enumerate(self._raw_columns)})
        out = []
        for source, group in rows.groupby(_SRC, sort=False):
            rejections = Rejections(str(source))
            records = group[self._raw_columns].to_dict("records")
            for row, record in zip(group.to_dict("records"), records):
                reason, column, value = _why(row, record.get(self._file_column["timestamp"]))
                rejections.add(
                    int(row[_ROW]),
                    reason,
                    raw=record,
                    column=self._file_column.get(column, column),
                    value=value,
                )
            out.append(rejections.frame())
        return pd.concat(out, ignore_index=True)

    def _all_notes(self) -> list[str]:
        notes = list(self.notes)
        other = {
            label: n
            for label, n in self._channel_labels.items()
            if channel_of(label) == "other" and normalize_label(label) != "other"
        }
        if other:
            top = sorted(other.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
            shown = ", ".join(f"{label!r} ({n})" for label, n in top)
            notes.append(
                f"channel labels not in the taxonomy, counted as 'other': {shown}. "
                "Map them with channel_map={'<label>': '<channel>'}."
            )
        return notes

    # -- display --------------------------------------------------------------------------

    def __repr__(self) -> str:
        shown = ", ".join(self.files[:3]) + (", ..." if len(self.files) > 3 else "")
        return (
            f"<ScanFrame: {len(self.files)} {self.format} file(s) [{shown}]; "
            f"columns {self._columns[:10]}{'...' if len(self._columns) > 10 else ''}>"
        )

    def _repr_html_(self) -> str:
        table = pd.DataFrame(
            {"file → column": list(self.mapping), "canonical column": list(self.mapping.values())}
        )
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return (
            f"<div class='na-result'><strong>ScanFrame</strong> "
            f"<p>{len(self.files)} {self.format} file(s), read lazily by DuckDB.</p>"
            f"{frame_to_html(table, index=False)}<ul>{notes}</ul></div>"
        )


def _why(row: dict[str, Any], raw_time: Any) -> tuple[str, str, Any]:
    """Reason, canonical column and value of a rejected row, first problem first (as
    ``na.load`` checks them: lead, stage, date, direction)."""
    missing = np.nan  # as na.load reports a missing value
    if pd.isna(row["_na_lead"]):
        return "missing lead id", "lead", missing
    label = row["_na_stage_label"]
    if pd.isna(label):
        return "missing stage", "stage", missing
    if pd.isna(row["stage"]):
        known = ", ".join(STAGES)
        return (
            f"unknown stage {label!r}; known stages: {known} (or map it with stage_map=)",
            "stage",
            label,
        )
    if pd.isna(row["_na_time"]):
        # The file's own value, as na.load reports it ("" stays "").
        value = missing if raw_time is None or pd.isna(raw_time) else raw_time
        if pd.isna(row["_na_time_raw"]):
            return "missing date", "timestamp", value
        return "unparseable date", "timestamp", value
    reason = f"unknown direction (use one of {list(DIRECTIONS)})"
    return reason, "direction", row["_na_direction_label"]


def scan(
    source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    format: Format = "auto",
    mapping: Mapping[str, str] | None = None,
    channel_map: Mapping[str, str] | None = None,
    stage_map: Mapping[str, str] | None = None,
    seeker: str | None = None,
    tz: str = "UTC",
    timestamp_format: str | Sequence[str] | None = None,
    connection: duckdb.DuckDBPyConnection | None = None,
    read_options: Mapping[str, Any] | None = None,
) -> ScanFrame:
    """Open big CSV/Parquet event logs lazily (DuckDB), normalised as ``na.load`` does.

    Args:
        source: a file, a folder, a glob pattern (``"logs/2024-*.parquet"``) or a list of
            them. All files are read as one table (columns matched by name).
        format: ``"auto"`` (from the file names), ``"parquet"`` or ``"csv"``.
        mapping: file column -> canonical column, e.g. ``{"Date Applied": "timestamp"}``;
            columns not named are guessed from common synonyms (listed in ``.notes``).
        channel_map: your channel labels -> the taxonomy (unknown labels become ``other``).
        stage_map: your status words -> stages (unknown stages reject the row).
        seeker: seeker id for rows that name none (default ``"me"``).
        tz: IANA zone of times written without one.
        timestamp_format: strptime format(s) of text timestamps that are not ISO 8601,
            e.g. ``"%d/%m/%Y %H:%M"``; rows that match none are rejected.
        connection: a DuckDB connection to run on (default: a new in-memory one, session
            time zone UTC).
        read_options: extra options for DuckDB's ``read_csv``/``read_parquet``, e.g.
            ``{"delim": ";"}``.

    Returns:
        A :class:`ScanFrame`: pass it to ``na.funnel``, ``na.conversion``, ``na.compare``,
        ``na.bayes``, ``na.time_to``...; ``.summary()`` and ``.rejected()`` account for the
        rows that were set aside.

    Raises:
        InputError: no such file, or no file matches the pattern.
        MissingColumnsError: the files have no stage or timestamp column (or no lead id,
            contact or company to identify leads).
        ParameterError: an option has a value scan cannot use.
    """
    try:
        import duckdb
    except ImportError as exc:  # pragma: no cover - duckdb is in the scale extra
        raise ParameterError(
            "scan() needs DuckDB: pip install 'netanalysis[scale]' (or pip install duckdb)."
        ) from exc
    check_choice("format", format, ("auto", "parquet", "csv"), where="scan")
    options = LoadOptions(
        mapping=mapping, channel_map=channel_map, stage_map=stage_map, seeker=seeker, tz=tz
    )
    formats = [timestamp_format] if isinstance(timestamp_format, str) else timestamp_format
    files = _files(source)
    kind = _format_of(files, format)
    if connection is None:
        connection = duckdb.connect()
        connection.execute("SET TimeZone = 'UTC'")
    reader = _reader_sql(files, kind, dict(read_options or {}))
    raw = connection.sql(reader)
    types = dict(zip(raw.columns, [str(t) for t in raw.types]))
    raw_columns = [c for c in raw.columns if c not in (_SRC, _ROW)]
    column_map = guess_mapping(raw_columns, options.mapping)
    source_of = {dst: src for src, dst in column_map.mapping.items()}
    notes = column_map.describe()
    missing = [c for c in ("stage", "timestamp") if c not in source_of]
    if "lead" not in source_of:
        keys = [c for c in ("contact", "company") if c in source_of]
        if keys:
            notes.append(f"no lead id column: leads identified by {' + '.join(keys)}")
        else:
            missing.insert(0, "lead")
    if missing:
        label = files[0] if len(files) == 1 else f"{files[0]} (and {len(files) - 1} more)"
        raise MissingColumnsError(missing, raw_columns, file=label)

    labels, untrimmed = _profile(connection, reader, source_of, files)
    if "channel" not in source_of:
        notes.append("no channel column: every lead counted as 'other' (name it with mapping=)")
    time_column = source_of["timestamp"]
    zone_assumed = not types[time_column].upper().startswith("TIMESTAMP WITH TIME ZONE")
    if zone_assumed:
        notes.append(f"column {time_column!r}: times without a zone read as {tz}")
    taken = set(EVENT_COLUMNS) | {"mode", "channel_raw"}
    extras = [c for c in raw_columns if c not in column_map.mapping and c not in taken]
    normalized = _normalized_sql(
        reader,
        source_of,
        raw_columns,
        extras,
        options,
        _label_tables(labels, options),
        untrimmed,
        lambda column: _timestamp_sql(column, types[time_column], tz, formats),
    )
    return ScanFrame(
        connection,
        files,
        kind,
        normalized,
        [*EVENT_COLUMNS, "mode", "channel_raw", *extras],
        raw_columns,
        column_map.mapping,
        column_map.guessed,
        notes,
        labels["channel"],
    )


def _raw(i: int) -> str:
    return f"_na_raw{i}"


def _normalized_sql(
    reader: str,
    source_of: dict[str, str],
    raw_columns: list[str],
    extras: list[str],
    options: LoadOptions,
    tables: dict[str, list[tuple[object, ...]]],
    untrimmed: set[str],
    timestamp: Any,
) -> str:
    """One SELECT: canonical columns, whether the row is kept, why not, and the raw row.

    Labels are joined on their raw text against the small tables made from the distinct
    labels (no per-row string work); the raw columns are renamed ``_na_raw<i>`` so that
    they never clash with the canonical ones (:meth:`ScanFrame.rejected` names them back).
    """
    renamed = {c: _raw(i) for i, c in enumerate(raw_columns)}

    def raw_text(canonical: str) -> str:
        if canonical not in source_of:
            return "CAST(NULL AS VARCHAR)"
        return f"CAST({renamed[source_of[canonical]]} AS VARCHAR)"

    def text(canonical: str) -> str:
        if canonical in ("seeker", "lead") and canonical not in untrimmed:
            return raw_text(canonical)  # no value is empty or padded: nothing to trim
        if canonical not in source_of:
            return "CAST(NULL AS VARCHAR)"
        return _text(raw_text(canonical))

    if "lead" in source_of:
        lead = text("lead")
    else:  # as na.load: contact + " | " + company (missing parts empty); empty -> missing
        parts = [renamed[source_of[c]] for c in ("contact", "company") if c in source_of]
        joined = " || ' | ' || ".join(f"COALESCE(CAST({p} AS VARCHAR), '')" for p in parts)
        lead = f"CASE WHEN TRIM({joined}, ' |') = '' THEN NULL ELSE {_text(joined)} END"
    seeker = f"COALESCE({text('seeker')}, {_lit(options.default_seeker)})"
    time_sql, time_raw = timestamp(renamed[source_of["timestamp"]])
    raw_select = ", ".join(f"{_ident(c)} AS {renamed[c]}" for c in raw_columns)
    base = (
        f"SELECT {seeker} AS seeker, {lead} AS lead, {raw_text('stage')} AS _stage_key, "
        f"{raw_text('channel')} AS _channel_key, {time_sql} AS timestamp, "
        f"{time_raw} AS _time_raw, {text('contact')} AS contact, {text('company')} AS company, "
        f"{raw_text('direction')} AS _direction_key, {_SRC}, {_ROW}, "
        + ", ".join(renamed[c] for c in raw_columns)
        + f" FROM (SELECT {raw_select}, {_SRC}, {_ROW} FROM ({reader}))"
    )

    def look(table: str, key: str, column: int) -> str:
        return _lookup(f"b.{key}", tables[table], column)

    stage, stage_label = look("stage", "_stage_key", 2), look("stage", "_stage_key", 1)
    direction, direction_label = (
        look("direction", "_direction_key", 2),
        look("direction", "_direction_key", 1),
    )
    channel = f"COALESCE({look('channel', '_channel_key', 2)}, 'other')"
    channel_raw = look("channel", "_channel_key", 1) if "channel" in source_of else "'other'"
    mode = " ".join(f"WHEN {_lit(c)} THEN {_lit(m)}" for c, m in MODE_OF.items())
    kept = (
        f"b.lead IS NOT NULL AND ({stage}) IS NOT NULL AND b.timestamp IS NOT NULL "
        f"AND (b._direction_key IS NULL OR ({direction_label}) IS NULL "
        f"OR ({direction}) IS NOT NULL)"
    )
    return (
        f"SELECT b.seeker, b.lead, {channel} AS channel, {stage} AS stage, b.timestamp, "
        f"b.contact, b.company, COALESCE({direction}, 'outbound') AS direction, "
        f"b.{_SRC} AS source, b.{_ROW} AS source_row, "
        f"CASE {channel} {mode} ELSE 'other' END AS mode, {channel_raw} AS channel_raw, "
        + "".join(f"b.{renamed[c]} AS {_ident(c)}, " for c in extras)
        + f"{kept} AS {_KEPT}, {stage_label} AS _na_stage_label, "
        f"{direction_label} AS _na_direction_label, "
        f"b.lead AS _na_lead, b.timestamp AS _na_time, b._time_raw AS _na_time_raw, "
        f"b.{_SRC}, b.{_ROW}, "
        + ", ".join(f"b.{renamed[c]}" for c in raw_columns)
        + f" FROM ({base}) AS b"
    )


def _lookup(key: str, rows: list[tuple[object, ...]], column: int) -> str:
    """SQL: the ``column``-th value of the row whose first value equals ``key``.

    A CASE for the few labels logs have (DuckDB evaluates it on dictionary-encoded
    columns at no cost); NULL for labels that are not in the table.
    """
    branches = " ".join(
        f"WHEN {_lit(row[0])} THEN {_lit(row[column])}" for row in rows if row[column] is not None
    )
    return f"CASE {key} {branches} END" if branches else "CAST(NULL AS VARCHAR)"


#: Profiles of files already scanned, by file identity (path, size, modification time)
#: and reading options: scanning the same files again costs no pass over them.
_PROFILES: dict[tuple[object, ...], tuple[dict[str, Counter[str]], set[str]]] = {}
_MAX_PROFILES = 64


def _profile(
    connection: duckdb.DuckDBPyConnection,
    reader: str,
    source_of: dict[str, str],
    files: list[str],
) -> tuple[dict[str, Counter[str]], set[str]]:
    """:func:`_distinct_labels`, remembered while the files are unchanged."""
    stats = []
    for file in files:
        info = os.stat(file)
        stats.append((file, info.st_size, info.st_mtime_ns))
    key = (reader, tuple(sorted(source_of.items())), tuple(stats))
    if key not in _PROFILES:
        if len(_PROFILES) >= _MAX_PROFILES:
            _PROFILES.pop(next(iter(_PROFILES)))
        _PROFILES[key] = _distinct_labels(connection, reader, source_of)
    labels, untrimmed = _PROFILES[key]
    return {c: Counter(v) for c, v in labels.items()}, set(untrimmed)


def _distinct_labels(
    connection: duckdb.DuckDBPyConnection, reader: str, source_of: dict[str, str]
) -> tuple[dict[str, Counter[str]], set[str]]:
    """One pass over the files: the distinct raw stage, channel and direction labels
    with their row counts, and which id columns (seeker, lead) hold values that need
    trimming (so that the per-event queries can skip it when none do)."""
    present = [c for c in ("stage", "channel", "direction") if c in source_of]
    ids = [c for c in ("seeker", "lead") if c in source_of]
    out: dict[str, Counter[str]] = {c: Counter() for c in ("stage", "channel", "direction")}
    select = [f"CAST({_ident(source_of[c])} AS VARCHAR) AS {c}" for c in present]
    select += [f"CAST({_ident(source_of[c])} AS VARCHAR) AS {c}" for c in ids]
    checks = [f"coalesce(bool_or({_untrimmed(c)}), false)" for c in ids]
    if not select:
        return out, set()
    rows = connection.sql(
        f"SELECT {', '.join([*present, 'count(*)', *checks])} "
        f"FROM (SELECT {', '.join(select)} FROM ({reader}))" + (" GROUP BY ALL" if present else "")
    ).fetchall()
    untrimmed: set[str] = set()
    for row in rows:
        n = int(row[len(present)])
        for name, value in zip(present, row[: len(present)]):
            if value is not None:
                out[name][str(value)] += n
        untrimmed.update(c for c, flag in zip(ids, row[len(present) + 1 :]) if flag)
    return out, untrimmed


def _untrimmed(expr: str) -> str:
    """SQL: the text is empty, or its first or last character is a blank or a control
    character (what ``str.strip()`` may remove); cheap, creates no strings."""
    return f"({expr} = '' OR ascii({expr}) <= 32 OR ascii(reverse({expr})) <= 32)"


def _strip(value: str) -> str | None:
    """The label as ``na.load`` reads text: stripped; empty -> missing."""
    stripped = value.strip()
    return stripped or None


def _label_tables(
    labels: dict[str, Counter[str]], options: LoadOptions
) -> dict[str, list[tuple[object, ...]]]:
    """Raw label -> (stripped label, normalised value), by the functions ``na.load`` uses."""
    stage_rows: list[tuple[object, ...]] = []
    for key in labels["stage"]:
        label = _strip(key)
        stage_rows.append((key, label, stage_of(label, options.stage_map) if label else None))
    channel_rows: list[tuple[object, ...]] = []
    for key in labels["channel"]:
        label = _strip(key)
        channel = channel_of(label, options.channel_map) if label is not None else None
        channel_rows.append((key, label, channel))
    direction_rows: list[tuple[object, ...]] = []
    for key in labels["direction"]:
        label = _strip(key)
        direction = DIRECTION_ALIASES.get(normalize_label(label)) if label is not None else None
        direction_rows.append((key, label, direction))
    return {"stage": stage_rows, "channel": channel_rows, "direction": direction_rows}


def _timestamp_sql(
    column: str, type_name: str, tz: str, formats: Sequence[str] | None
) -> tuple[str, str]:
    """SQL for the UTC instant and for the raw value (NULL when missing)."""
    upper = type_name.upper()
    zone = _lit(tz)
    if upper.startswith("TIMESTAMP WITH TIME ZONE"):
        return column, column
    if upper.startswith("TIMESTAMP") or upper == "DATE":
        return f"timezone({zone}, CAST({column} AS TIMESTAMP))", column
    text = _text(column)
    utc_words = r"\s*\b(UTC|GMT)\s*$"
    parsed = (
        f"CASE WHEN regexp_matches({text}, {_lit(_ZONE_RE)}) "
        f"THEN TRY_CAST(regexp_replace({text}, {_lit(utc_words)}, '+00:00') AS TIMESTAMPTZ) "
        f"ELSE timezone({zone}, TRY_CAST({text} AS TIMESTAMP)) END"
    )
    if formats:
        listed = "[" + ", ".join(_lit(f) for f in formats) + "]"
        if any("%z" in f or "%Z" in f for f in formats):
            custom = f"CAST(try_strptime({text}, {listed}) AS TIMESTAMPTZ)"
        else:
            custom = f"timezone({zone}, try_strptime({text}, {listed}))"
        parsed = f"COALESCE({custom}, {parsed})"
    return parsed, text
