"""``samen bench``: its options are checked before anything runs, and both benchmarks measure."""

from __future__ import annotations

import pytest

from experiments.bench.model import measure, scale_for
from experiments.cli import main

from .test_cli import assert_user_error


@pytest.mark.parametrize(("argv", "needle"), [
    (["bench", "--steps", "0"], "--steps 0 must be at least 1"),
    (["bench", "--sizes", "10,1e4"], "--sizes must be citizen counts of at least 100"),
    (["bench", "--runs", "3"], "only --sweep uses --runs"),
    (["bench", "--workers", "2", "--scale", "500"], "only --sweep uses --workers, --scale"),
    (["bench", "--sweep", "--quick"], "--sweep measures runs per minute; --quick cannot be used with it"),
    (["bench", "--sweep", "--runs", "1"], "--runs 1 must be at least 2"),
    (["bench", "--sweep", "--workers", "0"], "--workers 0 must be at least 1"),
    (["bench", "--sweep", "--scale", "0"], "population_scale=0 is out of range"),
    (["bench", "--sizes", "many"], "invalid citizen_counts value"),
])
def test_bench_rejects_bad_options(capsys, in_tmp, argv, needle):
    assert_user_error(capsys, argv, needle, in_tmp)


def test_one_measurement_runs_in_a_child_process():
    m = measure("samen", scale_for(2_000), steps=1)
    assert 1_000 < m.citizens < 4_000 and m.steps == 1
    assert m.build_s > 0 and m.step_s > 0 and m.peak_mib > m.base_mib > 0


