"""Grouped Sobol analysis (issue 14, "How sure we are"): ``[groups]`` in sweep specs, the group
of every uncertainty, the paired manifesto-minus-baseline analysis and the brief's section."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.brief.content import build_blocks, sensitivity_sentences
from experiments.brief.data import load_scenario_sweep
from experiments.brief.html import render_html
from experiments.brief.sensitivity import load_sensitivity
from experiments.calibration import checks, sensitivity
from experiments.cli import main
from experiments.errors import SamenError
from experiments.i18n import ASSUMPTION_GROUPS, LANGUAGES, MISSION_OUTCOMES, tr
from experiments.sweep import load_spec, run_sweep
from experiments.sweep.analysis import load_sweep, sobol_indices
from experiments.sweep.design import build_design, problem, run_count, sample_count
from model.outcomes import SERIES_COLUMNS
from model.parameters import UNCERTAINTIES
from tests.brief_fixtures import fake_sweep_folder
from tests.sweep_fakes import fake_run

ROOT = Path(__file__).resolve().parents[1]
GROUPED = {"name": "g", "seed": 11, "design": "sobol", "samples": 8,
           "levers": {"investment_eur": [0, 2e9], "partnership": [0, 0.3]},
           "uncertainties": {"trust_down_ratio": [1.5, 4], "board_min": [3, 7]},
           "groups": {"money": ["investment_eur"], "rest": ["partnership", "trust_down_ratio", "board_min"]}}


def grouped(**changes):
    return {k: v for k, v in {**GROUPED, **changes}.items() if v is not None}


# ---- [groups] in a spec ------------------------------------------------------------------------
@pytest.mark.parametrize("changes, message", [
    ({"design": "lhs"}, "[groups] is only used by design 'sobol', not 'lhs'"),
    ({"groups": {"money": ["investment_eur"], "rest": ["partnership", "trust_down_ratio"]}},
     "[groups] board_min is in no group; every varied parameter needs exactly one"),
    ({"groups": {"money": ["investment_eur", "board_min"], "rest": ["partnership", "trust_down_ratio", "board_min"]}},
     "[groups] board_min is listed in both money and rest"),
    ({"groups": {"money": ["investment_eur", "investment_eur"], "rest": ["partnership", "trust_down_ratio",
                                                                        "board_min"]}},
     "[groups] investment_eur is listed twice"),
    ({"groups": {"money": ["investment_eur", "homophily"], "rest": ["partnership", "trust_down_ratio",
                                                                    "board_min"]}},
     "[groups] money lists homophily, which is not varied"),
    ({"groups": {"all": ["investment_eur", "partnership", "trust_down_ratio", "board_min"]}},
     "[groups] needs at least 2 groups"),
    ({"groups": {"money": "investment_eur"}}, "[groups] money must be a non-empty list"),
    ({"groups": ["money"]}, "[groups] must be a table"),
])
def test_groups_mistakes_are_one_line_errors_naming_the_factor(changes, message):
    data = grouped(**changes)
    if data["design"] == "lhs":
        data["samples"] = 8
    with pytest.raises(SamenError, match=re.escape(message)) as info:
        load_spec(data)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("second_order, rows", [(False, 8 * (2 + 2)), (True, 8 * (2 * 2 + 2))])
def test_a_grouped_sobol_design_counts_groups_not_factors(second_order, rows):
    spec = load_spec(grouped(second_order=second_order))
    assert sample_count(spec) == rows == len(build_design(spec))
    ungrouped = load_spec(grouped(groups=None, second_order=second_order))
    assert sample_count(ungrouped) == 8 * ((2 * 4 + 2) if second_order else (4 + 2))
    prob = problem(spec)
    assert prob["names"] == ["investment_eur", "partnership", "trust_down_ratio", "board_min"]
    assert prob["groups"] == ["money", "rest", "rest", "rest"]
    assert "groups" not in problem(ungrouped)
    assert load_spec(spec.to_dict()) == spec


# ---- the group of every uncertainty --------------------------------------------------------------
def test_every_uncertainty_lands_in_exactly_one_named_group():
    groups = checks.grouped_uncertainties()
    members = [n for names in groups.values() for n in names]
    assert sorted(members) == sorted(UNCERTAINTIES) and len(members) == len(set(members))
    assert 10 <= len(groups) <= 12
    assert checks.uncertainty_group("trust_down_ratio") == "trust_in_government"
    assert checks.uncertainty_group("join_rate_care") == "membership_and_boards"
    for group in checks.UNCERTAINTY_GROUPS:  # the brief names each in both languages
        assert all(ASSUMPTION_GROUPS[group][lang] for lang in LANGUAGES)
    with pytest.raises(SamenError, match="matches no group"):
        checks.uncertainty_group("happiness")


def test_a_parameter_in_two_groups_is_refused(monkeypatch):
    monkeypatch.setitem(checks.UNCERTAINTY_GROUPS, "market", ("market_*", "gp_drift_factor", "trust_*"))
    with pytest.raises(SamenError, match=r"trust_down_ratio matches 2 groups \(trust_in_government, market\)"):
        checks.uncertainty_group("trust_down_ratio")


@pytest.mark.parametrize("scenario", ["baseline", "manifesto"])
def test_the_shipped_sobol_specs_are_the_generated_ones(scenario, tmp_path):
    """experiments/sweeps/sobol-*.toml: regenerate with `python -m experiments.calibration.checks
    sobol-specs` when an uncertainty is added."""
    shipped = load_spec(ROOT / "experiments" / "sweeps" / f"sobol-{scenario}.toml")
    assert set(shipped.factor_names) == set(UNCERTAINTIES) and "population_scale" not in shipped.parameters
    assert (shipped.samples, shipped.second_order, shipped.common_random_numbers) == (checks.SOBOL_SAMPLES, False, True)
    assert run_count(shipped) == checks.SOBOL_SAMPLES * (len(shipped.groups) + 2)
    text = checks.sobol_spec_text(scenario, shipped.samples, shipped.seed, shipped.steps)
    (tmp_path / "spec.toml").write_text(text, encoding="utf-8")
    assert load_spec(tmp_path / "spec.toml").to_dict() == shipped.to_dict()
    morris = load_spec(ROOT / "experiments" / "sweeps" / f"sensitivity-{scenario}.toml")
    same = set(morris.factor_names) & set(shipped.factor_names)
    ranges = {f.name: (f.low, f.high) for f in shipped.factors}
    assert all(ranges[f.name] == (f.low, f.high) for f in morris.factors if f.name in same)


# ---- a grouped Sobol analysis end to end ---------------------------------------------------------
def test_the_group_that_drives_the_outcome_gets_the_largest_total_index(tmp_path):
    """fake_run: the level moves 0.06 over the investment range and 0.009 over partnership's;
    common random numbers make the seed noise the same in every sample."""
    run_sweep(grouped(samples=16, steps=4, common_random_numbers=True, outcomes=["trust_government"]),
              workers=1, out=tmp_path / "s", run_fn=fake_run)
    table = sobol_indices(load_sweep(tmp_path / "s"), ["trust_government"], resamples=100)
    assert list(table["parameter"]) == ["money", "rest"]
    by = table.set_index("parameter")
    assert by.loc["money", "ST"] > 0.8 > by.loc["rest", "ST"]
    assert by.loc["money", "ST_low"] <= by.loc["money", "ST"] <= by.loc["money", "ST_high"]


def paired_fake(scenario: str, overrides: dict, seed: int, steps: int) -> pd.DataFrame:
    """The manifesto raises trust in government by 0.02 x trust_down_ratio (and a little with
    board_min) and cohesion by exactly 0.01; the seed adds the same noise to both scenarios'
    trust."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({c: np.full(steps + 1, 0.5) for c in SERIES_COLUMNS})
    frame["step"] = np.arange(steps + 1)
    frame["year"] = 2024 + frame["step"] / 4
    policy = scenario == "manifesto"
    effect = 0.02 * float(overrides["trust_down_ratio"]) + 0.0005 * int(overrides["board_min"])
    frame["trust_government"] = 0.4 + policy * effect + rng.normal(0, 0.01, steps + 1)
    frame["cohesion"] = 0.55 + 0.01 * policy
    return frame


