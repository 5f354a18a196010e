"""Brief charts: drawn from a stored (synthetic) scenarios sweep, in both languages."""

from __future__ import annotations

import string

import pandas as pd
import pytest

from experiments.brief import charts as cb
from experiments.brief.data import (
    clear_effect,
    group_means,
    load_scenario_sweep,
    paired_differences,
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
    # Scenarios by their display names (scenario files' title/title_nl), not identifiers.
    assert "Difference from Today's policy" in en._suptitle.get_text()
    assert "Verschil met Huidig beleid" in nl._suptitle.get_text()
    labels = [t.get_text() for t in nl.axes[0].get_yticklabels()]
    assert "Het manifest" in labels and "manifesto" not in labels


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


def _number_ticks(fig) -> list[str]:
    """The tick labels of every numeric axis (not those naming scenarios or groups)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.ticker import ScalarFormatter

    from experiments.charts import LocaleFormatter

    FigureCanvasAgg(fig).draw()
    texts = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            formatter = axis.get_major_formatter()
            assert type(formatter) is not ScalarFormatter  # every numeric axis is localised
            if isinstance(formatter, LocaleFormatter):
                texts += [t.get_text() for t in axis.get_ticklabels()]
    return texts


@pytest.mark.parametrize("name", ["over_time", "difference", "provinces", "who_gains", "cost"])
def test_every_chart_axis_uses_the_languages_decimal_mark(results, name):
    draw = {"over_time": cb.over_time_figure, "difference": cb.difference_figure,
            "provinces": cb.province_map_figure, "who_gains": cb.who_gains_figure,
            "cost": lambda r, lang: cb.cost_effectiveness_figure(r, lang)[0]}[name]
    nl, en = _number_ticks(draw(results, "nl")), _number_ticks(draw(results, "en"))
    assert nl and all("." not in t for t in nl) and all("," not in t for t in en)
    if name in ("difference", "cost"):  # small differences: decimals on the axis
        assert any("," in t for t in nl) and any("." in t for t in en)


def test_axes_of_small_changes_keep_a_minimum_span(results):
    """0.1 points of noise must not fill a panel as if it were a trend."""
    fig = cb.over_time_figure(results, "en")
    cohesion = fig.axes[0]  # the fake's cohesion barely moves
    low, high = cohesion.get_ylim()
    assert high - low >= OUTCOMES["cohesion"].min_span - 1e-9
    diff = cb.difference_figure(results, "en")
    for ax, outcome in zip(diff.axes, results.outcomes(cb.BRIEF_OUTCOMES), strict=False):
        low, high = ax.get_xlim()
        assert high - low >= OUTCOMES[outcome].change_span - 1e-9


def test_difference_chart_draws_the_bases_seed_to_seed_spread(results):
    noise = cb.seed_noise(results, ["trust_government"])
    low, high = noise["trust_government"]
    assert low < 0 < high  # the fake's base level varies with the seed
    fig = cb.difference_figure(results, "en")
    spans = [p for p in fig.axes[1].patches if p.get_alpha() == pytest.approx(0.14)]
    assert len(spans) == 1


def test_the_map_shows_the_interval_and_marks_unclear_provinces(results):
    fig = cb.province_map_figure(results, "nl")
    axes = [ax for ax in fig.axes if ax.get_title(loc="left")]
    titles = [ax.get_title(loc="left") for ax in axes]
    contract = axes[titles.index("Alleen een sociaal contract")]
    manifesto = axes[titles.index("Het manifest")]
    hatched = lambda ax: sum(1 for p in ax.patches if p.get_hatch())  # noqa: E731
    assert hatched(contract) > 0 and hatched(manifesto) == 0  # noise only vs a clear effect
    labels = [t.get_text() for t in manifesto.texts]
    intervals = [t for t in labels if "\u2026" in t]  # one interval line per province, below its median
    assert len(intervals) == 12 and len([t for t in labels if t.count("\n") == 1]) == 12


@pytest.mark.parametrize("steps, en, nl", [(4, "after 1 year ", "na 1 jaar "), (40, "after 10 years", "na 10 jaar"),
                                           (10, "after 2.5 years", "na 2,5 jaar")])
def test_years_are_counted_in_the_right_number(results, steps, en, nl):
    from dataclasses import replace

    shorter = replace(results, steps=steps)
    assert en in cb.difference_figure(shorter, "en")._suptitle.get_text() + " "
    assert nl in cb.difference_figure(shorter, "nl")._suptitle.get_text() + " "
