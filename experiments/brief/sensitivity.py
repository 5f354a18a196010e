"""The brief's "How sure are we?" section: the grouped Sobol analysis read back from its folder.

``python -m experiments.calibration.sensitivity --sobol BASE POLICY --out DIR`` writes
``sobol.csv`` (per outcome and group of assumptions the Sobol indices of the manifesto-minus-
baseline difference) and ``difference.csv`` (that difference over the design: its quantiles and
the share of samples on either side of 0). ``samen brief --sensitivity DIR`` reads them here;
without the option the brief looks in :data:`DEFAULT_FOLDER` and, when it is not there, leaves
the section out with a note (a brief never fails for want of a sensitivity analysis).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import SamenError

#: Where the shipped analysis is written (docs/sweeps.md), relative to the working folder.
DEFAULT_FOLDER = Path("docs/figures/sobol")
#: The two tables the section reads, with the columns it needs.
FILES = {
    "sobol.csv": ("outcome", "group", "S1", "S1_conf", "ST", "ST_conf"),
    "difference.csv": ("outcome", "runs", "difference_median", "share_positive", "share_negative", "constant"),
}


@dataclass
class Sensitivity:
    """A grouped Sobol analysis of the paired difference: where it was read and its two tables."""

    path: Path
    sobol: pd.DataFrame
    difference: pd.DataFrame

    @property
    def samples(self) -> int:
        """Samples of the design (each run under both scenarios)."""
        return int(self.difference["runs"].max())


def load_sensitivity(path: str | Path) -> Sensitivity:
    """Read ``sobol.csv`` and ``difference.csv`` from ``path``; SamenError naming what is missing."""
    path = Path(path)
    if not path.is_dir():
        raise SamenError(f"--sensitivity {path} is not a folder; give the --out folder of "
                         "`python -m experiments.calibration.sensitivity --sobol`")
    tables = {}
    for name, columns in FILES.items():
        file = path / name
        if not file.is_file():
            raise SamenError(f"--sensitivity {path} holds no {name}; write it with "
                             "`python -m experiments.calibration.sensitivity --sobol BASE POLICY --out DIR`")
        table = pd.read_csv(file)
        missing = [c for c in columns if c not in table.columns]
        if missing:
            raise SamenError(f"{file} lacks the column {missing[0]}; expected {', '.join(columns)}")
        tables[name] = table
    return Sensitivity(path, tables["sobol.csv"], tables["difference.csv"])


def find_sensitivity(option: str | None) -> Sensitivity | None:
    """The analysis ``--sensitivity`` names, else the one in :data:`DEFAULT_FOLDER`, else None."""
    if option:
        return load_sensitivity(option)
    if (DEFAULT_FOLDER / "sobol.csv").is_file():
        return load_sensitivity(DEFAULT_FOLDER)
    return None
