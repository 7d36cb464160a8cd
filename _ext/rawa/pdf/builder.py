"""The ``rawapdf`` builder: the publication as one HTML page, rendered as tagged PDF/UA-1.

The builder assembles the publication like Sphinx' ``singlehtml`` builder, but writes the
page in its own print template (no theme, navigation or scripts): a title page, a
colophon, a table of contents with page numbers, the chapters (the annex part marked as
such) and the print CSS of ``static/rawa-print.css``. WeasyPrint renders that page as
PDF/UA-1 in Dutch; only ``file:`` and ``data:`` URLs are fetched. The PDF's dates come
from ``SOURCE_DATE_EPOCH`` and its ``/ID`` from the page itself, so two builds of the
same sources give the same bytes.

A figure without alt text is a build warning naming file and line, for every builder.

The book's doctree is prepared by :mod:`rawa.pdf.book`, the page's HTML by
:mod:`rawa.pdf.print_html`; this module holds the template and the builder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import os
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.environment.adapters.indexentries import IndexEntries
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator
from sphinxcontrib.plantuml import plantuml

from rawa.pdf.book import lift_parts, mark_parts, mark_wide_tables, unique_ids
from rawa.pdf.print_html import (
    anchors_on_headings,
    files_online,
    index_html,
    mark_term_page_references,
    number_links,
    number_used_in,
    page_numbers_after_links,
    relevel_need_headings,
    tag_friendly,
    website_free,
)
from rawa.terms.config import get_config as get_terms_config

logger = logging.getLogger(__name__)

PDF_NAME = "rawa.pdf"
PRINT_PAGE = "print.html"
CSS_FILE = Path(__file__).parent / "static" / "rawa-print.css"
FINAL_STATUS = "Vastgestelde versie"

TEMPLATE = """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="author" content="{author}">
<meta name="description" content="{description}">
<meta name="generator" content="Sphinx, rawa.pdf, WeasyPrint">
<meta name="dcterms.created" content="{date}">
<meta name="dcterms.modified" content="{date}">
<style>{css}</style>
</head>
<body class="{body_class}">
<section class="rawa-titlepage" aria-label="Titelpagina">
<p class="rawa-title-short">{short}</p>
<p class="rawa-title">{project}</p>
<p class="rawa-subtitle">{description}</p>
<p class="rawa-edition">{status} {release}, {today}</p>
<p class="rawa-publisher">{author}</p>
</section>
<section class="rawa-colophon" aria-label="Colofon">
<p class="rawa-colophon-heading">Colofon</p>
<dl>
<dt>Titel</dt><dd>{project}</dd>
<dt>Versie</dt><dd>{release} ({status})</dd>
<dt>Datum</dt><dd>{today}</dd>
<dt>Uitgever</dt><dd>{author}</dd>
<dt>Licentie</dt><dd>{license}</dd>
<dt>Online</dt><dd>{baseurl}</dd>
</dl>
<p>Deze PDF is getagd, in het Nederlands, met PDF/UA-1 als doel: de koppen, lijsten,
tabellen, links en figuren zijn als structuur opgenomen, met de alt-tekst van elke figuur.
Wat nog niet voldoet, staat in de toegankelijkheidsverklaring achter in deze PDF.</p>
</section>
<nav class="rawa-toc" aria-label="Inhoudsopgave">
<p class="rawa-toc-heading">Inhoud</p>
{toc}
</nav>
<main>
{body}
{index}
</main>
</body>
</html>
"""


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


def source_date() -> dt.datetime:
    """The build date: ``SOURCE_DATE_EPOCH`` (the last commit under ``make``), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


#: a link of the contents to a whole document: ``class="reference internal" href="#document-…"``
_TOC_LINK = re.compile(r'(<a class="reference internal)" href="#document-([^"#]+)"')
class PrintTranslator(HTML5Translator):
    """The HTML writer for the print page: figure numbers as on Sphinx' one-page site.

    Sphinx' writer looks up a caption's number ("Figuur 1") per document only when the
    builder is *named* ``singlehtml`` (``HTML5Translator.add_fignumber``, Sphinx 8.2);
    under any other name the captions of the one page would lose their numbers while the
    references to them keep theirs. Tested by ``tests/test_print_pdf.py``, so a change
    upstream shows there.
    """

    def add_fignumber(self, node: nodes.Element) -> None:
        name = self.builder.name
        self.builder.name = "singlehtml"
        try:
            super().add_fignumber(node)
        finally:
            self.builder.name = name


