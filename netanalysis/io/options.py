"""Options shared by every loader, checked once.

Examples:
    >>> LoadOptions(tz="Europe/Paris").default_seeker
    'me'
    >>> LoadOptions(mapping={"When": "time"})
    Traceback (most recent call last):
    ...
    netanalysis.errors.ParameterError: mapping={'When': 'time'}: 'time' is not a canonical column. Map to one of ['seeker', 'lead', 'channel', 'stage', 'timestamp', 'contact', 'company', 'direction']. Did you mean 'timestamp'?
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from netanalysis.errors import ParameterError, check_choice, closest
from netanalysis.schema import CHANNELS, EVENT_COLUMNS, STAGES

__all__ = ["MAPPABLE", "Errors", "LoadOptions"]

Errors = Literal["quarantine", "raise"]

#: Canonical columns a source may provide (source and source_row are set by the loader).
MAPPABLE: tuple[str, ...] = tuple(c for c in EVENT_COLUMNS if c not in ("source", "source_row"))


@dataclass(frozen=True)
class LoadOptions:
    """What the user asked of ``na.load``, validated.

    Attributes:
        mapping: file column -> canonical column.
        channel_map: raw channel label -> channel of the taxonomy.
        stage_map: raw stage label -> stage (for the user's own status words).
        seeker: seeker id for sources that name none (default ``"me"``).
        tz: zone of timestamps written without one.
        dayfirst: order of numeric dates such as ``03/04/2024``: ``True`` day first,
            ``False`` month first (values that do not fit are rejected), ``None`` decide
            per file from the values (a warning when they cannot decide).
        errors: ``"quarantine"`` sets bad rows aside; ``"raise"`` stops at the first.
        kind: ``"auto"`` or a loader name (``"long"``, ``"wide"``, ...).
        extra: format-specific options (e.g. ``me=`` for exports), by loader.
        partial_mapping: True when ``mapping`` may name columns a source lacks (a load
            of several sources: each uses the entries that fit it).
    """

    mapping: Mapping[str, str] | None = None
    channel_map: Mapping[str, str] | None = None
    stage_map: Mapping[str, str] | None = None
    seeker: str | None = None
    tz: str = "UTC"
    dayfirst: bool | None = None
    errors: Errors = "quarantine"
    kind: str = "auto"
    extra: Mapping[str, Any] = field(default_factory=dict)
    partial_mapping: bool = False

    def __post_init__(self) -> None:
        check_choice("errors", self.errors, ("quarantine", "raise"), where="load")
        if self.dayfirst is not None and not isinstance(self.dayfirst, bool):
            raise ParameterError(
                f"The 'dayfirst' parameter of load must be True, False or None. "
                f"Got {self.dayfirst!r} instead."
            )
        if self.seeker is not None and not str(self.seeker).strip():
            raise ParameterError("The 'seeker' parameter of load must be a non-empty name.")
        try:
            ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            raise ParameterError(
                f"The 'tz' parameter of load must be an IANA time zone such as 'UTC' or "
                f"'America/New_York'. Got {self.tz!r} instead."
            ) from exc
        targets: dict[str, str] = {}
        for src, dst in (self.mapping or {}).items():
            if dst not in MAPPABLE:
                hint = closest(str(dst), MAPPABLE)
                raise ParameterError(
                    f"mapping={{{src!r}: {dst!r}}}: {dst!r} is not a canonical column. "
                    f"Map to one of {list(MAPPABLE)}."
                    + (f" Did you mean {hint!r}?" if hint else "")
                )
            if dst in targets:
                raise ParameterError(
                    f"mapping maps both {targets[dst]!r} and {src!r} to {dst!r}; map one "
                    "column to each canonical column."
                )
            targets[dst] = src
        for label, channel in (self.channel_map or {}).items():
            if channel not in CHANNELS:
                raise ParameterError(
                    f"channel_map={{{label!r}: {channel!r}}}: {channel!r} is not a channel. "
                    f"Use one of {list(CHANNELS)}."
                )
        for label, stage in (self.stage_map or {}).items():
            if stage not in STAGES:
                raise ParameterError(
                    f"stage_map={{{label!r}: {stage!r}}}: {stage!r} is not a stage. "
                    f"Use one of {list(STAGES)}."
                )

    @property
    def default_seeker(self) -> str:
        return self.seeker if self.seeker is not None else "me"
