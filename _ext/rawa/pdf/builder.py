"""The ``rawapdf`` builder: the publication as one HTML page, rendered as tagged PDF/UA-1.

The builder assembles the publication like Sphinx' ``singlehtml`` builder, but writes the
page in its own print template (no theme, navigation or scripts): a title page, a
colophon, a table of contents with page numbers, the chapters (the annex part marked as
such) and the print CSS of ``static/rawa-print.css``. WeasyPrint renders that page as
PDF/UA-1 in Dutch; only ``file:`` and ``data:`` URLs are fetched. The PDF's dates come
from ``SOURCE_DATE_EPOCH`` and its ``/ID`` from the page itself, so two builds of the
same sources give the same bytes.

A figure without alt text is a build warning naming file and line, for every builder.
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
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.environment.adapters.indexentries import IndexEntries
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator
from sphinxcontrib.plantuml import plantuml

from rawa.terms.config import get_config as get_terms_config
from rawa.views.need_pages import PART_CLASS as NEED_PART_CLASS
from rawa.views.need_pages import TITLE_CLASS

logger = logging.getLogger(__name__)

PDF_NAME = "rawa.pdf"
PRINT_PAGE = "print.html"
CSS_FILE = Path(__file__).parent / "static" / "rawa-print.css"
ANNEX_CLASS = "rawa-annex"
PART_CLASS = "rawa-part"
WIDE_CLASS = "rawa-wide"
FINAL_STATUS = "Vastgestelde versie"

#: what only the website needs: theme links, scripts, heading anchors, and the inline
#: SVG icons of sphinx-needs (they would become figures without a text alternative)
_STRIP = (
    re.compile(r"<link\b[^>]*>"),
    re.compile(r"<script\b.*?</script>", re.DOTALL),
    re.compile(r"<style\b.*?</style>", re.DOTALL),
    re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL),
    re.compile(r"<svg\b.*?</svg>", re.DOTALL),
)

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


#: singlehtml leaves the document's anchor before a section's anchor in links between
#: documents (``#document-deel#sec-doel``); in one page only one anchor is a target
_DOUBLE_ANCHOR = re.compile(r'(href|data-target)="#document-([^"#]*)#([^"]*)"')
#: a document's anchor stands just before its first section; moved inside it, the anchor
#: lands on the page where the section starts (a part starts on a new page)
_DOCUMENT_ANCHOR = re.compile(r'(<span id="document-[^"]*"></span>)(<section\b[^>]*>)')


def website_free(fragment: str, anchors: dict[tuple[str, str], str] | None = None) -> str:
    """An HTML fragment without what only the website needs, its links within the page.

    ``anchors`` maps (document, id) to the id that anchor got on the one page where two
    documents used the same id (see :func:`unique_ids`).
    """
    for pattern in _STRIP:
        fragment = pattern.sub("", fragment)
    fragment = _DOCUMENT_ANCHOR.sub(r"\2\1", fragment)
    renamed = anchors or {}

    def target(match: re.Match[str]) -> str:
        key = (html.unescape(match.group(2)), html.unescape(match.group(3)))
        anchor = html.escape(renamed[key]) if key in renamed else match.group(3)
        return f'{match.group(1)}="#{anchor}"'

    return _DOUBLE_ANCHOR.sub(target, fragment)


#: a section's opening tag, the anchors right after it, and its heading's opening tag
_SECTION_START = re.compile(
    r'<section(?P<before>[^>]*?)(?: id="(?P<id>[^"]*)")?(?P<after>[^>]*)>\s*'
    r'(?P<spans>(?:<span id="[^"]*"></span>\s*)*)<h(?P<level>[1-6])(?P<attrs>[^>]*)>')


def anchors_on_headings(page: str) -> str:
    """Put a section's anchors on its heading.

    A section may begin at the foot of a page while its heading moves to the next one
    (headings keep with what follows); a page number taken from the section's own box
    (``target-counter``) would then name the page before the heading.
    """

    def move(match: re.Match[str]) -> str:
        ident = f' id="{match["id"]}"' if match["id"] is not None else ""
        return (f'<section{match["before"]}{match["after"]}>\n'
                f'<h{match["level"]}{match["attrs"]}{ident}>{match["spans"].strip()}')

    return _SECTION_START.sub(move, page)


def unique_ids(tree: nodes.Element) -> dict[tuple[str, str], str]:
    """Give every id that more than one document uses a unique name on the one page.

    Documents may each have a section ``bronnen``; on their own pages that is fine, on one
    page only the first would be a target and every other link would land there. The first
    document keeps the id; a later one gets ``<document>--<id>``, and its links within the
    document follow. Returns the renames, for the links between documents.
    """
    owners: dict[str, str] = {}
    renamed: dict[tuple[str, str], str] = {}

    def walk(node: nodes.Element, doc: str, visit: Any) -> None:
        for child in node.children:
            if isinstance(child, addnodes.start_of_file):
                walk(child, child["docname"], visit)
            elif isinstance(child, nodes.Element):
                visit(child, doc)
                walk(child, doc, visit)

    def rename(node: nodes.Element, doc: str) -> None:
        for index, ident in enumerate(node.get("ids", [])):
            owner = owners.setdefault(ident, doc)
            if owner != doc:
                new = f"{doc.replace('/', '-')}--{ident}"
                renamed[(doc, ident)] = new
                node["ids"][index] = new

    def follow(node: nodes.Element, doc: str) -> None:
        if isinstance(node, nodes.reference) and (doc, node.get("refid")) in renamed:
            node["refid"] = renamed[(doc, node["refid"])]

    walk(tree, tree.get("docname", ""), rename)
    walk(tree, tree.get("docname", ""), follow)
    return renamed


def index_html(entries: list[tuple[str, list[Any]]]) -> str:
    """The index as HTML: per letter the entries, each a link to its first place and
    followed by the page of every place.

    The numbers are not in the HTML: the print CSS writes each target's page number
    (``target-counter``), so they are right whatever the layout.
    """
    if not entries:
        return ""

    def refs(targets: list[tuple[str | None, str | bool]]) -> str:
        # page numbers only, not links: the number is generated (target-counter), and
        # generated content inside a link becomes a second, nested link annotation
        numbers = [f'<span class="rawa-index-page" data-target="{html.escape(str(uri))}">'
                   "</span>" for _main, uri in targets if uri]
        return " " + ", ".join(numbers) if numbers else ""

    def name(label: str, targets: list[tuple[str | None, str | bool]]) -> str:
        """The entry's name, a link to its first place."""
        first = next((str(uri) for _main, uri in targets if uri), "")
        if not first:
            return html.escape(label)
        return f'<a class="rawa-index-ref" href="{html.escape(first)}">{html.escape(label)}</a>'

    out = ['<section class="rawa-index" id="rawa-index">', "<h1>Index</h1>"]
    for letter, items in entries:
        out.append(f"<h2>{html.escape(letter)}</h2>")
        out.append("<ul>")
        for label, (targets, subitems, _category) in items:
            out.append(f"<li>{name(label, targets)}{refs(targets)}")
            if subitems:
                out.append("<ul>")
                out.extend(
                    f"<li>{name(sub, sub_targets)}{refs(sub_targets)}</li>"
                    for sub, sub_targets in subitems
                )
                out.append("</ul>")
            out.append("</li>")
        out.append("</ul>")
    out.append("</section>")
    return "\n".join(out)


