"""Measurements for calibration and validation, taken from model state every quarter.

The model's declared outcomes (``model/outcomes.py``) are what scenarios report. Calibration
and validation need a few more quantities that Dutch statistics count directly: energy
cooperatives and their members (Lokale Energie Monitor), small village shops (Locatus),
dissolutions by cause, leaders' load and burnout, and volunteering by education (SCP). They
are read here from the model's state after each step, without changing the model, and
joined to the national series as extra columns (documented in ``docs/validation.md``):

- ``energy_cooperatives``: active energy cooperatives (real count; collectives are not scaled);
- ``energy_members``: their members in residents (simulated members x ``population_scale``);
- ``energy_dissolved``: energy cooperatives dissolved so far (cumulative);
- ``village_shops``: open shops in localities of kind VILLAGE;
- ``dissolved_leaders``, ``dissolved_money``, ``dissolved_background``: collectives dissolved
  so far, by recorded cause (cumulative);
- ``dissolved_leaders_with_members``: of the leader failures, those whose collective still had
  at least one ordinary member besides its leaders when it ended (cumulative);
- ``leader_load``, ``member_load``: mean weekly hours (``Citizens.load``) of leaders and of
  active ordinary members (members of a volunteering collective who lead none);
- ``leader_burnout``, ``member_burnout``: mean burnout of the same two groups;
- ``participation_low``, ``participation_middle``, ``participation_high``: share of adults
  of each education level who volunteered in the past four quarters;
- ``active_quarter``: share of adults active in this quarter;
- ``trust_others_low``, ``trust_others_high``: mean trust in other people of adults with low
  and with high education.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from model.citizens import any_per_citizen
from model.collectives import VOLUNTEERING_KIND
from model.kinds import CollectiveKind, Education, FacilityType, FailureCause, LocalityKind

MEASURE_COLUMNS = (
    "energy_cooperatives", "energy_members", "energy_dissolved", "village_shops",
    "dissolved_leaders", "dissolved_money", "dissolved_background",
    "dissolved_leaders_with_members", "leader_load", "member_load", "leader_burnout", "member_burnout",
    "participation_low", "participation_middle", "participation_high", "active_quarter",
    "trust_others_low", "trust_others_high",
)

Hook = Callable[[Any, int], None]


class _Tracker:
    """Remembers each collective's members at the step it ended (for leader failures)."""

    def __init__(self, m) -> None:
        self.members = np.zeros(0, dtype=np.int64)
        self.leaders = np.zeros(0, dtype=np.int64)
        self.with_members = 0
        self.seen_dissolved = np.zeros(0, dtype=bool)
        self.before_step(m)

    def before_step(self, m) -> None:
        t = m.collective_table
        self.members = t.view("members").astype(np.int64).copy()
        self.leaders = t.view("leaders").astype(np.int64).copy()

    def after_step(self, m) -> None:
        t = m.collective_table
        n_old = len(self.members)
        gone_now = np.flatnonzero(~t.view("active")[:n_old] & (t.view("dissolved")[:n_old] == m.quarter - 1))
        leaders_cause = gone_now[t.cause[gone_now] == FailureCause.LEADERS]
        self.with_members += int(np.sum(self.members[leaders_cause] > self.leaders[leaders_cause]))


def measure(m, tracker: _Tracker) -> dict[str, float]:
    """One row of the measurements of :data:`MEASURE_COLUMNS` at the model's current step."""
    c, t, f, loc = m.citizens, m.collective_table, m.facilities, m.localities
    scale = m.p.population_scale
    active = t.view("active")
    kind = t.view("kind")
    energy = active & (kind == CollectiveKind.ENERGY)
    gone = ~active
    cause = t.view("cause")
    shop = f.view("open") & (f.view("type") == FacilityType.SHOP)
    village = loc.kind[f.view("locality")] == LocalityKind.VILLAGE
    adult = c.adult
    lead = c.leader_of >= 0
    ordinary = (any_per_citizen((c.member_of >= 0) & VOLUNTEERING_KIND) & c.active_now & ~lead & adult)
    year = c.volunteered_this_year
    row = {
        "energy_cooperatives": int(energy.sum()),
        "energy_members": int(t.view("members")[energy].sum()) * scale,
        "energy_dissolved": int((gone & (kind == CollectiveKind.ENERGY)).sum()),
        "village_shops": int((shop & village).sum()),
        "dissolved_leaders": int((gone & (cause == FailureCause.LEADERS)).sum()),
        "dissolved_money": int((gone & (cause == FailureCause.MONEY)).sum()),
        "dissolved_background": int((gone & (cause == FailureCause.BACKGROUND)).sum()),
        "dissolved_leaders_with_members": tracker.with_members,
        "leader_load": float(c.load[lead].mean()) if lead.any() else 0.0,
        "member_load": float(c.load[ordinary].mean()) if ordinary.any() else 0.0,
        "leader_burnout": float(c.burnout[lead].mean()) if lead.any() else 0.0,
        "member_burnout": float(c.burnout[ordinary].mean()) if ordinary.any() else 0.0,
        "active_quarter": float(c.active_now[adult].mean()) if adult.any() else 0.0,
    }
    for level in Education:
        sel = adult & (c.education == level)
        row[f"participation_{level.name.lower()}"] = float(year[sel].mean()) if sel.any() else 0.0
        if level != Education.MIDDLE:
            row[f"trust_others_{level.name.lower()}"] = float(c.trust_others[sel].mean()) if sel.any() else 0.0
    return row


def run_measured(scenario: str, overrides: dict, seed: int, steps: int,
                 hook: Hook | None = None, regions=None) -> pd.DataFrame:
    """Run the model and return its national series joined with :data:`MEASURE_COLUMNS`.

    ``hook(model, step)`` is called before each step (for controlled experiments such as a
    forced hand-over or a news shock); it must draw randomness only from ``model.rng``.
    The signature without ``hook`` is that of a sweep's run function.
    """
    from ..api import build_model

    m = build_model(scenario, overrides, seed=seed, regions=regions)
    tracker = _Tracker(m)
    rows = [measure(m, tracker)]
    for step in range(steps):
        if hook is not None:
            hook(m, step)
        tracker.before_step(m)
        m.step()
        tracker.after_step(m)
        rows.append(measure(m, tracker))
    series, _, _ = m.outcome_frames()
    extra = pd.DataFrame(rows, columns=list(MEASURE_COLUMNS))
    return pd.concat([series.reset_index(drop=True), extra], axis=1)
