"""``samen export``: CSVs that read back to the same values, seeds as text."""

from __future__ import annotations

import pandas as pd
import pytest

from experiments.cli import main
from experiments.sweep import load_runs
from experiments.sweep.store import load_table
from tests.brief_fixtures import make_sweep

from .conftest import FAST


def _same(csv_frame: pd.DataFrame, original: pd.DataFrame) -> None:
    expected = original.copy()
    if "seed" in expected.columns:
        expected["seed"] = expected["seed"].map(str)
    pd.testing.assert_frame_equal(csv_frame.reset_index(drop=True), expected.reset_index(drop=True),
                                  check_dtype=False, check_exact=True)


def test_export_of_a_run_folder(in_tmp, capsys):
    assert main(["run", *FAST, "--seed", "5", "--out", "r", "--quiet"]) == 0
    assert main(["export", "r"]) == 0
    assert "written to r/csv" in capsys.readouterr().out
    for name in ("series", "regions", "groups"):
        _same(pd.read_csv(in_tmp / "r" / "csv" / f"{name}.csv"), pd.read_parquet(in_tmp / "r" / f"{name}.parquet"))
    assert (in_tmp / "r" / "csv" / "manifest.json").is_file()
    # Never overwrites: a second export needs another folder.
    assert main(["export", "r"]) == 2
    assert "not empty" in capsys.readouterr().err
    assert main(["export", "r", "--out", "elsewhere"]) == 0


def test_export_of_a_sweep_folder_keeps_63_bit_seeds_as_text(tmp_path, capsys):
    sweep = tmp_path / "s"
    make_sweep(sweep, replications=3)
    out = tmp_path / "csv"
    assert main(["export", str(sweep), "--out", str(out)]) == 0
    runs = load_runs(sweep)
    assert runs["seed"].max() > 2**53  # too large for a double: R and spreadsheets would round it
    text = (out / "runs.csv").read_text(encoding="utf-8")
    assert f'"{runs["seed"].iloc[0]}"' in text  # quoted: text, not a number
    _same(pd.read_csv(out / "runs.csv", dtype={"seed": str}), runs)
    for name in ("series", "regions", "groups"):
        _same(pd.read_csv(out / f"{name}.csv"), load_table(sweep, name))
    assert (out / "design.csv").is_file()


@pytest.mark.parametrize("what, message", [("nowhere", "no such folder"), ("empty", "holds no tables")])
def test_export_of_a_folder_without_tables_is_a_user_error(in_tmp, capsys, what, message):
    (in_tmp / "empty").mkdir()
    assert main(["export", what]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_export_of_a_brief_folder_points_to_its_sweep(in_tmp, capsys):
    (in_tmp / "brief" / "sweep").mkdir(parents=True)
    (in_tmp / "brief" / "sweep" / "manifest.json").write_text("{}")
    assert main(["export", "brief"]) == 2
    assert "samen export brief/sweep" in capsys.readouterr().err