def top_documents(tree: nodes.Element) -> list[tuple[addnodes.start_of_file, list[nodes.Element]]]:
    """Each document the root pulls in directly, with the path of elements down to it.

    Walked from the top: Sphinx inlines a document's children into ``start_of_file``
    without setting their ``parent``, so below the first level ``node.parent`` does not
    lead back up to the book.
    """
    found: list[tuple[addnodes.start_of_file, list[nodes.Element]]] = []

    def walk(node: nodes.Element, path: list[nodes.Element]) -> None:
        for child in node.children:
            if isinstance(child, addnodes.start_of_file):
                found.append((child, [*path, node]))
            elif isinstance(child, nodes.Element):
                walk(child, [*path, node])

    walk(tree, [])
    return found


def mark_parts(doctree: nodes.Element, annex_doc: str) -> None:
    """Class the first section of every top-level document as a part, the annex as annex."""
    for start, _path in top_documents(doctree):
        section = next(iter(start.findall(nodes.section)), None)
        if section is None:
            continue
        section["classes"].append(PART_CLASS)
        if start.get("docname") == annex_doc:
            section["classes"].append(ANNEX_CLASS)


def lift_parts(tree: nodes.document) -> None:
    """Move the documents the root's table of contents pulls in to the top of the book.

    ``singlehtml`` puts them where the toctree stands: under the root page's title and
    its "Inhoud" section, so every part would start three heading levels down and the
    deeper paragraphs would all end on ``h6``. In print the parts stand next to the front
    matter, as in the LaTeX edition: a part is ``h1``, a chapter ``h2``. A section left
    with only its title (the print template has its own contents) is dropped.
    """
    tops = top_documents(tree)
    for start, path in tops:
        path[-1].remove(start)
        tree.append(start)
    for _start, path in tops:
        holder = path[-1]
        if holder is tree or holder.children or holder not in path[-2].children:
            continue  # kept, or already dropped for another document it held
        sections = [e for e in path if isinstance(e, nodes.section)]
        path[-2].remove(holder)
        if sections and all(isinstance(c, nodes.title) for c in sections[-1].children):
            index = path.index(sections[-1])
            if sections[-1] in path[index - 1].children:
                path[index - 1].remove(sections[-1])


