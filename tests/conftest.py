"""Shared fixtures: a small, fast world for CLI and API tests."""

from __future__ import annotations

import pytest

#: Arguments that make a run fast: 1 simulated citizen per 2,000 residents, 4 quarters.
FAST = ["--set", "population_scale=2000", "--steps", "4"]
FAST_OVERRIDES = {"population_scale": 2000}


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """Run in an empty temporary working directory (default outputs land in it)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
