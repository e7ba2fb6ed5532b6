"""Reading tabular files: formats, encodings, delimiters, row shapes, empty files."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from netanalysis.errors import EmptySourceError, InputError, UnknownFormatError
from netanalysis.io.tables import read_table, sniff_format

FIXTURES = Path(__file__).parent.parent / "fixtures" / "generic"

BASIC_COLUMNS = ["Date", "Lead ID", "Company", "Contact", "Channel", "Status", "Direction", "Notes"]


def read(name: str):
    return read_table(FIXTURES / name, source=name)


def test_basic_csv():
    table = read("log_basic.csv")
    assert table.format == "csv"
    assert list(table.frame.columns) == BASIC_COLUMNS
    assert table.rows_read == len(table.frame) == 10
    assert table.source_rows.tolist() == list(range(1, 11))
    assert table.frame.loc[1, "Notes"] == "Noor works on the data team, said to apply"
    assert pd.isna(table.frame.loc[0, "Contact"])  # an empty cell is missing
    assert str(table.frame["Date"].dtype) == "str"
    assert table.notes == []


@pytest.mark.parametrize(
    ("name", "encoding", "fmt"),
    [
        ("log_excel_bom.csv", "utf-8-sig", "csv"),  # Excel "CSV UTF-8": BOM and CRLF
        ("log_unicode.txt", "utf-16", "tsv"),  # Excel "Unicode text": UTF-16, tabs
        ("log_tabs.tsv", None, "tsv"),
    ],
)
def test_spreadsheet_encodings_and_delimiters_read_the_same_table(name, encoding, fmt):
    expected = read("log_basic.csv").frame
    table = read(name)
    assert table.format == fmt
    pd.testing.assert_frame_equal(table.frame, expected)
    notes = "; ".join(table.notes)
    if encoding:
        assert f"read as {encoding}" in notes
    if fmt == "tsv":
        assert "fields separated by '\\t'" in notes


def test_cp1252_semicolon_file():
    table = read("log_cp1252_semicolon.csv")
    assert list(table.frame.columns) == [
        "Datum",
        "Vorgang",
        "Firma",
        "Kontakt",
        "Kanal",
        "Status",
        "Notiz",
    ]
    assert table.frame["Kontakt"].tolist() == ["Zoë Müller", "José Peña", "Zoë Müller"]
    assert table.frame.loc[0, "Notiz"] == "Gehalt 55.000 € – laut Zoë"
    assert table.frame.loc[1, "Firma"] == "Peña & Söhne"
    assert "read as cp1252" in table.notes[0]
    assert "fields separated by ';'" in table.notes


def test_latin1_file():
    table = read("log_latin1.csv")
    assert table.frame["Company"].tolist() == ["Café Léon", "Café Léon", "Crêperie Noël"]
    assert table.frame["Contact"].iloc[2] == "Anaïs Dubé"


def test_bytes_and_path_give_the_same_table():
    for name in ("log_basic.csv", "log_unicode.txt", "ragged.csv", "blank_lines.csv"):
        from_path = read_table(FIXTURES / name, source=name)
        from_bytes = read_table((FIXTURES / name).read_bytes(), source=name)
        pd.testing.assert_frame_equal(from_path.frame, from_bytes.frame)
        assert from_path.source_rows.tolist() == from_bytes.source_rows.tolist()
        assert from_path.notes == from_bytes.notes


def test_ragged_rows_policy():
    """Too many fields: rejected with the row number and raw fields. Too few: padded."""
    table = read("ragged.csv")
    assert table.rows_read == 6
    assert table.source_rows.tolist() == [1, 3, 4, 5, 6]
    [rejected] = table.rejections.records
    assert rejected["source_row"] == 2
    assert "7 fields but the header has 5" in rejected["reason"]
    raw = json.loads(rejected["raw"])
    assert raw["Lead"] == "R-2"
    assert raw["extra_1"] == "Senior analyst"
    assert raw["extra_2"] == "remote"
    frame = table.frame.set_index(pd.Index(table.source_rows))
    assert pd.isna(frame.loc[3, "Channel"])  # padded
    assert pd.isna(frame.loc[3, "Company"])
    assert frame.loc[4, "Company"] == "Cobalt Health"  # trailing delimiter accepted
    assert frame.loc[5, "Company"] == "Driftwood Energy, Inc."
    assert any("2 row(s) had fewer fields than the header (row 3, 6)" in n for n in table.notes)
    assert len(table.frame) + len(table.rejections) == table.rows_read


def test_excel_sep_line_names_the_delimiter():
    table = read_table(b"sep=;\r\nLead;Date;Stage\r\nA1;2024-03-01;applied\r\n", source="x.csv")
    assert list(table.frame.columns) == ["Lead", "Date", "Stage"]
    assert table.frame["Lead"].tolist() == ["A1"]


def test_an_unnamed_empty_column_from_a_trailing_delimiter_is_dropped():
    table = read_table(b"Lead,Date,Stage,\nA1,2024-03-01,applied,\n", source="x.csv")
    assert list(table.frame.columns) == ["Lead", "Date", "Stage"]
    table = read_table(b"Lead,,Stage\nA1,x,applied\n", source="x.csv")
    assert list(table.frame.columns) == ["Lead", "column_2", "Stage"]  # it has a value


def test_a_header_shorter_than_most_rows_is_widened():
    table = read_table(
        b"Lead,Date\nA1,2024-03-01,applied\nA2,2024-03-02,offer\nA3\n", source="x.csv"
    )
    assert list(table.frame.columns) == ["Lead", "Date", "column_3"]
    assert table.frame["column_3"].tolist()[:2] == ["applied", "offer"]
    assert table.rows_read == 3
    assert len(table.rejections) == 0
    assert "the extra columns are named column_3" in table.notes[0]


def test_undecodable_bytes_in_a_skipped_row_are_still_read(tmp_path):
    data = b"Lead,Name\nA1,Avery\nA2,Ren" + "é".encode("cp1252") + b",extra\n"
    table = read_table(data, source="x.csv")
    assert "read as cp1252" in table.notes[0]
    assert json.loads(table.rejections.records[0]["raw"])["Name"] == "René"


def test_blank_rows_are_skipped_but_keep_positions():
    table = read("blank_lines.csv")
    assert table.frame["Lead"].tolist() == ["K-1", "K-2"]
    # spreadsheet row = header row + source_row: blank rows 1 and 3 still count
    assert table.source_rows.tolist() == [2, 4]
    assert table.rows_read == 2
    assert "2 blank row(s) skipped" in table.notes


def test_preamble_lines_are_skipped():
    table = read("preamble.csv")
    assert list(table.frame.columns) == ["Lead", "Date", "Stage", "Channel"]
    assert table.source_rows.tolist() == [1, 2]
    assert "skipped 3 line(s) before the header" in table.notes


def test_formula_looking_cells_stay_text_in_csv():
    table = read("formulas.csv")
    company = table.frame["Company"].tolist()
    assert company == [
        '=HYPERLINK("https://acme.example/jobs/7","Acme Analytics")',
        "@SUM(1+1)",
        "=1+1",
    ]
    assert table.frame["Posting"].tolist() == [
        '=HYPERLINK("https://acme.example/jobs/7","posting")',
        "+1 555 0100",
        "-2+3",
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "the file is empty"),
        ("excel_empty_bom.csv", "the file is empty"),  # Excel saves an empty sheet as a BOM
        ("header_only.csv", "the file has a header but no data rows"),
    ],
)
def test_empty_and_header_only_files_raise_a_clear_error(name, message):
    with pytest.raises(EmptySourceError, match=message) as info:
        read(name)
    assert info.value.file == name
    assert info.value.hint


def test_only_blank_rows_below_the_header_is_header_only():
    with pytest.raises(EmptySourceError, match="header but no data rows"):
        read_table(b"Lead,Date\n\n,\n\n", source="x.csv")
    # a row of spaces is not empty: it is a row (normalisation rejects it, nothing is lost)
    table = read_table(b"Lead,Date\n\n , \n", source="x.csv")
    assert (table.rows_read, table.source_rows.tolist()) == (1, [2])


def test_empty_json_list():
    with pytest.raises(EmptySourceError, match="no records"):
        read_table(b"[]", source="x.json")


def test_newlines_inside_quoted_values_across_read_blocks():
    """pyarrow first reads assuming no newline in values; a multi-line value that falls on
    a block boundary makes it read again allowing them: values must come back intact."""
    rng = np.random.default_rng(5)
    notes = ["plain", "two\nlines", "comma, and\nnewline", 'a "quote"\n\nand blank line']
    picks = rng.integers(0, 4, 60_000)
    rows = [(f"N{i}", "2024-03-01", "applied", notes[k]) for i, k in enumerate(picks)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Lead", "Date", "Stage", "Notes"])
    writer.writerows(rows)
    data = buffer.getvalue().encode()
    assert len(data) > 2 * 2**20  # spans several of pyarrow's 1 MB blocks
    table = read_table(data, source="notes.csv")
    assert table.rows_read == len(rows)
    assert table.frame["Notes"].tolist() == [r[3] for r in rows]
    assert table.frame["Lead"].tolist() == [r[0] for r in rows]


def test_invalid_utf8_after_the_head_falls_back_to_cp1252(tmp_path):
    lines = ["Lead,Date,Stage,Contact"] + [f"A{i},2024-03-01,applied,Avery" for i in range(12_000)]
    data = ("\n".join(lines) + "\n").encode() + "Z1,2024-03-02,applied,Renée\n".encode("cp1252")
    path = tmp_path / "late.csv"
    path.write_bytes(data)
    assert len(data) > 256 * 1024  # the bad byte is beyond the head that is sniffed
    table = read_table(path, source="late.csv")
    assert table.frame["Contact"].iloc[-1] == "Renée"
    assert "read as cp1252" in table.notes[0]


# --------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------


def _tracker_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Applications"
    sheet.append(["My job search 2024"])
    sheet.append([])
    sheet.append(["Company", "Applied Date", "Status", "Source", "Posting", "Job number", None])
    sheet.append(
        [
            "Acme Analytics",
            dt.datetime(2024, 3, 1, 9, 30),
            "Applied",
            "Indeed",
            '=HYPERLINK("https://acme.example/jobs/7","posting")',
            1001,
            None,
        ]
    )
    sheet.append(
        ["Bluefin Logistics", dt.datetime(2024, 3, 4), "Phone screen", "Referral", None, 1002]
    )
    sheet.append([None, None, None, None, None, None])
    sheet.append(["Cobalt Health", "2024-03-09", "Applied", "LinkedIn", "=1+1", 1003.0])
    book.create_sheet("Notes").append(["ideas"])
    book.save(path)
    return path


def _with_cached_values(path: Path, values: dict[str, str]) -> Path:
    """Add the cached results Excel stores beside formulas (openpyxl writes none)."""
    out = path.with_name("saved_by_excel.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for ref, value in values.items():
                    text = re.sub(
                        rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?',
                        rf'<c r="{ref}" t="str"><f>\2</f><v>{value}</v>',
                        text,
                    )
                data = text.encode()
            dst.writestr(item, data)
    return out


def test_xlsx_tracker(tmp_path):
    table = read_table(_tracker_workbook(tmp_path / "tracker.xlsx"), source="tracker.xlsx")
    assert table.format == "xlsx"
    assert list(table.frame.columns) == [
        "Company",
        "Applied Date",
        "Status",
        "Source",
        "Posting",
        "Job number",
    ]  # the unnamed empty column is formatting and is dropped
    assert table.source_rows.tolist() == [1, 2, 4]  # the blank row 3 keeps its place
    assert table.frame["Job number"].tolist() == ["1001", "1002", "1003"]
    # a column mixing date cells and text becomes text; the date parser reads both
    assert table.frame["Applied Date"].tolist() == [
        "2024-03-01 09:30:00",
        "2024-03-04 00:00:00",
        "2024-03-09",
    ]
    notes = "; ".join(table.notes)
    assert "read sheet 'Applications'; other sheets not read: ['Notes']" in notes
    assert "skipped 2 row(s) above the header" in notes
    assert "1 blank row(s) skipped" in notes


def test_xlsx_formulas_are_never_evaluated(tmp_path):
    """A formula never computed (file written by a program) is kept as its text; with a
    cached value (the file was saved by a spreadsheet) the value shown is read, as a CSV
    export would give. pandas.read_excel gives the cached value too (None without it)."""
    path = _tracker_workbook(tmp_path / "tracker.xlsx")
    table = read_table(path, source="tracker.xlsx")
    posting = table.frame["Posting"].tolist()
    assert posting[0] == '=HYPERLINK("https://acme.example/jobs/7","posting")'
    assert posting[2] == "=1+1"  # kept as text, not 2
    assert "2 formula cell(s) had no computed value" in "; ".join(table.notes)
    assert pd.read_excel(path, header=2)["Posting"].isna().all()  # what pandas gives

    saved = _with_cached_values(path, {"E4": "posting", "E7": "2"})
    table = read_table(saved, source="saved.xlsx")
    assert table.frame["Posting"].tolist()[0] == "posting"
    assert table.frame["Posting"].tolist()[2] == "2"
    assert not any("formula" in n for n in table.notes)
    assert pd.read_excel(saved, header=2)["Posting"].tolist()[0] == "posting"


def test_xlsx_date_cells_stay_datetimes(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Lead", "When", "Stage"])
    book.active.append(["A1", dt.datetime(2024, 3, 1, 9, 30), "applied"])
    book.active.append(["A2", dt.datetime(2024, 3, 2), "applied"])
    book.save(tmp_path / "log.xlsx")
    table = read_table(tmp_path / "log.xlsx", source="log.xlsx")
    assert str(table.frame["When"].dtype).startswith("datetime64")
    assert table.frame["When"].iloc[0] == pd.Timestamp("2024-03-01 09:30")


def test_xlsx_with_header_only(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Lead", "Date", "Stage"])
    book.save(tmp_path / "empty.xlsx")
    with pytest.raises(EmptySourceError, match="workbook has a header but no data rows"):
        read_table(tmp_path / "empty.xlsx", source="empty.xlsx")
    book = openpyxl.Workbook()
    book.save(tmp_path / "blank.xlsx")
    with pytest.raises(EmptySourceError):
        read_table(tmp_path / "blank.xlsx", source="blank.xlsx")


# --------------------------------------------------------------------------------------
# Parquet, JSON
# --------------------------------------------------------------------------------------


def test_parquet_keeps_types(tmp_path):
    frame = pd.DataFrame(
        {
            "lead": ["a", "b"],
            "stage": ["applied", "offer"],
            "when": pd.to_datetime(["2024-03-01 09:00", "2024-03-02 10:00"], utc=True),
            "n": [1, 2],
        }
    )
    frame.to_parquet(tmp_path / "log.parquet")
    table = read_table(tmp_path / "log.parquet", source="log.parquet")
    assert table.format == "parquet"
    assert table.rows_read == 2
    assert str(table.frame["when"].dtype).startswith("datetime64")
    assert table.frame["n"].tolist() == [1, 2]


def test_broken_parquet_raises_input_error():
    with pytest.raises(InputError, match="Parquet file cannot be read"):
        read_table(b"PAR1 not really parquet", source="x.parquet")


def test_json_array():
    table = read("events.json")
    assert table.format == "json"
    assert json.loads(table.frame["tags"].iloc[0]) == ["remote", "data"]
    assert pd.isna(table.frame["tags"].iloc[1])
    assert table.frame["salary"].iloc[2] == "55000"  # numbers become text like other cells


def test_json_object_holding_one_list():
    table = read("events_nested.json")
    assert table.frame["lead"].tolist() == ["N-1", "N-2"]
    assert "exported" not in table.frame


def test_json_lines_reject_bad_lines_by_line_number():
    table = read("events.jsonl")
    assert table.format == "jsonl"
    assert table.rows_read == 5
    assert table.source_rows.tolist() == [1, 2, 6]  # line numbers (line 3 is blank)
    reasons = {r["source_row"]: r["reason"] for r in table.rejections.records}
    assert reasons[4].startswith("malformed JSON")
    assert reasons[5] == "the record is not a JSON object"


def test_malformed_json_array_raises():
    with pytest.raises(InputError, match="cannot be parsed"):
        read_table(b'[{"lead": "a",]', source="x.json")


def test_sniff_format():
    assert sniff_format(b"PAR1xxxx") == "parquet"
    assert sniff_format(b"BEGIN:VCALENDAR\r\n") == "ics"
    assert sniff_format(b"From someone@example.com Mon\nSubject: x\n") == "mbox"
    assert sniff_format(b'  [{"a": 1}]') == "json"
    assert sniff_format(codecs.BOM_UTF8 + b'{"a": 1}') == "json"
    assert sniff_format(b"lead,stage\n") == "text"
    assert sniff_format(b"   \n\t") == "empty"
    assert sniff_format(codecs.BOM_UTF16_LE) == "empty"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Connections.csv", "a,b\n")
    assert sniff_format(buffer.getvalue()) == "zip"


def test_a_zip_is_not_a_table():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("x.csv", "a,b\n")
    with pytest.raises(UnknownFormatError, match="zip file, not a table"):
        read_table(buffer.getvalue(), source="x.zip")
