"""What a second core would give the citizen passes: the participation kernel, serial or split.

``python benchmarks/threads.py [POPULATION_SCALE]`` (default 18: about a million citizens).

The model compiles ``participation._participation_kernel`` serially (its ``prange`` runs as
``range``). This script compiles the same Python function with ``parallel=True`` and times both
on the same inputs, 15 times each (medians), with 1 and 2 threads, and checks that the outputs
are identical. It measures; it changes nothing in the model. Numba's threading layer is printed:
its ``workqueue`` layer aborts when two Python threads launch parallel loops at once (the
dashboard's sessions, Dask's threaded workers), so using threads in the model would need the
``omp`` or ``tbb`` layer. See docs/performance.md, issue 13.
"""

from __future__ import annotations

import statistics
import sys
import time

import numba
import numpy as np

from experiments.api import build_model
from model import participation
from model.citizens import HISTORY_MASK
from model.kinds import Role

REPEATS = 15


def kernel_inputs(scale: int) -> tuple:
    """The participation kernel's inputs for a fresh baseline model at ``scale``, fixed draws."""
    m = build_model("baseline", {"population_scale": scale}, seed=1)
    c, net = m.citizens, m.network
    rng = np.random.default_rng(1)
    u_ties = rng.random((c.n, m.p.peer_sample), dtype=np.float32)
    return (net.indptr, net.indices, u_ties, rng.random(c.n), c.active_history, c.adult,
            m.top_role() >= Role.VOLUNTEER, *participation.logit_inputs(m), HISTORY_MASK)


def timed(kernel, inputs: tuple, n: int) -> tuple[float, tuple[np.ndarray, np.ndarray]]:
    """Median seconds of ``kernel`` over :data:`REPEATS` calls (after one warm call), and its outputs."""
    first_tie, history = np.empty(n, dtype=np.int32), np.empty_like(inputs[4])
    kernel(*inputs, first_tie, history)
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        kernel(*inputs, first_tie, history)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), (first_tie, history)


def main(scale: int = 18) -> None:
    """Print the serial and parallel kernel's medians at ``scale`` and whether their outputs agree."""
    inputs = kernel_inputs(scale)
    n = len(inputs[3])
    serial_s, serial_out = timed(participation._participation_kernel, inputs, n)
    parallel = numba.njit(parallel=True)(participation._participation_kernel.py_func)
    print(f"participation kernel, {n:,} citizens, medians of {REPEATS}:")
    print(f"  {'serial (as the model runs it)':32s} {1e3 * serial_s:7.1f} ms")
    for threads in range(1, numba.config.NUMBA_NUM_THREADS + 1):
        numba.set_num_threads(threads)
        seconds, out = timed(parallel, inputs, n)
        same = all(np.array_equal(a, b) for a, b in zip(serial_out, out, strict=True))
        label = f"parallel, {threads} thread{'s' if threads > 1 else ''}"
        print(f"  {label:32s} {1e3 * seconds:7.1f} ms  x{serial_s / seconds:.2f}  "
              f"outputs {'identical' if same else 'DIFFERENT'}")
    print(f"threading layer: {numba.threading_layer()}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 18)
