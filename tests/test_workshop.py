"""The workshop dashboard's logic, in-process: cards, levers, live runs, figures, rounds,
and the `samen workshop` command's checks. The browser tests are in test_workshop_browser.py."""

from __future__ import annotations

import json
import socket

import numpy as np
import pandas as pd
import pytest

from experiments.api import child_seeds
from experiments.cli import main
from experiments.errors import SamenError
from experiments.i18n import DECLARED, LANGUAGES, OUTCOMES
from experiments.scenarios import load_scenario, scenario_parameters
from experiments.workshop import figures
from experiments.workshop.cards import card_names, load_card, load_cards, parse_card
from experiments.workshop.levers import format_value, lever_specs, lever_values, nice_step, snap
from experiments.workshop.live import DASHBOARD_SCALE, BaselineReference, LiveRun, village_state
from experiments.workshop.rounds import (
    RoundStore,
    check_facilitator,
    check_levers,
    compare_round,
    new_facilitator_code,
    rank_tables,
    results_record,
)
from model.kinds import FacilityType
from model.parameters import LEVERS, PARAMS

GOOD_CARD = """
title_en = "T"
title_nl = "T nl"
description_en = "D"
description_nl = "D nl"
questions_en = ["Q1?"]
questions_nl = ["V1?"]
scenario = "manifesto"

[parameters]
allocation = "needs_based"
"""


@pytest.fixture(scope="module")
def cards():
    return {c.name: c for c in load_cards()}


# ---- cards ---------------------------------------------------------------------------------
def test_shipped_cards_cover_the_scenarios_in_both_languages(cards):
    assert card_names()[0] == "baseline"
    assert set(cards) >= {"baseline", "manifesto", "investment-only", "contract-only", "market-led", "austerity"}
    for card in cards.values():
        for lang in LANGUAGES:
            assert card.title[lang] and card.description[lang]
            assert 1 <= len(card.questions[lang]) <= 2
        assert card.title["nl"] != card.title["en"]
        # a card loads its scenario's parameters
        assert card.parameters() == scenario_parameters(load_scenario(card.scenario.name), card.overrides)


def test_a_card_without_a_title_takes_its_scenarios_display_name():
    """Scenario names live in one place, the scenario file: the brief and the cards share them."""
    card = parse_card(GOOD_CARD.replace('title_en = "T"\n', "").replace('title_nl = "T nl"\n', ""), "mine")
    scenario = load_scenario("manifesto")
    assert card.title == {"en": scenario.title("en"), "nl": scenario.title("nl")} == {
        "en": "The manifesto", "nl": "Het manifest"}
    assert load_cards()[0].title["nl"] == load_scenario("baseline").title("nl") == "Huidig beleid"


def test_card_overrides_apply_on_top_of_its_scenario():
    card = parse_card(GOOD_CARD, "mine")
    p = card.parameters()
    assert p.allocation == "needs_based" and p.investment_eur == 1e9 and p.partnership == 0.8
    assert card.parameters({"partnership": 0.1}).partnership == 0.1


@pytest.mark.parametrize("change, message", [
    (("title_en = \"T\"", "title_en = "), "not valid TOML"),
    (("scenario = \"manifesto\"", "scenario = \"utopia\""), "scenario 'utopia' is not a shipped scenario"),
    (("allocation = \"needs_based\"", "allocation = \"lottery\""), "allocation='lottery' is not allowed"),
    (("allocation = \"needs_based\"", "partnership = 7"), "partnership=7 is out of range"),
    (("allocation = \"needs_based\"", "speed = 1"), "unknown parameter 'speed'"),
    (("questions_en = [\"Q1?\"]", "questions_en = [\"Q1?\", \"Q2?\", \"Q3?\"]"), "one or two non-empty strings"),
    (("questions_en = [\"Q1?\"]", "questions_en = [\"Q1?\", \"Q2?\"]"), "same number of questions"),
    (("title_nl = \"T nl\"", "title_nl = \"\""), "title_nl must be a non-empty string"),
    (("description_nl = \"D nl\"", ""), "missing key(s) description_nl"),
    (("scenario = ", "colour = \"red\"\nscenario = "), "unknown key(s) colour"),
])
def test_bad_cards_are_refused_with_a_message_naming_the_file(tmp_path, change, message):
    old, new = change
    assert old in GOOD_CARD
    path = tmp_path / "bad.toml"
    path.write_text(GOOD_CARD.replace(old, new), encoding="utf-8")
    with pytest.raises(SamenError) as exc:
        load_card(path)
    assert str(path) in str(exc.value) and message in str(exc.value)


