"""Format-specific loaders of exports, registered before the generic table loaders.

One ``register(...)`` line per format; each loader recognises its sources by content
(header or first bytes), so ``na.load(path)`` picks it with ``kind="auto"``.
"""

from __future__ import annotations

from netanalysis.io.registry import register

__all__ = ["register_all"]


def register_all() -> None:
    """Register the export loaders (called once by :mod:`netanalysis.io.builtin`)."""
    from netanalysis.io import ics, mbox  # email and calendar (issue 3, mbox/ics helper)
    from netanalysis.io.linkedin import LINKEDIN_LOADER
    from netanalysis.io.trackers import HUNTR_LOADER, JOBSYNC_LOADER, SIMPLIFY_LOADER

    register(LINKEDIN_LOADER)
    register(HUNTR_LOADER)
    register(SIMPLIFY_LOADER)
    register(JOBSYNC_LOADER)
    register(mbox.LOADER)
    register(ics.LOADER)
