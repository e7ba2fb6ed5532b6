"""One display mixin for every result: ``to_pandas()``, ``to_html()``, ``_repr_html_``.

Results are frozen dataclasses whose fields hold small pandas tables. The same object
renders in a notebook, in the terminal and in the HTML report.

Examples:
    >>> from dataclasses import dataclass
    >>> import pandas as pd
    >>> @dataclass(frozen=True, repr=False)
    ... class Demo(Result):
    ...     table: pd.DataFrame
    ...     def to_pandas(self) -> pd.DataFrame:
    ...         return self.table.copy()
    >>> r = Demo(pd.DataFrame({"n": [3]}))
    >>> "<table" in r.to_html()
    True
"""

from __future__ import annotations

import dataclasses
import html
from typing import ClassVar

import pandas as pd

__all__ = ["Result", "frame_to_html"]


def frame_to_html(frame: pd.DataFrame, *, float_format: str = "{:.3g}", index: bool = True) -> str:
    """Render a small table as HTML with readable numbers (no styling, no scripts).

    Examples:
        >>> "0.123" in frame_to_html(pd.DataFrame({"rate": [0.12345]}))
        True
    """
    return frame.to_html(
        index=index,
        float_format=lambda x: float_format.format(x),
        na_rep="–",
        border=0,
        classes="na-table",
        escape=True,
    )


class Result:
    """Mixin for frozen result dataclasses holding DataFrames.

    Subclasses name their main table field in ``_main`` (then :meth:`to_pandas` returns a
    copy of it and the display shows it alone) or implement :meth:`to_pandas` themselves;
    they may override :meth:`finding` (a sentence in plain words) and :meth:`_tables`.
    Tables whose index means nothing (a default range) set ``_show_index = False``.
    """

    _show_index: ClassVar[bool] = True
    _main: ClassVar[str | None] = None

    def to_pandas(self) -> pd.DataFrame:
        """The main table (a copy)."""
        if self._main is None:  # pragma: no cover - subclasses name it or override
            raise NotImplementedError
        return getattr(self, self._main).copy()

    def finding(self) -> str:
        """The result in plain words, with its caveats ('' when there is nothing to say)."""
        return ""

    def _tables(self) -> dict[str, pd.DataFrame]:
        if self._main is not None:
            return {self._main: getattr(self, self._main)}
        tables: dict[str, pd.DataFrame] = {}
        for field in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, field.name)
            if isinstance(value, pd.DataFrame):
                tables[field.name] = value
        return tables or {"result": self.to_pandas()}

    def to_html(self) -> str:
        """HTML for notebooks and reports: the finding, then each table."""
        parts = [f"<div class='na-result'><strong>{type(self).__name__}</strong>"]
        text = self.finding()
        if text:
            parts.append(f"<p>{html.escape(text)}</p>")
        tables = self._tables()
        for name, table in tables.items():
            if len(tables) > 1:
                parts.append(f"<p><em>.{html.escape(name)}</em></p>")
            parts.append(frame_to_html(table, index=self._show_index))
        parts.append("</div>")
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__}"]
        text = self.finding()
        if text:
            lines.append(text)
        for name, table in self._tables().items():
            lines.append(f".{name}:")
            with pd.option_context("display.width", 120, "display.max_columns", 20):
                lines.append(table.to_string(index=self._show_index))
        return "\n".join(lines)
