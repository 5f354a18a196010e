"""Experiment specs: every documented mistake is one clear SamenError before anything runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from experiments.cli import main
from experiments.errors import SamenError
from experiments.sweep import load_spec, run_seed
from experiments.sweep.design import build_design, build_tasks, run_count, to_value
from experiments.sweep.spec import shipped_spec_names

ROOT = Path(__file__).resolve().parent.parent
GOOD = {"name": "t", "seed": 1, "design": "lhs", "samples": 8, "steps": 4,
        "levers": {"investment_eur": [0, 2e9], "allocation": ["per_capita", "needs_based"]},
        "uncertainties": {"board_min": [3, 7]}}


def spec_with(**changes):
    data = {**GOOD, **changes}
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("changes, message", [
    ({"levers": {"investmnt_eur": [0, 1e9]}}, "unknown parameter 'investmnt_eur' (did you mean investment_eur"),
    ({"levers": {"investment_eur": [1e9, 1e9]}}, "empty range"),
    ({"levers": {"investment_eur": [2e9, 0]}}, "inverted"),
    ({"levers": {"investment_eur": [0, 5e10]}}, "outside the declared range; use a number in [0, 1e+10]"),
    ({"levers": {"investment_eur": [0]}}, "must be [low, high]"),
    ({"levers": {"investment_eur": "lots"}}, "must be [low, high]"),
    ({"levers": {"allocation": ["per_capita", "lottery"]}}, "'lottery' is not allowed; use one of per_capita"),
    ({"levers": {"allocation": ["per_capita"]}}, "fewer than two different choices"),
    ({"uncertainties": {"board_min": [3.5, 7]}}, "must be a whole number"),
    ({"design": "factorial"}, "unknown design 'factorial'; use one of grid, lhs, sobol, morris, scenarios"),
    ({"samples": None}, "design 'lhs' needs samples"),
    ({"design": "grid"}, "samples is not used by design 'grid'"),
    ({"design": "sobol", "samples": 10}, "power of 2"),
    ({"design": "scenarios", "samples": None, "levers": {}, "uncertainties": {}}, "needs scenarios ="),
    ({"scenario": "utopia"}, "unknown scenario 'utopia'"),
    ({"outcomes": ["happiness"]}, "unknown outcome 'happiness'"),
    ({"replications": 0}, "replications = 0 must be a whole number of at least 1"),
    ({"seed": -1}, "seed = -1"),
    ({"seed": None}, "missing key 'seed'"),
    ({"sample": 8}, "unknown key 'sample'"),
    ({"levers": {}, "uncertainties": {}}, "needs at least one parameter to vary"),
    ({"parameters": {"population_scale": 0}}, "population_scale=0 is out of range"),
    ({"parameters": {"investment_eur": 1e9}}, "both varied and fixed"),
    ({"uncertainties": {"investment_eur": [0, 1e9]}}, "both [levers] and [uncertainties]"),
    ({"keep_series": "yes"}, "must be true or false"),
])
def test_bad_specs_raise_one_clear_error(changes, message):
    with pytest.raises(SamenError) as info:
        load_spec(spec_with(**changes))
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_malformed_toml_and_missing_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nseed = \n')
    with pytest.raises(SamenError, match="is not valid TOML"):
        load_spec(bad)
    with pytest.raises(SamenError, match="does not exist"):
        load_spec(tmp_path / "nope.toml")


@pytest.mark.parametrize("content, message", [
    ('name = "x"\nseed = 1\ndesign = "lhs"\nsamples = 4\n[levers]\nparnership = [0, 1]\n', "unknown parameter"),
    ('name = "x"\nseed = 1\ndesign = "lhs"\nsamples = 4\n[levers]\npartnership = [0.5, 0.5]\n', "empty range"),
    ('name = "x"\nseed = \n', "not valid TOML"),
])
def test_cli_bad_spec_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys, content, message):
    spec = tmp_path / "spec.toml"
    spec.write_text(content)
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("samen: error:") and message in err and "\n" not in err
    assert not out.exists()


def test_unreachable_scheduler_exits_2_and_writes_nothing(tmp_path, capsys):
    spec = ROOT / "experiments" / "sweeps" / "investment-lhs.toml"
    out = tmp_path / "out"
    code = main(["sweep", str(spec), "--out", str(out), "--scheduler", "tcp://127.0.0.1:9",
                 "--connect-timeout", "1"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err and "\n" not in err
    assert not out.exists()


def test_existing_output_without_resume_exits_2(tmp_path, capsys):
    spec = ROOT / "experiments" / "sweeps" / "investment-lhs.toml"
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "something").write_text("x")
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out")]) == 2
    assert "not empty" in capsys.readouterr().err


@pytest.mark.parametrize("path", sorted((ROOT / "experiments" / "sweeps").glob("*.toml")), ids=lambda p: p.name)
def test_shipped_specs_are_valid(path):
    spec = load_spec(path)
    assert build_tasks(spec, build_design(spec))


def test_resolved_spec_round_trips():
    spec = load_spec(ROOT / "experiments" / "sweeps" / "levers-sobol.toml")
    assert load_spec(spec.to_dict()).to_dict() == spec.to_dict()


def test_seeds_depend_only_on_position():
    spec = load_spec(spec_with(replications=3))
    tasks = build_tasks(spec, build_design(spec))
    assert [t.run_id for t in tasks] == list(range(24))
    assert len({t.seed for t in tasks}) == 24
    for t in tasks:
        assert t.seed == run_seed(1, t.sample_id, t.replication)
        ss = np.random.SeedSequence(1).spawn(2)[1].spawn(100)[t.sample_id].spawn(9)[t.replication]
        assert t.seed == int(ss.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
    # More samples or replications leave the seeds of existing positions unchanged.
    bigger = load_spec(spec_with(replications=5, samples=16))
    again = {(t.sample_id, t.replication): t.seed for t in build_tasks(bigger, build_design(bigger))}
    assert all(again[(t.sample_id, t.replication)] == t.seed for t in tasks)


def test_scenarios_design_shares_seeds_across_scenarios():
    spec = load_spec({"name": "s", "seed": 5, "design": "scenarios", "replications": 3,
                      "scenarios": ["baseline", "manifesto", "austerity"]})
    tasks = build_tasks(spec, build_design(spec))
    by_rep = {}
    for t in tasks:
        by_rep.setdefault(t.replication, set()).add(t.seed)
    assert all(len(seeds) == 1 for seeds in by_rep.values()) and len(by_rep) == 3
    assert [t.scenario for t in tasks[::3]] == ["baseline", "manifesto", "austerity"]


def test_integers_rounded_and_choices_categorical():
    spec = load_spec(spec_with(samples=400))
    design = build_design(spec)
    tasks = build_tasks(spec, design)
    boards = np.array([t.values["board_min"] for t in tasks])
    assert set(boards) == {3, 4, 5, 6, 7}
    counts = np.bincount(boards)[3:]
    assert counts.min() == counts.max() == 80  # LHS strata: each whole number equally often
    rules = [t.values["allocation"] for t in tasks]
    assert rules.count("per_capita") == rules.count("needs_based") == 200
    board = spec.factors[2]
    assert to_value(board, 2.5) == 3 and to_value(board, 7.5) == 7
    assert to_value(spec.factors[1], 2.0) == "needs_based"


def test_grid_design_is_the_product_of_levels():
    spec = load_spec(spec_with(design="grid", samples=None, levels=3))
    tasks = build_tasks(spec, build_design(spec))
    combos = {(t.values["investment_eur"], t.values["allocation"], t.values["board_min"]) for t in tasks}
    assert len(tasks) == len(combos) == 3 * 2 * 3
    assert {c[0] for c in combos} == {0.0, 1e9, 2e9} and {c[2] for c in combos} == {3, 5, 7}


def test_sweep_help_lists_the_commands():
    result = subprocess.run([sys.executable, "-m", "experiments.cli", "--help"], capture_output=True,
                            text=True, cwd=ROOT, timeout=60)
    for command in ("sweep", "analyze", "compare", "replications"):
        assert command in result.stdout


def test_shipped_specs_are_listed_and_usable_by_name(capsys, tmp_path, monkeypatch):
    from experiments.sweep.spec import shipped_spec_names

    assert main(["specs"]) == 0
    out = capsys.readouterr().out
    for name in shipped_spec_names():
        assert name in out
    assert "policy-scenarios" in out and "scenarios" in out and "120" in out
    assert main(["specs", "investment-lhs"]) == 0
    assert 'name = "investment-lhs"' in capsys.readouterr().out
    assert load_spec("investment-lhs").path == "experiments/sweeps/investment-lhs.toml"
    monkeypatch.chdir(tmp_path)  # by name from any folder
    assert load_spec("levers-sobol").design == "sobol"
    with pytest.raises(SamenError, match="not a shipped spec"):
        load_spec("investment-lsh")
    assert main(["specs", "nope"]) == 2
    assert "no shipped spec 'nope'" in capsys.readouterr().err


POLICIES = {"name": "p", "seed": 9, "design": "policies", "samples": 8, "replications": 2, "steps": 4,
            "policies": ["baseline", "manifesto", "investment-only"],
            "uncertainties": {"trust_down_ratio": [1.5, 4], "board_min": [3, 7]}}


def test_policies_design_gives_every_policy_the_same_futures_and_seeds():
    spec = load_spec(POLICIES)
    assert spec.scenarios == ("baseline", "manifesto", "investment-only") and spec.scenario == "baseline"
    assert spec.to_dict()["policies"] == list(spec.scenarios) and "scenarios" not in spec.to_dict()
    assert load_spec(spec.to_dict()) == spec
    design = build_design(spec)
    assert len(design) == 24 and list(design["future"]) == list(range(8)) * 3
    tasks = build_tasks(spec, design)
    assert len(tasks) == 48
    by_position = {}
    for t in tasks:
        future = int(design.loc[t.sample_id, "future"])
        by_position.setdefault((future, t.replication), set()).add(
            (t.seed, t.values["trust_down_ratio"], t.values["board_min"]))
    assert len(by_position) == 16 and all(len(v) == 1 for v in by_position.values())
    assert len({next(iter(v))[0] for v in by_position.values()}) == 16  # each future and replication its own seed
    assert {t.scenario for t in tasks} == set(spec.scenarios)


@pytest.mark.parametrize("changes, message", [
    ({"levers": {"investment_eur": [0, 1e9]}}, "takes its levers from the named policies"),
    ({"uncertainties": {}}, "needs [uncertainties]"),
    ({"samples": None}, "design 'policies' needs samples"),
    ({"policies": ["baseline"]}, "two or more scenario names"),
    ({"common_random_numbers": False}, "same futures and seeds"),
    ({"scenarios": ["baseline", "manifesto"]}, "scenarios is only used by design 'scenarios'"),
])
def test_policies_design_mistakes(changes, message):
    data = {k: v for k, v in {**POLICIES, **changes}.items() if v is not None}
    with pytest.raises(SamenError, match=re.escape(message)):
        load_spec(data)


@pytest.mark.parametrize("name", shipped_spec_names())
def test_the_counted_runs_of_every_shipped_spec_are_the_designs_rows(name):
    """``samen specs`` counts runs without building the design; the count must match it."""
    spec = load_spec(name)
    assert run_count(spec) == len(build_design(spec)) * spec.replications
