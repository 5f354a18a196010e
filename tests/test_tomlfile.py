"""The shared TOML field checkers: every message, in each kind's wording, and the four kinds of
file that use them (scenario, workshop card, sweep spec, calibration spec)."""

from __future__ import annotations

import math

import pytest

from experiments.calibration import parse_calibration
from experiments.errors import SamenError
from experiments.scenarios import parse_scenario
from experiments.sweep.spec import parse_spec
from experiments.tomlfile import CALIBRATION, FILE, SPEC, Fields, as_number, load_toml, parse_toml
from experiments.workshop.cards import parse_card


def message(check) -> str:
    with pytest.raises(SamenError) as info:
        check()
    text = str(info.value)
    assert "\n" not in text
    return text


@pytest.mark.parametrize(("wording", "expected"), [
    (SPEC, "x.toml: unknown key 'a'; allowed keys: name, seed"),
    (CALIBRATION, "x.toml: unknown key 'a'; allowed keys: name, seed"),
    (FILE, "x.toml: unknown key(s) a, b; allowed: name, seed"),
])
def test_unknown_keys(wording, expected):
    assert message(lambda: Fields({"b": 1, "a": 2, "name": "n"}, "x.toml", wording).keys(("name", "seed"))) == expected


@pytest.mark.parametrize(("wording", "expected"), [
    (SPEC, "x.toml: missing key 'name' (required: name, seed, design)"),
    (CALIBRATION, "x.toml: missing key 'name'"),
    (FILE, "x.toml: missing key(s) name, design"),
])
def test_missing_keys(wording, expected):
    fields = Fields({"seed": 1}, "x.toml", wording)
    assert message(lambda: fields.keys(("name", "seed", "design"), ("name", "seed", "design"))) == expected


def test_unknown_keys_are_reported_before_missing_ones():
    fields = Fields({"zz": 1}, "x.toml", SPEC)
    assert "unknown key 'zz'" in message(lambda: fields.keys(("name",), ("name",)))


@pytest.mark.parametrize(("wording", "value", "expected"), [
    (SPEC, 0, "x.toml: steps = 0 must be a whole number of at least 1"),
    (SPEC, True, "x.toml: steps = True must be a whole number of at least 1"),
    (SPEC, 2.0, "x.toml: steps = 2.0 must be a whole number of at least 1"),
    (CALIBRATION, 0, "x.toml: steps must be a whole number of at least 1, not 0"),
    (CALIBRATION, "4", "x.toml: steps must be a whole number of at least 1, not '4'"),
])
def test_whole_numbers(wording, value, expected):
    assert message(lambda: Fields({"steps": value}, "x.toml", wording).whole("steps", 1)) == expected


def test_values_and_defaults_pass_through():
    fields = Fields({"steps": 4, "accept": 1, "keep": True, "text": "t", "name": "a-b.c_1", "design": "lhs",
                     "table": {"a": 1}}, "x.toml")
    assert fields.whole("steps", 1) == 4 and fields.whole("other", 1, 40) == 40
    assert fields.number("accept") == 1.0 and isinstance(fields.number("accept"), float)
    assert fields.number("absent", 0.1) == 0.1
    assert fields.flag("keep", False) is True and fields.flag("absent", False) is False
    assert fields.text("text") == "t" and fields.text("absent") == ""
    assert fields.name() == "a-b.c_1"
    assert fields.choice("design", ("grid", "lhs")) == "lhs" and fields.choice("absent", ("a", "b"), "b") == "b"
    assert fields.table("table") == {"a": 1} and fields.table("absent") == {}
    assert "steps" in fields and fields.get("absent", 3) == 3


@pytest.mark.parametrize(("check", "expected"), [
    (lambda f: f.number("accept"), "x.toml: accept must be a number, not 'much'"),
    (lambda f: f.number("nan"), "x.toml: nan must be a number, not nan"),
    (lambda f: f.number("flag"), "x.toml: flag must be a number, not True"),
    (lambda f: f.flag("keep", False), "x.toml: keep = 'yes' must be true or false"),
    (lambda f: f.text("description"), "x.toml: description must be a string"),
    (lambda f: f.text("blank", nonempty=True), "x.toml: blank must be a non-empty string"),
    (lambda f: f.text("description", nonempty=True), "x.toml: description must be a non-empty string"),
    (lambda f: f.name(), "x.toml: name 'a b' must be a non-empty string of letters, digits, '_', '.' and '-'"),
    (lambda f: f.choice("design", ("grid", "lhs")), "x.toml: unknown design 'factorial'; use one of grid, lhs"),
    (lambda f: f.table("parameters"), "x.toml: [parameters] must be a table of NAME = VALUE"),
    (lambda f: f.table("free", "[free] must name a parameter", nonempty=True), "x.toml: [free] must name a parameter"),
    (lambda f: f.whole("seed", 0), "x.toml: missing key 'seed' (required: seed)"),
])
def test_each_check_says_what_is_wrong(check, expected):
    fields = Fields({"accept": "much", "nan": math.nan, "flag": True, "keep": "yes", "description": 3,
                     "blank": "  ", "name": "a b", "design": "factorial", "parameters": [1], "free": {}},
                    "x.toml", SPEC)
    assert message(lambda: check(fields)) == expected


