"""Scenario files: the shipped ones are valid; bad files give errors naming the file."""

from __future__ import annotations

import pytest

from experiments.api import run
from experiments.errors import USER_ERRORS, SamenError
from experiments.scenarios import list_scenarios, load_scenario, scenario_names, scenario_parameters
from model.parameters import ParameterError, Parameters
from model.trust import TrustEvent

SHIPPED = ("baseline", "manifesto", "investment-only", "contract-only", "market-led", "austerity")


def test_shipped_scenarios_are_listed_and_valid():
    names = scenario_names()
    assert set(SHIPPED) <= set(names)
    assert names[0] == "baseline"
    for s in list_scenarios():
        assert s.description and s.description_nl
        assert isinstance(scenario_parameters(s), Parameters)


def test_manifesto_levers():
    p = scenario_parameters(load_scenario("manifesto"))
    assert p.investment_eur == 1e9
    assert p.partnership > Parameters().partnership
    assert p.regulatory_burden < Parameters().regulatory_burden


def test_baseline_is_the_defaults():
    assert scenario_parameters(load_scenario("baseline")) == Parameters()


def test_overrides_win_over_the_scenario():
    p = scenario_parameters(load_scenario("manifesto"), {"investment_eur": 5e8})
    assert p.investment_eur == 5e8 and p.partnership == 0.8


def test_unknown_name_lists_known_names():
    with pytest.raises(SamenError, match="known scenarios: baseline"):
        load_scenario("utopia")


def test_user_file_by_path(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('description = "Mine."\n[parameters]\npartnership = 0.9\n')
    s = load_scenario(str(path))
    assert s.name == "mine" and s.overrides == {"partnership": 0.9}
    assert scenario_parameters(s).partnership == 0.9


@pytest.mark.parametrize(
    ("content", "error", "needle"),
    [
        ("description = ", SamenError, "not valid TOML"),
        ('descripton = "typo"\n', SamenError, "unknown key(s) descripton"),
        ("parameters = 3\n", SamenError, "must be a table"),
        ("[parameters]\npartnership = 2\n", ParameterError, "out of range"),
        ("[parameters]\npartnrship = 0.5\n", ParameterError, "unknown parameter"),
        ('[parameters]\npartnership = "high"\n', ParameterError, "wrong type"),
    ],
)
def test_bad_files_name_the_file(tmp_path, content, error, needle):
    path = tmp_path / "bad.toml"
    path.write_text(content)
    with pytest.raises(error) as info:
        load_scenario(str(path))
    assert "bad.toml" in str(info.value) and needle in str(info.value)
    assert isinstance(info.value, USER_ERRORS)


EVENTS = ('description = "A scandal and a rally."\n'
          "[parameters]\npartnership = 0.5\n"
          '[[events]]\nyear = 2026.25\nsize = -0.05\nquarters = 6\nname = "scandal"\n'
          "[[events]]\nyear = 2027\nsize = 0.14\nquarters = 4\n")


def test_events_are_read_from_the_scenario_file(tmp_path):
    path = tmp_path / "events.toml"
    path.write_text(EVENTS)
    s = load_scenario(str(path))
    assert s.events == (TrustEvent(year=2026.25, size=-0.05, quarters=6.0, name="scandal"),
                        TrustEvent(year=2027.0, size=0.14, quarters=4.0, name=""))
    assert s.overrides == {"partnership": 0.5}
    assert all(isinstance(e.quarters, float) for e in s.events)
    assert all(load_scenario(name).events == () for name in SHIPPED)


def test_a_scenarios_events_reach_the_model(tmp_path):
    path = tmp_path / "events.toml"
    path.write_text('description = "A scandal."\n[[events]]\nyear = 2024.5\nsize = -0.2\nquarters = 8\n')
    plain = run("baseline", {"population_scale": 3000, "spinup_quarters": 2}, seed=1, steps=3).series
    shocked = run(str(path), {"population_scale": 3000, "spinup_quarters": 2}, seed=1, steps=3).series
    gap = shocked["trust_government"] - plain["trust_government"]
    assert (gap.iloc[:3] == 0).all() and gap.iloc[3] < -0.01  # from the quarter of 1 July 2024 on


@pytest.mark.parametrize(("events", "needle"), [
    ("[[events]]\nyear = 2026\nsize = -0.05\n", "event 1 missing key(s) quarters"),
    ("[[events]]\nyear = 2026\nsize = -0.05\nquarters = 0\n", "event 1 quarters = 0 must be above 0"),
    ("[[events]]\nyear = 2026\nsize = -0.05\nquarters = -2\n", "event 1 quarters = -2 must be above 0"),
    ("events = [1, 2]\n", "events must be a list of [[events]] tables"),
    ("events = 3\n", "events must be a list of [[events]] tables"),
    ('[[events]]\nyear = "soon"\nsize = -0.05\nquarters = 2\n', "event 1 year must be a number, not 'soon'"),
    ("[[events]]\nyear = 2026\nsize = 0.1\nquarters = 2\n[[events]]\nyear = 2027\nsize = 0.1\nquarters = 2\n"
     "colour = 1\n", "event 2 unknown key(s) colour; allowed: year, size, quarters, name"),
])
def test_bad_events_are_refused_in_one_line_naming_the_file(tmp_path, events, needle):
    path = tmp_path / "bad-events.toml"
    path.write_text('description = "x"\n' + events)
    with pytest.raises(SamenError) as info:
        load_scenario(str(path))
    text = str(info.value)
    assert text.startswith(f"scenario file {path}: ") and needle in text
    assert "\n" not in text
