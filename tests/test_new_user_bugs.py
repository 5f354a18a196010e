"""Rough edges a new user hit on the sweep, analysis and brief commands (issue 15): each a
one-line error with exit code 2, or a result instead of a traceback."""

from __future__ import annotations

import json

import pytest

from experiments.cli import main
from tests.brief_fixtures import make_sweep

from .conftest import FAST


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "r"
    assert main(["run", *FAST, "--seed", "1", "--out", str(out), "--quiet"]) == 0
    return out


@pytest.mark.parametrize("command", [["analyze"], ["compare"], ["replications", "--outcome", "access"],
                                     ["brief", "--from"]])
def test_a_run_folder_is_not_a_sweep(run_folder, capsys, in_tmp, command):
    assert main([*command, str(run_folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("samen: error:") and err.count("\n") == 1 and "Traceback" not in err
    assert "run folder" in err and "samen run" in err


def test_sweep_of_dev_null_says_it_is_empty(capsys, in_tmp):
    assert main(["sweep", "/dev/null"]) == 2
    err = capsys.readouterr().err
    assert "does not exist" not in err and "empty" in err


def test_sweep_of_a_folder_says_it_is_a_folder(capsys, in_tmp):
    (in_tmp / "specs").mkdir()
    assert main(["sweep", "specs"]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_brief_from_a_sweep_that_kept_some_outcomes(tmp_path, capsys):
    sweep = tmp_path / "few"
    make_sweep(sweep, outcomes=["trust_government", "access"])
    out = tmp_path / "brief"
    assert main(["brief", "--from", str(sweep), "--lang", "en", "--out", str(out)]) == 0, capsys.readouterr().err
    html = (out / "brief.html").read_text(encoding="utf-8")
    assert "trust in national government" in html
    assert "trust in local government" not in html.split("Key findings")[1].split("Charts")[0]


def test_shipped_scenarios_spec_keeps_what_the_brief_needs():
    from experiments.sweep import load_spec
    from experiments.sweep.spec import spec_path

    spec = load_spec("policy-scenarios")
    assert load_spec(spec_path("policy-scenarios")).keep_series
    assert spec.keep_series


def test_a_sweep_that_keeps_series_gives_the_brief_every_chart(tmp_path, capsys):
    """`samen sweep` (not only `samen brief`) stores provinces and groups with keep_series."""
    from experiments.brief.data import load_scenario_sweep

    sweep = tmp_path / "s"
    make_sweep(sweep)
    results = load_scenario_sweep(sweep)
    assert results.series is not None and results.regions is not None and results.groups is not None
    out = tmp_path / "brief"
    assert main(["brief", "--from", str(sweep), "--lang", "nl", "--out", str(out)]) == 0
    assert "keep_series" not in (out / "brief.html").read_text(encoding="utf-8")
    manifest = json.loads((sweep / "manifest.json").read_text())
    assert sorted(manifest["files"]["tables"]) == ["groups", "regions", "series"]
