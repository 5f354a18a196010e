"""Progress of long jobs (sweeps, validation) for a person at a terminal or a log file.

On a terminal it is a tqdm bar (``tqdm.auto``, so a notebook gets its widget). When the
output is not a terminal (``nohup``, ``> log 2>&1``, a cluster's batch system) a bar would
print nothing useful until the end, so it writes a plain line each time another
:data:`STEP` of the work is done, with the items done, failed, the rate and the time left::

    sweep investment-lhs: 64/256 runs (25%), 1 failed, 12.5 runs/min, about 15 min left
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

#: A plain line is written each time this share of the work is newly done.
STEP = 0.05


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class Progress:
    """Count ``total`` items (``initial`` already done) with a bar or plain lines.

    ``enabled=False`` shows nothing; ``stream`` defaults to stderr, and whether it is a
    terminal chooses between the bar and the lines (``bar`` forces one or the other).
    """

    def __init__(self, total: int, desc: str, unit: str = "run", initial: int = 0, failed: int = 0,
                 enabled: bool = True, stream: TextIO | None = None, bar: bool | None = None) -> None:
        self.total, self.desc, self.unit = total, desc, unit
        self.done, self.failed, self.initial = initial, failed, initial
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self._start = time.monotonic()
        self._bar = None
        self._next_line = 0.0
        use_bar = bar if bar is not None else bool(getattr(self.stream, "isatty", lambda: False)())
        if enabled and use_bar:
            from tqdm.auto import tqdm

            self._bar = tqdm(total=total, initial=initial, unit=unit, desc=desc, file=self.stream,
                             dynamic_ncols=True)
            self._bar.set_postfix(failed=failed)
        elif enabled:
            self._line()

    def update(self, n: int = 1, failed: int = 0) -> None:
        """``n`` more items done, ``failed`` of them failed."""
        self.done += n
        self.failed += failed
        if self._bar is not None:
            if failed:
                self._bar.set_postfix(failed=self.failed)
            self._bar.update(n)
        elif self.enabled and self.total and self.done / self.total >= self._next_line:
            self._line()

    def line(self) -> str:
        """The plain progress line for the current count."""
        share = self.done / self.total if self.total else 1.0
        text = f"{self.desc}: {self.done}/{self.total} {self.unit}s ({share:.0%}), {self.failed} failed"
        new = self.done - self.initial
        elapsed = time.monotonic() - self._start
        if new > 0 and elapsed > 0:
            rate = new / elapsed
            text += f", {rate * 60:.3g} {self.unit}s/min"
            if self.done < self.total:
                text += f", about {_duration((self.total - self.done) / rate)} left"
        return text

    def _line(self) -> None:
        print(self.line(), file=self.stream, flush=True)
        share = self.done / self.total if self.total else 1.0
        self._next_line = (int(share / STEP + 1e-9) + 1) * STEP

    def close(self) -> None:
        """End the bar; a log gets a last line when the work ended between two steps."""
        if self._bar is not None:
            self._bar.close()
        elif self.enabled and self.done < self.total and self.done > self.initial:
            self._line()