class PrintPDFBuilder(SingleFileHTMLBuilder):
    """One HTML page in the print template, then WeasyPrint: a tagged PDF/UA-1."""

    name = "rawapdf"
    default_translator_class = PrintTranslator
    #: (document, id) -> the id on the one page, where two documents used the same id
    anchors: dict[tuple[str, str], str] = {}
    epilog = "De PDF staat in %(outdir)s/" + PDF_NAME

    def assemble_doctree(self) -> nodes.document:
        tree = super().assemble_doctree()
        self.anchors = unique_ids(tree)
        lift_parts(tree)
        mark_parts(tree, self.config.rawa_latex_appendix)
        mark_wide_tables(tree, self.config.rawa_latex_landscape_columns)
        return tree

    def handle_page(
        self,
        pagename: str,
        addctx: dict[str, Any],
        templatename: str = "page.html",
        outfilename: Path | None = None,
        event_arg: Any = None,
    ) -> None:
        if pagename != self.config.root_doc or "body" not in addctx:
            return  # no additional pages: the PDF is one page
        config = self.config
        date = source_date().strftime("%Y-%m-%dT%H:%M:%SZ")
        subs = getattr(config, "myst_substitutions", {}) or {}
        values = {
            "title": f"{config.html_title}: {config.project}",
            "short": config.html_title or config.project,
            "project": config.project,
            "description": subs.get("ondertitel", ""),
            "author": config.author,
            "release": config.release,
            "status": subs.get("status", ""),
            "today": config.today or "",
            "license": getattr(config, "rawa_licentie", ""),
            "baseurl": config.html_baseurl or "",
            "date": date,
            # a version that is not final carries its status at the foot of every page
            "body_class": "" if subs.get("status") == FINAL_STATUS else "rawa-not-final",
        }
        page = tag_friendly(TEMPLATE.format(
            **{k: html.escape(str(v)) for k, v in values.items()},
            css=CSS_FILE.read_text(encoding="utf-8"),
            toc=number_links(self._numbered_toc(website_free(addctx.get("toc", ""),
                                                             self.anchors))),
            body=mark_term_page_references(relevel_need_headings(anchors_on_headings(
                website_free(addctx["body"], self.anchors))),
                                           get_terms_config(config).latex_pageref),
            index=website_free(index_html(IndexEntries(self.env).create_index(self)),
                               self.anchors),
        ))
        page = files_online(page_numbers_after_links(number_used_in(page)),
                            config.html_baseurl or "")
        Path(self.outdir, PRINT_PAGE).write_text(page, encoding="utf-8")

    def _numbered_toc(self, toc: str) -> str:
        """Class the contents' links to parts and annexes: the CSS numbers them."""
        root, annex = self.config.root_doc, self.config.rawa_latex_appendix
        includes = self.env.toctree_includes
        classes = {doc: "rawa-toc-part" for doc in includes.get(root, []) if doc != annex}
        classes.update({doc: "rawa-toc-annex" for doc in includes.get(annex, [])})

        def add_class(match: re.Match[str]) -> str:
            css = classes.get(html.unescape(match.group(2)))
            return f'{match.group(1)} {css}"{match.group(0)[len(match.group(1)) + 1:]}' \
                if css else match.group(0)

        return _TOC_LINK.sub(add_class, toc)

    def copy_static_files(self) -> None:
        """No theme files: the print CSS is inside the page."""

    def finish(self) -> None:
        super().finish()
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher

        page = Path(self.outdir) / PRINT_PAGE
        identifier = hashlib.sha256(page.read_bytes()).hexdigest()[:32].encode("ascii")
        fetcher = URLFetcher(allowed_protocols={"file", "data"})
        HTML(str(page), url_fetcher=fetcher).write_pdf(
            Path(self.outdir) / PDF_NAME,
            pdf_variant="pdf/ua-1",
            pdf_identifier=identifier,
        )
