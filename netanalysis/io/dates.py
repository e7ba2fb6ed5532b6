"""Parse timestamps as people write them, decide day/month order per file, convert to UTC.

A column is parsed with formats chosen from its own values: ISO 8601 first (read by
pyarrow at native speed when the whole column is ISO), then the numeric and textual
formats spreadsheets and exports use, each applied vectorised to the distinct values.
Values written without a zone are read in ``tz`` and flagged in the notes; values
with a zone (``Z``, ``+01:00``, ``UTC``) keep it. Date-only values are allowed (midnight
in ``tz``). Nothing is guessed value by value: a value no chosen format reads is
reported as unparseable, with the reason.

Day/month order of numeric dates (``03/04/2024``) is decided per column from the values:
a first number above 12 means day-first, a second number above 12 means month-first.
When no value decides (every number is 12 or less), ``dayfirst=`` does; without it the
column is read month-first and an :class:`~netanalysis.errors.AmbiguousDateWarning`
says so. An explicit ``dayfirst=True/False`` is always honoured; values that do not fit
it are rejected.

Examples:
    >>> s = pd.Series(["13/03/2024", "01/04/2024"])
    >>> out = parse_timestamps(s, tz="Europe/London", source="log.csv", column="Date")
    >>> [str(t) for t in out.values]
    ['2024-03-13 00:00:00+00:00', '2024-03-31 23:00:00+00:00']
    >>> out.notes[0]
    "column 'Date': day/month order decided as day-first (a value has a first number above 12)"
    >>> out.order
    'day-first'
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from netanalysis.errors import AmbiguousDateWarning

__all__ = ["ParsedTimestamps", "parse_timestamps"]

_TIMES = (
    "",
    " %H:%M",
    " %H:%M:%S",
    " %I:%M %p",
    " %I:%M:%S %p",
    ", %I:%M %p",
    ", %H:%M",
    ", %I:%M:%S %p",
    ", %H:%M:%S",
    " %H:%M:%S.%f",
)
_TEXTUAL_DATES = (
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%a, %d %b %Y",
    "%A, %B %d, %Y",
    "%a %b %d %Y",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%d %b %y",
)
_EMAIL_FORMATS = ("%a, %d %b %Y %H:%M:%S %z", "%d %b %Y %H:%M:%S %z", "%a %b %d %H:%M:%S %Y")

_NUMERIC_DATE = r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})(?!\d)"
_NUMERIC_DATE_MATCH = r"^\s*\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}(?!\d)"
_ZONE = re.compile(r"(?:Z|[+-]\d{2}:?\d{2}|\bUTC|\bGMT)\s*$")
_ZONE_WORD = r"\s*\b(?:UTC|GMT)\s*$"
_NOT_LETTERS = r"(?i)\b(?:am|pm|utc|gmt)\b|(?<=\d)[tz](?=\d|$)"
_SAMPLE = 500
_PROBES = 8


@dataclass
class ParsedTimestamps:
    """Result of :func:`parse_timestamps`.

    Attributes:
        values: datetime64[us, UTC]; NaT where the input was missing or unparseable.
        bad: boolean mask of non-missing inputs that could not be parsed.
        notes: what was decided (day/month order, zone assumed), for the load summary.
        zone_assumed: True when some values had no zone and were read in ``tz``.
        reasons: per value, why it could not be parsed (None where it was), or None
            when nothing was bad.
        order: ``"day-first"``, ``"month-first"`` or None (no numeric dates).
    """

    values: pd.Series
    bad: np.ndarray
    notes: list[str] = field(default_factory=list)
    zone_assumed: bool = False
    reasons: np.ndarray | None = None
    order: str | None = None


def _numeric_formats(dayfirst: bool) -> list[str]:
    out = []
    for sep in ("/", ".", "-"):
        for year in ("%Y", "%y"):
            day_month = f"%d{sep}%m{sep}{year}" if dayfirst else f"%m{sep}%d{sep}{year}"
            out.extend(day_month + t for t in _TIMES)
    return out


def _textual_formats() -> list[str]:
    return [d + t for d in _TEXTUAL_DATES for t in _TIMES] + list(_EMAIL_FORMATS)


_PATTERNS: dict[str, re.Pattern[str] | None] = {}


def _pattern(fmt: str) -> re.Pattern[str] | None:
    """The regular expression Python's strptime uses for ``fmt`` (compiled once)."""
    if fmt not in _PATTERNS:
        try:
            import _strptime

            _PATTERNS[fmt] = _strptime._TimeRE_cache.compile(fmt)
        except Exception:  # a private module: fall back to strptime itself
            _PATTERNS[fmt] = None
    return _PATTERNS[fmt]


