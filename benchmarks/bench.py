"""Samen's performance benchmark (issue 6); the same as ``samen bench``.

Usage: ``python benchmarks/bench.py [--quick] [--sizes 1e4,1e5] [--steps N] [--json FILE]``
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from experiments.bench import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
