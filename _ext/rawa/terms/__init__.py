"""rawa_terms: link every plain-text glossary term to its definition.

The glossary (``{glossary}`` in MyST) is the single source of every term. This
extension links occurrences of a term, its abbreviations and ``:Varianten:`` in the
prose (including need bodies) to the glossary entry, adds accessible tooltips in HTML
and page references in the PDF, lists "Gebruikt in" under each entry, writes the
glossary as SKOS (JSON-LD) and a usage report. Names of a concept listed under
``:Niet gebruiken:`` fail the build where the text uses them (:mod:`.avoid`). See
README.md, "Termen".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from .collector import TermCollector
from .config import get_config, setup_config
from .glossary_lines import LocatedGlossary
from .glossary_page import decorate_glossary
from .outputs import DEFS_FILE, on_build_finished, on_write_started
from .transform import (
    INSERT_PRIORITY,
    LatexTermLinker,
    TermLinker,
    insert_links,
    remember_builder,
)
from .usage import on_env_updated

STATIC = Path(__file__).parent / "static"


def add_static_assets(app: Sphinx) -> None:
    """Ship the tooltip script and styles, for HTML builders only."""
    if app.builder.format != "html" or not get_config(app.config).enabled:
        return
    app.config.html_static_path.append(str(STATIC))
    app.add_css_file("rawa-terms.css")
    app.add_js_file(DEFS_FILE, defer="defer")
    app.add_js_file("rawa-terms.js", defer="defer")


def setup(app: Sphinx) -> dict[str, Any]:
    setup_config(app)
    app.add_directive_to_domain("std", "glossary", LocatedGlossary, override=True)
    app.add_env_collector(TermCollector)
    app.add_post_transform(TermLinker)
    app.add_post_transform(LatexTermLinker)
    app.connect("builder-inited", remember_builder)
    app.connect("builder-inited", add_static_assets)
    app.connect("env-updated", on_env_updated)
    app.connect("doctree-resolved", decorate_glossary)
    app.connect("doctree-resolved", insert_links, priority=INSERT_PRIORITY)
    app.connect("write-started", on_write_started)
    app.connect("build-finished", on_build_finished)
    return {
        "version": "1.0",
        # 1: entries and linkable-text records per document (first version)
        # 2: link plans are kept between builds and reused for pages not read again
        # 3: prose with line numbers per document, and ``:Niet gebruiken:`` per entry
        "env_version": 3,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