def test_a_card_folder_of_ones_own(tmp_path):
    with pytest.raises(SamenError, match="holds no .toml cards"):
        load_cards(tmp_path)
    (tmp_path / "zz.toml").write_text(GOOD_CARD, encoding="utf-8")
    (tmp_path / "baseline.toml").write_text(GOOD_CARD.replace("manifesto", "baseline"), encoding="utf-8")
    assert [c.name for c in load_cards(tmp_path)] == ["baseline", "zz"]


# ---- levers -------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGUAGES)
def test_lever_widgets_come_from_the_declarations(lang):
    specs = lever_specs(lang)
    assert [s.name for s in specs] == list(LEVERS)
    for s in specs:
        p = PARAMS[s.name]
        assert s.label == (p.label_nl if lang == "nl" else p.label_en) and s.label
        assert (s.default, s.kind, s.choices) == (p.default, p.kind, p.choices)
        assert s.unit == (p.unit if lang == "en" else DECLARED[p.unit]["nl"])  # every lever unit translated
        if p.kind != "choice":
            assert (s.low, s.high) == (p.low, p.high)
            if p.kind == "int":
                assert s.step == 1  # every whole number of a short range
            else:
                assert (p.high - p.low) / 1000 < s.step <= (p.high - p.low) / 100 + 1e-12


def test_defaults_and_every_card_value_lie_on_the_slider_grid(cards):
    specs = lever_specs("en")
    for values in [{s.name: s.default for s in specs}] + [lever_values(c.parameters()) for c in cards.values()]:
        for s in specs:
            assert snap(s, values[s.name]) == values[s.name], (s.name, values[s.name])


def test_snap_keeps_values_in_range_and_type():
    spec = {s.name: s for s in lever_specs("en")}
    assert snap(spec["partnership"], 0.8349) == 0.83
    assert snap(spec["partnership"], 7) == 1.0
    assert snap(spec["investment_years"], 3.6) == 4 and isinstance(snap(spec["investment_years"], 3.6), int)
    assert nice_step(0, 1e10, "float") == 1e8 and nice_step(-0.2, 0.2, "float") == 0.002


def test_values_are_shown_as_people_read_them():
    spec = {s.name: s for s in lever_specs("en")}
    assert format_value(spec["investment_eur"], 1e9, "en") == "EUR 1,000 million"
    assert format_value(spec["investment_eur"], 1.5e9, "nl") == "1.500 mln euro"
    assert format_value(spec["partnership"], 0.8, "nl") == "0,80"
    assert format_value(spec["allocation"], "matching", "en") == "matching (own contribution)"
    assert format_value(spec["allocation"], "per_capita", "nl") == "per inwoner"


def test_every_lever_option_reads_as_words_in_both_languages():
    for name in LEVERS:
        for choice in PARAMS[name].choices:
            assert {"nl", "en"} <= set(DECLARED[choice]), choice
            assert "_" not in DECLARED[choice]["nl"] and "_" not in DECLARED[choice]["en"]


