"""The accessible PDF edition (issue 19): a tagged PDF/UA-1 rendered from HTML.

:mod:`rawa.pdf.builder` holds the ``rawapdf`` builder (one HTML page in a print template,
then WeasyPrint) and the check that every figure has a text alternative;
:mod:`rawa.pdf.book` prepares the assembled doctree and :mod:`rawa.pdf.print_html` the
page's HTML. The print
layout is ``static/rawa-print.css``. See ``docs/pdf-toegankelijkheid-vergelijking.md``
for the choice of route and what is done.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from rawa import priorities
from rawa.pdf import builder


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_builder(builder.PrintPDFBuilder)
    app.connect("doctree-resolved", builder.missing_alt, priority=priorities.FIGURE_ALT_TEXT)
    return {"version": "0.2", "parallel_read_safe": True, "parallel_write_safe": True}
