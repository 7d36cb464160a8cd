"""sphinx-needs: no filter may run code, and no directive may import a function.

Two patches of sphinx-needs 9.1.0, applied by :mod:`rawa.safety` (which decides when;
see its docstring for the whole design):

- ``sphinx_needs.filter_common`` gets its own ``eval`` and ``compile`` (module globals
  shadow the builtins): each checks a filter string before it is evaluated;
- the ``:filter-func:`` option (import and call any function) is removed from the
  option specs of sphinx-needs' directives.
"""

from __future__ import annotations

import builtins
import sys
from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from rawa.compat import Upstream, check_version
from rawa.safety.evaluation import filter_message, filter_problem

logger = logging.getLogger(__name__)

WRITTEN_FOR = Upstream("sphinx-needs", "9.1.0")


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


def setup(app: Sphinx) -> dict[str, Any]:
    check_version(sys.modules[__name__])
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
