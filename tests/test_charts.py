"""Brief charts: drawn from a stored (synthetic) scenarios sweep, in both languages."""

from __future__ import annotations

import string

import numpy as np
import pandas as pd
import pytest

from experiments.brief import charts as cb
from experiments.brief.data import (
    clear_effect,
    group_means,
    load_scenario_sweep,
    paired_differences,
    split_tables,
    with_tables,
)
from experiments.charts import province_tiles, save_figure
from experiments.i18n import LANGUAGES, OUTCOMES, TEXT, number
from tests.brief_fixtures import fake_sweep_folder


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return load_scenario_sweep(fake_sweep_folder(tmp_path_factory))


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_text_has_both_languages_with_the_same_fields():
    for key, entry in TEXT.items():
        assert set(entry) == set(LANGUAGES), key
        assert _fields(entry["nl"]) == _fields(entry["en"]), key
        assert entry["nl"] and entry["en"], key
    for o in OUTCOMES.values():
        for mapping in (o.name, o.unit, o.change_unit):
            assert set(mapping) == set(LANGUAGES), o.column


def test_numbers_use_a_decimal_comma_in_dutch():
    assert number(-1.25, "nl", 2, signed=True) == "\u22121,25"
    assert number(3.0, "en", 1, signed=True) == "+3.0"
    assert number(-0.0001, "en", 1) == "0.0"  # no "-0.0"


def test_province_tiles_cover_the_twelve_provinces_once():
    tiles = province_tiles()
    assert len(tiles) == 12
    assert tiles["province"].notna().all()
    assert not tiles.duplicated(["col", "row"]).any()


def test_region_and_group_columns_round_trip():
    series = pd.DataFrame({"step": [0, 1], "cohesion": [0.5, 0.6]})
    regions = pd.DataFrame({"step": [0, 0, 1, 1], "region": ["A", "B", "A", "B"],
                            **{c: [1.0, 2.0, 3.0, 4.0] for c in
                               ("population", "cohesion", "trust_government", "trust_local_government",
                                "participation_rate", "access")}})
    groups = pd.DataFrame({"step": [0, 0, 1, 1], "education": ["low"] * 4, "income_quintile": [1] * 4,
                           "locality_kind": ["village", "town"] * 2,
                           **{c: [5.0, 7.0, 6.0, 8.0] for c in ("population", "trust_government",
                                                                 "trust_local_government", "participation_rate",
                                                                 "access")}})
    national, reg, grp = split_tables(with_tables(series, regions, groups))
    assert list(national.columns) == ["step", "cohesion"]
    merged = reg.merge(regions, on=["step", "region"], suffixes=("", "_in"))
    assert np.allclose(merged["access"], merged["access_in"]) and len(merged) == 4
    merged = grp.merge(groups, on=["step", "education", "income_quintile", "locality_kind"], suffixes=("", "_in"))
    assert len(merged) == 4 and grp["income_quintile"].tolist() == [1] * 4
    assert np.allclose(merged["trust_government"], merged["trust_government_in"])


def test_loaded_sweep_has_series_regions_and_groups(results):
    assert results.base == "baseline" and len(results.others) == 3
    assert results.series is not None and results.regions is not None and results.groups is not None
    assert results.regions["region"].nunique() == 12
    assert results.spending["manifesto"] == 1e9 and results.spending["contract-only"] == 0


def test_paired_differences_agree_with_the_sweep_engine_compare(results):
    mine = paired_differences(results.runs, results.base, ["trust_government"]).set_index("scenario")
    theirs = results.compare[results.compare["outcome"] == "trust_government"].set_index("scenario")
    for scenario in results.others:
        assert mine.loc[scenario, "median"] == pytest.approx(theirs.loc[scenario, "diff_median"])
        assert mine.loc[scenario, "low"] == pytest.approx(theirs.loc[scenario, "diff_p05"])
        assert mine.loc[scenario, "high"] == pytest.approx(theirs.loc[scenario, "diff_p95"])
    assert mine.loc["manifesto", "median"] == pytest.approx(0.03, abs=0.003)
    assert clear_effect(mine.loc["manifesto", "low"], mine.loc["manifesto", "high"])
    assert not clear_effect(mine.loc["contract-only", "low"], mine.loc["contract-only", "high"])


