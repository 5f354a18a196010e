"""Large worlds keep freed memory for reuse instead of returning it to the system (glibc).

At the 1:1 country every temporary array is tens to hundreds of MB. glibc serves allocations
that large with a fresh ``mmap`` and returns them with ``munmap`` when numpy frees them, so
the kernel maps, zeroes and unmaps gigabytes every quarter: a third of the 1:1 run's time was
system time (docs/performance.md). With mmap switched off and the heap's top trimmed only
beyond 2 GB, freed arrays are reused by the next allocation. The price is a higher peak
(fragmentation), so only worlds too large for the shared start cache use it
(:func:`experiments.api.RunRequest.build`). Elsewhere (macOS, musl) nothing changes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

#: glibc's ``mallopt`` parameters (malloc.h).
M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_MAX = -1, -2, -4
#: Free memory at the top of the heap beyond this is returned to the system (bytes).
TRIM_THRESHOLD = 2**31 - 1
#: Extra heap requested each time it grows (bytes), so growth takes fewer system calls.
TOP_PAD = 256 * 2**20

_retaining = False


def retain_freed_memory() -> bool:
    """Switch this process's allocator to reusing freed memory; whether it could (once)."""
    global _retaining
    if _retaining:
        return True
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
    except (OSError, AttributeError):  # no C library found, or one without mallopt (musl)
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    _retaining = all(mallopt(option, value) == 1 for option, value in
                     ((M_MMAP_MAX, 0), (M_TRIM_THRESHOLD, TRIM_THRESHOLD), (M_TOP_PAD, TOP_PAD)))
    return _retaining
