"""A growable table of numpy columns: the state of collectives, facilities and municipalities.

Many entities of one sort (thousands of collectives, tens of thousands of facilities) are
rows of one table rather than one Python object each, so that a rule updates all of them
with a few array operations. Rows are appended and never reused, so a row number is a
stable id for the whole run.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np


class Table:
    """Columns of equal length; subclasses declare ``FIELDS`` (name: dtype) and ``DEFAULTS``.

    ``table.column`` is the whole allocated array (writable by id); ``table.view(name)`` is
    its live part ``[:n]``. Capacity doubles as rows are added.
    """

    FIELDS: ClassVar[dict[str, Any]] = {}
    #: Value of a column for new rows when :meth:`add` is not given it (0 otherwise).
    DEFAULTS: ClassVar[dict[str, Any]] = {}

    def __init__(self, capacity: int = 1024) -> None:
        """An empty table with room for ``capacity`` rows."""
        self.n = 0
        for name, dtype in self.FIELDS.items():
            setattr(self, name, np.zeros(max(capacity, 1), dtype=dtype))

    def add(self, **columns: Any) -> np.ndarray:
        """Append rows given as equal-length arrays (or scalars); return their ids.

        Columns not given take their ``DEFAULTS`` value, or 0.
        """
        lengths = {len(v) for v in columns.values() if np.ndim(v) > 0}
        if len(lengths) != 1:
            raise ValueError(f"columns of unequal or unknown length: {sorted(lengths)}")
        unknown = set(columns) - self.FIELDS.keys()
        if unknown:
            raise KeyError(f"unknown column(s) {sorted(unknown)}")
        k = lengths.pop()
        self._reserve(self.n + k)
        rows = slice(self.n, self.n + k)
        for name in self.FIELDS:
            getattr(self, name)[rows] = columns.get(name, self.DEFAULTS.get(name, 0))
        self.n += k
        return np.arange(rows.start, rows.stop)

    def _reserve(self, size: int) -> None:
        cap = len(getattr(self, next(iter(self.FIELDS))))
        if size <= cap:
            return
        new_cap = max(size, 2 * cap)
        for name in self.FIELDS:
            old = getattr(self, name)
            new = np.zeros(new_cap, dtype=old.dtype)
            new[:cap] = old
            setattr(self, name, new)

    def view(self, name: str) -> np.ndarray:
        """The live part ``[:n]`` of a column."""
        return getattr(self, name)[: self.n]
