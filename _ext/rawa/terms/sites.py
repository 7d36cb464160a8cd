"""Where terms may be linked: walk a doctree and yield the linkable text.

The same walk serves the read phase (the usage index behind "Gebruikt in") and the
write phase (the links themselves), so both always agree on the skip zones:
titles and captions, code and literals, raw output, links and pending references,
glossary terms, index and toctree nodes, images, need IDs and every sphinx-needs or
PlantUML node except a need's body, and any element with the opt-out class. Inside a
glossary item, its own terms are reported in ``own`` so they never link to themselves,
and its metadata fields are skipped. Needs and glossary items are units: with the
``section`` scope each of them links its own first occurrences.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from docutils import nodes
from sphinx import addnodes

from .entries import is_glossary_list

SKIP_TYPES: tuple[type[nodes.Node], ...] = (
    nodes.FixedTextElement, nodes.literal, nodes.math, nodes.raw, nodes.reference,
    nodes.target, addnodes.download_reference, nodes.footnote_reference,
    nodes.citation_reference, nodes.title, nodes.subtitle, nodes.rubric, nodes.caption,
    nodes.term, nodes.abbreviation, nodes.acronym, nodes.Invisible, addnodes.index,
    addnodes.toctree, nodes.image, nodes.field_name, nodes.option_list,
    addnodes.desc_signature, nodes.problematic, nodes.system_message, nodes.label,
)
#: modules whose nodes are generated content (need meta, tables, diagrams)
SKIP_MODULES = ("sphinx_needs", "sphinxcontrib.plantuml")
#: the one sphinx-needs node whose children (the need body) are prose
NEED_BODY = "Need"


@dataclass(frozen=True)
class Site:
    """A piece of linkable text, or a manual ``{term}`` reference (``ref_target``)."""

    node: nodes.Node
    section_id: str
    section_title: str
    own: frozenset[str] = frozenset()
    ref_target: str = ""
    #: the need (its ID) the text belongs to: every need is a scope of its own
    unit: str = ""
    #: the source document, when several are assembled into one tree (LaTeX)
    doc: str = ""


@lru_cache(maxsize=512)
def _skipped_type(cls: type) -> bool:
    """Whether every node of this class is skipped (decided once per class)."""
    if issubclass(cls, SKIP_TYPES):
        return True
    return cls.__module__.startswith(SKIP_MODULES) and cls.__name__ != NEED_BODY


def _skipped(node: nodes.Node, skip_class: str) -> bool:
    if _skipped_type(type(node)):
        return True
    return isinstance(node, nodes.Element) and skip_class in node.get("classes", ())


def _section_of(node: nodes.section) -> tuple[str, str]:
    ids = node.get("ids") or [""]
    title = node[0].astext() if len(node) and isinstance(node[0], nodes.title) else ""
    return ids[0], " ".join(title.split())


def iter_sites(doctree: nodes.Node, skip_class: str) -> Iterator[Site]:
    """Linkable text nodes and manual term references, in document order."""
    yield from _walk(doctree, skip_class, "", "", frozenset(), "", "")


def _walk(node: nodes.Node, skip_class: str, section_id: str, title: str,
          own: frozenset[str], unit: str, doc: str) -> Iterator[Site]:
    for child in list(node.children):
        if isinstance(child, nodes.Text):
            if child.strip():
                yield Site(child, section_id, title, own, unit=unit, doc=doc)
            continue
        if isinstance(child, addnodes.pending_xref):
            if child.get("refdomain") == "std" and child.get("reftype") == "term":
                yield Site(child, section_id, title, own, ref_target=child["reftarget"],
                           unit=unit, doc=doc)
            continue
        if _skipped(child, skip_class):
            continue
        if isinstance(child, nodes.section):
            yield from _walk(child, skip_class, *_section_of(child), own, "", doc)
        elif isinstance(child, addnodes.start_of_file):
            yield from _walk(child, skip_class, "", "", own, "", child["docname"])
        elif type(child).__name__ == NEED_BODY and child.get("ids"):
            yield from _walk(child, skip_class, section_id, title, own, child["ids"][0], doc)
        elif is_glossary_list(child):
            yield from _walk_glossary(child, skip_class, section_id, title, doc)
        else:
            yield from _walk(child, skip_class, section_id, title, own, unit, doc)


def _walk_glossary(dl: nodes.Element, skip_class: str, section_id: str,
                   title: str, doc: str) -> Iterator[Site]:
    for item in dl.children:
        anchors = [i for t in item.children if isinstance(t, nodes.term)
                   for i in t.get("ids", ())]
        ids = frozenset(anchors)
        unit = anchors[0] if anchors else ""  # every glossary item is a scope of its own
        for definition in item.children:
            if not isinstance(definition, nodes.definition):
                continue
            for part in definition.children:
                if isinstance(part, nodes.field_list):
                    continue  # Varianten, Engels, Bron: metadata, not prose
                if isinstance(part, nodes.Text):
                    yield Site(part, section_id, title, ids, unit=unit, doc=doc)
                elif not _skipped(part, skip_class):
                    yield from _walk(part, skip_class, section_id, title, ids, unit, doc)
