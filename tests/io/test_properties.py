"""Property tests of the load contract (Hypothesis, derandomised in tests/conftest.py).

- Row conservation: for any mix of good and bad rows, every data row is either kept or
  rejected, the rejected ones are exactly the bad ones, with their row numbers.
- Order independence: shuffling the rows of a file changes no event and no count.
- Idempotence: loading the same file twice gives one copy of each event.
- CSV round trip: whatever cells a CSV writer wrote, the reader gives them back, on the
  fast (pyarrow) path and on the exact (record by record) path alike.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import netanalysis as na
from netanalysis.io.load import IDENTITY_COLUMNS
from netanalysis.io.tables import NULL_TEXTS, read_table

HEADER = ["Lead", "Date", "Stage", "Channel", "Company"]
STAGE_WORDS = ["Applied", "applied", "Reply", "Phone screen", "Interview", "Offer", "Rejected"]
CHANNEL_WORDS = ["Indeed", "LinkedIn", "Referral", "Career fair", "Vets2Tech Slack", ""]
COMPANIES = ["Acme Analytics", "Bluefin Logistics", "Cobalt Health, Inc.", 'The "Quarry" Labs']

#: Kinds of row; all but "good" and "short_ok" are rejected; "blank" is not a row.
BAD_KINDS = ("unknown_stage", "bad_date", "no_lead", "no_stage", "too_long", "duplicate")


@st.composite
def good_row(draw, number: int) -> list[str]:
    day = draw(st.integers(1, 28))
    hour = draw(st.integers(0, 23))
    return [
        f"L{number}",
        f"2024-03-{day:02d} {hour:02d}:00",
        draw(st.sampled_from(STAGE_WORDS)),
        draw(st.sampled_from(CHANNEL_WORDS)),
        draw(st.sampled_from(COMPANIES)),
    ]


@st.composite
def log_rows(draw) -> list[tuple[str, list[str]]]:
    """A file's rows as (kind, cells); the first row is always good."""
    kinds = draw(
        st.lists(
            st.sampled_from(["good", "good", "good", "short_ok", "blank", *BAD_KINDS]),
            min_size=1,
            max_size=25,
        )
    )
    rows: list[tuple[str, list[str]]] = [("good", draw(good_row(0)))]
    for number, kind in enumerate(kinds, start=1):
        cells = draw(good_row(number))
        if kind == "unknown_stage":
            cells[2] = draw(st.sampled_from(["ghosted", "maybe", "???"]))
        elif kind == "bad_date":
            cells[1] = draw(st.sampled_from(["soon", "2024-02-30", "TBD"]))
        elif kind == "no_lead":
            cells[0] = ""
        elif kind == "no_stage":
            cells[2] = " "
        elif kind == "too_long":
            cells = [*cells, "extra", "fields"]
        elif kind == "short_ok":
            cells = cells[:3]  # channel and company omitted: padded, still good
        elif kind == "duplicate":
            earlier = [c for k, c in rows if k in ("good", "short_ok")]
            cells = list(draw(st.sampled_from(earlier)))
        elif kind == "blank":
            cells = []
        rows.append((kind, cells))
    return rows


def write_csv(rows: list[list[str]], path: Path) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for cells in rows:
        if cells:
            writer.writerow(cells)
        else:
            buffer.write("\r\n")
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def load_rows(rows: list[list[str]], name: str = "log.csv", copies: int = 1):
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(rows, Path(folder) / name)
        return na.load([path] * copies if copies > 1 else path)


def identities(events: pd.DataFrame) -> list[tuple]:
    frame = (
        events[list(IDENTITY_COLUMNS)]
        .astype(object)
        .where(events[list(IDENTITY_COLUMNS)].notna(), None)
    )
    return sorted(map(tuple, frame.to_numpy().tolist()), key=repr)


