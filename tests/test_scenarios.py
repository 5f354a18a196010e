"""Scenario files: the shipped ones are valid; bad files give errors naming the file."""

from __future__ import annotations

import pytest

from experiments.errors import USER_ERRORS, SamenError
from experiments.scenarios import list_scenarios, load_scenario, scenario_names, scenario_parameters
from model.parameters import ParameterError, Parameters

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
