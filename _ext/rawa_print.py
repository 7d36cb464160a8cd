"""PROTOTYPE (issue 19, not registered in conf.py): a tagged PDF/UA-1 edition from HTML.

The ``rawapdf`` builder writes the publication as one HTML page (Sphinx'
``singlehtml``), strips what only the website needs (theme CSS, scripts, the
heading anchors, the inline SVG icons of sphinx-needs, which would become
figures without a text alternative), adds print CSS and renders the page with
WeasyPrint as PDF/UA-1 in Dutch. Only ``file:`` and ``data:`` URLs are fetched.

A figure without alt text is a build warning naming file and line.

Not done yet: title page, colophon, running heads, page references, index,
reproducible /ID and dates. See docs/pdf-toegankelijkheid-vergelijking.md.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.util import logging
from sphinxcontrib.plantuml import plantuml

logger = logging.getLogger(__name__)

PDF_NAME = "rawa.pdf"
PRINT_CSS = """
@page { size: A4; margin: 2cm 2cm 2.2cm;
        @bottom-center { content: counter(page); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; line-height: 1.35; }
img { max-width: 100%; }
pre { white-space: pre-wrap; font-size: 7.5pt; }
table { border-collapse: collapse; font-size: 7pt; }
td, th { border: 0.5pt solid #999; padding: 2pt; vertical-align: top; }
a { color: #00579e; text-decoration: none; }
"""
_STRIP = (
    re.compile(r"<link\b[^>]*>"),
    re.compile(r"<script\b.*?</script>", re.DOTALL),
    re.compile(r"<style\b.*?</style>", re.DOTALL),
    re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL),
    re.compile(r"<svg\b.*?</svg>", re.DOTALL),
)


def missing_alt(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Warn for every image without a text alternative: a screen reader gets nothing."""
    for image in doctree.findall(lambda n: isinstance(n, (nodes.image, plantuml))):
        if not str(image.get("alt", "")).strip():
            logger.warning(
                "figuur zonder alt-tekst: geef de afbeelding een :alt: (PDF/UA)",
                location=image,
                type="rawa",
                subtype="alt",
            )


def print_html(page: str) -> str:
    """The single HTML page without the website's extras, with the print CSS."""
    for pattern in _STRIP:
        page = pattern.sub("", page)
    return page.replace("</head>", f"<style>{PRINT_CSS}</style></head>", 1)


class PrintPDFBuilder(SingleFileHTMLBuilder):
    """One HTML page, then WeasyPrint: a tagged PDF/UA-1."""

    name = "rawapdf"
    epilog = "De PDF staat in %(outdir)s/" + PDF_NAME

    def finish(self) -> None:
        super().finish()
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher

        source = Path(self.outdir) / f"{self.config.root_doc}.html"
        printable = source.with_name("print.html")
        printable.write_text(print_html(source.read_text(encoding="utf-8")), encoding="utf-8")
        fetcher = URLFetcher(allowed_protocols={"file", "data"})
        HTML(str(printable), url_fetcher=fetcher).write_pdf(
            Path(self.outdir) / PDF_NAME, pdf_variant="pdf/ua-1", lang="nl"
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_builder(PrintPDFBuilder)
    app.connect("doctree-resolved", missing_alt)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
