"""Parameter declarations and validation: every error the parameters promise to raise."""

from __future__ import annotations

import dataclasses
import re

import pytest

from model.parameters import (
    ALLOCATION_RULES,
    DECLARATIONS,
    LEVERS,
    PARAMS,
    UNCERTAINTIES,
    ParameterError,
    Parameters,
    parse_assignment,
    parse_assignments,
)

NUMERIC = [p for p in DECLARATIONS if p.kind in ("float", "int")]
INTS = [p for p in DECLARATIONS if p.kind == "int"]
FLOATS = [p for p in DECLARATIONS if p.kind == "float"]
CHOICES = [p for p in DECLARATIONS if p.kind == "choice"]
#: Levers whose names scenarios, sweeps and briefs rely on (issue 2).
LEVER_NAMES = ("investment_eur", "investment_years", "allocation", "partnership",
               "regulatory_burden", "population_scale")


def test_defaults_are_valid_and_complete():
    p = Parameters()
    assert p.to_dict() == {d.name: d.default for d in DECLARATIONS}
    assert Parameters(**p.to_dict()) == p
    assert list(p.to_dict()) == [d.name for d in DECLARATIONS]


def test_names_are_unique_and_the_issue_levers_exist():
    names = [d.name for d in DECLARATIONS]
    assert len(names) == len(set(names)) == len(PARAMS)
    for name in LEVER_NAMES:
        assert name in PARAMS, name
    assert set(LEVERS).isdisjoint(UNCERTAINTIES)
    assert PARAMS["allocation"].choices == ALLOCATION_RULES == (
        "per_capita", "needs_based", "matching", "competitive")


@pytest.mark.parametrize("decl", DECLARATIONS, ids=lambda d: d.name)
def test_every_declaration_is_documented_and_its_default_allowed(decl):
    assert decl.unit.strip(), "unit"
    assert decl.source.strip(), "source (or the word 'assumption')"
    assert decl.description.strip(), "description"
    assert decl.group in ("lever", "uncertainty", "structural")
    assert decl.kind in ("float", "int", "choice")
    if decl.kind == "choice":
        assert decl.choices and decl.default in decl.choices
    else:
        assert decl.low is not None and decl.high is not None
        assert decl.low < decl.high
        assert decl.low <= decl.default <= decl.high
        assert isinstance(decl.default, int if decl.kind == "int" else float)
        assert not isinstance(decl.default, bool)
    assert decl.coerce(decl.default) == decl.default


def _names_param_and_range(exc: pytest.ExceptionInfo, decl) -> None:
    text = str(exc.value)
    assert decl.name in text
    assert decl.allowed() in text
    if decl.kind == "choice":
        assert all(c in text for c in decl.choices)


@pytest.mark.parametrize("decl", NUMERIC, ids=lambda d: d.name)
def test_out_of_range_names_parameter_and_range(decl):
    span = decl.high - decl.low
    for bad in (decl.low - max(1, span), decl.high + max(1, span)):
        bad = int(bad) if decl.kind == "int" else float(bad)
        with pytest.raises(ParameterError) as exc:
            Parameters(**{decl.name: bad})
        _names_param_and_range(exc, decl)


@pytest.mark.parametrize("decl", NUMERIC, ids=lambda d: d.name)
def test_range_bounds_are_inclusive(decl):
    for edge in (decl.low, decl.high):
        value = int(edge) if decl.kind == "int" else float(edge)
        try:
            p = Parameters(**{decl.name: value})
        except ParameterError as err:
            # only the joint cooperation-share constraint may reject a single bound
            assert "must not exceed 1" in str(err), err
            continue
        assert getattr(p, decl.name) == value


@pytest.mark.parametrize("decl", NUMERIC, ids=lambda d: d.name)
@pytest.mark.parametrize("bad", ["1", None, True, [1], float("nan")], ids=repr)
def test_wrong_type_names_parameter_and_range(decl, bad):
    with pytest.raises(ParameterError) as exc:
        Parameters(**{decl.name: bad})
    _names_param_and_range(exc, decl)


@pytest.mark.parametrize("decl", FLOATS, ids=lambda d: d.name)
def test_infinite_float_is_rejected(decl):
    for bad in (float("inf"), float("-inf")):
        with pytest.raises(ParameterError) as exc:
            Parameters(**{decl.name: bad})
        _names_param_and_range(exc, decl)