def test_sweep_benchmark_prints_runs_per_minute(capsys, in_tmp):
    assert main(["bench", "--sweep", "--runs", "2", "--steps", "1", "--scale", "9000", "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 runs (2 ok, lhs design) of 1 quarters with 1 workers in ") and "runs per minute" in out
    assert list(in_tmp.iterdir()) == []  # the sweep's folder was temporary


@pytest.mark.parametrize(("argv", "needle"), [
    (["bench", "--sweep", "--end-to-end"], "choose one of --sweep, --end-to-end, --country and --trend"),
    (["bench", "--end-to-end", "--country"], "choose one of --sweep, --end-to-end, --country and --trend"),
    (["bench", "--country", "--sizes", "1e4"], "--country times whole processes; --sizes cannot be used"),
    (["bench", "--country", "--repeats", "0"], "--repeats 0 must be at least 1"),
    (["bench", "--end-to-end", "--runs", "3"], "--end-to-end times whole processes; --runs cannot be used"),
    (["bench", "--end-to-end", "--repeats", "0"], "--repeats 0 must be at least 1"),
    (["bench", "--repeats", "2"],
     "only --end-to-end or --country (or --sweep and --trend for --history) uses --repeats"),
    (["bench", "--design", "scenarios"], "only --sweep uses --design"),
    (["bench", "--end-to-end", "--out", "x"], "only --trend uses --out"),
    (["bench", "--trend", "--end-to-end"], "choose one of --sweep, --end-to-end, --country and --trend"),
    (["bench", "--trend", "--repeats", "2", "--steps", "3"],
     "--trend draws the history file; --steps, --repeats cannot be used with it"),
    (["bench", "--trend", "--history", "missing.jsonl"], "history file missing.jsonl not found"),
    (["bench", "--sweep", "--design", "scenarios", "--runs", "5"], "--runs 5 must be at least 6"),
])
def test_bench_rejects_bad_end_to_end_and_design_options(capsys, in_tmp, argv, needle):
    assert_user_error(capsys, argv, needle, in_tmp)


def test_end_to_end_times_whole_processes_and_appends_history(tmp_path):
    import json

    from experiments.bench.endtoend import append_history, run_end_to_end

    report = run_end_to_end(repeats=1, steps=1, scales=(9000,), progress=lambda s: None)
    samen, mesa = report.runs["samen-9000"][0], report.runs["mesa"][0]
    assert 1_000 < samen.individuals < 4_000 and samen.wall_s > 0 and samen.peak_mib > 0
    assert mesa.individuals == 10_000 and 0 < mesa.steps_s < mesa.wall_s
    assert 0 < samen.model_s < samen.wall_s and mesa.steps_s < mesa.model_s < mesa.wall_s
    assert report.ratio("samen-9000") == pytest.approx(samen.per_second / mesa.per_second)
    assert "neither the default scale" in report.table()
    path = append_history(report.record(), tmp_path / "h" / "history.jsonl")
    append_history({"kind": "other"}, path)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [r["kind"] for r in lines] == ["end-to-end", "other"]
    assert lines[0]["medians"]["samen-9000"]["individuals"] == samen.individuals
    assert {"cpu", "cores", "load_1min"} <= lines[0]["machine"].keys() and "commit" in lines[0]["git"]


def test_country_benchmark_times_whole_runs_against_four_minutes_and_eight_gib(tmp_path):
    """At a coarse scale (the 1:1 country takes minutes): the record, the table and the verdicts."""
    import json

    from experiments.bench.endtoend import append_history, run_country

    report = run_country(repeats=2, steps=1, scale=9000, progress=lambda s: None)
    assert [p.individuals for p in report.runs] == [report.runs[0].individuals] * 2
    assert 1_000 < report.runs[0].individuals < 4_000 and all(p.wall_s > 0 for p in report.runs)
    table = report.table()
    assert "whole run < 4 min: met" in table and "peak memory < 8 GiB: met" in table
    path = append_history(report.record(), tmp_path / "history.jsonl")
    record = json.loads(path.read_text())
    assert record["kind"] == "country" and record["repeats"] == 2 and "commit" in record["git"]
    assert record["median"]["individuals"] == report.runs[0].individuals
    assert 0 < record["median"]["model_s"] < record["median"]["wall_s"]


def test_scenarios_sweep_benchmark_builds_six_scenarios_per_seed(capsys, in_tmp):
    assert main(["bench", "--sweep", "--design", "scenarios", "--runs", "6", "--steps", "1", "--scale", "9000",
                 "--workers", "1", "--history", "h.jsonl"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("6 runs (6 ok, scenarios design) of 1 quarters with 1 workers in ")
    assert "runs per second per worker" in out
    import json

    record = json.loads((in_tmp / "h.jsonl").read_text())
    assert record["kind"] == "sweep" and record["design"] == "scenarios" and record["runs"] == 6


def _record(kind: str, commit: str, dirty: bool = False, **figures) -> dict:
    return {"kind": kind, "git": {"commit": commit, "dirty": dirty}, **figures}


def test_trend_charts_each_target_at_the_commit_it_measured(in_tmp, capsys):
    import json

    from experiments.bench import trend

    records = [
        _record("end-to-end", "a" * 40, ratios={"samen-100": 12.0, "samen-18": 25.0},
                medians={"samen-100": {"wall_s": 6.5}}),
        _record("sweep", "a" * 40, True, design="scenarios", runs_per_second_per_worker=0.3),
        _record("sweep", "b" * 40, design="lhs", runs_per_second_per_worker=0.9),  # not the scenarios target
        _record("country", "b" * 40, median={"wall_s": 204.0, "peak_mib": 6182}),
        _record("end-to-end", "c" * 40, ratios={"samen-100": 15.0, "samen-18": 34.0},
                medians={"samen-100": {"wall_s": 4.9}}),
    ]
    positions = trend.commit_positions(records)
    assert positions == {"a" * 40: 0, "b" * 40: 1, "c" * 40: 2}
    ratio_1m = trend.series(records, "end-to-end", trend._ratio(18), positions)
    assert [(p.x, p.y) for p in ratio_1m] == [(0, 25.0), (2, 34.0)]
    sweep = trend.series(records, "sweep", trend._sweep_rate, positions)
    assert [(p.x, p.y, p.dirty) for p in sweep] == [(0, 0.3, True)]
    country = trend.series(records, "country", trend._country_minutes, positions, note=trend._country_memory)
    assert [(p.x, p.y, p.note) for p in country] == [(1, 3.4, "6.0 GiB")]

    history = in_tmp / "h.jsonl"
    history.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    assert main(["bench", "--trend", "--history", str(history), "--out", "trend"]) == 0
    assert "trend chart written to trend/trend.png" in capsys.readouterr().out
    assert sorted(p.name for p in (in_tmp / "trend").iterdir()) == ["manifest.json", "trend.png", "trend.svg"]
    manifest = json.loads((in_tmp / "trend" / "manifest.json").read_text())
    assert manifest["records"] == 5 and manifest["commits"] == list(positions)


def test_trend_refuses_a_file_that_is_not_a_history(in_tmp, capsys):
    (in_tmp / "bad.jsonl").write_text('{"kind": "end-to-end", "git": {}}\nnot json\n')
    assert_user_error(capsys, ["bench", "--trend", "--history", "bad.jsonl"], "bad.jsonl, line 2: not a JSON record",
                      in_tmp)
    (in_tmp / "odd.jsonl").write_text('{"kind": "other"}\n')
    assert_user_error(capsys, ["bench", "--trend", "--history", "odd.jsonl"],
                      "odd.jsonl, line 1: not a benchmark record", in_tmp)


def test_history_records_ignore_the_history_file_itself(tmp_path):
    """A record appended to benchmarks/history.jsonl does not make the next record 'dirty'."""
    import subprocess

    from experiments.output import git_info

    def git(*args):
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "history.jsonl").write_text("")
    (tmp_path / "code.py").write_text("x = 1\n")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start")
    (tmp_path / "benchmarks" / "history.jsonl").write_text("{}\n")
    assert git_info(tmp_path)["dirty"] is True
    assert git_info(tmp_path, ignore=("benchmarks/history.jsonl",))["dirty"] is False
    (tmp_path / "code.py").write_text("x = 2\n")
    assert git_info(tmp_path, ignore=("benchmarks/history.jsonl",))["dirty"] is True


def test_the_threads_benchmark_times_every_split_pass_and_finds_the_same_end_state(capsys, monkeypatch):
    """benchmarks/threads.py: 1 thread against 3 (forced, on ranges of 200 citizens), same end state."""
    from model import threads

    monkeypatch.setattr(threads, "MIN_PER_THREAD", 200)
    monkeypatch.setattr(threads, "available_cores", lambda: 3)
    default = threads.threads()
    script = _benchmark_script("threads")
    script.main(9000)
    out = capsys.readouterr().out
    assert "1 thread" in out and "3 threads" in out
    assert all(name in out for name in script.PASSES)
    assert out.rstrip().endswith("end states identical")
    assert threads.threads() == default


def _benchmark_script(name: str):
    """The script ``benchmarks/<name>.py`` as a module (registered, as dataclasses need)."""
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_phase_timers_add_up_and_leave_the_model_as_it_was():
    from model.model import SamenModel

    phases = _benchmark_script("phases")
    before = {name: getattr(SamenModel, name) for name in phases.PHASES}
    citizens, quarter_ms, parts = phases.phases(9000)
    assert 1_000 < citizens < 4_000 and quarter_ms > 0
    assert all(v > 0 for v in parts.values())
    assert sum(parts.values()) <= quarter_ms  # the phases, reach and recording run one after another
    assert {name: getattr(SamenModel, name) for name in phases.PHASES} == before


def test_the_budget_bounds_a_run_by_what_grows_with_citizens():
    """benchmarks/budget.py: only the part above a small world counts, and the verdict follows."""
    budget = _benchmark_script("budget")
    big = budget.Costs(build=1.0, spinup=2.0, quarters=5.0, write=0.5)
    small = budget.Costs(build=0.3, spinup=0.5, quarters=1.5, write=0.6)
    growing = big.minus(small)
    assert growing.astuple() == pytest.approx((0.7, 1.5, 3.5, 0.0))  # writing does not grow: 0, not < 0
    assert budget.whole_run_bound(2.0, growing) == pytest.approx(2.0 + 0.7 + 1.5 + 3.5)
    # a sweep run: its quarters and a sixth of a start, no imports and no writing
    assert budget.sweep_run_bound(growing) == pytest.approx(3.5 + (0.7 + 1.5) / budget.SCENARIOS_PER_START)
    # 1,000,000 citizens x 40 quarters at 50x a rate of 100,000 per second: 8 s
    assert budget.ratio_budget(1_000_000, 50.0, 100_000.0, quarters=40) == pytest.approx(8.0)
    assert budget.verdict(7.9, 8.0) == "within reach"
    assert budget.verdict(8.5, 8.0) == "OUT OF REACH by 0.50 s"


def test_the_budget_times_each_part_of_a_run_and_leaves_the_model_as_it_was(tmp_path):
    from model.model import SamenModel

    budget = _benchmark_script("budget")
    build, quarter = SamenModel._build, SamenModel._quarter
    costs = budget.run_costs(budget.SMALL_SCALE, 1, tmp_path)
    assert all(part > 0 for part in costs.astuple())
    assert (SamenModel._build, SamenModel._quarter) == (build, quarter)
    assert (tmp_path / f"run-{budget.SMALL_SCALE}-1-{budget.threads.threads()}" / "manifest.json").exists()
