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
from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx
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


def _checked(original: Callable[..., Any]) -> Callable[..., Any]:
    """``compile`` or ``eval`` that evaluates an unsafe filter string as ``False``.

    The backstop behind the checks at the page (``directives.guard_needs_filters``,
    ``content``): a filter that reaches evaluation some other way still runs no code.
    """

    def checked(source: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(source, str):
            problem = filter_problem(source)
            if problem:
                logger.warning(filter_message(source, problem), type="rawa", subtype="safety")
                source = "False"
        return original(source, *args, **kwargs)

    checked.rawa_checked = True  # type: ignore[attr-defined]
    return checked


def guard_needs_filters() -> None:
    """Check every filter sphinx-needs compiles or evaluates; drop ``:filter-func:``."""
    import sphinx_needs.filter_common as filter_common

    if not getattr(getattr(filter_common, "eval", None), "rawa_checked", False):
        # module globals come before builtins in name lookup: these shadow the builtins
        filter_common.eval = _checked(builtins.eval)  # type: ignore[attr-defined]
        filter_common.compile = _checked(builtins.compile)  # type: ignore[attr-defined]


def drop_filter_func_options(app: Sphinx) -> None:
    """Remove ``:filter-func:`` (import and call any function) from sphinx-needs' directives."""
    from docutils.parsers.rst import directives

    for directive_class in list(directives._directives.values()):  # noqa: SLF001
        spec = getattr(directive_class, "option_spec", None)
        if directive_class.__module__.startswith("sphinx_needs") and isinstance(spec, dict):
            spec.pop("filter-func", None)


def guard_myst_substitutions() -> None:
    """Allow ``{{ name }}`` for a declared substitution; refuse any other expression."""
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer, token_line

    original = DocutilsRenderer.render_substitution
    if getattr(original, "rawa_checked", False):
        return

    def render_substitution(self: DocutilsRenderer, token: Any, inline: bool) -> None:
        name = token.content.strip()
        if name not in self.md_config.substitutions:
            known = ", ".join(sorted(self.md_config.substitutions)) or "geen"
            self.create_warning(
                f"Vervanging '{{{{ {name} }}}}' is niet toegestaan: noem alleen de naam van een "
                f"vervanging uit publicatie.toml (bekend: {known}); een expressie voert code uit.",
                "safety", wtype="rawa", line=token_line(token),
                append_to=self.current_node)
            return
        original(self, token, inline)

    render_substitution.rawa_checked = True  # type: ignore[attr-defined]
    DocutilsRenderer.render_substitution = render_substitution  # type: ignore[method-assign]