def test_only_the_facilitator_code_runs_a_round(monkeypatch):
    monkeypatch.setenv("SAMEN_WORKSHOP_CODE", "K7P3QX")
    check_facilitator("k7p3qx")  # case and spaces do not matter
    check_facilitator(" K7P 3QX ")
    for wrong in ("", "K7P3Q", "nope"):
        with pytest.raises(SamenError, match="Only the facilitator"):
            check_facilitator(wrong)
    with pytest.raises(SamenError, match="gespreksleider"):
        check_facilitator("x", "nl")
    monkeypatch.delenv("SAMEN_WORKSHOP_CODE")
    with pytest.raises(SamenError):  # no code set: nobody runs rounds
        check_facilitator("")
    codes = {new_facilitator_code() for _ in range(20)}
    assert len(codes) == 20 and all(len(c) == 6 and not set(c) & set("01OIL") for c in codes)


def test_workshop_refuses_a_too_short_facilitator_code(capsys):
    assert main(["workshop", "--facilitator-code", "ab"]) == 2
    assert "at least 4 characters" in capsys.readouterr().err


# ---- live runs ----------------------------------------------------------------------------------
def test_live_run_is_the_api_model_at_dashboard_scale_and_reproducible(cards):
    a = LiveRun(cards["manifesto"], {"partnership": 0.5}, seed=3)
    b = LiveRun(cards["manifesto"], {"partnership": 0.5}, seed=3)
    assert a.parameters.population_scale == DASHBOARD_SCALE
    assert a.parameters.partnership == 0.5 and a.parameters.investment_eur == 1e9
    a.step(3)
    b.step(3)
    sa, sb = a.snapshot(), b.snapshot()
    assert sa.step == 3 and sa.year == 2024.75
    pd.testing.assert_frame_equal(sa.series, sb.series)
    assert sorted(sa.regions["region"].unique()) == sorted(sa.region_names)


def test_baseline_reference_is_the_baseline_card_with_the_same_seed(cards):
    ref = BaselineReference.for_seed(cards["baseline"], 5).series(2)
    assert BaselineReference.for_seed(cards["baseline"], 5) is BaselineReference.for_seed(cards["baseline"], 5)
    live = LiveRun(cards["baseline"], lever_values(cards["baseline"].parameters()), seed=5)
    live.step(2)
    pd.testing.assert_frame_equal(ref, live.snapshot().series)
    assert list(BaselineReference.for_seed(cards["baseline"], 5).series(1)["step"]) == [0, 1]


def test_only_the_most_recently_used_references_are_kept(cards, monkeypatch):
    import experiments.workshop.live as live_module

    monkeypatch.setattr(live_module, "MAX_REFERENCES", 2)
    monkeypatch.setattr(BaselineReference, "_cache", {})
    first = BaselineReference.for_seed(cards["baseline"], 11)
    BaselineReference.for_seed(cards["baseline"], 12)
    assert BaselineReference.for_seed(cards["baseline"], 11) is first  # used again: kept
    BaselineReference.for_seed(cards["baseline"], 13)  # 12 goes
    assert list(BaselineReference._cache) == [11, 13]


def test_village_view_shows_what_stands_in_the_locality(cards):
    live = LiveRun(cards["baseline"], {}, seed=2)
    places = live.localities(0)
    assert (places["kind"] != "neighbourhood").all() and places["kind"].iloc[0] == "village"
    assert list(places["kind"]) == sorted(places["kind"], key=lambda k: k != "village")
    for _, part in places.groupby("kind"):
        assert part["residents"].is_monotonic_decreasing
    village = live.village(int(places["locality"].iloc[0]))
    f = live.model.facilities
    here = f.view("locality") == village.locality
    assert len(village.facilities) == here.sum()
    meeting = (f.view("type")[here] == FacilityType.MEETING) & f.view("open")[here]
    assert (village.facilities["type"] == "meeting").sum() >= meeting.sum() > 0
    assert set(village.facilities["provider"]) <= {"market", "municipality", "collective"}
    # members are the collectives' own counts of residents, not simulated citizens x the scale
    t = live.model.collective_table
    cids = np.flatnonzero(t.view("active") & (t.view("locality") == village.locality))
    assert len(cids) == len(village.collectives)
    np.testing.assert_array_equal(village.collectives["members"].to_numpy(), t.members[cids])
    assert (village.collectives["members"] >= live.model.p.board_min).any()
    assert village_state(live.model, village.locality).residents == village.residents


