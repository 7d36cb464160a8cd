"""The glossary page: "Gebruikt in" under each entry, and the link to the SKOS file.

Added in ``doctree-resolved``, when the usage of every term is known (see
:mod:`.usage`). In HTML the "Gebruikt in" line is one raw node with the markup the HTML
writer would make of it; the LaTeX edition gets ordinary reference nodes.

A builder that assembles the whole book into one page (``singlehtml`` and the tagged PDF
of :mod:`rawa.pdf`) resolves one tree for the root document; there the glossary is the
part of that tree that came from a glossary document, and its links stay within the page.
"""

from __future__ import annotations

from collections import Counter

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.util.nodes import make_refnode
from sphinx.util.osutil import relative_uri
from sphinx.writers.html5 import HTML5Translator

from .config import get_config
from .entries import is_glossary_list
from .table import TermTable
from .usage import get_table, get_usage

USED_IN_CLASS = "rawa-terms-gebruikt-in"
SKOS_CLASS = "rawa-terms-skos"

#: what the HTML writer escapes in text and attribute values
_HTML_SPECIAL = HTML5Translator.special_characters


def _labelled(app: Sphinx, places: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """(document, section id, label) of every place; a repeated title gets its page."""
    titles = Counter(title for _, _, title in places)
    labelled = []
    for target_doc, section_id, title in places:
        label = title or target_doc
        if titles[title] > 1:
            doc_title = app.env.titles[target_doc].astext() if target_doc in app.env.titles else ""
            label = f"{title} ({doc_title or target_doc})"
        labelled.append((target_doc, section_id, label))
    return labelled


def _html_href(app: Sphinx, docname: str, target_doc: str, section_id: str) -> str:
    """The ``href`` the HTML writer gives the node ``make_refnode`` makes."""
    if isinstance(app.builder, SingleFileHTMLBuilder):
        # one page: the form Sphinx gives its own links there (``#document-<doc>#<id>``);
        # the print builder turns it into the section's unique anchor
        uri = app.builder.get_target_uri(target_doc)
        return uri + "#" + section_id if section_id else uri
    if target_doc == docname and section_id:
        return "#" + section_id
    uri = app.builder.get_relative_uri(docname, target_doc)
    return uri + "#" + section_id if section_id else uri


def _places_paragraph(app: Sphinx, docname: str,
                      places: list[tuple[str, str, str]]) -> nodes.Element:
    """The "Gebruikt in:" line under a glossary entry, linking to each place.

    HTML gets the markup the HTML writer would make of these nodes, as one raw node:
    the glossary page holds about 1,500 of these links, and as nodes every later
    transform, the writer and the search indexer would walk them one by one.
    """
    links = _labelled(app, places)
    if app.builder.format == "html":
        items = ", ".join(
            f'<a class="reference internal" href="'
            f'{_html_href(app, docname, doc, section).translate(_HTML_SPECIAL)}">'
            f"{label.translate(_HTML_SPECIAL)}</a>" for doc, section, label in links)
        return nodes.raw("", f'<p class="{USED_IN_CLASS}"><strong>Gebruikt in:</strong> '
                             f"{items}.</p>\n", format="html")
    para = nodes.paragraph(classes=[USED_IN_CLASS])
    para += nodes.strong("Gebruikt in:", "Gebruikt in:")
    para += nodes.Text(" ")
    for index, (target_doc, section_id, label) in enumerate(links):
        if index:
            para += nodes.Text(", ")
        para += make_refnode(app.builder, docname, target_doc, section_id or None,
                             nodes.Text(label))
    para += nodes.Text(".")
    return para


def _skos_paragraph(app: Sphinx, docname: str, skos_file: str) -> nodes.paragraph:
    uri = relative_uri(app.builder.get_target_uri(docname), skos_file)
    para = nodes.paragraph(classes=[SKOS_CLASS])
    para += nodes.Text("Deze begrippen zijn ook machineleesbaar beschikbaar als SKOS "
                       "(JSON-LD, volgens NL-SBB): ")
    para += nodes.reference(skos_file, skos_file, refuri=uri, internal=False)
    para += nodes.Text(".")
    return para


def decorate_glossary(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Add "Gebruikt in" under each glossary entry, and the SKOS link (HTML)."""
    config = get_config(app.config)
    table: TermTable | None = get_table(app.env)
    if not config.enabled or table is None:
        return
    if docname in table.glossary_docs:
        scopes: list[nodes.Element] = [doctree]
    elif isinstance(app.builder, SingleFileHTMLBuilder):
        scopes = [start for start in doctree.findall(addnodes.start_of_file)
                  if start.get("docname") in table.glossary_docs]
    else:
        return
    usage = get_usage(app.env)
    lists = [dl for scope in scopes for dl in scope.findall(nodes.definition_list)
             if is_glossary_list(dl)]
    for dl in lists:
        for item in dl.children:
            anchors = [t["ids"][0] for t in item.children
                       if isinstance(t, nodes.term) and t.get("ids")]
            places = usage.get(anchors[0], []) if anchors else []
            definitions = [d for d in item.children if isinstance(d, nodes.definition)]
            if places and definitions:
                definitions[0] += _places_paragraph(app, docname, places)
    if lists and scopes == [doctree] and app.builder.format == "html" and config.skos_file:
        first = lists[0]
        holder = first.parent if not isinstance(first.parent, nodes.section) else first
        holder.parent.insert(holder.parent.index(holder), _skos_paragraph(
            app, docname, config.skos_file))
