"""Reading sources into canonical events: one module per format, plus the dispatcher.

The core (every format loader builds on it):

- :mod:`~netanalysis.io.load`: ``load()``, the dispatcher, exact-duplicate removal.
- :mod:`~netanalysis.io.registry`: loaders, ``Item``/``Probe``, how a source finds its loader.
- :mod:`~netanalysis.io.builtin`: the generic long-log and wide-sheet loaders.
- :mod:`~netanalysis.io.options`: ``LoadOptions``, the user's options, checked once.
- :mod:`~netanalysis.io.tables`: CSV/TSV, XLSX, Parquet, JSON readers (``read_table``).
- :mod:`~netanalysis.io.textfile`: encodings, delimiters, preambles.
- :mod:`~netanalysis.io.mapping`: column mapping by name and synonym.
- :mod:`~netanalysis.io.dates`: timestamps, day/month order, zones (``parse_timestamps``).
- :mod:`~netanalysis.io.normalize`: raw rows -> checked canonical events (``to_events``).
- :mod:`~netanalysis.io.wide`: wide tracker sheets -> events (``read_wide``).
- :mod:`~netanalysis.io.rejects`: rejected rows with their reasons (``Rejections``).
- :mod:`~netanalysis.io.result`: ``LoadResult`` and the per-source ``SourceResult``.

Format loaders, registered through :mod:`~netanalysis.io.exports`:

- :mod:`~netanalysis.io.linkedin` (with ``linkedin_sheets``, ``linkedin_leads``): the
  LinkedIn data export, zipped (read in memory by :mod:`~netanalysis.io.zipsafe`) or not.
- :mod:`~netanalysis.io.trackers`: Huntr, Simplify and JobSync exports.
- :mod:`~netanalysis.io.mbox`: Gmail/Takeout mailboxes; :mod:`~netanalysis.io.ics`: calendars.
- :mod:`~netanalysis.io.csvrecords`: a tolerant CSV reader that keeps line numbers.

After loading:

- :mod:`~netanalysis.io.link`: ``link()`` joins the same person across sources
  (:mod:`~netanalysis.io.identity` holds the matching keys).
- :mod:`~netanalysis.io.privacy`: pseudonyms and the personal fields present.
- :mod:`~netanalysis.io.scan`: ``scan()``, a lazy DuckDB frame over big files.
"""

from netanalysis.io.load import load
from netanalysis.io.result import LoadResult

__all__ = ["LoadResult", "load"]
