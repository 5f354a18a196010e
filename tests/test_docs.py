"""docs/ODD.md covers every parameter, outcome column and named model constant, and its
generated parameter table is current (regenerate with
``PYTHONPATH=. python docs/make_parameter_table.py``)."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
from pathlib import Path

import pytest

from model import outcomes
from model.parameters import PARAMS

ROOT = Path(__file__).resolve().parents[1]
ODD_PATH = ROOT / "docs" / "ODD.md"
GENERATOR = ROOT / "docs" / "make_parameter_table.py"
#: Every module of the model package, found on disk so that a new one cannot escape the checks.
MODEL_MODULES = tuple(sorted(p.stem for p in (ROOT / "model").glob("*.py") if p.stem != "__init__"))
#: Module-level names in capitals that are structure, not assumptions about the world.
NOT_ASSUMPTIONS = {
    "ACCESS_TYPES", "ALLOCATION_RULES", "DECLARATIONS", "EDUCATION_NAMES", "GROUP_COLUMNS",
    "LEVERS", "N_COLLECTIVE_KINDS", "PARAMS", "REGION_COLUMNS", "REQUIRED_COLUMNS", "SERIES_COLUMNS", "UNCERTAINTIES",
}


@pytest.fixture(scope="module")
def odd() -> str:
    return ODD_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("make_parameter_table", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", sorted(PARAMS))
def test_every_parameter_is_documented(odd, name):
    assert f"`{name}`" in odd


@pytest.mark.parametrize("column", sorted(set(outcomes.SERIES_COLUMNS)
                                          | set(outcomes.REGION_COLUMNS)
                                          | set(outcomes.GROUP_COLUMNS)
                                          | set(outcomes.LOCALITY_COLUMNS)))
def test_every_outcome_column_is_documented(odd, column):
    assert f"| `{column}` |" in odd, f"no definition row for outcome column {column!r}"


def test_parameter_table_is_up_to_date(odd, generator):
    assert generator.current_block(odd) == generator.render(), (
        "docs/ODD.md parameter table is stale: run "
        "`PYTHONPATH=. python docs/make_parameter_table.py`")


def test_parameter_table_has_one_row_per_parameter(generator):
    rows = [line for line in generator.render().splitlines() if line.startswith("| `")]
    assert [r.split("`")[1] for r in rows] == sorted(PARAMS, key=lambda n: (
        generator.GROUP_ORDER.index(PARAMS[n].group), list(PARAMS).index(n)))


def test_documented_constants_exist(odd):
    named = re.findall(r"`(" + "|".join(MODEL_MODULES) + r")\.([A-Z][A-Z0-9_]+)`", odd)
    assert named
    missing = [f"{mod}.{name}" for mod, name in named
               if not hasattr(importlib.import_module(f"model.{mod}"), name)]
    assert not missing, f"ODD.md names constants the code no longer has: {missing}"


def _module_constants(mod: str) -> list[str]:
    """Capitalised names assigned at the top level of model/<mod>.py (not imported ones)."""
    tree = ast.parse((ROOT / "model" / f"{mod}.py").read_text(encoding="utf-8"))
    names = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    return [n for n in names if re.fullmatch(r"[A-Z][A-Z0-9_]+", n) and n not in NOT_ASSUMPTIONS]


def test_every_module_constant_is_documented(odd):
    undocumented = [f"{mod}.{name}" for mod in MODEL_MODULES for name in _module_constants(mod)
                    if f"`{mod}.{name}`" not in odd]
    assert not undocumented, f"add these constants to docs/ODD.md section 9.2: {undocumented}"


def test_odd_sections_cited_in_the_model_exist(odd):
    """Every "ODD x.y" a model docstring or declaration cites is a heading of docs/ODD.md."""
    headings = set(re.findall(r"^#+ (\d+(?:\.\d+)?) ", odd, flags=re.M))
    cited = set()
    for path in (ROOT / "model").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for first, last in re.findall(r"ODD (\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?", text):
            cited.add(first)
            if last:
                cited.add(last)
    assert cited, "the model cites no ODD section"
    missing = sorted(cited - headings)
    assert not missing, f"the model cites ODD sections that do not exist: {missing}"