def _reads(value: str, fmt: str) -> bool:
    """True if ``fmt`` can read ``value`` (a cheap check on one value, before pandas)."""
    pattern = _pattern(fmt)
    if pattern is not None:
        found = pattern.match(value)
        return found is not None and found.end() == len(value)
    try:
        datetime.strptime(value, fmt)
    except ValueError:
        return False
    return True


def _localize_ns(naive: pd.DatetimeIndex, tz: str) -> pd.DatetimeIndex:
    """Read naive times in ``tz``; a time skipped by a clock change moves forward, a
    repeated autumn hour is read as its first occurrence. Neither is rejected."""
    if tz == "UTC":
        return naive.tz_localize("UTC")
    first_occurrence = np.ones(len(naive), dtype=bool)
    return naive.tz_localize(tz, ambiguous=first_occurrence, nonexistent="shift_forward")


def _as_utc(index: pd.DatetimeIndex) -> np.ndarray:
    """int64 microseconds since the epoch (NaT as the NaT sentinel)."""
    return index.tz_convert("UTC").as_unit("us").asi8


def _to_series(micros: np.ndarray) -> pd.Series:
    return pd.Series(micros.view("datetime64[us]"), dtype="datetime64[us, UTC]")


def _try(values: pd.Series, fmt: str, utc: bool) -> pd.DatetimeIndex:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = pd.to_datetime(values, format=fmt, errors="coerce", utc=utc)
        except (ValueError, TypeError, OverflowError):
            return pd.DatetimeIndex([pd.NaT] * len(values), tz="UTC" if utc else None)
    return pd.DatetimeIndex(out)


def _order_of_parts(parts: pd.DataFrame) -> tuple[bool, bool, bool]:
    first = parts[0].astype(int)
    second = parts[1].astype(int)
    return bool((first > 12).any()), bool((second > 12).any()), bool((first != second).any())


def _decide_order(
    unique: pd.Series, dayfirst: bool | None, column: str, source: str
) -> tuple[bool | None, list[str]]:
    """Day/month order from the distinct values; None when no value is a numeric date."""
    parts = unique.str.extract(_NUMERIC_DATE).dropna()
    if parts.empty:
        return None, []
    first_big, second_big, differ = _order_of_parts(parts)
    where = f"column {column!r}"
    if dayfirst is not None:
        order = "day-first" if dayfirst else "month-first"
        contradicted = second_big if dayfirst else first_big
        note = f"{where}: dates read {order} as asked (dayfirst={dayfirst})"
        if contradicted:
            note += "; values that only fit the other order are rejected"
        return dayfirst, [note]
    if first_big and second_big:
        first = parts[0].astype(int)
        second = parts[1].astype(int)
        day = int((first > 12).sum()) >= int((second > 12).sum())
        order = "day-first" if day else "month-first"
        return day, [
            f"{where}: dates mix day-first and month-first values; read as {order} (the "
            "majority); the others are rejected"
        ]
    if first_big:
        return True, [
            f"{where}: day/month order decided as day-first (a value has a first number above 12)"
        ]
    if second_big:
        return False, [
            f"{where}: day/month order decided as month-first "
            "(a value has a second number above 12)"
        ]
    if not differ:
        return False, []  # every date reads the same either way (e.g. 03/03/2024)
    warnings.warn(
        f"{source}, {where}: no date decides between day/month and month/day order "
        "(every number is 12 or less); read as month/day. Pass dayfirst=True to "
        "na.load if the file uses day/month, or dayfirst=False to confirm month/day.",
        AmbiguousDateWarning,
        stacklevel=5,
    )
    return False, [
        f"{where}: day/month order ambiguous (no day above 12); assumed month-first (US); "
        "pass dayfirst= to choose"
    ]


