"""What calibration and validation compare with Dutch figures: model outputs, plus three measures.

Everything compared is read from the model's outputs where an output holds it: the national
series (``series.parquet``: ``participation_rate``, ``collectives_active``,
``energy_cooperatives``, ``energy_members`` in residents, ``village_shops``, ``board_load``,
``volunteer_load``, ``board_burnout``, ``volunteer_burnout``, ``dissolved_leaders`` /
``_money`` / ``_background`` since step 0, the trust levels and gaps, ...) and the per-group
table (``groups.parquet``, adults by education x income quintile x locality kind), from which
:func:`by_education` takes, per step and education level, the population-weighted mean of

- ``participation_low``, ``participation_middle``, ``participation_high``: share of adults
  of that education level who volunteered in the past four quarters;
- ``trust_others_low``, ``trust_others_high``: their mean trust in other people.

Three measures are not outputs; they are read from the model's state after each step
(:func:`state_measures`):

- ``active_quarter``: share of adults who volunteered in this quarter (CBS asks about the past
  four weeks and the past twelve months; the outputs report the twelve months);
- ``energy_dissolved``: energy cooperatives dissolved since step 0 (cumulative);
- ``dissolved_leaders_with_members``: of the collectives dissolved since step 0 because their
  board fell below quorum (cause LEADERS), those that still had members besides their board
  when they ended (the collectives table keeps a dissolved collective's last ``members`` and
  ``board``; in residents).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from model.kinds import CollectiveKind, Education, FailureCause

#: Columns taken from ``groups.parquet`` (per education level, population-weighted).
GROUP_MEASURES = ("participation_low", "participation_middle", "participation_high",
                  "trust_others_low", "trust_others_high")
#: Columns read from model state (not outputs).
STATE_MEASURES = ("active_quarter", "energy_dissolved", "dissolved_leaders_with_members")
MEASURE_COLUMNS = GROUP_MEASURES + STATE_MEASURES

Hook = Callable[[Any, int], None]


def state_measures(m) -> dict[str, float]:
    """The measures of :data:`STATE_MEASURES` at the model's current step."""
    c, t = m.citizens, m.collective_table
    adult = c.adult
    active = t.view("active")
    since_start = ~active & (t.view("dissolved") >= 0)
    energy = t.view("kind") == CollectiveKind.ENERGY
    leaders = since_start & (t.view("cause") == FailureCause.LEADERS)
    return {
        "active_quarter": float(c.active_now[adult].mean()) if adult.any() else 0.0,
        "energy_dissolved": int((since_start & energy).sum()),
        "dissolved_leaders_with_members": int((leaders & (t.view("members") > t.view("board"))).sum()),
    }


def by_education(groups: pd.DataFrame) -> pd.DataFrame:
    """Per step: the :data:`GROUP_MEASURES` from a run's per-group table (``groups.parquet``)."""
    g = groups.assign(_part=groups["participation_rate"] * groups["population"],
                      _trust=groups["trust_others"] * groups["population"])
    sums = g.groupby(["step", "education"])[["population", "_part", "_trust"]].sum()
    pop = sums["population"].replace(0, np.nan)
    part = (sums["_part"] / pop).unstack("education")
    trust = (sums["_trust"] / pop).unstack("education")
    out = pd.DataFrame(index=part.index)
    for level in Education:
        name = level.name.lower()
        out[f"participation_{name}"] = part[name]
        if level != Education.MIDDLE:
            out[f"trust_others_{name}"] = trust[name]
    return out[list(GROUP_MEASURES)].reset_index(drop=True)


def run_measured(scenario: str, overrides: dict, seed: int, steps: int,
                 hook: Hook | None = None, regions=None) -> pd.DataFrame:
    """Run the model; return its national series joined with :data:`MEASURE_COLUMNS`.

    ``hook(model, step)`` is called before each step (for controlled experiments such as a
    forced hand-over or a news shock); it must draw randomness only from ``model.rng``.
    The signature without ``hook`` is that of a sweep's run function.
    """
    from ..api import build_model

    m = build_model(scenario, overrides, seed=seed, regions=regions)
    rows = [state_measures(m)]
    for step in range(steps):
        if hook is not None:
            hook(m, step)
        m.step()
        rows.append(state_measures(m))
    series, _, groups = m.outcome_frames()
    return pd.concat([series.reset_index(drop=True), by_education(groups),
                      pd.DataFrame(rows, columns=list(STATE_MEASURES))], axis=1)
