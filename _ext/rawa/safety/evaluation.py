"""No page may run code during the build.

Two features of the toolchain evaluate text from a page as code:

- MyST substitutions (``{{ ... }}``) are rendered with an unsandboxed Jinja2
  environment that also holds Sphinx's ``env``: an expression there can reach any
  Python object. RAWA pages only name a substitution (``{{ versie }}``), so exactly
  that is allowed; an expression is refused at its line.
- sphinx-needs filters (``:filter:``, ``{need_count}``, ``needextend``, ...) are Python
  expressions given to ``eval`` with the builtins in reach. They are checked before
  they are compiled: names, attributes and operators a filter needs, and nothing that
  reaches Python's internals (``_`` names) or the builtins that open files, import or
  run code. ``:filter-func:`` (import and call any function) is removed as an option.
"""

from __future__ import annotations

import ast
import builtins

from sphinx.util import logging

logger = logging.getLogger(__name__)

#: Builtins a filter may call; every other builtin name is refused.
SAFE_BUILTINS = frozenset({
    "abs", "all", "any", "bool", "dict", "enumerate", "float", "int", "isinstance", "len",
    "list", "max", "min", "range", "reversed", "round", "set", "sorted", "str", "sum",
    "tuple", "zip", "True", "False", "None",
})
#: Builtin names that are also need fields, so a filter may compare them.
NEED_FIELD_BUILTINS = frozenset({"id", "type", "format", "hash", "filter", "next"})

_ALLOWED_NODES: tuple[type[ast.AST], ...] = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd,
    ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Mod, ast.FloorDiv,
    ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn,
    ast.Is, ast.IsNot, ast.Name, ast.Load, ast.Store, ast.Constant, ast.List, ast.Tuple,
    ast.Set, ast.Dict, ast.Attribute, ast.Subscript, ast.Slice, ast.Call, ast.keyword,
    ast.IfExp, ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.comprehension,
)
_DENIED_BUILTINS = frozenset(dir(builtins)) - SAFE_BUILTINS - NEED_FIELD_BUILTINS


def filter_problem(expression: str) -> str:
    """Why ``expression`` may not be evaluated as a filter; empty when it may."""
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        if "?" in expression:  # {need_count}`a ? b`: sphinx-needs evaluates both parts
            return next((p for p in map(filter_problem, expression.split("?")) if p), "")
        return ""  # sphinx-needs reports the syntax error itself, at the directive
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            return f"'{type(node).__name__}' hoort niet in een filter"
        if isinstance(node, ast.Name) and (node.id.startswith("_") or node.id in _DENIED_BUILTINS):
            return f"de naam '{node.id}' is niet toegestaan in een filter"
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            return f"het attribuut '{node.attr}' is niet toegestaan in een filter"
    return ""


class UnsafeFilterError(Exception):
    """A filter that would reach Python's internals; reported as an invalid filter."""


def filter_message(expression: str, problem: str) -> str:
    """The maintainer's message for an unsafe filter."""
    return (f"Filter '{expression.strip()}' is niet toegestaan: {problem}. Een filter vergelijkt "
            "velden van objecten (zoals type == \"eis\"); het mag geen code uitvoeren.")
