"""Read the members of a zip archive in memory, safely.

Exports arrive zipped (LinkedIn's ``Basic_LinkedInDataExport_03-12-2026.zip``, a Google
Takeout archive). netanalysis never extracts them to disk: members are decompressed into
memory, and a member's name is only a label, never a path. Names that would point
outside the archive (``../x.csv``, ``/etc/x.csv``, ``C:\\x.csv``) are skipped with a note.
A cap on the total uncompressed size, on the compression ratio of each member and on the
number of members stops zip bombs with a clear error naming the file. Members whose name
does not end in one of ``suffixes`` are listed but not decompressed.

Examples:
    >>> import io, zipfile
    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w") as zf:
    ...     zf.writestr("Connections.csv", "First Name,Last Name\\nAda,Byron\\n")
    ...     zf.writestr("../evil.csv", "x")
    ...     zf.writestr("photo.jpg", b"\\xff\\xd8")
    >>> contents = read_zip(buffer.getvalue(), source="export.zip")
    >>> [m.name for m in contents.members]
    ['Connections.csv']
    >>> contents.notes[0]
    "member '../evil.csv' skipped: its name points outside the archive"
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from netanalysis.errors import InputError

__all__ = [
    "DEFAULT_MAX_MEMBERS",
    "DEFAULT_MAX_RATIO",
    "DEFAULT_MAX_UNZIPPED_BYTES",
    "ZipContents",
    "ZipMember",
    "is_safe_member_name",
    "read_zip",
]

#: Total uncompressed bytes of the members read (1 GiB); pass a larger cap for huge exports.
DEFAULT_MAX_UNZIPPED_BYTES: int = 1 << 30
#: Largest uncompressed/compressed ratio allowed for a member above 1 MiB. Text exports
#: compress 5-50x; zip bombs 1,000x and more.
DEFAULT_MAX_RATIO: float = 250.0
#: Most entries an archive may list.
DEFAULT_MAX_MEMBERS: int = 20_000

_RATIO_FLOOR = 1 << 20  # the ratio check applies to members above 1 MiB
_CHUNK = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")

# What zipfile and zlib raise on damaged or hostile archives.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    struct.error,
    KeyError,
    IndexError,
    OverflowError,
    UnicodeDecodeError,
    NotImplementedError,
    RuntimeError,
)


@dataclass(frozen=True)
class ZipMember:
    """One decompressed member: its name in the archive (a label only) and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class ZipContents:
    """The members read, and a note for each entry skipped (with the reason)."""

    members: tuple[ZipMember, ...]
    notes: tuple[str, ...] = field(default=())

    def names(self) -> list[str]:
        """Names of the members read."""
        return [m.name for m in self.members]


def is_safe_member_name(name: str) -> bool:
    """True when a member name stays inside the archive (no ``..``, no absolute path).

    Examples:
        >>> is_safe_member_name("Jobs/Job Applications.csv")
        True
        >>> [is_safe_member_name(n) for n in ("../x.csv", "/etc/x.csv", "C:\\\\x.csv", "a/../../b")]
        [False, False, False, False]
    """
    if not name or "\x00" in name:
        return False
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return False
    parts = re.split(r"[\\/]+", name)
    return ".." not in parts


def _damaged(source: str, exc: BaseException) -> InputError:
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, RuntimeError) and "encrypted" in detail.lower():
        return InputError(
            "the zip archive is encrypted (password protected)",
            file=source,
            hint="unzip it yourself and load the folder",
        )
    if isinstance(exc, NotImplementedError):
        return InputError(
            f"the zip archive uses a compression method Python cannot read ({detail})",
            file=source,
            hint="unzip it with another tool and load the folder",
        )
    return InputError(
        f"the zip archive is truncated or damaged ({detail})",
        file=source,
        hint="download the export again; if it was copied, check that the copy finished",
    )


def _skip_reason(info: zipfile.ZipInfo, suffixes: Sequence[str]) -> str | None:
    name = info.filename
    if info.is_dir():
        return ""  # folders are not notable
    if not is_safe_member_name(name):
        return f"member {name!r} skipped: its name points outside the archive"
    parts = re.split(r"[\\/]+", name)
    if parts[0] == "__MACOSX" or parts[-1].startswith("._") or parts[-1] == ".DS_Store":
        return ""  # macOS metadata
    if suffixes and not name.lower().endswith(tuple(s.lower() for s in suffixes)):
        return ""  # not a format asked for: ignored without a note
    return None


