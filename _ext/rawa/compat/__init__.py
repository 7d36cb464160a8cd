"""rawa.compat: every change RAWA makes to the behaviour of an upstream package.

Each module here patches one upstream package (a module attribute, a class method, a
registered directive's options) or repairs upstream state through private attributes.
Such a patch is written against one version of that package and may silently stop
working, or start to break things, when the package changes. So each module declares
the version it was written for (``WRITTEN_FOR``) and checks it at setup: when the
installed version differs, the build warns (and the strict build fails) at the line
of ``WRITTEN_FOR``, with what to check. After checking, set ``WRITTEN_FOR`` to the new
version; remove the module when the upstream fix makes the patch unnecessary.

The modules and what they patch:

- :mod:`.plantuml` (sphinxcontrib-plantuml): the command's include folders are filled
  in per build; a broken diagram in a batch falls back to single rendering; a diagram
  the store of rendered diagrams holds (:mod:`rawa.plantuml_store`) is not rendered again.
- :mod:`.sphinx_needs` (sphinx-needs): filters are checked before ``eval``/``compile``;
  ``:filter-func:`` is removed from the directives.
- :mod:`.myst` (myst-parser): substitutions may only name a value; MyST's own
  ``include`` gets the path guard.
- :mod:`.opengraph` (sphinxext-opengraph): its notice about matplotlib is not printed.
- :mod:`.pydyf` (pydyf, under WeasyPrint): the list of page references is built once
  per PDF instead of at every read (the tagged PDF of :mod:`rawa.pdf`).
- :mod:`.weasyprint` (WeasyPrint): running heads and page numbers are artifacts, not
  content outside the structure tree.
"""

from __future__ import annotations

import importlib.metadata
import inspect
from dataclasses import dataclass
from types import ModuleType

from sphinx.util import logging

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upstream:
    """The upstream distribution a patch changes, and the version it was written for."""

    distribution: str
    version: str


def installed_version(distribution: str) -> str | None:
    """The installed version of ``distribution``; ``None`` when it is not installed."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def declaration_line(module: ModuleType) -> int:
    """The line of ``WRITTEN_FOR`` in ``module`` (1 when it cannot be found)."""
    try:
        lines, _ = inspect.getsourcelines(module)
    except (OSError, TypeError):
        return 1
    return next((n for n, line in enumerate(lines, 1) if line.startswith("WRITTEN_FOR")), 1)


def check_version(module: ModuleType) -> bool:
    """Warn when the installed upstream version is not the one ``module`` was written for.

    Returns whether the versions are the same. The patch is applied in either case:
    the warning fails a strict build, and a maintainer decides what to do.
    """
    upstream: Upstream = module.WRITTEN_FOR
    installed = installed_version(upstream.distribution)
    if installed == upstream.version:
        return True
    logger.warning(
        "%s is versie %s, maar de aanpassing in %s is geschreven voor versie %s. Controleer "
        "of de aanpassing nog nodig is en nog werkt (zie de uitleg bovenaan het bestand); "
        "zet daarna WRITTEN_FOR op de nieuwe versie, of verwijder de aanpassing.",
        upstream.distribution, installed or "niet geïnstalleerd", module.__name__,
        upstream.version, location=f"{module.__file__}:{declaration_line(module)}",
        type="rawa", subtype="compat")
    return False