# ---- figures ------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGUAGES)
def test_figures_draw_and_the_map_follows_the_run(cards, lang):
    live = LiveRun(cards["manifesto"], {}, seed=1)
    before = live.snapshot()
    map0 = figures.png(figures.province_map_figure(before.regions, "trust_government", lang))
    live.step(2)
    after = live.snapshot()
    map2 = figures.png(figures.province_map_figure(after.regions, "trust_government", lang))
    assert map0[:8] == b"\x89PNG\r\n\x1a\n" and map0 != map2
    base = BaselineReference.for_seed(cards["baseline"], 1).series(8)
    assert figures.png(figures.live_figure(after.series, base, lang, "x"))[:4] == b"\x89PNG"
    village = live.village(int(live.localities(3)["locality"].iloc[0]))
    assert figures.png(figures.village_figure(village, lang))[:4] == b"\x89PNG"


# ---- rounds -------------------------------------------------------------------------------------
def test_round_store_persists_submissions_atomically(tmp_path):
    path = tmp_path / "workshop" / "rounds.json"
    store = RoundStore(path)
    assert store.current() is None
    with pytest.raises(SamenError, match="no round is open"):
        store.submit("Table 1", {"partnership": 0.5})
    store.open_round("Round A", ["cohesion"], years=2, replications=2, seed=7)
    r0 = store.revision
    store.submit("  Table   1 ", {"partnership": 0.5})
    store.submit("Table 2", {"regulatory_burden": 0.1})
    store.submit("Table 1", {"partnership": 0.6})  # replaces the earlier entry
    assert store.revision == r0 + 3
    again = RoundStore(path)  # a restarted server
    current = again.current()
    assert current["title"] == "Round A" and current["open"]
    assert [(s["table"], s["levers"]) for s in current["submissions"]] == [
        ("Table 2", {"regulatory_burden": 0.1}), ("Table 1", {"partnership": 0.6})]
    assert sorted(p.name for p in path.parent.iterdir()) == ["rounds.json"]  # no temporary files left
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 1
    again.close_round()
    with pytest.raises(SamenError, match="no round is open"):
        again.submit("Table 3", {})
    store2 = RoundStore(path)
    store2.open_round("Round B", ["access"])
    assert [r["open"] for r in RoundStore(path).rounds()] == [False, True]


@pytest.mark.parametrize("levers, message", [
    ({"population_scale": 10}, "only policy levers"),
    ({"partnership": 3}, "out of range"),
    ({"allocation": "lottery"}, "not allowed"),
])
def test_bad_submissions_are_refused(levers, message):
    with pytest.raises(SamenError, match=message):
        check_levers(levers)


@pytest.mark.parametrize("kwargs, message", [
    ({"title": " "}, "needs a title"),
    ({"outcomes": []}, "at least one outcome"),
    ({"outcomes": ["happiness"]}, "unknown: happiness"),
    ({"years": 0}, "years 0"),
    ({"replications": 50}, "seeds per policy 50"),
    ({"seed": -1}, "seed -1"),
])
def test_bad_rounds_are_refused(tmp_path, kwargs, message):
    args = {"title": "R", "outcomes": ["cohesion"], **kwargs}
    with pytest.raises(SamenError, match=message):
        RoundStore(tmp_path / "r.json").open_round(**args)


def test_a_damaged_store_file_is_reported(tmp_path):
    path = tmp_path / "rounds.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(SamenError, match="cannot be read"):
        RoundStore(path)
    path.write_text('{"rounds": []}', encoding="utf-8")
    with pytest.raises(SamenError, match="not a Samen round store"):
        RoundStore(path)


