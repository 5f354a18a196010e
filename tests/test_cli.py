"""The `samen` CLI: every documented user error, a successful run, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from experiments.cli import command_modules, main
from experiments.output import RUN_FILES
from model.outcomes import GROUP_COLUMNS, REGION_COLUMNS, SERIES_COLUMNS
from model.parameters import PARAMS

from .conftest import FAST


def assert_user_error(capsys, argv, needle, cwd):
    """Exit code 2, one stderr line that mentions `needle`, no traceback, nothing written."""
    before = sorted(p.name for p in cwd.iterdir())
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("samen: error: ")
    assert needle in lines[0]
    assert "Traceback" not in err
    assert sorted(p.name for p in cwd.iterdir()) == before  # no results/ or partial folder
    return lines[0]


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--scenario", "no-such-scenario"], "unknown scenario 'no-such-scenario'"),
        (["--scenario", "missing.toml"], "missing.toml does not exist"),
        (["--set", "no_such_parameter=1"], "unknown parameter 'no_such_parameter'"),
        (["--set", "investmnt_eur=1"], "did you mean investment_eur"),
        (["--set", "investment_eur"], "malformed"),
        (["--set", "investment_eur=lots"], "is not a number"),
        (["--set", "partnership=1.5"], "out of range"),
        (["--set", "allocation=random"], "one of per_capita"),
        (["--seed", "-1"], "seed"),
        (["--seed", "abc"], "invalid int value"),
        (["--steps", "-1"], "--steps -1 must be at least 0"),
        (["--regions", "nowhere.csv"], "nowhere.csv does not exist"),
    ],
)
def test_run_rejects_bad_input(capsys, in_tmp, extra, needle):
    assert_user_error(capsys, ["run", *extra], needle, in_tmp)


def test_unknown_scenario_lists_known_ones(capsys, in_tmp):
    line = assert_user_error(capsys, ["run", "--scenario", "utopia"], "utopia", in_tmp)
    assert "baseline" in line and "manifesto" in line


def test_malformed_scenario_file_names_the_file(capsys, in_tmp):
    (in_tmp / "bad.toml").write_text("description = \n[parameters\n")
    assert_user_error(capsys, ["run", "--scenario", "bad.toml"], "bad.toml is not valid TOML", in_tmp)
    (in_tmp / "range.toml").write_text('description = "x"\n[parameters]\npartnership = 3\n')
    assert_user_error(capsys, ["run", "--scenario", "range.toml"], "range.toml", in_tmp)


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("", "is empty"),
        ("province,population_2024\nA,100\n", "missing column(s) municipalities_2024"),
        ("province,population_2024,municipalities_2024\nA,lots,1\n", "population_2024"),
        ("\xff\xfe\x00garbage", "not UTF-8"),
    ],
)
def test_unreadable_regions_file(capsys, in_tmp, content, needle):
    path = in_tmp / "regions.csv"
    path.write_bytes(content.encode("latin-1"))
    line = assert_user_error(capsys, ["run", *FAST, "--regions", "regions.csv"], needle, in_tmp)
    assert "regions.csv" in line


def test_regions_path_is_a_directory(capsys, in_tmp):
    (in_tmp / "adir").mkdir()
    assert_user_error(capsys, ["run", *FAST, "--regions", "adir"], "adir", in_tmp)


def test_non_empty_out_is_refused(capsys, in_tmp):
    out = in_tmp / "taken"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    assert_user_error(capsys, ["run", *FAST, "--out", "taken"], "not empty", in_tmp)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_usage_errors_exit_2_with_one_line(capsys, in_tmp):
    assert_user_error(capsys, ["frobnicate"], "invalid choice", in_tmp)
    assert_user_error(capsys, ["run", "--no-such-option"], "unrecognized arguments", in_tmp)
    assert_user_error(capsys, [], "required", in_tmp)


def test_help_exits_0(capsys):
    assert main(["--help"]) == 0
    assert "run" in capsys.readouterr().out


def test_commands_are_discovered():
    names = [m.NAME for m in command_modules()]
    assert {"run", "scenarios", "params"} <= set(names)
    assert len(names) == len(set(names))


def test_scenarios_command(capsys):
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    for name in ("baseline", "manifesto", "investment-only", "contract-only", "market-led", "austerity"):
        assert name in out
    assert "Today's policy" in out
    assert main(["scenarios", "--lang", "nl"]) == 0
    assert "Huidig beleid" in capsys.readouterr().out


def test_params_command(capsys):
    assert main(["params"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in PARAMS)
    assert main(["params", "--group", "lever"]) == 0
    out = capsys.readouterr().out
    assert "investment_eur" in out and "homophily " not in out


def read_run(folder: Path):
    return {name: pd.read_parquet(folder / f"{name}.parquet") for name in ("series", "regions", "groups")}


def test_run_writes_the_six_files(capsys, in_tmp):
    assert main(["run", *FAST, "--scenario", "manifesto", "--seed", "7"]) == 0
    out = capsys.readouterr().out
    runs = list((in_tmp / "results" / "runs").iterdir())
    assert len(runs) == 1
    folder = runs[0]
    assert folder.name.endswith("-manifesto-seed7")
    assert sorted(p.name for p in folder.iterdir()) == sorted(RUN_FILES)
    assert "cohesion" in out and str(folder.relative_to(in_tmp)) in out
    frames = read_run(folder)
    assert set(SERIES_COLUMNS) <= set(frames["series"].columns)
    assert set(REGION_COLUMNS) <= set(frames["regions"].columns)
    assert set(GROUP_COLUMNS) <= set(frames["groups"].columns)
    assert list(frames["series"]["step"]) == [0, 1, 2, 3, 4]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["seed"] == 7
    assert manifest["steps"] == 4
    residents = pd.read_parquet(folder / "localities.parquet")["residents"].sum()  # 2000 per citizen
    assert manifest["citizens"] == pytest.approx(residents / 2000, rel=0.05)
    assert manifest["scenario"]["name"] == "manifesto"
    assert manifest["parameters"]["investment_eur"] == 1e9
    assert manifest["parameters"]["population_scale"] == 2000
    assert set(manifest["parameters"]) == set(PARAMS)
    assert manifest["command"][:2] == ["samen", "run"]
    assert {"python", "numpy", "mesa"} <= set(manifest["versions"])
    assert "commit" in manifest["git"]
    assert (folder / "summary.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_same_seed_gives_identical_tables(capsys, in_tmp):
    for out in ("a", "b"):
        assert main(["run", *FAST, "--seed", "11", "--out", out, "--quiet"]) == 0
    a, b = read_run(in_tmp / "a"), read_run(in_tmp / "b")
    for name in a:
        assert_frame_equal(a[name], b[name])


def test_zero_steps_writes_the_initial_state(capsys, in_tmp):
    # The same rule as the API: 0 quarters is a run of the initial state alone.
    assert main(["run", *FAST, "--steps", "0", "--seed", "3", "--out", "start"]) == 0
    frames = read_run(in_tmp / "start")
    assert list(frames["series"]["step"]) == [0]
    assert set(frames["regions"]["step"]) == {0} and set(frames["groups"]["step"]) == {0}
    assert json.loads((in_tmp / "start" / "manifest.json").read_text())["steps"] == 0
    assert "cohesion" in capsys.readouterr().out


def test_run_without_seed_records_the_one_it_picked(capsys, in_tmp):
    (in_tmp / "empty").mkdir()  # an existing empty folder is accepted
    assert main(["run", *FAST, "--out", "empty", "--quiet"]) == 0
    manifest = json.loads((in_tmp / "empty" / "manifest.json").read_text())
    assert isinstance(manifest["seed"], int) and manifest["seed"] >= 0


def test_failure_midway_leaves_nothing(capsys, in_tmp, monkeypatch):
    import experiments.output as output

    def broken_chart(series, title=""):
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C while writing

    monkeypatch.setattr(output, "summary_figure", broken_chart)
    assert main(["run", *FAST, "--seed", "1", "--out", "results/runs/x"]) == 130
    assert list(in_tmp.iterdir()) == []


def samen_executable() -> str:
    exe = Path(sys.executable).with_name("samen")
    # `make test` installs the project first, so the entry point must be there
    assert exe.exists(), f"the samen entry point is missing beside {sys.executable}: run make test"
    return str(exe)


def test_installed_entry_point(tmp_path):
    exe = samen_executable()
    ok = subprocess.run([exe, "scenarios"], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert ok.returncode == 0 and "manifesto" in ok.stdout
    bad = subprocess.run([exe, "run", "--set", "partnership=2"], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [bad.stderr.strip()]
    assert "partnership" in bad.stderr and "Traceback" not in bad.stderr
    assert list(tmp_path.iterdir()) == []


def test_version(capsys):
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("samen ") and "model " in out


def test_commands_are_listed_in_the_order_of_work(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    listed = [line.split()[0] for line in out.split("COMMAND")[-1].splitlines()
              if line.startswith("    ") and not line.startswith("     ")]
    assert listed[:5] == ["scenarios", "params", "run", "specs", "sweep"]
    assert listed.index("analyze") < listed.index("brief") < listed.index("workshop")


def test_run_loads_neither_the_dashboard_nor_dask_nor_salib(tmp_path):
    """`samen run` imports only what a run needs (issue 13: start fast)."""
    code = ("import sys, experiments.cli as c; "
            f"c.main(['run', '--seed', '1', '--steps', '1', '--quiet', '--out', {str(tmp_path / 'r')!r}, "
            "'--set', 'population_scale=9000']); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'solara', 'reacton', 'dask', 'distributed', "
            "'SALib', 'ema_workbench'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "r" / "summary.png").exists()


def test_help_loads_neither_the_model_nor_pandas():
    """`samen --help` answers at once: building the parser imports no heavy package."""
    code = ("import sys, experiments.cli as c; c.build_parser(); "
            "heavy = [m for m in ('model', 'mesa', 'pandas', 'numpy', 'matplotlib') if m in sys.modules]; "
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stderr


def test_console_returns_mains_code_raises_gc_thresholds_and_freezes_the_heap(monkeypatch, capsys):
    import gc

    from experiments import cli

    monkeypatch.setattr(sys, "argv", ["samen", "--version"])
    thresholds = gc.get_threshold()
    try:
        assert cli.console() == 0
        assert gc.get_threshold() == cli.GC_THRESHOLDS != thresholds
        assert gc.isenabled()  # fewer collections, not none: long commands still free cycles
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
    assert "samen" in capsys.readouterr().out
