"""Reading zip archives in memory: bad names, zip bombs, damage."""

from __future__ import annotations

import contextlib
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netanalysis as na
from netanalysis.errors import InputError, NetAnalysisError
from netanalysis.io.zipsafe import is_safe_member_name, read_zip

NEW = Path(__file__).parents[1] / "fixtures" / "linkedin" / "export_2026"


def make_zip(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def export_members() -> dict[str, bytes]:
    return {
        p.relative_to(NEW).as_posix(): p.read_bytes() for p in sorted(NEW.rglob("*")) if p.is_file()
    }


def test_reads_csv_members_only():
    data = make_zip(
        {"a.csv": b"x,y\n1,2\n", "b.CSV": b"z\n", "photo.jpg": b"\xff\xd8", "dir/": b""}
    )
    contents = read_zip(data, source="e.zip")
    assert contents.names() == ["a.csv", "b.CSV"]
    assert contents.members[0].data == b"x,y\n1,2\n"
    assert contents.notes == ()


@pytest.mark.parametrize(
    "name",
    [
        "../evil.csv",
        "a/../../evil.csv",
        "/etc/evil.csv",
        "\\evil.csv",
        "C:\\evil.csv",
        "..\\evil.csv",
    ],
)
def test_names_outside_the_archive_are_skipped_with_a_note(name):
    data = make_zip({name: b"a,b\n", "ok.csv": b"a,b\n"})
    contents = read_zip(data, source="e.zip")
    assert contents.names() == ["ok.csv"]
    assert len(contents.notes) == 1
    assert "points outside the archive" in contents.notes[0]


def test_load_of_a_zip_with_dot_dot_members(tmp_path):
    members = export_members()
    members["../../Connections.csv"] = members["Connections.csv"]
    path = tmp_path / "export.zip"
    path.write_bytes(make_zip(members))
    res = na.load(path)
    assert "member '../../Connections.csv' skipped" in res.summary["notes"].iloc[0]
    assert not (tmp_path.parent / "Connections.csv").exists()
    assert na.funnel(res.events, by="channel").loc["linkedin"].tolist() == [10, 6, 0, 0]


def test_safe_names():
    assert is_safe_member_name("Basic_LinkedInDataExport_03-12-2026/Jobs/Saved Jobs.csv")
    assert is_safe_member_name("..hidden.csv")  # dots in a name are fine, '..' parts are not
    assert not is_safe_member_name("")
    assert not is_safe_member_name("a\x00.csv")


def test_truncated_zip_is_a_clear_error(tmp_path):
    data = make_zip(export_members())
    path = tmp_path / "Basic_LinkedInDataExport_03-12-2026.zip"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="truncated or damaged") as info:
        na.load(path)
    assert str(path) in str(info.value)
    assert "download the export again" in str(info.value)


def test_corrupted_member_data_is_a_clear_error():
    data = bytearray(make_zip({"a.csv": b"First Name,Last Name\n" * 50}))
    start = data.index(b"a.csv") + len(b"a.csv")  # compressed bytes follow the local header
    data[start + 5] ^= 0xFF
    with pytest.raises(InputError, match="truncated or damaged"):
        read_zip(bytes(data), source="bad.zip")


def test_over_the_size_cap(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(make_zip(export_members()))
    with pytest.raises(InputError, match="more than 1,000 bytes once uncompressed") as info:
        na.load(path, max_unzipped_bytes=1000)
    assert str(path) in str(info.value)
    assert "max_unzipped_bytes=" in str(info.value)
    assert len(na.load(path, max_unzipped_bytes=10_000_000).events) == 19
    with pytest.raises(na.errors.ParameterError, match="max_unzipped_bytes"):
        na.load(path, max_unzipped_bytes=-1)


def test_zip_bomb_ratio_is_refused():
    bomb = make_zip({"messages.csv": b"0" * (8 << 20)})
    assert len(bomb) < 20_000  # 8 MiB of one byte packs to a few KiB
    with pytest.raises(InputError, match="possible zip bomb") as info:
        read_zip(bomb, source="bomb.zip")
    assert "bomb.zip" in str(info.value)
    assert "'messages.csv'" in str(info.value)


def test_a_bomb_in_a_member_not_read_is_harmless():
    data = make_zip({"video.mp4": b"0" * (8 << 20), "a.csv": b"x\n"})
    assert read_zip(data, source="e.zip").names() == ["a.csv"]


def test_declared_sizes_cannot_be_exceeded():
    data = make_zip({"a.csv": b"y" * 5000}, compression=zipfile.ZIP_STORED)
    with pytest.raises(InputError, match="once uncompressed"):
        read_zip(data, source="e.zip", max_unzipped_bytes=4999)


def test_too_many_members():
    data = make_zip({f"f{i}.csv": b"" for i in range(30)})
    with pytest.raises(InputError, match="lists 30 entries"):
        read_zip(data, source="e.zip", max_members=20)


def test_encrypted_member_is_a_clear_error():
    data = bytearray(make_zip({"a.csv": b"a,b\n1,2\n"}))
    local = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    data[local + 6] |= 0x01  # "encrypted" flag in the local header
    data[central + 8] |= 0x01  # and in the central directory
    with pytest.raises(InputError, match="encrypted"):
        read_zip(bytes(data), source="secret.zip")


def test_head_bytes_reads_only_the_start():
    data = make_zip({"a.csv": b"h" * 100_000})
    contents = read_zip(data, source="e.zip", head_bytes=10)
    assert contents.members[0].data == b"h" * 10


@given(st.binary(max_size=3000))
def test_fuzz_arbitrary_bytes(data):
    try:
        contents = read_zip(data, source="fuzz.zip")
    except NetAnalysisError:
        return
    assert all(isinstance(m.data, bytes) for m in contents.members)


@given(st.integers(min_value=0, max_value=10_000), st.binary(min_size=1, max_size=64))
def test_fuzz_damaged_valid_zip(position, noise):
    data = bytearray(make_zip({"a.csv": b"First Name,Last Name\nAda,B\n" * 20, "b.txt": b"x"}))
    position %= len(data)
    data[position : position + len(noise)] = noise
    with contextlib.suppress(NetAnalysisError):
        read_zip(bytes(data), source="fuzz.zip")
