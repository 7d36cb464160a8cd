"""myst-parser: substitutions may only name a value; MyST's own ``include`` is guarded.

Two patches of myst-parser 5.2.0, applied by :mod:`rawa.safety` (which decides when;
see its docstring for the whole design):

- ``DocutilsRenderer.render_substitution`` allows ``{{ name }}`` for a declared
  substitution and refuses any other expression (MyST renders it with unsandboxed
  Jinja2);
- ``myst_parser.mdit_to_docutils.base.MockIncludeDirective``: MyST runs ``include``
  through this mock, not through the registered directive, so the mock gets the same
  path check as :func:`rawa.safety.directives.guarded`.
"""

from __future__ import annotations

import sys
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from rawa.compat import Upstream, check_version
from rawa.safety.paths import outside_project

logger = logging.getLogger(__name__)

WRITTEN_FOR = Upstream("myst-parser", "5.2.0")


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


def install_myst_include_guard() -> None:
    """Give MyST's own ``include`` the same check as the registered directive."""
    from myst_parser.mdit_to_docutils import base as myst_base
    from myst_parser.mocking import DirectiveError, MockIncludeDirective

    if getattr(myst_base.MockIncludeDirective, "rawa_guarded", False):
        return

    class GuardedMockInclude(MockIncludeDirective):
        rawa_guarded = True

        def run(self) -> list[nodes.Element]:
            env = self.document.settings.env
            problem = outside_project(env, "".join(self.arguments[0].split()))
            if problem:
                logger.warning(f"'{self.name}': {problem}.", location=(env.docname, self.lineno),
                               type="rawa", subtype="safety")
                return []
            return super().run()

    assert DirectiveError  # the mock's error type stays importable: a version check
    myst_base.MockIncludeDirective = GuardedMockInclude  # type: ignore[misc]


def setup(app: Sphinx) -> dict[str, Any]:
    check_version(sys.modules[__name__])
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