@pytest.mark.parametrize("decl", INTS, ids=lambda d: d.name)
def test_int_parameters_reject_fractions_and_accept_whole_floats(decl):
    mid = int((decl.low + decl.high) // 2)
    with pytest.raises(ParameterError) as exc:
        Parameters(**{decl.name: mid + 0.5})
    _names_param_and_range(exc, decl)
    p = Parameters(**{decl.name: float(mid)})
    value = getattr(p, decl.name)
    assert value == mid and type(value) is int


@pytest.mark.parametrize("decl", FLOATS, ids=lambda d: d.name)
def test_float_parameters_store_floats(decl):
    p = Parameters(**{decl.name: int(decl.low) if float(decl.low).is_integer() else decl.low})
    assert type(getattr(p, decl.name)) is float


@pytest.mark.parametrize("bad", ["random", "PER_CAPITA", "", 1, None])
def test_bad_choice_names_parameter_and_choices(bad):
    with pytest.raises(ParameterError) as exc:
        Parameters(allocation=bad)
    _names_param_and_range(exc, PARAMS["allocation"])


@pytest.mark.parametrize("rule", ALLOCATION_RULES)
def test_every_choice_is_accepted(rule):
    assert Parameters(allocation=rule).allocation == rule


def test_unknown_name_is_named_with_a_suggestion():
    with pytest.raises(ParameterError) as exc:
        Parameters(investment_euro=1e9)
    assert "investment_euro" in str(exc.value)
    assert "investment_eur" in str(exc.value).replace("investment_euro", "")
    with pytest.raises(ParameterError, match="zzz_not_a_parameter"):
        Parameters(zzz_not_a_parameter=1)


def test_parameter_error_is_a_value_error():
    assert issubclass(ParameterError, ValueError)


def test_cooperation_shares_must_not_exceed_one():
    with pytest.raises(ParameterError, match="free_rider_share"):
        Parameters(conditional_cooperator_share=0.6, free_rider_share=0.5)
    Parameters(conditional_cooperator_share=0.5, free_rider_share=0.5, hump_share=0.0)


def test_parameters_are_frozen():
    p = Parameters()
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.investment_eur = 1e9
    with pytest.raises((AttributeError, TypeError)):
        p.not_a_field = 1
    assert p.investment_eur == 0.0
    assert hash(p) == hash(Parameters())


def test_parameters_are_keyword_only():
    with pytest.raises(TypeError):
        Parameters(1e9)


def test_replace_returns_validated_copy():
    p = Parameters()
    q = p.replace(investment_eur=1e9, allocation="matching")
    assert (q.investment_eur, q.allocation) == (1e9, "matching")
    assert (p.investment_eur, p.allocation) == (0.0, "per_capita")
    assert {k for k in p.to_dict() if p.to_dict()[k] != q.to_dict()[k]} == {"investment_eur", "allocation"}
    assert q.replace() == q and q.replace() is not q
    with pytest.raises(ParameterError, match=re.escape(PARAMS["partnership"].allowed())):
        p.replace(partnership=1.5)
    with pytest.raises(ParameterError, match="partnershp"):
        p.replace(partnershp=0.5)


def test_from_mapping():
    assert Parameters.from_mapping({"partnership": 0.8}) == Parameters(partnership=0.8)


@pytest.mark.parametrize("text, expected", [
    ("investment_eur=1e9", ("investment_eur", 1e9)),
    (" investment_eur = 1_000_000_000 ", ("investment_eur", 1e9)),
    ("population_scale=2000", ("population_scale", 2000)),
    ("population_scale=2e3", ("population_scale", 2000)),
    ("investment_years=4.0", ("investment_years", 4)),
    ("allocation=matching", ("allocation", "matching")),
    ("allocation= needs_based", ("allocation", "needs_based")),
    ("municipal_budget_change=-0.04", ("municipal_budget_change", -0.04)),
])
def test_parse_assignment_good(text, expected):
    name, value = parse_assignment(text)
    assert (name, value) == expected
    assert type(value) is type(expected[1])


@pytest.mark.parametrize("text, fragments", [
    ("investment_eur", ["investment_eur", "NAME=VALUE"]),
    ("", ["NAME=VALUE"]),
    ("=1", ["unknown parameter"]),
    ("investment_euro=1e9", ["investment_euro"]),
    ("investment_eur=lots", ["investment_eur", "not a number", PARAMS["investment_eur"].allowed()]),
    ("investment_eur=", ["investment_eur", "not a number"]),
    ("investment_eur=-1", ["investment_eur", PARAMS["investment_eur"].allowed()]),
    ("investment_eur=nan", ["investment_eur", PARAMS["investment_eur"].allowed()]),
    ("investment_eur=inf", ["investment_eur", PARAMS["investment_eur"].allowed()]),
    ("population_scale=2.5", ["population_scale", "integer"]),
    ("population_scale=0", ["population_scale", PARAMS["population_scale"].allowed()]),
    ("allocation=lottery", ["allocation", "per_capita", "competitive"]),
    ("partnership=1.01", ["partnership", "[0, 1]"]),
])
def test_parse_assignment_malformed(text, fragments):
    with pytest.raises(ParameterError) as exc:
        parse_assignment(text)
    for fragment in fragments:
        assert fragment in str(exc.value), (fragment, str(exc.value))


def test_parse_assignments_later_wins_and_result_builds_parameters():
    values = parse_assignments(["partnership=0.2", "allocation=competitive", "partnership=0.9"])
    assert values == {"partnership": 0.9, "allocation": "competitive"}
    assert Parameters(**values).partnership == 0.9


def test_value_with_equals_sign_is_kept_whole():
    with pytest.raises(ParameterError, match="allocation"):
        parse_assignment("allocation=per_capita=1")
