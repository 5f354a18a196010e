"""One seed rule: every seed derived from a master seed comes from experiments.api.child_seed,
and every place that derives seeds (validation, sweeps, workshop rounds) uses it."""

from __future__ import annotations

import numpy as np
import pytest

from experiments.api import SEED_LIMIT, child_seed, child_seeds
from experiments.calibration import load_calibration, validation
from experiments.sweep import load_spec, run_seed
from experiments.sweep.design import build_design, build_tasks


def spawned(sequence: np.random.SeedSequence) -> int:
    return int(sequence.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def test_child_seeds_are_those_of_seed_sequence_spawn():
    for n in (1, 3, 8):
        assert child_seeds(20261128, n) == [spawned(s) for s in np.random.SeedSequence(20261128).spawn(n)]
    grandchild = np.random.SeedSequence(7).spawn(2)[1].spawn(5)[3].spawn(4)[2]
    assert child_seed(7, 1, 3, 2) == spawned(grandchild)


def test_same_master_same_children():
    assert child_seeds(5, 3) == child_seeds(5, 3)
    assert child_seeds(5, 3)[:2] == child_seeds(5, 2)  # more children leave the first ones alone
    assert len(set(child_seeds(5, 50))) == 50 and child_seeds(5, 3) != child_seeds(6, 3)
    assert all(0 <= s < SEED_LIMIT for s in child_seeds(5, 50))


def test_the_numbers_do_not_change():
    # Pinned: validation replications and sweep runs keep the seeds they had before the rule
    # was shared; changing them would change every stored validation and sweep.
    assert child_seeds(20261128, 3) == [1598365751765018948, 2943478304268341086, 3721643972704152492]
    assert [child_seed(20261128, 1, 2, r) for r in range(2)] == [7596085117543675157, 6211087091815683391]
    assert [child_seed(20261128, 1, r) for r in range(2)] == [8026188742363357655, 3310666522369376616]


def test_sweep_runs_take_their_seed_from_the_rule():
    spec = load_spec({"name": "s", "seed": 9, "design": "lhs", "samples": 3, "replications": 2, "steps": 1,
                      "levers": {"partnership": [0, 1]}})
    for task in build_tasks(spec, build_design(spec)):
        assert task.seed == run_seed(9, task.sample_id, task.replication) == child_seed(9, 1, task.sample_id,
                                                                                     task.replication)
    assert run_seed(9, 4, 1, common=True) == child_seed(9, 1, 1)  # common random numbers: by replication


def test_validation_replications_take_their_seed_from_the_rule(monkeypatch):
    spec = load_calibration()
    seen = []

    def fake_replication(job):
        seen.append(job[2])
        return {**{p.key: 0.0 for p in validation.PATTERNS}, **{f"c_{t.name}": t.value for t in spec.targets}}

    monkeypatch.setattr(validation, "_one", fake_replication)
    table, per_rep = validation.validate(replications=4, seed=31, steps=12)
    assert seen == child_seeds(31, 4)
    assert list(per_rep["replication"]) == [0, 1, 2, 3] and len(table) == len(validation.PATTERNS) + len(spec.targets)


@pytest.mark.parametrize("master", [4, 20261128])
def test_workshop_rounds_take_their_seeds_from_the_rule(monkeypatch, master):
    from experiments.workshop import rounds
    from experiments.workshop.cards import load_cards

    seeds = []

    class Result:
        def __init__(self, seed):
            import pandas as pd

            self.series = pd.DataFrame([{o: 0.0 for o in rounds.OUTCOMES}])
            seeds.append(seed)

    monkeypatch.setattr(rounds, "run", lambda scenario, overrides, seed, steps: Result(seed))
    baseline = next(c for c in load_cards() if c.name == "baseline")
    round_ = {"seed": master, "replications": 3, "years": 1, "submissions": [{"table": "a", "levers": {}}]}
    rounds.compare_round(round_, baseline)
    # seed by seed, the baseline and table "a" on each (so they branch from one start)
    assert seeds == [seed for seed in child_seeds(master, 3) for _ in range(2)]