def mark_wide_tables(doctree: nodes.Element, columns: int) -> None:
    """Class a table with ``columns`` or more columns as wide: it gets a landscape page."""
    for table in doctree.findall(nodes.table):
        group = next(iter(table.findall(nodes.tgroup)), None)
        if group is not None and int(group.get("cols", 0)) >= columns:
            table["classes"].append(WIDE_CLASS)


#: a link of the contents to a whole document: ``class="reference internal" href="#document-…"``
_TOC_LINK = re.compile(r'(<a class="reference internal)" href="#document-([^"#]+)"')
_HEADING = re.compile(r"<h([1-6])(\b[^>]*)>(.*?)</h\1>", re.DOTALL)


def relevel_need_headings(page: str) -> str:
    """Put each need's headings one level below the section heading above them.

    ``views.need_pages`` levels a need's title below the section it stands in on its own
    page. On one page the chapters are nested deeper (a chapter under its part), so the
    titles would skip levels after the chapter's headings; a screen reader's list of
    headings, and PDF/UA, want no skips.
    """
    section_level = 1

    def relevel(match: re.Match[str]) -> str:
        nonlocal section_level
        level, attributes, content = int(match.group(1)), match.group(2), match.group(3)
        if TITLE_CLASS in attributes:
            level = min(section_level + 1, 6)
        elif NEED_PART_CLASS in attributes:
            level = min(section_level + 2, 6)
        else:
            section_level = level
        return f"<h{level}{attributes}>{content}</h{level}>"

    return _HEADING.sub(relevel, page)




#: an inline element with only text inside a link (a term's span, a need reference's
#: emphasis): WeasyPrint would tag it as a Span holding a second link annotation, so the
#: link's text would not sit in the Link element (PDF/UA 7.18.5)
_LINK = re.compile(r"(<a\b[^>]*>)(.*?)(</a>)", re.DOTALL)
_INLINE_TAG = re.compile(r"</?(?:span|em|code|strong|cite|abbr)\b[^>]*>")
#: a link to a file next to the site (an export): relative, not an anchor or a scheme
_FILE_LINK = re.compile(r'href="(?![#/])(?![a-zA-Z][a-zA-Z0-9+.-]*:)([^"]+)"')
#: where a page number follows a link: the contents, the index, "Gebruikt in", the first
#: term of a document; the number goes in an element of its own after the link (a
#: pseudo-element of the link would be a second, nested link annotation)
_NUMBERED_LINK = re.compile(r'(<a class="[^"]*\b(?:rawa-numbered)\b[^"]*" href="([^"]*)">.*?</a>)')
#: a list item that starts with a paragraph: WeasyPrint would tag LI > P, where PDF/UA
#: allows only Lbl and LBody in a list item
_PARAGRAPH_IN_ITEM = re.compile(r"<li>\s*<p>((?:(?!</?(?:p|div|ul|ol|table|dl)\b).)*?)</p>",
                                re.DOTALL)
