"""What calibration and validation compare with Dutch figures: columns of a run's outputs.

Everything compared is a column of the national series (``series.parquet``), so that any run
can be checked against data without this code (issue 14): ``participation_rate``,
``collectives_active``, ``energy_cooperatives``, ``energy_members`` (residents),
``municipalities_with_energy_cooperative``, ``village_shops``, ``board_load``,
``volunteer_load``, ``board_burnout``, ``volunteer_burnout``, ``dissolved_leaders`` /
``_money`` / ``_background`` since step 0, the trust levels and gaps, and the columns added
for the comparisons:

- ``participation_low``, ``participation_middle``, ``participation_high``: share of adults
  of that education level who volunteered in the past four quarters;
- ``trust_others_low``, ``trust_others_middle``, ``trust_others_high``: their mean trust in
  other people;
- ``active_quarter``: share of adults who volunteered in this quarter (CBS asks about the past
  four weeks and the past twelve months; ``participation_rate`` is the twelve months);
- ``energy_dissolved``: energy cooperatives dissolved since step 0 (cumulative);
- ``dissolved_leaders_with_members``: of the collectives dissolved since step 0 because their
  board fell below quorum (cause LEADERS), those that still had members besides their board
  when they ended (in residents).

Their definitions are in ``docs/ODD.md`` (section 8) with every other outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

Hook = Callable[[Any, int], None]


def run_measured(scenario: str, overrides: dict, seed: int, steps: int,
                 hook: Hook | None = None, regions=None) -> pd.DataFrame:
    """Run the model; return its national series (every compared quantity is a column).

    ``hook(model, step)`` is called before each step (for controlled experiments such as a
    forced hand-over or a news shock); it must draw randomness only from ``model.rng``.
    The signature without ``hook`` is that of a sweep's run function.
    """
    from ..api import build_model

    m = build_model(scenario, overrides, seed=seed, regions=regions)
    for step in range(steps):
        if hook is not None:
            hook(m, step)
        m.step()
    return m.outcome_frames()[0].reset_index(drop=True)
