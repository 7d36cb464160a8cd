"""rawa: the Sphinx extensions of the RAWA publication, as one package.

``conf.py`` names ``"rawa"`` first in ``extensions``; :func:`setup` then sets up our parts
and the third-party extensions in the order of :data:`SETUP_ORDER`. That order is
written here only. It matters in two ways: a part's ``setup`` may need an extension set
up before it, and handlers that connect to one event with the same priority run in the
order they were connected. Which handler runs before which other is mostly decided by
priorities, all named and explained in :mod:`rawa.priorities`.

Subpackages, by concern:

- :mod:`rawa.model`: metamodel, publication settings, the needs snapshot;
- :mod:`rawa.checks`: checks that fail the build at the file and line of a mistake;
- :mod:`rawa.views`: matrices, coverage, diff, exports, permalinks, tables;
- :mod:`rawa.terms`: the glossary term linker;
- :mod:`rawa.latex`: the LaTeX edition;
- :mod:`rawa.pdf`: the accessible PDF edition (tagged PDF/UA-1, from HTML);
- :mod:`rawa.gemma`: GEMMA changes and the ArchiMate exchange file;
- :mod:`rawa.safety`: what an untrusted page may not do;
- :mod:`rawa.build`: incremental builds, reproducible output, garbage collector;
- :mod:`rawa.compat`: every patch of upstream behaviour, with the upstream version
  it was written for (checked at setup);
- :mod:`rawa.plantuml`: local PlantUML rendering; :mod:`rawa.plantuml_store`: rendered
  diagrams kept for the next build.

To add an extension module: write it with a ``setup(app)`` in the subpackage of its
concern, add its name to :data:`SETUP_ORDER` with a comment that says why it stands
there, and use a named priority from :mod:`rawa.priorities` (CONTRIBUTING.md, section 7).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

#: Every extension the build uses, set up in this order by :func:`setup`. The names
#: without ``rawa.`` are third-party extensions (also listed in ``conf.py``, for the
#: reader; there they are no-ops, since they are set up here first).
SETUP_ORDER: tuple[str, ...] = (
    # first: every later setup (imports, registrations) runs with the collector tuned
    "rawa.build.gc_tuning",
    # stops the build at once on a mistake in publicatie.toml or SOURCE_DATE_EPOCH,
    # before any other extension does work
    "rawa.model.settings",
    # right after the settings, as part of the same first check: a page that is not
    # UTF-8 stops the build before anything reads it
    "rawa.checks.source_encoding",
    # the parser and the needs: most of our parts read or change their output
    "myst_parser",
    "rawa.compat.myst",  # version check of our MyST patches (applied by rawa.safety)
    "sphinx_needs",
    "rawa.compat.sphinx_needs",  # version check of our sphinx-needs patches (rawa.safety)
    "sphinxcontrib.plantuml",
    # the PDF edition: after sphinx-needs, whose need layout it rewrites
    "rawa.views.need_pages",  # a need reads as text: its words first, metadata last
    "rawa.latex.needs",
    "rawa.latex.structure",
    "rawa.latex.translator",
    # the accessible PDF (issue 19): its figure check needs sphinxcontrib.plantuml's node
    "rawa.pdf",
    "rawa.compat.pydyf",  # the PDF writer under WeasyPrint: page references kept
    "rawa.compat.weasyprint",  # running heads and page numbers as artifacts
    # its env-before-read-docs handler (default priority) runs after sphinx-needs' own
    "rawa.build.purge_first",
    # suppresses sphinx-needs' unlocated schema messages, reports them with a location
    "rawa.checks.schema_report",
    "rawa.checks.need_slips",
    # after sphinxcontrib.plantuml: patches it, and adds the include folders
    "rawa.plantuml",
    "rawa.compat.plantuml",
    "sphinx_last_updated_by_git",
    "sphinx_sitemap",
    # sets up sphinxext.opengraph, without its notice about matplotlib
    "rawa.compat.opengraph",
    # the table builder and the incremental-build bookkeeping the views rely on: before
    # the first view
    "rawa.views.tables",
    "rawa.views.base",  # the one node, directive factory and handler of the views
    "rawa.build.incremental",
    # the views over all needs; their build-finished handlers (exports) run after
    # sphinx-sitemap's at the default priority
    "rawa.views.matrix",
    "rawa.views.coverage",
    "rawa.checks.audit",  # audit programme: applicability, satisfaction, maturity (issue 15)
    "rawa.views.exports",
    "rawa.gemma.extension",  # GEMMA changes checked against data/gemma; exchange file
    "rawa.views.diff",
    "rawa.views.permalinks",
    # checks of the text of the needs and pages
    "rawa.checks.normative",
    "rawa.checks.citations",  # IDs cited in prose exist; a principle's name fits it
    "rawa.checks.standards",  # every standard checked at the publication's peildatum
    "rawa.terms",
    "rawa.build.reproducible",
    "rawa.checks.examples",  # test tables of the use cases, checked with regopy (issue 18)
    "rawa.checks.build_guard",  # one build per build folder; a clean start after a failure
    # last: guards the directives that all the others registered
    "rawa.safety",
)


def setup(app: Sphinx) -> dict[str, Any]:
    for name in SETUP_ORDER:
        app.setup_extension(name)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