#: definition lists: WeasyPrint tags each term and each description as a separate list
#: item, so a reader hears "ID", then "EIS-IDN-01" as two items. As paragraphs (the term,
#: then its description) they read as one pair.
_DEFINITION_TAGS = (
    (re.compile(r"<dl\b([^>]*)>"), r'<div\1 data-rawa="dl">'),
    (re.compile(r"</dl>"), "</div>"),
    (re.compile(r"<dt\b([^>]*)>"), r'<p\1 data-rawa="dt">'),
    (re.compile(r"</dt>"), "</p>"),
    (re.compile(r"<dd\b([^>]*)>"), r'<div\1 data-rawa="dd">'),
    (re.compile(r"</dd>"), "</div>"),
)


def _plain_link(match: re.Match[str]) -> str:
    """A link with its text only: no span, emphasis or code around the words."""
    inner = match.group(2)
    if " id=" in inner:
        return match.group(0)  # an anchor inside a link: leave it be
    return match.group(1) + _INLINE_TAG.sub("", inner) + match.group(3)


def files_online(page: str, base_url: str) -> str:
    """Links to files next to the site (the exports) point to the published site: in a
    PDF a relative link would point to a file next to wherever the reader saved it."""
    if not base_url:
        return page
    return _FILE_LINK.sub(lambda m: f'href="{html.escape(base_url.rstrip("/"))}/{m.group(1)}"',
                          page)


def page_numbers_after_links(page: str) -> str:
    """After each link classed ``rawa-numbered``, an empty element the print CSS fills
    with the page number of the link's target (``target-counter``). Run on the finished
    page: the targets are the page's own anchors by then."""
    page = _NUMBERED_LINK.sub(
        lambda m: f'{m.group(1)}<span class="rawa-pageno" data-target="{m.group(2)}"></span>',
        page)
    return page


def tag_friendly(page: str) -> str:
    """HTML that WeasyPrint tags the way PDF/UA asks: links hold their own text, list
    items hold a label and a body, definition lists become term and description."""
    page = _LINK.sub(_plain_link, page)
    page = _PARAGRAPH_IN_ITEM.sub(r"<li>\1", page)
    for pattern, replacement in _DEFINITION_TAGS:
        page = pattern.sub(replacement, page)
    return page


#: what decides where a term's page number goes: a document starts, a table opens or
#: closes, or a link to a glossary term
_TERM_SCAN = re.compile(
    r'<span id="document-[^"]*"></span>|<table\b|</table>'
    r'|<a class="reference internal" href="#term-')
TERM_PAGE_CLASS = "rawa-term-page"
#: a link after which the print CSS writes its target's page (page_numbers_after_links)
NUMBERED_CLASS = "rawa-numbered"
_USED_IN = re.compile(r'<p class="rawa-terms-gebruikt-in">.*?</p>', re.DOTALL)


def number_links(fragment: str) -> str:
    """Class every internal link of ``fragment`` as one that gets a page number."""
    return fragment.replace('<a class="reference internal',
                            f'<a class="reference internal {NUMBERED_CLASS}')


def number_used_in(page: str) -> str:
    """The links under "Gebruikt in" in the glossary get page numbers."""
    return _USED_IN.sub(lambda m: number_links(m.group(0)), page)


def mark_term_page_references(body: str, per: str) -> str:
    """Class the first term link per document (``per="document"``) or in the whole book
    (``"book"``) outside tables; the print CSS writes the glossary page after it.

    The same rule as the LaTeX edition (``rawa_terms_latex_pageref``): a printed term
    says once where its explanation stands, without repeating it at every mention.
    """
    if per == "off":
        return body
    out, last, tables, done = [], 0, 0, False
    for match in _TERM_SCAN.finditer(body):
        token = match.group(0)
        if token.startswith("<span"):
            done = done and per == "book"
        elif token == "<table":
            tables += 1
        elif token == "</table>":
            tables = max(tables - 1, 0)
        elif not done and not tables:
            out.append(body[last:match.start()])
            out.append(f'<a class="reference internal {TERM_PAGE_CLASS} {NUMBERED_CLASS}" '
                       'href="#term-')
            last, done = match.end(), True
    out.append(body[last:])
    return "".join(out)


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
