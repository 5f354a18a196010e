"""The regression runs behind ``tests/test_regression.py`` and ``make golden``.

Every shipped scenario is run at a coarse scale for a few quarters with two seeds, and its
national, regional and group tables are compared with stored golden values. A change of
results is therefore always deliberate: regenerate the goldens (``make golden``), add a line
to ``CHANGELOG.md`` and bump ``model.MODEL_VERSION``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from experiments.api import run
from experiments.scenarios import scenario_names

GOLDEN_DIR = Path(__file__).parent / "golden"
#: Coarse enough to run every scenario in a few seconds, fine enough that every rule acts
#: (a board is one simulated leader, villages hold a few citizens).
OVERRIDES = {"population_scale": 1000}
STEPS = 12
SEEDS = (1, 2)
TABLES = ("series", "regions", "groups")


def cases() -> list[tuple[str, int]]:
    """(scenario, seed) of every regression run."""
    return [(name, seed) for name in scenario_names() for seed in SEEDS]


def golden_path(scenario: str, seed: int, table: str) -> Path:
    """Where the golden table of one run is stored (CSV, full float precision)."""
    return GOLDEN_DIR / f"{scenario}-seed{seed}-{table}.csv"


def tables(scenario: str, seed: int) -> dict[str, pd.DataFrame]:
    """The three outcome tables of one regression run."""
    result = run(scenario, overrides=OVERRIDES, seed=seed, steps=STEPS)
    return {name: getattr(result, name) for name in TABLES}


def write_goldens() -> list[Path]:
    """Run every case and store its tables as the new goldens; return the files written."""
    GOLDEN_DIR.mkdir(exist_ok=True)
    for old in GOLDEN_DIR.glob("*.csv"):
        old.unlink()
    written = []
    for scenario, seed in cases():
        for name, frame in tables(scenario, seed).items():
            path = golden_path(scenario, seed, name)
            frame.to_csv(path, index=False, float_format="%.17g", lineterminator="\n")
            written.append(path)
    return written


if __name__ == "__main__":
    files = write_goldens()
    print(f"wrote {len(files)} golden tables to {GOLDEN_DIR}")
