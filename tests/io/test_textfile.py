"""Encodings, delimiters and header lines of text files saved by spreadsheets."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from netanalysis.io.textfile import (
    decode,
    detect_encoding,
    find_header_line,
    line_offset,
    sniff_delimiter,
    split_lines,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "generic"


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("log_basic.csv", "utf-8"),
        ("log_excel_bom.csv", "utf-8-sig"),
        ("log_unicode.txt", "utf-16"),
        ("log_cp1252_semicolon.csv", "cp1252"),
        ("log_latin1.csv", "cp1252"),  # Latin-1 letters read the same in cp1252
    ],
)
def test_detect_encoding_of_spreadsheet_files(name, encoding):
    assert detect_encoding((FIXTURES / name).read_bytes()) == encoding


def test_cp1252_only_characters_decode():
    text, encoding = decode((FIXTURES / "log_cp1252_semicolon.csv").read_bytes())
    assert encoding == "cp1252"
    assert "Zoë Müller" in text
    assert "55.000 € – laut" in text  # € is 0x80 and – is 0x96 in cp1252, not in Latin-1


def test_bytes_undefined_in_cp1252_fall_back_to_latin1():
    data = "Renée".encode("latin-1") + b"\x81"  # 0x81 has no cp1252 character
    assert detect_encoding(data) == "latin-1"
    assert decode(data)[0] == "Renée\x81"


def test_utf16_without_bom_is_recognised_by_its_zero_bytes():
    data = "Lead\tDate\nA1\t2024-03-01\n".encode("utf-16-le")
    assert detect_encoding(data) == "utf-16-le"
    assert decode(data)[0].startswith("Lead\tDate")
    assert detect_encoding("Lead,Date\n".encode("utf-16-be")) == "utf-16-be"


def test_bom_is_removed_from_the_text():
    text, encoding = decode(codecs.BOM_UTF8 + b"Lead,Date\r\n")
    assert (text, encoding) == ("Lead,Date\r\n", "utf-8-sig")
    text, _ = decode("Lead\tDate".encode("utf-16"))
    assert text == "Lead\tDate"


def test_a_utf8_character_cut_at_the_end_of_a_head_is_not_an_error():
    data = "José,Zoë".encode()
    head = data[:-1]  # cuts the two-byte ë
    assert detect_encoding(head) == "cp1252"  # as a whole file it is not UTF-8 ...
    assert detect_encoding(head, complete=False) == "utf-8"  # ... as a head it is
    assert decode(head, complete=False)[0] == "José,Zo"


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2;3\n", ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("a|b|c\n1|2|3\n", "|"),
        # decimal commas inside a semicolon file
        ("lead;salary;stage\nA1;55,5;applied\nA2;60,0;applied\n", ";"),
        # commas inside quoted values of a comma file
        ('lead,notes,stage\nA1,"a, b; c",applied\nA2,"d; e",applied\n', ","),
    ],
)
def test_sniff_delimiter(text, delimiter):
    assert sniff_delimiter(text) == delimiter


def test_sniff_delimiter_ignores_a_preamble():
    text = (FIXTURES / "preamble.csv").read_text()
    assert sniff_delimiter(text) == ","
    assert sniff_delimiter("Exported, 2024\n\nLead\tDate\tStage\nA\t1\tx\nB\t2\ty\n") == "\t"


def test_find_header_line_skips_notes_and_blank_lines():
    text = (FIXTURES / "preamble.csv").read_text()
    index = find_header_line(text, ",")
    assert index == 3
    assert split_lines(text)[index].startswith("Lead,Date,Stage")
    assert text[line_offset(text, index) :].startswith("Lead,Date")


def test_find_header_line_is_zero_for_a_plain_table():
    assert find_header_line("Lead,Date\nA1,2024-03-01\n", ",") == 0
    assert find_header_line("", ",") == 0


def test_split_lines_matches_csv_line_ends_only():
    assert split_lines("a\r\nb\rc\nd\x0ce\u2028f") == ["a\r\n", "b\r", "c\n", "d\x0ce\u2028f"]
    assert line_offset("a\r\nb\rc", 2) == 5