def read_zip(
    data: bytes,
    *,
    source: str,
    suffixes: Sequence[str] = (".csv",),
    max_unzipped_bytes: int = DEFAULT_MAX_UNZIPPED_BYTES,
    max_ratio: float = DEFAULT_MAX_RATIO,
    max_members: int = DEFAULT_MAX_MEMBERS,
    head_bytes: int | None = None,
) -> ZipContents:
    """Decompress the members of a zip archive whose names end in ``suffixes``, in memory.

    Args:
        data: the archive's bytes.
        source: the archive's name, for messages.
        suffixes: member name endings to read (case-insensitive); ``()`` reads every
            member. Others are ignored.
        max_unzipped_bytes: cap on the total uncompressed size of the members read.
        max_ratio: cap on a member's uncompressed/compressed size ratio (above 1 MiB).
        max_members: cap on the number of entries the archive lists.
        head_bytes: read only the first ``head_bytes`` of each member (to detect
            formats cheaply); the size caps then do not apply.

    Raises:
        InputError: the archive is truncated, damaged or encrypted, lists too many
            entries, or is over a size or ratio cap (a zip bomb).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        raise _damaged(source, exc) from exc
    with archive:
        try:
            infos = archive.infolist()
        except _ZIP_ERRORS as exc:  # pragma: no cover - infolist is a plain list
            raise _damaged(source, exc) from exc
        if len(infos) > max_members:
            raise InputError(
                f"the zip archive lists {len(infos):,} entries, more than the cap of "
                f"{max_members:,}",
                file=source,
                hint="this is not an ordinary export; unzip and load the files you need",
            )
        notes: list[str] = []
        wanted: list[zipfile.ZipInfo] = []
        for info in infos:
            reason = _skip_reason(info, suffixes)
            if reason is None:
                wanted.append(info)
            elif reason:
                notes.append(reason)
        if head_bytes is None:
            _check_sizes(wanted, source, max_unzipped_bytes, max_ratio)
        members = []
        total = 0
        for info in wanted:
            limit = head_bytes if head_bytes is not None else max_unzipped_bytes - total
            try:
                content = _read_member(archive, info, limit)
                if head_bytes is not None:
                    content = content[:head_bytes]
            except _ZIP_ERRORS as exc:
                raise _damaged(source, exc) from exc
            if head_bytes is None:
                total += len(content)
                if total > max_unzipped_bytes:
                    raise _over_cap(source, max_unzipped_bytes)
            members.append(ZipMember(info.filename, content))
    return ZipContents(tuple(members), tuple(notes))


def _check_sizes(
    infos: list[zipfile.ZipInfo], source: str, max_unzipped_bytes: int, max_ratio: float
) -> None:
    """Refuse zip bombs from the sizes the archive declares, before decompressing."""
    total = 0
    for info in infos:
        size = info.file_size
        total += size
        if total > max_unzipped_bytes:
            raise _over_cap(source, max_unzipped_bytes)
        packed = info.compress_size
        if size > _RATIO_FLOOR and (packed <= 0 or size / packed > max_ratio):
            ratio = "infinite" if packed <= 0 else f"{size / packed:,.0f}x"
            raise InputError(
                f"member {info.filename!r} would expand from {packed:,} to {size:,} bytes "
                f"(ratio {ratio}, cap {max_ratio:,.0f}x): refused as a possible zip bomb",
                file=source,
                hint="if you trust the file, unzip it yourself and load the folder",
            )


def _over_cap(source: str, cap: int) -> InputError:
    return InputError(
        f"the zip archive's files would take more than {cap:,} bytes once uncompressed: "
        "refused as a possible zip bomb",
        file=source,
        hint="if the export is genuinely that large, pass max_unzipped_bytes= with a larger "
        "cap, or unzip it yourself and load the folder",
    )


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Decompress at most ``limit`` bytes (+1 to notice an overrun) of one member."""
    out = bytearray()
    with archive.open(info) as handle:
        while len(out) <= limit:
            chunk = handle.read(min(_CHUNK, limit + 1 - len(out)))
            if not chunk:
                break
            out += chunk
    return bytes(out)