def test_a_nested_table_names_both_tables():
    fields = Fields({}, "calibration spec c.toml", CALIBRATION)
    target = fields.within("[targets.shops]", {"b": 1, "tolerance": "x"})
    assert message(lambda: target.keys(("tolerance",))) == (
        "calibration spec c.toml: [targets.shops] unknown key 'b'; allowed keys: tolerance")
    assert message(lambda: target.number("tolerance")) == (
        "calibration spec c.toml: [targets.shops] tolerance must be a number, not 'x'")
    assert message(lambda: as_number([1], "[free] x low", fields.fail)) == (
        "calibration spec c.toml: [free] x low must be a number, not [1]")


def test_reading_files(tmp_path):
    assert message(lambda: load_toml(tmp_path / "none.toml", "spec none.toml")) == "spec none.toml does not exist"
    assert message(lambda: load_toml(tmp_path / "none.toml", "spec", missing="no spec")) == "no spec"
    (tmp_path / "bad.toml").write_text("x = \n", encoding="utf-8")
    assert message(lambda: load_toml(tmp_path / "bad.toml", "spec bad.toml")).startswith(
        "spec bad.toml is not valid TOML: ")
    assert parse_toml("a = 1", "x") == {"a": 1}


CARD = ('title_en = "T"\ntitle_nl = "T"\ndescription_en = "D"\ndescription_nl = "D"\n'
        'questions_en = ["q?"]\nquestions_nl = ["v?"]\n')
CALIBRATION_SPEC = {"name": "c", "start_year": 2024, "steps": 4, "seed": 1, "free": {"market_drift": [0.02, 0.09]},
                    "targets": {"shops": {"measure": "village_shops", "value": -0.05, "tolerance": 0.01,
                                          "source": "Locatus"}}}


@pytest.mark.parametrize(("parse", "expected"), [
    (lambda: parse_scenario('descripton = "typo"\ncolour = 1\n', "s", "s.toml"),
     "scenario file s.toml: unknown key(s) colour, descripton; allowed: title, title_nl, description, "
     "description_nl, parameters, events, policy, steps"),
    (lambda: parse_scenario("parameters = 1\n", "s", "s.toml"),
     "scenario file s.toml: [parameters] must be a table of NAME = VALUE"),
    (lambda: parse_card(CARD.replace('title_en = "T"\n', "") + "colour = 1\n", "c", "c.toml"),
     "card file c.toml: unknown key(s) colour; allowed: title_en, title_nl, description_en, description_nl, "
     "questions_en, questions_nl, scenario, parameters"),
    (lambda: parse_card(CARD.replace('title_en = "T"\n', "").replace('questions_nl = ["v?"]\n', ""), "c", "c.toml"),
     "card file c.toml: missing key(s) questions_nl"),
    (lambda: parse_card(CARD.replace('title_nl = "T"', 'title_nl = " "'), "c", "c.toml"),
     "card file c.toml: title_nl must be a non-empty string"),
    (lambda: parse_spec({"name": "s", "seed": 1, "design": "lhs", "samples": 4, "sample": 8}, "spec s.toml"),
     "spec s.toml: unknown key 'sample'; allowed keys: name, scenario, steps, replications, seed, design, samples, "
     "scenarios, policies, levels, second_order, common_random_numbers, outcomes, keep_series, keep_localities, "
     "levers, uncertainties, parameters, groups, description"),
    (lambda: parse_spec({"name": "s", "design": "lhs"}, "spec s.toml"),
     "spec s.toml: missing key 'seed' (required: name, seed, design)"),
    (lambda: parse_spec({"name": "s", "seed": 1, "design": "lhs", "replications": 0}, "spec s.toml"),
     "spec s.toml: replications = 0 must be a whole number of at least 1"),
    (lambda: parse_calibration({**CALIBRATION_SPEC, "colour": "red"}, "calibration spec c.toml"),
     "calibration spec c.toml: unknown key 'colour'; allowed keys: name, description, scenario, start_year, steps, "
     "fit_until, design, samples, replications, seed, accept, parameters, free, targets"),
    (lambda: parse_calibration({k: v for k, v in CALIBRATION_SPEC.items() if k != "seed"}, "calibration spec c.toml"),
     "calibration spec c.toml: missing key 'seed'"),
    (lambda: parse_calibration({**CALIBRATION_SPEC, "steps": 2}, "calibration spec c.toml"),
     "calibration spec c.toml: steps must be a whole number of at least 4, not 2"),
    (lambda: parse_calibration({**CALIBRATION_SPEC, "targets": {"shops": {"value": 1, "tolerance": 1, "source": "x"}}},
                               "calibration spec c.toml"),
     "calibration spec c.toml: [targets.shops] missing key 'measure'"),
])
def test_the_four_kinds_keep_their_messages(parse, expected):
    assert message(parse) == expected
