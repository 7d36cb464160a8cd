"""The assembled book's doctree, as the print page needs it.

Sphinx' one-page builder inlines every document where the table of contents stands.
Here the parts move to the top of the book, parts, the annex and wide tables get the
classes the print CSS reads, and an id that two documents share gets a unique name.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes

ANNEX_CLASS = "rawa-annex"
PART_CLASS = "rawa-part"
WIDE_CLASS = "rawa-wide"


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