def test_group_means_are_population_weighted():
    groups = pd.DataFrame({"scenario": ["a", "a"], "replication": [0, 0], "education": ["low", "low"],
                           "population": [1.0, 3.0], "trust_government": [0.0, 1.0]})
    means = group_means(groups, "education", ["trust_government"])
    assert means["trust_government"].iloc[0] == pytest.approx(0.75)


def test_cost_effectiveness_divides_by_extra_spending_and_skips_free_scenarios(results):
    per, skipped = cb.cost_effectiveness(results)
    assert skipped == ["contract-only"]
    assert set(per["scenario"]) == {"manifesto", "investment-only"}
    raw = paired_differences(results.runs, results.base, ["access"]).set_index("scenario")
    got = per[(per["scenario"] == "investment-only") & (per["outcome"] == "access")]["median"].iloc[0]
    assert got == pytest.approx(raw.loc["investment-only", "median"] / 10)  # EUR 1 bn = 10 x 100 m


@pytest.mark.parametrize("name", ["over_time", "difference", "provinces", "who_gains", "cost"])
def test_chart_renders_to_png_and_svg(results, name, tmp_path):
    lang = "nl" if name in ("provinces", "cost") else "en"
    fig = {
        "over_time": lambda: cb.over_time_figure(results, lang),
        "difference": lambda: cb.difference_figure(results, lang),
        "provinces": lambda: cb.province_map_figure(results, lang),
        "who_gains": lambda: cb.who_gains_figure(results, lang),
        "cost": lambda: cb.cost_effectiveness_figure(results, lang)[0],
    }[name]()
    texts = " ".join(t.get_text() for t in fig.texts)
    assert f"master seed {results.seed}" in texts  # the caption line
    assert ("herhalingen" if lang == "nl" else "replications") in texts
    paths = save_figure(fig, tmp_path / name)
    assert paths["png"].stat().st_size > 10_000
    assert paths["svg"].read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_chart_titles_follow_the_language(results):
    en = cb.difference_figure(results, "en")
    nl = cb.difference_figure(results, "nl")
    assert "Difference from baseline" in en._suptitle.get_text()
    assert "Verschil met baseline" in nl._suptitle.get_text()


@pytest.mark.parametrize("method", ["sobol", "morris"])
def test_sensitivity_chart_reads_the_analysis_tables(method, tmp_path):
    params = ["investment_eur", "partnership", "regulatory_burden"]
    if method == "sobol":
        table = pd.DataFrame({"outcome": "trust_government", "parameter": params,
                              "S1": [0.5, 0.2, 0.05], "S1_low": [0.4, 0.1, -0.02], "S1_high": [0.6, 0.3, 0.1],
                              "ST": [0.6, 0.3, 0.1], "ST_low": [0.5, 0.2, 0.0], "ST_high": [0.7, 0.4, 0.2]})
    else:
        table = pd.DataFrame({"outcome": "trust_government", "parameter": params, "mu": [0.1, 0.0, 0.0],
                              "mu_star": [0.1, 0.05, 0.01], "mu_star_low": [0.08, 0.03, 0.0],
                              "mu_star_high": [0.12, 0.07, 0.02], "sigma": [0.01, 0.01, 0.01]})
    csv = tmp_path / f"{method}.csv"
    table.to_csv(csv, index=False)
    fig = cb.sensitivity_figure(pd.read_csv(csv), "en", "trust_government", source=str(csv))
    assert ("Sobol" if method == "sobol" else "Morris") in fig._suptitle.get_text()
    assert save_figure(fig, tmp_path / method)["png"].exists()
    with pytest.raises(ValueError):
        cb.sensitivity_figure(table, "en", "access")
