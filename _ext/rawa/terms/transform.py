"""Write phase: turn matched text into term references.

:class:`TermLinker` runs at priority 5, before Sphinx's ``ReferencesResolver`` (10),
while the page still has the shape it had when it was read, so the links planned
after reading apply to it. It builds the reference nodes the standard domain makes of
a manual ``{term}`` (the same ``make_refnode`` call, see :func:`term_reference`), so
HTML and LaTeX render them like any term reference. It puts them into the page only
late in ``doctree-resolved`` (:func:`insert_links`): about 20 transforms and handlers
in between walk every node of the page, and then need not walk 2,000 links. In LaTeX the
first link to a term in each document also gets the page of the definition,
``(p. N)``, which Sphinx itself leaves out for terms.
"""

from __future__ import annotations

import weakref

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from rawa import priorities
from rawa.latex.pagerefs import page_reference, page_reference_allowed

from .config import get_config
from .entries import TermEntry
from .sites import iter_sites
from .table import plan_links
from .usage import get_table, stored_plan

logger = logging.getLogger(__name__)

XREF_CLASSES = ["xref", "std", "std-term", "rawaterm"]
#: doctree-resolved priority of :func:`insert_links` (reason in :mod:`rawa.priorities`)
INSERT_PRIORITY = priorities.TERM_LINKS_INSERT

#: the builder of each environment (``builder-inited``): a transform's ``self.app`` is
#: deprecated (removed in Sphinx 11), and a post-transform has no public way to it
_BUILDERS: weakref.WeakKeyDictionary[BuildEnvironment, Builder] = weakref.WeakKeyDictionary()


def remember_builder(app: Sphinx) -> None:
    """Keep the builder for the transforms of this build (``builder-inited``)."""
    _BUILDERS[app.env] = app.builder


#: per page being written: each text node to link, and the nodes that replace it
_PENDING: weakref.WeakKeyDictionary[nodes.document, list[tuple[nodes.Text, list[nodes.Node]]]]
_PENDING = weakref.WeakKeyDictionary()


def latex_pageref(entry: TermEntry) -> nodes.raw:
    """`` (pagina N)`` after a term link in the PDF, to the glossary item's Sphinx label."""
    return page_reference(f"{entry.docname}:{entry.anchor}")


def term_reference(builder: Builder, fromdoc: str, entry: TermEntry, text: str,
                   source: str | None, line: int | None) -> nodes.reference:
    """The link a manual ``{term}`` becomes, marked as automatic (``rawaterm``).

    Sphinx's standard domain resolves a term reference with this same ``make_refnode``
    call. The target is already known here, so the link is built directly instead of
    as a ``pending_xref`` for the resolver: the same node, without 2,000 lookups.
    """
    ref = make_refnode(builder, fromdoc, entry.docname, entry.anchor,
                       nodes.inline(text, text, classes=list(XREF_CLASSES)))
    ref.source, ref.line = source, line
    return ref


class TermLinker(SphinxPostTransform):
    """Make the links of a page (HTML); :func:`insert_links` puts them in."""

    default_priority = priorities.TERM_LINKER_TRANSFORM  # before ReferencesResolver
    formats: tuple[str, ...] = ("html",)
    with_pageref = False

    def run(self, **kwargs: object) -> None:
        config = get_config(self.config)
        table = get_table(self.env)
        if not config.enabled or table is None or not table.entries:
            return
        docname = self.env.docname
        sites = list(iter_sites(self.document, config.skip_class))
        pageref_done: set[tuple[str, str]] = set()
        planned = stored_plan(self.env, docname, sites)
        if planned is None:
            planned = list(plan_links(sites, table, config.link_scope))
        pending = _PENDING.setdefault(self.document, [])
        for site, matches in planned:
            doc = site.doc or docname
            text = site.node
            parent = text.parent
            source, line = _location(parent)
            pieces: list[nodes.Node] = []
            position = 0
            raw = str(text)
            for match in matches:
                if match.start > position:
                    pieces.append(nodes.Text(raw[position:match.start]))
                entry = table.by_canonical[match.target]
                pieces.append(term_reference(_BUILDERS[self.env], doc, entry, match.text,
                                             source, line))
                if config.debug:
                    logger.info("rawa_terms: [%s] -> %s", match.text, match.target,
                                location=pieces[-1] if source else doc)
                once_per = "" if config.latex_pageref == "book" else doc
                if (self.with_pageref and config.latex_pageref != "off"
                        and doc not in table.glossary_docs
                        and (once_per, entry.canonical) not in pageref_done
                        and page_reference_allowed(parent)):  # not in a table
                    pageref_done.add((once_per, entry.canonical))
                    pieces.append(latex_pageref(entry))
                position = match.end
            if position < len(raw):
                pieces.append(nodes.Text(raw[position:]))
            pending.append((text, pieces))


def insert_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Replace each planned text node by its links (late in ``doctree-resolved``).

    Later handlers may have moved a text node (sphinx-needs puts a need's body into
    its layout table) but not copied it: its current parent is looked up. A node whose
    parent no longer holds it is left alone.
    """
    for text, pieces in _PENDING.pop(doctree, ()):
        parent = text.parent
        if parent is None:
            continue
        # by identity: ``list.index`` would also stop at an equal, earlier text node
        index = next((i for i, child in enumerate(parent.children) if child is text), None)
        if index is None:
            continue
        # docutils finds a new child's document by walking up from the parent, once per
        # child; telling the parent directly saves that walk for every piece
        parent.document = doctree
        parent[index:index + 1] = pieces


class LatexTermLinker(TermLinker):
    """Link plain-text terms in LaTeX output, with a page reference per document."""

    formats = ("latex",)
    with_pageref = True


def _location(node: nodes.Node) -> tuple[str | None, int | None]:
    while node is not None and not (node.source and node.line):
        node = node.parent
    return (node.source, node.line) if node is not None else (None, None)