def _runs(values: dict[str, dict[str, list[float]]]) -> pd.DataFrame:
    rows = []
    for table, by_outcome in values.items():
        for outcome, per_rep in by_outcome.items():
            for rep, v in enumerate(per_rep):
                rows.append({"table": table, "replication": rep, "seed": rep, "outcome": outcome, "value": v})
    return pd.DataFrame(rows)


def test_ranking_uses_paired_differences_and_respects_lower_is_better():
    assert OUTCOMES["theil_access_between"].lower_is_better
    runs = _runs({
        "": {"cohesion": [0.50, 0.60], "theil_access_between": [0.010, 0.020]},
        "A": {"cohesion": [0.52, 0.62], "theil_access_between": [0.012, 0.022]},  # +0.02, gap worse
        "B": {"cohesion": [0.51, 0.60], "theil_access_between": [0.005, 0.015]},  # +0.005, gap better
    })
    comparison, ranking = rank_tables(runs, ["cohesion", "theil_access_between"])
    a = comparison.set_index(["table", "outcome"])
    assert a.loc[("A", "cohesion"), "difference"] == pytest.approx(0.02)
    assert a.loc[("B", "cohesion"), "difference_low"] == pytest.approx(0.0)
    assert a.loc[("B", "cohesion"), "difference_high"] == pytest.approx(0.01)
    r = ranking.set_index("table")
    assert r.loc["A", "cohesion"] == 1 and r.loc["B", "cohesion"] == 2
    assert r.loc["B", "theil_access_between"] == 1 and r.loc["A", "theil_access_between"] == 2
    # equal mean rank: ties broken by name
    assert list(ranking["table"]) == ["A", "B"] and list(ranking["place"]) == [1, 2]
    _, only_gap = rank_tables(runs, ["theil_access_between"])
    assert list(only_gap["table"]) == ["B", "A"]


def test_compare_round_runs_every_table_on_the_same_seeds(tmp_path, cards):
    store = RoundStore(tmp_path / "rounds.json")
    with pytest.raises(SamenError, match="no table has submitted"):
        compare_round(store.open_round("R", ["cohesion", "access"], years=1, replications=2, seed=4), cards["baseline"])
    store.submit("same as baseline", lever_values(cards["baseline"].parameters()))
    store.submit("manifesto", lever_values(cards["manifesto"].parameters()))
    current = store.current()
    seen = []
    runs = compare_round(current, cards["baseline"], progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (6, 6)
    assert set(runs["seed"]) == set(child_seeds(4, 2))  # the project's one seed rule
    comparison, ranking = rank_tables(runs, current["outcomes"])
    same = comparison[comparison["table"] == "same as baseline"]
    assert np.allclose(same["difference"], 0.0)  # same policy, same seeds: identical runs
    assert len(ranking) == 2
    store.set_results(current["id"], results_record(current, runs))
    kept = RoundStore(tmp_path / "rounds.json").current()["results"]
    assert kept["tables"] == ["same as baseline", "manifesto"]
    pd.testing.assert_frame_equal(pd.DataFrame(kept["runs"]), runs, check_dtype=False)
    assert figures.png(figures.comparison_figure(comparison, current["outcomes"], "nl"))[:4] == b"\x89PNG"


# ---- the command --------------------------------------------------------------------------------
def test_workshop_refuses_an_unknown_language(capsys):
    assert main(["workshop", "--lang", "de"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "invalid choice: 'de'" in err and err.startswith("samen: error:")


def test_workshop_refuses_a_port_in_use(capsys, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        code = main(["workshop", "--port", str(port), "--rounds", str(tmp_path / "r.json")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err
    assert err == f"samen: error: port {port} on 127.0.0.1 is in use; choose another port"


def test_workshop_refuses_a_damaged_round_store(capsys, tmp_path):
    bad = tmp_path / "r.json"
    bad.write_text("[]", encoding="utf-8")
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    assert main(["workshop", "--port", str(port), "--rounds", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "not a Samen round store" in err
