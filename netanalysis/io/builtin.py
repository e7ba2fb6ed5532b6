"""Built-in loaders: generic long event logs and wide tracker sheets.

Format-specific loaders (exports, email, calendar, trackers) register here too, before
the generic ones, so that ``kind="auto"`` recognises them by content first.

Examples:
    >>> from netanalysis.io.options import LoadOptions
    >>> from netanalysis.io.registry import Item
    >>> item = Item("log.csv", data=b"When,Job ID,Status\\n2024-03-01,J1,Applied\\n")
    >>> [res] = read_table_source(item, LoadOptions(kind="long"))
    >>> res.events[["lead", "stage"]].to_dict("records"), res.guessed
    ([{'lead': 'J1', 'stage': 'contacted'}], {'When': 'timestamp', 'Job ID': 'lead', 'Status': 'stage'})
"""

from __future__ import annotations

import importlib.util

import pandas as pd

from netanalysis.errors import MissingColumnsError
from netanalysis.io.mapping import guess_mapping, suggest_column
from netanalysis.io.normalize import RESERVED_COLUMNS, text_column, to_events
from netanalysis.io.options import LoadOptions
from netanalysis.io.registry import Item, Loader, register
from netanalysis.io.result import SourceResult
from netanalysis.io.tables import RawTable, read_table
from netanalysis.io.wide import is_wide, read_wide

__all__ = ["read_long", "read_table_source", "register_all"]

_TABLE_FORMATS = ("text", "xlsx", "parquet", "json")

#: Canonical columns a long event log must provide (``lead`` may be built from
#: ``contact`` and ``company``).
REQUIRED_LONG: tuple[str, ...] = ("lead", "stage", "timestamp")


def read_long(table: RawTable, source: str, options: LoadOptions, notes: list[str]) -> SourceResult:
    """A long event log: one row per event, columns mapped by name or synonym.

    Raises:
        MissingColumnsError: no column gives the lead id (nor contact/company), the stage
            or the date; the error lists what is missing, what the file has, and the
            closest match.
    """
    columns = list(table.frame.columns)
    mapping = guess_mapping(columns, options.mapping, strict=not options.partial_mapping)
    source_of = mapping.source_of
    frame = pd.DataFrame(
        {dst: table.frame[src] for src, dst in mapping.mapping.items()},
        index=table.frame.index,
    )
    notes = [*notes, *mapping.describe()]
    missing = [c for c in ("stage", "timestamp") if c not in frame]
    if "lead" not in frame:
        keys = [c for c in ("contact", "company") if c in frame]
        if keys:
            parts = [text_column(frame[k]).fillna("") for k in keys]
            lead = parts[0]
            for part in parts[1:]:
                lead = lead + " | " + part
            frame["lead"] = lead.where(lead.str.strip(" |") != "").to_numpy()
            source_of["lead"] = " + ".join(source_of[k] for k in keys)
            notes.append(
                f"no lead id column: leads identified by {' + '.join(source_of[k] for k in keys)}"
            )
        else:
            missing.insert(0, "lead")
    if missing:
        unmapped = [c for c in columns if c not in mapping.mapping]
        guesses = {m: suggest_column(m, unmapped) for m in missing}
        named = {g: m for m, g in guesses.items() if g is not None}
        parts = []
        if mapping.unused:
            parts.append(f"mapping names {sorted(mapping.unused)}, which this file does not have")
        example = named or {"<your column>": "<canonical name>"}
        parts.append(f"name the columns with mapping={example!r}")
        raise MissingColumnsError(missing, columns, file=source, hint="; ".join(parts))
    extras = []
    for column in columns:
        if column in mapping.mapping:
            continue
        label = f"{column} (file)" if column in RESERVED_COLUMNS else column
        frame[label] = table.frame[column]
        extras.append(label)
    return to_events(
        frame,
        source=source,
        loader="long",
        format=table.format,
        options=options,
        source_rows=table.source_rows,
        rows_read=table.rows_read,
        rejections=table.rejections,
        notes=notes,
        guessed=mapping.guessed,
        extra_columns=extras,
        raw_frame=table.frame,
        source_columns=source_of,
    )


def read_table_source(item: Item, options: LoadOptions) -> list[SourceResult]:
    """Read a CSV/TSV/XLSX/Parquet/JSON table as a long log or a wide sheet."""
    on_disk = not item.in_memory and item.path is not None and item.path.is_file()
    table = read_table(item.path if on_disk else item.data, source=item.label)  # type: ignore[arg-type]
    return read_raw_table(table, item.label, options)


def read_raw_table(table: RawTable, source: str, options: LoadOptions) -> list[SourceResult]:
    """A table already read (from a file or a frame) as a long log or a wide sheet."""
    kind = options.kind
    notes = list(table.notes)
    if kind not in ("long", "wide"):
        wide, why = is_wide(list(table.frame.columns), table.frame, options.mapping)
        kind = "wide" if wide else "long"
        notes.append(
            f"read as a {'wide tracker sheet' if wide else 'long event log'} because {why}"
        )
    if kind == "wide":
        result = read_wide(
            table.frame,
            source=source,
            format=table.format,
            options=options,
            source_rows=table.source_rows,
            rows_read=table.rows_read,
            rejections=table.rejections,
            notes=notes,
        )
    else:
        result = read_long(table, source, options, notes)
    return [result]


def register_all() -> None:
    """Register the built-in loaders (called once, on first use)."""
    if importlib.util.find_spec("netanalysis.io.exports") is not None:
        from netanalysis.io import exports  # format-specific loaders (LinkedIn, mbox, ...)

        exports.register_all()
    for name, description in (
        ("long", "a long event log: one row per event (CSV, TSV, XLSX, Parquet, JSON, JSON lines)"),
        ("wide", "a wide tracker sheet: one row per lead, a status and/or a date per stage"),
    ):
        register(
            Loader(
                name=name,
                read=read_table_source,
                claims_file=lambda probe: probe.format in _TABLE_FORMATS,
                description=description,
            ),
            before_generic=False,
        )
