"""Every number a parameter (issue 12): no rule formula in model/ holds a bare number.

A number in a function (its body or its default arguments) must be a declared parameter
(model/parameters.py, with unit, range and source) or a named module-level constant (they
are documented in the ODD); only the trivial numbers below may appear as they are, and whole
numbers that index an array or give its shape (a position or a dimension, not a quantity).
``parameters.py`` and ``tables.py`` are machinery, not rules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

MODEL = Path(__file__).resolve().parent.parent / "model"
#: Numbers that carry no assumption: identities, halves, doubling, indices.
TRIVIAL = frozenset({0, 1, -1, 2, 0.5})  # 0 == 0.0 and 1 == 1.0: floats included
MACHINERY = frozenset({"parameters.py", "tables.py"})


def _signed(node: ast.AST):
    """The value of a numeric literal (``-3`` is one literal, not 3), or None."""
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd))
            and isinstance(node.operand, ast.Constant) and _is_number(node.operand.value)):
        value = node.operand.value
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.Constant) and _is_number(node.value):
        return node.value
    return None


#: numpy constructors whose first argument is an array's shape.
CONSTRUCTORS = frozenset({"empty", "zeros", "ones", "full"})


def _whole(node: ast.AST) -> bool:
    return isinstance(_signed(node), int)


def _numbers(node: ast.AST):
    """Numeric literals under ``node``, except whole numbers that index an array (``x[3, k]``,
    ``x[:4]``) or give its shape (``np.empty((3, n))``): a position or a dimension is not a
    rule's number; arithmetic inside an index or a shape is checked."""
    if _signed(node) is not None:
        yield node, _signed(node)
        return
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CONSTRUCTORS
            and node.args):
        shape, *rest = node.args
        dims = shape.elts if isinstance(shape, ast.Tuple) else [shape]
        for part in [*(d for d in dims if not _whole(d)), *rest, *node.keywords, node.func]:
            yield from _numbers(part)
        return
    if isinstance(node, ast.Subscript):
        yield from _numbers(node.value)
        index = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        for part in index:
            bounds = [part.lower, part.upper, part.step] if isinstance(part, ast.Slice) else [part]
            for bound in bounds:
                if bound is not None and not _whole(bound):
                    yield from _numbers(bound)
        return
    for child in ast.iter_child_nodes(node):
        yield from _numbers(child)


def _is_number(value) -> bool:
    return isinstance(value, (int, float, complex)) and not isinstance(value, bool)


def bare_numbers(source: str, filename: str = "<source>") -> list[str]:
    """``file:line: value (function)`` for every non-trivial number inside a function."""
    found = {}  # by position; ast.walk reaches inner functions last, so they name the number
    for fn in ast.walk(ast.parse(source, filename)):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        parts = list(fn.body) if isinstance(fn.body, list) else [fn.body]
        parts += [*fn.args.defaults, *(d for d in fn.args.kw_defaults if d is not None)]
        name = getattr(fn, "name", "lambda")
        for part in parts:
            for node, value in _numbers(part):
                if value not in TRIVIAL:
                    found[node.lineno, node.col_offset] = f"{filename}:{node.lineno}: {value!r} ({name})"
    return [found[at] for at in sorted(found)]


def model_files() -> list[Path]:
    return sorted(p for p in MODEL.glob("*.py") if p.name not in MACHINERY)


def test_the_checker_finds_bare_numbers_in_rules_only():
    source = '''
LIMIT = 3.5  # a named constant: allowed


def rule(x, weight=0.7):
    y = 2 * x + 1 - 0.5 * x ** 2
    z = -1 * x[0] + x[-1]
    return y * 0.62 + LIMIT - 3 + (lambda v: v * 1e-3)(x) + weight
'''
    found = bare_numbers(source, "m.py")
    assert found == ["m.py:5: 0.7 (rule)", "m.py:8: 0.62 (rule)", "m.py:8: 3 (rule)", "m.py:8: 0.001 (lambda)"]
    assert bare_numbers("def f(x):\n    return x * -0.25\n") == ["<source>:2: -0.25 (f)"]
    assert bare_numbers("def f(x):\n    return x[1:-1] * 2 + 0.0\n") == []
    # positions in an array are not rule numbers; arithmetic in an index is
    assert bare_numbers("def f(x, k):\n    x[3, k] += x[:4].sum()\n") == []
    assert bare_numbers("def f(x, i):\n    return x[i * 3] + x[0.25]\n") == ["<source>:2: 3 (f)",
                                                                           "<source>:2: 0.25 (f)"]
    assert bare_numbers("def f(n):\n    return np.empty((3, n)) + np.full(4, 0.3) + np.zeros(n * 7)\n") == [
        "<source>:2: 0.3 (f)", "<source>:2: 7 (f)"]


def test_the_rules_are_checked():
    names = {p.name for p in model_files()}
    assert {"collectives.py", "membership.py", "municipalities.py", "reach.py", "trust.py", "model.py"} <= names
    assert not names & MACHINERY


@pytest.mark.parametrize("path", model_files(), ids=lambda p: p.name)
def test_no_rule_holds_a_bare_number(path):
    found = bare_numbers(path.read_text(encoding="utf-8"), f"model/{path.name}")
    assert not found, "declare these as parameters (or named constants):\n" + "\n".join(found)
