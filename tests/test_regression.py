"""Regression: every shipped scenario reproduces its stored golden tables.

A failure here means the model's results changed. If that was intended, run ``make golden``,
say in ``CHANGELOG.md`` what changed and why, and bump ``model.MODEL_VERSION``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.regression import TABLES, cases, golden_path, tables

RTOL = ATOL = 1e-12


@pytest.mark.parametrize("scenario, seed", cases())
def test_scenario_reproduces_its_goldens(scenario, seed):
    produced = tables(scenario, seed)
    for name in TABLES:
        path = golden_path(scenario, seed, name)
        assert path.is_file(), f"no golden {path.name}: run `make golden`"
        golden = pd.read_csv(path)
        frame = produced[name]
        assert list(frame.columns) == list(golden.columns), f"{name}: columns changed"
        assert len(frame) == len(golden), f"{name}: {len(frame)} rows, golden has {len(golden)}"
        for column in frame.columns:
            got, want = frame[column].to_numpy(), golden[column].to_numpy()
            if got.dtype.kind in "if" and want.dtype.kind in "if":
                np.testing.assert_allclose(got.astype(float), want.astype(float), rtol=RTOL, atol=ATOL,
                                           err_msg=f"{scenario} seed {seed}, {name}.{column}")
            else:
                assert [str(x) for x in got] == [str(x) for x in want], f"{scenario} seed {seed}, {name}.{column}"


def test_every_golden_belongs_to_a_case():
    """Goldens of a removed scenario do not linger unnoticed."""
    expected = {golden_path(s, seed, t).name for s, seed in cases() for t in TABLES}
    stored = {p.name for p in golden_path("x", 0, "series").parent.glob("*.csv")}
    assert stored == expected


def test_changelog_names_the_model_version():
    """Every model version has its CHANGELOG entry saying what changed in the results and why."""
    from pathlib import Path

    from model import MODEL_VERSION

    changelog = (Path(__file__).resolve().parents[1] / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{MODEL_VERSION}]" in changelog


def test_manifests_record_the_model_version():
    from experiments.output import manifest_base
    from model import MODEL_VERSION

    assert manifest_base([])["model_version"] == MODEL_VERSION
