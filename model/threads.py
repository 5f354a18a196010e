"""Citizen passes split over threads, with results that do not depend on how many.

The longest passes over citizens (participation, meeting, trust, who could lead, burnout, the
outcome sums, matching the citizen sample, the network's build) are compiled loops that
release the GIL (``nogil``). Each takes a range ``lo:hi`` of citizens and writes only those
citizens' values, so :func:`run` can hand ranges to threads: every value is computed by the
same operations in the same order whatever the number of threads, and results stay bit for
bit the same (``tests/test_threads.py`` compares whole runs on one thread and on several).
Large uniform draws are split too (:func:`uniform`). The loops run over an unsigned index,
``range(np.uint64(lo), np.uint64(hi))``: with a signed start numba checks every index for
wrap-around and the loop no longer vectorises (docs/performance.md).

Python threads running these loops need no threading layer of numba's: its default one
(workqueue) ends the process when two threads launch parallel loops at once, which the
dashboard's sessions and Dask's threaded workers would do (docs/performance.md).

A run uses every core this process may use (at most :data:`MAX_THREADS`), and one thread per
:data:`MIN_PER_THREAD` citizens at most: below that, handing a range to a thread costs more
than it saves. Sweeps, which already run one process per core, set one thread per process
(:func:`set_threads`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import numpy as np

#: Most threads a pass is split over (more cores gain little on passes of a few ms).
MAX_THREADS = 8
#: Fewest citizens per thread: a hand-off costs some 0.05 ms, a pass over 50,000 citizens ~1 ms.
MIN_PER_THREAD = 50_000
#: Fewest uniform draws per thread (a draw takes about 2 ns).
MIN_DRAWS_PER_THREAD = 250_000


def available_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_threads = max(1, min(MAX_THREADS, available_cores()))
_pool: ThreadPoolExecutor | None = None
_pool_pid = -1
_lock = threading.Lock()


def threads() -> int:
    """Threads a citizen pass may use in this process."""
    return _threads


def set_threads(n: int) -> None:
    """Let citizen passes use ``n`` threads (at least 1); results do not depend on it."""
    global _threads
    if int(n) < 1:
        raise ValueError(f"threads must be at least 1, got {n}")
    _threads = min(int(n), MAX_THREADS)


def ranges(n: int) -> list[tuple[int, int]]:
    """The citizen ranges ``(lo, hi)`` a pass over ``n`` citizens is split into."""
    parts = max(1, min(_threads, n // MIN_PER_THREAD))
    bounds = [n * k // parts for k in range(parts + 1)]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def _executor() -> ThreadPoolExecutor:
    global _pool, _pool_pid
    with _lock:
        if _pool is None or _pool_pid != os.getpid():  # a forked child does not inherit threads
            _pool = ThreadPoolExecutor(max_workers=MAX_THREADS - 1, thread_name_prefix="samen-pass")
            _pool_pid = os.getpid()
        return _pool


def _together(calls: list[Callable[[], None]]) -> None:
    """Run ``calls``: the first in this thread, the others in the pool; wait for all (errors rise)."""
    futures = [_executor().submit(call) for call in calls[1:]]
    try:
        calls[0]()
    finally:
        for future in futures:
            future.result()


def run(kernel: Callable, n: int, *args) -> None:
    """Call ``kernel(*args, lo, hi)`` for the ranges of :func:`ranges` (``n`` citizens)."""
    _together([partial(kernel, *args, lo, hi) for lo, hi in ranges(n)])


def run_parts(kernel: Callable, parts: list[tuple[int, int]], *args) -> None:
    """Call ``kernel(*args, part, lo, hi)`` for each ``(lo, hi)`` of ``parts``, together.

    For passes whose ranges are not :func:`ranges` (whole localities, say) or whose outputs
    are kept per part (counts added up afterwards).
    """
    _together([partial(kernel, *args, part, lo, hi) for part, (lo, hi) in enumerate(parts)])


def map_parts(fn: Callable[[int, int, int], object], parts: list[tuple[int, int]]) -> list:
    """``[fn(part, lo, hi) for part, (lo, hi) in enumerate(parts)]``, the calls run together.

    For passes that return a result per range (the ties a range accepts, the joiners it chooses).
    """
    results: list = [None] * len(parts)

    def call(part: int, lo: int, hi: int) -> None:
        results[part] = fn(part, lo, hi)

    run_parts(call, parts)
    return results


def run_by_output(kernel: Callable, n: int, parts: int, *args) -> None:
    """Call ``kernel(*args, part)`` for ``part`` in ``range(parts)`` together, or ``kernel(*args, -1)``.

    For a pass over ``n`` citizens whose outputs (not citizens) are split: a sum over citizens
    keeps its order only if one thread adds all of it. With one range (:func:`ranges`) the
    kernel computes every part in one pass (``part`` -1).
    """
    if len(ranges(n)) == 1:
        kernel(*args, -1)
    else:
        _together([partial(kernel, *args, part) for part in range(parts)])


def uniform(rng: np.random.Generator, shape: int | tuple[int, ...], dtype=np.float64) -> np.ndarray:
    """``rng.random(shape, dtype)``: the same numbers, and ``rng`` left in the same state, drawn by threads.

    A PCG64 generator can jump ahead (``advance``) without drawing, so each thread fills its
    part of the array from a copy of the generator advanced past the parts before it; the
    generator then takes the state of the copy that drew the last part. A float64 uses one
    64-bit output; float32s use its two halves, low first, and a half left over from an earlier
    float32 draw is used first: parts start on a whole output (``tests/test_threads.py``
    compares with ``rng.random`` for both types, after odd and even earlier draws).
    """
    out = np.empty(shape, dtype=dtype)
    flat = out.reshape(-1)
    bits = rng.bit_generator
    parts = max(1, min(_threads, flat.size // MIN_DRAWS_PER_THREAD))
    if parts == 1 or type(bits) is not np.random.PCG64:
        rng.random(out=out, dtype=dtype)
        return out
    state = bits.state
    per_output, spare = (1, 0) if out.dtype == np.float64 else (2, state["has_uint32"])
    bounds = [0]
    for k in range(1, parts):
        at = flat.size * k // parts
        bounds.append(at + (at - spare) % per_output)  # the part starts on a whole output
    bounds.append(flat.size)
    generators = [rng]
    for lo in bounds[1:-1]:
        copy = np.random.PCG64(0)
        copy.state = state
        copy.advance((lo - spare) // per_output)  # also drops any spare half
        generators.append(np.random.Generator(copy))

    def fill(k: int) -> None:
        generators[k].random(out=flat[bounds[k]:bounds[k + 1]], dtype=dtype)  # releases the GIL

    _together([partial(fill, k) for k in range(parts)])
    final = generators[-1].bit_generator.state
    if per_output == 1:  # float64 draws leave a spare half where it was
        final["has_uint32"], final["uinteger"] = state["has_uint32"], state["uinteger"]
    bits.state = final
    return out