def _text_of(values: pd.Series) -> pd.Series:
    if values.dtype == object:
        values = pd.Series(
            [
                v.isoformat(sep=" ")
                if isinstance(v, datetime)
                else v.isoformat()
                if isinstance(v, date)
                else (None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v))
                for v in values
            ],
            dtype="str",
        )
    elif values.dtype != "str":
        values = values.astype("str").where(values.notna())
    stripped = values.str.strip()
    return stripped.where(stripped != "")


def _fast_iso(values: pd.Series) -> tuple[np.ndarray, bool] | None:
    """The whole column as ISO 8601 through pyarrow: (micros, zoned) or None.

    Succeeds only when every value is ISO 8601 and either all or none carry a zone.
    """
    try:
        array = pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        return None
    for target, zoned in ((pa.timestamp("us"), False), (pa.timestamp("us", "UTC"), True)):
        try:
            stamps = pc.cast(array, target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
        ints = pc.fill_null(stamps.cast(pa.int64()), np.iinfo(np.int64).min)
        return np.asarray(ints), zoned
    return None


def parse_timestamps(
    values: pd.Series,
    *,
    tz: str = "UTC",
    dayfirst: bool | None = None,
    source: str = "<data>",
    column: str = "timestamp",
) -> ParsedTimestamps:
    """Parse a column of timestamps to tz-aware UTC.

    Args:
        values: text, datetimes, or a mix (spreadsheets give both).
        tz: zone of values written without one (they are flagged in the notes).
        dayfirst: order of numeric dates; None decides from the values (see the module).
        source: file name, for messages.
        column: column name, for messages.

    Examples:
        >>> out = parse_timestamps(pd.Series(["2024-03-12 14:02:11 UTC", None, "soon"]))
        >>> out.values.tolist()[0], out.bad.tolist()
        (Timestamp('2024-03-12 14:02:11+0000', tz='UTC'), [False, False, True])
        >>> out.reasons[2]
        'unparseable date'
        >>> parse_timestamps(pd.Series(["03/04/2024"]), dayfirst=True).values[0]
        Timestamp('2024-04-03 00:00:00+0000', tz='UTC')
    """
    values = values.reset_index(drop=True)
    n = len(values)
    notes: list[str] = []
    no_bad = np.zeros(n, bool)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return ParsedTimestamps(values.dt.tz_convert("UTC").astype("datetime64[us, UTC]"), no_bad)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        micros = _as_utc(_localize_ns(pd.DatetimeIndex(values), tz))
        notes.append(f"column {column!r}: times without a zone read as {tz}")
        return ParsedTimestamps(_to_series(micros), no_bad, notes, zone_assumed=True)

    fast = _fast_iso(values) if values.dtype == "str" else None
    if fast is None:
        text = _text_of(values)
        if not text.notna().any():
            return ParsedTimestamps(_to_series(np.full(n, np.iinfo(np.int64).min)), no_bad)
        fast = _fast_iso(text)
    else:
        text = values
    if fast is not None:
        micros, zoned = fast
        naive = not zoned and bool((micros != np.iinfo(np.int64).min).any())
        if naive:
            if tz != "UTC":
                micros = _as_utc(_localize_ns(pd.DatetimeIndex(micros.view("datetime64[us]")), tz))
            notes.append(f"column {column!r}: times without a zone read as {tz}")
        return ParsedTimestamps(_to_series(micros), no_bad, notes, zone_assumed=naive)

    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    unique = pd.Series(np.asarray(uniques, dtype=object), dtype="str")
    parsed, bad_unique, reasons_unique, more, zone_assumed, order = _parse_unique(
        unique, tz=tz, dayfirst=dayfirst, source=source, column=column
    )
    notes.extend(more)
    nat = np.iinfo(np.int64).min
    micros = np.where(codes >= 0, parsed[np.maximum(codes, 0)], nat)
    bad = (codes >= 0) & bad_unique[np.maximum(codes, 0)]
    reasons = None
    if bad.any():
        reasons = np.where(bad, reasons_unique[np.maximum(codes, 0)], None)
    return ParsedTimestamps(_to_series(micros), bad, notes, zone_assumed, reasons, order)


def _parse_unique(
    unique: pd.Series, *, tz: str, dayfirst: bool | None, source: str, column: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str], bool, str | None]:
    """Parse distinct values: (micros, bad, reasons, notes, zone_assumed, order)."""
    m = len(unique)
    notes: list[str] = []
    text = unique.str.replace(_ZONE_WORD, "+00:00", regex=True)
    zoned = text.str.contains(_ZONE, regex=True).to_numpy()
    day, order_notes = _decide_order(text, dayfirst, column, source)
    notes.extend(order_notes)
    numeric = text.str.contains(_NUMERIC_DATE_MATCH, regex=True).to_numpy()
    candidates: list[str] = []
    if day is not None:
        candidates += _numeric_formats(day)
    letters = text.str.replace(_NOT_LETTERS, "", regex=True).str.contains("[A-Za-z]", regex=True)
    if letters.any():
        candidates += _textual_formats()

    nat = np.iinfo(np.int64).min
    micros, ok, zone_assumed = _parse_mixed(text, zoned, "ISO8601", tz)
    micros = np.where(ok, micros, nat)
    remaining = ~ok
    untried = remaining.copy()  # values not yet found unreadable by every format
    for _ in range(24):
        idx = np.flatnonzero(remaining & untried)
        if not len(idx) or not candidates:
            break
        sample_idx = idx[:: max(1, len(idx) // _SAMPLE)][:_SAMPLE]
        sample = text.iloc[sample_idx]
        # Formats that read at least one of a few remaining values (cheap, per value),
        # then the one reading most of the sample (vectorised).
        probe_idx = sample_idx[:: max(1, len(sample_idx) // _PROBES)][:_PROBES]
        probes = text.iloc[probe_idx].tolist()
        usable = [f for f in candidates if any(_reads(v, f) for v in probes)]
        if not usable:
            untried[probe_idx] = False
            continue
        scores = [int(_try(sample, f, utc=True).notna().sum()) for f in usable]
        best = usable[int(np.argmax(scores))]
        candidates.remove(best)
        idx = np.flatnonzero(remaining)
        out, ok, naive = _parse_mixed(text.iloc[idx], zoned[idx], best, tz)
        micros[idx[ok]] = out[ok]
        remaining[idx[ok]] = False
        zone_assumed |= naive
    if zone_assumed:
        notes.append(f"column {column!r}: times without a zone read as {tz}")
    reasons = np.full(m, None, dtype=object)
    if remaining.any():
        reasons[remaining] = "unparseable date"
        if day is not None:
            other = np.zeros(m, dtype=bool)
            idx = np.flatnonzero(remaining & numeric)
            for fmt in _numeric_formats(not day):
                if not len(idx):
                    break
                ok = _parse_mixed(text.iloc[idx], zoned[idx], fmt, tz)[1]
                other[idx[ok]] = True
                idx = idx[~ok]
            order = "day-first" if day else "month-first"
            reasons[other] = (
                f"date does not fit this column's day/month order ({order}); fix the value "
                "or pass dayfirst="
            )
    order = None if day is None else ("day-first" if day else "month-first")
    return micros, remaining, reasons, notes, zone_assumed, order


def _parse_mixed(
    text: pd.Series, zoned: np.ndarray, fmt: str, tz: str
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Parse with one format; zoned values keep their zone, the others are read in tz.

    Returns (micros, ok, some_naive_parsed).
    """
    out = np.full(len(text), np.iinfo(np.int64).min, dtype=np.int64)
    naive_parsed = False
    for has_zone in (False, True):
        mask = zoned == has_zone
        if not mask.any():
            continue
        part = text[mask] if not mask.all() else text
        parsed = _try(part, fmt, utc=has_zone)
        if parsed.tz is None:
            if parsed.notna().any():
                naive_parsed = True
            parsed = _localize_ns(parsed, tz)
        out[mask] = _as_utc(parsed)
    return out, out != np.iinfo(np.int64).min, naive_parsed
