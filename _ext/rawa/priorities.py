"""Every event priority and transform priority of the ``rawa`` package, with its reason.

Sphinx calls the handlers of one event from the lowest priority to the highest; the
default is 500, which is also where Sphinx itself and most extensions (sphinx-needs,
sphinxcontrib-plantuml, sphinx-sitemap) connect. Handlers with the same priority run in
the order they were connected, that is in the order of ``rawa.SETUP_ORDER``.

Read per event from top to bottom, this module is the build pipeline: what runs before
what, and why. Every ``app.connect(..., priority=...)`` and every ``default_priority`` in
the package uses a name from here (``tests/test_package.py`` checks it).
"""

from __future__ import annotations

DEFAULT = 500
"""Sphinx's default: Sphinx itself, sphinx-needs, plantuml and sitemap connect here."""

# -- config-inited ----------------------------------------------------------------------

BUILD_GUARD_START = 0
"""Lock the build folder and clean up after a failed build (``checks.build_guard``): first
of all, because sphinxcontrib-jquery copies files into the output folder at this event,
and an emptied folder must keep them."""

CHECKED_NEED_DIRECTIVES = 800
"""Put the slip-checking need directive under every need type (``checks.need_slips``):
after sphinx-needs has registered its own directive per type at the default."""

GC_TUNE = 900
"""Raise the collector's first threshold (``build.gc_tuning``): after every other handler,
so the configuration it reads is final."""

# -- env-before-read-docs ---------------------------------------------------------------

SOURCE_ENCODING = 100
"""Stop on a page that is not UTF-8 (``checks.source_encoding``): before any other
handler, so nothing reads a page that fails."""

GC_FREEZE = 900
"""Freeze the objects that exist now (``build.gc_tuning``), also at ``env-updated``: after
the other handlers of the event, so what they made is frozen too."""

# -- write-started ----------------------------------------------------------------------

SCHEMA_REPORT = 600
"""Report schema violations at the need's file and line (``checks.schema_report``): after
sphinx-needs validates the needs and writes its report at the default."""

GEMMA_PROBLEMS = 640
"""Report GEMMA changes that do not fit the snapshot (``gemma.extension``): after the
schema report, before the coverage and audit reports that read the same needs."""

CONSISTENCY_REPORTS = 650
"""Coverage gaps and audit-programme problems (``views.coverage``, ``checks.audit``): after
sphinx-needs has resolved the needs and the schema report has run."""

# -- doctree-resolved -------------------------------------------------------------------

VIEWS_WITH_DIAGRAMS = 400
"""Render the generated views that return a PlantUML diagram (the GEMMA diagrams;
``views.base.render_views_with_diagrams``): before sphinxcontrib-plantuml collects the
diagrams of a page for batch rendering at the default."""

NEED_PAGES = 510
"""Rebuild each need as headings, text and a metadata list (``views.need_pages``): after
sphinx-needs has rendered its needs and resolved their links at 500, before the views that
copy need boxes (600), the term links (850) and the PDF's need boxes (900)."""

NEED_VIEWS = 600
"""Render the other generated views (matrix, coverage, diff, exports, audit, GEMMA
tables; ``views.base.render_views``): after sphinx-needs has built its need layouts and resolved
its own tables at the default."""

STABLE_NEED_IDS = 800
"""Replace the random container ids of need boxes by stable ones
(``build.reproducible``): after sphinx-needs has rendered the layouts and our views."""

TERM_LINKS_INSERT = 850
"""Put the planned glossary links into the page (``terms.transform.insert_links``): after
the need layouts and our tables, before the LaTeX edition copies need bodies into its
own boxes."""

LATEX_UNWRAP_NEEDS = 900
"""LaTeX only: make each need rebuilt by ``views.need_pages`` into the PDF's need box
(``latex.needs``): after that rebuild and after the term links, which stay in the moved text."""

LATEX_STRUCTURE = 950
"""LaTeX only: front matter, annexes and breakable tables (``latex.structure``): after the
need tables are unwrapped, so it sees the final shape of every table."""

FIGURE_ALT_TEXT = 500
"""Warn for a figure without alt text (``pdf.builder``): at the default, with the figures
as the page has them once sphinxcontrib-plantuml has seen them; the warning names the
figure's file and line, whatever the builder."""

# -- build-finished ---------------------------------------------------------------------

GC_FREEZE_PAGES_WRITTEN = 0
"""Freeze every object once the pages are written (``build.gc_tuning``): before the other
handlers, so collections while the exports are written skip the pages' objects."""

CONTENT_SECURITY_POLICY = 800
"""Write the Content-Security-Policy into every page (``safety.csp``): after the handlers
that write pages at the default (``views.permalinks``)."""

GC_UNFREEZE = 900
"""Unfreeze and restore the thresholds (``build.gc_tuning``), so a process that runs
several builds (the tests) frees them again: late, after the exports."""

SCHEMA_REPORT_TIMING = 900
"""Drop the timing from ``schema_violations.json`` (``build.reproducible``): after
sphinx-needs has written the file."""

BUILD_GUARD_FINISH = 999
"""Unlock the build folder and drop the failed-build marker (``checks.build_guard``): last,
because warnings of every other handler count."""

# -- transforms (``default_priority``) --------------------------------------------------

TERM_LINKER_TRANSFORM = 5
"""Plan the glossary links (``terms.transform.TermLinker``): before Sphinx's
``ReferencesResolver`` (10), while the page has the shape it had when it was read."""

UNSAFE_CONTENT_TRANSFORM = 870
"""Remove raw content, formulas and outside files (``safety.content``): after docutils'
read transforms (substitutions at 220), just before Sphinx's ``DoctreeReadEvent`` (880),
whose collectors record images and downloads."""
