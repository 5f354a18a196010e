"""Parameter sweeps: experiment specs, designs, a resumable runner and their analysis.

For notebooks::

    from experiments.sweep import run_sweep, load_runs
    runs = run_sweep("experiments/sweeps/investment-lhs.toml", workers=2, out="results/sweeps/lhs")
    runs = load_runs("results/sweeps/lhs")      # later, without running anything

The command line is ``samen sweep``, ``samen analyze``, ``samen compare`` and
``samen replications``; ``docs/sweeps.md`` explains them.
"""

from .design import run_seed
from .runner import model_run, run_sweep
from .spec import SweepSpec, load_spec
from .store import load_runs, load_series, read_manifest

__all__ = ["SweepSpec", "load_runs", "load_series", "load_spec", "model_run", "read_manifest",
           "run_seed", "run_sweep"]
