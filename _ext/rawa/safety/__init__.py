"""rawa_safety: a source page can never leak a file, fetch from the network, run code
or put script into the output.

A preview build of an untrusted pull request must be safe to publish. The parts:

- ``paths``: which files a page may read (``rawa_project_dirs``);
- ``directives``: guards in front of every directive that reads a file, and refusals
  for those that cannot be made safe (``raw``, ``needimport``, ``needuml``, ...);
- ``content``: a read transform that removes raw HTML/LaTeX, formulas, outside or remote
  images and downloads, and ``javascript:`` links;
- ``evaluation``: no code from a page (MyST substitution expressions, sphinx-needs
  filters);
- ``csp``: a Content-Security-Policy on every HTML page, with the hashes of the
  theme's own inline scripts.

The patches of sphinx-needs and MyST these parts need live in :mod:`rawa.compat`
(``sphinx_needs``, ``myst``), each with the upstream version it was written for.

PlantUML runs with its ``ALLOWLIST`` security profile (``rawa_plantuml.command``).
Every refusal is a warning at the page and line (``[rawa.safety]``), so the strict
build fails.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from rawa.compat import myst, sphinx_needs
from rawa.safety import csp, directives
from rawa.safety.content import UnsafeContentFilter
from rawa.safety.paths import CONFIG_NAME, DEFAULT_DIRS, remember_confdir


def _install_guards(app: Sphinx) -> None:
    # after every extension's setup: the directives to guard are all registered now
    sphinx_needs.drop_filter_func_options(app)  # first: it finds sphinx-needs' own classes
    directives.install(app)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value(CONFIG_NAME, list(DEFAULT_DIRS), "env", types=[list])
    app.add_transform(UnsafeContentFilter)
    sphinx_needs.guard_needs_filters()
    myst.guard_myst_substitutions()
    app.connect("builder-inited", remember_confdir)
    app.connect("builder-inited", _install_guards)
    csp.setup(app)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
