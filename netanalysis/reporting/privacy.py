"""What the report may show: pseudonyms for people, file names instead of paths.

By default (``show_names=False``) no contact name, email address, profile URL or message
text of the input reaches the report:

- the analysis runs on the columns it needs (``seeker, lead, channel, stage, timestamp,
  direction, mode`` and ``by``); free-text and contact columns are dropped first;
- a grouping column that holds people (``by="contact"``, ``"contact_email"``, ...) or
  seekers named by name or address gets stable pseudonyms (``contact-1a2b3c4d5e6f``);
- text that comes from the loaders (notes, reasons for rejection, warnings) is scrubbed:
  every personal value seen in the events or in the rejected rows becomes its pseudonym,
  and any email address or web address left becomes one too.

Pseudonyms are salted HMAC-SHA256 (:func:`netanalysis.io.privacy.pseudonym`). The salt is
yours when you pass ``salt=``; otherwise it is derived from the personal values themselves
(SHA-256 of all of them), so the same data give the same report, and nobody can recompute
a pseudonym from a guessed name without knowing every other name in the data.

File paths: the report names each source by its path relative to the folder that holds
the input you gave (``sample_seeker/tracker.xlsx`` for the folder ``~/x/sample_seeker``,
``log.csv`` for the file ``~/x/log.csv``), never by its full path; the home folder is
written ``~`` wherever it would still appear (e.g. in the command of the stamp).

Examples:
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"lead": ["a"], "contact": ["Jane Doe"],
    ...                    "contact_email": ["jane@example.org"]})
    >>> r = Redactor.build(ev, None, (), show_names=False, salt="keep-this-secret")
    >>> r.text("no reply from Jane Doe <jane@example.org> yet")
    'no reply from contact-8aae4c1ecf53 <email-998a38b5b7d7> yet'
    >>> Redactor.build(ev, None, (), show_names=True).text("Jane Doe")
    'Jane Doe'
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from netanalysis.io.privacy import PERSONAL_COLUMNS as REGISTRY
from netanalysis.io.privacy import personal_fields, pseudonym, scrub_raw

__all__ = [
    "ANALYSIS_COLUMNS",
    "PERSONAL_COLUMNS",
    "Redactor",
    "display_name",
    "home_to_tilde",
]

#: Columns whose values are people or about them (never shown unless ``show_names=True``):
#: those of the privacy registry (:data:`netanalysis.io.privacy.PERSONAL_COLUMNS`) that
#: hold people or sensitive answers (lead and contact ids are identifiers, handled apart).
PERSONAL_COLUMNS: tuple[str, ...] = tuple(
    name for name, column in REGISTRY.items() if column.role in ("person", "sensitive")
)

#: Columns the report's analysis uses (plus ``by``).
ANALYSIS_COLUMNS: tuple[str, ...] = (
    "seeker",
    "lead",
    "channel",
    "stage",
    "timestamp",
    "direction",
    "mode",
)

_PREFIX = {name: column.prefix for name, column in REGISTRY.items()} | {"seeker": "seeker"}
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_URL = re.compile(
    r"\b(?:https?://|www\.)[^\s'\"<>)]+|\b[a-z0-9.-]*linkedin\.com/[^\s'\"<>)]+", re.I
)
_OWNER = re.compile(r"account owner: '([^']+)'")
#: Rejected rows looked at for personal values (beyond, regexes still scrub text).
_MAX_REJECTED = 20_000
#: Personal values shorter than this are not searched for in text (too many false hits).
_MIN_LENGTH = 3


def home_to_tilde(text: str) -> str:
    """Write the user's home folder as ``~``.

    Examples:
        >>> import os
        >>> home_to_tilde(os.path.expanduser("~") + "/x.csv")
        '~/x.csv'
    """
    home = os.path.expanduser("~")
    if home and home not in ("/", "~"):
        text = text.replace(home.rstrip("/") + "/", "~/")
        if text == home:
            return "~"
    return text


def display_name(label: str, roots: Sequence[Path]) -> str:
    """How the report names a source: relative to the folder holding its input.

    Args:
        label: the source label of the load summary (a path, or ``<DataFrame>``).
        roots: the paths the user passed (files or folders).

    Examples:
        >>> display_name("/home/u/search/log.csv", [Path("/home/u/search")])
        'search/log.csv'
        >>> display_name("/home/u/search/log.csv", [])
        'log.csv'
        >>> display_name("<DataFrame>", [])
        '<DataFrame>'
    """
    if label.startswith("<"):
        return label
    path = Path(label)
    absolute = Path(os.path.abspath(path))
    for root in roots:
        root_abs = Path(os.path.abspath(root))
        if absolute == root_abs or root_abs in absolute.parents:
            base = root_abs.parent
            return absolute.relative_to(base).as_posix()
    return path.name or label


def _text_values(values: pd.Series) -> pd.Series:
    """The distinct values of a column, as text, missing ones left out."""
    return pd.Series(values.unique()).dropna().astype("str")


def _looks_personal(value: str) -> bool:
    return bool(_EMAIL.search(value) or _URL.search(value) or " " in value.strip())


@dataclass
class Redactor:
    """Scrubs personal values and paths from text bound for the report.

    Attributes:
        show_names: when True, only paths are rewritten (names are shown as they are).
        salt: the pseudonym salt (bytes).
        values: personal value -> pseudonym (longest values are replaced first).
        paths: source label -> display name.
        personal_by: the grouping column holds people: its labels get pseudonyms.
    """

    show_names: bool
    salt: bytes
    values: dict[str, str] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    personal_by: bool = False
    _pattern: re.Pattern[str] | None = None

    @classmethod
    def build(
        cls,
        events: pd.DataFrame,
        rejected: pd.DataFrame | None,
        notes: Iterable[str],
        *,
        show_names: bool,
        salt: str | bytes | None = None,
        by: str | None = None,
        sources: Mapping[str, str] | None = None,
        personal: Iterable[str] = (),
    ) -> Redactor:
        """Collect the personal values of the data and choose the salt.

        Args:
            events: the loaded events (any extra columns included).
            rejected: the rejected rows (their raw values are looked at), or None.
            notes: loader notes (an account owner named there is personal too).
            show_names: keep names as they are.
            salt: your pseudonym salt; None derives one from the data.
            by: the grouping column of the report.
            sources: source label -> display name.
            personal: other personal values, e.g. the ``me=`` load option (your name and
                address), which the stamp's parameters and command would otherwise show.
        """
        found: dict[str, str] = {}
        if not show_names:
            for value in personal:
                kind = "email" if _EMAIL.fullmatch(str(value).strip()) else "contact"
                _add(found, str(value), kind)
            columns = [c for c in PERSONAL_COLUMNS if c in events.columns]
            columns += [
                f.column
                for f in personal_fields(events.head(5000))
                if f.column not in columns and f.column not in ("lead", "seeker")
            ]
            for column in columns:
                kind = _PREFIX.get(column, "contact")
                separator = REGISTRY[column].separator if column in REGISTRY else None
                for value in _text_values(events[column]):
                    for item in value.split(separator) if separator else [value]:
                        _add(found, item, kind)
            if "lead" in events.columns:
                leads = _text_values(events["lead"])
                for value in leads[leads.str.startswith("linkedin:name:")]:
                    _add(found, str(value).removeprefix("linkedin:name:"), "contact")
            if "seeker" in events.columns:
                for value in _text_values(events["seeker"]):
                    if _looks_personal(str(value)):
                        _add(found, str(value), "seeker")
            if rejected is not None and len(rejected):
                _from_rejected(found, rejected.head(_MAX_REJECTED))
            for note in notes:
                for match in _OWNER.finditer(note):
                    _add(found, match.group(1), "contact")
        salt_bytes = _salt(salt, found)
        values = {v: pseudonym(v, salt=salt_bytes, prefix=kind) for v, kind in found.items()}
        personal_by = not show_names and by is not None and _personal_column(events, by, found)
        return cls(
            show_names=show_names,
            salt=salt_bytes,
            values=values,
            paths=dict(sources or {}),
            personal_by=personal_by,
        )

    def text(self, text: str) -> str:
        """Loader text with paths shortened and (unless show_names) personal values replaced."""
        for label in sorted(self.paths, key=len, reverse=True):
            if label and label in text:
                text = text.replace(label, self.paths[label])
        text = home_to_tilde(text)
        if self.show_names:
            return text
        if self.values:
            text = self._values_pattern().sub(lambda m: self.values[m.group(0)], text)
        text = _EMAIL.sub(lambda m: pseudonym(m.group(0), salt=self.salt, prefix="email"), text)
        return _URL.sub(lambda m: pseudonym(m.group(0), salt=self.salt, prefix="url"), text)

    def _values_pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            ordered = sorted(self.values, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(v) for v in ordered))
        return self._pattern

    def frame(self, events: pd.DataFrame, by: str) -> pd.DataFrame:
        """The events the analysis may see: needed columns only, people pseudonymised."""
        keep = [c for c in (*ANALYSIS_COLUMNS, by) if c in events.columns]
        out = events[list(dict.fromkeys(keep))]
        if self.show_names:
            return out
        out = out.copy()
        if self.personal_by:
            out[by] = _pseudonymise_column(out[by], self.salt, _PREFIX.get(by, "contact"))
        return out


def _personal_column(events: pd.DataFrame, by: str, found: Mapping[str, str]) -> bool:
    """Whether the grouping column holds people (by name, or by its values)."""
    if by in PERSONAL_COLUMNS:
        return True
    if by not in events.columns or by in ANALYSIS_COLUMNS[1:]:
        return False
    if by == "seeker":
        return any(kind == "seeker" for kind in found.values())
    return bool(personal_fields(events[[by]].head(5000)))


def _pseudonymise_column(values: pd.Series, salt: bytes, prefix: str) -> pd.Series:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.array(
        [pseudonym(str(u), salt=salt, prefix=prefix) for u in uniques] + [None], dtype=object
    )
    replaced = pd.Series(mapped[codes], index=values.index, dtype=object)
    return replaced.astype("str").where(replaced.notna())


def _add(found: dict[str, str], value: str, kind: str) -> None:
    value = str(value).strip()
    if len(value) >= _MIN_LENGTH and value not in found:
        found[value] = kind


def _from_rejected(found: dict[str, str], rejected: pd.DataFrame) -> None:
    """Values the privacy rules call personal (names, addresses) or text, in rejected rows."""
    probe = b"report-probe-salt"
    for raw in rejected["raw"].dropna().astype(str):
        try:
            record = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if not isinstance(record, dict):
            continue
        scrubbed = json.loads(scrub_raw(record, salt=probe) or "{}")
        for key, value in record.items():
            if value is None or isinstance(value, (bool, int, float)):
                continue
            if scrubbed.get(str(key)) != value:
                kind = "email" if _EMAIL.fullmatch(str(value).strip()) else "contact"
                _add(found, str(value), kind)
    if "column" in rejected.columns and "value" in rejected.columns:
        personal = rejected["column"].astype(str).str.lower().isin(PERSONAL_COLUMNS)
        for value in rejected.loc[personal, "value"].dropna().astype(str):
            _add(found, value, "contact")


def _salt(salt: str | bytes | None, found: Mapping[str, str]) -> bytes:
    if salt is not None:
        return salt if isinstance(salt, bytes) else salt.encode("utf-8")
    digest = hashlib.sha256(b"netanalysis report pseudonyms\0")
    for value in sorted(found):
        digest.update(value.encode("utf-8") + b"\0")
    return digest.hexdigest().encode("ascii")