PAIRED = {"seed": 5, "design": "sobol", "samples": 8, "steps": 4, "common_random_numbers": True,
          "outcomes": ["trust_government", "cohesion"],
          "uncertainties": {"trust_down_ratio": [1.5, 4], "board_min": [3, 7], "homophily": [1, 3]},
          "groups": {"trust_in_government": ["trust_down_ratio"], "membership_and_boards": ["board_min", "homophily"]}}


@pytest.fixture(scope="module")
def paired_dirs(tmp_path_factory):
    root = tmp_path_factory.mktemp("paired")
    for scenario in ("baseline", "manifesto"):
        run_sweep({**PAIRED, "name": f"p-{scenario}", "scenario": scenario}, workers=1, out=root / scenario,
                  run_fn=paired_fake)
    return root / "baseline", root / "manifesto"


def test_the_paired_difference_is_analysed_per_group_and_a_constant_one_refused(paired_dirs, tmp_path, capsys):
    summary, table = sensitivity.analyse_sobol(*paired_dirs, resamples=100)
    diff = summary.set_index("outcome")
    assert diff.loc["cohesion", "constant"] and not diff.loc["trust_government", "constant"]
    assert diff.loc["trust_government", "share_positive"] == 1.0 and diff.loc["trust_government", "runs"] == 32
    assert list(table.columns) == sensitivity.SOBOL_COLUMNS
    assert set(table["outcome"]) == {"trust_government"}  # no indices of a constant difference
    st = table.set_index("group")["ST"]
    assert st["trust_in_government"] > 0.5 > st["membership_and_boards"]
    assert main_sensitivity(["--sobol", *map(str, paired_dirs), "--out", str(tmp_path / "out")]) == 0
    assert "cohesion: the difference is constant over the design" in capsys.readouterr().out
    for name in ("sobol.csv", "difference.csv", "sobol.png"):
        assert (tmp_path / "out" / name).is_file()
    back = load_sensitivity(tmp_path / "out")
    assert back.samples == 32 and list(back.sobol.columns) == sensitivity.SOBOL_COLUMNS