@given(log_rows())
def test_row_conservation_for_any_mix_of_good_and_bad_rows(rows):
    res = load_rows([cells for _, cells in rows])
    summary = res.summary.iloc[0]
    data_rows = [
        (position, kind) for position, (kind, _) in enumerate(rows, start=1) if kind != "blank"
    ]
    assert summary["rows_read"] == len(data_rows)
    assert summary["rows_read"] == summary["rows_kept"] + summary["rows_rejected"]
    bad_positions = {position for position, kind in data_rows if kind in BAD_KINDS}
    # a "duplicate" row may copy a row that was itself never kept: only count true copies
    assert set(res.rejected["source_row"].astype(int)) == bad_positions
    assert len(res.rejected) == summary["rows_rejected"]
    kept_positions = {position for position, kind in data_rows if kind not in BAD_KINDS}
    assert set(res.events["source_row"].astype(int)) == kept_positions
    assert summary["events"] == len(res.events) == len(kept_positions)  # one event per row
    assert res.rejected["reason"].notna().all()
    assert res.rejected["raw"].notna().all()


@settings(max_examples=40)
@given(log_rows(), st.randoms(use_true_random=False))
def test_result_is_independent_of_row_order(rows, random):
    cells = [c for _, c in rows]
    shuffled = list(cells)
    random.shuffle(shuffled)
    a = load_rows(cells)
    b = load_rows(shuffled)
    assert identities(a.events) == identities(b.events)
    for column in ("rows_read", "rows_kept", "rows_rejected", "events", "duplicates"):
        assert a.summary[column].tolist() == b.summary[column].tolist()

    def reasons(res):
        return sorted(
            r.split(" (")[0] if r.startswith("exact duplicate") else r
            for r in res.rejected["reason"]
        )

    assert reasons(a) == reasons(b)


@settings(max_examples=40)
@given(log_rows())
def test_loading_the_same_file_twice_gives_one_copy_of_each_event(rows):
    cells = [c for _, c in rows]
    once = load_rows(cells)
    twice = load_rows(cells, copies=2)
    assert identities(twice.events) == identities(once.events)
    first, second = twice.summary.iloc[0], twice.summary.iloc[1]
    assert first["events"] == len(once.events)
    assert second["events"] == 0
    # every event of the second copy is a duplicate (those of rows duplicated within the
    # file included)
    assert second["duplicates"] == once.summary.loc[0, "events"] + once.summary.loc[0, "duplicates"]
    assert second["rows_rejected"] == second["rows_read"]
    assert (
        twice.summary["rows_read"] == twice.summary["rows_kept"] + twice.summary["rows_rejected"]
    ).all()


cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=12,
)


@settings(max_examples=50)
@given(
    st.lists(st.lists(cell_text, min_size=3, max_size=3), min_size=1, max_size=15),
    st.sampled_from([",", ";", "\t"]),
    st.booleans(),
)
def test_csv_round_trip_on_both_read_paths(rows, delimiter, ragged):
    """Cells come back as written (null texts and blank cells as missing); a ragged row
    switches to the exact reader without changing the other rows."""
    header = ["alpha", "beta", "gamma"]
    written = [r for r in rows if any(r)]  # rows of empty cells are blank rows, skipped
    assume(written)  # (a header alone is an EmptySourceError, tested elsewhere)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(written)
    if ragged:
        writer.writerow(["x", "y", "z", "too many"])
    data = buffer.getvalue().encode()
    table = read_table(data, source="round.csv")
    assert table.rows_read == len(written) + ragged
    assert len(table.rejections) == ragged

    def expected(cell: str) -> str | None:
        return None if cell in NULL_TEXTS else cell

    got = table.frame.astype(object).where(table.frame.notna(), None).to_numpy().tolist()
    want = [[expected(c) for c in r] for r in written]
    # both readers keep cells as written (text is not trimmed at this stage)
    assert got == want


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(
                alphabet=st.sampled_from(
                    [
                        "a",
                        "é",
                        "Z",
                        " ",
                        "\t",
                        "\n",
                        "\u00a0",
                        "\u2028",
                        "\u3000",
                        "\u200a",
                        "ë",
                        "€",
                    ]
                ),
                max_size=6,
            ),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_text_column_trims_exactly_like_arrow(values):
    """The cheap buffer check that skips trimming never skips a value that needs it."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from netanalysis.io.normalize import text_column

    def check(column: list[str | None]) -> None:
        series = pd.Series(column, dtype="str")
        trimmed = pc.utf8_trim_whitespace(pa.array(series)).to_pylist()
        expected = [None if v is None or v == "" else v for v in trimmed]
        got = text_column(series)
        assert [None if pd.isna(v) else v for v in got.tolist()] == expected

    check(values)
    for value in values:  # alone, so that no other value forces the trimming
        check([value])