def main_sensitivity(argv):
    return sensitivity.main(argv)


def test_sweeps_that_do_not_pair_are_refused(paired_dirs, tmp_path, capsys):
    other = tmp_path / "other"
    run_sweep({**PAIRED, "name": "other", "seed": 6, "scenario": "manifesto"}, workers=1, out=other,
              run_fn=paired_fake)
    assert main_sensitivity(["--sobol", str(paired_dirs[0]), str(other), "--out", str(tmp_path / "o")]) == 2
    assert "must share their design and seed" in capsys.readouterr().err
    assert main_sensitivity([str(paired_dirs[0]), str(paired_dirs[1]), "--out", str(tmp_path / "m")]) == 2
    assert "is not a Morris sweep" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


# ---- the brief's "How sure are we?" ------------------------------------------------------------
@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return load_scenario_sweep(fake_sweep_folder(tmp_path_factory))


def write_fake_analysis(folder: Path) -> Path:
    """sobol.csv and difference.csv as the Sobol mode writes them: trust in government depends
    mostly on trust_in_government, everything else on municipalities; cohesion is constant."""
    folder.mkdir(parents=True, exist_ok=True)
    rows, diffs = [], []
    for outcome in MISSION_OUTCOMES:
        if outcome == "cohesion":
            diffs.append({"outcome": outcome, "runs": 448, "difference_median": 0.01, "share_positive": 1.0,
                          "share_negative": 0.0, "constant": True})
            continue
        top = "trust_in_government" if outcome == "trust_government" else "municipalities"
        for i, group in enumerate(checks.UNCERTAINTY_GROUPS):
            st = 0.7 if group == top else 0.3 if group == "market" else 0.02 * i
            rows.append({"outcome": outcome, "group": group, "S1": st * 0.8, "S1_conf": 0.05, "ST": st,
                         "ST_conf": 0.08})
        diffs.append({"outcome": outcome, "runs": 448, "difference_median": -0.02 if outcome == "access" else 0.03,
                      "share_positive": 0.05 if outcome == "access" else 0.91,
                      "share_negative": 0.95 if outcome == "access" else 0.09, "constant": False})
    pd.DataFrame(rows).to_csv(folder / "sobol.csv", index=False)
    pd.DataFrame(diffs).to_csv(folder / "difference.csv", index=False)
    return folder


@pytest.mark.parametrize("lang, most, sign", [
    ("en", "Which assumptions matter most: municipalities and market for shops and GPs",
     "Trust in national government: higher than under ‘Today’s policy’ in 91% of the combinations; what it "
     "depends on most: trust in government and market for shops and GPs."),
    ("nl", "Welke aannames het meest uitmaken: gemeenten en markt voor winkels en huisartsen",
     "Toegang tot voorzieningen: lager dan bij"),
])
def test_the_section_names_the_sign_share_and_the_top_groups(results, tmp_path, lang, most, sign):
    analysis = load_sensitivity(write_fake_analysis(tmp_path / "sobol"))
    blocks = build_blocks(results, lang, {}, {}, sensitivity=analysis)
    text = render_html(blocks, lang)
    assert tr("sensitivity_heading", lang) in text and most in text
    sentences = sensitivity_sentences(analysis, results, lang)
    base = results.title("baseline", lang)
    assert any(s.startswith(sign.replace("‘Today’s policy’", f"‘{base}’")) for s in sentences), sentences
    assert len(sentences) == len(MISSION_OUTCOMES)
    assert any(tr("sensitivity_constant", lang, outcome="", base="")[:12] in s for s in sentences)
    box = next(b for b in blocks if b.kind == "box")
    assert any(str(tmp_path / "sobol") in item for item in box.items)  # the source is named


def test_without_an_analysis_the_section_is_a_note_saying_how_to_add_it(results, in_tmp):
    blocks = build_blocks(results, "en", {}, {})
    assert not any(b.text == tr("sensitivity_heading", "en") for b in blocks)
    assert any(b.kind == "note" and "--sensitivity" in b.text for b in blocks)


def test_the_brief_draws_the_section_from_the_folder_and_fits_five_pages(results, in_tmp):
    from pypdf import PdfReader

    folder = write_fake_analysis(in_tmp / "docs" / "figures" / "sobol")  # the default folder
    out = in_tmp / "brief"
    assert main(["brief", "--from", str(results.path), "--lang", "nl", "--out", str(out)]) == 0
    assert (out / "figures" / "sensitivity.png").is_file() and (out / "figures" / "sensitivity.svg").is_file()
    html = (out / "brief.html").read_text(encoding="utf-8")
    assert "Hoe zeker zijn we?" in html and 'alt="sensitivity"' in html
    assert len(PdfReader(out / "brief.pdf").pages) <= 4 + 1  # the section may add one page
    (folder / "sobol.csv").unlink()
    assert main(["brief", "--from", str(results.path), "--sensitivity", str(folder), "--out", str(in_tmp / "b")]) == 2
    assert not (in_tmp / "b").exists()
